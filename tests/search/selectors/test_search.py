"""The site-wide search: Danish stemming, only public content, ranking and paging, snippets that are
escaped, filters, and a query count that does not grow with the hits."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hearings.models import Response
from search import selectors as search
from strategies.models import Strategy
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.strategies.factories import (
    GoalFactory,
    MunicipalityFactory,
    SectionFactory,
    StrategyFactory,
    ThemeFactory,
)
from tests.textutil import MARKDOWN_MARKS, MARKDOWN_SOURCE

pytestmark = pytest.mark.django_db


def found(query, **filters):
    page = search.search(search.SearchFilter(query=query, **filters), page=1)
    return page


def titles(page):
    return [hit.title for hit in page.hits]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Vi bygger en ny skole i byen.", "skolerne"),
        ("Skolerne skal have flere lærere.", "skole"),
        ("Flere cykelstier langs vejene.", "cykelsti"),
        ("Kommunerne samarbejder om trafikken.", "kommune"),
        ("Borgerne bliver hørt.", "borger"),
    ],
)
def test_danish_stemming_finds_other_forms_of_a_word(text, query):
    strategy = StrategyFactory(title="Planstrategi")
    SectionFactory(strategy=strategy, number=3, title="Hverdagsliv", body=text)
    page = found(query)
    assert titles(page) == ["Tema 3: Hverdagsliv"]  # as the strategy names its parts
    assert "<mark>" in page.hits[0].snippet


def test_every_kind_is_found_with_a_link_to_its_page():
    municipality = MunicipalityFactory(name="Solby Kommune", slug="solby")
    strategy = StrategyFactory(municipality=municipality, slug="plan", title="Solby plan for havnen")
    section = SectionFactory(
        strategy=strategy, slug="havn", number=2, title="Havnen", body="Havnen skal leve."
    )
    GoalFactory(section=section, text="En levende havn for alle")
    ThemeFactory(section=section, question="Hvad skal der ske på havnen?")
    hearing = HearingFactory(strategy=strategy, title="Høring om havnen")
    ResponseFactory(hearing=hearing, number=4, text="Jeg elsker havnen.")
    hits = {hit.kind: hit for hit in found("havn", municipality_id=None).hits}
    assert set(hits) == set(search.ResultKind.values)
    assert hits["strategy"].url == "/kommuner/solby/plan/"
    assert hits["section"].url == "/kommuner/solby/plan/havn/"
    assert hits["goal"].url == "/kommuner/solby/plan/havn/#goals-heading"
    assert hits["theme"].url == "/kommuner/solby/plan/havn/#themes-heading"
    assert hits["hearing"].url == reverse("hearings:detail", kwargs={"pk": hearing.pk})
    assert hits["response"].url == reverse("hearings:response", kwargs={"pk": hearing.pk, "number": 4})
    assert hits["response"].title == "Høringssvar nr. 4: Høring om havnen"
    assert hits["section"].title == "Tema 2: Havnen"
    assert all(hit.municipality == "Solby Kommune" for hit in hits.values())


def test_a_title_match_ranks_above_a_match_in_the_body():
    strategy = StrategyFactory()
    SectionFactory(strategy=strategy, number=1, title="Andet", body="Lidt om biblioteker og meget andet.")
    SectionFactory(strategy=strategy, number=2, title="Bibliotekerne", body="Åbne hele dagen.")
    assert titles(found("bibliotek")) == ["Tema 2: Bibliotekerne", "Tema 1: Andet"]


def test_nothing_unpublished_is_ever_found():
    draft = StrategyFactory(title="Hemmelig zebrastrategi", status=Strategy.Status.DRAFT, intro="zebra")
    section = SectionFactory(strategy=draft, title="Zebraer", body="zebra")
    GoalFactory(section=section, text="Flere zebraer")
    ThemeFactory(section=section, question="Hvor skal zebraerne bo?")
    draft_hearing = HearingFactory(strategy=draft, title="Høring om zebraer")
    ResponseFactory(hearing=draft_hearing, text="Zebraer er gode.")

    public_hearing = HearingFactory(title="Offentlig høring")
    for number, status in enumerate(["pending", "rejected", "hidden", "withdrawn", "published"], start=1):
        ResponseFactory(hearing=public_hearing, number=number, status=status, text=f"Zebra nr. {number}")

    page = found("zebra")
    assert [(hit.kind, hit.title) for hit in page.hits] == [
        ("response", "Høringssvar nr. 5: Offentlig høring")
    ]
    assert page.paginator.count == 1
    for kind in search.ResultKind.values:
        assert found("zebra", kind=kind).paginator.count == (1 if kind == "response" else 0)


def test_nothing_unpublished_is_found_by_the_simple_search_either(monkeypatch):
    monkeypatch.setattr(search, "uses_full_text_search", lambda: False)
    test_nothing_unpublished_is_ever_found()


def test_the_demo_search_matches_substrings_and_marks_them(monkeypatch):
    monkeypatch.setattr(search, "uses_full_text_search", lambda: False)
    hearing = HearingFactory(title="Skolevej")
    ResponseFactory(hearing=hearing, number=1, text="Vi vil bygge <b>nye</b> skoler ved Skolevej.")
    page = found("skole", kind="response")
    assert titles(page) == ["Høringssvar nr. 1: Skolevej"]
    assert "<mark>skole</mark>r" in page.hits[0].snippet
    assert "&lt;b&gt;nye&lt;/b&gt;" in page.hits[0].snippet  # a citizen's text is text, tags and all


def assert_plain_snippet(snippet: str):
    """The snippet of MARKDOWN_SOURCE: its text as the page shows it, the term marked, the rest escaped."""
    # The heading's words, and the code span's text escaped once, with the words after it still found
    assert (
        "egentlig? Dette er en vigtig plan (&lt;script&gt; A &amp; B) om fremtiden for <mark>skolerne</mark>"
        in snippet
    )
    unmarked = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in unmarked
    for mark in MARKDOWN_MARKS:
        assert mark not in unmarked, mark


@pytest.mark.parametrize("full_text", [True, False], ids=["postgresql", "demo"])
def test_snippets_of_markdown_show_its_text_not_its_source(monkeypatch, full_text):
    monkeypatch.setattr(search, "uses_full_text_search", lambda: full_text)
    strategy = StrategyFactory(title="Planstrategi", intro=MARKDOWN_SOURCE)
    SectionFactory(strategy=strategy, number=1, title="Hverdagsliv", body=MARKDOWN_SOURCE)
    HearingFactory(strategy=strategy, title="Høring", intro=MARKDOWN_SOURCE)
    hits = {hit.kind: hit for hit in found("skolerne").hits}
    assert set(hits) == {"strategy", "section", "hearing"}
    for hit in hits.values():
        assert_plain_snippet(hit.snippet)


@pytest.mark.parametrize("full_text", [True, False], ids=["postgresql", "demo"])
def test_the_search_page_shows_a_hearing_intro_as_text(client, monkeypatch, full_text):
    monkeypatch.setattr(search, "uses_full_text_search", lambda: full_text)
    intro = "## Om **demoen**\n\n*Dette er en afsluttet demo-høring om [skolerne](https://example.dk).*"
    HearingFactory(title="Demo-høring", intro=intro)
    html = client.get(reverse("search"), {"q": "skolerne"}).content.decode()
    snippet = html.split('<p class="search-result-snippet">', 1)[1].split("</p>", 1)[0]
    assert "demoen Dette er en afsluttet demo-høring om <mark>skolerne</mark>" in snippet
    for mark in ("#", "*", "[", "](", "example.dk"):
        assert mark not in snippet, mark


def test_snippets_are_escaped_except_for_the_highlight():
    hearing = HearingFactory()
    ResponseFactory(
        hearing=hearing,
        text='<script>alert("x")</script> <img src=x onerror=alert(1)> Skolerne er for små. \x02',
    )
    snippet = found("skole").hits[0].snippet
    assert "<script" not in snippet and "<img" not in snippet
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")
    assert "&gt;" in snippet
    assert "<mark>Skolerne</mark>" in snippet
    assert "\x02" not in snippet and "\x03" not in snippet


def test_words_after_text_that_looks_like_a_tag_are_found_and_shown():
    """PostgreSQL's parser would read "<script>" as a tag and every word after it as blank."""
    ResponseFactory(text="Jeg skriver <script> uden slutmærke, og skolerne er for små.")
    ThemeFactory(question="Hvad med <vigtigt>?")
    [hit] = found("skole").hits
    assert "&lt;script&gt; uden slutmærke, og <mark>skolerne</mark>" in hit.snippet
    assert titles(found("vigtigt")) == ["Hvad med <vigtigt>?"]


def test_mark_highlights_keeps_marks_balanced():
    assert search.mark_highlights("a \x02<b>\x03 \x02c") == "a <mark>&lt;b&gt;</mark> c"


def test_filters_by_municipality_kind_and_hearing_state():
    now = timezone.now()
    north = MunicipalityFactory(name="Nordby Kommune", slug="nordby")
    south = MunicipalityFactory(name="Sydby Kommune", slug="sydby")
    north_strategy = StrategyFactory(municipality=north, title="Nordby strategi for natur")
    south_strategy = StrategyFactory(municipality=south, title="Sydby strategi for natur")
    open_hearing = HearingFactory(strategy=north_strategy, title="Høring om natur i Nordby")
    closed_hearing = HearingFactory(
        strategy=south_strategy, title="Høring om natur i Sydby",
        opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=2),
    )  # fmt: skip
    ResponseFactory(hearing=open_hearing, text="Mere natur tak.")
    ResponseFactory(hearing=closed_hearing, text="Natur er vigtigt.")

    assert found("natur").paginator.count == 6
    in_north = found("natur", municipality_id=north.pk)
    assert {hit.municipality for hit in in_north.hits} == {"Nordby Kommune"}
    assert in_north.paginator.count == 3
    assert set(titles(found("natur", kind="hearing"))) == {
        "Høring om natur i Nordby",
        "Høring om natur i Sydby",
    }
    open_hits = found("natur", state="open")
    assert {(hit.kind, hit.municipality) for hit in open_hits.hits} == {
        ("strategy", "Nordby Kommune"),
        ("hearing", "Nordby Kommune"),
        ("response", "Nordby Kommune"),
    }
    closed_hits = found("natur", state="closed", kind="response")
    assert [hit.context for hit in closed_hits.hits] == ["Høring om natur i Sydby"]
    assert found("natur", state="upcoming").paginator.count == 0


@pytest.fixture
def thirty_seven():
    hearing = HearingFactory(title="Høring om cykelstier")
    for number in range(1, 38):
        ResponseFactory(hearing=hearing, number=number, text=f"Cykelstien nummer {number} er for smal.")
    return hearing


def test_the_page_counts_and_pages_the_results(client, thirty_seven):
    page = client.get(reverse("search"), {"q": "cykelsti", "type": "response"})
    html = page.content.decode()
    assert "Viser resultat 1–10 af 37" in html
    assert html.count('class="search-result ') == 10
    assert "Vis flere resultater" in html
    assert 'href="?q=cykelsti&amp;type=response&amp;side=2#result-count"' in html

    last = client.get(reverse("search"), {"q": "cykelsti", "type": "response", "side": 4})
    html = last.content.decode()
    assert "Viser resultat 31–37 af 37" in html
    assert html.count('class="search-result ') == 7
    assert "Vis flere resultater" not in html
    assert '<ol class="search-result-list nobullet-list" id="result-list" start="31">' in html


def test_no_query_shows_the_form_and_no_results(client):
    html = client.get(reverse("search")).content.decode()
    assert 'name="q"' in html
    assert "Viser resultat" not in html
    assert 'id="result-count"' not in html


def test_no_hits_says_so(client, seed):
    html = client.get(reverse("search"), {"q": "xylofonorkester"}).content.decode()
    assert 'Der er ingen resultater for "xylofonorkester".' in html


def test_odd_input_is_harmless(client, seed):
    for query in ['"', "!!", "&", "skole & | !", "a" * 500, "og", "'; DROP TABLE x; --", "\x00"]:
        assert client.get(reverse("search"), {"q": query}).status_code == 200
    assert (
        client.get(reverse("search"), {"q": "skole", "kommune": "findes-ikke", "side": "x"}).status_code
        == 200
    )


def test_the_seed_strategies_are_found(client, seed):
    html = client.get(reverse("search"), {"q": "børnene"}).content.decode()
    assert "Vallensbæk Kommune" in html
    assert "<mark>" in html


@pytest.mark.parametrize("responses", [3, 25])
def test_query_count_does_not_grow_with_the_results(client, django_assert_num_queries, responses):
    hearing = HearingFactory(title="Høring om parker")
    SectionFactory(title="Parkerne", body="Parker og grønne områder.")
    for number in range(1, responses + 1):
        ResponseFactory(hearing=hearing, number=number, text="Parkerne skal være større.")
    # municipalities (filter), count, page, snippets
    with django_assert_num_queries(4):
        page = client.get(reverse("search"), {"q": "park"})
    assert page.status_code == 200
    html = page.content.decode()
    found = responses + 2  # and the section and the hearing
    assert f"Viser resultat 1–{min(found, 10)} af {found}" in html
    assert html.count('class="search-result ') == min(found, 10)
    assert ">Høring om parker</a>" in html and ">Høringssvar nr. 1: Høring om parker</a>" in html


def test_the_header_has_a_labelled_search_field(client, seed):
    html = client.get("/").content.decode()
    assert '<form action="/soeg/" method="get" role="search" class="header-search">' in html
    assert '<label class="form-label" for="header-search-input">Søg på portalen</label>' in html
    assert 'id="header-search-input" name="q"' in html


def test_response_statuses_cover_every_status():
    # If a status is added, decide whether search may find it (only "published" may).
    assert set(Response.Status.values) == {"pending", "published", "rejected", "hidden", "withdrawn"}


@pytest.mark.parametrize(
    ("model", "spec", "index"),
    [
        ("strategies.Strategy", "STRATEGY_SEARCH", "strategy_search_idx"),
        ("strategies.Section", "SECTION_SEARCH", "section_search_idx"),
        ("strategies.Goal", "GOAL_SEARCH", "goal_search_idx"),
        ("strategies.Theme", "THEME_SEARCH", "theme_search_idx"),
        ("hearings.Hearing", "HEARING_SEARCH", "hearing_search_idx"),
        ("hearings.Response", "RESPONSE_SEARCH", "response_search_idx"),
    ],
)
def test_each_kind_is_searched_through_its_gin_index(model, spec, index):
    """The search's expression is the index's expression (a plan that may not scan the table whole
    must use the index)."""
    from django.apps import apps
    from django.db import connection, transaction

    model = apps.get_model(model)
    queryset = model.objects.all()
    if model is Response:
        # Published responses are a partial index; give the planner enough of them that the status
        # index alone is no shortcut.
        queryset = model.objects.filter(status="published")
        hearing = HearingFactory()
        author = ResponseFactory(hearing=hearing, number=1).author
        Response.objects.bulk_create(
            Response(hearing=hearing, number=n, author=author, respondent_type="private", status="published",
                     text=f"Svar {n} om veje, stier og parkering i byen.")
            for n in range(2, 400)
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE hearings_response")
    matching = search._matching(queryset, getattr(search, spec), search.SearchFilter(query="skole"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = matching.explain()
    assert index in plan, plan
