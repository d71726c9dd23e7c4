"""Existing rows under the portal's text policy (portal/text.py): line breaks of every kind as LF, and no
character XML 1.0 cannot carry (control characters, noncharacters)."""

from django.db import migrations

from portal.migration_text import normalise_app

# The moderation log is append-only (a trigger refuses UPDATE, 0003): it is not rewritten; its text is
# guarded where it is shown (the staff pages, by portal.middleware.TextPolicyMiddleware).


class Migration(migrations.Migration):
    dependencies = [("hearings", "0008_search_untagged")]

    operations = [
        migrations.RunPython(
            normalise_app("hearings", exclude=("moderationevent",)), migrations.RunPython.noop, elidable=True
        ),
    ]
