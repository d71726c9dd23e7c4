"""The exports with the analysis (issue 14, item 6): each response's topics ("Emner") and campaign
("Kampagne", the campaign's number in the hearing), and in the XLSX a sheet of the topics, in a constant
number of queries; every new cell under the same formula guard."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analysis.models import Campaign, Signature, Topic
from documents import exports
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.documents.views.test_exports import DANGEROUS, body, download, read_csv, url
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.textutil import write_raw

TOPIC_HEADERS = [
    "Emne",
    "Del af strategien",
    "Indstilling",
    "Antal høringssvar",
    "Høringssvar nr.",
    "Resumé",
    "Administrationens bemærkning",
    "Ændring af forslaget",
]


def in_campaign(campaign, *responses):
    for response in responses:
        Signature.objects.create(response=response, hearing=campaign.hearing, text_hash="x" * 64, shingles=b"",
                                 words=b"", campaign=campaign)  # fmt: skip


def analysed(hearing, world, responses: int) -> None:
    """``responses`` responses (some hidden or pending), two campaigns and three topics."""
    made = [
        ResponseFactory(hearing=hearing, number=n, status=("published", "hidden", "pending")[n % 3])
        for n in range(1, responses + 1)
    ]
    Campaign.objects.create(hearing=HearingFactory(strategy=hearing.strategy))  # another hearing's
    first, second = Campaign.objects.create(hearing=hearing), Campaign.objects.create(hearing=hearing)
    in_campaign(second, *made[0:2])
    in_campaign(first, *made[2:4])
    Signature.objects.create(response=made[4], hearing=hearing, text_hash="y" * 64, shingles=b"", words=b"")
    goal = TopicFactory(hearing=hearing, title="Træerne", position=2, target_goal=world["goal"],
                        recommendation=Topic.Recommendation.CHANGE, summary="Flere **træer**.",
                        remark="Vi planter flere.", change="Målet nævner egetræer.")  # fmt: skip
    whole = TopicFactory(hearing=hearing, title="Helheden", position=1, summary="", remark="")
    section = TopicFactory(hearing=hearing, title="Stierne", position=3, target_section=world["section"],
                           recommendation=Topic.Recommendation.NO_CHANGE)  # fmt: skip
    for response in made[::2]:
        TopicResponseFactory(topic=goal, response=response)
    TopicResponseFactory(topic=whole, response=made[0])
    TopicResponseFactory(topic=section, response=made[-1])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_response_has_its_topics_and_campaign(client, world, fmt):
    hearing = world["v_hearing"]
    analysed(hearing, world, 6)
    rows = download(client, world["users"]["v_moderator"], fmt, hearing)
    assert rows[0][-2:] == ["Emner", "Kampagne"]
    # Topics by their position; the campaigns numbered by creation within the hearing (1 is the first).
    expected = [["Helheden; Træerne", 2], ["", 2], ["Træerne", 1], ["", 1], ["Træerne", ""], ["Stierne", ""]]
    if fmt == "csv":
        expected = [[topics, str(number)] for topics, number in expected]
    else:
        expected = [[topics or None, number if number != "" else None] for topics, number in expected]
    assert [row[-2:] for row in rows[1:]] == expected


def test_the_workbook_has_a_sheet_of_topics_in_the_strategys_order(client, world):
    hearing = world["v_hearing"]
    analysed(hearing, world, 6)
    client.force_login(world["users"]["v_editor"])
    workbook = openpyxl.load_workbook(io.BytesIO(body(client.get(url("xlsx", hearing)))))
    assert workbook.sheetnames == ["Høringssvar", "Emner"]
    sheet = workbook["Emner"]
    assert sheet.freeze_panes == "A2" and all(cell.font.bold for cell in sheet[1])
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        TOPIC_HEADERS,
        ["Stierne", "Delvision 5: Et grønt Vallensbæk", "Giver ikke anledning til ændringer", 1, "6",
         "Flere høringssvar ønsker sikre skoleveje.", None, None],
        ["Træerne", "Delvision 5, målsætning: Flere træer langs Vallensbæk Torvevej", "Forslaget ændres", 3,
         "1, 3, 5", "Flere **træer**.", "Vi planter flere.", "Målet nævner egetræer."],
        ["Helheden", "Strategien som helhed", None, 1, "1", None, None, None],
    ]  # fmt: skip


@pytest.mark.parametrize("value", DANGEROUS[:4] + DANGEROUS[-1:], ids=repr)
def test_topic_cells_get_the_formula_guard(client, world, value):
    hearing = world["v_hearing"]
    response = ResponseFactory(hearing=hearing, number=1)
    topic = TopicFactory(hearing=hearing, title="x")
    write_raw(topic, title=value, summary=value, remark=value, change=value)
    TopicResponseFactory(topic=topic, response=response)
    expected = "'" + exports.normalise_text(value)
    assert download(client, world["users"]["v_moderator"], "csv", hearing)[1][-2] == expected
    client.force_login(world["users"]["v_moderator"])
    workbook = openpyxl.load_workbook(io.BytesIO(body(client.get(url("xlsx", hearing)))))
    assert workbook["Høringssvar"]["K2"].value == expected
    row = list(next(workbook["Emner"].iter_rows(min_row=2)))
    assert [row[0].value, row[5].value, row[6].value, row[7].value] == [expected] * 4
    assert "f" not in {cell.data_type for cell in row}  # no formula


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_queries_do_not_grow_with_the_responses_topics_or_campaigns(
    client, world, fmt, django_assert_num_queries
):
    few, many = world["v_hearing"], HearingFactory(strategy=world["v_hearing"].strategy)
    analysed(few, world, 6)
    analysed(many, world, 30)
    for n in range(10):
        TopicResponseFactory(
            topic=TopicFactory(hearing=many, position=10 + n), response=many.responses.first()
        )
    client.force_login(world["users"]["v_moderator"])
    with CaptureQueriesContext(connection) as baseline:
        assert client.get(url(fmt, few)).status_code == 200
    with django_assert_num_queries(len(baseline)):
        response = client.get(url(fmt, many))
    content = body(response)
    if fmt == "csv":
        assert len(read_csv(content)) == 31
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        assert workbook["Høringssvar"].max_row == 31 and workbook["Emner"].max_row == 14
