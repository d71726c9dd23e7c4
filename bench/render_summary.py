"""Benchmark: the hearing summary (høringsnotat) of a large hearing, rendered through the real task.

    .venv/bin/python bench/render_summary.py                     # 1,000 and 10,000 responses
    .venv/bin/python bench/render_summary.py --responses 1000    # one size
    .venv/bin/python bench/render_summary.py --modes cold warm   # without the naive comparison

It builds a synthetic hearing on Vallensbæk's seeded strategy in its own PostgreSQL database
(``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/hoeringsportal_bench``, created
if missing), with published responses of realistic length (200–2,000 characters, a quarter with the
administration's remark), spread over the whole strategy, the sub-visions, goals and themes. Then, for
each size, each mode in a fresh process so that its peak memory is its own:

- naive: the same content as one WeasyPrint document, ``HTML(...).write_pdf()``, nothing else;
- cold:  ``documents.tasks.render_document`` for a new RenderedDocument, as a worker runs it, with no
         part rendered before (the parts are rendered side by side, one process per core);
- warm:  one more response is published, and the summary is asked for and rendered again through the
         task: only the parts the new response changed are rendered (the council's next download).

It prints wall time, pages, the parts rendered of all parts, and peak memory (max RSS) of the rendering
process and of the largest of its part processes. Nothing here is a test: timings vary with the machine;
the figures of the last run are recorded in docs/benchmarks.md.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/hoeringsportal_bench"

WORDS = (  # noqa: SIM905 - a sentence of words reads better than a list of 47 strings
    "skole skolerne børn unge fritid idræt cykelsti trafik bus station grønne områder natur strand "
    "boliger byudvikling ældre sundhed fællesskab foreninger kultur bibliotek erhverv arbejdspladser "
    "klima regnvand parkering støj tryghed lys legeplads svømmehal dagtilbud forældre lærere "
    "kommunen bør skal kunne gerne mere mindre bedre vigtigt forslaget strategien målsætningen"
).split()


MODES = ["naive", "cold", "warm"]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Tasks run in this process here (no REDIS_URL), where the portal would render parts in one process:
    # render them as a worker does, one process per core.
    os.environ.setdefault("DOCUMENT_RENDER_PROCESSES", str(os.cpu_count()))
    import django

    django.setup()


def ensure_database() -> None:
    import psycopg

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 20))
    return " ".join(words).capitalize() + "."


def response_text(rng: random.Random) -> str:
    target = rng.randint(200, 2000)
    paragraphs, length = [], 0
    while length < target:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        length += len(paragraph)
    return "\n\n".join(paragraphs)


def build_hearing(size: int) -> int:
    """A new closed-for-drafting hearing with ``size`` published responses; returns its id."""
    import datetime as dt

    from django.utils import timezone

    from accounts.models import User
    from hearings.models import Hearing, Response
    from moderation.models import Remark
    from strategies.models import Strategy
    from strategies.services import load_seed_file

    load_seed_file()
    strategy = Strategy.objects.get(municipality__slug="vallensbaek")
    now = timezone.now()
    hearing = Hearing.objects.create(
        strategy=strategy,
        title=f"Benchmark med {size} høringssvar",
        opens_at=now - dt.timedelta(days=42),
        closes_at=now + dt.timedelta(days=1),
        personal_data_removal_on=(now + dt.timedelta(days=365)).date(),
    )
    author, _created = User.objects.get_or_create(email="bench@example.dk", defaults={"name": "Bench"})
    sections = list(strategy.sections.prefetch_related("goals", "themes"))
    targets = [{}] + [
        target
        for section in sections
        for target in (
            [{"target_section": section}]
            + [{"target_goal": goal} for goal in section.goals.all()]
            + [{"target_theme": theme} for theme in section.themes.all()]
        )
    ]
    rng = random.Random(size)
    types = [choice for choice, _label in Response.RespondentType.choices]
    responses = [
        Response(
            hearing=hearing,
            number=n,
            author=author,
            respondent_type=rng.choice(types),
            organisation_name=rng.choice(["", "", "", "Vallensbæk Grundejerforening"]),
            display_name=f"Borger {n}",
            text=response_text(rng),
            consent_to_publish=True,
            status=Response.Status.PUBLISHED,
            created_at=now - dt.timedelta(days=rng.randint(0, 41), minutes=rng.randint(0, 1440)),
            **rng.choice(targets),
        )
        for n in range(1, size + 1)
    ]
    Response.objects.bulk_create(responses, batch_size=2000)
    Hearing.objects.filter(pk=hearing.pk).update(last_response_number=size)
    Remark.objects.bulk_create(
        [
            Remark(
                response=r,
                text=" ".join(sentence(rng) for _ in range(3)),
                recommendation=rng.choice(Remark.Recommendation.values),
            )
            for r in Response.objects.filter(hearing=hearing).order_by("number")[::4]
        ]
    )
    return hearing.pk


def child(mode: str, hearing_id: int) -> dict:
    """Runs in its own process: one render, measured."""
    import weasyprint  # noqa: F401 - a worker imports it when it starts (portal/celery.py), not in the render
    from django.utils import timezone

    from documents import content as doc_content
    from documents import layout as doc_layout
    from documents import pdf as doc_pdf
    from documents import services as doc_services
    from documents import tasks as document_tasks
    from documents.models import RenderedDocument
    from hearings.models import Hearing, Response

    hearing = Hearing.objects.get(pk=hearing_id)
    parts = ""
    if mode == "naive":
        started = time.perf_counter()
        content = doc_content.summary_content(hearing)
        html = doc_layout.render_html(content, made_at=timezone.localtime())
        rendered = doc_pdf.weasyprint_html(html).render()
        rendered.write_pdf()
        pages = len(rendered.pages)
    else:
        if mode == "cold":
            RenderedDocument.objects.filter(hearing=hearing).delete()
            from documents.parts import remove_unused_parts

            remove_unused_parts(hearing.pk, set())
        else:  # warm: a new response since the last render
            last = Response.objects.filter(hearing=hearing).order_by("-number").first()
            number = last.number + 1
            Response.objects.create(
                hearing=hearing, number=number, author=last.author, respondent_type=last.respondent_type,
                display_name=f"Borger {number}", text=response_text(random.Random(number)),
                consent_to_publish=True, status=Response.Status.PUBLISHED, target_goal=last.target_goal,
                target_theme=last.target_theme, target_section=last.target_section,
            )  # fmt: skip
            Hearing.objects.filter(pk=hearing.pk).update(last_response_number=number)
        before = set(_stored_parts(hearing.pk))
        started = time.perf_counter()
        document = doc_services.request_document(hearing=hearing, kind=RenderedDocument.Kind.SUMMARY)
        if document.status != RenderedDocument.Status.DONE:  # enqueued on commit: run it as a worker would
            document_tasks.render_document.apply(args=[document.pk], throw=True)
        document.refresh_from_db()
        if document.status != RenderedDocument.Status.DONE:
            raise SystemExit(f"render failed: {document.error}")
        pages = document.page_count
        after = set(_stored_parts(hearing.pk))
        parts = f"{len(after - before)}/{len(after)}"
    return {
        "mode": mode,
        "seconds": round(time.perf_counter() - started, 1),
        "pages": pages,
        "parts": parts,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        # The largest of the processes that rendered parts (naive has none to speak of).
        "part_process_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024 if parts else "",
    }


def _stored_parts(hearing_id: int) -> list[str]:
    from django.core.files.storage import default_storage

    try:
        return [
            name
            for name in default_storage.listdir(f"documents/parts/{hearing_id}")[1]
            if name.endswith(".pdf")
        ]
    except FileNotFoundError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--modes", nargs="*", default=MODES, choices=MODES)
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--hearing", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django()
        print(json.dumps(child(args.child, args.hearing)))
        return

    ensure_database()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"{'responses':>9}  {'mode':<5}  {'seconds':>7}  {'pages':>5}  {'parts made':>10}  {'peak MiB':>8}  "
          f"{'part process MiB':>16}", flush=True)  # fmt: skip
    for size in args.responses:
        hearing_id = build_hearing(size)
        for mode in args.modes:
            out = subprocess.run(
                [sys.executable, __file__, "--child", mode, "--hearing", str(hearing_id)],
                capture_output=True, text=True, check=True, env=os.environ,
            )  # fmt: skip
            row = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{size:>9}  {mode:<5}  {row['seconds']:>7}  {row['pages']:>5}  {row['parts']:>10}  "
                  f"{row['peak_mib']:>8}  {row['part_process_mib']:>16}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
