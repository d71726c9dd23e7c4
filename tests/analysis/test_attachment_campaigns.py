"""Campaign detection reads attachments (issue 15, item 1): a response's signatures take in its attachments'
extracted text, and an attachment read later has its response analysed again."""

import pytest

from analysis import campaigns, similarity
from analysis.models import Signature
from guard.signals import attachment_text_read
from hearings.models import ResponseAttachment
from tests.analysis.campaigns.conftest import LETTER
from tests.hearings.factories import add

TextStatus = ResponseAttachment.TextStatus


def attach(response, text: str, status: str = TextStatus.EXTRACTED) -> ResponseAttachment:
    return ResponseAttachment.objects.create(
        response=response, file="attachments/brev.pdf", original_name="brev.pdf", kind="pdf", size=1000,
        text=text, text_status=status,
    )  # fmt: skip


@pytest.fixture
def notes(open_hearing):
    """Two responses whose own texts differ: each a short note with the campaign letter attached."""
    return (
        add(open_hearing, text="Se venligst vedhæftede brev fra forældregruppen."),
        add(open_hearing, text="Jeg sender hermed vores fælles indsigelse som bilag. Mvh. Ole"),
    )


def campaign_of(response) -> int | None:
    return Signature.objects.get(response=response).campaign_id


def test_the_own_texts_alone_are_no_campaign(open_hearing, notes):
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    assert campaign_of(notes[0]) is None and campaign_of(notes[1]) is None


def test_the_same_attached_letter_makes_one_campaign(open_hearing, notes):
    for response in notes:
        attach(response, LETTER)
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    assert campaign_of(notes[0]) is not None
    assert campaign_of(notes[0]) == campaign_of(notes[1])


def test_one_response_at_a_time_finds_the_campaign_too(notes):
    for response in notes:
        attach(response, LETTER)
        campaigns.analyse_response(response_id=response.pk)
    assert campaign_of(notes[0]) is not None
    assert campaign_of(notes[0]) == campaign_of(notes[1])


@pytest.mark.parametrize("status", [TextStatus.PENDING, TextStatus.FAILED])
def test_only_text_that_was_read_counts(open_hearing, notes, status):
    for response in notes:
        attach(response, LETTER, status)
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    assert campaign_of(notes[0]) is None and campaign_of(notes[1]) is None


def test_an_attachment_read_later_has_its_response_analysed_again(notes, settings,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    settings.ANALYSIS_IN_BACKGROUND = True
    first = attach(notes[0], LETTER)
    campaigns.analyse_response(response_id=notes[0].pk)
    waiting = attach(notes[1], "", TextStatus.PENDING)  # sent with the response, not read yet
    campaigns.analyse_response(response_id=notes[1].pk)
    assert campaign_of(notes[1]) is None
    assert first.text_status == TextStatus.EXTRACTED

    # The guard's task reads the attachment and says so (guard.signals.attachment_text_read).
    ResponseAttachment.objects.filter(pk=waiting.pk).update(text=LETTER, text_status=TextStatus.EXTRACTED)
    waiting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment_text_read.send(sender=ResponseAttachment, attachment=waiting)
    assert campaign_of(notes[1]) is None  # not before the commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()  # the commit: the task runs (eagerly in the test settings)
    assert campaign_of(notes[1]) is not None
    assert campaign_of(notes[1]) == campaign_of(notes[0])


def test_nothing_is_enqueued_when_the_background_analysis_is_off(notes, settings,
                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    settings.ANALYSIS_IN_BACKGROUND = False
    attachment = attach(notes[0], LETTER)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        attachment_text_read.send(sender=ResponseAttachment, attachment=attachment)
    assert callbacks == []
    assert not Signature.objects.exists()


def test_the_attachments_part_of_the_text_is_bounded():
    long = "ord " * similarity.ATTACHMENT_TEXT_MAX
    text = similarity.response_text("Mit svar.", [LETTER, long, "Et tredje bilag."])
    assert text.startswith(f"Mit svar.\n\n{LETTER}\n\n")
    assert len(text) == len("Mit svar.") + 2 + len(LETTER) + 2 + similarity.ATTACHMENT_TEXT_MAX - len(LETTER)
    assert "Et tredje bilag." not in text
    assert similarity.response_text("Mit svar.") == "Mit svar."
    assert similarity.response_text("", ["Kun et bilag."]) == "Kun et bilag."
