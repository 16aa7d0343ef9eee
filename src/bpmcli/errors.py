"""The errors bpm reports to users.

The core raises these; only the CLI turns them into a message and an exit code. Every
error renders as one line that names the file (and line, where one is known).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Exit codes, documented in docs/cli.md. They are part of bpm's stable interface.
EXIT_OK = 0
EXIT_FAILURE = 1  # the command ran and found a problem: a finding, a broken file, a failed write
EXIT_USAGE = 2  # the command could not run as asked: arguments, config, templates


class BpmError(Exception):
    """A problem the user can fix, reported as one line and an exit code."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        shown = relative_to_cwd(Path(self.path))
        where = shown if self.line is None else f"{shown}:{self.line}"
        return f"{where}: {self.message}"


def relative_to_cwd(path: Path) -> str:
    """`path` as users type it: relative to the working folder, as git shows paths."""
    text = str(path)
    if not path.is_absolute():
        return text
    try:
        here = os.getcwd()  # noqa: PTH109 - a str, once per path: no Path objects
        if text.startswith(here + os.sep):  # the common case, without relpath's work
            return text[len(here) + 1 :]
        return os.path.relpath(path, here)
    except (ValueError, OSError):  # another drive, or the working folder is gone
        return str(path)


class UsageError(BpmError):
    """Bad arguments, bad config, a broken template: the command could not start."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """The configuration file is unreadable or holds a bad key or value."""


class PostmortemError(BpmError):
    """A postmortem file that cannot be read or edited as asked."""


class SendError(BpmError):
    """A message (an email, a webhook POST) another machine did not accept; one line why."""
