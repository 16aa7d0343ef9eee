"""A checkout's postmortems: which files they are, naming one, and reading them all fast.

`Workspace(config)` answers what the commands ask of the working tree: every postmortem
file (`postmortems`), the one an id, a prefix or a path names (`resolve`), the newest
draft (the default target of edits), every postmortem read (`read_all`, with a cache of
their front matter keyed by stat), and the lines changed since a revision (`lint
--since`). git is started only for the last one, through `repository()`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bpmcli.config import Config, find_repo_root
from bpmcli.errors import BpmError, UsageError
from bpmcli.files import display
from bpmcli.format.postmortem import Postmortem, load, load_all
from bpmcli.store.cache import Cache, git_dir_of, stat_key
from bpmcli.store.repo import Repository

SUFFIX = ".md"


def hidden(name: str) -> bool:
    """A dot file or dot folder (`.drafts/`, `.x.md.tmp`): never a postmortem, nor in one."""
    return name.startswith(".")


def is_postmortem(below: str) -> bool:
    """The one rule of which files are postmortems, for every command: a path below the
    postmortem folder (with `/`) that ends in `.md` and has no hidden part."""
    return below.endswith(SUFFIX) and not any(map(hidden, below.split("/")))


def below_folder(path: str, folder: str) -> str | None:
    """A repository-relative `path` relative to the postmortem `folder` (`.`: the root);
    None when it is not under it."""
    if folder in ("", "."):
        return path
    return path[len(folder) + 1 :] if path.startswith(folder + "/") else None


class Workspace:
    """The postmortems of one checkout, as its configuration places them."""

    def __init__(self, config: Config):
        self.config = config
        self._repository: Repository | None = None

    @property
    def root(self) -> Path:
        """The repository root, or the configuration's folder outside a repository."""
        return find_repo_root(self.config.root) or self.config.root

    @property
    def folder(self) -> Path:
        return self.config.postmortem_dir

    def cache_dir(self) -> Path | None:
        """`.git/bpm/`, found without running git; None outside a repository."""
        found = git_dir_of(self.config.root.resolve())
        return found / "bpm" if found else None

    def repository(self, purpose: str) -> Repository:
        """The repository (git is started here, the first time); UsageError outside one."""
        if self._repository is None:
            self._repository = Repository.discover(self.config.root, purpose)
        return self._repository

    def postmortems(self) -> list[Path]:
        """Every `.md` file under the postmortem folder, sorted by path; hidden folders
        skipped, and nothing that leads outside the project."""
        root = os.path.realpath(self.config.root)
        top = os.path.realpath(self.folder)
        if top != root and not top.startswith(root + os.sep):
            raise UsageError(
                f"the postmortem folder {self.config.dir!r} leads outside the project "
                "(a symbolic link?)"
            )
        found: list[str] = []
        stack = [str(self.folder)]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except (FileNotFoundError, NotADirectoryError):
                continue
            except PermissionError as exc:
                raise BpmError("cannot list folder: permission denied", folder) from exc
            for entry in entries:
                if hidden(entry.name):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif is_postmortem(entry.name) and _readable_inside(entry, root):
                    found.append(entry.path)
        return [Path(name) for name in sorted(found)]

    def resolve(self, ref: str) -> Path:
        """The postmortem that `ref` names: a path, an id, or a unique prefix of an id."""
        as_path = Path(ref)
        if as_path.suffix == SUFFIX or os.sep in ref or "/" in ref:
            if as_path.is_file():
                return as_path
            raise UsageError(f"no such file: {ref}")
        candidates = self.postmortems()
        exact = [p for p in candidates if p.stem == ref]
        matches = exact or [p for p in candidates if p.stem.startswith(ref)]
        if not matches:
            raise UsageError(f"no postmortem matches {ref!r} in {display(self.folder)}")
        if len(matches) > 1:
            names = ", ".join(p.stem for p in matches[:5]) + (", ..." if len(matches) > 5 else "")
            raise UsageError(f"{ref!r} matches {len(matches)} postmortems: {names}")
        return matches[0]

    def newest_draft(self) -> Path:
        """The postmortem with status `draft` that started last: the default target of edits."""
        drafts = [
            (pm.started.isoformat() if pm.started else "", pm.id, pm.path)
            for pm in load_all(self.postmortems())[0]
            if pm.status == "draft"
        ]
        if not drafts:
            raise UsageError(
                f"no postmortem with status 'draft' in {display(self.folder)}; "
                "name one (an id, a prefix or a path)"
            )
        return max(drafts)[2]

    def read_all(self, use_cache: bool = True) -> tuple[list[Postmortem], list[BpmError]]:
        """Every readable postmortem, and the errors of the others. With the cache, a file
        whose stat is unchanged gives its cached front matter (the keys reports read) and
        an empty body."""
        if not use_cache:
            return load_all(self.postmortems())
        facts = FactsCache(Cache.under(self.cache_dir(), "report-files.json", FACTS_FORMAT))
        found = load_all(self.postmortems(), facts.load)
        facts.save()
        return found

    def changed_lines(self, rev: str, files: Sequence[Path]) -> dict[Path, set[int] | None]:
        """Lines added or changed since `rev`, per file (resolved path); None: all of it."""
        return self.repository("bpm lint --since").changed_lines(rev, files)


def _readable_inside(entry: os.DirEntry[str], root: str) -> bool:
    """A regular file (a FIFO would block a read forever) that stays inside the project.

    Repositories come from strangers: a link to a file outside must not make bpm read it.
    """
    if entry.is_symlink():
        target = os.path.realpath(entry.path)
        return target.startswith(root + os.sep) and Path(target).is_file()
    return entry.is_file(follow_symlinks=False)


# -- the front matter of every file, kept by stat ---------------------------------------------

FACTS_FORMAT = 3
_KEPT = (
    "id",
    "title",
    "kind",
    "status",
    "severity",
    "review_by",
    "started",
    "facilitator",
    "services",
    "actions",
)
_ACTION_KEPT = ("id", "action", "owner", "due", "kind", "status", "closed")
_DATED = ("review_by", "started", "due", "closed")


class FactsCache:
    """What reports read of each working-tree file, kept while the file's stat is unchanged.

    Reports need a few front matter keys of every postmortem; parsing 5,000 files costs
    seconds, re-reading a cached summary milliseconds. Stored in `.git/bpm/report-files.json`.
    """

    def __init__(self, cache: Cache):
        self.cache = cache
        self.files: dict[str, list[Any]] = cache.read(_files) or {}
        self.dirty = False

    def load(self, path: Path) -> Postmortem:
        stat = path.stat()
        record = self.files.get(str(path))
        if isinstance(record, list) and len(record) == 2 and self.cache.unchanged(record[0], stat):
            return _restore(path, record[1])
        pm = load(path)
        self.files[str(path)] = [stat_key(stat), _summary(pm)]
        self.dirty = True
        return pm

    def save(self) -> None:
        if self.dirty:
            self.cache.save({"files": self.files})


def _files(stored: dict[str, Any]) -> dict[str, list[Any]]:
    files = stored["files"]
    if not isinstance(files, dict):
        raise TypeError("files is not a mapping")
    return files


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return ["datetime", value.isoformat()]
    if isinstance(value, dt.date):
        return ["date", value.isoformat()]
    if isinstance(value, list):  # services: only the dated keys are ever decoded
        return [_encode(item) for item in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _decode(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 2 and value[0] in ("date", "datetime"):
        kind = dt.date if value[0] == "date" else dt.datetime
        return kind.fromisoformat(value[1])
    return value


def _summary(pm: Postmortem) -> dict[str, Any]:
    meta = {k: _encode(pm.meta[k]) for k in _KEPT if k in pm.meta and k != "actions"}
    actions = pm.meta.get("actions")
    if isinstance(actions, list):
        meta["actions"] = [
            {k: _encode(a[k]) for k in _ACTION_KEPT if k in a} if isinstance(a, dict) else None
            for a in actions
        ]
    return meta


def _restore(path: Path, summary: dict[str, Any]) -> Postmortem:
    from bpmcli.format.frontmatter import Split

    # Copies all the way down: the cached summary itself must stay JSON.
    meta = {key: _decode(value) if key in _DATED else value for key, value in summary.items()}
    if isinstance(summary.get("actions"), list):
        meta["actions"] = [
            {key: _decode(value) if key in _DATED else value for key, value in action.items()}
            if isinstance(action, dict)
            else action
            for action in summary["actions"]
        ]
    return Postmortem(path, "", meta, Split(0, 0, 0, 2, 2, "\n"))
