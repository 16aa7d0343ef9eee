"""How long work says how far it got, without knowing whether anyone is watching.

A feature (the history pass, the site build, lint, import) takes a `Progress` and asks it
for one `Advance` function per piece of work, which it calls with the number of items just
done. The CLI hands over output/progress.py's display when standard error is a terminal;
everywhere else it is `SILENT`, whose advance function does nothing: a feature pays one
call of an empty function per item, and never a terminal write, when nobody watches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

Advance = Callable[[int], None]  # called with how many items were just done


class Progress(Protocol):
    def task(self, label: str, total: int | None = None) -> Advance:
        """Begin a piece of work of `total` items (None: unknown, a count is shown)."""
        ...


def nothing(done: int) -> None:
    """The advance function of work nobody watches."""


class Silent:
    """Progress that shows nothing and costs nothing: the default everywhere."""

    def task(self, label: str, total: int | None = None) -> Advance:
        return nothing


SILENT: Progress = Silent()
