"""The one cache implementation, and `Record`: every JSON file under `.git/bpm/` is read
and written here.

A cache only ever saves time, so it is never trusted and never fatal:

- its salt (the cache's own format version, bpm's version and the settings its answers
  depend on) must match exactly, else it is ignored and rebuilt;
- a file that cannot be read or decoded (corrupt, truncated, foreign) is rebuilt;
- it is saved in one atomic step (`files.atomic_write`), and a failure to save is ignored;
- `Cache.off()` (`--no-cache`) reads nothing and writes nothing, not even the folder.

Entries keyed by a file's stat follow git's racy-clean rule (`unchanged`): same size,
mtime and inode, and the file was last modified well before the run that wrote the cache
began (not when it saved: a file changed during a long run, within the tick of its stat,
would otherwise be trusted), since such a change would leave the stat as it was.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

RACY_NS = 2_000_000_000  # a file changed this close to the cache's writing is read again
# In every salt: bumped when what the store reads from git changes, so that a cache built
# on it (the stats answers too, whose own format did not change) starts over. 2: merges
# read against every parent, hidden folders skipped everywhere (#16).
STORE_READING = 2
_META = ("salt", "written_ns")

StatKey = list[int]  # [size, mtime_ns, inode]


def stat_key(stat: os.stat_result) -> StatKey:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


class Cache:
    """One JSON document: {"salt": [...], "written_ns": N, ...the caller's keys}."""

    def __init__(self, path: Path | None, fmt: int, settings: Sequence[object] = ()):
        from bpmcli import __version__

        self.path = path
        self.salt: list[object] = [fmt, __version__, STORE_READING, *settings]
        self.written_ns = 0  # when the run that wrote the document read began (0: none read)
        # This run's start, taken before any file is stat'ed: what `save` records. A file
        # changed during the run, even in the tick of its stat, has an mtime after it.
        self.started_ns = time.time_ns()

    @classmethod
    def off(cls) -> Cache:
        """A cache that reads and writes nothing: `--no-cache`."""
        return cls(None, 0)

    @classmethod
    def under(
        cls,
        folder: Path | None,
        name: str,
        fmt: int,
        settings: Sequence[object] = (),
        enabled: bool = True,
    ) -> Cache:
        """The cache `name` in `folder` (`.git/bpm/`); off when disabled or nowhere to go."""
        if folder is None or not enabled:
            return cls.off()
        return cls(folder / name, fmt, settings)

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def read(self, decode: Callable[[dict[str, Any]], T]) -> T | None:
        """`decode(document)` of the stored document; None when there is none, it is
        corrupt, or its salt differs. Errors in `decode` count as corrupt too."""
        if self.path is None:
            return None
        try:
            stored = json.loads(self.path.read_bytes())
            if not isinstance(stored, dict) or stored.get("salt") != self.salt:
                return None
            written = int(stored.get("written_ns") or 0)
            found = decode({k: v for k, v in stored.items() if k not in _META})
        except (
            OSError,
            ValueError,
            KeyError,
            TypeError,
            IndexError,
            AttributeError,
            AssertionError,
        ):
            return None  # corrupt or foreign: rebuilt, never trusted
        self.written_ns = written
        return found

    def save(self, document: dict[str, Any]) -> bool:
        """Write the document in one atomic step; a failure only costs speed next time.
        False when nothing was written (off, or the write failed)."""
        if self.path is None:
            return False
        return _save_json(self.path, {"salt": self.salt, "written_ns": self.started_ns, **document})

    def trusted_from_now(self, stat: os.stat_result) -> bool:
        """Whether an entry for this stat, saved by this run, will pass `unchanged`."""
        return stat.st_mtime_ns < self.started_ns - RACY_NS

    def unchanged(self, recorded: object, stat: os.stat_result) -> bool:
        """Whether an entry recorded for a file's `stat_key` still describes the file: the
        racy-clean rule, written once for every stat-keyed cache."""
        return recorded == stat_key(stat) and stat.st_mtime_ns < self.written_ns - RACY_NS


def _save_json(path: Path, data: dict[str, Any]) -> bool:
    """`data` as JSON in `path`, in one atomic step; False when it could not be written."""
    from bpmcli.errors import BpmError
    from bpmcli.files import atomic_write

    try:
        encoded = json.dumps(data, separators=(",", ":")).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, encoded)
    except (OSError, BpmError, TypeError, ValueError):
        return False
    return True


class Record:
    """One JSON document that decides what bpm does (the digests `bpm remind` sent), so
    it is trusted, never rebuilt: {"format": N, ...the caller's keys}.

    Unlike a cache it carries no bpm version: an upgrade keeps it. A file that cannot be
    read, parsed or decoded, or of another format, is an error (exit 2) that leaves the
    file as it is: starting afresh would redo what it records, so that is the user's call.
    """

    def __init__(self, path: Path, fmt: int, what: str):
        self.path = path
        self.format = fmt
        self.what = what  # "the sent record": what the error calls it

    def read(self, decode: Callable[[dict[str, Any]], T]) -> T | None:
        """`decode(document)`; None when there is no file yet."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self._unusable(f"cannot read {self.what}: {exc.strerror}") from exc
        try:
            stored = json.loads(raw)
        except ValueError as exc:  # also bytes that are not UTF-8
            raise self._unusable(f"{self.what} is not valid JSON") from exc
        found = stored.get("format") if isinstance(stored, dict) else None
        if isinstance(found, bool) or found != self.format:  # `true` is not format 1
            raise self._unusable(f"{self.what} is not format {self.format} (found {found!r})")
        try:
            return decode({k: v for k, v in stored.items() if k != "format"})
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, AssertionError) as exc:
            raise self._unusable(f"{self.what} holds an unexpected value") from exc

    def _unusable(self, why: str) -> Exception:
        from bpmcli.errors import UsageError

        return UsageError(
            f"{why}; delete it to start afresh (what it recorded may then be done again)",
            self.path,
        )

    def save(self, document: dict[str, Any]) -> bool:
        """Write the document in one atomic step; False when it could not be written."""
        return _save_json(self.path, {"format": self.format, **document})


def git_dir_of(start: Path) -> Path | None:
    """The repository's git folder, found without running git (a worktree's `.git` is a
    file): where caches live for commands that need no git, such as `bpm lint`."""
    for folder in (start, *start.parents):
        marker = folder / ".git"
        if marker.is_dir():
            return marker
        if marker.is_file():
            text = marker.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return (folder / text.removeprefix("gitdir:").strip()).resolve()
    return None
