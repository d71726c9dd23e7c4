"""The pages that list responses cost a fixed number of queries: the hearing page and each of its "Vis
flere" pages (?side=N), filtered or not, and the section page and its pages, at most 8 for a reader, with
5 responses or 500 (with attachments, remarks and hidden notices among them). These count a reader
whose list is not in the cache (hearings.response_cache), the dearest case; test_response_cache.py
counts the cached one. test_lists.py checks the first page of each; these check every kind of page, as
the load benchmark (bench/load_hearing.py) reads them."""

import pytest
from django.core.cache import cache

from hearings.models import Response, ResponseAttachment
from moderation.models import Remark
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.views.test_lists import count_queries, fill

QUERIES = {
    # the hearing, its events, the page with its hidden notices and the list's count, attachments, and
    # the filter's sections, goals, themes; the topics with the remarks shown (none here: no query for
    # their responses)
    "hearing": 8,
    # the strategy, its sections, their goals, their themes (the page's and the form's targets); the
    # current hearing; the page with its hidden notices and the list's count, attachments
    "section": 7,
}


def uncached_count(client, url):
    cache.clear()
    return count_queries(client, url)


def pages(url: str) -> dict[str, str]:
    """Page 1, a middle page and the last of 500 responses (20 a page), and a middle page filtered by
    respondent type (on the hearing page also by target: the section that all of them answer)."""
    return {
        "first": url,
        "middle": url + "?side=12",
        "last": url + "?side=25",
        "filtered": url + "?type=private&side=12",
    }


@pytest.fixture
def remarks_shown(open_hearing):
    open_hearing.remarks_as_written = True
    open_hearing.save(update_fields=["remarks_as_written"])
    return open_hearing


def grow_to_500(hearing, section):
    """495 more published responses to ``section``, some with attachments and remarks, and hidden ones
    between them (shown as notices, never counted)."""
    fill(hearing, 245, target_section=section)
    fill(hearing, 5, target_section=section, status="hidden")
    fill(hearing, 250, target_section=section)
    published = Response.objects.filter(hearing=hearing, status="published").order_by("number")
    ResponseAttachment.objects.bulk_create(
        [
            ResponseAttachment(
                response=r,
                file="attachments/x.pdf",
                original_name="bilag.pdf",
                kind="pdf",
                size=9,
                publication="public",
            )
            for r in published[::7]
        ]
    )
    Remark.objects.bulk_create(
        [Remark(response=r, text="Taget til efterretning.", recommendation="noted") for r in published[::3]]
    )


@pytest.mark.parametrize("page_name", ["hearing", "section"])
def test_a_reader_pays_the_same_few_queries_on_every_page_with_5_or_500_responses(
    client, remarks_shown, section5, page_name
):
    url = remarks_shown.get_absolute_url() if page_name == "hearing" else section5.get_absolute_url()
    fill(remarks_shown, 5, target_section=section5)
    few, html = uncached_count(client, url)
    assert "af 5 høringssvar" in html

    grow_to_500(remarks_shown, section5)
    all_pages = pages(url)
    if page_name == "hearing":
        all_pages["filtered"] += f"&target=section-{section5.pk}"
    counts = {}
    for name, page_url in all_pages.items():
        counts[name], html = uncached_count(client, page_url)
        assert "af 500 høringssvar" in html
    assert "Viser 221–240 af 500" in html  # the filtered page
    counts["last"], html = uncached_count(client, all_pages["last"])
    assert "Viser 481–500 af 500" in html and "Taget til efterretning." in html and "bilag.pdf" in html
    assert counts == {"first": few, "middle": few, "last": few, "filtered": few}
    assert few == QUERIES[page_name]


@pytest.mark.parametrize("page_name", ["hearing", "section"])
def test_a_signed_in_citizen_pays_a_fixed_number_of_queries_too(client, remarks_shown, section5, page_name):
    """Signed in, a page also reads the session, the user, the verified address and the follow: more
    queries, but no more with 500 responses than with 5."""
    client.force_login(VerifiedUserFactory())
    url = remarks_shown.get_absolute_url() if page_name == "hearing" else section5.get_absolute_url()
    fill(remarks_shown, 5, target_section=section5)
    few, _html = uncached_count(client, url)
    grow_to_500(remarks_shown, section5)
    assert {name: uncached_count(client, page_url)[0] for name, page_url in pages(url).items()} == {
        "first": few,
        "middle": few,
        "last": few,
        "filtered": few,
    }


def test_the_strategy_and_municipality_pages_of_an_open_hearing_pay_few_queries_too(
    client, open_hearing, section5
):
    """The strategy page: the strategy, its sections, the hearing. For a citizen who may respond, also
    what every signed-in page reads (the session, the user, their staff roles for the header), the
    verified address, and the sections' goals and themes for the form's targets. The municipality
    page: the municipality and its strategies."""
    fill(open_hearing, 5, target_section=section5)
    url = open_hearing.strategy.get_absolute_url()
    reader, html = uncached_count(client, url)
    assert "Log ind" in html and "Målsætning: " not in html
    municipality, _html = uncached_count(client, open_hearing.strategy.municipality.get_absolute_url())
    client.force_login(VerifiedUserFactory())
    citizen, html = uncached_count(client, url)
    assert 'name="target"' in html and "Målsætning: " in html
    assert (reader, citizen, municipality) == (3, 3 + 3 + 1 + 2, 2)
