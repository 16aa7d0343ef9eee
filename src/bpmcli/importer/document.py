"""A postmortem written in someone else's shape: its front matter, title and sections."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bpmcli.errors import PostmortemError

if TYPE_CHECKING:
    from bpmcli.format.markdown import Outline

# FORMAT.md's sections, and the headings other teams give them.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "Summary": ("summary", "overview", "tl;dr", "tldr", "executive summary", "incident summary"),
    "Impact": (
        "impact",
        "customer impact",
        "user impact",
        "impact assessment",
        "what was impacted",
    ),
    "Timeline": ("timeline", "chronology", "sequence of events", "incident timeline"),
    "Contributing factors": (
        "contributing factors",
        "contributing factor",
        "root cause",
        "root causes",
        "trigger",
        "triggers",
        "why",
        "whys",
        "five whys",
        "5 whys",
        "why did it happen",
        "causes",
        "cause",
    ),
    "What we learned": (
        "what we learned",
        "lessons learned",
        "lessons learnt",
        "lessons",
        "learnings",
        "what went well",
        "what went wrong",
        "what went poorly",
        "what went badly",
        "where we got lucky",
        "takeaways",
    ),
    "Action items": (
        "action items",
        "action item",
        "corrective actions",
        "corrective measures",
        "corrective and preventative measures",
        "corrective and preventive measures",
        "preventative measures",
        "preventive measures",
        "remediation",
        "remediations",
        "follow-ups",
        "follow ups",
        "followups",
        "follow-up actions",
        "next steps",
        "what we're doing about it",
        "what we are doing about it",
    ),
}


@dataclass
class Source:
    """The file as read: text without its front matter, and that front matter."""

    name: str
    body: str  # LF line endings
    meta: dict[str, Any] = field(default_factory=dict)
    front_matter: str | None = None  # verbatim, kept in the imported file
    front_matter_kind: str | None = None  # "YAML" or "TOML"
    first_line: int = 1  # the body's first line in the file


def read(raw: bytes, name: str) -> Source:
    """Decode and split a file; PostmortemError for what cannot be a postmortem at all."""
    if not raw.strip():
        raise PostmortemError("the file is empty", name)
    if b"\0" in raw[:8192]:
        raise PostmortemError("a binary file, not Markdown", name)
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PostmortemError("not UTF-8 text", name, line) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _split_front_matter(text, name)


def _split_front_matter(text: str, name: str) -> Source:
    for marker, kind in (("---", "YAML"), ("+++", "TOML")):
        if not text.startswith(marker + "\n"):
            continue
        end = re.search(rf"^{re.escape(marker)}[ \t]*$", text[len(marker) + 1 :], re.M)
        if end is None:
            return Source(name, text)  # never closed: it is all body, kept as written
        raw = text[len(marker) + 1 : len(marker) + 1 + end.start()]
        rest = text[len(marker) + 1 + end.end() :]
        body = rest.removeprefix("\n")
        first_line = text.count("\n", 0, len(text) - len(body)) + 1
        return Source(name, body, _parse(raw, kind), raw, kind, first_line)
    return Source(name, text)


def _parse(raw: str, kind: str) -> dict[str, Any]:
    """The front matter as data; {} when it does not parse (it is still kept, verbatim)."""
    import tomllib

    import yaml

    try:
        data = tomllib.loads(raw) if kind == "TOML" else yaml.load(raw, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError, TypeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class Heading:
    line: int  # index in the body's lines
    level: int
    text: str
    end: int = 0  # index just past its last line (a setext heading's underline)


@lru_cache(maxsize=16)
def _outline_of(text: str) -> Outline:
    from bpmcli.format.markdown import Outline

    return Outline.parse(text, 0, 0)  # line numbers are indexes into the lines


def outline(lines: list[str]) -> Outline:
    """The Markdown structure of `lines` (format.markdown's reading), parsed once."""
    return _outline_of("\n".join(lines))


def in_code(lines: list[str]) -> list[bool]:
    """For each line: whether it is a code block's (fenced with its fences, indented, in a
    list item or a block quote)."""
    code = outline(lines).code_lines
    return [index in code for index in range(len(lines))]


def unclosed(lines: list[str]) -> tuple[str, str] | None:
    """What a text leaves open at its end, and what closes it: ("a code block", "```"),
    ("an HTML comment", "-->")... CommonMark closes it at the document's end: anything
    appended after it would be inside it."""
    block = outline(lines).unclosed()
    if block is None:
        return None
    what = {"fenced": "a code block", "comment": "an HTML comment"}.get(block.kind, "an HTML block")
    return what, block.closer


BULLET = re.compile(r"^( {0,3})(?:[-*+]|\d+[.)])[ \t]+(.*)$")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
DELIMITER = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")


def table_cells(line: str) -> list[str]:
    """The cells of a Markdown table row, as written (escaped pipes stay inside a cell)."""
    from bpmcli.format.timeline import split_cells

    return [cell.strip() for cell in split_cells(line)]


def continuation(
    lines: list[str],
    index: int,
    any_bullet: bool = False,
    stop: Callable[[str], bool] | None = None,
) -> int:
    """Where the lines that continue an item (a bullet, a paragraph) end: at a blank line, a
    heading, code, a table, the next top-level bullet (any bullet, if asked), or `stop`."""
    read = outline(lines)
    heads = {h.line for h in read.headings}
    while index < len(lines):
        line = lines[index]
        if not line.strip() or index in heads or read.in_code(index) or TABLE_ROW.match(line):
            break
        bullet = BULLET.match(line)
        if bullet and (any_bullet or len(bullet.group(1)) <= 1):
            break
        if stop is not None and stop(line):
            break
        index += 1
    return index


def headings(lines: list[str]) -> list[Heading]:
    """The headings outside code, list items and block quotes: ATX and setext."""
    return [Heading(h.line, h.level, h.text, h.last + 1) for h in outline(lines).sections()]


def headings_at(lines: list[str]) -> dict[int, Heading]:
    """The same, by the index of their first line."""
    return {h.line: h for h in headings(lines)}


def normalize(title: str) -> str:
    """A heading reduced to words: no emphasis, numbering, links or trailing punctuation."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    text = re.sub(r"[*_`]", "", text).lower()
    text = re.sub(r"^\s*(\d+[.)]|[ivx]+\.)\s*", "", text)
    text = text.replace("’", "'")
    text = re.sub(r"\s*\(.*?\)\s*", " ", text)
    return re.sub(r"\s+", " ", text).strip(" :.?!-")


def section_of(title: str) -> str | None:
    """The FORMAT.md section a heading stands for, or None."""
    whole = normalize(title)
    for text in (whole, *re.split(r"\s*(?:/|&|\band\b)\s*", whole)):  # "Problems/Timeline"
        for section, names in SYNONYMS.items():
            for name in names:
                if text == name or (text.startswith(name) and not text[len(name)].isalnum()):
                    return section
    return None
