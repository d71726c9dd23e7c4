"""A form posted twice (a double click on a slow connection, the browser's resubmit) does its work once:
one response, one number, one receipt; one flag, one remark, one moderation event, one e-mail."""

import re
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from hearings import services
from hearings.models import Hearing, ModerationEvent, Response, ResponseAttachment
from tests.factories import HearingFactory, VerifiedUserFactory
from tests.hearings.conftest import pdf_bytes, upload

TOKEN = re.compile(r'<input type="hidden" name="submission_token" value="([^"]+)"')


def form_token(client, url) -> str:
    """The one-time token of the response form as a browser gets it on ``url`` ("" if it has none)."""
    html = client.get(url).content.decode()
    return next(iter(TOKEN.findall(html)), "")


def respond(client, hearing, token, **overrides):
    data = {
        "target": "strategy", "respondent_type": "private", "display_name": "Karen Borger",
        "postcode": "2665", "town": "Vallensbæk", "text": "Skolerne skal have mere plads.", "consent": "on",
        "submission_token": token,
        "attachments": [upload("bilag.pdf", pdf_bytes("Mit bilag"))],
    }  # fmt: skip
    data.update(overrides)
    return client.post(reverse("hearings:respond", args=[hearing.pk]), data)


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_response_form_sent_twice_files_one_response_and_the_second_post_lands_on_its_receipt(
    client, citizen, open_hearing, mailoutbox, django_capture_on_commit_callbacks, settings
):
    client.force_login(citizen)
    token = form_token(client, reverse("hearings:respond", args=[open_hearing.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        first = respond(client, open_hearing, token)
        second = respond(client, open_hearing, token)

    saved = Response.objects.get()
    receipt = reverse("hearings:receipt", args=[saved.public_id])
    assert (first.status_code, first["Location"]) == (302, receipt)
    assert (second.status_code, second["Location"]) == (302, receipt)
    assert saved.number == 1
    open_hearing.refresh_from_db()
    assert open_hearing.last_response_number == 1
    assert len(mailoutbox) == 1 and "Kvittering for dit høringssvar nr. 1" in mailoutbox[0].subject
    assert ModerationEvent.objects.filter(action="submitted").count() == 1
    assert ResponseAttachment.objects.count() == 1
    assert len(stored_files(settings)) == 1  # the second post's attachment is not left behind
    page = client.get(second["Location"]).content.decode()
    assert "Dit høringssvar nr. 1 var allerede modtaget; det er kun gemt én gang." in page
    hearing_page = client.get(open_hearing.get_absolute_url()).content.decode()
    assert hearing_page.count("Skolerne skal have mere plads.") == 1


def test_every_page_with_the_response_form_gives_it_a_token_of_its_own(client, citizen, open_hearing):
    client.force_login(citizen)
    urls = [reverse("hearings:respond", args=[open_hearing.pk]), open_hearing.strategy.get_absolute_url()]
    tokens = [form_token(client, url) for url in urls + urls]
    assert len(set(tokens)) == 4
    assert all(services.SUBMISSION_TOKEN.fullmatch(t) for t in tokens)


def test_the_form_sent_again_with_another_text_keeps_the_text_and_sends_it_only_when_asked(
    client, citizen, open_hearing
):
    client.force_login(citizen)
    token = form_token(client, reverse("hearings:respond", args=[open_hearing.pk]))
    respond(client, open_hearing, token)
    again = respond(client, open_hearing, token, text="Og legepladsen skal blive.")
    html = again.content.decode()
    assert again.status_code == 409
    assert "Du har allerede sendt et høringssvar fra denne side (nr. 1)." in html
    assert "Og legepladsen skal blive." in html
    assert Response.objects.count() == 1
    fresh = TOKEN.findall(html)
    assert len(fresh) == 1 and fresh[0] != token
    assert respond(client, open_hearing, fresh[0], text="Og legepladsen skal blive.").status_code == 302
    assert list(Response.objects.order_by("number").values_list("number", "text")) == [
        (1, "Skolerne skal have mere plads."), (2, "Og legepladsen skal blive."),
    ]  # fmt: skip


def test_a_token_is_tied_to_its_user(client, citizen, open_hearing):
    client.force_login(citizen)
    token = form_token(client, reverse("hearings:respond", args=[open_hearing.pk]))
    respond(client, open_hearing, token)
    other = VerifiedUserFactory()
    client.force_login(other)
    answer = respond(client, open_hearing, token)
    theirs = Response.objects.get(author=other)
    assert answer["Location"] == reverse("hearings:receipt", args=[theirs.public_id])
    assert Response.objects.count() == 2


def test_a_form_without_a_token_or_with_a_forged_one_is_still_taken(client, citizen, open_hearing):
    client.force_login(citizen)
    assert respond(client, open_hearing, "").status_code == 302
    assert respond(client, open_hearing, "x" * 500, text="Andet svar").status_code == 302
    assert list(Response.objects.values_list("submission_token", flat=True)) == [None, None]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("two_hearings", [False, True], ids=["same hearing", "token reused on another"])
def test_two_posts_of_one_form_at_the_same_time_file_one_response(two_hearings):
    """Against PostgreSQL with real concurrent transactions. On one hearing the second post waits for
    the hearing's lock and finds the first one's response; on two hearings (a forged reuse) nothing
    serialises them, and the unique constraint stops the second."""
    user = VerifiedUserFactory()
    hearings = [HearingFactory(), HearingFactory()]
    token = services.new_submission_token()
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def post(hearing):
        try:
            start.wait()
            outcomes.append(
                services.submit_response(
                    hearing=hearing,
                    author=user,
                    target_key="strategy",
                    respondent_type="private",
                    display_name="A",
                    text="Samme svar",
                    consent=True,
                    submission_token=token,
                )  # fmt: skip
            )
        except services.AlreadySubmitted as earlier:
            outcomes.append(earlier)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(hearings[i] if two_hearings else hearings[0],)) for i in (0, 1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    saved = Response.objects.get()
    filed = [o for o in outcomes if isinstance(o, Response)]
    refused = [o for o in outcomes if isinstance(o, services.AlreadySubmitted)]
    assert [r.pk for r in filed] == [saved.pk]
    assert [(r.response.pk, r.same) for r in refused] == [(saved.pk, True)]
    assert sum(h.last_response_number for h in Hearing.objects.all()) == 1


def test_every_page_loads_the_script_that_sends_a_form_once(client, citizen, open_hearing):
    """The progressive enhancement (static/js/submit-once.js) is a static file, as the CSP demands, and
    the base template loads it on every page, so every POST form has it."""
    from django.contrib.staticfiles import finders

    script = Path(finders.find("js/submit-once.js")).read_text(encoding="utf-8")
    assert 'addEventListener("submit"' in script and 'addEventListener("pageshow"' in script
    client.force_login(citizen)
    for url in (reverse("hearings:respond", args=[open_hearing.pk]), reverse("hearings:my_responses")):
        html = client.get(url).content.decode()
        assert '<script src="/static/js/submit-once.js" defer></script>' in html
