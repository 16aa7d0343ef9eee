"""Dates and times as people write them in postmortems, found and normalised.

Only what can be read without guessing: `2019-10-24`, `24-10-2019` and `24/10/2019` (day
first when the first number cannot be a month or when the text says so elsewhere is not
tried: a number above 12 decides, else the ISO-like order wins), `Oct 24, 2019`,
`24 October 2019`, `20220105` in a file name; times `14:03`, `14:03:22`, `2:03 PM`.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
MONTH_NAME = re.compile(
    rf"\b(?:({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}}))\b",
    re.IGNORECASE,
)
COMPACT = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(\d{2})(\d{2})(?!\d)")
MONTH_DAY = re.compile(r"(?<![\d-])(\d{1,2})-(\d{1,2})(?![\d-])")  # `[11-23 14:03]`
TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?(?!\d|:\d)")


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str, compact: bool = False) -> tuple[dt.date, re.Match[str]] | None:
    """The first real calendar date written in `text`, and where it was found."""
    found: list[tuple[int, dt.date, re.Match[str]]] = []
    for match in ISO_DATE.finditer(text):
        day = _date(int(match[1]), int(match[2]), int(match[3]))
        if day:
            found.append((match.start(), day, match))
            break
    for match in DAY_FIRST.finditer(text):
        first, second = int(match[1]), int(match[2])
        day = _date(int(match[3]), second, first) or _date(int(match[3]), first, second)
        if day:
            found.append((match.start(), day, match))
            break
    for match in MONTH_NAME.finditer(text):
        if match[1]:
            day = _date(int(match[3]), MONTHS[match[1].lower()], int(match[2]))
        else:
            day = _date(int(match[6]), MONTHS[match[5].lower()], int(match[4]))
        if day:
            found.append((match.start(), day, match))
            break
    if compact:
        for match in COMPACT.finditer(text):
            day = _date(int(match[1]), int(match[2]), int(match[3]))
            if day:
                found.append((match.start(), day, match))
                break
    if not found:
        return None
    _, day, match = min(found, key=lambda item: item[0])
    return day, match


def find_time(text: str) -> tuple[dt.time, re.Match[str]] | None:
    """The first clock time written in `text` (`14:03`, `2:03 PM`), and where."""
    for match in TIME.finditer(text):
        hour, minute = int(match[1]), int(match[2])
        marker = (match[4] or "").lower()
        if marker == "p" and hour < 12:
            hour += 12
        elif marker == "a" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            return dt.time(hour, minute), match
    return None


def month_day(text: str, year: int) -> dt.date | None:
    """`11-23` as a month and day of a known year."""
    match = MONTH_DAY.search(text)
    return _date(year, int(match[1]), int(match[2])) if match else None
