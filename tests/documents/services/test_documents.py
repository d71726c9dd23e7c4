"""The hearing proposal and summary PDFs: what they contain, when they are made, who may have them."""

import datetime as dt
import subprocess

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from documents import content as doc_content
from documents import parts as summary_pdf
from documents import pdf as doc_pdf
from documents import services as doc_services
from documents.models import RenderedDocument
from hearings.models import Hearing
from moderation.models import Remark
from tests.accounts.factories import StaffRoleFactory, VerifiedUserFactory
from tests.documents.factories import RenderedDocumentFactory
from tests.hearings.factories import ResponseFactory
from tests.helpers import pdf_bytes
from tests.moderation.factories import RemarkFactory
from tests.textutil import write_raw


def pdf_text(document: RenderedDocument) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", document.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def hearing(open_hearing, section5):
    goal = section5.goals.filter(parent=None).first()
    ResponseFactory(
        hearing=open_hearing, number=1, text="Første svar om hele strategien", display_name="Åse Ørsted"
    )
    ResponseFactory(hearing=open_hearing, number=2, target_section=section5, text="Andet svar om delvisionen",
                    respondent_type="association", organisation_name="Vallensbæk Idrætsforening",
                    display_name="Bo Formand")  # fmt: skip
    third = ResponseFactory(hearing=open_hearing, number=3, target_goal=goal, text="Tredje svar om målet",
                            display_name="Carl Andersen")  # fmt: skip
    ResponseFactory(hearing=open_hearing, number=4, status="hidden", text="SKJULT SVAR MÅ IKKE MED")
    ResponseFactory(hearing=open_hearing, number=5, status="pending", text="AFVENTENDE SVAR MÅ IKKE MED")
    RemarkFactory(response=third, text="Målet fastholdes.", recommendation="no_change")
    open_hearing.last_response_number = 5
    open_hearing.save()
    return open_hearing


def request(hearing, kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = doc_services.request_document(hearing=hearing, kind=kind)
    document.refresh_from_db()
    return document


def test_the_summary_holds_the_published_responses_in_order_with_remarks(
    hearing, django_capture_on_commit_callbacks
):
    document = request(hearing, "summary", django_capture_on_commit_callbacks)
    assert document.status == "done" and document.page_count >= 4 and document.size > 10_000
    text = pdf_text(document)
    assert "HØRINGSNOTAT – UDKAST" in text
    first, second, third = (text.index(f"Høringssvar nr. {n}") for n in (1, 2, 3))
    assert first < second < third  # the strategy first, then the section, then its goal
    assert "Første svar om hele strategien" in text and "Vallensbæk Idrætsforening" in text
    assert "Administrationens bemærkning: Giver ikke anledning til ændringer" in text
    assert "Målet fastholdes." in text
    assert "SKJULT SVAR" not in text and "AFVENTENDE SVAR" not in text
    assert "Høringssvar nr. 4" not in text and "Høringssvar nr. 5" not in text
    pages = document.page_count
    assert f"Side 1 af {pages}" in text and f"Side {pages} af {pages}" in text
    # "UDKAST" in the head of every page while the hearing is open
    assert all("UDKAST" in page.split("\n", 3)[0] + page for page in text.split("\f")[:pages])
    assert sum("UDKAST" in page for page in text.split("\f")[:pages]) == pages
    # The appendix lists the respondents alphabetically with their numbers.
    appendix = text[text.index("Bilag: Afsendere i alfabetisk orden", text.index("Sammenfatning") + 1) :]
    assert appendix.index("Carl Andersen: nr. 3") < appendix.index(
        "Vallensbæk Idrætsforening (Bo Formand): nr. 2"
    )
    assert appendix.index("Vallensbæk Idrætsforening") < appendix.index("Åse Ørsted: nr. 1")


def test_the_same_content_is_rendered_once_and_new_content_anew(hearing, django_capture_on_commit_callbacks):
    first = request(hearing, "summary", django_capture_on_commit_callbacks)
    again = request(hearing, "summary", django_capture_on_commit_callbacks)
    assert again.pk == first.pk and again.attempts == 1
    assert RenderedDocument.objects.count() == 1
    ResponseFactory(hearing=hearing, number=6, text="Et nyt svar")
    newer = request(hearing, "summary", django_capture_on_commit_callbacks)
    assert newer.pk != first.pk and newer.status == "done"
    assert "Et nyt svar" in pdf_text(newer)
    # the older file is removed once the newer one is done
    assert not RenderedDocument.objects.filter(pk=first.pk).exists()


def test_the_proposal_has_cover_contents_sections_and_how_to_respond(
    hearing, django_capture_on_commit_callbacks
):
    document = request(hearing, "proposal", django_capture_on_commit_callbacks)
    text = pdf_text(document)
    assert "HØRINGSFORSLAG" in text and "Vallensbæk Kommune" in text
    assert "Det hele menneske i fremtidens boligby" in text
    assert "Indhold" in text and "Sådan svarer du" in text
    assert "Delvision 5: Et godt og udviklende børne- og ungeliv" in text
    assert "Hvordan åbner vi dørene til skolerne?" in text
    assert "UDKAST" not in text
    info = subprocess.run(["pdfinfo", document.file.path], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    assert "Title:           Høringsforslag: Kommuneplanstrategi 2018" in info
    assert "Author:          Vallensbæk Kommune" in info


def test_citizen_text_is_escaped_and_local_files_are_never_fetched(
    open_hearing, django_capture_on_commit_callbacks
):
    ResponseFactory(
        hearing=open_hearing, number=1, text='<img src="file:///etc/passwd"> <b>fed</b> <script>x</script>'
    )
    document = request(open_hearing, "summary", django_capture_on_commit_callbacks)
    text = pdf_text(document)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ")  # shown as text
    assert "root:x:0:0" not in text


def test_the_fetcher_refuses_file_and_remote_urls():
    from weasyprint.urls import URLFetcherResponse

    for url in (
        "file:///etc/passwd",
        "https://example.org/x.png",
        "http://127.0.0.1/",
        "static:../../etc/passwd",
    ):
        with pytest.raises(ValueError):
            doc_pdf._fetch_static(url, URLFetcherResponse)
    font = doc_pdf._fetch_static("static:fonts/ibm-plex-sans/IBMPlexSans-Regular.ttf", URLFetcherResponse)
    assert font is not None
    html = '<html lang="da"><body><p>x</p><img src="file:///etc/passwd" alt=""></body></html>'
    pdf, pages = doc_pdf.render_pdf(html, title="t", author="a")
    assert pages == 1 and b"root:x:0:0" not in pdf


def test_the_summary_is_a_draft_until_published_after_closing(hearing, django_capture_on_commit_callbacks):
    with time_machine.travel(hearing.closes_at + dt.timedelta(hours=1), tick=False):
        closed_draft = request(hearing, "summary", django_capture_on_commit_callbacks)
        assert "UDKAST" in pdf_text(closed_draft)
        Hearing.objects.filter(pk=hearing.pk).update(summary_published_at=timezone.now())
        hearing.refresh_from_db()
        final = request(hearing, "summary", django_capture_on_commit_callbacks)
    assert final.pk != closed_draft.pk and not final.is_draft
    assert "UDKAST" not in pdf_text(final)


ROLES = ["anonymous", "citizen", "council", "moderator", "editor", "other_council", "other_moderator"]


def make(role, municipality, other):

    if role == "anonymous":
        return None
    user = VerifiedUserFactory()
    if role != "citizen":
        name = role.removeprefix("other_")
        StaffRoleFactory(
            user=user, municipality=other if role.startswith("other_") else municipality, role=name
        )
    return user


@pytest.fixture
def stub_renderer(monkeypatch) -> list[tuple[str, str]]:
    """The proposal's and the summary's renderers replaced by one that makes a tiny PDF naming the
    document, for tests of who may ask for and download a document, not of what it holds (the tests
    above make real ones with WeasyPrint). Returns the (kind, title) of each document made, in order."""
    made: list[tuple[str, str]] = []

    def render_proposal(html, *, title, author):
        made.append(("proposal", title))
        return pdf_bytes(title), 1

    def render_summary(context, *, hearing_id, title, author):
        made.append(("summary", title))
        return pdf_bytes(title), 1, {"parts": 0, "rendered": 0, "front_renders": 0}

    monkeypatch.setattr(doc_pdf, "render_pdf", render_proposal)
    monkeypatch.setattr(summary_pdf, "render", render_summary)
    return made


@pytest.mark.parametrize("role", ROLES)
def test_who_may_download_the_summary_before_and_after_publication(
    client, hearing, billund, role, django_capture_on_commit_callbacks, stub_renderer
):
    user = make(role, hearing.strategy.municipality, billund.municipality)
    if user:
        client.force_login(user)
    url = reverse("documents:document", args=[hearing.pk, "hoeringsnotat"])
    staff = role in ("council", "moderator", "editor")

    def download():
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(url)  # asks for it; the worker renders once the request has committed
        return client.get(url) if first.status_code == 302 else first

    response = download()
    assert response.status_code == (200 if staff else 404)
    if staff:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="hoeringsnotat-')
        assert b"".join(response.streaming_content) == pdf_bytes(f"Høringsnotat: {hearing.title}")
    with time_machine.travel(hearing.closes_at + dt.timedelta(days=1), tick=False):
        Hearing.objects.filter(pk=hearing.pk).update(summary_published_at=timezone.now())
        response = download()
    assert response.status_code == 200  # published after closing: everyone
    # The proposal is public all along.
    url = reverse("documents:document", args=[hearing.pk, "hoeringsforslag"])
    assert download().status_code == 200
    # Made: the draft summary only for staff who asked for it, then the final summary and the proposal.
    made = [kind for kind, _title in stub_renderer]
    assert made == (["summary", "summary", "proposal"] if staff else ["summary", "proposal"])


def test_a_document_not_yet_made_shows_its_progress(client, hearing, settings):
    # No commit callbacks run here, as when a real worker has not picked the job up yet.
    url = reverse("documents:document", args=[hearing.pk, "hoeringsforslag"])
    asked = client.get(url)
    assert asked.status_code == 200 and not RenderedDocument.objects.exists()  # a GET asks for nothing
    assert '<button type="submit" class="button button-primary">Lav PDF</button>' in asked.content.decode()
    response = client.post(url)
    document = RenderedDocument.objects.get()
    assert response.status_code == 302
    progress = reverse("documents:status", args=[hearing.pk, document.pk])
    assert response["Location"] == progress + "?hent=1"  # asked with the button: it downloads when done
    page = client.get(response["Location"]).content.decode()
    assert 'aria-live="polite"' in page and " data-download-when-done " in page
    assert " data-download-when-done " not in client.get(progress).content.decode()
    assert '<span data-when="queued">Dokumentet står i kø' in page
    assert '<span data-when="rendering" hidden>Dokumentet bliver lavet lige nu.' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    status = client.get(progress + "?format=json").json()
    assert status["status"] == "queued" and status["download"] is None
    # Once a worker has it, the page says so (the script flips the same sentences in place).
    RenderedDocument.objects.filter(pk=document.pk).update(status="rendering")
    page = client.get(response["Location"]).content.decode()
    assert '<span data-when="queued" hidden>' in page and '<span data-when="rendering">' in page


def test_a_failed_render_can_be_asked_for_again(
    client, hearing, django_capture_on_commit_callbacks, stub_renderer
):
    document = RenderedDocumentFactory(
        hearing=hearing, kind="proposal", fingerprint=doc_content.edition(hearing=hearing, kind="proposal").fingerprint,
        status="failed", error="Arbejdet blev afbrudt. Prøv igen.",
    )  # fmt: skip
    url = reverse("documents:status", args=[hearing.pk, document.pk])
    assert "Dokumentet kunne ikke laves" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    document.refresh_from_db()
    assert document.status == "done" and document.attempts == 1
    assert [kind for kind, _title in stub_renderer] == ["proposal"]


def test_a_stuck_render_is_marked_failed(hearing):
    stuck = RenderedDocumentFactory(hearing=hearing, kind="summary", fingerprint="x" * 64, status="rendering",
                                            started_at=timezone.now() - dt.timedelta(hours=1))  # fmt: skip
    assert doc_services.fail_stuck_documents(older_than=dt.timedelta(minutes=6)) == 1
    stuck.refresh_from_db()
    assert stuck.status == "failed"


# --- Characters XML cannot carry (issue 12, item 1) -------------------------------------------------------

BAD = "Før\x0bEfter\x01\ufffe\uffff\x7f\x85slut æøå"


def assert_every_glyph_is_text(text: str) -> None:
    """No replacement character (what a missing glyph or a noncharacter comes out as) and no control
    character but the line and page breaks pdftotext writes."""
    assert "\ufffd" not in text
    assert [ch for ch in text if (ch < " " and ch not in "\n\f") or "\x7f" <= ch <= "\x9f"] == []


@pytest.mark.parametrize("kind", ["summary", "proposal"])
def test_a_row_with_characters_xml_cannot_carry_gives_a_clean_pdf(
    hearing, section5, kind, django_capture_on_commit_callbacks
):
    """Rows written past the text policy on input: each document is made, and says what they meant."""
    first = hearing.responses.get(number=1)
    write_raw(first, display_name=BAD, organisation_name=BAD, text=BAD)
    write_raw(Remark.objects.get(response__number=3), text=BAD)
    write_raw(hearing, title=BAD)
    write_raw(hearing.strategy, title=BAD, body=BAD)
    write_raw(section5, title=BAD)
    document = request(hearing, kind, django_capture_on_commit_callbacks)
    assert document.status == "done"
    text = pdf_text(document)
    assert_every_glyph_is_text(text)
    assert "Før" in text and "Efter" in text and "slut æøå" in text
    info = subprocess.run(["pdfinfo", document.file.path], capture_output=True, text=True).stdout
    assert "Før Efter slut æøå" in info  # the title in the metadata, on one line


# --- The document's address: a GET shows, a POST asks (issue 13, item 3) ---------------------------------


def council_member(hearing):

    user = VerifiedUserFactory()
    StaffRoleFactory(user=user, municipality=hearing.strategy.municipality, role="council")
    return user


def test_the_documents_page_reads_no_response_and_asks_for_nothing_on_a_get(
    client, open_hearing, django_assert_num_queries
):
    for number in range(1, 51):
        ResponseFactory(hearing=open_hearing, number=number, text=f"Svar {number}")
    client.force_login(council_member(open_hearing))
    url = reverse("documents:document", args=[open_hearing.pk, "hoeringsnotat"])
    client.get(url)  # the session and the roles, read once before counting
    # session, user, roles, the hearing (with its strategy and municipality), its events, the
    # hearing's versions, the current document: none of the 50 responses.
    with django_assert_num_queries(7):
        page = client.get(url)
    assert page.status_code == 200 and not RenderedDocument.objects.exists()
    assert "Høringsnotat (udkast)" in page.content.decode()


def test_one_click_asks_and_the_link_then_gives_the_pdf(
    client, hearing, django_capture_on_commit_callbacks, stub_renderer
):
    client.force_login(council_member(hearing))
    url = reverse("documents:document", args=[hearing.pk, "hoeringsnotat"])
    assert "Lav PDF" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(url)
    document = RenderedDocument.objects.get()
    assert asked.status_code == 302
    assert asked["Location"] == reverse("documents:status", args=[hearing.pk, document.pk]) + "?hent=1"
    for answer in (client.get(url), client.post(url)):  # made: the PDF at once, asked again or not
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert RenderedDocument.objects.count() == 1
    # While a newer content's document is being made, the link leads to its progress.
    ResponseFactory(hearing=hearing, number=6, text="Et nyt svar")
    client.post(url)  # no commit callbacks: queued, as before a worker picks it up
    newer = RenderedDocument.objects.exclude(pk=document.pk).get()
    assert client.get(url)["Location"] == reverse("documents:status", args=[hearing.pk, newer.pk])


def test_every_change_a_document_shows_gives_it_another_edition(hearing, section5):
    """The fingerprint follows the content without reading it: each change here is one the summary
    or the proposal shows, and each gives another fingerprint, kept in the database (a cache flush
    changes nothing). A restore after a hide is another edition too: a counter cannot tell that the
    content came back, which costs one render more and never a stale PDF."""
    from django.core.cache import cache

    from moderation import services as moderation
    from tests.accounts.factories import UserFactory

    seen = set()

    def changed() -> None:
        now = doc_content.edition(hearing=hearing, kind="summary").fingerprint
        assert now not in seen
        seen.add(now)

    changed()
    cache.clear()
    assert doc_content.edition(hearing=hearing, kind="summary").fingerprint in seen
    operator = UserFactory(is_superuser=True)
    response = hearing.responses.get(number=1)
    moderation.moderate(response=response, actor=operator, action="hidden", reason="spam", notify=False)
    changed()
    moderation.moderate(response=response, actor=operator, action="restored", notify=False)
    changed()
    moderation.save_remark(response=response, actor=operator, text="Ny bemærkning", recommendation="noted")
    changed()
    ResponseFactory(hearing=hearing, number=7, text="Et nyt svar")
    changed()
    section5.title = "Ny titel"
    section5.save()
    changed()
    goal = section5.goals.first()
    goal.text = "Nyt mål"
    goal.save()
    changed()
    hearing.strategy.municipality.phone = "12 34 56 78"
    hearing.strategy.municipality.save()
    changed()
    stale = Hearing.objects.get(pk=hearing.pk)
    ResponseFactory(hearing=hearing, number=8, text="Endnu et svar")
    changed()
    stale.intro = "En ny indledning"
    stale.save()  # writes back the version it read before the response: still another edition
    changed()
    Hearing.objects.filter(pk=hearing.pk).update(summary_published_at=timezone.now())
    changed()
