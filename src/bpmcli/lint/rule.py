"""Rules: their codes, default severities and documentation, registered in one place.

A rule is a small function over a parsed postmortem that yields hits; adding one is one
function with the `@rule` decorator in its family's module, and its entry appears in
docs/rules.md (generated from this registry) and in SARIF output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any, NamedTuple

from bpmcli.config import Config
from bpmcli.format.postmortem import Postmortem

# NamedTuples and a plain class, not dataclasses: a one-file lint loads this module, and
# creating a dataclass costs 0.2-0.4 ms at start-up (docs/performance.md, "Start-up").


class Hit(NamedTuple):
    line: int
    column: int
    message: str
    # What the finding is about, stable while the file does not change it: an action
    # ("action A1"), a key ("review_by"), a section, the phrase flagged. SARIF and GitLab
    # fingerprints hash it, never the message, which may say "overdue by 3 days" today and
    # "4 days" tomorrow.
    subject: str = ""


class Context:
    """One postmortem being linted, with helpers to place findings on lines."""

    def __init__(
        self,
        pm: Postmortem,
        config: Config,
        today: dt.date,
        options: Mapping[str, Mapping[str, Any]] | None = None,
        memo: dict[str, Any] | None = None,
    ) -> None:
        self.pm = pm
        self.config = config
        self.today = today
        self.options: Mapping[str, Mapping[str, Any]] = {} if options is None else options
        self.memo: dict[str, Any] = (
            {} if memo is None else memo
        )  # work shared by rules of one family

    def option(self, code: str, name: str, default: Any) -> Any:
        return self.options.get(code, {}).get(name, default)

    @cached_property
    def _root(self) -> Any:
        node = self.pm.node
        return node if node is not None and hasattr(node.value, "__iter__") else None

    def _line(self, node: Any) -> tuple[int, int]:
        mark = node.start_mark
        return self.pm.where.yaml_line + mark.line, mark.column + 1

    def key(self, name: str) -> tuple[int, int]:
        """Where the top-level key `name` is written; the front matter's start if absent."""
        found = _key_node(self._root, name)
        return self._line(found) if found is not None else (self.pm.where.yaml_line - 1, 1)

    def action(self, index: int, name: str | None = None) -> tuple[int, int]:
        """Where action `index` (or its key `name`) is written."""
        actions = _value_node(self._root, "actions")
        items = getattr(actions, "value", None)
        if not isinstance(items, list) or index >= len(items):
            return self.key("actions")
        item = items[index]
        if name is not None:
            found = _key_node(item, name)
            if found is not None:
                return self._line(found)
        return self._line(item)


def _pairs(node: Any) -> list[tuple[Any, Any]]:
    value = getattr(node, "value", None)
    if not isinstance(value, list) or not value or not isinstance(value[0], tuple):
        return []
    return value


def _key_node(node: Any, name: str) -> Any:
    return next((k for k, _ in _pairs(node) if getattr(k, "value", None) == name), None)


def _value_node(node: Any, name: str) -> Any:
    return next((v for k, v in _pairs(node) if getattr(k, "value", None) == name), None)


def duplicate_keys(node: Any) -> Iterator[Any]:
    """Key nodes that repeat an earlier key of the same mapping (YAML keeps the last)."""
    seen: set[str] = set()
    for key, _ in _pairs(node):
        value = getattr(key, "value", None)
        if isinstance(value, str):
            if value in seen:
                yield key
            seen.add(value)


Check = Callable[[Context], Iterable[Hit]]

# Where an example snippet sits in a postmortem, as `bpm lint --explain` and docs/rules.md
# say it; tests/lint/test_examples.py puts each snippet there in a valid postmortem.
PLACES = {
    "file": "a whole file",
    "front matter": "keys of the front matter (the other keys valid)",
    "action item": "an item of `actions:`, after a valid item A1",
    "action": "the `action:` text of an action item",
    "timeline": "what the Timeline section holds",
    "timeline rows": "the rows of the timeline table",
    "heading": "the heading of the Impact section (a required section)",
    "prose": "a paragraph of the body",
    "folder": "the name of a file in the postmortem's folder",
}


class Examples(NamedTuple):
    """Short snippets the rule flags and leaves alone, all in one place (a key of PLACES)."""

    place: str
    flagged: tuple[str, ...]
    not_flagged: tuple[str, ...]


class Rule(NamedTuple):
    code: str
    name: str
    severity: str  # the default: "error" or "warning"
    summary: str  # one line: what it finds
    why: str  # why it exists
    fix: str  # how to fix a finding
    check: Check
    examples: Examples | None = None
    # False: it also runs on a file whose front matter is missing or broken (the body only)
    needs_front_matter: bool = True
    # True: some of its findings have a certain fix (lint/fixes.py), made by `bpm lint --fix`
    fixable: bool = False


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: str,
    summary: str,
    why: str,
    fix: str,
    *,
    examples: Examples | None = None,
    needs_front_matter: bool = True,
    fixable: bool = False,
) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        assert code not in RULES, f"{code} registered twice"
        assert examples is None or examples.place in PLACES, f"{code}: unknown example place"
        RULES[code] = Rule(
            code, name, severity, summary, why, fix, check, examples, needs_front_matter, fixable
        )
        return check

    return register


def engine_rule(
    code: str,
    name: str,
    severity: str,
    summary: str,
    why: str,
    fix: str,
    *,
    examples: Examples | None = None,
    fixable: bool = False,
) -> None:
    """A rule the engine itself applies (unreadable files, stale suppressions); both also
    apply to a file whose front matter is missing or broken."""
    rule(
        code,
        name,
        severity,
        summary,
        why,
        fix,
        examples=examples,
        needs_front_matter=False,
        fixable=fixable,
    )(lambda ctx: ())
