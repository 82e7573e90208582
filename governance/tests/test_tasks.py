"""The weekly holiday-data check: one Chinese email per missing year, never twice, retried after a failed send.

The last two tests run a real Celery worker (and beat) on the embedded filesystem broker, in subprocesses with
their own var/ folder and SQLite file: the same path `make run` takes, with nothing eager about it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from governance.models import OfficeAlert
from governance.roles import OFFICE
from governance.tasks import calendar_coverage_check
from governance.tests.factories import HolidayYearFactory, UserFactory
from tests.processes import celery_process

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# A Sunday in late November: chinesecalendar 1.11 knows 2026 but not 2027, which is 40 days away.
NOV_22_2026 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)
ADMIN_ADD_LINK = "/admin/governance/holidayyear/add/"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = "https://portal.example.edu.cn"
    return settings.SITE_URL


@pytest.mark.django_db
def test_the_check_emails_the_office_once_in_chinese_about_next_years_missing_holidays(
    office_user, smtp_sink, site_url
):
    UserFactory(username="teacher")  # not office staff: gets nothing

    with time_machine.travel(NOV_22_2026, tick=False):
        result = calendar_coverage_check.apply()

    assert result.successful(), result.traceback
    assert result.get() == [2027]
    assert len(smtp_sink.messages) == 1
    sent = smtp_sink.messages[0]
    assert sent["to"] == ["office@example.edu.cn"]
    assert smtp_sink.subjects() == ["请录入2027年法定节假日安排"]
    body = smtp_sink.bodies()[0]
    assert "系统尚无2027年的法定节假日和调休数据" in body
    assert f"https://portal.example.edu.cn{ADMIN_ADD_LINK}" in body
    alert = OfficeAlert.objects.get()
    assert alert.key == "holidays-missing-2027"
    assert alert.sent_at is not None


@pytest.mark.django_db
def test_running_the_check_again_sends_nothing_more(office_user, smtp_sink):
    with time_machine.travel(NOV_22_2026, tick=False):
        calendar_coverage_check.apply()
        second = calendar_coverage_check.apply()

    assert second.successful(), second.traceback
    assert len(smtp_sink.messages) == 1
    assert OfficeAlert.objects.count() == 1


@pytest.mark.django_db
def test_once_the_office_enters_2027_nothing_more_about_2027_is_sent(office_user, smtp_sink):
    with time_machine.travel(NOV_22_2026, tick=False):
        calendar_coverage_check.apply()
    assert smtp_sink.subjects() == ["请录入2027年法定节假日安排"]

    HolidayYearFactory(year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知")

    # The first check of the new year: 2027 is covered by the office's own table now.
    with time_machine.travel(dt.datetime(2027, 1, 4, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert calendar_coverage_check.apply().get() == []
    assert len(smtp_sink.messages) == 1

    # Next November only 2028 is missing.
    with time_machine.travel(dt.datetime(2027, 11, 22, 8, 0, tzinfo=SHANGHAI), tick=False):
        assert calendar_coverage_check.apply().get() == [2028]
    assert smtp_sink.subjects() == ["请录入2027年法定节假日安排", "请录入2028年法定节假日安排"]
    assert "2027" not in smtp_sink.bodies()[1]


@pytest.mark.django_db
def test_with_2027_entered_before_the_first_check_no_email_is_sent(office_user, smtp_sink):
    HolidayYearFactory(year=2027)

    with time_machine.travel(NOV_22_2026, tick=False):
        assert calendar_coverage_check.apply().get() == []

    assert smtp_sink.messages == []
    assert not OfficeAlert.objects.exists()


@pytest.mark.django_db
def test_a_failed_smtp_send_leaves_the_alert_unsent_and_the_next_run_sends_it(
    office_user, smtp_sink, settings
):
    settings.EMAIL_PORT = _closed_port()

    with time_machine.travel(NOV_22_2026, tick=False), pytest.raises(ConnectionRefusedError):
        calendar_coverage_check()

    alert = OfficeAlert.objects.get(key="holidays-missing-2027")
    assert alert.sent_at is None
    assert smtp_sink.messages == []

    settings.EMAIL_PORT = smtp_sink.port
    with time_machine.travel(NOV_22_2026 + dt.timedelta(days=7), tick=False):
        assert calendar_coverage_check.apply().successful()

    alert.refresh_from_db()
    assert alert.sent_at is not None
    assert smtp_sink.subjects() == ["请录入2027年法定节假日安排"]


# --- a real worker (and beat) on the embedded filesystem broker ---------------------------------------------------

BASE_DIR = Path(settings.BASE_DIR)
TASK_NAME = "governance.tasks.calendar_coverage_check"
WAIT_SECONDS = 90


def _embedded_env(workdir: Path, *, smtp_port: int) -> dict[str, str]:
    """The environment of `make run` without REDIS_URL, but with its own var/ folder and SQLite file."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="governance.settings.test",
        VAR_DIR=str(workdir / "var"),
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        # Empty rather than absent, so a developer's .env cannot switch this test to Redis.
        REDIS_URL="",
        TEST_SMTP_PORT=str(smtp_port),
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING="utf-8",
    )
    return env


def _manage(env: dict[str, str], *args: str, timeout: int = 180) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args[:1])} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _sent_alert_keys(db_file: Path) -> set[str]:
    with sqlite3.connect(db_file, timeout=10) as conn:
        rows = conn.execute("SELECT key FROM governance_officealert WHERE sent_at IS NOT NULL").fetchall()
    return {key for (key,) in rows}


def _wait_for(condition, *, procs: dict[str, tuple[subprocess.Popen, Path]], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        for name, (proc, log) in procs.items():
            if proc.poll() is not None:
                pytest.fail(f"celery {name} exited ({proc.returncode}):\n{log.read_text(errors='replace')}")
        time.sleep(0.5)
    logs = "\n".join(f"--- {name}\n{log.read_text(errors='replace')}" for name, (_p, log) in procs.items())
    pytest.fail(f"gave up after {WAIT_SECONDS} s waiting for {what}\n{logs}")


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory) -> Path:
    """One migrated SQLite file per module; each test works on a copy."""
    workdir = tmp_path_factory.mktemp("embedded-template")
    _manage(_embedded_env(workdir, smtp_port=_closed_port()), "migrate", "--noinput")
    return workdir / "db.sqlite3"


@pytest.fixture
def embedded_site(tmp_path, migrated_db, smtp_sink) -> tuple[dict[str, str], Path]:
    shutil.copy(migrated_db, tmp_path / "db.sqlite3")
    return _embedded_env(tmp_path, smtp_port=smtp_sink.port), tmp_path / "db.sqlite3"


# Creates an office user and prints the years the check should report today (this process knows the real date;
# the worker is a separate process that time_machine cannot reach).
SETUP_OFFICE = f"""
import json
from django.contrib.auth.models import Group, User
from django.utils import timezone
from governance.services.workdays import missing_years, years_in_use
user = User.objects.create_user("office", "office@example.edu.cn", "x", is_staff=True)
user.groups.add(Group.objects.get(name={OFFICE!r}))
print(json.dumps(missing_years(years_in_use(timezone.localdate()))))
"""

ENQUEUE_AFTER_COMMIT = f"""
from django.db import transaction
from governance.tasks import calendar_coverage_check
with transaction.atomic():
    transaction.on_commit(calendar_coverage_check.delay)
print("queued {TASK_NAME}")
"""


_SUCCEEDED = re.compile(rf"Task {re.escape(TASK_NAME)}\[[0-9a-f-]+\] succeeded")


def _expected_keys(setup_output: str) -> set[str]:
    years = json.loads(setup_output.strip().splitlines()[-1])
    # On 2026-11-22 this is [2027]: 2027 is 40 days away and chinesecalendar 1.11 stops at 2026.
    assert years, "no year in use lacks holiday data today, so the check has nothing observable to do"
    return {f"holidays-missing-{year}" for year in years}


def test_a_real_worker_on_the_filesystem_broker_runs_the_queued_check(embedded_site, smtp_sink, tmp_path):
    env, db_file = embedded_site
    expected = _expected_keys(_manage(env, "shell", "-c", SETUP_OFFICE))
    worker_log = tmp_path / "worker.log"
    worker_args = ("worker", "--pool", "solo", "--concurrency", "1", "--loglevel", "INFO")
    worker_args += ("--without-mingle", "--without-gossip", "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h")

    with celery_process(env, worker_log, *worker_args) as worker:
        assert "queued" in _manage(env, "shell", "-c", ENQUEUE_AFTER_COMMIT)
        _wait_for(
            lambda: (
                expected <= _sent_alert_keys(db_file)
                and _SUCCEEDED.search(worker_log.read_text(errors="replace"))
            ),
            procs={"worker": (worker, worker_log)},
            what=f"the worker to run {TASK_NAME}",
        )

    log = worker_log.read_text(errors="replace")
    assert "filesystem://" in log
    assert f"Task {TASK_NAME}[" in log
    assert len(smtp_sink.messages) == len(expected)
    assert smtp_sink.messages[0]["to"] == ["office@example.edu.cn"]


SCHEDULE_EVERY_TWO_SECONDS = f"""
from django_celery_beat.models import IntervalSchedule, PeriodicTask
task = PeriodicTask.objects.get(task={TASK_NAME!r})  # the default row post_migrate created
task.interval, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.SECONDS)
task.crontab = None
task.save()
print(task.name)
"""


def test_beat_sends_the_database_schedule_to_a_worker_and_the_office_gets_one_email(
    embedded_site, smtp_sink, tmp_path
):
    env, db_file = embedded_site
    expected = _expected_keys(_manage(env, "shell", "-c", SETUP_OFFICE))
    schedule_name = _manage(env, "shell", "-c", SCHEDULE_EVERY_TWO_SECONDS).strip().splitlines()[-1]
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    worker_args = ("worker", "--pool", "solo", "--concurrency", "1", "--loglevel", "INFO")
    worker_args += ("--without-mingle", "--without-gossip", "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h")
    beat_args = ("beat", "--loglevel", "INFO", "--max-interval", "1", "--pidfile", str(tmp_path / "beat.pid"))

    with (
        celery_process(env, worker_log, *worker_args) as worker,
        celery_process(env, beat_log, *beat_args) as beat,
    ):
        procs = {"worker": (worker, worker_log), "beat": (beat, beat_log)}
        _wait_for(lambda: expected <= _sent_alert_keys(db_file), procs=procs, what="the scheduled check")
        # Let beat send it again: a second run must not email twice.
        _wait_for(
            lambda: len(_SUCCEEDED.findall(worker_log.read_text(errors="replace"))) >= 2,
            procs=procs,
            what="a second scheduled run",
        )

    beat_output = beat_log.read_text(errors="replace")
    assert "django_celery_beat.schedulers.DatabaseScheduler" in beat_output
    assert f"Sending due task {schedule_name} ({TASK_NAME})" in beat_output
    assert len(smtp_sink.messages) == len(expected)
