"""A council member of Vallensbæk opens the hearing summary's link, asks for it with one button, watches
the progress page turn to done by itself while a real Celery worker renders the PDF, downloads it, and finds the published responses in it.

The render goes through Redis to a worker thread (as in production, not eagerly inside the request), and
the worker only starts once the progress page has been seen, so the page is shown queued first and then
flips to done, every time."""

import re
import subprocess
import uuid
from contextlib import ExitStack, contextmanager

import redis
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from analysis.models import Campaign
from documents.models import RenderedDocument
from hearings.models import Hearing, Response
from portal.demo import DEMO_PASSWORD
from tests.browser import keyboard
from tests.browser.conftest import sign_in
from tests.conftest import celery_broker
from tests.textutil import contains_sequence, words

BROKER = "redis://127.0.0.1:6379/13"  # the Celery worker tests use 14 and 15
KEYBOARD_BROKER = "redis://127.0.0.1:6379/10"  # the keyboard journey's own
RENDER_TIMEOUT_MS = 120_000


@contextmanager
def render_queue(broker: str = BROKER):
    """Renders go through Redis to a queue of this test's own (so a worker of another test run on this
    machine cannot take them), with no worker yet; yields a function that starts one."""
    queue = f"documents-browser-{uuid.uuid4().hex}"
    with celery_broker(broker) as app:
        routes = app.conf.task_routes
        app.conf.update(task_routes={"documents.tasks.render_document": {"queue": queue}})
        try:
            with ExitStack() as workers:
                yield lambda: workers.enter_context(
                    start_worker(
                        app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30
                    )
                )
        finally:
            app.conf.update(task_routes=routes)
            leftovers = redis.Redis.from_url(broker)
            for key in leftovers.scan_iter(match=f"*{queue}*"):
                leftovers.delete(key)


def pdf_words(path) -> list[str]:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return words(text)


def printed_in_full(hearing) -> list[str]:
    """The texts the hearing summary prints in full: the published responses outside a campaign, and each
    campaign's shared text once (its other members are printed as what they add to it)."""
    published = hearing.responses.filter(status=Response.Status.PUBLISHED).order_by("number")
    alone = list(published.filter(signature__campaign__isnull=True).values_list("text", flat=True))
    shared = [c.representative.text for c in Campaign.objects.filter(hearing=hearing).order_by("pk")]
    assert shared, "the demo hearing has a campaign"
    return alone + shared


def test_a_council_member_watches_the_summary_being_made_and_downloads_it(
    demo_server, page, axe_check, tmp_path
):
    hearing = Hearing.objects.get(strategy__municipality__slug="vallensbaek")
    responses = hearing.responses.order_by("number")
    published = printed_in_full(hearing)
    not_published = list(responses.exclude(status=Response.Status.PUBLISHED).values_list("text", flat=True))
    assert len(published) >= 4 and not_published  # the demo has both kinds
    summary_link = page.get_by_role("link", name=re.compile(r"^Hent høringsnotatet som pdf"))

    # Citizens do not see the draft summary while the hearing is open.
    page.goto(demo_server.url + hearing.get_absolute_url())
    expect(page.locator("h1")).to_have_text(hearing.title)
    expect(summary_link).to_have_count(0)

    with render_queue() as start_render_worker:
        sign_in(page, demo_server, "raad@vallensbaek.example.dk")
        page.goto(demo_server.url + hearing.get_absolute_url())
        expect(summary_link).to_have_text("Hent høringsnotatet som pdf (udkast)")
        summary_link.click()

        # Opening the link asks for nothing: the page says what is made, and one button asks.
        expect(page.locator("h1")).to_have_text("Høringsnotat (udkast)")
        assert not RenderedDocument.objects.filter(hearing=hearing).exists()
        axe_check(page)
        page.get_by_role("button", name="Lav PDF").click()

        # The progress page: queued, and it says it will update itself.
        expect(page.locator("h1")).to_have_text("Høringsnotat (udkast)")
        expect(page.locator("#document-status .badge")).to_have_text("I kø")
        expect(page.get_by_text("Siden opdaterer sig selv")).to_be_visible()
        expect(page.get_by_role("link", name="Hent PDF")).to_have_count(0)
        axe_check(page)
        progress_url = page.url
        document = RenderedDocument.objects.get(hearing=hearing, kind=RenderedDocument.Kind.SUMMARY)
        assert progress_url.endswith(f"/hoeringer/{hearing.pk}/dokumenter/{document.pk}/?hent=1")
        assert document.status == RenderedDocument.Status.QUEUED

        # A worker picks the render up; the open page notices by itself (nobody reloads it), and the
        # PDF the button asked for downloads by itself: one click in all.
        start_render_worker()
        download_link = page.get_by_role("link", name="Hent PDF")
        with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download_info:
            expect(download_link).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        assert page.url == progress_url
        expect(page.get_by_role("status")).to_contain_text(re.compile(r"Dokumentet er klar \(\d+ sider?\)"))
        axe_check(page)
        with page.expect_download() as again:  # and the link is there for another copy
            download_link.click()
        assert again.value.suggested_filename == download_info.value.suggested_filename
        download = download_info.value
        assert download.suggested_filename == f"hoeringsnotat-{hearing.pk}-udkast.pdf"
        pdf = tmp_path / download.suggested_filename
        download.save_as(pdf)

    assert pdf.read_bytes().startswith(b"%PDF-")
    text = pdf_words(pdf)
    assert contains_sequence(text, words("HØRINGSNOTAT – UDKAST"))
    for response_text in published:
        assert contains_sequence(text, words(response_text)), response_text
    for response_text in not_published:
        assert not contains_sequence(text, words(response_text)), response_text


def test_the_council_member_journey_by_keyboard_alone(demo_server, page, tmp_path):
    """Sign in from the hearing page, ask for the summary, wait, download: Tab, Enter and typing only,
    with a visible focus at every stop. The progress page's own update must not take the focus away."""
    hearing = Hearing.objects.get(strategy__municipality__slug="vallensbaek")
    published = printed_in_full(hearing)
    page.goto(demo_server.url + hearing.get_absolute_url())
    keyboard.follow(page, page.get_by_role("banner").get_by_role("link", name="Log ind"))
    keyboard.sign_in(page, "raad@vallensbaek.example.dk", DEMO_PASSWORD)
    expect(page.locator("h1")).to_have_text(hearing.title)  # back where they came from

    with render_queue(KEYBOARD_BROKER) as start_render_worker:
        keyboard.follow(page, page.get_by_role("link", name="Hent høringsnotatet som pdf (udkast)"))
        expect(page.locator("h1")).to_have_text("Høringsnotat (udkast)")
        keyboard.follow(page, page.get_by_role("button", name="Lav PDF"))
        expect(page.locator("#document-status .badge")).to_have_text("I kø")
        # The keyboard user waits on the page's 'Opdatér siden' link; when the document is done, the
        # link gives way to the download, and the focus goes with it (the page does not reload).
        keyboard.tab_to(page, page.get_by_role("link", name="Opdatér siden"))
        start_render_worker()
        download_link = page.get_by_role("link", name="Hent PDF")
        expect(download_link).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        expect(page.get_by_role("status")).to_contain_text(re.compile(r"Dokumentet er klar \(\d+ sider?\)"))
        keyboard.assert_focused(page, download_link)
        with page.expect_download() as download_info:
            page.keyboard.press("Enter")
        pdf = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(pdf)

    text = pdf_words(pdf)
    assert contains_sequence(text, words("HØRINGSNOTAT – UDKAST"))
    for response_text in published:
        assert contains_sequence(text, words(response_text)), response_text
