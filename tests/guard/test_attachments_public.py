"""What the public, the author and the staff see and download of an attachment in each state of the guard
(issue 15, items 3 and 4): only a public file is linked or served to the public; one being checked or held
shows its name and that it is checked, a withheld one its name and why, the file never; a name that holds
personal data is left out; the author keeps their own file; staff download any of their hearings'."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from documents.content import summary_content
from guard import attachment_services
from hearings import selectors
from hearings.models import Hearing
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.hearings.factories import HearingFactory, add
from tests.helpers import pdf_bytes, public_html, upload

from .attachment_factories import attach, downloaded

pytestmark = pytest.mark.django_db

CHECKED = "Bilaget kontrolleres for personoplysninger, før det offentliggøres."
WITHHELD = "Bilaget er ikke offentliggjort, fordi det indeholder personoplysninger."
NAME_LEFT_OUT = "Bilag (navn udeladt)"
SECRET_NAME = "Klage fra Jens Hansen 070761-4285.pdf"


@pytest.fixture(autouse=True)
def _own_media_root(media_root):
    """Uploads in a folder of the test's own."""


@pytest.fixture
def response(open_hearing, citizen):
    return add(open_hearing, author=citizen, text="Et svar om cykelstier.")


def public_pages(hearing, response) -> dict[str, str]:
    return {"hearing": hearing.get_absolute_url(), "response": response.get_absolute_url()}


@pytest.mark.parametrize("publication", ["public", "checking", "held", "withheld"])
def test_the_public_gets_the_file_only_when_it_is_public(client, open_hearing, response, publication):
    attachment = attach(response, "plan.pdf", publication=publication,
                        note="Side 2 har naboens CPR-nummer" if publication == "withheld" else "")  # fmt: skip
    url = attachment.get_absolute_url()
    for visitor in (None, VerifiedUserFactory()):
        if visitor:
            client.force_login(visitor)
        for page, address in public_pages(open_hearing, response).items():
            html = public_html(client, address)
            assert "plan.pdf" in html, page
            assert (f'href="{url}"' in html) == (publication == "public"), page
            assert (CHECKED in html) == (publication in ("checking", "held")), page
            assert (WITHHELD in html) == (publication == "withheld"), page
            assert "naboens CPR-nummer" not in html  # the moderator's note is the author's, not the public's
        assert client.get(url).status_code == (200 if publication == "public" else 404)


def test_a_file_of_a_response_that_is_not_published_is_not_served_to_the_public(client, pre_hearing, citizen):
    pending = add(pre_hearing, "pending", author=citizen)
    attachment = attach(pending, publication="public")
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(VerifiedUserFactory())
    assert client.get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("publication", ["checking", "held", "withheld"])
def test_a_name_with_personal_data_is_left_out_while_the_file_is_not_public(
    client, open_hearing, response, publication
):
    attach(response, SECRET_NAME, publication=publication)
    attach(response, "Trafiktælling.pdf", publication=publication)
    for page, address in public_pages(open_hearing, response).items():
        html = public_html(client, address)
        assert "070761-4285" not in html and "Jens Hansen" not in html, page
        assert NAME_LEFT_OUT in html, page
        assert "Trafiktælling.pdf" in html, page  # a name without findings is still shown


def test_a_public_attachment_keeps_its_name(client, open_hearing, response):
    """A moderator who released it (or the guard that found nothing) decided that the name may be shown."""
    attach(response, "Svar fra Jens Hansen.pdf", publication="public")
    assert "Svar fra Jens Hansen.pdf" in public_html(client, open_hearing.get_absolute_url())


@pytest.mark.parametrize("publication", ["public", "checking", "held", "withheld"])
def test_the_author_downloads_their_own_file_and_sees_its_state(client, open_hearing, response, publication):
    note = "Bilaget nævner naboens adresse." if publication == "withheld" else ""
    attachment = attach(response, "plan.pdf", publication=publication, note=note, content=pdf_bytes("mit"))
    client.force_login(response.author)
    answer = client.get(attachment.get_absolute_url())
    assert answer.status_code == 200 and downloaded(answer) == pdf_bytes("mit")
    expected = {
        "public": None,
        "checking": "Bilaget kontrolleres for personoplysninger, før det offentliggøres.",
        "held": "Bilaget kontrolleres for personoplysninger, før det offentliggøres.",
        "withheld": "Bilaget offentliggøres ikke, fordi det indeholder personoplysninger.",
    }[publication]
    for page in (reverse("hearings:receipt", args=[response.public_id]), reverse("hearings:my_responses")):
        html = public_html(client, page)
        assert f'href="{attachment.get_absolute_url()}"' in html, page
        if expected:
            assert expected in html, page
        if note:
            assert note in html, page


def test_the_author_sees_that_a_replaced_attachment_has_redactions(client, open_hearing, response):
    attach(response, "plan-udeladt.pdf", publication="public", note="CPR-nummeret på side 2 er udeladt.")
    client.force_login(response.author)
    html = public_html(client, reverse("hearings:my_responses"))
    assert "Kommunen har erstattet bilaget med en udgave med udeladelser." in html
    assert "CPR-nummeret på side 2 er udeladt." in html


def test_no_file_is_served_after_the_hearings_personal_data_was_removed(client, open_hearing, response):
    attachment = attach(response, publication="public")
    type(response).objects.filter(pk=response.pk).update(personal_data_removed_at=response.created_at)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(response.author)
    assert client.get(attachment.get_absolute_url()).status_code == 404


@pytest.fixture
def billund_moderator(billund):
    return staff(billund.municipality, "moderator", "moderator@billund.dk")


@pytest.mark.parametrize("publication", ["checking", "held", "withheld", "public"])
def test_staff_of_the_municipality_download_any_attachment_of_their_hearings(
    client, open_hearing, response, moderator, editor, billund_moderator, publication
):
    attachment = attach(response, "plan.pdf", publication=publication, content=pdf_bytes("til personalet"))
    url = reverse("guard_attachments:download", kwargs={"pk": response.pk, "attachment": attachment.pk})
    for user in (moderator, editor):
        client.force_login(user)
        answer = client.get(url)
        assert answer.status_code == 200
        assert downloaded(answer) == pdf_bytes("til personalet")
        assert answer["Content-Disposition"] == 'attachment; filename="plan.pdf"'
        assert answer["Content-Security-Policy"] == "default-src 'none'; sandbox"
    council = staff(open_hearing.strategy.municipality, "council", "raad@vallensbaek.dk")
    for user in (council, billund_moderator, response.author):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_staff_download_an_attachment_only_under_its_own_response(client, open_hearing, response, moderator):
    attachment = attach(response)
    other = add(open_hearing)
    client.force_login(moderator)
    url = reverse("guard_attachments:download", kwargs={"pk": other.pk, "attachment": attachment.pk})
    assert client.get(url).status_code == 404


def test_staff_download_the_original_of_a_replaced_attachment(
    client, open_hearing, response, moderator, editor, billund_moderator
):
    attachment = attach(response, "plan.pdf", publication="held", content=pdf_bytes("original"))
    ids = {"pk": response.pk, "attachment": attachment.pk}
    client.force_login(moderator)
    assert client.get(reverse("guard_attachments:original", kwargs=ids)).status_code == 404  # not replaced
    attachment_services.replace_attachment(
        attachment=attachment, actor=moderator, upload=upload("plan-udeladt.pdf", pdf_bytes("udeladt")),
        reason="CPR-nummeret er udeladt.",
    )  # fmt: skip
    for user in (moderator, editor):
        client.force_login(user)
        answer = client.get(reverse("guard_attachments:original", kwargs=ids))
        assert answer.status_code == 200 and downloaded(answer) == pdf_bytes("original")
        assert answer["Content-Disposition"] == 'attachment; filename="plan.pdf"'
        assert downloaded(client.get(reverse("guard_attachments:download", kwargs=ids))) == pdf_bytes(
            "udeladt"
        )
    client.force_login(billund_moderator)
    assert client.get(reverse("guard_attachments:original", kwargs=ids)).status_code == 404
    client.logout()  # the public and the author get the version with redactions
    assert downloaded(client.get(attachment.get_absolute_url())) == pdf_bytes("udeladt")
    client.force_login(response.author)
    assert downloaded(client.get(attachment.get_absolute_url())) == pdf_bytes("udeladt")


def test_the_hearing_summary_names_attachments_by_their_state(open_hearing, response):
    attach(response, "offentlig.pdf", publication="public")
    attach(response, "tjekkes.pdf", publication="checking")
    attach(response, "tilbageholdt.pdf", publication="held")
    attach(response, "ikke-offentlig.pdf", publication="withheld", note="Naboens navn")
    attach(response, SECRET_NAME, publication="withheld")
    content = summary_content(Hearing.objects.get(pk=open_hearing.pk))
    (row,) = content["responses"]
    assert row["attachments"] == [
        "offentlig.pdf",
        "tjekkes.pdf (kontrolleres for personoplysninger, før det offentliggøres)",
        "tilbageholdt.pdf (kontrolleres for personoplysninger, før det offentliggøres)",
        "ikke-offentlig.pdf (ikke offentliggjort, fordi det indeholder personoplysninger)",
        "Bilag (navn udeladt) (ikke offentliggjort, fordi det indeholder personoplysninger)",
    ]


def test_a_decision_shows_at_once_on_the_cached_hearing_page(client, open_hearing, response, moderator):
    attachment = attach(response, "plan.pdf", publication="public")
    url = open_hearing.get_absolute_url()
    assert f'href="{attachment.get_absolute_url()}"' in public_html(client, url)
    assert f'href="{attachment.get_absolute_url()}"' in public_html(client, url)  # now from the cache
    version = Hearing.objects.get(pk=open_hearing.pk).content_version
    attachment_services.withhold_attachment(attachment=attachment, actor=moderator, reason="CPR-nummer")
    html = public_html(client, url)
    assert f'href="{attachment.get_absolute_url()}"' not in html and WITHHELD in html
    assert Hearing.objects.get(pk=open_hearing.pk).content_version > version  # the PDFs' fingerprint too
    attachment_services.release_attachment(attachment=attachment, actor=moderator)
    assert f'href="{attachment.get_absolute_url()}"' in public_html(client, url)


def test_a_page_of_public_attachments_costs_no_query_for_their_names(open_hearing, django_assert_num_queries):
    for _ in range(20):
        attach(add(open_hearing), "plan.pdf", publication="public")
    hearing = selectors.hearing_detail(pk=open_hearing.pk)
    with django_assert_num_queries(2):  # the page with its count, and the attachments
        list(selectors.published_responses(hearing=hearing))
    for response in hearing.responses.all()[:10]:
        attach(response, f"Bilag {response.number}.pdf", publication="checking")
    with django_assert_num_queries(3):  # and the municipality's own terms, once for all names
        page = selectors.published_responses(hearing=hearing)
    assert all(a.name_shown for r in page for a in r.attachments.all() if a.publication == "checking")


def test_markup_in_a_name_is_shown_as_text(client, open_hearing, response):
    name = '<img src=x onerror="alert(1)">.pdf'
    attach(response, name, publication="withheld")
    html = public_html(client, open_hearing.get_absolute_url())
    assert escape(name) in html and name not in html


def test_another_hearings_page_is_not_affected(client, open_hearing, response):
    other = HearingFactory(strategy=open_hearing.strategy)
    attach(add(other), SECRET_NAME, publication="held")
    assert NAME_LEFT_OUT in public_html(client, other.get_absolute_url())
    assert NAME_LEFT_OUT not in public_html(client, open_hearing.get_absolute_url())
