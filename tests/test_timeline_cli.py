"""`bpm timeline add|show|import` through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Ran, Repo, read_only, snapshot

Bpm = Callable[..., Ran]
PM = "postmortems/2026/2026-11-20-checkout-outage.md"


@pytest.fixture
def pm(bpm: Bpm, repo: Repo) -> Path:
    ran = bpm("new", "incident", "Checkout outage", "--started", "2026-11-20 14:03")
    assert ran.exit_code == 0
    return repo.path / PM


def table_lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.startswith("| 2026")]


def test_the_issue_example(bpm: Bpm, pm: Path) -> None:
    before = pm.read_text()
    ran = bpm(
        "timeline",
        "add",
        "2026-11-20-checkout",
        "--time",
        "14:03",
        "--actor",
        "deploy-bot",
        "--event",
        "Pushed config v42 to all regions",
        "--outcome",
        "Checkout errors rose to 30%",
        "--expected",
        "A canary region first",
        "--assumed",
        "The new key was optional",
    )
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == f"{PM}: added 2026-11-20 14:03 deploy-bot\n"
    row = (
        "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 to all regions | "
        "Checkout errors rose to 30% | A canary region first | The new key was optional |\n"
    )
    rule = "|---|---|---|---|---|---|\n"
    assert pm.read_text() == before.replace(rule, rule + row)


def test_now_and_the_newest_draft(bpm: Bpm, repo: Repo, pm: Path) -> None:
    bpm("new", "incident", "Older", "--started", "2026-10-01 10:00")
    ran = bpm("timeline", "add", "--time", "now", "--actor", "alice", "--event", "Paged payments")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stderr == f"using {PM} (the newest draft)\n"
    assert table_lines(pm) == ["| 2026-11-23 09:30 | alice | Paged payments |  |  |  |"]


def test_no_draft_to_default_to(bpm: Bpm, repo: Repo) -> None:
    ran = bpm("timeline", "add", "--actor", "a", "--event", "b")
    assert ran.exit_code == 2
    assert ran.stderr == (
        "error: no postmortem with status 'draft' in postmortems; "
        "name one (an id, a prefix or a path)\n"
    )


def test_event_from_standard_input(bpm: Bpm, pm: Path) -> None:
    ran = bpm(
        "timeline",
        "add",
        PM,
        "--time",
        "14:10",
        "--actor",
        "ci",
        "--event",
        "-",
        input="$ kubectl get pods\nNAME | READY\n",
    )
    assert ran.exit_code == 0, ran.stderr
    assert table_lines(pm) == [
        "| 2026-11-20 14:10 | ci | $ kubectl get pods<br>NAME \\| READY |  |  |  |"
    ]
    shown = json.loads(bpm("timeline", "show", PM, "--format", "json").stdout)
    assert shown[0]["event"] == "$ kubectl get pods\nNAME | READY"


def test_two_fields_from_stdin_is_a_usage_error(bpm: Bpm, pm: Path) -> None:
    ran = bpm("timeline", "add", PM, "--actor", "a", "--event", "-", "--outcome", "-", input="x")
    assert ran.exit_code == 2
    assert "only one option can read standard input" in ran.stderr


def test_rows_go_in_time_order_and_date_moves_to_another_day(bpm: Bpm, pm: Path) -> None:
    for time, actor in (("14:30", "b"), ("14:10", "a"), ("14:30", "c")):
        assert (
            bpm("timeline", "add", PM, "--time", time, "--actor", actor, "--event", "x").exit_code
            == 0
        )
    assert (
        bpm(
            "timeline",
            "add",
            PM,
            "--time",
            "01:00",
            "--date",
            "2026-11-21",
            "--actor",
            "d",
            "--event",
            "x",
        ).exit_code
        == 0
    )
    assert [line.split(" | ")[1] for line in table_lines(pm)] == ["a", "b", "c", "d"]


def test_show_formats(bpm: Bpm, pm: Path) -> None:
    bpm(
        "timeline",
        "add",
        PM,
        "--time",
        "14:10",
        "--actor",
        "ci",
        "--event",
        "Deploy | v2",
        "--outcome",
        "ok",
    )
    assert json.loads(bpm("timeline", "show", PM, "-f", "json").stdout) == [
        {
            "time": "2026-11-20 14:10",
            "actor": "ci",
            "event": "Deploy | v2",
            "outcome": "ok",
            "expected": "",
            "assumed": "",
        }
    ]
    assert bpm("timeline", "show", PM, "-f", "csv").stdout == (
        "time,actor,event,outcome,expected,assumed\n2026-11-20 14:10,ci,Deploy | v2,ok,,\n"
    )
    assert bpm("timeline", "show", PM, "-f", "markdown").stdout == (
        "| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |\n"
        "|---|---|---|---|---|---|\n| 2026-11-20 14:10 | ci | Deploy \\| v2 | ok |  |  |\n"
    )
    table = bpm("timeline", "show", PM).stdout
    assert "Deploy | v2" in table and "Time (UTC)" in table


def test_import_csv_in_one_write(bpm: Bpm, repo: Repo, pm: Path) -> None:
    events = repo.write(
        "events.csv",
        "time,actor,event,outcome,expected,assumed\n"
        '14:20,bob,"Rolled back, slowly",ok,,\n14:05,alice,Paged,,"a quick ack",\n',
    )
    ran = bpm("timeline", "import", "2026-11-20-checkout", str(events))
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout == f"{PM}: added 2 rows\n"
    assert table_lines(pm) == [
        "| 2026-11-20 14:05 | alice | Paged |  | a quick ack |  |",
        "| 2026-11-20 14:20 | bob | Rolled back, slowly | ok |  |  |",
    ]


def test_import_json_lines_from_stdin(bpm: Bpm, pm: Path) -> None:
    lines = [
        {"time": "2026-11-20 15:00", "actor": "a", "event": "one"},
        {"time": "14:30", "actor": "b", "event": "two", "assumed": "it was safe"},
    ]
    ran = bpm("timeline", "import", PM, "-", input="\n".join(json.dumps(x) for x in lines) + "\n")
    assert ran.exit_code == 0, ran.stderr
    assert [line.split(" | ")[1] for line in table_lines(pm)] == ["b", "a"]


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("time,actor,event\n14:10,a,ok\n14:11,,no actor\n", 3, "actor must not be empty"),
        ("time,actor,event\n14:10,a,ok\nsoon,b,x\n", 3, "cannot read 'soon' as a time"),
        (
            "time,actor,event\n14:10,a,ok\n\n13:00,b,before start\n",
            4,
            "before the incident started",
        ),
        ("time,who,event\n14:10,a,ok\n", 1, "the header must name columns"),
        ('time,actor,event\n14:10,a,"unclosed\n', 2, "not valid CSV"),
        ("time,actor,event\n14:10,a,b,c\n", 2, "4 cells but the header has 3"),
        ('{"time": "14:10", "actor": "a", "event": "ok"}\n{"time": 3}\n', 2, "must be a string"),
        ('{"time": "14:10", "actor": "a", "event": "ok"}\n{oops\n', 2, "not valid JSON"),
        ("", None, "is empty"),
    ],
)
def test_import_refuses_the_whole_file(
    bpm: Bpm, repo: Repo, pm: Path, content: str, line: int | None, words: str
) -> None:
    name = "events.jsonl" if content.startswith("{") else "events.csv"
    repo.write(name, content)
    before = snapshot(repo.path)
    ran = bpm("timeline", "import", PM, name)
    assert ran.exit_code == 1, ran.stderr
    where = name if line is None else f"{name}:{line}"
    assert ran.stderr.startswith(f"error: {where}: ") and words in ran.stderr, ran.stderr
    assert ran.stderr.count("\n") == 1
    assert snapshot(repo.path) == before


# -- bad input: one line naming file and line, documented exit code, file untouched ----------


def assert_refused(bpm: Bpm, repo: Repo, args: list[str], code: int, message: str) -> None:
    before = snapshot(repo.path)
    ran = bpm(*args)
    assert ran.exit_code == code, (ran.stdout, ran.stderr)
    assert ran.stderr.startswith(message), ran.stderr
    assert ran.stderr.count("\n") == 1 and "Traceback" not in ran.stderr
    assert snapshot(repo.path) == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--time", "teatime", "--actor", "a", "--event", "b"], 2, "error: cannot read 'teatime'"),
        (["--time", "14:10", "--actor", "  ", "--event", "b"], 2, "error: actor must not be empty"),
        (["--time", "14:10", "--actor", "a"], 2, "error: event must not be empty"),
        (
            ["--time", "14:10", "--actor", "a", "--event", "bell\x07"],
            2,
            "error: event holds the control character U+0007",
        ),
        (
            ["--date", "2026-02-30", "--time", "10:00", "--actor", "a", "--event", "b"],
            2,
            "error: --date '2026-02-30' is not a date",
        ),
    ],
)
def test_bad_arguments(
    bpm: Bpm, repo: Repo, pm: Path, args: list[str], code: int, message: str
) -> None:
    assert_refused(bpm, repo, ["timeline", "add", PM, *args], code, message)


def test_ids_that_match_nothing_or_several(bpm: Bpm, repo: Repo, pm: Path) -> None:
    bpm("new", "incident", "Checkout again", "--started", "2026-11-20 18:00")
    args = ["--actor", "a", "--event", "b"]
    assert_refused(
        bpm, repo, ["timeline", "add", "2027", *args], 2, "error: no postmortem matches '2027'"
    )
    assert_refused(
        bpm,
        repo,
        ["timeline", "add", "2026-11-20-checkout", *args],
        2,
        "error: '2026-11-20-checkout' matches 2 postmortems",
    )


def test_a_file_without_front_matter(bpm: Bpm, repo: Repo) -> None:
    repo.write("postmortems/2026/2026-01-01-plain.md", "# Plain\n\n## Timeline\n")
    assert_refused(
        bpm,
        repo,
        ["timeline", "add", "2026-01-01-plain", "--actor", "a", "--event", "b"],
        1,
        "error: postmortems/2026/2026-01-01-plain.md:1: no front matter",
    )


def test_a_hand_written_table_with_wrong_columns(bpm: Bpm, repo: Repo) -> None:
    repo.write(
        "postmortems/2026/2026-01-01-odd.md",
        "---\ntitle: Odd\nstarted: 2026-01-01T10:00:00Z\n---\n# Odd\n\n## Timeline\n\n"
        "| When | What |\n|---|---|\n| 10:00 | x |\n",
    )
    message = (
        "error: postmortems/2026/2026-01-01-odd.md:9: timeline table has the columns When | What"
    )
    assert_refused(
        bpm, repo, ["timeline", "add", "2026-01-01-odd", "--actor", "a", "--event", "b"], 1, message
    )
    assert_refused(bpm, repo, ["timeline", "show", "2026-01-01-odd"], 1, message)


def test_a_write_that_fails_leaves_the_file_intact(bpm: Bpm, repo: Repo, pm: Path) -> None:
    before = snapshot(repo.path)
    with read_only(pm.parent):
        ran = bpm("timeline", "add", PM, "--time", "14:10", "--actor", "a", "--event", "b")
    assert ran.exit_code == 1
    assert ran.stderr == f"error: {PM}: cannot write: permission denied; the file was not changed\n"
    assert snapshot(repo.path) == before


def test_crlf_file_keeps_its_line_endings(bpm: Bpm, pm: Path) -> None:
    crlf = pm.read_bytes().replace(b"\n", b"\r\n")
    pm.write_bytes(crlf)
    assert (
        bpm("timeline", "add", PM, "--time", "14:10", "--actor", "a", "--event", "b").exit_code == 0
    )
    rule = b"|---|---|---|---|---|---|\r\n"
    assert pm.read_bytes() == crlf.replace(
        rule, rule + b"| 2026-11-20 14:10 | a | b |  |  |  |\r\n"
    )


def test_concurrent_adds_all_land(repo: Repo, pm: Path) -> None:
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bpmcli",
                "timeline",
                "add",
                PM,
                "--time",
                f"14:{10 + i}",
                "--actor",
                f"p{i}",
                "--event",
                "at once",
            ],
            cwd=repo.path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(4)
    ]
    assert [p.wait() for p in procs] == [0, 0, 0, 0]
    assert [line.split(" | ")[1] for line in table_lines(pm)] == ["p0", "p1", "p2", "p3"]
