"""Reading responses: 20 at a time, 'Vis flere' without JavaScript, filters, and a query count that does
not grow with the number of responses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearings import response_cache
from hearings.models import Response, ResponseAttachment
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import ResponseFactory


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def fill(hearing, n, **kwargs):
    """Add ``n`` responses numbered after the existing ones, in one insert."""
    start = hearing.last_response_number
    author = kwargs.pop("author", None) or VerifiedUserFactory()
    responses = ResponseFactory.build_batch(n, hearing=hearing, author=author, **kwargs)
    for number, response in enumerate(responses, start=start + 1):
        response.number = number
    Response.objects.bulk_create(responses)
    hearing.last_response_number = start + n
    hearing.save(update_fields=["last_response_number"])
    response_cache.bump([hearing.pk])  # bulk_create sends no signal
    return responses


@pytest.fixture
def lots(open_hearing, section5):
    """143 published responses: to the strategy, to sub-vision 5 and to one of its goals; plus ones that
    must never show."""
    goal = section5.goals.filter(parent=None).first()
    fill(open_hearing, 100)
    fill(
        open_hearing,
        30,
        target_section=section5,
        respondent_type="association",
        organisation_name="Grundejerforeningen",
    )
    fill(open_hearing, 13, target_goal=goal)
    for status in ("pending", "rejected", "hidden", "withdrawn"):
        fill(open_hearing, 1, status=status, text=f"Må aldrig vises: {status}")
    return open_hearing


def test_the_hearing_page_shows_20_of_the_total_and_vis_flere(client, lots):
    _queries, html = count_queries(client, lots.get_absolute_url())
    assert "Viser 1–20 af 143 høringssvar" in html
    assert html.count('class="response-item"') == 20
    assert 'href="?side=2#response-count"' in html
    assert "Må aldrig vises" not in html

    html = client.get(lots.get_absolute_url() + "?side=2").content.decode()
    assert "Viser 21–40 af 143 høringssvar" in html
    assert 'id="svar-21"' in html and 'id="svar-40"' in html
    last = client.get(lots.get_absolute_url() + "?side=8").content.decode()
    assert "Viser 141–143 af 143 høringssvar" in last
    assert "Vis flere" not in last


@pytest.mark.parametrize("side", ["8", "9", "999999999999", "9" * 40, "0", "-3"])
def test_a_page_past_the_last_or_below_the_first_is_the_last_with_the_hidden_after_it(client, lots, side):
    """As Django's Paginator.get_page answers; the hidden response numbered after the last published
    one has its notice on the last page."""
    html = client.get(lots.get_absolute_url() + f"?side={side}").content.decode()
    assert "Viser 141–143 af 143 høringssvar" in html
    assert html.count('class="response-item"') == 3 and "Vis flere" not in html
    assert html.count("response-hidden") == 1 and 'id="svar-146"' in html
    assert "Må aldrig vises" not in html


def test_a_list_with_only_hidden_responses_is_empty(client, open_hearing):
    fill(open_hearing, 2, status="hidden", text="Må aldrig vises")
    html = client.get(open_hearing.get_absolute_url()).content.decode()
    assert "Der er ingen offentliggjorte høringssvar her endnu." in html
    assert "response-hidden" not in html and "Må aldrig vises" not in html


def test_filters_by_respondent_type_and_target(client, lots, section5):
    html = client.get(lots.get_absolute_url() + "?type=association").content.decode()
    assert "Viser 1–20 af 30 høringssvar" in html
    assert "Grundejerforeningen" in html
    goal = section5.goals.filter(parent=None).first()
    html = client.get(lots.get_absolute_url() + f"?target=goal-{goal.pk}").content.decode()
    assert "Viser 1–13 af 13 høringssvar" in html
    html = client.get(lots.get_absolute_url() + "?target=strategy&type=association").content.decode()
    assert "Der er ingen offentliggjorte høringssvar her endnu." in html
    html = client.get(lots.get_absolute_url() + "?target=goal-x&type=<script>&side=abc").content.decode()
    assert "Viser 1–20 af 143 høringssvar" in html


def test_the_section_page_lists_responses_to_it_and_its_goals(client, lots, section5):
    html = client.get(section5.get_absolute_url()).content.decode()
    assert "Viser 1–20 af 43 høringssvar" in html
    other = lots.strategy.sections.get(number=1)
    assert (
        "Der er ingen offentliggjorte høringssvar her endnu."
        in client.get(other.get_absolute_url()).content.decode()
    )


def test_a_response_shows_number_name_type_date_target_text_with_line_breaks_and_attachments(
    client, open_hearing
):
    response = ResponseFactory(
        hearing=open_hearing, number=7, display_name="Anne Hansen", organisation_name="", postcode="2665",
        town="Vallensbæk", text="Første linje\nAnden linje", author__email="anne@example.dk",
    )  # fmt: skip
    ResponseAttachment.objects.create(response=response, file="attachments/x.pdf", original_name="bilag.pdf",
                                      kind="pdf", size=1234)  # fmt: skip
    html = client.get(open_hearing.get_absolute_url()).content.decode()
    assert "Høringssvar nr. 7" in html
    assert "Anne Hansen" in html and "2665 Vallensbæk" in html and "Privatperson" in html
    assert "Første linje<br>Anden linje" in html
    assert "bilag.pdf" in html
    assert "anne@example.dk" not in html  # never the e-mail


@pytest.mark.parametrize("url_name", ["hearing", "section"])
def test_query_counts_are_equal_with_5_and_500_responses(client, open_hearing, section5, url_name):
    url = open_hearing.get_absolute_url() if url_name == "hearing" else section5.get_absolute_url()
    fill(open_hearing, 5, target_section=section5)
    few, _ = count_queries(client, url)
    fill(open_hearing, 495, target_section=section5)
    many, html = count_queries(client, url)
    assert "af 500 høringssvar" in html
    assert few == many
    if url_name == "hearing":
        assert many <= 8


def test_vis_flere_works_without_javascript_on_the_section_page(client, lots, section5):
    html = client.get(section5.get_absolute_url() + "?side=3").content.decode()
    assert "Viser 41–43 af 43 høringssvar" in html


def test_a_published_response_has_its_own_page_and_others_do_not(client, lots):
    assert client.get(reverse("hearings:response", args=[lots.pk, 1])).status_code == 200
    hidden_number = lots.responses.get(status="hidden").number
    assert client.get(reverse("hearings:response", args=[lots.pk, hidden_number])).status_code == 404
