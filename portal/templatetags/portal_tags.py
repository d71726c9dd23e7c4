from django import template

from portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None):
    """``{{ strategy.body|markdown }}``: sanitised HTML from Markdown."""
    return render_markdown(text)
