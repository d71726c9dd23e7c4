"""Benchmark: the archive for the journal system (ESDH) of a large hearing, made by the real services.

    .venv/bin/python bench/archive_10k.py                      # 10,000 responses
    .venv/bin/python bench/archive_10k.py --responses 2000     # a smaller hearing
    .venv/bin/python bench/archive_10k.py --keep               # keep the database and files afterwards

It seeds a closed hearing on Vallensbæk's seeded strategy in a throwaway PostgreSQL database
(``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/hoeringsportal_bench_archive``,
dropped and created anew, and dropped again at the end unless ``--keep``), with published responses of
realistic length (bench/render_summary.py's), every tenth with a PDF attachment and every fiftieth with
one more withheld from the public, and files in a temporary media folder. Then each step runs in a fresh
process, so that its peak memory (max RSS, resource.getrusage) is its own:

- documents: the hearing summary and proposal rendered through the real task (their parts side by side,
  one process per core), as ``start_archive`` asks for them;
- responses: ``start_archive`` and every ``render_archive_chunk`` one after another in this one process,
  as a single worker process would take them (with W workers the step takes about 1/W of it);
- pack: ``pack_archive``: the ZIP written in a temporary file, one response at a time, and stored;
- again: one more response is published and the archive is asked for again, every step in one
  process: only the new response's PDF is rendered (and the summary's changed part).

It prints the seconds and peak MiB of each step, the ZIP's size and its number of files. Nothing here is
a test: timings vary with the machine; the figures of the last run are in docs/benchmarks.md.
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/hoeringsportal_bench_archive"
STEPS = ["documents", "responses", "pack", "again"]


def setup_django(media_root: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ["MEDIA_ROOT"] = media_root
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DOCUMENT_RENDER_PROCESSES", str(os.cpu_count()))
    import django

    django.setup()


def database(action: str) -> None:
    import psycopg

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(size: int) -> int:
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from bench.render_summary import build_hearing
    from hearings.models import Hearing, ResponseAttachment
    from tests.helpers import pdf_bytes

    hearing_id = build_hearing(size)
    now = timezone.now()
    Hearing.objects.filter(pk=hearing_id).update(closes_at=now - dt.timedelta(days=1))
    rng = random.Random(size)
    hearing = Hearing.objects.get(pk=hearing_id)
    for response in hearing.responses.order_by("number").filter(number__in=range(1, size + 1, 10)):
        for publication in ("public", "withheld") if response.number % 50 == 1 else ("public",):
            content = pdf_bytes(f"Bilag til svar {response.number} " * rng.randint(1, 20))
            attachment = ResponseAttachment(response=response, original_name=f"bilag {response.number}.pdf",
                                            kind="pdf", size=len(content), publication=publication)  # fmt: skip
            attachment.file.save("ignored", ContentFile(content), save=False)
            attachment.save()
    return hearing_id


def _recording_enqueue(sent: list):
    def record(name, *args, countdown=None):
        sent.append((name, args))

    return record


def child(step: str, hearing_id: int) -> dict:
    """Runs in its own process: one step, measured."""
    import weasyprint  # noqa: F401 - a worker imports it when it starts (portal/celery.py)

    from documents import archive_services
    from documents.models import ArchiveJob, RenderedDocument
    from hearings.models import Hearing, Response

    hearing = Hearing.objects.get(pk=hearing_id)
    result: dict = {"step": step}
    started = time.perf_counter()
    if step == "documents":
        from django.db import connections

        # Rendered in this process (the summary's parts in forked processes: the proposal first, and the
        # connection opened anew after the fork pool, which may leave the inherited one unusable).
        for kind in (RenderedDocument.Kind.PROPOSAL, RenderedDocument.Kind.SUMMARY):
            archive_services.request_document(hearing=hearing, kind=kind)
        connections.close_all()
        pages = RenderedDocument.objects.filter(hearing=hearing, status="done").values_list(
            "kind", "page_count"
        )
        result["detail"] = ", ".join(f"{kind} {n} pages" for kind, n in pages)
    elif step == "responses":
        sent: list = []
        archive_services._enqueue = _recording_enqueue(sent)  # the chunks: run below, one after another
        job = ArchiveJob.objects.create(
            hearing=hearing, fingerprint=archive_services.archive_fingerprint(hearing)
        )
        archive_services.start_archive(job_id=job.pk)
        rendered = 0
        for name, args in list(sent):
            if name == "render_archive_chunk":
                rendered += archive_services.render_archive_chunk(job_id=args[0], first=args[1], last=args[2])
        result["detail"] = (
            f"{rendered} PDFs in {sum(1 for n, _a in sent if n == 'render_archive_chunk')} chunks"
        )
        result["job"] = job.pk
    elif step == "pack":
        job = ArchiveJob.objects.get(hearing=hearing)
        archive_services.pack_archive(job_id=job.pk)
        job.refresh_from_db()
        if job.status != "done":
            raise SystemExit(f"pack failed: {job.status} {job.error}")
        import zipfile

        with job.file.open("rb") as file, zipfile.ZipFile(file) as zipped:
            files = len(zipped.namelist())
        result["detail"] = f"ZIP {job.size / 2**20:.1f} MiB, {files} files"
        result["zip_bytes"] = job.size
    else:  # again: one new response, the whole archive anew
        last = Response.objects.filter(hearing=hearing).order_by("-number").first()
        number = last.number + 1
        Response.objects.create(
            hearing=hearing, number=number, author=last.author, respondent_type=last.respondent_type,
            display_name=f"Borger {number}", text=last.text, consent_to_publish=True, status="published",
        )  # fmt: skip
        Hearing.objects.filter(pk=hearing.pk).update(last_response_number=number)
        rendered = []
        from documents import archive

        original = archive.render_response

        def counting(entry):
            rendered.append(entry.number)
            return original(entry)

        archive.render_response = counting
        job = archive_services.request_archive(hearing=hearing)  # every task in this process (no broker)
        job.refresh_from_db()
        if job.status != "done":
            raise SystemExit(f"again failed: {job.status} {job.error}")
        result["detail"] = f"{len(rendered)} response PDF rendered, ZIP {job.size / 2**20:.1f} MiB"
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    result["children_peak_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the database and media folder")
    parser.add_argument("--child", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--hearing", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--media", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django(args.media)
        print(json.dumps(child(args.child, args.hearing)))
        return

    media = tempfile.mkdtemp(prefix="bench-archive-")
    database("create")
    try:
        setup_django(media)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        hearing_id = seed(args.responses)
        print(f"seeded {args.responses} responses in {time.perf_counter() - started:.0f} s", flush=True)
        from django.db import connections

        connections.close_all()
        print(f"{'step':<10}  {'seconds':>8}  {'peak MiB':>8}  {'children MiB':>12}  detail", flush=True)
        for step in STEPS:
            # "again" runs every task in one process: the summary's changed part too, without a fork pool.
            env = {**os.environ, "DOCUMENT_RENDER_PROCESSES": "1"} if step == "again" else os.environ
            out = subprocess.run(
                [sys.executable, __file__, "--child", step, "--hearing", str(hearing_id), "--media", media],
                capture_output=True, text=True, env=env,
            )  # fmt: skip
            if out.returncode:
                raise SystemExit(f"{step} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
            row = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{step:<10}  {row['seconds']:>8}  {row['peak_mib']:>8}  {row['children_peak_mib']:>12}  "
                  f"{row['detail']}", flush=True)  # fmt: skip
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            database("drop")
            shutil.rmtree(media, ignore_errors=True)
        else:
            print(f"kept: {os.environ.get('BENCH_DATABASE_URL', DEFAULT_DB)}, {media}")


if __name__ == "__main__":
    main()
