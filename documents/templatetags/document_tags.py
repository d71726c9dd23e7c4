from django import template

from documents.permissions import may_download_archive, may_download_document

register = template.Library()


@register.simple_tag(takes_context=True)
def may_download_summary(context, hearing) -> bool:
    """Whether the request's user may download ``hearing``'s summary (documents.permissions)."""
    return may_download_document(context["request"].user, hearing, "summary")


@register.simple_tag(takes_context=True)
def may_download_hearing_archive(context, hearing) -> bool:
    """Whether the request's user may make and download ``hearing``'s archive for the journal system
    (documents.permissions)."""
    return may_download_archive(context["request"].user, hearing)
