"""Faults: Redis stops while citizens submit; PostgreSQL drops the connection in the middle of a request.

Redis here is a private redis-server on its own port (never the shared one), so it can be stopped and
started. A real Celery worker sends the receipts once Redis is back.
"""

import datetime as dt
import shutil
import socket
import subprocess
from pathlib import Path

import psycopg
import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse

from hearings.models import Hearing, Response, ResponseAttachment
from moderation import services as moderation
from notifications import tasks
from tests.accounts.factories import VerifiedUserFactory
from tests.conftest import celery_broker, wait_for
from tests.hearings.factories import HearingFactory
from tests.helpers import pdf_bytes, upload
from tests.waiting import tracked_tasks, wait_until

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, which may be started and stopped at will."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.accepts, timeout=10, message=f"redis-server did not start on port {self.port}")

    def accepts(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis():
    redis = PrivateRedis()
    yield redis
    redis.stop()


def respond(client, hearing, text):
    return client.post(
        reverse("hearings:respond", args=[hearing.pk]),
        {"target": "strategy", "respondent_type": "private", "display_name": "Borger", "text": text,
         "consent": "on"},
    )  # fmt: skip


@pytest.mark.slow
def test_with_redis_stopped_every_response_is_saved_and_each_receipt_sent_once_when_it_is_back(
    transactional_db, settings, private_redis
):
    # Production shares one Redis between the broker and the cache of rate limits: both are down here.
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.RESPONSE_RATE_LIMIT = "10/m"
    mail.outbox = []
    hearing = HearingFactory()
    citizens = [VerifiedUserFactory() for _ in range(3)]

    with celery_broker(private_redis.url) as app:
        for number, citizen in enumerate(citizens, start=1):
            client = Client()
            client.force_login(citizen)
            reply = respond(client, hearing, f"Svar nr. {number} mens Redis er nede")
            assert reply.status_code == 302, reply.content.decode()[:2000]
        saved = Response.objects.order_by("number")
        assert [(r.number, r.author, r.text) for r in saved] == [
            (n, c, f"Svar nr. {n} mens Redis er nede") for n, c in enumerate(citizens, start=1)
        ]
        assert all(r.receipt_sent_at is None for r in saved)
        assert mail.outbox == []

        private_redis.start()
        # The sweep only takes responses older than two minutes (younger ones may still be on their way).
        Response.objects.update(created_at=F("created_at") - dt.timedelta(minutes=10))
        with (
            start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
            tracked_tasks() as sent,
        ):
            # Two sweeps in a row, as when beat fires again before the worker is through.
            tasks.send_missing_receipts.delay()
            tasks.send_missing_receipts.delay()
            assert wait_for(lambda: not Response.objects.filter(receipt_sent_at__isnull=True).exists())
            sent.wait_until_all_ran()  # both sweeps and every receipt they queued, duplicates too
            assert tasks.send_missing_receipts() == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in citizens)
    for number in (1, 2, 3):
        assert sum(f"Svar nr. {number} mens" in m.body for m in mail.outbox) == 1


def terminate_backend(pid: int) -> None:
    """End ``pid``'s PostgreSQL session from a connection of our own, as a failover or restart would."""
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"], user=params["USER"], password=params["PASSWORD"] or None,
        host=params["HOST"], port=params["PORT"] or 5432, autocommit=True,
    ) as other:  # fmt: skip
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.parametrize("step", ["after_attachments", "before_event"])
def test_when_postgresql_drops_the_connection_mid_request_nothing_is_half_saved(
    transactional_db, settings, monkeypatch, step, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    hearing = HearingFactory()
    citizen = VerifiedUserFactory()
    killed = []

    def kill_then_continue(original):
        def step_(*args, **kwargs):
            if not killed:
                killed.append(connection.connection.info.backend_pid)
                terminate_backend(killed[0])
            return original(*args, **kwargs)

        return step_

    if step == "before_event":
        monkeypatch.setattr(moderation, "record_event", kill_then_continue(moderation.record_event))
    else:
        monkeypatch.setattr(ResponseAttachment, "save", kill_then_continue(ResponseAttachment.save))

    client = Client(raise_request_exception=False)
    client.force_login(citizen)
    reply = client.post(
        reverse("hearings:respond", args=[hearing.pk]),
        {"target": "strategy", "respondent_type": "private", "display_name": "Borger",
         "text": "Svar midt i et udfald", "consent": "on",
         "attachments": [upload("bilag.pdf", pdf_bytes()), upload("andet.pdf", pdf_bytes())]},
    )  # fmt: skip

    assert killed, "the step was never reached"
    assert reply.status_code == 500
    page = reply.content.decode()
    assert "Der opstod en fejl" in page
    assert "ikke gemt, medmindre du har fået en kvittering" in page
    assert "Traceback" not in page and "OperationalError" not in page and "psycopg" not in page

    assert Response.objects.count() == 0
    assert ResponseAttachment.objects.count() == 0
    assert Hearing.objects.get(pk=hearing.pk).last_response_number == 0
    # Nor is any file of the lost response left behind on disk.
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]

    # The portal carries on: the next response is taken, with number 1.
    client.force_login(citizen)
    assert respond(client, hearing, "Næste forsøg").status_code == 302
    assert Response.objects.get().number == 1
