"""Computing, asking for and deciding on suggested topics (analysis.suggestions), without HTTP."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from analysis import suggestion_tasks, suggestions
from analysis.models import TOPIC_TITLE_MAX_LENGTH, HearingAnalysis, Suggestion, Topic, TopicResponse
from hearings.models import Response
from moderation.models import ModerationEvent
from tests.accounts.factories import staff
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.analysis.suggestions.conftest import fill, suggestion
from tests.hearings.factories import add


@pytest.fixture
def filled(open_hearing, corpus):
    return fill(open_hearing, corpus)


def members(hearing):
    """{suggestion label: set of response numbers} of the hearing's open suggestions."""
    return {
        s.label: set(s.responses.values_list("number", flat=True))
        for s in Suggestion.objects.filter(hearing=hearing, status=Suggestion.Status.OPEN)
    }


def test_compute_groups_the_free_responses_and_keeps_campaigns_whole(open_hearing, corpus, filled):
    withdrawn = next(r for r, c in zip(filled, corpus.campaign_of, strict=True) if c is None)
    Response.objects.filter(pk=withdrawn.pk).update(status=Response.Status.WITHDRAWN)
    in_topic = next(
        r for r, c in zip(filled, corpus.campaign_of, strict=True) if c is None and r != withdrawn
    )
    TopicResponseFactory(topic=TopicFactory(hearing=open_hearing), response=in_topic)
    now = timezone.now()

    made = suggestions.compute_suggestions(hearing_id=open_hearing.pk, now=now)

    groups = members(open_hearing)
    assert made == len(groups) >= 8
    suggested = set().union(*groups.values())
    assert withdrawn.number not in suggested and in_topic.number not in suggested
    assert sum(len(g) for g in groups.values()) == len(suggested)  # a response in one suggestion at most
    for planted in {c for c in corpus.campaign_of if c is not None}:
        copies = {r.number for r, c in zip(filled, corpus.campaign_of, strict=True) if c == planted}
        assert any(copies <= g for g in groups.values()), "a campaign's copies go together"
    analysis = HearingAnalysis.objects.get(pk=open_hearing.pk)
    assert analysis.suggestions_computed_at == now


def test_compute_replaces_open_suggestions_only(open_hearing, filled):
    old_open = suggestion(open_hearing, "gammelt · forslag", filled[:3])
    accepted = suggestion(open_hearing, "godtaget", filled[3:5], status=Suggestion.Status.ACCEPTED)
    dismissed = suggestion(open_hearing, "afvist", filled[5:7], status=Suggestion.Status.DISMISSED)

    suggestions.compute_suggestions(hearing_id=open_hearing.pk)

    assert not Suggestion.objects.filter(pk=old_open.pk).exists()
    assert Suggestion.objects.get(pk=accepted.pk).status == Suggestion.Status.ACCEPTED
    assert Suggestion.objects.get(pk=dismissed.pk).responses.count() == 2


def test_a_dismissed_suggestion_is_not_made_again(open_hearing, filled):
    suggestions.compute_suggestions(hearing_id=open_hearing.pk)
    first = Suggestion.objects.filter(hearing=open_hearing).order_by("pk").first()
    before = Suggestion.objects.filter(hearing=open_hearing).count()
    moderator = staff(open_hearing.strategy.municipality, "moderator", "m2@vallensbaek.dk")
    suggestions.dismiss_suggestion(suggestion=first, actor=moderator)

    suggestions.compute_suggestions(hearing_id=open_hearing.pk)

    open_labels = set(members(open_hearing))
    assert first.label not in open_labels
    assert len(open_labels) == before - 1


def test_changes_made_while_computing_are_not_forgotten(open_hearing, filled, monkeypatch):
    HearingAnalysis.objects.create(hearing=open_hearing, changes_since_suggestions=30)
    engine = suggestions.cluster_texts

    def cluster_while_two_more_change(texts):
        HearingAnalysis.objects.filter(pk=open_hearing.pk).update(changes_since_suggestions=32)
        return engine(texts)

    monkeypatch.setattr(suggestions, "cluster_texts", cluster_while_two_more_change)
    suggestions.compute_suggestions(hearing_id=open_hearing.pk)
    assert HearingAnalysis.objects.get(pk=open_hearing.pk).changes_since_suggestions == 2


def test_a_hearing_with_too_few_responses_gets_none(open_hearing):
    add(open_hearing, text="Der mangler en cykelsti ved skolen.")
    assert suggestions.compute_suggestions(hearing_id=open_hearing.pk) == 0
    assert HearingAnalysis.objects.get(pk=open_hearing.pk).suggestions_computed_at is not None
    assert suggestions.compute_suggestions(hearing_id=987654) == 0


def test_the_task_body_computes(open_hearing, filled):
    assert (
        suggestion_tasks.compute_suggestions(open_hearing.pk)
        == Suggestion.objects.filter(hearing=open_hearing, status=Suggestion.Status.OPEN).count()
        > 0
    )


# --- request_suggestions and note_response_changed -------------------------------------------------------


def test_request_enqueues_after_commit_and_once(
    open_hearing, filled, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        suggestions.request_suggestions(hearing=open_hearing, actor=moderator)
        suggestions.request_suggestions(hearing=open_hearing, actor=moderator)  # a double click
    assert len(callbacks) == 1
    assert HearingAnalysis.objects.get(pk=open_hearing.pk).suggestions_requested_at is not None
    assert not Suggestion.objects.exists()  # nothing computed in the request itself
    callbacks[0]()  # the broker delivers it; tasks run eagerly in the tests
    analysis = HearingAnalysis.objects.get(pk=open_hearing.pk)
    assert analysis.suggestions_computed_at >= analysis.suggestions_requested_at
    assert Suggestion.objects.filter(hearing=open_hearing).exists()


def test_a_request_lost_long_ago_can_be_made_again(
    open_hearing, moderator, django_capture_on_commit_callbacks
):
    HearingAnalysis.objects.create(
        hearing=open_hearing, suggestions_requested_at=timezone.now() - dt.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks() as callbacks:
        suggestions.request_suggestions(hearing=open_hearing, actor=moderator)
    assert len(callbacks) == 1


@pytest.mark.parametrize("role", ["council", "other_moderator"])
def test_only_the_municipalitys_moderators_and_editors_may_request(open_hearing, billund, role):
    actor = (
        staff(open_hearing.strategy.municipality, "council", "raad@vallensbaek.dk")
        if role == "council"
        else staff(billund.municipality, "moderator", "moderator@billund.dk")
    )
    with pytest.raises(PermissionDenied):
        suggestions.request_suggestions(hearing=open_hearing, actor=actor)
    assert not HearingAnalysis.objects.filter(suggestions_requested_at__isnull=False).exists()


def test_a_batch_of_changes_asks_for_new_suggestions(open_hearing, django_capture_on_commit_callbacks):
    for _ in range(3):
        add(open_hearing)
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(24):
            suggestions.note_response_changed(hearing_id=open_hearing.pk)
    assert callbacks == []
    assert HearingAnalysis.objects.get(pk=open_hearing.pk).changes_since_suggestions == 24
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        suggestions.note_response_changed(hearing_id=open_hearing.pk)  # the 25th
        suggestions.note_response_changed(hearing_id=open_hearing.pk)  # asked for already
    assert len(callbacks) == 1
    analysis = HearingAnalysis.objects.get(pk=open_hearing.pk)
    assert analysis.suggestions_computed_at is not None
    assert analysis.changes_since_suggestions == 0


# --- accept and dismiss ----------------------------------------------------------------------------------


@pytest.fixture
def open_suggestion(open_hearing):
    responses = [add(open_hearing, text=f"Cykelstien ved skolen {i}") for i in range(4)]
    return suggestion(open_hearing, "cykelsti · skole · krydset", responses)


def test_accept_makes_a_topic_with_the_free_responses(open_hearing, open_suggestion, moderator):
    first, second, *rest = open_suggestion.responses.order_by("number")
    TopicResponseFactory(topic=TopicFactory(hearing=open_hearing, title="Skoleveje"), response=first)
    Response.objects.filter(pk=second.pk).update(status=Response.Status.WITHDRAWN)
    version = open_hearing.content_version

    topic = suggestions.accept_suggestion(suggestion=open_suggestion, actor=moderator)

    assert topic.title == "Cykelsti · skole · krydset"  # its words when no title is given
    assert list(topic.links.values_list("response", flat=True)) == [r.pk for r in rest]
    open_suggestion.refresh_from_db()
    assert (open_suggestion.status, open_suggestion.topic) == (Suggestion.Status.ACCEPTED, topic)
    events = ModerationEvent.objects.filter(hearing=open_hearing).order_by("pk")
    assert [e.action for e in events] == [
        "topic_created",
        "topic_linked",
        "topic_linked",
        "suggestion_accepted",
    ]
    assert {e.actor for e in events} == {moderator}
    assert [e.response_id for e in events if e.action == "topic_linked"] == [r.pk for r in rest]
    open_hearing.refresh_from_db()
    assert open_hearing.content_version != version  # the summary's fingerprint moves


def test_accept_with_a_title_of_ones_own(open_suggestion, editor):
    topic = suggestions.accept_suggestion(
        suggestion=open_suggestion, actor=editor, title="  Sikre skoleveje "
    )
    assert topic.title == "Sikre skoleveje"


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "Skriv emnets titel."),
        ("   ", "Skriv emnets titel."),
        (
            "x" * (TOPIC_TITLE_MAX_LENGTH + 1),
            f"Titlen er for lang: højst {TOPIC_TITLE_MAX_LENGTH} tegn (den har 201).",
        ),
        ("SKOLEVEJE", "Høringen har allerede et emne med titlen «SKOLEVEJE». Vælg en anden titel."),
    ],
)
def test_a_bad_title_is_refused_in_danish(open_hearing, open_suggestion, moderator, title, message):
    TopicFactory(hearing=open_hearing, title="Skoleveje")
    with pytest.raises(ValidationError) as refused:
        suggestions.accept_suggestion(suggestion=open_suggestion, actor=moderator, title=title)
    assert refused.value.message_dict == {"title": [message]}
    assert Topic.objects.count() == 1
    assert Suggestion.objects.get(pk=open_suggestion.pk).status == Suggestion.Status.OPEN


def test_a_suggestion_is_decided_once(open_suggestion, moderator, editor):
    suggestions.accept_suggestion(suggestion=open_suggestion, actor=moderator)
    with pytest.raises(ValidationError, match="allerede godtaget"):
        suggestions.accept_suggestion(suggestion=open_suggestion, actor=editor, title="Andet")
    with pytest.raises(ValidationError, match="allerede godtaget"):
        suggestions.dismiss_suggestion(suggestion=open_suggestion, actor=editor)
    assert Topic.objects.count() == 1


def test_dismiss(open_hearing, open_suggestion, moderator, editor):
    suggestions.dismiss_suggestion(suggestion=open_suggestion, actor=moderator)
    assert Suggestion.objects.get(pk=open_suggestion.pk).status == Suggestion.Status.DISMISSED
    event = ModerationEvent.objects.get(hearing=open_hearing)
    assert (event.action, event.actor, event.details["label"]) == (
        "suggestion_dismiss", moderator, "cykelsti · skole · krydset",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="allerede afvist"):
        suggestions.accept_suggestion(suggestion=open_suggestion, actor=editor)
    assert not Topic.objects.exists()


def test_accepting_when_every_response_joined_a_topic_meanwhile(open_hearing, open_suggestion, moderator):
    topic = TopicFactory(hearing=open_hearing)
    TopicResponse.objects.bulk_create(
        [TopicResponse(topic=topic, response=r) for r in open_suggestion.responses.all()]
    )
    with pytest.raises(ValidationError, match="kommet i et emne i mellemtiden"):
        suggestions.accept_suggestion(suggestion=open_suggestion, actor=moderator)
    assert Topic.objects.count() == 1


@pytest.mark.parametrize("role", ["council", "other_moderator", "other_editor"])
def test_only_the_municipalitys_moderators_and_editors_decide(open_suggestion, billund, role):
    municipality = (
        billund.municipality if role.startswith("other") else open_suggestion.hearing.strategy.municipality
    )
    actor = staff(municipality, role.removeprefix("other_"), f"{role}@example.dk")
    with pytest.raises(PermissionDenied):
        suggestions.accept_suggestion(suggestion=open_suggestion, actor=actor)
    with pytest.raises(PermissionDenied):
        suggestions.dismiss_suggestion(suggestion=open_suggestion, actor=actor)
    assert Suggestion.objects.get(pk=open_suggestion.pk).status == Suggestion.Status.OPEN
    assert not ModerationEvent.objects.exists()


def test_only_responses_the_analyse_page_lists_without_a_topic_are_suggested(open_hearing):
    from analysis.selectors import unassigned_responses
    from tests.hearings.factories import add

    hidden = add(open_hearing, status="hidden", text="Skjult svar om cykelstier og fortove.")
    rejected = add(open_hearing, status="rejected", text="Afvist svar om cykelstier og fortove.")
    free = set(suggestions._free_responses(open_hearing.pk))
    assert free == set(unassigned_responses(open_hearing))
    assert hidden not in free and rejected not in free
