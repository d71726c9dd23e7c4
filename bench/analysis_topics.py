"""Benchmark: the quality and cost of the suggested topics (analysis.suggestions) on a seeded corpus with
planted topics (bench/analysis_corpus.py).

    .venv/bin/python bench/analysis_topics.py                     # 2,000 and 10,000 responses
    .venv/bin/python bench/analysis_topics.py --full              # and 100,000
    .venv/bin/python bench/analysis_topics.py --sizes 600 --no-db # the engine only, one size
    .venv/bin/python bench/analysis_topics.py --topic-share 0.15  # harder: fewer topic words per response

For each size, each part in a fresh process so that its peak memory (max RSS) is its own:

- engine: ``analysis.suggestions.cluster_texts`` on the corpus' texts, the planted campaigns given as
  campaigns (one document each, its members going with it, as ``compute_suggestions`` does with the
  campaigns that analysis.campaigns finds);
- db:     ``analysis.suggestions.compute_suggestions`` on a hearing of the same responses in a
          PostgreSQL database of its own (``BENCH_DATABASE_URL``, default
          ``postgres://postgres@127.0.0.1:5432/hoeringsportal_topicsbench``), made, migrated and, at the
          end, dropped by this script; the planted campaigns are stored as Campaign and Signature rows.

Printed per run: the adjusted Rand index (sklearn.metrics.adjusted_rand_score) of the suggestions against
the planted topics over the responses that have one (a planted response left without a suggestion counts
as a cluster of its own, so a miss costs), the share of off-topic responses left unsuggested and of
planted ones left unsuggested, the number of clusters chosen (k) and kept, wall time of the clustering
(engine) or of the whole computation with its reads and writes (db), and peak RSS of the process. The
goal of issue 14: ARI at least 0.7. Nothing here is a test; figures are recorded in docs/.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/hoeringsportal_topicsbench"

import analysis_corpus  # noqa: E402 - bench/ is on the path above


def corpus_for(size: int, seed: int, topic_share: float) -> analysis_corpus.Corpus:
    return analysis_corpus.generate(size, seed=seed, topic_share=topic_share)


def score(corpus: analysis_corpus.Corpus, label: dict[int, int]) -> dict:
    """ARI over the planted responses, and what was left unsuggested; ``label``: corpus index → cluster."""
    from sklearn.metrics import adjusted_rand_score

    planted = [i for i, topic in enumerate(corpus.topic_of) if topic is not None]
    off = [i for i, topic in enumerate(corpus.topic_of) if topic is None]
    ari = adjusted_rand_score([corpus.topic_of[i] for i in planted], [label.get(i, -1 - i) for i in planted])
    return {
        "ari": round(float(ari), 4),
        "off_topic_unsuggested": round(sum(i not in label for i in off) / len(off), 4) if off else None,
        "planted_unsuggested": round(sum(i not in label for i in planted) / len(planted), 4),
    }


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def database(action: str) -> None:
    import psycopg

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if action == "create" and not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
        elif action == "drop" and exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def engine(size: int, seed: int, topic_share: float) -> dict:
    """Runs in its own process: the pure engine on the corpus' texts, campaigns as one document each."""
    setup_django()  # analysis.suggestions imports the models; the engine reads no database
    from analysis import suggestions

    corpus = corpus_for(size, seed, topic_share)
    documents, owners = analysis_corpus.planted_documents(corpus)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    report = suggestions.EngineReport()
    started = time.perf_counter()
    clusters = suggestions.cluster_texts(documents, report=report)
    seconds = time.perf_counter() - started
    label = {i: c for c, cluster in enumerate(clusters) for d in cluster.members for i in owners[d]}
    return {
        "part": "engine", "responses": size, "documents": len(documents), "k": report.k,
        "kept": len(clusters), "vocabulary": report.vocabulary, **score(corpus, label),
        "seconds": round(seconds, 2), "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "peak_before_mib": before, "labels": [c.label for c in clusters],
    }  # fmt: skip


def build_hearing(corpus: analysis_corpus.Corpus) -> tuple[int, list[int]]:
    """A hearing of the corpus' responses (published), with its planted campaigns; returns its id and the
    responses' ids in corpus order."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from analysis.models import Campaign, Signature
    from hearings.models import Hearing, Response
    from strategies.models import Strategy
    from strategies.services import load_seed_file

    call_command("migrate", verbosity=0)
    load_seed_file()
    now = timezone.now()
    hearing = Hearing.objects.create(
        strategy=Strategy.objects.get(municipality__slug="vallensbaek"),
        title=f"Benchmark af emneforslag, {len(corpus.texts)} høringssvar",
        opens_at=now - dt.timedelta(days=30), closes_at=now + dt.timedelta(days=1),
        personal_data_removal_on=(now + dt.timedelta(days=365)).date(), last_response_number=len(corpus.texts),
    )  # fmt: skip
    author, _created = User.objects.get_or_create(email="bench@example.dk", defaults={"name": "Bench"})
    responses = Response.objects.bulk_create(
        [
            Response(
                hearing=hearing,
                number=i + 1,
                author=author,
                respondent_type="private",
                display_name=f"Borger {i + 1}",
                text=text,
                consent_to_publish=True,
                status="published",
            )  # fmt: skip
            for i, text in enumerate(corpus.texts)
        ],
        batch_size=5000,
    )
    campaigns: dict[int, Campaign] = {}
    signatures = []
    for response, planted in zip(responses, corpus.campaign_of, strict=True):
        if planted is None:
            continue
        if planted not in campaigns:
            campaigns[planted] = Campaign.objects.create(hearing=hearing, representative=response)
        signatures.append(
            Signature(
                response=response,
                hearing=hearing,
                text_hash="0" * 64,
                shingles=b"",
                words=b"",
                campaign=campaigns[planted],
            )  # fmt: skip
        )
    Signature.objects.bulk_create(signatures, batch_size=5000)
    return hearing.pk, [r.pk for r in responses]


def db(size: int, seed: int, topic_share: float) -> dict:
    """Runs in its own process: compute_suggestions through the database."""
    setup_django()
    from django.db import connection

    from analysis import suggestions
    from analysis.models import Suggestion

    corpus = corpus_for(size, seed, topic_share)
    hearing_id, ids = build_hearing(corpus)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    index = {pk: i for i, pk in enumerate(ids)}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    started = time.perf_counter()
    made = suggestions.compute_suggestions(hearing_id=hearing_id)
    seconds = time.perf_counter() - started
    label = {}
    through = Suggestion.responses.through.objects.filter(suggestion__hearing_id=hearing_id)
    for suggestion_id, response_id in through.values_list("suggestion_id", "response_id"):
        label[index[response_id]] = suggestion_id
    return {
        "part": "db", "responses": size, "kept": made, **score(corpus, label), "seconds": round(seconds, 2),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "peak_before_mib": before,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000, 10000])
    parser.add_argument("--full", action="store_true", help="add 100,000 responses")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--topic-share", type=float, default=0.45)
    parser.add_argument("--no-db", action="store_true", help="the engine only")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        part, size = args.child[0], int(args.child[1])
        result = (engine if part == "engine" else db)(size, args.seed, args.topic_share)
        print(json.dumps(result, ensure_ascii=False))
        return
    sizes = args.sizes + ([100_000] if args.full and 100_000 not in args.sizes else [])
    parts = ["engine"] if args.no_db else ["engine", "db"]
    if "db" in parts:
        database("drop")
        database("create")
    try:
        for size in sizes:
            for part in parts:
                command = [sys.executable, __file__, "--child", part, str(size), "--seed", str(args.seed),
                           "--topic-share", str(args.topic_share)]  # fmt: skip
                out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
                result = json.loads(out.strip().splitlines()[-1])
                labels = result.pop("labels", None)
                print(json.dumps(result, ensure_ascii=False), flush=True)
                if labels:
                    print("  suggestions:", " | ".join(labels), flush=True)
    finally:
        if "db" in parts:
            database("drop")


if __name__ == "__main__":
    main()
