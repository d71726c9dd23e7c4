"""Long words in the PDFs: every text that citizens, staff and editors write stays inside the text area
of every page of the hearing summary and the hearing proposal, in each of their layouts (cover, contents
with leaders, the one-column body, the remark's bar, the grey theme box, Markdown tables and code,
the statistics' charts, the appendix's two columns, the running head and foot).

Measured by the box that pdftotext gives every word (``-bbox``), and every planted word must be in the
text (broken over lines, but whole), so that nothing passes by being cut off or left out.
"""

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from documents import services as doc_services
from hearings.models import ResponseAttachment
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.moderation.factories import RemarkFactory
from tests.strategies.factories import (
    GoalFactory,
    MunicipalityFactory,
    SectionFactory,
    StrategyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
LEFT_MARGIN = RIGHT_MARGIN = 20 * MM  # static/css/print.css: @page margin
TOLERANCE = 0.5  # pt: pdftotext rounds the boxes

PIECES = (
    "kommune", "plan", "strategi", "udviklings", "projekt", "ledelses", "ansvars", "fordelings", "spørgsmåls",
    "besvarelses", "frist", "forlængelses", "ansøgnings", "behandlings", "procedure", "beskrivelses",
    "dokument", "arkiverings", "system", "vedligeholdelses", "aftale",
)  # fmt: skip


def compound(stem: str, length: int = 141) -> str:
    """A Danish compound word of ``length`` letters that begins with ``stem`` (as Danish makes them)."""
    word = stem
    while len(word) < length:
        word += PIECES[len(word) % len(PIECES)]
    return word[:length]


def world() -> dict[str, str]:
    """A small hearing with a long word in every field that reaches a PDF; the planted words by field."""
    words = {
        "municipality": compound("Kommunenavn", 95),
        "strategy title": compound("Strategititel", 190),
        "subtitle": compound("Vision", 290),
        "strategy body": compound("Brødtekst"),
        "strategy table": compound("Tabelcelle", 90),
        "strategy code": compound("Kodelinje"),
        "closing": compound("Afslutning"),
        "label": compound("Delbetegnelse", 45),
        "section title": compound("Deltitel", 190),
        "tagline": compound("Slogan", 190),
        "section intro": compound("Delindledning"),
        "section body": compound("Delbrødtekst"),
        "goals intro": compound("Målindledning"),
        "themes intro": compound("Temaindledning"),
        "goal": compound("Målsætning"),
        "child goal": compound("Delmål"),
        "theme": compound("Temaspørgsmål", 290),
        "sub-question": compound("Underspørgsmål"),
        "hearing title": compound("Høringstitel", 190),
        "contact name": compound("Kontaktperson", 190),
        "contact title": compound("Kontakttitel", 190),
        "contact email": compound("kontaktmail", 120) + "@" + compound("kommune", 60) + ".dk",
        "address": compound("Adresse", 190),
        "city": compound("By", 95),
        "response": compound("Høringssvar"),
        "url": "https://www.example.dk/" + "/".join(compound(s, 40) for s in ("sti", "side", "bilag")),
        "email": compound("borger", 60) + "@" + compound("forening", 60) + ".dk",
        "name": compound("Navn", 190),
        "organisation": compound("Organisation", 151),
        "attachment": compound("Bilagsnavn", 190) + ".pdf",
        "remark": compound("Bemærkning"),
        "section response": compound("Delsvar"),
    }
    municipality = MunicipalityFactory(
        name=words["municipality"], address=words["address"], city=words["city"]
    )
    strategy = StrategyFactory(
        municipality=municipality, title=words["strategy title"], subtitle=words["subtitle"],
        section_label_singular=words["label"], closing=words["closing"],
        body=f"{words['strategy body']} <{words['url']}>\n\n| Kolonne | Anden |\n|---|---|\n"
        f"| {words['strategy table']} | {words['strategy table']} |\n\n    {words['strategy code']}\n",
    )  # fmt: skip
    section = SectionFactory(
        strategy=strategy, title=words["section title"], tagline=words["tagline"], intro=words["section intro"],
        body=words["section body"], goals_intro=words["goals intro"], themes_intro=words["themes intro"],
    )  # fmt: skip
    goal = GoalFactory(section=section, text=words["goal"])
    child = GoalFactory(section=section, parent=goal, text=words["child goal"])
    theme = ThemeFactory(section=section, question=words["theme"], sub_questions=words["sub-question"])
    hearing = HearingFactory(
        strategy=strategy, title=words["hearing title"], contact_name=words["contact name"],
        contact_title=words["contact title"], contact_email=words["contact email"],
    )  # fmt: skip
    first = ResponseFactory(
        hearing=hearing, number=1, respondent_type="association", display_name=words["name"],
        organisation_name=words["organisation"],
        text=f"{words['response']} {words['url']} {words['email']}\n\nKort linje.",
    )  # fmt: skip
    ResponseAttachment.objects.create(response=first, original_name=words["attachment"], kind="pdf", size=10,
                                      file="attachments/bilag.pdf")  # fmt: skip
    RemarkFactory(response=first, text=words["remark"], recommendation="noted")
    ResponseFactory(hearing=hearing, number=2, target_section=section, text=words["section response"])
    ResponseFactory(hearing=hearing, number=3, target_goal=goal, text="Om målet.")
    ResponseFactory(hearing=hearing, number=4, target_goal=child, text="Om delmålet.")
    ResponseFactory(hearing=hearing, number=5, target_theme=theme, text="Om temaet.")
    hearing.last_response_number = 5
    hearing.save()
    return hearing, words


# What each document prints of the fields.
PRINTED = {
    "summary": [
        "municipality", "strategy title", "subtitle", "section title", "goal", "child goal", "theme",
        "hearing title", "response", "url", "email", "name", "organisation", "attachment", "remark",
        "section response",
    ],
    "proposal": [
        "municipality", "strategy title", "subtitle", "strategy body", "strategy table", "strategy code",
        "closing", "label", "section title", "tagline", "section intro", "section body", "goals intro",
        "themes intro", "goal", "child goal", "theme", "sub-question", "hearing title", "contact name",
        "contact title", "contact email", "address", "city", "url",
    ],
}  # fmt: skip
# Addresses are broken without a hyphen, which would change them.
ADDRESSES = {"summary": ["url", "email"], "proposal": ["url", "contact email"]}


def word_boxes(path) -> list[tuple[int, float, float, float, float, str]]:
    """Every word of the PDF as (page number, page width, xMin, xMax, yMax, text) in pt, from
    ``pdftotext -bbox``."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = ET.fromstring(xhtml.stdout).iterfind(".//h:page", ns)
    return [
        (
            number,
            float(page.get("width")),
            *(float(word.get(x)) for x in ("xMin", "xMax", "yMax")),
            word.text or "",
        )
        for number, page in enumerate(pages, start=1)
        for word in page.iterfind("h:word", ns)
    ]


def squashed(text: str) -> str:
    """The text without the breaks that wrapping may add: white space and hyphens."""
    return re.sub(r"[\s\-\u2010\u00ad]", "", text)


@pytest.mark.parametrize("kind", ["summary", "proposal"])
def test_long_words_stay_inside_the_text_area_of_every_page(kind, django_capture_on_commit_callbacks):
    hearing, words = world()
    with django_capture_on_commit_callbacks(execute=True):
        document = doc_services.request_document(hearing=hearing, kind=kind)
    document.refresh_from_db()
    assert document.status == "done", document.error

    boxes = word_boxes(document.file.path)
    assert len({page for page, *_rest in boxes}) == document.page_count
    outside = [
        (page, round(x_min), round(x_max), text[:30])
        for page, width, x_min, x_max, _y_max, text in boxes
        if x_min < LEFT_MARGIN - TOLERANCE or x_max > width - RIGHT_MARGIN + TOLERANCE
    ]
    assert outside == [], "\n".join(map(str, outside))
    text = " ".join(text for *_box, text in boxes)
    missing = [field for field in PRINTED[kind] if squashed(words[field]) not in squashed(text)]
    assert missing == []
    hyphenated = [field for field in ADDRESSES[kind] if words[field] not in re.sub(r"\s", "", text)]
    assert hyphenated == []
    if kind == "summary":  # the draft mark beside the long running head stays one word on every page
        marked = {page for page, _w, _x0, _x1, y_max, text in boxes if text == "UDKAST" and y_max < 22 * MM}
        assert marked == set(range(1, document.page_count + 1))
