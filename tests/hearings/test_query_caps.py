"""The pages that list responses cost a fixed number of queries: the hearing page and each of its "Vis
flere" pages (?side=N) at most 8 for a reader, the section page and its pages no more than today, with 5
responses or 500 (with attachments, remarks and hidden notices among them). test_lists.py checks the
first page of each; these check every kind of page, as the load benchmark (bench/load_hearing.py) reads
them."""

import pytest

from hearings.models import Remark, Response, ResponseAttachment
from tests.factories import VerifiedUserFactory
from tests.hearings.test_lists import count_queries, fill

MAX_QUERIES = {
    # hearing with its count, events, page, attachments, hidden notices, and the filter's sections,
    # goals, themes
    "hearing": 8,
    # strategy, its sections, the section, headline goals, their children, themes; the current hearing;
    # the form's sections, goals, themes; count, page, attachments, hidden notices. Above the 8 of the
    # hearing page: the section's own goals and themes are read twice (page and form) and the count is
    # a query of its own (issue 6).
    "section": 14,
}


def pages(url: str) -> dict[str, str]:
    """Page 1, a middle page and the last of 500 responses (20 a page)."""
    return {"first": url, "middle": url + "?side=12", "last": url + "?side=25"}


@pytest.fixture
def remarks_shown(open_hearing):
    open_hearing.show_remarks_while_open = True
    open_hearing.save(update_fields=["show_remarks_while_open"])
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
                response=r, file="attachments/x.pdf", original_name="bilag.pdf", kind="pdf", size=9
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
    few, html = count_queries(client, url)
    assert "af 5 høringssvar" in html

    grow_to_500(remarks_shown, section5)
    counts = {}
    for name, page_url in pages(url).items():
        counts[name], html = count_queries(client, page_url)
        assert "af 500 høringssvar" in html
    assert "Viser 481–500 af 500" in html and "Taget til efterretning." in html and "bilag.pdf" in html
    assert counts == {"first": few, "middle": few, "last": few}
    assert few <= MAX_QUERIES[page_name]


@pytest.mark.parametrize("page_name", ["hearing", "section"])
def test_a_signed_in_citizen_pays_a_fixed_number_of_queries_too(client, remarks_shown, section5, page_name):
    """Signed in, a page also reads the session, the user, the verified address and the follow: more
    queries, but no more with 500 responses than with 5."""
    client.force_login(VerifiedUserFactory())
    url = remarks_shown.get_absolute_url() if page_name == "hearing" else section5.get_absolute_url()
    fill(remarks_shown, 5, target_section=section5)
    few, _html = count_queries(client, url)
    grow_to_500(remarks_shown, section5)
    assert {name: count_queries(client, page_url)[0] for name, page_url in pages(url).items()} == {
        "first": few,
        "middle": few,
        "last": few,
    }
