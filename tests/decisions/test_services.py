"""Recording, correcting and publishing a decision (decisions.services), without HTTP."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from decisions import services
from decisions.models import Decision, SectionChange
from decisions.signals import decision_published
from strategies.models import Strategy
from tests.decisions.conftest import DECIDED_ON, record


def test_a_decision_is_recorded_with_its_changes_per_part(decision, vallensbaek):
    changes = {c.section.number if c.section else None: c.text for c in decision.changes.all()}
    assert changes == {None: "Visionen er kortere.", 2: "Nyt kort.", 5: "To nye cykelstier."}
    assert decision.published_at is None
    assert decision.decided_by == "Kommunalbestyrelsen"


def test_a_correction_changes_removes_and_adds_changes(decision, closed_hearing, v_editor, vallensbaek):
    section2 = vallensbaek.sections.get(number=2)
    section3 = vallensbaek.sections.get(number=3)
    record(closed_hearing, v_editor, outcome="adopted", changes={None: "", section2.pk: "Nyt kort, rettet.",
                                                                 section3.pk: "Ny tekst."})  # fmt: skip
    decision.refresh_from_db()
    assert decision.outcome == "adopted"
    changes = {c.section.number if c.section else None: c.text for c in decision.changes.all()}
    assert changes == {2: "Nyt kort, rettet.", 3: "Ny tekst.", 5: "To nye cykelstier."}
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"decided_on": None}, "decided_on", "Skriv datoen for beslutningen."),
        ({"decided_on": dt.date(2000, 1, 1)}, "decided_on", "før høringen lukkede"),
        ({"decided_on": dt.date.today() + dt.timedelta(days=30)}, "decided_on", "i fremtiden"),
        ({"decided_by": "  "}, "decided_by", "Skriv, hvem der traf beslutningen"),
        ({"decided_by": "x" * 201}, "decided_by", "Teksten er for lang"),
        ({"outcome": "maybe"}, "outcome", "Vælg, hvad der blev besluttet."),
        ({"minutes_url": "javascript:alert(1)"}, "minutes_url", "https://"),
        ({"text": "x" * 20_001}, "text", "Teksten er for lang"),
        ({"changes": {None: "x" * 20_001}}, "change_whole", "Teksten er for lang"),
        ({"changes": {999_999: "En anden strategis del"}}, "__all__", "hører ikke til høringens strategi"),
    ],
)
def test_bad_input_is_refused_by_field_in_danish_and_saves_nothing(
    closed_hearing, v_editor, overrides, field, message
):
    with pytest.raises(ValidationError) as refused:
        record(closed_hearing, v_editor, **overrides)
    assert any(message in text for text in refused.value.message_dict[field])
    assert not Decision.objects.exists()
    assert not SectionChange.objects.exists()


def test_a_section_of_another_strategy_is_refused(closed_hearing, v_editor, billund):
    with pytest.raises(ValidationError):
        record(closed_hearing, v_editor, changes={billund.sections.first().pk: "Forkert"})


def test_other_staff_may_not_record(closed_hearing, users):
    for who in ("v_moderator", "v_council", "b_editor", "citizen"):
        with pytest.raises(PermissionDenied):
            record(closed_hearing, users[who])


def test_publishing_is_once_sends_the_signal_once_and_adopts_the_strategy(
    decision, v_editor, vallensbaek, django_capture_on_commit_callbacks
):
    sent = []

    def receiver(sender, *, decision, **kwargs):
        sent.append(decision.pk)

    decision_published.connect(receiver, weak=False, dispatch_uid="test-decision-published")
    try:
        services.publish_decision(decision=decision, actor=v_editor)
        with pytest.raises(ValidationError, match="allerede offentliggjort"):
            services.publish_decision(decision=decision, actor=v_editor)
    finally:
        decision_published.disconnect(dispatch_uid="test-decision-published")
    assert sent == [decision.pk]
    decision.refresh_from_db()
    assert decision.published_at is not None
    vallensbaek.refresh_from_db()
    assert vallensbaek.status == Strategy.Status.ADOPTED
    assert vallensbaek.adopted_on == DECIDED_ON


def test_a_rejection_leaves_the_strategy_as_it_was(closed_hearing, v_editor, vallensbaek):
    before = (vallensbaek.status, vallensbaek.adopted_on)
    decision = record(closed_hearing, v_editor, outcome=Decision.Outcome.REJECTED)
    services.publish_decision(decision=decision, actor=v_editor)
    vallensbaek.refresh_from_db()
    assert (vallensbaek.status, vallensbaek.adopted_on) == before


def test_a_published_decision_can_still_be_corrected(published, closed_hearing, v_editor):
    record(closed_hearing, v_editor, decided_by="Byrådet")
    published.refresh_from_db()
    assert published.decided_by == "Byrådet"
    assert published.published_at is not None
