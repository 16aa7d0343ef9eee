"""`bpm import`: the imported files (with --stdout) and the report, text or JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bpmcli.output import terminal

if TYPE_CHECKING:
    from bpmcli.importer import Converted


def _text(results: Sequence[Converted], dry_run: bool) -> None:
    from bpmcli.files import display

    verb = "would import" if dry_run else "imported"
    for result in results:
        if result.error is not None:
            continue
        assert result.target is not None  # every imported file has one
        lines = [
            f"{verb} {result.source} -> {display(result.target)}",
            f"  started {result.day} (from the {result.date_from}); severity {result.severity}",
            _sections_line(result),
            f"  timeline rows: {result.timeline_rows}; actions: {result.actions}",
            *(f"  needs attention: {line}" for line in result.attention),
            f"  converted: {result.summary()}",  # the line every import ends with
        ]
        sys.stdout.write("".join(_one_line(line) + "\n" for line in lines))


def _one_line(text: str) -> str:
    """A report line, its white space (line breaks included) folded first: a heading can be
    a 100 KB line of spaces, and folding them here keeps the cleaning linear."""
    indent = text[: len(text) - len(text.lstrip(" "))]
    return terminal.clean(indent + " ".join(text.split()), one_line=False)


def _sections_line(result: Converted) -> str:
    found = ", ".join(
        f"{section} ({heading})"
        if section and section.lower() != heading.lower()
        else (section or "")
        for heading, section in result.sections
        if section
    )
    kept = ", ".join(heading for heading, section in result.sections if section is None)
    return f"  sections: {found or 'none recognised'}" + (
        f"; kept as they are: {kept}" if kept else ""
    )


def _json(results: Sequence[Converted], dry_run: bool) -> None:
    terminal.print_json([result.as_json() for result in results])


#: `bpm import --report`: name -> writer.
FORMATS: dict[str, Callable[[Sequence[Converted], bool], None]] = {"text": _text, "json": _json}


def write(results: Sequence[Converted], report: str, dry_run: bool, files: bool) -> None:
    """The imported files when `files` (--stdout), the report, then each failure on stderr.

    With --stdout the files are the output: the text report is left out, JSON is not.
    """
    if files:
        for result in results:
            if result.error is None:
                sys.stdout.write(result.text_with(result.id))
    if report != "text" or not files:
        FORMATS[report](results, dry_run)
    for result in results:
        if result.error is not None:
            terminal.note(f"error: {result.error}")
