"""`bpm import`: other teams' postmortems in, nothing lost, nothing invented.

The corpus is ../shared/realworld/ (the tests marked `shared` are skipped without it): for
every file, the sections, timeline rows and actions expected (written by reading the
files), every word kept, and a structurally clean lint.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REALWORLD, Ran, Repo, snapshot

Bpm = Callable[..., Ran]

S, IM, T, C, W, A = (
    "Summary",
    "Impact",
    "Timeline",
    "Contributing factors",
    "What we learned",
    "Action items",
)
# file: (timeline rows, actions, sections recognised). Read off the files: e.g. 01 has a
# 14-row table and 4 bold bullets; 14 has 13 time bullets (some bold) and 4 bullets; 15 has
# six `### 09:02 PM` headings and 5 bullets; 10 has an 8-row table and a 10-row action table
# (its Type/Priority legends are bullets, not actions); 23 has six bold-time paragraphs; 09
# has a `* [???]` row (a time nobody knew, kept as written); 18's "Issue Summary" is its
# Summary; 24 has 36 time headings, `### 17:00-18:00` and `### 2X:XX (not sure exact time)`
# among them; 27's first row is the placeholder `2023-MM-DD` (bench/import/realworld.yaml).
EXPECTED: dict[str, tuple[int, int, set[str]]] = {
    "01-dfds-k8s-ip-starvation.md": (14, 4, {S, T, C, W, A}),
    "02-dfds-log4shell.md": (26, 6, {S, T, A, W}),
    "04-posthog-flags-down.md": (8, 9, {S, T, C, IM, A, W}),
    "05-posthog-flags-recurring-outages.md": (41, 26, {S, T, C, IM, A, W}),
    "06-posthog-shai-hulud.md": (0, 0, {C}),
    "07-k8s-prow-outage-2019-01-23.md": (11, 2, {S, IM, C, W, A, T}),
    "09-k8s-prow-flakiness-2019-05-30.md": (11, 2, {S, IM, C, W, A, T}),
    "10-etcd-v35-data-inconsistency.md": (8, 10, {S, C, IM, W, A, T}),
    "11-geth-minority-split-2021.md": (4, 0, {T, W}),
    "13-rust-dns-outage-2023.md": (0, 0, {C}),
    "14-rust-docsrs-outage-2019.md": (13, 4, {C, T, A}),
    "15-2i2c-memory-overload-2020.md": (6, 5, {S, T, A}),
    "17-learningequality-cloudflare-migration.md": (0, 3, {S, C, A}),
    "18-portswigger-saas-outage-2024.md": (8, 3, {S, IM, T, C, A}),
    "20-cogu-dipi-elan-unpublish.md": (33, 3, {S, IM, T, C, W, A}),
    "21-opensuse-obs-downtime-2019.md": (1, 0, {T, W}),
    "23-yearn-ydai-vault-exploit-2021.md": (6, 0, {S, T}),
    "24-mybinder-jupyterlab-announcement-2018.md": (36, 21, {S, T, A}),
    "25-mybinder-prime-version-2022.md": (5, 4, {S, T, W, A}),
    "27-pypi-leaked-admin-token-2024.md": (6, 0, {T, W}),
    "28-homebrew-security-incident-2021.md": (0, 5, {IM, A}),
    "30-redbrick-storage-mar16-chatlog.md": (0, 0, set()),
    "31-TEMPLATE-dfds.md": (1, 0, {S, T, C, A, W}),
    "32-TEMPLATE-mybinder.md": (0, 6, {S, T, W, A}),
    "33-TEMPLATE-learningequality.md": (0, 0, {S, C, A}),
}
FILES = sorted(p for p in REALWORLD.glob("*.md") if p.name != "SOURCES.md")
REAL = pytest.mark.shared("realworld")


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def import_json(bpm: Bpm, *args: str) -> tuple[Ran, list[dict[str, Any]]]:
    ran = bpm("import", "--report", "json", *args)
    return ran, json.loads(ran.stdout) if ran.stdout else []


@REAL
def test_every_realworld_file_is_expected() -> None:
    assert [p.name for p in FILES] == sorted(EXPECTED)


@REAL
@pytest.mark.parametrize("source", FILES, ids=lambda p: p.name)
def test_a_realworld_postmortem(bpm: Bpm, repo: Repo, source: Path) -> None:
    ran, (report,) = import_json(bpm, str(source), "--date", "2016-03-16")
    assert ran.exit_code == 0, ran.stderr
    rows, actions, sections = EXPECTED[source.name]
    assert (report["timeline_rows"], report["actions"]) == (rows, actions)
    assert {s["section"] for s in report["sections"] if s["section"]} == sections
    target = Path(report["target"])
    imported = target.read_text(encoding="utf-8")
    original = source.read_bytes().decode("utf-8")
    assert words(original) <= words(imported), words(original) - words(imported)
    lint = bpm(
        "lint", "--no-cache", "--format", "json", "--select", "BPM001,BPM002,BPM201", str(target)
    )
    assert (lint.exit_code, json.loads(lint.stdout)) == (0, [])
    assert "\n    due:" not in imported  # due dates are never invented
    found = json.loads(bpm("show", str(target), "--format", "json").stdout)
    assert len(found["actions"]) == actions


@REAL
def test_the_whole_archive_at_once(bpm: Bpm, repo: Repo) -> None:
    ran, reports = import_json(bpm, str(REALWORLD), "--dry-run")
    by_name = {Path(r["source"]).name: r for r in reports}
    assert ran.exit_code == 1  # the templates and the chat log name no date
    assert {name for name, r in by_name.items() if r["error"]} == {
        "30-redbrick-storage-mar16-chatlog.md",
        "31-TEMPLATE-dfds.md",
        "32-TEMPLATE-mybinder.md",
        "33-TEMPLATE-learningequality.md",
    }
    assert by_name["27-pypi-leaked-admin-token-2024.md"]["date_from"] == "front matter"
    toml = by_name["13-rust-dns-outage-2023.md"]  # TOML front matter: its title, no date key
    assert (toml["title"], toml["date_from"]) == ("DNS Outage on 2023-01-25", "title")
    assert not (repo.path / "postmortems").exists()  # --dry-run wrote nothing


ORIGINAL = """# Queue outage

Date: 2024-03-05. Severity: SEV2.

## TL;DR

The queue stopped.

## Chronology

- **14:03 UTC** - Deploy of v2 | with a pipe
  continued on a second line
- [03-05 14:10] Rollback started
- Nothing at this line has a time

## Root Cause

A bad default.

## Follow-ups

| Action Item | Owner | Type | Bug | Status |
|---|---|---|---|---|
| Add a canary stage | @infra | Preventative | [#12](https://example.com/issues/12) | DONE |
| Alert on queue depth | TBD | Detection | | |
| Write the runbook | alice | Process | | won't do |

- [ ] not an action: the table has them
"""


def test_a_file_in_detail(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    source = tmp_path / "queue.md"
    source.write_text(ORIGINAL)
    ran = bpm("import", str(source))
    assert ran.exit_code == 0, ran.stderr
    target = repo.path / "postmortems/2024/2024-03-05-queue-outage.md"
    assert ran.stdout.startswith(
        f"imported {os.path.relpath(source, repo.path)} -> postmortems/2024/2024-03-05-queue-outage.md\n"
    )
    text = target.read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert (meta["severity"], meta["status"]) == ("SEV2", "published")
    assert meta["actions"] == [
        {
            "id": "A1",
            "action": "Add a canary stage",
            "owner": "@infra",
            "kind": "prevent",
            "status": "done",
            "ticket": "https://example.com/issues/12",
        },
        {"id": "A2", "action": "Alert on queue depth", "kind": "detect", "status": "open"},
        {
            "id": "A3",
            "action": "Write the runbook",
            "owner": "alice",
            "kind": "process",
            "status": "dropped",
        },
    ]
    rows = json.loads(bpm("timeline", "show", str(target), "-f", "json").stdout)
    assert [(r["time"], r["event"]) for r in rows] == [
        ("2024-03-05 14:03", "Deploy of v2 | with a pipe\ncontinued on a second line"),
        ("2024-03-05 14:10", "Rollback started"),
    ]
    assert "## Summary\n\n### TL;DR\n" in text
    assert "## Contributing factors\n\n### Root Cause\n" in text
    shown = re.sub(r"<!--.*?-->", "", text, flags=re.S)  # what a reader sees
    assert "- Nothing at this line has a time" in shown  # not converted: left as prose
    assert "- [03-05 14:10]" not in shown and "- [03-05 14:10]" in text  # converted: recorded
    assert words(ORIGINAL) <= words(text)


def test_dry_run_stdout_and_report(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    source = tmp_path / "queue.md"
    source.write_text(ORIGINAL)
    before = snapshot(repo.path)
    ran = bpm("import", str(source), "--dry-run")
    assert ran.exit_code == 0
    assert ran.stdout.splitlines()[:4] == [
        f"would import {os.path.relpath(source, repo.path)} -> "
        "postmortems/2024/2024-03-05-queue-outage.md",
        "  started 2024-03-05 (from the text); severity SEV2",
        "  sections: Summary (TL;DR), Timeline (Chronology), Contributing factors (Root Cause), "
        "Action items (Follow-ups)",
        "  timeline rows: 2; actions: 3",
    ]
    assert "  needs attention: 1 of 3 actions have no owner" in ran.stdout
    assert "  needs attention: 3 actions have no due date" in ran.stdout
    ran = bpm("import", str(source), "--stdout")
    assert ran.stdout.startswith("---\nid: 2024-03-05-queue-outage\ntitle: Queue outage\n")
    ran, (report,) = import_json(bpm, str(source), "--dry-run")
    assert sorted(report) == [
        "actions",
        "actions_without_due",
        "actions_without_owner",
        "attention",
        "converted",
        "date_from",
        "error",
        "id",
        "sections",
        "severity",
        "source",
        "started",
        "summary",
        "target",
        "timeline_rows",
        "title",
    ]
    assert report["converted"] == {
        "rows": 2,
        "date_only_rows": 0,
        "actions": 3,
        "owners": 2,
        "dues": 0,
        "zones": {},
    }
    assert report["summary"] == "2 rows, 3 actions, 2 owners, 0 dues; 6 to check"
    assert snapshot(repo.path) == before  # none of them wrote anything


def test_an_existing_target_is_never_overwritten(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    source = tmp_path / "queue.md"
    source.write_text(ORIGINAL)
    assert bpm("import", str(source)).exit_code == 0
    first = repo.path / "postmortems/2024/2024-03-05-queue-outage.md"
    kept = first.read_bytes()
    ran = bpm("import", str(source), "--status", "draft")
    assert ran.exit_code == 0
    assert first.read_bytes() == kept
    second = repo.path / "postmortems/2024/2024-03-05-queue-outage-2.md"
    assert "id: 2024-03-05-queue-outage-2\n" in second.read_text()
    assert "status: draft\n" in second.read_text()


def test_bad_input(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    (old / "a-empty.md").write_text("  \n")
    (old / "b-binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0IHDR")
    (old / "c-latin1.md").write_bytes("# Panne\n\nLe café 2024-01-02\n".encode("latin-1"))
    (old / "README.md").write_text("# Postmortems\n\nOne file per incident, 2024-01-01.\n")
    (old / "d-broken.md").write_text(
        "# Outage 2024-02-02\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 10:00 | a | b | c |\n"
    )
    (old / "e-good.md").write_text(ORIGINAL)
    (old / "f-notes.md").write_text("# Shopping list\n\nMilk, 2024-01-01.\n")
    ran = bpm("import", str(old))
    assert ran.exit_code == 1
    old = Path(os.path.relpath(old, repo.path))  # how bpm shows paths: relative to the cwd
    assert ran.stderr.splitlines() == [
        f"error: {old}/README.md: a README.md with fewer than two postmortem sections "
        "(summary, impact, timeline, cause, lessons, action items) and no timeline or action "
        "items: an archive's index, not imported",
        f"error: {old}/a-empty.md: the file is empty",
        f"error: {old}/b-binary.md: a binary file, not Markdown",
        f"error: {old}/c-latin1.md:3: not UTF-8 text",
        f"error: {old}/d-broken.md:7: timeline table is malformed: its header has 2 cells, "
        "this row 4 (an unescaped | in a cell?); fix the table and import it again",
        f"error: {old}/f-notes.md: does not look like a postmortem (no summary, impact, "
        "timeline, cause, lessons or action items heading, and no word such as incident or "
        "outage): not imported",
    ]
    made = sorted(p.relative_to(repo.path).as_posix() for p in repo.path.rglob("*.md"))
    assert made == ["postmortems/2024/2024-03-05-queue-outage.md"]  # the good one, only
    ran = bpm("import", str(tmp_path / "missing.md"))
    assert (ran.exit_code, ran.stderr) == (1, f"error: {old.parent}/missing.md: no such file\n")
    ran = bpm("import", str(tmp_path / "old" / "e-good.md"), "--kind", "nope")
    assert ran.exit_code == 2 and "nope" in ran.stderr


@REAL
def test_front_matter_authors_become_participants(bpm: Bpm, repo: Repo) -> None:
    ran = bpm("import", str(REALWORLD / "14-rust-docsrs-outage-2019.md"), "--stdout")
    assert "\nparticipants: [Pietro Albini]\nactions:\n" in ran.stdout
    ran = bpm("import", str(REALWORLD / "27-pypi-leaked-admin-token-2024.md"), "--stdout")
    assert "\nparticipants: [ewdurbin]\n" in ran.stdout


SETEXT = """Queue outage 2024-03-05
=======================

Summary
-------

The queue stalled.

 ## Timeline

- **14:03 UTC** - Deploy of v2

Root cause
----------

A full disk.

<!-- notes from the call, never closed:
"""


def test_commonmark_headings_and_a_comment_never_closed(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    """Setext headings and ` ## Timeline` are headings (issue #13); the comment left open
    at the end is closed, or the sections added after it would be inside it."""
    source = tmp_path / "setext.md"
    source.write_text(SETEXT)
    ran, [report] = import_json(bpm, str(source))
    assert ran.exit_code == 0, ran.stderr
    assert report["title"] == "Queue outage 2024-03-05"
    assert report["sections"] == [
        {"heading": "Summary", "section": S},
        {"heading": "Timeline", "section": T},
        {"heading": "Root cause", "section": C},
    ]
    assert report["timeline_rows"] == 1
    assert "an HTML comment was never closed: closed at the end" in report["attention"]
    text = (repo.path / report["target"]).read_text()
    assert re.search(r"\n## Contributing factors\n\s*### Root cause\n\s*A full disk\.\n", text)
    assert "=====" not in text and "-----" not in text  # setext headings are written ATX
    assert words(SETEXT) <= words(text)
    ran = bpm("lint", "--format", "json", "--no-cache", report["target"])
    codes = {f["code"] for f in json.loads(ran.stdout)}
    assert "BPM402" not in codes and "BPM201" not in codes  # the added sections are sections


# Blank-line runs the import made (between sections, after headings) become one line, as
# markdownlint's MD012 asks; code keeps its own: fenced (a ```` fence holds ``` lines)
# and indented.
BLANK_RUNS = """\
# Cache stampede on 2026-02-03


## Summary


The cache expired for every key at once.

````text
```


inside a fence that a ``` line does not close
````

    indented


    code

## Action items

- Make the cache expiry jittered by ten percent
"""


def test_the_body_has_no_runs_of_blank_lines_but_in_code(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    source = tmp_path / "cache.md"
    source.write_text(BLANK_RUNS)
    ran = bpm("import", str(source), "--stdout")
    assert ran.exit_code == 0, ran.stderr
    body = ran.stdout.split("\n---\n", 1)[1]
    assert "## Summary\n\nThe cache expired" in body
    assert "````text\n```\n\n\ninside a fence" in body
    assert "    indented\n\n\n    code\n" in body
    outside_code = body.replace("```\n\n\ninside", "").replace("indented\n\n\n", "")
    assert "\n\n\n" not in outside_code
    assert body.startswith("## Summary\n")  # no H1: the front matter's title is one (MD025)
