"""Progress on standard error while long work runs, only when stderr is a terminal.

bpm runs as a process with stderr on a pseudo-terminal, or on a file; stdout is a file in
both, and must be the same in both. The display is told to draw from the first item on
(cli/terminal.py's driver): otherwise it waits half a second, and the test would depend on
the machine's speed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bpmcli.lint.engine import PROGRESS_FROM
from cli.terminal import PROGRESS_AT_ONCE, Seen, run
from conftest import Repo, act, pm_text


def _bpm(repo: Repo, args: list[str], stderr_tty: bool, env: dict[str, str] | None = None) -> Seen:
    return run(
        *args,
        cwd=repo.path,
        env=env,
        stdout_tty=False,
        stderr_tty=stderr_tty,
        driver=PROGRESS_AT_ONCE,
    )


def _postmortems(repo: Repo, count: int, commits: bool = False) -> None:
    for n in range(count):
        pm_id = f"2026-03-{n % 28 + 1:02d}-incident-{n:03d}"
        text = pm_text(pm_id, [act("A1", "2026-04-01")])
        if commits:
            repo.commit(f"add {pm_id}", {f"postmortems/2026/{pm_id}.md": text})
        else:
            repo.write(f"postmortems/2026/{pm_id}.md", text)


def _legacy(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "old"
    folder.mkdir()
    for n in range(count):
        (folder / f"outage-{n}.md").write_text(
            f"# Outage {n}\n\nDate: 2026-02-{n % 28 + 1:02d}\n\n## Summary\n\nThe disk filled.\n"
        )
    return folder


# (args, what the display shows: its label and a count, the spinner before them)
CASES = [
    ("lint", ["lint", "--no-cache", "--exit-zero"], rf"linting .*{PROGRESS_FROM}/{PROGRESS_FROM}"),
    ("report overdue", ["report", "overdue", "--no-cache"], r"history: commits read +\d"),
    ("report stats", ["report", "stats", "--no-cache"], r"history: commits read +\d"),
    ("remind", ["remind", "--no-cache"], r"history: commits read +\d"),
    ("site", ["site", "SITE", "--no-cache"], r"writing pages .*\d/6"),
    ("import", ["import", "OLD", "--dry-run"], r"importing .*\d/6"),
]


@pytest.mark.parametrize(("args", "shows"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_progress_on_a_terminal_and_nothing_when_piped(
    repo: Repo, tmp_path: Path, args: list[str], shows: str
) -> None:
    if args[0] == "lint":
        _postmortems(repo, PROGRESS_FROM)
    else:
        _postmortems(repo, 6, commits=True)
    args = [str(tmp_path / "site") if a == "SITE" else a for a in args]
    args = [str(_legacy(tmp_path, 6)) if a == "OLD" else a for a in args]
    shown = _bpm(repo, args, stderr_tty=True)
    if args[0] == "site":  # a fresh folder each time: else the second build renders nothing
        args[1] += "-again"
    piped = _bpm(repo, args, stderr_tty=False)
    assert shown.code == piped.code == 0, (shown.stderr, piped.stderr)
    assert re.search(shows, _plain(shown.stderr)), repr(shown.stderr[-400:])
    # the cursor hidden, then shown again, and the display's line erased: what the command
    # says on stderr comes after, as it does when stderr is piped, which has no progress
    assert shown.stderr.rindex("\x1b[?25h") > shown.stderr.index("\x1b[?25l")
    erased = shown.stderr.rindex("\x1b[2K") + len("\x1b[2K")
    assert shown.stderr[erased:] == piped.stderr.replace("site-again", "site")
    assert "\x1b" not in piped.stderr and "\r" not in piped.stderr
    assert shown.stdout == piped.stdout


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", text)


def test_no_progress_on_a_dumb_terminal(repo: Repo) -> None:
    _postmortems(repo, PROGRESS_FROM)
    ran = _bpm(repo, ["lint", "--no-cache", "--exit-zero"], True, {"TERM": "dumb"})
    assert ran.code == 0 and ran.stderr == ""


def test_a_small_lint_shows_no_progress(repo: Repo) -> None:
    _postmortems(repo, PROGRESS_FROM - 1)
    ran = _bpm(repo, ["lint", "--no-cache", "--exit-zero"], stderr_tty=True)
    assert ran.code == 0 and ran.stderr == ""
