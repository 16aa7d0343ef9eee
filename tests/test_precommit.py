"""The pre-commit hook, run by the real pre-commit tool against this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Repo, git
from lint.base import CLEAN, PATH


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean copy of this checkout, committed: try-repo installs the hook from its state."""
    source = tmp_path_factory.mktemp("precommit") / "bpm-source"
    shutil.copytree(
        ROOT,
        source,
        # not .git: in a worktree it is a file naming the real repository, and the commit
        # below would land on the checkout's own branch
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "out", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(
        source,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "snapshot",
    )
    return source


def _try_repo(source: Path, repo: Repo, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "BPM_NOW": "2026-11-23T09:00:00Z",
    }
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(source), "bpm-lint"]
    return subprocess.run(command, cwd=repo.path, env=env, capture_output=True, text=True)


def test_pre_commit_try_repo_runs_bpm_lint(repo: Repo, source: Path, tmp_path: Path) -> None:
    repo.commit("Clean postmortem", {PATH: CLEAN})
    vague = CLEAN.replace(
        "action: Make the splitter idempotent", "action: Investigate the splitter"
    )
    repo.write(PATH, vague)
    repo.git("add", PATH)
    failed = _try_repo(source, repo, tmp_path / "pre-commit-home")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "bpm lint" in failed.stdout and "Failed" in failed.stdout
    assert (
        f"{PATH}:11:5: error BPM103 action A1 starts with the vague verb 'investigate'"
        in failed.stdout
    )
    repo.write(
        PATH,
        CLEAN.replace("## What we learned\n", "## What we learned\n\nCanaries catch config.\n"),
    )
    repo.git("add", PATH)
    passed = _try_repo(source, repo, tmp_path / "pre-commit-home")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_pre_commit_lints_every_file_in_one_run(repo: Repo, source: Path, tmp_path: Path) -> None:
    """Without `require_serial`, pre-commit splits the files over one process per core:
    two half summaries, and a lint cache filled from half the files."""
    vague = CLEAN.replace(
        "action: Make the splitter idempotent", "action: Investigate the splitter"
    )
    for day in range(10, 20):
        name = f"2026-11-{day}-outage"
        repo.write(f"postmortems/2026/{name}.md", vague.replace("2026-11-20-checkout-outage", name))
    repo.git("add", "-A")
    ran = _try_repo(source, repo, tmp_path / "pre-commit-home")
    assert ran.returncode == 1, ran.stdout + ran.stderr
    summaries = [line for line in ran.stdout.splitlines() if line.startswith("Found ")]
    assert summaries == ["Found 10 errors and 0 warnings in 10 of 10 files."], ran.stdout
