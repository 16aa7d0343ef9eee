"""The timeline table: reading it back, and adding rows without touching anything else.

Cells are single-line Markdown. The encoding is CommonMark's own, so tables render as
written and read back exactly: a line break is `<br>`, `|` is `\\|`, a backslash is `\\\\`,
and a literal `<br>` in the text is `\\<br>`. Hand-written cells (`C:\\path`, `a<br/>b`)
read as a Markdown reader would.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import NamedTuple

from bpmcli.errors import PostmortemError, UsageError
from bpmcli.format import markdown
from bpmcli.format.markdown import Outline
from bpmcli.format.postmortem import Postmortem, Section
from bpmcli.times import format_minutes

FIELDS = ("time", "actor", "event", "outcome", "expected", "assumed")
TITLES = ("Time", "Actor", "Action or event", "Outcome", "Expectations", "Assumptions")
RULE = "|---|---|---|---|---|---|"
CELL_TIME = "%Y-%m-%d %H:%M"

_TIME_HEADER = re.compile(r"^time(\s*\((?P<zone>[^)]*)\))?$", re.IGNORECASE)
_PIPE = re.compile(r"\|")


# Compiled on first use: lint reads every file's table, and these are for edits or for
# cells with escapes.
@cache
def _literal_br() -> re.Pattern[str]:
    return re.compile(r"<(br\s*/?>)", re.IGNORECASE)


@cache
def _unescapes() -> re.Pattern[str]:
    return re.compile(r"\\([\\|<])|<br\s*/?>", re.IGNORECASE)


@cache
def _pipe_or_escape() -> re.Pattern[str]:
    return re.compile(r"\\.|\|")


@cache
def _line() -> re.Pattern[str]:
    return re.compile(r"[^\n]*\n|[^\n]+$")


@cache
def _control() -> re.Pattern[str]:
    return re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# NamedTuples, not frozen dataclasses: a one-file lint loads this module, and creating a
# frozen dataclass costs ~0.4 ms at start-up (docs/performance.md, "Start-up").


class Row(NamedTuple):
    time: str
    actor: str
    event: str
    outcome: str = ""
    expected: str = ""
    assumed: str = ""
    line: int = 0  # 1-based line in the file; 0 for a row not yet written
    cells: int = 6  # how many cells the line had, for lint

    def as_json(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}

    def values(self) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in FIELDS)


class Table(NamedTuple):
    """The timeline table as found in the file."""

    start: int  # offset of the header line
    end: int  # offset just past the last line of the table (its line ending included)
    line: int  # 1-based line of the header
    header: tuple[str, ...]
    rows: list[Row]
    newline: str = "\n"
    rows_start: int = 0  # offset just past the delimiter row: where the first row starts

    @property
    def zone(self) -> str | None:
        match = _TIME_HEADER.match(self.header[0]) if self.header else None
        return match.group("zone") if match and match.group("zone") else None

    def has_expected_columns(self) -> bool:
        if len(self.header) != len(TITLES) or not _TIME_HEADER.match(self.header[0]):
            return False
        return all(
            a.casefold() == b.casefold() for a, b in zip(self.header[1:], TITLES[1:], strict=True)
        )


# -- cells ---------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """The text a cell holds: line breaks as `\\n`, outer white space trimmed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def escape(text: str) -> str:
    """One cell's Markdown for `text` (see the module docstring)."""
    out = normalize(text).replace("\\", "\\\\").replace("|", "\\|")
    return _literal_br().sub(r"\\<\1", out).replace("\n", "<br>")


def unescape(cell: str) -> str:
    if "\\" not in cell and "<" not in cell:
        return cell
    return _unescapes().sub(_unescaped, cell)


def _unescaped(match: re.Match[str]) -> str:
    return match.group(1) or "\n"


def cell_spans(line: str) -> list[tuple[int, int]]:
    """Where each cell of a table line sits: outer pipes optional, `\\|` not a separator."""
    spans: list[tuple[int, int]] = []
    start = 0
    pipes = _PIPE.finditer(line) if "\\" not in line else _pipe_or_escape().finditer(line)
    for match in pipes:
        if match.group() == "|":
            spans.append((start, match.start()))
            start = match.end()
    if line[start:].strip() or not spans:
        spans.append((start, len(line)))
    if line.lstrip().startswith("|"):
        spans = spans[1:]
    return spans


def split_cells(line: str) -> list[str]:
    """The raw (still escaped) text of each cell of a table line, trimmed."""
    return [line[a:b].strip() for a, b in cell_spans(line)]


def format_row(row: Row) -> str:
    return "| " + " | ".join(escape(value) for value in row.values()) + " |"


def header_line(zone_name: str) -> str:
    return "| " + " | ".join((f"Time ({zone_name})", *TITLES[1:])) + " |"


# -- reading -------------------------------------------------------------------------------


def find(pm: Postmortem) -> Table | None:
    """The first table of the Timeline section; None when the section has no table.

    Raises PostmortemError when there is no Timeline section at all.
    """
    section = pm.section("Timeline")
    if section is None:
        raise PostmortemError("no '## Timeline' section", pm.path, None)
    return find_in(pm.outline, section)


def find_in(outline: Outline, section: Section) -> Table | None:
    """The first table of `section` as the Markdown parser reads it: not one inside code
    (a table in a ```` block is text), nor one in a list item or a block quote."""
    for found in outline.tables:
        at = outline.line_start(found.first)
        if section.start < at < section.end and not found.nested:
            return _read_table(outline, found)
    return None


def _read_table(outline: Outline, found: markdown.Table) -> Table:
    text = outline.text
    start, rows_start = outline.line_start(found.first), outline.line_start(found.first + 2)
    header_text = _content(text, start, outline.line_start(found.first + 1))
    header = tuple(unescape(c) for c in split_cells(header_text))
    rows: list[Row] = []
    stop = outline.line_start(found.last + 1) if found.rows else rows_start
    # the rows are the lines after the delimiter row, one each, up to the table's end
    for number, content in zip(found.rows, text[rows_start:stop].split("\n"), strict=False):
        cells = [unescape(c) for c in split_cells(content.removesuffix("\r"))]
        time, actor, event, outcome, expected, assumed = (cells + [""] * 6)[:6]
        rows.append(Row(time, actor, event, outcome, expected, assumed, number, len(cells)))
    ending = text[start : outline.line_start(found.first + 1)]
    newline = "\r\n" if ending.endswith("\r\n") else "\n"
    return Table(start, stop, found.first, header, rows, newline, rows_start)


def _content(text: str, start: int, stop: int) -> str:
    """A line's text without its line ending."""
    line = text[start:stop]
    return line[:-2] if line.endswith("\r\n") else line.rstrip("\n")


def read(pm: Postmortem) -> list[Row]:
    """The rows of the timeline; PostmortemError naming the line when the table is unusable."""
    table = find(pm)
    if table is None:
        return []
    if not table.has_expected_columns():
        raise PostmortemError(wrong_columns(table), pm.path, table.line)
    return table.rows


def wrong_columns(table: Table) -> str:
    return (
        f"timeline table has the columns {' | '.join(table.header)}; expected {' | '.join(TITLES)}"
    )


def parse_cell_time(cell: str) -> dt.datetime | None:
    """A time cell's `YYYY-MM-DD HH:MM`, exactly that form; None otherwise."""
    text = cell.strip()
    if len(text) != 16 or text[10] != " " or text[13] != ":":
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


# -- writing -------------------------------------------------------------------------------


def check_text(name: str, value: str, required: bool) -> str:
    """A cell's text, refused when it is empty but required or holds control characters."""
    text = normalize(value)
    if required and not text:
        raise UsageError(f"{name} must not be empty")
    bad = _control().search(text)
    if bad:
        raise UsageError(f"{name} holds the control character U+{ord(bad.group()):04X}")
    return text


def make_row(
    moment: dt.datetime,
    tz: dt.tzinfo,
    actor: str,
    event: str,
    outcome: str = "",
    expected: str = "",
    assumed: str = "",
) -> Row:
    return Row(
        format_minutes(moment, tz),
        check_text("actor", actor, True),
        check_text("event", event, True),
        check_text("outcome", outcome, False),
        check_text("expected", expected, False),
        check_text("assumed", assumed, False),
    )


def insert_rows(pm: Postmortem, new_rows: Iterable[Row], zone_name: str) -> str:
    """The file's text with `new_rows` in chronological place; nothing else changes.

    Each row goes after the last row whose time is not later than its own, so rows with
    equal times keep the order in which they were added.
    """
    table = find(pm)
    if table is None:
        return _with_new_table(pm, list(new_rows), zone_name)
    if not table.has_expected_columns():
        raise PostmortemError(wrong_columns(table), pm.path, table.line)
    if table.zone is not None and table.zone != zone_name:
        raise PostmortemError(
            f"timeline times are in {table.zone} but the config's timezone is {zone_name}",
            pm.path,
            table.line,
        )
    text = pm.text
    # The region after the rule line holds exactly the row lines, each with its own ending.
    region = text[table.rows_start : table.end]
    existing = _line().findall(region)  # split on \n only: cells may hold U+2028 and friends
    entries = list(zip(table.rows, existing, strict=True))
    for row in new_rows:
        entries.insert(_place([r for r, _ in entries], row), (row, format_row(row) + table.newline))
    body = [line if line.endswith("\n") else line + table.newline for _, line in entries]
    at_eof = table.end == len(text) and not text.endswith("\n")
    if at_eof:  # the file ended without a final line break: keep it that way
        body[-1] = body[-1].rstrip("\r\n")
        prefix = "" if existing else table.newline
    else:
        prefix = ""
    return text[: table.rows_start] + prefix + "".join(body) + text[table.end :]


def _place(ordered: Sequence[Row], row: Row) -> int:
    when = parse_cell_time(row.time)
    for index in range(len(ordered) - 1, -1, -1):
        other = parse_cell_time(ordered[index].time)
        if other is not None and when is not None and other <= when:
            return index + 1
    return 0 if any(parse_cell_time(r.time) for r in ordered) else len(ordered)


def _with_new_table(pm: Postmortem, rows: list[Row], zone_name: str) -> str:
    """Add a table with `rows` at the end of the Timeline section's own text."""
    section = pm.section("Timeline")
    assert section is not None  # find() raised otherwise
    later = [s.start for s in pm.sections if s.start > section.start]
    end = min([*later, section.end])
    text, nl = pm.text, pm.where.newline
    content_end = end
    while content_end > section.start and text[content_end - 1] in "\r\n \t":
        content_end -= 1
    ordered: list[Row] = []
    for row in rows:
        ordered.insert(_place(ordered, row), row)
    table = nl.join([header_line(zone_name), RULE, *(format_row(r) for r in ordered)])
    after = nl + nl if end < len(text) else nl
    return text[:content_end] + nl + nl + table + after + text[end:]
