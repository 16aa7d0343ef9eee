"""`bpm tickets create|status|pull`: action items kept in step with GitHub Issues or Jira."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from bpmcli.cli import options
from bpmcli.cli.options import complete_postmortems, members
from bpmcli.config import TRACKERS
from bpmcli.errors import UsageError
from bpmcli.output import terminal
from bpmcli.output.tickets import FORMATS

if TYPE_CHECKING:
    from bpmcli.config import Config
    from bpmcli.tickets.tracker import Tracker

app = typer.Typer(
    no_args_is_help=True,
    help="Keep action items in step with GitHub Issues or Jira: create, status, pull.",
)

Format = StrEnum("Format", members(FORMATS))  # type: ignore[misc]
FormatOption = Annotated[Format, typer.Option("--format", "-f")]
TrackerName = StrEnum("TrackerName", members(TRACKERS))  # type: ignore[misc]
TrackerOption = Annotated[
    TrackerName | None,
    typer.Option("--tracker", help="Default: the config's tickets.tracker."),
]
RepoOption = Annotated[str | None, typer.Option("--repo", help="GitHub: owner/name.")]
ApiUrlOption = Annotated[
    str | None,
    typer.Option(
        "--api-url", help="GitHub: the REST API root (Enterprise); default the public API."
    ),
]
SiteOption = Annotated[
    str | None, typer.Option("--site", help="Jira Cloud: https://acme.atlassian.net.")
]
ProjectOption = Annotated[str | None, typer.Option("--project", help="Jira: the project key.")]
OnlyArg = Annotated[
    str | None,
    typer.Argument(
        help="An id, a unique id prefix or a path; default: every postmortem.",
        autocompletion=complete_postmortems,
    ),
]


def _connect(
    tracker: StrEnum | None,
    repo: str | None,
    api_url: str | None,
    site: str | None,
    project: str | None,
) -> tuple[Config, Tracker]:
    """The config, and the tracker its [tickets] and the options (which win) name."""
    from bpmcli.tickets import connect
    from bpmcli.tickets.tracker import settings

    config = options.config()
    chosen = settings(
        config,
        tracker=tracker.value if tracker else None,
        repo=repo,
        api_url=api_url,
        site=site,
        project=project,
    )
    return config, connect(chosen)


@app.command("create")
def tickets_create(
    postmortem: OnlyArg = None,
    tracker: TrackerOption = None,
    repo: RepoOption = None,
    api_url: ApiUrlOption = None,
    site: SiteOption = None,
    project: ProjectOption = None,
    format: FormatOption = Format("table"),
) -> None:
    """Open a ticket for each open action without one, and write its reference back."""
    from bpmcli import tickets
    from bpmcli.output import tickets as shown
    from bpmcli.store.workspace import Workspace

    config, chosen = _connect(tracker, repo, api_url, site, project)
    only = Workspace(config).resolve(postmortem) if postmortem else None
    result = tickets.create(config, chosen, only)
    shown.created(result, format.value)
    if result.failed:
        raise typer.Exit(1)


@app.command("status")
def tickets_status(
    apply: Annotated[
        bool,
        typer.Option("--apply", help="Make the tracker follow the file: close, reopen, due dates."),
    ] = False,
    tracker: TrackerOption = None,
    repo: RepoOption = None,
    api_url: ApiUrlOption = None,
    site: SiteOption = None,
    project: ProjectOption = None,
    format: FormatOption = Format("table"),
) -> None:
    """The drift between the files and the tracker; exit 1 when there is any."""
    from bpmcli import tickets
    from bpmcli.output import tickets as shown

    config, chosen = _connect(tracker, repo, api_url, site, project)
    result = tickets.status(config, chosen)
    applied = tickets.apply(chosen, result.drift) if apply else None
    if applied is not None:
        result.requests = chosen.requests
    shown.status(result, format.value, applied)
    unresolved = result.drift if applied is None else [a for a in applied if a.error]
    if unresolved:
        raise typer.Exit(1)


@app.command("pull")
def tickets_pull(
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Write without asking (needed when not on a terminal)."),
    ] = False,
    tracker: TrackerOption = None,
    repo: RepoOption = None,
    api_url: ApiUrlOption = None,
    site: SiteOption = None,
    project: ProjectOption = None,
    format: FormatOption = Format("table"),
) -> None:
    """Mark actions done whose tickets were closed, after showing what will change."""
    from bpmcli import tickets
    from bpmcli.output import tickets as shown

    config, chosen = _connect(tracker, repo, api_url, site, project)
    changes = tickets.pull_plan(tickets.status(config, chosen), options.today_in(config))
    shown.pull_plan(changes, format.value)
    if not changes:
        return
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("bpm tickets pull changes the files: pass --yes to write them")
        if not typer.confirm(f"Close {len(changes)} action(s) in the files?", err=True):
            terminal.note("nothing written")
            return
    failures = tickets.pull(changes)
    shown.pulled(changes, failures)
    if failures:
        raise typer.Exit(1)
