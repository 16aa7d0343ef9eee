"""The `bpm` command: parse arguments, call the core, render the result, choose the exit code.

Nothing here knows the file format or git; heavy modules (rich, Jinja2, ruamel.yaml) are
imported inside the commands that need them so that `bpm --help` starts fast.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from bpmcli import __version__
from bpmcli.errors import EXIT_FAILURE, BpmError, UsageError


class _Group(TyperGroup):
    """Turns BpmError into one line on stderr and its exit code, for every sub-command."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BpmError as exc:
            _fail(str(exc), exc.exit_code)
        except PermissionError as exc:
            _fail(f"{exc.filename}: permission denied", EXIT_FAILURE)
        except KeyboardInterrupt:
            _fail("interrupted", 130)


def _fail(message: str, code: int) -> NoReturn:
    from bpmcli.output.terminal import clean

    typer.echo(f"error: {clean(message)}", err=True)
    raise typer.Exit(code)


def _note(message: str) -> None:
    from bpmcli.output.terminal import clean

    typer.echo(clean(message), err=True)


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Blameless postmortems as code: scaffold, lint and report on postmortems in git.",
)


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bpm {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    directory: Annotated[
        Path | None,
        typer.Option("-C", "--directory", help="Run as if bpm was started in this folder."),
    ] = None,
) -> None:
    if directory is not None:
        try:
            os.chdir(directory)
        except OSError as exc:
            raise UsageError(f"cannot change to folder: {exc.strerror}", directory) from exc


def _config() -> Any:
    from bpmcli import config

    return config.load()


@app.command()
def init(
    templates: Annotated[
        bool, typer.Option("--templates", help="Copy the built-in templates for customising.")
    ] = False,
) -> None:
    """Write .bpm.toml and create the postmortem folder (at the repository root)."""
    from bpmcli import scaffold
    from bpmcli.files import display

    result = scaffold.init(Path.cwd(), _config(), templates)
    for path in result.created:
        typer.echo(f"created {display(path)}")


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
    from bpmcli import scaffold, templates
    from bpmcli.files import display
    from bpmcli.times import parse_timestamp, zone

    config = _config()
    if list_:
        for template in templates.available(config).values():
            origin = template.origin + (" (overrides built-in)" if template.overrides else "")
            typer.echo(f"{template.kind}\t{origin}\t{display(template.path)}")
        return
    if kind is None or title is None:
        raise UsageError("bpm new needs a KIND and a TITLE, such as: bpm new incident 'DNS outage'")
    if stdout and edit:
        raise UsageError("--stdout and --edit cannot be combined")
    request = scaffold.NewRequest(
        kind=kind,
        title=title,
        started=parse_timestamp(started or "now", zone(config.timezone)),
        severity=severity,
        facilitator=facilitator,
        services=tuple(service or ()),
    )
    if stdout:
        sys.stdout.write(scaffold.preview(config, request).text)
        return
    made = scaffold.create(config, request)
    typer.echo(display(made.path))
    if edit:
        _open_editor(made.path)


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
def list_command(
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List postmortems: id, date, severity, status, open and overdue actions."""
    from bpmcli import catalog
    from bpmcli.output import terminal as render
    from bpmcli.times import today, zone

    config = _config()
    entries, problems = catalog.list_postmortems(config, today(zone(config.timezone)))
    for problem in problems:
        _note(f"warning: {problem}")
    rows = [e.as_json() for e in entries]
    if format is ListFormat.json:
        render.print_json(rows)
    elif format is ListFormat.csv:
        columns = list(catalog.Entry.__dataclass_fields__)
        sys.stdout.write(render.to_csv(columns, rows))
    else:
        columns = ["id", "date", "severity", "status", "open", "overdue", "title"]
        render.print_table(
            columns,
            (
                [e.id, e.date, e.severity, e.status, e.actions_open, e.actions_overdue, e.title]
                for e in entries
            ),
        )


@app.command()
def show(
    postmortem: Annotated[str, typer.Argument(help="An id, a unique id prefix, or a path.")],
    format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
) -> None:
    """Summarise one postmortem: fields, sections, actions."""
    from bpmcli import catalog
    from bpmcli.output import terminal as render
    from bpmcli.store.workspace import Workspace
    from bpmcli.times import today, zone

    config = _config()
    path = Workspace(config).resolve(postmortem)
    summary = catalog.summarize(path, config, today(zone(config.timezone)))
    if format is ShowFormat.json:
        render.print_json(summary.as_json())
        return
    _print_summary(summary)


def _print_summary(summary: Any) -> None:
    from bpmcli.output import terminal as render

    data = summary.as_json()
    out = render.console()
    out.print(render.text(data["title"] or data["id"], "bold"))
    for key in (
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
    ):
        if data.get(key) is not None:
            late = " (review overdue)" if key == "review_by" and data["review_overdue"] else ""
            out.print(render.text(f"  {key + ':':<13}{data[key]}{late}"))
    if data["services"]:
        out.print(render.text(f"  {'services:':<13}{', '.join(data['services'])}"))
    if data["missing_sections"]:
        out.print(
            render.text(f"  missing sections: {', '.join(data['missing_sections'])}", "yellow")
        )
    if not summary.actions:
        out.print(render.text("  no action items"))
        return
    render.print_table(
        ["id", "action", "owner", "due", "kind", "status"],
        (
            [a.id, a.action, a.owner, a.due, a.kind, a.status + (" (overdue)" if a.overdue else "")]
            for a in summary.actions
        ),
    )


timeline_app = typer.Typer(
    no_args_is_help=True, help="Add to and read the timeline table, without hand-editing it."
)
app.add_typer(timeline_app, name="timeline")


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


PostmortemArg = Annotated[
    str | None,
    typer.Argument(help="An id, a unique id prefix or a path; default: the newest draft."),
]


def _target(config: Any, ref: str | None) -> Path:
    """The postmortem named by `ref`, or the newest draft (saying so) when it is omitted."""
    from bpmcli.files import display
    from bpmcli.store.workspace import Workspace

    if ref is not None:
        return Workspace(config).resolve(ref)
    path = Workspace(config).newest_draft()
    _note(f"using {display(path)} (the newest draft)")
    return path


def _from_stdin(fields: dict[str, str]) -> dict[str, str]:
    """Replace the one field given as `-` by standard input."""
    dashed = [name for name, value in fields.items() if value == "-"]
    if len(dashed) > 1:
        raise UsageError(f"only one option can read standard input, not {', '.join(dashed)}")
    if dashed:
        fields[dashed[0]] = sys.stdin.read()
    return fields


@timeline_app.command("add")
def timeline_add(
    postmortem: PostmortemArg = None,
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
    import datetime as dt

    from bpmcli import timeline
    from bpmcli.files import display
    from bpmcli.format import timeline as table
    from bpmcli.format.postmortem import load
    from bpmcli.times import zone

    config = _config()
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
    try:
        day = dt.date.fromisoformat(date) if date else None
    except ValueError as exc:
        raise UsageError(f"--date {date!r} is not a date (YYYY-MM-DD)") from exc
    moment = timeline.event_time(time, load(path), tz, day)
    row = table.make_row(moment, tz, **texts)
    timeline.add(path, [row], config.timezone)
    typer.echo(f"{display(path)}: added {row.time} {row.actor}")


@timeline_app.command("show")
def timeline_show(
    postmortem: PostmortemArg = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """Print the timeline: a table, JSON, CSV, or the Markdown the file should hold."""
    from bpmcli.format import timeline as table
    from bpmcli.format.postmortem import load
    from bpmcli.output import terminal as render

    config = _config()
    rows = table.read(load(_target(config, postmortem)))
    if format is TableFormat.json:
        render.print_json([row.as_json() for row in rows])
    elif format is TableFormat.csv:
        sys.stdout.write(render.to_csv(table.FIELDS, (row.as_json() for row in rows)))
    elif format is TableFormat.markdown:
        lines = [table.header_line(config.timezone), table.RULE]
        sys.stdout.write("\n".join([*lines, *(table.format_row(r) for r in rows)]) + "\n")
    else:
        titles = (config.time_header, *table.TITLES[1:])
        render.print_table(titles, (row.values() for row in rows))


@timeline_app.command("import")
def timeline_import(
    postmortem: Annotated[str, typer.Argument(help="An id, a unique id prefix or a path.")],
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

    config = _config()
    path = _target(config, postmortem)
    data = sys.stdin.read() if events == "-" else decode(read_bytes(Path(events)), events)
    rows = timeline.read_events(events, data, load(path), zone(config.timezone))
    timeline.add(path, rows, config.timezone)
    typer.echo(f"{display(path)}: added {len(rows)} row{'s' if len(rows) != 1 else ''}")


action_app = typer.Typer(
    no_args_is_help=True, help="Add, close and list action items (kept in the front matter)."
)
app.add_typer(action_app, name="action")


class Kind(StrEnum):
    prevent = "prevent"
    mitigate = "mitigate"
    detect = "detect"
    process = "process"


@action_app.command("add")
def action_add(
    postmortem: Annotated[str, typer.Argument(help="An id, a unique id prefix or a path.")],
    text: Annotated[str, typer.Argument(help='One imperative sentence: "Make X do Y".')],
    kind: Annotated[Kind, typer.Option(help="prevent is a permanent fix.")],
    owner: Annotated[str | None, typer.Option(help="One person or team handle.")] = None,
    due: Annotated[
        str | None,
        typer.Option(help="YYYY-MM-DD, +10d or +2w; default: started + the severity's SLA."),
    ] = None,
    ticket: Annotated[str | None, typer.Option(help="A tracker reference.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Add it even if lint rejects it.")] = False,
) -> None:
    """Add an action item; refused (exit 1) when bpm lint would reject it, unless --force."""
    from bpmcli import actions
    from bpmcli.files import display
    from bpmcli.format.postmortem import load
    from bpmcli.store.workspace import Workspace
    from bpmcli.times import today, zone

    config = _config()
    path = Workspace(config).resolve(postmortem)
    day = today(zone(config.timezone))
    new = actions.NewAction(
        text.strip(), owner, actions.due_date(due, load(path), config, day), kind.value, ticket
    )
    problems = actions.review(new, load(path), config, day)
    for problem in problems:
        _note(f"{problem.severity}: {problem.code} {problem.message}")
    if any(p.severity == "error" for p in problems) and not force:
        _fail(
            f"{display(path)}: action not added (bpm lint would reject it; --force adds it anyway)",
            1,
        )
    action_id = actions.add(path, new)
    typer.echo(f"{display(path)}: added {action_id}, due {new.due.isoformat()}")


@action_app.command("done")
def action_done(
    postmortem: Annotated[str, typer.Argument(help="An id, a unique id prefix or a path.")],
    action_id: Annotated[
        str, typer.Argument(metavar="ACTION", help="The action's id: A1, A2, ...")
    ],
) -> None:
    """Mark an open action done, closed today."""
    _close(postmortem, action_id, "done", None)


@action_app.command("drop")
def action_drop(
    postmortem: Annotated[str, typer.Argument(help="An id, a unique id prefix or a path.")],
    action_id: Annotated[
        str, typer.Argument(metavar="ACTION", help="The action's id: A1, A2, ...")
    ],
    reason: Annotated[str, typer.Option(help="Why the team decided not to do it (required).")],
) -> None:
    """Drop an open action, with the reason: an honest won't-do, not a silent deletion."""
    _close(postmortem, action_id, "dropped", reason)


def _close(postmortem: str, action_id: str, status: str, reason: str | None) -> None:
    from bpmcli import actions
    from bpmcli.files import display
    from bpmcli.store.workspace import Workspace
    from bpmcli.times import today, zone

    config = _config()
    path = Workspace(config).resolve(postmortem)
    day = today(zone(config.timezone))
    actions.close(path, action_id.strip().upper(), status, day, reason)
    typer.echo(f"{display(path)}: {action_id.strip().upper()} {status} on {day.isoformat()}")


class Status(StrEnum):
    open = "open"
    done = "done"
    dropped = "dropped"


@action_app.command("list")
def action_list(
    owner: Annotated[str | None, typer.Option(help="Only this owner's actions.")] = None,
    status: Annotated[Status | None, typer.Option(help="Only actions with this status.")] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List action items across all postmortems, soonest due first."""
    from bpmcli import actions
    from bpmcli.output import terminal as render
    from bpmcli.times import today, zone

    config = _config()
    rows, problems = actions.list_actions(
        config, today(zone(config.timezone)), owner, status.value if status else None
    )
    for problem in problems:
        _note(f"warning: {problem}")
    if format is ListFormat.json:
        render.print_json([r.as_json() for r in rows])
    elif format is ListFormat.csv:
        sys.stdout.write(render.to_csv(actions.columns(), (r.as_json() for r in rows)))
    else:
        render.print_table(
            ["postmortem", "id", "action", "owner", "due", "kind", "status"],
            (
                [
                    r.postmortem,
                    r.id,
                    r.action,
                    r.owner,
                    r.due,
                    r.kind,
                    (r.status or "") + (" (overdue)" if r.overdue else ""),
                ]
                for r in rows
            ),
        )


report_app = typer.Typer(
    no_args_is_help=True,
    help="What slipped, and whether the team follows through: overdue, vanished, sla, stats.",
)
app.add_typer(report_app, name="report")


def _day(value: str | None, option: str) -> Any:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from exc


def _history(config: Any, rev: str | None, use_cache: bool) -> Any:
    from bpmcli.store import history

    loaded = history.load(config.root, config.postmortem_dir, rev, use_cache)
    for warning in loaded.warnings:
        _note(f"warning: {warning}")
    return loaded.history


def _emit(format: TableFormat, rows: list[Any], columns: list[str]) -> None:
    from bpmcli.output import terminal as render

    data = [row.as_json() for row in rows]
    if format is TableFormat.json:
        render.print_json(data)
    elif format is TableFormat.csv:
        sys.stdout.write(render.to_csv(columns, data))
    elif format is TableFormat.markdown:
        sys.stdout.write(render.to_markdown(columns, data))
    else:
        render.print_table(columns, ([row.get(c) for c in columns] for row in data))


@report_app.command("overdue")
def report_overdue(
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD; default: today.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's actions.")] = None,
    rev: Annotated[
        str | None,
        typer.Option(help="Read the postmortems at this revision; default: the working tree."),
    ] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    fail_on_overdue: Annotated[
        bool, typer.Option("--fail-on-overdue", help="Exit 1 when anything is overdue.")
    ] = False,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Skip git: the history fields are null.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the history cache.")
    ] = False,
) -> None:
    """Open actions past their due date, with who added them and how often they slipped."""
    from bpmcli import report
    from bpmcli.times import today, zone

    config = _config()
    day = _day(as_of, "--as-of") or today(zone(config.timezone))
    postmortems, problems = report.current(config, rev, not no_cache)
    for problem in problems:
        _note(f"warning: {problem}")
    past = None if no_history else _history(config, rev, not no_cache)
    rows = report.find_overdue(postmortems, day, past, owner)
    if format is TableFormat.table:
        _overdue_table(rows)
    else:
        _emit(format, rows, list(report.Overdue.__dataclass_fields__))
    if fail_on_overdue and rows:
        raise typer.Exit(1)


def _overdue_table(rows: list[Any]) -> None:
    from collections import Counter

    from bpmcli.output import terminal as render

    out = render.console()
    if not rows:
        out.print(render.text("Nothing is overdue."))
        return
    owners = Counter(row.owner or "(no owner)" for row in rows)
    for name, _ in sorted(owners.items(), key=lambda item: (-item[1], item[0])):
        mine = [r for r in rows if (r.owner or "(no owner)") == name]
        render.print_table(
            ["days", "postmortem", "id", "action", "due", "added", "by", "postponed"],
            (
                [
                    r.days_overdue,
                    r.postmortem,
                    r.action_id,
                    r.action,
                    r.due,
                    r.introduced_at,
                    r.introduced_by,
                    r.postponed,
                ]
                for r in mine
            ),
            title=f"{name}: {len(mine)} overdue",
        )
        out.print()
    worst = ", ".join(f"{name} ({count})" for name, count in owners.most_common(3))
    out.print(
        render.text(
            f"{len(rows)} overdue action{'s' if len(rows) != 1 else ''}, {len(owners)} "
            f"owner{'s' if len(owners) != 1 else ''}; most overdue: {worst}",
            "bold",
        )
    )


class Period(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


class Group(StrEnum):
    severity = "severity"
    service = "service"
    owner = "owner"


class StatsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@report_app.command("stats")
def report_stats(
    by: Annotated[Period, typer.Option(help="The length of a period.")] = Period.month,
    since: Annotated[
        str | None, typer.Option(help="Start with the period holding YYYY-MM-DD.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD: the last period ends here; default: today.")
    ] = None,
    group_by: Annotated[Group | None, typer.Option(help="One row per period and group.")] = None,
    format: Annotated[StatsFormat, typer.Option("--format", "-f")] = StatsFormat.table,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the caches.")
    ] = False,
) -> None:
    """Follow-through over time: publication, actions added and closed, slips, overdue."""
    from bpmcli import stats
    from bpmcli.output import terminal as render
    from bpmcli.times import today, zone

    config = _config()
    options = stats.Options(
        by.value,
        _day(as_of, "--as-of") or today(zone(config.timezone)),
        _day(since, "--since"),
        group_by.value if group_by else None,
    )
    rows = stats.run(config, options, not no_cache)
    columns = list(stats.COLUMNS)
    if group_by is not None:
        columns.insert(1, "group")
    if format is StatsFormat.json:
        render.print_json(rows)
    elif format is StatsFormat.csv:
        sys.stdout.write(render.to_csv(columns, rows))
    else:
        render.print_table(
            [c.replace("_", " ") for c in columns], ([row[c] for c in columns] for row in rows)
        )


@report_app.command("vanished")
def report_vanished(
    since: Annotated[
        str | None, typer.Option(help="Only those removed on or after YYYY-MM-DD.")
    ] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the history cache.")
    ] = False,
) -> None:
    """Actions deleted from a postmortem without ever being done or dropped."""
    from bpmcli import report

    config = _config()
    day = _day(since, "--since")
    past = _history(config, None, not no_cache)
    rows = report.find_vanished(past, day) if past is not None else []
    _emit(format, rows, list(report.Vanished.__dataclass_fields__))


@report_app.command("sla")
def report_sla(
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the history cache.")
    ] = False,
) -> None:
    """Reviews past their review_by date, and the share published on time."""
    from bpmcli import report
    from bpmcli.output import terminal as render
    from bpmcli.times import today, zone

    config = _config()
    postmortems, problems = report.current(config, None, not no_cache)
    for problem in problems:
        _note(f"warning: {problem}")
    result = report.find_sla(
        postmortems, today(zone(config.timezone)), _history(config, None, not no_cache)
    )
    if format is TableFormat.json:
        render.print_json(result.as_json())
        return
    _emit(format, result.late, list(report.Late.__dataclass_fields__))
    share = "n/a" if result.on_time_share is None else f"{result.on_time_share:.0%}"
    if format in (TableFormat.table, TableFormat.markdown):
        typer.echo(
            f"\n{result.published_on_time} of {result.published} published on time ({share})"
        )


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    gitlab = "gitlab"
    junit = "junit"


def _codes(values: list[str] | None) -> list[str]:
    return [code for value in values or [] for code in value.replace(",", " ").split()]


@app.command()
def lint(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders; default: every postmortem.")
    ] = None,
    format: Annotated[LintFormat, typer.Option("--format", "-f")] = LintFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Report, but exit 0 whatever is found.")
    ] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these codes or prefixes (BPM1).")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these codes.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only lines added or changed since this revision.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ] = False,
) -> None:
    """Check postmortems: owned, dated, concrete actions; blameless language; structure."""
    from bpmcli.lint import engine
    from bpmcli.output import lint as formats
    from bpmcli.times import today, zone

    config = _config()
    chosen = engine.settings(config, today(zone(config.timezone)), _codes(select), _codes(ignore))
    files = engine.collect(paths or [], config)
    result = engine.lint_cached(files, chosen, not no_cache)
    findings = result.findings
    if since is not None:
        from bpmcli.store.workspace import Workspace

        findings = engine.only_changed_since(
            findings, Workspace(config).changed_lines(since, files)
        )
    root = config.root
    if format is LintFormat.json:
        sys.stdout.write(formats.as_json(findings))
    elif format is LintFormat.github:
        sys.stdout.write(formats.github(findings))
    elif format is LintFormat.sarif:
        sys.stdout.write(formats.sarif(findings, root))
    elif format is LintFormat.gitlab:
        sys.stdout.write(formats.gitlab(findings, root))
    elif format is LintFormat.junit:
        sys.stdout.write(formats.junit(findings, files))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        sys.stdout.write(formats.text(findings, result.files, colour))
    failing = {"error", "warning"} if strict else {"error"}
    if not exit_zero and any(f.severity in failing for f in findings):
        raise typer.Exit(1)


class ImportStatus(StrEnum):
    draft = "draft"
    in_review = "in-review"
    published = "published"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


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
        ImportStatus, typer.Option(help="Their status (they were written already).")
    ] = ImportStatus.published,
    report: Annotated[
        ReportFormat, typer.Option("--report", help="What was found, per file: text or json.")
    ] = ReportFormat.text,
) -> None:
    """Convert postmortems written in other shapes into bpm's format, losing nothing."""
    from bpmcli import importer, templates
    from bpmcli.output import terminal as render

    config = _config()
    templates.find(config, kind)
    options = importer.Options(kind, status.value, _day(date, "--date"))
    results = importer.run(config, paths, options, write=not (dry_run or stdout))
    if stdout:
        for result in results:
            if result.error is None:
                sys.stdout.write(result.text_with(result.id))
    if report is ReportFormat.json:
        render.print_json([result.as_json() for result in results])
    elif not stdout:
        _import_report(results, dry_run)
    for result in results:
        if result.error is not None:
            _note(f"error: {result.error}")
    if any(result.error is not None for result in results):
        raise typer.Exit(1)


def _import_report(results: list[Any], dry_run: bool) -> None:
    from bpmcli.files import display
    from bpmcli.output.terminal import clean

    verb = "would import" if dry_run else "imported"
    for result in results:
        if result.error is not None:
            continue
        typer.echo(clean(f"{verb} {result.source} -> {display(result.target)}"))
        sections = ", ".join(
            f"{section} ({heading})"
            if section and section.lower() != heading.lower()
            else (section or "")
            for heading, section in result.sections
            if section
        )
        kept = ", ".join(heading for heading, section in result.sections if section is None)
        typer.echo(
            clean(
                f"  started {result.day} (from the {result.date_from}); severity {result.severity}"
            )
        )
        typer.echo(
            clean(
                f"  sections: {sections or 'none recognised'}"
                + (f"; kept as they are: {kept}" if kept else "")
            )
        )
        typer.echo(f"  timeline rows: {result.timeline_rows}; actions: {result.actions}")
        for line in result.attention:
            typer.echo(clean(f"  needs attention: {line}"))


@app.command()
def site(
    out: Annotated[
        Path, typer.Argument(help="The folder to write (new, empty, or a previous bpm site).")
    ],
    as_of: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD: overdue as of this day; default: today.")
    ] = None,
    by: Annotated[
        Period, typer.Option(help="Period length on the follow-through page.")
    ] = Period.month,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the caches.")
    ] = False,
) -> None:
    """A static site: every postmortem, follow-through charts, open actions by owner and service."""
    from bpmcli import site as site_builder
    from bpmcli.times import today, zone

    config = _config()
    options = site_builder.Options(
        _day(as_of, "--as-of") or today(zone(config.timezone)), by.value, not no_cache
    )
    built = site_builder.build(config, out, options)
    for problem in built.problems:
        _note(f"warning: {problem}")
    _note(
        f"{out}: {built.pages} pages, {built.rendered} written, "
        f"{built.pages - built.rendered} unchanged"
        + (f", {built.removed} removed" if built.removed else "")
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
    from bpmcli.output import terminal as render

    target = directory or Path(tempfile.mkdtemp(prefix="bpm-demo-")) / "postmortems-repo"
    out = render.console()
    out.print(render.text(f"Building an example repository in {target}", "bold"))
    for step in example.run(target):
        out.print()
        out.print(render.text(f"$ {step.command}", "bold cyan"))
        if step.output:
            sys.stdout.write(render.clean(step.output, one_line=False) + "\n")
            sys.stdout.flush()
    out.print()
    out.print(render.text(f"Explore it: cd {target}", "bold"))


def main() -> None:
    app(prog_name="bpm")
