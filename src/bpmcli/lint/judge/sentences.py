"""Prose split into sentences, with character offsets into the text it came from.

The rules are those of docs/language.md, so that a finding lands on the unit a label names:
a blank line, a heading, a list item and a table cell start a new unit; inside one, a
sentence ends at `.`, `!` or `?` followed by a space and a capital, a digit or an @handle,
but not after a list number ("3.") or an abbreviation ("e.g.", "Sept.").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Linear: the lookbehind anchors every attempt at one punctuation mark, and the classes
# either side of \s+ are disjoint, so no attempt backtracks over more than one run.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]*_]*\s+(?=[\"'“‘(\[*_`]*(?:[A-Z0-9]|@\w))")
_LIST_NUMBER = re.compile(r"[\s>*+-]*(?:\d+|[A-Za-z])[.)]")
_ABBREVIATION = re.compile(
    r"(?:^|[^\w.])(?:e\.g|i\.e|etc|vs|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
    r"|Mr|Mrs|Ms|Dr|No|St)\.$",
    re.IGNORECASE,
)
# A line that starts a unit of its own: a heading, a list item, a table row.
_UNIT_START = re.compile(r"[ \t]{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|\|)")
_CELL = re.compile(r"[^|]+")


class Sentence(NamedTuple):  # not a frozen dataclass: ~0.4 ms to create at start-up
    start: int  # offset of the first character in the text
    end: int  # offset just past the last character
    text: str


def split(text: str) -> list[Sentence]:
    """The sentences of `text` (blanked regions are whitespace, so they never join units)."""
    found: list[Sentence] = []
    for start, end in _units(text):
        found.extend(_sentences(text, start, end))
    return found


def around(text: str, offsets: list[int]) -> list[Sentence]:
    """The sentences that contain one of `offsets` (sorted), splitting only the units
    (paragraphs, items, rows) they fall in: the same result as filtering `split(text)`,
    at the cost of the few units that hold a hit."""
    chosen: list[Sentence] = []
    done_until = -1
    for offset in offsets:
        if offset < done_until:
            continue
        start, end = _block(text, offset)
        for sentence in split(text[start:end]):
            first, last = start + sentence.start, start + sentence.end
            if any(first <= hit < last for hit in _within(offsets, first, last)):
                chosen.append(Sentence(first, last, sentence.text))
        done_until = end
    return chosen


def _within(offsets: list[int], start: int, end: int) -> list[int]:
    import bisect

    return offsets[bisect.bisect_left(offsets, start) : bisect.bisect_left(offsets, end)]


def _block(text: str, offset: int) -> tuple[int, int]:
    """The run of lines around `offset` between unit boundaries (blank lines, unit starts)."""
    start = text.rfind("\n", 0, offset) + 1
    while start > 0 and not _UNIT_START.match(text, start):
        previous = text.rfind("\n", 0, start - 1) + 1
        if not text[previous : start - 1].strip():
            break
        start = previous
    end = text.find("\n", offset)
    while end != -1:
        following = text.find("\n", end + 1)
        line = text[end + 1 : following if following != -1 else len(text)]
        if not line.strip() or _UNIT_START.match(line):
            break
        end = following
    return start, len(text) if end == -1 else end


def _units(text: str) -> Iterator[tuple[int, int]]:
    """Spans of paragraphs, list items, headings and table cells."""
    unit_start: int | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        line_end = offset + len(line.rstrip("\r\n"))
        if not stripped or _UNIT_START.match(line):
            if unit_start is not None:
                yield unit_start, offset
                unit_start = None
            if stripped.startswith("|"):
                for cell in _CELL.finditer(line):
                    yield offset + cell.start(), offset + cell.end()
            elif stripped.startswith("#"):
                yield offset, line_end  # a heading is a unit of one line
            elif stripped:
                unit_start = offset
        elif unit_start is None:
            unit_start = offset
        offset = line_end + (len(line) - len(line.rstrip("\r\n")))
    if unit_start is not None:
        yield unit_start, offset


def _sentences(text: str, start: int, end: int) -> Iterator[Sentence]:
    piece_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        # only the last few characters can hold a list number or an abbreviation: looking
        # at those alone keeps a long run of rejected candidates linear
        before = text[max(piece_start, match.start() - 12) : match.start()]
        whole = match.start() - piece_start <= 12
        if (whole and _LIST_NUMBER.fullmatch(before)) or _ABBREVIATION.search(before):
            continue
        closers = len(match.group().rstrip())  # a closing quote or bracket ends it too
        yield from _trimmed(text, piece_start, match.start() + closers)
        piece_start = match.end()
    yield from _trimmed(text, piece_start, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield Sentence(start, end, text[start:end])
