"""Tables for people at fixed widths (#17): nothing cut, nothing wider than the terminal.

Each command runs through the real CLI with COLUMNS set, on a repository of long ids,
titles, owner names and paths. A line may be wider than the width only when it holds one
whole value that is by itself wider than the room a stacked block gives it (a 40-character
commit at 40 columns): cutting it is what the layout never does.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

from bpmcli.output import layout
from conftest import Ran, Repo

Bpm = Callable[..., Ran]

LEDGER = "2026-01-05-payments-ledger-drift-eu"  # 35: fits under its key at 40 columns
BATCH = "2026-02-10-nightly-batch-stalled"
OWNER = "Maximiliana Featherstonehaugh-Oyelaran"  # 38
TITLE = "Payments ledger drifted from the card processor after a partial replay in eu-west"
HEADER = "| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |"


def _postmortem(pm_id: str, title: str, started: str, actions: list[dict[str, str]]) -> str:
    lines = [
        "---",
        f"id: {pm_id}",
        f'title: "{title}"',
        "kind: incident",
        "status: draft",
        "severity: SEV2",
        f"started: {started}T10:00:00Z",
        f"review_by: {started[:8]}20",
        "actions:",
    ]
    for action in actions:
        lines.append(f"  - id: {action['id']}")
        lines += [f"    {key}: {value}" for key, value in action.items() if key != "id"]
    body = [
        "---",
        f"# {title}",
        "",
        "## Summary",
        "",
        "The ledger drifted.",
        "",
        "## Timeline",
        "",
        HEADER,
        "|---|---|---|---|---|---|",
        f"| {started} 10:02 | replay-controller-eu-west-1 | Replayed the partial batch of "
        "card settlements from the dead-letter queue | Ledger totals drifted by 0.3% "
        "| Idempotent replay | The dedup key covered retries |",
        f"| {started} 10:40 | {OWNER} | Froze the ledger writer | Drift stopped |  |  |",
        "",
    ]
    return "\n".join([*lines, *body]) + "\n"


def _action(action_id: str, text: str, owner: str, due: str, **extra: str) -> dict[str, str]:
    return {
        "id": action_id,
        "action": text,
        "owner": f'"{owner}"',
        "due": due,
        "kind": "prevent",
        "status": "open",
        **extra,
    }


LEDGER_ACTIONS = [
    _action(
        "A1",
        "Make the settlement replay idempotent by keying on the processor's reference",
        OWNER,
        "2026-02-01",
        ticket="PAYMENTS-20417",
    ),
    _action("A2", "Alert on ledger drift above 0.1%", "bob", "2026-03-01"),
]
BATCH_ACTIONS = [
    _action(
        "A1", "Give the nightly batch a watchdog that pages after 30 minutes", OWNER, "2026-04-01"
    ),
]
LEDGER_PATH = f"postmortems/2026/{LEDGER}.md"
BATCH_PATH = f"postmortems/2026/{BATCH}.md"


@pytest.fixture
def wide(repo: Repo) -> Repo:
    """Two postmortems with history: an action added by one commit, removed by another."""
    gone = _action("A3", "Retire the old ledger exporter", "carol", "2026-02-15")
    repo.commit(
        "ledger postmortem",
        {LEDGER_PATH: _postmortem(LEDGER, TITLE, "2026-01-05", [*LEDGER_ACTIONS, gone])},
        author="Bob Chen",
        date="2026-01-06T09:00:00+00:00",
    )
    repo.commit(
        "drop A3",
        {LEDGER_PATH: _postmortem(LEDGER, TITLE, "2026-01-05", LEDGER_ACTIONS)},
        author="Carol Díaz",
        date="2026-01-20T09:00:00+00:00",
    )
    repo.commit(
        "batch postmortem",
        {BATCH_PATH: _postmortem(BATCH, "Nightly batch stalled", "2026-02-10", BATCH_ACTIONS)},
        author=OWNER,
        date="2026-02-11T09:00:00+00:00",
    )
    return repo


STATS = ["report", "stats", "--since", "2026-01-01", "--as-of", "2026-09-30", "--by", "quarter"]

# (command, width, layout): what a user sees; "table" has the rule under its headings.
CASES = [
    (["list"], 40, "stacked"),
    (["list"], 80, "stacked"),
    (["list"], 120, "table"),
    (["action", "list"], 40, "stacked"),
    (["action", "list"], 80, "stacked"),
    (["action", "list"], 160, "table"),
    (["report", "overdue"], 40, "stacked"),
    (["report", "overdue"], 80, "stacked"),
    (["report", "overdue"], 160, "table"),
    (["report", "vanished"], 80, "stacked"),
    (["report", "vanished"], 200, "table"),
    (STATS, 40, "stacked"),
    (STATS, 60, "transposed"),
    ([*STATS[:-1], "month"], 80, "stacked"),
    ([*STATS[:-1], "month"], 120, "transposed"),
    (STATS, 80, "transposed"),
    (STATS, 240, "table"),
    ([*STATS, "--group-by", "owner"], 80, "stacked"),
    ([*STATS, "--group-by", "owner"], 240, "table"),
    (["report", "sla"], 80, "stacked"),
    (["report", "sla"], 160, "table"),
    (["timeline", "show", LEDGER], 40, "stacked"),
    (["timeline", "show", LEDGER], 80, "stacked"),
    (["timeline", "show", LEDGER], 160, "table"),
    (["show", LEDGER], 40, "stacked"),
    (["show", LEDGER], 80, "stacked"),
    (["show", LEDGER], 120, "table"),
]


ACTIONS = [OWNER, "A1", "A2", "2026-02-01", "2026-03-01"]


def whole_values(command: list[str]) -> list[str]:
    """The values that must each appear whole on one line in `command`'s output."""
    if command[0] == "list":
        return [LEDGER, BATCH, "2026-01-05", "2026-02-10"]
    if command[0] == "show":
        return [LEDGER, LEDGER_PATH, *ACTIONS, "PAYMENTS-20417"]
    if command[0] == "timeline":
        return ["2026-01-05 10:02", "replay-controller-eu-west-1", OWNER]
    if command[:2] == ["report", "vanished"]:
        return [LEDGER, LEDGER_PATH, "A3", "2026-01-20", "Carol Díaz"]
    if command[:2] == ["report", "sla"]:
        return [LEDGER, LEDGER_PATH, "2026-01-20"]
    if command[:2] == ["report", "stats"] and "owner" in command:
        return ["2026-Q1", "bob", "Featherstonehaugh-Oyelaran"]
    if command[:2] == ["report", "stats"] and "month" in command:
        return ["2026-01", "2026-09"]
    if command[:2] == ["report", "stats"]:
        return ["2026-Q1", "2026-Q2", "2026-Q3"]
    if command[:2] == ["report", "overdue"]:
        return [LEDGER, BATCH, *ACTIONS, "PAYMENTS-20417", "Bob Chen"]
    return [LEDGER, BATCH, *ACTIONS]


def layout_seen(lines: list[str], command: list[str]) -> str:
    ruled = [n for n, line in enumerate(lines) if line and set(line) == {"─"}]
    if not ruled:
        return "stacked"
    return "transposed" if lines[ruled[0] - 1].startswith("measure") else "table"


def too_wide(line: str, width: int, values: list[str]) -> bool:
    """Wider than `width`, and not a line that is one whole over-long value (with its key)."""
    if cell_len(line) <= width:
        return False
    return not any(
        cell_len(v) > width - layout.STACKED_KEY_MIN
        and re.fullmatch(r"\s*([\w ]+:\s*)?", line.replace(v, ""))
        for v in values
    )


@pytest.mark.parametrize(("command", "width", "expected"), CASES)
def test_a_table_fits_its_width_and_cuts_nothing(
    bpm: Bpm, wide: Repo, command: list[str], width: int, expected: str
) -> None:
    ran = bpm(*command, env={"COLUMNS": str(width)})
    assert ran.exit_code == 0, ran.stderr
    lines = ran.stdout.splitlines()
    values = whole_values(command)
    assert [line for line in lines if too_wide(line, width, values)] == []
    for value in values:
        assert any(value in line for line in lines), value
    assert layout_seen(lines, command) == expected
    assert "…" not in ran.stdout


@pytest.mark.parametrize(
    ("command", "golden"),
    [
        (["list"], "list-80.txt"),
        (["action", "list"], "action-list-80.txt"),
        (["report", "overdue"], "report-overdue-80.txt"),
        (STATS, "report-stats-80.txt"),
    ],
)
def test_golden_renderings_at_80_columns(
    bpm: Bpm, wide: Repo, command: list[str], golden: str
) -> None:
    expected = (Path(__file__).parent / "golden" / golden).read_text(encoding="utf-8")
    assert bpm(*command, env={"COLUMNS": "80"}).stdout == expected


def test_piped_without_columns_is_laid_out_for_80(bpm: Bpm, wide: Repo) -> None:
    ran = bpm("report", "overdue", env={"COLUMNS": None})
    expected = (Path(__file__).parent / "golden" / "report-overdue-80.txt").read_text("utf-8")
    assert ran.stdout == expected


def test_forced_colour_changes_the_style_not_the_layout(bpm: Bpm, wide: Repo) -> None:
    plain = bpm("list", env={"COLUMNS": "120"}).stdout
    coloured = bpm("list", env={"COLUMNS": "120", "FORCE_COLOR": "1"}).stdout
    assert "\x1b[1m" in coloured  # the headings are bold
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_machine_formats_keep_every_column_whatever_the_width(bpm: Bpm, wide: Repo) -> None:
    narrow = bpm("list", "--format", "csv", env={"COLUMNS": "40"}).stdout
    assert narrow == bpm("list", "--format", "csv", env={"COLUMNS": "400"}).stdout
    assert TITLE in narrow


# layout.wrap: (text, width, lines)
WRAPS = [
    ("short", 10, ["short"]),
    ("one two three", 7, ["one two", "three"]),
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),  # a word wider than the column is folded
    ("日本語のタイトル", 6, ["日本語", "のタイ", "トル"]),  # two cells a character
    ("a  b", 10, ["a  b"]),
]


@pytest.mark.parametrize(("text", "width", "lines"), WRAPS)
def test_wrap_breaks_at_spaces_in_cells(text: str, width: int, lines: list[str]) -> None:
    assert layout.wrap(text, width) == lines
    assert all(cell_len(line) <= width for line in lines)


def test_flexible_columns_share_what_is_left_and_whole_ones_keep_their_width() -> None:
    rows = [["2026-01-05-a-long-id", "a title that is long enough to wrap here"]]
    laid = layout.lay_out(["id", "title"], rows, 40, flexible=["title"])
    assert laid.layout == "table"
    assert [line.text for line in laid.lines] == [
        "id                    title",
        "─" * 40,
        "2026-01-05-a-long-id  a title that is",
        "                      long enough to",
        "                      wrap here",
    ]
    assert layout.lay_out(["id", "title"], rows, 30, flexible=["title"]).layout == "stacked"


ITEMS_AT_40 = [f"  {OWNER}", "  (2), bob (1), carol (1)"]  # too wide whole: wraps, name kept
LEAD = "3 overdue actions, 2 owners; most overdue: "
ITEMS = [f"{OWNER} (2)", "bob (1)", "carol (1)"]
# layout.hanging_items: (width, lines): broken between items only, never inside a name
HANGING = [
    (120, [LEAD + ", ".join(ITEMS)]),
    (80, [LEAD.rstrip(), f"  {OWNER} (2), bob (1), carol (1)"]),
    (50, [LEAD.rstrip(), f"  {OWNER} (2),", "  bob (1), carol (1)"]),
    (40, ["3 overdue actions, 2 owners; most", "overdue:", *ITEMS_AT_40]),
]


@pytest.mark.parametrize(("width", "lines"), HANGING)
def test_a_summary_breaks_between_items(width: int, lines: list[str]) -> None:
    assert layout.hanging_items(LEAD, ITEMS, width) == lines


TINY = [["list"], ["action", "list"], ["report", "overdue"], STATS, ["show", LEDGER]]


def _two_gigabytes() -> None:  # a layout that loops grows without end: fail, not swap
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.parametrize("width", [1, 2, 5])
@pytest.mark.parametrize("command", TINY, ids=" ".join)
def test_a_width_too_small_for_anything_still_ends(
    wide: Repo, command: list[str], width: int
) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "bpmcli", *command],
        cwd=wide.path,
        env={**os.environ, "COLUMNS": str(width), "BPM_NOW": "2026-11-23T09:30:00Z"},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_two_gigabytes,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    for value in whole_values(command):
        assert any(value in line for line in ran.stdout.splitlines()), value
