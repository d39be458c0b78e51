"""Capacity's settings: one file, every knob an environment variable.

The defaults are safe for a laptop: SQLite under var/, debug off unless asked
for, a generated secret kept in var/. Set CAPACITY_ENV=production to require a
real secret, HTTPS cookies and HSTS (`manage.py check --deploy` is then quiet).
The Configuration table in README.md lists every variable (tests/test_settings.py checks it).
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from capacity.env import ConfigError, env_bool, env_choice, env_int, env_list, env_str
from capacity.operations.logs import FORMATS as LOG_FORMATS
from capacity.operations.logs import logging_config
from capacity.schoolnumbers import (
    ONTARIO_EXAMPLE,
    ONTARIO_PAD,
    ONTARIO_PATTERN,
    SchoolNumberScheme,
)

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

# pytest sets PYTEST_VERSION while it runs, so a bare `pytest` gets test settings too.
ENVIRONMENT = env_choice(
    "CAPACITY_ENV",
    "test" if os.environ.get("PYTEST_VERSION") else "local",
    ("local", "test", "production"),
)
PRODUCTION = ENVIRONMENT == "production"

VAR_DIR = Path(env_str("CAPACITY_VAR_DIR", str(BASE_DIR / "var")))
if not PRODUCTION:
    VAR_DIR.mkdir(parents=True, exist_ok=True)


def _package_folder(name: str) -> Path:
    """Where an installed package's files are, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"The package {name} is not installed.")
    return Path(next(iter(spec.submodule_search_locations)))


def _local_secret_key() -> str:
    """A per-installation secret for local use, generated once and kept in var/."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ConfigError(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when CAPACITY_ENV=production."
        )
    SECRET_KEY = _local_secret_key()
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ConfigError("SECRET_KEY must be at least 50 characters in production.")

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ConfigError("DEBUG cannot be on when CAPACITY_ENV=production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    # django-ninja is not an installed app: importing it (and pydantic) at every start cost a
    # command 0.2 s. Its static files (Swagger UI for /api/docs/) are found in STATICFILES_DIRS.
    "django_tasks",
    "django_tasks_db",
    "capacity.audit",
    "capacity.directory",
    "capacity.evidence",
    "capacity.planning",
    "capacity.notifications",
    "capacity.reports",
    "capacity.instruments",
    "capacity.learning",
    "capacity.rounds",
    "capacity.operations",
]

MIDDLEWARE = [
    # First: every request gets its id (X-Request-ID, in every log line) and one access line.
    "capacity.operations.middleware.RequestIdMiddleware",
    # Then /healthz is answered before any host check, HTTPS redirect, session or language.
    "capacity.operations.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost after Django's own: CSP, no-store for signed-in and API answers, JSON errors under /api/.
    "capacity.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "capacity.urls"
WSGI_APPLICATION = "capacity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "capacity.directory.context_processors.navigation",
                "capacity.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'capacity.sqlite3'}")
try:
    _database = dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0)
    )
except ValueError as exc:
    raise ConfigError(f"DATABASE_URL cannot be parsed: {exc}") from exc
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while an import writes; a busy timeout
    # makes a second writer wait instead of failing at once.
    _database.setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif _database["ENGINE"].endswith("postgresql"):
    # Ibis reads PostgreSQL results through a server-side cursor, which the
    # planner optimises for the first 10% of rows by default; on the
    # identification-over-time query that picks a nested loop taking minutes
    # instead of a hash join taking a second. Capacity reads every row.
    _options = _database.setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        filter(None, [_options.get("options"), "-c cursor_tuple_fraction=1"])
    )
else:
    raise ConfigError("DATABASE_URL must be a sqlite:// or postgres:// URL.")
DATABASES = {"default": _database}
if _database["ENGINE"] == "django.db.backends.sqlite3" and _database["NAME"] != ":memory:":
    # One file per test run, so that two runs on one checkout (two terminals, two engineers) never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "directory.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# One date style across the app and French number formats: capacity/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["capacity.formats"]
TIME_ZONE = env_str("TIME_ZONE", "America/Toronto")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static", _package_folder("ninja") / "static"]
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
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers ask for /healthz over plain HTTP (it is answered before this redirect
    # anyway: capacity/operations/health.py; this keeps it so if the middleware moves).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

if ENVIRONMENT == "test":
    # Fast tests: a cheap hasher; the argon2 path is covered by its own test.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

# Background work (imports uploaded through the web): django-tasks with its
# database backend, so no extra server is needed; `capacity worker` runs it.
# Tests run tasks immediately, in the request that enqueues them.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test"
            else env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
        ),
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CAPACITY_MAX_UPLOAD_MB = env_int("CAPACITY_MAX_UPLOAD_MB", 500, minimum=1)
# Every import checks a workbook against these before reading a cell (capacity/imports/limits.py):
# the cells its sheet declares, how large its zip unpacks, and how much better than a real table it compresses.
CAPACITY_IMPORT_MAX_CELLS = env_int("CAPACITY_IMPORT_MAX_CELLS", 50_000_000, minimum=1)
CAPACITY_IMPORT_MAX_XLSX_MB = env_int("CAPACITY_IMPORT_MAX_XLSX_MB", 512, minimum=1)
CAPACITY_IMPORT_MAX_XLSX_RATIO = env_int("CAPACITY_IMPORT_MAX_XLSX_RATIO", 100, minimum=2)
# An upload's import runs in a child process of the worker, so a crash in a C library
# (or running out of memory) ends that import as failed and the worker carries on.
# An import still "running" after the time limit is stopped; one whose worker died is
# taken up again until it has had CAPACITY_IMPORT_ATTEMPTS tries, then marked failed.
CAPACITY_IMPORT_IN_CHILD_PROCESS = env_bool(
    "CAPACITY_IMPORT_IN_CHILD_PROCESS", ENVIRONMENT != "test"
)
# After an import changes results (and after the demo build) the worker computes the
# evidence pages' analyses ahead, so no first visit waits (capacity/evidence/warming.py).
CAPACITY_WARM_AFTER_IMPORT = env_bool("CAPACITY_WARM_AFTER_IMPORT", ENVIRONMENT != "test")
# ...and, last, every school's results chart and the parts of its evidence page in each
# language (about 0.1 s a chart: some fifteen minutes of one core for Ontario's schools),
# so a school's first visit is quick too.
CAPACITY_WARM_SCHOOL_CHARTS = env_bool("CAPACITY_WARM_SCHOOL_CHARTS", ENVIRONMENT != "test")
CAPACITY_IMPORT_TIME_LIMIT = env_int("CAPACITY_IMPORT_TIME_LIMIT", 2 * 3600, minimum=10)
CAPACITY_IMPORT_ATTEMPTS = env_int("CAPACITY_IMPORT_ATTEMPTS", 2, minimum=1)

# Analytics answers are cached under the data's version. A file cache is shared
# by every worker process and survives restarts; tests use memory.
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if ENVIRONMENT == "test"
        else {
            # Django's file cache, counting its entries once a minute rather than on every write.
            "BACKEND": "capacity.filecache.FileCache",
            "LOCATION": env_str("CACHE_DIR", str(VAR_DIR / "cache")),
            # Each school's chart and evidence page parts in two languages are kept (about
            # 20,000 entries for Ontario): room for those of the data's version and the last.
            "OPTIONS": {"MAX_ENTRIES": 60000},
        }
    )
}

# Logs (capacity/operations/logs.py): human-readable text, or one JSON object a line;
# every line written during a request carries its id. One access line per request
# (capacity.request, INFO) unless CAPACITY_ACCESS_LOG is off (off in tests).
CAPACITY_LOG_FORMAT = env_choice("CAPACITY_LOG_FORMAT", "text", LOG_FORMATS)
CAPACITY_ACCESS_LOG = env_bool("CAPACITY_ACCESS_LOG", ENVIRONMENT != "test")
LOGGING = logging_config(
    format=CAPACITY_LOG_FORMAT,
    level=env_str("LOG_LEVEL", "WARNING"),
    access_log=CAPACITY_ACCESS_LOG,
)

# The background worker's heartbeat (capacity/operations/heartbeat.py): it beats every
# CAPACITY_HEARTBEAT_SECONDS; /healthz fails when no worker beat within
# CAPACITY_HEARTBEAT_STALE_SECONDS, unless the site runs without one (CAPACITY_EXPECT_WORKER
# off, which `capacity serve --no-background` sets when the variable is not set).
CAPACITY_HEARTBEAT_SECONDS = env_int("CAPACITY_HEARTBEAT_SECONDS", 30, minimum=1)
CAPACITY_HEARTBEAT_STALE_SECONDS = env_int(
    "CAPACITY_HEARTBEAT_STALE_SECONDS",
    3 * CAPACITY_HEARTBEAT_SECONDS,
    minimum=CAPACITY_HEARTBEAT_SECONDS + 1,
)
CAPACITY_EXPECT_WORKER = env_bool("CAPACITY_EXPECT_WORKER", True)

# The disclosure rule (small groups, complementary suppression): a TOML file; default capacity/evidence/disclosure.toml.
CAPACITY_DISCLOSURE_RULE = env_str("CAPACITY_DISCLOSURE_RULE", "")
# Seconds a process trusts the evidence data version it last read before
# reading it again (the version keys the analytics cache).
CAPACITY_DATA_VERSION_TTL = (
    0.0 if ENVIRONMENT == "test" else float(env_int("CAPACITY_DATA_VERSION_TTL", 2, minimum=0))
)
# After new data, an analysis is computed by one process at a time (capacity/evidence/selectors.py,
# `cached`): the others read its previous answer meanwhile, or, with none, wait for it up to
# CAPACITY_COMPUTE_WAIT seconds before computing it themselves. A request that has already run
# CAPACITY_STALE_AFTER seconds reads the previous answer of any analysis not yet computed
# rather than computing it (so a page that needs many stays within the server's timeout);
# the next request or the worker computes it.
CAPACITY_COMPUTE_WAIT = float(env_int("CAPACITY_COMPUTE_WAIT", 10, minimum=0))
# (The tests compute everything unless a test says otherwise: a slow machine must not make a page older.)
CAPACITY_STALE_AFTER = (
    3600.0 if ENVIRONMENT == "test" else float(env_int("CAPACITY_STALE_AFTER", 5, minimum=0))
)

# Days an API token lives unless its maker asks for fewer (or more, up to a year).
CAPACITY_API_TOKEN_DAYS = env_int("CAPACITY_API_TOKEN_DAYS", 90, minimum=1)

# Email (notifications): the console backend by default, so a laptop prints mail instead of
# sending it; set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST... for SMTP.
# Tests use Django's in-memory backend (pytest-django sets it), whatever the environment says.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Capacity <capacity@localhost>")
# The site's address, put before the page's path in the links emails carry.
CAPACITY_SITE_URL = env_str("CAPACITY_SITE_URL", "http://127.0.0.1:8000")

# How many results a school list shows per page.
CAPACITY_PAGE_SIZE = env_int("CAPACITY_PAGE_SIZE", 50, minimum=5)
# The largest student-level results file the web page counts (held in memory, never stored:
# docs/data-formats.md, "Student-level results").
CAPACITY_STUDENT_UPLOAD_MAX_MB = env_int("CAPACITY_STUDENT_UPLOAD_MAX_MB", 200, minimum=1)

# School identifiers (capacity/schoolnumbers.py): the regular expression a whole school number
# matches, the length a digits-only number is padded to with leading zeros (0: never), and an
# example for messages. Ontario's five or six digits by default; a national file with longer
# identifiers needs its jurisdiction's scheme. Checked here, so a bad scheme stops start-up.
CAPACITY_SCHOOL_NUMBER_PATTERN = env_str("CAPACITY_SCHOOL_NUMBER_PATTERN", ONTARIO_PATTERN)
CAPACITY_SCHOOL_NUMBER_PAD = env_int("CAPACITY_SCHOOL_NUMBER_PAD", ONTARIO_PAD, minimum=0)
CAPACITY_SCHOOL_NUMBER_EXAMPLE = env_str("CAPACITY_SCHOOL_NUMBER_EXAMPLE", ONTARIO_EXAMPLE)
_school_number_problems = SchoolNumberScheme(
    CAPACITY_SCHOOL_NUMBER_PATTERN, CAPACITY_SCHOOL_NUMBER_PAD, CAPACITY_SCHOOL_NUMBER_EXAMPLE
).problems()
if _school_number_problems:
    raise ConfigError(" ".join(_school_number_problems))
