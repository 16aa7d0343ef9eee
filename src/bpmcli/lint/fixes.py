"""Fixes that are certain: text edits that make one finding go away and change nothing else.

A `Fix` belongs to the finding of its `code` on its `line`, and is offered only beside that
finding: an `id` that differs from the file name (BPM002) gets the file name; a suppression
comment on a line where BPM901 says it suppresses nothing is deleted, when it is the only
one on that line. The right text is known and no byte outside the replaced span changes;
anything less sure gets no fix. `bpm lsp` offers these as code actions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from bpmcli.errors import BpmError


class Edit(NamedTuple):
    """Replace `text[start:end]` of the whole file (character offsets) with `new`."""

    start: int
    end: int
    new: str


class Fix(NamedTuple):
    code: str  # the rule whose finding it fixes
    line: int  # the finding's line, 1-based
    title: str
    edits: tuple[Edit, ...]
    about: str = ""  # how the finding's message starts, when the rule says several things

    def fixes(self, code: str, line: int, message: str) -> bool:
        """Whether this fix belongs to that finding."""
        return (code, line) == (self.code, self.line) and message.startswith(self.about)


def certain_fixes(text: str, path: Path) -> list[Fix]:
    """Every certain fix for the file `path` whose text is `text`."""
    return [*_id_from_file_name(text, path), *_unused_suppressions(text, path)]


def apply(text: str, edits: tuple[Edit, ...]) -> str:
    """`text` with `edits` made (they do not overlap)."""
    for edit in sorted(edits, reverse=True):
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


def _id_from_file_name(text: str, path: Path) -> Iterator[Fix]:
    from bpmcli.format.postmortem import parse

    try:
        pm = parse(text.encode("utf-8"), path)
    except BpmError:
        return
    pair = _top_level_pair(pm.node, "id")
    if pair is None:
        return
    key, value = pair
    if value.tag != "tag:yaml.org,2002:str" or value.style not in (None, ""):
        return  # missing, empty, quoted, a block scalar or a number: not certain
    stem = path.stem
    if (
        value.value == stem
        or not key.start_mark.line == value.start_mark.line == value.end_mark.line
    ):
        return
    if not _reads_back_as_text(stem):
        return
    start = pm.where.yaml_start + value.start_mark.index
    end = pm.where.yaml_start + value.end_mark.index
    line = pm.where.yaml_line + key.start_mark.line  # where BPM002 places its finding
    edit = Edit(start, end, stem)
    yield Fix("BPM002", line, f"Set id to the file name, {stem}", (edit,), "`id` is ")


def _top_level_pair(root: Any, key: str) -> tuple[Any, Any] | None:
    """The key and value nodes of `key`; None when it is missing, empty or given twice."""
    found = [
        (k, v) for k, v in getattr(root, "value", None) or [] if getattr(k, "value", None) == key
    ]
    if len(found) != 1 or found[0][1].start_mark.index >= found[0][1].end_mark.index:
        return None
    return found[0]


def _reads_back_as_text(stem: str) -> bool:
    """Whether `stem` written plain reads back as that very string (not a date, a number)."""
    from bpmcli.format.frontmatter import plain_scalar

    try:
        return bool(plain_scalar(stem) == stem and stem.strip() == stem and ":" not in stem)
    except BpmError:
        return False


def _unused_suppressions(text: str, path: Path) -> Iterator[Fix]:
    """Deleting the one directive of a line: the whole line when it holds nothing else."""
    if "bpm-" not in text:
        return
    from bpmcli.format.frontmatter import lines, split
    from bpmcli.lint.rules.suppression import _patterns

    try:
        where = split(text)
    except BpmError:
        return
    body_line = where.body_line if where else 1
    body, yaml, _ = _patterns()
    for number, (start, stop, content) in enumerate(lines(text), start=1):
        matches = list((yaml if number < body_line else body).finditer(content))
        if len(matches) != 1:
            continue
        (match,) = matches
        before = content[: match.start()].rstrip()
        after = content[match.end() :].strip()
        if not before and not after:
            edit = Edit(start, stop, "")  # the line, with its line ending
        else:
            edit = Edit(start + len(before), start + match.end(), "")
        yield Fix("BPM901", number, "Delete the unused bpm-disable comment", (edit,))
