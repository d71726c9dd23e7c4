"""The moderation queue's "Knyt valgte til emne": the topic select of the hearings shown, the link of many
responses at once, and what is said about those refused."""

import re

from django.urls import reverse

from analysis.models import TopicResponse
from moderation.models import ModerationEvent
from tests.analysis.factories import TopicFactory
from tests.hearings.factories import add


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_queue_offers_the_topics_of_its_hearings_and_checkboxes_for_every_response_not_withdrawn(
    client, hearing, responses, moderator, billund_hearing
):
    TopicFactory(hearing=hearing, title="Trafik")
    TopicFactory(hearing=billund_hearing, title="Billunds emne")
    add(hearing, status="withdrawn")
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue") + "?tab=all").content.decode()
    assert "Knyt valgte til emne" in page
    assert f'formaction="{reverse("analysis:bulk_link")}"' in page
    assert ">Trafik</option>" in page and "Billunds emne" not in page
    assert page.count('name="response"') == 4  # the published four; not the withdrawn one


def test_without_topics_the_queue_is_as_before(client, hearing, responses, moderator):
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue") + "?tab=all").content.decode()
    assert "Knyt valgte til emne" not in page
    assert 'name="response"' not in page  # only pending responses can be chosen, to publish


def test_bulk_link_links_the_chosen_and_names_the_refused_with_why(
    client, hearing, responses, moderator, other_hearing
):
    topic = TopicFactory(hearing=hearing, title="Trafik")
    withdrawn = add(hearing, status="withdrawn")
    foreign = other_hearing.responses.get()
    client.force_login(moderator)
    ids = [r.pk for r in responses[:3]] + [withdrawn.pk, foreign.pk, "x"]
    result = client.post(
        reverse("analysis:bulk_link"),
        {"topic": topic.pk, "response": ids, "next": "/personale/moderation/?tab=all"},
    )
    assert result.status_code == 302 and result["Location"] == "/personale/moderation/?tab=all"
    text = text_of(client.get(result["Location"]))
    assert "3 høringssvar knyttet til emnet «Trafik»." in text
    assert "2 høringssvar blev ikke knyttet til emnet:" in text
    assert f"Høringssvar nr. {withdrawn.number} er trukket tilbage af afsenderen" in text
    assert "Høringssvar nr. 1 hører til en anden høring" in text
    assert sorted(TopicResponse.objects.values_list("response__number", flat=True)) == [1, 2, 3]
    assert ModerationEvent.objects.filter(action="topic_linked").count() == 3


def test_bulk_link_again_says_they_were_linked_already(client, hearing, responses, moderator):
    topic = TopicFactory(hearing=hearing, title="Trafik")
    client.force_login(moderator)
    data = {"topic": topic.pk, "response": [r.pk for r in responses[:2]]}
    client.post(reverse("analysis:bulk_link"), data)
    result = client.post(reverse("analysis:bulk_link"), data, follow=True)
    assert "0 høringssvar knyttet til emnet «Trafik». 2 var allerede knyttet til det." in text_of(result)


def test_bulk_link_without_a_topic_or_to_another_municipalitys_topic_links_nothing(
    client, hearing, responses, moderator, billund_hearing
):
    client.force_login(moderator)
    result = client.post(reverse("analysis:bulk_link"), {"response": [responses[0].pk]}, follow=True)
    assert "Vælg det emne, som de valgte høringssvar skal knyttes til." in text_of(result)
    foreign_topic = TopicFactory(hearing=billund_hearing)
    result = client.post(
        reverse("analysis:bulk_link"), {"topic": foreign_topic.pk, "response": [responses[0].pk]}, follow=True
    )
    assert "Vælg det emne" in text_of(result)
    result = client.post(
        reverse("analysis:bulk_link"), {"topic": TopicFactory(hearing=hearing).pk}, follow=True
    )
    assert "Vælg de høringssvar, der skal knyttes til emnet." in text_of(result)
    assert not TopicResponse.objects.exists()


def test_the_ticks_come_back_when_no_topic_was_chosen(client, hearing, responses, moderator):
    TopicFactory(hearing=hearing, title="Trafik")
    client.force_login(moderator)
    queue = reverse("moderation:queue") + "?tab=all"
    chosen = [responses[1].pk, responses[3].pk]
    result = client.post(reverse("analysis:bulk_link"), {"response": chosen, "next": queue}, follow=True)
    page = result.content.decode()
    assert "Vælg det emne, som de valgte høringssvar skal knyttes til." in text_of(result)
    ticked = {int(pk) for pk in re.findall(r'name="response" value="(\d+)"[^>]*checked', page)}
    assert ticked == set(chosen)
    # The bulk form comes back to the queue without the ticks, and the tabs do not carry them on.
    assert re.search(r'name="next" value="/personale/moderation/\?tab=all"', page)
    assert "valgt=" not in page.split('name="language"')[-1]
