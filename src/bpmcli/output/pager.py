"""Long output through a pager when standard output is a terminal, as git does.

The pager is `$BPM_PAGER`, else `$PAGER`, else `less` (with LESS=FRX and LV=-c when they are
unset, git's defaults); empty or `cat` means none, and so does TERM=dumb when no pager is
named (less needs a real terminal). Unlike git, bpm starts it only for output that does
not fit: what a command writes is held until it fills the terminal's height (less one
row, for the prompt), then the pager gets it and the rest; shorter output is written as
it would have been. A pager that cannot be started is a warning and the output is written
directly; a pager quit early (`q` in less) ends the command quietly, with its exit code.

This is the second place that starts a process (docs/architecture.md): the pager is the
user's program, reading the user's terminal, and has nothing to do with git.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import IO, TextIO, cast

NO_PAGER = ("", "cat")
# Commands with these go through `sh -c` (git's list, less the space and quotes shlex
# reads): a pipe or a variable in BPM_PAGER works as it does for git.
_SHELL_SYNTAX = re.compile(r"[|&;<>()$`\\*?\[#~=%\n]")
# What a terminal draws in no cells: CSI (colours) and OSC (links) sequences.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def command() -> str | None:
    """The pager to use, or None: standard output is not a terminal, or no pager is wanted."""
    if not sys.stdout.isatty():
        return None
    named = os.environ.get("BPM_PAGER")
    if named is None:
        named = os.environ.get("PAGER")
    if named is None:
        return None if os.environ.get("TERM") == "dumb" else "less"
    return None if named.strip() in NO_PAGER else named


@contextmanager
def paging(enabled: bool = True) -> Iterator[None]:
    """Standard output, while the block runs, goes to the pager once it outgrows the screen."""
    pager = command() if enabled else None
    if pager is None:
        yield
        return
    real = sys.stdout
    held = Held(real, pager, *_screen())
    sys.stdout = cast(TextIO, held)
    try:
        yield
    finally:
        sys.stdout = real
        held.finish()


def _screen() -> tuple[int, int]:
    """Columns and rows of the terminal (COLUMNS and LINES first, as rich reads them)."""
    size = shutil.get_terminal_size()
    return max(size.columns, 1), max(size.lines, 2)


class Held:
    """Standard output as a terminal would show it, kept until it is a screen too long."""

    def __init__(self, real: TextIO, pager: str, columns: int, lines: int) -> None:
        self.real = real
        self.pager = pager
        self.columns = columns
        self.fits = lines - 1  # rows that leave the prompt on the screen
        self.kept: list[str] = []
        self.finished_rows = 0  # rows taken by the kept text's finished lines
        self.column = 0  # cells on its last, unfinished line
        self.stdin: IO[bytes] | None = None  # the pager's, once it runs
        self.wait: Callable[[], int] | None = None  # waits for the pager, once it runs
        self.encoding = getattr(real, "encoding", None) or "utf-8"
        self.errors = "replace"

    def isatty(self) -> bool:
        return True  # what is written is meant for the terminal (its colour, its width)

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        # The terminal's: asked for its size (terminal.width, rich), never written to here.
        return self.real.fileno()

    def write(self, text: str) -> int:
        if self.wait is None:
            self.kept.append(text)
            self._count(text)
            if self.rows > self.fits:
                self._start_pager()
        elif self.stdin is not None:
            try:
                self.stdin.write(text.encode(self.encoding, self.errors))
            except OSError:  # BrokenPipeError: `q` in less before the end; drop the rest
                self.stdin = None
        return len(text)

    def flush(self) -> None:
        if self.stdin is not None:
            try:
                self.stdin.flush()
            except OSError:
                self.stdin = None

    @property
    def rows(self) -> int:
        return self.finished_rows + -(-self.column // self.columns)

    def _count(self, text: str) -> None:
        """Rows as the terminal wraps them: a line of N cells takes ceil(N / columns)."""
        *finished, last = _ESCAPES.sub("", text).split("\n")
        for line in finished:
            self.finished_rows += max(1, -(-(self.column + _cells(line)) // self.columns))
            self.column = 0
        self.column += _cells(last)

    def _start_pager(self) -> None:
        import subprocess  # here: most runs never page

        env = dict(os.environ)
        env.setdefault("LESS", "FRX")
        env.setdefault("LV", "-c")
        try:
            process = subprocess.Popen(_argv(self.pager), stdin=subprocess.PIPE, env=env)
        except OSError as exc:
            from bpmcli.output.terminal import warn

            warn([f"cannot run the pager {self.pager!r}: {exc.strerror}"])
            self.fits = sys.maxsize  # all of it is written directly at the end
            return
        self.stdin, self.wait = process.stdin, process.wait
        text, self.kept = "".join(self.kept), []
        self.write(text)

    def finish(self) -> None:
        """Write what was kept (it fitted), or end the pager's input and wait for it."""
        if self.wait is None:
            self.real.write("".join(self.kept))
            self.real.flush()
            return
        if self.stdin is not None:
            with suppress(OSError):  # the pager quit before reading the last of it
                self.stdin.close()
        # Ctrl-C in less belongs to less (it stops a search): bpm waits until the pager ends.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            self.wait()
        finally:
            signal.signal(signal.SIGINT, previous)


def _cells(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line.expandtabs(8)) if not line.isascii() or "\t" in line else len(line)


def _argv(pager: str) -> list[str]:
    """The pager's argv: split as a shell would, or `sh -c` when it uses shell syntax."""
    if _SHELL_SYNTAX.search(pager):
        return ["/bin/sh", "-c", pager]
    try:
        return shlex.split(pager)
    except ValueError:  # an unclosed quote: let the shell say what is wrong
        return ["/bin/sh", "-c", pager]
