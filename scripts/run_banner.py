"""Print the banner of `make run` (URL and demo logins) once the dev server answers.

Started by the Procfile's web line, so the banner ends up below the start-up logs of web, worker and beat
instead of scrolling away above them.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path


def main() -> None:
    port = int(os.environ.get("WEB_PORT", "8000"))
    banner = Path(os.environ.get("VAR_DIR", "var")) / "run-banner.txt"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.5)
    time.sleep(0.5)  # runserver prints its own lines right after it starts listening
    if banner.exists():
        print(banner.read_text(encoding="utf-8"), flush=True)


if __name__ == "__main__":
    main()
