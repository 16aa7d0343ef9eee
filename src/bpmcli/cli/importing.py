"""`bpm import`: postmortems written in other shapes, converted into bpm's format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bpmcli.cli import options
from bpmcli.cli.options import ImportReport, Status

app = typer.Typer()


@app.command("import")
def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Markdown files, or folders of them.", show_default=False),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write nothing: say what would be imported.")
    ] = False,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the imported files instead of writing them.")
    ] = False,
    kind: Annotated[str, typer.Option(help="The kind of every imported postmortem.")] = "incident",
    date: Annotated[
        str | None,
        typer.Option(help="YYYY-MM-DD for files that name no date anywhere (else refused)."),
    ] = None,
    status: Annotated[
        Status, typer.Option(help="Their status (they were written already).")
    ] = Status("published"),
    report: Annotated[
        ImportReport, typer.Option("--report", help="What was found, per file: text or json.")
    ] = ImportReport("text"),
) -> None:
    """Convert postmortems written in other shapes into bpm's format, losing nothing."""
    from bpmcli import importer, templates
    from bpmcli.output import importing

    config = options.config()
    templates.find(config, kind)  # an unknown kind is refused before any file is read
    wanted = importer.Options(kind, status.value, options.day(date, "--date"))
    with options.progress() as progress:
        results = importer.run(config, paths, wanted, not (dry_run or stdout), progress)
    importing.write(results, report.value, dry_run, files=stdout)
    if any(result.error is not None for result in results):
        raise typer.Exit(1)
