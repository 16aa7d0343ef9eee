"""The labelled sets of bench/language/ are well formed (ids, labels, digests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from conftest import REALWORLD

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "language"
PROSE = {"blame", "hindsight", "none"}
ACTIONS = {"concrete", "vague", "exhortation", "headline"}


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_language", REPO / "bench" / "language.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_cases_are_well_formed() -> None:
    cases = yaml.safe_load((DATA / "cases.yaml").read_text(encoding="utf-8"))
    ids = [c["id"] for c in cases["prose"] + cases["actions"]]
    assert len(ids) == len(set(ids))
    assert all(c["label"] in PROSE for c in cases["prose"])
    assert all(c["label"] in ACTIONS for c in cases["actions"])
    assert len(cases["prose"]) >= 80
    assert len(cases["actions"]) >= 60


def test_realworld_labels_are_well_formed() -> None:
    labels = yaml.safe_load((DATA / "realworld.yaml").read_text(encoding="utf-8"))
    seen = set()
    for unit in labels["units"]:
        assert unit["kind"] in ("prose", "action")
        assert unit["label"] in (PROSE if unit["kind"] == "prose" else ACTIONS)
        assert len(unit["digest"]) == 8
        key = (unit["file"], unit["line"], unit.get("sentence"), unit["kind"])
        assert key not in seen
        seen.add(key)
    for region in labels["skipped"]:
        assert region["findings"] in ("ignore", "count")
        assert region["line"] <= region["end"]


@pytest.mark.parametrize("name", ["unseen.yaml", "unseen2.yaml"])
def test_unseen_labels_are_well_formed(name: str) -> None:
    labels = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    files = {s["file"] for s in labels["sources"]}
    for source in labels["sources"]:
        assert {"repository", "commit", "path", "sha1"} <= set(source)
        assert len(source["commit"]) == 40
    seen = set()
    for unit in labels["units"]:
        assert unit["file"] in files
        assert unit["kind"] in ("prose", "action")
        assert unit["label"] in (PROSE if unit["kind"] == "prose" else ACTIONS)
        assert len(unit["digest"]) == 8
        key = (unit["file"], unit["line"], unit.get("sentence"), unit["kind"])
        assert key not in seen
        seen.add(key)
    for region in labels["skipped"]:
        assert region["file"] in files
        assert region["findings"] in ("ignore", "count")
        assert region["line"] <= region["end"]


@pytest.mark.shared("realworld")
def test_realworld_digests_match_the_sources() -> None:
    shared = REALWORLD
    bench = _bench()
    labels = yaml.safe_load((DATA / "realworld.yaml").read_text(encoding="utf-8"))
    for unit in labels["units"]:
        lines = (shared / unit["file"]).read_text(encoding="utf-8").splitlines()
        assert bench.digest(lines[unit["line"] - 1]) == unit["digest"], unit
        if "sentence" in unit:
            assert unit["sentence"] <= len(bench.segments(lines[unit["line"] - 1])), unit


def test_sentence_split() -> None:
    bench = _bench()
    line = "3. None of us saw it, e.g. the alert. We fixed it. @dkim agreed."
    pieces = [line[a:b] for a, b in bench.segments(line)]
    assert pieces == ["3. None of us saw it, e.g. the alert.", "We fixed it.", "@dkim agreed."]


def test_action_text() -> None:
    bench = _bench()
    lines = ["- [x] **Retry limits**: cap retries ([#1](https://x))", "| Do it | P0 |"]
    assert bench.action_text(lines, 1, 1) == "Retry limits: cap retries (#1)"
    assert bench.action_text(lines, 2, 2) == "Do it"


def test_check_labels_reads_units_against_the_files(tmp_path: Path) -> None:
    bench = _bench()
    (tmp_path / "a.md").write_text(
        "# T\n\nIt broke. We fixed it.\n- Add an alert\n", encoding="utf-8"
    )
    line = "It broke. We fixed it."
    labels = {
        "sources": [{"file": "a.md"}],
        "skipped": [{"file": "a.md", "line": 1, "end": 1, "findings": "count"}],
        "units": [
            {
                "file": "a.md",
                "line": 3,
                "sentence": 2,
                "kind": "prose",
                "label": "none",
                "digest": bench.digest(line),
            },
            {
                "file": "a.md",
                "line": 4,
                "kind": "action",
                "label": "concrete",
                "digest": bench.digest("- Add an alert"),
            },
        ],
    }
    assert bench.check_labels(labels, tmp_path) == []
    labels["units"][0]["sentence"] = 3
    labels["units"][1]["label"] = "blame"
    labels["units"].append(
        {"file": "b.md", "line": 9, "kind": "prose", "label": "none", "digest": "00000000"}
    )
    problems = bench.check_labels(labels, tmp_path)
    assert any("no sentence 3" in p for p in problems)
    assert any("'blame' is not one of kind 'action'" in p for p in problems)
    assert any("b.md" in p and "not in sources" in p for p in problems)
    assert any("b.md: missing" in p for p in problems)
