from analysis.diff import Segment, added_share, additions

SHARED = "Vi ønsker en cykelsti langs Ågade. Den er farlig for børnene."


def test_a_member_s_added_and_changed_words_are_marked_and_the_text_is_kept_whole():
    text = "Vi ønsker en sikker cykelsti langs Ågade. Den er livsfarlig for børnene. Jeg bor på Ågade 4."
    segments = additions(SHARED, text)
    assert "".join(s.text for s in segments) == text
    assert [s.text for s in segments if s.added] == ["sikker", "livsfarlig", "Jeg bor på Ågade 4."]


def test_an_exact_copy_adds_nothing():
    assert additions(SHARED, SHARED) == [Segment(SHARED, False)]
    assert added_share(additions(SHARED, SHARED)) == 0


def test_a_text_with_nothing_in_common_is_all_added():
    segments = additions(SHARED, "Helt andre ord her.")
    assert segments == [Segment("Helt andre ord her.", True)]
    assert added_share(segments) == 1
