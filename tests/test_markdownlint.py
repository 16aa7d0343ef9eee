"""The files bpm writes pass the real markdownlint-cli2 (issue #17).

`bpm new` (each built-in template) passes markdownlint's defaults but for MD060: bpm's
timeline delimiter row is `|---|` (docs/format.md) and its cells have one space each side.
With the `.markdownlint-cli2.jsonc` that `bpm init` writes in the postmortem folder (MD013
without tables, MD060 off), everything bpm writes passes: new files, timeline rows, actions,
imports and `bpm demo`'s repository.

markdownlint-cli2 is a Node tool: found as $BPM_MARKDOWNLINT, `markdownlint-cli2` on PATH,
or the copy in bench/out/node, which the suite installs from the npm registry when npm is
there (as the browser tests install Chromium); without any of them these tests skip, saying so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, Ran, Repo

Bpm = Callable[..., Ran]
NODE_FOLDER = ROOT / "bench/out/node"
BENCH_COPY = NODE_FOLDER / "node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs"
PINNED = "markdownlint-cli2@0.22.1"  # the version these tests were written against


def _markdownlint() -> list[str] | None:
    """The command that runs markdownlint-cli2, or None when there is none."""
    given = os.environ.get("BPM_MARKDOWNLINT") or shutil.which("markdownlint-cli2")
    if given:
        return [given]
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm and not BENCH_COPY.exists():
        install = [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix"]
        subprocess.run(
            [*install, str(NODE_FOLDER), PINNED], capture_output=True, timeout=300, check=False
        )
    if node and BENCH_COPY.exists():
        return [node, str(BENCH_COPY)]
    return None


MARKDOWNLINT = _markdownlint()
pytestmark = pytest.mark.skipif(
    MARKDOWNLINT is None,
    reason="needs markdownlint-cli2: set BPM_MARKDOWNLINT, put markdownlint-cli2 on PATH, "
    "or have node and npm (the suite installs it into bench/out/node)",
)
FINDING = re.compile(r"^\S+:\d+(:\d+)? (error|warning) MD\d+", re.MULTILINE)


def _findings(folder: Path, *globs: str) -> list[str]:
    assert MARKDOWNLINT is not None
    done = subprocess.run(
        [*MARKDOWNLINT, *globs], cwd=folder, capture_output=True, text=True, check=False
    )
    output = done.stdout + done.stderr
    assert "Linting: 0 file(s)" not in output, output  # a glob that finds nothing proves nothing
    found = [match.group(0) for match in FINDING.finditer(output)]
    assert (done.returncode == 0) == (not found), output
    return [line for line in output.splitlines() if FINDING.match(line)]


def _new(bpm: Bpm, kind: str, title: str) -> str:
    ran = bpm("new", kind, title, "--started", "2026-11-20 14:03", "--severity", "SEV2")
    assert ran.exit_code == 0, ran.stderr
    return ran.stdout.strip()


# A title as long as a slug can be: the id in the templates' guidance is at its longest.
LONG_TITLE = "Checkout outage after a config push went to every region of the world at once"


@pytest.mark.parametrize("kind", ["incident", "near-miss"])
def test_a_new_file_passes_the_defaults_but_for_the_delimiter_row(
    bpm: Bpm, repo: Repo, kind: str
) -> None:
    path = _new(bpm, kind, LONG_TITLE)
    moved = repo.path / "alone" / Path(path).name  # out of reach of any config bpm wrote
    moved.parent.mkdir()
    shutil.copy(repo.path / path, moved)
    findings = _findings(moved.parent, moved.name)
    assert findings, "the delimiter row |---| should still be MD060's"
    assert all("MD060/table-column-style" in line for line in findings), findings


def test_init_then_new_timeline_and_actions_pass(bpm: Bpm, repo: Repo) -> None:
    assert bpm("init").exit_code == 0
    config = repo.path / "postmortems/.markdownlint-cli2.jsonc"
    written = json.loads("\n".join(s for s in config.read_text().splitlines() if "//" not in s))
    assert written == {"config": {"MD013": {"tables": False}, "MD060": False}}
    path = _new(bpm, "incident", LONG_TITLE)
    _new(bpm, "near-miss", "Expired certificate caught by the canary")
    pm_id = Path(path).stem
    for time, event in [
        ("14:03", "Pushed config v42 to every region | all at once"),
        ("14:10", ""),
    ]:
        ran = bpm(
            "timeline", "add", pm_id, "--time", time, "--actor", "deploy-bot",
            "--event", event or "Paged on-call", "--outcome", "Checkout errors rose to 30%"
            " of requests within two minutes, across every region",
        )  # fmt: skip
        assert ran.exit_code == 0, ran.stderr
    ran = bpm(
        "action", "add", pm_id, "Make the config push go to one canary region first",
        "--owner", "bob", "--due", "2026-12-04", "--kind", "prevent",
    )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    assert _findings(repo.path, "postmortems/**/*.md") == []


# Originals of our own making, each clean for markdownlint's defaults except where noted,
# in the shapes the importer converts: list timeline, table timeline with front matter, H1
# sections (MD025 in the original: the importer makes them H2).
ORIGINALS = {
    "payments.md": """\
# Payment API outage on 2026-03-04

## Summary

The payment API returned errors for twenty minutes after a certificate expired.

## Timeline

- 10:02 UTC - alerts fired for payment errors
- 10:22 UTC - a new certificate was deployed

```text
x509: certificate has expired


at 10:02
```

## Root cause

The renewal job had been failing silently for a month.

## Action items

- [ ] Make the renewal job page on-call when it fails (owner: bob, due 2026-04-01)
- [x] Add certificate expiry to the dashboard
""",
    "search.md": """\
---
title: Search index lag
date: 2026-02-10
authors: [carol]
---

# Search index lag

## Overview

Search results were up to two hours stale.

## Timeline

| Time | Event |
| --- | --- |
| 09:00 | Indexer queue began to grow |
| 11:00 | Queue drained after a restart |

## Lessons learned

Queue depth had no alert.
""",
    "dns.md": """\
# Incident report: DNS

Date: 2026-01-05

# Summary

Internal DNS failed for ten minutes.

# Action items

- Add a second resolver to every host image
""",
}


def test_init_then_import_passes(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    assert bpm("init").exit_code == 0
    originals = tmp_path / "originals"
    originals.mkdir()
    for name, text in ORIGINALS.items():
        (originals / name).write_text(text)
    ran = bpm("import", str(originals))
    assert ran.exit_code == 0, ran.stderr
    assert len(list((repo.path / "postmortems").rglob("*.md"))) == len(ORIGINALS)
    assert _findings(repo.path, "postmortems/**/*.md") == []
    payments = next((repo.path / "postmortems").rglob("*payment*.md")).read_text()
    assert "expired\n\n\nat 10:02" in payments  # a fenced block keeps its blank lines


def test_the_demo_repository_passes(bpm: Bpm, tmp_path: Path) -> None:
    ran = bpm("demo", str(tmp_path / "demo"))
    assert ran.exit_code == 0, ran.stderr
    assert _findings(tmp_path / "demo", "postmortems/**/*.md") == []
