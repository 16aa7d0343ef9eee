"""`bpm action`: add, close and list action items, in the front matter where tools read them.

Edits go through the model's round-trip editing: comments, key order and unknown keys
survive. A new action is checked by the same rules as `bpm lint`; one that lint would
reject is refused unless forced.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bpmcli.config import Config
from bpmcli.errors import BpmError, PostmortemError, UsageError
from bpmcli.files import display, rewrite
from bpmcli.format.frontmatter import edit_text, one_line, set_field
from bpmcli.format.postmortem import (
    ACTION_KINDS,
    Postmortem,
    decode,
    parse,
)
from bpmcli.times import add_days

_RELATIVE = re.compile(r"^\+(\d+)([dw])$")
_ID = re.compile(r"^A(\d+)$")


def due_date(value: str | None, pm: Postmortem, config: Config, today: dt.date) -> dt.date:
    """`--due`: YYYY-MM-DD, `+10d`, `+2w`; by default started + the severity's SLA."""
    if value is not None:
        relative = _RELATIVE.match(value.strip())
        if relative:
            days = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
            return add_days(today, days, f"--due {value.strip()}")
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise UsageError(f"--due {value!r} is not YYYY-MM-DD, +Nd or +Nw") from exc
    severity, started = pm.severity, pm.started
    sla = config.action_due_days.get(severity or "")
    if started is None or sla is None:
        raise UsageError(
            f"no default due date: the postmortem's severity {severity!r} has no "
            "action_due_days entry, or it has no valid 'started'; give --due"
        )
    from bpmcli.times import zone

    return add_days(started.astimezone(zone(config.timezone)).date(), sla, "the default due date")


@dataclass(frozen=True)
class NewAction:
    action: str
    owner: str | None
    due: dt.date
    kind: str
    ticket: str | None = None

    def as_data(self, action_id: str) -> dict[str, Any]:
        data: dict[str, Any] = {"id": action_id, "action": self.action}
        if self.owner:
            data["owner"] = self.owner
        data |= {"due": self.due, "kind": self.kind, "status": "open"}
        if self.ticket:
            data["ticket"] = self.ticket
        return data


@dataclass(frozen=True)
class Problem:
    code: str
    severity: str
    message: str


def review(new: NewAction, pm: Postmortem, config: Config, today: dt.date) -> list[Problem]:
    """What `bpm lint` would say of the new action alone (its action rules)."""
    from bpmcli.lint.engine import settings
    from bpmcli.lint.rule import Context
    from bpmcli.lint.rules import all_rules

    chosen = settings(config, today)
    alone = Postmortem(pm.path, pm.text, {**pm.meta, "actions": [new.as_data("A0")]}, pm.where)
    context = Context(alone, config, today, chosen.options)
    problems = []
    for code, rule in all_rules().items():
        if code.startswith("BPM1") and code != "BPM106" and code in chosen.severities:
            for hit in rule.check(context):
                message = hit.message.replace("action A0 ", "the action ")
                problems.append(Problem(code, chosen.severities[code], message))
    return problems


def next_id(pm: Postmortem) -> str:
    """One more than any id the file holds or, in git, ever held: ids are never reused."""
    from bpmcli.store.repo import action_numbers_ever

    numbers = {int(m.group(1)) for a in pm.actions if a.id and (m := _ID.match(a.id))}
    numbers |= action_numbers_ever(pm.path)
    return f"A{max(numbers, default=0) + 1}"


def add(path: Path, new: NewAction) -> str:
    """Append the action to the file; its new id."""
    if not new.action.strip():
        raise UsageError("the action text must not be empty")
    if new.kind not in ACTION_KINDS:
        raise UsageError(f"--kind must be one of {', '.join(ACTION_KINDS)}")
    for what, value in (
        ("the action text", new.action),
        ("--owner", new.owner),
        ("--ticket", new.ticket),
    ):
        one_line(what, value)
    chosen: list[str] = []

    def append(raw: bytes) -> bytes:
        pm = parse(raw, path)
        action_id = next_id(pm)
        chosen.append(action_id)

        def mutate(data: Any) -> None:
            from ruamel.yaml.comments import CommentedMap, CommentedSeq

            actions = data.get("actions")
            if actions is None:
                actions = CommentedSeq()
                set_field(data, "actions", actions)
            if not isinstance(actions, list):
                raise PostmortemError("'actions' is not a list", display(path), pm.where.yaml_line)
            style = getattr(actions, "fa", None)
            if style is not None and style.flow_style():
                style.set_block_style()  # `actions: []` becomes a block list
            actions.append(CommentedMap(new.as_data(action_id)))

        return edit_text(decode(raw, display(path)), mutate, display(path)).encode("utf-8")

    rewrite(path, append)
    return chosen[0]


def close(
    path: Path, action_id: str, status: str, today: dt.date, reason: str | None = None
) -> None:
    """Mark an open action `done` or `dropped` (with its reason), dated today."""
    if status == "dropped" and not (reason and reason.strip()):
        raise UsageError("dropping an action needs --reason: an honest won't-do is a result")
    one_line("--reason", reason)

    def mark(raw: bytes) -> bytes:
        pm = parse(raw, path)
        found = [a for a in pm.actions if a.id == action_id]
        if not found:
            ids = ", ".join(a.id for a in pm.actions if a.id) or "none"
            raise UsageError(f"no action {action_id} in {display(path)} (its actions: {ids})")
        last = found[-1]  # a repeated id: the last, as reports read it (format/facts.py)
        if last.status != "open":
            raise PostmortemError(f"action {action_id} is {last.status}, not open", display(path))
        index = last.index

        def mutate(data: Any) -> None:
            item = data["actions"][index]
            set_field(item, "status", status)
            set_field(item, "closed", today)
            if reason:
                set_field(item, "reason", reason.strip())

        return edit_text(decode(raw, display(path)), mutate, display(path)).encode("utf-8")

    rewrite(path, mark)


def set_ticket(path: Path, action_id: str, ticket: str) -> None:
    """Write `ticket` into the action's `ticket` field (an action without one: `bpm tickets
    create`), by the same round-trip edit as `close`: one atomic write under the lock."""
    one_line("the ticket reference", ticket)

    def write(raw: bytes) -> bytes:
        pm = parse(raw, path)
        found = [a for a in pm.actions if a.id == action_id]
        if not found:
            raise PostmortemError(f"no action {action_id} any more", display(path))
        index = found[-1].index

        def mutate(data: Any) -> None:
            set_field(data["actions"][index], "ticket", ticket)

        return edit_text(decode(raw, display(path)), mutate, display(path)).encode("utf-8")

    rewrite(path, write)


@dataclass(frozen=True)
class ActionRow:
    """One row of `bpm action list`; JSON keys documented in docs/cli.md."""

    postmortem: str
    path: str
    id: str | None
    action: str | None
    owner: str | None
    due: str | None
    kind: str | None
    status: str | None
    ticket: str | None
    closed: str | None
    overdue: bool

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_actions(
    config: Config, today: dt.date, owner: str | None = None, status: str | None = None
) -> tuple[list[ActionRow], list[BpmError]]:
    rows: list[ActionRow] = []
    from bpmcli.store.workspace import Workspace

    postmortems, problems = Workspace(config).read_all(use_cache=False)
    for pm in postmortems:
        path = pm.path
        for a in pm.actions:
            if (owner and a.owner != owner) or (status and a.status != status):
                continue
            rows.append(
                ActionRow(
                    pm.id,
                    display(path),
                    a.id,
                    a.action,
                    a.owner,
                    a.due.isoformat() if a.due else None,
                    a.kind,
                    a.status,
                    a.ticket,
                    a.closed.isoformat() if a.closed else None,
                    a.is_overdue(today),
                )
            )
    rows.sort(key=lambda r: (r.due or "9999", r.postmortem, r.id or ""))
    return rows, problems


def columns() -> Sequence[str]:
    return list(ActionRow.__dataclass_fields__)
