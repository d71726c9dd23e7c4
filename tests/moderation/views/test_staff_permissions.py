"""Who may do what on the staff pages: every staff URL and action x every kind of visitor x the hearing's
time, each with its exact outcome.

The expected outcomes are written out by hand in ``EXPECTED`` below (one row per actor), not derived from
``hearings.permissions``: the table is the specification the predicates are checked against.

Decisions about time (the hearing is upcoming, open, closed, or closed with its summary published):

* Staff pages and moderation do not depend on the hearing's state: a moderator may publish, reject, hide
  and restore before, during and after the hearing (a response flagged after closing must still be
  handled), and a council member may read the overview at any time.
* Remarks may be written and changed until the hearing summary is published
  (``hearing.summary_published_at``); after that the remark form answers 400 with a Danish message and
  the remark stays as it was (``LOCKED``), for every actor that could otherwise remark.
* Flagging is a citizen's action on a *published* response and does not depend on the hearing's state
  either (the permission ``can_flag`` has no time in it): a published response can be reported as long
  as it is public.

Outcomes:

* ``LOGIN``: anonymous, 302 to /konto/login/?next=<the url>, nothing changes.
* ``NOT_FOUND``: signed in without the needed role, 404 (never 403 or 500), nothing changes.
* ``OK``: 200 (GET pages), nothing changes.
* ``DONE``: 302 to the page the action leads to; exactly the intended change happened.
* ``IGNORED``: a moderator of another municipality bulk-publishes ids that are not theirs: 302 back to the
  queue and nothing changes (the ids are skipped, as the queue's form is a list of checkboxes).
* ``LOCKED``: the remark form after the summary is published: 400, nothing changes.
"""

import datetime as dt
import zoneinfo
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from hearings.models import Hearing, Response
from moderation.models import Flag, ModerationEvent, Remark
from strategies.models import Municipality, Strategy
from tests.accounts.factories import StaffRoleFactory, staff_users
from tests.conftest import data_for_a_class
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.moderation.factories import RemarkFactory
from tests.seed import load_seed

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
OPENS = dt.datetime(2026, 3, 2, 9, 0, tzinfo=CPH)
CLOSES = dt.datetime(2026, 3, 30, 12, 0, tzinfo=CPH)
SUMMARY_PUBLISHED = dt.datetime(2026, 4, 6, 10, 0, tzinfo=CPH)

MOMENTS = {
    "before": OPENS - dt.timedelta(days=5),
    "during": OPENS + dt.timedelta(days=10),
    "after": CLOSES + dt.timedelta(days=3),  # closed, the summary not yet published
    "after_summary": CLOSES + dt.timedelta(days=10),  # closed and the summary published
}

LOGIN, NOT_FOUND, OK, DONE, IGNORED, LOCKED = "login", "not_found", "ok", "done", "ignored", "locked"

ACTIONS = ["home", "queue", "response", "overview", "publish", "hide", "remark", "bulk_publish", "flag"]
ACTORS = [
    "anonymous",
    "citizen",
    "v_editor",
    "v_moderator",
    "v_council",
    "b_editor",
    "b_moderator",
    "b_council",
    "superuser",
]

# fmt: off
EXPECTED = {
    #               home       queue      response   overview   publish    hide       remark     bulk_publish flag
    "anonymous":   (LOGIN,     LOGIN,     LOGIN,     LOGIN,     LOGIN,     LOGIN,     LOGIN,     LOGIN,       LOGIN),
    "citizen":     (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,   DONE),
    "v_editor":    (OK,        NOT_FOUND, OK,        OK,        NOT_FOUND, NOT_FOUND, DONE,      NOT_FOUND,   DONE),
    "v_moderator": (OK,        OK,        OK,        OK,        DONE,      DONE,      DONE,      DONE,        DONE),
    "v_council":   (OK,        NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,   DONE),
    "b_editor":    (OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,   DONE),
    "b_moderator": (OK,        OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, IGNORED,     DONE),
    "b_council":   (OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,   DONE),
    "superuser":   (OK,        OK,        OK,        OK,        DONE,      DONE,      DONE,      DONE,        DONE),
}
# fmt: on

# Where the table differs once the hearing summary is published: remarks are locked.
EXPECTED_AFTER_SUMMARY = {
    ("v_editor", "remark"): LOCKED,
    ("v_moderator", "remark"): LOCKED,
    ("superuser", "remark"): LOCKED,
}

# Whose hearings (V: Vallensbæk's, B: Billund's) the staff home page and the queue list.
LISTED = {
    "home": {
        "v_editor": {"V"},
        "v_moderator": {"V"},
        "v_council": {"V"},
        "b_editor": {"B"},
        "b_moderator": {"B"},
        "b_council": {"B"},
        "superuser": {"V", "B"},
    },
    "queue": {"v_moderator": {"V"}, "b_moderator": {"B"}, "superuser": {"V", "B"}},
}

# Who sees the moderation buttons on the response's staff page.
SEES_MODERATION_BOX = {"v_moderator", "superuser"}


def expected_outcome(action: str, actor: str, moment: str) -> str:
    if moment == "after_summary" and (actor, action) in EXPECTED_AFTER_SUMMARY:
        return EXPECTED_AFTER_SUMMARY[(actor, action)]
    return EXPECTED[actor][ACTIONS.index(action)]


def cases():
    for action in ACTIONS:
        for actor in ACTORS:
            for moment in MOMENTS:
                yield pytest.param(action, actor, moment, id=f"{action}-{actor}-{moment}")


def build_world() -> dict:
    """Vallensbæk's pre-moderated hearing with a pending response (which has a remark) and a published
    one; Billund's hearing with the same; a user for each actor (on the seed strategies)."""
    load_seed()
    vallensbaek = Municipality.objects.get(slug="vallensbaek")
    billund = Municipality.objects.get(slug="billund")
    v_hearing = HearingFactory(
        strategy=Strategy.objects.get(municipality=vallensbaek), title="Vallensbæks høring om strategien",
        opens_at=OPENS, closes_at=CLOSES, moderation=Hearing.Moderation.PRE,
    )  # fmt: skip
    b_hearing = HearingFactory(
        strategy=Strategy.objects.get(municipality=billund), title="Billunds høring om legepladsen",
        opens_at=OPENS, closes_at=CLOSES, moderation=Hearing.Moderation.PRE,
    )  # fmt: skip
    v_pending = ResponseFactory(hearing=v_hearing, number=1, status="pending", published_at=None)
    v_published = ResponseFactory(hearing=v_hearing, number=2, status="published")
    b_pending = ResponseFactory(hearing=b_hearing, number=1, status="pending", published_at=None)
    b_published = ResponseFactory(hearing=b_hearing, number=2, status="published")
    for hearing in (v_hearing, b_hearing):
        hearing.last_response_number = 2
        hearing.save(update_fields=["last_response_number"])
    RemarkFactory(response=v_pending, text="Første udkast til bemærkningen", recommendation="noted")

    users = staff_users(vallensbaek, billund)
    return {
        "v_hearing": v_hearing,
        "b_hearing": b_hearing,
        "v_pending": v_pending,
        "v_published": v_published,
        "b_pending": b_pending,
        "b_published": b_published,
        "users": users,
    }


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="class")
def shared_world(django_db_setup, django_db_blocker):
    """``build_world()`` once for the 324 cases of the matrix (each reads the world and rolls back what
    its request changed), instead of once a case."""

    def build():
        world = build_world()
        return {**world, "as_built": snapshot()}

    yield from data_for_a_class(django_db_blocker, build)


def snapshot() -> dict:
    """Everything a staff action could change."""
    return {
        "responses": {
            pk: (status, reason)
            for pk, status, reason in Response.objects.values_list("pk", "status", "moderation_reason")
        },
        "remarks": sorted(Remark.objects.values_list("response_id", "text", "recommendation")),
        "flags": sorted(Flag.objects.values_list("response_id", "user_id")),
        "events": sorted(ModerationEvent.objects.values_list("action", "response_id", "actor_id")),
        "summary": list(Hearing.objects.order_by("pk").values_list("summary_published_at", flat=True)),
    }


def request_for(action: str, world: dict):
    """(method, url, data, where a DONE action redirects to)"""
    v_pending, v_published, v_hearing = world["v_pending"], world["v_published"], world["v_hearing"]
    staff_response = reverse("moderation:response", args=[v_pending.pk])
    return {
        "home": ("get", reverse("moderation:home"), None, None),
        "queue": ("get", reverse("moderation:queue") + "?tab=all", None, None),
        "response": ("get", staff_response, None, None),
        "overview": ("get", reverse("moderation:overview", args=[v_hearing.pk]), None, None),
        "publish": ("post", reverse("moderation:moderate", args=[v_pending.pk]), {"action": "published"},
                    staff_response),
        "hide": ("post", reverse("moderation:moderate", args=[v_published.pk]),
                 {"action": "hidden", "reason": "offensive", "note": "Grove ord om naboen"},
                 reverse("moderation:response", args=[v_published.pk])),
        "remark": ("post", reverse("moderation:remark", args=[v_pending.pk]),
                   {"recommendation": "change", "text": "Forvaltningen foreslår at ændre målsætningen."},
                   staff_response),
        "bulk_publish": ("post", reverse("moderation:bulk_publish"), {"response": [str(v_pending.pk)]},
                         reverse("moderation:queue")),
        "flag": ("post", reverse("moderation:flag", args=[v_hearing.pk, v_published.number]),
                 {"reason": "personal_data", "note": "Nævner naboens navn"}, v_hearing.get_absolute_url()),
    }[action]  # fmt: skip


def expected_change(action: str, before: dict, world: dict, actor) -> dict:
    """The snapshot after ``action`` was done, written out per action."""
    after = {key: (dict(value) if isinstance(value, dict) else list(value)) for key, value in before.items()}
    v_pending, v_published = world["v_pending"].pk, world["v_published"].pk
    if action in ("publish", "bulk_publish"):
        after["responses"][v_pending] = ("published", "")
        after["events"] = sorted([*after["events"], ("published", v_pending, actor.pk)])
    elif action == "hide":
        after["responses"][v_published] = ("hidden", "offensive")
        after["events"] = sorted([*after["events"], ("hidden", v_published, actor.pk)])
    elif action == "remark":
        after["remarks"] = [(v_pending, "Forvaltningen foreslår at ændre målsætningen.", "change")]
        after["events"] = sorted([*after["events"], ("remark_changed", v_pending, actor.pk)])
    elif action == "flag":
        after["flags"] = sorted([*after["flags"], (v_published, actor.pk)])
        after["events"] = sorted([*after["events"], ("flagged", v_published, actor.pk)])
    return after


class TestPermissionMatrix:
    """Every case starts from the same world, built once (``shared_world``): the world is only read, and
    what a case's request changes is rolled back after it with the case's own transaction."""

    @pytest.fixture
    def world(self, db, shared_world):
        cache.clear()  # as in a world of its own: nothing another case's pages left in the cache
        assert snapshot() == shared_world["as_built"], "a change of an earlier case was not rolled back"
        return shared_world

    @pytest.mark.parametrize(("action", "actor", "moment"), list(cases()))
    def test_permission_matrix(self, client, world, action, actor, moment):
        check_case(client, world, action, actor, moment)


def check_case(client, world, action, actor, moment):
    expected = expected_outcome(action, actor, moment)
    user = world["users"][actor]
    if moment == "after_summary":
        Hearing.objects.filter(pk__in=[world["v_hearing"].pk, world["b_hearing"].pk]).update(
            summary_published_at=SUMMARY_PUBLISHED
        )
    method, url, data, done_url = request_for(action, world)

    with time_machine.travel(MOMENTS[moment], tick=False):
        assert world["v_hearing"].state() == {
            "before": "upcoming", "during": "open", "after": "closed", "after_summary": "closed",
        }[moment]  # fmt: skip
        if user is not None:
            client.force_login(user)
        before = snapshot()
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        after = snapshot()

    if expected == LOGIN:
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == "/konto/login/"
        assert parse_qs(location.query)["next"] == [url]
        assert after == before
    elif expected == NOT_FOUND:
        assert response.status_code == 404
        assert after == before
    elif expected == OK:
        assert response.status_code == 200
        assert after == before
        html = response.content.decode()
        if action in LISTED:
            if action == "home":
                shown = {
                    "V": reverse("moderation:overview", args=[world["v_hearing"].pk]),
                    "B": reverse("moderation:overview", args=[world["b_hearing"].pk]),
                }
            else:
                shown = {
                    "V": reverse("moderation:response", args=[world["v_pending"].pk]),
                    "B": reverse("moderation:response", args=[world["b_pending"].pk]),
                }
            listed = {key for key, link in shown.items() if f'href="{link}"' in html}
            assert listed == LISTED[action][actor]
        if action == "response":
            assert ('id="moderation-heading"' in html) == (actor in SEES_MODERATION_BOX)
            assert "Første udkast til bemærkningen" in html
    elif expected == DONE:
        assert response.status_code == 302
        assert response["Location"] == done_url
        assert after == expected_change(action, before, world, user)
    elif expected == IGNORED:
        assert response.status_code == 302
        assert response["Location"] == done_url
        assert after == before
    elif expected == LOCKED:
        # (What the page then shows is tested in test_moderation_remarks.py.)
        assert response.status_code == 400
        assert after == before
    else:  # pragma: no cover
        raise AssertionError(expected)


def test_the_table_covers_every_actor_and_action():
    assert set(EXPECTED) == set(ACTORS)
    assert all(len(row) == len(ACTIONS) for row in EXPECTED.values())


@pytest.mark.parametrize("actor", ["v_moderator", "superuser"])
def test_the_response_page_shows_the_locked_remark_without_a_form_after_the_summary(client, world, actor):
    Hearing.objects.filter(pk=world["v_hearing"].pk).update(summary_published_at=SUMMARY_PUBLISHED)
    client.force_login(world["users"][actor])
    with time_machine.travel(MOMENTS["after_summary"], tick=False):
        html = client.get(reverse("moderation:response", args=[world["v_pending"].pk])).content.decode()
    assert "Første udkast til bemærkningen" in html
    assert "Høringsnotatet er offentliggjort; bemærkningerne kan ikke længere ændres." in html
    assert reverse("moderation:remark", args=[world["v_pending"].pk]) not in html


@pytest.mark.parametrize("actor", ["v_moderator", "superuser"])
def test_remarks_can_still_be_changed_after_closing_until_the_summary_is_published(client, world, actor):
    client.force_login(world["users"][actor])
    url = reverse("moderation:remark", args=[world["v_pending"].pk])
    with time_machine.travel(MOMENTS["after"], tick=False):
        assert client.post(url, {"recommendation": "no_change", "text": "Efter lukning"}).status_code == 302
    assert Remark.objects.get(response=world["v_pending"]).text == "Efter lukning"
    Hearing.objects.filter(pk=world["v_hearing"].pk).update(summary_published_at=SUMMARY_PUBLISHED)
    with time_machine.travel(MOMENTS["after_summary"], tick=False):
        assert client.post(url, {"recommendation": "change", "text": "For sent"}).status_code == 400
    assert Remark.objects.get(response=world["v_pending"]).text == "Efter lukning"


def test_an_inactive_moderator_has_no_staff_access(client, world):
    moderator = world["users"]["v_moderator"]
    moderator.is_active = False
    moderator.save(update_fields=["is_active"])
    # An inactive user cannot be signed in (ModelBackend refuses), so they are anonymous: the login page.
    client.force_login(moderator)
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/konto/login/"


def test_a_role_in_both_municipalities_reaches_both(client, world):
    moderator = world["users"]["v_moderator"]
    StaffRoleFactory(user=moderator, municipality=Municipality.objects.get(slug="billund"),
                             role="moderator")  # fmt: skip
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue") + "?tab=all").content.decode()
    assert reverse("moderation:response", args=[world["v_pending"].pk]) in html
    assert reverse("moderation:response", args=[world["b_pending"].pk]) in html
    assert client.get(reverse("moderation:response", args=[world["b_pending"].pk])).status_code == 200
