"""Running the real bpm with its stdout or stderr on a pseudo-terminal of a chosen size."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import termios
import threading
from dataclasses import dataclass
from pathlib import Path

# What the user's environment could set that changes what these tests see.
UNSET = ("PAGER", "BPM_PAGER", "LESS", "LV", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")

# The real entry point, with progress drawn from the first item on (output/progress.py waits
# SHOW_AFTER seconds first, and these tests must not depend on how fast the machine is).
PROGRESS_AT_ONCE = """
import sys
import bpmcli.output.progress as progress
progress.SHOW_AFTER = 0
from bpmcli.cli import main
sys.argv = ["bpm", *sys.argv[1:]]
main()
"""


@dataclass
class Seen:
    code: int
    stdout: str  # as the terminal got it (line ends as \n), or as the pipe got it
    stderr: str


def run(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    stdout_tty: bool = True,
    stderr_tty: bool = False,
    size: tuple[int, int] = (24, 80),
    driver: str | None = None,
) -> Seen:
    """bpm `args` in `cwd`; the streams asked for are one pseudo-terminal of `size` (rows,
    columns), the others are files. What the terminal shows is read while bpm runs."""
    full_env = {k: v for k, v in os.environ.items() if k not in UNSET}
    full_env |= {"BPM_NOW": "2026-11-23T09:30:00+00:00", "TERM": "xterm-256color", **(env or {})}
    command = [sys.executable, *(["-c", driver] if driver else ["-m", "bpmcli"]), *args]
    leader, follower = os.openpty()
    termios.tcsetwinsize(follower, size)
    shown: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(leader, shown))
    reader.start()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=follower if stdout_tty else out,
            stderr=follower if stderr_tty else err,
            check=False,
            timeout=120,
        )
        os.close(follower)
        reader.join(timeout=30)
        os.close(leader)
        out.seek(0)
        err.seek(0)
        terminal = b"".join(shown).decode("utf-8", "replace").replace("\r\n", "\n")
        piped_out, piped_err = out.read().decode(), err.read().decode()
    return Seen(
        done.returncode,
        terminal if stdout_tty else piped_out,
        terminal if stderr_tty else piped_err,
    )


def _read_all(leader: int, into: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: every end of the terminal was closed, all of it was read
            return
        if not chunk:
            return
        into.append(chunk)
