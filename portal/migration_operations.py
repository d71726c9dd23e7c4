"""Migration operations that only touch a PostgreSQL database.

The full text search indexes (GIN on tsvector expressions) exist only in PostgreSQL. The demo's
embedded SQLite database gets the same migration state, so ``makemigrations --check`` stays clean, but
no index: its search is a plain substring match (see search/selectors.py).
"""

from typing import TYPE_CHECKING

from django.db import migrations

if TYPE_CHECKING:
    _OperationBase = migrations.operations.base.Operation  # what the mixin is mixed into, for the checker
else:
    _OperationBase = object


class PostgreSQLOnly(_OperationBase):
    """For a migration operation: it changes the database only where that is PostgreSQL (the state
    always)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddIndexOnPostgreSQL(PostgreSQLOnly, migrations.AddIndex):
    pass


class RemoveIndexOnPostgreSQL(PostgreSQLOnly, migrations.RemoveIndex):
    pass


def move_content_types(*, from_app: str, to_app: str, models: list[str]) -> migrations.RunPython:
    """For a model moved between apps with its table: its content type (and with it its permissions and
    the admin's log entries) is relabelled ``to_app``. Where ``to_app``'s content type exists already (an
    earlier ``migrate`` made it), the old one is left for ``remove_stale_contenttypes``. Reversible."""

    def relabel(apps, schema_editor, source: str, target: str) -> None:
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(
            schema_editor.connection.alias
        )
        for model in models:
            if not content_types.filter(app_label=target, model=model).exists():
                content_types.filter(app_label=source, model=model).update(app_label=target)

    return migrations.RunPython(
        lambda apps, schema_editor: relabel(apps, schema_editor, from_app, to_app),
        lambda apps, schema_editor: relabel(apps, schema_editor, to_app, from_app),
    )
