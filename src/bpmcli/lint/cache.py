"""The lint cache: findings by file content, so an unchanged repository lints in a blink.

It lives outside the tracked tree: under `.git/bpm/` in a repository, else in the user's
cache folder. Its salt holds the effective settings and the day (BPM401 depends on it),
and `store.cache` adds bpm's version: any change starts a fresh cache. Reading, saving,
corruption and the racy-stat rule are `store.cache`'s, as for every cache bpm keeps.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from bpmcli.config import Config
from bpmcli.store.cache import Cache, git_dir_of, stat_key

Entry = list[list[Any]]  # [line, column, code, severity, message, subject] per finding
# 3: the language and action rules were rewritten (#14) and bodies without front matter
# are linted: findings cached before mean something else, so they are not reused.
# 4: each finding keeps its subject (#16: the SARIF and GitLab fingerprints hash it).
FORMAT = 4


def location(config: Config) -> Path:
    git = git_dir_of(config.root)
    if git is not None:
        return git / "bpm" / "lint-cache.json"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    name = hashlib.blake2b(str(config.root).encode(), digest_size=8).hexdigest()
    return base / "bpm" / f"lint-{name}.json"


def key(name: str, data: bytes) -> str:
    digest = hashlib.blake2b(name.encode("utf-8", "surrogateescape"), digest_size=16)
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def _stored(document: dict[str, Any]) -> tuple[dict[str, Entry], dict[str, list[Any]]]:
    entries, stats = document["entries"], document["stats"]
    if not isinstance(entries, dict) or not isinstance(stats, dict):
        raise TypeError("entries and stats must be mappings")
    return entries, stats


class LintCache:
    def __init__(self, path: Path, salt: str):
        self.store = Cache(path, FORMAT, [salt])
        self.entries: dict[str, Entry] = {}
        self.stats: dict[str, list[Any]] = {}  # path -> [size, mtime_ns, inode, digest]
        self.used: set[str] = set()
        self.dirty = False
        self.entries, self.stats = self.store.read(_stored) or ({}, {})

    def known_digest(self, name: str, stat: os.stat_result) -> str | None:
        """The content digest recorded for this file, if its stat says it is unchanged."""
        record = self.stats.get(name)
        if isinstance(record, list) and len(record) == 4 and self.store.unchanged(record[:3], stat):
            return str(record[3])
        return None

    def remember(self, name: str, stat: os.stat_result, digest: str) -> None:
        """Record the digest of a file that `known_digest` did not vouch for. The cache is
        saved again even when the record is the same, if this run's start makes it
        trusted: else a file saved just before the first run would be hashed forever."""
        record = [*stat_key(stat), digest]
        if self.stats.get(name) != record or self.store.trusted_from_now(stat):
            self.stats[name] = record
            self.dirty = True

    def get(self, digest: str) -> Entry | None:
        entry = self.entries.get(digest)
        if not isinstance(entry, list):
            return None
        self.used.add(digest)
        return entry

    def put(self, digest: str, findings: Entry) -> None:
        self.entries[digest] = findings
        self.used.add(digest)
        self.dirty = True

    def save(self) -> None:
        """Write the cache; a failure to write only costs speed next time."""
        if not self.dirty:
            return
        if len(self.entries) > max(20_000, 2 * len(self.used)):  # forget long-gone contents
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self.stats = {k: v for k, v in self.stats.items() if v[3] in self.used}
        self.store.save({"entries": self.entries, "stats": self.stats})
