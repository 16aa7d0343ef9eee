"""`bpm report`: what slipped, from the files and their git history.

Facts come from one place: the current files (the working tree, or the files at a
revision) say what is open; `history` says when each action appeared, who added it, how
its due date moved and what vanished. Rows are values; the CLI renders them.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bpmcli.config import Config, find_repo_root
from bpmcli.errors import BpmError
from bpmcli.files import iter_postmortems
from bpmcli.format.postmortem import Postmortem, load, load_all, parse
from bpmcli.store.history import ActionHistory, History, Lineage
from bpmcli.store.repo import CatFile, verify_revision


@dataclass(frozen=True)
class Current:
    """A postmortem as it stands (working tree or revision); `path` is repository-relative."""

    path: str
    pm: Postmortem


def current(config: Config, rev: str | None) -> tuple[list[Current], list[BpmError]]:
    """The readable postmortems now, or at `rev` (read from git, nothing checked out)."""
    root = find_repo_root(config.root) or config.root
    found: list[Current] = []
    problems: list[BpmError] = []
    if rev is None:
        facts = _FactsCache(root)
        postmortems, problems = load_all(iter_postmortems(config), facts.load)
        facts.save()
        prefix = str(root) + os.sep
        for pm in postmortems:
            name = str(pm.path)
            relative = (
                name[len(prefix) :] if name.startswith(prefix) else os.path.relpath(name, root)
            )
            found.append(Current(relative.replace(os.sep, "/"), pm))
        return found, problems
    sha = verify_revision(root, rev)
    folder = Path(os.path.relpath(config.postmortem_dir, root)).as_posix()
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "-z", "--name-only", sha, "--", folder],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout
    names = [
        n.decode("utf-8", "surrogateescape") for n in listing.split(b"\0") if n.endswith(b".md")
    ]
    reader = CatFile(root)
    for name in names:
        read = reader.read(f"{sha}:{name}")
        if read is None:
            continue
        try:
            found.append(Current(name, parse(read[1], Path(name))))
        except BpmError as exc:
            problems.append(exc)
    reader.close()
    return found, problems


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


class _FactsCache:
    """What reports read of each working-tree file, kept while the file's stat is unchanged.

    Reports need a few front matter keys of every postmortem; parsing 5,000 files costs
    seconds, re-reading a cached summary milliseconds. The rule is git's (and the lint
    cache's): same size, mtime and inode, and not modified within 2 s of the cache's
    writing. Stored in `.git/bpm/report-files.json`; anything odd starts it afresh.
    """

    def __init__(self, root: Path):
        import json

        from bpmcli import __version__
        from bpmcli.config import git_dir

        gitdir = git_dir(root)
        self.path = gitdir / "bpm" / "report-files.json" if gitdir else None
        self.salt = [2, __version__]
        self.files: dict[str, list[Any]] = {}
        self.written_ns = 0
        self.dirty = False
        if self.path is None:
            return
        try:
            stored = json.loads(self.path.read_bytes())
            if stored["salt"] == self.salt and isinstance(stored["files"], dict):
                self.files, self.written_ns = stored["files"], int(stored["written_ns"])
        except (OSError, ValueError, KeyError, TypeError):
            self.files, self.written_ns = {}, 0

    def load(self, path: Path) -> Postmortem:
        from bpmcli.lint.cache import RACY_NS

        stat = path.stat()
        key = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        record = self.files.get(str(path))
        if (
            isinstance(record, list)
            and len(record) == 2
            and record[0] == key
            and stat.st_mtime_ns < self.written_ns - RACY_NS
        ):
            return _restore(path, record[1])
        pm = load(path)
        self.files[str(path)] = [key, _summary(pm)]
        self.dirty = True
        return pm

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        import json
        import time

        from bpmcli.files import atomic_write

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = {"salt": self.salt, "written_ns": time.time_ns(), "files": self.files}
            atomic_write(self.path, json.dumps(data).encode())
        except (OSError, BpmError, TypeError, ValueError):
            return  # the cache only saves time: failing to write it must not fail the report


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


_DATED = ("review_by", "started", "due", "closed")


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


def _natural(action_id: str | None) -> tuple[str, int]:
    text = action_id or ""
    digits = text.lstrip("Aa")
    return (text[:1], int(digits)) if digits.isdigit() else (text, 0)


@dataclass(frozen=True)
class Overdue:
    """One row of `bpm report overdue`; its JSON keys are documented in docs/cli.md."""

    postmortem: str
    path: str
    action_id: str | None
    action: str | None
    owner: str | None
    due: str
    days_overdue: int
    introduced_at: str | None
    introduced_by: str | None
    introduced_commit: str | None
    original_due: str | None
    postponed: int | None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def find_overdue(
    postmortems: list[Current], as_of: dt.date, history: History | None, owner: str | None = None
) -> list[Overdue]:
    """Open actions due before `as_of`, whatever the postmortem's status; most overdue first."""
    lineages = history.by_path() if history else {}
    rows = []
    for item in postmortems:
        lineage = lineages.get(item.path)
        for action in item.pm.actions:
            due = action.due
            if due is None or not action.is_overdue(as_of):
                continue
            if owner is not None and action.owner != owner:
                continue
            past: ActionHistory | None = lineage.actions.get(action.id or "") if lineage else None
            rows.append(
                Overdue(
                    postmortem=item.pm.path.stem,
                    path=item.path,
                    action_id=action.id,
                    action=action.action,
                    owner=action.owner,
                    due=due.isoformat(),
                    days_overdue=(as_of - due).days,
                    introduced_at=past.introduced.date if past else None,
                    introduced_by=past.introduced.author if past else None,
                    introduced_commit=past.introduced.sha if past else None,
                    original_due=past.original_due if past else None,
                    postponed=past.postponed if past else (None if history is None else 0),
                )
            )
    rows.sort(key=lambda r: (-r.days_overdue, r.postmortem, _natural(r.action_id)))
    return rows


@dataclass(frozen=True)
class Vanished:
    """One row of `bpm report vanished`."""

    postmortem: str
    path: str
    action_id: str
    action: str | None
    removed_at: str
    removed_by: str
    removed_commit: str

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def find_vanished(history: History, since: dt.date | None = None) -> list[Vanished]:
    """Actions that disappeared from a postmortem (still in the repository) never done or dropped."""
    rows = []
    for lineage in history.lineages:
        if lineage.deleted:
            continue
        for action_id, past in lineage.actions.items():
            removed = past.removed
            if not past.vanished or removed is None:
                continue
            if since is not None and removed.date < since.isoformat():
                continue
            rows.append(
                Vanished(
                    Path(lineage.path).stem,
                    lineage.path,
                    action_id,
                    past.text,
                    removed.date,
                    removed.author,
                    removed.sha,
                )
            )
    rows.sort(key=lambda r: (r.postmortem, _natural(r.action_id)))
    return rows


@dataclass(frozen=True)
class Late:
    postmortem: str
    path: str
    status: str | None
    review_by: str
    days_late: int

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Sla:
    """`bpm report sla`: reviews past their deadline, and on-time publication over history."""

    late: list[Late]
    published: int  # postmortems ever published (by the commit that first set it)
    published_on_time: int  # ... on or before their review_by
    on_time_share: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "late": [row.as_json() for row in self.late],
            "published": self.published,
            "published_on_time": self.published_on_time,
            "on_time_share": self.on_time_share,
        }


def published_on_time(published: str, review_by: str | None) -> bool:
    """Published (by the commit's author date) on or before `review_by`: the review SLA."""
    return review_by is not None and published <= review_by


def find_sla(postmortems: list[Current], today: dt.date, history: History | None) -> Sla:
    late = []
    for item in postmortems:
        review_by = item.pm.review_by
        if review_by is not None and review_by < today and item.pm.status != "published":
            late.append(
                Late(
                    item.pm.path.stem,
                    item.path,
                    item.pm.status,
                    review_by.isoformat(),
                    (today - review_by).days,
                )
            )
    late.sort(key=lambda r: (-r.days_late, r.postmortem))
    lineages: dict[str, Lineage] = history.by_path() if history else {}
    published = on_time = 0
    for item in postmortems:
        lineage, review_by = lineages.get(item.path), item.pm.review_by
        if lineage is None or lineage.published is None or review_by is None:
            continue
        published += 1
        on_time += published_on_time(lineage.published.date, review_by.isoformat())
    share = round(on_time / published, 4) if published else None
    return Sla(late, published, on_time, share)
