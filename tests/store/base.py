"""What the store tests share: postmortem texts, a small history, a git-free PATH."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import Ran, Repo, act
from conftest import pm_text as shared_pm_text

Bpm = Callable[..., Ran]
P1 = "postmortems/2026/2026-01-05-db.md"
P2 = "postmortems/2026/2026-02-10-dns.md"


def pm_text(
    pm_id: str,
    actions: list[dict[str, str]],
    status: str = "draft",
    started: str = "2026-01-05T10:00:00Z",
) -> str:
    """The suite's postmortem (conftest.pm_text) with a line of Summary text."""
    return shared_pm_text(pm_id, actions, status, started=started, summary="Text.")


def story(repo: Repo) -> Repo:
    """Two postmortems over four commits: A1 postponed once, A2 deleted (vanished)."""
    repo.commit("Start", {P1: pm_text("2026-01-05-db", [])}, date="2026-01-06T09:00:00+00:00")
    repo.commit(
        "A1 A2",
        {P1: pm_text("2026-01-05-db", [act("A1", "2026-01-20"), act("A2", "2026-01-25")])},
        author="Bo Lindqvist",
        date="2026-01-08T09:00:00+00:00",
    )
    repo.commit(
        "Push A1, drop A2 silently",
        {P1: pm_text("2026-01-05-db", [act("A1", "2026-02-01")], "published")},
        author="Chen Wu",
        date="2026-01-12T09:00:00+00:00",
    )
    repo.commit(
        "DNS",
        {P2: pm_text("2026-02-10-dns", [act("A1", "2026-02-20")], started="2026-02-10T08:00:00Z")},
        date="2026-02-11T09:00:00+00:00",
    )
    return repo


def git_free_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH holds only a link to this Python: no `git` on it."""
    folder = tmp_path / "no-git-bin"
    folder.mkdir(exist_ok=True)
    link = folder / "python3"
    if not link.exists():
        link.symlink_to(sys.executable)
    assert not (folder / "git").exists()
    return {**os.environ, "PATH": str(folder)}
