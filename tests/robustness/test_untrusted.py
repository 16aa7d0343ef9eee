"""Repositories from strangers: no code runs, nothing outside is read, output stays inert."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from conftest import Ran, Repo, act, pm_text, snapshot
from lint.base import CLEAN

Bpm = Callable[..., Ran]
PATH = "postmortems/2026/2026-11-20-checkout-outage.md"


def test_links_to_files_outside_are_not_read_and_not_written(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: outside\n---\n")
    repo.write(PATH, CLEAN)
    link = repo.path / "postmortems/2026/2026-11-21-link.md"
    link.symlink_to(secret)
    found = json.loads(bpm("lint", "--format", "json", "--no-cache").stdout)
    assert all("link" not in f["path"] for f in found)
    assert "2026-11-21-link" not in bpm("list", "-f", "json").stdout
    before = secret.read_bytes()
    ran = bpm(
        "timeline", "add", str(link), "--actor", "a", "--event", "b", "--time", "2026-11-21 10:00"
    )
    assert ran.exit_code == 1
    assert ran.stderr.endswith("is a symbolic link; bpm does not write through links\n")
    assert secret.read_bytes() == before


def test_a_postmortem_folder_that_leads_outside_is_refused(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "2026").mkdir(parents=True)
    (outside / "2026" / "x.md").write_text("---\ntitle: outside\n---\n")
    (repo.path / "postmortems").symlink_to(outside)
    for args in (["lint"], ["list"], ["report", "overdue"]):
        ran = bpm(*args)
        assert ran.exit_code == 2
        assert (
            ran.stderr
            == "error: the postmortem folder 'postmortems' leads outside the project (a symbolic link?)\n"
        )


def test_a_fifo_named_md_does_not_hang_lint(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, CLEAN)
    os.mkfifo(repo.path / "postmortems/2026/trap.md")
    ran = bpm("lint", "--format", "json", "--no-cache")
    assert ran.exit_code == 0 and json.loads(ran.stdout) == []


def test_a_hostile_config_cannot_point_outside_or_load_anything(bpm: Bpm, repo: Repo) -> None:
    repo.write(PATH, CLEAN)
    hostile = {
        'dir = "../../../etc"\n': "dir: must be a folder inside the project",
        'templates_dir = "/usr/lib/python3"\n': "templates_dir: must be a folder inside the project",
        'plugins = ["evil:run"]\n': "plugins: unknown key",
        "[rules.BPM103]\nvague_verbs = \"__import__('os').system('touch pwned')\"\n": None,
    }
    for text, message in hostile.items():
        repo.write(".bpm.toml", text)
        before = snapshot(repo.path)
        for args in (["lint", "--no-cache"], ["report", "overdue"]):
            ran = bpm(*args)
            if message:
                assert ran.exit_code == 2 and message in ran.stderr, (text, ran.stderr)
            assert "Traceback" not in ran.stderr
        assert snapshot(repo.path) == before
        assert not (repo.path / "pwned").exists()


def test_terminal_output_is_inert(bpm: Bpm, repo: Repo) -> None:
    evil = CLEAN.replace(
        "action: Make the splitter idempotent",
        'action: "Make it \\e]0;pwned\\a\\e[2J [link=http://x]safe[/link]"',
    ).replace("due: 2026-12-04", "due: 2026-01-04")
    repo.write(PATH, evil)
    for args in (
        ["action", "list"],
        ["report", "overdue", "--no-history"],
        ["show", PATH],
        ["lint"],
    ):
        ran = bpm(*args)
        assert "\x1b" not in ran.stdout + ran.stderr and "\x07" not in ran.stdout, args
    assert "[link=http://x]safe[/link]" in bpm("action", "list").stdout  # shown as text, not markup


def test_a_read_only_file_is_not_replaced(bpm: Bpm, repo: Repo) -> None:
    from conftest import read_only

    target = repo.write(PATH, CLEAN)
    before = snapshot(repo.path)
    with read_only(target):
        ran = bpm("timeline", "add", PATH, "--time", "14:30", "--actor", "a", "--event", "b")
    assert ran.exit_code == 1
    assert (
        ran.stderr == f"error: {PATH}: cannot write: permission denied; the file was not changed\n"
    )
    assert snapshot(repo.path) == before


def test_history_with_a_separator_in_a_name_and_a_commit_after_9999(
    bpm: Bpm, repo: Repo, tmp_path: Path
) -> None:
    """git keeps a US (the history's field separator) in an author's name and dates a
    commit in year 10000 if told; every history report and the site read them (#16)."""
    path = "postmortems/2026/2026-01-05-outage.md"
    actions = [act("A1", "2026-02-01"), act("A2", "2026-02-02")]
    repo.commit("Add", {path: pm_text("2026-01-05-outage", actions)}, author="Ana\x1fOkafor")
    far = "@253402300800 +0000"  # 10000-01-01
    moved = [act("A1", "2026-02-09"), act("A2", "2026-02-02")]
    repo.commit("Move", {path: pm_text("2026-01-05-outage", moved)}, author="Bo", date=far)
    repo.commit("Drop", {path: pm_text("2026-01-05-outage", moved[:1])}, author="Cy", date=far)
    for cache in (["--no-cache"], [], []):  # without, then filling and reading the caches
        for command in (["overdue"], ["vanished"], ["sla"], ["stats"]):
            ran = bpm("report", *command, "--format", "json", *cache)
            assert ran.exit_code == 0, (command, ran.stderr)
        ran = bpm("site", str(tmp_path / "site"), *cache)
        assert ran.exit_code == 0, ran.stderr
    [row] = json.loads(bpm("report", "overdue", "--as-of", "2026-03-01", "-f", "json").stdout)
    assert (row["introduced_by"], row["postponed"]) == ("Ana\x1fOkafor", 1)
    [gone] = json.loads(bpm("report", "vanished", "-f", "json").stdout)
    assert (gone["action_id"], gone["removed_by"], gone["removed_at"]) == ("A2", "Cy", "9999-12-31")
    table = bpm("report", "overdue", "--as-of", "2026-03-01").stdout
    assert "Ana?Okafor" in table and "\x1f" not in table
