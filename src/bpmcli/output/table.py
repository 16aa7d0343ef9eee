"""Results that are rows of records, and the registry of formats they are written in.

`FORMATS` maps a `--format` name to its writer: `table` (rich, for people), `json`, `csv`,
`markdown`. A command offers some of them (cli/options.py builds its choices from this
registry); a result may write one of them its own way (`Records.custom`): report overdue's
table groups rows by owner, the timeline's Markdown is the table as the file holds it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from bpmcli.output import terminal

Row = Mapping[str, Any]
Writer = Callable[["Records"], None]


class Records(NamedTuple):  # not a dataclass (~0.5 ms to create): this loads with every group
    """Rows of one kind: JSON objects with the same keys, in the order of `columns`."""

    columns: Sequence[str]  # JSON keys, and the CSV and Markdown columns, in order
    rows: Sequence[Row]
    headings: Sequence[str] | None = None  # the people's table: its column titles ...
    cells: Callable[[Row], Sequence[object]] | None = None  # ... and a row's cells
    custom: Mapping[str, Writer] = MappingProxyType({})  # format -> its own writer
    flexible: Sequence[str] = ()  # the headings whose text wraps (output/layout.py)

    def table_cells(self, row: Row) -> Sequence[object]:
        return self.cells(row) if self.cells else [row.get(c) for c in self.columns]


FORMATS: dict[str, Writer] = {}


def _writes(name: str) -> Callable[[Writer], Writer]:
    def register(writer: Writer) -> Writer:
        FORMATS[name] = writer
        return writer

    return register


def write(records: Records, format: str) -> None:
    """Write `records` to standard output in `format`, a key of FORMATS."""
    (records.custom.get(format) or FORMATS[format])(records)


@_writes("table")
def people_table(records: Records) -> None:
    terminal.print_table(
        records.headings or records.columns,
        (records.table_cells(row) for row in records.rows),
        flexible=records.flexible,
    )


@_writes("json")
def json_rows(records: Records) -> None:
    terminal.print_json(list(records.rows))


@_writes("csv")
def csv_rows(records: Records) -> None:
    sys.stdout.write(terminal.to_csv(records.columns, records.rows))


@_writes("markdown")
def markdown_rows(records: Records) -> None:
    sys.stdout.write(terminal.to_markdown(records.columns, records.rows))
