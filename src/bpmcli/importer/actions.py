"""Action items out of tables, bullets and task lists.

Owners and due dates are never invented: an owner comes only from an owner column, a due
date from nowhere (no public postmortem we have seen gives one per item). What is missing
stays missing, so `bpm lint` lists exactly what the team must fill in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bpmcli.importer.document import (
    BULLET,
    DELIMITER,
    TABLE_ROW,
    continuation,
    headings_at,
    in_code,
    normalize,
    table_cells,
)

KINDS = {
    "prevent": "prevent",
    "prevention": "prevent",
    "preventative": "prevent",
    "preventive": "prevent",
    "mitigate": "mitigate",
    "mitigation": "mitigate",
    "corrective": "mitigate",
    "correction": "mitigate",
    "repair": "mitigate",
    "detect": "detect",
    "detection": "detect",
    "detective": "detect",
    "monitoring": "detect",
    "alerting": "detect",
    "process": "process",
}
DONE = re.compile(r"\b(done|completed?|fixed|closed|resolved|shipped|merged)\b|✅|✔", re.I)
DROPPED = re.compile(r"\b(won'?t (do|fix)|wontfix|dropped|cancell?ed|abandoned)\b", re.I)
NOT_AN_OWNER = {"", "-", "—", "n/a", "na", "tbd", "tba", "?", "none", "unassigned", "nobody"}
TASK = re.compile(r"^\[( |x|X|)\]\s*")
TICKET = re.compile(
    r"https?://\S+?/(?:issues|pull|pulls|browse|tickets?)/[\w-]+|(?<![\w/])#\d+\b|\b[A-Z][A-Z0-9]+-\d+\b"
)
ACTION_HEADER = re.compile(r"\b(action|actions|item|description|task|what|remediation)\b", re.I)
OWNER_HEADER = re.compile(r"\b(owner|owners|owning team|assignee|assigned|who|team)\b", re.I)
TYPE_HEADER = re.compile(r"\b(type|kind|category)\b", re.I)
TICKET_HEADER = re.compile(r"\b(bug|issue|ticket|tracking|link|pr|jira)\b", re.I)
STATUS_HEADER = re.compile(r"\b(status|state|done)\b", re.I)


@dataclass
class Item:
    action: str
    owner: str | None = None
    kind: str | None = None
    status: str = "open"
    ticket: str | None = None


@dataclass
class Found:
    items: list[Item] = field(default_factory=list)
    converted: set[int] = field(default_factory=set)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "").replace("__", "")).strip()


def _status(text: str) -> str:
    if DROPPED.search(text):
        return "dropped"
    return "done" if DONE.search(text) else "open"


def _kind(text: str) -> str | None:
    return KINDS.get(normalize(text).split(" ")[0]) if text.strip() else None


def extract(lines: list[str]) -> Found:
    """Action items in an Action items section's lines (its heading excluded)."""
    found, bullets = Found(), Found()
    index = 0
    code = in_code(lines)
    heads = headings_at(lines)
    done_here = False  # under a sub-heading such as "Immediate actions (completed)"
    while index < len(lines):
        line = lines[index]
        if code[index]:
            index += 1
            continue
        heading = heads.get(index)
        if heading:
            done_here = bool(DONE.search(heading.text))
            index = heading.end
            continue
        if TABLE_ROW.match(line) and index + 1 < len(lines) and DELIMITER.match(lines[index + 1]):
            index = _table(lines, index, found)
            continue
        bullet = BULLET.match(line)
        if bullet and len(bullet.group(1)) <= 1:
            index = _bullet(lines, index, bullet.group(2), done_here, bullets)
            continue
        index += 1
    if not found.items:  # with a table of actions, bullets are its commentary (legends...)
        found.items, found.converted = bullets.items, found.converted | bullets.converted
    return found


def _bullet(lines: list[str], index: int, text: str, done_here: bool, found: Found) -> int:
    """One top-level bullet (its continuation lines joined; nested bullets are details)."""
    task = TASK.match(text)
    body = text[task.end() :] if task else text
    end = continuation(lines, index + 1, any_bullet=True)  # nested bullets: details, kept
    found.converted.update(range(index, end))
    parts = [body] + [line.strip() for line in lines[index + 1 : end]]
    index = end
    action = _one_line(" ".join(parts))
    if not action:
        return index
    if task:
        status = "done" if task.group(1) in ("x", "X") else "open"
    elif done_here:
        status = "done"
    else:
        status = _status_marker(action)
    ticket = TICKET.search(action)
    found.items.append(Item(action, status=status, ticket=ticket.group(0) if ticket else None))
    return index


def _status_marker(text: str) -> str:
    """`DONE:`, `(done)`, `[DONE]`, a check mark: an item marked as done or dropped."""
    if re.search(r"(^|\(|\[)\s*(DONE|Done)\b|\(done\)|✅|✔", text):
        return "done"
    if re.search(r"\((won'?t do|dropped|wontfix)\)", text, re.I):
        return "dropped"
    return "open"


def _table(lines: list[str], index: int, found: Found) -> int:
    header = table_cells(lines[index])
    end = index + 2
    while end < len(lines) and TABLE_ROW.match(lines[end]):
        end += 1

    def column(pattern: re.Pattern[str], *taken: int | None) -> int | None:
        return next((i for i, h in enumerate(header) if i not in taken and pattern.search(h)), None)

    action_col = column(ACTION_HEADER)
    if action_col is None:
        return end  # not an action table: left as it is
    owner_col = column(OWNER_HEADER, action_col)
    type_col = column(TYPE_HEADER, action_col, owner_col)
    ticket_col = column(TICKET_HEADER, action_col, owner_col, type_col)
    status_col = column(STATUS_HEADER, action_col, owner_col, type_col, ticket_col)

    def cell(cells: list[str], at: int | None) -> str:
        return cells[at].strip() if at is not None and at < len(cells) else ""

    for row_index in range(index + 2, end):
        cells = table_cells(lines[row_index])
        action = _one_line(cell(cells, action_col))
        if not action:
            continue
        owner = cell(cells, owner_col)
        ticket = cell(cells, ticket_col)
        link = re.search(r"\]\(([^)]+)\)", ticket)
        found.items.append(
            Item(
                action,
                owner=None if owner.lower() in NOT_AN_OWNER else _one_line(owner),
                kind=_kind(cell(cells, type_col)),
                status=_status(cell(cells, status_col)) if status_col is not None else "open",
                ticket=(link.group(1) if link else ticket) or None,
            )
        )
    found.converted.update(range(index, end))
    return end
