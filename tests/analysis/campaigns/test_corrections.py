"""Staff's corrections: taking a response out of a campaign and merging two, checked, pinned and logged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from analysis import campaigns
from analysis.models import Campaign, Signature
from hearings.models import Hearing
from moderation.models import ModerationEvent
from tests.accounts.factories import staff_users
from tests.analysis.campaigns.conftest import copy_of

OTHER_LETTER = (
    "Busruten 142 skal køre hele aftenen, også i weekenden. Mange pendlere har ingen bil, og de unge skal "
    "kunne komme sikkert hjem fra fritidsjob og sport. Vi beder om flere afgange og et nyt busskur."
)


@pytest.fixture
def two_campaigns(open_hearing, respond, letter):
    responses = [respond(copy_of(letter, f"Hilsen nr. {n}.")) for n in range(3)]
    responses += [respond(copy_of(OTHER_LETTER, f"Hilsen nr. {n}.")) for n in range(2)]
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    first = Signature.objects.get(response=responses[0]).campaign
    second = Signature.objects.get(response=responses[3]).campaign
    assert first and second and first != second
    return responses, first, second


def test_a_response_taken_out_is_pinned_and_logged(two_campaigns, moderator):
    responses, first, _second = two_campaigns
    campaigns.split_from_campaign(response=responses[0], actor=moderator)
    signature = Signature.objects.get(response=responses[0])
    assert signature.campaign is None and signature.pinned
    first.refresh_from_db()
    assert first.representative in responses[1:3]  # a member left gives the shared text
    event = ModerationEvent.objects.get(action=ModerationEvent.Action.CAMPAIGN_SPLIT)
    assert (event.response, event.actor, event.details) == (responses[0], moderator, {"campaign": first.pk})
    campaigns.analyse_response(response_id=responses[0].pk)  # nothing puts it back
    Signature.objects.filter(response=responses[0]).update(text_hash="")
    campaigns.analyse_response(response_id=responses[0].pk)
    assert Signature.objects.get(response=responses[0]).campaign is None


def test_taking_out_one_of_two_dissolves_the_campaign(two_campaigns, editor):
    responses, _first, second = two_campaigns
    campaigns.split_from_campaign(response=responses[3], actor=editor)
    assert not Campaign.objects.filter(pk=second.pk).exists()
    assert Signature.objects.get(response=responses[4]).campaign is None


def test_a_response_in_no_campaign_cannot_be_taken_out(two_campaigns, moderator, respond):
    alone = respond("Et svar helt for sig selv om hundeskoven.")
    campaigns.analyse_response(response_id=alone.pk)
    with pytest.raises(ValidationError) as error:
        campaigns.split_from_campaign(response=alone, actor=moderator)
    assert error.value.messages == [f"Høringssvar nr. {alone.number} er ikke i en kampagne."]


def test_merging_moves_every_member_pins_them_and_is_logged(two_campaigns, moderator, open_hearing):
    responses, first, second = two_campaigns
    version = Hearing.objects.get(pk=open_hearing.pk).content_version
    merged = campaigns.merge_campaigns(campaign=second, into=first, actor=moderator)
    assert merged == first
    assert not Campaign.objects.filter(pk=second.pk).exists()
    assert set(first.members.values_list("response_id", flat=True)) == {r.pk for r in responses}
    assert all(first.members.values_list("pinned", flat=True))
    assert merged.representative in responses[:3]  # the most typical text: the letter of three
    event = ModerationEvent.objects.get(action=ModerationEvent.Action.CAMPAIGN_MERGED)
    assert event.hearing == open_hearing and event.details == {
        "campaign": second.pk,
        "into": first.pk,
        "moved": 2,
    }
    assert Hearing.objects.get(pk=open_hearing.pk).content_version != version  # the summary is made anew
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    assert Campaign.objects.get().members.count() == 5  # staff's decision stands


def test_a_campaign_is_not_merged_into_itself(two_campaigns, moderator):
    _responses, first, _second = two_campaigns
    with pytest.raises(ValidationError) as error:
        campaigns.merge_campaigns(campaign=first, into=first, actor=moderator)
    assert error.value.messages == ["En kampagne kan ikke lægges sammen med sig selv."]
    assert not ModerationEvent.objects.filter(action=ModerationEvent.Action.CAMPAIGN_MERGED).exists()


def test_campaigns_of_two_hearings_are_not_merged(two_campaigns, moderator, vallensbaek):
    _responses, first, _second = two_campaigns
    from tests.hearings.factories import HearingFactory

    elsewhere = Campaign.objects.create(hearing=HearingFactory(strategy=vallensbaek))
    with pytest.raises(ValidationError) as error:
        campaigns.merge_campaigns(campaign=first, into=elsewhere, actor=moderator)
    assert error.value.messages == ["Kampagnerne skal høre til samme høring."]


# Who may correct campaigns: the municipality's moderators and editors, and the operator.
MAY = {"v_moderator": True, "v_editor": True, "superuser": True,
       "v_council": False, "b_moderator": False, "b_editor": False, "citizen": False}  # fmt: skip


@pytest.mark.parametrize(("who", "allowed"), MAY.items())
def test_who_may_split_and_merge(two_campaigns, vallensbaek, billund, who, allowed):
    responses, first, second = two_campaigns
    actor = staff_users(vallensbaek.municipality, billund.municipality)[who]
    if allowed:
        campaigns.split_from_campaign(response=responses[0], actor=actor)
        campaigns.merge_campaigns(campaign=second, into=first, actor=actor)
        assert ModerationEvent.objects.filter(actor=actor).count() == 2
    else:
        with pytest.raises(PermissionDenied):
            campaigns.split_from_campaign(response=responses[0], actor=actor)
        with pytest.raises(PermissionDenied):
            campaigns.merge_campaigns(campaign=second, into=first, actor=actor)
        assert Signature.objects.get(response=responses[0]).campaign == first
        assert Campaign.objects.filter(pk=second.pk).exists()
