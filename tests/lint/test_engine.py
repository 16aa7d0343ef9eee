"""Exit codes, selection, config severities, suppressions, the cache and --since."""

from __future__ import annotations

import json
import os

import pytest

from conftest import Repo, snapshot
from lint.base import CLEAN, PATH, Bpm, findings, lint_json

VAGUE = CLEAN.replace("action: Make the splitter idempotent", "action: Investigate the splitter")
HINDSIGHT = CLEAN.replace("The config push reached all regions at once.", "We should have waited.")


def test_exit_codes_strict_and_exit_zero(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, HINDSIGHT)  # one warning
    assert bpm("lint").exit_code == 0
    assert bpm("lint", "--strict").exit_code == 1
    repo.write(PATH, VAGUE)  # one error
    assert bpm("lint").exit_code == 1
    assert bpm("lint", "--exit-zero").exit_code == 0
    assert bpm("lint", "--select", "BPM999").exit_code == 2
    assert bpm("lint", "--format", "yaml").exit_code == 2


def test_text_output(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, VAGUE)
    ran = bpm("lint")
    assert ran.stdout == (
        f"{PATH}:11:5: error BPM103 action A1 starts with the vague verb 'investigate': say what the "
        "investigation will produce: 'Write a decision record on ...'\n"
        "Found 1 error and 0 warnings in 1 of 1 file.\n"
    )
    repo.write(PATH, CLEAN)
    assert bpm("lint").stdout == "No problems in 1 file.\n"


def test_paths_files_and_folders(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, VAGUE)
    repo.write("elsewhere/notes/x.md", "no front matter\n")
    # issue #14: no front matter is BPM001, and the body is linted too (no section in it)
    assert [f["code"] for f in lint_json(bpm, "elsewhere")[1]] == ["BPM001"] + ["BPM402"] * 6
    paths = [f["path"] for f in lint_json(bpm, PATH, "elsewhere/notes/x.md")[1]]
    assert list(dict.fromkeys(paths)) == [PATH, "elsewhere/notes/x.md"]
    ran = bpm("lint", "missing.md")
    assert (ran.exit_code, ran.stderr) == (2, "error: no such file or folder: missing.md\n")


def test_select_ignore_and_config_severities(bpm: Bpm, repo: Repo) -> None:
    text = VAGUE.replace("The config push reached all regions at once.", "We should have waited.")
    assert [c for c, _, _ in findings(bpm, repo, text)] == ["BPM103", "BPM302"]
    assert [c for c, _, _ in findings(bpm, repo, text, "--select", "BPM3")] == ["BPM302"]
    assert [c for c, _, _ in findings(bpm, repo, text, "--ignore", "BPM103,BPM302")] == []
    repo.write(".bpm.toml", '[rules]\nBPM103 = "off"\nBPM302 = "error"\n')
    code, found = lint_json(bpm, "--no-cache")
    assert code == 1
    assert [(f["code"], f["severity"]) for f in found] == [("BPM302", "error")]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ("<!-- bpm-disable-next-line BPM302 -->\nWe should have waited.", []),
        ("<!-- bpm-disable-next-line -->\nWe should have waited.", []),
        (
            "<!-- bpm-disable BPM302 -->\nWe should have waited.\n<!-- bpm-enable BPM302 -->\nIt should have been staged.",
            [("BPM302", 24, 4)],
        ),
        (
            "<!-- bpm-disable-next-line BPM301 -->\nWe should have waited.",
            [("BPM302", 22, 4), ("BPM901", 21, 1)],
        ),
        ("<!-- bpm-disable-file BPM302 -->\nWe should have waited.", []),
        ("<!-- bpm-disable BPM999 -->\nAll fine.", [("BPM901", 21, 1)]),
    ],
)
def test_suppression_comments(
    bpm: Bpm, repo: Repo, edit: str, expected: list[tuple[str, int, int]]
) -> None:
    text = CLEAN.replace("The config push reached all regions at once.", edit)
    assert sorted(findings(bpm, repo, text)) == sorted(expected)


def test_suppression_in_the_front_matter(bpm: Bpm, repo: Repo) -> None:
    text = VAGUE.replace(
        "    action: Investigate", "    # bpm-disable-next-line BPM103\n    action: Investigate"
    )
    assert findings(bpm, repo, text) == []


def test_cache_is_used_outside_the_tree_and_invalidated(bpm: Bpm, repo: Repo) -> None:
    for n in range(40):  # the cache is used from 32 files on
        repo.write(
            f"postmortems/2025/2025-01-{n % 28 + 1:02d}-x{n}.md",
            CLEAN.replace("id: 2026-11-20-checkout-outage", f"id: 2025-01-{n % 28 + 1:02d}-x{n}"),
        )
    repo.write(PATH, VAGUE)
    before = snapshot(repo.path)
    first = bpm("lint", "--format", "json")
    cache = repo.path / ".git" / "bpm" / "lint-cache.json"
    assert cache.is_file() and snapshot(repo.path) == before  # nothing in the tracked tree
    # Prove the second run reads the cache: plant a finding only the cache knows.
    stored = json.loads(cache.read_text())
    for entry in stored["entries"].values():
        if entry and entry[0][2] == "BPM103":
            entry[0][4] = "from the cache"
    cache.write_text(json.dumps(stored))
    assert "from the cache" in bpm("lint", "--format", "json").stdout
    assert "from the cache" not in bpm("lint", "--format", "json", "--no-cache").stdout
    assert json.loads(cache.read_text()) == stored  # --no-cache leaves it alone
    repo.write(PATH, VAGUE + "\nMore text.\n")  # new content: linted again
    assert "from the cache" not in bpm("lint", "--format", "json").stdout
    repo.write(PATH, VAGUE)
    cache.write_text(json.dumps(stored))
    repo.write(".bpm.toml", "review_sla_days = 5\n")  # new config: a new cache
    assert "from the cache" not in bpm("lint", "--format", "json").stdout
    cache.write_text("{corrupt")
    again = bpm("lint", "--format", "json")
    assert again.exit_code == 1 and json.loads(again.stdout) == json.loads(first.stdout)


def test_since_reports_only_changed_lines(bpm: Bpm, repo: Repo) -> None:
    old = HINDSIGHT.replace("## Impact\n", "## Impact\n\nObviously, it failed.\n")
    repo.write(PATH, old)
    base = repo.commit("Old postmortem", {PATH: old})
    new = old.replace("Checkout failed for 30% of requests.", "Clearly, checkout failed.")
    repo.commit("Edit", {PATH: new}, author="Bo Lindqvist", date="2026-02-01T10:00:00+00:00")
    repo.write(
        "postmortems/2026/2026-11-21-new.md", "not a postmortem\n"
    )  # untracked: all lines new
    code, found = lint_json(bpm, "--since", base)
    assert code == 1  # the BPM001 of the new file is an error
    new_file = [("BPM001", 1)] + [("BPM402", 1)] * 6  # issue #14: its body is linted too
    assert [(f["code"], f["line"]) for f in found] == [("BPM302", 27), *new_file]
    assert len(lint_json(bpm)[1]) == 10
    ran = bpm("lint", "--since", "no-such-rev")
    assert (ran.exit_code, ran.stderr) == (2, "error: unknown revision 'no-such-rev'\n")


def test_since_outside_a_repository(bpm: Bpm, tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path)) / "plain"
    (folder / "postmortems").mkdir(parents=True)
    ran = bpm("lint", "--since", "HEAD", cwd=folder)
    assert (ran.exit_code, ran.stderr) == (2, "error: not inside a git repository\n")


def test_a_file_saved_during_the_run_is_not_trusted_later(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#16 item 5: the racy-clean rule is timed from the run's start, not its end.

    The run lints v1 (clean), the user saves v2 (an error, same size, same inode) in the
    tick of v1's stat, and the run then writes its cache. v2's mtime is after the run
    began, so the next run must read v2 again, however long the first run took. The
    racy margin (for the file system's coarse clock) is set to 0: the test sets the mtime
    itself, to a time after the run began, so nothing depends on timing.
    """
    import datetime as dt
    import time
    from pathlib import Path

    from bpmcli.config import Config
    from bpmcli.lint import engine
    from bpmcli.lint.cache import LintCache
    from bpmcli.store import cache as store_cache

    folder = Path(str(tmp_path))
    monkeypatch.setattr(store_cache, "RACY_NS", 0)
    chosen = engine.settings(Config(root=folder), dt.date(2026, 11, 23))
    path = folder / "2026-11-20-checkout-outage.md"
    erroneous = CLEAN.replace("Make the splitter idempotent", "Investigate the splitter now")
    assert len(erroneous) == len(CLEAN)
    first = LintCache(folder / "lint.json", "salt")  # the run begins
    path.write_text(CLEAN)
    saved = time.time_ns()  # saved during the run
    os.utime(path, ns=(saved, saved))
    assert engine.lint([path], chosen, first).findings == []
    with path.open("r+b") as file:  # v2, in place: same inode, same size, same mtime
        file.write(erroneous.encode())
    os.utime(path, ns=(saved, saved))
    first.save()
    second = LintCache(folder / "lint.json", "salt")
    codes = [f.code for f in engine.lint([path], chosen, second).findings]
    assert codes == ["BPM103"]


def test_a_file_saved_just_before_the_first_run_is_trusted_after_the_next(
    tmp_path: pytest.TempPathFactory,
) -> None:
    """The cache is saved again when a later run can vouch for a record the first could
    not (same record, but now old enough): else that file would be hashed at every run."""
    import datetime as dt
    from pathlib import Path

    from bpmcli.config import Config
    from bpmcli.lint import engine
    from bpmcli.lint.cache import LintCache
    from bpmcli.store.cache import RACY_NS

    folder = Path(str(tmp_path))
    chosen = engine.settings(Config(root=folder), dt.date(2026, 11, 23))
    path = folder / "2026-11-20-checkout-outage.md"
    path.write_text(CLEAN)
    first = LintCache(folder / "lint.json", "salt")
    saved = first.store.started_ns - RACY_NS + 1_000  # inside the racy window of run 1
    os.utime(path, ns=(saved, saved))
    engine.lint([path], chosen, first)
    first.save()
    second = LintCache(folder / "lint.json", "salt")
    assert second.known_digest(str(path), path.stat()) is None  # racy for run 1's cache
    engine.lint([path], chosen, second)
    second.save()
    third = LintCache(folder / "lint.json", "salt")
    assert third.known_digest(str(path), path.stat()) is not None
