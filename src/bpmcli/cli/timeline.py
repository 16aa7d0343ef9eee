"""`bpm timeline add|show|import`: the timeline table, without hand-editing it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bpmcli.cli import options
from bpmcli.cli.options import DraftArg, PostmortemArg, TableFormat, TableFormatOption
from bpmcli.errors import UsageError
from bpmcli.output import terminal

if TYPE_CHECKING:
    from bpmcli.config import Config

app = typer.Typer(
    no_args_is_help=True, help="Add to and read the timeline table, without hand-editing it."
)


def _target(config: Config, ref: str | None) -> Path:
    """The postmortem named by `ref`, or the newest draft (saying so) when it is omitted."""
    from bpmcli.files import display
    from bpmcli.store.workspace import Workspace

    if ref is not None:
        return Workspace(config).resolve(ref)
    path = Workspace(config).newest_draft()
    terminal.note(f"using {display(path)} (the newest draft)")
    return path


def _from_stdin(fields: dict[str, str]) -> dict[str, str]:
    """Replace the one field given as `-` by standard input."""
    dashed = [name for name, value in fields.items() if value == "-"]
    if len(dashed) > 1:
        raise UsageError(f"only one option can read standard input, not {', '.join(dashed)}")
    if dashed:
        fields[dashed[0]] = sys.stdin.read()
    return fields


@app.command("add")
def timeline_add(
    postmortem: DraftArg = None,
    time: Annotated[
        str,
        typer.Option(help="HH:MM (on the start date), 'YYYY-MM-DD HH:MM', ISO 8601, or 'now'."),
    ] = "now",
    actor: Annotated[
        str, typer.Option(help="Who acted, or what (a person, a bot, a system).")
    ] = "",
    event: Annotated[
        str, typer.Option(help="What they did or what happened; '-' reads stdin.")
    ] = "",
    outcome: Annotated[str, typer.Option(help="What came of it; '-' reads stdin.")] = "",
    expected: Annotated[str, typer.Option(help="What they expected at the time.")] = "",
    assumed: Annotated[str, typer.Option(help="What they assumed at the time.")] = "",
    date: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD for a --time HH:MM on another day.")
    ] = None,
) -> None:
    """Add a row to the timeline, in chronological place."""
    from bpmcli import timeline
    from bpmcli.files import display
    from bpmcli.format import timeline as table
    from bpmcli.format.postmortem import load
    from bpmcli.times import zone

    config = options.config()
    path = _target(config, postmortem)
    texts = _from_stdin(
        {
            "actor": actor,
            "event": event,
            "outcome": outcome,
            "expected": expected,
            "assumed": assumed,
        }
    )
    tz = zone(config.timezone)
    day = options.day(date or None, "--date")
    moment = timeline.event_time(time, load(path), tz, day)
    row = table.make_row(moment, tz, **texts)
    timeline.add(path, [row], config.timezone)
    terminal.say(f"{display(path)}: added {row.time} {row.actor}")


@app.command("show")
def timeline_show(
    postmortem: DraftArg = None, format: TableFormatOption = TableFormat("table")
) -> None:
    """Print the timeline: a table, JSON, CSV, or the Markdown the file should hold."""
    from bpmcli.format import timeline as table
    from bpmcli.format.postmortem import load
    from bpmcli.output import listing
    from bpmcli.output import table as tables

    config = options.config()
    rows = table.read(load(_target(config, postmortem)))
    with options.paged():
        tables.write(listing.timeline(rows, config), format.value)


@app.command("import")
def timeline_import(
    postmortem: PostmortemArg,
    events: Annotated[
        str,
        typer.Argument(
            help="CSV with a header (time,actor,event,...) or JSON lines; '-' for stdin."
        ),
    ],
) -> None:
    """Add many rows at once from CSV or JSON lines: all of them, or none."""
    from bpmcli import timeline
    from bpmcli.files import display, read_bytes
    from bpmcli.format.postmortem import decode, load
    from bpmcli.times import zone

    config = options.config()
    path = _target(config, postmortem)
    data = sys.stdin.read() if events == "-" else decode(read_bytes(Path(events)), events)
    rows = timeline.read_events(events, data, load(path), zone(config.timezone))
    timeline.add(path, rows, config.timezone)
    terminal.say(f"{display(path)}: added {len(rows)} row{'s' if len(rows) != 1 else ''}")
