import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from portal.markdown import render_markdown

register = template.Library()

# A run of non-space characters that holds "://", "@" or "www.": a URL or an e-mail address.
ADDRESS = re.compile(r"\S*(?:://|@|www\.)\S*")


@register.filter(name="markdown")
def markdown_filter(text: str | None):
    """``{{ strategy.body|markdown }}``: sanitised HTML from Markdown."""
    return render_markdown(text)


@register.filter(needs_autoescape=True)
def mark_addresses(text: str | None, autoescape: bool = True):
    """``{{ response.text|mark_addresses|linebreaks }}``: the text escaped, each URL and e-mail address in
    it in ``<span class="address">``, so that the PDFs' style sheet can break a long one without
    hyphenating it (a hyphen added to an address would change it). Spans are cut at white space only,
    so never inside an escaped character."""
    escaped = conditional_escape(text or "") if autoescape else text or ""
    return mark_safe(ADDRESS.sub(lambda m: f'<span class="address">{m.group()}</span>', escaped))  # noqa: S308 - escaped above
