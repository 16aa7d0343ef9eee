"""Reports agree however an action is written (issue #13), on real git histories.

`report overdue` reads the files through the model; `report stats`, `report vanished` and the
history fields of `report overdue` read every version through the facts scanner. A flow-style
action, a merge key or an id with a trailing space must mean the same to both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from conftest import Ran, Repo

Bpm = Callable[..., Ran]
P = "postmortems/2026/2026-01-05-db.md"
HEAD = """\
---
id: 2026-01-05-db
title: Database failover
kind: incident
status: {status}
severity: SEV2
started: 2026-01-05T10:00:00Z
review_by: 2026-01-10
"""
BODY = "---\n# Database failover\n\n## Summary\n"


def flow(action_id: str, due: str, status: str = "open") -> str:
    """An action written in flow style, the way some teams (and some tools) write them."""
    return (
        f"  - {{id: {action_id}, action: Add guard {action_id}, owner: bob, due: {due},"
        f" kind: prevent, status: {status}}}\n"
    )


def pm(actions: str, status: str = "draft", extra: str = "") -> str:
    return HEAD.format(status=status) + extra + "actions:\n" + actions + BODY


def json_of(bpm: Bpm, *args: str) -> Any:
    ran = bpm("report", *args, "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    return json.loads(ran.stdout)


def by_period(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["period"]: row for row in rows}


def test_flow_style_actions_are_in_every_history_report(bpm: Bpm, repo: Repo) -> None:
    def on(day: str, message: str, actions: str) -> str:
        return repo.commit(message, {P: pm(actions)}, date=f"{day}T09:00:00+00:00")

    added = on(
        "2026-01-06",
        "three actions",
        flow("A1", "2026-01-20") + flow("A2", "2026-01-25") + flow("A3", "2026-02-15"),
    )
    on(
        "2026-01-21",
        "push A1",
        flow("A1", "2026-02-01") + flow("A2", "2026-01-25") + flow("A3", "2026-02-15"),
    )
    removed = on(
        "2026-02-02",
        "A1 done, A2 gone",
        flow("A1", "2026-02-01", "done") + flow("A3", "2026-02-15"),
    )

    rows = json_of(bpm, "overdue", "--as-of", "2026-03-01")
    assert [(r["action_id"], r["introduced_commit"], r["original_due"]) for r in rows] == [
        ("A3", added, "2026-02-15")
    ]
    assert rows[0]["introduced_at"] == "2026-01-06" and rows[0]["postponed"] == 0
    vanished = json_of(bpm, "vanished")
    assert [(r["action_id"], r["removed_commit"], r["action"]) for r in vanished] == [
        ("A2", removed, "Add guard A2")
    ]
    stats = by_period(json_of(bpm, "stats", "--as-of", "2026-03-31"))
    assert stats["2026-01"]["actions_added"] == 3
    assert stats["2026-01"]["postponements"] == 1  # A1, pushed while open
    assert stats["2026-01"]["overdue_at_end"] == 1  # A2, due 01-25
    assert stats["2026-02"]["actions_done"] == 1
    assert stats["2026-02"]["actions_vanished"] == 1
    assert stats["2026-03"]["open_at_end"] == 1
    assert stats["2026-03"]["overdue_at_end"] == 1  # A3: what `report overdue` lists


MERGED = """\
  - <<: *defaults
    id: A1
    action: Add guard A1
    due: 2026-01-20
  - id: "A2 "
    action: Add guard A2
    owner: bob
    due: 2026-01-25
    kind: prevent
    status: open
  - id: 3
    action: Add guard 3
    owner: bob
    due: 2026-01-28
    kind: prevent
    status: open
"""
DEFAULTS = "defaults: &defaults\n  owner: bob\n  kind: prevent\n  status: open\n"


def test_merge_keys_and_odd_ids_mean_the_same_to_overdue_and_stats(bpm: Bpm, repo: Repo) -> None:
    first = repo.commit(
        "actions", {P: pm(MERGED, extra=DEFAULTS)}, date="2026-01-06T09:00:00+00:00"
    )
    repo.commit(
        "in review", {P: pm(MERGED, "in-review", DEFAULTS)}, date="2026-01-08T09:00:00+00:00"
    )

    expected = [
        ("A1", "2026-01-20", "2026-01-06", first, "2026-01-20", 0),
        ("A2", "2026-01-25", "2026-01-06", first, "2026-01-25", 0),
        ("3", "2026-01-28", "2026-01-06", first, "2026-01-28", 0),
    ]

    def overdue(*args: str) -> list[tuple[Any, ...]]:
        rows = json_of(bpm, "overdue", "--as-of", "2026-01-31", *args)
        keys = (
            "action_id",
            "due",
            "introduced_at",
            "introduced_commit",
            "original_due",
            "postponed",
        )
        return [tuple(row[key] for key in keys) for row in rows]

    assert overdue() == expected  # the working tree, through the model
    assert overdue("--rev", "HEAD") == expected  # the files at HEAD
    stats = by_period(json_of(bpm, "stats", "--as-of", "2026-01-31"))["2026-01"]
    assert stats["actions_added"] == 3
    assert stats["postponements"] == 0
    assert stats["open_at_end"] == 3
    assert stats["overdue_at_end"] == len(expected)
    assert stats["prevent_share"] == 1.0


def test_a_quoted_date_is_no_due_date_to_any_report(bpm: Bpm, repo: Repo) -> None:
    actions = (
        '  - id: A1\n    action: Add guard A1\n    owner: bob\n    due: "2026-01-20"\n'
        "    kind: prevent\n    status: open\n"
    )
    repo.commit("quoted", {P: pm(actions)}, date="2026-01-06T09:00:00+00:00")
    assert json_of(bpm, "overdue", "--as-of", "2026-01-31") == []
    stats = by_period(json_of(bpm, "stats", "--as-of", "2026-01-31"))["2026-01"]
    assert (stats["actions_added"], stats["open_at_end"], stats["overdue_at_end"]) == (1, 1, 0)
