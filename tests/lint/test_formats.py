"""Every machine-read output: exact shapes, and text from postmortems that cannot inject."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema

from bpmcli.output.terminal import clean
from conftest import ROOT, Repo
from lint.base import CLEAN, PATH, Bpm

HOSTILE = CLEAN.replace(
    "action: Make the splitter idempotent",
    'action: "Investigate \\n::set-output name=x::pwned %0A ::add-mask::secret \\e[31m<b>&"',
)


def run(bpm: Bpm, repo: Repo, fmt: str, text: str = HOSTILE, cwd: Path | None = None) -> str:
    repo.write(PATH, text)
    ran = bpm("lint", "--format", fmt, "--no-cache", cwd=cwd)
    assert ran.exit_code == 1, ran.stderr
    return ran.stdout


def test_json_shape(bpm: Bpm, repo: Repo) -> None:
    found = json.loads(run(bpm, repo, "json"))
    assert [list(f) for f in found] == [["path", "line", "column", "code", "severity", "message"]]
    assert found[0] | {"message": ""} == {
        "path": PATH,
        "line": 11,
        "column": 5,
        "code": "BPM103",
        "severity": "error",
        "message": "",
    }


def test_github_annotations_cannot_inject_workflow_commands(bpm: Bpm, repo: Repo) -> None:
    evil = "postmortems/2026/x\n::add-mask::secret,line=1.md"
    repo.write(
        evil, CLEAN.replace("status: published", 'status: "done %0A::set-output name=x::pwned"')
    )
    out = run(bpm, repo, "github")
    lines = out.splitlines()
    assert len(lines) == 3 and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert "file=postmortems/2026/x%0A%3A%3Aadd-mask%3A%3Asecret%2Cline=1.md," in out
    assert "%250A%3A%3Aset-output" not in out and "%250A::set-output" in out  # % is escaped
    assert lines[0].startswith(
        f"::error file={PATH},line=11,col=5,title=BPM103::action A1 starts with"
    )


def test_sarif_validates_against_the_schema(bpm: Bpm, repo: Repo) -> None:
    (repo.path / "docs").mkdir()
    log = json.loads(run(bpm, repo, "sarif", cwd=repo.path / "docs"))
    schema = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0-rtm.5.json").read_text())
    jsonschema.validate(log, schema)
    assert log["version"] == "2.1.0"
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "bpm"
    rule = driver["rules"][[r["id"] for r in driver["rules"]].index("BPM103")]
    assert set(rule) >= {"id", "name", "shortDescription", "fullDescription", "help"}
    result = log["runs"][0]["results"][0]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == PATH  # repository-relative, from a sub-folder too
    assert location["region"] == {"startLine": 11, "startColumn": 5}
    assert result["ruleId"] == "BPM103" and driver["rules"][result["ruleIndex"]]["id"] == "BPM103"
    assert result["level"] == "error"


def test_gitlab_code_quality(bpm: Bpm, repo: Repo) -> None:
    report = json.loads(run(bpm, repo, "gitlab"))
    assert len(report) == 1
    item = report[0]
    assert set(item) == {"description", "check_name", "fingerprint", "severity", "location"}
    assert item["check_name"] == "BPM103" and item["severity"] == "major"
    assert item["location"] == {"path": PATH, "lines": {"begin": 11}}
    assert len(item["fingerprint"]) == 32


def test_junit_xml(bpm: Bpm, repo: Repo) -> None:
    repo.write(
        "postmortems/2026/2026-11-21-clean.md",
        CLEAN.replace("2026-11-20-checkout-outage", "2026-11-21-clean"),
    )
    out = run(bpm, repo, "junit")
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {PATH, "postmortems/2026/2026-11-21-clean.md"}
    failure = cases[PATH].find("failure")
    assert failure is not None and failure.get("type") == "BPM103"
    assert "\x1b" not in out


def test_terminal_text_is_sanitised(bpm: Bpm, repo: Repo) -> None:
    out = run(bpm, repo, "text")
    assert "\x1b" not in out and out.count("\n") == 2


def _documented_problem_matcher() -> dict[str, Any]:
    """The problem matcher docs/ci.md tells users to save: the test checks the docs' copy."""
    page = (ROOT / "docs" / "ci.md").read_text()
    block = next(b for b in page.split("```json\n")[1:] if '"problemMatcher"' in b)
    matcher: dict[str, Any] = json.loads(block.split("```")[0])
    return matcher


def test_text_lines_carry_the_severity_word_the_problem_matcher_reads(bpm: Bpm, repo: Repo) -> None:
    both = HOSTILE.replace("reached all regions at once.", "failed because of human error.")
    as_text = run(bpm, repo, "text", both).splitlines()
    found = json.loads(run(bpm, repo, "json", both))
    assert {f["severity"] for f in found} == {"error", "warning"}  # both words are shown
    (pattern,) = _documented_problem_matcher()["problemMatcher"][0]["pattern"]
    fields = ("file", "line", "column", "severity", "code", "message")
    for line, finding in zip(as_text[:-1], found, strict=True):
        match = re.match(pattern["regexp"], line)
        assert match, line
        read = {field: match.group(pattern[field]) for field in fields}
        assert read == {
            "file": finding["path"],
            "line": str(finding["line"]),
            "column": str(finding["column"]),
            "severity": finding["severity"],
            "code": finding["code"],
            "message": clean(finding["message"]),
        }
    assert as_text[-1].startswith("Found 1 error and 1 warning")
