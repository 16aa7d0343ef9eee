"""Dates and times as people write them in postmortems, found and normalised.

Only what can be read without guessing: `2019-10-24`, `24-10-2019`, `24/10/2019` and
`10/24/19` (a number above 12 decides the order; when neither does, the date is
*ambiguous*: `order` says which reading the document uses, day first by default, and the
importer flags it), `Oct 24, 2019`, `24 October 2019`, `20220105` in a file name; dates
without a year (`Oct 30th`, `Jan 14`, `19. April`, `11-23`) in a year given by the caller;
times `14:03`, `14:03:22`, `2:03 PM`.

Every pattern here is linear: no nested quantifiers, no two adjacent quantifiers over the
same characters (tests/test_import_patterns.py imports 100 KB pathological lines).
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
# `24-10-2019`, `3.4.2020`, `4/21/23` (two-digit years only with slashes: `1.2.11` is a version)
NUMERIC = re.compile(r"(?<!\d)(?<!\d\.)(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|(?<=/)\d{2})(?!\d|\.\d)")
MONTH_NAME = re.compile(
    rf"\b(?:({_MONTH})\.?[ \t]+(\d{{1,2}})(?:st|nd|rd|th)?,?[ \t]+(\d{{4}})"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?\.?[ \t]+({_MONTH})\.?,?[ \t]+(\d{{4}}))\b",
    re.IGNORECASE,
)
# a month name without a year: `Oct 30th`, `Jan 14`, `14 Feb`, `19. April`
MONTH_NO_YEAR = re.compile(
    rf"\b(?:({_MONTH})\.?[ \t]+(\d{{1,2}})(?:st|nd|rd|th)?(?!\d|:\d)"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?\.?[ \t]+({_MONTH})\b)",
    re.IGNORECASE,
)
COMPACT = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(\d{2})(\d{2})(?!\d)")
MONTH_DAY = re.compile(r"(?<![\d-])(\d{1,2})-(\d{1,2})(?![\d-])")  # `[11-23 14:03]`
TIME = re.compile(
    r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[ \t]?([AaPp])\.?[Mm]\.?)?(?!\d|:\d)"
)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _numeric(match: re.Match[str], order: str | None) -> dt.date | None:
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    if len(match[4]) == 2:
        year += 2000
    day_first = _date(year, second, first)
    month_first = _date(year, first, second)
    if order == "mdy":
        return month_first or day_first
    return day_first or month_first


def is_ambiguous(match: re.Match[str]) -> bool:
    """A numeric date both of whose readings are real and differ (`3.4.2020`)."""
    if match.re is not NUMERIC:
        return False
    first, second = int(match[1]), int(match[3])
    return first != second and first <= 12 and second <= 12


def readings(match: re.Match[str]) -> tuple[dt.date | None, dt.date | None]:
    """A numeric date read day first, then month first."""
    return _numeric(match, "dmy"), _numeric(match, "mdy")


def find_date(
    text: str, compact: bool = False, order: str | None = None
) -> tuple[dt.date, re.Match[str]] | None:
    """The first real calendar date written in `text`, and where it was found."""
    found: list[tuple[int, dt.date, re.Match[str]]] = []
    for match in ISO_DATE.finditer(text):
        day = _date(int(match[1]), int(match[2]), int(match[3]))
        if day:
            found.append((match.start(), day, match))
            break
    for match in NUMERIC.finditer(text):
        day = _numeric(match, order)
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


def in_year_of(month: int, day: int, near: dt.date) -> dt.date | None:
    """A month and day without a year, as the postmortem dated `near` means it: in its
    year, or the year before when that would put it months after the postmortem (`12-05`
    in a postmortem of March is last December)."""
    found = _date(near.year, month, day)
    if found is not None and (found - near).days > 92:
        return _date(near.year - 1, month, day)
    return found


def find_day(
    text: str, near: dt.date | None, order: str | None = None
) -> tuple[dt.date, re.Match[str]] | None:
    """A date with a year, else a month name and day in the year of `near`."""
    found = find_date(text, order=order)
    if found or near is None:
        return found
    match = MONTH_NO_YEAR.search(text)
    if match is None:
        return None
    if match[1]:
        day = in_year_of(MONTHS[match[1].lower()], int(match[2]), near)
    else:
        day = in_year_of(MONTHS[match[4].lower()], int(match[3]), near)
    return (day, match) if day else None


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


def month_day(text: str, near: dt.date) -> dt.date | None:
    """`11-23` as a month and day, in the year the postmortem dated `near` means."""
    match = MONTH_DAY.search(text)
    return in_year_of(int(match[1]), int(match[2]), near) if match else None
