"""`bpm report stats` on real git histories: every number checked against a history
built by hand, and against `report overdue --rev` / `report vanished` on a corpus."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Ran, Repo, git

Bpm = Callable[..., Ran]

P1 = "postmortems/2026/2026-01-05-db.md"
P2 = "postmortems/2026/2026-02-10-api.md"
P3 = "postmortems/2026/2026-01-29-queue.md"


def action(action_id: str, due: str, owner: str, kind: str, status: str = "open") -> str:
    return (
        f"  - id: {action_id}\n    action: Add guard {action_id}\n    owner: {owner}\n"
        f"    due: {due}\n    kind: {kind}\n    status: {status}\n"
    )


def pm(
    pm_id: str,
    started: str,
    review_by: str,
    severity: str,
    services: str,
    actions: list[str],
    status: str = "draft",
) -> str:
    head = (
        f"---\nid: {pm_id}\ntitle: {pm_id}\nkind: incident\nstatus: {status}\n"
        f"severity: {severity}\nstarted: {started}T10:00:00Z\nreview_by: {review_by}\n"
        f"facilitator: ana\nservices: {services}\n"
    )
    listed = "actions:\n" + "".join(actions) if actions else "actions: []\n"
    return head + listed + f"---\n# {pm_id}\n\n## Summary\n\nText.\n"


def db(actions: list[str], status: str = "draft") -> str:
    return pm("2026-01-05-db", "2026-01-05", "2026-01-10", "SEV2", "[db]", actions, status)


def api(actions: list[str], status: str = "draft") -> str:
    services = "\n  - api\n  - db"  # a block list, as people write it by hand
    return pm("2026-02-10-api", "2026-02-10", "2026-02-15", "SEV1", services, actions, status)


@pytest.fixture
def story(repo: Repo) -> Repo:
    """Two postmortems over three months; every event on a known day (see the test)."""

    def on(day: str, message: str, files: dict[str, str | bytes | None], who: str) -> None:
        repo.commit(message, files, author=who, date=f"{day}T09:00:00+00:00")

    a1, a2 = (
        action("A1", "2026-01-20", "bob", "prevent"),
        action("A2", "2026-01-25", "cy", "mitigate"),
    )
    on("2026-01-06", "start db", {P1: db([])}, "Ana Okafor")
    on("2026-01-07", "db A1", {P1: db([a1])}, "Ana Okafor")
    on("2026-01-08", "db A2", {P1: db([a1, a2])}, "Bo Lindqvist")
    a1 = action("A1", "2026-02-01", "bob", "prevent")
    on("2026-01-21", "push db A1", {P1: db([a1, a2])}, "Bo Lindqvist")
    done = action("A1", "2026-02-01", "bob", "prevent", "done")
    on("2026-02-02", "db A1 done, A2 gone", {P1: db([done])}, "Chen Wu")
    on("2026-02-03", "db published", {P1: db([done], "published")}, "Ana Okafor")
    b1, b2, b3 = (
        action("A1", "2026-02-20", "bob", "detect"),
        action("A2", "2026-03-30", "dee", "prevent"),
        action("A3", "2026-03-10", "dee", "process"),
    )
    on("2026-02-11", "start api", {P2: api([b1, b2, b3])}, "Dee Ray")
    on("2026-02-14", "api published", {P2: api([b1, b2, b3], "published")}, "Dee Ray")
    b1 = action("A1", "2026-02-20", "bob", "detect", "done")
    on("2026-02-18", "api A1 done", {P2: api([b1, b2, b3], "published")}, "Bo Lindqvist")
    b2 = action("A2", "2026-03-30", "dee", "prevent", "dropped")
    on("2026-03-05", "api A2 dropped", {P2: api([b1, b2, b3], "published")}, "Dee Ray")
    return repo


def stats(bpm: Bpm, *args: str, cwd: Path | None = None) -> list[dict[str, Any]]:
    ran = bpm("report", "stats", "--as-of", "2026-03-31", "--format", "json", *args, cwd=cwd)
    assert ran.exit_code == 0, ran.stderr
    rows: list[dict[str, Any]] = json.loads(ran.stdout)
    return rows


ZERO = {
    "postmortems_started": 0,
    "published": 0,
    "published_on_time": 0,
    "median_days_to_publish": None,
    "actions_added": 0,
    "actions_done": 0,
    "actions_dropped": 0,
    "actions_vanished": 0,
    "median_days_to_close": None,
    "closed_by_original_due": None,
    "postponements": 0,
    "open_at_end": 0,
    "overdue_at_end": 0,
    "prevent_share": None,
}


def test_every_number_of_a_known_history(bpm: Bpm, story: Repo) -> None:
    assert stats(bpm) == [
        {
            **ZERO,
            "period": "2026-01",
            "postmortems_started": 1,
            "actions_added": 2,
            "postponements": 1,  # A1 pushed from 01-20 to 02-01 while open
            "open_at_end": 2,
            "overdue_at_end": 1,  # A2, due 01-25
            "prevent_share": 0.5,
        },
        {
            **ZERO,
            "period": "2026-02",
            "postmortems_started": 1,
            "published": 2,
            "published_on_time": 1,  # api on 02-14 (review_by 02-15); db on 02-03 (01-10)
            "median_days_to_publish": 16.5,  # db 29 days, api 4
            "actions_added": 3,
            "actions_done": 2,
            "actions_vanished": 1,  # db A2, deleted while open
            "median_days_to_close": 16.5,  # db A1 26 days, api A1 7
            "closed_by_original_due": 0.5,  # api A1 by 02-20; db A1 after its first due
            "open_at_end": 2,
            "prevent_share": 0.3333,
        },
        {
            **ZERO,
            "period": "2026-03",
            "actions_dropped": 1,
            "open_at_end": 1,
            "overdue_at_end": 1,  # api A3, due 03-10
        },
    ]


def test_quarters_years_since_and_a_later_as_of(bpm: Bpm, story: Repo) -> None:
    (quarter,) = stats(bpm, "--by", "quarter")
    assert quarter["period"] == "2026-Q1"
    assert (quarter["actions_added"], quarter["actions_done"], quarter["published"]) == (5, 2, 2)
    assert quarter["median_days_to_close"] == 16.5
    assert [row["period"] for row in stats(bpm, "--by", "year")] == ["2026"]
    assert [row["period"] for row in stats(bpm, "--since", "2026-02-15")] == ["2026-02", "2026-03"]
    ran = bpm("report", "stats", "--as-of", "2026-05-02", "-f", "json")
    rows = json.loads(ran.stdout)
    assert [row["period"] for row in rows] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    assert rows[-1] == {**ZERO, "period": "2026-05", "open_at_end": 1, "overdue_at_end": 1}


def test_events_after_as_of_are_not_counted(bpm: Bpm, story: Repo) -> None:
    ran = bpm("report", "stats", "--as-of", "2026-02-10", "-f", "json")
    rows = json.loads(ran.stdout)
    assert [row["period"] for row in rows] == ["2026-01", "2026-02"]
    # db published 02-03 counts; api (started 02-10, committed 02-11) not yet
    assert (rows[1]["published"], rows[1]["postmortems_started"], rows[1]["actions_added"]) == (
        1,
        1,
        0,
    )
    assert (rows[1]["open_at_end"], rows[1]["overdue_at_end"]) == (0, 0)


def test_group_by(bpm: Bpm, story: Repo) -> None:
    by_severity = stats(bpm, "--group-by", "severity")
    assert [(r["period"], r["group"]) for r in by_severity] == [
        ("2026-01", "SEV2"),
        ("2026-02", "SEV1"),
        ("2026-02", "SEV2"),
        ("2026-03", "SEV1"),
    ]
    totals = {row["period"]: row for row in stats(bpm)}
    for key in ("actions_added", "actions_done", "actions_vanished", "open_at_end"):
        for period, row in totals.items():
            assert sum(r[key] for r in by_severity if r["period"] == period) == row[key]
    by_service = {(r["period"], r["group"]): r for r in stats(bpm, "--group-by", "service")}
    assert by_service["2026-02", "api"]["actions_added"] == 3
    assert by_service["2026-02", "db"]["actions_added"] == 3  # api's postmortem names db too
    by_owner = {(r["period"], r["group"]): r for r in stats(bpm, "--group-by", "owner")}
    assert by_owner["2026-01", "bob"]["actions_added"] == 1
    assert by_owner["2026-01", "cy"]["overdue_at_end"] == 1
    assert by_owner["2026-03", "dee"]["overdue_at_end"] == 1
    assert by_owner["2026-02", "ana"]["published"] == 2  # postmortems count for the facilitator


def test_table_and_csv(bpm: Bpm, story: Repo) -> None:
    ran = bpm("report", "stats", "--as-of", "2026-03-31", "-f", "csv")
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("period,postmortems_started,published,published_on_time,")
    assert lines[1].startswith("2026-01,1,0,0,,2,0,0,0,,,1,2,1,0.5")
    ran = bpm("report", "stats", "--as-of", "2026-03-31", "--group-by", "owner", "-f", "csv")
    assert ran.stdout.startswith("period,group,postmortems_started")
    table = bpm("report", "stats", "--as-of", "2026-03-31")
    assert table.exit_code == 0 and "2026-02" in table.stdout and "\x1b" not in table.stdout


def test_the_main_line_on_a_period_end(bpm: Bpm, story: Repo) -> None:
    """Work on a side branch counts from the day it is merged, as `report overdue --rev`."""
    story.git("checkout", "-q", "-b", "topic", "HEAD~3")  # before api's A1 was done
    late = action("A1", "2026-01-02", "eve", "detect")
    queue = pm("2026-01-29-queue", "2026-01-29", "2026-02-03", "SEV3", "[queue]", [late])
    story.commit("queue", {P3: queue}, date="2026-02-12T09:00:00+00:00")
    story.git("checkout", "-q", "main")
    story.commit("more", {P2: api([], "published")}, date="2026-03-20T09:00:00+00:00")
    when = "2026-04-02T09:00:00+00:00"
    who = {"GIT_AUTHOR_NAME": "Ana Okafor", "GIT_AUTHOR_EMAIL": "ana@example.com"}
    who |= {"GIT_COMMITTER_NAME": "Ana Okafor", "GIT_COMMITTER_EMAIL": "ana@example.com"}
    env = {**who, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    git(story.path, "merge", "-q", "--no-ff", "-m", "merge topic", "topic", env=env)
    rows = {
        r["period"]: r
        for r in json.loads(bpm("report", "stats", "--as-of", "2026-04-30", "-f", "json").stdout)
    }
    assert rows["2026-02"]["overdue_at_end"] == 0  # the branch was not merged yet
    assert rows["2026-03"]["open_at_end"] == 0  # api's actions were removed on 03-20
    assert rows["2026-04"]["overdue_at_end"] == 1
    assert rows["2026-02"]["actions_added"] == 4  # the branch commit's own date
    for period, end in (("2026-02", "2026-02-28"), ("2026-04", "2026-04-30")):
        assert rows[period]["overdue_at_end"] == len(overdue_at(bpm, story.path, end))


def main_line_commit(repo: Path, day: str) -> str:
    """The first commit walking back the first-parent line with an author date <= day."""
    log = subprocess.run(
        ["git", "log", "--first-parent", "--format=%H %ad", "--date=short"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return next(line.split()[0] for line in log.splitlines() if line.split()[1] <= day)


def overdue_at(bpm: Bpm, repo: Path, day: str) -> list[dict[str, Any]]:
    commit = main_line_commit(repo, day)
    ran = bpm("report", "overdue", "--rev", commit, "--as-of", day, "-f", "json", cwd=repo)
    assert ran.exit_code == 0, ran.stderr
    rows: list[dict[str, Any]] = json.loads(ran.stdout)
    return rows


def test_agrees_with_overdue_and_vanished_on_a_corpus(
    bpm: Bpm, corpus_factory: Callable[[int], tuple[Path, Path]]
) -> None:
    corpus, truth_file = corpus_factory(300)
    truth = json.loads(truth_file.read_text())
    env = {"BPM_NOW": f"{truth['as_of']}T12:00:00Z"}
    ran = bpm("report", "stats", "--as-of", truth["as_of"], "-f", "json", cwd=corpus, env=env)
    assert ran.exit_code == 0, ran.stderr
    rows = json.loads(ran.stdout)
    assert rows[-1]["overdue_at_end"] == len(truth["overdue"])
    assert sum(row["actions_vanished"] for row in rows) == len(truth["vanished"])
    vanished = json.loads(bpm("report", "vanished", "-f", "json", cwd=corpus, env=env).stdout)
    by_month: dict[str, int] = {}
    for row in vanished:
        by_month[row["removed_at"][:7]] = by_month.get(row["removed_at"][:7], 0) + 1
    assert {r["period"]: r["actions_vanished"] for r in rows if r["actions_vanished"]} == by_month
    for row in rows[5::9]:  # every ninth month-end, against the command users would run
        end = min(
            dt.date(
                int(row["period"][:4]) + int(row["period"][5:]) // 12,
                int(row["period"][5:]) % 12 + 1,
                1,
            )
            - dt.timedelta(days=1),
            dt.date.fromisoformat(truth["as_of"]),
        ).isoformat()
        assert row["overdue_at_end"] == len(overdue_at(bpm, corpus, end)), row["period"]
    cached = bpm("report", "stats", "--as-of", truth["as_of"], "-f", "json", cwd=corpus, env=env)
    assert json.loads(cached.stdout) == rows
    cold = bpm(
        "report",
        "stats",
        "--as-of",
        truth["as_of"],
        "-f",
        "json",
        "--no-cache",
        cwd=corpus,
        env=env,
    )
    assert json.loads(cold.stdout) == rows


def test_the_caches_follow_new_commits_and_survive_corruption(bpm: Bpm, story: Repo) -> None:
    first = stats(bpm)
    folder = story.path / ".git" / "bpm"
    assert (folder / "mainline.json").is_file()
    c3 = action("A9", "2026-03-02", "fay", "prevent")
    story.commit(
        "db A9",
        {P1: db([action("A1", "2026-02-01", "bob", "prevent", "done"), c3], "published")},
        date="2026-03-01T09:00:00+00:00",
    )
    after = stats(bpm)
    assert after[2]["actions_added"] == 1 and after[2]["overdue_at_end"] == 2
    assert after[:2] == first[:2]
    stored = json.loads((folder / "stats.json").read_text())
    (key,) = stored["answers"]
    stored["answers"][key][0]["actions_added"] = 99  # a planted answer proves the cache is read
    (folder / "stats.json").write_text(json.dumps(stored))
    assert stats(bpm)[0]["actions_added"] == 99
    assert stats(bpm, "--no-cache") == after
    for name in ("mainline.json", "history.json", "stats.json"):
        (folder / name).write_text("{not json")
    assert stats(bpm) == after


def test_refusals(bpm: Bpm, story: Repo, make_repo: Callable[..., Repo], tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    (plain / "postmortems").mkdir(parents=True)
    ran = bpm("report", "stats", cwd=plain)
    assert (ran.exit_code, ran.stderr) == (2, "error: not inside a git repository\n")
    empty = make_repo("empty")
    ran = bpm("report", "stats", cwd=empty.path)
    assert ran.exit_code == 1
    assert (
        ran.stderr == "error: no history yet: commit the postmortems first (git add, git commit)\n"
    )
    nothing = make_repo("nothing")
    nothing.commit("readme", {"README.md": "# Hello\n"})
    ran = bpm("report", "stats", cwd=nothing.path)
    assert ran.exit_code == 1
    assert ran.stderr == "error: no postmortems under postmortems/ at HEAD: nothing to count yet\n"
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{story.path}", str(clone)], check=True
    )
    ran = bpm("report", "stats", cwd=clone)
    assert ran.exit_code == 1
    assert ran.stderr.startswith("error: shallow clone: follow-through needs the whole history")
    ran = bpm("report", "stats", "--by", "week")
    assert ran.exit_code == 2 and "week" in ran.stderr
    ran = bpm("report", "stats", "--as-of", "2026-02-30")
    assert (ran.exit_code, ran.stderr) == (
        2,
        "error: --as-of '2026-02-30' is not a date (YYYY-MM-DD)\n",
    )
