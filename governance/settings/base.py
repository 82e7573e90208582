"""Settings shared by every environment. Everything site-specific comes from the environment (django-environ)."""

from __future__ import annotations

import datetime
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(str(BASE_DIR / ".env"), overwrite=False)

# var/ holds everything the embedded default writes: the SQLite database, the demo's secret key,
# the filesystem broker's queues, private uploads. It is git-ignored.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])


def _embedded_port() -> int:
    """The port the embedded default's web server listens on. `make run` starts it with honcho, which gives each of
    its processes a PORT of its own (the worker PORT+100, beat PORT+200); the Makefile therefore hands every process
    the web server's port as WEB_PORT, which comes first. Outside `make run`, PORT; else 8000."""
    for name in ("WEB_PORT", "PORT"):
        value = env.str(name, default="").strip()
        if value:
            if not value.isdigit() or not 0 < int(value) < 65536:
                raise ImproperlyConfigured(f"{name} 应为 1 至 65535 之间的端口号，而不是 {value!r}。")
            return int(value)
    return 8000


# The address that prefixes every link in reminder emails and calendar feeds. Unset, it follows the port the
# embedded default serves on (`PORT=8001 make run` → http://127.0.0.1:8001); production sets it (governance/checks.py
# refuses a local address there).
# An empty SITE_URL counts as unset.
SITE_URL = (env.str("SITE_URL", default="").strip() or f"http://127.0.0.1:{_embedded_port()}").rstrip("/")

# Applications -------------------------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    # Serves its ProseMirror/Tiptap build from /static/ (the rich-text editor of issue 11); no CDN.
    "django_prose_editor",
    "rules.apps.AutodiscoverRulesConfig",
]
LOCAL_APPS = [
    "governance",
    "communication",
    "outreach",
    "disclosure",
    "supervision",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese unless the user picked English in the switcher: the browser's Accept-Language is not consulted.
    "governance.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The admin is the office's: anyone else signed in gets a page of the portal saying so, not the admin's login.
    "governance.admin_gate.AdminForTheOfficeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After a write, the obligations of the people it touched are evaluated before the answer (governance.middleware).
    "governance.middleware.EvaluateOnWriteMiddleware",
    # axes last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "governance.urls"
WSGI_APPLICATION = "governance.wsgi.application"
ASGI_APPLICATION = "governance.asgi.application"

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
                "governance.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise (PostgreSQL in production) ---------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and beat read while one of them writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and broker: Redis when REDIS_URL is set, otherwise the embedded defaults ---------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A file cache, not a per-process one: the web server, the worker and management commands share the data
    # version that keeps cached dashboards true (governance.services.freshness).
    CACHES = {
        "default": {
            "BACKEND": "governance.cache.FileCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Authentication ------------------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # At least 12 characters (issue 7 §6); the subclass shows Django's own refusal in Chinese (see its docstring).
    {"NAME": "governance.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions (issue 7 §6): they end after a working day without a request (a request restarts the clock, see
# governance/sessions.py) and when the browser closes; changing the password ends the user's other sessions
# (Django's session auth hash; the page that changed it stays logged in).
SESSION_ENGINE = "governance.sessions"
SESSION_COOKIE_AGE = 10 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock on username AND the client's real IP, so one attacker cannot lock out a whole campus NAT (or,
# behind the proxy, everyone), nor one user be guessed from many addresses.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's IP, resolved by django-ipware (axes.helpers.get_client_ip_address). AXES_PROXY_COUNT is the number
# of reverse proxies in front of the site, each appending the address it saw to X-Forwarded-For:
# - 0 (no proxy; `make run`): only REMOTE_ADDR. X-Forwarded-For is then the client's own, forgeable, and ignored.
# - N ≥ 1: the N-th address from the right of X-Forwarded-For, the one the outermost proxy saw. What a client
#   sends itself stays on the left and is never used. django-ipware counts the proxies *listed in* the header,
#   which the last proxy (REMOTE_ADDR) is not: hence N - 1. Not strict, so a forged or malformed left part does
#   not throw the real address away. A request that did not pass every proxy (a header shorter than N) gets
#   REMOTE_ADDR when N = 1, no address when N > 1. Tested in governance/tests/test_security_posture.py.
_proxy_count = env.int("AXES_PROXY_COUNT", default=0)
if _proxy_count < 0:
    raise ImproperlyConfigured("AXES_PROXY_COUNT must be 0 or more (the number of reverse proxies).")
AXES_IPWARE_PROXY_ORDER = "left-most"
if _proxy_count:
    AXES_IPWARE_PROXY_COUNT = _proxy_count - 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_PROXY_COUNT = None
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
IPWARE_STRICT = False

# Internationalisation: Chinese first, English second ----------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Our zh_Hans formats first (a month and day as "11月3日"), then Django's.
FORMAT_MODULE_PATH = ["governance.formats"]

# Static files: Bootstrap comes from the xstatic-bootstrap package at install time, never from a CDN -----------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
try:
    import xstatic.pkg.bootstrap as xstatic_bootstrap

    STATICFILES_DIRS.append(("vendor/bootstrap", xstatic_bootstrap.BASE_DIR))
except ImportError:  # pragma: no cover - the lock file always installs it
    pass
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded attachments are private: never under STATIC or a public MEDIA URL; served by a permission-checked view.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email ----------------------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="党委办公室 <dangban@example.edu.cn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[党委办公室] "
EMAIL_TIMEOUT = 30

# Celery ---------------------------------------------------------------------------------------------------------
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
# acks_late alone does not survive a killed worker: reject so the broker redelivers.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Tasks here finish in seconds; an hour keeps a killed worker's task from waiting long to be redelivered.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # Embedded default: kombu's filesystem transport under var/. A real broker shared by separate worker and
    # beat processes, nothing to install.
    CELERY_QUEUE_DIR = VAR_DIR / "celery"
    for sub in ("out", "processed", "control"):
        (CELERY_QUEUE_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "out"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "out"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        # Broadcast (remote control) exchanges; kombu's default is a folder in the working directory.
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }

# Calendar -------------------------------------------------------------------------------------------------------
# Two-week cycles ("隔周", "每两周") count from this Monday unless a rule names its own anchor.
# After a request that wrote, evaluate the obligations of the people its changes touched before answering
# (governance.middleware.EvaluateOnWriteMiddleware), so that their next dashboard is read, not evaluated.
EVALUATE_ON_WRITE = env.bool("EVALUATE_ON_WRITE", default=True)
BIWEEKLY_ANCHOR = datetime.date.fromisoformat(env("BIWEEKLY_ANCHOR", default="2024-01-01"))

# Security headers -----------------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        # A nonce, never 'unsafe-inline': the one inline script a page may carry is an import map rendered with
        # {% media_with_nonce %} (governance/templatetags/csp_media.py); django-csp sends the nonce only on pages
        # that asked for it.
        "script-src": ["'self'", NONCE],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
