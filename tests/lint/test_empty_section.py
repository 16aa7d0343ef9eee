"""BPM403: a required section present but empty, its cases as data (cases/sections.yaml)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Repo
from lint.base import CLEAN, Bpm, findings

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "sections.yaml").read_text())


def variant(case: dict[str, Any]) -> str:
    """CLEAN with the case's text under its section, its status and actions."""
    heading = f"## {case['section']}\n"
    before, rest = CLEAN.split(heading, 1)
    after = rest[rest.index("\n## ") :] if "\n## " in rest else "\n"
    text = before + heading + "\n" + case["text"] + ("\n" if case["text"] else "") + after
    text = text.replace("status: published", f"status: {case.get('status', 'published')}", 1)
    if case.get("actions") == "none":
        text = re.sub(r"actions:\n(  .*\n)+", "actions: []\n", text, count=1)
    return text


def line_of(text: str, section: str) -> int:
    return text.split("\n").index(f"## {section}") + 1


@pytest.mark.parametrize("case", CASES["flagged"], ids=lambda c: repr(c["text"])[:40])
def test_flagged(bpm: Bpm, repo: Repo, case: dict[str, Any]) -> None:
    text = variant(case)
    found = [f for f in findings(bpm, repo, text) if f[0] == "BPM403"]
    assert found == [("BPM403", line_of(text, case["section"]), 1)]


@pytest.mark.parametrize("case", CASES["not_flagged"], ids=lambda c: repr(c["text"])[:40])
def test_not_flagged(bpm: Bpm, repo: Repo, case: dict[str, Any]) -> None:
    assert [f for f in findings(bpm, repo, variant(case)) if f[0] == "BPM403"] == []


def test_an_import_that_found_nothing_is_visible(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    """Issue #15: a file whose sections the importer could not fill lints with BPM403 on
    each of them, not "No problems"."""
    source = tmp_path / "2024-03-05-outage.md"
    source.write_text(
        "# Outage\n\n## Summary\n\nThe queue stopped.\n\n## Impact\n\n## Notes\n\nx\n"
    )
    ran = bpm("import", "--report", "json", str(source))
    assert ran.exit_code == 0, ran.stderr
    target = Path(json.loads(ran.stdout)[0]["target"])
    ran = bpm("lint", "--format", "json", "--no-cache", str(target))
    empty = sorted(f["message"] for f in json.loads(ran.stdout) if f["code"] == "BPM403")
    assert empty == [
        "required section 'Action items' is empty",
        "required section 'Contributing factors' is empty",
        "required section 'Impact' is empty",
        "required section 'Timeline' is empty",
        "required section 'What we learned' is empty",
    ]
