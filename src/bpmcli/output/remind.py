"""`bpm remind`: the digests as Markdown, JSON, email (text + HTML) and Slack text.

Every string in a digest comes from a postmortem or the config, so every one is escaped
for where it goes: control characters stripped everywhere, `|` in Markdown tables, HTML
entities in the email's HTML part (`html.escape`, quotes too), and `&`, `<`, `>` in Slack
text, the three characters Slack's formatting reserves (so a title cannot mention
`<!channel>` or forge a link).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from bpmcli.output import terminal
from bpmcli.output.terminal import clean, to_json, to_markdown

if TYPE_CHECKING:
    from bpmcli.remind import Digest, Item, Outcome, Reminders

FORMATS = ("markdown", "json")
# Two lines: plain-text mail is read at 80 columns or less.
FOOTER = (
    "Sent by bpm remind. The postmortem files are the record: close an action\n"
    "with `bpm action done POSTMORTEM ACTION`."
)


def when(item: Item) -> str:
    """`3 days overdue`, `due today`, `due in 2 days`."""
    days = item.days_overdue
    if days > 0:
        return f"{terminal.plural(days, 'day')} overdue"
    return "due today" if days == 0 else f"due in {terminal.plural(-days, 'day')}"


def moved(item: Item) -> str:
    if item.moved is None:
        return "unknown"
    if item.moved == 0:
        return "never"
    first = f" (first due {item.original_due})" if item.original_due else ""
    return f"{terminal.plural(item.moved, 'time')}{first}"


def added(item: Item) -> str:
    if item.added_by is None:
        return "unknown"
    return f"{item.added_by}, {item.added_at}"


def counts(digest: Digest) -> str:
    """`3 overdue actions (2 due soon), 1 to escalate`; `1 action due soon`; ..."""
    parts = []
    if digest.overdue:
        soon = f" ({digest.due_soon} due soon)" if digest.due_soon else ""
        parts.append(f"{terminal.plural(digest.overdue, 'overdue action')}{soon}")
    elif digest.due_soon:
        parts.append(f"{terminal.plural(digest.due_soon, 'action')} due soon")
    if digest.escalations:
        count = len(digest.escalations)
        parts.append(
            f"{count} to escalate" if parts else f"{terminal.plural(count, 'action')} to escalate"
        )
    return ", ".join(parts)


def headline(digest: Digest) -> str:
    """`bob: 1 overdue action (1 due soon), 2 to escalate`."""
    return clean(f"{digest.owner}: {counts(digest)}")


def subject(digest: Digest) -> str:
    """`bpm: 3 overdue actions (2 due soon) for alice`, one line (a header)."""
    return clean(f"bpm: {counts(digest)} for {digest.owner}")


def _escalation_intro(reminders: Reminders) -> str:
    days = terminal.plural(reminders.escalate_after_days, "day")
    return f"As facilitator: open actions of your postmortems overdue more than {days}"


# -- Markdown ------------------------------------------------------------------------------


def _rows(items: Iterable[Item], with_owner: bool) -> list[dict[str, object]]:
    rows = []
    for item in items:
        row: dict[str, object] = {
            "when": when(item),
            "due": item.due,
            "action": f"{item.action_id or '?'}: {item.action or ''}",
            "postmortem": f"{item.title} ({item.postmortem})" if item.title else item.postmortem,
        }
        if with_owner:
            row["owner"] = item.owner or "(none)"
        row |= {"due moved": moved(item), "added": added(item)}
        rows.append(row)
    return rows


def _markdown_table(items: Sequence[Item], with_owner: bool = False) -> str:
    rows = _rows(items, with_owner)
    return to_markdown(list(rows[0]), rows) if rows else ""


def markdown_digest(reminders: Reminders, digest: Digest) -> str:
    lines = [f"## {headline(digest)}", ""]
    if digest.actions:
        lines.append(_markdown_table(digest.actions))
    if digest.escalations:
        lines += [_escalation_intro(reminders) + ":", "", _markdown_table(digest.escalations, True)]
    return "\n".join(lines)


def markdown(reminders: Reminders) -> str:
    """Every digest, for stdout (the default of `bpm remind`)."""
    scope = (
        f"due within {terminal.plural(reminders.within_days, 'day')}; facilitators hear of actions "
        f"overdue more than {terminal.plural(reminders.escalate_after_days, 'day')}"
    )
    lines = [f"# Action digests as of {reminders.as_of.isoformat()}", "", f"({scope})", ""]
    if not reminders.digests:
        lines.append("Nothing is overdue or coming due.")
        lines.append("")
    for digest in reminders.digests:
        lines.append(markdown_digest(reminders, digest))
    if reminders.unowned:
        lines += ["## No owner", "", _markdown_table(reminders.unowned)]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- JSON ----------------------------------------------------------------------------------


def digest_json(digest: Digest) -> dict[str, Any]:
    reach = digest.reach
    return {
        "owner": digest.owner,
        "email": reach.email if reach else None,
        "slack": reach.slack if reach else None,
        "subject": subject(digest),
        "overdue": digest.overdue,
        "due_soon": digest.due_soon,
        "actions": [item.as_json() for item in digest.actions],
        "escalations": [item.as_json() for item in digest.escalations],
    }


def as_json(reminders: Reminders, outcomes: Sequence[Outcome]) -> str:
    """The documented shape (docs/cli.md, `bpm remind`)."""
    from bpmcli.remind import UNREACHABLE

    return to_json(
        {
            "as_of": reminders.as_of.isoformat(),
            "within_days": reminders.within_days,
            "escalate_after_days": reminders.escalate_after_days,
            "digests": [digest_json(digest) for digest in reminders.digests],
            "unowned": [item.as_json() for item in reminders.unowned],
            "unreachable": [
                {"owner": o.owner, "reason": o.reason} for o in outcomes if o.status == UNREACHABLE
            ],
            "deliveries": [o.as_json() for o in outcomes if o.status != UNREACHABLE],
        }
    )


# -- email: plain text and HTML ------------------------------------------------------------


def _moves(item: Item) -> str:
    """` (moved 2 times, first due 2026-10-25)`, ` (never moved)`, or nothing unknown."""
    if item.moved is None:
        return ""
    if item.moved == 0:
        return " (never moved)"
    first = f", first due {item.original_due}" if item.original_due else ""
    return f" (moved {terminal.plural(item.moved, 'time')}{first})"


def _added_by(item: Item) -> str:
    return "unknown" if item.added_by is None else f"{item.added_by} on {item.added_at}"


def _text_item(item: Item, with_owner: bool) -> list[str]:
    where = f'{item.postmortem} "{item.title}"' if item.title else item.postmortem
    lines = [
        f"- {when(item)}: {item.action_id or '?'} {item.action or ''}",
        f"  due {item.due}{_moves(item)}",
        f"  added by {_added_by(item)}",
        f"  in {where}",
    ]
    if with_owner:
        lines.append(f"  owner: {item.owner or '(none)'}")
    if item.ticket:
        lines.append(f"  ticket: {item.ticket}")
    if item.url:
        lines.append(f"  {item.url}")
    return [clean(line) for line in lines]


def text_body(reminders: Reminders, digest: Digest) -> str:
    lines = [f"{headline(digest)} (as of {reminders.as_of.isoformat()})", ""]
    for item in digest.actions:
        lines += _text_item(item, False)
    if digest.escalations:
        lines += [*([""] if digest.actions else []), _escalation_intro(reminders) + ":", ""]
        for item in digest.escalations:
            lines += _text_item(item, True)
    lines += ["", FOOTER]
    return "\n".join(lines) + "\n"


def _e(value: object) -> str:
    """A postmortem's string for HTML: control characters out, then every entity escaped."""
    return html.escape(clean(value), quote=True)


def _html_table(items: Sequence[Item], with_owner: bool) -> str:
    rows = _rows(items, with_owner)
    head = "".join(f'<th align="left">{_e(name)}</th>' for name in rows[0])
    body = []
    for item, row in zip(items, rows, strict=True):
        cells = []
        for name, value in row.items():
            shown = _e(value)
            if name == "postmortem" and item.url:
                shown = f'<a href="{_e(item.url)}">{shown}</a>'
            cells.append(f"<td>{shown}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table cellpadding="4"><tr>{head}</tr>{"".join(body)}</table>'


def html_body(reminders: Reminders, digest: Digest) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"></head><body>',
        f"<h2>{_e(headline(digest))}</h2>",
        f"<p>As of {_e(reminders.as_of.isoformat())}.</p>",
    ]
    if digest.actions:
        parts.append(_html_table(digest.actions, False))
    if digest.escalations:
        parts += [
            f"<p>{_e(_escalation_intro(reminders))}:</p>",
            _html_table(digest.escalations, True),
        ]
    parts += [f"<p><small>{_e(FOOTER)}</small></p>", "</body></html>"]
    return "\n".join(parts) + "\n"


# -- Slack ---------------------------------------------------------------------------------


def slack_escape(value: object) -> str:
    """Slack's three reserved characters as its entities; everything else stays literal."""
    text = clean(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(digest: Digest) -> str:
    """`<@U123>` for a member id (Slack notifies them), `<!subteam^S123>` for a user
    group's id; any other handle (`@alice`) is shown as written, escaped: Slack no longer
    turns such names into mentions."""
    handle = digest.reach.slack if digest.reach else None
    if handle and re.fullmatch(r"[UW][A-Z0-9]{2,}", handle):
        return f"<@{handle}>"
    if handle and re.fullmatch(r"S[A-Z0-9]{2,}", handle):
        return f"<!subteam^{handle}>"
    return slack_escape(handle or digest.owner)


def _slack_item(item: Item, with_owner: bool) -> str:
    where = f"{item.title} ({item.postmortem})" if item.title else item.postmortem
    owner = f", owner {item.owner or '(none)'}" if with_owner else ""
    line = (
        f"• *{when(item)}*: {item.action_id or '?'} {item.action or ''}: {where}{owner}; "
        f"due {item.due}{_moves(item)}, added by {_added_by(item)}"
    )
    shown = slack_escape(line)
    return shown + (f" {slack_escape(item.url)}" if item.url else "")


def slack_payload(reminders: Reminders, digest: Digest) -> dict[str, str]:
    """An incoming webhook's body: `{"text": ...}` in Slack's mrkdwn."""
    lines = [f"*{slack_escape(subject(digest))}* {mention(digest)}"]
    lines += [_slack_item(item, False) for item in digest.actions]
    if digest.escalations:
        lines.append(slack_escape(_escalation_intro(reminders)) + ":")
        lines += [_slack_item(item, True) for item in digest.escalations]
    return {"text": "\n".join(lines)}


# -- what a run did ------------------------------------------------------------------------


def dry_run(reminders: Reminders, outcomes: Sequence[Outcome], transport: str) -> str:
    """What would be sent: each recipient, subject and body (the webhook's URL is a secret
    and is never shown)."""
    from bpmcli.remind import WOULD_SEND

    by_owner = {digest.owner: digest for digest in reminders.digests}
    blocks = []
    for outcome in outcomes:
        digest = by_owner.get(outcome.owner or "")
        if outcome.status != WOULD_SEND or digest is None:
            continue
        if transport == "email":
            blocks.append(
                f"--- email to {clean(outcome.to)}\nSubject: {subject(digest)}\n\n"
                + text_body(reminders, digest)
            )
        else:
            blocks.append(
                f"--- webhook POST for {clean(digest.owner)} (the URL is not shown)\n"
                + to_json(slack_payload(reminders, digest))
            )
    return "\n".join(blocks)


def status_line(outcome: Outcome) -> str:
    """One line for a digest that went out or was not due: `bob: sent to bob@example.com`."""
    from bpmcli.remind import SENT

    to = f" to {outcome.to}" if outcome.to else ""
    reason = f" {outcome.reason}" if outcome.reason and outcome.status != SENT else ""
    return clean(f"{outcome.owner}: {outcome.status}{to}{reason}")


def problem_line(outcome: Outcome, sending: bool = True) -> str:
    """One line for a digest that did not (or, printed, could not) reach its owner."""
    if outcome.owner is None:  # the actions that name no owner: the reason says it all
        return clean(str(outcome.reason))
    who = outcome.owner
    to = f" to {outcome.to}" if outcome.to else ""
    return clean(
        f"{who}: not sent{to}: {outcome.reason}" if sending else f"{who}: {outcome.reason}"
    )
