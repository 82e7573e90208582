"""The embedded default's file cache (governance/cache.py) keeps Django's behaviour, culling on one write in
CULL_EVERY instead of listing its directory on every write."""

from __future__ import annotations

from pathlib import Path

from governance.cache import FileCache


def _cache(tmp_path: Path, max_entries: int) -> FileCache:
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 2}})


def test_what_is_written_is_read_back(tmp_path):
    cache = _cache(tmp_path, 100)

    cache.set("fragment", "<p>林书记</p>", 60)
    cache.set_many({"a": 1, "b": [2]}, 60)

    assert cache.get("fragment") == "<p>林书记</p>"
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": [2]}


def test_the_directory_is_culled_now_and_then_and_stays_near_its_bound(tmp_path):
    cache = _cache(tmp_path, 10)
    cache.CULL_EVERY = 4

    for i in range(60):
        cache.set(f"key-{i}", i, 60)

    entries = len(list(tmp_path.glob("*.djcache")))
    assert entries <= 10 + cache.CULL_EVERY
    assert cache.get("key-59") == 59
