"""Timeline rows out of the shapes teams write them in.

Converted: Markdown tables with a time or date column (or both: `Date | Time | Event`);
bullets and paragraphs that start with a time or a date (`**14:03 UTC** -`, `[11-23 14:03]`,
`` `12:00` ``, `2019-12-05:`, `Dec 16th **12:43**`, `12:45 PM PST Saturday Oct 30th:`);
headings that are a time (`### 09:02 PM`), with what is under them, unless rows stand under
them (`### 22:04-23:00 UTC: Split found` is a phase); rows joined by `<br>` in one paragraph.
A line or heading that is only a date (`### 2019-06-13`, `**Feb 14**`, `_4/21/23_`, `Day 2`,
`### 03-10-2021 (All times CEST)`) dates the rows under it (and names their zone), or is a
date-only row itself when no row stands under it; so does a paragraph that names a date
(`All times in PST, on February 5th 2019`).
Order is kept as written. Everything else stays in the section as prose.

Zones: a zone a row names, else the one the table's time header, the Timeline heading or
its first paragraph names (`## Timeline (CET)`, `All times in CEST`). Rows are converted to
the configured zone only when the zone is certain on every row's date (importer/zones.py);
otherwise none of that zone's rows are, and the import says why.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bpmcli.format.timeline import Row
from bpmcli.importer.dates import (
    MONTH_NO_YEAR,
    find_date,
    find_day,
    find_time,
    is_ambiguous,
    month_day,
)
from bpmcli.importer.document import (
    BULLET,
    Heading,
    continuation,
    headings_at,
    in_code,
    outline,
    table_cells,
)
from bpmcli.importer.zones import ROW_ZONE, convert, named_in, resolve

if TYPE_CHECKING:
    from bpmcli.format.markdown import Table

OPENERS = "*_`[("
SEPARATORS = " :-–—|>,"
ZONE = ROW_ZONE
TIME_HEADER = re.compile(r"\b(time|when|timestamp|utc)\b", re.I)
DATE_HEADER = re.compile(r"\b(date|day)\b", re.I)
WEEKDAY_HEADER = re.compile(r"^\s*day\s*$", re.I)
YEAR_IN_HEADER = re.compile(r"\b((?:19|20)\d{2})\b")
EVENT_HEADER = re.compile(
    r"\b(event|events|what|description|action|details|happened|update)\b", re.I
)
ACTOR_HEADER = re.compile(r"\b(actor|who|person|by|owner)\b", re.I)
MONTH_DAY_AT_START = re.compile(r"^(\d{1,2})-(\d{1,2})(?![\d-])")
DAY_NUMBER = re.compile(r"^day[ \t]+(\d{1,2})$", re.I)
WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?[ \t]+"
# a date right after a row's time: `12:45 PM PST Saturday Oct 30th:`, `22:30 UTC (Oct 29)`
DATE_AFTER = re.compile(rf"^[ \t(,]{{0,3}}(?:{WEEKDAY})?(?={MONTH_NO_YEAR.pattern})", re.I)
STICKY = re.compile(r"\bunless (?:otherwise )?(?:noted|stated)\b", re.I)
# a time the team did not know: `[???]`, `--:--`, `2X:XX`: a row, its time kept as written
PLACEHOLDER = re.compile(
    r"^\[?(?:\?{2,}|[\dx?-]{1,2}:[x?-]{2}|\d{4}-[mx]{2}-[dx]{2})\]?(?=[ \t:\[]|$)", re.I
)


# after a date: `1625` (HHMM, a time without its colon) or `X` / `??` (a time nobody knew),
# then the event's separator
CLOCK_AFTER_DATE = re.compile(
    r"[ \t]{1,2}(?:((?:[01]\d|2[0-3])[0-5]\d)|[Xx?]{1,2}(?::[Xx?]{2})?)(?=[ \t]?[:\-–—]|$)"
)
CLOCKISH = re.compile(r"[\d:]")  # what is left of a time cell that could not be read


@dataclass
class Context:
    """What dates a section's rows: the postmortem's day, the document's date order, the
    zone its heading or first paragraph names, and the zone the table is written in."""

    day: dt.date
    order: str | None = None
    zone: str | None = None
    target: str = "UTC"
    near: dt.date | None = None  # what dates without a year are near (else `day`)

    @property
    def anchor(self) -> dt.date:
        return self.near or self.day


@dataclass
class Found:
    rows: list[Row] = field(default_factory=list)
    converted: set[int] = field(default_factory=set)  # line indexes now in rows
    zones: dict[str, str] = field(default_factory=dict)  # zone written -> IANA, converted
    unconverted: dict[str, str] = field(default_factory=dict)  # zone written -> why not
    unread_times: int = 0  # rows whose time could not be normalised (kept as written)
    date_only: int = 0  # rows that give a date and no time
    ambiguous: list[str] = field(default_factory=list)  # dates with two readings, as written
    _pending: list[_Pending] = field(default_factory=list)


@dataclass
class _Pending:
    """A row before its zone is decided: converted or not, all of a zone's rows alike."""

    day: dt.date | None
    time: dt.time | None
    written: str
    zone: str | None
    row: Row


@dataclass
class _Moment:
    """A time or date at the start of a text, and the rest of it."""

    day: dt.date | None
    time: dt.time | None
    rest: str
    written: str
    zone: str | None = None
    ambiguous: str | None = None
    placeholder: bool = False  # `[???]`: a time nobody knew, kept as written

    def _replace_day(self, day: dt.date | None) -> _Moment:
        return replace(self, day=day)


def _date_at_start(head: str, ctx: Context) -> tuple[dt.date | None, int, str | None]:
    """A date the text starts with (within a character): the day, where it ends, and the
    text of an ambiguous numeric date."""
    found = find_day(head, ctx.anchor, ctx.order)
    if found and found[1].start() <= 1:
        match = found[1]
        return found[0], match.end(), match.group(0) if is_ambiguous(match) else None
    short = MONTH_DAY_AT_START.match(head)
    if short and (day := month_day(short.group(0), ctx.anchor)):
        return day, short.end(), None
    return None, 0, None


def _leading_moment(text: str, ctx: Context) -> _Moment | None:
    """`**14:03 UTC** - rest` and friends; None unless the text starts with a date or time."""
    stripped = text.lstrip(OPENERS + " ~")
    opened = text[: len(text) - len(stripped)].replace(" ", "").replace("~", "")
    head = stripped[:60]
    day, end, ambiguous = _date_at_start(head, ctx)
    clock, markup = None, ""
    time = find_time(head)
    if time:
        gap = head[end : time[1].start()]
        if (end == 0 and time[1].start() <= 1) or (
            end and len(gap) <= 3 and not gap.strip(" ,:*_`-~")
        ):  # `2026-06-21 ~13:00`, `Dec 16th **12:43**`
            clock, end, markup = time[0], time[1].end(), gap.strip(" ,:-~")
    unknown = False
    if day is not None and clock is None and (after := CLOCK_AFTER_DATE.match(head, end)):
        if after.group(1):  # `2022-02-02 1625:` a 24-hour time without its colon
            clock = dt.time(int(after.group(1)[:2]), int(after.group(1)[2:]))
        else:  # `2022-02-02 X:` a time nobody knew: kept as written
            unknown = True
        end = after.end()
    if day is None and clock is None:
        placeholder = PLACEHOLDER.match(stripped)
        if placeholder is None:
            return None
        written = text[: len(text) - len(stripped)].lstrip(" ") + placeholder.group(0)
        rest = stripped[placeholder.end() :].lstrip(SEPARATORS)
        return _Moment(None, None, rest, written, placeholder=True)
    rest, written = stripped[end:], stripped[:end]
    rest, written = _close(rest, written, markup, opened)
    zone = ZONE.match(rest)
    if zone:
        written += rest[: zone.end()]
        rest = rest[zone.end() :]
    if clock is not None and day is None and (after := DATE_AFTER.match(rest)):
        found = find_day(rest[after.end() : after.end() + 30], ctx.anchor, ctx.order)
        if found and found[1].start() == 0:
            day = found[0]
            stop = after.end() + found[1].end()
            stop += rest[stop:].startswith(")")
            written += rest[:stop]
            rest = rest[stop:]
    rest, written = _close(rest.lstrip(" :"), written, markup, opened)
    rest = rest.lstrip(SEPARATORS).strip()
    if not rest.strip("*_`~"):  # `-4/25/23_`: markup left over, no event
        written, rest = written + rest, ""
    zone_name = zone.group(1) if zone else None
    return _Moment(day, clock, rest, written, zone_name, ambiguous, placeholder=unknown)


def _close(rest: str, written: str, markup: str, opened: str) -> tuple[str, str]:
    """Remove the markup that closes what opened before the time (`**14:03**`, `` `12:00` ``,
    `[11-23 14:03]`, `Dec 16th **12:43**`), and only that: `` `@nova` `` after a time keeps
    its backticks."""
    closers = opened[::-1].replace("[", "]").replace("(", ")")
    for closing in (closers, markup[::-1]):
        if closing and rest.lstrip(" ").startswith(closing):
            cut = len(rest) - len(rest.lstrip(" ")) + len(closing)
            written += rest[:cut]
            rest = rest[cut:]
    return rest, written


def _day_label(text: str, ctx: Context) -> tuple[dt.date, str | None] | None:
    """A line that is only a date (`**Feb 14**`, `_4/21/23_`, `2019-01-22`, `Day 2`)."""
    bare = text.strip().strip("*_`[]()-:. ").strip()
    if not bare:
        return None
    number = DAY_NUMBER.match(bare)
    if number:
        return ctx.day + dt.timedelta(days=int(number.group(1)) - 1), None
    found = find_day(bare, ctx.anchor, ctx.order)
    if found is None or found[1].start() > 0:
        return None
    tail = bare[found[1].end() :].strip(" ,.:")
    if tail and not re.fullmatch(r"\(?[A-Za-z]{3,9}\)?", tail):  # `2019-01-22 (Tuesday)` only
        return None
    match = found[1]
    return found[0], match.group(0) if is_ambiguous(match) else None


def extract(lines: list[str], ctx: Context, where: tuple[str, int] = ("", 1)) -> Found:
    """Rows from a Timeline section's lines (its heading excluded); `where` is the file and
    the line of lines[0], for the one error there is: a timeline table that is malformed."""
    walk = _Walk(lines, ctx, Found(), base=ctx)
    code = in_code(lines)
    heads = headings_at(lines)
    tables = {t.first: t for t in outline(lines).tables if not t.nested}
    index = 0
    while index < len(lines):
        if code[index]:
            index += 1
        elif index in tables:
            end = tables[index].last + 1
            index, walk.day = _table(lines, index, end, walk.day, walk.ctx, walk.found, where)
        elif heading := heads.get(index):
            walk.leave(heading)
            rows = _rows_under(walk, heading, heads, tables, code)
            index, walk.day = _heading(walk, heading, rows)
        else:
            index = _line(walk, index)
    _settle(walk.found, ctx)
    return walk.found


@dataclass
class _Walk:
    """Where extraction stands: the day the next rows get, a day that stays, and the zone
    a day or phase heading names for the rows under it."""

    lines: list[str]
    ctx: Context
    found: Found
    day: dt.date | None = None
    default: dt.date | None = None  # "unless otherwise noted, all events on ..."
    base: Context | None = None  # the section's context, before a heading named a zone
    zone_level: int | None = None  # the level of the heading that named it

    def name_zone(self, text: str, level: int) -> None:
        """`### 03-10-2021 (All times CEST)`: the rows under it are in CEST."""
        zone = named_in(text)
        if zone is not None:
            self.ctx = replace(self.ctx, zone=zone)
            self.zone_level = level

    def leave(self, heading: Heading) -> None:
        """A heading at the level of the one that named a zone, or above, ends its rows."""
        if self.zone_level is not None and heading.level <= self.zone_level and self.base:
            self.ctx, self.zone_level = self.base, None


def _rows_under(
    walk: _Walk,
    heading: Heading,
    heads: dict[int, Heading],
    tables: dict[int, Table],
    code: list[bool],
) -> bool:
    """Whether rows stand under a heading, up to the next heading at its level or above:
    a line or a deeper heading that starts with a time or a date, or a timeline table."""
    lines, index = walk.lines, heading.end
    while index < len(lines):
        other = heads.get(index)
        if other is not None:
            if other.level <= heading.level:
                return False
            moment = _leading_moment(other.text, walk.ctx)
            if moment is not None and moment.time is not None:
                return True
            index = other.end
        elif index in tables:
            if _columns(table_cells(lines[index])) is not None:
                return True
            index = tables[index].last + 1
        else:
            if not code[index] and _starts_a_row(lines[index], walk.ctx):
                return True
            index += 1
    return False


def _starts_a_row(line: str, ctx: Context) -> bool:
    bullet = BULLET.match(line)
    text = bullet.group(2) if bullet and len(bullet.group(1)) <= 1 else line
    moment = _leading_moment(text, ctx) if text.strip() else None
    return moment is not None and (moment.time is not None or bool(moment.day and moment.rest))


def _line(walk: _Walk, index: int) -> int:
    """A line that is no table, heading or code: a row, a day label, a paragraph that
    dates the rows after it, or prose; where the next line to read is."""
    lines, ctx, found = walk.lines, walk.ctx, walk.found
    line = lines[index]
    bullet = BULLET.match(line)
    text = bullet.group(2) if bullet and len(bullet.group(1)) <= 1 else line
    moment = _leading_moment(text, ctx) if text.strip() else None
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if moment is not None and not bullet and _is_label(moment, following, ctx):
        walk.name_zone(moment.rest, 6)  # `**7th Sept:** (all times GST)`: until a heading
        return _label(walk, index, moment.day, moment.ambiguous)  # `_4/21/23_`
    if moment is not None:  # a row; a date alone over its event (`January 29, 2024`) too
        end = _text_row(lines, index, moment, walk.day, ctx, found, bulleted=bullet is not None)
        walk.day = walk.default or moment.day or walk.day
        return end
    if not bullet and (label := _day_label(line, ctx)):
        return _label(walk, index, *label)  # `**Feb 14**`, `Day 2`
    if not bullet and line.strip() and (not found._pending or line.rstrip().endswith(":")):
        walk.day = _paragraph_day(line, ctx) or walk.day  # `All times in PST, on Feb 5th 2019`
        if walk.day and STICKY.search(line):  # a row's own date is its own, the next rows'
            walk.default = walk.day  # stays this one
    return index + 1


def _label(walk: _Walk, index: int, day: dt.date | None, ambiguous: str | None) -> int:
    """A day label: it dates the rows under it, and goes into the comment with them."""
    walk.day = day or walk.day
    walk.found.converted.add(index)
    _note_ambiguous(walk.found, ambiguous)
    return index + 1


def _is_label(moment: _Moment, following: str, ctx: Context) -> bool:
    """A date alone on its line (a note in parentheses after it allowed), not continued by
    an event on the next line."""
    return _is_note(moment.rest) and moment.time is None and not _continues(following, ctx)


def _continues(line: str, ctx: Context) -> bool:
    """Whether the line after a date-only line continues it as the row's event."""
    return bool(line.strip()) and not BULLET.match(line) and _leading_moment(line, ctx) is None


def _paragraph_day(line: str, ctx: Context) -> dt.date | None:
    found = find_date(line, order=ctx.order)
    return found[0] if found else None


def _note_ambiguous(found: Found, written: str | None) -> None:
    if written and written not in found.ambiguous:
        found.ambiguous.append(written)


def _heading(walk: _Walk, heading: Heading, rows_under: bool) -> tuple[int, dt.date | None]:
    """A heading in a Timeline: a day label (`### 2019-06-13`, its zone for the rows under
    it), a phase over rows (`### 22:04-23:00 UTC: Split found`), or a row itself (`### 09:02
    PM`, or a day heading with no rows under it: a date-only row, the paragraph its event)."""
    lines, ctx, found, day = walk.lines, walk.ctx, walk.found, walk.day
    moment = _leading_moment(heading.text, ctx)
    label = _day_label(heading.text, ctx) if moment is None else None
    if label:
        found.converted.update(range(heading.line, heading.end))
        _note_ambiguous(found, label[1])
        return heading.end, label[0]
    if moment is None:
        return heading.end, day
    _note_ambiguous(found, moment.ambiguous)
    day = moment.day or day  # "### October 24, 2025 - Rate limiting": the date
    if rows_under and (moment.time is not None or _is_note(moment.rest)):
        walk.name_zone(moment.zone or moment.rest, heading.level)  # a phase, a day's zone
        return heading.end, day
    if moment.time is not None or moment.day is None:  # a time, or `### 2X:XX`
        return _heading_row(lines, heading, moment, day, ctx, found), day
    if not moment.rest and not rows_under and _has_event(lines, heading.end):
        return _heading_row(lines, heading, moment, day, ctx, found), day
    if not moment.rest:  # a bare date heading: in the rows' times
        found.converted.update(range(heading.line, heading.end))
    return heading.end, day


def _is_note(rest: str) -> bool:
    """What may follow a day label's date: nothing, or a note in parentheses."""
    rest = rest.strip()
    return not rest or (rest.startswith("(") and rest.endswith(")"))


def _has_event(lines: list[str], index: int) -> bool:
    """A paragraph or a list right under a heading (not another heading, code or a table)."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index < len(lines) and not lines[index].lstrip().startswith(("#", "|", "```", "~~~"))


def _add(found: Found, moment: _Moment, day: dt.date | None, row: Row, ctx: Context) -> None:
    """A row waiting for its time cell (zones are decided once all rows are read)."""
    when = None if moment.placeholder else moment.day or day
    when = when or (ctx.day if moment.time is not None else None)
    _note_ambiguous(found, moment.ambiguous)
    zone = moment.zone or ctx.zone
    found._pending.append(_Pending(when, moment.time, moment.written, zone, row))


def _settle(found: Found, ctx: Context) -> None:
    """Each pending row's time cell, its zone converted when that zone is certain on the
    date of every row written in it."""
    by_zone: dict[str, list[_Pending]] = {}
    for pending in found._pending:
        if pending.zone and pending.day is not None and pending.time is not None:
            by_zone.setdefault(pending.zone, []).append(pending)
    sources: dict[str, ZoneInfo] = {}
    for written, rows in by_zone.items():
        results = [resolve(written, row.day) for row in rows]
        certain = [zone for zone, _ in results if zone is not None]
        if len(certain) == len(rows):
            if results[0][1] != ctx.target:
                sources[written] = certain[0]
                found.zones[written] = results[0][1]
        elif not (written.upper() in ("UTC", "GMT", "Z") and ctx.target == "UTC"):
            found.unconverted[written] = next(why for zone, why in results if zone is None)
    for pending in found._pending:
        day, time = pending.day, pending.time
        if day is not None and time is not None and pending.zone in sources:
            day, time = convert(day, time, sources[pending.zone], ctx.target)
        if day is not None and time is not None:
            cell = f"{day.isoformat()} {time.strftime('%H:%M')}"
        elif day is not None and time is None and _is_date_only(pending.written):
            cell = day.isoformat()
            found.date_only += 1
        else:
            cell = pending.written.strip()
            found.unread_times += 1
        found.rows.append(pending.row._replace(time=cell))
    for written in sorted({p.zone for p in found._pending if p.zone and p.time is None}):
        if (
            written not in found.zones
            and written not in found.unconverted
            and written.upper() != ctx.target.upper()
        ):
            found.unconverted[written] = "its rows have no time to convert"
    found._pending.clear()


def _is_date_only(written: str) -> bool:
    return find_time(written) is None


def _text_row(
    lines: list[str],
    index: int,
    moment: _Moment,
    day: dt.date | None,
    ctx: Context,
    found: Found,
    bulleted: bool,
) -> int:
    """A bullet or paragraph that starts with a time; its continuation lines join it."""
    found.converted.add(index)
    end = continuation(
        lines, index + 1, stop=None if bulleted else lambda line: bool(_leading_moment(line, ctx))
    )
    found.converted.update(range(index + 1, end))
    parts = ([moment.rest] if moment.rest else []) + [
        line.strip() for line in lines[index + 1 : end]
    ]
    for each, event in _split_at_breaks(moment, "\n".join(parts), ctx):
        _add(found, each, day, Row("", "", event), ctx)
    return end


BREAK = re.compile(r"<br[ \t]*/?>", re.I)
BREAK_AT_END = re.compile(r"<br[ \t]*/?>\Z", re.I)


def _split_at_breaks(moment: _Moment, event: str, ctx: Context) -> list[tuple[_Moment, str]]:
    """A paragraph of rows joined by `<br>` (`... done.<br> 21:14 - DNS changes`): a row at
    each `<br>` followed by a time; other `<br>`s stay in the event. Each piece between two
    breaks is read once (linear in the paragraph)."""
    pieces, breaks, at = [], [], 0
    for found in BREAK.finditer(event):
        pieces.append(event[at : found.start()])
        breaks.append(found.group(0))
        at = found.end()
    pieces.append(event[at:])
    rows: list[tuple[_Moment, list[str]]] = [(moment, [pieces[0]])]
    for written, piece in zip(breaks, pieces[1:], strict=True):
        following = piece.lstrip()
        nxt = _leading_moment(following, ctx) if following else None
        if nxt is not None and nxt.time is not None:
            rows.append((nxt, [nxt.rest]))
        else:
            rows[-1][1].append(written + piece)
    return [(each, _without_last_break("".join(text).strip())) for each, text in rows]


def _without_last_break(event: str) -> str:
    """`... others)<br>` before the next row's line: the break ended the row."""
    return BREAK_AT_END.sub("", event).rstrip()


def _heading_row(
    lines: list[str],
    heading: Heading,
    moment: _Moment,
    day: dt.date | None,
    ctx: Context,
    found: Found,
) -> int:
    """`### 09:02 PM` and the paragraph (or the list) under it, not code or more content."""
    found.converted.update(range(heading.line, heading.end))
    index = heading.end
    while index < len(lines) and not lines[index].strip():
        found.converted.add(index)
        index += 1
    end = continuation(lines, index)
    if end == index and index < len(lines) and BULLET.match(lines[index]):
        end = _list_end(lines, index)
    found.converted.update(range(index, end))
    event = "\n".join(line.strip() for line in lines[index:end])
    if moment.rest:
        event = moment.rest + ("\n" + event if event else "")
    _add(found, moment, day, Row("", "", event), ctx)
    return end


def _list_end(lines: list[str], index: int) -> int:
    """Past the list that starts at `index` (its items and their continuation lines)."""
    heads = headings_at(lines)
    code = in_code(lines)
    while index < len(lines) and lines[index].strip() and index not in heads and not code[index]:
        index += 1
    return index


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


@dataclass
class _Columns:
    time: int | None
    date: int | None
    event: int
    actor: int | None
    year: int | None  # `Date (2021)`: the year of dates written without one
    zone: str | None  # `Time (PT)`


def _columns(header: list[str]) -> _Columns | None:
    def first(pattern: re.Pattern[str], *taken: int | None) -> int | None:
        return next((i for i, h in enumerate(header) if i not in taken and pattern.search(h)), None)

    time = first(TIME_HEADER)
    date = next(
        (
            i
            for i, h in enumerate(header)
            if i != time and DATE_HEADER.search(h) and not WEEKDAY_HEADER.match(h)
        ),
        None,
    )
    if time is None and date is None:
        return None
    lead = time if time is not None else date
    event = first(EVENT_HEADER, time, date)
    if event is None:
        event = next((i for i in range(len(header)) if i not in (time, date)), None)
    if event is None:
        return None
    actor = first(ACTOR_HEADER, time, date, event)
    year = None
    for at in (date, time):
        if at is not None and (match := YEAR_IN_HEADER.search(header[at])):
            year = int(match.group(1))
    zone = named_in(header[lead]) if lead is not None else None
    return _Columns(time, date, event, actor, year, zone)


def _table(
    lines: list[str],
    index: int,
    end: int,
    day: dt.date | None,
    ctx: Context,
    found: Found,
    where: tuple[str, int],
) -> tuple[int, dt.date | None]:
    """A table with a time or date column: each row a timeline row; else left as it is."""
    header = table_cells(lines[index])
    columns = _columns(header)
    if columns is None:
        return end, day
    _check_shape(lines, index, end, len(header), where)
    near = None if columns.year is None else dt.date(columns.year, 12, 31)
    table_ctx = Context(ctx.day, ctx.order, columns.zone or ctx.zone, ctx.target, near or ctx.near)
    for row_index in range(index + 2, end):
        cells = table_cells(lines[row_index])
        day = _table_row(
            header, cells + [""] * (len(header) - len(cells)), columns, day, found, table_ctx
        )
    found.converted.update(range(index, end))
    return end, day


def _table_row(
    header: list[str],
    cells: list[str],
    columns: _Columns,
    day: dt.date | None,
    found: Found,
    ctx: Context,
) -> dt.date | None:
    """One row of a timeline table (the date and time cells read together); the day the
    rows after it get."""
    written = " ".join(
        cells[at] for at in (columns.date, columns.time) if at is not None and cells[at]
    )
    moment = _leading_moment(written, ctx)
    if moment is None or (moment.time is None and moment.day is None):
        moment = _Moment(None, None, "", written)
    elif moment.time is None and CLOCKISH.search(moment.rest):  # `2020-02-06 07:7:47`: a
        moment = _Moment(moment.day, None, "", written, placeholder=True)  # time kept whole
    day = moment.day or day
    when = moment.day or (day if moment.time else None)
    used = {columns.time, columns.date, columns.event, columns.actor}
    others = [
        f"{header[i] or 'Note'}: {cells[i]}"
        for i in range(len(header))
        if i not in used and cells[i]
    ]
    extra = [c for c in cells[len(header) :] if c]
    actor = cells[columns.actor] if columns.actor is not None else ""
    row = Row("", actor, cells[columns.event], "; ".join(others + extra))
    _add(found, moment._replace_day(when), None, row, ctx)
    return day
