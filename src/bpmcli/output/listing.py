"""`bpm list`, `bpm action list` and `bpm timeline show` as Records (see output/table.py).

The JSON keys and CSV columns are each result's fields (documented in docs/cli.md); the
people's table shows fewer, shorter columns.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bpmcli.output import terminal
from bpmcli.output.table import Records, Row

if TYPE_CHECKING:
    from bpmcli.actions import ActionRow
    from bpmcli.catalog import Entry
    from bpmcli.config import Config
    from bpmcli.format.timeline import Row as TimelineRow


def postmortems(entries: Sequence[Entry]) -> Records:
    from bpmcli.catalog import Entry

    return Records(
        columns=list(Entry.__dataclass_fields__),
        rows=[entry.as_json() for entry in entries],
        headings=["id", "date", "severity", "status", "open", "overdue", "title"],
        cells=_postmortem_cells,
        flexible=["title"],
    )


def _postmortem_cells(row: Row) -> Sequence[object]:
    keys = ("id", "date", "severity", "status", "actions_open", "actions_overdue", "title")
    return [row[key] for key in keys]


def actions(rows: Sequence[ActionRow]) -> Records:
    from bpmcli.actions import columns

    return Records(
        columns=columns(),
        rows=[row.as_json() for row in rows],
        headings=["postmortem", "id", "action", "owner", "due", "kind", "status"],
        cells=_action_cells,
        flexible=["action"],
    )


def _action_cells(row: Row) -> Sequence[object]:
    status = (row["status"] or "") + (" (overdue)" if row["overdue"] else "")
    return [row[key] for key in ("postmortem", "id", "action", "owner", "due", "kind")] + [status]


def timeline(rows: Sequence[TimelineRow], config: Config) -> Records:
    """The timeline table; its Markdown is the table as bpm writes it in the file."""
    from bpmcli.format import timeline as table

    def markdown(records: Records) -> None:
        lines = [table.header_line(config.timezone), table.RULE, *map(table.format_row, rows)]
        sys.stdout.write("".join(terminal.clean(line) + "\n" for line in lines))

    return Records(
        columns=table.FIELDS,
        rows=[row.as_json() for row in rows],
        headings=(config.time_header, *table.TITLES[1:]),
        custom={"markdown": markdown},
        flexible=table.TITLES[2:],  # what happened, and why: the text that wraps
    )
