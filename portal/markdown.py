"""The one Markdown renderer of the portal: Markdown to HTML, then sanitised with nh3.

Pages, the admin's preview (``MARKDOWNX_MARKDOWNIFY_FUNCTION``) and the PDFs all go through
``render_markdown``; django-markdownx does not sanitise on its own. Wherever Markdown is shown as plain
text instead (search snippets, feed descriptions), it is ``markdown_text`` of the same rendering, so no
``##``, ``*`` or tag of the source shows.
"""

from html.parser import HTMLParser

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str | None) -> SafeString:
    """Render trusted-or-not Markdown to HTML that is safe to put on a page or in a PDF."""
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


# Elements after which the text goes on in a new block: their words must not run into the next ones.
BLOCK_TAGS = {
    "blockquote", "br", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre", "table", "td", "th", "tr", "ul",
}  # fmt: skip


class _TextCollector(HTMLParser):
    """The text of sanitised HTML, a line per block; character references are resolved once
    (``convert_charrefs``)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def markdown_text(text: str | None) -> str:
    """The plain text a reader sees of Markdown ``text``: rendered and sanitised as on the page
    (``render_markdown``), the tags dropped, character references resolved once, and whitespace
    collapsed; each block (paragraph, heading, list item, table cell) on a line of its own.

    Plain text, not HTML: escape it wherever it goes into HTML or XML. '' for None or ''."""
    collector = _TextCollector()
    collector.feed(render_markdown(text))
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def markdown_excerpt(text: str | None, words: int) -> str:
    """The first ``words`` words of ``markdown_text(text)`` on one line, cut at a word boundary and
    ended with "…" when anything was left out. Plain text, to be escaped like ``markdown_text``."""
    return Truncator(" ".join(markdown_text(text).split())).words(words)
