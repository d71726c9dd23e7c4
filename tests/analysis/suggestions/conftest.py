"""A hearing filled from the bench's seeded corpus (bench/analysis_corpus.py), with its planted campaigns
as Campaign and Signature rows (as the campaign finder would make them), and suggestions made by hand."""

import pytest

from analysis.models import Campaign, Signature, Suggestion
from bench import analysis_corpus
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import add_texts


def fill(hearing, corpus):
    """The corpus' texts as published responses nr. 1 … n of ``hearing``, and its planted campaigns as
    campaigns (the first copy the representative). Returns the responses in corpus order."""
    responses = add_texts(hearing, corpus.texts, author=VerifiedUserFactory())
    campaigns = {}
    for response, planted in zip(responses, corpus.campaign_of, strict=True):
        if planted is None:
            continue
        if planted not in campaigns:
            campaigns[planted] = Campaign.objects.create(hearing=hearing, representative=response)
        Signature.objects.create(
            response=response, hearing=hearing, text_hash="0" * 64, shingles=b"", words=b"",
            campaign=campaigns[planted],
        )  # fmt: skip
    return responses


@pytest.fixture
def corpus():
    """A small seeded corpus: 120 responses, two campaigns, twelve topics and some off-topic ones."""
    return analysis_corpus.generate(120, seed=7, campaigns=2, campaign_sizes=(6, 12))


def suggestion(hearing, label, responses, status=Suggestion.Status.OPEN, terms=None):
    made = Suggestion.objects.create(
        hearing=hearing, label=label, terms=terms or label.split(" · "), status=status
    )
    made.responses.set(responses)
    return made
