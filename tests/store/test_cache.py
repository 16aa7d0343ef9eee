"""store/cache.py: the one cache; and every cache under .git/bpm rebuilt when it should be."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from bpmcli.store.cache import RACY_NS, STORE_READING, Cache, stat_key
from conftest import Repo, read_only
from store.base import Bpm, story

CACHES = ("history.json", "mainline.json", "stats.json", "report-files.json")


def _count(document: dict[str, Any]) -> int:
    return int(document["count"])


def test_a_saved_cache_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "bpm" / "thing.json"
    Cache(path, 1, ["settings"]).save({"count": 7})
    assert Cache(path, 1, ["settings"]).read(_count) == 7
    stored = json.loads(path.read_bytes())
    assert stored["salt"][0] == 1 and stored["salt"][-1] == "settings"
    assert stored["written_ns"] > 0


def test_a_new_salt_rebuilds(tmp_path: Path) -> None:
    path = tmp_path / "thing.json"
    Cache(path, 1, ["a"]).save({"count": 7})
    assert Cache(path, 2, ["a"]).read(_count) is None  # the cache's own format
    assert Cache(path, 1, ["b"]).read(_count) is None  # the settings
    stored = json.loads(path.read_bytes())
    stored["salt"][1] = "0.0.0-another-bpm"
    path.write_text(json.dumps(stored))
    assert Cache(path, 1, ["a"]).read(_count) is None  # bpm's version


def test_a_cache_built_on_an_older_reading_of_git_rebuilds(tmp_path: Path) -> None:
    """#16: merges and hidden folders are read differently; the stats answers, whose own
    format did not change, must not survive from before (same bpm version in a checkout)."""
    path = tmp_path / "stats.json"
    Cache(path, 1, ["head"]).save({"count": 7})
    stored = json.loads(path.read_bytes())
    assert stored["salt"][2] == STORE_READING
    stored["salt"][2] = STORE_READING - 1
    path.write_text(json.dumps(stored))
    assert Cache(path, 1, ["head"]).read(_count) is None


def test_a_corrupt_or_foreign_file_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "thing.json"
    for text in ("{not json", "[1, 2]", '"text"', "", '{"salt": 3}'):
        path.write_text(text)
        assert Cache(path, 1).read(_count) is None, text
    Cache(path, 1).save({"other": "shape"})
    assert Cache(path, 1).read(_count) is None  # decode failing counts as corrupt
    path.write_bytes(b"\xff\xfe binary")
    cache = Cache(path, 1)
    assert cache.read(_count) is None
    cache.save({"count": 1})
    assert Cache(path, 1).read(_count) == 1


def test_an_unwritable_folder_is_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "bpm"
    folder.mkdir()
    with read_only(folder):
        Cache(folder / "thing.json", 1).save({"count": 1})  # no exception
        assert not (folder / "thing.json").exists()
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    Cache(blocked / "thing.json", 1).save({"count": 1})


def test_off_reads_and_writes_nothing(tmp_path: Path) -> None:
    cache = Cache.under(tmp_path / "bpm", "thing.json", 1, enabled=False)
    assert not cache.enabled and cache.read(_count) is None
    cache.save({"count": 1})
    assert Cache.under(None, "thing.json", 1).read(_count) is None
    assert not (tmp_path / "bpm").exists()


def test_the_racy_stat_rule(tmp_path: Path) -> None:
    path = tmp_path / "thing.json"
    watched = tmp_path / "pm.md"
    watched.write_text("v1")
    recorded = stat_key(watched.stat())
    cache = Cache(path, 1)
    cache.save({"count": 1})
    cache.read(_count)
    # Modified within the guard before the cache was written: a same-tick change could
    # hide behind an equal stat, so the entry is not trusted.
    assert not cache.unchanged(recorded, watched.stat())
    old = cache.written_ns - RACY_NS - 1_000_000_000
    os.utime(watched, ns=(old, old))
    assert cache.unchanged(stat_key(watched.stat()), watched.stat())
    watched.write_text("v2 longer")
    os.utime(watched, ns=(old, old))
    assert not cache.unchanged(recorded, watched.stat())  # another size


def test_every_cache_survives_corruption(bpm: Bpm, repo: Repo) -> None:
    story(repo)
    folder = repo.path / ".git" / "bpm"
    want = [bpm("report", "overdue", "--format", "json").stdout, _stats(bpm)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(CACHES)
    for name in CACHES:
        (folder / name).write_text("{corrupt")
    assert [bpm("report", "overdue", "--format", "json").stdout, _stats(bpm)] == want
    for name in CACHES:
        assert json.loads((folder / name).read_bytes())["written_ns"] > 0, name


def test_the_history_cache_follows_new_commits(bpm: Bpm, repo: Repo) -> None:
    story(repo)
    folder = repo.path / ".git" / "bpm"
    bpm("report", "vanished")
    first = json.loads((folder / "history.json").read_bytes())
    head = repo.commit("Empty", date="2026-03-01T09:00:00+00:00")
    bpm("report", "vanished")
    again = json.loads((folder / "history.json").read_bytes())
    assert first["head"] != again["head"] == head


def _stats(bpm: Bpm) -> str:
    ran = bpm("report", "stats", "--as-of", "2026-03-31", "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    return ran.stdout
