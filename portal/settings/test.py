"""The test suite: PostgreSQL (never SQLite), fast hashing, e-mail kept in memory."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/hoeringsportal"),
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False

# Tasks run in-process when enqueued (after commit). Tests about Celery itself start a real worker
# against Redis (tests/hearings/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
SITE_URL = "http://testserver"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# allauth's own rate limits count per IP in the cache; every test client is 127.0.0.1, so the suite
# would trip them. Tests of rate limiting turn them back on for themselves.
ACCOUNT_RATE_LIMITS = False
# The same for the response form's limit (portal.ratelimits); tests/portal/test_rate_limits.py turns
# both on against Redis. The cache is each process' own, whatever REDIS_URL the shell may have set.
RESPONSE_RATE_LIMIT = ""
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The response lists and hearing pages are cached as in production (one process here, so LocMem sees every change).
RESPONSE_LIST_CACHE_SECONDS = 300
HEARING_PAGE_CACHE_SECONDS = 300
# Summary parts are prepared only where a test asks for it (tests/hearings/test_summary_parts.py):
# with eager tasks every response saved would render them.
SUMMARY_PARTS_PREPARE_SECONDS = 0
# Campaigns and similar responses are computed where a test asks for it (tests/analysis/campaigns/): with
# eager tasks every response committed would be analysed.
ANALYSIS_IN_BACKGROUND = False
