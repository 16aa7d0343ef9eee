"""`bpm tickets` results as text for people or JSON for scripts (shapes in docs/cli.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bpmcli.output import terminal

if TYPE_CHECKING:
    from bpmcli.tickets import Applied, Change, CreateResult, StatusResult

FORMATS = ("table", "json")
_DRIFT_WORDS = {
    "ticket-closed": "ticket closed, action open",
    "ticket-open": "action {status}, ticket open",
    "due": "due dates differ",
    "gone": "ticket gone",
}


def _requests(count: int) -> str:
    return terminal.plural(count, "HTTP request")


def created(result: CreateResult, format: str) -> None:
    terminal.warn(result.notes)
    if format == "json":
        terminal.print_json(
            {
                "tracker": result.tracker,
                "actions": [c.as_json() for c in result.actions],
                "notes": result.notes,
                "requests": result.requests,
            }
        )
    else:
        for made in result.actions:
            if made.outcome != "failed":
                terminal.say(f"{made.path}: {made.action} -> {made.ticket} ({made.outcome})")
    for failed in result.failed:
        terminal.note(f"error: {failed.path}: {failed.action}: {failed.error}")
    counts = {
        k: sum(c.outcome == k for c in result.actions) for k in ("created", "found", "failed")
    }
    terminal.note(
        f"{counts['created']} created, {counts['found']} found by their marker and written back, "
        f"{counts['failed']} failed ({_requests(result.requests)})"
    )


def drift_words(kinds: Sequence[str], status: str | None) -> str:
    return "; ".join(_DRIFT_WORDS[k].format(status=status) for k in kinds)


def status(result: StatusResult, format: str, applied: list[Applied] | None = None) -> None:
    terminal.warn(result.notes)
    if format == "json":
        data: dict[str, Any] = {
            "tracker": result.tracker,
            "checked": result.checked,
            "requests": result.requests,
            "drift": [d.as_json() for d in result.drift],
        }
        if applied is not None:
            data["applied"] = [a.as_json() for a in applied]
        terminal.print_json(data)
    elif result.drift:
        terminal.print_table(
            ["postmortem", "action", "ticket", "drift", "due", "ticket due"],
            (
                [
                    d.postmortem,
                    d.action,
                    d.ticket,
                    drift_words(d.drift, d.action_status),
                    d.due.isoformat() if d.due else "",
                    d.ticket_due.isoformat() if d.ticket_due else "",
                ]
                for d in result.drift
            ),
        )
    if applied is not None and format != "json":
        for one in applied:
            line = f"{one.ticket}: {one.did}"
            if one.error:
                terminal.note(f"error: {line}: {one.error}")
            else:
                terminal.say(line)
    terminal.note(
        f"{terminal.plural(result.checked, 'ticketed action')} checked, "
        f"{len(result.drift)} drifted ({_requests(result.requests)})"
    )


def pull_plan(changes: list[Change], format: str) -> None:
    if format == "json":
        terminal.print_json([c.as_json() for c in changes])
        return
    if not changes:
        terminal.note("nothing to pull: no open action has a closed ticket")
        return
    for change in changes:
        because = f" ({change.reason})" if change.reason else ""
        terminal.say(
            f"{change.path}: {change.action} -> {change.status} on {change.closed.isoformat()}, "
            f"its ticket {change.ticket} is closed{because}"
        )


def pulled(changes: list[Change], failures: list[str]) -> None:
    for failure in failures:
        terminal.note(f"error: {failure}")
    terminal.note(f"{len(changes) - len(failures)} action(s) closed, {len(failures)} failed")
