"""`bpm demo`: each command of the example, as typed, then its output."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from bpmcli.output import terminal

if TYPE_CHECKING:
    from bpmcli.demo import Step


def write(target: Path, steps: Iterable[Step]) -> None:
    """Print as the steps run (each is a real command): the output appears as it happens."""
    out = terminal.console()
    out.print(terminal.text(f"Building an example repository in {target}", "bold"))
    for step in steps:
        out.print()
        out.print(terminal.text(f"$ {step.command}", "bold cyan"))
        if step.output:
            sys.stdout.write(terminal.clean(step.output, one_line=False) + "\n")
            sys.stdout.flush()
    out.print()
    out.print(terminal.text(f"Explore it: cd {target}", "bold"))
