"""The bad-input catalogue of issue #7, through every reading and writing command.

For each file: lint gives findings (never a traceback), show and edits give one line
naming the file and line with a documented exit code, and nothing is ever changed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from conftest import Ran, Repo, snapshot
from lint.base import CLEAN

Bpm = Callable[..., Ran]
PATH = "postmortems/2026/2026-11-20-checkout-outage.md"
BOMB = (
    "---\n"
    + "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 12))
    + "---\n"
)

# name -> (content, expected lint codes with their lines)
UNREADABLE: dict[str, tuple[bytes, list[tuple[str, int]]]] = {
    "empty": (b"", [("BPM001", 1)]),
    "only-dashes": (b"---\n", [("BPM001", 1)]),
    # issue #14: never closed, all of it is body (with no section of the required ones)
    "never-closed": (b"---\ntitle: x\nstatus: draft\n", [("BPM001", 1)] + [("BPM402", 1)] * 6),
    "a-list": (b"---\n- a\n- b\n---\n", [("BPM001", 2)]),
    "a-scalar": (b"---\njust words\n---\n", [("BPM001", 2)]),
    "tabs": (b"---\ntitle: x\n\tstatus: draft\n---\n", [("BPM001", 3)]),
    "not-utf8": (b"---\ntitle: caf\xe9\n---\n", [("BPM001", 2)]),
    "binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), [("BPM001", 1)]),
    "python-tag": (
        b"---\nx: !!python/object/apply:os.system ['touch pwned']\n---\n",
        [("BPM001", 2)],
    ),
    "deep-nesting": (b"---\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n", [("BPM001", 2)]),
}


def write(repo: Repo, content: bytes) -> None:
    repo.write(PATH, content)


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_files_through_every_command(bpm: Bpm, repo: Repo, name: str) -> None:
    content, expected = UNREADABLE[name]
    write(repo, content)
    before = snapshot(repo.path)
    ran = bpm("lint", "--format", "json", "--no-cache")
    assert ran.exit_code == 1 and "Traceback" not in ran.stderr
    assert [(f["code"], f["line"]) for f in json.loads(ran.stdout)] == expected
    line = expected[0][1]
    for args in (
        ["show", PATH],
        ["timeline", "show", PATH],
        ["timeline", "add", PATH, "--actor", "a", "--event", "b"],
        [
            "action",
            "add",
            PATH,
            "Add a guard",
            "--owner",
            "a",
            "--kind",
            "prevent",
            "--due",
            "2027-01-01",
        ],
        ["action", "done", PATH, "A1"],
    ):
        ran = bpm(*args)
        assert ran.exit_code == 1, (args, ran.stderr)
        assert ran.stderr.startswith(f"error: {PATH}:{line}: ") and ran.stderr.count("\n") == 1, (
            ran.stderr
        )
    for args in (["list"], ["report", "overdue", "--no-history"], ["action", "list"]):
        ran = bpm(*args)
        assert ran.exit_code == 0 and ran.stderr.startswith(f"warning: {PATH}:{line}: "), (
            args,
            ran.stderr,
        )
    assert snapshot(repo.path) == before
    assert not (repo.path / "pwned").exists()


def test_a_yaml_bomb_costs_what_its_text_costs(bpm: Bpm, repo: Repo) -> None:
    write(repo, BOMB.encode())
    start = time.monotonic()
    ran = bpm("lint", "--format", "json", "--no-cache")
    assert time.monotonic() - start < 30  # 9**12 elements if expanded; a guard, not a benchmark
    assert ran.exit_code == 1 and "BPM002" in ran.stdout


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("title: Checkout outage\n", "title: Checkout outage\ntitle: Again\n"), [("BPM002", 4)]),
        (("due: 2026-12-04", "due: 2026-02-30"), [("BPM102", 13)]),
        (("due: 2026-12-04", "due: tomorrow"), [("BPM102", 13)]),
        (("due: 2026-12-04", "due: 2026-12-04T10:00:00Z"), [("BPM102", 13)]),
        (("due: 2026-12-04", "due: 1969-07-20"), []),
        (("due: 2026-12-04", "due: 10000-01-01"), [("BPM102", 13)]),
        (("started: 2026-11-20T14:03:00Z", "started: 0000-01-01T00:00:00Z"), [("BPM002", 7)]),
    ],
)
def test_odd_values_are_findings(
    bpm: Bpm, repo: Repo, edit: tuple[str, str], expected: list[tuple[str, int]]
) -> None:
    write(repo, CLEAN.replace(*edit).encode())
    ran = bpm("lint", "--format", "json", "--no-cache")
    assert [(f["code"], f["line"]) for f in json.loads(ran.stdout)] == expected
    assert bpm("show", PATH).exit_code == 0
    assert bpm("report", "overdue", "--no-history", "-f", "json").exit_code == 0


@pytest.mark.parametrize("ending", ["crlf", "bom", "mixed"])
def test_line_endings_and_bom_are_read_and_kept(bpm: Bpm, repo: Repo, ending: str) -> None:
    text = CLEAN
    if ending == "crlf":
        data = text.replace("\n", "\r\n").encode()
    elif ending == "bom":
        data = b"\xef\xbb\xbf" + text.encode()
    else:
        lines = text.split("\n")
        data = (
            "\n".join(line + ("\r" if i % 2 else "") for i, line in enumerate(lines[:-1])).encode()
            + b"\n"
        )
    write(repo, data)
    ran = bpm("lint", "--format", "json", "--no-cache")
    assert json.loads(ran.stdout) == [], ran.stdout
    assert (
        bpm("timeline", "add", PATH, "--time", "14:05", "--actor", "a", "--event", "b").exit_code
        == 0
    )
    after = (repo.path / PATH).read_bytes()
    assert after.startswith(data[: data.index(b"| 2026-11-20 14:03")])
    assert after.endswith(data[data.index(b"| 2026-11-20 14:03") :].split(b"\n", 1)[1])


def test_a_timezone_that_does_not_exist(bpm: Bpm, repo: Repo) -> None:
    write(repo, CLEAN.encode())
    repo.write(".bpm.toml", 'timezone = "Mars/Olympus"\n')
    for args in (
        ["lint"],
        ["list"],
        ["report", "overdue"],
        ["timeline", "add", PATH, "--actor", "a", "--event", "b"],
    ):
        ran = bpm(*args)
        assert ran.exit_code == 2
        assert (
            ran.stderr
            == "error: .bpm.toml:1: timezone: unknown time zone 'Mars/Olympus' (use an IANA name)\n"
        )


def test_hand_edited_timeline_tables(bpm: Bpm, repo: Repo) -> None:
    row = "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 | Errors rose | A canary first | The key was optional |"
    cases = {
        "missing cells": ("| 2026-11-20 14:03 | deploy-bot |", [("BPM201", 31), ("BPM203", 31)]),
        "extra cells": (row + " extra | cells |", [("BPM201", 31)]),
        "escaped pipe": (row.replace("Errors rose", "Errors \\| rose"), []),
        "unescaped pipe": (row.replace("Errors rose", "Errors | rose"), [("BPM201", 31)]),
        "html": (row.replace("Errors rose", "<script>alert(1)</script><b>rose</b>"), []),
        "second table": (row + "\n\n| a | b |\n|---|---|\n| 1 | 2 |", []),
    }
    for name, (new_row, expected) in cases.items():
        write(repo, CLEAN.replace(row, new_row).encode())
        ran = bpm("lint", "--format", "json", "--no-cache")
        assert [(f["code"], f["line"]) for f in json.loads(ran.stdout)] == expected, name
        shown = bpm("timeline", "show", PATH, "-f", "json")
        assert shown.exit_code == 0, (name, shown.stderr)
        added = bpm("timeline", "add", PATH, "--time", "14:30", "--actor", "a", "--event", "b")
        assert added.exit_code == 0, (name, added.stderr)


def test_large_files(bpm: Bpm, repo: Repo) -> None:
    big = CLEAN + ("Filler line of the impact section.\n" * 1_500_000)  # ~53 MB
    write(repo, big.encode())
    ran = bpm("lint", "--format", "json", "--no-cache")
    assert ran.exit_code == 0 and json.loads(ran.stdout) == []
    long_line = CLEAN.replace("The config push reached all regions at once.", "x" * 1_000_000)
    write(repo, long_line.encode())
    assert json.loads(bpm("lint", "--format", "json", "--no-cache").stdout) == []
    assert (
        bpm("timeline", "add", PATH, "--time", "14:30", "--actor", "a", "--event", "b").exit_code
        == 0
    )


def test_ids_that_match_several_files(bpm: Bpm, repo: Repo) -> None:
    write(repo, CLEAN.encode())
    repo.write("postmortems/2025/2026-11-20-checkout-outage.md", CLEAN)
    ran = bpm("show", "2026-11-20-checkout-outage")
    assert ran.exit_code == 2 and ran.stderr.startswith(
        "error: '2026-11-20-checkout-outage' matches 2 postmortems"
    )
