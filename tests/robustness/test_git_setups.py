"""Git set-ups that used to give wrong answers (issue #16, items 1, 3, 4, 6, 7, 9).

Each test builds a real repository whose configuration, file names or history is what a
user may really have, and checks the answer bpm gives, not just that it runs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import Repo, act, git, pm_text
from lint.base import CLEAN, Bpm

HINDSIGHT = "Clearly, checkout failed."  # BPM302 on the line it is written on


# -- item 1: `lint --since` whatever the file's name and the user's diff config -------------

NAMES = [
    "postmortems/2026/2026-11-20-checkout-outage.md",
    "postmortems/2026/2026-11-20 checkout outage.md",  # git ends `+++ b/... outage.md` with a tab
    'postmortems/2026/2026-11-20-"quoted".md',  # git C-quotes it in the patch
    "postmortems/2026/2026-11-20-café.md",
    "postmortems/new folder/2026-11-20-x.md",
]
CONFIGS = [
    {},
    {"diff.mnemonicPrefix": "true"},  # `+++ w/...` instead of `+++ b/...`
    {"diff.noprefix": "true"},
    {"diff.relative": "true"},
    {"core.quotePath": "true"},
    {"color.diff": "always", "color.ui": "always"},
    {"diff.suppressBlankEmpty": "true"},
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(c) or "defaults")
def test_lint_since_finds_the_new_line_whatever_the_name_and_config(
    bpm: Bpm, repo: Repo, name: str, config: dict[str, str]
) -> None:
    repo.commit("Postmortem", {name: CLEAN})
    for key, value in config.items():
        repo.git("config", key, value)
    edited = CLEAN.replace("Checkout failed for 30% of requests.", HINDSIGHT)
    repo.write(name, edited)
    line = edited.splitlines().index(HINDSIGHT) + 1
    ran = bpm("lint", "--since", "HEAD", "--format", "json", "--no-cache")
    assert ran.exit_code == 0, ran.stderr  # BPM302 is a warning
    found = [(f["path"], f["code"], f["line"]) for f in json.loads(ran.stdout)]
    assert found == [(name, "BPM302", line)]


# -- item 9: history does not depend on the user's diff config ----------------------------

P = "postmortems/2026/2026-01-05-db.md"


def spaced(due_a1: str, due_a2: str) -> str:
    """A blank line before each `due`: a context line that suppressBlankEmpty prints empty,
    and a parser that reads an empty line as the end of a hunk loses the change after it."""
    text = pm_text("2026-01-05-db", [act("A1", due_a1), act("A2", due_a2)])
    return text.replace("    due:", "\n    due:")


def overdue_rows(bpm: Bpm, *args: str) -> dict[str, dict[str, object]]:
    ran = bpm("report", "overdue", "--as-of", "2026-06-01", "--format", "json", *args)
    assert ran.exit_code == 0, ran.stderr
    return {str(row["action_id"]): row for row in json.loads(ran.stdout)}


DIFF_CONFIGS = [
    {"diff.suppressBlankEmpty": "true"},
    {"diff.noprefix": "true", "diff.mnemonicPrefix": "true"},
    {"diff.context": "0", "diff.interHunkContext": "9"},
    {"diff.algorithm": "patience", "diff.indentHeuristic": "false"},
    {"diff.renames": "copies", "diff.renameLimit": "1"},
    {"core.quotePath": "true", "color.ui": "always", "log.showSignature": "true"},
]


@pytest.mark.parametrize("config", DIFF_CONFIGS, ids=lambda c: ",".join(c))
def test_postponements_do_not_depend_on_the_users_diff_config(
    bpm: Bpm, repo: Repo, config: dict[str, str]
) -> None:
    dues = [("2026-02-01", "2026-02-10"), ("2026-03-01", "2026-02-10"), ("2026-04-01", "2026-02-20")]
    for day, (a1, a2) in enumerate(dues, start=10):
        repo.commit(f"dues {a1} {a2}", {P: spaced(a1, a2)}, date=f"2026-01-{day}T09:00:00+00:00")
    expected = overdue_rows(bpm, "--no-cache")
    assert {k: (v["postponed"], v["original_due"]) for k, v in expected.items()} == {
        "A1": (2, "2026-02-01"),
        "A2": (1, "2026-02-10"),
    }
    for key, value in config.items():
        repo.git("config", key, value)
    assert overdue_rows(bpm, "--no-cache") == expected
