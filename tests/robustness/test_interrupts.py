"""Interrupted and killed runs, with real processes and real signals: Ctrl-C on the first
`bpm site` leaves a folder the next one takes, and a killed `bpm lint` or `bpm site`
takes its worker processes with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Repo
from lint.base import CLEAN

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

ENV = {**os.environ, "BPM_NOW": "2026-11-23T09:30:00+00:00"}
FILES = 160  # over lint's and the site's thresholds for worker processes (64, 48)
PROSE = "The deploy went out at 14:03 and the errors rose in every region. " * 400


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """FILES postmortems of some weight, committed: a few seconds of lint and site work."""
    repo = Repo(tmp_path_factory.mktemp("interrupts") / "repo")
    repo.path.mkdir()
    repo.git("init", "-q", "-b", "main")
    for n in range(FILES):
        pm_id = f"2026-11-{n // 8 + 1:02d}-outage-{n}"
        text = CLEAN.replace("2026-11-20-checkout-outage", pm_id)
        repo.write(
            f"postmortems/2026/{pm_id}.md", text.replace("## Impact\n", f"{PROSE}\n\n## Impact\n")
        )
    repo.git("add", "-A")
    repo.commit("Postmortems")
    return repo


def _start(repo: Repo, *args: str) -> subprocess.Popen[bytes]:
    # a session of its own: its process group is what a terminal's Ctrl-C signals
    return subprocess.Popen(
        [sys.executable, "-m", "bpmcli", *args],
        cwd=repo.path,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _children(pid: int) -> set[int]:
    """The live processes `pid` forked (its own name: bpm's workers, not the git it runs)."""
    found = set()
    name = Path(f"/proc/{pid}/comm").read_text()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                comm = (entry / "comm").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == pid and fields[0] != "Z" and comm == name:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _workers(pid: int, at_least: int, seconds: float) -> set[int]:
    """The children `pid` starts, once `at_least` of them were seen (they come and go)."""
    seen: set[int] = set()
    deadline = time.monotonic() + seconds
    while len(seen) < at_least and time.monotonic() < deadline:
        try:
            seen |= _children(pid)
        except OSError:  # it ended
            break
        time.sleep(0.01)
    return seen


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="on one core bpm starts no workers")
@pytest.mark.parametrize("command", ["lint", "site"])
def test_workers_die_with_a_killed_parent(many: Repo, tmp_path: Path, command: str) -> None:
    args = (
        ["lint", "--no-cache"]
        if command == "lint"
        else ["site", str(tmp_path / "out"), "--no-cache"]
    )
    process = _start(many, *args)
    workers: set[int] = set()
    try:
        workers = _workers(process.pid, 2, 60)  # lint's pool; the site's background and pool
        assert len(workers) >= 2, f"no workers started: {process.stderr}"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        left = lambda: not any(map(_alive, workers))  # noqa: E731
        assert _wait_for(left, 10), f"workers left running: {workers}"
    finally:
        for pid in [process.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_ctrl_c_on_the_first_site_build_leaves_a_folder_the_next_build_takes(
    many: Repo, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    process = _start(many, "site", str(out), "--no-cache")
    try:
        assert _wait_for(lambda: (out / "pm").is_dir() and any((out / "pm").iterdir()), 60)
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, stderr  # interrupted mid-build, not finished
    assert not (out / "index.html").exists() or (out / ".bpm-site.json").exists()
    again = subprocess.run(
        [sys.executable, "-m", "bpmcli", "site", str(out), "--no-cache"],
        cwd=many.path,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert (out / "index.html").is_file()
    assert len(list((out / "pm").iterdir())) == FILES
