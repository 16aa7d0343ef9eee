"""Progress on standard error while long work runs, for someone watching a terminal.

`shown()` gives the features a `Progress` (bpmcli/progress.py): this module's display when
standard error is a terminal and TERM is not `dumb`, else `SILENT`, so a pipe, a CI log or
an editor gets no progress bytes at all and the features pay one empty call per item.

The display draws nothing until SHOW_AFTER seconds have passed (fast work does not
flicker), then redraws at most every REFRESH_EVERY seconds (and when a piece of work of
known size is done), from the thread doing the
work: rich's own refresh thread is not used, because lint and the site fork worker
processes while the display is up, and a thread holding a stream's lock at a fork would
leave the child stuck on it. It is transient: once the work is done the lines are gone,
and what the command prints comes after.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from bpmcli.progress import SILENT, Advance, Progress

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

SHOW_AFTER = 0.5  # seconds of work before anything is drawn
REFRESH_EVERY = 0.2  # seconds between redraws: each costs ~3 ms here (7% of a pass at 0.1)


def wanted() -> bool:
    """Whether progress is shown: standard error is a terminal that can redraw a line."""
    return os.environ.get("TERM") != "dumb" and sys.stderr.isatty()


@contextmanager
def shown() -> Iterator[Progress]:
    """The progress the features report to while the block runs; cleared at its end."""
    if not wanted():
        yield SILENT
        return
    display = Display()
    try:
        yield display
    finally:
        display.close()


class _Task:
    """One piece of work: its count so far, and its row in the display once drawn."""

    __slots__ = ("done", "label", "row", "total")  # no dataclass: lint loads this module

    def __init__(self, label: str, total: int | None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.row: TaskID | None = None


class Display:
    """A rich progress display on standard error, started on its first due redraw."""

    def __init__(self) -> None:
        self.tasks: list[_Task] = []
        self.due = time.monotonic() + SHOW_AFTER
        self.rich: RichProgress | None = None

    def task(self, label: str, total: int | None = None) -> Advance:
        state = _Task(label, total)
        self.tasks.append(state)
        if self.rich is not None:
            self._draw()  # the last count of the work before this one

        def advance(done: int) -> None:
            state.done += done
            if time.monotonic() >= self.due or state.done == state.total:  # the end is drawn
                self._draw()

        return advance

    def _draw(self) -> None:
        if self.rich is None:
            self.rich = _start()
        for task in self.tasks:
            if task.row is None:
                task.row = self.rich.add_task(task.label, total=task.total, completed=task.done)
            else:
                self.rich.update(task.row, completed=task.done)
        self.rich.refresh()
        self.due = time.monotonic() + REFRESH_EVERY

    def close(self) -> None:
        if self.rich is not None:
            self.rich.stop()
            self.rich = None


def _start() -> RichProgress:
    from rich.console import Console, RenderableType
    from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, Task, TextColumn
    from rich.text import Text

    class Bar(ProgressColumn):
        """A bar for work of known size; none for a count (a pulsing bar costs a redraw)."""

        bar = BarColumn()

        def render(self, task: Task) -> RenderableType:
            return self.bar.render(task) if task.total is not None else Text()

    class Count(ProgressColumn):
        """`1,234/4,829`, or `84,527` when the total is unknown."""

        def render(self, task: Task) -> Text:
            done = f"{int(task.completed):,}"
            return Text(done if task.total is None else f"{done}/{int(task.total):,}")

    display = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        Bar(),
        Count(),
        console=Console(stderr=True, highlight=False),
        auto_refresh=False,  # redrawn by the work itself: no thread (see the module's doc)
        transient=True,
        redirect_stdout=False,  # standard output is the command's result, written after
    )
    display.start()
    return display
