"""The judges behind BPM301/302/103/107/108, on the data in tests/lint/cases/*.yaml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bpmcli.lint.judge.actions import find_exhortation, find_headline, find_vague
from bpmcli.lint.judge.blame import find_blame
from bpmcli.lint.judge.hindsight import find_hindsight
from bpmcli.lint.judge.people import people_of
from bpmcli.lint.judge.prose import judge_prose
from bpmcli.lint.judge.tokens import Judgement

CASES = Path(__file__).parent / "cases"
Judge = Callable[[str, frozenset[str]], list[Judgement]]


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    return data


def _prose(judge: Judge, name: str) -> tuple[list[Any], list[Any]]:
    data = _load(name)
    flagged = [pytest.param(judge, c, id=c["text"][:50]) for c in data["flagged"]]
    cases = [c if isinstance(c, dict) else {"text": c} for c in data["not_flagged"]]
    clean = [pytest.param(judge, c, id=c["text"][:50]) for c in cases]
    return flagged, clean


_BLAME = _prose(find_blame, "blame.yaml")
_HINDSIGHT = _prose(find_hindsight, "hindsight.yaml")
_ACTIONS = _load("actions.yaml")
_ACTION_JUDGES: dict[str, Callable[[str], list[Judgement]]] = {
    "vague": find_vague,
    "exhortation": find_exhortation,
    "headline": find_headline,
}


def _check(found: list[Judgement], case: dict[str, Any]) -> None:
    assert found, case["text"]
    if "trigger" in case:
        triggers = " | ".join(j.trigger for j in found)
        assert case["trigger"].lower() in triggers.lower(), triggers
    for j in found:  # every finding says what triggered it and how to rewrite
        assert j.trigger in j.message and j.suggestion
        assert case["text"][j.start : j.end] == j.trigger or " " in j.trigger


@pytest.mark.parametrize(("judge", "case"), _BLAME[0] + _HINDSIGHT[0])
def test_flagged(judge: Judge, case: dict[str, Any]) -> None:
    _check(judge(case["text"], frozenset(case.get("people", []))), case)


@pytest.mark.parametrize(("judge", "case"), _BLAME[0] + _HINDSIGHT[0])
def test_the_prose_gate_lets_every_flagged_case_through(judge: Judge, case: dict[str, Any]) -> None:
    kind = "blame" if judge is find_blame else "hindsight"
    people = frozenset(case.get("people", []))
    assert kind in {f.kind for f in judge_prose(case["text"], people)}


@pytest.mark.parametrize(("judge", "case"), _BLAME[1] + _HINDSIGHT[1])
def test_not_flagged(judge: Judge, case: dict[str, Any]) -> None:
    assert judge(case["text"], frozenset(case.get("people", []))) == []


def test_people_are_names_not_event_cells() -> None:
    # a two-column timeline puts the event where the actor goes: its words are not people
    assert "atlas" not in people_of(["A new build of the Atlas client was published to npm"])
    assert {"kai", "haddad"} <= people_of(["Kai Haddad", "@mara"]) and "mara" in people_of(
        ["@mara"]
    )


@pytest.mark.parametrize(
    ("family", "case"),
    [pytest.param(f, c, id=f"{f}: {c['text'][:40]}") for f in _ACTION_JUDGES for c in _ACTIONS[f]],
)
def test_action_flagged(family: str, case: dict[str, Any]) -> None:
    _check(_ACTION_JUDGES[family](case["text"]), case)


@pytest.mark.parametrize("text", _ACTIONS["concrete"])
def test_concrete_action_not_flagged(text: str) -> None:
    assert {f: judge(text) for f, judge in _ACTION_JUDGES.items()} == {
        f: [] for f in _ACTION_JUDGES
    }
