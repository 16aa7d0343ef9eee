"""What `bpm tickets` asks of a tracker, whichever it is (GitHub Issues, Jira Cloud)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bpmcli.config import Config, TicketSettings, check_shape, check_tracker, check_web_address
from bpmcli.errors import UsageError

LABEL = "postmortem"
# The marker a ticket's description carries, so that a re-run (or a run after a crash
# between creating a ticket and writing its reference back) finds it: `<pm id>/<action id>`.
MARKER = re.compile(r"bpm: ([^\s/<>]+/[^\s/<>]+)")


def marker(postmortem_id: str, action_id: str) -> str:
    return f"{postmortem_id}/{action_id}"


def last_marker(text: str, pattern: re.Pattern[str] = MARKER) -> str | None:
    """The marker bpm wrote: the last one, since bpm writes it after the text it copies from
    the postmortem (a title that reads `bpm: x/y` must not pass for another action's)."""
    found = pattern.findall(text)
    return found[-1] if found else None


@dataclass(frozen=True)
class Ticket:
    """A ticket as the tracker has it."""

    ref: str  # as the action's `ticket` holds it: owner/repo#12, OPS-12
    open: bool
    url: str
    due: dt.date | None = None  # None on GitHub: its issues have no due date
    marker: str | None = None  # `<pm id>/<action id>` when bpm made it
    closed: dt.date | None = None  # the day it was closed, when the tracker says
    not_planned: bool = False  # GitHub's state_reason "not_planned": a won't-do


@dataclass(frozen=True)
class NewTicket:
    """A ticket to create for one action."""

    marker: str
    title: str
    postmortem_id: str
    postmortem_title: str | None
    owner: str | None
    due: dt.date | None
    kind: str | None
    link: str | None  # the postmortem's web page, when `repo_url` is configured
    assignee: str | None  # the tracker's login / account id, from [owners]


class Tracker(Protocol):
    name: str
    has_due: bool  # whether tickets carry a due date bpm can compare and set

    def reference(self, text: str) -> str | None:
        """`text` (an action's `ticket`) as this tracker's canonical ref, None if it is not one."""

    def tickets(self) -> dict[str, Ticket]:
        """Every ticket labelled `postmortem`, by ref: one listing, a few paged requests."""

    def fetch(self, ref: str) -> Ticket | None:
        """One ticket the listing did not hold; None when the tracker says it is gone."""

    def create(self, new: NewTicket) -> Ticket: ...

    def close(self, ref: str, dropped: bool) -> None: ...

    def reopen(self, ref: str) -> None: ...

    def comment(self, ref: str, text: str) -> None: ...

    def set_due(self, ref: str, due: dt.date | None) -> None: ...

    @property
    def requests(self) -> int:
        """HTTP requests sent so far."""


def description_lines(new: NewTicket, due_note: str = "") -> list[str]:
    """The body's lines, the same on every tracker (each renders them its own way)."""
    title = f": {new.postmortem_title}" if new.postmortem_title else ""
    lines = [f"Action item from the postmortem {new.postmortem_id}{title}.", ""]
    lines.append(f"Owner: {new.owner or 'none named'}")
    if new.due is not None:
        lines.append(f"Due: {new.due.isoformat()}{due_note}")
    if new.kind:
        lines.append(f"Kind: {new.kind}")
    if new.link:
        lines.append(f"Postmortem: {new.link}")
    return lines


def settings(config: Config, **given: str | None) -> TicketSettings:
    """[tickets] with the command's options laid over it (options win), checked with the
    config's own checks: one rule per setting, whichever way it was given."""
    chosen = config.tickets._replace(**{k: v for k, v in given.items() if v is not None})
    if chosen.tracker is None:
        raise UsageError('no tracker: set [tickets] tracker = "github" or "jira", or --tracker')
    _check("--tracker", chosen.tracker, check_tracker)
    if chosen.tracker == "github":
        if not chosen.repo:
            raise UsageError("GitHub needs the repository: [tickets] repo or --repo owner/name")
        _check("--repo", chosen.repo, functools.partial(check_shape, "repo"))
        _check("--api-url", chosen.api_url, check_web_address)
    else:
        if not chosen.site:
            raise UsageError(
                "Jira needs the site: [tickets] site or --site https://acme.atlassian.net"
            )
        _check("--site", chosen.site, check_web_address)
        if not chosen.project:
            raise UsageError("Jira needs the project key: [tickets] project or --project OPS")
        _check("--project", chosen.project, functools.partial(check_shape, "project"))
    return chosen


def _check(option: str, value: str | None, problem: Callable[[str], str | None]) -> None:
    """A value the config passed already, or an option's: the reason names the option,
    since a bad value the config holds never gets this far."""
    reason = None if value is None else problem(value)
    if reason is not None:
        raise UsageError(f"{option} {reason}, got {value!r}")


def environment(name: str) -> str:
    """A credential from the environment, the only place bpm reads them from."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise UsageError(
            f"{name} is not set: bpm tickets reads credentials from the environment only"
        )
    if any(c.isspace() or not c.isprintable() for c in value):
        # Refused before it reaches a header: http.client's error would quote the header,
        # the token in it. The value is never shown, not even in part.
        raise UsageError(
            f"{name} holds white space or control characters: set it to the token alone"
        )
    return value
