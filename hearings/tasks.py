"""Celery tasks of the hearings app. Each takes ids, is idempotent, and is enqueued after commit."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.text import normalise_line, normalise_text

from . import follows, moderation, services
from .models import Follow, Hearing, ModerationEvent, NotificationSent, Response

logger = logging.getLogger(__name__)


def render_email(name: str, context: dict) -> tuple[str, str]:
    """The subject and body of the e-mail ``hearings/email/<name>_subject.txt`` and ``_body.txt`` in the
    site's language. Both under the portal's text policy (``portal.text``), the second guard after the
    one on input; the subject on one line, since Django refuses a header with a line break in it
    (``BadHeaderError``) and a hearing's title goes into it."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"hearings/email/{name}_subject.txt", context)
        body = render_to_string(f"hearings/email/{name}_body.txt", context)
    return " ".join(normalise_line(subject).split()), normalise_text(body)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_response_receipt(response_id: int) -> bool:
    """E-mail the author a receipt with the response's number and text; once."""
    response = (
        Response.objects.select_related(
            "hearing__strategy__municipality", "author", "target_section", "target_goal", "target_theme"
        )  # fmt: skip
        .filter(pk=response_id)
        .first()
    )
    if response is None or response.author is None or response.receipt_sent_at is not None:
        return False
    subject, body = render_email("receipt", {"response": response, "site_url": settings.SITE_URL})
    send_mail(subject, body, None, [response.author.email])
    return services.mark_receipt_sent(response_id=response.pk)


@shared_task
def send_missing_receipts() -> int:
    """Re-enqueue receipts that were never sent (the broker was down when the response came in)."""
    now = timezone.now()
    ids = list(
        Response.objects.filter(
            receipt_sent_at__isnull=True,
            author__isnull=False,
            created_at__lt=now - dt.timedelta(minutes=2),
            created_at__gt=now - dt.timedelta(days=7),
        ).values_list("pk", flat=True)[:500]
    )
    for response_id in ids:
        send_response_receipt.delay(response_id)
    return len(ids)


@shared_task
def remove_expired_personal_data() -> int:
    """Daily: names, postcodes and attachments leave the site after each hearing's removal date."""
    done = services.remove_expired_personal_data()
    if done:
        logger.info("Removed personal data of %s hearing(s)", done)
    return done


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_moderation_notice(event_id: int) -> bool:
    """Tell the author what a moderator did with their response, and why."""
    event = (
        ModerationEvent.objects.select_related(
            "response__author", "response__hearing__strategy__municipality"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.response is None or event.response.author is None:
        return False
    if not follows.wants_moderation_notice(event):
        return False
    context = {"event": event, "response": event.response, "site_url": settings.SITE_URL}
    subject, body = render_email("moderation", context)
    send_mail(subject, body, None, [event.response.author.email])
    return True


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notify_moderators(hearing_id: int) -> int:
    """E-mail the hearing's moderators that pre-moderated responses wait; at most once an hour per hearing."""
    from accounts.models import StaffRole

    claimed_at = timezone.now()
    if not moderation.claim_moderator_notification(hearing_id=hearing_id, now=claimed_at):
        return 0
    hearing = Hearing.objects.select_related("strategy__municipality").get(pk=hearing_id)
    waiting = hearing.responses.filter(status=Response.Status.PENDING).count()
    recipients = sorted(
        set(
            StaffRole.objects.filter(
                municipality=hearing.strategy.municipality,
                role=StaffRole.Role.MODERATOR,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )
    if not waiting or not recipients:
        return 0
    subject, body = render_email(
        "moderators", {"hearing": hearing, "waiting": waiting, "site_url": settings.SITE_URL}
    )
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        # Without this, the retry would find the hour's claim taken and the moderators never hear.
        moderation.release_moderator_notification(hearing_id=hearing_id, claimed_at=claimed_at)
        raise
    return len(recipients)


@shared_task(
    bind=True,
    acks_late=True,  # idempotent: a render that dies is delivered again, not lost
    reject_on_worker_lost=True,
    soft_time_limit=settings.DOCUMENT_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.DOCUMENT_RENDER_TIME_LIMIT,
    max_retries=3,
)
def render_document(self, document_id: int) -> str:
    """Render a hearing proposal or summary (a RenderedDocument record) with WeasyPrint."""
    from celery.exceptions import SoftTimeLimitExceeded

    from . import documents

    try:
        document = documents.render_document(document_id=document_id)
    except SoftTimeLimitExceeded:
        documents.mark_failed(document_id=document_id, message="Dokumentet tog for lang tid at lave.")
        raise
    except Exception as error:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
        documents.mark_failed(document_id=document_id, message=f"{type(error).__name__}: {error}")
        raise
    return document.status if document else "skipped"


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.DOCUMENT_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.DOCUMENT_RENDER_TIME_LIMIT,
)
def prepare_summary_parts(hearing_id: int) -> int:
    """A while after responses changed: render the hearing summary's new parts ahead of the council's next
    download. Not retried: the next change schedules it again, and a summary asked for renders what is
    missing itself."""
    from . import documents

    return documents.prepare_summary_parts(hearing_id=hearing_id)


@shared_task
def fail_stuck_documents() -> int:
    """Every few minutes: a render left 'rendering' longer than its hard time limit can only have been
    lost (the worker was killed and the message did not come back): mark it failed so it can be asked
    for again."""
    from . import documents

    return documents.fail_stuck_documents(
        older_than=dt.timedelta(seconds=settings.DOCUMENT_RENDER_TIME_LIMIT + 60)
    )


@shared_task
def send_due_notifications() -> int:
    """Every few minutes (beat): enqueue one e-mail for each follower notification that is due."""
    due = follows.due_notifications()
    for item in due:
        send_follow_notification.delay(item.follow_id, item.kind, item.key)
    return len(due)


PREFERENCE_OF: dict[str, str] = {
    NotificationSent.Kind.OPENED: "on_open",
    NotificationSent.Kind.CLOSING_SOON: "before_close",
    NotificationSent.Kind.CLOSED: "on_close",
    NotificationSent.Kind.SUMMARY: "on_summary",
    NotificationSent.Kind.REMARK: "on_own_response",
}


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_follow_notification(follow_id: int, kind: str, key: str = "") -> bool:
    """E-mail one follower one notification about a hearing; at most once (a NotificationSent claim)."""
    follow = (
        Follow.objects.select_related("user", "hearing__strategy__municipality").filter(pk=follow_id).first()
    )
    if follow is None or kind not in PREFERENCE_OF or not getattr(follow, PREFERENCE_OF[kind]):
        return False
    if not follow.user.is_active or not follow.user.email:
        return False
    response = None
    if kind == NotificationSent.Kind.REMARK:
        response = (
            Response.objects.published()
            .select_related("remark")
            .filter(pk=int(key), author_id=follow.user_id, hearing_id=follow.hearing_id, remark__isnull=False)
            .first()
        )
        if response is None:
            return False
    claimed = follows.claim(follow=follow, kind=kind, key=key)
    if claimed is None:
        return False  # sent already (or being sent by another worker)
    try:
        unsubscribe_url = settings.SITE_URL + reverse(
            "hearings:unsubscribe", kwargs={"token": follows.unsubscribe_token(follow)}
        )
        context = {
            "kind": kind,
            "user": follow.user,
            "hearing": follow.hearing,
            "response": response,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe_url,
        }
        subject, body = render_email("follow", context)
        EmailMessage(
            subject,
            body,
            None,
            [follow.user.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        ).send()
    except Exception:
        follows.release(claimed)
        raise
    return True
