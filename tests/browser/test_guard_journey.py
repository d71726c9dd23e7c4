"""Issue 15's journey: a citizen answers a post-moderated hearing with their CPR number and a neighbour's
address, in the text and in an attached PDF. The response is not published; the receipt says it will be
after a check. The moderator finds it under "Personoplysninger", redacts the text, replaces the PDF with a
version with redactions and publishes. The public page, the attachment, the feed, search, the export and
the hearing summary then show "[udeladt: personoplysninger]" and never the original. Every page passes
axe-core."""

import io
import re
import subprocess

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from documents import services as doc_services
from documents.models import RenderedDocument
from guard.models import REDACTION_MARKER, Redaction
from hearings.models import Response
from moderation.models import ModerationEvent
from tests.accounts.factories import VerifiedUserFactory
from tests.browser.conftest import sign_in, vallensbaek_hearing
from tests.guard.attachment_files import text_pdf

PASSWORD = "hoering-test-2026"  # every factory user's
CPR = "070761-4285"
ADDRESS = "Bøgevej 12, 2. th."
TEXT = (
    f"Jeg ønsker flere cykelstier til skolen. Mit CPR-nummer er {CPR}, hvis I vil ringe tilbage. "
    f"Min nabo på {ADDRESS} er enig, og hendes børn cykler også."
)
LETTER = [
    "Bilag til mit høringssvar om cykelstier.",
    f"Afsender: CPR-nummer {CPR}, nabo til {ADDRESS}",
    "Vi ønsker en sikker skolevej langs Vejlegårdsvej.",
]


@pytest.fixture
def guard_server(live_server, transactional_db, settings, tmp_path):
    hearing = vallensbaek_hearing(settings, tmp_path)
    VerifiedUserFactory(email="borger@example.dk", name="Karen Borger")
    mail.outbox = []
    return live_server, hearing


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def assert_redacted(text: str, where: str) -> None:
    assert CPR not in text and "Bøgevej 12" not in text, f"{where} shows the original"


def test_personal_data_in_text_and_attachment_is_held_redacted_and_never_published(
    guard_server, page, browser, axe_check, tmp_path
):
    server, hearing = guard_server

    # The citizen answers, with the letter attached.
    sign_in(page, server, "borger@example.dk", password=PASSWORD)
    page.goto(server.url + reverse("hearings:respond", args=[hearing.pk]))
    page.get_by_label("Dit navn, som det skal stå ved svaret").fill("Karen Borger")
    page.get_by_label("Dit høringssvar").fill(TEXT)
    letter = text_pdf(tmp_path / "brev.pdf", LETTER)
    page.get_by_label("Bilag (valgfrit)").set_input_files(str(letter))
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Send høringssvar").click()

    # Not published: the receipt says it will be, after a check.
    expect(page.locator("h1")).to_contain_text("Tak for dit høringssvar nr. 1")
    expect(page.locator("main")).to_contain_text("kontrolleret det for personoplysninger")
    axe_check(page)
    response = Response.objects.get(hearing=hearing)
    assert (response.status, response.moderation_reason) == ("pending", "possible_personal")
    [attachment] = response.attachments.all()
    assert attachment.publication == "held" and CPR in attachment.text  # read after the commit
    [receipt] = [m for m in mail.outbox if m.to == ["borger@example.dk"]]
    assert "personoplysninger" in receipt.body

    # Nobody else sees it: not on the hearing's page, not in the feed, not at its address.
    visitor = browser.new_context(locale="da-DK").new_page()
    visitor.goto(server.url + hearing.get_absolute_url())
    expect(visitor.locator("main")).not_to_contain_text("cykelstier til skolen")
    assert visitor.request.get(server.url + response.get_absolute_url()).status == 404
    assert visitor.request.get(server.url + attachment.get_absolute_url()).status == 404
    feed = visitor.request.get(
        server.url + reverse("notifications:response_feed_rss", args=[hearing.pk])
    ).text()
    assert "cykelstier til skolen" not in feed

    # The moderator finds it under "Personoplysninger", with the findings marked.
    page.context.clear_cookies()
    sign_in(page, server, "moderator@vallensbaek.dk", password=PASSWORD)
    page.goto(server.url + reverse("moderation:queue") + "?tab=personal")
    axe_check(page)
    row = page.locator("tr, li, article").filter(has=page.get_by_role("link", name="Nr. 1", exact=True)).first
    expect(row).to_contain_text(CPR)  # the snippet, for staff
    row.get_by_role("link", name="Nr. 1", exact=True).click()
    panel = page.locator(".guard-panel")
    expect(panel.locator("mark").filter(has_text=CPR)).to_have_count(1)
    expect(panel.locator("mark").filter(has_text="Bøgevej 12")).to_have_count(1)
    axe_check(page)

    # Redact the sure findings (ticked already), then replace the letter with a version with redactions.
    page.get_by_role("button", name="Udelad markerede").click()
    expect(page.locator(".response-text")).to_contain_text(REDACTION_MARKER)
    expect(page.locator(".response-text")).not_to_contain_text(CPR)
    axe_check(page)
    redacted_letter = text_pdf(
        tmp_path / "brev-udeladt.pdf", [line.replace(CPR, REDACTION_MARKER).replace(ADDRESS, REDACTION_MARKER)
                                        for line in LETTER],
    )  # fmt: skip
    page.locator(".attachments-panel summary").filter(has_text="Erstat med en udgave med udeladelser").click()
    page.locator(".attachments-panel input[type=file]").set_input_files(str(redacted_letter))
    page.locator(".attachments-panel").get_by_label(re.compile("Hvad er udeladt")).fill(
        "CPR-nummer og naboens adresse er udeladt."
    )
    page.get_by_role("button", name="Erstat bilaget").click()
    expect(page.locator(".attachments-panel .badge").first).to_have_text("Offentligt")
    page.locator(".moderation-box").get_by_role("button", name="Offentliggør").click()
    expect(page.get_by_text("Høringssvar nr. 1 er offentliggjort.")).to_be_visible()
    axe_check(page)

    response.refresh_from_db()
    assert response.status == "published"
    assert_redacted(response.text, "the stored public text")
    redactions = Redaction.objects.filter(response=response)
    assert {(r.field, r.reason) for r in redactions} == {("text", "cpr"), ("text", "address")}
    assert CPR in redactions.first().original  # the original, for staff only
    assert {"redacted", "attachment_held", "attachment_replaced", "published"} <= set(
        ModerationEvent.objects.filter(response=response).values_list("action", flat=True)
    )
    assert any("udeladt" in m.subject.lower() for m in mail.outbox if m.to == ["borger@example.dk"])

    # The public sees the marker everywhere and never the original.
    visitor.goto(server.url + response.get_absolute_url())
    expect(visitor.locator("main")).to_contain_text(REDACTION_MARKER)
    assert_redacted(visitor.locator("main").inner_text(), "the public response page")
    axe_check(visitor)
    link = visitor.get_by_role("link", name=re.compile("brev-udeladt"))
    download = visitor.request.get(server.url + link.get_attribute("href"))
    assert download.status == 200
    assert REDACTION_MARKER in pdf_text(download.body()).replace("\n", " ")
    assert_redacted(pdf_text(download.body()), "the public attachment")
    visitor.goto(server.url + hearing.get_absolute_url())
    expect(visitor.locator("#svar-1")).to_contain_text(REDACTION_MARKER)
    assert_redacted(visitor.locator("main").inner_text(), "the hearing's page")
    feed = visitor.request.get(
        server.url + reverse("notifications:response_feed_rss", args=[hearing.pk])
    ).text()
    assert REDACTION_MARKER in feed
    assert_redacted(feed, "the feed")
    visitor.goto(server.url + "/soeg/?q=cykelstier+skolen")
    expect(visitor.locator("main")).to_contain_text("Høringssvar nr. 1")
    assert_redacted(visitor.locator("main").inner_text(), "search")
    csv = page.request.get(server.url + reverse("documents:export_csv", args=[hearing.pk]))
    assert REDACTION_MARKER in csv.text()
    assert_redacted(csv.text(), "the CSV export")
    xlsx = page.request.get(server.url + reverse("documents:export_xlsx", args=[hearing.pk]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.body()))
    assert_redacted(" ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row),
                    "the XLSX export")  # fmt: skip
    document = doc_services.request_document(hearing=hearing, kind="summary")  # rendered at once (eager)
    document.refresh_from_db()
    assert document.status == RenderedDocument.Status.DONE
    with document.file.open("rb") as handle:
        summary = pdf_text(handle.read())
    assert REDACTION_MARKER in " ".join(summary.split())
    assert_redacted(summary, "the hearing summary")
