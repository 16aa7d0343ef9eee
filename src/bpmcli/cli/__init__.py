"""The `bpm` command: the root app, errors turned into exit codes, a lazy table of commands.

Only the command that runs is imported and built (cli/lazy.py says why). The table names
each command's module and keeps its one-line help, so that `bpm --help` lists them all
without importing any; tests/cli checks that the lines are the commands' docstrings.
"""

# No `from __future__ import annotations`: Typer reads the root's signature at every run,
# and string annotations would be compiled and evaluated then.

import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from bpmcli import __version__
from bpmcli.cli.lazy import Lazy, LazyGroup
from bpmcli.errors import EXIT_FAILURE, EXIT_USAGE, BpmError, UsageError

EXIT_BUG = 3  # an exception bpm did not expect: never 1, which means "found problems"
EXIT_INTERRUPTED = 130
DEBUG_VARIABLE = "BPM_DEBUG"


COMMANDS: dict[str, Lazy] = {
    "init": Lazy(
        "bpmcli.cli.postmortems",
        "Write .bpm.toml and create the postmortem folder (at the repository root).",
    ),
    "new": Lazy(
        "bpmcli.cli.postmortems", "Create a postmortem from a template and print its path."
    ),
    "list": Lazy(
        "bpmcli.cli.postmortems",
        "List postmortems: id, date, severity, status, open and overdue actions.",
    ),
    "show": Lazy("bpmcli.cli.postmortems", "Summarise one postmortem: fields, sections, actions."),
    "lint": Lazy(
        "bpmcli.cli.lint",
        "Check postmortems: owned, dated, concrete actions; blameless language; structure.",
    ),
    "import": Lazy(
        "bpmcli.cli.importing",
        "Convert postmortems written in other shapes into bpm's format, losing nothing.",
    ),
    "site": Lazy(
        "bpmcli.cli.site",
        "A static site: every postmortem, follow-through charts, open actions by owner and service.",
    ),
    "demo": Lazy(
        "bpmcli.cli.site", "Build an example postmortem repository with history, and run bpm on it."
    ),
    "timeline": Lazy(
        "bpmcli.cli.timeline",
        "Add to and read the timeline table, without hand-editing it.",
        group=True,
    ),
    "action": Lazy(
        "bpmcli.cli.action",
        "Add, close and list action items (kept in the front matter).",
        group=True,
    ),
    "report": Lazy(
        "bpmcli.cli.report",
        "What slipped, and whether the team follows through: overdue, vanished, sla, stats.",
        group=True,
    ),
    "remind": Lazy(
        "bpmcli.cli.remind",
        "Each owner's digest of overdue and coming actions: printed, emailed or posted.",
    ),
    "tickets": Lazy(
        "bpmcli.cli.tickets",
        "Keep action items in step with GitHub Issues or Jira: create, status, pull.",
        group=True,
    ),
    "schema": Lazy(
        "bpmcli.cli.schema",
        "Print the JSON Schema of the config (.bpm.toml) or of a postmortem's front matter.",
    ),
    "lsp": Lazy(
        "bpmcli.cli.lsp",
        "A language server (stdio) that shows bpm lint's findings in editors, with safe fixes.",
    ),
}


class Root(LazyGroup):
    """bpm's commands; BpmError becomes one line on stderr and its exit code, for all of them."""

    table = COMMANDS

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """As click's, but a usage error is one line (`error: ...`), as docs/cli.md says,
        not the framework's framed panel: CI logs and problem matchers read lines."""
        errors = _click_errors()
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except errors.NoArgsIsHelpError as exc:  # `bpm` alone, `bpm report`: the help
            exc.show()
            sys.exit(EXIT_USAGE)
        except errors.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "bpm"
            _say(f"{exc.format_message()} (see '{where} --help')", EXIT_USAGE)
        except errors.ClickException as exc:
            _say(exc.format_message(), exc.exit_code)
        except typer.Abort:
            _say("interrupted", EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BpmError as exc:
            _fail(str(exc), exc.exit_code)
        except PermissionError as exc:
            _fail(f"{exc.filename}: permission denied", EXIT_FAILURE)
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_INTERRUPTED)


def _click_errors() -> Any:
    """The exceptions of the click that Typer runs on (vendored since Typer 0.26)."""
    try:
        from typer._click import exceptions
    except ImportError:  # pragma: no cover - an older Typer, on the real click
        from click import exceptions  # type: ignore[no-redef,import-not-found,unused-ignore]
    return exceptions


def _say(message: str, code: int) -> NoReturn:
    """Outside a command (the framework's own errors): one line, and exit."""
    from bpmcli.output.terminal import clean

    sys.stderr.write(f"error: {clean(message)}\n")
    sys.exit(code)


def _fail(message: str, code: int) -> NoReturn:
    from bpmcli.output.terminal import clean

    typer.echo(f"error: {clean(message)}", err=True)
    raise typer.Exit(code)


app = typer.Typer(
    cls=Root,
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion: bash, zsh, fish
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
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="Never send output to a pager ($BPM_PAGER, $PAGER, less)."),
    ] = False,
) -> None:
    from bpmcli.cli.options import Run

    Run.pager = not no_pager  # set at every run: in-process runs (tests) share the class
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
    what = f"{type(exc).__name__}: {clean(exc)}" if str(exc) else type(exc).__name__
    sys.stderr.write(f"error: unexpected {what} (a bug in bpm{hint})\n")
    sys.exit(EXIT_BUG)
