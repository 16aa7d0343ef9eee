"""A postmortem that lints clean, and helpers to lint variations of it through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable

from conftest import Ran, Repo

Bpm = Callable[..., Ran]
PATH = "postmortems/2026/2026-11-20-checkout-outage.md"
CLEAN = """---
id: 2026-11-20-checkout-outage
title: Checkout outage
kind: incident
status: published
severity: SEV2
started: 2026-11-20T14:03:00Z
review_by: 2026-11-25
actions:
  - id: A1
    action: Make the splitter idempotent
    owner: bob
    due: 2026-12-04
    kind: prevent
    status: open
---
# Checkout outage

## Summary

The config push reached all regions at once.

## Impact

Checkout failed for 30% of requests.

## Timeline

| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |
|---|---|---|---|---|---|
| 2026-11-20 14:03 | deploy-bot | Pushed config v42 | Errors rose | A canary first | The key was optional |

## Contributing factors

The splitter retried non-idempotent writes.

## What we learned

Per-region canaries would show this at once.

## Action items
"""


def findings(bpm: Bpm, repo: Repo, text: str, *args: str) -> list[tuple[str, int, int]]:
    repo.write(PATH, text)
    ran = bpm("lint", "--format", "json", "--no-cache", *args)
    assert ran.exit_code in (0, 1), ran.stderr
    return [(f["code"], f["line"], f["column"]) for f in json.loads(ran.stdout)]


def lint_json(bpm: Bpm, *args: str) -> tuple[int, list[dict[str, object]]]:
    ran = bpm("lint", "--format", "json", *args)
    return ran.exit_code, json.loads(ran.stdout)
