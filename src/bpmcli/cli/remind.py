"""`bpm remind`: each owner's digest of overdue and coming actions, printed or sent."""

from __future__ import annotations

import contextlib
import os
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from bpmcli.cli import options
from bpmcli.cli.options import NoCaches, members
from bpmcli.errors import UsageError
from bpmcli.output import terminal
from bpmcli.output.remind import FORMATS

if TYPE_CHECKING:
    from pathlib import Path

    from bpmcli.config import Config
    from bpmcli.remind import Digest, Outcome, Reminders, Transport

app = typer.Typer()

WEBHOOK_VARIABLE = "BPM_WEBHOOK_URL"
# Here, not in options.py: only this command has them.
Format = StrEnum("Format", members(FORMATS))  # type: ignore[misc]
Send = StrEnum("Send", members(("email", "webhook")))  # type: ignore[misc]
Per = StrEnum("Per", members(("day", "week")))  # type: ignore[misc]


@app.command()
def remind(
    within: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=3650,
            help="Also actions due within this many days; default [remind] within_days (7).",
        ),
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's digest.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format("markdown"),
    send: Annotated[
        Send | None,
        typer.Option(help="Send the digests: email (over --smtp) or webhook (to --webhook)."),
    ] = None,
    smtp: Annotated[
        str | None,
        typer.Option(
            metavar="HOST[:PORT]", help="Send by email through this server; default [remind] smtp."
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option("--from", metavar="ADDR", help="The emails' From; default [remind] from."),
    ] = None,
    ssl: Annotated[
        bool, typer.Option("--ssl", help="TLS from the first byte (port 465), not STARTTLS.")
    ] = False,
    webhook: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help=f"POST each digest to this Slack-compatible webhook; better: ${WEBHOOK_VARIABLE}.",
        ),
    ] = None,
    once_per: Annotated[
        Per | None,
        typer.Option(
            help="Send each owner's digest once per day or ISO week (remembered in .git/bpm/)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; send and remember nothing.")
    ] = False,
    no_cache: NoCaches = False,
) -> None:
    """Each owner's digest of overdue and coming actions: printed, emailed or posted."""
    from bpmcli import remind as reminding
    from bpmcli import report

    config = options.config()
    how = _transport_name(send, smtp, webhook)
    if once_per is not None and how is None:
        raise UsageError("--once-per applies when sending: add --send, --smtp or --webhook")
    today = options.today_in(config)
    memory_folder = _memory_folder(config) if once_per is not None else None
    postmortems, problems = report.current(config, None, not no_cache)
    terminal.warn(problems)
    if owner is not None and not reminding.names_owner(postmortems, owner):
        terminal.note(f"warning: no action names owner {owner!r}")
    past = options.history(config, None, not no_cache, purpose="bpm remind")
    days = within if within is not None else config.remind.within_days
    found = reminding.collect(
        config, postmortems, past, today, days, config.remind.escalate_after_days, owner
    )
    if how is None:
        _print(found, format.value)
        return
    transport, closing = _transport(how, config, found, smtp, sender, ssl, webhook)
    with closing:
        if memory_folder is not None and once_per is not None:
            with reminding.memory(memory_folder, once_per.value, today) as memory:
                outcomes = reminding.deliver(found, transport, memory, dry_run)
        else:
            outcomes = reminding.deliver(found, transport, None, dry_run)
    _report(found, outcomes, format.value, how, dry_run)


def _transport_name(send: StrEnum | None, smtp: str | None, webhook: str | None) -> str | None:
    """email, webhook or None (print): --send, or what --smtp / --webhook imply."""
    implied = {name for name, given in (("email", smtp), ("webhook", webhook)) if given}
    chosen = {send.value} if send is not None else set()
    both = chosen | implied
    if len(both) > 1:
        raise UsageError("one way to send per run: email (--smtp) or webhook (--webhook)")
    return both.pop() if both else None


def _memory_folder(config: Config) -> Path:
    from bpmcli.store.repo import Repository

    repository = Repository.find(config.root, "bpm remind --once-per")
    if repository is None:
        raise UsageError("--once-per needs a git repository: what was sent is kept in .git/bpm/")
    return repository.cache_dir


def _transport(
    how: str,
    config: Config,
    found: Reminders,
    smtp: str | None,
    sender: str | None,
    ssl: bool,
    webhook: str | None,
) -> tuple[Transport, contextlib.AbstractContextManager[object]]:
    """The transport the digests leave by, and what to close after the run."""
    from bpmcli.remind import Transport

    if how == "webhook":
        return _webhook(found, webhook), contextlib.nullcontext()
    from bpmcli.config import EMAIL_ADDRESS
    from bpmcli.errors import SendError
    from bpmcli.net import smtp as mail
    from bpmcli.output import remind as shown

    host = smtp or config.remind.smtp
    address = sender or config.remind.sender
    if host is None:
        raise UsageError("sending email needs a server: --smtp HOST[:PORT] or [remind] smtp")
    if address is None or not EMAIL_ADDRESS.fullmatch(address):
        raise UsageError("sending email needs a From address: --from ADDR or [remind] from")
    mailer = mail.Mailer(mail.server(host, ssl or config.remind.ssl, os.environ))

    def send(digest: Digest, to: str) -> None:
        try:
            message = mail.message(
                address,
                to,
                shown.subject(digest),
                shown.text_body(found, digest),
                shown.html_body(found, digest),
            )
        except (ValueError, TypeError) as exc:  # an address the email library refuses
            raise SendError(f"cannot write the email: {exc}") from exc
        mailer.send(message)

    return Transport("email", "email", send), mailer


def _webhook(found: Reminders, url: str | None) -> Transport:
    from bpmcli.net import webhook
    from bpmcli.output import remind as shown
    from bpmcli.remind import Transport

    target = url or os.environ.get(WEBHOOK_VARIABLE)
    if not target:
        raise UsageError(f"sending to a webhook needs its URL: ${WEBHOOK_VARIABLE} or --webhook")
    target = webhook.check_url(target)  # before any send: a bad URL is exit 2, never shown

    def send(digest: Digest, to: str) -> None:
        webhook.post_json(target, shown.slack_payload(found, digest), timeout=webhook.TIMEOUT)

    return Transport("webhook", "slack", send)


def _print(found: Reminders, format: str) -> None:
    """No transport: the digests on stdout; owners without an entry said on stderr (exit 0)."""
    import sys

    from bpmcli.output import remind as shown
    from bpmcli.remind import unlisted

    missing = unlisted(found)
    for outcome in missing:
        terminal.note(f"warning: {shown.problem_line(outcome, sending=False)}")
    if format == "json":
        sys.stdout.write(shown.as_json(found, missing) + "\n")
    else:
        sys.stdout.write(terminal.clean(shown.markdown(found), one_line=False))


def _report(
    found: Reminders, outcomes: list[Outcome], format: str, how: str, dry_run: bool
) -> None:
    """What the run did: stdout for what went out (or would), stderr a line per problem;
    exit 1 when any digest failed or had nowhere to go."""
    import sys

    from bpmcli.output import remind as shown
    from bpmcli.remind import FAILED, SENT, UNREACHABLE, WOULD_SEND

    problems = [o for o in outcomes if o.status in (FAILED, UNREACHABLE)]
    if format == "json":
        sys.stdout.write(shown.as_json(found, outcomes) + "\n")
    else:
        if dry_run:
            preview = shown.dry_run(found, outcomes, how)
            if preview:
                sys.stdout.write(terminal.clean(preview, one_line=False) + "\n")
        for outcome in outcomes:
            if outcome.status not in (FAILED, UNREACHABLE, WOULD_SEND):
                terminal.say(shown.status_line(outcome))
    for outcome in outcomes:
        if outcome.status == SENT and outcome.reason:  # the record could not be written
            terminal.note(f"warning: {outcome.owner}: sent, but {outcome.reason}")
    for outcome in problems:
        terminal.note(f"error: {shown.problem_line(outcome)}")
    if problems:
        raise typer.Exit(1)
