"""Test settings: fast hashing, email to a real SMTP sink where a test starts one, no HTTPS redirects."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import REDIS_URL, env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("TEST_SMTP_PORT", default=8025)
EMAIL_USE_TLS = False
EMAIL_HOST_USER = ""
EMAIL_HOST_PASSWORD = ""
AXES_FAILURE_LIMIT = 3
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# pytest-xdist runs the suite in several worker processes at once (`make test`); pytest-django gives each its own
# test database, and here each gets its own cache keys and var/ folders, so no worker sees another's data.
XDIST_WORKER = env("PYTEST_XDIST_WORKER", default="") or "main"

if REDIS_URL:
    # One Redis database for every worker: each has keys of its own (conftest clears only its own, never FLUSHDB).
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": f"test-{XDIST_WORKER}"}}  # noqa: F405
else:
    # The suite's own cache, never the development server's file cache under var/ (conftest clears it per test).
    # In memory: of one worker process only.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The filesystem broker's folders of this worker: a `make run` worker on var/celery never takes a test's tasks.
    CELERY_QUEUE_DIR = VAR_DIR / "test" / XDIST_WORKER / "celery"  # noqa: F405
    for _sub in ("out", "processed", "control"):
        (CELERY_QUEUE_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(CELERY_QUEUE_DIR / "out"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "out"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
    }
