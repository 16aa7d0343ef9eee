"""Action items out of tables, bullets and task lists.

Owners and due dates are never invented: an owner comes from an owner column or an
`Owner: @name` the item states, a due date from a due column (`Due`, `Expected Date`) or
a `Due: 2024-05-01` the item states. What is missing stays missing, so `bpm lint` lists
exactly what the team must fill in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bpmcli.importer.dates import find_date
from bpmcli.importer.document import (
    BULLET,
    headings_at,
    in_code,
    normalize,
    outline,
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
NOT_AN_OWNER = {"", "-", "—", "n/a", "na", "tbd", "tba", "none", "unassigned", "nobody", "x"}
PLACEHOLDER = re.compile(r"^[?.\s_-]*$|^<[^<>]*>$|^\{\{[^{}]*\}\}$")  # `???`, `<owner>`
TASK = re.compile(r"^\[( |x|X|)\]\s*")
URL = re.compile(r"https?://\S+")
TICKET_PATH = re.compile(r"/(?:issues|pull|pulls|browse|tickets?)/[\w-]+")
TICKET_REF = re.compile(r"(?<![\w/#])#\d+\b|\b[A-Z][A-Z0-9]{1,9}-\d+\b")
ACTION_HEADER = re.compile(r"\b(action|actions|item|description|task|what|remediation)\b", re.I)
OWNER_HEADER = re.compile(r"\b(owner|owners|owning team|assignee|assigned|who|team)\b", re.I)
TYPE_HEADER = re.compile(r"\b(type|kind|category)\b", re.I)
TICKET_HEADER = re.compile(r"\b(bug|issue|ticket|tracking|link|pr|jira|reference|ref)\b", re.I)
STATUS_HEADER = re.compile(r"\b(status|state|done)\b", re.I)
DUE_HEADER = re.compile(r"\b(due|deadline|expected date|target date|eta|by when)\b", re.I)
# what the team wrote of an item's state: `DONE`, `[FIXED](url)`, `(done)`, `_done in grafana_`
DONE_MARK = re.compile(
    r"(?:^|[(\[*_ ])(?:DONE|FIXED|Done|Fixed|RESOLVED|COMPLETED)\b"
    r"|\((?:done|fixed|completed)\)|✅|✔"
    r"|[_*](?:done|fixed|completed)\b[^_*\n]{0,40}[_*]\W*$",
)
DROPPED_MARK = re.compile(
    r"\((?:won'?t do|won'?t fix|dropped|wontfix)\)|\bWON'?T (?:DO|FIX)\b", re.I
)
# `Owner: @nova`, `OWNER: amirh@` (a handle written before its @), `owner: Nova`
OWNER_INLINE = re.compile(r"\b(?:[Oo]wner|OWNER):[ \t]*(@[\w.-]+|\w[\w.-]*@(?!\w)|[A-Z][\w.-]+)")
DUE_INLINE = re.compile(r"\b[Dd]ue(?:[ \t]date)?:?[ \t]+(?=\d|[A-Z][a-z])")
STATE_LEAD = re.compile(
    r"[*_]*(completed?|done|fixed|finished|resolved|open|to ?do|pending|planned)[*_]*:[*_]*",
    re.I,
)
# a paragraph that is one action, led by a bold label: `**Action item:** text`, `**Action
# taken:** text` (done), `**Action planned:** text`, or by the team's bold status word:
# `**TODO**: text`, `**DONE**: text`, `**DOING** text`
BOLD_LEAD = re.compile(
    r"^(?:\*\*|__)(?:(?i:actions? (?:items?|taken|planned))|(TODO|DONE|DOING|FIXED|WIP))"
    r":?(?:\*\*|__):?[ \t]+(?=\S)"
)
TAKEN = re.compile(r"\b(?:taken|completed?|done|finished|implemented)\b", re.I)
# what a lead-in names: "we created follow up action items:", "**Actions planned:**"
LEAD_WORDS = re.compile(
    r"\b(?:action items?|actions|follow[- ]?up(?:s| actions?| items?| tasks?)?|next steps"
    r"|to-?dos?|remediations?)\b",
    re.I,
)
ACTIONS_WORD = re.compile(r"\bactions?\b", re.I)


def lead_in(line: str) -> bool:
    """A line that announces a list of actions: it ends with `:` (emphasis around it
    allowed) and its last sentence names actions, follow-ups, next steps or remediation."""
    core = line.strip().rstrip("*_").rstrip()
    if not core.endswith(":"):
        return False
    last = core[core.rfind(".") + 1 :]
    if len(core) < len(line.strip()):  # `**Actions planned:**`; `**Remediation:**` over
        return ACTIONS_WORD.search(last) is not None  # bullets says what was done
    return LEAD_WORDS.search(last) is not None


def lead_status(line: str) -> bool:
    """Whether a lead-in says its actions are done: `**Actions taken:**`, `Completed:`."""
    return TAKEN.search(line) is not None


def lead_paragraph(line: str) -> tuple[str, bool] | None:
    """`**Action taken:** text` and its kin: the action's text, and whether it is done."""
    match = BOLD_LEAD.match(line)
    if match is None:
        return None
    label = line[: match.end()]
    done = bool(match.group(1) in ("DONE", "FIXED") or TAKEN.search(label))
    return line[match.end() :], done


@dataclass
class Item:
    action: str
    owner: str | None = None
    kind: str | None = None
    status: str = "open"
    ticket: str | None = None
    due: dt.date | None = None


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


def _owner(text: str) -> str | None:
    value = _one_line(text)
    if value.lower() in NOT_AN_OWNER or PLACEHOLDER.match(value):
        return None
    return value


def ticket_in(text: str) -> str | None:
    """An issue or pull request link, `#123` or `ABC-123` (each URL read once: linear)."""
    for url in URL.finditer(text):
        if path := TICKET_PATH.search(url.group(0)):
            return url.group(0)[: path.end()]
    ref = TICKET_REF.search(text)
    return ref.group(0) if ref else None


def is_action_table(header: list[str]) -> bool:
    """A table that is an action list by its header, wherever it is: an `Action item`
    column, or an action column beside an owner or status column."""
    if any(re.search(r"\baction items?\b|\bfollow[- ]?ups?\b", cell, re.I) for cell in header):
        return True
    has = [any(p.search(cell) for cell in header) for p in (ACTION_HEADER, OWNER_HEADER)]
    return all(has)


def extract(lines: list[str], near: dt.date | None = None) -> Found:
    """Action items in an Action items section's lines (its heading excluded)."""
    found, bullets = Found(), Found()
    index = 0
    code = in_code(lines)
    heads = headings_at(lines)
    tables = {t.first: t for t in outline(lines).tables if not t.nested}
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
        if index in tables:
            index = table(lines, index, tables[index].last + 1, found, near)
            continue
        bullet = BULLET.match(line)
        if bullet and len(bullet.group(1)) <= 1:
            index = _bullet(lines, index, bullet.group(2), done_here, bullets, near)
            continue
        if lead := lead_paragraph(line):  # `**Action item:** Start incidents earlier.`
            index = _bullet(lines, index, lead[0], done_here or lead[1], bullets, near)
            continue
        state = STATE_LEAD.fullmatch(line.strip())
        if state:  # `Completed:` over a list, as a sub-heading would say it
            done_here = bool(DONE.search(state.group(1)))
        index += 1
    if not found.items:  # with a table of actions, bullets are its commentary (legends...)
        found.items, found.converted = bullets.items, found.converted | bullets.converted
    return found


def list_items(
    lines: list[str], start: int, near: dt.date | None = None, done: bool = False
) -> tuple[Found, int]:
    """The bullets of the list at `start` (after a lead-in; `done` when it says they were
    taken), and where that list ends."""
    found = Found()
    index = start
    while index < len(lines):
        bullet = BULLET.match(lines[index])
        if not (bullet and len(bullet.group(1)) <= 1):
            break
        index = _bullet(lines, index, bullet.group(2), done, found, near)
        while index < len(lines) and not lines[index].strip():
            if index + 1 < len(lines) and BULLET.match(lines[index + 1]):
                index += 1
            else:
                break
    return found, index


def paragraph_item(
    lines: list[str], index: int, lead: tuple[str, bool], found: Found, near: dt.date | None
) -> int:
    """A paragraph that is one action by its bold lead, and where it ends."""
    return _bullet(lines, index, lead[0], lead[1], found, near)


def _item_end(lines: list[str], index: int) -> int:
    """Past one top-level item: its continuation lines and its nested items (sub-tasks
    are part of their action), up to a blank line or the next top-level item."""
    read = outline(lines)
    heads = {h.line for h in read.headings}
    while index < len(lines):
        line = lines[index]
        if not line.strip() or index in heads:
            break
        bullet = BULLET.match(line)
        if bullet and len(bullet.group(1)) <= 1:
            break
        index += 1
    # nested items after a blank line still belong to the item
    while index + 1 < len(lines) and not lines[index].strip() and lines[index + 1].startswith("  "):
        if not lines[index + 1].strip() or read.in_code(index + 1):
            break
        index += 2
        while index < len(lines) and lines[index].strip() and index not in heads:
            nested = BULLET.match(lines[index])
            if nested and len(nested.group(1)) <= 1:
                return index
            index += 1
    return index


def _bullet(
    lines: list[str],
    index: int,
    text: str,
    done_here: bool,
    found: Found,
    near: dt.date | None,
) -> int:
    """One top-level bullet, its continuation lines and its nested sub-tasks joined."""
    task = TASK.match(text)
    body = text[task.end() :] if task else text
    end = _item_end(lines, index + 1)
    found.converted.update(range(index, end))
    parts = [body] + [line.strip() for line in lines[index + 1 : end] if line.strip()]
    action = _one_line(" ".join(parts))
    if not action:
        return end
    if task:
        status = "done" if task.group(1) in ("x", "X") else "open"
    elif done_here:
        status = "done"
    else:
        status = _status_marker(action)
    owner = OWNER_INLINE.search(action)
    found.items.append(
        Item(
            action,
            owner=_owner(owner.group(1).rstrip(".")) if owner else None,
            status=status,
            ticket=ticket_in(action),
            due=_due_inline(action, near),
        )
    )
    return end


def _due_inline(text: str, near: dt.date | None) -> dt.date | None:
    """`Due: 2024-05-01`, `due 3 May 2024`: a due date the item states (never guessed)."""
    match = DUE_INLINE.search(text)
    if match is None:
        return None
    found = find_date(text[match.end() : match.end() + 24])
    return found[0] if found and found[1].start() == 0 else None


def _status_marker(text: str) -> str:
    """`DONE:`, `(done)`, `[FIXED](url)`, `_done in grafana_`, a check mark: an item marked
    as done, or dropped."""
    if DROPPED_MARK.search(text):
        return "dropped"
    return "done" if DONE_MARK.search(text) else "open"


def table(lines: list[str], index: int, end: int, found: Found, near: dt.date | None = None) -> int:
    header = table_cells(lines[index])

    def column(pattern: re.Pattern[str], *taken: int | None) -> int | None:
        return next((i for i, h in enumerate(header) if i not in taken and pattern.search(h)), None)

    action_col = column(ACTION_HEADER)
    if action_col is None:
        return end  # not an action table: left as it is
    owner_col = column(OWNER_HEADER, action_col)
    due_col = column(DUE_HEADER, action_col, owner_col)
    type_col = column(TYPE_HEADER, action_col, owner_col, due_col)
    ticket_col = column(TICKET_HEADER, action_col, owner_col, type_col, due_col)
    status_col = column(STATUS_HEADER, action_col, owner_col, type_col, ticket_col, due_col)

    def cell(cells: list[str], at: int | None) -> str:
        return cells[at].strip() if at is not None and at < len(cells) else ""

    for row_index in range(index + 2, end):
        cells = table_cells(lines[row_index])
        action = _one_line(cell(cells, action_col))
        if not action:
            continue
        ticket = cell(cells, ticket_col)
        link = re.search(r"\]\(([^()\s]+)\)", ticket)
        if status_col is not None:
            status = _status(cell(cells, status_col))
        else:  # `**DONE**` in a reference column: the team's own word
            others = [c for i, c in enumerate(cells) if i != action_col]
            status = next((s for c in others if (s := _status_marker(c)) != "open"), "open")
        due = find_date(cell(cells, due_col)) if due_col is not None else None
        found.items.append(
            Item(
                action,
                owner=_owner(cell(cells, owner_col)),
                kind=_kind(cell(cells, type_col)),
                status=status,
                ticket=(link.group(1) if link else _one_line(ticket)) or None,
                due=due[0] if due else None,
            )
        )
    found.converted.update(range(index, end))
    return end
