"""CI-only tests against real PostgreSQL and Redis (.ci/run's service pass sets DATABASE_URL and REDIS_URL).

Everything under tests/services/ is marked `services` and skips itself unless both services are configured, so
the embedded pass (`make test`, SQLite and the filesystem broker) never needs them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

HERE = Path(__file__).resolve().parent


def services_configured() -> bool:
    return (
        bool(settings.REDIS_URL)
        and settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    )


def pytest_collection_modifyitems(config, items):
    if os.environ.get("CI_SERVICES_REQUIRED") == "1" and not services_configured():
        # .ci/run's service pass: a silent skip here would hide that nothing ran against the services.
        raise pytest.UsageError(
            "CI_SERVICES_REQUIRED=1 but REDIS_URL and a PostgreSQL DATABASE_URL are not both set"
        )
    needs_services = pytest.mark.skipif(
        not services_configured(),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (the service pass of .ci/run)",
    )
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.services)
            item.add_marker(needs_services)
