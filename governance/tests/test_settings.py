"""Settings per environment, each imported in a fresh interpreter with an environment built from scratch.

A settings module is evaluated once per process, so every case here runs in a subprocess.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)

PRINT_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
from governance.celery import app
print(json.dumps({
    "SECRET_KEY": settings.SECRET_KEY,
    "DEBUG": settings.DEBUG,
    "broker": app.conf.broker_url,
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    "transport_options": {k: str(v) for k, v in app.conf.broker_transport_options.items()},
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "beat_scheduler": app.conf.beat_scheduler,
}))
"""


def _run(args: list[str], *, settings_module: str, var_dir: Path, **env: str) -> subprocess.CompletedProcess:
    # Only what a shell would have, plus what the case sets: no SECRET_KEY, DATABASE_URL or REDIS_URL leaks in.
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
    base.update(DJANGO_SETTINGS_MODULE=settings_module, VAR_DIR=str(var_dir), PYTHONIOENCODING="utf-8", **env)
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _settings(*, settings_module: str, var_dir: Path, **env: str) -> dict:
    done = _run(["-c", PRINT_SETTINGS], settings_module=settings_module, var_dir=var_dir, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _local_env_file_sets(name: str) -> bool:
    env_file = BASE_DIR / ".env"
    return env_file.exists() and any(
        line.strip().startswith(f"{name}=") for line in env_file.read_text(errors="replace").splitlines()
    )


PRODUCTION_ENV = {
    "DEBUG": "False",
    "ALLOWED_HOSTS": "portal.example.edu.cn",
    "SITE_URL": "https://portal.example.edu.cn",
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
}


def test_production_settings_refuse_to_load_without_a_secret_key(tmp_path):
    if _local_env_file_sets("SECRET_KEY"):
        pytest.skip("a local .env sets SECRET_KEY")

    done = _run(
        ["-c", "import django; django.setup()"],
        settings_module="governance.settings.production",
        var_dir=tmp_path,
        **PRODUCTION_ENV,
    )

    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "SECRET_KEY" in done.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path):
    done = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        settings_module="governance.settings.production",
        var_dir=tmp_path,
        SECRET_KEY=secrets.token_urlsafe(60),
        **PRODUCTION_ENV,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize(
    ("site_url", "message"),
    [
        (
            "http://127.0.0.1:8000",
            "SITE_URL 仍指向本机（http://127.0.0.1:8000）：提醒邮件和日历订阅里的链接在用户的电脑上打不开。",
        ),
        ("https://oa.example.edu.cn", "SITE_URL 的主机名 oa.example.edu.cn 不在 ALLOWED_HOSTS 中"),
        (
            "http://portal.example.edu.cn",
            "SITE_URL 使用 http（http://portal.example.edu.cn），而本站只接受 https",
        ),
        ("portal.example.edu.cn", "SITE_URL（'portal.example.edu.cn'）不是完整的网址。"),
    ],
)
def test_the_deployment_checks_refuse_a_site_url_that_emails_cannot_link_to(tmp_path, site_url, message):
    done = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        settings_module="governance.settings.production",
        var_dir=tmp_path,
        SECRET_KEY=secrets.token_urlsafe(60),
        **{**PRODUCTION_ENV, "SITE_URL": site_url},
    )

    assert done.returncode != 0
    assert message in done.stderr + done.stdout


def test_production_settings_turn_debug_off_by_default(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DEBUG"}
    if _local_env_file_sets("DEBUG"):
        pytest.skip("a local .env sets DEBUG")

    loaded = _settings(
        settings_module="governance.settings.production", var_dir=tmp_path, SECRET_KEY="x" * 60, **env
    )

    assert loaded["DEBUG"] is False


def test_local_settings_generate_a_secret_key_once_and_keep_it_under_var_dir(tmp_path):
    if _local_env_file_sets("SECRET_KEY"):
        pytest.skip("a local .env sets SECRET_KEY")

    first = _settings(settings_module="governance.settings.local", var_dir=tmp_path)
    second = _settings(settings_module="governance.settings.local", var_dir=tmp_path)

    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first["DEBUG"] is True


def test_without_redis_url_the_broker_is_the_filesystem_under_var_dir(tmp_path):
    if _local_env_file_sets("REDIS_URL"):
        pytest.skip("a local .env sets REDIS_URL")

    loaded = _settings(settings_module="governance.settings.local", var_dir=tmp_path)

    assert loaded["broker"] == loaded["CELERY_BROKER_URL"] == "filesystem://"
    queue_dir = tmp_path / "celery" / "out"
    assert loaded["transport_options"]["data_folder_in"] == str(queue_dir)
    assert loaded["transport_options"]["data_folder_out"] == str(queue_dir)
    # Created up front: kombu's filesystem transport does not create its folders.
    assert queue_dir.is_dir()
    assert (tmp_path / "celery" / "processed").is_dir()
    # Remote-control broadcasts too: kombu's default would be a folder in the working directory.
    assert loaded["transport_options"]["control_folder"] == str(tmp_path / "celery" / "control")
    assert (tmp_path / "celery" / "control").is_dir()
    assert loaded["beat_scheduler"] == "django_celery_beat.schedulers:DatabaseScheduler"
    # A file cache the web server, the worker and commands share (the data version of cached pages): Django's,
    # culled now and then rather than on every write (governance/cache.py).
    assert loaded["cache"] == "governance.cache.FileCache"
    assert loaded["cache_location"] == str(tmp_path / "cache")


def test_with_redis_url_broker_and_cache_use_that_redis(tmp_path):
    redis_url = "redis://127.0.0.1:6379/7"

    loaded = _settings(settings_module="governance.settings.local", var_dir=tmp_path, REDIS_URL=redis_url)

    assert loaded["broker"] == loaded["CELERY_BROKER_URL"] == redis_url
    assert loaded["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert not (tmp_path / "celery").exists()
    assert loaded["beat_scheduler"] == "django_celery_beat.schedulers:DatabaseScheduler"


def test_an_empty_settings_module_variable_falls_back_to_the_local_settings(tmp_path):
    # A shell's leftover `export DJANGO_SETTINGS_MODULE=` must not break every manage.py command.
    done = _run(["manage.py", "check"], settings_module="", var_dir=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
