"""`bpm lint --explain CODE`: a rule's why, fix and examples, from the registry (#14)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from bpmcli.lint.rules import all_rules
from conftest import Repo
from lint.base import Bpm

RULES = all_rules()


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_explains_itself_at_80_columns(bpm: Bpm, code: str) -> None:
    rule = RULES[code]
    ran = bpm("lint", "--explain", code)
    assert (ran.exit_code, ran.stderr) == (0, "")
    out = ran.stdout
    assert out.startswith(f"{rule.code} {rule.name} ({rule.severity} by default)\n")
    flat = words(out)
    assert words(rule.why) in flat and words(rule.fix) in flat
    assert words(rule.summary[1:]) in flat  # the first letter is capitalised
    assert rule.examples is not None
    snippets = {
        line for s in rule.examples.flagged + rule.examples.not_flagged for line in s.split("\n")
    }
    for line in snippets:
        assert f"  {line}\n" in out or not line
    flagged, not_flagged = out.index("\nFlagged, as "), out.index("\nNot flagged:")
    assert (
        flagged < out.index("  " + rule.examples.flagged[0].split("\n")[0], flagged) < not_flagged
    )
    assert out.find("  " + rule.examples.not_flagged[0].split("\n")[0], not_flagged) > 0
    for line in out.splitlines():
        assert len(line) <= 80 or line[2:] in snippets, line  # long code is not wrapped
    assert "\x1b" not in out  # not a terminal: no colour


def test_a_rule_by_its_name_in_any_case(bpm: Bpm) -> None:
    by_code = bpm("lint", "--explain", "BPM301").stdout
    assert bpm("lint", "--explain", "bpm301").stdout == by_code
    assert bpm("lint", "--explain", "Blaming-Language").stdout == by_code
    assert "Also runs on a file whose front matter is missing or broken." in by_code
    assert "Does not run on a file whose front matter" in bpm("lint", "--explain", "BPM103").stdout


def test_an_unknown_rule_is_one_line_and_exit_2(bpm: Bpm) -> None:
    ran = bpm("lint", "--explain", "BPM999")
    assert ran.exit_code == 2 and ran.stdout == ""
    assert ran.stderr == (
        "error: unknown rule 'BPM999' (--explain takes a code such as BPM301 or a name such "
        "as blaming-language; see docs/rules.md)\n"
    )
    ran = bpm("lint", "--explain", "BPM301", "postmortems")
    assert (ran.exit_code, ran.stderr) == (
        2,
        "error: --explain takes a rule, not PATHs: it lints nothing\n",
    )


def test_explain_needs_no_repository(bpm: Bpm, tmp_path: Path) -> None:
    ran = bpm("lint", "--explain", "BPM402", cwd=tmp_path)
    assert ran.exit_code == 0 and ran.stdout.startswith("BPM402 missing-section")


def _on_a_terminal(repo: Repo, env: dict[str, str]) -> str:
    leader, follower = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | env
    done = subprocess.run(
        [sys.executable, "-m", "bpmcli", "lint", "--explain", "BPM302"],
        cwd=repo.path,
        env=full_env,
        stdout=follower,
        stderr=subprocess.PIPE,
        check=False,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed once everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.returncode == 0, done.stderr
    return b"".join(chunks).decode()


def test_bold_headings_on_a_terminal_unless_no_color(repo: Repo) -> None:
    assert "\x1b[1mWhy\x1b[0m" in _on_a_terminal(repo, {})
    assert "\x1b" not in _on_a_terminal(repo, {"NO_COLOR": "1"})
