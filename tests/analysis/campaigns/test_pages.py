"""The campaign pages: what staff see, who may see and change, in a constant number of queries."""

import pytest
from django.urls import reverse

from analysis import campaigns
from analysis.models import Campaign, Signature
from moderation.models import ModerationEvent
from tests.accounts.factories import staff_users
from tests.analysis.campaigns.conftest import copy_of
from tests.hearings.factories import HearingFactory, add

XSS = '<script>alert("x")</script>'


@pytest.fixture
def campaign(open_hearing, letter):
    responses = [add(open_hearing, text=copy_of(letter, f"Hilsen nr. {n}.")) for n in range(3)]
    responses.append(add(open_hearing, text=copy_of(letter, f"Jeg vil tilføje {XSS} her."), display_name=XSS))
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    return Campaign.objects.get()


def list_url(hearing):
    return reverse("analysis:campaigns", kwargs={"pk": hearing.pk})


def detail_url(campaign):
    return reverse("analysis:campaign", kwargs={"pk": campaign.hearing_id, "campaign": campaign.pk})


def test_the_list_says_how_many_share_a_text_and_shows_it_once(client, moderator, campaign, letter):
    client.force_login(moderator)
    page = client.get(list_url(campaign.hearing))
    html = page.content.decode()
    assert page.status_code == 200
    assert "4 høringssvar med (næsten) enslydende tekst" in html
    assert html.count("Skolen er hjertet i vores lokalsamfund") == 1
    assert "Læg to kampagner sammen" not in html  # one campaign: nothing to merge it with
    assert "Høringen har 1 forskellig tekst." in html
    assert detail_url(campaign) in html


def test_a_campaign_shows_the_shared_text_once_and_what_each_member_adds(client, moderator, campaign):
    client.force_login(moderator)
    html = client.get(detail_url(campaign)).content.decode()
    assert html.count("Skolen er hjertet i vores lokalsamfund") == 1 + 4  # shared, then each member
    # "Hilsen nr. 0." ends the shared text (the first member's); the second member changed the number
    assert (
        '<ins class="campaign-addition"><mark><span class="sr-only">tilføjet: </span>1.</mark></ins>' in html
    )
    for response in campaigns.campaign_members(campaign):
        assert reverse("moderation:response", args=[response.pk]) in html
        assert f"Høringssvar nr. {response.number}" in html
    assert html.count("Tag ud af kampagnen") == 4


def test_texts_and_names_are_escaped(client, moderator, campaign):
    client.force_login(moderator)
    for url in (list_url(campaign.hearing), detail_url(campaign)):
        html = client.get(url).content.decode()
        assert XSS not in html
    assert "&lt;script&gt;" in html


def test_the_pages_take_a_constant_number_of_queries(client, moderator, campaign, open_hearing, letter,
                                                      django_assert_num_queries):  # fmt: skip
    client.force_login(moderator)
    client.get(list_url(open_hearing))  # the session's first read
    with django_assert_num_queries(
        7
    ) as small_list:  # session, user, roles, hearing, campaigns, distinct, unanalysed
        client.get(list_url(open_hearing))
    with django_assert_num_queries(7):  # session, user, roles, hearing, campaign, count, members
        client.get(detail_url(campaign))
    for n in range(60):  # a bigger campaign, and two more campaigns
        add(open_hearing, text=copy_of(letter, f"Med venlig hilsen {n}."))
    for other in ("Busruten skal køre hele aftenen, også i weekenden, og stoppestedet skal have et busskur. " * 3,
                  "Cykelstien mangler lys, og krydset ved stationen er farligt for børn om morgenen. " * 3):  # fmt: skip
        add(open_hearing, text=other + "A.")
        add(open_hearing, text=other + "B.")
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    assert Campaign.objects.count() == 3
    with django_assert_num_queries(len(small_list)):
        assert client.get(list_url(open_hearing)).status_code == 200
    assert campaign.members.count() == 64
    with django_assert_num_queries(7):
        assert "Side 1 af 2" in client.get(detail_url(campaign)).content.decode()


# What each visitor gets: the pages (GET) and the corrections (POST).
# fmt: off
EXPECTED = {
    "anonymous":   (302, 302, 302),
    "citizen":     (404, 404, 404),
    "v_moderator": (200, 200, 302),
    "v_editor":    (200, 200, 302),
    "v_council":   (200, 200, 404),  # the council may see, not change
    "b_moderator": (404, 404, 404),
    "b_council":   (404, 404, 404),
    "superuser":   (200, 200, 302),
}
# fmt: on


@pytest.mark.parametrize(("who", "expected"), EXPECTED.items())
def test_who_may_see_and_change_campaigns(client, campaign, vallensbaek, billund, who, expected):
    user = staff_users(vallensbaek.municipality, billund.municipality)[who]
    if user:
        client.force_login(user)
    member = campaigns.campaign_members(campaign).first()
    split = reverse("analysis:campaign_split", kwargs={"pk": campaign.hearing_id, "campaign": campaign.pk,
                                                       "response": member.pk})  # fmt: skip
    got = (
        client.get(list_url(campaign.hearing)).status_code,
        client.get(detail_url(campaign)).status_code,
        client.post(split).status_code,
    )
    assert got == expected
    changed = Signature.objects.get(response=member).campaign is None
    assert changed == (expected[2] == 302 and who != "anonymous")


def test_splitting_from_the_page_says_so(client, moderator, campaign):
    client.force_login(moderator)
    member = campaigns.campaign_members(campaign).first()
    url = reverse("analysis:campaign_split", kwargs={"pk": campaign.hearing_id, "campaign": campaign.pk,
                                                     "response": member.pk})  # fmt: skip
    page = client.post(url, follow=True)
    assert f"Høringssvar nr. {member.number} er taget ud af kampagnen." in page.content.decode()
    assert ModerationEvent.objects.filter(
        action=ModerationEvent.Action.CAMPAIGN_SPLIT, response=member
    ).exists()


@pytest.fixture
def second_campaign(campaign, open_hearing):
    text = "Busruten skal køre hele aftenen, også i weekenden, og stoppestedet skal have et busskur. " * 3
    add(open_hearing, text=text + "A.")
    add(open_hearing, text=text + "B.")
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    return Campaign.objects.exclude(pk=campaign.pk).get()


def merge(client, hearing, **data):
    return client.post(reverse("analysis:campaign_merge", kwargs={"pk": hearing.pk}), data)


def test_merging_from_the_list(client, moderator, campaign, second_campaign):
    client.force_login(moderator)
    page = merge(client, campaign.hearing, campaign=second_campaign.pk, into=campaign.pk)
    assert page.status_code == 302 and page.url == detail_url(campaign)
    assert campaign.members.count() == 6


def test_merging_a_campaign_into_itself_is_refused_in_danish(client, moderator, campaign, second_campaign):
    client.force_login(moderator)
    page = merge(client, campaign.hearing, campaign=campaign.pk, into=campaign.pk)
    html = page.content.decode()
    assert page.status_code == 400
    assert "En kampagne kan ikke lægges sammen med sig selv." in html
    assert f'<option value="{campaign.pk}" selected>' in html  # what was chosen is kept
    assert Campaign.objects.count() == 2


def test_merging_with_another_hearings_campaign_is_refused_in_danish(client, moderator, campaign,
                                                                      second_campaign, vallensbaek):  # fmt: skip
    client.force_login(moderator)
    elsewhere = Campaign.objects.create(hearing=HearingFactory(strategy=vallensbaek))
    page = merge(client, campaign.hearing, campaign=campaign.pk, into=elsewhere.pk)
    assert page.status_code == 400
    assert "Kampagnerne skal høre til samme høring." in page.content.decode()


@pytest.mark.parametrize(
    "data", [{}, {"campaign": "x", "into": ""}, {"campaign": "999999", "into": "999998"}]
)
def test_bad_merge_input_gets_a_danish_message_not_a_500(client, moderator, campaign, second_campaign, data):
    client.force_login(moderator)
    page = merge(client, campaign.hearing, **data)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Vælg" in html or "findes ikke" in html or "heltal" in html
    assert Campaign.objects.count() == 2


def test_another_municipalitys_campaign_is_not_found(client, campaign, billund):
    from tests.accounts.factories import staff

    client.force_login(staff(billund.municipality, "moderator", "m@billund.dk"))
    assert client.get(detail_url(campaign)).status_code == 404
    billund_hearing = HearingFactory(strategy=billund)
    wrong = reverse("analysis:campaign", kwargs={"pk": billund_hearing.pk, "campaign": campaign.pk})
    assert client.get(wrong).status_code == 404  # its own hearing's address with another's campaign


def test_responses_sent_before_the_analysis_are_counted_and_analysed_on_request(
    client, moderator, open_hearing, letter, django_capture_on_commit_callbacks
):
    for n in range(3):
        add(open_hearing, text=copy_of(letter, f"Hilsen nr. {n}."))
    client.force_login(moderator)
    assert "3 høringssvar er ikke analyseret endnu." in client.get(list_url(open_hearing)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("analysis:campaigns_analyse", kwargs={"pk": open_hearing.pk}))
    assert answer.status_code == 302
    html = client.get(list_url(open_hearing)).content.decode()
    assert "ikke analyseret endnu" not in html
    assert "3 høringssvar med (næsten) enslydende tekst" in html


def test_only_moderators_and_editors_of_the_municipality_ask_for_an_analysis(client, open_hearing, billund):
    users = staff_users(open_hearing.strategy.municipality, billund.municipality)
    for user in (users["v_council"], users["b_moderator"]):
        client.force_login(user)
        answer = client.post(reverse("analysis:campaigns_analyse", kwargs={"pk": open_hearing.pk}))
        assert answer.status_code == 404


def test_the_command_analyses_the_hearings_that_need_it(open_hearing, letter):
    from django.core.management import call_command

    for n in range(2):
        add(open_hearing, text=copy_of(letter, f"Hilsen nr. {n}."))
    call_command("analyse_hearings", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Campaign.objects.get(hearing=open_hearing).members.count() == 2
    assert campaigns.unanalysed_count(open_hearing) == 0


def test_the_campaign_page_and_the_analyse_page_count_the_same_distinct_texts(
    client, moderator, campaign, open_hearing
):
    add(open_hearing, text="Et skjult svar helt for sig selv.", status="hidden")
    add(open_hearing, text="Et andet svar om hundeskoven.")
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    client.force_login(moderator)
    assert "Høringen har 2 forskellige tekster." in client.get(list_url(open_hearing)).content.decode()
    hub = client.get(reverse("analysis:analysis", args=[open_hearing.pk])).content.decode()
    assert "2 forskellige tekster i alt" in hub
