"""The lint cache: findings by file content, so an unchanged repository lints in a blink.

It lives outside the tracked tree: under `.git/bpm/` in a repository, else in the user's
cache folder. Its salt holds bpm's version, the effective settings and the day (BPM401
depends on it): any change starts a fresh cache. A cache that cannot be read is ignored and
rewritten, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from bpmcli.config import Config, git_dir

Entry = list[list[Any]]  # [line, column, code, severity, message] per finding
RACY_NS = 2_000_000_000  # a file changed this close to the cache's writing is re-read


def location(config: Config) -> Path:
    git = git_dir(config.root)
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


class LintCache:
    def __init__(self, path: Path, salt: str):
        self.path = path
        self.salt = salt
        self.entries: dict[str, Entry] = {}
        self.stats: dict[str, list[Any]] = {}  # path -> [size, mtime_ns, inode, digest]
        self.written_ns = 0
        self.used: set[str] = set()
        self.dirty = False
        try:
            stored = json.loads(path.read_bytes())
            if (
                isinstance(stored, dict)
                and stored.get("salt") == salt
                and isinstance(stored.get("entries"), dict)
                and isinstance(stored.get("stats"), dict)
            ):
                self.entries = stored["entries"]
                self.stats = stored["stats"]
                self.written_ns = int(stored.get("written_ns") or 0)
        except (OSError, ValueError, TypeError):
            self.entries, self.stats, self.written_ns = {}, {}, 0

    def known_digest(self, name: str, stat: os.stat_result) -> str | None:
        """The content digest recorded for this file, if its stat says it is unchanged.

        As git's index does: size, mtime and inode as when it was hashed, and not modified
        so close to the cache's writing that a change in the same instant could hide.
        """
        record = self.stats.get(name)
        if (
            isinstance(record, list)
            and len(record) == 4
            and record[:3] == [stat.st_size, stat.st_mtime_ns, stat.st_ino]
            and stat.st_mtime_ns < self.written_ns - RACY_NS
        ):
            return str(record[3])
        return None

    def remember(self, name: str, stat: os.stat_result, digest: str) -> None:
        record = [stat.st_size, stat.st_mtime_ns, stat.st_ino, digest]
        if self.stats.get(name) != record:
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
        try:
            import time

            from bpmcli.files import atomic_write

            self.path.parent.mkdir(parents=True, exist_ok=True)
            stored = {
                "salt": self.salt,
                "written_ns": time.time_ns(),
                "entries": self.entries,
                "stats": self.stats,
            }
            atomic_write(self.path, json.dumps(stored).encode())
        except Exception:  # the cache is an optimisation, never a failure
            return
