"""Subprocesses the tests start and must always stop: Celery workers and beat, each in a process group of its own.

Used by tests/services (a worker on Redis) and governance/tests/test_tasks.py (a worker and beat on the embedded
filesystem broker).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def stop_process_group(proc: subprocess.Popen) -> None:
    """Stop a process started with start_new_session=True and everything it started: SIGTERM, then SIGKILL."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextmanager
def celery_process(env: dict[str, str], log: Path, *args: str) -> Iterator[subprocess.Popen]:
    """Run `celery -A governance <args>` in its own process group, its output in `log`; always stopped at the end."""
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and celery
            [sys.executable, "-m", "celery", "-A", "governance", *args],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            stop_process_group(proc)
