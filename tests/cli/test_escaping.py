"""Text from postmortems and file names reaches people's terminals inert: no rich markup,
no escape sequences, no bidirectional overrides, in tables, CSV, Markdown and messages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest

from conftest import Ran, Repo, act, bpm_process, pm_text

Bpm = Callable[..., Ran]

CONTROL = ("\x1b", "\x9b", "\x07", "\u202e", "\u2066")
HOSTILE_OWNERS = [
    "[/x]",  # closes a tag never opened: rich raised MarkupError
    "[link=https://evil.example]alice[/link]",
    "[bold red]eve",
    "mallory\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
    "ali\u202eecb",
]


def _write(repo: Repo) -> None:
    actions = [
        act(f"A{i + 1}", "2026-02-01", owner=json.dumps(o)) for i, o in enumerate(HOSTILE_OWNERS)
    ]
    text = pm_text("2026-01-05-outage", actions)
    text = text.replace("title: 2026-01-05-outage", 'title: "Outage \\e[2J\\u202e [red]x[/red]"')
    repo.commit("Postmortem", {"postmortems/2026/2026-01-05-outage.md": text})


def _inert(out: str) -> None:
    assert not any(c in out for c in CONTROL), repr(out)


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_report_overdue_escapes_owners(bpm: Bpm, repo: Repo, fmt: str) -> None:
    _write(repo)
    ran = bpm("report", "overdue", "--as-of", "2026-03-01", "--format", fmt)
    assert ran.exit_code == 0, ran.stderr
    _inert(ran.stdout)
    assert "[/x]" in ran.stdout and "[link=https://evil.example]alice[/link]" in ran.stdout
    assert "[bold red]eve" in ran.stdout
    if fmt == "csv":
        owners = [row["owner"] for row in csv.DictReader(io.StringIO(ran.stdout))]
        assert "[/x]" in owners and "ali?ecb" in owners


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_list_escapes_titles_and_owners(bpm: Bpm, repo: Repo, fmt: str) -> None:
    _write(repo)
    for command in (["list"], ["action", "list"]):
        ran = bpm(*command, "--format", fmt)
        assert ran.exit_code == 0, ran.stderr
        _inert(ran.stdout)
    assert "[red]x[/red]" in bpm("list", "--format", fmt).stdout


def test_json_keeps_the_exact_text(bpm: Bpm, repo: Repo) -> None:
    _write(repo)
    ran = bpm("report", "overdue", "--as-of", "2026-03-01", "--format", "json")
    owners = {row["owner"] for row in json.loads(ran.stdout)}
    assert owners == set(HOSTILE_OWNERS)  # machines get the data as written, JSON-escaped


def test_file_names_in_messages_are_inert(repo: Repo) -> None:
    name = "postmortems/2026/2026-01-05-\x1b[31mred\u202e.md"
    repo.commit("Postmortem", {name: pm_text("2026-01-05-outage", [act("A1", "2026-02-01")])})
    ran = bpm_process(
        "action", "add", name, "Add a guard", "--owner", "bob", "--kind", "detect", cwd=repo.path
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.returncode == 0, ran.stderr
    _inert(ran.stdout + ran.stderr)
    assert "added A2" in ran.stdout
    ran = bpm_process(
        "timeline",
        "add",
        name,
        "--actor",
        "bob",
        "--time",
        "2026-01-05 10:00",
        "--event",
        "Paged",
        cwd=repo.path,
    )
    assert ran.returncode == 1 and "red?.md: no '## Timeline' section" in ran.stderr
    _inert(ran.stdout + ran.stderr)
