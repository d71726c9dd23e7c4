"""The quality corpus of guard.finders: data/corpus.txt parsed into sentences and expected spans.

Used by the suite (tests/guard/test_finders.py) and the benchmark (bench/guard_finders.py)::

    for sentence in load():
        sentence.text       # the sentence without its marks
        sentence.expected   # {kind: [(start, end), ...]}

and ``score(findings_per_sentence)`` counts, per kind, the expected spans found (recall) and the
findings that overlap an expected span of their kind (precision).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_PATH = Path(__file__).parent / "data" / "corpus.txt"
KINDS = ("cpr", "phone", "email", "address", "person", "sensitive")
_MARK = re.compile(r"\{(cpr|phone|email|address|person|sensitive):([^{}]+)\}")


@dataclass(frozen=True)
class Sentence:
    line: int
    text: str
    expected: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def parse(line_number: int, marked: str) -> Sentence:
    parts: list[str] = []
    expected: dict[str, list[tuple[int, int]]] = {}
    length = 0
    last = 0
    for m in _MARK.finditer(marked):
        parts.append(marked[last : m.start()])
        length += m.start() - last
        start = length
        parts.append(m.group(2))
        length += len(m.group(2))
        expected.setdefault(m.group(1), []).append((start, length))
        last = m.end()
    parts.append(marked[last:])
    text = "".join(parts)
    if "{" in text or "}" in text:
        raise ValueError(f"corpus line {line_number}: a mark is malformed: {marked!r}")
    return Sentence(line_number, text, expected)


def load(path: Path = CORPUS_PATH) -> list[Sentence]:
    sentences = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            sentences.append(parse(number, line))
    return sentences


@dataclass
class Score:
    expected: int = 0
    found_expected: int = 0
    findings: int = 0
    correct_findings: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found_expected / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.correct_findings / self.findings if self.findings else 1.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(
    sentences: Sequence[Sentence], findings: Iterable[Sequence[tuple[str, int, int]]]
) -> dict[str, Score]:
    """Per kind; ``findings`` gives, for each sentence in order, its findings as (kind, start, end)."""
    scores = {kind: Score() for kind in KINDS}
    for sentence, found in zip(sentences, findings, strict=True):
        for kind in KINDS:
            expected = sentence.expected.get(kind, [])
            spans = [(s, e) for k, s, e in found if k == kind]
            sc = scores[kind]
            sc.expected += len(expected)
            for span in expected:
                if any(_overlaps(span, f) for f in spans):
                    sc.found_expected += 1
                else:
                    sc.missed.append(
                        f"line {sentence.line}: {sentence.text[span[0] : span[1]]!r} in {sentence.text!r}"
                    )
            sc.findings += len(spans)
            for f in spans:
                if any(_overlaps(f, span) for span in expected):
                    sc.correct_findings += 1
                else:
                    sc.wrong.append(
                        f"line {sentence.line}: {sentence.text[f[0] : f[1]]!r} in {sentence.text!r}"
                    )
    return scores
