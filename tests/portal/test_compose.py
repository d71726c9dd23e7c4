"""docker-compose.yml: Debian's docker-compose accepts it, and every queue that tasks are routed to
has a worker that consumes it (a render routed to a queue nobody reads would wait for ever)."""

import os
import re
import shutil
import subprocess

import pytest
import yaml
from django.conf import settings

from tests.helpers import REPO_ROOT

ROOT = REPO_ROOT


@pytest.fixture(scope="module")
def compose() -> dict:
    if shutil.which("docker-compose") is None:
        pytest.fail("docker-compose is missing: `make test` installs Debian's docker-compose")
    env = {**os.environ, "DJANGO_SECRET_KEY": "x", "DJANGO_ALLOWED_HOSTS": "hoering.example.dk"}
    out = subprocess.run(
        ["docker-compose", "config"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return yaml.safe_load(out.stdout)


def test_compose_has_web_workers_database_and_redis_with_health_checks(compose):
    services = compose["services"]
    assert {"web", "worker", "documents", "beat", "db", "redis"} <= set(services)
    for name in ("web", "worker", "documents", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert {"postgres-data", "redis-data", "media"} <= set(compose["volumes"])


def test_every_routed_queue_has_a_worker(compose):
    consumed = set()
    for service in compose["services"].values():
        command = " ".join(service.get("command") or []) if isinstance(service.get("command"), list) else (
            service.get("command") or ""
        )  # fmt: skip
        if "celery" in command and " worker" in command:
            match = re.search(r"-Q\s+(\S+)", command)
            consumed |= set(match.group(1).split(",")) if match else {"celery"}
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} | {"celery"}
    assert routed <= consumed
