"""What several commands share: option types, choices, and the parsing of option values.

Every choice is built from the list that defines it, never copied: action kinds and
statuses from the file format, `--format` values from the output registries, so adding a
format to a registry offers it on the command line. This module imports only light
modules (it loads with every command group); choices from heavier features (`report
stats --by`) live with their group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from bpmcli.errors import UsageError
from bpmcli.format.postmortem import ACTION_KINDS, ACTION_STATUSES, STATUSES

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from bpmcli.config import Config
    from bpmcli.progress import Progress
    from bpmcli.store.history import History


def members(values: Iterable[str], registry: Container[str] | None = None) -> dict[str, str]:
    """Enum members for `values` (`in-review` is `in_review`), each one known to `registry`."""
    values = list(values)
    unknown = [value for value in values if registry is not None and value not in registry]
    if unknown:  # a choice the registry cannot write: fail at start-up, not on first use
        raise ValueError(f"no writer registered for {unknown}")
    return {value.replace("-", "_"): value for value in values}


# The choices. Each group uses a few, and building all of them (and importing every output
# registry) cost ~1 ms at every start-up: each is built the first time a command imports it,
# by the module `__getattr__` below (PEP 562). mypy sees these declarations; the members
# are only known at run time.
if TYPE_CHECKING:

    class ActionKind(StrEnum): ...

    class ActionStatus(StrEnum): ...

    class Status(StrEnum): ...

    class ListFormat(StrEnum): ...

    class TableFormat(StrEnum): ...

    class ShowFormat(StrEnum): ...

    class ImportReport(StrEnum): ...

    class LintFormat(StrEnum): ...

    ListFormatOption = Annotated[ListFormat, typer.Option("--format", "-f")]
    TableFormatOption = Annotated[TableFormat, typer.Option("--format", "-f")]


def _choices(name: str) -> dict[str, str]:
    """The members of the choice called `name`, from the list or registry that defines it."""
    match name:
        case "ActionKind":
            return members(ACTION_KINDS)
        case "ActionStatus":
            return members(ACTION_STATUSES)
        case "Status":
            return members(STATUSES)
        case "ListFormat" | "TableFormat":
            from bpmcli.output import table

            listed = ("table", "json", "csv") if name == "ListFormat" else table.FORMATS
            return members(listed, table.FORMATS)
        case "ShowFormat":
            from bpmcli.output import summary

            return members(summary.FORMATS)
        case "ImportReport":
            from bpmcli.output import importing

            return members(importing.FORMATS)
        case "LintFormat":
            from bpmcli.output import lint

            return members(lint.FORMATS)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _enum(name: str) -> type[StrEnum]:
    # Enum's functional API, which mypy reads as a lookup by value when the name is no literal
    return cast("type[StrEnum]", StrEnum(name, _choices(name)))


def __getattr__(name: str) -> Any:
    """A choice enum, or a `--format` option of one, built on first use and kept."""
    made: Any
    if name in ("ListFormatOption", "TableFormatOption"):
        made = Annotated[__getattr__(name.removesuffix("Option")), typer.Option("--format", "-f")]
    else:
        made = _enum(name)
    globals()[name] = made
    return made


def complete_postmortems(incomplete: str) -> list[str]:
    """Shell completion: the ids (file names) of the postmortems that start so. Files only,
    no git and no parsing: completion must answer at once."""
    try:
        from bpmcli.store.workspace import Workspace

        stems = (path.stem for path in Workspace(config()).postmortems())
        return sorted(stem for stem in stems if stem.startswith(incomplete))
    except Exception:  # a broken config or folder: no candidates, never a traceback
        return []


def complete_actions(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the action ids of the postmortem named before (its front matter)."""
    try:
        from bpmcli.format.postmortem import load
        from bpmcli.store.workspace import Workspace

        ref = ctx.params.get("postmortem")
        if not ref:
            return []
        pm = load(Workspace(config()).resolve(str(ref)))
        return [a.id for a in pm.actions if a.id and a.id.startswith(incomplete.upper())]
    except Exception:  # an unknown or broken postmortem: nothing to offer
        return []


PostmortemArg = Annotated[
    str,
    typer.Argument(
        help="An id, a unique id prefix or a path.", autocompletion=complete_postmortems
    ),
]
DraftArg = Annotated[
    str | None,
    typer.Argument(
        help="An id, a unique id prefix or a path; default: the newest draft.",
        autocompletion=complete_postmortems,
    ),
]
ActionArg = Annotated[
    str,
    typer.Argument(
        metavar="ACTION", help="The action's id: A1, A2, ...", autocompletion=complete_actions
    ),
]
OwnerOption = Annotated[str | None, typer.Option(help="Only this owner's actions.")]


def no_cache(what: str) -> Any:
    """`--no-cache`, naming the cache it skips."""
    return typer.Option("--no-cache", help=f"Neither read nor write {what}.")


NoCaches = Annotated[bool, no_cache("the caches")]


def config() -> Config:
    """The configuration of the repository (or folder) bpm runs in."""
    from bpmcli import config as configuration

    return configuration.load()


def today_in(config: Config) -> dt.date:
    """Today in the configured time zone (or BPM_NOW's day)."""
    from bpmcli.times import today, zone

    return today(zone(config.timezone))


def day(value: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option's date, or None when it was not given."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from exc


class Run:
    """What the root's options say to the command of this run (set by the root callback)."""

    pager = True  # False with `bpm --no-pager`


def paged() -> AbstractContextManager[None]:
    """Standard output through the pager (output/pager.py) while the block runs, unless
    `--no-pager`: for the commands whose output is a report a person reads."""
    from bpmcli.output import pager

    return pager.paging(Run.pager)


def progress(wanted: bool = True) -> AbstractContextManager[Progress]:
    """Progress on standard error while the block runs, when it is a terminal; not even
    looked for when not `wanted` (a one-file lint does without the display's module)."""
    if not wanted:
        from contextlib import nullcontext

        from bpmcli.progress import SILENT

        return nullcontext(SILENT)
    from bpmcli.output import progress as display

    return display.shown()


def history(
    config: Config, rev: str | None, use_cache: bool, purpose: str = "bpm report"
) -> History | None:
    """The postmortem folder's history (None outside git), its warnings said on stderr;
    progress on stderr while the pass runs, when it is a terminal. Every command that
    reads the history comes through here (`report`, `remind`)."""
    from bpmcli.output import terminal
    from bpmcli.store import history as reading

    with progress() as shown:
        loaded = reading.load(
            config.root, config.postmortem_dir, rev, use_cache, purpose=purpose, progress=shown
        )
    terminal.warn(loaded.warnings)
    return loaded.history
