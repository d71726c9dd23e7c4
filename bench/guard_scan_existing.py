"""Benchmark: the personal-data guard run on stored data (guard.report.scan_existing, the beat task's
guard.report.rescan_outdated), seconds and queries for a hearing of 10,000 responses.

    .venv/bin/python bench/guard_scan_existing.py                    # 10,000 responses, seed 1
    .venv/bin/python bench/guard_scan_existing.py --responses 2000 --keep

Seeds a hearing in its own PostgreSQL database (``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/hoeringsportal_bench_guard_scan``, dropped at the end unless
``--keep``) with N published responses whose texts are bench/guard_finders.make_texts' (about 650
characters, one in three with corpus sentences holding personal data), one response in ten with a read
attachment of about 3,000 characters and one in fifty with an attachment not read yet. Then measures, in
one process on one core:

- the finders alone on the responses' texts (no database): the floor;
- ``scan_existing`` with no Reviews yet (every Review inserted), and again (every Review updated);
- ``rescan_outdated`` after every Review was marked as made by older finders.

Prints seconds, queries (Django's own count) and peak memory. Nothing here is a test; the figures of the
last run are recorded in docs/benchmarks.md ("Scanning existing data").
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/hoeringsportal_bench_guard_scan"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _admin(sql: str) -> None:
    import psycopg

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql.format(name=url.rsplit("/", 1)[1]))


def build_hearing(texts: list[str], seed: int) -> int:
    import datetime as dt

    from django.utils import timezone

    from hearings.models import Hearing, Response, ResponseAttachment
    from strategies.models import Strategy
    from strategies.services import load_seed_file

    load_seed_file()
    strategy = Strategy.objects.get(municipality__slug="vallensbaek")
    now = timezone.now()
    hearing = Hearing.objects.create(
        strategy=strategy, title=f"Kontrol af {len(texts)} høringssvar",
        opens_at=now - dt.timedelta(days=30), closes_at=now + dt.timedelta(days=1),
        last_response_number=len(texts), personal_data_removal_on=(now + dt.timedelta(days=365)).date(),
    )  # fmt: skip
    responses = Response.objects.bulk_create(
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
    rng = random.Random(seed)
    attachments = []
    for index, response in enumerate(responses):
        if index % 10 == 0:
            attachments.append(
                ResponseAttachment(
                    response=response,
                    file="attachments/bench.pdf",
                    original_name="bilag.pdf",
                    kind="pdf",
                    size=50_000,
                    text=" ".join(rng.sample(texts, 5)),
                    text_status=ResponseAttachment.TextStatus.EXTRACTED,
                    publication=ResponseAttachment.Publication.PUBLIC,
                )  # fmt: skip
            )
        elif index % 50 == 1:
            attachments.append(
                ResponseAttachment(
                    response=response,
                    file="attachments/bench.pdf",
                    original_name="bilag.pdf",
                    kind="pdf",
                    size=50_000,
                    publication=ResponseAttachment.Publication.PUBLIC,
                )  # fmt: skip
            )
    ResponseAttachment.objects.bulk_create(attachments, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return hearing.pk


def measure(label: str, work) -> object:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{label:<44} {seconds:>7.2f} s {len(queries):>6} queries   peak {peak} MiB", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark's database")
    args = parser.parse_args()

    _admin('DROP DATABASE IF EXISTS "{name}"')
    _admin('CREATE DATABASE "{name}"')
    try:
        setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from bench.guard_finders import make_texts
        from guard import finders, report
        from guard.models import Review
        from hearings.models import ResponseAttachment
        from tests.guard import corpus

        texts = make_texts(args.responses, args.seed, corpus.load())
        hearing_id = build_hearing(texts, args.seed)
        chars = sum(len(t) for t in texts)
        print(f"{args.responses} responses ({chars:,} characters), seed {args.seed}; hearing {hearing_id}")

        for text in texts[:50]:  # warm up: the patterns compiled, phonenumbers' metadata loaded
            finders.find(text)
        measure("finders alone, the responses' texts", lambda: [finders.find(t) for t in texts])
        attachment_texts = list(
            ResponseAttachment.objects.filter(response__hearing_id=hearing_id).values_list("text", flat=True)
        )
        measure("finders alone, the attachments' texts", lambda: [finders.find(t) for t in attachment_texts])
        first = measure(
            "scan_existing, no Reviews yet", lambda: report.scan_existing(hearing_ids=[hearing_id])
        )
        measure(
            "scan_existing again, Reviews updated", lambda: report.scan_existing(hearing_ids=[hearing_id])
        )
        Review.objects.update(finders_version="old")
        rescan = measure(
            "rescan_outdated, every Review outdated",
            lambda: report.rescan_outdated(limit=args.responses),
        )
        (one,) = first  # type: ignore[misc]
        print(
            f"found: {one.responses} responses, {one.high} with findings of high confidence, {one.low} hints, "
            f"kinds {dict(sorted(one.kinds.items()))}; attachments read {one.attachments}, with findings "
            f"{one.attachments_with_findings}, not read {one.attachments_not_read}; rescanned {rescan.scanned}"  # type: ignore[attr-defined]
        )
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            _admin('DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
