"""`--no-cache` means no cache is read or written, by every command that has the option.

Each test runs the command with --no-cache on a fresh repository (no `.git/bpm` may
appear), then without it (proving the command does keep a cache there), then changes the
repository so every cache would be updated and runs --no-cache again: not a byte moves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Repo
from store.base import P1, Bpm, act, pm_text, story


def _caches(repo: Repo) -> dict[str, bytes]:
    folder = repo.path / ".git" / "bpm"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def _check(bpm: Bpm, repo: Repo, *args: str) -> None:
    folder = repo.path / ".git" / "bpm"
    cold = bpm(*args, "--no-cache")
    assert cold.exit_code in (0, 1), cold.stderr
    assert not folder.exists(), sorted(p.name for p in folder.iterdir())
    warm = bpm(*args)
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)
    before = _caches(repo)
    assert before, "the command keeps no cache: this test proves nothing"
    text = pm_text("2026-01-05-db", [act("A1", "2026-02-01"), act("A3", "2026-02-15")])
    repo.commit("A3", {P1: text}, date="2026-02-20T09:00:00+00:00")
    (repo.path / P1).write_text(text + "\nMore.\n")  # and the working tree moves on too
    assert bpm(*args, "--no-cache").exit_code == cold.exit_code
    assert _caches(repo) == before


@pytest.mark.parametrize(
    "command",
    [
        ("report", "overdue", "--format", "json"),
        ("report", "vanished", "--format", "json"),
        ("report", "sla", "--format", "json"),
        ("report", "stats", "--format", "json", "--as-of", "2026-03-31"),
        ("remind", "--format", "json", "--within", "3650"),
    ],
    ids=lambda args: "-".join(args[:2]),
)
def test_reports(bpm: Bpm, repo: Repo, command: tuple[str, ...]) -> None:
    story(repo)
    _check(bpm, repo, *command)


def test_site(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    story(repo)
    _check(bpm, repo, "site", str(tmp_path / "site"), "--as-of", "2026-03-31")


def test_lint(bpm: Bpm, repo: Repo) -> None:
    story(repo)
    for n in range(40):  # the lint cache is used from 32 files on
        day = f"2025-03-{n % 28 + 1:02d}"
        repo.write(f"postmortems/2025/{day}-x{n}.md", pm_text(f"{day}-x{n}", []))
    _check(bpm, repo, "lint", "--format", "json")
