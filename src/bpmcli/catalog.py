"""`bpm list` and `bpm show`: what the postmortem folder holds, at a glance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bpmcli.config import Config
from bpmcli.errors import BpmError
from bpmcli.files import display
from bpmcli.format.postmortem import Postmortem, load
from bpmcli.store.workspace import Workspace
from bpmcli.times import format_timestamp, zone


@dataclass(frozen=True)
class Entry:
    """One row of `bpm list`; its JSON keys are documented in docs/cli.md."""

    id: str
    path: str
    title: str | None
    date: str | None
    severity: str | None
    status: str | None
    actions_open: int
    actions_overdue: int

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def started_date(pm: Postmortem, config: Config) -> dt.date | None:
    started = pm.started
    return started.astimezone(zone(config.timezone)).date() if started else None


def entry(pm: Postmortem, config: Config, today: dt.date) -> Entry:
    day = started_date(pm, config)
    return Entry(
        id=pm.id,
        path=display(pm.path),
        title=pm.title,
        date=day.isoformat() if day else None,
        severity=pm.severity,
        status=pm.status,
        actions_open=sum(1 for a in pm.actions if a.status == "open"),
        actions_overdue=sum(1 for a in pm.actions if a.is_overdue(today)),
    )


def list_postmortems(config: Config, today: dt.date) -> tuple[list[Entry], list[BpmError]]:
    """Every readable postmortem, newest first; the unreadable ones as errors beside them."""
    postmortems, problems = Workspace(config).read_all(use_cache=False)
    entries = [entry(pm, config, today) for pm in postmortems]
    entries.sort(key=lambda e: (e.date or "", e.id), reverse=True)
    return entries, problems


@dataclass(frozen=True)
class ActionView:
    id: str | None
    action: str | None
    owner: str | None
    due: str | None
    kind: str | None
    status: str | None
    overdue: bool
    ticket: str | None = None  # the tracker's reference, as the front matter writes it
    ticket_url: str | None = None  # its page, from the config's `ticket_url`


@dataclass(frozen=True)
class Summary:
    """`bpm show`: one postmortem's facts; JSON keys documented in docs/cli.md."""

    entry: Entry
    kind: str | None
    times: dict[str, str | None]
    review_by: str | None
    review_overdue: bool
    facilitator: str | None
    services: list[str]
    sections: list[str]
    missing_sections: list[str]
    actions: list[ActionView]

    def as_json(self) -> dict[str, Any]:
        return {
            **self.entry.as_json(),
            "kind": self.kind,
            **self.times,
            "review_by": self.review_by,
            "review_overdue": self.review_overdue,
            "facilitator": self.facilitator,
            "services": self.services,
            "sections": self.sections,
            "missing_sections": self.missing_sections,
            "actions": [a.__dict__ for a in self.actions],
        }


def summarize(path: Path, config: Config, today: dt.date) -> Summary:
    pm = load(path)
    review_by = pm.review_by
    present = [s.title for s in pm.sections if s.level == 2]
    folded = {title.casefold() for title in present}
    times = {}
    for key in ("started", "detected", "mitigated", "resolved"):
        moment = pm.timestamp(key)
        times[key] = format_timestamp(moment) if moment else None
    return Summary(
        entry=entry(pm, config, today),
        kind=pm.kind,
        times=times,
        review_by=review_by.isoformat() if review_by else None,
        review_overdue=bool(review_by and review_by < today and pm.status != "published"),
        facilitator=pm.facilitator,
        services=pm.strings("services"),
        sections=present,
        missing_sections=[s for s in config.required_sections if s.casefold() not in folded],
        actions=[
            ActionView(
                a.id,
                a.action,
                a.owner,
                a.due.isoformat() if a.due else None,
                a.kind,
                a.status,
                a.is_overdue(today),
                a.ticket,
                config.ticket_link(a.ticket),
            )
            for a in pm.actions
        ],
    )
