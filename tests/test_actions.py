"""`bpm action add|done|drop|list` through the real CLI, on real files and git history."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from pathlib import Path

import frontmatter
import pytest

from conftest import Ran, Repo, snapshot

Bpm = Callable[..., Ran]
PM = "postmortems/2026/2026-11-20-checkout-outage.md"


@pytest.fixture
def pm(bpm: Bpm, repo: Repo) -> Path:
    assert (
        bpm(
            "new",
            "incident",
            "Checkout outage",
            "--started",
            "2026-11-20 14:03",
            "--severity",
            "SEV2",
        ).exit_code
        == 0
    )
    return repo.path / PM


def actions_of(path: Path) -> list[dict[str, object]]:
    return [{k: str(v) for k, v in a.items()} for a in frontmatter.load(path)["actions"]]


def test_the_issue_example(bpm: Bpm, pm: Path) -> None:
    ran = bpm(
        "action",
        "add",
        "2026-11-20-checkout",
        "Make the delta-wave splitter idempotent",
        "--owner",
        "bob",
        "--due",
        "2026-12-04",
        "--kind",
        "prevent",
        "--ticket",
        "OPS-123",
    )
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == f"{PM}: added A1, due 2026-12-04\n"
    assert (
        "actions:\n  - id: A1\n    action: Make the delta-wave splitter idempotent\n    owner: bob\n"
        "    due: 2026-12-04\n    kind: prevent\n    status: open\n    ticket: OPS-123\n---\n"
        in pm.read_text()
    )
    assert (
        bpm("action", "done", "2026-11-20-checkout", "A1").stdout
        == f"{PM}: A1 done on 2026-11-23\n"
    )
    assert actions_of(pm)[0]["status"] == "done" and actions_of(pm)[0]["closed"] == "2026-11-23"


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (None, "2026-12-20"),
        ("+2w", "2026-12-07"),
        ("+10d", "2026-12-03"),
        ("2027-01-15", "2027-01-15"),
    ],
)
def test_due_dates(bpm: Bpm, pm: Path, due: str | None, expected: str) -> None:
    args = ["--due", due] if due else []
    ran = bpm(
        "action", "add", PM, "Add a canary stage", "--owner", "ana", "--kind", "prevent", *args
    )
    assert ran.exit_code == 0, ran.stderr
    assert actions_of(pm)[0]["due"] == expected  # SEV2: started + 30 days by default


def test_default_due_follows_the_configured_sla(bpm: Bpm, repo: Repo, pm: Path) -> None:
    repo.write(".bpm.toml", "[action_due_days]\nSEV2 = 7\n")
    bpm("action", "add", PM, "Add a canary stage", "--owner", "ana", "--kind", "prevent")
    assert actions_of(pm)[0]["due"] == "2026-11-27"


def test_ids_are_never_reused_even_after_a_deletion(bpm: Bpm, repo: Repo, pm: Path) -> None:
    for text in ("Add a canary stage", "Remove the shared cache"):
        bpm("action", "add", PM, text, "--owner", "ana", "--kind", "prevent")
    repo.commit("Two actions", {PM: pm.read_text()})
    text = pm.read_text()
    start = text.index("  - id: A2")
    pm.write_text(text[:start] + text[text.index("---\n", start) :])
    repo.commit("Drop A2 silently", {PM: pm.read_text()}, author="Bo Lindqvist")
    ran = bpm("action", "add", PM, "Set a 2 s timeout", "--owner", "bo", "--kind", "mitigate")
    assert ran.stdout == f"{PM}: added A3, due 2026-12-20\n"
    assert [a["id"] for a in actions_of(pm)] == ["A1", "A3"]


def test_edits_keep_comments_order_and_unknown_keys(bpm: Bpm, pm: Path) -> None:
    text = pm.read_text().replace(
        "severity: SEV2\n", "severity: SEV2  # agreed in the review\ncustom: {x: 1}\n"
    )
    pm.write_text(text)
    bpm("action", "add", PM, "Add a canary stage", "--owner", "ana", "--kind", "prevent")
    diff = [
        d for d in difflib.ndiff(text.splitlines(), pm.read_text().splitlines()) if d[:1] in "+-"
    ]
    assert diff == [
        "- actions: []",
        "+ actions:",
        "+   - id: A1",
        "+     action: Add a canary stage",
        "+     owner: ana",
        "+     due: 2026-12-20",
        "+     kind: prevent",
        "+     status: open",
    ]
    bpm("action", "drop", PM, "A1", "--reason", "Superseded by the platform work")
    after = pm.read_text()
    assert "severity: SEV2  # agreed in the review\ncustom: {x: 1}\n" in after
    assert after.endswith("\n---\n" + text.split("\n---\n", 1)[1])  # the body, untouched
    assert actions_of(pm)[0] | {} == {
        "id": "A1",
        "action": "Add a canary stage",
        "owner": "ana",
        "due": "2026-12-20",
        "kind": "prevent",
        "status": "dropped",
        "closed": "2026-11-23",
        "reason": "Superseded by the platform work",
    }


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["Investigate the retries", "--owner", "bob", "--kind", "mitigate"], "BPM103"),
        (["Add a canary", "--kind", "prevent"], "BPM101"),
    ],
)
def test_add_refuses_what_lint_rejects(
    bpm: Bpm, repo: Repo, pm: Path, args: list[str], words: str
) -> None:
    before = snapshot(repo.path)
    ran = bpm("action", "add", PM, *args)
    assert ran.exit_code == 1
    assert f"error: {words} " in ran.stderr
    assert ran.stderr.splitlines()[-1] == (
        f"error: {PM}: action not added (bpm lint would reject it; --force adds it anyway)"
    )
    assert snapshot(repo.path) == before
    forced = bpm("action", "add", PM, *args, "--force")
    assert forced.exit_code == 0 and forced.stdout.startswith(f"{PM}: added A1")


def test_warnings_do_not_refuse(bpm: Bpm, pm: Path) -> None:
    ran = bpm("action", "add", PM, "Retry limits", "--owner", "ann", "--kind", "detect")
    assert ran.exit_code == 0
    assert "warning: BPM107 the action starts with the topic 'Retry limits', not an action" in (
        ran.stderr
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["add", PM, "Add x", "--owner", "a", "--kind", "prevent", "--due", "soonish"],
            2,
            "error: --due 'soonish' is not YYYY-MM-DD, +Nd or +Nw",
        ),
        (["add", PM, "Add x", "--owner", "a", "--kind", "fix"], 2, ""),
        (["add", PM, "Add x", "--owner", "a"], 2, ""),
        (
            ["add", PM, "   ", "--owner", "a", "--kind", "prevent"],
            2,
            "error: the action text must not be empty",
        ),
        (["done", PM, "A9"], 2, f"error: no action A9 in {PM} (its actions: none)"),
        (["drop", PM, "A1", "--reason", "  "], 2, "error: dropping an action needs --reason"),
        (["drop", PM, "A1"], 2, ""),
        (
            ["done", "nothing-like-this", "A1"],
            2,
            "error: no postmortem matches 'nothing-like-this'",
        ),
    ],
)
def test_bad_input(
    bpm: Bpm, repo: Repo, pm: Path, args: list[str], code: int, message: str
) -> None:
    before = snapshot(repo.path)
    ran = bpm("action", *args)
    assert ran.exit_code == code, ran.stderr
    assert ran.stderr.startswith(message)
    assert snapshot(repo.path) == before


def test_closing_twice_is_an_error(bpm: Bpm, repo: Repo, pm: Path) -> None:
    bpm("action", "add", PM, "Add a canary", "--owner", "a", "--kind", "prevent")
    bpm("action", "done", PM, "A1")
    before = snapshot(repo.path)
    ran = bpm("action", "drop", PM, "a1", "--reason", "late")
    assert (ran.exit_code, ran.stderr) == (1, f"error: {PM}: action A1 is done, not open\n")
    assert snapshot(repo.path) == before


def test_list_across_postmortems(bpm: Bpm, repo: Repo, pm: Path) -> None:
    bpm(
        "action",
        "add",
        PM,
        "Add a canary",
        "--owner",
        "ana",
        "--kind",
        "prevent",
        "--due",
        "2026-11-01",
    )
    bpm(
        "action",
        "add",
        PM,
        "Remove the cache",
        "--owner",
        "bo",
        "--kind",
        "prevent",
        "--due",
        "2026-12-01",
    )
    bpm("new", "incident", "DNS failure", "--started", "2026-10-01 08:00", "--severity", "SEV1")
    other = "postmortems/2026/2026-10-01-dns-failure.md"
    bpm(
        "action", "add", other, "Migrate off the legacy zone", "--owner", "ana", "--kind", "prevent"
    )
    bpm("action", "done", PM, "A2")
    rows = json.loads(bpm("action", "list", "--format", "json").stdout)
    assert [(r["postmortem"], r["id"], r["status"], r["overdue"]) for r in rows] == [
        ("2026-10-01-dns-failure", "A1", "open", True),  # SEV1: due 15 days after the start
        ("2026-11-20-checkout-outage", "A1", "open", True),
        ("2026-11-20-checkout-outage", "A2", "done", False),
    ]
    assert set(rows[0]) == {
        "postmortem",
        "path",
        "id",
        "action",
        "owner",
        "due",
        "kind",
        "status",
        "ticket",
        "closed",
        "overdue",
    }
    mine = json.loads(
        bpm("action", "list", "--owner", "ana", "--status", "open", "-f", "json").stdout
    )
    assert [(r["postmortem"], r["id"]) for r in mine] == [
        ("2026-10-01-dns-failure", "A1"),
        ("2026-11-20-checkout-outage", "A1"),
    ]
    assert bpm("action", "list", "-f", "csv").stdout.splitlines()[0] == (
        "postmortem,path,id,action,owner,due,kind,status,ticket,closed,overdue"
    )
    assert "open (overdue)" in bpm("action", "list").stdout


DUPLICATED = """---
id: 2026-01-05-db
title: Db
kind: incident
status: draft
status: draft
severity: SEV2
started: 2026-01-05T10:00:00Z
review_by: 2026-01-10
actions:
  - id: A1
    action: Add a guard
    owner: bob
    owner: ana
    due: 2026-02-01
    due: 2026-02-20
    kind: prevent
    status: open
---
# Db
"""


@pytest.mark.parametrize(
    "edit",
    [
        (
            "add",
            "2026-01-05-db",
            "Add a check",
            "--owner",
            "x",
            "--due",
            "2026-03-01",
            "--kind",
            "prevent",
        ),
        ("done", "2026-01-05-db", "A1"),
        ("drop", "2026-01-05-db", "A1", "--reason", "The guard moved to the proxy"),
    ],
    ids=["add", "done", "drop"],
)
def test_edits_work_on_the_last_value_of_a_duplicate_key(
    bpm: Bpm, repo: Repo, edit: tuple[str, ...]
) -> None:
    """#16 item 19, as docs/reliability.md says: YAML (and `lint`, and every report) keeps
    the last value of a repeated key, and so does an edit; the other stays as it was read."""
    path = repo.write("postmortems/2026/2026-01-05-db.md", DUPLICATED)
    before = bpm("action", "list", "--format", "json")
    ran = bpm("action", *edit)
    assert ran.exit_code == 0, ran.stderr
    after = json.loads(bpm("action", "list", "--format", "json").stdout)
    first = {k: v for k, v in after[0].items() if k not in ("status", "closed", "overdue")}
    assert first == {
        k: v
        for k, v in json.loads(before.stdout)[0].items()
        if k not in ("status", "closed", "overdue")
    }
    assert (first["owner"], first["due"]) == ("ana", "2026-02-20")
    text = path.read_text()
    assert text.count("status: draft") == 1 and "owner: bob" not in text
    assert (
        bpm("lint", "--select", "BPM002", "--format", "json", "--no-cache").stdout.strip() == "[]"
    )


def test_a_repeated_action_id_is_closed_where_reports_read_it(bpm: Bpm, repo: Repo) -> None:
    """Reports keep the last action of a repeated id (format/facts.py): so does `done`."""
    twice = DUPLICATED.replace(
        "    status: open\n---",
        "    status: done\n  - id: A1\n    action: Add a check\n    owner: ana\n"
        "    due: 2026-03-01\n    kind: detect\n    status: open\n---",
    )
    repo.write("postmortems/2026/2026-01-05-db.md", twice)
    ran = bpm("action", "done", "2026-01-05-db", "A1")
    assert ran.exit_code == 0, ran.stderr
    rows = json.loads(bpm("action", "list", "--format", "json").stdout)
    assert [(r["action"], r["status"]) for r in rows] == [
        ("Add a guard", "done"),
        ("Add a check", "done"),
    ]
