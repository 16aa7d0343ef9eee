"""`bpm action add|done|drop|list`: action items, kept in the front matter."""

from __future__ import annotations

from typing import Annotated

import typer

from bpmcli.cli import options
from bpmcli.cli.options import (
    ActionArg,
    ActionKind,
    ActionStatus,
    ListFormat,
    ListFormatOption,
    OwnerOption,
    PostmortemArg,
)
from bpmcli.errors import BpmError
from bpmcli.output import terminal

app = typer.Typer(
    no_args_is_help=True, help="Add, close and list action items (kept in the front matter)."
)


@app.command("add")
def action_add(
    postmortem: PostmortemArg,
    text: Annotated[str, typer.Argument(help='One imperative sentence: "Make X do Y".')],
    kind: Annotated[ActionKind, typer.Option(help="prevent is a permanent fix.")],
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

    config = options.config()
    path = Workspace(config).resolve(postmortem)
    day = options.today_in(config)
    due_on = actions.due_date(due, load(path), config, day)
    new = actions.NewAction(text.strip(), owner, due_on, kind.value, ticket)
    problems = actions.review(new, load(path), config, day)
    for problem in problems:
        terminal.note(f"{problem.severity}: {problem.code} {problem.message}")
    if any(p.severity == "error" for p in problems) and not force:
        refused = "action not added (bpm lint would reject it; --force adds it anyway)"
        raise BpmError(f"{display(path)}: {refused}")  # exit 1, as a finding
    action_id = actions.add(path, new)
    terminal.say(f"{display(path)}: added {action_id}, due {new.due.isoformat()}")


@app.command("done")
def action_done(postmortem: PostmortemArg, action_id: ActionArg) -> None:
    """Mark an open action done, closed today."""
    _close(postmortem, action_id, "done", None)


@app.command("drop")
def action_drop(
    postmortem: PostmortemArg,
    action_id: ActionArg,
    reason: Annotated[str, typer.Option(help="Why the team decided not to do it (required).")],
) -> None:
    """Drop an open action, with the reason: an honest won't-do, not a silent deletion."""
    _close(postmortem, action_id, "dropped", reason)


def _close(postmortem: str, action_id: str, status: str, reason: str | None) -> None:
    from bpmcli import actions
    from bpmcli.files import display
    from bpmcli.store.workspace import Workspace

    config = options.config()
    path = Workspace(config).resolve(postmortem)
    day = options.today_in(config)
    wanted = action_id.strip().upper()
    actions.close(path, wanted, status, day, reason)
    terminal.say(f"{display(path)}: {wanted} {status} on {day.isoformat()}")


@app.command("list")
def action_list(
    owner: OwnerOption = None,
    status: Annotated[
        ActionStatus | None, typer.Option(help="Only actions with this status.")
    ] = None,
    format: ListFormatOption = ListFormat("table"),
) -> None:
    """List action items across all postmortems, soonest due first."""
    from bpmcli import actions
    from bpmcli.output import listing, table

    config = options.config()
    wanted = status.value if status else None
    rows, problems = actions.list_actions(config, options.today_in(config), owner, wanted)
    terminal.warn(problems)
    with options.paged():
        table.write(listing.actions(rows), format.value)
