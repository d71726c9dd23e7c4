"""The API as HTTP: ETags and 304, CORS on /api/ only, the rate limit's 429 in Danish and English,
filters, and cursor pagination."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from tests.hearings.factories import add

pytestmark = pytest.mark.django_db


def test_an_answer_has_an_etag_and_if_none_match_gives_304_until_it_changes(client, w):
    add(w.closed, text="Første svar")
    first = client.get("/api/v1/responses/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get("/api/v1/responses/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    detail = client.get(f"/api/v1/hearings/{w.closed.pk}/")
    assert (
        client.get(f"/api/v1/hearings/{w.closed.pk}/", headers={"If-None-Match": detail["ETag"]}).status_code
        == 304
    )
    add(w.closed, text="Andet svar")
    changed = client.get("/api/v1/responses/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_open_data_files_have_etags_too(client, w):
    add(w.closed)
    url = f"/api/v1/hearings/{w.closed.pk}/open-data.csv"
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_cors_is_open_for_reading_the_api_and_only_the_api(client, w):
    answer = client.get("/api/v1/hearings/", headers={"Origin": "https://journalist.example"})
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in answer
    preflight = client.options(
        "/api/v1/responses/",
        headers={"Origin": "https://journalist.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    page = client.get(w.closed.get_absolute_url(), headers={"Origin": "https://journalist.example"})
    assert "Access-Control-Allow-Origin" not in page


def test_the_api_writes_nothing(client, w):
    for method in (client.post, client.put, client.patch, client.delete):
        assert method("/api/v1/hearings/", {}, content_type="application/json").status_code == 405
    assert client.post(f"/api/v1/hearings/{w.closed.pk}/open-data.json").status_code == 405


def test_a_client_over_the_rate_limit_gets_429_in_danish_and_english(client, w, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min", "open-data": "1/min"},
    }
    cache.clear()
    for _ in range(3):
        assert client.get("/api/v1/municipalities/").status_code == 200
    refused = client.get("/api/v1/hearings/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    detail = refused.json()["detail"]
    assert "For mange forespørgsler" in detail and "Too many requests" in detail
    # Per client: another IP is counted on its own.
    assert client.get("/api/v1/hearings/", REMOTE_ADDR="10.1.2.3").status_code == 200
    # The open-data files have a scope of their own.
    url = f"/api/v1/hearings/{w.closed.pk}/open-data.json"
    assert client.get(url, REMOTE_ADDR="10.9.9.9").status_code == 200
    assert client.get(url, REMOTE_ADDR="10.9.9.9").status_code == 429
    # A minute later the client may read again.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert client.get("/api/v1/hearings/").status_code == 200


def numbers(client, **query) -> list[int]:
    answer = client.get("/api/v1/responses/", {"hearing": query.pop("hearing"), **query})
    assert answer.status_code == 200, answer.content
    return [row["number"] for row in answer.json()["results"]]


def test_responses_are_filtered_by_hearing_type_target_and_date(client, w):
    now = timezone.now()
    private = add(w.closed, created_at=now - dt.timedelta(days=20))
    association = add(w.closed, respondent_type="association", organisation_name="Grønne Testrup",
                      target_section=w.section, created_at=now - dt.timedelta(days=10))  # fmt: skip
    to_goal = add(w.closed, target_goal=w.child_goal, created_at=now - dt.timedelta(days=5))
    to_theme = add(w.closed, target_theme=w.theme, created_at=now - dt.timedelta(days=5))
    add(w.open)
    everything = [private.number, association.number, to_goal.number, to_theme.number]
    assert numbers(client, hearing=w.closed.pk) == everything
    assert numbers(client, hearing=w.closed.pk, respondent_type="association") == [association.number]
    assert numbers(client, hearing=w.closed.pk, target="strategy") == [private.number]
    assert numbers(client, hearing=w.closed.pk, target=f"section-{w.section.pk}") == [association.number]
    assert numbers(client, hearing=w.closed.pk, target=f"goal-{w.child_goal.pk}") == [to_goal.number]
    assert numbers(client, hearing=w.closed.pk, target=f"theme-{w.theme.pk}") == [to_theme.number]
    local = timezone.localdate
    assert (
        numbers(client, hearing=w.closed.pk, date_from=local(now - dt.timedelta(days=10)).isoformat())
        == everything[1:]
    )
    assert (
        numbers(client, hearing=w.closed.pk, date_to=local(now - dt.timedelta(days=10)).isoformat())
        == everything[:2]
    )
    assert numbers(client, hearing=w.closed.pk, number=to_goal.number) == [to_goal.number]
    assert len(client.get("/api/v1/responses/").json()["results"]) == 5


@pytest.mark.parametrize(
    "query",
    [
        {"target": "goal-x"},
        {"target": "section-0"},
        {"respondent_type": "king"},
        {"date_from": "i går"},
        {"hearing": "én"},
    ],
)
def test_a_filter_value_it_does_not_know_is_a_400_in_danish(client, w, query):
    answer = client.get("/api/v1/responses/", query)
    assert answer.status_code == 400
    assert list(answer.json()) == list(query)


def test_hearings_are_filtered_by_state_strategy_and_municipality(client, w):
    def ids(**query):
        return {row["id"] for row in client.get("/api/v1/hearings/", query).json()["results"]}

    assert ids() == {w.closed.pk, w.open.pk}  # never the draft strategy's
    assert ids(state="closed") == {w.closed.pk}
    assert ids(state="open") == {w.open.pk}
    assert ids(state="upcoming") == set()
    assert ids(strategy=w.strategy.pk) == {w.closed.pk, w.open.pk}
    assert ids(municipality=w.strategy.municipality_id + 1000) == set()
    assert client.get("/api/v1/hearings/", {"state": "lukket"}).status_code == 400


def test_cursor_pagination_walks_every_row_once_and_ignores_new_rows_before_the_cursor(client, w):
    made = [add(w.closed).number for _ in range(5)]
    seen: list[int] = []
    url = f"/api/v1/responses/?hearing={w.closed.pk}&page_size=2"
    pages = 0
    while url:
        page = client.get(url).json()
        assert "count" not in page  # no COUNT query: a cursor
        seen += [row["number"] for row in page["results"]]
        url = page["next"]
        pages += 1
        if pages == 1:
            made.append(add(w.closed).number)  # arrives while a client pages: it comes last, once
    assert seen == made and pages == 3
    assert client.get("/api/v1/responses/", {"cursor": "not-a-cursor"}).status_code == 404
    assert len(client.get("/api/v1/responses/", {"page_size": 10_000}).json()["results"]) == 6  # at most 200


@pytest.mark.parametrize(
    "query",
    [
        "hearing=99999999999999999999999", "hearing=1.5", "hearing=1e3", "hearing=-1", "hearing=%00",
        "number=99999999999999999999", "target=goal-99999999999999999999", "target=%00", "respondent_type=%00",
        "date_from=9999-99-99", "date_to=%00", "page_size=-5", "page_size=abc", "cursor=%00", "hearing=1&hearing=2",
    ],
)  # fmt: skip
def test_odd_query_parameters_are_a_400_or_a_404_never_a_500(client, w, query):
    client.raise_request_exception = False
    for name in ("responses", "topics", "hearings", "documents", "strategies"):
        assert client.get(f"/api/v1/{name}/?{query}").status_code in (200, 400, 404)


@pytest.mark.parametrize("pk", ["99999999999999999999999", "abc", "0", "-1", "1.5"])
def test_an_odd_id_is_a_404(client, w, pk):
    client.raise_request_exception = False
    for name in ("responses", "topics", "hearings", "documents", "strategies", "municipalities"):
        assert client.get(f"/api/v1/{name}/{pk}/").status_code == 404
    assert client.get(f"/api/v1/hearings/{pk}/open-data.csv").status_code == 404
