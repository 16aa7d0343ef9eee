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
    data = summary.as_json()
    out = terminal.console()
    out.print(terminal.text(data["title"] or data["id"], "bold"))
    for key in _FIELDS:
        if data.get(key) is not None:
            late = " (review overdue)" if key == "review_by" and data["review_overdue"] else ""
            out.print(terminal.text(f"  {key + ':':<13}{data[key]}{late}"))
    if data["services"]:
        out.print(terminal.text(f"  {'services:':<13}{', '.join(data['services'])}"))
    if data["missing_sections"]:
        missing = ", ".join(data["missing_sections"])
        out.print(terminal.text(f"  missing sections: {missing}", "yellow"))
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
    )


def _json(summary: Summary) -> None:
    terminal.print_json(summary.as_json())


#: `bpm show --format`: name -> writer.
FORMATS: dict[str, Callable[[Summary], None]] = {"text": _text, "json": _json}


def write(summary: Summary, format: str) -> None:
    FORMATS[format](summary)
