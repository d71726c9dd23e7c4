"""Benchmark: guard.finders, quality on the corpus and speed on 10,000 responses' texts.

    .venv/bin/python bench/guard_finders.py                  # 10,000 texts, seed 1
    .venv/bin/python bench/guard_finders.py --texts 2000 --seed 7

Prints, per kind, the recall and precision of ``guard.finders.find`` on tests/guard/data/corpus.txt (a
finding is correct when it overlaps an expected span of its kind), then the time to scan N responses'
texts of about 600 characters each, made deterministically from the seed: ordinary filler sentences with,
in about one text in three, one or two corpus sentences mixed in. One core, one process, no database.
Nothing here is a test; the figures of the last run are recorded in docs/benchmarks-guard.md.
"""

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from guard.finders import find  # noqa: E402
from tests.guard import corpus  # noqa: E402

FILLER = [
    "Jeg er imod forslaget om at lukke biblioteket i vores bydel.",
    "Kommunen bør tænke mere på de ældre, der ikke kan cykle så langt.",
    "Trafikken på skolevejen er allerede for tæt om morgenen.",
    "Det grønne område er et samlingssted for hele kvarteret og skal bevares.",
    "Jeg støtter planen, men byggeriet må ikke blive højere end tre etager.",
    "Der mangler en vurdering af støjen fra den nye vej.",
    "Vi har boet her i mange år og har set området ændre sig.",
    "Høringsmaterialet er svært at forstå for almindelige borgere.",
    "Det vil koste mere, end det gavner, og pengene bør bruges på skolerne.",
    "Cykelstien bør fortsætte helt ned til stationen.",
    "Parkeringspladserne er allerede fyldt om aftenen.",
    "Jeg håber, at byrådet lytter til de mange høringssvar.",
    "Naturen langs åen er unik og må ikke forsvinde under asfalt.",
    "Tak for muligheden for at komme med input til planen.",
]


def make_texts(n: int, seed: int, sentences: list[corpus.Sentence]) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < 600:
            parts.append(rng.choice(FILLER))
        if rng.random() < 1 / 3:
            for _ in range(rng.randint(1, 2)):
                parts.insert(rng.randrange(len(parts) + 1), rng.choice(sentences).text)
        texts.append(" ".join(parts))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the scan; the median is reported")
    args = parser.parse_args()

    sentences = corpus.load()
    scores = corpus.score(sentences, [[(f.kind, f.start, f.end) for f in find(s.text)] for s in sentences])
    print(f"Corpus: {len(sentences)} sentences, {sum(1 for s in sentences if not s.expected)} without a mark")
    print(f"{'kind':<10} {'expected':>8} {'found':>6} {'recall':>7} {'findings':>9} {'precision':>9}")
    for kind, sc in scores.items():
        print(
            f"{kind:<10} {sc.expected:>8} {sc.found_expected:>6} {sc.recall:>7.3f} {sc.findings:>9} {sc.precision:>9.3f}"
        )

    texts = make_texts(args.texts, args.seed, sentences)
    chars = sum(len(t) for t in texts)
    runs = []
    kinds: Counter[str] = Counter()
    for _ in range(args.repeat):
        kinds.clear()
        started = time.perf_counter()
        for text in texts:
            kinds.update(f.kind for f in find(text))
        runs.append(time.perf_counter() - started)
    median = statistics.median(runs)
    print()
    print(
        f"Scan: {len(texts)} texts (seed {args.seed}), {chars:,} characters, mean {chars / len(texts):.0f} per text"
    )
    print(f"  runs {', '.join(f'{r:.2f}' for r in runs)} s; median {median:.2f} s")
    print(f"  {chars / median:,.0f} characters/s, {len(texts) / median:,.0f} texts/s")
    print(f"  findings per kind: {dict(sorted(kinds.items()))}")


if __name__ == "__main__":
    main()
