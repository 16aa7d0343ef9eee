"""Long output through a pager when standard output is a terminal, as git does.

bpm runs as a process with its stdout on a pseudo-terminal; the pager is a script of this
file's making that keeps what it was given (and its LESS) in a file.
"""

from __future__ import annotations

import io
import shlex
import sys
from pathlib import Path

import pytest

from bpmcli.output.pager import Held
from cli.terminal import run
from conftest import Repo, act, pm_text

RECORDER = """
import os, sys
data = sys.stdin.buffer.read()
with open(sys.argv[1], "wb") as out:
    out.write(data)
with open(sys.argv[1] + ".env", "w") as out:
    out.write(os.environ.get("LESS", "(unset)") + " " + os.environ.get("LV", "(unset)"))
"""

# Reads one line and leaves, as `q` in less does: bpm's next write meets a closed pipe.
QUITTER = "import sys\nsys.stdin.readline()\n"


def _pager(tmp_path: Path, script: str = RECORDER) -> tuple[str, Path]:
    """BPM_PAGER's value for a Python pager script, and the file it records into."""
    path = tmp_path / "pager.py"
    path.write_text(script)
    record = tmp_path / "paged.txt"
    return (
        f"{shlex.quote(sys.executable)} {shlex.quote(str(path))} {shlex.quote(str(record))}",
        record,
    )


def _postmortems(repo: Repo, count: int, title: str = "") -> None:
    for n in range(count):
        pm_id = f"2026-03-{n % 28 + 1:02d}-incident-{n:03d}"
        text = pm_text(pm_id, [act("A1", "2026-04-01")])
        if title:
            text = text.replace(f"title: {pm_id}", f"title: {title} {n}")
        repo.write(f"postmortems/2026/{pm_id}.md", text)


def test_long_output_goes_whole_to_the_pager(repo: Repo, tmp_path: Path) -> None:
    _postmortems(repo, 40)  # 40 rows and the heading: more than 24 rows
    pager, record = _pager(tmp_path)
    paged = run("list", cwd=repo.path, env={"BPM_PAGER": pager})
    assert paged.code == 0 and paged.stderr == ""
    assert paged.stdout == ""  # the terminal got nothing but what the pager shows
    direct = run("--no-pager", "list", cwd=repo.path, env={"BPM_PAGER": pager})
    assert direct.stdout.count("SEV2") == 40
    assert record.read_text() == direct.stdout  # all of it, as the terminal would have had it
    assert (tmp_path / "paged.txt.env").read_text() == "FRX -c"  # git's defaults for less


def test_pager_comes_from_pager_when_bpm_pager_is_unset(repo: Repo, tmp_path: Path) -> None:
    _postmortems(repo, 40)
    pager, record = _pager(tmp_path)
    ran = run("list", cwd=repo.path, env={"PAGER": pager, "LESS": "S"})
    assert ran.code == 0 and record.read_text().count("SEV2") == 40
    assert (tmp_path / "paged.txt.env").read_text() == "S -c"  # the user's LESS is kept


PAGER = "the recording pager"


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["list"], {"BPM_PAGER": "", "PAGER": PAGER}),  # empty: none, even with PAGER set
        (["list"], {"BPM_PAGER": "cat", "PAGER": PAGER}),
        (["list"], {"PAGER": ""}),
        (["--no-pager", "list"], {"BPM_PAGER": PAGER}),
        (["list"], {"TERM": "dumb"}),  # no pager named: not less on a dumb terminal
    ],
    ids=["empty", "cat", "pager-empty", "no-pager", "dumb"],
)
def test_no_pager_when_told(
    repo: Repo, tmp_path: Path, args: list[str], env: dict[str, str]
) -> None:
    _postmortems(repo, 40)
    pager, record = _pager(tmp_path)
    ran = run(*args, cwd=repo.path, env={k: pager if v == PAGER else v for k, v in env.items()})
    assert ran.code == 0 and ran.stderr == ""
    assert not record.exists()
    assert ran.stdout.count("SEV2") == 40


def test_piped_output_never_pages(repo: Repo, tmp_path: Path) -> None:
    _postmortems(repo, 40)
    pager, record = _pager(tmp_path)
    ran = run("list", cwd=repo.path, env={"BPM_PAGER": pager}, stdout_tty=False)
    assert ran.code == 0 and ran.stdout.count("SEV2") == 40
    assert not record.exists()


def test_output_that_fits_is_not_paged(repo: Repo, tmp_path: Path) -> None:
    _postmortems(repo, 3)
    pager, record = _pager(tmp_path)
    ran = run("list", cwd=repo.path, env={"BPM_PAGER": pager})
    assert ran.code == 0 and ran.stdout.count("SEV2") == 3
    assert not record.exists()


def test_lines_the_terminal_wraps_count_as_rows(repo: Repo, tmp_path: Path) -> None:
    # 8 postmortems fit in 24 rows at 200 columns, not at 40: their titles wrap.
    _postmortems(repo, 8, title="A title long enough to wrap at forty columns " * 2)
    pager, record = _pager(tmp_path)
    wide = run("list", cwd=repo.path, env={"BPM_PAGER": pager}, size=(24, 200))
    assert wide.stdout.count("SEV2") == 8 and not record.exists()
    narrow = run("list", cwd=repo.path, env={"BPM_PAGER": pager}, size=(24, 40))
    assert narrow.stdout == "" and record.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["report", "overdue", "--no-history"],
        ["action", "list"],
        ["show", "2026-03-01-incident-000"],
    ],
    ids=["report-overdue", "action-list", "show"],
)
def test_the_report_commands_page(repo: Repo, tmp_path: Path, args: list[str]) -> None:
    _postmortems(repo, 40)
    if args[0] == "show":  # one postmortem with many actions: a long summary
        many = [act(f"A{n}", "2026-04-01") for n in range(1, 40)]
        repo.write(
            "postmortems/2026/2026-03-01-incident-000.md",
            pm_text("2026-03-01-incident-000", many),
        )
    pager, record = _pager(tmp_path)
    ran = run(*args, cwd=repo.path, env={"BPM_PAGER": pager})
    assert ran.code == 0, ran.stderr
    assert ran.stdout == "" and record.read_text().count("\n") > 24


def test_a_missing_pager_is_a_warning_and_the_output_is_written(repo: Repo) -> None:
    _postmortems(repo, 40)
    ran = run("list", cwd=repo.path, env={"BPM_PAGER": "no-such-pager-here"})
    assert ran.code == 0
    assert ran.stdout.count("SEV2") == 40
    assert ran.stderr == (
        "warning: cannot run the pager 'no-such-pager-here': No such file or directory\n"
    )


def test_a_pager_quit_early_ends_bpm_quietly(repo: Repo, tmp_path: Path) -> None:
    # Far more than a pipe holds, in one write: the write is under way when the pager leaves.
    _postmortems(repo, 300, title="x" * 1000)
    pager, _ = _pager(tmp_path, QUITTER)
    ran = run("list", "--format", "json", cwd=repo.path, env={"BPM_PAGER": pager})
    assert (ran.code, ran.stderr, ran.stdout) == (0, "", "")


def test_the_exit_code_survives_the_pager(repo: Repo, tmp_path: Path) -> None:
    _postmortems(repo, 40)
    pager, record = _pager(tmp_path)
    ran = run(
        "report",
        "overdue",
        "--no-history",
        "--fail-on-overdue",
        cwd=repo.path,
        env={"BPM_PAGER": pager},
    )
    assert ran.code == 1 and record.read_text().count("2026-04-01") == 40


# What a terminal of 80 columns shows, in rows: escapes take none, wide characters two
# cells, tabs reach the next multiple of 8, a line of exactly 80 cells one row.
ROWS = [
    ("", 0),
    ("abc", 1),
    ("abc\n", 1),
    ("a\nb\n", 2),
    ("\n\n", 2),
    ("x" * 80 + "\n", 1),
    ("x" * 81 + "\n", 2),
    ("\x1b[1m" + "x" * 80 + "\x1b[0m\n", 1),
    ("\x1b]8;;https://example.com\x1b\\" + "x" * 80 + "\x1b]8;;\x1b\\\n", 1),
    ("日本" * 20 + "\n", 1),
    ("日本" * 21 + "\n", 2),
    ("\t" * 10 + "\n", 1),
    ("\t" * 11 + "\n", 2),
]


@pytest.mark.parametrize(("text", "rows"), ROWS)
def test_rows_are_counted_as_the_terminal_wraps(text: str, rows: int) -> None:
    held = Held(io.StringIO(), "unused", columns=80, lines=1000)
    for piece in (text[: len(text) // 2], text[len(text) // 2 :]):  # split writes too
        held.write(piece)
    assert held.rows == rows
