"""The moderation log is append-only in the database itself: UPDATE and DELETE on its rows fail,
whoever asks (the ORM, the admin, a raw query). TRUNCATE, which only an operator runs, is not a row
operation and is left alone (the test suite uses it to empty tables between tests)."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION hearings_moderationevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'hearings_moderationevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER hearings_moderationevent_no_update_or_delete
    BEFORE UPDATE OR DELETE ON hearings_moderationevent
    FOR EACH ROW EXECUTE FUNCTION hearings_moderationevent_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS hearings_moderationevent_no_update_or_delete ON hearings_moderationevent;
DROP FUNCTION IF EXISTS hearings_moderationevent_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER hearings_moderationevent_no_update BEFORE UPDATE ON hearings_moderationevent
       BEGIN SELECT RAISE(ABORT, 'hearings_moderationevent is append-only (UPDATE refused)'); END;""",
    """CREATE TRIGGER hearings_moderationevent_no_delete BEFORE DELETE ON hearings_moderationevent
       BEGIN SELECT RAISE(ABORT, 'hearings_moderationevent is append-only (DELETE refused)'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS hearings_moderationevent_no_update;",
    "DROP TRIGGER IF EXISTS hearings_moderationevent_no_delete;",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in [statements] if isinstance(statements, str) else statements:
            # params=None: the SQL is sent as it is (its '%' is PL/pgSQL's, not a placeholder).
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("hearings", "0002_hearing_moderators_notified_at_and_more")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
