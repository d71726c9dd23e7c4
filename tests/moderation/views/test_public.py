"""What the public pages show of moderated responses: a hidden response's notice in its place, and
nothing at all of a response that is not published."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from hearings.models import ResponseAttachment
from moderation import services as moderation
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import add
from tests.helpers import pdf_bytes, public_html


def test_a_hidden_response_shows_as_a_notice_with_its_reason_in_its_place_and_is_not_counted(
    client, open_hearing, moderator, section5
):
    add(open_hearing, text="Første svar")
    secret = add(open_hearing, text="Andet svar nævner naboen Jens Jensen", target_section=section5)
    add(open_hearing, text="Tredje svar", target_section=section5)
    add(open_hearing, text="Fjerde svar")
    moderation.moderate(
        response=secret, actor=moderator, action="hidden", reason="personal_data", notify=False
    )

    notice = "Høringssvar nr. 2 er skjult af moderator: personoplysninger om andre"
    html = public_html(client, open_hearing.get_absolute_url())
    assert "Viser 1–3 af 3 høringssvar" in html
    assert notice in html
    assert "Jens Jensen" not in html
    assert re.findall(r'<li class="response-item[^"]*" id="svar-(\d+)"', html) == ["1", "2", "3", "4"]
    assert html.count("response-hidden") == 1

    html = public_html(client, section5.get_absolute_url())
    assert "Viser 1–1 af 1 høringssvar" in html
    assert notice in html and "Jens Jensen" not in html
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(reverse("moderation:flag", args=[open_hearing.pk, 2])).status_code == 404


def test_a_hidden_response_between_two_pages_keeps_its_notice(client, open_hearing, moderator):
    for _ in range(20):
        add(open_hearing)
    between = add(open_hearing, text="Skjules")
    for _ in range(20):
        add(open_hearing)
    moderation.moderate(response=between, actor=moderator, action="hidden", reason="spam", notify=False)
    first = public_html(client, open_hearing.get_absolute_url())
    second = public_html(client, open_hearing.get_absolute_url() + "?side=2")
    assert "Viser 1–20 af 40 høringssvar" in first and "Viser 21–40 af 40 høringssvar" in second
    notice = "Høringssvar nr. 21 er skjult af moderator: spam"
    assert (first + second).count(notice) == 1


@pytest.mark.parametrize("status", ["pending", "rejected", "withdrawn", "hidden"])
def test_a_response_that_is_not_published_is_in_no_public_list_page_or_count(
    client, pre_hearing, section5, vallensbaek, status
):
    shown = add(pre_hearing, text="Et offentliggjort svar", target_section=section5)
    ResponseAttachment.objects.create(response=shown, original_name="offentlig.pdf", kind="pdf", size=10,
                                      file=ContentFile(pdf_bytes(), name="offentlig.pdf"), publication="public")  # fmt: skip
    secret = add(
        pre_hearing, status, text="Hemmelig tekst om Jens Jensen", display_name="Hemmelig Afsender",
        target_section=section5, moderation_reason="spam" if status in ("hidden", "rejected") else "",
    )  # fmt: skip
    attachment = ResponseAttachment.objects.create(
        response=secret, original_name="hemmeligt.pdf", kind="pdf", size=10,
        file=ContentFile(pdf_bytes(), name="hemmeligt.pdf"), publication="public",
    )  # fmt: skip
    other = VerifiedUserFactory()

    pages = {
        "hearing": pre_hearing.get_absolute_url(),
        "section": section5.get_absolute_url(),
        "strategy": vallensbaek.get_absolute_url(),
        "hearing list": reverse("hearings:list"),
        "response": shown.get_absolute_url(),
    }
    for visitor in (None, other):
        if visitor:
            client.force_login(visitor)
        for name, url in pages.items():
            html = public_html(client, url)
            for secret_text in ("Hemmelig tekst", "Hemmelig Afsender", "hemmeligt.pdf"):
                assert secret_text not in html, (status, name)
            if name in ("hearing", "section"):
                assert "Viser 1–1 af 1 høringssvar" in html, (status, name)
                assert ('id="svar-2"' in html) == (status == "hidden"), (status, name)
                assert ("Høringssvar nr. 2 er skjult af moderator: spam" in html) == (status == "hidden")
        assert client.get(reverse("hearings:response", args=[pre_hearing.pk, 2])).status_code == 404
        assert client.get(reverse("moderation:flag", args=[pre_hearing.pk, 2])).status_code == 404
        assert client.get(attachment.get_absolute_url()).status_code == 404
        assert client.get(shown.attachments.get().get_absolute_url()).status_code == 200


def test_a_pending_response_becomes_public_when_published(client, pre_hearing, moderator):
    response = add(pre_hearing, "pending", text="Venter på en moderator")
    assert "Venter på en moderator" not in public_html(client, pre_hearing.get_absolute_url())
    moderation.moderate(response=response, actor=moderator, action="published", notify=False)
    html = public_html(client, pre_hearing.get_absolute_url())
    assert "Venter på en moderator" in html and "Viser 1–1 af 1 høringssvar" in html
