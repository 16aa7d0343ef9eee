"""How a table for people is laid out at a given width: the one place that decides.

A column is either whole (ids, dates, numbers, paths, names: never cut, never wrapped) or
flexible (a title, an action's text: wraps at spaces). The table is laid out as columns when
every whole column fits at its widest value and each flexible column keeps at least
`MIN_FLEXIBLE` cells (or its widest value, if narrower); otherwise it is stacked, one record
per block of `key: value` lines. Nothing is ever cut: a value is whole on one line, or, in
the flexible text, wrapped at spaces (a word wider than the whole line is folded).

Widths are terminal cells (rich's `cell_len`): a CJK title takes two per character.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import NamedTuple

from rich.cells import cell_len

MIN_FLEXIBLE = 16  # a title wrapped narrower than this reads as a column of fragments
GAP = "  "  # between two columns
RULE = "─"  # under the headings, as rich's SIMPLE_HEAD box draws it
STACKED_KEY_MIN = 2  # a value that does not fit beside its key goes under it, indented so


class Line(NamedTuple):
    text: str
    heading: bool = False  # the headings line: shown bold


class Laid(NamedTuple):
    layout: str  # "table" or "stacked"
    lines: list[Line]


def lay_out(
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    flexible: Collection[str] = (),
    numeric: Collection[str] = (),
    min_flexible: int = MIN_FLEXIBLE,
) -> Laid:
    """`rows` (cells as one-line text) as a table at most `width` cells wide, or stacked.

    `flexible` and `numeric` name headings: the wrapping text, and the right-aligned numbers.
    A flexible column is kept `min_flexible` wide at least (or as wide as its longest word).
    """
    widths = table_widths(headings, rows, width, flexible, min_flexible)
    if widths is None:
        return Laid("stacked", stacked(headings, rows, width, flexible))
    return Laid("table", _table(headings, rows, widths, numeric))


def fits_as_table(
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    flexible: Collection[str],
    min_flexible: int = MIN_FLEXIBLE,
) -> bool:
    return table_widths(headings, rows, width, flexible, min_flexible) is not None


def table_widths(
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    flexible: Collection[str],
    min_flexible: int = MIN_FLEXIBLE,
) -> list[int] | None:
    """Each column's width, or None when the table cannot fit in `width` without a cut."""
    columns = [[h, *(row[i] for row in rows)] for i, h in enumerate(headings)]
    natural = [max(map(cell_len, column)) for column in columns]
    least = [
        min(n, max(min_flexible, _longest_word(column))) if h in flexible else n
        for h, n, column in zip(headings, natural, columns, strict=True)
    ]
    room = width - cell_len(GAP) * (len(headings) - 1)
    if sum(least) > room:
        return None
    if sum(natural) <= room:
        return natural
    # share what is left over the flexible columns, in proportion to how much each wants
    spare = room - sum(least)
    wants = [n - m for n, m in zip(natural, least, strict=True)]
    total = sum(wants)
    given = [m + (spare * w) // total for m, w in zip(least, wants, strict=True)]
    return given


def _longest_word(texts: Sequence[str]) -> int:
    """A flexible column (its heading too) wraps at spaces: no narrower than its longest
    word, or words would be folded while there is room."""
    return max((cell_len(word) for text in texts for word in text.split()), default=0)


def _table(
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    numeric: Collection[str],
) -> list[Line]:
    right = [h in numeric for h in headings]
    lines = [Line(text, heading=True) for text in _row(headings, widths, right)]
    lines.append(Line(RULE * (sum(widths) + cell_len(GAP) * (len(widths) - 1))))
    for row in rows:
        lines.extend(Line(text) for text in _row(row, widths, right))
    return lines


def _row(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> list[str]:
    """One record as one or more lines: each cell wrapped to its width, then side by side."""
    wrapped = [wrap(cell, width) for cell, width in zip(cells, widths, strict=True)]
    height = max(len(parts) for parts in wrapped)
    lines = []
    for n in range(height):
        pieces = []
        for parts, width, flush_right in zip(wrapped, widths, right, strict=True):
            piece = parts[n] if n < len(parts) else ""
            pad = " " * (width - cell_len(piece))
            pieces.append(pad + piece if flush_right else piece + pad)
        lines.append(GAP.join(pieces).rstrip())
    return lines


def stacked(
    headings: Sequence[str], rows: Sequence[Sequence[str]], width: int, flexible: Collection[str]
) -> list[Line]:
    """One block per record, `key: value` a line, a blank line between blocks.

    A value wider than the room beside its key goes on the next line, indented; a whole
    value wider than even that stays whole (the terminal may fold it, a copy gets it whole).
    """
    key_width = max(cell_len(h) for h in headings) + 2  # "key: " aligned
    lines: list[Line] = []
    for index, row in enumerate(rows):
        if index:
            lines.append(Line(""))
        for heading, cell in zip(headings, row, strict=True):
            lines.extend(_field(heading, cell, key_width, width, heading in flexible))
    return lines


def _field(heading: str, value: str, key_width: int, width: int, wraps: bool) -> list[Line]:
    key = f"{heading}:".ljust(key_width)
    beside = width - key_width
    if not value:
        return [Line(key.rstrip())]
    if wraps:
        if beside >= MIN_FLEXIBLE // 2:
            parts = wrap(value, beside)
            return [Line(key + parts[0])] + [Line(" " * key_width + p) for p in parts[1:]]
        under = wrap(value, max(1, width - STACKED_KEY_MIN))
        return [Line(key.rstrip())] + [Line(" " * STACKED_KEY_MIN + p) for p in under]
    if cell_len(value) <= beside:
        return [Line(key + value)]
    return [Line(key.rstrip()), Line(" " * STACKED_KEY_MIN + value)]


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken at spaces; a longer word is folded."""
    width = max(width, 1)  # callers subtract indents: at COLUMNS=1 the room is below zero
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split():
        while cell_len(word) > width:  # a word wider than the column: fold it
            if current:
                lines.append(current)
                current = ""
            head = _prefix(word, width)
            lines.append(head)
            word = word[len(head) :]
        if not current:
            current = word
        elif cell_len(current) + 1 + cell_len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def _prefix(word: str, width: int) -> str:
    """The longest start of `word` that fits in `width` cells (at least one character)."""
    end = 1
    while end < len(word) and cell_len(word[: end + 1]) <= width:
        end += 1
    return word[:end]


def hanging(lead: str, text: str, width: int) -> list[str]:
    """`lead` then `text` wrapped to `width`, its later lines indented under the text: a
    summary line, an owner's list of sections. Too narrow for that: under the lead."""
    room = width - cell_len(lead)
    if room < MIN_FLEXIBLE // 2:
        return [lead.rstrip(), *(" " * STACKED_KEY_MIN + p for p in wrap(text, width - 2))]
    parts = wrap(text, room)
    return [lead + parts[0], *(" " * cell_len(lead) + part for part in parts[1:])]


def hanging_items(lead: str, items: Sequence[str], width: int) -> list[str]:
    """`lead` then `items` joined by ", ", broken only between items (an owner's name in a
    summary stays on one line); later lines are indented. An item is never cut."""
    *lines, current = wrap(lead.rstrip(), width)  # the lead itself may be too wide
    for n, item in enumerate(items):
        piece = item + ("," if n < len(items) - 1 else "")
        joined = f"{current} {piece}" if current.strip() else current + piece
        if cell_len(joined) <= width or not current.strip():
            current = joined
        else:  # on the next line; an item too wide even for a line of its own wraps
            lines.append(current)
            *more, last = wrap(piece, width - STACKED_KEY_MIN)
            lines += [" " * STACKED_KEY_MIN + part for part in more]
            current = " " * STACKED_KEY_MIN + last
    lines.append(current)
    return lines
