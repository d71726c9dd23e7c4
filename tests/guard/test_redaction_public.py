"""A redaction reaches every public copy of a response (issue 15, item 4: "everywhere"): its page, the
hearing's (cached) response list, the feeds, the search, the exports, and the hearing summary's HTML and
PDF (its topics' quotes included; the summary made before is discarded). Each place had the original
before and has only the marker after."""

import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from analysis.models import TopicResponse
from documents import content as doc_content
from documents import layout as doc_layout
from documents import services as doc_services
from documents.models import RenderedDocument
from guard.models import REDACTION_MARKER
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.documents.services.test_documents import pdf_text
from tests.hearings.factories import add

from .test_redaction import ADDRESS, CPR, TEXT

pytestmark = pytest.mark.django_db

QUOTE = f"mit CPR-nummer er {CPR}"


@pytest.fixture(autouse=True)
def _fresh(media_root):
    cache.clear()


@pytest.fixture
def published(open_hearing, citizen):
    """A published response with a CPR number and an address, quoted by a topic (the quote has the CPR
    number), and another response, so that lists and summaries are not of one."""
    add(open_hearing, display_name="Åse Ørsted", text="Flere bænke ved stien, tak.")
    response = add(open_hearing, author=citizen, display_name="Karen Borger", text=TEXT)
    TopicResponseFactory(topic=TopicFactory(hearing=open_hearing, title="Lys på stierne"), response=response,
                         quote=QUOTE)  # fmt: skip
    return response


def redact_by_hand(client, response, moderator, django_capture_on_commit_callbacks) -> None:
    """The moderator redacts the ticked findings (the CPR number and the address) on the staff page."""
    client.force_login(moderator)
    html = client.get(reverse("moderation:response", args=[response.pk])).content.decode()
    data = {
        "findings": re.findall(r'name="guard-findings" value="([^"]+)"[^>]*checked', html),
        "seen": re.search(r'name="guard-seen" value="([0-9a-f]+)"', html).group(1),
        "reason": "",
    }
    assert len(data["findings"]) == 2
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("guard:redact", args=[response.pk]), {f"guard-{k}": v for k, v in data.items()}
        )
        assert answer.status_code == 302
    client.logout()


def assert_redacted(text: str, where: str) -> None:
    assert CPR not in text and "010190" not in text, where
    assert "Skolevej" not in text, where
    assert REDACTION_MARKER in text, where


def get(client, url) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


def test_the_public_response_page(client, published, moderator, django_capture_on_commit_callbacks):
    url = published.get_absolute_url()
    assert CPR in get(client, url)
    redact_by_hand(client, published, moderator, django_capture_on_commit_callbacks)
    assert_redacted(get(client, url), "the response's page")


def test_the_hearings_response_list_cached_before(client, published, moderator, open_hearing,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    url = open_hearing.get_absolute_url()
    assert CPR in get(client, url) and CPR in get(client, url)  # rendered, then read from the cache
    redact_by_hand(client, published, moderator, django_capture_on_commit_callbacks)
    assert_redacted(get(client, url), "the hearing page (anonymous, cached)")
    client.force_login(published.author)
    assert_redacted(get(client, url), "the hearing page (signed in)")


@pytest.mark.parametrize("name", ["notifications:response_feed_rss", "notifications:response_feed_atom"])
def test_the_feeds(client, published, moderator, open_hearing, django_capture_on_commit_callbacks, name):
    url = reverse(name, args=[open_hearing.pk])
    assert CPR in get(client, url)
    redact_by_hand(client, published, moderator, django_capture_on_commit_callbacks)
    assert_redacted(get(client, url), name)


def test_the_search(client, published, moderator, django_capture_on_commit_callbacks):
    search = reverse("search")
    assert published.get_absolute_url() in get(client, f"{search}?q=Skolevej")  # found by the street before
    assert published.get_absolute_url() in get(client, f"{search}?q={CPR}")
    redact_by_hand(client, published, moderator, django_capture_on_commit_callbacks)
    html = get(client, f"{search}?q=Skolevej")
    assert published.get_absolute_url() not in html  # no longer found by what was removed
    html = get(client, f"{search}?q=mose+lys")
    assert published.get_absolute_url() in html  # found by the rest, and its snippet has the marker
    assert_redacted(html.replace("<mark>", "").replace("</mark>", ""), "the search's snippet")
    assert published.get_absolute_url() not in get(client, f"{search}?q={CPR}")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_exports(client, published, moderator, open_hearing, django_capture_on_commit_callbacks, fmt):
    def download() -> str:
        client.force_login(moderator)
        answer = client.get(reverse(f"documents:export_{fmt}", args=[open_hearing.pk]))
        content = b"".join(answer.streaming_content)
        if fmt == "csv":
            return content.decode("utf-8-sig")
        book = openpyxl.load_workbook(io.BytesIO(content))
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )

    assert CPR in download()
    redact_by_hand(client, published, moderator, django_capture_on_commit_callbacks)
    assert_redacted(download(), f"the {fmt.upper()} export")


def test_the_hearing_summarys_html_and_pdf(client, published, moderator, open_hearing,
                                           django_capture_on_commit_callbacks):  # fmt: skip
    def html() -> str:
        content = doc_content.summary_content(open_hearing)
        return doc_layout.render_html(content, made_at=timezone.localtime())

    def pdf() -> tuple[RenderedDocument, str]:
        with django_capture_on_commit_callbacks(execute=True):
            document = doc_services.request_document(hearing=open_hearing, kind="summary")
        document.refresh_from_db()
        assert document.status == "done"
        return document, pdf_text(document)

    before = html()
    assert CPR in before and QUOTE in before
    made_before, text = pdf()
    assert CPR in text
    redact_by_hand(client, published, moderator, django_capture_on_commit_callbacks)
    # The summary made before is gone, file and all; the next one is made from the redacted text.
    assert not RenderedDocument.objects.filter(pk=made_before.pk).exists()
    client.force_login(moderator)
    assert client.get(reverse("documents:file", args=[open_hearing.pk, made_before.pk])).status_code == 404
    assert TopicResponse.objects.get(response=published).quote == f"mit CPR-nummer er {REDACTION_MARKER}"
    assert_redacted(html(), "the summary's HTML")
    made_after, text = pdf()
    assert made_after.pk != made_before.pk
    assert CPR not in text and "010190" not in text and "Skolevej" not in text and ADDRESS not in text
    assert "[udeladt:" in text.replace("\n", " ")
