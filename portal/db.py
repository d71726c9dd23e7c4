"""The embedded SQLite database of the demo under concurrent writes (imports no app).

SQLite lets one connection write at a time. The settings begin every transaction with BEGIN IMMEDIATE
and give each connection a busy timeout (portal.settings.base), so a second writer waits its turn
instead of failing at once; only a writer that waits longer than the timeout gets SQLite's
SQLITE_BUSY, "database is locked" (https://www.sqlite.org/rescode.html#busy). These helpers turn that
into a page that keeps what the user typed, never a 500."""

from django.db import OperationalError
from django.utils.translation import gettext_lazy as _

BUSY_MESSAGE = _(
    "Portalen har travlt lige nu, så det, du sendte, er ikke gemt. Det, du har skrevet, er bevaret "
    "herunder: send det igen om et øjeblik."
)


def is_database_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite's "database is locked" or "database table is locked" (SQLITE_BUSY,
    SQLITE_LOCKED): another writer held the database longer than the busy timeout. PostgreSQL waits
    for row locks instead and never raises it."""
    return isinstance(error, OperationalError) and str(error).startswith(
        ("database is locked", "database table is locked")
    )
