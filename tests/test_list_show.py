from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import Ran, Repo

Bpm = Callable[..., Ran]

PM = """---
id: {id}
title: {title}
kind: incident
status: {status}
severity: SEV2
started: {started}
review_by: {review_by}
services: [checkout]
actions:
  - id: A1
    action: Make the splitter idempotent
    owner: bob
    due: 2026-11-01
    kind: prevent
    status: open
  - id: A2
    action: Add a canary stage
    owner: ana
    due: 2026-12-20
    kind: prevent
    status: open
  - id: A3
    action: Remove the shared cache
    owner: ana
    due: 2026-10-01
    kind: prevent
    status: done
---
# {title}

## Summary

## Timeline
"""


def add(
    repo: Repo, pm_id: str, started: str, status: str = "draft", review_by: str = "2026-11-25"
) -> None:
    repo.write(
        f"postmortems/{pm_id[:4]}/{pm_id}.md",
        PM.format(
            id=pm_id,
            title=pm_id[11:].replace("-", " ").capitalize(),
            status=status,
            started=started,
            review_by=review_by,
        ),
    )


@pytest.fixture
def filled(repo: Repo) -> Repo:
    add(repo, "2026-11-20-checkout-outage", "2026-11-20T14:03:00Z")
    add(repo, "2025-03-02-dns-failure", "2025-03-02T08:00:00Z", "published", "2025-03-07")
    repo.write("postmortems/2026/broken.md", "---\ntitle: [unclosed\n---\n")
    return repo


def test_list_json_is_newest_first_with_action_counts(bpm: Bpm, filled: Repo) -> None:
    ran = bpm("list", "--format", "json")
    assert ran.exit_code == 0
    assert json.loads(ran.stdout) == [
        {
            "id": "2026-11-20-checkout-outage",
            "path": "postmortems/2026/2026-11-20-checkout-outage.md",
            "title": "Checkout outage",
            "date": "2026-11-20",
            "severity": "SEV2",
            "status": "draft",
            "actions_open": 2,
            "actions_overdue": 1,
        },
        {
            "id": "2025-03-02-dns-failure",
            "path": "postmortems/2025/2025-03-02-dns-failure.md",
            "title": "Dns failure",
            "date": "2025-03-02",
            "severity": "SEV2",
            "status": "published",
            "actions_open": 2,
            "actions_overdue": 1,
        },
    ]
    assert ran.stderr == (
        "warning: postmortems/2026/broken.md:2: front matter is not valid YAML: "
        "did not find expected ',' or ']'\n"
    )


def test_list_csv_and_table(bpm: Bpm, filled: Repo) -> None:
    csv_out = bpm("list", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "id,path,title,date,severity,status,actions_open,actions_overdue"
    assert csv_out[1].startswith("2026-11-20-checkout-outage,postmortems/2026/")
    table = bpm("list").stdout
    assert "2026-11-20-checkout-outage" in table and "2025-03-02-dns-failure" in table
    assert "\x1b[" not in table  # not a terminal: no colour


def test_list_of_an_empty_repository(bpm: Bpm, repo: Repo) -> None:
    ran = bpm("list", "--format", "json")
    assert (ran.exit_code, ran.stdout) == (0, "[]\n")


def test_show_by_prefix_json(bpm: Bpm, filled: Repo) -> None:
    ran = bpm("show", "2026-11-20-check", "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    data = json.loads(ran.stdout)
    assert data["id"] == "2026-11-20-checkout-outage"
    assert data["started"] == "2026-11-20T14:03:00Z"
    assert data["review_overdue"] is False
    assert data["missing_sections"] == [
        "Impact",
        "Contributing factors",
        "What we learned",
        "Action items",
    ]
    assert [(a["id"], a["overdue"]) for a in data["actions"]] == [
        ("A1", True),
        ("A2", False),
        ("A3", False),
    ]


def test_show_by_path_and_text(bpm: Bpm, filled: Repo) -> None:
    ran = bpm("show", "postmortems/2025/2025-03-02-dns-failure.md")
    assert ran.exit_code == 0
    assert "Dns failure" in ran.stdout
    assert "2025-03-07" in ran.stdout
    assert "Make the splitter idempotent" in ran.stdout


@pytest.mark.parametrize(
    ("ref", "code", "message"),
    [
        ("2027", 2, "error: no postmortem matches '2027' in postmortems\n"),
        ("20", 2, "error: '20' matches 2 postmortems: 2025-03-02-dns-failure, 2026-11-20-checkout"),
        ("nope/x.md", 2, "error: no such file: nope/x.md\n"),
        ("broken", 1, "error: postmortems/2026/broken.md:2: front matter is not valid YAML"),
    ],
)
def test_show_bad_references(bpm: Bpm, filled: Repo, ref: str, code: int, message: str) -> None:
    ran = bpm("show", ref)
    assert ran.exit_code == code
    assert ran.stderr.startswith(message)
    assert ran.stderr.count("\n") == 1


def test_show_strips_terminal_escapes_from_file_text(bpm: Bpm, repo: Repo) -> None:
    repo.write(
        "postmortems/2026/2026-01-01-x.md",
        '---\ntitle: "Evil \\e[31mred\\e[0m [bold]markup[/bold]"\n'
        "started: 2026-01-01T00:00:00Z\n---\n",
    )
    ran = bpm("show", "2026-01-01-x")
    assert "\x1b" not in ran.stdout
    assert "[bold]markup[/bold]" in ran.stdout
