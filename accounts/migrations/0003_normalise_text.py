"""Existing rows under the portal's text policy (portal/text.py): line breaks of every kind as LF, and no
character XML 1.0 cannot carry (control characters, noncharacters)."""

from django.db import migrations

from portal.migration_text import normalise_app


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_staffrole")]

    operations = [
        migrations.RunPython(normalise_app("accounts"), migrations.RunPython.noop, elidable=True),
    ]
