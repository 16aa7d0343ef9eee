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
    "Summary": (
        "summary",
        "overview",
        "tl;dr",
        "tldr",
        "executive summary",
        "incident summary",
        "issue summary",
    ),
    "Impact": (
        "impact",
        "customer impact",
        "user impact",
        "impact assessment",
        "what was impacted",
    ),
    "Timeline": ("timeline", "chronology", "sequence of events", "incident timeline"),
    # and any heading that ends with "timeline": "Establishing the timeline", "Follow-up timeline"
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
        "actions",
        "review actions",
        "action plan",
        "recovery actions",
        "open items",
        "open actions",
        "follow-up items",
        "todo",
        "to do",
        "todos",
        "corrective actions",
        "corrective measures",
        "corrective measure",
        "corrective and preventative measures",
        "corrective and preventative measure",
        "corrective and preventive measures",
        "corrective and preventive measure",
        "preventative measures",
        "preventive measures",
        "resulting actions",
        "resulting action",
        "what is being done about this",
        "what is being done about it",
        "what is being done",
        "what we are doing",
        "what we're doing",
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
    pseudo: bool = False  # a line that acts as a heading: `- **Action items**:`, `Timeline:`


@lru_cache(maxsize=16)
def _outline_of(text: str) -> Outline:
    from bpmcli.format.markdown import Outline

    return Outline.parse(text, 0, 0)  # line numbers are indexes into the lines


_last: list[Any] = [None, None]  # the lines last asked about, and their outline


def outline(lines: list[str]) -> Outline:
    """The Markdown structure of `lines` (format.markdown's reading), parsed once: the
    extractors ask again for every item, and joining a large file each time would add up."""
    if _last[0] is not lines:
        _last[:] = [lines, _outline_of("\n".join(lines))]
    found: Outline = _last[1]
    return found


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
TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
DELIMITER = re.compile(r"^[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?$")


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


# Linear patterns only (a heading can be a 100 KB line): a class that excludes the bracket
# it scans for, never `\s*` next to another quantifier over spaces.
LINK = re.compile(r"\[([^\[\]]*)\]\([^()\s]*\)")
PARENTHESES = re.compile(r"\([^()]*\)")
NUMBERING = re.compile(r"^(?:\d+[.)]|[ivx]+\.)(?= |$)")
SPACES = re.compile(r"\s+")
# what some archives put before a heading's words: `## 📋 Recovery TODO`, `## 🚨 Summary`
SYMBOLS = re.compile(r"^[^\w\s(\[]+[ \t]*")
# an action heading that qualifies its noun: "Preventive Actions", "Recovery TODO"
QUALIFIED_ACTIONS = re.compile(r"^[\w'-]+(?: [\w'-]+)? (?:actions|action items|todos?|to-?dos?)$")


def normalize(title: str) -> str:
    """A heading reduced to words: no emphasis, numbering, links, parentheses or leading
    and trailing punctuation (GitBook's `[#](url)Action Items` is "action items")."""
    text = LINK.sub(r"\1 ", title)
    text = re.sub(r"[*_`]", "", text).lower().replace("’", "'")
    text = SPACES.sub(" ", PARENTHESES.sub(" ", text)).strip()
    text = NUMBERING.sub("", SYMBOLS.sub("", text))
    return text.strip(" :.?!-#|").strip()


def plain(title: str) -> str:
    """A heading as its words, parentheses kept: whether it says more than its section."""
    text = LINK.sub(r"\1 ", title)
    text = SPACES.sub(" ", re.sub(r"[*_`]", "", text).replace("’", "'")).strip()
    return NUMBERING.sub("", text).strip(" :.?!-#|").strip()


def section_of(title: str) -> str | None:
    """The FORMAT.md section a heading stands for, or None."""
    whole = normalize(title)
    if len(whole) > 200:  # no section name is that long
        return None
    for text in (whole, *re.split(r" ?(?:/|&|\band\b) ?", whole)):  # "Problems/Timeline"
        for section, names in SYNONYMS.items():
            for name in names:
                if text == name or (text.startswith(name) and not text[len(name)].isalnum()):
                    return section
    if re.search(r"(?:^|[ -])timeline$", whole):  # "Establishing the timeline"
        return "Timeline"
    if QUALIFIED_ACTIONS.match(whole):  # "Preventive Actions", "Recovery TODO"
        return "Action items"
    return None


def exact_section(text: str) -> str | None:
    """The section a short line names, all of it ("Action Items", "Timeline:"), or None."""
    whole = normalize(text)
    if not whole or len(whole) > 60:
        return None
    for section, names in SYNONYMS.items():
        if whole in names:
            return section
    return "Timeline" if section_of(text) == "Timeline" and whole.endswith("timeline") else None


def _bold_only(text: str) -> str | None:
    """`**Review actions**:` or `**Review actions:**` as its words; None if more is there."""
    core = text.strip()
    for mark in ("**", "__"):
        if core.startswith(mark):
            inner, sep, after = core[len(mark) :].partition(mark)
            if sep and not after.strip(" :") and inner.strip(" :"):
                return inner.strip(" :")
    return None


def pseudo_headings(lines: list[str]) -> list[Heading]:
    """Lines that act as section headings without being headings: a bullet that is only a
    bold section name (`- **Review actions**:`, its items nested under it), or a line that
    is only a section name (`Action Items`, `**Timeline:**`) over a list or a table. Only
    when what follows up to the next heading (or the next such line) is that list or table:
    `**Remediation:**` over three bullets and then more prose is a paragraph's lead, not a
    section (the prose would land in it)."""
    found = _pseudo_candidates(lines)
    read = outline(lines)
    listed = {line for b in read.blocks if b.kind == "item" for line in range(b.first, b.last + 1)}
    tables = {line for t in read.tables for line in range(t.first, t.last + 1)}
    heads = {h.line for h in read.headings}
    starts = {h.line for h in found}
    kept = []
    for heading in found:
        at = heading.line + 1
        while at < len(lines) and at not in heads and at not in starts:
            line = lines[at]
            if line.strip() and at not in listed and at not in tables and not line[:1].isspace():
                break  # prose after the list: the line leads a paragraph's list
            at += 1
        else:
            kept.append(heading)
    return kept


def _pseudo_candidates(lines: list[str]) -> list[Heading]:
    read = outline(lines)
    heads = {h.line for h in read.headings}
    tables = {line for t in read.tables for line in range(t.first, t.last + 1)}
    found: list[Heading] = []
    for index, line in enumerate(lines):
        if index in heads or index in tables or read.in_code(index) or not line.strip():
            continue
        bullet = BULLET.match(line)
        if bullet and not bullet.group(1) and line.lstrip()[0] in "-*+":
            name = _bold_only(bullet.group(2))
            nested = index + 1 < len(lines) and lines[index + 1].startswith((" ", "\t"))
            if name and nested and exact_section(name):
                found.append(Heading(index, 0, name, index + 1, pseudo=True))
            continue
        if line.startswith((" ", "\t")) or (index and lines[index - 1].strip()):
            continue
        name = _bold_only(line) or line.strip().rstrip(":").strip()
        after = next(
            (i for i in range(index + 1, min(index + 3, len(lines))) if lines[i].strip()), None
        )
        if after is None or not (BULLET.match(lines[after]) or after in tables):
            continue
        if exact_section(name):
            found.append(Heading(index, 0, name, index + 1, pseudo=True))
    return found


def dedent_bullet_sections(lines: list[str], pseudo: list[Heading]) -> list[str]:
    """The lines, with the items nested under a bold-bullet section (`- **Action items**:`)
    moved out to the top level, so that they read as the section's own list. Only leading
    white space changes (line numbers do not)."""
    out = list(lines)
    for heading in pseudo:
        if not BULLET.match(lines[heading.line]):
            continue
        end = heading.line + 1
        while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "\t"))):
            end += 1
        block = [line for line in lines[heading.line + 1 : end] if line.strip()]
        if not block:
            continue
        cut = min(len(line) - len(line.lstrip(" \t")) for line in block)
        for at in range(heading.line + 1, end):
            if lines[at].strip():
                out[at] = lines[at][cut:]
    return out
