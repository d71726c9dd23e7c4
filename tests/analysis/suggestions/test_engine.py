"""The pure engine: Danish words and stems, and clusters against the bench corpus' planted topics."""

import pytest
from sklearn.metrics import adjusted_rand_score

from analysis import suggestions
from tests.analysis.suggestions.conftest import analysis_corpus


def test_words_are_lower_cased_letters_without_stop_words():
    assert suggestions.words("Vi ØNSKER en ny Cykelsti ved Åen, og 30 km/t i krydset! CO2") == [
        "cykelsti", "åen", "km", "krydset", "co2",
    ]  # fmt: skip


def test_stems_are_snowballs_danish():
    assert suggestions.stems("cykelstierne skolerne børnehaven") == ["cykelsti", "skol", "børnehav"]


@pytest.mark.parametrize("seed", [1, 2])
def test_clusters_find_the_planted_topics_and_leave_off_topic_responses_out(seed):
    corpus = analysis_corpus.generate(600, seed=seed)
    documents, owners = analysis_corpus.planted_documents(corpus)
    clusters = suggestions.cluster_texts(documents)
    label = {}
    for c, cluster in enumerate(clusters):
        for d in cluster.members:
            for i in owners[d]:
                label[i] = c
    planted = [i for i, topic in enumerate(corpus.topic_of) if topic is not None]
    # A planted response left without a suggestion counts as a cluster of its own (it was missed).
    ari = adjusted_rand_score([corpus.topic_of[i] for i in planted], [label.get(i, -1 - i) for i in planted])
    assert ari >= 0.7, ari
    off_topic = [i for i, topic in enumerate(corpus.topic_of) if topic is None]
    assert sum(i not in label for i in off_topic) >= 0.8 * len(off_topic)


def test_a_cluster_is_named_by_the_surface_words_its_responses_use():
    corpus = analysis_corpus.generate(300, seed=3, campaigns=0)
    clusters = suggestions.cluster_texts(corpus.texts)
    by_topic = {}
    for cluster in clusters:
        topics = [corpus.topic_of[i] for i in cluster.members]
        by_topic[max(set(topics), key=topics.count)] = cluster
    cycling = by_topic[1]  # the corpus' topic 1: cycle paths and crossings
    vocabulary = set(analysis_corpus.TOPICS[1])
    assert set(cycling.terms) <= vocabulary  # whole words as written, never a stem like "cykelst"
    assert cycling.label == " · ".join(cycling.terms[:3])
    assert len(cycling.terms) == suggestions.TERMS_PER_SUGGESTION


@pytest.mark.parametrize(
    "texts",
    [
        [],
        ["Cykelstier er gode."] * 5,  # fewer than MIN_DOCUMENTS
        ["og i jeg det at"] * 20,  # stop words only
        analysis_corpus.OTHER[:20],  # twenty different words: nothing shared
    ],
)
def test_too_little_to_go_on_gives_no_suggestion(texts):
    assert suggestions.cluster_texts(texts) == []


def test_the_same_seed_gives_the_same_clusters():
    corpus = analysis_corpus.generate(100, seed=5, campaigns=0)
    assert suggestions.cluster_texts(corpus.texts) == suggestions.cluster_texts(corpus.texts)


def test_batch_size_is_25_or_a_tenth_of_the_hearing():
    assert [suggestions.batch_size(n) for n in (0, 100, 250, 251, 10_000)] == [25, 25, 25, 26, 1000]
