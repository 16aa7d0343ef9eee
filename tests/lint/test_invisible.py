"""BPM003 on the cases of tests/lint/cases/invisible.yaml, each in place in a postmortem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Repo
from lint.base import CLEAN, PATH, Bpm

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "invisible.yaml").read_text("utf-8"))
A1 = "  - id: A1\n"


def _with(field: str, value: Any) -> str:
    shown = json.dumps(value)  # JSON is YAML: every character written as an escape or itself
    match field:
        case "owner":
            return CLEAN.replace("owner: bob", f"owner: {shown}")
        case "action_id":
            return CLEAN.replace(A1, f"  - id: {shown}\n")
        case "id":
            return CLEAN.replace("id: 2026-11-20-checkout-outage", f"id: {shown}")
        case "title":
            return CLEAN.replace("title: Checkout outage", f"title: {shown}")
    return CLEAN.replace("kind: incident\n", f"kind: incident\n{field}: {shown}\n")


def _bpm003(bpm: Bpm, repo: Repo, text: str) -> list[dict[str, Any]]:
    repo.write(PATH, text)
    ran = bpm("lint", "--format", "json", "--no-cache", "--select", "BPM003")
    assert ran.exit_code in (0, 1), ran.stderr
    found: list[dict[str, Any]] = json.loads(ran.stdout)
    return found


@pytest.mark.parametrize("case", CASES["flagged"], ids=lambda c: f"{c['field']}-{c['char']}")
def test_flagged(bpm: Bpm, repo: Repo, case: dict[str, Any]) -> None:
    text = _with(case["field"], case["value"])
    assert text != CLEAN
    [finding] = _bpm003(bpm, repo, text)
    assert finding["severity"] == "error"
    assert f"holds {case['char']} " in finding["message"]
    assert f"<{case['char']}>" in finding["message"]


@pytest.mark.parametrize("case", CASES["not_flagged"], ids=lambda c: str(c["value"]))
def test_not_flagged(bpm: Bpm, repo: Repo, case: dict[str, Any]) -> None:
    text = _with(case["field"], case["value"])
    assert text != CLEAN
    assert _bpm003(bpm, repo, text) == []


def test_the_finding_points_at_the_key(bpm: Bpm, repo: Repo) -> None:
    [finding] = _bpm003(bpm, repo, _with("owner", "bo\u200bb"))
    assert (finding["line"], finding["column"]) == (12, 5)
    assert finding["message"].startswith("`owner` of action A1 holds U+200B ZERO WIDTH SPACE")
    out = bpm("lint", "--no-cache", "--select", "BPM003").stdout
    assert "\u200b" not in out and "<U+200B>" in out
