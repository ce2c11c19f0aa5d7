"""Django settings. Two profiles: TUOPIN_ENV=demo (default, plain HTTP on 127.0.0.1) and production."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TUOPIN_VAR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file, reports and snapshots live here
ENV = os.environ.get("TUOPIN_ENV", "demo")
PRODUCTION = ENV == "production"

if PRODUCTION:
    SECRET_KEY = os.environ["TUOPIN_SECRET_KEY"]
    DEBUG = False
    ALLOWED_HOSTS = [h for h in os.environ.get("TUOPIN_ALLOWED_HOSTS", "").split(",") if h]
else:
    # The demo profile serves only 127.0.0.1; a fixed key keeps sessions across restarts.
    SECRET_KEY = os.environ.get("TUOPIN_SECRET_KEY", "demo-only-not-secret-tuopin-0123456789abcdefghijklmnop")
    DEBUG = os.environ.get("TUOPIN_DEBUG", "") == "1"
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # login throttling and lockout (decision 0900)
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",  # the backport of Django 6's tasks framework (decision 1130)
    "django_tasks_db",  # its database backend: the queue is a table, on SQLite and PostgreSQL alike
    "tuopin.apps.accounts",
    "tuopin.apps.audit",
    "tuopin.apps.geo",
    "tuopin.apps.registry",
    "tuopin.apps.procedures",
    "tuopin.apps.assessment",
    "tuopin.apps.organisation",
    "tuopin.apps.assistance",
    "tuopin.apps.policy",
    "tuopin.apps.projects",
    "tuopin.apps.aid",
    "tuopin.apps.revenue",
    "tuopin.apps.housing",
    "tuopin.apps.monitoring",
    "tuopin.apps.campaigns",
    "tuopin.apps.fieldwork",
    "tuopin.apps.evaluation",
    "tuopin.apps.integrity",
    "tuopin.apps.durability",
    "tuopin.apps.demo",
    "tuopin.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tuopin.web.csp.ContentSecurityPolicyMiddleware",  # before whitenoise: static files get it too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tuopin.apps.audit.middleware.AuditContextMiddleware",  # client address on events; reads audited (1151, 1152)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tuopin.web.middleware.NoStoreMiddleware",
    "tuopin.web.access.RefusalAuditMiddleware",  # decision 1100
    "tuopin.apps.accounts.middleware.IdleTimeoutMiddleware",
    "tuopin.apps.accounts.middleware.PasswordChangeRequiredMiddleware",  # decision 1200
    "tuopin.apps.accounts.middleware.EnrolmentRequiredMiddleware",  # decision 0908
    "axes.middleware.AxesMiddleware",
    "tuopin.web.errors.ErrorPagesMiddleware",  # a refused year: its page; a busy database: 503 (1140, 1141)
]

ROOT_URLCONF = "tuopin.config.urls"
WSGI_APPLICATION = "tuopin.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tuopin.sqlite3'}"
    db = dj_database_url.parse(url, conn_max_age=60)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL + busy timeout + IMMEDIATE transactions: several server processes can write
        # without "database is locked" (decision 0007). Each worker keeps its connection like PostgreSQL's
        # (conn_max_age above): opening one and parsing the schema again cost ~4 ms a request (decision 0957).
        # The busy timeout: how long a writer waits for another (an import holds one long transaction, 0954).
        # Commands wait 20 s; the web server 5 s (wsgi.py), then answers 503 "busy, try again" (decision 1141).
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("TUOPIN_SQLITE_TIMEOUT", "20")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
        # The test database is a file under var/ as the production one is (pytest-xdist gives each worker its own,
        # test.sqlite3_gw0 …), not Django's default in-memory database with SQLite's shared cache, in which some
        # statements ran tens of times slower than on a file (decision 1629).
        db["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tuopin.apps.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
# Argon2id first (decision 0900); the others only verify hashes made before and are upgraded on login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# The throttling backend first: a locked-out username+IP is refused before the password is checked.
AUTHENTICATION_BACKENDS = [
    "tuopin.apps.accounts.backends.ThrottlingBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("TUOPIN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours: a lockout lifts by itself after 30 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tuopin.web.views.login.locked_out"
AXES_VERBOSE = False
# The second step's code is a login parameter axes records for failed attempts: never stored in clear.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Wrong codes after one password step before the password must be given again (decision 1150); every wrong code
# also counts towards AXES_FAILURE_LIMIT, with the wrong passwords, and a new password step does not reset that.
TOTP_CODE_ATTEMPTS = int(os.environ.get("TUOPIN_TOTP_CODE_ATTEMPTS", "3"))
# Refusals of ID numbers already registered, per account that may not see ID numbers, within a window of days,
# before every new ID number it writes is refused alike (registry/id_refusals.py, decision 1103).
ID_REFUSALS_LIMIT = int(os.environ.get("TUOPIN_ID_REFUSALS_LIMIT", "5"))
ID_REFUSALS_WINDOW_DAYS = int(os.environ.get("TUOPIN_ID_REFUSALS_WINDOW_DAYS", "30"))
# The public monitoring application form (防返贫 农户自主申报, decision 1402): applications accepted from one client
# address within a window of hours; beyond it the form answers "try again later" and stores nothing.
PUBLIC_APPLICATION_LIMIT = int(os.environ.get("TUOPIN_PUBLIC_APPLICATION_LIMIT", "3"))
PUBLIC_APPLICATION_WINDOW_HOURS = int(os.environ.get("TUOPIN_PUBLIC_APPLICATION_WINDOW_HOURS", "24"))
# Roles that must give a TOTP code after the password (decision 0903).
TOTP_REQUIRED_ROLES = ["county_admin", "system_admin", "security_admin", "audit_admin"]
# An account of those roles with no secret yet may, after its password, only enrol one (decision 0908). On in
# production; the demo's accounts of those roles come with a secret, and tests log in without one.
TOTP_ENROL_FIRST = PRODUCTION or os.environ.get("TUOPIN_TOTP_ENROL_FIRST", "") == "1"
# Seconds an import waits for another import on the same database before it is refused (decision 0907).
IMPORT_LOCK_WAIT = int(os.environ.get("TUOPIN_IMPORT_WAIT", "600"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Production serves collected files; the demo profile serves straight from the package (finders).
STATIC_ROOT = VAR_DIR / "static" if PRODUCTION else None
MEDIA_ROOT = VAR_DIR / "evidence"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In the demo profile whitenoise serves straight from the package's static folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = False

SESSION_COOKIE_AGE = 12 * 3600  # absolute lifetime: the cookie is not renewed on activity
SESSION_IDLE_TIMEOUT = 30 * 60  # seconds without a request before the session ends
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tuopin.api.errors.exception_handler",  # service errors → 409, 403, 400; busy → 503
}
SPECTACULAR_SETTINGS = {
    "TITLE": "tuopin API",
    "DESCRIPTION": "Registry of targeted poverty alleviation: regions, households, persons, yearly records.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # The grade found and the grade after a renovation (改造后鉴定等级) share one set of choices: one name.
    "ENUM_NAME_OVERRIDES": {"HousingGradeEnum": "tuopin.apps.registry.choices.HousingGrade"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask": {"()": "tuopin.apps.audit.logging.MaskPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Imports (decisions 0953, 1211): files above this size are refused before they are opened (a county's own
# export of 170,000 persons is 56 MB xlsx, 79 MB csv); a workbook inflating past IMPORT_MAX_INFLATED_MB is a zip
# bomb; a file of more than IMPORT_MAX_ROWS data rows is refused while it is read.
IMPORT_MAX_MB = int(os.environ.get("TUOPIN_IMPORT_MAX_MB", "200"))
IMPORT_MAX_INFLATED_MB = int(os.environ.get("TUOPIN_IMPORT_MAX_INFLATED_MB", "2048"))
IMPORT_MAX_ROWS = int(os.environ.get("TUOPIN_IMPORT_MAX_ROWS", "1000000"))

# Heavy documents (the area reports, a household's file) are made by a background worker, once per data version,
# and kept under DOCUMENTS_DIR (decision 1130). DOCUMENT_JOBS is how many are made at a time: the number of worker
# processes `tuopin worker` (and `tuopin serve` in the demo profile) runs, each making one document at a time.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["documents"]},
}
DOCUMENTS_DIR = VAR_DIR / "documents"
DOCUMENT_JOBS = int(os.environ.get("TUOPIN_DOCUMENT_JOBS", "1"))
# The worker runs at this niceness: pages preempt it, so a queue of reports does not slow browsing.
DOCUMENT_NICE = int(os.environ.get("TUOPIN_DOCUMENT_NICE", "10"))
# and under Linux's SCHED_IDLE: it runs on CPU time no page wants (decision 1130; TUOPIN_DOCUMENT_IDLE=0: nice only).
DOCUMENT_IDLE = os.environ.get("TUOPIN_DOCUMENT_IDLE", "1") == "1"
# Seconds between reloads of the "being made" page: the first when the document is next, growing with the queue
# before it up to the second; and after which a job that started and never finished (its worker killed) is
# started again.
DOCUMENT_REFRESH_SECONDS = 2
DOCUMENT_REFRESH_MAX_SECONDS = 30
DOCUMENT_JOB_TIMEOUT = int(os.environ.get("TUOPIN_DOCUMENT_JOB_TIMEOUT", "600"))

# Accounts created by `tuopin demo`; only they get real password hashes.
DEMO_ACCOUNTS_FILE = VAR_DIR / "demo-accounts.json"
