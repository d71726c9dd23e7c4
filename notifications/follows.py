"""Following a hearing: the writes (follow, change what to be told, stop), the signed unsubscribe link,
and which e-mails are due. The e-mails themselves are sent by Celery (notifications/tasks.py): a beat task
finds what is due every few minutes and enqueues one task per e-mail, which claims a NotificationSent
row first; its unique constraint is what makes each e-mail go out at most once per follower.

What a follower is told, each if they chose it:

- the hearing opens (if they followed before it opened),
- 3 days before it closes (if they followed before then),
- it closes,
- the hearing summary is published (Hearing.summary_published_at),
- a response of theirs gets the administration's remark (once the remarks are public).

That a moderator published a response of theirs is the existing moderation notice
(``send_moderation_notice``), which a follower can turn off; that a response was rejected or hidden,
and why, the author is always told.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from hearings.models import Hearing, Response
from moderation.models import ModerationEvent

from . import permissions
from .models import Follow, NotificationSent

NotificationKind = NotificationSent.Kind
UNSUBSCRIBE_SALT = "hearings.follow.unsubscribe"
CLOSING_SOON = dt.timedelta(days=3)
# A beat that was down for a while still sends what fell due meanwhile, but nothing older than this:
# "the hearing opened" a week late is noise.
GRACE = dt.timedelta(days=2)
# Moderation decisions that are only good news; a follower may choose not to hear of them.
OPTIONAL_MODERATION_NOTICES = {ModerationEvent.Action.PUBLISHED, ModerationEvent.Action.RESTORED}


@transaction.atomic
def follow_hearing(*, user, hearing: Hearing, preferences: dict[str, bool] | None = None) -> Follow:
    """Start following ``hearing``, or change what to be told about it."""
    decision = permissions.can_follow(user, hearing)
    if not decision:
        raise PermissionDenied(decision.reason)
    chosen = {name: bool((preferences or {}).get(name, True)) for name in Follow.PREFERENCES}
    follow, _created = Follow.objects.update_or_create(user=user, hearing=hearing, defaults=chosen)
    return follow


@transaction.atomic
def unfollow_hearing(*, user, hearing: Hearing) -> bool:
    deleted, _detail = Follow.objects.filter(user=user, hearing=hearing).delete()
    return bool(deleted)


def unsubscribe_token(follow: Follow) -> str:
    """The token of the unsubscribe link in every e-mail: it names the follow and works without
    signing in. Signed with SECRET_KEY; a new follow gets a new token."""
    return signing.dumps({"follow": follow.pk, "user": follow.user_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_link(follow: Follow) -> tuple[str, dict[str, str]]:
    """The absolute URL that stops ``follow`` without signing in, and the e-mail headers that offer it to
    the mail program: List-Unsubscribe (RFC 2369) with one-click unsubscription (RFC 8058)."""
    url = settings.SITE_URL + reverse(
        "notifications:unsubscribe", kwargs={"token": unsubscribe_token(follow)}
    )
    return url, {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def follow_from_token(token: str) -> Follow | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return (
        Follow.objects.select_related("hearing__strategy__municipality", "user")
        .filter(pk=data.get("follow"), user_id=data.get("user"))
        .first()
    )


@transaction.atomic
def unsubscribe(*, token: str) -> Follow | None:
    """Stop following, from the link in an e-mail. Returns the follow that ended (None if the link
    is not valid or was used already)."""
    follow = follow_from_token(token)
    if follow is not None:
        follow.delete()
    return follow


# --- What is due ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Due:
    follow_id: int
    kind: str
    key: str = ""


def _not_sent(kind: str):
    return ~Exists(
        NotificationSent.objects.filter(user=OuterRef("user_id"), hearing=OuterRef("hearing_id"), kind=kind)
    )


def due_notifications(*, now: dt.datetime | None = None) -> list[Due]:
    """Every e-mail that is due now and not yet sent, across all hearings. One query per kind."""
    now = now or timezone.now()
    follows = Follow.objects.filter(hearing__in=Hearing.objects.public(), user__is_active=True)
    due: list[Due] = []
    windows = {
        NotificationKind.OPENED: follows.filter(
            on_open=True,
            hearing__opens_at__lte=now,
            hearing__opens_at__gt=now - GRACE,
            hearing__closes_at__gt=now,
            created_at__lt=F("hearing__opens_at"),
        ),
        NotificationKind.CLOSING_SOON: follows.filter(
            before_close=True,
            hearing__opens_at__lte=now,
            hearing__closes_at__gt=now,
            hearing__closes_at__lte=now + CLOSING_SOON,
            created_at__lt=F("hearing__closes_at") - CLOSING_SOON,
        ),
        NotificationKind.CLOSED: follows.filter(
            on_close=True,
            hearing__closes_at__lte=now,
            hearing__closes_at__gt=now - GRACE,
            created_at__lt=F("hearing__closes_at"),
        ),
        NotificationKind.SUMMARY: follows.filter(
            on_summary=True,
            hearing__closes_at__lte=now,
            hearing__summary_published_at__lte=now,
            hearing__summary_published_at__gt=now - GRACE,
        ),
    }
    for kind, candidates in windows.items():
        for follow_id in candidates.filter(_not_sent(kind)).values_list("pk", flat=True):
            due.append(Due(follow_id, kind))
    # Remarks: to the author of a published response, as they are written if the hearing shows them so;
    # otherwise the release wrote to every author once (tasks.send_remarks_letter), so only remarks written
    # after the release are told one by one.
    follow = Follow.objects.filter(
        user=OuterRef("author_id"), hearing=OuterRef("hearing_id"), on_own_response=True, user__is_active=True
    )
    sent = NotificationSent.objects.filter(
        user=OuterRef("author_id"),
        hearing=OuterRef("hearing_id"),
        kind=NotificationKind.REMARK,
        key=Cast(OuterRef("pk"), CharField(max_length=40)),
    )
    remarked = (
        Response.objects.published()
        .filter(
            Q(hearing__remarks_as_written=True)
            | Q(
                hearing__remarks_released_at__isnull=False,
                remark__created_at__gt=F("hearing__remarks_released_at"),
            )
        )
        .filter(remark__isnull=False, hearing__in=Hearing.objects.public())
        .annotate(follow_id=Subquery(follow.values("pk")[:1]))
        .filter(follow_id__isnull=False)
        .filter(~Exists(sent))
        .values_list("follow_id", "pk")
    )
    due.extend(
        Due(follow_id, NotificationKind.REMARK, str(response_id)) for follow_id, response_id in remarked
    )
    return due


def claim(
    *, follow: Follow, kind: str, key: str = "", now: dt.datetime | None = None
) -> NotificationSent | None:
    """Record that this e-mail to a follower is being sent; None if it was (or is being) sent already."""
    return claim_for_user(user_id=follow.user_id, hearing_id=follow.hearing_id, kind=kind, key=key, now=now)


def claim_for_user(
    *, user_id: int, hearing_id: int, kind: str, key: str = "", now: dt.datetime | None = None
) -> NotificationSent | None:
    """Record that this e-mail about a hearing is being sent to a user (a follower or not); None if it was
    (or is being) sent already: the unique constraint decides, whichever worker asks first."""
    try:
        with transaction.atomic():
            return NotificationSent.objects.create(
                user_id=user_id, hearing_id=hearing_id, kind=kind, key=key, sent_at=now or timezone.now()
            )
    except IntegrityError:
        return None


def decision_recipients(*, hearing_id: int) -> list[int]:
    """The ids of the people to tell that ``hearing_id``'s decision is published and who were not told yet:
    active users with an e-mail address who follow the hearing or wrote one of its published responses,
    each once (one query)."""
    told = NotificationSent.objects.filter(
        user=OuterRef("pk"), hearing_id=hearing_id, kind=NotificationKind.DECISION
    )
    follows_it = Follow.objects.filter(user=OuterRef("pk"), hearing_id=hearing_id)
    responded = Response.objects.published().filter(author=OuterRef("pk"), hearing_id=hearing_id)
    return list(
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Exists(follows_it) | Exists(responded))
        .filter(~Exists(told))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def release(claimed: NotificationSent) -> None:
    """Give a claim back when its e-mail could not be sent, so that the retry may send it."""
    NotificationSent.objects.filter(pk=claimed.pk).delete()


def wants_moderation_notice(event: ModerationEvent) -> bool:
    """Whether the author is to be told of ``event``: always of a rejection or hiding (and why); of a
    publication unless they follow the hearing and chose not to hear of their own responses."""
    if event.action not in OPTIONAL_MODERATION_NOTICES or event.response is None:
        return True
    return not Follow.objects.filter(
        user_id=event.response.author_id, hearing_id=event.response.hearing_id, on_own_response=False
    ).exists()


def export_follows(user: Any) -> list[dict[str, Any]]:
    """The notifications' part of 'download my data' (accounts.personal_data): the hearings ``user``
    follows and which e-mails they chose. Deleting the account deletes them (``on_delete``)."""
    return [
        {
            "høring": follow.hearing.title,
            "fulgt_siden": follow.created_at.isoformat(),
            "besked_om": [
                str(Follow._meta.get_field(name).verbose_name)
                for name in Follow.PREFERENCES
                if getattr(follow, name)
            ],
        }
        for follow in Follow.objects.filter(user=user).select_related("hearing").order_by("created_at")
    ]
