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
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bpmcli.errors import UsageError
from bpmcli.format.postmortem import ACTION_KINDS, ACTION_STATUSES, STATUSES
from bpmcli.output import importing, lint, summary, table

if TYPE_CHECKING:
    from bpmcli.config import Config


def members(values: Iterable[str], registry: Container[str] | None = None) -> dict[str, str]:
    """Enum members for `values` (`in-review` is `in_review`), each one known to `registry`."""
    values = list(values)
    unknown = [value for value in values if registry is not None and value not in registry]
    if unknown:  # a choice the registry cannot write: fail at start-up, not on first use
        raise ValueError(f"no writer registered for {unknown}")
    return {value.replace("-", "_"): value for value in values}


# mypy cannot see members computed at run time, hence the ignores (the values are str).
ActionKind = StrEnum("ActionKind", members(ACTION_KINDS))  # type: ignore[misc]
ActionStatus = StrEnum("ActionStatus", members(ACTION_STATUSES))  # type: ignore[misc]
Status = StrEnum("Status", members(STATUSES))  # type: ignore[misc]
ListFormat = StrEnum("ListFormat", members(("table", "json", "csv"), table.FORMATS))  # type: ignore[misc]
TableFormat = StrEnum("TableFormat", members(table.FORMATS))  # type: ignore[misc]
ShowFormat = StrEnum("ShowFormat", members(summary.FORMATS))  # type: ignore[misc]
ImportReport = StrEnum("ImportReport", members(importing.FORMATS))  # type: ignore[misc]
LintFormat = StrEnum("LintFormat", members(lint.FORMATS))  # type: ignore[misc]

ListFormatOption = Annotated[ListFormat, typer.Option("--format", "-f")]
TableFormatOption = Annotated[TableFormat, typer.Option("--format", "-f")]

PostmortemArg = Annotated[str, typer.Argument(help="An id, a unique id prefix or a path.")]
DraftArg = Annotated[
    str | None,
    typer.Argument(help="An id, a unique id prefix or a path; default: the newest draft."),
]
ActionArg = Annotated[str, typer.Argument(metavar="ACTION", help="The action's id: A1, A2, ...")]
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
