"""`bpm remind` on a real git history, delivering to real local SMTP and webhook servers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Ran, Repo
from net.servers import Hook, Mailbox, smtp_server, webhook_server

Bpm = Callable[..., Ran]

P1 = "postmortems/2026/2026-10-20-checkout.md"
P2 = "postmortems/2026/2026-11-10-dns.md"
CONFIG = """\
[owners.alice]
email = "alice@example.com"

[owners.bob]
email = "bob@example.com"
slack = "U024BE7LH"

[owners."@payments-team"]
email = "payments@example.com"
slack = "@payments"

[owners.dave]
email = "dave@example.com"
"""


def pm(pm_id: str, title: str, facilitator: str, actions: list[dict[str, str]]) -> str:
    """A postmortem with a facilitator and block-style actions, as `bpm action add` writes."""
    lines = [
        "---",
        f"id: {pm_id}",
        f"title: {json.dumps(title)}",
        "kind: incident",
        "status: published",
        "severity: SEV2",
        "started: 2026-10-20T14:03:00Z",
        "review_by: 2026-10-27",
        f"facilitator: {json.dumps(facilitator)}",
        "actions:",
    ]
    for action in actions:
        lines.append(f"  - id: {action['id']}")
        lines += [  # dates bare (YAML dates), text quoted
            f"    {key}: {value if key == 'due' else json.dumps(value)}"
            for key, value in action.items()
            if key != "id"
        ]
    return "\n".join([*lines, "---", f"# {title}", "", "## Summary", "", "Text.", ""])


def action(
    action_id: str, text: str, owner: str | None, due: str, status: str = "open"
) -> dict[str, str]:
    found = {"id": action_id, "action": text, "due": due, "kind": "prevent", "status": status}
    return found | ({"owner": owner} if owner is not None else {})


A1 = ("A1", "Reject unknown config keys", "bob")
A2 = ("A2", "Add a canary stage", "@payments-team", "2026-11-20")
A3 = ("A3", "Page the owner on config errors", "carol", "2026-11-26")
A4 = ("A4", "Load-test the new pipeline", "bob", "2026-12-20")
A5 = ("A5", "Write the runbook", "bob", "2026-11-01", "done")


def checkout(a1_due: str, more: bool = True) -> str:
    actions = [action(*A1, a1_due), action(*A2)]
    if more:
        actions += [action(*A3), action(*A4), action(*A5)]
    return pm("2026-10-20-checkout", "Checkout outage", "alice", actions)


@pytest.fixture
def story(repo: Repo) -> Repo:
    """A1 (bob) added by Ana with due 10-30, pushed by Bo to 11-05; as of 2026-11-23 it is
    18 days overdue: escalated to alice, the facilitator. @payments-team's A2 is 3 days
    overdue, carol's A3 due in 3 days (carol has no [owners] entry), bob's A4 is outside
    the window and A5 is done. The DNS postmortem: dave's A1 and the unowned A2 2 days overdue."""
    repo.write(".bpm.toml", CONFIG)
    repo.commit(
        "Checkout",
        {P1: checkout("2026-10-30", more=False), ".bpm.toml": CONFIG},
        author="Ana Okafor",
        date="2026-10-20T18:00:00+00:00",
    )
    repo.commit(
        "Push A1, more actions",
        {P1: checkout("2026-11-05")},
        author="Bo Lindqvist",
        date="2026-10-29T09:00:00+00:00",
    )
    dns = pm(
        "2026-11-10-dns",
        "DNS outage",
        "bob",
        [
            action("A1", "Lower the TTL", "dave", "2026-11-21"),
            action("A2", "Mirror the zone", None, "2026-11-21"),
        ],
    )
    repo.commit("DNS", {P2: dns}, author="Chen Wu", date="2026-11-10T09:00:00+00:00")
    return repo


def remind_json(bpm: Bpm, *args: str) -> tuple[dict[str, Any], Ran]:
    ran = bpm("remind", "--format", "json", *args)
    return json.loads(ran.stdout), ran


def test_markdown_digest_by_default(bpm: Bpm, story: Repo) -> None:
    ran = bpm("remind")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == MARKDOWN
    assert ran.stderr == (
        "warning: carol: no [owners.carol] entry\n"
        "warning: 1 action names no owner: 2026-11-10-dns:A2\n"
    )


MARKDOWN = """\
# Action digests as of 2026-11-23

(due within 7 days; facilitators hear of actions overdue more than 14 days)

## @payments-team: 1 overdue action

| when | due | action | postmortem | due moved | added |
|---|---|---|---|---|---|
| 3 days overdue | 2026-11-20 | A2: Add a canary stage | Checkout outage (2026-10-20-checkout) | never | Ana Okafor, 2026-10-20 |

## alice: 1 action to escalate

As facilitator: open actions of your postmortems overdue more than 14 days:

| when | due | action | postmortem | owner | due moved | added |
|---|---|---|---|---|---|---|
| 18 days overdue | 2026-11-05 | A1: Reject unknown config keys | Checkout outage (2026-10-20-checkout) | bob | 1 time (first due 2026-10-30) | Ana Okafor, 2026-10-20 |

## bob: 1 overdue action

| when | due | action | postmortem | due moved | added |
|---|---|---|---|---|---|
| 18 days overdue | 2026-11-05 | A1: Reject unknown config keys | Checkout outage (2026-10-20-checkout) | 1 time (first due 2026-10-30) | Ana Okafor, 2026-10-20 |

## carol: 1 action due soon

| when | due | action | postmortem | due moved | added |
|---|---|---|---|---|---|
| due in 3 days | 2026-11-26 | A3: Page the owner on config errors | Checkout outage (2026-10-20-checkout) | never | Bo Lindqvist, 2026-10-29 |

## dave: 1 overdue action

| when | due | action | postmortem | due moved | added |
|---|---|---|---|---|---|
| 2 days overdue | 2026-11-21 | A1: Lower the TTL | DNS outage (2026-11-10-dns) | never | Chen Wu, 2026-11-10 |

## No owner

| when | due | action | postmortem | due moved | added |
|---|---|---|---|---|---|
| 2 days overdue | 2026-11-21 | A2: Mirror the zone | DNS outage (2026-11-10-dns) | never | Chen Wu, 2026-11-10 |
"""


def test_json_shape(bpm: Bpm, story: Repo) -> None:
    found, ran = remind_json(bpm, "--within", "30")
    assert ran.exit_code == 0, ran.stderr
    assert [d["owner"] for d in found["digests"]] == [
        "@payments-team",
        "alice",
        "bob",
        "carol",
        "dave",
    ]
    bob = found["digests"][2]
    assert bob == {
        "owner": "bob",
        "email": "bob@example.com",
        "slack": "U024BE7LH",
        "subject": "bpm: 1 overdue action (1 due soon) for bob",
        "overdue": 1,
        "due_soon": 1,
        "actions": [
            {
                "postmortem": "2026-10-20-checkout",
                "title": "Checkout outage",
                "path": P1,
                "action_id": "A1",
                "action": "Reject unknown config keys",
                "owner": "bob",
                "due": "2026-11-05",
                "days_overdue": 18,
                "moved": 1,
                "original_due": "2026-10-30",
                "added_by": "Ana Okafor",
                "added_at": "2026-10-20",
                "ticket": None,
                "url": None,
            },
            {
                "postmortem": "2026-10-20-checkout",
                "title": "Checkout outage",
                "path": P1,
                "action_id": "A4",
                "action": "Load-test the new pipeline",
                "owner": "bob",
                "due": "2026-12-20",
                "days_overdue": -27,  # due in 27 days: --within 30 takes it in
                "moved": 0,
                "original_due": "2026-12-20",
                "added_by": "Bo Lindqvist",
                "added_at": "2026-10-29",
                "ticket": None,
                "url": None,
            },
        ],
        "escalations": [],
    }
    alice = found["digests"][1]
    assert [(i["action_id"], i["owner"]) for i in alice["escalations"]] == [("A1", "bob")]
    assert (alice["actions"], alice["overdue"], alice["subject"]) == (
        [],
        0,
        "bpm: 1 action to escalate for alice",
    )
    assert [i["action_id"] for i in found["unowned"]] == ["A2"]
    assert found["unreachable"] == [
        {"owner": "carol", "reason": "no [owners.carol] entry"},
        {"owner": None, "reason": "1 action names no owner: 2026-11-10-dns:A2"},
    ]
    assert (found["as_of"], found["within_days"], found["escalate_after_days"]) == (
        "2026-11-23",
        30,
        14,
    )
    assert found["deliveries"] == []


def test_within_and_escalation_come_from_config(bpm: Bpm, story: Repo) -> None:
    (story.path / ".bpm.toml").write_text(
        CONFIG + "\n[remind]\nwithin_days = 0\nescalate_after_days = 1\n"
    )
    found, _ = remind_json(bpm)
    carol = [d for d in found["digests"] if d["owner"] == "carol"]
    assert carol == []  # due in 3 days: outside a 0-day window
    alice = next(d for d in found["digests"] if d["owner"] == "alice")
    assert [(i["action_id"], i["days_overdue"]) for i in alice["escalations"]] == [
        ("A1", 18),
        ("A2", 3),
    ]
    bob = next(d for d in found["digests"] if d["owner"] == "bob")  # facilitator of DNS
    assert [(i["postmortem"], i["action_id"]) for i in bob["escalations"]] == [
        ("2026-11-10-dns", "A1"),
        ("2026-11-10-dns", "A2"),  # unowned: the facilitator hears of it
    ]


def test_owner_limits_to_one_digest(bpm: Bpm, story: Repo) -> None:
    found, _ = remind_json(bpm, "--owner", "dave")
    assert [d["owner"] for d in found["digests"]] == ["dave"]
    assert (found["unowned"], found["unreachable"]) == ([], [])


@pytest.mark.parametrize(
    ("owner", "digests", "warning"),
    [
        ("typo", [], "warning: no action names owner 'typo'\n"),
        ("Bob", [], "warning: no action names owner 'Bob'\n"),  # names are case-sensitive
        ("bob", ["bob"], ""),
        ("erin", [], ""),  # her one action is done: nothing due, and no typo
        ("frank", [], ""),  # facilitator only, nothing to escalate
        ("alice", ["alice"], ""),  # facilitator only, with an escalation
    ],
)
@pytest.mark.parametrize("format", ["markdown", "json"])
def test_an_owner_no_action_names_is_warned_of(
    bpm: Bpm, story: Repo, owner: str, digests: list[str], warning: str, format: str
) -> None:
    story.commit(
        "Erin",
        {
            "postmortems/2026/2026-11-12-queue.md": pm(
                "2026-11-12-queue",
                "Queue stall",
                "frank",
                [action("A1", "Drain the queue", "erin", "2026-11-13", "done")],
            )
        },
        date="2026-11-12T09:00:00+00:00",
    )
    ran = bpm("remind", "--owner", owner, "--format", format)
    assert (ran.exit_code, ran.stderr) == (0, warning)
    if format == "json":
        assert [d["owner"] for d in json.loads(ran.stdout)["digests"]] == digests
    else:
        assert ("Nothing is overdue or coming due." in ran.stdout) is (digests == [])


# -- email ---------------------------------------------------------------------------------


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, str]]:
    box = Mailbox()
    with smtp_server(box) as port:
        yield box, f"127.0.0.1:{port}"


def test_email_one_per_reachable_owner(bpm: Bpm, story: Repo, mailbox: tuple[Mailbox, str]) -> None:
    box, server = mailbox
    ran = bpm("remind", "--smtp", server, "--from", "bpm@example.com")
    assert ran.exit_code == 1  # carol has no address, A2 no owner: said, never skipped
    assert box.to() == [
        "alice@example.com",
        "bob@example.com",
        "dave@example.com",
        "payments@example.com",
    ]
    assert ran.stdout.splitlines() == [
        "@payments-team: sent to payments@example.com",
        "alice: sent to alice@example.com",
        "bob: sent to bob@example.com",
        "dave: sent to dave@example.com",
    ]
    assert ran.stderr.splitlines() == [
        "error: carol: not sent: no [owners.carol] entry",
        "error: 1 action names no owner: 2026-11-10-dns:A2",
    ]
    bob = next(got for got in box.received if got.recipients == ["bob@example.com"])
    assert bob.sender == "bpm@example.com"
    assert bob.message["From"] == "bpm@example.com"
    assert bob.message["To"] == "bob@example.com"
    assert bob.message["Subject"] == "bpm: 1 overdue action for bob"
    assert bob.part("plain") == (
        "bob: 1 overdue action (as of 2026-11-23)\n"
        "\n"
        "- 18 days overdue: A1 Reject unknown config keys\n"
        "  due 2026-11-05 (moved 1 time, first due 2026-10-30)\n"
        "  added by Ana Okafor on 2026-10-20\n"
        '  in 2026-10-20-checkout "Checkout outage"\n'
        "\n"
        "Sent by bpm remind. The postmortem files are the record: close an action\n"
        "with `bpm action done POSTMORTEM ACTION`.\n"
    )
    html = bob.part("html")
    assert "<td>18 days overdue</td><td>2026-11-05</td>" in html
    assert "<td>1 time (first due 2026-10-30)</td><td>Ana Okafor, 2026-10-20</td>" in html
    alice = next(got for got in box.received if got.recipients == ["alice@example.com"])
    assert alice.message["Subject"] == "bpm: 1 action to escalate for alice"
    assert "  owner: bob\n" in alice.part("plain")


def test_every_postmortem_string_is_escaped(
    bpm: Bpm, repo: Repo, mailbox: tuple[Mailbox, str]
) -> None:
    box, server = mailbox
    evil = "o<b>&'\""
    repo.write(".bpm.toml", f'[owners.{json.dumps(evil)}]\nemail = "o@example.com"\n')
    text = pm(
        "2026-11-01-x",
        "<script>alert(1)</script> & co",
        "f<i>",
        [action("A1", 'Fix <img src=x onerror=alert(1)> & "quote"', evil, "2026-11-02")],
    )
    repo.commit("x", {"postmortems/2026/2026-11-01-x.md": text}, date="2026-11-01T09:00:00+00:00")
    ran = bpm("remind", "--smtp", server, "--from", "bpm@example.com")
    assert ran.exit_code == 1, ran.stderr  # f<i>, the facilitator, has no entry
    (got,) = box.received
    html = got.part("html")
    for raw in ("<script>", "<img", "<b>", "& co", '"quote"'):
        assert raw not in html
    for escaped in (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co",
        "Fix &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quote&quot;",
        "o&lt;b&gt;&amp;&#x27;&quot;",
    ):
        assert escaped in html
    assert got.message["Subject"] == "bpm: 1 overdue action for o<b>&'\""  # a header: as is
    assert "<script>alert(1)</script> & co" in got.part("plain")


# -- failures, retries and the sent memory ------------------------------------------------


def test_refused_recipient_fails_alone_and_is_retried_next_run(
    bpm: Bpm, story: Repo, mailbox: tuple[Mailbox, str]
) -> None:
    box, server = mailbox
    box.refuse = {"bob@example.com"}
    send = ("remind", "--smtp", server, "--from", "bpm@example.com", "--once-per", "day")
    first = bpm(*send)
    assert first.exit_code == 1
    assert box.to() == ["alice@example.com", "dave@example.com", "payments@example.com"]
    assert (
        "error: bob: not sent to bob@example.com: recipient refused: 550 5.1.1 mailbox unavailable"
        in first.stderr.splitlines()
    )
    box.refuse, box.received = set(), []
    second = bpm(*send)
    assert box.to() == ["bob@example.com"]  # only the failed one
    assert second.stdout.splitlines() == [
        "@payments-team: already sent to payments@example.com in 2026-11-23",
        "alice: already sent to alice@example.com in 2026-11-23",
        "bob: sent to bob@example.com",
        "dave: already sent to dave@example.com in 2026-11-23",
    ]
    assert "bob" not in second.stderr
    box.received = []
    assert bpm(*send).exit_code == 1  # carol and the unowned action, still said
    assert box.received == []


def test_once_per_week_resends_only_a_changed_digest(
    bpm: Bpm, story: Repo, mailbox: tuple[Mailbox, str]
) -> None:
    box, server = mailbox
    send = ("remind", "--smtp", server, "--from", "bpm@example.com", "--once-per", "week")
    bpm(*send)
    assert len(box.received) == 4
    box.received = []
    # Two days later (same ISO week): the day counts changed, the content did not.
    assert bpm(*send, env={"BPM_NOW": "2026-11-25T09:00:00+00:00"}).exit_code == 1
    assert box.received == []
    # A new action for dave changes his digest: it is sent again, the others are not.
    text = (
        (story.path / P2)
        .read_text()
        .replace(
            "actions:\n",
            'actions:\n  - id: A3\n    action: "Alert on NXDOMAIN"\n    owner: "dave"\n'
            '    due: 2026-11-24\n    kind: "detect"\n    status: "open"\n',
        )
    )
    story.commit("A3", {P2: text}, date="2026-11-24T09:00:00+00:00")
    bpm(*send, env={"BPM_NOW": "2026-11-25T09:00:00+00:00"})
    assert box.to() == ["dave@example.com"]
    box.received = []
    # The next week everything goes out again.
    bpm(*send, env={"BPM_NOW": "2026-11-30T09:00:00+00:00"})
    assert len(box.received) == 4


def test_dry_run_sends_and_remembers_nothing(
    bpm: Bpm, story: Repo, mailbox: tuple[Mailbox, str]
) -> None:
    box, server = mailbox
    ran = bpm(
        "remind", "--smtp", server, "--from", "bpm@example.com", "--once-per", "day", "--dry-run"
    )
    assert ran.exit_code == 1  # as a real run would: carol cannot be reached
    assert box.received == []
    assert not (story.path / ".git" / "bpm" / "remind.json").exists()
    assert "--- email to bob@example.com\nSubject: bpm: 1 overdue action for bob\n\n" in ran.stdout
    assert "- 18 days overdue: A1 Reject unknown config keys\n" in ran.stdout
    assert ran.stdout.count("--- email to ") == 4
    # then a real run sends all four: the dry run recorded nothing
    real = bpm("remind", "--smtp", server, "--from", "bpm@example.com", "--once-per", "day")
    assert (real.exit_code, len(box.received)) == (1, 4)


def test_server_down_fails_every_owner_in_one_line_each(bpm: Bpm, story: Repo) -> None:
    from net.servers import free_port

    port = free_port()
    ran = bpm("remind", "--smtp", f"127.0.0.1:{port}", "--from", "bpm@example.com")
    assert ran.exit_code == 1
    failed = [line for line in ran.stderr.splitlines() if "cannot connect" in line]
    assert len(failed) == 4
    assert failed[0].startswith(
        f"error: @payments-team: not sent to payments@example.com: cannot connect to 127.0.0.1:{port}: "
    )
    assert "Traceback" not in ran.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--once-per", "day"),
            "error: --once-per applies when sending: add --send, --smtp or --webhook\n",
        ),
        (
            ("--send", "email"),
            "error: sending email needs a server: --smtp HOST[:PORT] or [remind] smtp\n",
        ),
        (
            ("--smtp", "localhost"),
            "error: sending email needs a From address: --from ADDR or [remind] from\n",
        ),
        (
            ("--smtp", "localhost", "--webhook", "https://hooks.example.com/x"),
            "error: one way to send per run: email (--smtp) or webhook (--webhook)\n",
        ),
        (
            ("--send", "webhook"),
            "error: sending to a webhook needs its URL: $BPM_WEBHOOK_URL or --webhook\n",
        ),
        (
            ("--webhook", "file:///etc/passwd"),
            "error: the webhook must be an http:// or https:// URL with a host, a port from 1 "
            "to 65535 if any, and no space or control character (it is not shown here)\n",
        ),
        (("--within", "-1"), None),
    ],
)
def test_usage_errors(bpm: Bpm, story: Repo, args: tuple[str, ...], message: str | None) -> None:
    ran = bpm("remind", *args)
    assert ran.exit_code == 2
    if message is not None:
        assert ran.stderr == message
    assert "Traceback" not in ran.stderr


@pytest.mark.parametrize(
    ("sender", "taken"),
    [
        ("bpm@example.com", True),
        ("bpm+digests@mail.example.co.uk", True),
        ("bpm", False),
        ("bpm@", False),
        ("bpm@@example.com", False),
        ("bpm bot@example.com", False),
        ("<bpm@example.com>", False),
        ("Bpm <bpm@example.com>", False),
    ],
)
def test_from_takes_what_the_config_takes(bpm: Bpm, story: Repo, sender: str, taken: bool) -> None:
    """One email pattern (config.EMAIL_ADDRESS) for `--from` and `[remind] from`."""
    from bpmcli import config
    from bpmcli.errors import ConfigError

    dry = ("remind", "--smtp", "127.0.0.1:9", "--dry-run", "--owner", "bob")
    ran = bpm(*dry, "--from", sender)
    assert ran.exit_code == (0 if taken else 2), ran.stderr
    story.write(".bpm.toml", CONFIG + f"\n[remind]\nfrom = {json.dumps(sender)}\n")
    try:
        config.load(story.path)
        loaded = True
    except ConfigError:
        loaded = False
    assert loaded is taken


def test_once_per_outside_git_is_refused(bpm: Bpm, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    (folder / "postmortems").mkdir(parents=True)
    ran = bpm(
        "remind",
        "--send",
        "webhook",
        "--once-per",
        "day",
        cwd=folder,
        env={"BPM_WEBHOOK_URL": "http://127.0.0.1:9/x"},
    )
    assert (ran.exit_code, ran.stderr) == (
        2,
        "error: --once-per needs a git repository: what was sent is kept in .git/bpm/\n",
    )


# -- webhook -------------------------------------------------------------------------------


def test_webhook_posts_per_owner_and_a_500_fails_alone(bpm: Bpm, story: Repo) -> None:
    hook = Hook(answer=lambda payload: 500 if "@payments" in payload["text"] else 200)
    with webhook_server(hook) as url:
        ran = bpm("remind", "--send", "webhook", "--once-per", "day", env={"BPM_WEBHOOK_URL": url})
        assert ran.exit_code == 1
        assert hook.texts() == [
            "*bpm: 1 overdue action for bob* <@U024BE7LH>\n"
            "• *18 days overdue*: A1 Reject unknown config keys: Checkout outage "
            "(2026-10-20-checkout); due 2026-11-05 (moved 1 time, first due 2026-10-30), "
            "added by Ana Okafor on 2026-10-20"
        ]
        assert ran.stderr.splitlines() == [
            "error: @payments-team: not sent to @payments: the webhook answered HTTP 500: no_service: try later",
            "error: alice: not sent: no slack in [owners.alice]",
            "error: carol: not sent: no [owners.carol] entry",
            "error: dave: not sent: no slack in [owners.dave]",
            "error: 1 action names no owner: 2026-11-10-dns:A2",
        ]
        assert url.split("/")[-1] not in ran.stdout + ran.stderr  # the URL is a secret
        hook.answer, hook.posts = (lambda payload: 200), []
        again = bpm(
            "remind", "--send", "webhook", "--once-per", "day", env={"BPM_WEBHOOK_URL": url}
        )
        assert [text.split("\n")[0] for text in hook.texts()] == [
            "*bpm: 1 overdue action for @payments-team* @payments"
        ]
        assert "bob: already sent to U024BE7LH in 2026-11-23" in again.stdout


BAD_WEBHOOKS = [
    "https://hooks.example/services/T0/SECRET token",  # urllib's error quoted the path
    "https://hooks.example/services/T0/SECRET\x01",
    "https://hooks.example/services/T0/SECRET\ttab",
    "https://[::1/services/T0/SECRET",  # urlsplit's ValueError: was exit 3
    "https://hooks.example:99999/services/T0/SECRET",  # was a failure per owner
    "https://hooks.example:0/services/T0/SECRET",
    "https://hooks.example:port/services/T0/SECRET",
    "https://:443/services/T0/SECRET",
    "ftp://hooks.example/services/T0/SECRET",
]


@pytest.mark.parametrize("url", BAD_WEBHOOKS)
@pytest.mark.parametrize("given", ["option", "variable"])
def test_a_bad_webhook_url_is_refused_up_front_and_never_shown(
    bpm: Bpm, story: Repo, url: str, given: str
) -> None:
    if given == "option":
        ran = bpm("remind", "--webhook", url, "--once-per", "day")
    else:
        ran = bpm("remind", "--send", "webhook", env={"BPM_WEBHOOK_URL": url})
    assert (ran.exit_code, ran.stdout) == (2, "")
    assert ran.stderr.startswith("error: the webhook must be an http:// or https:// URL")
    assert ran.stderr.count("\n") == 1
    assert "SECRET" not in ran.stdout + ran.stderr
    assert not (story.path / ".git" / "bpm" / "remind.json").exists()


def test_slack_text_escapes_what_slack_reserves(bpm: Bpm, repo: Repo) -> None:
    repo.write(".bpm.toml", '[owners.bob]\nslack = "<!channel>"\n')
    text = pm(
        "2026-11-01-x",
        "A <!here> & <https://evil.example|click>",
        "bob",
        [
            action("A1", "Fix *it* <@U999>", "bob", "2026-11-02"),
        ],
    )
    repo.commit("x", {"postmortems/2026/2026-11-01-x.md": text}, date="2026-11-01T09:00:00+00:00")
    hook = Hook()
    with webhook_server(hook) as url:
        assert bpm("remind", "--webhook", url).exit_code == 0
    (posted,) = hook.texts()
    assert posted == (
        "*bpm: 1 overdue action for bob* &lt;!channel&gt;\n"
        "• *21 days overdue*: A1 Fix *it* &lt;@U999&gt;: A &lt;!here&gt; &amp; "
        "&lt;https://evil.example|click&gt; (2026-11-01-x); due 2026-11-02 (never moved), "
        "added by Ana Okafor on 2026-11-01"
    )


def test_webhook_dry_run_shows_the_payload_not_the_url(bpm: Bpm, story: Repo) -> None:
    hook = Hook()
    with webhook_server(hook) as url:
        ran = bpm("remind", "--webhook", url, "--dry-run", "--owner", "bob")
    assert ran.exit_code == 0
    assert hook.posts == []
    assert ran.stdout.startswith('--- webhook POST for bob (the URL is not shown)\n{\n  "text": ')
    assert "secret-token" not in ran.stdout


def test_email_over_starttls_with_login(
    bpm: Bpm, story: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from net.servers import self_signed

    cert, context = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test's own certificate
    box = Mailbox()
    with smtp_server(box, starttls=context) as port:  # refuses mail and AUTH before STARTTLS
        story.write(
            ".bpm.toml",
            CONFIG + f'\n[remind]\nsmtp = "127.0.0.1:{port}"\nfrom = "bpm@example.com"\n',
        )
        ran = bpm(
            "remind",
            "--send",
            "email",
            "--owner",
            "bob",
            env={"BPM_SMTP_USER": "bpm-bot", "BPM_SMTP_PASSWORD": "s3cret"},
        )
    assert (ran.exit_code, ran.stderr) == (0, "")
    assert box.logins == [("bpm-bot", "s3cret")]
    assert box.to() == ["bob@example.com"]


def test_the_sent_record_outlives_a_bpm_upgrade(
    bpm: Bpm, story: Repo, mailbox: tuple[Mailbox, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It is a record, not a cache: a new bpm version must not send the period again."""
    import bpmcli

    box, server = mailbox
    send = ("remind", "--smtp", server, "--from", "bpm@example.com", "--once-per", "week")
    bpm(*send)
    assert len(box.received) == 4
    box.received = []
    monkeypatch.setattr(bpmcli, "__version__", "99.0.0")
    again = bpm(*send)
    assert (again.exit_code, box.received) == (1, [])  # 1: carol, who has no entry
    assert "bob: already sent to bob@example.com in 2026-W48\n" in again.stdout


@pytest.mark.parametrize(
    ("stored", "why"),
    [
        (b'{"format": 1, "sent": {"tru', "the sent record is not valid JSON"),
        (b"\xff\xfe", "the sent record is not valid JSON"),
        (b'{"salt": [1, "0.2.0", 2], "sent": {}}', "the sent record is not format 1 (found None)"),
        (b'{"format": 2, "sent": {}}', "the sent record is not format 1 (found 2)"),
        (b'{"format": true, "sent": {}}', "the sent record is not format 1 (found True)"),
        (b"[1]", "the sent record is not format 1 (found None)"),
        (b'{"format": 1, "sent": []}', "the sent record holds an unexpected value"),
        (b'{"format": 1}', "the sent record holds an unexpected value"),
    ],
)
def test_an_unusable_sent_record_stops_the_run_and_is_kept(
    bpm: Bpm, story: Repo, mailbox: tuple[Mailbox, str], stored: bytes, why: str
) -> None:
    """Rebuilding it would mail everyone again: nothing is sent, the user decides."""
    box, server = mailbox
    memory = story.path / ".git" / "bpm" / "remind.json"
    memory.parent.mkdir(parents=True)
    memory.write_bytes(stored)
    send = ("remind", "--smtp", server, "--from", "bpm@example.com", "--once-per", "day")
    ran = bpm(*send)
    assert (ran.exit_code, ran.stdout, box.received) == (2, "", [])
    assert ran.stderr == (
        f"error: .git/bpm/remind.json: {why}; delete it to start afresh "
        "(what it recorded may then be done again)\n"
    )
    assert memory.read_bytes() == stored


def test_a_send_that_cannot_be_recorded_is_said(
    bpm: Bpm, story: Repo, mailbox: tuple[Mailbox, str]
) -> None:
    from conftest import read_only

    box, server = mailbox
    folder = story.path / ".git" / "bpm"
    folder.mkdir(parents=True)
    send = ("remind", "--smtp", server, "--from", "bpm@example.com", "--once-per", "day")
    with read_only(folder):
        ran = bpm(*send, "--owner", "bob", "--no-cache")
    assert (ran.exit_code, ran.stdout) == (0, "bob: sent to bob@example.com\n")
    assert ran.stderr == (
        "warning: bob: sent, but not recorded in .git/bpm/remind.json: it may be sent again\n"
    )
    assert box.to() == ["bob@example.com"]
    assert list(folder.iterdir()) == []


def test_json_says_what_was_delivered(bpm: Bpm, story: Repo) -> None:
    hook = Hook()
    with webhook_server(hook) as url:
        found, ran = remind_json(bpm, "--webhook", url, "--once-per", "week")
        again, _ = remind_json(bpm, "--webhook", url, "--once-per", "week")
    assert ran.exit_code == 1
    assert found["deliveries"] == [
        {"owner": "@payments-team", "to": "@payments", "status": "sent", "reason": None},
        {"owner": "bob", "to": "U024BE7LH", "status": "sent", "reason": None},
    ]
    assert [d["status"] for d in again["deliveries"]] == ["already sent", "already sent"]
    assert again["deliveries"][0]["reason"] == "in 2026-W48"
    assert [u["owner"] for u in found["unreachable"]] == ["alice", "carol", "dave", None]
    assert len(hook.posts) == 2
