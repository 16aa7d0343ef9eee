"""The results of `bpm report overdue|vanished|sla|stats` as Records (see output/table.py)."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bpmcli.output import terminal
from bpmcli.output.table import FORMATS, Records, Writer

if TYPE_CHECKING:
    from bpmcli.report import Overdue, Sla, Vanished

NO_OWNER = "(no owner)"
_OVERDUE_TABLE = ["days", "postmortem", "id", "action", "due", "added", "by", "postponed"]
_OVERDUE_CELLS = [
    "days_overdue",
    "postmortem",
    "action_id",
    "action",
    "due",
    "introduced_at",
    "introduced_by",
    "postponed",
]


def _linked(row: Mapping[str, Any], key: str) -> Any:
    """A cell of the overdue table: the ticket as a link to its page, when it has one."""
    if key == "ticket":
        return terminal.link(row["ticket"] or "", row.get("ticket_url"))
    return row[key]


def overdue(rows: Sequence[Overdue]) -> Records:
    """Overdue actions; the people's table has one table per owner, most overdue first."""
    from bpmcli.report import Overdue

    return Records(
        columns=list(Overdue.__dataclass_fields__),
        rows=[row.as_json() for row in rows],
        custom={"table": _overdue_by_owner},
    )


def _overdue_by_owner(records: Records) -> None:
    from bpmcli.output import layout

    out = terminal.console()
    if not records.rows:
        out.print(terminal.text("Nothing is overdue."))
        return
    owners = Counter(row["owner"] or NO_OWNER for row in records.rows)
    for name, _ in sorted(owners.items(), key=lambda item: (-item[1], item[0])):
        mine = [row for row in records.rows if (row["owner"] or NO_OWNER) == name]
        cells = [*_OVERDUE_CELLS, *(["ticket"] if any(r.get("ticket") for r in mine) else [])]
        terminal.print_table(
            [*_OVERDUE_TABLE, *(["ticket"] if len(cells) > len(_OVERDUE_CELLS) else [])],
            ([_linked(row, key) for key in cells] for row in mine),
            title=f"{name}: {len(mine)} overdue",
            flexible=["action"],
        )
        out.print()
    worst = [f"{name} ({count})" for name, count in owners.most_common(3)]
    summary = f"{terminal.plural(len(records.rows), 'overdue action')}, {terminal.plural(len(owners), 'owner')}"
    for line in layout.hanging_items(f"{summary}; most overdue: ", worst, terminal.width()):
        out.print(terminal.text(line, "bold"))


def vanished(rows: Sequence[Vanished]) -> Records:
    from bpmcli.report import Vanished

    return Records(
        list(Vanished.__dataclass_fields__), [row.as_json() for row in rows], flexible=["action"]
    )


def sla(result: Sla) -> Records:
    """Late reviews; JSON is the whole result, the table and Markdown end with the share."""
    from bpmcli.report import Late

    share = "n/a" if result.on_time_share is None else f"{result.on_time_share:.0%}"
    footer = f"\n{result.published_on_time} of {result.published} published on time ({share})\n"

    def with_footer(format: str) -> Writer:
        def write(records: Records) -> None:
            FORMATS[format](records)
            sys.stdout.write(footer)

        return write

    return Records(
        columns=list(Late.__dataclass_fields__),
        rows=[row.as_json() for row in result.late],
        custom={
            "json": lambda _: terminal.print_json(result.as_json()),
            "table": with_footer("table"),
            "markdown": with_footer("markdown"),
        },
    )


def stats(rows: list[dict[str, Any]], grouped: bool) -> Records:
    """Follow-through per period (and group); the table's headings are spaced words.

    For people: periods down and measures across when that fits; otherwise measures down
    and periods across; otherwise one block per period."""
    from bpmcli.stats import COLUMNS

    columns = list(COLUMNS)
    if grouped:
        columns.insert(1, "group")
    return Records(
        columns,
        rows,
        headings=[c.replace("_", " ") for c in columns],
        custom={"table": _stats_table},
    )


def _stats_table(records: Records) -> None:
    from bpmcli.output import layout

    headings = list(records.headings or records.columns)
    values = [list(records.table_cells(row)) for row in records.rows]
    at = terminal.width()
    # Measure headings are words that wrap ("median days to close"); the numbers are short.
    measures = headings[2:] if "group" in records.columns else headings[1:]
    if layout.fits_as_table(headings, _text(values), at, measures, min_flexible=0):
        terminal.print_table(headings, values, flexible=measures, min_flexible=0)
        return
    keys = len(headings) - len(measures)  # period (and group): together they name a column
    across = ["measure", *(" ".join(map(terminal.clean, row[:keys])) for row in values)]
    down = [[measure, *(row[keys + i] for row in values)] for i, measure in enumerate(measures)]
    # a period's heading wraps at its spaces ("2026-Q4 Ana Okafor"); the measures are whole
    if layout.fits_as_table(across, _text(down), at, across[1:], min_flexible=0):
        terminal.print_table(across, down, flexible=across[1:], min_flexible=0)
        return
    terminal.print_table(headings, values)  # too wide both ways: one block per period


def _text(rows: Sequence[Sequence[object]]) -> list[list[str]]:
    return [[terminal.clean(cell) for cell in row] for row in rows]
