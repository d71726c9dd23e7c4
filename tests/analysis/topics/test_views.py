"""The Analyse pages as staff see them: content, who gets a 404, and bad input answered with the form
again (what was typed kept, a Danish message), never a 500 and never markup."""

import html
import re

import pytest
from django.urls import reverse

from analysis.models import Neighbour, Topic, TopicResponse
from moderation.models import ModerationEvent
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.hearings.factories import add

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def hub(pk):
    return reverse("analysis:analysis", args=[pk])


def topic_url(topic, name="topic"):
    return reverse(f"analysis:{name}", args=[topic.hearing_id, topic.pk])


def text_of(result) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", result.content.decode())))


def edit_data(topic, **fields):
    target = topic.target
    data = {
        "title": topic.title, "target": f"{type(target).__name__.lower()}-{target.pk}" if target else "",
        "summary": topic.summary, "remark": topic.remark, "recommendation": topic.recommendation,
        "change": topic.change, "version": topic.version,
    }  # fmt: skip
    data.update(fields)
    return data


def test_the_hub_shows_progress_topics_campaign_and_suggestion_links_and_unassigned_responses(
    client, hearing, responses, moderator, section5
):
    topic = TopicFactory(hearing=hearing, title="Trafik", target_section=section5, recommendation="change")
    TopicResponseFactory(topic=topic, response=responses[0])
    client.force_login(moderator)
    result = client.get(hub(hearing.pk))
    assert result.status_code == 200
    text = text_of(result)
    assert "1 af 4 høringssvar er behandlet" in text
    assert "Trafik" in text and f"Delvision 5: {section5.title}" in text and "Forslaget ændres" in text
    assert reverse("analysis:campaigns", args=[hearing.pk]) in result.content.decode()
    assert reverse("analysis:suggestions", args=[hearing.pk]) in result.content.decode()
    assert "3 høringssvar er ikke knyttet til et emne." in text
    assert "Nr. 2" in text and "Nr. 1 " not in text
    assert 'action="' + reverse("analysis:topic_create", args=[hearing.pk]) in result.content.decode()


def test_a_council_member_reads_the_pages_but_gets_no_forms_and_cannot_post(client, hearing, users):
    topic = TopicFactory(hearing=hearing, title="Trafik", remark="Bemærkningen")
    client.force_login(users["v_council"])
    page = client.get(hub(hearing.pk))
    assert page.status_code == 200 and "Nyt emne" not in text_of(page)
    page = client.get(topic_url(topic))
    assert page.status_code == 200 and "Bemærkningen" in text_of(page) and "Gem emnet" not in text_of(page)
    assert client.get(topic_url(topic, "topic_merge")).status_code == 404
    assert client.post(reverse("analysis:topic_create", args=[hearing.pk]), {"title": "X"}).status_code == 404
    assert client.post(topic_url(topic), edit_data(topic, title="Y")).status_code == 404
    assert client.post(topic_url(topic, "topic_delete")).status_code == 404
    assert Topic.objects.get().title == "Trafik"


@pytest.mark.parametrize("who", ["citizen", "b_moderator", "b_editor", "b_council"])
def test_everyone_else_gets_a_404_on_every_page(client, hearing, users, who):
    topic = TopicFactory(hearing=hearing)
    client.force_login(users[who])
    for name in ("topic", "topic_merge", "topic_split", "topic_delete"):
        assert client.get(topic_url(topic, name)).status_code == 404, name
    assert client.get(hub(hearing.pk)).status_code == 404
    assert client.post(topic_url(topic, "topic_delete")).status_code == 404
    assert Topic.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, hearing):
    assert client.get(hub(hearing.pk))["Location"].startswith("/konto/login/")


def test_a_topic_of_another_hearing_or_an_unknown_one_is_a_404(client, hearing, other_hearing, moderator):
    elsewhere = TopicFactory(hearing=other_hearing)
    client.force_login(moderator)
    assert client.get(reverse("analysis:topic", args=[hearing.pk, elsewhere.pk])).status_code == 404
    assert client.get(reverse("analysis:topic", args=[hearing.pk, 999999])).status_code == 404
    assert client.get(hub(999999)).status_code == 404


def test_create_then_edit_a_topic_through_the_pages(client, hearing, moderator, section5):
    client.force_login(moderator)
    result = client.post(
        reverse("analysis:topic_create", args=[hearing.pk]),
        {"title": "Trafik", "target": f"section-{section5.pk}"},
    )
    topic = Topic.objects.get()
    assert result.status_code == 302 and result["Location"] == topic_url(topic)
    page = client.get(topic_url(topic))
    assert "Emnet «Trafik» er oprettet." in text_of(page)
    assert f'value="section-{section5.pk}" selected' in page.content.decode()
    result = client.post(
        topic_url(topic),
        edit_data(topic, summary="Mange ønsker **sikre** skoleveje.", recommendation="no_change"),
    )
    assert result.status_code == 302
    page = client.get(topic_url(topic)).content.decode()
    assert "<strong>sikre</strong>" in page
    assert "Sidst ændret" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Skriv emnets titel."),
        ({"title": "x" * 201}, "Teksten er for lang: højst 200 tegn (den har 201)."),
        ({"summary": "ø" * 20_001}, "Teksten er for lang: højst 20000 tegn (den har 20001)."),
        ({"recommendation": "change", "change": ""}, "Skriv ændringen af forslaget"),
        ({"target": "section-999999"}, "Vælg en del af strategien fra listen."),
        ({"recommendation": "nonsense"}, "Vælg en indstilling fra listen."),
    ],
)
def test_bad_input_on_the_topic_page_keeps_the_text_and_says_what_is_wrong(
    client, hearing, moderator, fields, message
):
    topic = TopicFactory(hearing=hearing, title="Trafik", summary="Gammelt")
    client.force_login(moderator)
    typed = {"remark": "Min omhyggeligt skrevne bemærkning", **fields}
    result = client.post(topic_url(topic), edit_data(topic, **typed))
    assert result.status_code == 400
    assert message in text_of(result)
    assert "Min omhyggeligt skrevne bemærkning" in result.content.decode()
    topic.refresh_from_db()
    assert (topic.summary, topic.remark, topic.version) == ("Gammelt", "", 1)


def test_xss_in_every_field_is_shown_as_text_never_as_markup(client, hearing, responses, moderator):
    client.force_login(moderator)
    client.post(reverse("analysis:topic_create", args=[hearing.pk]), {"title": XSS})
    topic = Topic.objects.get()
    client.post(
        topic_url(topic), edit_data(topic, summary=XSS, remark=XSS, change=XSS, recommendation="change")
    )
    TopicResponseFactory(topic=topic, response=responses[0], quote=XSS)
    for url in (hub(hearing.pk), topic_url(topic), reverse("moderation:response", args=[responses[0].pk])):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url


def test_a_stale_version_is_refused_saying_who_and_keeps_what_was_typed(client, hearing, moderator, editor):
    client.force_login(moderator)
    client.post(reverse("analysis:topic_create", args=[hearing.pk]), {"title": "Trafik"})
    topic = Topic.objects.get()
    opened = edit_data(topic)  # the moderator opens the page at version 1
    client.force_login(editor)
    assert client.post(topic_url(topic), edit_data(topic, remark="Redaktørens tekst")).status_code == 302
    client.force_login(moderator)
    result = client.post(topic_url(topic), {**opened, "remark": "Moderatorens tekst"})
    assert result.status_code == 400
    page = result.content.decode()
    assert "redaktoer@vallensbaek.dk har ændret emnet" in text_of(result)
    assert "Moderatorens tekst" in page  # kept in the form
    assert "Redaktørens tekst" in page  # the saved version shown beside it
    assert 'name="version" value="2"' in page  # a second save is on purpose
    topic.refresh_from_db()
    assert topic.remark == "Redaktørens tekst"


def test_merge_into_another_topic_and_into_itself(client, hearing, responses, moderator):
    topic = TopicFactory(hearing=hearing, title="Cykler")
    into = TopicFactory(hearing=hearing, title="Trafik")
    TopicResponseFactory(topic=topic, response=responses[0])
    client.force_login(moderator)
    page = client.get(topic_url(topic, "topic_merge")).content.decode()
    assert f'<option value="{into.pk}">Trafik</option>' in page and f'<option value="{topic.pk}"' not in page
    result = client.post(topic_url(topic, "topic_merge"), {"into": topic.pk})
    assert result.status_code == 400
    assert "Et emne kan ikke lægges sammen med sig selv." in text_of(result)
    result = client.post(topic_url(topic, "topic_merge"), {"into": "abc"})
    assert result.status_code == 400 and "Vælg et emne fra listen." in text_of(result)
    result = client.post(topic_url(topic, "topic_merge"), {"into": into.pk})
    assert result.status_code == 302 and result["Location"] == topic_url(into)
    assert list(into.links.values_list("response__number", flat=True)) == [1]
    assert not Topic.objects.filter(pk=topic.pk).exists()


def test_merge_into_a_topic_of_another_hearing_is_refused(client, hearing, other_hearing, moderator):
    topic = TopicFactory(hearing=hearing)
    elsewhere = TopicFactory(hearing=other_hearing)
    client.force_login(moderator)
    result = client.post(topic_url(topic, "topic_merge"), {"into": elsewhere.pk})
    assert result.status_code == 400 and "Vælg et emne fra listen." in text_of(result)
    assert Topic.objects.count() == 2


def test_split_and_its_bad_input(client, hearing, responses, moderator):
    topic = TopicFactory(hearing=hearing, title="Natur")
    for response in responses[:3]:
        TopicResponseFactory(topic=topic, response=response)
    client.force_login(moderator)
    url = topic_url(topic, "topic_split")
    assert client.get(url).status_code == 200
    result = client.post(url, {"title": "Skoven"})
    assert result.status_code == 400 and "Vælg de høringssvar" in text_of(result)
    result = client.post(url, {"title": "Skoven", "responses": [responses[3].pk]})
    assert result.status_code == 400 and "Høringssvar nr. 4 er ikke i emnet «Natur»." in text_of(result)
    result = client.post(url, {"title": "", "responses": [responses[1].pk, "x", "²"]})
    assert result.status_code == 400 and "Skriv emnets titel." in text_of(result)
    assert f'value="{responses[1].pk}" id="split-{responses[1].pk}" checked' in result.content.decode()
    result = client.post(url, {"title": "Skoven", "responses": [responses[1].pk]})
    new = Topic.objects.get(title="Skoven")
    assert result["Location"] == topic_url(new)
    assert list(new.links.values_list("response__number", flat=True)) == [2]


def test_delete_asks_first_then_deletes(client, hearing, responses, moderator):
    topic = TopicFactory(hearing=hearing, title="Skoven")
    TopicResponseFactory(topic=topic, response=responses[0])
    client.force_login(moderator)
    page = client.get(topic_url(topic, "topic_delete"))
    assert "Slet emnet «Skoven»?" in text_of(page) and "1 høringssvar er knyttet til emnet." in text_of(page)
    result = client.post(topic_url(topic, "topic_delete"))
    assert result["Location"] == hub(hearing.pk)
    assert not Topic.objects.exists() and hearing.responses.count() == 4


def test_unlink_from_the_topic_page(client, hearing, responses, moderator, other_hearing):
    topic = TopicFactory(hearing=hearing)
    TopicResponseFactory(topic=topic, response=responses[0])
    client.force_login(moderator)
    foreign = other_hearing.responses.get()
    url = reverse("analysis:topic_unlink", args=[hearing.pk, topic.pk, foreign.pk])
    assert client.post(url).status_code == 404
    url = reverse("analysis:topic_unlink", args=[hearing.pk, topic.pk, responses[0].pk])
    result = client.post(url, {"next": "https://evil.example/"})
    assert result["Location"] == topic_url(topic)
    assert not topic.links.exists()


# --- the response's staff page -------------------------------------------------------------------------------


def test_the_response_page_shows_its_topics_neighbours_and_campaign(client, hearing, responses, moderator):
    from analysis.models import Campaign, Signature

    topic = TopicFactory(hearing=hearing, title="Cykler")
    TopicFactory(hearing=hearing, title="Skoven")
    TopicResponseFactory(topic=topic, response=responses[0], quote="Flere cykelstier")
    Neighbour.objects.create(response=responses[0], other=responses[2], similarity=0.873)
    campaign = Campaign.objects.create(hearing=hearing, representative=responses[0])
    for response in responses[:3]:
        Signature.objects.create(response=response, hearing=hearing, text_hash="x", shingles=b"", words=b"",
                                 campaign=campaign)  # fmt: skip
    client.force_login(moderator)
    result = client.get(reverse("moderation:response", args=[responses[0].pk]))
    text = text_of(result)
    page = result.content.decode()
    assert "Cykler" in text and "Flere cykelstier" in text and "Fjern fra emnet" in text
    assert '<option value="' in page and ">Skoven</option>" in page and ">Cykler</option>" not in page
    assert "Lignende høringssvar" in text and "Nr. 3" in text and "87 % ens" in text
    assert "Del af en kampagne med 3 høringssvar med (næsten) enslydende tekst" in text
    assert reverse("analysis:campaign", args=[hearing.pk, campaign.pk]) in page


def test_link_from_the_response_page_with_a_quote_and_bad_input(
    client, hearing, responses, moderator, other_hearing
):
    topic = TopicFactory(hearing=hearing, title="Cykler")
    elsewhere = TopicFactory(hearing=other_hearing, title="Andet sted")
    client.force_login(moderator)
    url = reverse("analysis:response_link", args=[responses[0].pk])
    result = client.post(url, {"topic": elsewhere.pk, "quote": "Mit citat"})
    assert result.status_code == 400 and "Vælg et emne fra listen." in text_of(result)
    assert "Mit citat" in result.content.decode()
    result = client.post(url, {"topic": topic.pk, "quote": "q" * 2001})
    assert result.status_code == 400 and "højst 2000 tegn" in text_of(result)
    result = client.post(url, {"topic": topic.pk, "quote": "Står ikke i svaret"})
    assert result.status_code == 400 and "Citatet står ikke i høringssvar nr. 1." in text_of(result)
    assert "Står ikke i svaret" in result.content.decode()
    result = client.post(url, {"topic": topic.pk, "quote": "Flere cykelstier"})
    assert result.status_code == 302
    page = client.get(result["Location"])
    assert "Høringssvar nr. 1 er knyttet til emnet «Cykler»." in text_of(page)
    assert "Knyttet til emne «Cykler»" in text_of(page)  # the log names the topic
    assert TopicResponse.objects.get().quote == "Flere cykelstier"
    assert ModerationEvent.objects.filter(action="topic_linked", response=responses[0]).count() == 1
    # The link form of a withdrawn response says why it is refused.
    withdrawn = add(hearing, status="withdrawn")
    result = client.post(reverse("analysis:response_link", args=[withdrawn.pk]), {"topic": topic.pk})
    assert result.status_code == 400 and "er trukket tilbage af afsenderen" in text_of(result)


def test_another_municipalitys_moderator_cannot_link_a_response_here(client, hearing, responses, users):
    topic = TopicFactory(hearing=hearing)
    client.force_login(users["b_moderator"])
    url = reverse("analysis:response_link", args=[responses[0].pk])
    assert client.post(url, {"topic": topic.pk}).status_code == 404
    assert not TopicResponse.objects.exists()


def test_the_overview_links_to_the_analyse_page(client, hearing, moderator):
    client.force_login(moderator)
    page = client.get(reverse("moderation:overview", args=[hearing.pk])).content.decode()
    assert f'href="{hub(hearing.pk)}"' in page


def test_a_text_over_the_limit_is_kept_whole_and_refused_not_cut_by_the_browser(client, hearing, moderator):
    topic = TopicFactory(hearing=hearing, title="Trafik")
    client.force_login(moderator)
    page = client.get(topic_url(topic)).content.decode()
    assert re.search(r"<textarea[^>]*name=\"summary\"", page)
    assert not re.search(r"<textarea[^>]*maxlength", page)  # a browser would cut a long paste silently
    long = "Cykelstier. " * 2000  # 24,000 characters
    answer = client.post(topic_url(topic), {"title": "Trafik", "summary": long, "version": topic.version})
    assert answer.status_code == 400
    assert "højst 20000 tegn" in answer.content.decode()
    assert html.escape(long.strip()) in answer.content.decode()
    topic.refresh_from_db()
    assert topic.summary == "Flere høringssvar ønsker sikre skoleveje."
