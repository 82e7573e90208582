"""Settings for the benchmark: the local settings, as production would run them (DEBUG off, cached templates),
against the benchmark's own SQLite database under var/bench/ (bench/run.py sets DATABASE_URL before Django starts).

Only what a benchmark needs differs: a URLconf with the floor page, a fast password hasher for the bulk-created
accounts, email kept in memory, and quieter logs.
"""

from __future__ import annotations

import os
from pathlib import Path

from governance.settings.local import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
# ~330 accounts are bulk-created with one precomputed hash; nobody logs in with a password (force_login).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# The benchmark's own file cache: the data version and cached pages belong to the benchmark's database, not to
# the development server's under var/.
CACHES = {
    "default": {
        "BACKEND": "governance.cache.FileCache",
        # bench/run.py's BENCH_VAR_DIR, when given, holds the cache beside its databases.
        "LOCATION": str(Path(os.environ.get("BENCH_VAR_DIR") or VAR_DIR / "bench") / "cache"),  # noqa: F405
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
