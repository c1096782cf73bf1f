"""Settings, read from environment variables (see .env.example) through small typed helpers."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
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
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_env_file(path: Path) -> None:
    """Settings from a local, git-ignored file (`make run` writes one for development:
    DEBUG on and a generated SECRET_KEY). Variables already set in the environment win."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            os.environ.setdefault(name.strip(), value.strip().strip("'\""))


# The test suite sets its own settings and never reads a developer's local file.
if not env_bool("SAMENSPEL_TESTING"):
    read_env_file(Path(env_str("SAMENSPEL_ENV_FILE", str(BASE_DIR / ".env"))))

DEBUG = env_bool("DEBUG", False)
# The development key is only accepted while DEBUG is on; production must set SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY") or (
    "django-insecure-development-key-only" if DEBUG or env_bool("SAMENSPEL_TESTING") else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Set SECRET_KEY (or DEBUG=true for development). `make run` writes a development "
        ".env with both; see .env.example for production."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "allauth",
    "allauth.account",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "samenspel.core",
    "samenspel.accounts",
    "samenspel.communities",
    "samenspel.initiatives",
    "samenspel.learning",
    "samenspel.practice",
    "samenspel.council",
    "samenspel.accords",
    "samenspel.workshops",
    "samenspel.work",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samenspel.core.middleware.ApiConventionsMiddleware",
    "samenspel.core.sites.SiteUrlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samenspel.accounts.usercache.CachedUserMiddleware",
    "samenspel.core.readonly.ReadOnlyRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "samenspel.urls"
WSGI_APPLICATION = "samenspel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samenspel" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samenspel.core.context_processors.maps",
                "samenspel.core.inbox.unread_notifications",
                # Last: in a shared member page, the personal parts are placeholders.
                "samenspel.core.pagecache.shared_page_placeholders",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL=postgresql://… for production.
VAR_DIR = Path(env_str("SAMENSPEL_VAR_DIR", str(BASE_DIR / "var")))
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'samenspel.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "samenspel.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: email is the login; verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "samenspel.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samenspel] "
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = False if env_bool("SAMENSPEL_TESTING") else {}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_work"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not env_str("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Who runs this installation, and how to reach them: shown in the accessibility and privacy
# statements (a municipality sets its own).
SITE_OWNER = env_str("SITE_OWNER", "")
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "")
ACCESSIBILITY_STATEMENT_DATE = env_str("ACCESSIBILITY_STATEMENT_DATE", "2026-12-02")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samenspel <noreply@samenspel.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Dutch first, English complete. Source strings are English; locale/nl holds Dutch.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("vendor/utrecht", BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    (
        "vendor/leaflet-gesture-handling",
        BASE_DIR / "node_modules" / "leaflet-gesture-handling" / "dist",
    ),
]
# Background tiles for maps, e.g. https://tile.example.org/{z}/{x}/{y}.png. None by default:
# maps then show areas and points on a plain background and still read without them.
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")
# Uploaded files (attachments of signals): local files under var/media by default, never
# served as static files (a view checks who may see them). FILE_STORAGE=s3 stores them in
# S3-compatible storage (django-storages) with the AWS_* settings below.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MAX_ATTACHMENT_BYTES = env_int("MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_STORAGE = env_str("FILE_STORAGE", "local")
if FILE_STORAGE == "s3":
    DEFAULT_STORAGE: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Production hardening; behind a TLS-terminating proxy set SECURE_PROXY=true.
if env_bool("SECURE_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")

CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if env_str("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "samenspel.core.cache.RedisCache",  # Django's, keeping its clients
        "LOCATION": env_str("REDIS_URL"),
    }
    # Sessions are read from the shared cache (written to both): no query per request for
    # them. Only with a cache all processes share: with one per process, a logout in one
    # would not end the session in the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# What is kept per content version (rendered fragments, a member's membership) never goes
# stale, so each process keeps its own copy in memory: no round trip, also with Redis.
CACHES["versioned"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "versioned",
    "OPTIONS": {"MAX_ENTRIES": 2000},  # rendered fragments of some kB each, per process
}
CACHES["template_fragments"] = CACHES["versioned"]  # what {% cache %} uses
# Members of the same kind share rendered pages (core/pagecache.cache_for_members); off, every
# member page is rendered for its reader alone (the tests compare the two).
SHARED_MEMBER_PAGES = env_bool("SHARED_MEMBER_PAGES", True)
# django-ratelimit counts in this cache (per process with locmem, shared with Redis).
RATELIMIT_USE_CACHE = "default"
# The similar-signals hint runs the encoder: this many per address and per account.
SIMILAR_SIGNALS_RATE = env_str("SIMILAR_SIGNALS_RATE", "30/m")

# Background work (emails, periodic jobs) runs on Django's tasks framework: the database
# queue by default (SQLite and PostgreSQL alike; `manage.py worker` runs it), or RQ on Redis
# when REDIS_URL is set (several servers; `manage.py worker` runs the RQ worker then).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
if env_str("REDIS_URL") and env_str("TASKS_BACKEND", "rq") == "rq":
    INSTALLED_APPS.append("django_rq")
    TASKS["default"] = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL"), "DEFAULT_TIMEOUT": 300}}
# How often the worker looks for new work, in seconds.
WORKER_INTERVAL = float(env_str("WORKER_INTERVAL", "1"))

# Live workshops: a join code works until the workshop ends and at most this long after
# its doors opened; wrong codes per address (right ones never count: a room shares one);
# cards a participant may write per minute.
WORKSHOP_CODE_VALID = timedelta(hours=env_int("WORKSHOP_CODE_VALID_HOURS", 24))
WORKSHOP_WRONG_CODES_RATE = env_str("WORKSHOP_WRONG_CODES_RATE", "20/10m")
WORKSHOP_CARDS_PER_MINUTE = env_int("WORKSHOP_CARDS_PER_MINUTE", 6)

# Invitations expire after this many days.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# The bare baseline view for `make bench`; never on in normal use.
BENCH_BASELINE = env_bool("SAMENSPEL_BENCH")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
