"""The demo's embedded SQLite database with another writer holding it: the response form comes back with
what was typed and a message in Danish (503), never a 500; once the writer is done, the same form files
one response. Run in a fresh process on a real SQLite file (the suite itself runs on PostgreSQL)."""

import json
import os
import subprocess
import sys

from tests.helpers import REPO_ROOT

ROOT = REPO_ROOT

SCRIPT = r"""
import json, re, sqlite3, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import connection
from django.test import Client
from hearings.models import Response
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import HearingFactory

hearing, user = HearingFactory(), VerifiedUserFactory()
client = Client()
client.force_login(user)
url = f"/hoeringer/{hearing.pk}/svar/"
token = re.search(r'name="submission_token" value="([^"]+)"', client.get(url).content.decode())[1]
data = {"target": "strategy", "respondent_type": "private", "display_name": "Karen", "consent": "on",
        "text": "Mit lange svar, skrevet i en halv time", "submission_token": token}
result = {"transaction_mode": connection.transaction_mode}

other = sqlite3.connect(connection.settings_dict["NAME"])
other.execute("BEGIN IMMEDIATE")  # another writer holds the database longer than the timeout
busy = client.post(url, data)
result["busy"] = {"status": busy.status_code, "page": busy.content.decode(),
                  "responses": Response.objects.count()}
follow = client.post(f"/hoeringer/{hearing.pk}/foelg/", {"on_open": "on"})  # a form without typed text
result["follow"] = {"status": follow.status_code, "page": follow.content.decode()}
other.rollback()

done = client.post(url, data)
again = client.post(url, data)
result["done"] = {"status": done.status_code, "same_receipt": done["Location"] == again["Location"],
                  "responses": Response.objects.count()}
print("RESULT " + json.dumps(result))
"""


def test_a_post_that_finds_the_demo_database_busy_gets_its_form_back_and_files_once_later(tmp_path):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "OIDC_", "SQLITE_"))
    }
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "SQLITE_TIMEOUT": "0.2",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "RESPONSE_RATE_LIMIT": "",
    }
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert run.returncode == 0 and lines, run.stderr[-3000:]
    result = json.loads(lines[-1].removeprefix("RESULT "))

    assert result["transaction_mode"] == "IMMEDIATE"
    busy = result["busy"]
    assert busy["status"] == 503
    assert "Portalen har travlt lige nu, så det, du sendte, er ikke gemt." in busy["page"]
    assert "Mit lange svar, skrevet i en halv time</textarea>" in busy["page"]
    assert busy["responses"] == 0
    assert result["follow"]["status"] == 503
    assert "Det, du sendte, er ikke gemt." in result["follow"]["page"]
    assert result["done"] == {"status": 302, "same_receipt": True, "responses": 1}
