"""Rate limits on sign-in, sign-up, password reset and responses, counted in Redis and so shared by every
web process; a page in Danish (with an English line) that keeps what the visitor typed.

The suite turns the limits off (portal/settings/test.py); these tests turn them on for themselves, against
Redis DB 12 under a key prefix of their own. Between requests the cache client is thrown away and made
anew, as if each request were served by another process: the count survives only because it is in Redis.
"""

import uuid

import pytest
import redis
from django.core.cache import caches
from django.urls import reverse

from hearings.models import Response
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import HearingFactory
from tests.portal.test_settings import manage

REDIS_TEST_CACHE = "redis://127.0.0.1:6379/12"
PASSWORD = "hoering-test-2026"


@pytest.fixture
def open_hearing(db):
    return HearingFactory()


@pytest.fixture
def redis_cache(settings):
    prefix = f"ratelimit-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": REDIS_TEST_CACHE,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    raw = redis.Redis.from_url(REDIS_TEST_CACHE)
    yield raw, prefix
    keys = raw.keys(f"{prefix}:*")
    if keys:
        raw.delete(*keys)
    raw.close()


def another_process():
    """Forget this process' cache client; the next request connects afresh, as another process would."""
    caches["default"].close()
    del caches["default"]


def keys(redis_cache, fragment: str) -> list[bytes]:
    raw, prefix = redis_cache
    return raw.keys(f"{prefix}:*{fragment}*")


def test_sign_in_is_limited_across_processes_and_the_email_is_kept(redis_cache, settings, client, db):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    user = VerifiedUserFactory()
    for _attempt in range(2):
        another_process()
        response = client.post(reverse("account_login"), {"login": user.email, "password": "forkert"})
        assert response.status_code == 200
    assert keys(redis_cache, "allauth:rl:allauth.account:login:")

    another_process()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "forkert"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "For mange forsøg på kort tid" in html
    assert "Vent et par minutter, og prøv igen." in html
    assert 'lang="en">Too many attempts' in html
    assert f'value="{user.email}"' in html
    assert "forkert" not in html
    assert f'action="{reverse("account_login")}"' in html


def test_repeated_failed_sign_ins_stop_even_the_right_password(redis_cache, settings, client, db):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,2/300s/key"}
    user = VerifiedUserFactory()
    for _attempt in range(2):
        another_process()
        client.post(reverse("account_login"), {"login": user.email, "password": "forkert"})
    another_process()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Der er for mange mislykkede logonforsøg. Prøv igen senere." in html
    assert f'value="{user.email}"' in html
    assert "_auth_user_id" not in client.session


def test_sign_up_is_limited_and_keeps_the_email(redis_cache, settings, client, db):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    data = {
        "email": "karen@example.dk",
        "password1": "Et-langt-kodeord-2026",
        "password2": "Et-langt-kodeord-2026",
    }
    assert client.post(reverse("account_signup"), data).status_code == 302
    client.logout()
    another_process()
    data["email"] = "jens@example.dk"
    response = client.post(reverse("account_signup"), data)
    html = response.content.decode()
    assert response.status_code == 429
    assert 'value="jens@example.dk"' in html
    assert "Et-langt-kodeord-2026" not in html


def test_password_reset_is_limited_per_address_and_keeps_it(redis_cache, settings, client, db, mailoutbox):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "20/m/ip,1/m/key"}
    user = VerifiedUserFactory()
    assert client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302
    another_process()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 429
    assert f'value="{user.email}"' in response.content.decode()
    assert len(mailoutbox) == 1


def respond(client, hearing, text):
    return client.post(
        reverse("hearings:respond", args=[hearing.pk]),
        {"target": "strategy", "respondent_type": "private", "display_name": "Karen Borger", "postcode": "2665",
         "text": text, "consent": "on"},
    )  # fmt: skip


def test_responses_are_limited_per_citizen_and_the_form_keeps_the_text(
    redis_cache, settings, client, open_hearing
):
    settings.RESPONSE_RATE_LIMIT = "2/m"
    client.force_login(VerifiedUserFactory())
    for number in (1, 2):
        another_process()
        assert respond(client, open_hearing, f"Svar {number}").status_code == 302
    another_process()
    response = respond(client, open_hearing, "Mit tredje svar, som\nikke må gå tabt")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Du har sendt mange høringssvar på kort tid." in html
    assert "Det, du har skrevet, er bevaret" in html
    assert "Mit tredje svar, som\nikke må gå tabt</textarea>" in html
    assert 'value="2665"' in html
    assert Response.objects.count() == 2

    # Another citizen is not held back by the first one's count.
    client.force_login(VerifiedUserFactory())
    another_process()
    assert respond(client, open_hearing, "Et andet menneske").status_code == 302


def test_with_redis_unreachable_nothing_is_limited_and_nobody_is_stopped(settings, client, open_hearing):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:9/12",  # nothing listens on the discard port
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip", "login_failed": "1/m/ip,1/300s/key"}
    settings.RESPONSE_RATE_LIMIT = "1/m"
    user = VerifiedUserFactory()
    for _attempt in range(2):
        response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302
        client.logout()
    client.force_login(user)
    assert respond(client, open_hearing, "Første").status_code == 302
    assert respond(client, open_hearing, "Andet").status_code == 302


def test_redis_url_selects_a_shared_cache_and_the_demo_keeps_locmem():
    code = "from django.conf import settings as s; c = s.CACHES['default']; print(c['BACKEND'], c.get('LOCATION'))"
    demo = manage("shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE="portal.settings.base")
    assert demo.stdout.split()[0] == "django.core.cache.backends.locmem.LocMemCache", demo.stderr
    real = manage(
        "shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE="portal.settings.base",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )  # fmt: skip
    assert real.stdout.split() == ["portal.cache.FailOpenRedisCache", "redis://127.0.0.1:6379/0"], real.stderr
