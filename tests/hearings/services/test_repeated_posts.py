"""A form posted twice (a double click on a slow connection, the browser's resubmit) does its work once:
one response, one number, one receipt; one flag, one remark, one moderation event, one e-mail."""

import datetime as dt
import re
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from hearings import services, submission
from hearings.models import Hearing, Response, ResponseAttachment
from moderation import services as moderation
from moderation.models import Flag, ModerationEvent, Remark
from notifications.models import Follow
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.conftest import wait_for
from tests.hearings.factories import HearingFactory, add
from tests.helpers import pdf_bytes, upload

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


def test_a_text_of_several_lines_sent_twice_lands_on_the_first_receipt(
    client, citizen, open_hearing, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    token = form_token(client, reverse("hearings:respond", args=[open_hearing.pk]))
    text = "Kære kommune\r\n\r\nSkolerne skal have mere plads.\r\nVenlig hilsen Karen"  # as browsers send it
    with django_capture_on_commit_callbacks(execute=True):
        respond(client, open_hearing, token, text=text)
        second = respond(client, open_hearing, token, text=text)

    saved = Response.objects.get()
    assert saved.text == "Kære kommune\n\nSkolerne skal have mere plads.\nVenlig hilsen Karen"
    assert (second.status_code, second["Location"]) == (
        302,
        reverse("hearings:receipt", args=[saved.public_id]),
    )
    assert len(mailoutbox) == 1


def test_every_page_with_the_response_form_gives_it_a_token_of_its_own(client, citizen, open_hearing):
    client.force_login(citizen)
    urls = [reverse("hearings:respond", args=[open_hearing.pk]), open_hearing.strategy.get_absolute_url()]
    tokens = [form_token(client, url) for url in urls + urls]
    assert len(set(tokens)) == 4
    assert all(submission.SUBMISSION_TOKEN.fullmatch(t) for t in tokens)


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
    token = submission.new_submission_token()
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
        except submission.AlreadySubmitted as earlier:
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
    refused = [o for o in outcomes if isinstance(o, submission.AlreadySubmitted)]
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


# --- Every other action posted twice ------------------------------------------------------------------


@pytest.fixture
def moderator(vallensbaek):
    return staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk")


def events(action) -> int:
    return ModerationEvent.objects.filter(action=action).count()


def test_an_edit_sent_twice_keeps_one_revision_and_one_event(client, citizen, open_hearing):
    """Naturally idempotent: the second post finds the text already as it says."""
    response = add(open_hearing, author=citizen, text="Oprindelig tekst")
    client.force_login(citizen)
    data = {"respondent_type": "private", "display_name": "Karen", "text": "Rettet tekst"}
    for _ in range(2):
        result = client.post(reverse("hearings:edit", args=[response.public_id]), data)
        assert (result.status_code, result["Location"]) == (302, reverse("hearings:my_responses"))
    assert list(response.revisions.values_list("text", flat=True)) == ["Oprindelig tekst"]
    assert events("edited") == 1


def test_a_withdrawal_sent_twice_is_done_once_and_both_posts_say_so(client, citizen, open_hearing):
    response = add(open_hearing, author=citizen)
    client.force_login(citizen)
    for _ in range(2):
        result = client.post(reverse("hearings:withdraw", args=[response.public_id]))
        assert (result.status_code, result["Location"]) == (302, reverse("hearings:my_responses"))
    assert events("withdrawn") == 1
    page = client.get(reverse("hearings:my_responses")).content.decode()
    assert "Dit høringssvar nr. 1 er trukket tilbage." in page


def test_a_report_sent_twice_is_one_flag_and_the_second_post_thanks_as_the_first(client, open_hearing):
    response = add(open_hearing)
    url = reverse("moderation:flag", args=[open_hearing.pk, response.number])
    flaggers = VerifiedUserFactory.create_batch(3)
    for user in flaggers[:2]:
        moderation.flag_response(response=response, user=user, reason="spam")
    client.force_login(flaggers[2])  # the third report takes the response back to moderation
    for _ in range(2):
        result = client.post(url, {"reason": "offensive", "note": "Grimme ord"})
        assert (result.status_code, result["Location"]) == (302, open_hearing.get_absolute_url())
    assert Flag.objects.filter(user=flaggers[2]).count() == 1
    assert (events("flagged"), events("flag_threshold")) == (3, 1)


@pytest.mark.parametrize(
    ("status", "action", "reason", "word"),
    [("pending", "published", "", "offentliggjort"), ("published", "hidden", "offensive", "skjult"),
     ("hidden", "restored", "", "gendannet")],
)  # fmt: skip
def test_a_moderation_action_sent_twice_is_done_logged_and_emailed_once(
    client, open_hearing, moderator, citizen, mailoutbox, django_capture_on_commit_callbacks,
    status, action, reason, word,
):  # fmt: skip
    response = add(
        open_hearing, status, author=citizen, moderation_reason="spam" if status == "hidden" else ""
    )
    client.force_login(moderator)
    data = {"action": action, "reason": reason, "note": "Se retningslinjerne"}
    with django_capture_on_commit_callbacks(execute=True):
        results = [client.post(reverse("moderation:moderate", args=[response.pk]), data) for _ in range(2)]
    assert [r.status_code for r in results] == [302, 302]
    assert events(action) == 1
    assert len(mailoutbox) == 1
    page = client.get(results[1]["Location"]).content.decode()
    assert f"Høringssvar nr. 1 er allerede {word}." in page


def test_bulk_publish_sent_twice_publishes_each_once_and_the_second_post_says_they_are_done(
    client, open_hearing, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    pending = [add(open_hearing, "pending"), add(open_hearing, "pending")]
    client.force_login(moderator)
    data = {"response": [str(r.pk) for r in pending]}
    with django_capture_on_commit_callbacks(execute=True):
        results = [client.post(reverse("moderation:bulk_publish"), data) for _ in range(2)]
    assert events("published") == 2 and len(mailoutbox) == 2
    page = client.get(results[1]["Location"]).content.decode()
    assert "De valgte høringssvar afventer ikke længere; de er allerede behandlet." in page


def test_a_remark_sent_twice_is_one_remark_and_one_event(client, open_hearing, moderator):
    response = add(open_hearing)
    client.force_login(moderator)
    data = {"recommendation": "noted", "text": "Tak for svaret."}
    for _ in range(2):
        assert client.post(reverse("moderation:remark", args=[response.pk]), data).status_code == 302
    assert Remark.objects.count() == 1 and events("remark_created") == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_remark_saved_twice_at_the_same_time_is_one_remark_and_no_error(vallensbaek):
    """Against PostgreSQL: the first save is still open when the second starts; the second waits for it
    (seen as a lock wait in pg_stat_activity) and then finds the remark, instead of inserting a second
    one into the one-to-one and failing."""
    hearing = HearingFactory(strategy=vallensbaek)
    actor = staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk")
    response = add(hearing)
    errors = []

    def save():
        moderation.save_remark(response=response, actor=actor, text="Tak for svaret.", recommendation="noted")

    def second():
        try:
            save()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def someone_waits_for_a_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the transaction sees its first view
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    thread = threading.Thread(target=second)
    with transaction.atomic():
        save()
        thread.start()
        assert wait_for(someone_waits_for_a_lock, timeout=30)
    thread.join(timeout=30)

    assert errors == []
    assert Remark.objects.count() == 1 and events("remark_created") == 1


def test_naturally_idempotent_posts_do_their_work_once(client, open_hearing, moderator, citizen):
    """Following a hearing (update_or_create), unfollowing, and publishing the hearing summary (a state
    check) were already safe to repeat; kept so."""
    client.force_login(citizen)
    for _ in range(2):
        assert (
            client.post(
                reverse("notifications:follow", args=[open_hearing.pk]), {"on_open": "on"}
            ).status_code
            == 302
        )
    assert Follow.objects.count() == 1
    Hearing.objects.filter(pk=open_hearing.pk).update(
        opens_at=open_hearing.opens_at - dt.timedelta(days=30),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    client.force_login(moderator)
    for _ in range(2):
        assert client.post(reverse("documents:publish_summary", args=[open_hearing.pk])).status_code == 302
    assert events("summary_published") == 1
