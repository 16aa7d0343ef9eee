"""`bpm site` and `bpm demo`: the postmortems as a static site, and an example to explore."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bpmcli.cli import options
from bpmcli.cli.options import NoCaches
from bpmcli.cli.report import Period
from bpmcli.output import terminal

app = typer.Typer()


@app.command()
def site(
    out: Annotated[
        Path, typer.Argument(help="The folder to write (new, empty, or a previous bpm site).")
    ],
    as_of: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD: overdue as of this day; default: today.")
    ] = None,
    by: Annotated[Period, typer.Option(help="Period length on the follow-through page.")] = Period(
        "month"
    ),
    no_cache: NoCaches = False,
) -> None:
    """A static site: every postmortem, follow-through charts, open actions by owner and service."""
    from bpmcli import site as site_builder

    config = options.config()
    day = options.day(as_of, "--as-of") or options.today_in(config)
    wanted = site_builder.Options(day, by.value, not no_cache)
    with options.progress() as progress:
        built = site_builder.build(config, out, wanted, progress)
    terminal.warn(built.problems)
    removed = f", {built.removed} removed" if built.removed else ""
    unchanged = built.pages - built.rendered
    terminal.note(
        f"{out}: {built.pages} pages, {built.rendered} written, {unchanged} unchanged{removed}"
    )


@app.command()
def demo(
    directory: Annotated[
        Path | None,
        typer.Argument(help="Folder to build the example in (new); a temporary one by default."),
    ] = None,
) -> None:
    """Build an example postmortem repository with history, and run bpm on it."""
    import tempfile

    from bpmcli import demo as example
    from bpmcli.output import demo as shown
    from bpmcli.output.terminal import width

    target = directory or Path(tempfile.mkdtemp(prefix="bpm-demo-")) / "postmortems-repo"
    shown.write(target, example.run(target, columns=width()))
