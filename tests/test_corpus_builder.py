"""bench/corpus.py, the corpus the truth tests use: deterministic, and rich enough that
matching its truth means something (no empty truth list, every kind of history there)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import OWN_CORPUS, git

Corpus = Callable[[int], tuple[Path, Path]]


def build(out: Path, seed: int) -> dict[str, object]:
    truth = out.with_name(out.name + ".json")
    arguments = ["--out", str(out), "--postmortems", "15", "--truth", str(truth)]
    done = subprocess.run(
        [sys.executable, str(OWN_CORPUS), *arguments, "--seed", str(seed)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"truth in {truth}" in done.stdout
    found: dict[str, object] = json.loads(truth.read_text(encoding="utf-8"))
    return found


def test_the_same_seed_gives_the_same_history_and_truth(tmp_path: Path) -> None:
    first, again, other = (
        build(tmp_path / name, seed) for name, seed in [("a", 3), ("b", 3), ("c", 4)]
    )
    head = [git(tmp_path / name, "rev-parse", "HEAD") for name in "abc"]
    assert head[0] == head[1] != head[2]
    assert first == again != other


def test_the_history_holds_every_kind_of_change(corpus_factory: Corpus) -> None:
    repo, truth_file = corpus_factory(300)
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    for key in ("overdue", "vanished", "missing_owner", "vague_action", "blameful_summary"):
        assert truth[key], key
    assert truth["dropped_without_reason"] and truth["review_overdue"]
    assert {row["postponed"] for row in truth["overdue"]} >= {0, 1, 2, 3}
    assert any(row["owner"] is None for row in truth["overdue"])
    log = git(repo, "log", "--format=%P|%an|%ad", "--date=format:%z")
    parents, authors, zones = zip(*(line.split("|") for line in log.splitlines()), strict=True)
    assert sum(len(p.split()) == 2 for p in parents) > 50  # topic branches merged --no-ff
    assert len(set(authors)) > 50 and len(set(zones)) > 3
    renames = git(repo, "log", "-M", "--diff-filter=R", "--name-status", "--format=")
    deletions = git(repo, "log", "--diff-filter=D", "--name-only", "--format=", "--", "postmortems")
    assert renames.count("\nR") + renames.startswith("R") > 2 and deletions.strip()
    branches = git(repo, "branch", "--format=%(refname:short)").split()
    assert truth["unmerged_drafts"]  # drafts still on their branch are not on main
    assert {f"pm/{draft}" for draft in truth["unmerged_drafts"]} == set(branches) - {"main"}
    assert git(repo, "status", "--porcelain") == ""
