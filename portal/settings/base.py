"""Settings shared by every mode; with no environment variables set, this is the demo.

The demo runs on an embedded SQLite database and runs Celery tasks in-process, so a newcomer
needs no servers. ``DATABASE_URL`` selects PostgreSQL and ``REDIS_URL`` the real broker.
"""

from urllib.parse import urlsplit

from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from portal.env import BASE_DIR, env

SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="demo-only-insecure-key-never-used-in-production-0123456789abcdefghij",
)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "markdownx",
    # The API's packages. Not "rest_framework" nor "django_filters": installed apps' catalogues override
    # Django's own translations of the same English messages (DRF's Danish says "Angiv en gyldig
    # e-mailadresse." where Django's says "Indtast en gyldig e-mail-adresse.", on every form), and the
    # API needs neither app's templates (JSON only) nor models.
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "portal",
    "accounts",
    "strategies",
    "hearings",
    "guard",
    "moderation",
    "analysis",
    "decisions",
    "documents",
    "notifications",
    "search",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, so that a redirect or an error of /api/ still carries the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.TextPolicyMiddleware",
    "portal.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "accounts.context_processors.staff",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's embedded database takes one writer at a time. BEGIN IMMEDIATE takes the write lock when
    # a transaction starts, so a second writer waits for it (up to the timeout, in seconds) instead of
    # reading first and then failing at once with "database is locked" when it tries to write (SQLite
    # cannot upgrade a read lock while another connection writes; Django >= 5.1 "transaction_mode").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": env.float("SQLITE_TIMEOUT", default=20.0)}
    )
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Accounts (django-allauth): e-mail is the login, and it must be verified -----------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Høringsportalen] "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
# Rate limits (allauth's defaults, counted in the cache below, so shared by every process when REDIS_URL
# is set): sign-in 30/min per IP, failed sign-ins 10/min per IP and 5 per 5 min per address, sign-up
# 20/min per IP, password reset 20/min per IP and 5/min per address. Over a limit: templates/429.html.
# Behind a reverse proxy, the client's IP is the proxy's unless we are told how many proxies to trust.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sign-in through an OpenID Connect provider (municipalities reach MitID through an OIDC broker).
# Off unless OIDC_SERVER_URL and OIDC_CLIENT_ID are set; see README, "Sign-in with MitID (OIDC)".
OIDC_SERVER_URL = env("OIDC_SERVER_URL", default="")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the broker has verified the person
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", default="mitid"),
                "name": env("OIDC_NAME", default="MitID"),
                "client_id": env("OIDC_CLIENT_ID", default=""),
                "secret": env("OIDC_CLIENT_SECRET", default=""),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
        if OIDC_SERVER_URL and env("OIDC_CLIENT_ID", default="")
        else [],
    }
}

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates by name ("DATETIME_FORMAT"): "26. november 2026 kl. 12.00" in Danish, "26 November 2026, 12:00"
# in English.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
# Det Fælles Designsystem comes from npm (package.json); its dist folder is served as /static/dkfds/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Without collectstatic (demo, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# --- Markdown (django-markdownx): preview goes through our sanitising renderer ----------------
MARKDOWNX_MARKDOWNIFY_FUNCTION = "portal.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
# No image upload: rendered Markdown shows no images (portal.markdown.ALLOWED_TAGS), so portal/urls.py
# has no upload route and static/js/markdownx-keyboard.js keeps the editor from posting dropped files.

# --- E-mail -----------------------------------------------------------------------------------
# The demo prints e-mails in the console; EMAIL_URL (e.g. smtp+tls://user:pw@host:587) sends them.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Høringsportalen <noreply@example.dk>")

# --- Celery -----------------------------------------------------------------------------------
# With no REDIS_URL the demo runs every task in-process (eager); with one, a worker does.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False  # a failed in-process task is recorded (e.g. a failed PDF), not a 500
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "remove-expired-personal-data": {
        "task": "hearings.tasks.remove_expired_personal_data",
        "schedule": crontab(hour=3, minute=15),
    },
    # Responses that an older version of the personal-data finders scanned (or none): scanned again, in
    # bounded runs; nothing is published or unpublished, new findings wait for a moderator.
    "rescan-personal-data": {
        "task": "guard.scan_tasks.rescan_outdated",
        "schedule": crontab(hour=2, minute=45),
    },
    "send-missing-receipts": {
        "task": "notifications.tasks.send_missing_receipts",
        "schedule": crontab(minute="*/10"),
    },
    "fail-stuck-documents": {
        "task": "documents.tasks.fail_stuck_documents",
        "schedule": crontab(minute="*/5"),
    },
    # Followers' e-mails: the hearing opened, closes in 3 days, closed, its summary is published, a
    # remark to their response. Each is sent at most once (notifications.models.NotificationSent).
    "send-follow-notifications": {
        "task": "notifications.tasks.send_due_notifications",
        "schedule": crontab(minute="*/10"),
    },
}
# PDFs render on their own queue, so a long render never holds up receipts and notices:
#   celery -A portal worker -Q documents   and   celery -A portal worker -Q celery
CELERY_TASK_ROUTES = {
    "documents.tasks.render_document": {"queue": "documents"},
    "documents.tasks.prepare_summary_parts": {"queue": "documents"},
    # The archive for the journal system: its start, its chunks of response PDFs and its packing.
    "documents.tasks.start_archive": {"queue": "documents"},
    "documents.tasks.render_archive_chunk": {"queue": "documents"},
    "documents.tasks.pack_archive": {"queue": "documents"},
    # Reading an attachment's text (OCR: seconds a page, up to 3 minutes a file) is heavy work too.
    "guard.tasks.extract_attachment_text": {"queue": "documents"},
}
# A render is stopped softly after DOCUMENT_RENDER_SOFT_TIME_LIMIT s (marked failed) and killed after
# DOCUMENT_RENDER_TIME_LIMIT s. Both stay well below Redis' visibility timeout, after which an
# unacknowledged (acks_late) message would be delivered to a second worker while the first still works.
# A summary is rendered in parts that are kept as they are done, so a render stopped by the limit and
# asked for again goes on from the parts it had: the limit bounds one attempt, not the document.
DOCUMENT_RENDER_SOFT_TIME_LIMIT = env.int("DOCUMENT_RENDER_SOFT_TIME_LIMIT", default=600)
DOCUMENT_RENDER_TIME_LIMIT = env.int("DOCUMENT_RENDER_TIME_LIMIT", default=660)
# Processes that render a summary's parts side by side (documents/parts.py); 0: one per core for
# a worker, one for the demo's in-process tasks.
DOCUMENT_RENDER_PROCESSES = env.int("DOCUMENT_RENDER_PROCESSES", default=0)
# How long the archive for the journal system waits for the hearing summary and proposal it holds to be
# made before it gives up (documents/archive_services.py).
ARCHIVE_WAIT_SECONDS = env.int("ARCHIVE_WAIT_SECONDS", default=3600)
# A change to a hearing's responses schedules the summary's new parts to be rendered this many seconds
# later (once for all changes in between), so the next download only joins them. 0: off (the demo,
# whose tasks run in the request).
SUMMARY_PARTS_PREPARE_SECONDS = env.int("SUMMARY_PARTS_PREPARE_SECONDS", default=300 if REDIS_URL else 0)
# Campaigns (analysis/campaigns.py): two responses whose word shingles have an estimated Jaccard
# similarity of at least this are near duplicates of each other (docs/benchmarks-campaigns.md). A new or
# edited response is analysed by a task after commit; ANALYSIS_IN_BACKGROUND=false turns that off.
ANALYSIS_CAMPAIGN_THRESHOLD = env.float("ANALYSIS_CAMPAIGN_THRESHOLD", default=0.25)
ANALYSIS_IN_BACKGROUND = env.bool("ANALYSIS_IN_BACKGROUND", default=True)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# One task at a time per worker process (renders are long; prefetching would park work behind them).
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Recycle worker processes: WeasyPrint's memory is returned to the system only when a process ends.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", default=1_500_000)
# Publishing to a broker that is down must not hold a citizen's request for long: the response is
# already committed, and send_missing_receipts sends the receipt later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2

# --- Cache: rate-limit counters and rendered response lists ------------------------------------
# With REDIS_URL every web process counts and caches in the same Redis; the demo, per process in memory.
# portal.cache.FailOpenRedisCache is Django's RedisCache that lets requests through while Redis is down.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": env("REDIS_CACHE_URL", default=REDIS_URL),
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a rendered response list (hearings.response_cache) is kept at most; every change that
# shows replaces its version at once. 0 renders every list afresh: the default without Redis, where
# each process would cache for itself and not see the changes that another process saves.
RESPONSE_LIST_CACHE_SECONDS = env.int("RESPONSE_LIST_CACHE_SECONDS", default=300 if REDIS_URL else 0)
# How long the whole hearing page is kept for readers who are not signed in (hearings.page_cache), under
# the same version as the lists; 0 renders it for every request (the default without Redis).
HEARING_PAGE_CACHE_SECONDS = env.int("HEARING_PAGE_CACHE_SECONDS", default=300 if REDIS_URL else 0)
# Responses a citizen may send (django-ratelimit's "number/period", counted per user); "" turns it off.
RESPONSE_RATE_LIMIT = env("RESPONSE_RATE_LIMIT", default="10/10m")
RATELIMIT_FAIL_OPEN = True

# --- Content Security Policy (django-csp) -----------------------------------------------------
# Scripts and styles only from our own static files: no inline script, no on*= handler, no javascript:
# URL anywhere (tests/portal/test_security_headers.py looks). The admin adds inline styles only
# (CONTENT_SECURITY_POLICY_ADMIN, portal.middleware.PortalCSPMiddleware). Attachments are sent with
# their own "default-src 'none'; sandbox". allauth's OIDC sign-in posts a form that redirects to the
# broker, so form-action names the broker's origin when one is configured.
_oidc = urlsplit(OIDC_SERVER_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *([f"{_oidc.scheme}://{_oidc.netloc}"] if _oidc.netloc else [])],
    }
}
CONTENT_SECURITY_POLICY_ADMIN = {"style-src": [UNSAFE_INLINE]}

# --- The public API (api/, /api/v1/) ---------------------------------------------------------
# Read-only and anonymous: no session, no CSRF, JSON only (the browsable docs are drf-spectacular's).
# Throttled per client IP (api.throttling.ScopedIPThrottle) in the cache above, so shared by every web
# process when REDIS_URL is set; a rate is "number/period" (s, m, h, d), "" turns that scope off.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ScopedIPThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": env("API_RATE_LIMIT", default="120/min"),
        "open-data": env("API_OPEN_DATA_RATE_LIMIT", default="30/min"),
    },
    # The client's IP behind this many reverse proxies (X-Forwarded-For); 0: the peer's address.
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Høringsportalen API",
    "DESCRIPTION": (
        "Read-only public data of the portal: municipalities, their published strategies, hearings, "
        "published hearing responses (as the public pages show them: redactions applied, personal data "
        "removed after the hearing's removal date), topics and the administration's remarks once "
        "released, and the documents a citizen may download. No authentication; rate limited per client; "
        "CORS open for GET."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar): the CSP allows no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Two choice sets named "kind": named here, so the schema's names do not depend on a hash.
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "documents.models.RenderedDocument.Kind",
        "TargetKindEnum": "api.serializers.TARGET_KINDS",
    },
}
# CORS (django-cors-headers) on the API only: any origin may read it, nothing is sent with credentials.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag",)

# --- The site ---------------------------------------------------------------------------------
PORTAL_NAME = env("PORTAL_NAME", default="Høringsportalen")
# The portal's address in e-mails (links in receipts).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Demo accounts and demo content may only be created in demo mode, never in production.
DEMO_MODE = env.bool("DEMO_MODE", default=True)
# Where the footer's "Tilgængelighedserklæring" points; our own page unless a municipality
# publishes its statement on its own site (e.g. on was.digst.dk).
ACCESSIBILITY_STATEMENT_URL = env("ACCESSIBILITY_STATEMENT_URL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # The in-process tasks of the demo would log every run; a real worker sets its own level (-l).
    # WeasyPrint logs a line for every page it lays out (three passes with "Side X af Y"): at INFO that is
    # tens of thousands of lines for a large hearing summary and doubles the render time.
    "loggers": {
        "celery": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "ERROR"},
        # pikepdf's C++ side says "pikepdf C++ to Python logger bridge initialized" at INFO when it is
        # imported, so in every management command and runserver; its warnings and errors still show.
        "pikepdf": {"level": "WARNING"},
    },
}
