"""Every e-mail the portal sends, as Celery tasks. Each takes ids, is idempotent, and is enqueued after
commit (by notifications.receivers, or by the beat schedule)."""

import datetime as dt
from typing import Any

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffRole, User
from analysis.models import Topic, TopicResponse
from decisions.models import Decision
from guard import queue as guard_queue
from guard.models import REDACTION_MARKER
from guard.services import redaction_summary
from hearings import services as hearing_services
from hearings.models import Hearing, Response
from moderation import services as moderation_services
from moderation.models import ModerationEvent, Remark

from . import follows, mail
from .models import Follow, NotificationSent


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
    mail.send("receipt", {"response": response}, to=[response.author.email], language=response.language)
    return hearing_services.mark_receipt_sent(response_id=response.pk)


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


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_moderation_notice(event_id: int) -> bool:
    """Tell the author what a moderator did with their response, and why (for a redaction: which of its
    fields lost how many places, and why; never the removed text)."""
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
    context: dict[str, Any] = {"event": event, "response": event.response}
    if event.action == ModerationEvent.Action.REDACTED:  # which fields, how many places, why; never what
        context.update(redacted=redaction_summary(event.details), redaction_marker=REDACTION_MARKER)
    mail.send("moderation", context, to=[event.response.author.email], language=event.response.language)
    return True


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notify_moderators(hearing_id: int) -> int:
    """E-mail the hearing's moderators that responses wait (pre-moderated ones, and those the guard held
    for possible personal data, saying how many of these); at most once an hour per hearing."""
    claimed_at = timezone.now()
    if not moderation_services.claim_moderator_notification(hearing_id=hearing_id, now=claimed_at):
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
    # Of those waiting, the responses the guard holds for a check of possible personal data.
    checks = (
        hearing.responses.filter(status=Response.Status.PENDING)
        .filter(guard_queue.waiting_for_check())
        .count()
    )
    context = {"hearing": hearing, "waiting": waiting, "checks": checks, "check_tab": guard_queue.TAB}
    try:
        mail.send("moderators", context, to=recipients)
    except Exception:
        # Without this, the retry would find the hour's claim taken and the moderators never hear.
        moderation_services.release_moderator_notification(hearing_id=hearing_id, claimed_at=claimed_at)
        raise
    return len(recipients)


@shared_task
def send_due_notifications() -> int:
    """Every few minutes (beat): enqueue one e-mail for each follower notification that is due."""
    due = follows.due_notifications()
    for item in due:
        send_follow_notification.delay(item.follow_id, item.kind, item.key)
    # Decisions published lately, again: a fan-out lost to a broker outage at publication is made up for
    # (it enqueues only the people not yet told).
    recent = Decision.objects.published().filter(published_at__gt=timezone.now() - follows.GRACE)
    for decision_id in recent.values_list("pk", flat=True):
        send_decision_notices.delay(decision_id)
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
    unsubscribe_url, headers = follows.unsubscribe_link(follow)
    context = {
        "kind": kind,
        "user": follow.user,
        "hearing": follow.hearing,
        "response": response,
        "unsubscribe_url": unsubscribe_url,
    }
    return _send_once(
        "follow", context, claim=follows.claim(follow=follow, kind=kind, key=key), to=[follow.user.email],
        headers=headers,
    )  # fmt: skip


def _send_once(
    name: str,
    context: dict[str, Any],
    *,
    claim: NotificationSent | None,
    to: list[str],
    headers: dict[str, str] | None = None,
    language: str | None = None,
) -> bool:
    """Send the e-mail ``name`` (``mail.send``) if this run won its ``claim`` (None: it was, or is being,
    sent by another run); a failed send gives the claim back, so that the task's retry may send it. Returns
    whether it sent; raises what ``mail.send`` raises."""
    if claim is None:
        return False
    try:
        mail.send(name, context, to=to, headers=headers, language=language)
    except Exception:
        follows.release(claim)
        raise
    return True


@shared_task(acks_late=True)
def send_remarks_released(hearing_id: int) -> int:
    """After staff released a hearing's remarks (hearings.services.release_remarks): one task per author of a
    published response (``send_remarks_letter``), so that any number of workers share a large hearing.
    Returns the number of letters enqueued; 0 for a hearing whose remarks are not released."""
    if not Hearing.objects.filter(pk=hearing_id, remarks_released_at__isnull=False).exists():
        return 0
    authors = (
        Response.objects.published()
        .filter(hearing_id=hearing_id, author__isnull=False, author__is_active=True)
        .order_by()
        .values_list("author_id", flat=True)
        .distinct()
    )
    enqueued = 0
    for author_id in authors.iterator(chunk_size=2000):
        send_remarks_letter.delay(hearing_id, author_id)
        enqueued += 1
    return enqueued


def remarks_letter_context(*, hearing: Hearing, user: User) -> dict[str, Any]:
    """What one author is told when the remarks are released: ``letters``, one per published response of
    theirs in number order, each a dict of ``response``, ``remark`` (or None) and ``topics`` (the topics it
    raised, in the hearing summary's order, each with its remark); ``language``, the one they last wrote a
    response in. Two queries, whatever the numbers."""
    responses = list(
        Response.objects.published()
        .filter(hearing=hearing, author=user)
        .select_related("remark")
        .order_by("number")
    )
    topics_of: dict[int, list[Topic]] = {response.pk: [] for response in responses}
    links = (
        TopicResponse.objects.filter(response__in=[response.pk for response in responses])
        .select_related("topic")
        .order_by("topic__position", "topic__pk")
    )
    for link in links:
        topics_of[link.response_id].append(link.topic)
    letters = [
        {"response": response, "remark": Remark.of(response), "topics": topics_of[response.pk]}
        for response in responses
    ]
    latest = max(responses, key=lambda response: response.created_at, default=None)
    return {"letters": letters, "language": latest.language if latest else None}


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_remarks_letter(hearing_id: int, user_id: int) -> bool:
    """E-mail one author of the hearing, once (a NotificationSent claim), in the language they wrote in:
    the administration's remark on each of their published responses and on the topics these raised,
    with links to read them. Not sent to an author who follows the hearing and chose not to hear about
    their own responses, nor before the release. True if sent."""
    hearing = (
        Hearing.objects.select_related("strategy__municipality")
        .filter(pk=hearing_id, remarks_released_at__isnull=False)
        .first()
    )
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if hearing is None or user is None:
        return False
    if Follow.objects.filter(user=user, hearing=hearing, on_own_response=False).exists():
        return False
    context = remarks_letter_context(hearing=hearing, user=user)
    if not context["letters"]:
        return False
    claim = follows.claim_for_user(
        user_id=user.pk, hearing_id=hearing.pk, kind=NotificationSent.Kind.REMARKS_RELEASED
    )
    return _send_once(
        "remarks", {**context, "user": user, "hearing": hearing}, claim=claim, to=[user.email],
        language=context["language"],
    )  # fmt: skip


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_decision_notices(decision_id: int) -> int:
    """A hearing's decision was published: enqueue one ``send_decision_notice`` for each person to tell
    (``follows.decision_recipients``: followers and authors of published responses, not yet told).
    Returns how many were enqueued; 0 for a decision that is not (or no longer) published."""
    hearing_id = (
        Decision.objects.published().filter(pk=decision_id).values_list("hearing_id", flat=True).first()
    )
    if hearing_id is None:
        return 0
    user_ids = follows.decision_recipients(hearing_id=hearing_id)
    for user_id in user_ids:
        send_decision_notice.delay(decision_id, user_id)
    return len(user_ids)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_decision_notice(decision_id: int, user_id: int) -> bool:
    """E-mail one person that the decision on a hearing they follow or answered is published, with the link
    to "Det sagde I – det gjorde vi"; at most once per person and hearing (a NotificationSent claim), however
    often it runs and whether they follow, answered or both. Returns whether it sent."""
    decision = (
        Decision.objects.published()
        .select_related("hearing__strategy__municipality")
        .filter(pk=decision_id)
        .first()
    )
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if decision is None or user is None or not user.email:
        return False
    hearing = decision.hearing
    follow = Follow.objects.filter(user=user, hearing=hearing).first()
    answered = list(
        Response.objects.published()
        .filter(hearing=hearing, author=user)
        .order_by("number")
        .values_list("number", "language")
    )
    numbers = [number for number, _language in answered]
    # In the language they last answered in (the site's for a follower who did not answer).
    language = answered[-1][1] if answered else None
    if follow is None and not numbers:
        return False
    unsubscribe_url, headers = follows.unsubscribe_link(follow) if follow is not None else ("", None)
    context = {
        "user": user,
        "hearing": hearing,
        "decision": decision,
        "numbers": numbers,
        "page_url": reverse("decisions:page", kwargs={"pk": hearing.pk}),
        "unsubscribe_url": unsubscribe_url,
    }
    claim = follows.claim_for_user(
        user_id=user.pk, hearing_id=hearing.pk, kind=NotificationSent.Kind.DECISION
    )
    return _send_once("decision", context, claim=claim, to=[user.email], headers=headers, language=language)
