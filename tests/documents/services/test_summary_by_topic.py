"""The hearing summary as a høringsnotat by topic (issue 14, item 5): introduction, one chapter per topic
in the strategy's order with links to the responses in the appendix, the recommended changes, the
responses without a topic (in a draft only), and the appendix with each campaign's shared text once."""

import datetime as dt
import io
import re
import subprocess

import pikepdf
import pytest
from django.utils import timezone

from analysis.models import Campaign, Signature, Topic
from documents import content as doc_content
from documents import layout as doc_layout
from documents import parts as summary_pdf
from hearings.models import Hearing
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.hearings.factories import ResponseFactory
from tests.moderation.factories import RemarkFactory

pytestmark = pytest.mark.django_db

SHARED = (
    "Vi protesterer mod lukningen af Pilegårdsskolen. Skolen er hjertet i vores bydel, "
    "og børnene skal kunne gå i skole tæt på hjemme, hvor de bor."
)
XSS = '<script>alert(1)</script><img src="file:///etc/passwd"><b>fed</b>'


def campaign(hearing, representative, *members):
    """A campaign of ``representative`` and ``members`` as the analysis would leave it."""
    made = Campaign.objects.create(hearing=hearing, representative=representative)
    for response in (representative, *members):
        Signature.objects.create(response=response, hearing=hearing, text_hash="x" * 64, shingles=b"",
                                 words=b"", campaign=made)  # fmt: skip
    return made


def topic(hearing, title, responses=(), **fields):
    made = TopicFactory(hearing=hearing, title=title, **fields)
    for response, quote in responses:
        TopicResponseFactory(topic=made, response=response, quote=quote)
    return made


@pytest.fixture
def hearing(open_hearing, section5):
    """Ten published responses (one hidden), a campaign of three (nr. 5, 6, 7), four topics on the
    section, its goal, its theme and on nothing, in the reverse of the strategy's order."""
    goal = section5.goals.filter(parent=None).first()
    theme = section5.themes.first()
    made = {}
    for n in range(1, 11):
        text = SHARED if n in (5, 6, 7) else f"Svar nummer {n} om skolerne."
        if n == 6:
            text = SHARED + " Min datter går i 2. klasse."
        if n == 7:
            text = SHARED.replace("hjertet", "selve hjertet")
        made[n] = ResponseFactory(hearing=open_hearing, number=n, display_name=f"Borger {n:02d}", text=text,
                                  target_section=section5 if n % 2 else None)  # fmt: skip
    ResponseFactory(hearing=open_hearing, number=11, status="hidden", text="SKJULT SVAR")
    RemarkFactory(response=made[2], text="Bemærkning til svar 2.", recommendation="noted")
    campaign(open_hearing, made[5], made[6], made[7])
    topic(open_hearing, "Uden for strategien", [(made[9], "")], position=0,
          recommendation=Topic.Recommendation.OUT_OF_SCOPE, remark="Det hører under en anden plan.")  # fmt: skip
    topic(open_hearing, "Temaets skolevej", [(made[3], "")], position=1, target_theme=theme,
          recommendation=Topic.Recommendation.COVERED, remark="Det er allerede med.")  # fmt: skip
    topic(open_hearing, "Målets skoler", [(made[1], "skolerne skal blive"), (made[5], ""), (made[6], "")],
          position=2, target_goal=goal, summary="Mange vil **bevare** skolerne.", remark="Vi er enige.",
          recommendation=Topic.Recommendation.CHANGE, change="Målet får en sætning om skolevejene.")  # fmt: skip
    topic(open_hearing, "Delvisionen som helhed", [(made[2], ""), (made[7], "")], position=3,
          target_section=section5, recommendation=Topic.Recommendation.NO_CHANGE,
          remark="Delvisionen fastholdes.", change="DENNE ÆNDRING MÅ IKKE STÅ I FORSLAGENE")  # fmt: skip
    open_hearing.last_response_number = 11
    open_hearing.save()
    return open_hearing


def render(hearing):
    context = doc_layout.summary_context(doc_content.summary_content(hearing), made_at=timezone.localtime())
    return summary_pdf.render(
        context, hearing_id=hearing.pk, title="Høringsnotat: prøve", author="Vallensbæk"
    )


def pdf_text(pdf: bytes) -> str:
    """The text as laid out (-layout: the draft's diagonal "UDKAST" stays out of the lines of text)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_summary_by_topic_reads_as_a_hoeringsnotat(hearing):
    pdf, page_count, work = render(hearing)
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    # Introduction: every respondent counted, and the distinct texts.
    assert (
        "10 høringssvar, heraf 3 med (næsten) enslydende tekst i 1 kampagne: 8 forskellige tekster." in flat
    )
    assert "Høringens emner" in flat and "SKJULT SVAR" not in flat
    # One chapter per topic in the strategy's order: the section, its goal, its theme, then no part.
    chapters = [flat.index(f"{title} Vedrører: ") for title in
                ("Delvisionen som helhed", "Målets skoler", "Temaets skolevej", "Uden for strategien")]  # fmt: skip
    assert chapters == sorted(chapters)
    assert "Vedrører: Delvision 5, målsætning: " in flat and "Vedrører: Strategien som helhed" in flat
    assert "Rejst i høringssvar nr. 1, 5, 6 (3 høringssvar)." in flat
    assert "Mange vil bevare skolerne." in flat and "»skolerne skal blive«" in flat
    assert "Indstilling: Forslaget ændres" in flat and "Indstilling: Uden for høringens emne" in flat
    # The recommended changes, by part; only the topics whose recommendation is a change.
    changes = flat[flat.rindex("Forslag til ændringer") :]
    assert "Emne: Målets skoler Målet får en sætning om skolevejene." in changes
    assert "DENNE ÆNDRING" not in flat
    # The draft lists what has no topic yet: 4, 8 and 10.
    assert "3 høringssvar uden emne: nr. 4, 8, 10." in flat
    # The appendix: the shared text once, each member with only what it adds or changes.
    appendix = flat[flat.rindex("Bilag 1: Høringssvarene") :]
    assert flat.count("Vi protesterer mod lukningen") == 1
    assert "Kampagne 1: 3 høringssvar med (næsten) enslydende tekst" in appendix
    assert "+ … hjemme, hvor de bor. Min datter går i 2. klasse." in appendix
    assert "+ … af Pilegårdsskolen. Skolen er selve hjertet i vores bydel, …" in appendix
    assert "Den fælles tekst ovenfor er dette høringssvars tekst." in appendix
    assert sorted(int(n) for n in re.findall(r"Høringssvar nr\. (\d+) ·", appendix)) == list(range(1, 11))
    assert "Bemærkning til svar 2." in appendix and "Bilag 2: Afsendere i alfabetisk orden" in appendix
    assert work["parts"] == work["rendered"]

    document = pikepdf.open(io.BytesIO(pdf))
    dests = dict(pikepdf.NameTree(document.Root.Names.Dests).items())
    page_of = {page.objgen: i for i, page in enumerate(document.pages)}
    pages = text.split("\f")
    # "Rejst i høringssvar nr. 1, 5, 6": links to those responses in the appendix.
    topic_page = next(i for i, page in enumerate(pages) if re.search(r"Målets skoler\s+Vedrører", page))
    links = [str(a.A.D) for a in document.pages[topic_page].obj.get("/Annots", []) if "/A" in a]
    assert links[:3] == ["svar-1", "svar-5", "svar-6"]
    assert str(document.pages[topic_page].obj.Annots[0].Contents) == "Gå til høringssvar nr. 1"
    for anchor in links:
        number = anchor.removeprefix("svar-")
        assert re.search(rf"Høringssvar nr\. {number} ·", pages[page_of[dests[anchor][0].objgen]])
    # No link is left pointing out of the document.
    for page in document.pages:
        for annot in page.obj.get("/Annots", []):
            assert str(annot.A.S) == "/GoTo" and str(annot.A.D) in dests
    with document.open_outline() as outline:
        top = [item.title for item in outline.root]
        emner = next(item for item in outline.root if item.title == "Høringens emner")
        topics = [item.title for item in emner.children]
    assert top == ["Indhold", "Indledning", "Høringens emner", "Forslag til ændringer", "Høringssvar uden emne",
                   "Bilag 1: Høringssvarene", "Bilag 2: Afsendere i alfabetisk orden"]  # fmt: skip
    assert topics == ["Delvisionen som helhed", "Målets skoler", "Temaets skolevej", "Uden for strategien"]

    # Editing one topic renders its part again, and no other.
    Topic.objects.filter(title="Temaets skolevej").update(remark="En ny bemærkning til temaet.")
    pdf, _pages, again = render(hearing)
    assert again["rendered"] == 1 and again["parts"] == work["parts"]
    assert "En ny bemærkning til temaet." in pdf_text(pdf)


def test_the_published_summary_has_no_list_of_responses_without_a_topic(hearing):
    with_list = doc_layout.summary_context(doc_content.summary_content(hearing), made_at=timezone.localtime())
    assert with_list["untopiced"] == [4, 8, 10]
    assert "untopiced" in [part.data["part"] for part in summary_pdf.plan(with_list)]
    Hearing.objects.filter(pk=hearing.pk).update(
        closes_at=timezone.now() - dt.timedelta(days=1), summary_published_at=timezone.now()
    )
    hearing.refresh_from_db()
    content = doc_content.summary_content(hearing)
    context = doc_layout.summary_context(content, made_at=timezone.localtime())
    assert not content["draft"] and context["untopiced"] == []
    assert "untopiced" not in [part.data["part"] for part in summary_pdf.plan(context)]
    assert "Høringssvar uden emne" not in [entry["title"] for entry in context["toc"]]
    html = doc_layout.render_html(content, made_at=timezone.localtime())
    assert "Høringssvar uden emne" not in html and 'id="emner"' in html


def test_without_topics_the_summary_is_as_before(hearing):
    Topic.objects.filter(hearing=hearing).delete()
    context = doc_layout.summary_context(doc_content.summary_content(hearing), made_at=timezone.localtime())
    assert not context["by_topic"] and context["content"]["campaigns"] == []
    assert [part.data["part"] for part in summary_pdf.plan(context)][:2] == ["stats", "responses"]
    # Every response printed in full, the campaign's members too.
    items = [item for run in summary_pdf.response_runs(context["groups"]) for item in run]
    assert sorted(item["response"]["number"] for item in items if "response" in item) == list(range(1, 11))


def test_a_campaign_whose_representative_is_hidden_takes_its_first_published_member(hearing):
    five = hearing.responses.get(number=5)
    five.status = "hidden"
    five.save()
    content = doc_content.summary_content(hearing)
    assert content["campaigns"] == [{"number": 1, "shared": 6, "members": [6, 7]}]
    hearing.responses.filter(number=6).update(status="hidden")
    assert doc_content.summary_content(hearing)["campaigns"] == []  # one member is no campaign


def test_markup_in_every_topic_field_stays_text(open_hearing, section5):
    response = ResponseFactory(hearing=open_hearing, number=1, text="Et svar.")
    topic(open_hearing, f"Titel {XSS}", [(response, f"Citat {XSS}")], target_section=section5,
          summary=f"Resumé {XSS} [link](javascript:alert(1))", remark=f"Bemærkning {XSS}",
          recommendation=Topic.Recommendation.CHANGE, change=f"Ændring {XSS}")  # fmt: skip
    content = doc_content.summary_content(open_hearing)
    html = doc_layout.render_html(content, made_at=timezone.localtime())
    assert "<script>" not in html and "<b>fed</b>" not in html and "javascript:" not in html
    assert "<img" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img"  # (the address after it is marked up)
    for field in ("Titel", "Citat", "Bemærkning", "Ændring"):
        assert f"{field} {escaped}" in html, field
    pdf, _pages, _work = render(open_hearing)
    flat = " ".join(pdf_text(pdf).split())
    for field in ("Titel", "Bemærkning", "Ændring"):
        assert f"{field} {XSS}" in flat, field
    assert f"»Citat {XSS}«" in flat
    assert "Resumé fed link" in flat  # the summary is Markdown: sanitised (no script, image or link)
    assert "root:x:0:0" not in flat


def test_changes_to_the_analysis_schedule_the_summary_parts(hearing, settings, monkeypatch):
    from documents import receivers

    settings.SUMMARY_PARTS_PREPARE_SECONDS = 60
    scheduled: list[int] = []
    monkeypatch.setattr(receivers, "schedule_summary_parts", scheduled.append)

    def schedules(change) -> bool:
        scheduled.clear()
        change()
        return scheduled == [hearing.pk] * len(scheduled) and bool(scheduled)

    made = Topic.objects.get(title="Målets skoler")
    assert schedules(lambda: Topic.objects.get(pk=made.pk).save())
    assert schedules(lambda: TopicResponseFactory(topic=made, response=hearing.responses.get(number=4)))
    assert schedules(lambda: made.links.get(response__number=4).delete())
    assert schedules(lambda: Campaign.objects.get(hearing=hearing).save())
    signature = Signature.objects.get(response__number=7)
    other = Campaign.objects.create(hearing=hearing)
    signature.campaign = other
    assert schedules(signature.save)
    # A signature saved again with its campaign as it was (its text analysed anew) is nothing the summary
    # shows.
    again = Signature.objects.get(response__number=7)
    again.text_hash = "y" * 64
    assert not schedules(again.save)
    assert schedules(lambda: Signature.objects.get(response__number=6).delete())
    assert schedules(lambda: Topic.objects.get(pk=made.pk).delete())
