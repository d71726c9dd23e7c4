"""The moderation queue (tabs, filters, search, order, pages, a query count that does not grow with the
queue) and the hearing overview (counts by status, respondent type, target and day; the oldest waiting
response)."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearings import services
from hearings.models import Hearing, Response
from moderation import selectors as staff_selectors
from portal.ids import parse_id
from tests.accounts.factories import StaffRoleFactory, VerifiedUserFactory
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.moderation.factories import FlagFactory, RemarkFactory

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
T0 = dt.datetime(2026, 3, 10, 9, 15, tzinfo=CPH)
ROW = re.compile(r'<td data-title="Svar"><a href="/personale/svar/(\d+)/">')


@pytest.fixture
def moderator(vallensbaek):
    user = VerifiedUserFactory(email="moderator@vallensbaek.dk")
    StaffRoleFactory(user=user, municipality=vallensbaek.municipality, role="moderator")
    return user


@pytest.fixture
def hearing(vallensbaek):
    return HearingFactory(
        strategy=vallensbaek, title="Høring om Kommuneplanstrategi 2018", moderation=Hearing.Moderation.PRE,
        opens_at=T0 - dt.timedelta(days=5), closes_at=T0 + dt.timedelta(days=20),
    )  # fmt: skip


@pytest.fixture
def other_hearing(vallensbaek):
    return HearingFactory(
        strategy=vallensbaek, title="Høring om delvision 5",
        opens_at=T0 - dt.timedelta(days=5), closes_at=T0 + dt.timedelta(days=20),
    )  # fmt: skip


def add(hearing, status="pending", minutes=0, **kwargs):
    """A response received ``minutes`` after T0, numbered after the hearing's last one."""
    hearing.refresh_from_db(fields=["last_response_number"])
    hearing.last_response_number += 1
    hearing.save(update_fields=["last_response_number"])
    if status not in ("published", "hidden"):
        kwargs.setdefault("published_at", None)
    kwargs.setdefault("created_at", T0 + dt.timedelta(minutes=minutes))
    return ResponseFactory(hearing=hearing, number=hearing.last_response_number, status=status, **kwargs)


def fill(hearing, n, **kwargs):
    """``n`` pending responses in one insert, one minute apart, after the hearing's last number."""
    start = hearing.last_response_number
    author = VerifiedUserFactory()
    responses = ResponseFactory.build_batch(n, hearing=hearing, author=author, status="pending",
                                            published_at=None, **kwargs)  # fmt: skip
    for i, response in enumerate(responses, start=1):
        response.number = start + i
        response.created_at = T0 + dt.timedelta(minutes=start + i)
    Response.objects.bulk_create(responses)
    hearing.last_response_number = start + n
    hearing.save(update_fields=["last_response_number"])
    return responses


def flag(response, n=1):
    for user in VerifiedUserFactory.create_batch(n):
        FlagFactory(response=response, user=user, reason="offensive")


def listed(client, **params) -> list[int]:
    """The responses on the queue page, in the order shown."""
    result = client.get(reverse("moderation:queue"), params)
    assert result.status_code == 200
    return [int(pk) for pk in ROW.findall(result.content.decode())]


@pytest.fixture
def queue(hearing, billund_hearing):
    """One response in each situation, received a minute apart (``new`` the newest), plus Billund's."""
    made = {}
    made["withdrawn_flagged"] = add(hearing, "withdrawn", minutes=1)
    made["rejected"] = add(hearing, "rejected", minutes=2, moderation_reason="spam")
    made["hidden_flagged"] = add(hearing, "hidden", minutes=3, moderation_reason="offensive")
    made["published"] = add(hearing, "published", minutes=4)
    made["published_flagged"] = add(hearing, "published", minutes=5)
    made["pending_flagged"] = add(hearing, "pending", minutes=6)
    made["new"] = add(hearing, "pending", minutes=7)
    flag(made["withdrawn_flagged"])
    flag(made["hidden_flagged"], 2)
    flag(made["published_flagged"])
    flag(made["pending_flagged"], 3)
    add(billund_hearing, "pending", minutes=30)
    add(billund_hearing, "published", minutes=31)
    return {name: r.pk for name, r in made.items()}


# --- Tabs ----------------------------------------------------------------------------------------------

TABS = {
    "new": ["new"],
    "pending": ["new", "pending_flagged"],
    "flagged": ["pending_flagged", "published_flagged", "hidden_flagged"],
    "all": ["new", "pending_flagged", "published_flagged", "published", "hidden_flagged", "rejected",
            "withdrawn_flagged"],
}  # fmt: skip


@pytest.mark.parametrize("tab", TABS)
def test_each_tab_lists_its_responses_newest_first_and_never_another_municipalitys(
    client, moderator, queue, tab
):
    client.force_login(moderator)
    assert listed(client, tab=tab) == [queue[name] for name in TABS[tab]]


def test_the_page_shows_the_tabs_the_selectors_define_in_their_order(client, moderator):
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    shown = re.findall(r'<a href="\?tab=(\w+)"[^>]*>([^<]+)</a>', html)
    assert shown == [(value, str(label)) for value, label in staff_selectors.queue_tabs()]
    assert [value for value, _label in staff_selectors.QUEUE_TABS] == list(TABS)
    # The checks that apps above register (the guard's "Personoplysninger") come before "Alle".
    assert [value for value, _label in shown] == ["new", "pending", "flagged", "personal", "all"]


def test_the_new_tab_is_the_default_and_an_unknown_tab_falls_back_to_it(client, moderator, queue):
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert '<a href="?tab=new" aria-current="page" class="active">Nye</a>' in html
    assert listed(client) == listed(client, tab="bogus") == [queue["new"]]


def test_the_queue_shows_the_flag_count_status_and_remark(client, moderator, queue, hearing):
    RemarkFactory(response_id=queue["pending_flagged"], text="Noteret", recommendation="noted")
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue"), {"tab": "flagged"}).content.decode()
    rows = html.split("<tr>")[2:]
    assert 'Afventer moderation<br><span class="meta">Har bemærkning</span>' in rows[0]
    # Each cell carries its column's name, shown above it on a narrow screen.
    assert '<td data-title="Anmeldelser">3</td>' in rows[0]
    assert "Offentliggjort</td>" in rows[1] and '<td data-title="Anmeldelser">1</td>' in rows[1]
    assert "Skjult</td>" in rows[2] and '<td data-title="Anmeldelser">2</td>' in rows[2]
    # Only pending responses can be chosen for bulk publishing.
    assert re.findall(r'name="response" value="(\d+)"', html) == [str(queue["pending_flagged"])]


# --- Filters and search --------------------------------------------------------------------------------


@pytest.fixture
def varied(hearing, other_hearing, billund_hearing, section5, vallensbaek):
    goal = section5.goals.filter(parent=None).first()
    theme = section5.themes.first()
    section1 = vallensbaek.sections.get(number=1)
    made = {
        "strategy": add(hearing, minutes=1, text="Mere plads i skolerne", display_name="Anne Hansen"),
        "section5": add(hearing, minutes=2, target_section=section5, respondent_type="association",
                        organisation_name="Grundejerforeningen Nord", text="Vi ønsker stier."),
        "goal": add(hearing, minutes=3, target_goal=goal, respondent_type="business",
                    organisation_name="Bager Jensen ApS", text="Flere lærepladser"),
        "theme": add(hearing, "published", minutes=4, target_theme=theme, text="SKOLEN skal være grøn"),
        "section1": add(hearing, "hidden", minutes=5, target_section=section1, moderation_reason="spam",
                        text="Køb billige ure", display_name="Spammer"),
        "other": add(other_hearing, minutes=6, text="Svar i den anden høring", display_name="Ole Skolelærer"),
    }  # fmt: skip
    add(billund_hearing, minutes=7, text="Skolerne i Billund", target_section=None)
    return {name: r.pk for name, r in made.items()}


def test_filters_by_hearing_section_status_and_respondent_type(
    client, moderator, varied, hearing, other_hearing, section5, billund_hearing
):
    client.force_login(moderator)
    v = varied
    assert listed(client, tab="all") == [v["other"], v["section1"], v["theme"], v["goal"], v["section5"],
                                         v["strategy"]]  # fmt: skip
    assert listed(client, tab="all", hearing=other_hearing.pk) == [v["other"]]
    assert listed(client, tab="all", hearing=hearing.pk) == [v["section1"], v["theme"], v["goal"], v["section5"],
                                                           v["strategy"]]  # fmt: skip
    # A part of the strategy: responses to it, to its goals and to its themes.
    assert listed(client, tab="all", section=section5.pk) == [v["theme"], v["goal"], v["section5"]]
    assert listed(client, tab="all", status="hidden") == [v["section1"]]
    assert listed(client, tab="all", status="published") == [v["theme"]]
    assert listed(client, tab="all", type="association") == [v["section5"]]
    assert listed(client, tab="all", type="business", section=section5.pk) == [v["goal"]]
    assert listed(client, tab="pending", section=section5.pk) == [v["goal"], v["section5"]]
    # Another municipality's hearing is not a way in.
    assert listed(client, tab="all", hearing=billund_hearing.pk) == []
    # Nonsense is ignored.
    everything = listed(client, tab="all")
    assert (
        listed(client, tab="all", hearing="abc", section="-1", status="gone", type="<script>") == everything
    )


def test_text_search_covers_text_name_and_organisation_case_insensitively(client, moderator, varied):
    client.force_login(moderator)
    v = varied
    assert listed(client, tab="all", q="skole") == [v["other"], v["theme"], v["strategy"]]
    assert listed(client, tab="all", q="  GRUNDEJER ") == [v["section5"]]
    assert listed(client, tab="all", q="anne hansen") == [v["strategy"]]
    assert listed(client, tab="all", q="skole", status="published") == [v["theme"]]
    assert listed(client, tab="all", q="ingen rammer") == []
    html = client.get(reverse("moderation:queue"), {"tab": "all", "q": "ingen rammer"}).content.decode()
    assert "Ingen høringssvar her." in html and "0 høringssvar" in html


def test_the_filter_form_offers_only_the_moderators_hearings_and_their_sections(
    client, moderator, varied, hearing, billund_hearing, section5
):
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue"), {"tab": "all", "hearing": hearing.pk}).content.decode()
    assert f'<option value="{hearing.pk}" selected>{hearing.title} (Vallensbæk Kommune)</option>' in html
    assert billund_hearing.title not in html
    assert f'<option value="{section5.pk}"' in html
    assert "Fremtidens Legeplads" not in html  # Billund's strategy and its sections


# --- Pages and query count -----------------------------------------------------------------------------


def test_the_queue_has_pages_of_25_newest_first_keeping_tab_and_filters(client, moderator, hearing):
    responses = fill(hearing, 30)
    client.force_login(moderator)
    newest_first = [r.pk for r in reversed(Response.objects.order_by("created_at"))]
    assert [r.pk for r in responses] == sorted(newest_first)
    first = client.get(
        reverse("moderation:queue"), {"tab": "pending", "hearing": hearing.pk}
    ).content.decode()
    assert [int(pk) for pk in ROW.findall(first)] == newest_first[:25]
    assert "30 høringssvar" in first and "Side 1 af 2" in first
    assert f'href="?tab=pending&amp;side=2&amp;hearing={hearing.pk}">Næste side</a>' in first
    assert "Forrige side" not in first
    second = client.get(reverse("moderation:queue"), {"tab": "pending", "hearing": hearing.pk, "side": 2})
    second = second.content.decode()
    assert [int(pk) for pk in ROW.findall(second)] == newest_first[25:]
    assert "Side 2 af 2" in second and "Næste side" not in second
    assert f'href="?tab=pending&amp;side=1&amp;hearing={hearing.pk}">Forrige side</a>' in second
    # A page out of range shows the last one; nonsense shows the first.
    assert listed(client, tab="pending", side=99) == newest_first[25:]
    assert listed(client, tab="pending", side="x") == newest_first[:25]


def count_queries(client, params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        result = client.get(reverse("moderation:queue"), params)
    assert result.status_code == 200
    return len(ctx.captured_queries), result.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"tab": "new"}, {"tab": "all"}, {"tab": "flagged"}, {"tab": "all", "q": "a", "type": "private"}],
    ids=["new", "all", "flagged", "search"],
)
def test_the_queue_query_count_is_the_same_with_5_and_200_responses(
    client, moderator, hearing, other_hearing, section5, params
):
    goal = section5.goals.filter(parent=None).first()

    def grow(n):
        for target in ({"target_section": section5}, {"target_goal": goal}, {}):
            for response in fill(hearing, n, text="Et svar med a", **target):
                FlagFactory(response=response, user=VerifiedUserFactory(), reason="spam")
                RemarkFactory(response=response, text="Noteret", recommendation="noted")
        fill(other_hearing, n, text="Andet svar med a")

    client.force_login(moderator)
    grow(1)  # 3 flagged responses with remarks, 1 in the other hearing, and one plain: 5
    fill(hearing, 1)
    assert Response.objects.count() == 5
    few, _html = count_queries(client, params)
    grow(48)
    fill(hearing, 3)
    assert Response.objects.count() == 200
    many, html = count_queries(client, params)
    assert few == many
    assert many <= 12
    assert "Side 1 af" in html


# --- Overview ------------------------------------------------------------------------------------------


@pytest.fixture
def overview_hearing(hearing, section5, billund_hearing):
    goal = section5.goals.filter(parent=None).first()
    theme = section5.themes.first()
    utc = dt.UTC
    made = [
        # 10 March (local): three
        add(hearing, "published", minutes=0),  # 09.15
        add(hearing, "published", minutes=60, target_section=section5, respondent_type="association",
            organisation_name="Grundejerforeningen"),
        add(hearing, "pending", minutes=120, target_goal=goal),  # 11.15: the oldest waiting
        # 11 March, 00.30 local (23.30 UTC on the 10th): counts on the 11th
        add(hearing, "pending", created_at=dt.datetime(2026, 3, 10, 23, 30, tzinfo=utc), target_goal=goal,
            respondent_type="business", organisation_name="Bager Jensen ApS"),
        add(hearing, "hidden", created_at=dt.datetime(2026, 3, 11, 10, 0, tzinfo=CPH), moderation_reason="spam",
            target_theme=theme),
        # 13 March: two
        add(hearing, "rejected", created_at=dt.datetime(2026, 3, 13, 8, 0, tzinfo=CPH), moderation_reason="spam"),
        add(hearing, "withdrawn", created_at=dt.datetime(2026, 3, 13, 9, 0, tzinfo=CPH),
            respondent_type="association", organisation_name="Foreningen"),
    ]  # fmt: skip
    add(billund_hearing, "pending", created_at=dt.datetime(2026, 3, 1, 8, 0, tzinfo=CPH))
    return made


def test_the_overview_counts_by_status_type_target_and_day(overview_hearing, hearing, section5):
    overview = staff_selectors.hearing_overview(hearing=hearing)
    assert overview["total"] == 7
    assert overview["by_status"] == [
        ("Afventer moderation", 2, "pending"),
        ("Offentliggjort", 2, "published"),
        ("Afvist", 1, "rejected"),
        ("Skjult", 1, "hidden"),
        ("Trukket tilbage", 1, "withdrawn"),
    ]
    assert overview["by_type"] == [
        ("Privatperson", 4),
        ("Forening/organisation", 2),
        ("Virksomhed", 1),
        ("Råd eller nævn", 0),
        ("Offentlig myndighed", 0),
    ]
    goal = section5.goals.filter(parent=None).first()
    theme = section5.themes.first()
    assert overview["targets"] == {
        "strategy": 3,
        "sections": [(5, section5.title, 1)],
        "goals": [(5, goal.text, 2)],
        "themes": [(5, theme.question, 1)],
    }
    assert [(day, n) for day, n, _width in overview["per_day"]] == [
        (dt.date(2026, 3, 10), 3),
        (dt.date(2026, 3, 11), 2),
        (dt.date(2026, 3, 13), 2),
    ]
    assert [width for _day, _n, width in overview["per_day"]] == [100, 67, 67]
    assert overview["oldest_waiting"] == T0 + dt.timedelta(minutes=120)


def test_the_overview_page_shows_the_counts_and_the_oldest_waiting_response(
    client, moderator, overview_hearing, hearing
):
    client.force_login(moderator)
    with time_machine.travel(dt.datetime(2026, 3, 14, 11, 15, tzinfo=CPH), tick=False):
        html = client.get(reverse("moderation:overview", args=[hearing.pk])).content.decode()
    compact = re.sub(r">\s+<", "><", html)
    for label, n in [("Afventer moderation", 2), ("Offentliggjort", 2), ("Afvist", 1), ("Skjult", 1),
                     ("Trukket tilbage", 1), ("Privatperson", 4), ("Forening/organisation", 2),
                     ("Virksomhed", 1), ("Hele strategien", 3)]:  # fmt: skip
        assert f"<tr><td>{label}</td><td>{n}</td></tr>" in compact, label
    assert "<tr><td><strong>I alt</strong></td><td><strong>7</strong></td></tr>" in compact
    assert (
        "Det ældste svar, der venter på moderation, kom 10. marts 2026 kl. 11.15 (4\xa0dage siden)." in html
    )
    assert "<tr><td>10. mar 2026</td><td>3</td></tr>" in compact
    assert "<tr><td>11. mar 2026</td><td>2</td></tr>" in compact
    assert "<tr><td>13. mar 2026</td><td>2</td></tr>" in compact
    assert f'href="/personale/moderation/?tab=all&amp;hearing={hearing.pk}"' in html


def test_the_overview_of_a_hearing_without_waiting_responses(client, moderator, hearing):
    client.force_login(moderator)
    html = client.get(reverse("moderation:overview", args=[hearing.pk])).content.decode()
    assert "Ingen svar venter på moderation." in html
    assert "Ingen svar endnu." in html


def test_the_staff_home_counts_each_hearing_and_links_to_its_waiting_responses(
    client, moderator, overview_hearing, hearing, billund_hearing
):
    client.force_login(moderator)
    html = re.sub(r">\s+<", "><", client.get(reverse("moderation:home")).content.decode())
    assert (
        f'<a href="/personale/moderation/?tab=pending&amp;hearing={hearing.pk}">2</a></td><td>2</td><td>7</td>'
        in (html)
    )
    assert billund_hearing.title not in html


# --- Ids that are not ASCII digits ---------------------------------------------------------------------


@pytest.mark.parametrize("where", ["queue hearing", "queue section", "bulk publish", "public target"])
def test_ids_with_non_ascii_digits_are_ignored_not_a_server_error(client, moderator, hearing, where):
    add(hearing, "published")
    client.raise_request_exception = False
    client.force_login(moderator)
    if where == "queue hearing":
        result = client.get(reverse("moderation:queue"), {"hearing": "²"})
    elif where == "queue section":
        result = client.get(reverse("moderation:queue"), {"section": "²"})
    elif where == "bulk publish":
        result = client.post(reverse("moderation:bulk_publish"), {"response": ["²"]})
    else:
        result = client.get(hearing.get_absolute_url(), {"target": "goal-²"})
    assert result.status_code in (200, 302)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("²", None), ("٣", None), ("-1", None), ("0", None), (" 7", None), ("", None), (None, None),
     ("9" * 30, None)],
)  # fmt: skip
def test_parse_id_takes_only_ascii_digits_in_range(value, expected):
    assert parse_id(value) == expected


def test_a_target_key_with_non_ascii_digits_is_refused_in_danish(hearing):
    with pytest.raises(ValidationError) as refused:
        services.resolve_target(hearing=hearing, key="goal-²")
    assert refused.value.messages == ["Vælg hvad dit høringssvar handler om."]
