"""Parsing and writing the timestamps and dates of the file format."""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import cache

from bpmcli.errors import UsageError


@cache
def zone(name: str) -> dt.tzinfo:
    """The time zone called `name` (an IANA name such as `Europe/Berlin`, or `UTC`)."""
    if name.upper() in ("UTC", "Z"):
        return dt.UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # here: UTC needs no zone database

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(f"unknown time zone {name!r}") from exc


def now(tz: dt.tzinfo) -> dt.datetime:
    """The current time in `tz`; `BPM_NOW` (ISO 8601) pins it for reproducible runs."""
    pinned = os.environ.get("BPM_NOW")
    if pinned:
        try:
            moment = dt.datetime.fromisoformat(pinned)
        except ValueError as exc:
            raise UsageError(f"BPM_NOW={pinned!r} is not an ISO 8601 timestamp") from exc
        return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).astimezone(tz)
    return dt.datetime.now(tz).replace(microsecond=0)


def today(tz: dt.tzinfo) -> dt.date:
    return now(tz).date()


def git_day(text: str) -> str:
    """A `--date=short` day from git as YYYY-MM-DD. git stores commits dated after 9999
    (it prints 10000-01-01); Python's dates end with 9999, and the history compares days as
    text: such a day reads as 9999-12-31, the last one both agree on."""
    return text if len(text) == 10 else "9999-12-31"


def parse_timestamp(text: str, tz: dt.tzinfo) -> dt.datetime:
    """Read `now`, ISO 8601 (offset optional) or `YYYY-MM-DD HH:MM`; naive times are in `tz`.

    The result is in `tz`, seconds kept, so it can be written back as the user meant it.
    """
    value = text.strip()
    if value.lower() == "now":
        return now(tz).replace(second=0)
    local = re.match(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})$", value)  # compiled on use
    if local:
        value = f"{local[1]}T{int(local[2].split(':')[0]):02d}:{local[2].split(':')[1]}"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(
            f"cannot read {text!r} as a time: use YYYY-MM-DD HH:MM, ISO 8601 or 'now'"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    try:
        return moment.astimezone(tz)
    except OverflowError as exc:  # 9999-12-31 23:00 in a zone east of it is in year 10000
        raise UsageError(f"{text!r} is past the end of the calendar (9999-12-31)") from exc


def format_timestamp(moment: dt.datetime) -> str:
    """ISO 8601 with its offset, `Z` for UTC: `2026-11-20T14:03:00Z`."""
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def format_minutes(moment: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """`YYYY-MM-DD HH:MM` (in `tz` when given): the timeline's time cells.

    Not strftime: `%Y` writes the year 999 as `999` on glibc, a cell bpm's own lint rejects.
    """
    local = moment.astimezone(tz) if tz is not None else moment
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def add_days(day: dt.date, days: int, what: str) -> dt.date:
    """`day` + `days`, or a usage error naming `what` when the calendar ends first."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError as exc:  # past 9999-12-31, or more days than a timedelta holds
        raise UsageError(
            f"{what} would fall after 9999-12-31, the last date bpm can write"
        ) from exc


def review_by(started: dt.datetime, timezone: str, sla_days: int) -> dt.date:
    """The `review_by` a postmortem gets (FORMAT.md): the day `started` falls on in the
    configured zone, + `review_sla_days`. One rule for `bpm new` and `lint --fix`."""
    day = started.astimezone(zone(timezone)).date()
    return add_days(day, sla_days, f"review_by ({day} + review_sla_days)")


def as_date(value: object) -> dt.date | None:
    """A YAML value read as a calendar date, or None when it is not one."""
    if isinstance(value, dt.datetime):
        return None  # a timestamp where a date belongs is a mistake, not a date
    if isinstance(value, dt.date):
        return value
    return None


def as_timestamp(value: object) -> dt.datetime | None:
    """A YAML value read as an aware timestamp, or None when it is not one."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value
    return None
