"""What a campaign member adds to or changes in the campaign's shared text, word by word."""

import difflib
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"^\s+|\S+\s*")  # a word with the space after it


@dataclass(frozen=True)
class Segment:
    """A run of a member's text: ``added`` when it is not in the shared text (new or changed words)."""

    text: str
    added: bool


def additions(shared: str, text: str) -> list[Segment]:
    """``text`` cut into runs that are in ``shared`` (``added=False``) and runs that are not (``added=True``),
    compared word by word. Joining the runs' text gives ``text``
    back unchanged. Words of ``shared`` that ``text`` leaves out are not shown: the shared text is printed
    once beside it. Quadratic at worst in the number of words (difflib); a response has at most 10,000
    characters."""
    ours = _TOKEN.findall(text)
    theirs = _TOKEN.findall(shared)
    matcher = difflib.SequenceMatcher(
        None, [t.strip() for t in theirs], [t.strip() for t in ours], autojunk=False
    )
    segments: list[Segment] = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if j1 == j2:
            continue
        run = "".join(ours[j1:j2])
        added = tag != "equal"
        # The space after an added run is not part of what was added (it is not highlighted).
        stripped = run.rstrip() if added else run
        for text, is_added in ((stripped, added), (run[len(stripped) :], False)):
            if not text:
                continue
            if segments and segments[-1].added == is_added:
                segments[-1] = Segment(segments[-1].text + text, is_added)
            else:
                segments.append(Segment(text, is_added))
    return segments


def added_share(segments: list[Segment]) -> float:
    """The share (0–1) of a member's non-space characters that are not in the shared text."""
    total = sum(len("".join(s.text.split())) for s in segments)
    added = sum(len("".join(s.text.split())) for s in segments if s.added)
    return added / total if total else 0.0
