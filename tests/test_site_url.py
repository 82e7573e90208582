"""`PORT=8001 make run`: the links in reminder emails, calendar feeds and the calendar page name port 8001 (issue 8).

SITE_URL prefixes every link read outside the site. Unset, it follows the port the embedded default serves on; set,
it wins. A settings module is evaluated once per process, so the settings cases run in fresh interpreters; the
`make run` case runs the Makefile's real target with the real honcho, only with stand-ins for the venv's python
(no migrate, no seed) and for the Procfile (each process writes down its environment instead of serving).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from governance.models import Person
from governance.services.demo import demo_seed
from governance.services.icalendar_feed import calendar_feed_regenerate
from governance.services.reminders import reminders_collect
from governance.tasks import send_digest

BASE_DIR = Path(django_settings.BASE_DIR)
SHANGHAI = ZoneInfo("Asia/Shanghai")

PRINT_SITE_URL = "from django.conf import settings; print(settings.SITE_URL)"


def _clean_env(tmp_path: Path, **env: str) -> dict[str, str]:
    """What a shell would have, plus the case's variables: no SITE_URL, PORT or WEB_PORT leaks in from this run."""
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
    base.update(DJANGO_SETTINGS_MODULE="governance.settings.local", VAR_DIR=str(tmp_path / "var"), **env)
    return base


def site_url_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", PRINT_SITE_URL],
        cwd=BASE_DIR,
        env=_clean_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def site_url(tmp_path: Path, **env: str) -> str:
    done = site_url_with(tmp_path, **env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture
def no_local_env_file_site_url():
    env_file = BASE_DIR / ".env"
    if env_file.exists() and any(
        line.strip().startswith(("SITE_URL=", "PORT=", "WEB_PORT="))
        for line in env_file.read_text(errors="replace").splitlines()
    ):
        pytest.skip("a local .env sets SITE_URL, PORT or WEB_PORT")


# --- the settings ------------------------------------------------------------------------------------------------

pytestmark = pytest.mark.usefixtures("no_local_env_file_site_url")


def test_without_a_port_or_site_url_the_links_name_port_8000(tmp_path):
    assert site_url(tmp_path) == "http://127.0.0.1:8000"


def test_port_8001_without_site_url_gives_links_to_port_8001(tmp_path):
    assert site_url(tmp_path, PORT="8001") == "http://127.0.0.1:8001"


def test_an_explicit_site_url_wins_over_the_port(tmp_path):
    assert (
        site_url(tmp_path, PORT="8001", WEB_PORT="8001", SITE_URL="https://portal.example.edu.cn/")
        == "https://portal.example.edu.cn"
    )


def test_an_empty_site_url_counts_as_unset(tmp_path):
    assert site_url(tmp_path, PORT="8001", SITE_URL="") == "http://127.0.0.1:8001"


def test_the_web_servers_port_wins_over_the_port_honcho_gives_the_worker(tmp_path):
    # honcho hands the worker PORT+100; make run hands every process the web server's port as WEB_PORT.
    assert site_url(tmp_path, PORT="8101", WEB_PORT="8001") == "http://127.0.0.1:8001"


def test_a_port_that_is_not_a_port_number_is_refused_in_chinese(tmp_path):
    done = site_url_with(tmp_path, PORT="80o1")

    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "PORT 应为 1 至 65535 之间的端口号，而不是 '80o1'。" in done.stderr


# --- make run: every process of the site gets the web server's port ------------------------------------------------


FAKE_PROCFILE = """\
web: env > "$ENV_OUT/web.env"; sleep 3
worker: env > "$ENV_OUT/worker.env"; sleep 3
beat: env > "$ENV_OUT/beat.env"; sleep 3
"""


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_on_port_8001_gives_web_worker_and_beat_links_to_port_8001(tmp_path):
    """The real `run` target and the real honcho; the venv's python does nothing (no migrate, no seed), and
    honcho reads a Procfile whose processes write down their environment."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    out = tmp_path / "env"
    out.mkdir()
    procfile = tmp_path / "Procfile"
    procfile.write_text(FAKE_PROCFILE)
    real_honcho = BASE_DIR / ".venv" / "bin" / "honcho"
    scripts = {
        "python": "#!/bin/sh\nexit 0\n",
        "honcho": f'#!/bin/sh\nexec "{real_honcho}" start -f "{procfile}" --no-colour\n',
    }
    for name, text in scripts.items():
        (venv / "bin" / name).write_text(text)
        (venv / "bin" / name).chmod(0o755)
    (venv / ".synced").touch()  # newer than uv.lock: make does not sync this stand-in venv
    os.utime(venv / ".synced", (9_999_999_999, 9_999_999_999))

    done = subprocess.run(
        ["make", "--no-print-directory", "run", f"VENV={venv}", f"VAR_DIR={tmp_path / 'var'}"],  # noqa: S607
        cwd=BASE_DIR,
        env=_clean_env(tmp_path, PORT="8001", ENV_OUT=str(out)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "http://127.0.0.1:8001/" in (tmp_path / "var" / "run-banner.txt").read_text()

    for process in ("web", "worker", "beat"):
        env = dict(
            line.split("=", 1) for line in (out / f"{process}.env").read_text().splitlines() if "=" in line
        )
        assert env["WEB_PORT"] == "8001", process
        keep = {k: env[k] for k in ("PORT", "WEB_PORT")}
        assert site_url(tmp_path, **keep) == "http://127.0.0.1:8001", (process, keep)
    # honcho did give the worker and beat ports of their own: that is why WEB_PORT comes first.
    assert {"8101", "8201"} <= {
        line.split("=", 1)[1]
        for name in ("worker", "beat")
        for line in (out / f"{name}.env").read_text().splitlines()
        if line.startswith("PORT=")
    }


# --- what the links look like: the calendar page, the .ics and the reminder email --------------------------------

PORT_8001 = "http://127.0.0.1:8001"
WEDNESDAY = dt.datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture
def demo(db, settings):
    settings.SITE_URL = PORT_8001
    with time_machine.travel(WEDNESDAY, tick=False):
        demo_seed()
        yield


def links_in(text: str) -> list[str]:
    return re.findall(r"(?:https?|webcal)://[^\s\"'<>]+", text)


def test_the_calendar_page_and_every_address_inside_the_ics_name_port_8001(client, demo):
    person = Person.objects.get(user__username="wxy_shuji")
    client.force_login(person.user)
    feed = calendar_feed_regenerate(person=person)
    path = reverse("calendar:feed", args=[feed.token])

    page = client.get(reverse("calendar:page")).content.decode()

    assert f"{PORT_8001}{path}" in page
    assert f"webcal://127.0.0.1:8001{path}" in page
    assert ":8000" not in page

    response = client.get(path)
    cal = icalendar.Calendar.from_ical(response.content)

    urls = [str(e["URL"]) for e in cal.events if e.get("URL")]
    handle = [
        line.removeprefix("办理：")
        for e in cal.events
        for line in str(e.get("DESCRIPTION", "")).splitlines()
        if line.startswith("办理：")
    ]
    assert urls  # the demo's meetings
    assert handle  # and deadlines
    assert all(u.startswith(f"{PORT_8001}/") for u in [*urls, *handle]), [*urls, *handle]
    assert ":8000" not in response.content.decode()


def test_the_reminder_emails_handle_links_name_port_8001(
    demo, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queued: list[int] = []
    monkeypatch.setattr(send_digest, "delay", queued.append)
    with time_machine.travel(WEDNESDAY, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_collect(today=WEDNESDAY.date())
        for digest_id in queued:
            assert send_digest.apply(args=(digest_id,)).successful()

    assert mail.outbox, "the demo's overdue 碰头会 sends 文学院's secretary a digest"
    for message in mail.outbox:
        text = message.body + "".join(str(content) for content, _type in message.alternatives)
        handle = [
            line.strip().removeprefix("办理：") for line in message.body.splitlines() if "办理：" in line
        ]
        assert handle, message.subject
        assert all(link.startswith(f"{PORT_8001}/") for link in [*handle, *links_in(text)]), links_in(text)
        assert ":8000" not in text
