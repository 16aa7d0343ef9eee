"""What CI keys findings and files by: fingerprints that hold from day to day, and paths
relative to the repository root, encoded as SARIF asks, from any folder and any config."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema

from conftest import ROOT, Repo, bpm_process
from lint.base import CLEAN, PATH, Bpm

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0-rtm.5.json").read_text())
# RFC 3986 relative-ref without query or fragment: unreserved, pct-encoded, sub-delims, @ /
# and no ":" before the first "/" (it would read as a scheme).
URI_PATH = re.compile(
    r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|%[0-9A-F]{2})+(?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-F]{2})*)*$"
)

OVERDUE_REVIEW = (
    CLEAN.replace("status: published", "status: in-review")
    .replace("review_by: 2026-11-25", "review_by: 2026-11-20")
    .replace(
        "The config push reached all regions at once.",
        "It was human error. Later it was human error again.",
    )
)


def _sarif(
    bpm: Bpm, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> dict[str, object]:
    ran = bpm("lint", "--format", "sarif", "--no-cache", *args, cwd=cwd, env=env)
    assert ran.exit_code in (0, 1), ran.stderr
    log: dict[str, object] = json.loads(ran.stdout)
    jsonschema.validate(log, SCHEMA)
    return log


def _results(log: dict[str, object]) -> list[dict[str, object]]:
    return log["runs"][0]["results"]  # type: ignore[index, no-any-return]


def _uris(log: dict[str, object]) -> set[str]:
    return {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]  # type: ignore[index]
        for r in _results(log)
    }


def test_fingerprints_do_not_change_from_one_day_to_the_next(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, OVERDUE_REVIEW)
    days = ["2026-11-23T09:00:00Z", "2026-11-24T09:00:00Z"]
    sarif = [_results(_sarif(bpm, env={"BPM_NOW": day})) for day in days]
    gitlab = [
        json.loads(bpm("lint", "--format", "gitlab", "--no-cache", env={"BPM_NOW": day}).stdout)
        for day in days
    ]
    messages = [{r["message"]["text"] for r in run if r["ruleId"] == "BPM401"} for run in sarif]  # type: ignore[index]
    assert messages[0] != messages[1]  # "overdue by 3 days", then 4: the message moves on
    assert [r["partialFingerprints"] for r in sarif[0]] == [
        r["partialFingerprints"] for r in sarif[1]
    ]
    assert [i["fingerprint"] for i in gitlab[0]] == [i["fingerprint"] for i in gitlab[1]]


def test_each_occurrence_has_its_own_fingerprint(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, OVERDUE_REVIEW)
    results = _results(_sarif(bpm))
    blame = [r for r in results if r["ruleId"] == "BPM301"]
    assert len(blame) == 2  # the same phrase twice in one file: the same subject
    prints = [json.dumps(r["partialFingerprints"]) for r in results]
    assert len(set(prints)) == len(prints)
    gitlab = json.loads(bpm("lint", "--format", "gitlab", "--no-cache").stdout)
    assert len({i["fingerprint"] for i in gitlab}) == len(gitlab) == len(results)


def test_fingerprints_survive_lines_moving(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, OVERDUE_REVIEW)
    before = [r["partialFingerprints"] for r in _results(_sarif(bpm))]
    repo.write(PATH, OVERDUE_REVIEW.replace("## Summary\n", "## Summary\n\nA new paragraph.\n"))
    after = [r["partialFingerprints"] for r in _results(_sarif(bpm))]
    assert before == after


def _monorepo(repo: Repo) -> str:
    """team-a/ has its own .bpm.toml (postmortems in pm/, BPM103 off); the root has none."""
    repo.write("team-a/.bpm.toml", 'dir = "pm"\n[rules]\nBPM103 = "off"\n')
    vague = OVERDUE_REVIEW.replace(
        "action: Make the splitter idempotent", "action: Investigate the splitter"
    )
    relative = "team-a/pm/2026/2026-11-20-checkout-outage.md"
    repo.write(relative, vague)
    return relative


def test_sub_folder_config_paths_are_repository_relative(bpm: Bpm, repo: Repo) -> None:
    relative = _monorepo(repo)
    log = _sarif(bpm, cwd=repo.path / "team-a")  # as a team runs it, in its folder
    assert _uris(log) == {relative}
    gitlab = json.loads(bpm("lint", "--format", "gitlab", cwd=repo.path / "team-a").stdout)
    assert {i["location"]["path"] for i in gitlab} == {relative}
    github = bpm("lint", "--format", "github", cwd=repo.path / "team-a").stdout
    assert f"file={relative}," in github


def test_sub_folder_config_is_honoured_from_the_root(bpm: Bpm, repo: Repo) -> None:
    relative = _monorepo(repo)
    log = _sarif(bpm, relative)  # as pre-commit runs it: from the root, with the file
    codes = {r["ruleId"] for r in _results(log)}
    assert "BPM401" in codes and "BPM103" not in codes  # team-a's config, not the defaults
    assert _uris(log) == {relative}


def test_sarif_uris_are_percent_encoded(bpm: Bpm, repo: Repo) -> None:
    name = "postmortems/2026/2026-11-20 café: 100%#1.md"
    repo.write(name, OVERDUE_REVIEW.replace("2026-11-20-checkout-outage", "x"))
    (uri,) = _uris(_sarif(bpm, name))
    assert uri == "postmortems/2026/2026-11-20%20caf%C3%A9%3A%20100%25%231.md"
    assert URI_PATH.match(uri)


def test_a_file_name_that_is_not_utf8_does_not_crash_machine_formats(repo: Repo) -> None:
    folder = repo.path / "postmortems" / "2026"
    folder.mkdir(parents=True)
    name = os.fsdecode(b"bad\xff name.md")
    (folder / name).write_text(OVERDUE_REVIEW, encoding="utf-8")
    for fmt in ("sarif", "gitlab", "github", "json", "text", "junit"):
        ran = bpm_process("lint", "--format", fmt, "--no-cache", cwd=repo.path)
        assert ran.returncode == 1 and "Traceback" not in ran.stderr, (fmt, ran.stderr)
        assert ran.stderr == "", (fmt, ran.stderr)
    sarif = json.loads(bpm_process("lint", "--format", "sarif", cwd=repo.path).stdout)
    jsonschema.validate(sarif, SCHEMA)
    assert _uris(sarif) == {"postmortems/2026/bad%FF%20name.md"}
    gitlab = json.loads(bpm_process("lint", "--format", "gitlab", cwd=repo.path).stdout)
    assert {i["location"]["path"] for i in gitlab} == {"postmortems/2026/bad\\xff name.md"}
