"""`bpm remind`: one digest per owner of what is overdue or coming due, and its delivery.

`collect` builds the digests from the current files and the one history pass (through
`report.find_overdue`: the same overdue rule and history fields as `bpm report overdue`).
`deliver` hands each digest to a transport it is given (the CLI builds it from output/ and
net/), and keeps a memory of what was sent under `.git/bpm/` so that a scheduled job that
runs twice in a period sends nothing new. Nothing here prints or opens a connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bpmcli.config import Config, Owner
from bpmcli.errors import BpmError, SendError, relative_to_cwd
from bpmcli.report import Current, Overdue, find_overdue
from bpmcli.store.cache import Record
from bpmcli.store.history import History
from bpmcli.times import add_days

PERIODS = ("day", "week")
MEMORY_NAME = "remind.json"
MEMORY_FORMAT = 1
MEMORY_KEPT_DAYS = 62  # longer than any period: older records can no longer stop a send


@dataclass(frozen=True)
class Item:
    """One action in a digest; its JSON keys are documented in docs/cli.md (`bpm remind`)."""

    postmortem: str
    title: str | None
    path: str
    action_id: str | None
    action: str | None
    owner: str | None
    due: str
    days_overdue: int  # negative: due in that many days; 0: due today
    moved: int | None  # how many commits changed its due; None without history
    original_due: str | None
    added_by: str | None
    added_at: str | None
    ticket: str | None
    url: str | None  # the file's web page, when `repo_url` is configured

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def fingerprint(self) -> list[object]:
        """What the digest says of it, without the day counts that change every day."""
        return [self.postmortem, self.title, self.action_id, self.action, self.due]


@dataclass(frozen=True)
class Digest:
    """What one owner hears: their actions, and as facilitator the escalated ones."""

    owner: str
    reach: Owner | None  # their `[owners]` entry; None when there is none
    actions: tuple[Item, ...]
    escalations: tuple[Item, ...] = ()

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.actions)

    @property
    def due_soon(self) -> int:
        return len(self.actions) - self.overdue

    def fingerprint(self) -> str:
        """The digest's content as a hash: the same actions, texts, dues and overdue state
        give the same hash whatever the day, so a period's second run recognises it."""
        content = [
            self.owner,
            [[*item.fingerprint(), item.overdue] for item in self.actions],
            [[*item.fingerprint(), item.owner] for item in self.escalations],
        ]
        encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Reminders:
    as_of: dt.date
    within_days: int
    escalate_after_days: int
    digests: list[Digest]
    unowned: list[Item]  # actions in the window that name no owner: nobody to tell


def collect(
    config: Config,
    postmortems: list[Current],
    history: History | None,
    as_of: dt.date,
    within_days: int,
    escalate_after_days: int,
    only: str | None = None,
) -> Reminders:
    """Every owner's digest as of `as_of`: overdue and due within `within_days`, most
    overdue first; a facilitator also gets their postmortems' open actions overdue more
    than `escalate_after_days`. `only` keeps one owner's digest."""
    due_before = add_days(as_of, within_days + 1, "--within")
    titles = {item.path: item.pm.title for item in postmortems}
    facilitators = {item.path: item.pm.facilitator for item in postmortems}
    rows = find_overdue(postmortems, as_of, history, due_before=due_before)
    items = [_item(row, titles.get(row.path), config.file_link(row.path)) for row in rows]
    own: dict[str, list[Item]] = {}
    escalated: dict[str, list[Item]] = {}
    for item in items:
        if item.owner is not None:
            own.setdefault(item.owner, []).append(item)
        facilitator = facilitators.get(item.path)
        if facilitator and facilitator != item.owner and item.days_overdue > escalate_after_days:
            escalated.setdefault(facilitator, []).append(item)
    names = sorted(set(own) | set(escalated), key=_by_name)
    digests = [
        Digest(
            name, config.owners.get(name), tuple(own.get(name, ())), tuple(escalated.get(name, ()))
        )
        for name in names
        if only is None or name == only
    ]
    unowned = [item for item in items if item.owner is None] if only is None else []
    return Reminders(as_of, within_days, escalate_after_days, digests, unowned)


def names_owner(postmortems: list[Current], owner: str) -> bool:
    """Whether any action, whatever its status or due, has `owner`, or any postmortem has
    them as facilitator: when none does, `--owner` holds a typo, not good news."""
    return any(
        item.pm.facilitator == owner or any(action.owner == owner for action in item.pm.actions)
        for item in postmortems
    )


def _by_name(name: str) -> tuple[str, str]:
    return (name.lower(), name)


def _item(row: Overdue, title: str | None, url: str | None) -> Item:
    return Item(
        postmortem=row.postmortem,
        title=title,
        path=row.path,
        action_id=row.action_id,
        action=row.action,
        owner=row.owner,
        due=row.due,
        days_overdue=row.days_overdue,
        moved=row.postponed,
        original_due=row.original_due,
        added_by=row.introduced_by,
        added_at=row.introduced_at,
        ticket=row.ticket,
        url=url,
    )


def owner_table(owner: str) -> str:
    """`[owners.NAME]` as TOML writes it: a name that is no bare key is quoted."""
    key = owner if re.fullmatch(r"[A-Za-z0-9_-]+", owner) else json.dumps(owner)
    return f"[owners.{key}]"


# -- delivery --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transport:
    """How digests leave: built by the CLI from output/ (bodies) and net/ (the wire)."""

    name: str  # "email", "webhook": part of the sent memory's key
    needs: str  # the `[owners]` field a recipient needs: "email", "slack"
    send: Callable[[Digest, str], None]  # (digest, address); raises SendError

    def address(self, digest: Digest) -> str | None:
        value = getattr(digest.reach, self.needs) if digest.reach is not None else None
        return value if isinstance(value, str) and value else None

    def missing(self, digest: Digest) -> str:
        table = owner_table(digest.owner)
        if digest.reach is None:
            return f"no {table} entry"
        return f"no {self.needs} in {table}"


SENT, WOULD_SEND, ALREADY_SENT, FAILED, UNREACHABLE = (
    "sent",
    "would send",
    "already sent",
    "failed",
    "unreachable",
)


@dataclass(frozen=True)
class Outcome:
    """What became of one owner's digest; `reason` says why it failed or was not sent."""

    owner: str | None  # None: the actions that name no owner
    to: str | None
    status: str
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def period_of(day: dt.date, per: str) -> str:
    """`2026-11-23` for a day, the ISO week `2026-W48` for a week."""
    if per == "day":
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Memory:
    """The digests already sent: `.git/bpm/remind.json`, keyed by transport, recipient,
    owner, period and content hash. Each send is recorded at once, atomically; a failed
    send is not recorded, so the next run tries it again."""

    record: Record
    period: str
    today: dt.date
    sent: dict[str, str] = field(default_factory=dict)  # key -> the day it was sent

    def key(self, transport: str, to: str, digest: Digest) -> str:
        return "\x1f".join((transport, to, digest.owner, self.period, digest.fingerprint()))

    def remember(self, key: str) -> bool:
        """Record a send; False when it could not be written (it may be sent again)."""
        self.sent[key] = self.today.isoformat()
        oldest = add_days(self.today, -MEMORY_KEPT_DAYS, "the sent memory").isoformat()
        self.sent = {k: day for k, day in self.sent.items() if day >= oldest}
        return self.record.save({"sent": self.sent})


def _decode_memory(stored: Mapping[str, Any]) -> dict[str, str]:
    sent = stored["sent"]
    assert isinstance(sent, dict)
    return {str(key): str(day) for key, day in sent.items()}


@contextlib.contextmanager
def memory(folder: Path, per: str, today: dt.date) -> Iterator[Memory]:
    """The sent memory in `folder` (`.git/bpm/`), held under a lock for the whole delivery:
    a second job started meanwhile waits, then sees what the first sent."""
    from bpmcli.files import locked

    record = Record(folder / MEMORY_NAME, MEMORY_FORMAT, "the sent record")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BpmError(
            f"cannot create the folder for the sent memory: {exc.strerror}", folder
        ) from exc
    with locked(folder / MEMORY_NAME):
        yield Memory(record, period_of(today, per), today, record.read(_decode_memory) or {})


def deliver(
    reminders: Reminders,
    transport: Transport,
    memory: Memory | None = None,
    dry_run: bool = False,
) -> list[Outcome]:
    """Send each digest that has an address and was not sent this period; one owner's
    failure does not stop the others. A dry run sends and records nothing."""
    outcomes = []
    for digest in reminders.digests:
        to = transport.address(digest)
        if to is None:
            outcomes.append(Outcome(digest.owner, None, UNREACHABLE, transport.missing(digest)))
            continue
        key = memory.key(transport.name, to, digest) if memory is not None else None
        if memory is not None and key in memory.sent:
            outcomes.append(Outcome(digest.owner, to, ALREADY_SENT, f"in {memory.period}"))
        elif dry_run:
            outcomes.append(Outcome(digest.owner, to, WOULD_SEND))
        else:
            outcomes.append(_send(transport, digest, to, memory, key))
    outcomes.extend(unowned(reminders))
    return outcomes


def _send(
    transport: Transport, digest: Digest, to: str, memory: Memory | None, key: str | None
) -> Outcome:
    try:
        transport.send(digest, to)
    except SendError as exc:
        return Outcome(digest.owner, to, FAILED, exc.message)
    if memory is not None and key is not None and not memory.remember(key):
        where = relative_to_cwd(memory.record.path)
        return Outcome(digest.owner, to, SENT, f"not recorded in {where}: it may be sent again")
    return Outcome(digest.owner, to, SENT)


def unlisted(reminders: Reminders) -> list[Outcome]:
    """Without a transport: the owners with no `[owners]` entry, and the unowned actions."""
    missing = [
        Outcome(digest.owner, None, UNREACHABLE, f"no {owner_table(digest.owner)} entry")
        for digest in reminders.digests
        if digest.reach is None
    ]
    return missing + unowned(reminders)


def unowned(reminders: Reminders) -> list[Outcome]:
    """The actions nobody can be told of, as one outcome naming them."""
    if not reminders.unowned:
        return []
    named = ", ".join(f"{item.postmortem}:{item.action_id or '?'}" for item in reminders.unowned)
    count = len(reminders.unowned)
    verb = "action names" if count == 1 else "actions name"
    return [Outcome(None, None, UNREACHABLE, f"{count} {verb} no owner: {named}")]
