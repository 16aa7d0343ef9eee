"""The `bpm` command: the root app, errors turned into exit codes, a lazy table of commands.

Typer builds a command's parameters from its signature, which costs time for every
command it builds; so only the command that runs is built, and its module imported. The
table below names each command's module and keeps its one-line help, so that `bpm --help`
lists them all without importing any (tests/cli checks the lines match the docstrings).
"""

from __future__ import annotations

import os
import sys
from difflib import get_close_matches
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any, NamedTuple, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

from bpmcli import __version__
from bpmcli.errors import EXIT_FAILURE, BpmError, UsageError

EXIT_BUG = 3  # an exception bpm did not expect: never 1, which means "found problems"
EXIT_INTERRUPTED = 130
DEBUG_VARIABLE = "BPM_DEBUG"


class Lazy(NamedTuple):
    module: str  # under bpmcli.cli; its `app` holds the command
    help: str  # the first line of the command's docstring
    group: bool = False  # the app itself is the command: a group of sub-commands


COMMANDS: dict[str, Lazy] = {
    "init": Lazy(
        "postmortems", "Write .bpm.toml and create the postmortem folder (at the repository root)."
    ),
    "new": Lazy("postmortems", "Create a postmortem from a template and print its path."),
    "list": Lazy(
        "postmortems", "List postmortems: id, date, severity, status, open and overdue actions."
    ),
    "show": Lazy("postmortems", "Summarise one postmortem: fields, sections, actions."),
    "lint": Lazy(
        "lint",
        "Check postmortems: owned, dated, concrete actions; blameless language; structure.",
    ),
    "import": Lazy(
        "importing",
        "Convert postmortems written in other shapes into bpm's format, losing nothing.",
    ),
    "site": Lazy(
        "site",
        "A static site: every postmortem, follow-through charts, open actions by owner and service.",
    ),
    "demo": Lazy("site", "Build an example postmortem repository with history, and run bpm on it."),
    "timeline": Lazy(
        "timeline", "Add to and read the timeline table, without hand-editing it.", group=True
    ),
    "action": Lazy(
        "action", "Add, close and list action items (kept in the front matter).", group=True
    ),
    "report": Lazy(
        "report",
        "What slipped, and whether the team follows through: overdue, vanished, sla, stats.",
        group=True,
    ),
}


class LazyGroup(TyperGroup):
    """Commands from COMMANDS, built when they run; BpmError becomes one line and its code."""

    listing = False  # True while the help lists commands: their table entries will do

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return self.commands.get(cmd_name)
        entry = COMMANDS[cmd_name]
        if self.listing:
            return TyperCommand(cmd_name, help=entry.help)
        self.commands[cmd_name] = command = build(cmd_name, entry)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as error:  # no such command: suggest from the whole table
            close = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if close and "Did you mean" not in error.message:
                names = ", ".join(repr(name) for name in close)
                error.message = f"{error.message.rstrip('.')}. Did you mean {names}?"
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BpmError as exc:
            fail(str(exc), exc.exit_code)
        except PermissionError as exc:
            fail(f"{exc.filename}: permission denied", EXIT_FAILURE)
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)


def build(name: str, entry: Lazy) -> Any:
    """Import the command's module and let Typer build the command from its signature."""
    module = import_module(f"bpmcli.cli.{entry.module}")
    group = typer.main.get_group(module.app)
    if entry.group:
        group.name = name
        return group
    return group.commands[name]


def fail(message: str, code: int) -> NoReturn:
    from bpmcli.output.terminal import clean

    typer.echo(f"error: {clean(message)}", err=True)
    raise typer.Exit(code)


app = typer.Typer(
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Blameless postmortems as code: scaffold, lint and report on postmortems in git.",
)


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


def main() -> None:
    """The `bpm` entry point: errors bpm knows exit with their code; anything else is a bug."""
    try:
        app(prog_name="bpm")
    except Exception as exc:  # the framework's own exits never get here: they are SystemExit
        report_bug(exc)


def report_bug(exc: Exception) -> NoReturn:
    """One line, or the traceback and the line with BPM_DEBUG set; exit 3."""
    from bpmcli.output.terminal import clean

    hint = f"; run with {DEBUG_VARIABLE}=1 for the traceback"
    if os.environ.get(DEBUG_VARIABLE):
        import traceback

        traceback.print_exception(exc)
        hint = ""
    sys.stderr.write(f"error: unexpected {type(exc).__name__}: {clean(exc)} (a bug in bpm{hint})\n")
    sys.exit(EXIT_BUG)
