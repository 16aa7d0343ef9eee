"""Turning result values into output: rich tables for people, JSON and CSV for machines.

Text from postmortems is untrusted: it is stripped of terminal control sequences before it
reaches a terminal, and handed to rich as plain Text so `[bold]` in a title stays literal.
rich itself honours NO_COLOR and drops colour when stdout is not a terminal.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# C0 controls but tab and newline, DEL, C1 controls (which include the 8-bit CSI), the
# bidirectional controls (an override makes "alice" and "ecila" look alike, or a file name
# look like another), and lone surrogates (a file name that is not UTF-8: writing one to
# stdout raises). Patterns as text, compiled on first use (re keeps them): a run that
# prints nothing needs neither.
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_LINE_BREAKS = r"[\r\n\u2028\u2029\x85]+"


def clean(value: object, *, one_line: bool = True) -> str:
    """`value` as text that cannot drive a terminal: control characters become `?`.

    Every human output, and CSV and Markdown (pasted into trackers and wikis, viewed in
    terminals), passes untrusted text through here."""
    text = "" if value is None else str(value)
    if one_line:
        text = _one_line(text)
    return re.sub(_CONTROL, "?", text)


def _one_line(text: str) -> str:
    """Line breaks and the spaces and tabs around them become one space.

    Split, then strip: the regex `[ \\t]*[\\r\\n]+[ \\t]*` retried its leading `[ \\t]*`
    from every space of a long run without a break, quadratic in the run (#16)."""
    pieces = re.split(_LINE_BREAKS, text)
    if len(pieces) == 1:
        return text
    last = len(pieces) - 1
    return " ".join(
        piece.lstrip(" \t") if i == last else piece.rstrip(" \t") if i == 0 else piece.strip(" \t")
        for i, piece in enumerate(pieces)
    )


def colour(stream: TextIO | None = None) -> bool:
    """Whether to colour what goes to `stream` (stdout), as rich decides for the tables:
    NO_COLOR (set, not empty) never; FORCE_COLOR (set, not empty) always, even piped (CI
    logs that render colour); TERM=dumb never; otherwise when it is a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return os.environ.get("TERM") != "dumb" and (stream or sys.stdout).isatty()


def say(message: str) -> None:
    """One line for people on standard output, such as the path of a file bpm wrote."""
    sys.stdout.write(clean(message) + "\n")


def note(message: str) -> None:
    """One line for people on standard error: a warning, or which file bpm chose."""
    sys.stderr.write(clean(message) + "\n")


def warn(problems: Iterable[object]) -> None:
    """Each problem that did not stop the command, as `warning: ...` on standard error."""
    for problem in problems:
        note(f"warning: {problem}")


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Piped output is read by tools and pasted into tickets: never truncate it to 80 columns.
    width = None if stream.isatty() else 10_000
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def text(value: object, style: str = "") -> Text:
    """`value` for rich as plain text: `[link=...]` or `[/x]` in it is not markup."""
    from rich.text import Text

    return Text(clean(value), style=style)


def plural(count: int, word: str) -> str:
    """`1 action`, `2 actions`: English for a count, in every human output."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def width() -> int:
    """The width tables are laid out for: COLUMNS when set (as rich and git read it), else
    the terminal's, else 80 (piped output is pasted into tickets and editors)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        try:
            return os.get_terminal_size(sys.stdout.fileno()).columns
        except OSError:  # a terminal that does not say its size
            pass
    return 80


def link(label: object, url: str | None) -> Text:
    """`label` as a terminal hyperlink to `url` (OSC 8, which rich writes) when standard
    output is coloured; the label alone when piped, with NO_COLOR or TERM=dumb. The URL
    comes from `Config.ticket_link`: percent-encoded, so it holds no escape sequence."""
    from rich.style import Style

    shown = text(label)
    if url and colour():
        shown.stylize(Style(link=url))
    return shown


def print_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: str | None = None,
    flexible: Collection[str] = (),
    min_flexible: int | None = None,
) -> str:
    """A table for people at `width()`: columns, or stacked records when they do not fit
    (output/layout.py decides). `flexible` names the headings whose text wraps. Returns the
    layout chosen, "table" or "stacked"."""
    from rich.text import Text

    from bpmcli.output import layout

    values = [list(row) for row in rows]
    cells = [[clean(cell) for cell in row] for row in values]
    links = _links(values)
    numeric = [c for i, c in enumerate(columns) if _numeric(row[i] for row in values)]
    at = width()
    least = layout.MIN_FLEXIBLE if min_flexible is None else min_flexible
    laid = layout.lay_out(
        columns, cells, at, flexible=flexible, numeric=numeric, min_flexible=least
    )
    # Every string reaches rich as Text (never markup: an owner's name is in the title), and
    # is printed as laid out: rich must not wrap it again.
    shown = Text()
    for part in layout.wrap(clean(title), at) if title is not None else []:
        shown.append(part + "\n", style="italic")
    for line in laid.lines:
        piece = _linked(line.text, links)
        if line.heading:
            piece.stylize("bold")
        shown.append(piece)
        shown.append("\n")
    console().print(shown, end="", soft_wrap=True)
    return laid.layout


def _links(values: Sequence[Sequence[object]]) -> dict[str, str]:
    """The hyperlinks among a table's cells (made by `link`): their text -> their URL."""
    from rich.text import Text

    found: dict[str, str] = {}
    for cell in (c for row in values for c in row if isinstance(c, Text)):
        for span in cell.spans:
            style = span.style
            if not isinstance(style, str) and style.link:
                found[cell.plain] = style.link
    return found


def _linked(line: str, links: Mapping[str, str]) -> Text:
    """A laid-out line with each linked value made a hyperlink again. Linked values (ticket
    references) are whole columns, never wrapped, so each is found whole on its line."""
    from rich.style import Style
    from rich.text import Text

    shown = Text(line)
    for plain, url in links.items():  # whole values only: OPS-12 is not inside OPS-123
        for found in re.finditer(rf"(?<![\w-]){re.escape(plain)}(?![\w-])", line):
            shown.stylize(Style(link=url), found.start(), found.end())
    return shown


def _numeric(values: Iterable[object]) -> bool:
    """A column of numbers (and blanks), right-aligned: a bool is not a number here."""
    present = [v for v in values if v is not None]
    return bool(present) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in present
    )


def to_json(value: Any) -> str:
    """Indented JSON; a list of objects is written one object per line.

    `indent=` makes Python's json fall back to its pure-Python encoder (several times
    slower), so long lists are encoded item by item with the C encoder instead.
    """
    import json  # here: a run that writes no JSON does without it

    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        items = ",\n".join(
            "  " + json.dumps(item, ensure_ascii=False, default=str) for item in value
        )
        return "[\n" + items + "\n]"
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def print_json(value: Any) -> None:
    sys.stdout.write(to_json(value) + "\n")


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(row.get(k)) for k in columns})
    return out.getvalue()


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    # CSV quotes line breaks itself; only what drives a terminal goes
    text = clean(value, one_line=False)
    # A cell a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+cmd`, `@SUM`)
    # starts with a quote instead, as OWASP advises: the text stays readable, nothing runs.
    return "'" + text if text[:1] in _FORMULA_STARTS else text


_FORMULA_STARTS = frozenset("=+-@\t\r")


def to_markdown(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A Markdown table, cells escaped as the timeline's are, for pasting into a wiki."""
    from bpmcli.format.timeline import escape

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append(
            "| "
            + " | ".join(escape(clean("" if row.get(c) is None else row.get(c))) for c in columns)
            + " |"
        )
    return "\n".join(lines) + "\n"
