"""CI-only tests against real PostgreSQL and Redis (.ci/run's service pass sets DATABASE_URL and REDIS_URL).

Everything under tests/services/ is marked `services` and skips itself unless both services are configured, so
the embedded pass (`make test`, SQLite and the filesystem broker) never needs them. `redis_worker` is a real
Celery worker process on those services, for the tests that queue tasks through Redis.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.processes import celery_process

HERE = Path(__file__).resolve().parent
WAIT_SECONDS = 60


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


def _test_database_url() -> str:
    """pytest-django's test database (test_<name>) as a URL for the worker process."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


@dataclass
class Worker:
    proc: Popen
    log: Path
    queue: str

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if condition():
                return
            if self.proc.poll() is not None:
                pytest.fail(f"the worker exited ({self.proc.returncode}):\n{self.output()}")
            time.sleep(0.3)
        pytest.fail(f"gave up after {WAIT_SECONDS} s waiting for {what}:\n{self.output()}")


def _forget_queue(queue: str) -> None:
    """Remove the test queue's list and kombu's bindings for it, so repeated runs leave nothing behind."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.close()


@pytest.fixture
def redis_worker(transactional_db, smtp_sink, tmp_path) -> Iterator[Worker]:
    """A real `celery -A governance worker --pool solo` process on the test database, Redis and the SMTP sink.

    It listens on a queue of its own (`worker.queue`), so no other worker on the same Redis (a developer's
    `make run`) takes the test's tasks: send them there with `apply_async(queue=worker.queue)`.
    """
    queue = f"portal-test-{uuid.uuid4().hex[:12]}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="governance.settings.test",
        DATABASE_URL=_test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        TEST_SMTP_PORT=str(smtp_sink.port),
        VAR_DIR=str(tmp_path / "var"),
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING="utf-8",
    )
    args = ["worker", "--pool", "solo", "-c", "1", "--loglevel", "INFO", "--queues", queue]
    args += ["--hostname", f"{queue}@%h", "--without-mingle", "--without-gossip"]
    log = tmp_path / "worker.log"
    try:
        # Stopped on leaving, before pytest-django flushes (and later drops) the test database it is connected to.
        with celery_process(env, log, *args) as proc:
            yield Worker(proc, log, queue)
    finally:
        _forget_queue(queue)
