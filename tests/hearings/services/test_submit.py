"""The response form: what a citizen sees when it works and when their input is wrong."""

import pytest
from django.test import Client
from django.urls import reverse

from hearings.models import RESPONSE_TEXT_MAX_LENGTH, Hearing, Response
from tests.hearings.factories import HearingFactory
from tests.helpers import docx_bytes, pdf_bytes, png_bytes, upload
from tests.strategies.factories import StrategyFactory


def post(client, hearing, **overrides):
    data = {
        "target": "strategy",
        "respondent_type": "private",
        "organisation_name": "",
        "display_name": "Karen Borger",
        "postcode": "2665",
        "town": "Vallensbæk",
        "text": "Jeg er glad for strategien.\nMen skolerne skal have mere plads.",
        "consent": "on",
    }
    data.update(overrides)
    return client.post(reverse("hearings:respond", args=[hearing.pk]), data)


def test_a_citizen_responds_and_gets_a_receipt_page_and_a_receipt_email(
    client, citizen, open_hearing, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, open_hearing)
    saved = Response.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hearings:receipt", args=[saved.public_id])
    assert (saved.number, saved.status, saved.author, saved.postcode) == (1, "published", citizen, "2665")

    receipt = client.get(response["Location"]).content.decode()
    assert "Tak for dit høringssvar nr. 1" in receipt
    assert "Jeg er glad for strategien.<br>Men skolerne skal have mere plads." in receipt

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [citizen.email]
    assert "Kvittering for dit høringssvar nr. 1" in mail.subject
    assert "Jeg er glad for strategien." in mail.body and "høringssvar nr. 1" in mail.body


def test_the_response_targets_a_goal_and_shows_on_the_section_page(client, citizen, open_hearing, section5):
    goal = section5.goals.filter(parent=None).first().children.first()
    client.force_login(citizen)
    post(client, open_hearing, target=f"goal-{goal.pk}", text="Om kodning i skolen")
    saved = Response.objects.get()
    assert saved.target == goal
    html = client.get(section5.get_absolute_url()).content.decode()
    assert "Om kodning i skolen" in html
    assert "Viser 1–1 af 1 høringssvar" in html


def test_the_form_preselects_the_target_reached_from(client, citizen, open_hearing, section5):
    theme = section5.themes.first()
    client.force_login(citizen)
    html = client.get(
        reverse("hearings:respond", args=[open_hearing.pk]) + f"?target=theme-{theme.pk}"
    ).content.decode()
    assert f'<option value="theme-{theme.pk}" selected>' in html


def test_pre_moderated_response_is_pending_and_not_shown(client, citizen, open_hearing):
    Hearing.objects.filter(pk=open_hearing.pk).update(moderation=Hearing.Moderation.PRE)
    client.force_login(citizen)
    post(client, open_hearing, text="Venter på moderator")
    assert Response.objects.get().status == "pending"
    assert "Venter på moderator" not in client.get(open_hearing.get_absolute_url()).content.decode()


def test_attachments_are_saved_with_their_checked_kind_and_a_safe_name(client, citizen, open_hearing):
    client.force_login(citizen)
    files = [
        upload("../../etc/høringssvar.pdf", pdf_bytes()),
        upload("billede.png", png_bytes()),
        upload("brev.docx", docx_bytes()),
    ]
    response = post(client, open_hearing, attachments=files)
    assert response.status_code == 302
    saved = Response.objects.get()
    kinds = sorted((a.original_name, a.kind) for a in saved.attachments.all())
    assert kinds == [("billede.png", "png"), ("brev.docx", "docx"), ("høringssvar.pdf", "pdf")]
    for attachment in saved.attachments.all():
        assert attachment.file.name.startswith(f"attachments/{open_hearing.pk}/")
        assert ".." not in attachment.file.name and "etc" not in attachment.file.name
    download = client.get(saved.attachments.get(kind="pdf").get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": ""}, "text", "Skriv dit høringssvar."),
        ({"text": "x" * 20_000}, "text", "Dit svar er 20000 tegn. Der er plads til 10000 tegn"),
        ({"display_name": ""}, "display_name", "Skriv det navn, der skal stå ved dit høringssvar."),
        ({"respondent_type": "association"}, "organisation_name", "Skriv navnet på den organisation"),
        ({"respondent_type": "king"}, "respondent_type", "Vælg hvem du udtaler dig som."),
        ({"postcode": "26a5"}, "postcode", "Et postnummer er fire cifre, fx 2665."),
        ({"consent": ""}, "consent", "Du skal give samtykke til, at dit høringssvar offentliggøres."),
        ({"target": "goal-999999"}, "target", "Vælg hvad dit høringssvar handler om."),
        ({"target": "<script>"}, "target", "Vælg hvad dit høringssvar handler om."),
    ],
)
def test_bad_input_gets_a_danish_message_at_its_field_and_keeps_the_text(
    client, citizen, open_hearing, overrides, field, message
):
    client.force_login(citizen)
    typed = {"text": "Min lange tekst om skolerne", **overrides}
    response = post(client, open_hearing, **typed)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    if typed["text"] and len(typed["text"]) < 30:
        assert typed["text"] in html
    assert Response.objects.count() == 0


def test_the_overlong_text_is_kept_for_the_user_to_shorten(client, citizen, open_hearing):
    client.force_login(citizen)
    text = "Et meget langt svar. " * 1000  # 21,000 characters
    html = post(client, open_hearing, text=text).content.decode()
    assert text.strip() in html


def test_line_breaks_as_a_browser_sends_them_are_stored_and_counted_as_one_character(
    client, citizen, open_hearing
):
    client.force_login(citizen)
    line = "Skolevejen skal være sikker.\r\n"  # 29 characters as the citizen sees them, 30 as sent
    text = line * (RESPONSE_TEXT_MAX_LENGTH // 29)
    assert len(text.replace("\r\n", "\n")) <= RESPONSE_TEXT_MAX_LENGTH < len(text)
    assert post(client, open_hearing, text=text).status_code == 302
    saved = Response.objects.get(hearing=open_hearing).text
    assert "\r" not in saved and saved == text.replace("\r\n", "\n").strip()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "svar.pdf",
            b"<html><script>alert(1)</script></html>",
            "er ikke en PDF-, Word- (DOCX), ODT-, JPEG- eller PNG-fil",
        ),
        (
            "svar.docx",
            b"MZ\x90\x00" + b"\x00" * 200,
            "er ikke en PDF-, Word- (DOCX), ODT-, JPEG- eller PNG-fil",
        ),
        (
            "billede.jpg",
            png_bytes()[:8] + b"not really",
            "er ikke en PDF-, Word- (DOCX), ODT-, JPEG- eller PNG-fil",
        ),
        ("tom.pdf", b"", "er tom"),
    ],
)
def test_wrong_or_disguised_attachments_are_refused(client, citizen, open_hearing, name, content, message):
    client.force_login(citizen)
    response = post(client, open_hearing, attachments=[upload(name, content)])
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Vælg dine bilag igen" in html
    assert Response.objects.count() == 0


def test_an_attachment_over_10_mb_is_refused(client, citizen, open_hearing):
    client.force_login(citizen)
    big = pdf_bytes() + b"0" * (10 * 1024 * 1024)
    response = post(client, open_hearing, attachments=[upload("stor.pdf", big)])
    assert response.status_code == 400
    assert "er for stor (10,0 MB). Et bilag må højst fylde 10 MB." in response.content.decode()


def test_at_most_five_attachments(client, citizen, open_hearing):
    client.force_login(citizen)
    files = [upload(f"bilag{i}.pdf", pdf_bytes()) for i in range(6)]
    response = post(client, open_hearing, attachments=files)
    assert response.status_code == 400
    assert "Du kan højst vedhæfte 5 filer. Du valgte 6." in response.content.decode()


def test_a_target_of_another_hearings_strategy_is_refused(client, citizen, open_hearing, billund):
    other_section = billund.sections.first()
    client.force_login(citizen)
    response = post(client, open_hearing, target=f"section-{other_section.pk}")
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_a_hearing_on_one_section_refuses_targets_outside_it(client, citizen, vallensbaek, section5):
    hearing = HearingFactory(strategy=vallensbaek, section=section5)
    other = vallensbaek.sections.get(number=1)
    client.force_login(citizen)
    assert post(client, hearing, target=f"section-{other.pk}").status_code == 400
    assert post(client, hearing, target="strategy").status_code == 400
    assert post(client, hearing, target=f"section-{section5.pk}").status_code == 302
    assert Response.objects.get().target_section == section5


def test_markup_in_every_field_is_shown_as_text(client, citizen, open_hearing):
    client.force_login(citizen)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post(client, open_hearing, respondent_type="business", organisation_name=evil, display_name=evil, town=evil,
         text=evil)  # fmt: skip
    assert Response.objects.count() == 1
    for url in (open_hearing.get_absolute_url(), Response.objects.get().get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_post_without_csrf_token_is_refused(citizen, open_hearing):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = post(client, open_hearing)
    assert response.status_code == 403
    assert Response.objects.count() == 0


def test_anonymous_post_keeps_the_text_and_asks_to_log_in(client, open_hearing):
    response = post(client, open_hearing, text="Skrevet uden at være logget ind")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Log ind for at sende et høringssvar." in html
    assert "Skrevet uden at være logget ind" in html
    assert Response.objects.count() == 0


def test_a_draft_strategys_hearing_is_not_found(client, citizen):
    hearing = HearingFactory(strategy=StrategyFactory(status="draft"))
    client.force_login(citizen)
    assert client.get(hearing.get_absolute_url()).status_code == 404
    assert post(client, hearing).status_code == 404


def test_the_strategy_page_of_an_open_hearing_has_the_form_the_period_and_the_pdf_links(
    client, citizen, open_hearing, vallensbaek
):
    client.force_login(citizen)
    html = client.get(vallensbaek.get_absolute_url()).content.decode()
    assert "Har du nogle kommentarer?" in html
    assert f'action="{reverse("hearings:respond", args=[open_hearing.pk])}"' in html
    assert '<option value="strategy" selected>' in html  # the whole strategy is preselected here
    assert "Høringsperiode" in html
    assert "Hent hele høringsforslaget som pdf" in html
    assert open_hearing.get_absolute_url() in html


def test_the_strategy_page_of_a_closed_hearing_says_so_and_has_no_form(client, citizen, vallensbaek):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    HearingFactory(
        strategy=vallensbaek, opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1)
    )
    client.force_login(citizen)
    html = client.get(vallensbaek.get_absolute_url()).content.decode()
    assert "Høringen er afsluttet" in html
    assert "Har du nogle kommentarer?" not in html and 'name="text"' not in html


def test_pasted_line_breaks_become_line_breaks_and_unprintable_characters_go(client, citizen, open_hearing):
    """What a word processor pastes (issue 12, item 1): U+000B and U+2028 are line breaks, a control
    character or a noncharacter is nothing; the rest of what the citizen typed is kept as typed."""
    client.force_login(citizen)
    text = "Første linje\x0bAnden linje\u2028Tredje linje\x01\ufffe\u2029Nyt afsnit: æøå ÆØÅ 😀 – “citat”"
    response = post(client, open_hearing, text=text, display_name="Anne\x0bMarie Ørsted\x1f",
                    town="Vallensbæk\x0bStrand", organisation_name="Ignored", respondent_type="private")  # fmt: skip
    assert response.status_code == 302
    saved = Response.objects.get(hearing=open_hearing)
    assert saved.text == "Første linje\nAnden linje\nTredje linje\n\nNyt afsnit: æøå ÆØÅ 😀 – “citat”"
    assert (saved.display_name, saved.town) == ("Anne Marie Ørsted", "Vallensbæk Strand")


def test_a_text_of_nothing_but_unprintable_characters_is_an_empty_text(client, citizen, open_hearing):
    client.force_login(citizen)
    response = post(client, open_hearing, text="\x0b\x01\ufffe")
    assert response.status_code == 400
    assert 'id="id_text_error"' in response.content.decode()
    assert "Skriv dit høringssvar." in response.content.decode()
    assert not Response.objects.filter(hearing=open_hearing).exists()
