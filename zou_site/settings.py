"""Settings for the Zou-on-Django server.

Everything that differs between a laptop and a studio deployment comes from the
environment; the defaults are the safe ones (DEBUG off, secure cookies when DEBUG
is off) except the database, which falls back to a local SQLite file so the
project runs with zero setup.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name, default):
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _load_secret_key():
    """SECRET_KEY from the environment, else one generated once and kept in an
    untracked file beside manage.py, so sessions and tokens survive restarts."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = Path(os.environ.get("SECRET_KEY_FILE", BASE_DIR / "local_secret_key"))
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(64)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _load_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin, with the site that composes the apps' admin classes.
    "zou_site.admin.ZouAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # Refresh tokens revocable at logout (the sessions of production.auth.tokens).
    "rest_framework_simplejwt.token_blacklist",
    "corsheaders",
    "django_filters",
    "drf_spectacular",
    # Swagger UI's files served from our own static files: /api/docs works offline.
    "drf_spectacular_sidecar",
    "import_export",
    "production",
    "files",
    "imports",
]

MIDDLEWARE = [
    "zou_site.middleware.RequestSizeLimitMiddleware",
    "zou_site.middleware.DatabaseUnavailableMiddleware",
    "zou_site.middleware.HttpsForApiMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware, as WhiteNoise asks: static files skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Events stored while serving a request are by its signed-in person.
    "production.events.EventActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zou_site.urls"
WSGI_APPLICATION = "zou_site.wsgi.application"
# The API tolerates a trailing slash without redirecting (gazu never sends one).
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zou_site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # A kept connection is checked before each request's first query: after
        # a database restart the worker reconnects instead of failing once.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, its health check without a `SELECT 1` per request.
    DATABASES["default"]["ENGINE"] = "zou_site.postgresql"
    # An unreachable server must not hold a worker for the kernel's TCP timeout
    # (minutes): past this, the request is answered 503 (zou_site.middleware).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "production.Person"
AUTHENTICATION_BACKENDS = ["production.auth.backends.LockoutModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STATICFILES_DIRS = [BASE_DIR / "zou_site" / "static"]


def file_storage(environ):
    """Where thumbnails, previews and pending imports go: an S3-compatible
    bucket when AWS_STORAGE_BUCKET_NAME is set (AWS, MinIO, Ceph... through
    django-storages), else FILE_STORAGE, else the local MEDIA_ROOT."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {"BACKEND": environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")}
    options = {"bucket_name": bucket, "location": environ.get("AWS_LOCATION", ""), "file_overwrite": True}
    for variable, option in (
        ("AWS_S3_ENDPOINT_URL", "endpoint_url"),
        ("AWS_S3_REGION_NAME", "region_name"),
        ("AWS_ACCESS_KEY_ID", "access_key"),
        ("AWS_SECRET_ACCESS_KEY", "secret_key"),
        ("AWS_S3_ADDRESSING_STYLE", "addressing_style"),
    ):
        if environ.get(variable):
            options[option] = environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": file_storage(os.environ),
    # collectstatic writes compressed copies and content-hashed names, so WhiteNoise
    # serves the admin and the API docs with far-future caching under gunicorn.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads: thumbnails and CSV/JSON imports. Bigger bodies are refused with 413.
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 20 * 1024 * 1024)
# Whole request bodies past this size are refused with 413 before parsing.
MAX_REQUEST_SIZE = env_int("MAX_REQUEST_SIZE", 100 * 1024 * 1024)
# Django's own limit on a body read into memory is that same bound: a lower one
# refused bodies the size check had let through with Django's HTML 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_SIZE
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Pillow refuses images past this many pixels (decompression bombs).
THUMBNAIL_MAX_PIXELS = env_int("THUMBNAIL_MAX_PIXELS", 50_000_000)
# Avatars: any role uploads its own, and a phone photo (12 MP) is the most one needs.
AVATAR_MAX_PIXELS = env_int("AVATAR_MAX_PIXELS", 16_000_000)

# Security. With DEBUG off, HTTPS is expected: cookies are secure, browsers are
# redirected to https and API clients get a JSON 400 saying so. Behind a
# TLS-terminating proxy set SECURE_PROXY_SSL_HEADER_NAME (e.g. HTTP_X_FORWARDED_PROTO).
# A studio LAN without TLS sets HTTPS_ONLY=false: one setting for the four below.
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS_ONLY)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS_ONLY)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS_ONLY)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS_ONLY)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' HSTS preload list is hard to undo and binds every
    # subdomain: a studio opts in with SECURE_HSTS_PRELOAD=true, it is not a default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER_NAME"], "https")
# The health root answers plain HTTP so load balancers can probe it.
SECURE_REDIRECT_EXEMPT = [r"^api/?$"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "production.auth.authentication.BearerTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["zou_site.api.renderers.ZouJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "zou_site.parsers.ZouJSONParser",
        "zou_site.parsers.ZouMultiPartParser",
        "zou_site.parsers.ZouFormParser",
    ],
    "EXCEPTION_HANDLER": "zou_site.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "zou_site.schema.ZouAutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_TOKEN_MINUTES", 60 * 24 * 7)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_TOKEN_DAYS", 30)),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "SIGNING_KEY": SECRET_KEY,
}

# Login protection: after this many failures for one email or from one address
# within the window, every attempt (even a right one) is refused until it passes.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# How many reverse proxies (load balancer, TLS terminator) stand between the
# clients and this server, each appending to X-Forwarded-For. 0 (the default):
# the header is ignored and the connection's address counts, since any client
# can write the header. Set it exactly: one too many lets a client choose the
# address the lockout counts.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Events (production.events): each sink is a dotted path called with the list
# of stored ApiEvent rows once their transaction commits; EVENTS_ENABLED=false
# stores none (the benchmark's baseline). Webhooks (production.webhooks) and
# the live stream to gazu.events listeners (production/events_stream.py).
EVENT_SINKS = ["production.webhooks.sink.enqueue", "production.events_stream.publish"]
EVENTS_ENABLED = env_bool("EVENTS_ENABLED", True)

# Bots (scripts, render farms) get one long-lived token from an admin.
BOT_TOKEN_DAYS = env_int("BOT_TOKEN_DAYS", 365)
# Cross-origin browsers are refused unless their origin is listed here; a listed
# origin may call the API with a bearer token, never with cookies.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_ALLOW_HEADERS = ["authorization", "content-type"]
CORS_ALLOW_METHODS = ["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]
CORS_PREFLIGHT_MAX_AGE = 600

# The live event stream (production/events_stream.py). With REDIS_URL, API
# workers publish events on this Redis pub/sub channel and the events server
# (zou_site/events_wsgi.py) sends them to gazu.events listeners; without it,
# one process (runserver, the README's demo) serves both.
REDIS_URL = os.environ.get("REDIS_URL", "")
EVENTS_REDIS_CHANNEL = os.environ.get("EVENTS_REDIS_CHANNEL", "zou-events")
# Seconds between the server's pings to each listener: a dead listener is
# dropped after about this, and a long-polling request lasts at most this.
# Keep it under any proxy's idle timeout in front of the events server.
EVENTS_PING_SECONDS = env_int("EVENTS_PING_SECONDS", 25)
# How often the events server checks its listeners' tokens again: a logged-out,
# deactivated or re-passworded person's listener is closed within this delay.
EVENTS_RECHECK_SECONDS = env_int("EVENTS_RECHECK_SECONDS", 10)

SPECTACULAR_SETTINGS = {
    "TITLE": "Zou on Django",
    "DESCRIPTION": "Production-data API for animation and VFX studios (Zou-compatible).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "zou_site.schema.document_errors"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Pages may load scripts, styles, fonts and images from this server only, and
# no other site may frame them. Swagger UI draws its icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Background jobs (Celery). With a broker (Redis), tasks go to `celery -A
# zou_site worker` processes on any machine; without one (the laptop demo) they
# run in-process, right away, inside the request that sends them.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "zou")
# A task is acknowledged once it has run, not when a worker takes it: a worker
# killed mid-task leaves the message to Redis, which hands it out again after
# the visibility timeout. Every task is written to be run twice safely.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for abandoned messages at least as often as they may become due.
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 4)),
    "unacked_restore_throttle": 1 if CELERY_VISIBILITY_TIMEOUT < 400 else 10,
    # Several deployments (or test runs) may share one Redis database.
    "global_keyprefix": os.environ.get("CELERY_KEY_PREFIX", ""),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Jobs keep their state in the database (imports.Job, webhook deliveries): no result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# Imports of more rows or records than this run as background jobs (202 and a
# job to poll); `?async=true` asks for a job whatever the size.
IMPORT_JOB_THRESHOLD = env_int("IMPORT_JOB_THRESHOLD", 5000)
# A CSV import reads, checks and writes this many rows at a time: its memory
# holds one chunk, whatever the sheet's size.
CSV_IMPORT_CHUNK_ROWS = env_int("CSV_IMPORT_CHUNK_ROWS", 2000)
# A running job that has written no progress for this long is taken to be
# lost with its worker: a redelivered task may run it again.
IMPORT_JOB_STALE_SECONDS = env_int("IMPORT_JOB_STALE_SECONDS", 600)

# Webhooks (docs/webhooks.md). Hosts deliveries may reach: name patterns
# (`*.studio.lan`), addresses or networks; `*` alone admits public addresses only.
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS", ["*"])
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 10)
# Retries wait base × 2^(attempt - 1) seconds, at most the max.
WEBHOOK_RETRY_BASE_SECONDS = env_float("WEBHOOK_RETRY_BASE_SECONDS", 10)
WEBHOOK_RETRY_MAX_SECONDS = env_float("WEBHOOK_RETRY_MAX_SECONDS", 3600)
# A subscription whose deliveries all failed for this long is turned off.
WEBHOOK_DISABLE_AFTER_SECONDS = env_int("WEBHOOK_DISABLE_AFTER_SECONDS", 3 * 24 * 3600)
