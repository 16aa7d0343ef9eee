"""Every reader is linear: 100 KB of each shape that made a regular expression backtrack
(super-linear time) goes through `bpm lint`, `list`, `timeline show` and `site` in a real
process, within a generous bound. Linear work on all of them takes about a second; before
#16, a long heading with spaces took 18 s, a timeline time padded with spaces 51 s (in the
message's clean-up), a line of `<!-- bpm-disable` 3 s, growing with the square of the line.
Not a timing assertion on normal work: the bound is 30-60 times what the work needs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Repo
from lint.base import CLEAN

SIZE = 100_000
BOUND = 60  # seconds for one command over every shape
TRIGGERS = "The developer forgot the flag and we should have noticed. Nobody noticed. "
ROW = "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 | Errors rose | A canary first | The key was optional |"


def _fill(piece: str, size: int = SIZE) -> str:
    return piece * max(1, size // len(piece))


# name -> (where it goes: "summary" prose, "timeline" rows, "title", "action"), the text
SHAPES: dict[str, tuple[str, str]] = {
    "heading-3k": ("summary", _fill("## a" + " " * 3000 + "&\n\n")),
    "heading-spaces": ("summary", "## a" + " " * SIZE + "&\n"),
    "backticks": ("summary", _fill(TRIGGERS + "`" * 1000 + " word ` ")),
    "line-65k": ("summary", _fill(TRIGGERS.replace(". ", ", "), 65_000) + "\n"),
    "stars": ("summary", TRIGGERS + "*" * SIZE + "\n"),
    "underscores": ("summary", TRIGGERS + _fill("_a ") + "\n"),
    "pipes": ("summary", "| " + TRIGGERS + "|" * SIZE + "\n"),
    "brackets": ("summary", TRIGGERS + "[" * SIZE + "\n"),
    "comment-opens": ("summary", TRIGGERS + _fill("<!--") + "\n"),
    "directives": ("summary", TRIGGERS + _fill("<!-- bpm-disable ") + "\n"),
    "spaces": ("summary", TRIGGERS + " " * SIZE + "x\n"),
    "colons": ("summary", TRIGGERS + ":" * SIZE + "\n"),
    "digits": ("summary", TRIGGERS + "1" * SIZE + "\n"),
    "time-spaces": ("timeline", "| 2026-11-20" + " " * SIZE + "x | bob | Paged |  |  |  |"),
    "row-escapes": ("timeline", "| 2026-11-20 14:03 | bob | " + _fill("\\|<br>") + " |  |  |  |"),
    "row-pipes": ("timeline", "| 2026-11-20 14:03 | bob | " + "|" * SIZE),
    "title-spaces": ("title", "Checkout" + " " * SIZE + "outage"),
    "action-digits": ("action", "Investigate the splitter " + "1" * SIZE),
}


def _postmortem(name: str, where: str, text: str) -> str:
    pm_id = f"2026-11-20-{name}"
    out = CLEAN.replace("2026-11-20-checkout-outage", pm_id)
    if where == "summary":
        return out.replace("The config push reached all regions at once.\n", text)
    if where == "timeline":
        return out.replace(ROW, ROW + "\n" + text)
    if where == "title":
        return out.replace("title: Checkout outage", f"title: {text}")
    return out.replace("action: Make the splitter idempotent", f"action: {text}")


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("linear") / "repo")
    repo.path.mkdir()
    repo.git("init", "-q", "-b", "main")
    files = {
        f"postmortems/2026/2026-11-20-{name}.md": _postmortem(name, where, text)
        for name, (where, text) in SHAPES.items()
    }
    repo.commit("Pathological shapes", dict(files))
    return repo


def _bpm(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    """bpm in a process of its own; TimeoutExpired (the child killed) fails the test."""
    env = {**os.environ, "BPM_NOW": "2026-11-23T09:30:00+00:00"}
    return subprocess.run(
        [sys.executable, "-m", "bpmcli", *args],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=BOUND,
        check=False,
    )


def test_the_shapes_are_what_they_say() -> None:
    for name, (where, text) in SHAPES.items():
        size = 65_000 if name == "line-65k" else SIZE
        assert len(text) >= size * 0.95, name
        assert _postmortem(name, where, text) != CLEAN, name


@pytest.mark.parametrize("fmt", ["text", "sarif"])
def test_lint_is_linear_on_every_shape(shapes: Repo, fmt: str) -> None:
    ran = _bpm(shapes, "lint", "--no-cache", "--format", fmt)
    assert ran.returncode == 1 and "Traceback" not in ran.stderr, ran.stderr[-2000:]
    if fmt == "text":
        assert ran.stdout.endswith(f" of {len(SHAPES)} files.\n")
        assert "2026-11-20-time-spaces.md:32:1: error BPM202 timeline time" in ran.stdout
    else:
        assert json.loads(ran.stdout)["runs"][0]["results"]


def test_list_and_actions_are_linear(shapes: Repo) -> None:
    for command in (["list"], ["action", "list"], ["list", "--format", "csv"]):
        ran = _bpm(shapes, *command)
        assert ran.returncode == 0, ran.stderr[-2000:]


def test_timeline_show_is_linear(shapes: Repo) -> None:
    for name, (where, _) in SHAPES.items():
        if where == "timeline":
            for fmt in ("table", "markdown"):
                ran = _bpm(shapes, "timeline", "show", f"2026-11-20-{name}", "--format", fmt)
                assert ran.returncode in (0, 1) and "Traceback" not in ran.stderr, ran.stderr


def test_site_is_linear(shapes: Repo, tmp_path: Path) -> None:
    ran = _bpm(shapes, "site", str(tmp_path / "site"), "--no-cache")
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert (tmp_path / "site" / "index.html").is_file()
