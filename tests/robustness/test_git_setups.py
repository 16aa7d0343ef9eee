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
