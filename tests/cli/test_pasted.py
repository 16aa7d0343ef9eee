"""Small things a new user hits on day one (#17): an empty lint is an error, CSV cells a
spreadsheet would run are inert, file names keep their letters, JUnit counts what fails."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from bpmcli.scaffold import slugify
from conftest import Ran, Repo, bpm_process, snapshot

Bpm = Callable[..., Ran]

PM = """---
id: 2026-10-02-checkout
title: "{title}"
kind: incident
status: draft
severity: SEV2
started: 2026-10-02T10:00:00Z
review_by: 2026-10-20
actions:
  - id: A1
    action: Make the splitter idempotent
    owner: "{owner}"
    due: 2026-11-01
    kind: prevent
    status: open
---
# Checkout

## Summary

{summary}
"""


def write(repo: Repo, title: str = "Checkout", owner: str = "bob", summary: str = "Fine.") -> None:
    repo.write(
        "postmortems/2026/2026-10-02-checkout.md",
        PM.format(title=title, owner=owner, summary=summary),
    )


def test_a_typo_in_dir_is_an_error_not_a_pass(bpm: Bpm, repo: Repo) -> None:
    write(repo)
    repo.write(".bpm.toml", 'dir = "postmortem"\n')  # the files are in postmortems/
    ran = bpm("lint")
    assert ran.exit_code == 2
    assert ran.stderr.strip().splitlines() == [
        "error: no postmortem to check in postmortem (is `dir` in .bpm.toml right?); "
        "--allow-empty makes this exit 0"
    ]
    assert bpm("lint", "--allow-empty").exit_code == 0


def test_a_folder_with_no_postmortem_is_an_error(bpm: Bpm, repo: Repo) -> None:
    write(repo)
    (repo.path / "empty").mkdir()
    ran = bpm("lint", "empty")
    assert ran.exit_code == 2 and "no postmortem to check in empty" in ran.stderr
    assert bpm("lint", "empty", "--allow-empty").exit_code == 0
    assert bpm("lint").exit_code in (0, 1)  # the real folder is linted as before


@pytest.mark.parametrize("owner", ["=HYPERLINK(http://x)", "+cmd", "-2+3", "@SUM(A1)", "=1+1"])
def test_csv_cells_a_spreadsheet_would_run_start_with_a_quote(
    bpm: Bpm, repo: Repo, owner: str
) -> None:
    write(repo, owner=owner)
    ran = bpm("action", "list", "--format", "csv")
    assert ran.exit_code == 0, ran.stderr
    rows = list(csv.DictReader(io.StringIO(ran.stdout)))
    assert rows[0]["owner"] == "'" + owner
    assert owner in bpm("action", "list", "--format", "json").stdout  # JSON keeps it exact


def test_csv_keeps_plain_values_as_they_are(bpm: Bpm, repo: Repo) -> None:
    write(repo, owner="bob")
    rows = list(csv.DictReader(io.StringIO(bpm("action", "list", "--format", "csv").stdout)))
    assert rows[0]["owner"] == "bob"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Straße gesperrt", "strasse-gesperrt"),
        ("Łódź outage", "lodz-outage"),
        ("Ærø ferry", "aero-ferry"),
        ("Þingvellir DNS", "thingvellir-dns"),
        ("Crème brûlée", "creme-brulee"),
        ("İstanbul ısı", "istanbul-isi"),
    ],
)
def test_slugs_spell_out_letters_instead_of_dropping_them(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_junit_counts_errors_as_failures_and_keeps_warnings_as_output(bpm: Bpm, repo: Repo) -> None:
    write(repo, summary="It was human error.")  # BPM301, a warning
    repo.write("postmortems/2026/2026-10-03-b.md", "---\nid: x\n---\n# B\n")  # errors
    ran = bpm("lint", "--format", "junit", "--select", "BPM301,BPM002")
    suite = ET.fromstring(ran.stdout).find("testsuite")
    assert suite is not None
    cases = {c.get("name", ""): c for c in suite.iter("testcase")}
    warned = next(c for n, c in cases.items() if n.endswith("checkout.md"))
    broken = next(c for n, c in cases.items() if n.endswith("-b.md"))
    assert warned.find("failure") is None
    assert "BPM301" in (warned.findtext("system-out") or "")
    assert broken.find("failure") is not None
    assert suite.get("failures") == "1"
    strict_run = bpm("lint", "--format", "junit", "--select", "BPM301,BPM002", "--strict")
    strict = ET.fromstring(strict_run.stdout).find("testsuite")
    assert strict is not None and strict.get("failures") == "2"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["lint", "--format", "bogus"],
            "error: Invalid value for '--format' / '-f': 'bogus' is not one of 'text', 'json', "
            "'github', 'sarif', 'gitlab', 'junit'. (see 'bpm lint --help')",
        ),
        (["lint", "--nope"], "error: No such option: --nope"),
        (["nonexist"], "error: No such command 'nonexist'. (see 'bpm --help')"),
        (["action", "add"], "error: Missing argument"),
    ],
)
def test_usage_errors_are_one_line(repo: Repo, args: list[str], line: str) -> None:
    ran = bpm_process(*args, cwd=repo.path)
    assert ran.returncode == 2
    assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr
    assert ran.stderr.startswith(line), ran.stderr
    assert "╭" not in ran.stderr and ran.stdout == ""


def _lint_text(repo: Repo, env: dict[str, str], tty: bool = False) -> str:
    """`bpm lint`'s text output, to a pipe or to a pseudo-terminal."""
    import os
    import pty
    import subprocess
    import sys

    write(repo, summary="It was human error.")
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    full = {**base, "BPM_NOW": "2026-11-23T09:30:00+00:00", **env}
    command = [sys.executable, "-m", "bpmcli", "lint", "--select", "BPM301"]
    if not tty:
        return bpm_process("lint", "--select", "BPM301", cwd=repo.path, env=env).stdout
    main, child = pty.openpty()
    done = subprocess.run(command, cwd=repo.path, env=full, stdout=child, check=False)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert done.returncode == 0
    return b"".join(chunks).decode()


@pytest.mark.parametrize(
    ("env", "tty", "coloured"),
    [
        ({}, False, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
        ({"TERM": "xterm-256color"}, True, True),
        ({"TERM": "dumb"}, True, False),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, True, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, True, True),
    ],
    ids=["piped", "force", "no-color-wins", "terminal", "dumb", "no-color", "dumb-forced"],
)
def test_lint_colour_follows_no_color_force_color_and_term(
    repo: Repo, env: dict[str, str], tty: bool, coloured: bool
) -> None:
    out = _lint_text(repo, env, tty)
    assert "BPM301" in out
    assert ("\x1b[" in out) == coloured, repr(out[:200])


def test_statistics_counts_findings_per_rule_most_first(bpm: Bpm, repo: Repo) -> None:
    write(repo, summary="It was human error.")
    repo.write("postmortems/2026/2026-10-03-b.md", "---\nid: x\n---\n# B\n\nHuman error.\n")
    ran = bpm("lint", "--statistics", "--select", "BPM301,BPM402")
    assert ran.exit_code == 1
    lines = ran.stdout.splitlines()
    assert [line.split()[1:3] for line in lines[:-1]] == [
        ["BPM402", "error"],
        ["BPM301", "warning"],
    ]
    assert lines[0].split()[0] == "11" and lines[0].split()[3] == "missing-section"
    assert lines[1].split()[0] == "2" and lines[1].endswith("blaming-language")
    assert lines[-1].startswith("Found 11 errors and 2 warnings in 2 of 2 files")
    assert lines[1].startswith(" 2  BPM301")  # counts right-aligned


def test_quiet_prints_the_findings_and_no_summary(bpm: Bpm, repo: Repo) -> None:
    write(repo, summary="It was human error.")
    loud = bpm("lint", "--select", "BPM301").stdout.splitlines()
    quiet = bpm("lint", "--select", "BPM301", "-q")
    assert quiet.stdout.splitlines() == loud[:-1] and loud[-1].startswith("Found")
    assert quiet.exit_code == 0  # a warning does not fail the run
    assert bpm("lint", "--select", "BPM301", "--quiet", "--format", "json").exit_code == 2


def test_lint_reads_standard_input_as_the_file_it_names(repo: Repo) -> None:
    repo.write("team/.bpm.toml", '[rules.BPM301]\nseverity = "error"\n')
    text = PM.format(title="Checkout", owner="bob", summary="It was human error.")
    named = bpm_process(
        "lint", "-", "--stdin-filename", "team/2026-10-02-x.md", "--select", "BPM301",
        cwd=repo.path, input=text,
    )  # fmt: skip
    assert named.returncode == 1  # the sub-folder's config makes BPM301 an error
    assert named.stdout.startswith("team/2026-10-02-x.md:21:8: error BPM301 blaming language")
    plain = bpm_process("lint", "-", "--select", "BPM301", cwd=repo.path, input=text)
    assert plain.returncode == 0 and plain.stdout.startswith("-:21:8: warning BPM301")
    assert not (repo.path / "team" / "2026-10-02-x.md").exists()  # nothing written
    assert not (repo.path / ".git" / "bpm").exists()  # no cache either


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["lint", "-", "--since", "HEAD"], "error: --since reads git's lines"),
        (["lint", "--stdin-filename", "x.md"], "error: --stdin-filename names the text"),
    ],
)
def test_standard_input_options_that_do_not_fit(repo: Repo, args: list[str], words: str) -> None:
    ran = bpm_process(*args, cwd=repo.path, input="")
    assert ran.returncode == 2 and ran.stderr.startswith(words)


def test_output_files_write_other_formats_from_the_same_run(bpm: Bpm, repo: Repo) -> None:
    import json

    write(repo, summary="It was human error.")
    ran = bpm(
        "lint", "--select", "BPM301",
        "--output-file", "sarif=bpm.sarif", "--output-file", "junit=reports/bpm.xml",
    )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout.splitlines()[-1].startswith("Found 0 errors and 1 warning")
    log = json.loads((repo.path / "bpm.sarif").read_text())
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["BPM301"]
    suite = ET.fromstring((repo.path / "reports" / "bpm.xml").read_text()).find("testsuite")
    assert suite is not None and suite.get("tests") == "1"


@pytest.mark.parametrize("value", ["sarif", "bogus=x.txt", "=x.txt", "json="])
def test_a_bad_output_file_is_a_usage_error_and_writes_nothing(
    bpm: Bpm, repo: Repo, value: str
) -> None:
    write(repo)
    before = snapshot(repo.path)
    ran = bpm("lint", "--output-file", value)
    assert ran.exit_code == 2 and ran.stderr.startswith(f"error: --output-file {value!r}")
    assert ran.stdout == "" and snapshot(repo.path) == before


CONFIGS = {
    "exclude": 'exclude = ["postmortems/2019/*"]\n',
    "per-file": '[per-file-ignores]\n"postmortems/2019/*" = ["BPM3"]\n',
}


@pytest.mark.parametrize("kind", list(CONFIGS))
def test_exclude_and_per_file_ignores_in_the_config(bpm: Bpm, repo: Repo, kind: str) -> None:
    text = PM.format(title="Old", owner="bob", summary="It was human error.")
    repo.write(
        "postmortems/2019/2019-01-01-old.md", text.replace("2026-10-02-checkout", "2019-01-01-old")
    )
    write(repo, summary="It was human error.")
    repo.write(".bpm.toml", CONFIGS[kind])
    out = bpm("lint", "--select", "BPM301,BPM002").stdout
    assert "postmortems/2026/2026-10-02-checkout.md:21:8: warning BPM301" in out
    assert "2019-01-01-old.md" not in out
    files = "1 of 1 file" if kind == "exclude" else "1 of 2 files"
    assert out.splitlines()[-1].endswith(f"in {files}."), out


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ('exclude = "archive"\n', "exclude: must be a list of non-empty strings"),
        ('[per-file-ignores]\n"a/*" = ["E501"]\n', "'E501' is not a rule code or prefix"),
        ('[per-file-ignores]\n"a/*" = []\n', "must name at least one value"),
        ('per-file-ignores = ["BPM301"]\n', "per-file-ignores: must be a table"),
    ],
)
def test_bad_exclude_and_per_file_ignores_are_one_line_errors(
    bpm: Bpm, repo: Repo, config: str, words: str
) -> None:
    write(repo)
    repo.write(".bpm.toml", config)
    ran = bpm("lint")
    assert ran.exit_code == 2 and words in ran.stderr, ran.stderr
    assert ran.stderr.startswith("error: .bpm.toml:") and ran.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("bpm rep", "1", ["report"]),
        ("bpm show 2026-10", "2", ["2026-10-02-checkout"]),
        ("bpm show 2019", "2", []),
        ("bpm action done 2026-10-02-checkout A", "4", ["A1"]),
        ("bpm action done nothing-like-it A", "4", []),
        ("bpm lint --format s", "3", ["sarif"]),
    ],
)
def test_shell_completion_offers_commands_ids_and_action_ids(
    repo: Repo, words: str, cword: str, expected: list[str]
) -> None:
    write(repo)
    env = {"_BPM_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    ran = bpm_process(cwd=repo.path, env=env)
    assert ran.returncode == 0 and ran.stderr == ""
    assert ran.stdout.split() == expected


def test_the_completion_script_installs_for_each_shell(repo: Repo) -> None:
    for shell, marker in (("bash", "complete"), ("zsh", "compdef"), ("fish", "complete")):
        env = {"_BPM_COMPLETE": f"source_{shell}"}
        script = bpm_process(cwd=repo.path, env=env).stdout
        assert marker in script and "_BPM_COMPLETE" in script, shell


def test_the_ticket_is_shown_by_show_and_report_overdue(bpm: Bpm, repo: Repo) -> None:
    import json

    text = PM.format(title="Checkout", owner="bob", summary="Fine.")
    write(repo)
    repo.write(
        "postmortems/2026/2026-10-02-checkout.md",
        text.replace("    status: open\n", "    status: open\n    ticket: OPS-412\n"),
    )
    repo.commit("add", {})
    shown = bpm("show", "2026-10-02-checkout", env={"COLUMNS": "120"})
    assert "ticket" in shown.stdout and "OPS-412" in shown.stdout
    [row] = json.loads(bpm("report", "overdue", "--format", "json").stdout)
    assert row["ticket"] == "OPS-412"
    table = bpm("report", "overdue", env={"COLUMNS": "160"}).stdout
    assert "OPS-412" in table
