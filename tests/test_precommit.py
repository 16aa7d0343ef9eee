"""The pre-commit hook, run by the real pre-commit tool against this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, Repo, git
from lint.base import CLEAN, PATH


def test_pre_commit_try_repo_runs_bpm_lint(repo: Repo, tmp_path: Path) -> None:
    source = tmp_path / "bpm-source"  # a clean copy of this checkout: try-repo commits its state
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".venv", "out", "*.egg-info", "__pycache__", ".*_cache"),
    )
    if not (source / ".git").exists():
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
    repo.commit("Clean postmortem", {PATH: CLEAN})
    vague = CLEAN.replace(
        "action: Make the splitter idempotent", "action: Investigate the splitter"
    )
    repo.write(PATH, vague)
    repo.git("add", PATH)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "BPM_NOW": "2026-11-23T09:00:00Z",
    }
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(source), "bpm-lint"]
    failed = subprocess.run(command, cwd=repo.path, env=env, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "bpm lint" in failed.stdout and "Failed" in failed.stdout
    assert (
        f"{PATH}:11:5: BPM103 action A1 starts with the vague verb 'investigate'" in failed.stdout
    )
    repo.write(
        PATH,
        CLEAN.replace("## What we learned\n", "## What we learned\n\nCanaries catch config.\n"),
    )
    repo.git("add", PATH)
    passed = subprocess.run(command, cwd=repo.path, env=env, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
