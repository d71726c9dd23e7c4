"""analysis.similarity: the pure functions behind campaigns and similar responses."""

import numpy as np

from analysis import similarity


def test_normalising_ignores_case_punctuation_width_and_spacing():
    assert (
        similarity.normalise("  Skolen SKAL bevares!\n\nTak, ﬁne  børn…")
        == "skolen skal bevares tak fine børn"
    )
    assert similarity.normalise("…") == ""


def test_shingles_are_runs_of_three_words_and_words_skip_short_ones():
    assert sorted(similarity.shingles("a b c d")) == [b"a b c", b"b c d"]
    assert similarity.shingles("kort tekst") == [b"kort tekst"]
    assert similarity.shingles("") == []
    assert sorted(similarity.words("vi er imod at skolen lukkes")) == [b"imod", b"lukkes", b"skolen"]


def test_signatures_round_trip_through_bytes_and_estimate_jaccard():
    first = "vi er imod at skolen i landsbyen lukkes for den er hjertet i vores by " * 3
    second = first + " jeg har boet her i tolv år"
    shingles, _words = similarity.signatures([similarity.normalise(first), similarity.normalise(second)])
    assert shingles.shape == (2, similarity.SHINGLES.num_perm) and shingles.dtype == np.uint32
    data = similarity.to_bytes(shingles[0])
    assert len(data) == 4 * similarity.SHINGLES.num_perm
    assert np.array_equal(similarity.from_bytes(data), shingles[0])
    assert similarity.jaccard(shingles[0], shingles[0]) == 1.0
    assert 0.4 < similarity.jaccard(shingles[0], shingles[1]) < 1.0
    assert list(similarity.jaccard_many(shingles[0], shingles)) == [
        1.0,
        similarity.jaccard(shingles[0], shingles[1]),
    ]


def test_band_keys_are_signed_64_bit_and_differ_between_bands():
    signature = np.zeros(similarity.SHINGLES.num_perm, dtype=np.uint32)
    keys = similarity.band_keys(signature, similarity.SHINGLES)
    assert keys.dtype == np.int64 and keys.shape == (similarity.SHINGLES.bands,)
    assert len(set(keys.tolist())) == similarity.SHINGLES.bands  # equal values, yet a key per band


def test_pinned_groups_are_never_joined():
    pairs = np.array([[0, 1], [1, 2], [2, 3]])
    assert similarity.groups(pairs, 4).tolist() == [0, 0, 0, 0]
    assert similarity.groups(pairs, 4, tags=[7, -1, 8, -1]).tolist() == [0, 0, 2, 2]
