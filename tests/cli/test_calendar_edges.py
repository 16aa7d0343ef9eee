"""Dates at the ends of the calendar: a clear one-line error, or output bpm reads back."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import Ran, Repo, snapshot
from lint.base import CLEAN, PATH

Bpm = Callable[..., Ran]


ADD = ["action", "add", PATH, "Add a guard", "--kind", "detect", "--owner", "bob", "--due"]
NEW = ["new", "incident", "Far", "--severity", "SEV1", "--started"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([*ADD, "+3000000d"], "error: --due +3000000d would fall after 9999-12-31"),
        (
            [*ADD, "+99999999999999999999w"],
            "error: --due +99999999999999999999w would fall after 9999-12-31",
        ),
        (
            [*NEW, "9999-12-31 23:00"],
            "error: review_by (9999-12-31 + review_sla_days) would fall after 9999-12-31",
        ),
        (
            [*NEW, "9999-12-31T23:00:00-05:00"],
            "error: '9999-12-31T23:00:00-05:00' is past the end of the calendar",
        ),
    ],
)
def test_past_the_calendar_is_a_usage_error(
    bpm: Bpm, repo: Repo, args: list[str], words: str
) -> None:
    repo.write(PATH, CLEAN)
    before = snapshot(repo.path)
    ran = bpm(*args)
    assert ran.exit_code == 2, ran.stderr
    assert ran.stderr.startswith(words) and ran.stderr.count("\n") == 1, ran.stderr
    assert snapshot(repo.path) == before


def test_a_timeline_time_in_year_999_is_written_as_lint_reads_it(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, CLEAN)
    for time in (["--time", "0999-01-01 10:00"], ["--time", "10:05", "--date", "0999-01-01"]):
        ran = bpm("timeline", "add", PATH, *time, "--actor", "a", "--event", "Old")
        assert ran.exit_code == 0, ran.stderr
    text = (repo.path / PATH).read_text()
    assert "| 0999-01-01 10:00 | a | Old |" in text and "| 0999-01-01 10:05 | a | Old |" in text
    lint = bpm("lint", "--format", "json", "--no-cache", PATH)
    assert [f["code"] for f in json.loads(lint.stdout)] == [], lint.stdout
    shown = json.loads(bpm("timeline", "show", PATH, "--format", "json").stdout)
    assert [row["time"] for row in shown][:2] == ["0999-01-01 10:00", "0999-01-01 10:05"]
