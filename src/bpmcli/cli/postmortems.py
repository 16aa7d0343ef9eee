"""`bpm init`, `bpm new`, `bpm list`, `bpm show`: making postmortems and finding them."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bpmcli.cli import options
from bpmcli.cli.options import ListFormat, ListFormatOption, ShowFormat
from bpmcli.errors import UsageError
from bpmcli.output import terminal

if TYPE_CHECKING:
    from bpmcli.config import Config

app = typer.Typer()


@app.command()
def init(
    templates: Annotated[
        bool, typer.Option("--templates", help="Copy the built-in templates for customising.")
    ] = False,
) -> None:
    """Write .bpm.toml and create the postmortem folder (at the repository root)."""
    from bpmcli import scaffold
    from bpmcli.files import display

    result = scaffold.init(Path.cwd(), options.config(), templates)
    for path in result.created:
        terminal.say(f"created {display(path)}")


@app.command()
def new(
    kind: Annotated[str | None, typer.Argument(help="Template: incident, near-miss, ...")] = None,
    title: Annotated[str | None, typer.Argument(help="One-line title of the incident.")] = None,
    started: Annotated[
        str | None,
        typer.Option(help="Start: 'YYYY-MM-DD HH:MM' (config zone), ISO 8601, or 'now'."),
    ] = None,
    severity: Annotated[str | None, typer.Option(help="One of the configured severities.")] = None,
    facilitator: Annotated[str | None, typer.Option(help="Who runs the review.")] = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", help="An affected service (repeatable).")
    ] = None,
    stdout: Annotated[bool, typer.Option("--stdout", help="Print instead of writing.")] = False,
    edit: Annotated[bool, typer.Option("--edit", help="Open in $VISUAL or $EDITOR.")] = False,
    list_: Annotated[bool, typer.Option("--list", help="List the available templates.")] = False,
) -> None:
    """Create a postmortem from a template and print its path."""
    from bpmcli import scaffold
    from bpmcli.files import display
    from bpmcli.times import parse_timestamp, zone

    config = options.config()
    if list_:
        _list_templates(config)
        return
    if kind is None or title is None:
        raise UsageError("bpm new needs a KIND and a TITLE, such as: bpm new incident 'DNS outage'")
    if stdout and edit:
        raise UsageError("--stdout and --edit cannot be combined")
    started_at = parse_timestamp(started or "now", zone(config.timezone))
    request = scaffold.NewRequest(
        kind, title, started_at, severity, facilitator, tuple(service or ())
    )
    if stdout:
        sys.stdout.write(scaffold.preview(config, request).text)
        return
    made = scaffold.create(config, request)
    terminal.say(display(made.path))
    if edit:
        _open_editor(made.path)


def _list_templates(config: Config) -> None:
    from bpmcli import templates
    from bpmcli.files import display

    for template in templates.available(config).values():
        origin = template.origin + (" (overrides built-in)" if template.overrides else "")
        terminal.say(f"{template.kind}\t{origin}\t{display(template.path)}")


def _open_editor(path: Path) -> None:
    import shlex
    import subprocess

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError("--edit needs $VISUAL or $EDITOR to name an editor")
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=False)
    except OSError as exc:
        raise UsageError(f"cannot start the editor {editor!r}: {exc.strerror}") from exc


@app.command("list")
def list_command(format: ListFormatOption = ListFormat("table")) -> None:
    """List postmortems: id, date, severity, status, open and overdue actions."""
    from bpmcli import catalog
    from bpmcli.output import listing, table

    config = options.config()
    entries, problems = catalog.list_postmortems(config, options.today_in(config))
    terminal.warn(problems)
    with options.paged():
        table.write(listing.postmortems(entries), format.value)


@app.command()
def show(
    postmortem: options.PostmortemArg,
    format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat("text"),
) -> None:
    """Summarise one postmortem: fields, sections, actions."""
    from bpmcli import catalog
    from bpmcli.output import summary
    from bpmcli.store.workspace import Workspace

    config = options.config()
    found = catalog.summarize(
        Workspace(config).resolve(postmortem), config, options.today_in(config)
    )
    with options.paged():
        summary.write(found, format.value)
