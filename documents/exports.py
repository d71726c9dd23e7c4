"""All responses of a hearing as a spreadsheet for the staff: XLSX (openpyxl) and CSV.

The export is for the administration's case work, so it holds every response whatever its status
(pending, published, rejected, hidden, withdrawn), with the status in its own column. Who may download it
is ``permissions.may_export_responses``.

Every text cell comes from citizens or staff, so a value that a spreadsheet would read as a formula is
neutralised in both formats (OWASP "CSV Injection"): it gets a leading single quote.

Both writers read the responses with one query however many there are and write them row by row
(openpyxl's write-only mode, the csv module), so 10,000 responses do not sit in memory as objects. The
analysis adds each response's topics and campaign (two queries more, for the whole hearing) and, in the
XLSX, a sheet of the topics (two more): a constant number of queries whatever the size."""

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import BinaryIO

from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analysis.models import TopicResponse
from hearings.models import Hearing, Response
from moderation.models import Remark
from portal.text import normalise_text

from .content import campaign_numbers, topics_in_order

# A spreadsheet starts a formula with these (tab and carriage return can hide one from the eye).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_MAX = 32_767  # characters; Excel's limit for one cell
CHUNK_SIZE = 2_000


# Leading whitespace and control characters, which a spreadsheet may skip before it sees the formula.
_LEADING_BLANKS = re.compile(r"[\s\x00-\x1f\x7f]*")


def neutralise(value: str) -> str:
    """``value`` with a leading ``'`` when a spreadsheet could take it as a formula: it starts with one of
    ``FORMULA_PREFIXES``, also after leading whitespace or control characters (" =1+1", "\\n@SUM(...)")."""
    leading = _LEADING_BLANKS.match(value)
    rest = value[leading.end() :] if leading else value
    if value.startswith(FORMULA_PREFIXES) or rest.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def column_headers() -> list[str]:
    return [
        _("Nr."),
        _("Modtaget"),
        _("Navn"),
        _("Organisation"),
        _("Udtaler sig som"),
        _("Handler om"),
        _("Høringssvar"),
        _("Status"),
        _("Administrationens bemærkning"),
        _("Indstilling"),
        _("Emner"),
        _("Kampagne"),
    ]


def topic_headers() -> list[str]:
    return [
        _("Emne"),
        _("Del af strategien"),
        _("Indstilling"),
        _("Antal høringssvar"),
        _("Høringssvar nr."),
        _("Resumé"),
        _("Administrationens bemærkning"),
        _("Ændring af forslaget"),
    ]


def export_responses(*, hearing: Hearing) -> QuerySet[Response]:
    """Every response of ``hearing`` (all statuses), by number, with what the rows show (and
    ``campaign_pk``, the pk of its campaign or None): one query."""
    return (
        Response.objects.filter(hearing=hearing)
        .annotate(campaign_pk=F("signature__campaign_id"))
        .select_related(
            "remark",
            "target_section__strategy",
            "target_goal__section__strategy",
            "target_theme__section__strategy",
        )
        .order_by("number")
    )


def target_text(response: Response) -> str:
    """What the response is about, as the staff read it: 'Hele strategien', 'Delvision 5: Et grønt
    Vallensbæk', 'Delvision 5, målsætning: …', 'Delvision 5, tema: …'."""
    if (goal := response.target_goal) is not None:
        return _("%(section)s, målsætning: %(text)s") % {"section": goal.section.label, "text": goal.text}
    if (theme := response.target_theme) is not None:
        return _("%(section)s, tema: %(question)s") % {
            "section": theme.section.label,
            "question": theme.question,
        }
    if response.target_section_id:
        return str(response.target_section)
    return _("Hele strategien")


def _topic_titles(hearing: Hearing) -> dict[int, list[str]]:
    """The titles of each response's topics (by the topics' position), by the response's pk: one query."""
    titles: dict[int, list[str]] = defaultdict(list)
    for response_id, title in (
        TopicResponse.objects.filter(topic__hearing=hearing)
        .order_by("topic__position", "topic_id")
        .values_list("response_id", "topic__title")
    ):
        titles[response_id].append(title)
    return titles


def rows(*, hearing: Hearing) -> Iterator[list]:
    """One list per response, in the order of ``column_headers()``: the number as an int, the time it was
    received as a local datetime, the campaign's number in the hearing as an int ("" for none),
    everything else as text (not yet neutralised). Three queries in all."""
    # The choices' labels translated once, not once per row (get_FOO_display() hashes lazy strings).
    types = {value: str(label) for value, label in Response.RespondentType.choices}
    statuses = {value: str(label) for value, label in Response.Status.choices}
    recommendations = {value: str(label) for value, label in Remark.Recommendation.choices}
    topics = _topic_titles(hearing)
    campaigns = campaign_numbers(hearing)
    for response in export_responses(hearing=hearing).iterator(chunk_size=CHUNK_SIZE):
        remark = Remark.of(response)
        yield [
            response.number,
            timezone.localtime(response.created_at),
            response.display_name,
            response.organisation_name,
            types.get(response.respondent_type, response.respondent_type),
            target_text(response),
            response.text,
            statuses.get(response.status, response.status),
            remark.text if remark else "",
            recommendations.get(remark.recommendation, remark.recommendation) if remark else "",
            "; ".join(topics.get(response.pk, [])),
            campaigns.get(response.campaign_pk, ""),  # type: ignore[attr-defined]
        ]


def topic_rows(*, hearing: Hearing) -> list[list]:
    """One list per topic, in the summary's order and the order of ``topic_headers()``: the number of its
    responses (of any status, as the export holds them all) as an int, everything else as text (not yet
    neutralised; the summary as its Markdown source). Two queries."""
    topics = topics_in_order(hearing)
    numbers: dict[int, list[int]] = defaultdict(list)
    for topic_id, number in (
        TopicResponse.objects.filter(topic__hearing=hearing)
        .order_by("response__number")
        .values_list("topic_id", "response__number")
    ):
        numbers[topic_id].append(number)
    return [
        [
            topic["title"],
            topic["part"] or _("Strategien som helhed"),
            topic["recommendation"],
            len(numbers[topic["id"]]),
            ", ".join(str(n) for n in numbers[topic["id"]]),
            topic["summary"],
            topic["remark"],
            topic["change"],
        ]
        for topic in topics
    ]


def file_name(hearing: Hearing, extension: str) -> str:
    """ASCII only, nothing from the hearing's title: safe in any Content-Disposition and file system."""
    return f"hoeringssvar-{hearing.pk}.{extension}"


# --- XLSX -------------------------------------------------------------------------------------------

COLUMN_WIDTHS = (6, 17, 24, 24, 20, 40, 80, 20, 60, 30, 40, 10)
TOPIC_COLUMN_WIDTHS = (40, 40, 30, 10, 30, 80, 60, 60)


def _xlsx_text(value: str) -> str:
    # The portal's text policy first (portal.text; openpyxl raises IllegalCharacterError on the control
    # characters XML 1.0 cannot hold, and U+FFFE or a lone surrogate would spoil the file), so that what
    # is left is what the formula guard looks at. CR becomes LF too, which is what XML makes of it anyway.
    value = neutralise(normalise_text(value))
    if len(value) > XLSX_CELL_MAX:
        value = value[: XLSX_CELL_MAX - 1] + "…"
    return value


def write_xlsx(*, hearing: Hearing, file: BinaryIO) -> None:
    """Write the workbook to ``file`` in openpyxl's write-only mode: rows go to a temporary file as they
    come instead of being kept as cell objects. Two sheets: "Høringssvar" (``column_headers()``) and
    "Emner" (``topic_headers()``). Five queries."""
    # openpyxl takes 0.1 s and 10 MiB to import, and only this download needs it: every process that loads
    # the URLconf (web, worker) would pay for it at start.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    with translation.override("da"):
        workbook = Workbook(write_only=True)
        bold = Font(bold=True)

        def add_sheet(title: str, widths: tuple[int, ...], headers: list[str]):
            sheet = workbook.create_sheet(title=title)
            for index, width in enumerate(widths, start=1):
                sheet.column_dimensions[get_column_letter(index)].width = width
            sheet.freeze_panes = "A2"
            header = []
            for text in headers:
                cell = WriteOnlyCell(sheet, value=_xlsx_text(text))
                cell.font = bold
                header.append(cell)
            sheet.append(header)
            return sheet

        sheet = add_sheet(_("Høringssvar"), COLUMN_WIDTHS, column_headers())
        for row in rows(hearing=hearing):
            cells = []
            for value in row:
                if isinstance(value, dt.datetime):
                    # Excel has no time zones: the local (Danish) time, as the staff read it.
                    cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
                    cell.number_format = "dd-mm-yyyy hh:mm"
                    cells.append(cell)
                else:
                    cells.append(_xlsx_text(value) if isinstance(value, str) else value)
            sheet.append(cells)
        topics = add_sheet(_("Emner"), TOPIC_COLUMN_WIDTHS, topic_headers())
        for row in topic_rows(hearing=hearing):
            topics.append([_xlsx_text(value) if isinstance(value, str) else value for value in row])
        workbook.save(file)


# --- CSV --------------------------------------------------------------------------------------------


def _csv_value(value) -> str | int:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    # The portal's text policy first (a lone surrogate cannot be written as UTF-8; a control character
    # is not text), then the formula guard looks at what is left.
    return neutralise(normalise_text(value)) if isinstance(value, str) else value


def write_excel_csv(file: BinaryIO, rows: Iterable[Iterable[str | int]]) -> None:
    """Write ``rows`` (the header row first; cells made safe by the caller, e.g. ``csv_value``) to ``file`` as
    CSV for a spreadsheet, leaving ``file`` open.

    UTF-8 with a byte order mark and ``;`` between the fields: that is what Excel with Danish regional
    settings expects when the file is opened with a double click (without the BOM it reads the bytes as
    Windows-1252 and garbles æ, ø and å; with a comma it puts each whole line in one column, since the
    comma is the Danish decimal separator). Lines end in CRLF (RFC 4180)."""
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows)
    text.flush()
    text.detach()  # leave ``file`` open for the caller


def write_csv(*, hearing: Hearing, file: BinaryIO) -> None:
    """Write the CSV of every response to ``file`` (``write_excel_csv``). Three queries."""
    with translation.override("da"):
        header = [_csv_value(h) for h in column_headers()]
        write_excel_csv(
            file, chain([header], ([_csv_value(value) for value in row] for row in rows(hearing=hearing)))
        )
