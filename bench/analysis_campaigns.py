"""Benchmark: campaigns (enslydende høringssvar) and similar responses, quality and speed.

    .venv/bin/python bench/analysis_campaigns.py                 # 2,000 and 10,000 responses
    .venv/bin/python bench/analysis_campaigns.py --large         # and 100,000 (slow: minutes)
    .venv/bin/python bench/analysis_campaigns.py --sizes 2000    # one size

For each size, in a fresh process so that its peak memory (max RSS) is its own:

- engine: bench/analysis_corpus.generate(n, seed) and the pure computation of analysis.similarity
  (normalise, MinHash of shingles and words, LSH, union–find, the ten most similar of each), no database;
- service: the same corpus as published responses of a new hearing in PostgreSQL, then
  ``analysis.campaigns.analyse_hearing`` from nothing (signatures, bands, campaigns and similar
  responses written), then ``analyse_response`` for several new responses on top (half of them copies
  of a planted form letter, half independent), as the task after commit runs it: median and maximum.

It prints the pairwise precision and recall of the campaigns found (engine and service) against the
planted ones (``corpus.campaign_of``), the times, and peak memory. It creates its own database
(``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/hoeringsportal_bench_campaigns``) and
drops it at the end (``--keep`` keeps it). Nothing here is a test; the figures of the last run are
recorded in docs/benchmarks-campaigns.md.
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/hoeringsportal_bench_campaigns"
NEW_RESPONSES = 9


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["ANALYSIS_IN_BACKGROUND"] = "false"  # the benchmark calls the services itself
    import django

    django.setup()


def _admin(sql: str) -> None:
    import psycopg

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql.format(name=url.rsplit("/", 1)[1]))


def engine(size: int, seed: int) -> dict:
    """The pure computation, no database."""
    from analysis import campaigns, similarity
    from bench.analysis_corpus import generate, pairwise

    corpus = generate(size, seed=seed)
    started = time.perf_counter()
    shingles, words = similarity.signatures([similarity.normalise(text) for text in corpus.texts])
    signed = time.perf_counter()
    labels = similarity.campaign_groups(shingles, campaigns.threshold())
    grouped = time.perf_counter()
    similarity.top_neighbours(words, k=campaigns.NEIGHBOURS, floor=campaigns.NEIGHBOUR_FLOOR)
    done = time.perf_counter()
    sizes = Counter(labels.tolist())
    predicted = [label if sizes[label] > 1 else None for label in labels.tolist()]
    precision, recall = pairwise(predicted, corpus.campaign_of)
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "signatures_s": round(signed - started, 2),
        "campaigns_s": round(grouped - signed, 2),
        "neighbours_s": round(done - grouped, 2),
        "total_s": round(done - started, 2),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def build_hearing(texts: list[str]) -> int:
    import datetime as dt

    from django.utils import timezone

    from hearings.models import Hearing, Response
    from strategies.models import Strategy
    from strategies.services import load_seed_file

    load_seed_file()
    strategy = Strategy.objects.get(municipality__slug="vallensbaek")
    now = timezone.now()
    hearing = Hearing.objects.create(
        strategy=strategy, title=f"Kampagner i {len(texts)} høringssvar",
        opens_at=now - dt.timedelta(days=30), closes_at=now + dt.timedelta(days=1),
        last_response_number=len(texts), personal_data_removal_on=(now + dt.timedelta(days=365)).date(),
    )  # fmt: skip
    Response.objects.bulk_create(
        [
            Response(
                hearing=hearing,
                number=number,
                respondent_type="private",
                display_name=f"Borger {number}",
                text=text,
                consent_to_publish=True,
                status=Response.Status.PUBLISHED,
                published_at=now,
            )  # fmt: skip
            for number, text in enumerate(texts, start=1)
        ],
        batch_size=5000,
    )
    return hearing.pk


def service(size: int, seed: int) -> dict:
    """Through the real services, against PostgreSQL."""
    from django.db.models import F

    from analysis import campaigns
    from analysis.models import Band, Neighbour, Signature
    from bench.analysis_corpus import TOPICS, _copy, _response, generate, pairwise
    from hearings.models import Hearing, Response

    corpus = generate(size, seed=seed)
    hearing_id = build_hearing(corpus.texts)
    started = time.perf_counter()
    campaigns.analyse_hearing(hearing_id=hearing_id)
    batch_s = time.perf_counter() - started
    found = dict(
        Signature.objects.filter(hearing_id=hearing_id).values_list("response__number", "campaign_id")
    )
    precision, recall = pairwise([found.get(n) for n in range(1, size + 1)], corpus.campaign_of)
    rows = {
        "signatures": Signature.objects.filter(hearing_id=hearing_id).count(),
        "bands": Band.objects.filter(hearing_id=hearing_id).count(),
        "neighbours": Neighbour.objects.filter(response__hearing_id=hearing_id).count(),
    }

    # New responses on top: copies of a planted letter (the representative of a campaign) and new texts.
    rng = random.Random(seed)
    hearing = Hearing.objects.get(pk=hearing_id)
    letters = [row.shared_text for row in campaigns.campaign_overview(hearing)]
    times, joined = [], 0
    for index in range(NEW_RESPONSES):
        copy = index % 2 == 0 and letters
        text = (
            _copy(rng, letters[index % len(letters)], 0.15)
            if copy
            else _response(rng, TOPICS[index % 12], 0.45)
        )
        Hearing.objects.filter(pk=hearing_id).update(last_response_number=F("last_response_number") + 1)
        number = Hearing.objects.get(pk=hearing_id).last_response_number
        response = Response.objects.create(
            hearing_id=hearing_id, number=number, respondent_type="private", display_name="Ny",
            text=text, consent_to_publish=True, status=Response.Status.PUBLISHED,
        )  # fmt: skip
        started = time.perf_counter()
        campaigns.analyse_response(response_id=response.pk)
        times.append(time.perf_counter() - started)
        joined += bool(copy and Signature.objects.get(pk=response.pk).campaign_id)
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "from_nothing_s": round(batch_s, 2),
        "one_new_median_ms": round(statistics.median(times) * 1000, 1),
        "one_new_max_ms": round(max(times) * 1000, 1),
        "copies_joined": f"{joined}/{(NEW_RESPONSES + 1) // 2}",
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        **rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000, 10000])
    parser.add_argument("--large", action="store_true", help="also 100,000 responses (minutes)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's database")
    parser.add_argument("--child", choices=["engine", "service"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django()
        print(json.dumps((engine if args.child == "engine" else service)(args.size, args.seed)))
        return

    sizes = args.sizes + ([100_000] if args.large and 100_000 not in args.sizes else [])
    _admin('DROP DATABASE IF EXISTS "{name}"')
    _admin('CREATE DATABASE "{name}"')
    try:
        setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        for size in sizes:
            for kind in ("engine", "service"):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", kind, "--size", str(size), "--seed", str(args.seed)],
                    capture_output=True, text=True, check=True, env=os.environ,
                )  # fmt: skip
                row = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"{size:>7} {kind:<7} " + "  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _admin('DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
