"""Existing rows under the portal's text policy (portal/text.py): line breaks of every kind as LF, and no
character XML 1.0 cannot carry (control characters, noncharacters)."""

from django.db import migrations

from portal.migration_text import normalise_app


class Migration(migrations.Migration):
    dependencies = [("strategies", "0003_search_untagged")]

    operations = [
        migrations.RunPython(normalise_app("strategies"), migrations.RunPython.noop, elidable=True),
    ]
