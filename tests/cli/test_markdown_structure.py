"""Issue #13 through the real CLI: every command reads the body as CommonMark does.

A table inside a four-backtick block (a Markdown example in a runbook excerpt) is text, not
the timeline, for `timeline show`, `timeline add`, `lint` and `site`; ` ## Impact` is the
Impact section.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Ran, Repo
from lint.base import CLEAN, PATH

Bpm = Callable[..., Ran]

TABLE = (
    "| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |\n"
    "|---|---|---|---|---|---|\n"
    "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 | Errors rose | A canary first | The key was optional |\n"
)
# A shell session shown as Markdown: the ``` lines are the example's text, not fences
EXAMPLE = (
    "The runbook's example:\n\n````markdown\n```sh\n$ bpm timeline show -f markdown\n"
    + TABLE
    + "```\n````\n"
)
IN_CODE = CLEAN.replace(TABLE, EXAMPLE)


def write(repo: Repo, text: str) -> Path:
    path = repo.write(PATH, text)
    repo.commit("postmortem", {PATH: text})
    return path


def test_timeline_show_sees_no_table_in_code(bpm: Bpm, repo: Repo) -> None:
    write(repo, IN_CODE)
    ran = bpm("timeline", "show", PATH, "--format", "json")
    assert (ran.exit_code, json.loads(ran.stdout)) == (0, [])
    write(repo, CLEAN)
    assert len(json.loads(bpm("timeline", "show", PATH, "--format", "json").stdout)) == 1


def test_timeline_add_writes_a_new_table_after_the_code(bpm: Bpm, repo: Repo) -> None:
    path = write(repo, IN_CODE)
    ran = bpm("timeline", "add", PATH, "--time", "2026-11-20 14:10", "--actor", "a", "--event", "b")
    assert ran.exit_code == 0, ran.stderr
    new_table = (
        "| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |\n"
        "|---|---|---|---|---|---|\n"
        "| 2026-11-20 14:10 | a | b |  |  |  |\n"
    )
    assert path.read_text() == IN_CODE.replace(EXAMPLE, EXAMPLE + "\n" + new_table)
    shown = json.loads(bpm("timeline", "show", PATH, "--format", "json").stdout)
    assert [row["time"] for row in shown] == ["2026-11-20 14:10"]


def test_lint_reports_the_missing_table_and_reads_an_indented_heading(bpm: Bpm, repo: Repo) -> None:
    write(repo, IN_CODE.replace("## Impact\n", " ## Impact\n"))
    ran = bpm("lint", "--format", "json", "--no-cache")
    found = [(f["code"], f["message"]) for f in json.loads(ran.stdout)]
    assert found == [
        ("BPM201", "the Timeline section has no table; add rows with `bpm timeline add`")
    ]


def test_the_site_page_shows_the_code_and_no_placeholder(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    write(repo, IN_CODE)
    out = tmp_path / "site"
    ran = bpm("site", str(out), "--as-of", "2026-11-30")
    assert ran.exit_code == 0, ran.stderr
    page = (out / "pm/2026-11-20-checkout-outage.html").read_text()
    assert "BPMTIMELINETABLE" not in page
    assert '<code class="language-markdown">```sh' in page
    assert "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 |" in page  # as code text
    write(repo, CLEAN)
    ran = bpm("site", str(out), "--as-of", "2026-11-30")
    page = (out / "pm/2026-11-20-checkout-outage.html").read_text()
    assert "BPMTIMELINETABLE" not in page and "<td>Pushed config v42</td>" in page
