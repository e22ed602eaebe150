"""Balai settings: one file, configured by environment variables only.

The defaults give the embedded tier (SQLite, in-process work, console e-mail), so that a checkout
just works. `BALAI_PRODUCTION=1` switches on the deployment hardening and refuses demo secrets.
The README's configuration table lists every variable read here.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEMO_SECRET_KEY = "balai-demo-secret-key-not-for-production-0123456789abcdef"

PRODUCTION = env_bool("BALAI_PRODUCTION")
DEMO = env_bool("BALAI_DEMO")
DEBUG = env_bool("BALAI_DEBUG")
SECRET_KEY = env_str("BALAI_SECRET_KEY", DEMO_SECRET_KEY)
VAR_DIR = Path(env_str("BALAI_VAR_DIR", str(BASE_DIR / "var")))

if PRODUCTION:
    if SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "BALAI_PRODUCTION is set but BALAI_SECRET_KEY is the demo key or shorter than 50 characters."
        )
    if DEMO or DEBUG:
        raise ImproperlyConfigured("BALAI_PRODUCTION cannot be combined with BALAI_DEMO or BALAI_DEBUG.")

ALLOWED_HOSTS = env_list("BALAI_ALLOWED_HOSTS", "" if PRODUCTION else "*")
CSRF_TRUSTED_ORIGINS = env_list("BALAI_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "balai.core.tenants",
    "balai.core.accounts",
    "balai.core.orgs",
    "balai.core.parties",
    "balai.core.workdays",
    "balai.core.audit",
    "balai.core.files",
    "balai.core.documents",
    "balai.core.payments",
    "balai.core.workflow",
    "balai.core.notifications",
    "balai.core.integrity",
    "balai.core.jobs",
    "balai.core.api",
    "rest_framework",
    "drf_spectacular",
    "balai.portal",
    "balai.permits",
    "balai.permits.appointments",
    "balai.grants",
    "balai.remuneration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "balai.core.logging.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "balai.core.i18n.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "balai.core.tenants.middleware.TenantMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "balai.urls"
WSGI_APPLICATION = "balai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "balai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "balai.core.tenants.context_processors.tenant",
            ],
            "libraries": {"balai": "balai.core.templatetags.balai"},
        },
    },
]

# Database: SQLite in WAL mode by default (the embedded tier); DATABASE_URL for PostgreSQL.
# Connections are kept between requests (opening one costs more than a whole public page), checked
# before reuse; the development server's thread per request makes this moot there.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("BALAI_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The layout's `{% cache %}` fragments are small, keyed by everything they show, and read on every
# page: each process keeps its own (a round trip to Redis would cost more than rendering them).
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "template-fragments",
    "TIMEOUT": 600, "OPTIONS": {"MAX_ENTRIES": 2000},
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "balai.core.accounts.backends.EmailOrPhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:landing"

# Lockout: five failures for one account from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = env_int("BALAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("BALAI_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Every spelling of one account (e-mail, 08..., +628...) shares one failure count.
AXES_USERNAME_CALLABLE = "balai.core.accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Officers must pass TOTP two-factor authentication; the demo may waive it, visibly.
WAIVE_OFFICER_2FA = DEMO and env_bool("BALAI_DEMO_WAIVE_2FA", True)
OTP_TOTP_ISSUER = "Balai"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("BALAI_SESSION_SECONDS", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("BALAI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("BALAI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content Security Policy: no inline scripts or styles, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "balai" / "locale"]
LANGUAGE_COOKIE_NAME = "balai_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "balai" / "static"]
# Outside production, static files are served straight from the apps (WHITENOISE_USE_FINDERS).
STATIC_ROOT = Path(env_str("BALAI_STATIC_ROOT", str(VAR_DIR / "static"))) if PRODUCTION or env_str("BALAI_STATIC_ROOT") else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploads live outside the web root and are served only through permission-checking views.
MEDIA_ROOT = Path(env_str("BALAI_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = None
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_HOST = env_str("BALAI_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("BALAI_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("BALAI_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("BALAI_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("BALAI_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("BALAI_EMAIL_FROM", "Balai <noreply@balai.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "balai.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "balai.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("BALAI_LOG_FORMAT", "json"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("BALAI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- documents ---
# The absolute address printed in documents' QR codes (`<site>/verify/<code>/`); no trailing slash.
BALAI_SITE_URL = env_str("BALAI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The demo's local CA and per-tenant signing certificates (private keys mode 0600); never in production.
BALAI_PKI_DIR = Path(env_str("BALAI_PKI_DIR", str(VAR_DIR / "pki")))
# Production signing certificate: a PKCS#12 file; `{tenant}` in the path is replaced by the tenant's slug.
BALAI_SIGNING_P12 = env_str("BALAI_SIGNING_P12")
BALAI_SIGNING_P12_PASSWORD = env_str("BALAI_SIGNING_P12_PASSWORD")
BALAI_VERIFY_RATE_PER_MINUTE = env_int("BALAI_VERIFY_RATE_PER_MINUTE", 60)
# WeasyPrint logs every rendering step at INFO; keep only its warnings.
LOGGING["loggers"].update({"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}})

# --- payments ---
# The gateway new bills are issued on; real gateways (bank virtual account, QRIS) are adapters
# registered in balai.core.payments.gateways.
BALAI_PAYMENT_GATEWAY = env_str("BALAI_PAYMENT_GATEWAY", "simulator")
# The simulator signs its callbacks with this key. Production gets no default: there the simulator
# refuses to work (it would take anyone's word for a payment) unless a key is set on purpose.
DEMO_PAYMENT_SIMULATOR_SECRET = "balai-demo-payment-simulator-secret"
BALAI_PAYMENT_SIMULATOR_SECRET = env_str("BALAI_PAYMENT_SIMULATOR_SECRET", "" if PRODUCTION else DEMO_PAYMENT_SIMULATOR_SECRET)

# --- files ---
# Uploaded and generated files live in the "balai_files" storage, never under a URL: a private folder
# MEDIA_ROOT/files by default, or an S3-compatible bucket (AWS S3, MinIO, ...) when BALAI_S3_BUCKET is
# set; that needs django-storages[s3]. The bucket must not be public. Without the key variables, boto3
# finds credentials its usual way (AWS_* variables, an instance role).
BALAI_S3_BUCKET = env_str("BALAI_S3_BUCKET")
if BALAI_S3_BUCKET:
    STORAGES["balai_files"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BALAI_S3_BUCKET,
            "endpoint_url": env_str("BALAI_S3_ENDPOINT_URL") or None,
            "region_name": env_str("BALAI_S3_REGION") or None,
            "access_key": env_str("BALAI_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("BALAI_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("BALAI_S3_PREFIX", "files"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["balai_files"] = {"BACKEND": "balai.core.files.storage.PrivateFileSystemStorage"}

# --- jobs ---
# Background and scheduled work runs on Celery. The broker is BALAI_BROKER_URL (Redis or RabbitMQ,
# `amqp://...`), else REDIS_URL. With neither (the embedded tier) every task runs in-process, eagerly,
# where it is queued (after the commit that queued it): the demo needs no worker and no beat, and
# scheduled work then runs only when called (`celery -A balai beat` needs a broker).
# Progress and results of long jobs live in jobs.JobRun, so no result backend is needed.
from celery.schedules import crontab  # noqa: E402

BALAI_BROKER_URL = env_str("BALAI_BROKER_URL")
CELERY_BROKER_URL = BALAI_BROKER_URL or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = "balai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # The safety net of the notification outbox: messages whose after-commit dispatch was lost, and retries.
    "notifications-dispatch": {"task": "balai.core.notifications.tasks.dispatch", "schedule": 60.0},
    "workflow-escalate": {"task": "balai.core.workflow.tasks.escalate_due", "schedule": crontab(minute="*/15")},
    "integrity-checks": {"task": "balai.core.integrity.tasks.run_scheduled_checks", "schedule": crontab(hour=1, minute=30)},
    "audit-digest": {"task": "balai.core.audit.tasks.digest_all_tenants", "schedule": crontab(hour=0, minute=15)},
    "permits-expiry-reminders": {"task": "balai.permits.reminders.expiry_reminders", "schedule": crontab(hour=6, minute=0)},
    "permits-stats-refresh": {"task": "balai.permits.stats_refresh_all_tenants", "schedule": crontab(minute="*/10")},
    "api-idempotency-expire": {
        "task": "balai.core.api.tasks.expire_idempotency_records", "schedule": crontab(hour=2, minute=0)
    },
}

# --- notifications ---
# SMS and WhatsApp go through an adapter: "simulator" logs what would be sent and keeps it in memory
# (nothing leaves the machine), or the dotted path of a MessagingAdapter subclass of a real provider.
BALAI_SMS_ADAPTER = env_str("BALAI_SMS_ADAPTER", "simulator")
BALAI_WHATSAPP_ADAPTER = env_str("BALAI_WHATSAPP_ADAPTER", "simulator")
# Attempts at sending one message before it is given up as dead; retries wait 1, 5, 25, 125... minutes.
BALAI_NOTIFICATION_MAX_ATTEMPTS = env_int("BALAI_NOTIFICATION_MAX_ATTEMPTS", 6)
# An SMTP server that hangs must not hold a worker past the dispatcher's 5-minute claim on a message.
EMAIL_TIMEOUT = 30

# --- api ---
# REST under /api/v1/: bearer tokens per person or integration client and tenant, or the browser
# session (CSRF enforced); JSON errors with a stable code; rate limits per address and per caller.
INSTALLED_APPS += ["drf_spectacular_sidecar"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "balai.core.api.authentication.TokenAuthentication",
        "balai.core.api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["balai.core.api.permissions.IsTenantPrincipal"],
    "DEFAULT_PAGINATION_CLASS": "balai.core.api.pagination.BalaiPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "balai.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "balai.core.api.throttling.AnonRateThrottle",
        "balai.core.api.throttling.PrincipalRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("BALAI_API_RATE_ANON", "60/min"),
        "user": env_str("BALAI_API_RATE_USER", "600/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Balai API",
    "DESCRIPTION": (
        "Balai's REST API. Tenant endpoints live under `/api/v1/<tenant-slug>/` and take a bearer token "
        "of that Pemda (`Authorization: Bearer balai_<prefix>_<secret>`). Lists paginate (`?page=`, `?page_size=` up to 100). "
        "Creating POSTs accept an `Idempotency-Key` header. Errors are `{\"error\": {\"code\", \"message\", \"fields\"}}`, "
        "with the message in the request's language (`Accept-Language: id` or `en`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVERS": [{"url": BALAI_SITE_URL, "description": "Balai"}],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TenantKindEnum": "balai.core.tenants.models.Tenant.Kind",
        "UnitKindEnum": "balai.core.orgs.models.Unit.Kind",
    },
}
