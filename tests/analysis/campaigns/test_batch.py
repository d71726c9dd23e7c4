"""A whole hearing's campaigns from nothing, measured against the planted campaigns of the bench corpus."""

from collections import Counter

import pytest

from analysis import campaigns, similarity
from analysis.models import Band, Campaign, Neighbour, Signature
from bench.analysis_corpus import generate, pairwise
from hearings.models import Response
from tests.analysis.campaigns.conftest import copy_of
from tests.hearings.factories import add_texts


def load(hearing, texts):
    """The texts as responses nr. 1, 2, … of ``hearing`` (no authors: quicker)."""
    return add_texts(hearing, texts)


@pytest.mark.django_db
@pytest.mark.parametrize("corpus_seed", [1, 2])
def test_the_planted_campaigns_are_found_with_precision_and_recall_of_at_least_0_9(open_hearing, corpus_seed):
    corpus = generate(400, seed=corpus_seed)
    responses = load(open_hearing, corpus.texts)
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    found = dict(Signature.objects.values_list("response_id", "campaign_id"))
    precision, recall = pairwise([found[r.pk] for r in responses], corpus.campaign_of)
    assert precision >= 0.9
    assert recall >= 0.9
    distinct = len({c for c in corpus.campaign_of if c is not None}) + corpus.campaign_of.count(None)
    assert abs(campaigns.distinct_text_count(open_hearing) - distinct) <= 5


@pytest.mark.django_db
def test_the_batch_stores_bands_and_at_most_ten_similar_responses_each(open_hearing):
    responses = load(open_hearing, generate(120, seed=3).texts)
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    assert Band.objects.filter(hearing=open_hearing).count() == len(responses) * (32 + 16)
    per_response = Counter(Neighbour.objects.values_list("response_id", flat=True))
    assert per_response and max(per_response.values()) <= campaigns.NEIGHBOURS
    for campaign in Campaign.objects.all():  # the most typical member gives the shared text
        texts = {r.pk: r.text for r in Response.objects.filter(signature__campaign=campaign)}
        sets = {pk: set(similarity.shingles(similarity.normalise(text))) for pk, text in texts.items()}

        def typical(pk, sets=sets):
            return sum(len(sets[pk] & other) / len(sets[pk] | other) for other in sets.values()) / len(sets)

        assert campaign.representative_id in texts
        assert typical(campaign.representative_id) >= max(typical(pk) for pk in texts) - 0.05


@pytest.mark.django_db
def test_the_shared_text_is_the_letter_itself_not_a_copy_with_a_sentence_added(respond, letter):
    copies = [respond(copy_of(letter, f"Jeg har boet her i {n} år og cykler hver dag.")) for n in (3, 12)]
    plain = respond(letter)
    copies.append(respond(copy_of(letter, "Min datter går i 2. klasse.")))
    campaigns.analyse_hearing(hearing_id=plain.hearing_id)
    assert Campaign.objects.get().representative == plain
    late = respond(copy_of(letter, "Husk de små skoler."))  # one more, incrementally: still the letter
    campaigns.analyse_response(response_id=late.pk)
    assert Campaign.objects.get().representative == plain


@pytest.mark.django_db
def test_pinned_decisions_survive_the_analysis_of_the_whole_hearing(open_hearing, letter, moderator):
    responses = load(open_hearing, [copy_of(letter, f"Hilsen nr. {n}.") for n in range(4)])
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    campaign = Campaign.objects.get()
    campaigns.split_from_campaign(response=responses[1], actor=moderator)
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    assert Signature.objects.get(response=responses[1]).campaign is None
    assert Signature.objects.get(response=responses[1]).pinned
    assert set(Campaign.objects.get().members.values_list("response_id", flat=True)) == {
        responses[0].pk, responses[2].pk, responses[3].pk,
    }  # fmt: skip
    assert Campaign.objects.get().pk == campaign.pk  # the same campaign, its page's address kept


@pytest.mark.django_db
def test_two_campaigns_staff_keep_apart_are_not_joined_by_a_new_copy(open_hearing, letter):
    responses = load(open_hearing, [copy_of(letter, f"Hilsen nr. {n}.") for n in range(4)])
    first, second = (
        Campaign.objects.create(hearing=open_hearing),
        Campaign.objects.create(hearing=open_hearing),
    )
    for response, campaign in zip(responses[:2], (first, second), strict=True):
        Signature.objects.create(response=response, hearing=open_hearing, text_hash="", shingles=b"", words=b"",
                                 campaign=campaign, pinned=True)  # fmt: skip
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    assert Signature.objects.get(response=responses[0]).campaign == first
    assert Signature.objects.get(response=responses[1]).campaign == second
    assert Signature.objects.filter(campaign__in=[first, second]).count() == 4


@pytest.mark.django_db
def test_withdrawn_and_empty_responses_take_no_part(open_hearing, letter):
    load(open_hearing, [copy_of(letter, "A."), copy_of(letter, "B."), "…"])
    Response.objects.filter(number=2).update(status=Response.Status.WITHDRAWN)
    campaigns.analyse_hearing(hearing_id=open_hearing.pk)
    assert list(Signature.objects.values_list("response__number", flat=True)) == [1]
    assert not Campaign.objects.exists()
