"""Settings come from the environment: a demo with nothing set, production that refuses to guess."""

import os
import subprocess
import sys

from django.core.management import call_command
from django.urls import reverse

from tests.helpers import REPO_ROOT

ROOT = REPO_ROOT


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "OIDC_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "production-test-secret-0123456789-abcdefghij",
    "DJANGO_ALLOWED_HOSTS": "hoering.example.dk",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/hoeringsportal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://hoering.example.dk",
}

PRINT_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.DEBUG)"
)


def test_check_deploy_passes_without_warnings_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    # and says nothing else: no library's start-up line (pikepdf's "logger bridge initialized").
    assert (result.stdout, result.stderr) == ("System check identified no issues (0 silenced).\n", "")


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_with_nothing_set_the_demo_uses_sqlite_and_runs_tasks_in_process():
    # The summary's PDF module imports pikepdf, as the URLs of `make run` do: it must not chatter either.
    code = "import documents.parts; " + PRINT_SETTINGS
    result = manage("shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE="portal.settings.base")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "memory://", "False"]


def test_database_and_redis_urls_select_the_real_stack():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        PRINT_SETTINGS,
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/hoeringsportal",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql", "False", "redis://127.0.0.1:6379/0", "False",
    ]  # fmt: skip


def test_the_suite_runs_on_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_healthz(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_oidc_is_configured_from_the_environment_alone():
    code = (
        "from django.conf import settings as s; "
        "apps = s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS']; "
        "print(len(apps), apps and apps[0]['settings']['server_url'], apps and apps[0]['name'])"
    )
    off = manage("shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE="portal.settings.base")
    assert off.stdout.split() == ["0", "[]", "[]"]
    on = manage(
        "shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE="portal.settings.base",
        OIDC_SERVER_URL="https://broker.example.dk/realms/borger", OIDC_CLIENT_ID="portal",
        OIDC_CLIENT_SECRET="x", OIDC_NAME="MitID",
    )  # fmt: skip
    assert on.stdout.split() == ["1", "https://broker.example.dk/realms/borger", "MitID"]
