"""Every list endpoint reads the same number of queries for 2 rows as for 20 (the rows carry everything
their output needs: no query per row)."""

import datetime as dt

import pytest
from django.utils import timezone

from documents.models import RenderedDocument
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.documents.factories import RenderedDocumentFactory
from tests.guard.attachment_factories import attach
from tests.hearings.factories import HearingFactory, add
from tests.moderation.factories import RemarkFactory
from tests.strategies.factories import (
    GoalFactory,
    MunicipalityFactory,
    SectionFactory,
    StrategyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def closed_hearing(strategy):
    now = timezone.now()
    return HearingFactory(
        strategy=strategy,
        opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=1),
        remarks_released_at=now,
    )


def municipalities(w, n):
    MunicipalityFactory.create_batch(n - 1)  # and the world's own


def strategies(w, n):
    for _ in range(n - 1):  # and the world's own
        section = SectionFactory(strategy=StrategyFactory(municipality=w.strategy.municipality))
        goal = GoalFactory(section=section)
        GoalFactory(section=section, parent=goal)
        ThemeFactory(section=section)


def hearings(w, n):
    for _ in range(n - 2):  # and the world's two public ones
        closed_hearing(w.strategy)


def responses(w, n):
    for i in range(n):
        hearing = closed_hearing(w.strategy) if i % 2 else w.closed  # several hearings
        target = {"target_goal": w.child_goal} if i % 3 == 0 else {"target_section": w.section}
        response = add(hearing, postcode="2665", town="Vallensbæk Strand", **target)
        attach(response, name=f"plan-{i}.pdf")
        attach(response, name=f"held-{i}.pdf", publication="held")
        RemarkFactory(response=response)
        TopicResponseFactory(topic=TopicFactory(hearing=hearing, target_theme=w.theme), response=response)


def topics(w, n):
    for i in range(n):
        hearing = closed_hearing(w.strategy) if i % 2 else w.closed
        topic = TopicFactory(hearing=hearing, target_goal=w.goal if i % 2 else None)
        TopicResponseFactory(topic=topic, response=add(hearing))


def documents(w, n):
    for i in range(n):
        hearing = closed_hearing(w.strategy)
        RenderedDocumentFactory(
            hearing=hearing, kind=RenderedDocument.Kind.PROPOSAL, status=RenderedDocument.Status.DONE,
            file=f"documents/{hearing.pk}/proposal-{i}.pdf", finished_at=timezone.now(),
        )  # fmt: skip


# endpoint: (build n rows, queries of one page whatever its length)
LISTS = {
    "municipalities": (municipalities, 1),
    "strategies": (strategies, 4),  # strategies; sections; goals; themes
    "hearings": (hearings, 1),
    "responses": (responses, 3),  # responses with hearing, target, remark; public attachments; topics
    "topics": (topics, 1),
    "documents": (documents, 1),
}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("rows", [2, 20])
def test_a_list_reads_the_same_queries_for_2_and_for_20_rows(
    client, w, django_assert_num_queries, name, rows
):
    build, queries = LISTS[name]
    build(w, rows)
    with django_assert_num_queries(queries):
        answer = client.get(f"/api/v1/{name}/", {"page_size": 50})
    assert answer.status_code == 200
    assert len(answer.json()["results"]) == rows


def test_the_open_data_files_read_the_same_queries_for_2_and_for_20_responses(
    client, w, django_assert_num_queries
):
    for count in (2, 20):
        hearing = closed_hearing(w.strategy)
        for _ in range(count):
            response = add(hearing)
            attach(response)
            RemarkFactory(response=response)
        for kind in ("json", "csv"):
            with django_assert_num_queries(4):  # the hearing; then the responses' three
                assert client.get(f"/api/v1/hearings/{hearing.pk}/open-data.{kind}").status_code == 200
