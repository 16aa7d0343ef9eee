"""The facts reports and caches keep of one version of a postmortem's front matter.

A fast line scanner reads the block shape bpm writes; anything else goes to the full YAML
reader (`format.postmortem.parse_yaml`), so both give the same facts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from typing import NamedTuple


class ActionFacts(NamedTuple):
    due: str | None  # ISO date, only when written as a real date (as the model reads it)
    status: str | None
    kind: str | None
    text: str | None
    owner: str | None


class Facts(NamedTuple):
    """What reports need of one version of a postmortem's front matter."""

    status: str | None
    actions: dict[str, ActionFacts]
    started: str | None = None  # the date part of `started`, in its own offset
    review_by: str | None = None
    severity: str | None = None
    services: tuple[str, ...] = ()
    facilitator: str | None = None


class _Unusual(Exception):
    """Front matter outside the simple block shape bpm writes: read it with YAML instead."""


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATED = frozenset(("due", "started", "review_by"))


@lru_cache(maxsize=8192)  # the same few thousand dates, in version after version
def _date_text(value: str | None, timestamp: bool = False) -> str | None:
    """`value` when the model would read it as a date (a timestamp, for `started`), else None."""
    if value is None or not _DATE.match(value):
        return None
    if timestamp:
        if len(value) < 11 or value[10] not in "Tt ":
            return None
    elif len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=65536)  # `status: open` and friends, in every version of every file
def _scalar(raw: str | None, dated: bool = False) -> str | None:
    """A plain or quoted YAML scalar of the simple kinds bpm writes."""
    if raw is None:
        return None
    value = raw.strip()
    if not value or value in ("~", "null"):
        return None
    first = value[0]
    if first in "\"'" and dated:
        raise _Unusual  # a quoted date is a string to YAML: let YAML say so
    if first == '"':
        try:
            text = json.loads(value)
        except ValueError as exc:
            raise _Unusual from exc
        return str(text)
    if first == "'":
        if len(value) < 2 or not value.endswith("'"):
            raise _Unusual
        return value[1:-1].replace("''", "'")
    if first in "[{&*!|>%@`#":
        raise _Unusual
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    if ": " in value:
        raise _Unusual
    return value


@lru_cache(maxsize=8192)  # a postmortem's services line rarely changes between versions
def _flow_list(raw: str) -> tuple[str, ...]:
    """`[a, b]` with plain items; _Unusual for anything richer."""
    value = raw.strip()
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    if not (value.startswith("[") and value.endswith("]")):
        raise _Unusual
    inner = value[1:-1]
    if any(c in inner for c in "[]{}\"'&*!|>#"):
        raise _Unusual
    return tuple(item for item in (part.strip() for part in inner.split(",")) if item)


def front_matter_facts(lines: list[bytes]) -> Facts | None:
    """The facts of a version of a file; None when its front matter is unusable."""
    end = front_matter_end(lines) - 1
    if end <= 0 or end >= len(lines) or lines[end].rstrip() != b"---":
        return None
    text = [line.decode("utf-8", "replace") for line in lines[1:end]]
    try:
        return _scan_facts(text)
    except _Unusual:
        return _yaml_facts("\n".join(text) + "\n")


_WANTED = frozenset(("id", "due", "status", "kind", "action", "owner"))
_TOP = frozenset(("status", "started", "review_by", "severity", "facilitator"))


def _scan_facts(lines: list[str]) -> Facts:
    """The block shape bpm writes, line by line; _Unusual for anything else."""
    top: dict[str, str | None] = {}
    services: list[str] = []
    section = ""  # the top-level key whose block the next indented lines belong to
    item: dict[str, str | None] | None = None
    items: list[dict[str, str | None]] = []
    wanted = _WANTED
    for line in lines:
        if not line or line[0] == "#":
            continue
        first = line[0]
        if first != " " and first != "-":  # a top-level key
            name, colon, rest = line.partition(":")
            if not colon or " " in name or "\t" in name:
                raise _Unusual
            section = name
            if name in _TOP:
                top[name] = _scalar(rest, name in _DATED)
            elif name in ("actions", "services"):
                rest = rest.strip()
                if name == "services" and rest and rest[0] == "[":
                    services.extend(_flow_list(rest))
                elif rest and rest != "[]" and rest[0] != "#":
                    raise _Unusual  # a flow-style list with items, or a scalar
            continue
        if section == "services":
            body = line.lstrip(" ")
            if body and body[0] != "#":
                if body[:2] != "- ":
                    raise _Unusual
                value = _scalar(body[2:])
                if value:
                    services.append(value)
            continue
        if section != "actions":
            continue
        body = line.lstrip(" ")
        if not body or body[0] == "#":
            continue
        if body[:2] == "- ":
            item = {}
            items.append(item)
            body = body[2:]
        elif item is None:
            raise _Unusual
        name, colon, rest = body.partition(":")
        if not colon or (rest and rest[0] != " ") or " " in name:
            raise _Unusual
        if name in wanted:
            item[name] = _scalar(rest, name in _DATED)
    actions: dict[str, ActionFacts] = {}
    for entry in items:
        key = entry.get("id")
        if key:
            actions[key] = ActionFacts(
                _date_text(entry.get("due")),
                entry.get("status"),
                entry.get("kind"),
                entry.get("action"),
                entry.get("owner"),
            )
    return Facts(
        top.get("status"),
        actions,
        _date_text(top.get("started"), timestamp=True),
        _date_text(top.get("review_by")),
        top.get("severity"),
        tuple(services),
        top.get("facilitator"),
    )


def _yaml_date(value: object) -> str | None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        return None
    return value.isoformat()


def _yaml_text(value: object) -> str | None:
    """A value as the model's text accessors read it."""
    if isinstance(value, str):
        return value.strip() or None
    if value is None or isinstance(value, bool | dict | list):
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _yaml_facts(source: str) -> Facts | None:
    from bpmcli.errors import PostmortemError
    from bpmcli.format.frontmatter import parse_yaml

    try:
        data, _ = parse_yaml(source, 2)
    except PostmortemError:
        return None  # broken YAML in this version: the commit is skipped
    if not isinstance(data, dict):
        return None
    actions: dict[str, ActionFacts] = {}
    raw = data.get("actions")
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, dict) and _yaml_text(entry.get("id")) is not None:
            actions[str(_yaml_text(entry["id"]))] = ActionFacts(
                _yaml_date(entry.get("due")),
                _yaml_text(entry.get("status")),
                _yaml_text(entry.get("kind")),
                _yaml_text(entry.get("action")),
                _yaml_text(entry.get("owner")),
            )
    started = data.get("started")
    services = data.get("services")
    return Facts(
        _yaml_text(data.get("status")),
        actions,
        started.date().isoformat()
        if isinstance(started, dt.datetime) and started.tzinfo is not None
        else None,
        _yaml_date(data.get("review_by")),
        _yaml_text(data.get("severity")),
        tuple(str(s) for s in services if isinstance(s, str | int | float))
        if isinstance(services, list)
        else (),
        _yaml_text(data.get("facilitator")),
    )


def front_matter_end(lines: list[bytes]) -> int:
    """The 1-based line of the closing `---`; 0 without front matter."""
    if not lines or lines[0].removeprefix(b"\xef\xbb\xbf").rstrip() != b"---":
        return 0
    return next((i + 1 for i in range(1, len(lines)) if lines[i].rstrip() == b"---"), len(lines))
