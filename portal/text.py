"""The portal's one policy for the characters of user-supplied text (imports no app of ours).

Everything citizens and editors type ends up in XML (RSS, Atom, XLSX, the PDFs' structure), iCalendar,
CSV, JSON, e-mail headers and HTML. Some characters can be stored but not carried by those formats, and
one of them in one row used to take a whole output down (a pasted U+000B made a hearing's feeds answer
500). ``normalise_text`` is applied on the way in (the model fields in ``portal/fields.py``, the form
fields in ``portal/forms.py``, the services) and again by each writer, as a second guard.

The policy, character by character:

- **Line breaks become a line feed** (U+000A), keeping what the writer meant: CR LF and a lone CR
  (XML 1.0 §2.11 End-of-Line Handling does the same), U+000B VERTICAL TABULATION (the "manual line break"
  word processors paste), U+000C FORM FEED, U+0085 NEXT LINE and U+2028 LINE SEPARATOR (the line breaks
  of Unicode §5.8, "Newline Guidelines", rule R4). U+2029 PARAGRAPH SEPARATOR becomes an empty line
  (two line feeds), which is a paragraph in Markdown and in the pages.
- **Removed**: the other C0 controls U+0000–U+001F but TAB and LF, which XML 1.0 §2.2 (the ``Char``
  production: ``#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]``) cannot hold
  at all; DEL U+007F and the C1 controls U+0080–U+009F but NEL, which §2.2 asks authors to avoid and which
  show as a missing-glyph box in a PDF; surrogate code points U+D800–U+DFFF that are not half of a pair
  (no encoding can carry them; a high and low surrogate in a row are joined into the character they
  stand for); and the 66 noncharacters of Unicode §23.7 (U+FDD0–U+FDEF and the last two code points of
  every plane, U+FFFE, U+FFFF, U+1FFFE … U+10FFFF), which §2.2 excludes (U+FFFE, U+FFFF) or discourages.
- **Kept**: everything else, among it letters of every script (æ, ø, å), emoji, combining marks,
  U+00A0 NO-BREAK SPACE, U+00AD SOFT HYPHEN, zero-width joiners, private-use characters and TAB.

In a single-line field (a name, a title) every line break and TAB becomes one space instead, so that
the value stays one line (as it must in an e-mail subject or a feed's title).
"""

import re
from collections.abc import Mapping
from typing import Any

# The noncharacters of Unicode §23.7: U+FDD0..U+FDEF and U+nFFFE, U+nFFFF of planes 0 to 16.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)
)
# What is removed (after line breaks were turned into LF and surrogate pairs joined).
_REMOVED = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028]")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
# Anything of the above, or an astral character from U+1FFFE up (rare; the exact test is _REMOVED): the
# fast path leaves a clean string alone without building a new one. A class of the BMP characters and
# one range is some ten times faster to search than the exact class of 66 noncharacters.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]|[\U0001fffe-\U0010ffff]"
)
_SUSPECT_SINGLE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]|[\U0001fffe-\U0010ffff]"
)
_LINE_WHITESPACE = re.compile("[\t\n]")


def _join_pair(match: re.Match) -> str:
    high, low = match.group()
    return chr(0x10000 + ((ord(high) - 0xD800) << 10) + (ord(low) - 0xDC00))


def normalise_text(value: str, *, multiline: bool = True) -> str:
    """``value`` under the portal's text policy (see the module docstring): line breaks of every kind
    as LF (``multiline``) or as one space each (a single-line field), and every character that XML 1.0
    §2.2 cannot carry or discourages (C0/C1 controls, noncharacters, unpaired surrogates) removed.

    Takes and returns ``str``; idempotent. A string with nothing to change costs one regex search and is
    returned as it is. Does not strip leading or trailing white space (the form fields do that)."""
    if not (_SUSPECT if multiline else _SUSPECT_SINGLE_LINE).search(value):
        return value
    value = _LINE_BREAK.sub("\n", value).replace("\u2029", "\n\n")
    value = _SURROGATE_PAIR.sub(_join_pair, value)
    value = _REMOVED.sub("", value)
    if not multiline:
        value = _LINE_WHITESPACE.sub(" ", value)
    return value


def normalise_line(value: str) -> str:
    """``normalise_text(value, multiline=False)``: one line, for names, titles and e-mail subjects."""
    return normalise_text(value, multiline=False)


def is_clean(value: str) -> bool:
    """True if ``normalise_text(value)`` would leave ``value`` as it is: one search, for a whole page.
    False may be a false alarm (a character from U+1FFFE up, such as a rare CJK ideograph)."""
    return not _SUSPECT.search(value)


def clean_tree(value: Any) -> Any:
    """``value`` with every string in it normalised (``normalise_text``, line breaks kept), through
    dicts (their keys too), lists and tuples; anything else is returned as it is. For the writers'
    second guard over data they were handed (a feed's items, a document's content, the JSON download)."""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, Mapping):
        return {clean_tree(key): clean_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        items = [clean_tree(item) for item in value]
        return items if isinstance(value, list) else tuple(items)
    return value
