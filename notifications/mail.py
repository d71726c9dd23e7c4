"""One helper that renders and sends a templated e-mail."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from portal.text import normalise_line, normalise_text


def recipient_language(language: str | None) -> str:
    """``language`` if the site offers it (settings.LANGUAGES, e.g. "en"), else the site's language ("da")."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_email(name: str, context: dict, *, language: str | None = None) -> tuple[str, str]:
    """The subject and body of the e-mail ``notifications/email/<name>_subject.txt`` and ``_body.txt`` in
    ``language`` (the recipient's, ``recipient_language``; the site's by default). Both under the portal's
    text policy (``portal.text``), the second guard after the one on input; the subject on one line, since
    Django refuses a header with a line break in it (``BadHeaderError``) and a hearing's title goes into it."""
    with translation.override(recipient_language(language)):
        subject = render_to_string(f"notifications/email/{name}_subject.txt", context)
        body = render_to_string(f"notifications/email/{name}_body.txt", context)
    return " ".join(normalise_line(subject).split()), normalise_text(body)


def send(
    name: str,
    context: dict,
    *,
    to: Sequence[str],
    headers: dict[str, str] | None = None,
    language: str | None = None,
) -> None:
    """Render ``name`` (``render_email``, in ``language``, with ``site_url`` added to ``context``) and send
    it from DEFAULT_FROM_EMAIL to ``to``, with ``headers`` (e.g. List-Unsubscribe, RFC 2369 and 8058).
    Raises what the mail backend raises (an OSError when the server cannot be reached: the tasks retry on
    it)."""
    subject, body = render_email(name, {**context, "site_url": settings.SITE_URL}, language=language)
    EmailMessage(subject, body, None, list(to), headers=headers).send()
