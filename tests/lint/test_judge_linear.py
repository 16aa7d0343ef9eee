"""Every regular expression of the judges is linear: 100 KB of a bad shape finishes fast.

Each shape runs in a subprocess with a timeout (no timing assertion on normal work): a
super-linear pattern would take minutes on these inputs, a linear one well under a second.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

SIZE = 100_000
SHAPES = {
    "dots": ". " * (SIZE // 2),
    "abbreviations": "e.g. A " * (SIZE // 7),
    "closers": "." + '"' * SIZE + " A",
    "openers": ". " + "(" * SIZE,
    "modals": "should " * (SIZE // 7),
    "modal gaps": ("should a b " * (SIZE // 11)) + "have",
    "one long word": "a" * SIZE,
    "hyphens": "-" * SIZE,
    "apostrophes": "a'" * (SIZE // 2),
    "spaces": " " * SIZE + "x",
    "no newline list": "- " * (SIZE // 2),
    "pipes": "|" * SIZE,
    "blame words": "the developer forgot and " * (SIZE // 25),
    "hindsight words": "if we had nobody noticed " * (SIZE // 25),
    "colons": "a:" * (SIZE // 2),
    "urls": "http://" * (SIZE // 7),
    "when": "alert when " * (SIZE // 11),
}
SCRIPT = """
import sys
from bpmcli.lint.judge.actions import find_exhortation, find_headline, find_vague
from bpmcli.lint.judge.prose import judge_prose
from bpmcli.lint.judge.sentences import split
text = sys.stdin.read()
split(text)
judge_prose(text)
find_vague(text); find_exhortation(text); find_headline(text)
"""


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_pathological_input_finishes(shape: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=SHAPES[shape],
        text=True,
        capture_output=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stderr
