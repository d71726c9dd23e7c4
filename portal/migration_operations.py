"""Migration operations that only touch a PostgreSQL database.

The full text search indexes (GIN on tsvector expressions) exist only in PostgreSQL. The demo's
embedded SQLite database gets the same migration state, so ``makemigrations --check`` stays clean, but
no index: its search is a plain substring match (see portal/search.py).
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
