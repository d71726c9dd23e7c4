"""The staff form and the public page "Det sagde I – det gjorde vi", with the links to it."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from decisions.models import Decision
from hearings.services import release_remarks
from tests.helpers import public_html

EDIT = "decisions:edit"


def visible_text(page: str) -> str:
    """The page's text without tags, white space collapsed (the title of <head> included)."""
    body = page[page.index("<main") :]
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def page_url(hearing):
    return reverse("decisions:page", args=[hearing.pk])


def form_data(vallensbaek, **overrides):
    section5 = vallensbaek.sections.get(number=5)
    data = {
        "decided_on": "",
        "decided_by": "Kommunalbestyrelsen",
        "outcome": "adopted_with_changes",
        "minutes_url": "https://www.vallensbaek.dk/referat",
        "text": "Vedtaget.",
        "change_whole": "Visionen er kortere.",
        f"change_{section5.pk}": "To nye cykelstier.",
    }
    data.update(overrides)
    return data


def test_record_then_publish_through_the_pages(client, closed_hearing, v_editor, vallensbaek):
    from tests.decisions.conftest import DECIDED_ON

    client.force_login(v_editor)
    url = reverse(EDIT, args=[closed_hearing.pk])
    result = client.post(url, form_data(vallensbaek, decided_on=DECIDED_ON.strftime("%d.%m.%Y")), follow=True)
    html = result.content.decode()
    assert "Beslutningen er gemt. Den er ikke offentliggjort endnu." in html
    assert "Offentliggør beslutningen" in html
    decision = Decision.objects.get()
    assert decision.changes.count() == 2
    assert client.get(page_url(closed_hearing)).status_code == 404  # not published yet

    result = client.post(reverse("decisions:publish", args=[closed_hearing.pk]), follow=True)
    html = result.content.decode()
    assert "Beslutningen er offentliggjort." in html
    assert "Du kan stadig rette den" in html
    assert "Offentliggør beslutningen</button>" not in html
    result = client.post(reverse("decisions:publish", args=[closed_hearing.pk]), follow=True)
    assert "Beslutningen er allerede offentliggjort." in result.content.decode()
    assert client.get(page_url(closed_hearing)).status_code == 200


def test_publishing_before_saving_says_so(client, closed_hearing, v_editor):
    client.force_login(v_editor)
    result = client.post(reverse("decisions:publish", args=[closed_hearing.pk]), follow=True)
    assert "Gem beslutningen, før du offentliggør den." in result.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"decided_on": "i går"}, "Skriv datoen som dd.mm.åååå"),
        ({"decided_on": "01.01.2001"}, "før høringen lukkede"),
        ({"outcome": "nope"}, "Vælg, hvad der blev besluttet."),
        ({"minutes_url": "ikke en adresse"}, "https://"),
        ({"change_whole": "x" * 20_001}, "Teksten er for lang"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_says_why(
    client, closed_hearing, v_editor, vallensbaek, overrides, message
):
    from tests.decisions.conftest import DECIDED_ON

    client.force_login(v_editor)
    data = form_data(vallensbaek, **{"decided_on": DECIDED_ON.isoformat(), **overrides})
    result = client.post(reverse(EDIT, args=[closed_hearing.pk]), data)
    assert result.status_code == 400
    html = result.content.decode()
    assert message in html
    assert "Formularen er ikke gemt" in html
    assert "To nye cykelstier." in html  # nothing typed is lost
    assert not Decision.objects.exists()


def test_the_form_shows_the_recorded_decision_and_one_field_per_part(client, decision, v_editor, vallensbaek):
    client.force_login(v_editor)
    html = client.get(reverse(EDIT, args=[decision.hearing_id])).content.decode()
    for section in vallensbaek.sections.all():
        assert f'name="change_{section.pk}"' in html
    assert "Strategien som helhed" in html
    assert "To nye cykelstier." in html
    assert "Beslutningen er gemt, men ikke offentliggjort." in html


def test_the_staff_overview_links_to_the_decision_page(client, closed_hearing, users):
    client.force_login(users["v_moderator"])
    html = client.get(reverse("moderation:overview", args=[closed_hearing.pk])).content.decode()
    assert reverse(EDIT, args=[closed_hearing.pk]) in html


# --- The public page -------------------------------------------------------------------------------------


def test_the_public_page_is_a_404_until_published(client, decision):
    assert client.get(page_url(decision.hearing)).status_code == 404


def test_the_public_page_goes_topic_by_topic(
    client, closed_hearing, topics, published, vallensbaek, responses, v_editor
):
    release_remarks(hearing=closed_hearing, actor=v_editor)
    html = public_html(client, page_url(closed_hearing))
    text = visible_text(html)
    # the decision
    assert "Vedtaget med ændringer" in text
    assert "Kommunalbestyrelsen" in text
    assert 'href="https://www.vallensbaek.dk/referat"' in html
    assert "<strong>to</strong>" in html  # the decision's Markdown
    # topic by topic, in their order
    assert text.index("Cykelstier") < text.index("Skoven") < text.index("Andre ændringer")
    cycle = text[text.index("Cykelstier") : text.index("Skoven")]
    assert "Delvision 5" in cycle
    assert "2 høringssvar rejste emnet." in cycle  # published ones only: not the hidden one
    assert "Administrationen foreslår to nye stier." in cycle
    assert "Forslaget ændres" in cycle
    assert "Afsnittet om cykelstier er skrevet om." in cycle  # the topic's change
    assert "To nye cykelstier." in cycle  # the change of its section
    forest = text[text.index("Skoven") : text.index("Andre ændringer")]
    assert "1 høringssvar rejste emnet." in forest
    assert "Strategien som helhed" in forest
    assert "Visionen er kortere." in forest  # the change of the whole goes with the topic on the whole
    # the changes no topic covers
    others = text[text.index("Andre ændringer") :]
    assert "Delvision 2" in others and "Nyt kort." in others
    assert "To nye cykelstier." not in others
    # each response linked
    for response in responses[:2]:
        assert reverse("hearings:response", args=[closed_hearing.pk, response.number]) in html
    hidden = closed_hearing.responses.get(status="hidden")
    assert reverse("hearings:response", args=[closed_hearing.pk, hidden.number]) not in html


def test_remarks_show_only_once_released(client, closed_hearing, topics, published, v_editor):
    text = visible_text(public_html(client, page_url(closed_hearing)))  # closed, the remarks not released
    assert "Administrationen foreslår to nye stier." not in text
    assert "Skoven er fredet." not in text
    assert "Administrationens bemærkning" not in text
    assert "Forslaget ændres" not in text
    assert "Afsnittet om cykelstier er skrevet om." in text  # what changed is the decision's
    release_remarks(hearing=closed_hearing, actor=v_editor)
    text = visible_text(public_html(client, page_url(closed_hearing)))
    assert "Administrationen foreslår to nye stier." in text
    assert "Skoven er fredet." in text


def test_user_text_is_escaped(client, closed_hearing, topics, v_editor, django_capture_on_commit_callbacks):
    from decisions import services
    from tests.decisions.conftest import record

    script = "<script>alert(1)</script>"
    decision = record(closed_hearing, v_editor, decided_by=script, text=script, changes={None: script})
    services.publish_decision(decision=decision, actor=v_editor)
    html = public_html(client, page_url(closed_hearing))
    assert script not in html
    assert "&lt;script&gt;" in html


def test_the_query_count_does_not_grow_with_topics_and_responses(
    client, closed_hearing, topics, published, django_assert_num_queries
):
    from tests.analysis.factories import TopicFactory, TopicResponseFactory
    from tests.hearings.factories import add

    client.get(page_url(closed_hearing))  # warm up: the session, the cache's versions
    with django_assert_num_queries(6) as before:
        assert client.get(page_url(closed_hearing)).status_code == 200
    for n in range(5):
        topic = TopicFactory(hearing=closed_hearing, title=f"Ekstra {n}", position=10 + n)
        for _ in range(3):
            TopicResponseFactory(topic=topic, response=add(closed_hearing, text="Endnu et svar."))
    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(page_url(closed_hearing)).status_code == 200


def test_the_hearing_page_links_to_it_once_published(client, closed_hearing, decision, v_editor):
    from decisions import services

    assert page_url(closed_hearing) not in public_html(client, closed_hearing.get_absolute_url())
    services.publish_decision(decision=decision, actor=v_editor)
    html = public_html(client, closed_hearing.get_absolute_url())
    assert page_url(closed_hearing) in html
    assert "Det sagde I – det gjorde vi" in html


def test_the_strategy_and_section_pages_say_adopted_after_hearing(
    client, closed_hearing, published, vallensbaek
):
    for url in (vallensbaek.get_absolute_url(), vallensbaek.sections.get(number=5).get_absolute_url()):
        html = public_html(client, url)
        assert "Vedtaget efter høring" in html
        assert page_url(closed_hearing) in html


def test_the_strategy_page_says_nothing_before_publication_or_after_a_rejection(
    client, closed_hearing, decision, v_editor, vallensbaek
):
    from decisions import services
    from tests.decisions.conftest import record

    assert "Vedtaget efter høring" not in public_html(client, vallensbaek.get_absolute_url())
    record(closed_hearing, v_editor, outcome="rejected")
    services.publish_decision(decision=decision, actor=v_editor)
    assert "Vedtaget efter høring" not in public_html(client, vallensbaek.get_absolute_url())
