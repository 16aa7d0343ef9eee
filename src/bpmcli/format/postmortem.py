"""The postmortem file of FORMAT.md: front matter + Markdown body, as values.

Reading never trusts the file: typed accessors return None for a missing or mistyped value,
and the lint rules say what is wrong. The front matter itself is read and edited by
`format.frontmatter`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from yaml.nodes import Node

from bpmcli.errors import BpmError, PostmortemError
from bpmcli.format.frontmatter import BOM, Split, parse_yaml, split
from bpmcli.times import as_date, as_timestamp

if TYPE_CHECKING:
    from bpmcli.format.markdown import Outline

FRONT_MATTER_FIELDS = (
    "id",
    "title",
    "kind",
    "status",
    "severity",
    "started",
    "detected",
    "mitigated",
    "resolved",
    "review_by",
    "facilitator",
    "participants",
    "services",
    "tags",
    "actions",
)
ACTION_FIELDS = ("id", "action", "owner", "due", "kind", "status", "ticket", "closed", "reason")
STATUSES = ("draft", "in-review", "published")
ACTION_KINDS = ("prevent", "mitigate", "detect", "process")
ACTION_STATUSES = ("open", "done", "dropped")


# Plain classes and a NamedTuple, not dataclasses: a one-file lint loads this module, and
# creating a dataclass costs 0.2-0.4 ms at start-up (docs/performance.md, "Start-up").


class Section(NamedTuple):
    level: int
    title: str
    line: int  # 1-based line number of the heading in the whole file
    start: int  # character offset of the heading line
    end: int  # character offset where the section ends (next heading of level <= its own)


class Action:
    """One action item as written; typed accessors give None for missing or mistyped values."""

    __slots__ = ("data", "index")

    def __init__(self, data: dict[str, Any], index: int) -> None:
        self.data = data
        self.index = index

    def _text(self, key: str) -> str | None:
        value = self.data.get(key)
        if isinstance(value, str):
            return value.strip() or None
        if isinstance(value, bool) or value is None or isinstance(value, dict | list):
            return None
        return str(value)  # a number or date where a string belongs still reads as text

    @property
    def id(self) -> str | None:
        return self._text("id")

    @property
    def action(self) -> str | None:
        return self._text("action")

    @property
    def owner(self) -> str | None:
        return self._text("owner")

    @property
    def kind(self) -> str | None:
        return self._text("kind")

    @property
    def status(self) -> str | None:
        return self._text("status")

    @property
    def ticket(self) -> str | None:
        return self._text("ticket")

    @property
    def reason(self) -> str | None:
        return self._text("reason")

    @property
    def due(self) -> dt.date | None:
        return as_date(self.data.get("due"))

    @property
    def closed(self) -> dt.date | None:
        return as_date(self.data.get("closed"))

    def is_overdue(self, on: dt.date) -> bool:
        return is_overdue(self.status, self.due, on)


def is_overdue(status: str | None, due: dt.date | None, on: dt.date) -> bool:
    """Overdue on day `on`: open, and due before it. The one definition every report uses."""
    return status == "open" and due is not None and due < on


class Postmortem:
    def __init__(
        self,
        path: Path,
        text: str,
        meta: dict[str, Any],
        where: Split,
        raw: bytes = b"",
        node: Node | None = None,  # the YAML node tree, for line numbers
    ) -> None:
        self.path = path
        self.text = text
        self.meta = meta
        self.where = where
        self.raw = raw
        self.node = node

    @property
    def body(self) -> str:
        return self.text[self.where.body_start :]

    def _text(self, key: str) -> str | None:
        value = self.meta.get(key)
        return value if isinstance(value, str) and value.strip() else None

    @property
    def id(self) -> str:
        return self._text("id") or self.path.stem

    @property
    def title(self) -> str | None:
        return self._text("title")

    @property
    def kind(self) -> str | None:
        return self._text("kind")

    @property
    def status(self) -> str | None:
        return self._text("status")

    @property
    def severity(self) -> str | None:
        return self._text("severity")

    @property
    def facilitator(self) -> str | None:
        return self._text("facilitator")

    @property
    def started(self) -> dt.datetime | None:
        return as_timestamp(self.meta.get("started"))

    @property
    def review_by(self) -> dt.date | None:
        return as_date(self.meta.get("review_by"))

    def timestamp(self, key: str) -> dt.datetime | None:
        return as_timestamp(self.meta.get(key))

    def strings(self, key: str) -> list[str]:
        value = self.meta.get(key)
        if not isinstance(value, list):
            return []
        return [str(item) for item in value if isinstance(item, str | int | float)]

    @cached_property
    def actions(self) -> list[Action]:
        value = self.meta.get("actions")
        if not isinstance(value, list):
            return []
        return [Action(item, i) for i, item in enumerate(value) if isinstance(item, dict)]

    @cached_property
    def outline(self) -> Outline:
        """The body's Markdown structure, parsed once, when first asked for."""
        from bpmcli.format.markdown import Outline

        return Outline.parse(self.text, self.where.body_start, self.where.body_line)

    @cached_property
    def sections(self) -> list[Section]:
        return list(iter_sections(self.outline))

    def section(self, title: str) -> Section | None:
        wanted = title.casefold()
        return next((s for s in self.sections if s.title.casefold() == wanted), None)


def iter_sections(outline: Outline) -> Iterator[Section]:
    """The sections of a body: one per heading outside code, list items and block quotes
    (ATX with up to three leading spaces, or setext), up to the next of its level or above."""
    heads = outline.sections()
    size = len(outline.text)
    for i, head in enumerate(heads):
        end = next((h.start for h in heads[i + 1 :] if h.level <= head.level), size)
        yield Section(head.level, head.text, head.line, head.start, end)


def decode(raw: bytes, path: Path | str) -> str:
    """The file's text; a binary or non-UTF-8 file is an error naming the line."""
    if b"\x00" in raw[:8192]:
        raise PostmortemError("is a binary file, not Markdown", path, 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise PostmortemError("is not UTF-8 text", path, line) from exc


def parse(raw: bytes, path: Path) -> Postmortem:
    """A postmortem from its bytes; PostmortemError, with the line, when it cannot be read."""
    shown = _shown(path)
    text = decode(raw, shown)
    try:
        where = split(text)
    except PostmortemError as exc:
        exc.path = shown
        raise
    if where is None:
        raise PostmortemError("no front matter: the file must start with a '---' line", shown, 1)
    try:
        meta, node = read_meta(text[where.yaml_start : where.yaml_end], where.yaml_line)
    except PostmortemError as exc:
        exc.path = shown
        raise
    return Postmortem(path, text, meta, where, raw, node)


def parse_body(raw: bytes, path: Path) -> Postmortem | None:
    """The body of a file whose front matter is missing or broken (`parse` refused it), with
    no metadata, for the checks that read only the body.

    The body starts after the broken front matter's closing `---`; without an opening `---`
    line, or without a closing one, it is the whole file (as CommonMark reads it: the `---`
    is a thematic break). None when there is nothing to read: the file is not text
    (binary, not UTF-8), or holds nothing but a front matter.
    """
    try:
        text = decode(raw, path)
    except PostmortemError:
        return None
    try:
        where = split(text)
    except PostmortemError:  # opened, never closed: all of it is body
        if not text.partition("\n")[2].strip():
            return None
        where = None
    if where is None:
        start = 1 if text.startswith(BOM) else 0
        end = text.find("\n", start)
        newline = "\r\n" if end > start and text[end - 1] == "\r" else "\n"
        where = Split(start, start, start, 1, 1, newline)
    if not text[where.body_start :].strip():
        return None
    return Postmortem(path, text, {}, where, raw)


def read_meta(source: str, first_line: int) -> tuple[dict[str, Any], Node | None]:
    """The front matter's keys, as every reader of bpm sees them (the model, and the facts
    that history keeps); PostmortemError, with the line, when they cannot be read."""
    meta, node = parse_yaml(source, first_line)
    if meta is None:
        return {}, node
    if not isinstance(meta, dict):
        kind = type(meta).__name__
        raise PostmortemError(
            f"front matter must be a mapping of keys, not a {kind}", line=first_line
        )
    return meta, node


def load(path: Path) -> Postmortem:
    from bpmcli.files import read_bytes

    return parse(read_bytes(path), path)


def load_all(
    paths: Iterable[Path], loader: Callable[[Path], Postmortem] | None = None
) -> tuple[list[Postmortem], list[BpmError]]:
    """Every readable postmortem of `paths`, and the errors of the others, in order."""
    read = loader or load
    found: list[Postmortem] = []
    problems: list[BpmError] = []
    for path in paths:
        try:
            found.append(read(path))
        except BpmError as exc:
            problems.append(exc)
    return found, problems


def _shown(path: Path) -> str:
    from bpmcli.files import display

    return display(path)
