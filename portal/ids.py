"""Ids as they come from a URL's query string or a form: text that must be read without a 500."""

MAX_ID = 2**63 - 1  # a PostgreSQL bigint


def parse_id(value) -> int | None:
    """An id from the query string or a form, or None when it is not one. Only ASCII digits count:
    ``str.isdigit()`` is also true for '²' or '٣', which ``int()`` refuses (a 500 instead of a filter
    that is ignored); and only 1 to ``MAX_ID``, the range of a PostgreSQL bigint primary key."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
