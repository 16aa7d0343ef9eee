"""`bpm tickets`: action items kept in step with GitHub Issues or Jira Cloud (#18).

The postmortem file is the record. `create` opens a ticket per open action that has none
and writes its reference back into the action, one atomic round-trip edit right after each
ticket exists; `status` compares file and tracker; `apply` makes the tracker follow the
file; `pull` is the one way back (actions done whose tickets were closed).

Idempotence: every ticket bpm creates carries a marker `<postmortem id>/<action id>`, and
`create` lists the tracker's `postmortem` tickets once before creating any: a re-run, or
one after a crash between a create and its write-back, writes the found ticket's
reference back instead of opening a second one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bpmcli.config import Config, TicketSettings, find_repo_root
from bpmcli.errors import BpmError
from bpmcli.files import display
from bpmcli.format.postmortem import Action, Postmortem
from bpmcli.tickets.tracker import NewTicket, Ticket, Tracker, environment, marker

# The kinds of drift, in the order `status` reports them.
TICKET_CLOSED = "ticket-closed"  # the ticket is closed, the action still open
TICKET_OPEN = "ticket-open"  # the action is done or dropped, the ticket still open
DUE = "due"  # the due dates differ (trackers with a due date: Jira)
GONE = "gone"  # the tracker has no such ticket (any more)
DRIFTS = (TICKET_CLOSED, TICKET_OPEN, DUE, GONE)


@dataclass(frozen=True)
class Created:
    """What `create` did for one action."""

    postmortem: str
    path: str
    action: str
    outcome: str  # created | found (a ticket with its marker existed) | failed
    ticket: str | None = None
    url: str | None = None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class CreateResult:
    tracker: str
    actions: list[Created] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # unassigned owners, actions without ids
    requests: int = 0

    @property
    def failed(self) -> list[Created]:
        return [c for c in self.actions if c.outcome == "failed"]


def postmortems(config: Config, only: Path | None) -> tuple[list[Postmortem], list[str]]:
    """The postmortem `only` names, or all of them, and the files that could not be read."""
    if only is not None:
        from bpmcli.format.postmortem import load

        return [load(only)], []
    from bpmcli.store.workspace import Workspace

    found, problems = Workspace(config).read_all(use_cache=False)
    return list(found), [str(p) for p in problems]


def create(config: Config, tracker: Tracker, only: Path | None = None) -> CreateResult:
    """A ticket for each open action without one; each reference written back at once."""
    found, notes = postmortems(config, only)
    result = CreateResult(tracker.name, notes=notes)
    wanted: list[tuple[Postmortem, Action]] = []
    for pm in found:
        for action in pm.actions:
            if action.status != "open" or action.ticket:
                continue
            if not action.id:
                result.notes.append(f"{display(pm.path)}: an open action has no id: no ticket")
                continue
            wanted.append((pm, action))
    if not wanted:
        return result  # nothing to do: not one request
    by_marker = {t.marker: t for t in tracker.tickets().values() if t.marker}
    for pm, action in wanted:
        result.actions.append(_create_one(config, tracker, pm, action, by_marker, result.notes))
    result.requests = tracker.requests
    return result


def _create_one(
    config: Config,
    tracker: Tracker,
    pm: Postmortem,
    action: Action,
    by_marker: dict[str, Ticket],
    notes: list[str],
) -> Created:
    from bpmcli.actions import set_ticket

    assert action.id is not None
    mark = marker(pm.id, action.id)
    where = {"postmortem": pm.id, "path": display(pm.path), "action": action.id}
    ticket = by_marker.get(mark)
    outcome = "found"
    try:
        if ticket is None:
            ticket = tracker.create(_new_ticket(config, tracker, pm, action, mark, notes))
            outcome = "created"
        set_ticket(pm.path, action.id, ticket.ref)
    except BpmError as exc:
        made = ticket.ref if ticket else None
        return Created(**where, outcome="failed", ticket=made, error=str(exc))
    return Created(**where, outcome=outcome, ticket=ticket.ref, url=ticket.url)


def _new_ticket(
    config: Config, tracker: Tracker, pm: Postmortem, action: Action, mark: str, notes: list[str]
) -> NewTicket:
    return NewTicket(
        marker=mark,
        title=action.action or f"Action {action.id} of {pm.id}",
        postmortem_id=pm.id,
        postmortem_title=pm.title,
        owner=action.owner,
        due=action.due,
        kind=action.kind,
        link=_link(config, pm.path),
        assignee=_assignee(config, tracker.name, action.owner, notes),
    )


def _assignee(config: Config, tracker: str, owner: str | None, notes: list[str]) -> str | None:
    """The owner's login (GitHub) or account id (Jira) from [owners]; a note if there is none."""
    if owner is None:
        return None
    entry = config.owners.get(owner)
    login: str | None = getattr(entry, tracker, None) if entry else None
    if login is None:
        what = "GitHub login" if tracker == "github" else "Jira account id"
        note = (
            f"owner {owner!r} has no [owners.{owner}] {tracker} ({what}): tickets left unassigned"
        )
        if note not in notes:
            notes.append(note)
    return login


def _link(config: Config, path: Path) -> str | None:
    if not config.repo_url:
        return None
    root = find_repo_root(path.parent) or config.root
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    return config.file_link(relative)


def connect(chosen: TicketSettings, **client: object) -> Tracker:
    """The tracker `chosen` names, with its credentials from the environment."""
    if chosen.tracker == "github":
        from bpmcli.tickets.github import GitHub

        assert chosen.repo is not None
        return GitHub(chosen.repo, environment("GITHUB_TOKEN"), chosen.api_url, **client)
    from bpmcli.tickets.jira import Jira

    assert chosen.site is not None and chosen.project is not None
    email, token = environment("JIRA_EMAIL"), environment("JIRA_API_TOKEN")
    return Jira(chosen.site, chosen.project, email, token, **client)


# --- status -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drift:
    """One ticketed action whose ticket does not agree with it; JSON keys in docs/cli.md."""

    postmortem: str
    path: str
    action: str
    ticket: str
    url: str | None
    drift: tuple[str, ...]  # of DRIFTS
    action_status: str | None
    ticket_state: str  # open | closed | gone
    due: dt.date | None  # the action's
    ticket_due: dt.date | None
    reason: str | None  # a dropped action's reason: the comment `--apply` leaves
    closed: dt.date | None  # the day the ticket was closed, when the tracker says
    not_planned: bool  # closed as "not planned" (GitHub): `pull` drops the action
    file: Path  # the file itself, for `pull`'s edit (`path` is as shown)

    def as_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["drift"] = list(self.drift)
        for key in ("due", "ticket_due", "closed"):
            data[key] = data[key].isoformat() if data[key] else None
        del data["not_planned"], data["file"]
        return data


@dataclass
class StatusResult:
    tracker: str
    checked: int = 0  # ticketed actions compared
    drift: list[Drift] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # tickets that are not this tracker's refs
    requests: int = 0


def status(config: Config, tracker: Tracker) -> StatusResult:
    """Every ticketed action against its ticket: one listing, plus one request per ticket the
    listing did not hold (another repository, a ticket without the label)."""
    found, notes = postmortems(config, None)
    result = StatusResult(tracker.name, notes=notes)
    pairs: list[tuple[Postmortem, Action, str]] = []
    for pm in found:
        for action in pm.actions:
            if not action.ticket or not action.id:
                continue
            ref = tracker.reference(action.ticket)
            if ref is None:
                where = f"{display(pm.path)}: {action.id}"
                result.notes.append(
                    f"{where}: ticket {action.ticket!r} is not a {tracker.name} reference"
                )
                continue
            pairs.append((pm, action, ref))
    if pairs:
        listed = tracker.tickets()
        for pm, action, ref in pairs:
            ticket = listed[ref] if ref in listed else tracker.fetch(ref)
            result.checked += 1
            drift = _compare(pm, action, ref, ticket, tracker.has_due)
            if drift is not None:
                result.drift.append(drift)
    result.requests = tracker.requests
    return result


def _compare(
    pm: Postmortem, action: Action, ref: str, ticket: Ticket | None, has_due: bool
) -> Drift | None:
    kinds: list[str] = []
    is_open = action.status == "open"
    if ticket is None:
        kinds.append(GONE)
    elif is_open and not ticket.open:
        kinds.append(TICKET_CLOSED)
    elif action.status in ("done", "dropped") and ticket.open:
        kinds.append(TICKET_OPEN)
    if ticket is not None and has_due and is_open and ticket.open and ticket.due != action.due:
        kinds.append(DUE)
    if not kinds:
        return None
    assert action.id is not None
    return Drift(
        postmortem=pm.id,
        path=display(pm.path),
        action=action.id,
        ticket=ref,
        url=ticket.url if ticket else None,
        drift=tuple(kinds),
        action_status=action.status,
        ticket_state="gone" if ticket is None else "open" if ticket.open else "closed",
        due=action.due,
        ticket_due=ticket.due if ticket else None,
        reason=action.reason,
        closed=ticket.closed if ticket else None,
        not_planned=bool(ticket and ticket.not_planned),
        file=pm.path,
    )


@dataclass(frozen=True)
class Applied:
    """What `status --apply` did to one ticket."""

    ticket: str
    did: str  # closed | reopened | due set to YYYY-MM-DD | commented ...
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def apply(tracker: Tracker, drifts: list[Drift]) -> list[Applied]:
    """Make the tracker follow the file, drift by drift; a failure does not stop the rest.
    The file is never changed here."""
    done: list[Applied] = []
    for drift in drifts:
        for kind in drift.drift:
            done.append(_apply_one(tracker, drift, kind))
    return done


def _apply_one(tracker: Tracker, drift: Drift, kind: str) -> Applied:
    ref = drift.ticket
    try:
        if kind == GONE:
            what = "no ticket to change: clear the action's ticket, then bpm tickets create"
            return Applied(ref, "nothing", what)
        if kind == TICKET_CLOSED:
            tracker.reopen(ref)
            return Applied(ref, "reopened")
        if kind == TICKET_OPEN:
            dropped = drift.action_status == "dropped"
            if dropped:
                why = drift.reason or "no reason given"
                tracker.comment(ref, f"Dropped in the postmortem {drift.postmortem}: {why}")
            tracker.close(ref, dropped)
            return Applied(ref, "closed as not planned, with the reason" if dropped else "closed")
        tracker.set_due(ref, drift.due)
        return Applied(ref, f"due set to {drift.due.isoformat() if drift.due else 'none'}")
    except BpmError as exc:
        return Applied(ref, "failed", str(exc))


# --- pull ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """An action `pull` closes because its ticket was closed."""

    postmortem: str
    path: str
    action: str
    ticket: str
    status: str  # done, or dropped for a ticket closed as not planned
    closed: dt.date
    reason: str | None
    file: Path

    def as_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["closed"] = self.closed.isoformat()
        del data["file"]
        return data


def pull_plan(result: StatusResult, today: dt.date) -> list[Change]:
    """The actions still open whose tickets were closed, dated as the tracker closed them."""
    changes = []
    for drift in result.drift:
        if TICKET_CLOSED not in drift.drift:
            continue
        dropped = drift.not_planned
        reason = f"the ticket {drift.ticket} was closed as not planned" if dropped else None
        day = min(drift.closed, today) if drift.closed else today
        changes.append(
            Change(
                drift.postmortem,
                drift.path,
                drift.action,
                drift.ticket,
                "dropped" if dropped else "done",
                day,
                reason,
                drift.file,
            )
        )
    return changes


def pull(changes: list[Change]) -> list[str]:
    """Close each action as planned (the round-trip edit of `bpm action done`); the failures."""
    from bpmcli.actions import close

    failures = []
    for change in changes:
        try:
            close(change.file, change.action, change.status, change.closed, change.reason)
        except BpmError as exc:
            failures.append(f"{change.path}: {change.action}: {exc}")
    return failures
