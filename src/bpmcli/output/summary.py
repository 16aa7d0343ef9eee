"""`bpm show`: one postmortem summarised, for people (`text`) or as one JSON object."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bpmcli.output import terminal

if TYPE_CHECKING:
    from bpmcli.catalog import Summary

_FIELDS = (
    "id",
    "path",
    "kind",
    "status",
    "severity",
    "started",
    "detected",
    "mitigated",
    "resolved",
    "review_by",
    "facilitator",
)


def _text(summary: Summary) -> None:
    from rich.cells import cell_len

    from bpmcli.output.layout import hanging

    data = summary.as_json()
    out = terminal.console()
    width = terminal.width()

    def lines(lead: str, text: str, style: str = "") -> None:
        for line in hanging(lead, terminal.clean(text), width):
            out.print(terminal.text(line, style))

    lines("", data["title"] or data["id"], "bold")
    for key in _FIELDS:
        if data.get(key) is not None:  # each a whole value (an id, a path, a date)
            late = " (review overdue)" if key == "review_by" and data["review_overdue"] else ""
            field = [f"  {key + ':':<13}{data[key]}{late}"]
            if cell_len(field[0]) > width:  # under its key, as a stacked table has it
                field = [f"  {key}:", f"    {data[key]}{late}"]
            for line in field:
                out.print(terminal.text(line))
    if data["services"]:
        lines(f"  {'services:':<13}", ", ".join(data["services"]))
    if data["missing_sections"]:
        lines("  missing sections: ", ", ".join(data["missing_sections"]), "yellow")
    if not summary.actions:
        out.print(terminal.text("  no action items"))
        return
    tickets = any(a.ticket for a in summary.actions)  # the column only when one has one
    terminal.print_table(
        ["id", "action", "owner", "due", "kind", "status", *(["ticket"] if tickets else [])],
        (
            [
                a.id,
                a.action,
                a.owner,
                a.due,
                a.kind,
                (a.status or "") + (" (overdue)" if a.overdue else ""),
                *([terminal.link(a.ticket or "", a.ticket_url)] if tickets else []),
            ]
            for a in summary.actions
        ),
        flexible=["action"],
    )


def _json(summary: Summary) -> None:
    terminal.print_json(summary.as_json())


#: `bpm show --format`: name -> writer.
FORMATS: dict[str, Callable[[Summary], None]] = {"text": _text, "json": _json}


def write(summary: Summary, format: str) -> None:
    FORMATS[format](summary)
