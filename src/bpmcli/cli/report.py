"""`bpm report overdue|vanished|sla|stats`: what slipped, and whether the team follows through."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from bpmcli.cli import options
from bpmcli.cli.options import (
    ListFormat,
    ListFormatOption,
    NoCaches,
    OwnerOption,
    TableFormat,
    TableFormatOption,
    members,
)
from bpmcli.output import terminal
from bpmcli.stats import GROUPS, PERIODS

app = typer.Typer(
    no_args_is_help=True,
    help="What slipped, and whether the team follows through: overdue, vanished, sla, stats.",
)

# Here, not in options.py: bpmcli.stats loads the history modules, which lint never needs.
Period = StrEnum("Period", members(PERIODS))  # type: ignore[misc]
Group = StrEnum("Group", members(GROUPS))  # type: ignore[misc]


@app.command("overdue")
def report_overdue(
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD; default: today.")] = None,
    owner: OwnerOption = None,
    rev: Annotated[
        str | None,
        typer.Option(help="Read the postmortems at this revision; default: the working tree."),
    ] = None,
    format: TableFormatOption = TableFormat("table"),
    fail_on_overdue: Annotated[
        bool, typer.Option("--fail-on-overdue", help="Exit 1 when anything is overdue.")
    ] = False,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Skip git: the history fields are null.")
    ] = False,
    no_cache: NoCaches = False,
) -> None:
    """Open actions past their due date, with who added them and how often they slipped."""
    from bpmcli import report
    from bpmcli.output import reports, table

    config = options.config()
    day = options.day(as_of, "--as-of") or options.today_in(config)
    postmortems, problems = report.current(config, rev, not no_cache)
    terminal.warn(problems)
    past = None if no_history else options.history(config, rev, not no_cache)
    rows = report.find_overdue(postmortems, day, past, owner, config.ticket_link)
    with options.paged():
        table.write(reports.overdue(rows), format.value)
    if fail_on_overdue and rows:
        raise typer.Exit(1)


@app.command("stats")
def report_stats(
    by: Annotated[Period, typer.Option(help="The length of a period.")] = Period("month"),
    since: Annotated[
        str | None, typer.Option(help="Start with the period holding YYYY-MM-DD.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD: the last period ends here; default: today.")
    ] = None,
    group_by: Annotated[Group | None, typer.Option(help="One row per period and group.")] = None,
    format: ListFormatOption = ListFormat("table"),
    no_cache: NoCaches = False,
) -> None:
    """Follow-through over time: publication, actions added and closed, slips, overdue."""
    from bpmcli import stats
    from bpmcli.output import reports, table

    config = options.config()
    last = options.day(as_of, "--as-of") or options.today_in(config)
    grouping = group_by.value if group_by else None
    wanted = stats.Options(by.value, last, options.day(since, "--since"), grouping)
    with options.progress() as progress:
        rows = stats.run(config, wanted, not no_cache, progress=progress)
    with options.paged():
        table.write(reports.stats(rows, grouped=grouping is not None), format.value)


@app.command("vanished")
def report_vanished(
    since: Annotated[
        str | None, typer.Option(help="Only those removed on or after YYYY-MM-DD.")
    ] = None,
    format: TableFormatOption = TableFormat("table"),
    no_cache: NoCaches = False,
) -> None:
    """Actions deleted from a postmortem without ever being done or dropped."""
    from bpmcli import report
    from bpmcli.output import reports, table

    config = options.config()
    day = options.day(since, "--since")
    past = options.history(config, None, not no_cache)
    rows = report.find_vanished(past, day) if past is not None else []
    with options.paged():
        table.write(reports.vanished(rows), format.value)


@app.command("sla")
def report_sla(
    format: TableFormatOption = TableFormat("table"), no_cache: NoCaches = False
) -> None:
    """Reviews past their review_by date, and the share published on time."""
    from bpmcli import report
    from bpmcli.output import reports, table

    config = options.config()
    postmortems, problems = report.current(config, None, not no_cache)
    terminal.warn(problems)
    past = options.history(config, None, not no_cache)
    result = report.find_sla(postmortems, options.today_in(config), past)
    with options.paged():
        table.write(reports.sla(result), format.value)
