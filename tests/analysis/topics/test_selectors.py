"""What the Analyse hub and a topic page read: the progress by the "behandlet" rule, topics in the
strategy's order, the campaigns' counts, and a number of queries that does not grow with the hearing."""

import pytest

from analysis import selectors
from analysis.models import Campaign, Neighbour, Signature, Suggestion
from hearings.models import Response
from strategies.models import Goal
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.moderation.factories import RemarkFactory
from tests.strategies.factories import GoalFactory, SectionFactory, StrategyFactory, ThemeFactory


def fill(hearing, n, start=0, **kwargs):
    responses = ResponseFactory.build_batch(n, hearing=hearing, **kwargs)
    for i, response in enumerate(responses, start=start + 1):
        response.number = i
        response.author.save()
    Response.objects.bulk_create(responses)
    return list(hearing.responses.order_by("number"))


def campaign_of(hearing, members):
    campaign = Campaign.objects.create(hearing=hearing, representative=members[0])
    for response in members:
        Signature.objects.create(
            response=response, hearing=hearing, text_hash="x", shingles=b"", words=b"", campaign=campaign
        )
    return campaign


def test_progress_counts_responses_in_a_topic_or_with_a_remark_and_leaves_out_withdrawn_ones(open_hearing):
    r = fill(open_hearing, 6)
    Response.objects.filter(pk=r[5].pk).update(status="withdrawn")
    topic = TopicFactory(hearing=open_hearing)
    TopicResponseFactory(topic=topic, response=r[0])
    TopicResponseFactory(topic=TopicFactory(hearing=open_hearing), response=r[0])
    TopicResponseFactory(topic=topic, response=r[5])  # withdrawn: not counted
    RemarkFactory(response=r[1])
    RemarkFactory(response=r[5])
    overview = selectors.analysis_overview(hearing=open_hearing)
    assert overview["progress"] == {"total": 5, "processed": 2, "without_topic": 4, "percent": 40}
    assert [x.number for x in overview["unassigned"]] == [2, 3, 4, 5]
    assert [t.response_count for t in overview["topics"]] == [1, 1]


def test_topics_follow_the_strategys_parts_and_those_without_a_part_come_last(db):
    strategy = StrategyFactory()
    s1, s2 = SectionFactory(strategy=strategy, number=1), SectionFactory(strategy=strategy, number=2)
    goal1, goal2 = GoalFactory(section=s1, position=1), GoalFactory(section=s1, position=2)
    sub_goal = GoalFactory(section=s1, parent=goal1, position=1)
    theme = ThemeFactory(section=s1, position=1)
    hearing = HearingFactory(strategy=strategy)
    for title, target in [
        ("Uden del", {}),
        ("Del 2", {"target_section": s2}),
        ("Tema", {"target_theme": theme}),
        ("Andet mål", {"target_goal": goal2}),
        ("Undermål", {"target_goal": sub_goal}),
        ("Første mål", {"target_goal": goal1}),
        ("Del 1", {"target_section": s1}),
        ("Del 1, senere", {"target_section": s1}),
    ]:
        TopicFactory(hearing=hearing, title=title, **target)
    topics = selectors.analysis_overview(hearing=hearing)["topics"]
    assert [t.title for t in topics] == [
        "Del 1", "Del 1, senere", "Første mål", "Undermål", "Andet mål", "Tema", "Del 2", "Uden del",
    ]  # fmt: skip
    assert topics[-1].part == ""
    assert topics[0].part == f"{s1.label}: {s1.title}"


def test_campaign_counts_and_distinct_texts(open_hearing):
    r = fill(open_hearing, 10)
    campaign_of(open_hearing, r[0:4])
    campaign_of(open_hearing, r[4:6])
    Response.objects.filter(pk=r[9].pk).update(status="withdrawn")
    Suggestion.objects.create(hearing=open_hearing, label="skov, træer")
    Suggestion.objects.create(hearing=open_hearing, label="afvist", status=Suggestion.Status.DISMISSED)
    overview = selectors.analysis_overview(hearing=open_hearing)
    assert overview["campaigns"] == {"count": 2, "responses": 6, "distinct_texts": 9 - 6 + 2}
    assert overview["open_suggestions"] == 1


def build(hearing, n):
    """``n`` responses, a topic per ten of them with their links, campaigns and remarks."""
    r = fill(hearing, n)
    for i in range(0, n, 10):
        topic = TopicFactory(
            hearing=hearing, title=f"Emne {i}", target_section=hearing.strategy.sections.first()
        )
        for response in r[i : i + 5]:
            TopicResponseFactory(topic=topic, response=response, quote="citat")
    campaign_of(hearing, r[-4:])
    RemarkFactory(response=r[-1])
    return r


@pytest.mark.parametrize("n", [10, 80])
def test_the_hub_reads_in_the_same_number_of_queries_whatever_the_size(
    open_hearing, n, django_assert_num_queries
):
    build(open_hearing, n)
    with django_assert_num_queries(5):
        overview = selectors.analysis_overview(hearing=open_hearing)
        topics = [(t.title, t.part, t.response_count) for t in overview["topics"]]
        rows = [(x.number, x.text) for x in overview["unassigned"]]
    assert len(topics) == n // 10 and all(count == 5 for _t, _p, count in topics)
    assert topics[0][1].startswith("Delvision 1: ")
    assert rows


@pytest.mark.parametrize("n", [10, 80])
def test_a_topic_page_reads_in_the_same_number_of_queries_whatever_the_size(
    open_hearing, n, django_assert_num_queries
):
    r = fill(open_hearing, n)
    goal = Goal.objects.filter(section__strategy=open_hearing.strategy).first()
    topic = TopicFactory(hearing=open_hearing, target_goal=goal)
    for response in r:
        TopicResponseFactory(topic=topic, response=response, quote=f"citat {response.number}")
    with django_assert_num_queries(4):
        page = selectors.topic_page(hearing=open_hearing, topic_id=topic.pk, page=1)
        rows = [(link.response.number, link.quote) for link in page["links"]]
        assert page["topic"].part.endswith(f" · {goal.text}")
    assert rows[0] == (1, "citat 1") and len(rows) == min(n, selectors.TOPIC_PAGE_SIZE)


def test_a_topic_of_another_hearing_is_a_404(open_hearing, vallensbaek):
    from django.http import Http404

    elsewhere = TopicFactory(hearing=HearingFactory(strategy=vallensbaek))
    with pytest.raises(Http404):
        selectors.topic_page(hearing=open_hearing, topic_id=elsewhere.pk)


def test_the_response_panel_shows_the_top_five_neighbours_and_the_campaign_size(open_hearing):
    r = fill(open_hearing, 9)
    for i, other in enumerate(r[1:8]):
        Neighbour.objects.create(response=r[0], other=other, similarity=0.5 + i / 100)
    Response.objects.filter(pk=r[7].pk).update(status="withdrawn")
    campaign = campaign_of(open_hearing, [r[0], r[1], r[8]])
    Response.objects.filter(pk=r[8].pk).update(status="withdrawn")
    panel = selectors.response_panel(response=open_hearing.responses.get(pk=r[0].pk))
    assert [n.other.number for n in panel.neighbours] == [7, 6, 5, 4, 3]
    assert (panel.campaign, panel.campaign_size) == (campaign, 2)
