"""Documents rendered by real Celery workers against the real Redis and PostgreSQL."""

import os
import signal
import subprocess
import sys

import pytest
from django.db import connection

from documents import services as doc_services
from documents.models import RenderedDocument
from hearings.models import Response
from tests.accounts.factories import VerifiedUserFactory
from tests.conftest import celery_broker, solo_worker, wait_for
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.helpers import REPO_ROOT
from tests.waiting import tracked_tasks

ROOT = REPO_ROOT
BROKER = "redis://127.0.0.1:6379/14"


def status_of(document) -> str:
    return RenderedDocument.objects.values_list("status", flat=True).get(pk=document.pk)


@pytest.fixture
def thread_worker(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with solo_worker(BROKER, queues=["documents", "celery"], shutdown_timeout=30) as app:
        yield app


@pytest.mark.slow
def test_a_worker_renders_once_nothing_again_and_anew_after_a_new_response(thread_worker):
    hearing = HearingFactory()
    ResponseFactory(hearing=hearing, number=1, text="Første")
    first = doc_services.request_document(hearing=hearing, kind="summary")
    assert wait_for(lambda: status_of(first) == "done", timeout=120)
    with tracked_tasks() as tasks:
        again = doc_services.request_document(hearing=hearing, kind="summary")
        tasks.wait_until_all_ran(timeout=120)  # whatever it asked of the worker has run before counting
    assert again.pk == first.pk
    assert tasks.published == []  # it asked nothing of the worker
    assert RenderedDocument.objects.get(pk=first.pk).attempts == 1  # not rendered twice
    ResponseFactory(hearing=hearing, number=2, text="Andet")
    newer = doc_services.request_document(hearing=hearing, kind="summary")
    assert newer.pk != first.pk
    assert wait_for(lambda: status_of(newer) == "done", timeout=120)
    # The old one goes right after the new one is marked done, in the worker's own time.
    assert wait_for(lambda: RenderedDocument.objects.filter(hearing=hearing).count() == 1, timeout=10)
    assert RenderedDocument.objects.get(hearing=hearing).pk == newer.pk


@pytest.mark.slow
def test_a_worker_killed_mid_render_leaves_the_job_retried_not_stuck(transactional_db, tmp_path, settings):
    hearing = HearingFactory()
    author = VerifiedUserFactory()
    text = "Et realistisk høringssvar om skoler, trafik og grønne områder. " * 12
    Response.objects.bulk_create(
        [Response(hearing=hearing, number=n, author=author, respondent_type="private", display_name=f"Borger {n}",
                  text=text, consent_to_publish=True, status="published") for n in range(1, 501)]
    )  # fmt: skip
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict),
        "REDIS_URL": BROKER,
        "MEDIA_ROOT": str(tmp_path / "media"),
        # The same address as the suite's, or the worker would print other links and so other content.
        "SITE_URL": settings.SITE_URL,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", "documents", "-c", "1", "--pool", "prefork",
         "-l", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        with celery_broker(BROKER) as app:
            app.control.purge()
            document = doc_services.request_document(hearing=hearing, kind="summary")
            if not wait_for(lambda: status_of(document) == "rendering", timeout=120):
                os.killpg(worker.pid, signal.SIGTERM)
                pytest.fail(
                    f"the worker never started the render ({status_of(document)}):\n"
                    + worker.communicate(timeout=20)[0].decode()[-3000:]
                )
            children = subprocess.run(
                ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True
            ).stdout.split()
            assert children, "no worker process to kill"
            for child in children:
                os.kill(int(child), signal.SIGKILL)  # mid-render
            final = wait_for(
                lambda: status_of(document) in ("done", "failed") and status_of(document), timeout=120
            )
        if final not in ("done", "failed"):
            os.killpg(worker.pid, signal.SIGTERM)
            output = worker.communicate(timeout=30)[0].decode()[-5000:]
            pytest.fail(f"left {status_of(document)!r}:\n{output}")
        document.refresh_from_db()
        assert document.attempts >= 2  # it was delivered again after the kill
        if final == "done":
            assert document.page_count > 10
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
