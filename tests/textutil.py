"""Compare what a page says with a source text, word by word (markup, punctuation and bullets aside)."""

import html
import re

_TAG = re.compile(r"<[^>]+>")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def page_words(content: bytes | str) -> list[str]:
    """The words a reader sees on an HTML page."""
    if isinstance(content, bytes):
        content = content.decode()
    visible = _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", content))
    return words(html.unescape(visible))


def contains_sequence(haystack: list[str], needle: list[str]) -> bool:
    return " ".join(needle) in " ".join(haystack) if needle else True


# Markdown as editors write it (a heading, italics, bold, a link, a raw tag, a code span that looks like
# HTML, an entity), and the marks of its source that a reader must never see where it is shown as text.
MARKDOWN_SOURCE = (
    "## Hvad er en kommuneplanstrategi egentlig?\n\n"
    "*Dette er* en **vigtig** plan (`<script>` A &amp; B) om [fremtiden](https://example.dk/plan) for "
    "<b>skolerne</b>."
)
MARKDOWN_SOURCE_TEXT = "Hvad er en kommuneplanstrategi egentlig? Dette er en vigtig plan (<script> A & B) om fremtiden for skolerne."
MARKDOWN_MARKS = ("##", "*", "](", "https://example.dk", "<b>", "</b>", "`", "&amp;amp;")


def write_raw(instance, **values) -> None:
    """Write ``values`` to ``instance``'s row with plain SQL, past the model fields' text policy
    (portal.text): a row as an old version of the portal, or a direct database edit, could have left it.
    The instance is refreshed from the database."""
    from django.db import connection

    meta = instance._meta
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s",  # noqa: S608
            [*values.values(), instance.pk],
        )
    instance.refresh_from_db()
