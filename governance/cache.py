"""The embedded default's cache (no Redis): Django's file cache, culled now and then rather than on every write.

Django's FileBasedCache lists its whole directory on every `set` to see whether it holds more than MAX_ENTRIES
(`_cull`). With the two thousand entries a working portal keeps (pages, the teams' and people's evaluations, the
stamps of governance.services.freshness), that listing made one write cost about 2.5 ms, more than a page's own
work after a change. Here the count is looked at on one write in CULL_EVERY (per process), so the directory may
hold up to CULL_EVERY entries more than MAX_ENTRIES between two looks; everything else is Django's.
"""

from __future__ import annotations

import threading

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    CULL_EVERY = 64

    def __init__(self, dir: str, params: dict) -> None:  # noqa: A002 — Django's own signature
        super().__init__(dir, params)
        self._writes = 0
        self._writes_lock = threading.Lock()

    def _cull(self) -> None:
        with self._writes_lock:
            self._writes += 1
            due = (
                self._writes % self.CULL_EVERY == 1
            )  # the first write of a process looks, then one in CULL_EVERY
        if due:
            super()._cull()
