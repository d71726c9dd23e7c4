"""The topic services: each rule, the audit log they write, the hearing's content version they raise, and
who may call them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from analysis import services
from analysis.models import (
    QUOTE_MAX_LENGTH,
    TOPIC_TEXT_MAX_LENGTH,
    TOPIC_TITLE_MAX_LENGTH,
    Topic,
    TopicResponse,
)
from hearings.models import Hearing
from moderation.models import ModerationEvent
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.hearings.factories import HearingFactory, add
from tests.strategies.factories import StrategyFactory

Action = ModerationEvent.Action


def content_version(hearing) -> int:
    return Hearing.objects.values_list("content_version", flat=True).get(pk=hearing.pk) or 0


def events(action):
    return list(ModerationEvent.objects.filter(action=action).order_by("pk"))


def messages_of(error: ValidationError) -> dict:
    return error.message_dict


# --- create ----------------------------------------------------------------------------------------------


def test_create_topic_saves_it_with_its_part_logs_it_and_bumps_the_hearing(hearing, moderator, section5):
    goal = section5.goals.first()
    before = content_version(hearing)
    topic = services.create_topic(
        hearing=hearing, actor=moderator, title="  Trafik ved skolerne ", target=goal,
        summary="Mange ønsker **sikre** skoleveje.", remark="Vi ser på det.", recommendation="change",
        change="Målsætning om skoleveje tilføjes.",
    )  # fmt: skip
    topic.refresh_from_db()
    assert (topic.title, topic.target_goal, topic.target_section, topic.version) == (
        "Trafik ved skolerne",
        goal,
        None,
        1,
    )
    assert content_version(hearing) == before + 1
    [event] = events(Action.TOPIC_CREATED)
    assert (event.hearing_id, event.response_id, event.actor_id) == (hearing.pk, None, moderator.pk)
    assert event.details["topic"] == topic.pk and event.details["title"] == "Trafik ved skolerne"
    assert event.details["target"] == f"goal-{goal.pk}"


def test_topics_are_positioned_in_the_order_they_are_made(hearing, editor):
    first = services.create_topic(hearing=hearing, actor=editor, title="Første")
    second = services.create_topic(hearing=hearing, actor=editor, title="Andet")
    assert second.position == first.position + 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "Skriv emnets titel."),
        ({"title": " \u0000 "}, "title", "Skriv emnets titel."),
        (
            {"title": "x" * (TOPIC_TITLE_MAX_LENGTH + 1)},
            "title",
            "Titlen er for lang: højst 200 tegn (den har 201).",
        ),
        (
            {"summary": "x" * (TOPIC_TEXT_MAX_LENGTH + 1)},
            "summary",
            "Teksten er for lang: højst 20.000 tegn.",
        ),
        ({"remark": "x" * (TOPIC_TEXT_MAX_LENGTH + 1)}, "remark", "Teksten er for lang: højst 20.000 tegn."),
        ({"change": "x" * (TOPIC_TEXT_MAX_LENGTH + 1)}, "change", "Teksten er for lang: højst 20.000 tegn."),
        ({"recommendation": "maybe"}, "recommendation", "Vælg en indstilling fra listen."),
        (
            {"recommendation": "change", "change": "  "},
            "change",
            "Skriv ændringen af forslaget, når indstillingen er, at forslaget ændres.",
        ),
    ],
)
def test_create_topic_refuses_bad_fields_with_a_danish_message(hearing, moderator, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        services.create_topic(hearing=hearing, actor=moderator, **{"title": "Trafik", **fields})
    assert messages_of(refused.value)[field] == [message]
    assert not Topic.objects.exists()
    assert not ModerationEvent.objects.filter(action=Action.TOPIC_CREATED).exists()


def test_a_title_at_the_limit_is_taken(hearing, moderator):
    topic = services.create_topic(hearing=hearing, actor=moderator, title="Æ" * TOPIC_TITLE_MAX_LENGTH)
    assert len(topic.title) == TOPIC_TITLE_MAX_LENGTH


def test_a_duplicate_title_is_refused_whatever_its_case(hearing, moderator, other_hearing):
    services.create_topic(hearing=hearing, actor=moderator, title="Trafik")
    with pytest.raises(ValidationError) as refused:
        services.create_topic(hearing=hearing, actor=moderator, title="TRAFIK")
    assert messages_of(refused.value)["title"] == [
        "Høringen har allerede et emne med titlen «TRAFIK». Vælg en anden titel."
    ]
    # Another hearing may have its own "Trafik".
    services.create_topic(hearing=other_hearing, actor=moderator, title="Trafik")


def test_a_part_of_another_strategy_or_outside_the_hearings_section_is_refused(
    hearing, moderator, billund, vallensbaek
):
    with pytest.raises(ValidationError) as refused:
        services.create_topic(hearing=hearing, actor=moderator, title="A", target=billund.sections.first())
    assert messages_of(refused.value)["target"] == [
        "Den valgte del hører ikke til høringen. Vælg en fra listen."
    ]

    one_section = HearingFactory(strategy=vallensbaek, section=vallensbaek.sections.get(number=5))
    section1 = vallensbaek.sections.get(number=1)
    for outside in (section1, section1.goals.first(), section1.themes.first()):
        if outside is None:
            continue
        with pytest.raises(ValidationError):
            services.create_topic(hearing=one_section, actor=moderator, title="B", target=outside)
    inside = vallensbaek.sections.get(number=5).goals.first()
    assert (
        services.create_topic(hearing=one_section, actor=moderator, title="B", target=inside).target == inside
    )


def test_topics_are_locked_once_the_summary_is_published(hearing, moderator):
    topic = TopicFactory(hearing=hearing)
    Hearing.objects.filter(pk=hearing.pk).update(summary_published_at=timezone.now())
    hearing.refresh_from_db()
    with pytest.raises(ValidationError, match="Høringsnotatet er offentliggjort"):
        services.create_topic(hearing=hearing, actor=moderator, title="Nyt")
    with pytest.raises(ValidationError, match="Høringsnotatet er offentliggjort"):
        services.delete_topic(topic=topic, actor=moderator)


# --- update ----------------------------------------------------------------------------------------------


def edit(topic, actor, version, **fields):
    values = {
        "title": topic.title, "target": topic.target, "summary": topic.summary, "remark": topic.remark,
        "recommendation": topic.recommendation, "change": topic.change,
    }  # fmt: skip
    return services.update_topic(topic=topic, actor=actor, version=version, **{**values, **fields})


def test_update_topic_saves_raises_the_version_and_logs_before_and_after(hearing, moderator):
    topic = TopicFactory(hearing=hearing, title="Trafik", summary="Gammelt resumé")
    before = content_version(hearing)
    topic = edit(topic, moderator, 1, summary="Nyt resumé", recommendation="no_change")
    topic.refresh_from_db()
    assert (topic.summary, topic.recommendation, topic.version) == ("Nyt resumé", "no_change", 2)
    assert content_version(hearing) == before + 1
    [event] = events(Action.TOPIC_CHANGED)
    assert event.details["before"] == {"summary": "Gammelt resumé", "recommendation": ""}
    assert event.details["summary"] == "Nyt resumé" and event.details["version"] == 2


def test_saving_the_same_fields_again_changes_and_logs_nothing(hearing, moderator):
    topic = TopicFactory(hearing=hearing)
    edit(topic, moderator, 1)
    topic.refresh_from_db()
    assert topic.version == 1
    assert not events(Action.TOPIC_CHANGED)


def test_the_second_of_two_editors_is_told_who_changed_it_and_nothing_is_lost(hearing, moderator, editor):
    topic = services.create_topic(hearing=hearing, actor=moderator, title="Trafik")
    edit(topic, editor, 1, remark="Redaktørens bemærkning")
    with pytest.raises(services.StaleTopic) as stale:
        edit(topic, moderator, 1, remark="Moderatorens bemærkning")
    assert "redaktoer@vallensbaek.dk har ændret emnet" in stale.value.messages[0]
    assert "Din tekst er ikke gemt" in stale.value.messages[0]
    assert stale.value.topic.version == 2
    topic.refresh_from_db()
    assert (topic.remark, topic.version) == ("Redaktørens bemærkning", 2)
    # Saved again on the version now current, it goes through.
    edit(topic, moderator, 2, remark="Moderatorens bemærkning")
    topic.refresh_from_db()
    assert (topic.remark, topic.version) == ("Moderatorens bemærkning", 3)


def test_renaming_to_another_topics_title_is_refused_but_changing_the_case_of_its_own_is_not(
    hearing, moderator
):
    TopicFactory(hearing=hearing, title="Skoler")
    topic = TopicFactory(hearing=hearing, title="trafik")
    with pytest.raises(ValidationError, match="allerede et emne med titlen «skoler»"):
        edit(topic, moderator, 1, title="skoler")
    assert edit(topic, moderator, 1, title="Trafik").title == "Trafik"


# --- delete ----------------------------------------------------------------------------------------------


def test_delete_topic_keeps_the_responses_and_logs_what_it_held(hearing, responses, moderator):
    topic = TopicFactory(hearing=hearing, title="Skoven", remark="Skoven bevares.")
    TopicResponseFactory(topic=topic, response=responses[1])
    before = content_version(hearing)
    services.delete_topic(topic=topic, actor=moderator)
    assert not Topic.objects.exists() and not TopicResponse.objects.exists()
    assert hearing.responses.count() == 4
    [event] = events(Action.TOPIC_DELETED)
    assert event.details["title"] == "Skoven" and event.details["remark"] == "Skoven bevares."
    assert event.details["responses"] == [2]
    assert content_version(hearing) == before + 1


# --- merge -----------------------------------------------------------------------------------------------


def test_merge_moves_links_once_keeps_a_quote_appends_texts_and_deletes_the_topic(
    hearing, responses, moderator
):
    into = TopicFactory(hearing=hearing, title="Trafik", summary="Om biler.", remark="", change="")
    topic = TopicFactory(
        hearing=hearing, title="Cykler", summary="Om cykler.", remark="Cykelstier planlægges.",
        recommendation="covered",
    )  # fmt: skip
    TopicResponseFactory(topic=into, response=responses[0], quote="")
    TopicResponseFactory(topic=topic, response=responses[0], quote="Flere cykelstier")
    TopicResponseFactory(topic=topic, response=responses[2], quote="trafiksikkerhed")
    merged = services.merge_topics(topic=topic, into=into, actor=moderator)
    merged.refresh_from_db()
    assert not Topic.objects.filter(pk=topic.pk).exists()
    links = {link.response.number: link.quote for link in merged.links.select_related("response")}
    assert links == {1: "Flere cykelstier", 3: "trafiksikkerhed"}
    assert merged.summary == "Om biler.\n\nFra emnet «Cykler»:\n\nOm cykler."
    assert merged.remark == "Fra emnet «Cykler»:\n\nCykelstier planlægges."
    assert merged.recommendation == "covered"
    assert merged.version == 2
    [event] = events(Action.TOPIC_MERGED)
    assert event.details["merged_title"] == "Cykler" and event.details["topic"] == into.pk


def test_merging_a_topic_into_itself_or_across_hearings_is_refused(hearing, other_hearing, moderator):
    topic = TopicFactory(hearing=hearing)
    with pytest.raises(ValidationError) as refused:
        services.merge_topics(topic=topic, into=topic, actor=moderator)
    assert messages_of(refused.value)["into"] == [
        "Et emne kan ikke lægges sammen med sig selv. Vælg et andet emne."
    ]
    elsewhere = TopicFactory(hearing=other_hearing)
    with pytest.raises(ValidationError) as refused:
        services.merge_topics(topic=topic, into=elsewhere, actor=moderator)
    assert messages_of(refused.value)["into"] == [
        "Emnerne hører til to forskellige høringer og kan ikke lægges sammen."
    ]
    assert Topic.objects.count() == 2 and not events(Action.TOPIC_MERGED)


def test_merging_texts_that_would_be_too_long_together_is_refused(hearing, moderator):
    into = TopicFactory(hearing=hearing, summary="a" * (TOPIC_TEXT_MAX_LENGTH - 10))
    topic = TopicFactory(hearing=hearing, summary="b" * 100)
    with pytest.raises(ValidationError, match="for lange tilsammen"):
        services.merge_topics(topic=topic, into=into, actor=moderator)
    assert Topic.objects.count() == 2


# --- split -----------------------------------------------------------------------------------------------


def test_split_moves_the_chosen_responses_with_their_quotes_to_a_new_topic(
    hearing, responses, moderator, section5
):
    topic = TopicFactory(hearing=hearing, title="Natur og trafik", target_section=section5)
    for response in responses[:3]:
        TopicResponseFactory(topic=topic, response=response, quote=f"citat {response.number}")
    new = services.split_topic(
        topic=topic, actor=moderator, title="Trafik", response_ids=[responses[0].pk, responses[2].pk]
    )
    assert new.target_section == section5
    assert sorted(new.links.values_list("response__number", "quote")) == [(1, "citat 1"), (3, "citat 3")]
    assert list(topic.links.values_list("response__number", flat=True)) == [2]
    [event] = events(Action.TOPIC_SPLIT)
    assert event.details["responses"] == [1, 3] and event.details["from"] == topic.pk


def test_split_refuses_no_choice_a_response_not_in_the_topic_and_a_taken_title(hearing, responses, moderator):
    topic = TopicFactory(hearing=hearing, title="Natur")
    TopicResponseFactory(topic=topic, response=responses[0])
    with pytest.raises(ValidationError) as refused:
        services.split_topic(topic=topic, actor=moderator, title="Ny", response_ids=[])
    assert "responses" in messages_of(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.split_topic(topic=topic, actor=moderator, title="Ny", response_ids=[responses[3].pk])
    assert messages_of(refused.value)["responses"] == ["Høringssvar nr. 4 er ikke i emnet «Natur»."]
    with pytest.raises(ValidationError) as refused:
        services.split_topic(topic=topic, actor=moderator, title="natur", response_ids=[responses[0].pk])
    assert "title" in messages_of(refused.value)
    assert Topic.objects.count() == 1


# --- link and unlink -------------------------------------------------------------------------------------


def test_link_responses_counts_new_links_logs_each_on_its_response_and_keeps_one_link_each(
    hearing, responses, moderator
):
    topic = TopicFactory(hearing=hearing, title="Trafik")
    before = content_version(hearing)
    assert services.link_responses(topic=topic, actor=moderator, responses=responses[:2], quote="") == 2
    assert content_version(hearing) == before + 1
    # A quote for nr. 1 (new), and nr. 3 with its own quote: one new link.
    assert (
        services.link_responses(topic=topic, actor=moderator, responses=responses[:1], quote=" Cykelstier ")
        == 0
    )
    assert (
        services.link_responses(
            topic=topic, actor=moderator, responses=[responses[2]], quote="»trafiksikkerhed ved«"
        )
        == 1
    )
    assert sorted(topic.links.values_list("response__number", "quote")) == [
        (1, "Cykelstier"),
        (2, ""),
        (3, "»trafiksikkerhed ved«"),
    ]
    logged = events(Action.TOPIC_LINKED)
    assert [e.response.number for e in logged] == [1, 2, 1, 3]
    assert logged[-1].details == {
        "topic": topic.pk,
        "title": "Trafik",
        "quote": "»trafiksikkerhed ved«",
        "new": True,
    }
    # The same again changes and logs nothing.
    assert (
        services.link_responses(topic=topic, actor=moderator, responses=responses[:1], quote="Cykelstier")
        == 0
    )
    assert len(events(Action.TOPIC_LINKED)) == 4


def test_a_quote_must_be_the_citizens_own_words(hearing, responses, moderator):
    topic = TopicFactory(hearing=hearing, title="Trafik")
    with pytest.raises(ValidationError) as refused:
        services.link_responses(
            topic=topic, actor=moderator, responses=responses[:3], quote="flere cykelstier"
        )
    assert refused.value.messages == [
        "Citatet står ikke i høringssvar nr. 2. Kopiér det ordret fra svaret.",
        "Citatet står ikke i høringssvar nr. 3. Kopiér det ordret fra svaret.",
    ]
    assert not topic.links.exists()
    with pytest.raises(ValidationError):
        services.link_responses(
            topic=topic, actor=moderator, responses=responses[:1], quote="Dette står slet ikke i svaret"
        )
    assert (
        services.link_responses(
            topic=topic, actor=moderator, responses=responses[:1], quote="“FLERE  cykelstier”"
        )
        == 1
    )


def test_link_refuses_another_hearings_or_municipalitys_response_and_a_withdrawn_one(
    hearing, responses, other_hearing, billund_hearing, moderator
):
    topic = TopicFactory(hearing=hearing)
    foreign = add(billund_hearing, text="Billund")
    withdrawn = add(hearing, status="withdrawn")
    with pytest.raises(ValidationError) as refused:
        services.link_responses(
            topic=topic, actor=moderator,
            responses=[responses[0], other_hearing.responses.get(), foreign, withdrawn],
        )  # fmt: skip
    assert refused.value.messages == [
        "Høringssvar nr. 1 hører til en anden høring og kan ikke knyttes til emnet.",
        "Høringssvar nr. 1 hører til en anden høring og kan ikke knyttes til emnet.",
        f"Høringssvar nr. {withdrawn.number} er trukket tilbage af afsenderen og kan ikke knyttes til et emne.",
    ]
    assert not TopicResponse.objects.exists()  # all or nothing


def test_a_quote_over_the_limit_is_refused(hearing, responses, moderator):
    topic = TopicFactory(hearing=hearing)
    with pytest.raises(ValidationError) as refused:
        services.link_responses(
            topic=topic, actor=moderator, responses=[responses[0]], quote="x" * (QUOTE_MAX_LENGTH + 1)
        )
    assert messages_of(refused.value)["quote"] == ["Teksten er for lang: højst 2.000 tegn."]


def test_unlink_response_logs_it_once_and_twice_is_harmless(hearing, responses, moderator):
    topic = TopicFactory(hearing=hearing)
    TopicResponseFactory(topic=topic, response=responses[0], quote="Citat")
    services.unlink_response(topic=topic, response=responses[0], actor=moderator)
    services.unlink_response(topic=topic, response=responses[0], actor=moderator)
    assert not topic.links.exists()
    [event] = events(Action.TOPIC_UNLINKED)
    assert event.response_id == responses[0].pk and event.details["quote"] == "Citat"


# --- who may ---------------------------------------------------------------------------------------------


ALLOWED = {"v_moderator", "v_editor", "superuser"}


@pytest.mark.parametrize(
    "who",
    ["v_moderator", "v_editor", "superuser", "v_council", "citizen", "b_moderator", "b_editor", "b_council"],
)
def test_only_the_municipalitys_moderators_and_editors_change_topics(hearing, responses, users, who):
    user = users[who]
    topic = TopicFactory(hearing=hearing, title="Emne")
    into = TopicFactory(hearing=hearing, title="Andet")
    calls = [
        lambda: services.create_topic(hearing=hearing, actor=user, title="Nyt"),
        lambda: edit(topic, user, 1, summary="Ændret"),
        lambda: services.link_responses(topic=topic, actor=user, responses=[responses[0]]),
        lambda: services.unlink_response(topic=topic, response=responses[0], actor=user),
        lambda: services.split_topic(topic=topic, actor=user, title="Delt", response_ids=[responses[1].pk]),
        lambda: services.merge_topics(topic=into, into=topic, actor=user),
        lambda: services.delete_topic(topic=topic, actor=user),
    ]
    TopicResponseFactory(topic=topic, response=responses[1])
    for call in calls:
        if who in ALLOWED:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    if who not in ALLOWED:
        assert Topic.objects.count() == 2
        assert not ModerationEvent.objects.filter(action__startswith="topic_").exists()
    else:
        assert set(Topic.objects.values_list("title", flat=True)) == {"Nyt", "Delt"}


def test_another_municipalitys_topic_cannot_be_changed_by_a_moderator_here(billund, moderator):
    topic = TopicFactory(hearing=HearingFactory(strategy=StrategyFactory(municipality=billund.municipality)))
    with pytest.raises(PermissionDenied):
        services.delete_topic(topic=topic, actor=moderator)
