"""The shared file cache counts its entries at most once a minute, and still culls when full."""

from __future__ import annotations

from capacity import filecache
from capacity.filecache import FileCache


def _cache(tmp_path, max_entries: int) -> FileCache:
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 2}})


def test_it_lists_its_directory_once_for_many_writes(tmp_path, monkeypatch):
    cache = _cache(tmp_path, 1000)
    listings = []
    real = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or real())
    filecache.cull_now()
    for i in range(20):
        cache.set(f"key{i}", i)
    assert len(listings) == 1  # Django's own lists the directory on each of the 20 writes
    assert [cache.get(f"key{i}") for i in range(20)] == list(range(20))


def test_a_full_cache_is_culled_at_the_next_count(tmp_path):
    cache = _cache(tmp_path, 10)
    filecache.cull_now()
    for i in range(30):
        cache.set(f"key{i}", i)
    # Counted only before the first write: the directory went past its limit meanwhile.
    assert len(cache._list_cache_files()) == 30
    filecache.cull_now()
    cache.set("one more", 1)
    assert len(cache._list_cache_files()) == 30 - 30 // 2 + 1  # half culled, as Django culls
    assert cache.get("one more") == 1
