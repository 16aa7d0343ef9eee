"""Time zones named in a timeline: read, and converted only when the name is certain.

A name is certain when it stands for one IANA zone and, for a seasonal abbreviation (`PST`,
`CEST`, `BST`), when that zone really used the abbreviation on the row's date: `PST` in
June (the Pacific zone was on PDT) could be a slip for "Pacific time" or mean UTC-8, so it
is not converted but flagged. Names of several zones (`IST`: India, Ireland, Israel; `CST`:
China, the US) and unknown names (`UC/Pacific`) are flagged too, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# name -> (IANA zone, the abbreviation it must show on the date, or None for a generic name)
KNOWN: dict[str, tuple[str, str | None]] = {
    "UTC": ("UTC", None),
    "GMT": ("UTC", None),
    "Z": ("UTC", None),
    "CET": ("Europe/Berlin", "CET"),
    "CEST": ("Europe/Berlin", "CEST"),
    "EET": ("Europe/Helsinki", "EET"),
    "EEST": ("Europe/Helsinki", "EEST"),
    "WET": ("Europe/Lisbon", "WET"),
    "WEST": ("Europe/Lisbon", "WEST"),
    "BST": ("Europe/London", "BST"),
    "PST": ("America/Los_Angeles", "PST"),
    "PDT": ("America/Los_Angeles", "PDT"),
    "PT": ("America/Los_Angeles", None),
    "PACIFIC": ("America/Los_Angeles", None),
    "PACIFIC TIME": ("America/Los_Angeles", None),
    "MST": ("America/Denver", "MST"),
    "MDT": ("America/Denver", "MDT"),
    "MT": ("America/Denver", None),
    "CDT": ("America/Chicago", "CDT"),
    "CT": ("America/Chicago", None),
    "EST": ("America/New_York", "EST"),
    "EDT": ("America/New_York", "EDT"),
    "ET": ("America/New_York", None),
    "EASTERN": ("America/New_York", None),
    "EASTERN TIME": ("America/New_York", None),
    "JST": ("Asia/Tokyo", "JST"),
    "KST": ("Asia/Seoul", "KST"),
    "AEST": ("Australia/Sydney", "AEST"),
    "AEDT": ("Australia/Sydney", "AEDT"),
    "NZST": ("Pacific/Auckland", "NZST"),
    "NZDT": ("Pacific/Auckland", "NZDT"),
    "MSK": ("Europe/Moscow", "MSK"),
    "HST": ("Pacific/Honolulu", "HST"),
    "AKST": ("America/Anchorage", "AKST"),
    "AKDT": ("America/Anchorage", "AKDT"),
    "HKT": ("Asia/Hong_Kong", "HKT"),
    "CENTRAL EUROPEAN TIME": ("Europe/Berlin", None),
    "CENTRAL EUROPEAN SUMMER TIME": ("Europe/Berlin", "CEST"),
}
# GST: Gulf Standard Time (UTC+4) or South Georgia Time (UTC-2)
AMBIGUOUS = {"IST", "CST", "AST", "SST", "ADT", "GST"}
# a zone's two seasons named together, `PST/PDT`: that zone, daylight saving time included
PAIRS = {
    frozenset(pair): zone
    for pair, zone in (
        (("PST", "PDT"), "America/Los_Angeles"),
        (("MST", "MDT"), "America/Denver"),
        (("CST", "CDT"), "America/Chicago"),
        (("EST", "EDT"), "America/New_York"),
        (("CET", "CEST"), "Europe/Berlin"),
        (("EET", "EEST"), "Europe/Helsinki"),
        (("GMT", "BST"), "Europe/London"),
        (("AEST", "AEDT"), "Australia/Sydney"),
        (("NZST", "NZDT"), "Pacific/Auckland"),
    )
}
_PAIR = "|".join(sorted({name for pair in PAIRS for name in pair}, key=len, reverse=True))
_UNCERTAIN = "|".join(sorted(AMBIGUOUS))
_ABBREVIATION = "|".join(
    sorted((k for k in KNOWN if k.isalpha() and " " not in k), key=len, reverse=True)
)
# a zone word in a timeline's heading or first paragraph: `(CET)`, `all times PST`,
# `US/Pacific`, `Central European Time`, `times in BST`; IANA names have a slash
NAMED = re.compile(
    rf"\b(?:((?:{_PAIR})/(?:{_PAIR})|{_ABBREVIATION}|{_UNCERTAIN})\b"
    r"|((?:Central European(?: Summer)? Time|Pacific Time|Eastern Time)\b)"
    r"|([A-Z][A-Za-z]{1,20}/[A-Z][A-Za-z_]{1,30})\b"
    r"|((?:all )?times? (?:are )?(?:in )?(?:Pacific|Eastern)\b))",
)
ROW_ZONE = re.compile(
    rf"^[ \t(]{{0,3}}\b({_ABBREVIATION}|{_UNCERTAIN}|Eastern|Pacific)\b\)?", re.IGNORECASE
)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def named_in(text: str) -> str | None:
    """The first zone a heading or paragraph names, as written; None if it names none."""
    for match in NAMED.finditer(text[:400]):
        written = next(group for group in match.groups() if group)
        if match.group(4):  # `all times Pacific`
            written = written.split()[-1]
        if written.upper() == "Z":
            continue
        return written
    return None


def resolve(written: str, on: dt.date | None) -> tuple[ZoneInfo | None, str]:
    """The IANA zone `written` certainly is on the date `on`; else None and why not."""
    key = " ".join(written.upper().split())
    pair = PAIRS.get(frozenset(key.split("/")))
    if pair is not None:
        found = _zone(pair)
        return (found, pair) if found else (None, f"no time zone data for {pair} on this system")
    if key in AMBIGUOUS:
        return None, f"{written} names more than one zone"
    if key in KNOWN:
        name, shows = KNOWN[key]
        zone = _zone(name)
        if zone is None:  # no tz database here
            return None, f"no time zone data for {name} on this system"
        if shows is not None and on is not None:
            noon = dt.datetime.combine(on, dt.time(12), zone)
            if noon.tzname() != shows:
                return None, f"{name} was on {noon.tzname()}, not {written}, on {on.isoformat()}"
        return zone, name
    if "/" in written and (zone := _zone(written)) is not None:
        return zone, written
    return None, f"{written} is no time zone bpm knows"


def convert(day: dt.date, time: dt.time, source: ZoneInfo, target: str) -> tuple[dt.date, dt.time]:
    """A wall-clock time in `source` as the `target` zone shows it."""
    into = _zone(target) or ZoneInfo("UTC")
    moved = dt.datetime.combine(day, time, source).astimezone(into)
    return moved.date(), moved.time()
