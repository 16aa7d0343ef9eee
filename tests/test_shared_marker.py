"""Tests that need ../shared/ skip without it, with a reason; with BPM_REQUIRE_SHARED=1 they fail.

Run as users run the suite: pytest in a separate process, here on one marked test, with
BPM_SHARED pointing at an empty folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

MARKED = "tests/robustness/test_realworld.py::test_the_realworld_corpus_is_there"


def pytest_run(shared: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    # The caller's own BPM_REQUIRE_SHARED (CI sets it) must not decide these runs.
    inherited = {k: v for k, v in os.environ.items() if k != "BPM_REQUIRE_SHARED"}
    env = {**inherited, "BPM_SHARED": str(shared), **extra}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", MARKED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_shared_a_marked_test_is_skipped_with_what_it_needs(tmp_path: Path) -> None:
    ran = pytest_run(tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 skipped" in ran.stdout
    assert f"needs {tmp_path / 'realworld'} (the real-world postmortems)" in ran.stdout
    assert "set BPM_SHARED or put shared/ beside the repository" in ran.stdout


def test_with_bpm_require_shared_its_absence_fails_the_run(tmp_path: Path) -> None:
    ran = pytest_run(tmp_path, BPM_REQUIRE_SHARED="1")
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "1 error" in ran.stdout and "skipped" not in ran.stdout
    assert "BPM_REQUIRE_SHARED=1 makes its absence a failure" in ran.stdout


def test_with_shared_there_the_marked_test_runs(tmp_path: Path) -> None:
    for number in range(20):
        (tmp_path / "realworld").mkdir(exist_ok=True)
        (tmp_path / "realworld" / f"{number:02d}-incident.md").write_text("# An incident\n")
    ran = pytest_run(tmp_path, BPM_REQUIRE_SHARED="1")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout
