"""Faults: killed writers, concurrent writers, a full disk. The file is never half written."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bpmcli.format import postmortem as model
from bpmcli.format import timeline
from conftest import Repo

ENV = {**os.environ, "BPM_NOW": "2026-11-23T09:30:00+00:00"}
PM = "postmortems/2026/2026-11-20-db.md"


def bpm_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "bpmcli", *args]


@pytest.fixture
def pm(repo: Repo) -> Path:
    done = subprocess.run(
        bpm_args("new", "incident", "DB", "--started", "2026-11-20 10:00", "--severity", "SEV2"),
        cwd=repo.path,
        env=ENV,
        capture_output=True,
    )
    assert done.returncode == 0
    return repo.path / PM


def rows(path: Path) -> list[tuple[str, ...]]:
    return [r.values() for r in timeline.read(model.load(path))]


def killed_at_random(cwd: Path, args: list[str], rng: random.Random) -> None:
    process = subprocess.Popen(
        bpm_args(*args), cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(rng.uniform(0.05, 0.7))
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_sigkill_during_timeline_add_leaves_old_or_new(repo: Repo, pm: Path) -> None:
    rng = random.Random(7)
    landed = 0
    for i in range(150):
        before, before_rows = pm.read_bytes(), rows(pm)
        killed_at_random(
            repo.path,
            [
                "timeline",
                "add",
                PM,
                "--time",
                f"{10 + i // 60:02d}:{i % 60:02d}",
                "--actor",
                "bot",
                "--event",
                f"event {i}",
            ],
            rng,
        )
        after = pm.read_bytes()
        assert after, "the file must never be empty"
        if after == before:
            continue
        landed += 1
        assert rows(pm) == [
            *before_rows,
            (f"2026-11-20 {10 + i // 60:02d}:{i % 60:02d}", "bot", f"event {i}", "", "", ""),
        ]
        assert after.startswith(before[: before.index(b"| Time (UTC)")])
    assert 0 < landed < 150  # some kills came before the write, some after: both outcomes met


def test_sigkill_during_action_add_and_new(repo: Repo, pm: Path) -> None:
    rng = random.Random(11)
    for i in range(40):
        before = pm.read_bytes()
        count = len(model.load(pm).actions)
        killed_at_random(
            repo.path,
            ["action", "add", PM, f"Add guard number {i}", "--owner", "bob", "--kind", "prevent"],
            rng,
        )
        after = pm.read_bytes()
        assert after == before or len(model.load(pm).actions) == count + 1
    folder = repo.path / "postmortems" / "2026"
    for i in range(40):
        killed_at_random(
            repo.path, ["new", "incident", f"Killed {i}", "--started", "2026-11-21 10:00"], rng
        )
    for path in folder.glob("2026-11-21-*.md"):
        pm_new = model.load(path)  # every file that exists is complete and readable
        assert pm_new.title is not None and pm_new.section("Action items") is not None


def test_ten_concurrent_timeline_adds_all_land_in_order(repo: Repo, pm: Path) -> None:
    processes = [
        subprocess.Popen(
            bpm_args(
                "timeline",
                "add",
                PM,
                "--time",
                f"11:{i:02d}",
                "--actor",
                f"p{i}",
                "--event",
                "at once",
            ),
            cwd=repo.path,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in reversed(range(10))
    ]
    assert [p.wait() for p in processes] == [0] * 10
    assert [r[1] for r in rows(pm)] == [f"p{i}" for i in range(10)]


def test_a_full_disk_is_a_clear_error_and_the_file_is_intact(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )
    assert mounted or os.geteuid() != 0, "tests run as root need to mount a small tmpfs"
    try:
        done = subprocess.run(
            bpm_args("new", "incident", "Disk", "--started", "2026-11-20 10:00"),
            cwd=folder,
            env=ENV,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        target = folder / "postmortems/2026/2026-11-20-disk.md"
        before = target.read_bytes()
        limit = None
        if mounted:
            with (folder / "filler").open("wb", buffering=0) as filler:  # fill it to the brim
                try:
                    while True:
                        filler.write(b"\0" * 512)
                except OSError:
                    pass
        else:
            limit = len(before) + 10  # without root: a file size limit makes the write fail

        def limited() -> None:
            if limit is not None:
                import resource

                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        ran = subprocess.run(
            bpm_args(
                "timeline",
                "add",
                str(target),
                "--time",
                "10:05",
                "--actor",
                "a",
                "--event",
                "x" * 5000,
            ),
            cwd=folder,
            env=ENV,
            capture_output=True,
            text=True,
            preexec_fn=limited,
        )
        assert ran.returncode == 1
        assert ran.stderr.startswith("error: postmortems/2026/2026-11-20-disk.md: cannot write: ")
        assert ran.stderr.endswith("; the file was not changed\n") and ran.stderr.count("\n") == 1
        assert target.read_bytes() == before
        assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)


def _lint(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        bpm_args("lint", "--format", "json", "--no-cache", *args),
        cwd=repo.path,
        env=ENV,
        capture_output=True,
        text=True,
    )


def test_stale_temp_files_are_reported_and_removed_by_the_next_write(repo: Repo, pm: Path) -> None:
    """What a write killed between its temp file and the rename leaves (#16)."""
    repo.git("add", PM)
    repo.commit("Postmortem")
    folder = pm.parent
    stale = folder / f".{pm.name}.k3x_9q0z.tmp"  # bpm's own pattern (mkstemp's 8 characters)
    stale.write_text("half a postmortem")
    orphan = folder / ".2026-11-21-new.md.ab12cd34.tmp"  # a `bpm new` killed before the link
    orphan.write_text("")
    mine = folder / ".notes.tmp"  # not bpm's: never touched
    mine.write_text("keep")
    ran = _lint(repo)
    found = [(f["path"], f["code"], f["severity"]) for f in json.loads(ran.stdout)]
    assert (str(stale.relative_to(repo.path)), "BPM902", "error") in found
    assert (str(orphan.relative_to(repo.path)), "BPM902", "error") in found
    assert not any(".notes.tmp" in path for path, _, _ in found)
    assert ran.returncode == 1
    as_pre_commit_runs_it = json.loads(_lint(repo, PM).stdout)
    assert "BPM902" in {f["code"] for f in as_pre_commit_runs_it}
    since = json.loads(_lint(repo, "--since", "HEAD").stdout)  # untracked: counts whole
    assert {f["path"] for f in since if f["code"] == "BPM902"} == {
        str(stale.relative_to(repo.path)),
        str(orphan.relative_to(repo.path)),
    }
    added = subprocess.run(
        bpm_args("timeline", "add", PM, "--time", "10:05", "--actor", "a", "--event", "Paged"),
        cwd=repo.path,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert added.returncode == 0, added.stderr
    assert not stale.exists() and not orphan.exists() and mine.read_text() == "keep"
    assert "BPM902" not in {f["code"] for f in json.loads(_lint(repo).stdout)}
    stale.write_text("")
    made = subprocess.run(
        bpm_args("new", "incident", "Cache", "--started", "2026-11-20 11:00", "--severity", "SEV3"),
        cwd=repo.path,
        env=ENV,
        capture_output=True,
    )
    assert made.returncode == 0 and not stale.exists()  # `bpm new` holds the lock and clears too
