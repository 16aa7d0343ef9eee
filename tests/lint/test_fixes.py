"""`bpm lint --fix` and `--diff`: the certain fixes (cases in cases/fixes.yaml), that they
change no byte they do not mean to, and the CLI around them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bpmcli.config import Config
from bpmcli.lint import engine
from bpmcli.lint.fixes import FIXED, FIXERS, fix_text
from bpmcli.lint.rules import all_rules
from conftest import Repo, read_only, snapshot
from lint.base import CLEAN, PATH, Bpm

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "fixes.yaml").read_text())["cases"]
TODAY = dt.date(2026, 11, 23)


def _settings(root: Path, case: dict[str, Any]) -> engine.Settings:
    config = Config(
        root,
        required_sections=tuple(case.get("sections", ())),
        review_sla_days=case.get("sla", 5),
        timezone=case.get("timezone", "UTC"),
    )
    return engine.settings(config, TODAY)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_fix_cases(case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / case.get("path", "postmortems/2026-11-20-outage.md")
    settings = _settings(tmp_path, case)
    expected = case.get("after", case["before"])
    fixed = fix_text(case["before"], path, settings)
    assert fixed.text == expected
    assert (fixed.fixed > 0) == ("after" in case)
    assert fix_text(fixed.text, path, settings).text == fixed.text  # nothing left to do


def test_the_fixable_rules_are_the_ones_with_fixers() -> None:
    fixable = {code for code, rule in all_rules().items() if rule.fixable}
    assert fixable == set(FIXERS) == set(FIXED)


# --- no byte changes but the intended ones ------------------------------------------------

# CLEAN, with an empty Impact section (where a missing heading goes back) and a tab.
ORIGINAL = (
    CLEAN.replace("Checkout failed for 30% of requests.\n\n", "")
    .replace("The splitter retried", "The splitter\tretried")
    .replace("| Errors rose | A canary first | The key was optional |\n", "|  |  |  |\n")
)
ORIGINAL = ORIGINAL.replace(
    "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 |  |  |  |\n",
    "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 |  |  |  |\n"
    "| 2026-11-20 14:09 | alice | Paged\t|  |  |  |\n",
)
ROW_1 = "| 2026-11-20 14:03 | deploy-bot | Pushed config v42 |  |  |  |\n"
ROW_2 = "| 2026-11-20 14:09 | alice | Paged\t|  |  |  |\n"
BREAKS: dict[str, Callable[[str], str]] = {
    "id": lambda t: t.replace("id: 2026-11-20-checkout-outage", "id: checkout"),
    "review_by": lambda t: t.replace("review_by: 2026-11-25\n", ""),
    "suppression": lambda t: t.replace(
        "The splitter", "<!-- bpm-disable-next-line BPM301 -->\nThe splitter"
    ),
    "heading": lambda t: t.replace("## Impact\n\n", ""),
    "header": lambda t: t.replace(
        "| Actor | Action or event | Outcome | Expectations | Assumptions |",
        "| Who | What | Result | Expected | Assumed |",
    ),
    "rows": lambda t: t.replace(ROW_1 + ROW_2, ROW_2 + ROW_1),
}
VARIANTS: dict[str, Callable[[str], str]] = {
    "lf": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "no final newline": lambda t: t.rstrip("\n"),
    "bom": lambda t: "\ufeff" + t,
    "bom crlf no final newline": lambda t: "\ufeff" + t.replace("\n", "\r\n").rstrip("\r\n"),
}
ALL = "all at once"


def _broken(name: str, text: str) -> str:
    if name == ALL:
        for each in BREAKS.values():
            text = each(text)
        return text
    return BREAKS[name](text)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("broken", [*BREAKS, ALL])
def test_a_fix_gives_back_the_very_bytes(variant: str, broken: str, tmp_path: Path) -> None:
    """Break a file one way (or all at once), in each shape of line endings, BOM and final
    newline; the fixes make it the original again, byte for byte, so they touched no other
    line. The break is made on LF text, then the shape applied, so CRLF files break as
    CRLF files would."""
    original = VARIANTS[variant](ORIGINAL)
    text = VARIANTS[variant](_broken(broken, ORIGINAL))
    assert text != original
    settings = engine.settings(Config(tmp_path), TODAY)
    fixed = fix_text(text, tmp_path / PATH, settings)
    assert fixed.text.encode("utf-8") == original.encode("utf-8")


# --- the CLI ------------------------------------------------------------------------------

BROKEN = BREAKS["id"](BREAKS["review_by"](CLEAN))


def test_fix_writes_the_file_and_reports_what_remains(bpm: Bpm, repo: Repo) -> None:
    path = repo.write(PATH, BROKEN)
    ran = bpm("lint", "--fix", "--no-cache")
    assert path.read_text() == CLEAN
    assert ran.stderr == "Fixed 2 problems in 1 file.\n"
    assert ran.stdout == "No problems in 1 file.\n"
    assert ran.exit_code == 0


def test_fix_exits_1_when_findings_remain(bpm: Bpm, repo: Repo) -> None:
    path = repo.write(PATH, BROKEN.replace("status: published", "status: finished"))
    ran = bpm("lint", "--fix", "--no-cache", "--format", "json")
    assert ran.exit_code == 1
    assert "id: 2026-11-20-checkout-outage\n" in path.read_text()
    assert [f["code"] for f in yaml.safe_load(ran.stdout)] == ["BPM002"]  # the status


def test_diff_shows_the_fixes_and_writes_nothing(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, BROKEN)
    before = snapshot(repo.path)
    ran = bpm("lint", "--diff", "--no-cache")
    assert snapshot(repo.path) == before
    assert ran.exit_code == 1
    assert f"--- a/{PATH}\n+++ b/{PATH}\n" in ran.stdout
    assert "-id: checkout\n+id: 2026-11-20-checkout-outage\n" in ran.stdout
    assert "+review_by: 2026-11-25\n" in ran.stdout
    assert ran.stderr == "Would fix 2 problems in 1 file.\n"


def test_diff_exits_0_when_there_is_nothing_to_fix(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, CLEAN)
    ran = bpm("lint", "--diff", "--no-cache")
    assert (ran.exit_code, ran.stdout, ran.stderr) == (0, "", "Nothing to fix.\n")


def test_diff_of_a_file_without_final_newline_says_so(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, CLEAN.replace("\n## Action items\n", "\n<!-- bpm-disable BPM301 -->"))
    ran = bpm("lint", "--diff", "--no-cache")
    # the comment goes, the missing Action items heading comes (with its final newline)
    assert ran.stdout.endswith(
        "-<!-- bpm-disable BPM301 -->\n\\ No newline at end of file\n+## Action items\n"
    )


def test_fix_on_stdin_prints_the_fixed_text(bpm: Bpm, repo: Repo) -> None:
    ran = bpm("lint", "--fix", "-", "--stdin-filename", PATH, input=BROKEN)
    assert ran.stdout == CLEAN
    assert ran.exit_code == 0
    assert not (repo.path / PATH).exists()


def test_fix_refuses_since(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, BROKEN)
    ran = bpm("lint", "--fix", "--since", "HEAD")
    assert ran.exit_code == 2
    assert ran.stderr == "error: --fix and --diff edit whole files: not with --since\n"


def test_a_file_that_cannot_be_written_is_one_error_and_left_whole(bpm: Bpm, repo: Repo) -> None:
    path = repo.write(PATH, BROKEN)
    with read_only(path.parent):
        ran = bpm("lint", "--fix", "--no-cache")
    assert path.read_text() == BROKEN
    assert ran.exit_code == 2
    assert ran.stderr.count("\n") == 1
    assert ran.stderr.startswith(f"error: {PATH}: cannot write")


def test_a_file_changed_while_it_was_fixed_is_not_overwritten(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race made deterministic: the fixes are made on the text as read, then the file
    changes (a `bpm action done`, an editor's save), then the write step runs with the
    stale text. It re-reads under the lock and writes nothing."""
    from bpmcli.cli.lint import _fix_files
    from bpmcli.lint.fixes import write_fixed

    monkeypatch.chdir(repo.path)  # where the warning's path is shown from
    path = repo.write(PATH, BROKEN)
    fixed = fix_text(BROKEN, path, engine.settings(Config(repo.path), TODAY)).text
    assert fixed == CLEAN
    saved = BROKEN.replace("status: published", "status: in-review")
    path.write_text(saved)  # the change made while the fixes ran
    assert write_fixed(path, BROKEN, fixed) is False and path.read_text() == saved
    assert _fix_files([(path, BROKEN, fixed, 2)], quiet=False) is True  # the run exits 1
    assert path.read_text() == saved
    assert capsys.readouterr().err == (
        f"warning: {PATH} changed while it was being fixed; not written\n"
    )
    assert write_fixed(path, saved, CLEAN) is True and path.read_text() == CLEAN


def test_fix_on_stdin_reports_what_remains_on_stderr(bpm: Bpm, repo: Repo) -> None:
    text = BROKEN.replace("status: published", "status: finished")
    ran = bpm("lint", "--fix", "-", "--stdin-filename", PATH, input=text)
    assert ran.stdout == text.replace("id: checkout", "id: 2026-11-20-checkout-outage").replace(
        "started: 2026-11-20T14:03:00Z\n", "started: 2026-11-20T14:03:00Z\nreview_by: 2026-11-25\n"
    )
    assert f"{PATH}:5:1: error BPM002" in ran.stderr
    assert ran.exit_code == 1


def test_diff_on_stdin(bpm: Bpm, repo: Repo) -> None:
    ran = bpm("lint", "--diff", "-", "--stdin-filename", PATH, input=BROKEN)
    assert ran.exit_code == 1
    assert "+review_by: 2026-11-25\n" in ran.stdout


def test_diff_wins_over_fix(bpm: Bpm, repo: Repo) -> None:
    path = repo.write(PATH, BROKEN)
    ran = bpm("lint", "--fix", "--diff", "--no-cache")
    assert ran.exit_code == 1
    assert path.read_text() == BROKEN


def test_a_suppressed_or_ignored_finding_is_not_fixed(bpm: Bpm, repo: Repo) -> None:
    path = repo.write(PATH, BROKEN)
    ran = bpm("lint", "--fix", "--no-cache", "--ignore", "BPM002")
    assert path.read_text() == BROKEN
    assert (ran.exit_code, ran.stderr) == (0, "")
