"""Timeline rows out of the shapes teams write them in.

Converted: Markdown tables with a time or date column; bullets and paragraphs that start
with a time or a date (`**14:03 UTC** -`, `[11-23 14:03]`, `` `12:00` ``, `2019-12-05:`);
headings that are a time (`### 09:02 PM`, `### 2019-10-24 06:16`), with the paragraph
under them. A heading that is only a date sets the date of the times under it. Order is
kept as written. Everything else stays in the section as prose.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bpmcli.format.timeline import Row
from bpmcli.importer.dates import find_date, find_time, month_day
from bpmcli.importer.document import (
    BULLET,
    DELIMITER,
    TABLE_ROW,
    Heading,
    continuation,
    headings_at,
    in_code,
    table_cells,
)

OPENERS = "*_`[("
CLOSERS = "*_`])"
ZONES = r"UTC|GMT|IST|CET|CEST|PST|PDT|EST|EDT|BST|[A-Z]{2,4}T"  # names, not offsets
ZONE = re.compile(rf"^\s*\(?\b({ZONES}|Z)\b\)?")  # right after a time: `14:03 UTC`
NAMED_ZONE = re.compile(rf"\b({ZONES})\b")
TIME_HEADER = re.compile(r"\b(time|date|when|timestamp|utc|day)\b", re.I)
EVENT_HEADER = re.compile(
    r"\b(event|events|what|description|action|details|happened|update)\b", re.I
)
ACTOR_HEADER = re.compile(r"\b(actor|who|person|by|owner)\b", re.I)


@dataclass
class Found:
    rows: list[Row] = field(default_factory=list)
    converted: set[int] = field(default_factory=set)  # line indexes now in rows
    zones: set[str] = field(default_factory=set)  # time zones the times were written in
    unread_times: int = 0  # rows whose time could not be normalised (kept as written)


@dataclass
class _Moment:
    """A time or date at the start of a text, and the rest of it."""

    day: dt.date | None
    time: dt.time | None
    rest: str
    written: str


MONTH_DAY_AT_START = re.compile(r"^(\d{1,2})-(\d{1,2})(?![\d-])")


def _leading_moment(text: str, year: int | None) -> _Moment | None:
    """`**14:03 UTC** - rest` and friends; None unless the text starts with a date or time."""
    stripped = text.lstrip(OPENERS + " ")
    head = stripped[:40]
    day, end = None, 0
    date = find_date(head)
    if date and date[1].start() <= 1:
        day, end = date[0], date[1].end()
    elif year is not None and (short := MONTH_DAY_AT_START.match(head)):
        day = month_day(short.group(0), year)
        end = short.end() if day else 0
    clock = None
    time = find_time(head)
    if time:
        gap = time[1].start() - end
        if (end == 0 and time[1].start() <= 1) or (end and 0 <= gap <= 3):
            clock, end = time[0], time[1].end()
    if day is None and clock is None:
        return None
    rest = stripped[end:]
    written = stripped[:end]
    zone = ZONE.match(rest)
    if zone:
        written += rest[: zone.end()]
        rest = rest[zone.end() :]
    rest = rest.lstrip(CLOSERS + " :-–—|>").strip()  # `**21:48:** text`, `14:03 UTC - text`
    return _Moment(day, clock, rest, written)


def _note_zone(found: Found, written: str) -> None:
    """Remember the time zone a time (or a column header) names, if any."""
    match = NAMED_ZONE.search(written)
    if match:
        found.zones.add("UTC" if match.group(1) == "GMT" else match.group(1))


def _time_cell(day: dt.date | None, time: dt.time | None, written: str) -> tuple[str, bool]:
    """FORMAT.md's `YYYY-MM-DD HH:MM` when both are known; else the text as written."""
    if day is not None and time is not None:
        return f"{day.isoformat()} {time.strftime('%H:%M')}", True
    return written.strip(), False


def extract(lines: list[str], start: dt.date | None, where: tuple[str, int] = ("", 1)) -> Found:
    """Rows from a Timeline section's lines (its heading excluded); `where` is the file and
    the line of lines[0], for the one error there is: a timeline table that is malformed."""
    found = Found()
    day = start
    year = start.year if start else None
    index = 0
    code = in_code(lines)
    heads = headings_at(lines)
    while index < len(lines):
        line = lines[index]
        if code[index]:
            index += 1
            continue
        if TABLE_ROW.match(line) and index + 1 < len(lines) and DELIMITER.match(lines[index + 1]):
            index, day = _table(lines, index, day, year, found, where)
            continue
        heading = heads.get(index)
        if heading:
            moment = _leading_moment(heading.text, year)
            if moment is not None:
                day = moment.day or day  # "### October 24, 2025 - Rate limiting": the date
                if not moment.rest and moment.time is not None:
                    index = _heading_row(lines, heading, moment, day, found)
                    continue
                if not moment.rest:  # a bare date heading: in the rows' times
                    found.converted.update(range(index, heading.end))
            index = heading.end
            continue
        bullet = BULLET.match(line)
        text = bullet.group(2) if bullet and len(bullet.group(1)) <= 1 else line
        moment = _leading_moment(text, year) if text.strip() else None
        if moment is not None and (bullet or moment.rest):
            index = _text_row(lines, index, moment, day, found, bulleted=bullet is not None)
            day = moment.day or day
            continue
        index += 1
    return found


def _add(found: Found, moment: _Moment, day: dt.date | None, event: str) -> None:
    when = moment.day or day
    cell, read = _time_cell(when, moment.time, moment.written)
    found.unread_times += not read
    _note_zone(found, moment.written)
    found.rows.append(Row(cell, "", event))


def _text_row(
    lines: list[str], index: int, moment: _Moment, day: dt.date | None, found: Found, bulleted: bool
) -> int:
    """A bullet or paragraph that starts with a time; its continuation lines join it."""
    found.converted.add(index)
    year = day.year if day else None
    end = continuation(
        lines, index + 1, stop=None if bulleted else lambda line: bool(_leading_moment(line, year))
    )
    found.converted.update(range(index + 1, end))
    parts = ([moment.rest] if moment.rest else []) + [
        line.strip() for line in lines[index + 1 : end]
    ]
    _add(found, moment, day, "\n".join(parts))
    return end


def _heading_row(
    lines: list[str], heading: Heading, moment: _Moment, day: dt.date | None, found: Found
) -> int:
    """`### 09:02 PM` and the paragraph under it (not code blocks or further content)."""
    found.converted.update(range(heading.line, heading.end))
    index = heading.end
    while index < len(lines) and not lines[index].strip():
        found.converted.add(index)
        index += 1
    end = continuation(lines, index)
    found.converted.update(range(index, end))
    _add(found, moment, day, "\n".join(line.strip() for line in lines[index:end]))
    return end


def _check_shape(
    lines: list[str], index: int, end: int, width: int, where: tuple[str, int]
) -> None:
    """A timeline table whose rows do not fit its header would be converted wrongly."""
    from bpmcli.errors import PostmortemError

    for at in range(index + 1, end):
        cells = len(table_cells(lines[at]))
        if cells != width:
            what = "delimiter row" if at == index + 1 else "row"
            raise PostmortemError(
                f"timeline table is malformed: its header has {width} cells, this {what} "
                f"{cells} (an unescaped | in a cell?); fix the table and import it again",
                where[0],
                where[1] + at,
            )


def _table(
    lines: list[str],
    index: int,
    day: dt.date | None,
    year: int | None,
    found: Found,
    where: tuple[str, int],
) -> tuple[int, dt.date | None]:
    """A table with a time or date column: each row a timeline row; else left as it is."""
    header = table_cells(lines[index])
    end = index + 2
    while end < len(lines) and TABLE_ROW.match(lines[end]):
        end += 1
    time_col = next((i for i, h in enumerate(header) if TIME_HEADER.search(h)), None)
    if time_col is None:
        return end, day
    _check_shape(lines, index, end, len(header), where)
    event_col = next(
        (i for i, h in enumerate(header) if i != time_col and EVENT_HEADER.search(h)),
        next((i for i in range(len(header)) if i != time_col), None),
    )
    if event_col is None:
        return end, day
    actor_col = next(
        (
            i
            for i, h in enumerate(header)
            if i not in (time_col, event_col) and ACTOR_HEADER.search(h)
        ),
        None,
    )
    _note_zone(found, header[time_col])
    for row_index in range(index + 2, end):
        cells = table_cells(lines[row_index])
        cells += [""] * (len(header) - len(cells))
        written = cells[time_col]
        moment = _leading_moment(written, year) or _Moment(None, None, "", written)
        day = moment.day or day
        cell, read = _time_cell(day if moment.time else moment.day, moment.time, written)
        found.unread_times += not read
        others = [
            f"{header[i] or 'Note'}: {cells[i]}"
            for i in range(len(cells))
            if i not in (time_col, event_col, actor_col) and cells[i] and i < len(header)
        ]
        extra = [c for c in cells[len(header) :] if c]
        found.rows.append(
            Row(
                cell,
                cells[actor_col] if actor_col is not None else "",
                cells[event_col],
                "; ".join(others + extra),
            )
        )
    found.converted.update(range(index, end))
    return end, day
