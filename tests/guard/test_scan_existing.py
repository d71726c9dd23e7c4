"""Existing data (issue 15, item 5): guard.report.scan_existing, manage.py scan_personal_data and the beat task
guard.scan_tasks.rescan_outdated scan what is stored, report per hearing and change nothing public."""

import datetime as dt
import sys
import types
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guard import finders, report, scan_tasks
from guard.models import Review, TermList
from guard.scanning import review_response
from hearings.models import Hearing, Response, ResponseAttachment
from moderation.models import ModerationEvent
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import add as add_response

CPR = "Mit CPR-nummer er 120580-1234, og jeg er imod planen."
EMAIL = "Skriv til karen@example.dk om det."
PHONE = "Ring på 22 33 44 55 hvis I vil."
HINT = "Min søn har ADHD og skal kunne cykle i skole."
CLEAN = "Vi ønsker flere cykelstier langs åen."
ADDRESS = "Naboen bor på Vestergade 12, 2665 Vallensbæk Strand, og hun er enig."

Status = Response.Status
Publication = ResponseAttachment.Publication
TextStatus = ResponseAttachment.TextStatus


def attach(response, *, text="", text_status=TextStatus.EXTRACTED, publication=Publication.PUBLIC,
           name="bilag.pdf") -> ResponseAttachment:  # fmt: skip
    return ResponseAttachment.objects.create(
        response=response, file=f"attachments/{response.hearing_id}/x.pdf", original_name=name, kind="pdf",
        size=1000, text=text, text_status=text_status, publication=publication,
    )  # fmt: skip


def add(hearing, status="published", **kwargs):
    """A response as ``tests.hearings.factories.add`` makes it, with a name the finders find nothing in
    (the factory's Danish fake names may begin with "Hr." or "Fru")."""
    kwargs.setdefault("display_name", "Borger")
    return add_response(hearing, status, **kwargs)


@pytest.fixture
def stored(open_hearing, billund_hearing):
    """Vallensbæk's open hearing with responses and attachments stored before the guard existed."""
    r = {
        "cpr": add(open_hearing, text=CPR),
        "email": add(open_hearing, "pending", text=EMAIL),
        "clean": add(open_hearing, text=CLEAN),
        "hint": add(open_hearing, text=HINT),
        "phone": add(open_hearing, "hidden", text=PHONE),
        "name": add(open_hearing, text=CLEAN, display_name="Karen", organisation_name="Tlf. 22 33 44 55"),
    }
    a = {
        "public": attach(r["clean"], text=f"Bilag til mit svar. {ADDRESS}"),
        "held": attach(r["email"], text=CPR, publication=Publication.HELD),
        "read": attach(r["cpr"], text="Et bilag uden noget personligt."),
        "pending": attach(r["hint"], text_status=TextStatus.PENDING),
        "failed": attach(r["hint"], text_status=TextStatus.FAILED),
        "named": attach(r["clean"], text="Tegningen.", name="cpr 120580-1234.pdf"),
    }
    other = add(billund_hearing, text=CPR)
    return types.SimpleNamespace(hearing=open_hearing, responses=r, attachments=a, other=other)


def public_state():
    """Everything of responses, attachments and hearings that a citizen could see, and the audit log."""
    return (
        sorted(
            Response.objects.values_list(
                "pk",
                "status",
                "text",
                "display_name",
                "organisation_name",
                "published_at",
                "edited_at",
                "moderation_reason",
                "withdrawn_at",
            )
        ),
        sorted(
            ResponseAttachment.objects.values_list(
                "pk",
                "publication",
                "publication_note",
                "text",
                "text_status",
                "text_problem",
                "original_name",
            )
        ),
        sorted(Hearing.objects.values_list("pk", "content_version")),
        ModerationEvent.objects.count(),
    )


def test_the_report_counts_per_hearing(stored):
    (one,) = report.scan_existing(hearing_ids=[stored.hearing.pk])
    assert (one.hearing_id, one.title, one.municipality) == (
        stored.hearing.pk, stored.hearing.title, "Vallensbæk Kommune",
    )  # fmt: skip
    assert one.responses == 6
    # cpr and name (published), email (pending), phone (hidden): a finding of high confidence each.
    assert dict(one.high_by_status) == {Status.PUBLISHED: 2, Status.PENDING: 1, Status.HIDDEN: 1}
    assert (one.high, one.published_high, one.cleared) == (4, 2, 0)
    # Responses: cpr, email, phone ×2, sensitive; attachments: address, cpr ×2.
    assert dict(one.kinds) == {"cpr": 3, "email": 1, "phone": 2, "address": 1, "sensitive": 1}
    assert one.low == 1
    assert (one.attachments, one.attachments_with_findings, one.attachments_public_with_findings) == (4, 3, 2)
    clean = stored.responses["clean"]
    assert one.public_attachments_in == [(clean.number, clean.pk)]  # both of its attachments
    assert (one.attachments_not_read, one.attachments_failed) == (1, 1)


def test_the_reviews_are_what_review_response_saves(stored):
    report.scan_existing()
    saved = {r.response_id: (r.high, r.low, r.kinds, r.finders_version) for r in Review.objects.all()}
    assert len(saved) == Response.objects.count() == 7
    for response in Response.objects.all():
        review = review_response(response)
        assert saved[response.pk] == (review.high, review.low, review.kinds, review.finders_version)
    assert saved[stored.responses["cpr"].pk] == (1, 0, ["cpr"], finders.VERSION)
    assert saved[stored.responses["hint"].pk] == (0, 1, ["sensitive"], finders.VERSION)


def test_published_only_leaves_the_others_out(stored):
    (one,) = report.scan_existing(hearing_ids=[stored.hearing.pk], published_only=True)
    assert one.responses == 4
    assert dict(one.high_by_status) == {Status.PUBLISHED: 2}
    assert (one.attachments, one.attachments_with_findings, one.attachments_not_read) == (3, 2, 1)
    assert not Review.objects.filter(response=stored.responses["email"]).exists()


def test_nothing_public_changes(stored):
    before = public_state()
    report.scan_existing()
    call_command("scan_personal_data", stdout=StringIO())
    assert public_state() == before
    # Published responses with findings stay published: they wait for a moderator in the queue's filter.
    assert Response.objects.get(pk=stored.responses["cpr"].pk).status == Status.PUBLISHED
    assert (
        ResponseAttachment.objects.get(pk=stored.attachments["public"].pk).publication == Publication.PUBLIC
    )


def test_a_moderators_clearing_stays_unless_more_is_found(stored, moderator):
    cleared_at = timezone.now() - dt.timedelta(days=1)
    cpr, email = stored.responses["cpr"], stored.responses["email"]
    for response, high in ((cpr, 1), (email, 0)):  # email: cleared when nothing sure was found in it
        Review.objects.create(
            response=response, high=high, low=0, kinds=[], finders_version="old", scanned_at=cleared_at,
            cleared_at=cleared_at, cleared_by=moderator,
        )  # fmt: skip
    (one,) = report.scan_existing(hearing_ids=[stored.hearing.pk])
    assert one.cleared == 1
    kept = Review.objects.get(response=cpr)
    assert (kept.cleared_at, kept.cleared_by, kept.finders_version) == (
        cleared_at,
        moderator,
        finders.VERSION,
    )
    reset = Review.objects.get(response=email)
    assert (reset.high, reset.cleared_at, reset.cleared_by) == (1, None, None)
    # What is left for a moderator: of the two published ones, the one nobody went through.
    assert (one.published_high, one.published_to_check, one.others_to_check) == (2, 1, 2)
    text = run("--hearing", str(stored.hearing.pk))
    assert "heraf allerede gennemset af en moderator: 1" in text
    assert "offentligt nu, med sikre fund af personoplysninger: høringssvar 1, bilag 2." in text


def test_the_municipalitys_own_terms_are_hints(stored):
    TermList.objects.create(
        municipality=stored.hearing.strategy.municipality, enabled=True, terms="cykelstier"
    )
    (one,) = report.scan_existing(hearing_ids=[stored.hearing.pk])
    assert one.kinds["sensitive"] == 3  # "ADHD", and "cykelstier" in two responses
    assert Review.objects.get(response=stored.responses["clean"]).low == 1


def scan_queries(hearing, n: int, **kwargs) -> int:
    for i in range(n):
        response = add(hearing, text=f"{CPR} Svar {i}.")
        attach(response, text=ADDRESS)
    Review.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        report.scan_existing(hearing_ids=[hearing.pk], **kwargs)
    return len(queries)


def test_the_queries_do_not_grow_with_the_responses(open_hearing, vallensbaek):
    from tests.hearings.factories import HearingFactory

    few = scan_queries(open_hearing, 3)
    many = scan_queries(HearingFactory(strategy=vallensbaek), 60)
    assert few == many <= 10
    # In chunks: for each chunk of responses a read, a locked read and an upsert (in a transaction: here
    # a savepoint and its release), for each chunk of read attachments a read (the last one empty).
    chunked = scan_queries(HearingFactory(strategy=vallensbaek), 60, chunk=25, attachment_chunk=30)
    assert chunked == many + 2 * 5 + 2


# --- The command ------------------------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("scan_personal_data", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_reports_per_hearing_and_says_what_to_do(stored):
    text = run("--hearing", str(stored.hearing.pk))
    assert f"Høring {stored.hearing.pk}: {stored.hearing.title} (Vallensbæk Kommune)" in text
    assert "Billunds høring" not in text
    assert "Høringssvar kontrolleret: 6" in text
    assert "Med sikre fund: 4 (afventer moderation 1, offentliggjort 2, skjult 1)" in text
    assert (
        "Fund efter slags: CPR-nummer 3, e-mailadresse 1, telefonnummer 2, adresse 1, "
        "helbreds-, sociale eller strafferetlige forhold 1\n"
    ) in text
    assert "Mulige fund (vises for personalet, holder intet tilbage): 1" in text
    assert "Bilag læst og kontrolleret: 4, med sikre fund: 3, heraf offentlige nu: 2" in text
    assert "Bilag ikke læst endnu: 1" in text
    assert "Bilag, der ikke kunne læses: 1" in text
    queue = f"/personale/moderation/?tab={report.QUEUE_TAB}"
    assert f"Gennemgå dem her: {queue}&hearing={stored.hearing.pk}\n" in text
    # The public attachments with findings, by their response's staff page (the queue's tab lists held ones).
    clean = stored.responses["clean"]
    assert (
        f"Offentlige bilag med sikre fund, i høringssvar:\n    nr. {clean.number}: /personale/svar/{clean.pk}/\n"
        in text
    )
    # What to do: the public ones first, then the rest, where, and the unread attachments.
    advice = text.split("Det skal en moderator gøre:")[1]
    assert (
        "Først det, der er offentligt nu, med sikre fund af personoplysninger: høringssvar 2, bilag 2."
        in advice
    )
    assert "Ikke offentligt, med sikre fund: høringssvar 2, bilag 1." in advice
    assert f"«Personoplysninger»: {queue}\n" in advice
    assert "De offentlige bilag står ikke i filteret" in advice
    assert "Bilag, der ikke er læst endnu: 1." in advice and "--extract" in advice
    assert "Bilag, der ikke kunne læses: 1." in advice
    assert "Intet er offentliggjort, skjult eller ændret for borgerne" in advice


def test_the_command_with_nothing_found(open_hearing):
    add(open_hearing, text=CLEAN)
    text = run()
    assert "Med sikre fund: 0" in text
    assert "Intet, der ikke er gennemset: der er ingen nye sikre fund." in text
    assert "Personoplysninger»" not in text


def test_the_command_in_english_and_published_only(stored):
    text = run("--published-only", "--language", "en", "--hearing", str(stored.hearing.pk))
    # The report's own sentences are translated in locale/en (after makemessages); the statuses already are.
    assert "(published 2)" in text
    assert ": 4\n" in text  # four responses scanned: the published ones


def test_an_unknown_hearing_is_a_clear_error(stored):
    with pytest.raises(CommandError, match="Der er ingen høring med id 999999"):
        run("--hearing", "999999")


def test_extract_enqueues_the_unread_attachments(stored, monkeypatch, django_capture_on_commit_callbacks):
    asked: list[int] = []

    class Task:
        name = "guard.tasks.extract_attachment_text"

        def apply_async(self, args=(), kwargs=None):
            asked.extend(args)

    module = types.ModuleType("guard.tasks")
    module.extract_attachment_text = Task()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "guard.tasks", module)
    unread = attach(stored.other, text_status=TextStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        text = run("--extract", "--hearing", str(stored.hearing.pk))
    assert asked == [stored.attachments["pending"].pk]
    assert "Sat i kø til at blive læst: 1 bilag." in text
    asked.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run("--extract")
    assert sorted(asked) == sorted([stored.attachments["pending"].pk, unread.pk])


# --- The beat task ----------------------------------------------------------------------------------------


def test_the_task_is_registered_and_scheduled(settings):
    from portal.celery import app

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("rescan_outdated"))
    assert entry["task"] == scan_tasks.rescan_outdated.name
    assert entry["task"] in app.tasks


def test_the_task_rescans_what_older_finders_scanned_and_unpublishes_nothing(stored, monkeypatch):
    before = public_state()
    old = timezone.now() - dt.timedelta(days=30)
    current = {stored.responses["clean"].pk, stored.responses["hint"].pk}
    for response in Response.objects.all():
        # The finders of an older version missed everything; two were scanned by the current ones.
        version = finders.VERSION if response.pk in current else "2020-01-01.1"
        Review.objects.create(response=response, finders_version=version, scanned_at=old)
    Review.objects.filter(response=stored.responses["phone"]).delete()  # none at all
    again: list[dict] = []
    monkeypatch.setattr(scan_tasks.rescan_outdated, "apply_async", lambda **kw: again.append(kw))

    assert scan_tasks.rescan_outdated(limit=3) == 3
    assert again == [{"kwargs": {"limit": 3}, "countdown": 60}]  # more are left: it asks for itself again
    assert scan_tasks.rescan_outdated(limit=3) == 2
    assert len(again) == 1
    assert scan_tasks.rescan_outdated() == 0

    assert set(Review.objects.values_list("finders_version", flat=True)) == {finders.VERSION}
    assert Review.objects.filter(scanned_at=old).count() == 2  # the current ones were left alone
    cpr = Review.objects.get(response=stored.responses["cpr"])
    assert (cpr.high, cpr.kinds, cpr.cleared_at) == (1, ["cpr"], None)  # in the queue's filter
    assert Review.objects.get(response=stored.responses["phone"]).high == 1
    assert public_state() == before
    assert Response.objects.get(pk=stored.responses["cpr"].pk).status == Status.PUBLISHED


def test_a_response_submitted_now_is_not_rescanned(open_hearing, citizen):
    from hearings import services

    services.submit_response(
        hearing=open_hearing, author=citizen, target_key="strategy", respondent_type="private",
        display_name="Karen", text=CLEAN, consent=True,
    )  # fmt: skip
    assert Review.objects.count() == 1  # the guard's receiver scanned it
    assert scan_tasks.rescan_outdated() == 0


def test_rescan_result_counts_the_published_ones_not_gone_through(stored):
    moderator = VerifiedUserFactory()
    Review.objects.create(
        response=stored.responses["name"], high=1, finders_version="old", scanned_at=timezone.now(),
        cleared_at=timezone.now(), cleared_by=moderator,
    )  # fmt: skip
    result = report.rescan_outdated()
    assert (result.scanned, result.high, result.published_high, result.more) == (7, 5, 2, False)
