"""`bpm report`: what slipped, from the files and their git history.

Facts come from one place: the current files (the working tree, or the files at a
revision) say what is open; `history` says when each action appeared, who added it, how
its due date moved and what vanished. Rows are values; the CLI renders them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bpmcli.config import Config
from bpmcli.errors import BpmError
from bpmcli.format.postmortem import Postmortem, parse
from bpmcli.store.history import ActionHistory, History, Lineage
from bpmcli.store.workspace import Workspace, below_folder, is_postmortem


@dataclass(frozen=True)
class Current:
    """A postmortem as it stands (working tree or revision); `path` is repository-relative."""

    path: str
    pm: Postmortem


def current(
    config: Config, rev: str | None, use_cache: bool = True
) -> tuple[list[Current], list[BpmError]]:
    """The readable postmortems now, or at `rev` (read from git, nothing checked out).

    The working tree's files are read through the workspace's stat-keyed cache of their
    front matter, unless `use_cache` is off (`--no-cache`: no cache read or written)."""
    workspace = Workspace(config)
    if rev is None:
        root = workspace.root
        postmortems, problems = workspace.read_all(use_cache)
        prefix = str(root) + os.sep
        found = []
        for pm in postmortems:
            name = str(pm.path)
            relative = (
                name[len(prefix) :] if name.startswith(prefix) else os.path.relpath(name, root)
            )
            found.append(Current(relative.replace(os.sep, "/"), pm))
        return found, problems
    return _at_revision(workspace, rev)


def _at_revision(workspace: Workspace, rev: str) -> tuple[list[Current], list[BpmError]]:
    repository = workspace.repository("bpm report --rev")
    sha = repository.verify(rev)
    found: list[Current] = []
    problems: list[BpmError] = []
    folder = repository.relative(workspace.folder)
    reader = repository.batch()
    try:
        for name in repository.markdown_files_at(sha, folder):
            below = below_folder(name, folder)
            if below is None or not is_postmortem(below):  # the rule `list` follows too
                continue
            read = reader.read(f"{sha}:{name}")
            if read is None:
                continue
            try:
                found.append(Current(name, parse(read[1], Path(name))))
            except BpmError as exc:
                problems.append(exc)
    finally:
        reader.close()
    return found, problems


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
    ticket: str | None = None  # last: CSV columns keep their places
    ticket_url: str | None = None  # the ticket's page, from the config's `ticket_url`

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def find_overdue(
    postmortems: list[Current],
    as_of: dt.date,
    history: History | None,
    owner: str | None = None,
    ticket_link: Callable[[str | None], str | None] = lambda ticket: None,
    due_before: dt.date | None = None,
) -> list[Overdue]:
    """Open actions due before `as_of`, whatever the postmortem's status; most overdue first.

    `due_before` (after `as_of`) takes in the open actions due before it too, the ones
    coming due (`bpm remind`): their `days_overdue` is negative, minus the days left."""
    lineages = history.by_path() if history else {}
    horizon = max(as_of, due_before) if due_before is not None else as_of
    rows = []
    for item in postmortems:
        lineage = lineages.get(item.path)
        for action in item.pm.actions:
            due = action.due
            if due is None or not action.is_overdue(horizon):
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
                    ticket=action.ticket,
                    ticket_url=ticket_link(action.ticket),
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
