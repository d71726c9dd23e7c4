"""A new or edited response gets its campaign and similar responses without recomputing the hearing."""

import datetime as dt

import pytest

from analysis import campaigns
from analysis.models import Band, Campaign, Neighbour, Signature
from hearings.models import Hearing, Response
from tests.analysis.campaigns.conftest import copy_of
from tests.hearings.factories import add

OTHER = (
    "Cykelstien langs Vejlegårdsvej mangler belysning, og krydset ved stationen er farligt for børn om "
    "morgenen. Sæt fart på en ny lyskurv og flere vejbump, før der sker en ulykke."
)


def analyse(*responses):
    for response in responses:
        campaigns.analyse_response(response_id=response.pk)


def campaign_of(response):
    return Signature.objects.get(response=response).campaign


@pytest.mark.django_db
def test_a_new_copy_of_a_form_letter_joins_the_campaign_of_the_earlier_copies(respond, letter):
    first = respond(copy_of(letter, "Jeg har boet her i 12 år."))
    second = respond(copy_of(letter, "Mine to børn går på skolen."))
    alone = respond(OTHER)
    analyse(first, second, alone)
    campaign = campaign_of(first)
    assert campaign is not None and campaign_of(second) == campaign
    assert campaign_of(alone) is None
    assert campaign.representative == first

    third = respond(copy_of(letter.replace("nye faglokaler", "et nyt bibliotek"), "Hilsen Ole."))
    analyse(third)
    assert campaign_of(third) == campaign
    assert Campaign.objects.count() == 1
    assert campaigns.distinct_text_count(first.hearing) == 2  # one campaign and one response alone


@pytest.mark.django_db
def test_a_response_stores_its_bands_and_similar_responses_both_ways(respond, letter):
    first = respond(copy_of(letter, "Jeg har boet her i 12 år."))
    second = respond(copy_of(letter, "Mine to børn går på skolen."))
    analyse(first, second)
    assert Band.objects.filter(signature_id=first.pk).count() == 32 + 16
    assert set(Neighbour.objects.values_list("response_id", "other_id")) == {
        (first.pk, second.pk),
        (second.pk, first.pk),
    }
    assert [neighbour.other for neighbour in campaigns.neighbours(first)] == [second]


@pytest.mark.django_db
def test_an_unchanged_text_is_not_computed_again(respond, letter, django_assert_num_queries):
    first = respond(letter)
    analyse(first)
    # The response, its read attachments, the lock, the signature, and the savepoint pair.
    with django_assert_num_queries(6):
        analyse(first)


@pytest.mark.django_db
def test_an_edited_response_that_no_longer_is_a_copy_leaves_its_campaign(respond, letter):
    first, second, third = (respond(copy_of(letter, f"Hilsen nr. {n}.")) for n in range(3))
    analyse(first, second, third)
    campaign = campaign_of(first)
    Response.objects.filter(pk=second.pk).update(text=OTHER)
    analyse(second)
    assert campaign_of(second) is None
    assert campaign_of(first) == campaign == campaign_of(third)


@pytest.mark.django_db
def test_the_first_copy_edited_away_gives_the_campaign_a_new_representative(respond, letter):
    first, second, third = (respond(copy_of(letter, f"Hilsen nr. {n}.")) for n in range(3))
    analyse(first, second, third)
    Response.objects.filter(pk=first.pk).update(text=OTHER)
    analyse(first)
    campaign = campaign_of(second)
    assert campaign.representative == second


@pytest.mark.django_db
def test_a_withdrawn_response_leaves_and_a_campaign_of_one_is_dissolved(respond, letter):
    first, second = respond(copy_of(letter, "A.")), respond(copy_of(letter, "B."))
    analyse(first, second)
    assert Campaign.objects.count() == 1
    Response.objects.filter(pk=second.pk).update(status=Response.Status.WITHDRAWN)
    analyse(second)
    assert not Campaign.objects.exists()
    assert campaign_of(first) is None
    assert not Signature.objects.filter(response=second).exists()
    assert not Neighbour.objects.exists()


@pytest.mark.django_db
def test_removing_personal_data_keeps_the_text_and_so_the_campaign(respond, letter):
    from hearings.personal_data import remove_expired_personal_data

    first, second, third = (respond(copy_of(letter, f"Hilsen nr. {n}.")) for n in range(3))
    analyse(first, second, third)
    Hearing.objects.filter(pk=first.hearing_id).update(personal_data_removal_on=dt.date(2000, 1, 1))
    remove_expired_personal_data()
    analyse(first, second, third)
    assert campaign_of(first).members.count() == 3


@pytest.mark.django_db
def test_a_response_emptied_by_its_deleted_account_leaves_its_campaign(respond, letter):
    first, second, third = (respond(copy_of(letter, f"Hilsen nr. {n}.")) for n in range(3))
    analyse(first, second, third)
    Response.objects.filter(pk=third.pk).update(text="", status=Response.Status.WITHDRAWN)
    analyse(third)
    assert campaign_of(first).members.count() == 2


@pytest.mark.django_db
def test_another_hearings_copy_is_not_a_candidate(respond, letter, billund_hearing):
    first = respond(copy_of(letter, "A."))
    elsewhere = add(billund_hearing, text=copy_of(letter, "B."))
    analyse(first, elsewhere)
    assert not Campaign.objects.exists()
    assert not Neighbour.objects.exists()


@pytest.mark.django_db
def test_a_pinned_response_is_not_put_into_a_campaign(respond, letter):
    first, second = respond(copy_of(letter, "A.")), respond(copy_of(letter, "B."))
    analyse(first)
    Signature.objects.filter(response=first).update(pinned=True)
    analyse(second)
    assert campaign_of(first) is None and campaign_of(second) is None
