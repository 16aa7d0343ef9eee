"""Fixes that are certain: text edits that make one finding go away and change nothing else.

This module is the one place that knows each fix, keyed by the code of the rule whose
finding it fixes (`FIXERS`); `bpm lint --fix` / `--diff` (`fix_text`) and the code actions
of `bpm lsp` (`certain_fixes`) both ask it. A `Fix` belongs to the finding of its `code` on
its `line`, and is offered only beside that finding:

- BPM002: an `id` that differs from the file name gets the file name; a missing (or empty)
  `review_by` gets `started`'s date (in the configured zone) + `review_sla_days`, as
  `bpm new` writes it.
- BPM901: a suppression comment that suppresses nothing is deleted, when it is the only
  one on its line.
- BPM402: a missing required section gets its heading, placed in `required_sections`
  order (before the next required section present; at the end if none follows).
- BPM201: a hand-written timeline header whose six columns are bpm's under other names
  (`Who`, `What`, `Result`, ...) gets bpm's titles; its time cell is kept as written.
- BPM202: rows out of time order are reordered, only when every row's time parses.

The right text is known and no byte outside the replaced span changes: body edits are
splices; a front matter edit goes through the ruamel round trip and is kept only when
the YAML it re-emits differs from the file's in the one intended line. Anything less sure
gets no fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from bpmcli.errors import BpmError

if TYPE_CHECKING:
    from bpmcli.config import Config
    from bpmcli.format.postmortem import Postmortem
    from bpmcli.lint.engine import Finding, Settings

MAX_ROUNDS = 100  # fix, re-lint, fix again: at most this many rounds per file (as ruff)


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


class Source(NamedTuple):
    """What a fixer reads: the file's text, its path and the config that applies to it."""

    text: str
    path: Path
    config: Config


Fixer = Callable[[Source], Iterator[Fix]]


def certain_fixes(
    text: str, path: Path, config: Config | None = None, codes: Collection[str] | None = None
) -> list[Fix]:
    """Every certain fix for the file `path` whose text is `text` (of the rules `codes`)."""
    if config is None:
        from bpmcli.config import Config

        config = Config(path.parent)
    source = Source(text, path, config)
    return [
        fix
        for code, fixers in FIXERS.items()
        if codes is None or code in codes
        for fixer in fixers
        for fix in fixer(source)
    ]


def apply(text: str, edits: tuple[Edit, ...]) -> str:
    """`text` with `edits` made (they do not overlap)."""
    for edit in sorted(edits, reverse=True):
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


# -- the loop of `bpm lint --fix` ----------------------------------------------------------


class Fixed(NamedTuple):
    text: str  # the text with every certain fix made
    fixed: int  # how many findings the fixes removed


def fix_text(text: str, path: Path, settings: Settings) -> Fixed:
    """`text` with the fixes of its findings made, re-linted after each round, until no fix
    applies (at most MAX_ROUNDS rounds). A suppressed finding, a rule switched off or a
    per-file ignore gets no fix: only the findings `bpm lint` would show are fixed."""
    from bpmcli.lint import engine

    fixed = 0
    seen = {text}
    for _ in range(MAX_ROUNDS):
        found = engine.per_file_ignored(
            engine.lint_bytes(text.encode("utf-8"), path, settings), settings.config
        )
        codes = {f.code for f in found if f.code in FIXERS}
        if not codes:  # most files: nothing fixable, no fixer reads them
            break
        edits, count = _one_round(certain_fixes(text, path, settings.config, codes), found)
        if not edits:
            break
        new = apply(text, edits)
        if new in seen:  # a fix that undoes another: stop rather than loop
            break
        seen.add(new)
        text, fixed = new, fixed + count
    return Fixed(text, fixed)


class FileFixed(NamedTuple):
    path: Path
    text: str  # as read
    fixed: str  # with its fixes made
    problems: int  # findings fixed


def fix_files(paths: Sequence[Path], settings: Settings) -> list[FileFixed]:
    """The files that certain fixes change, with their new text (nothing written), in
    processes as `lint` does from PARALLEL_FROM files. A file that is not UTF-8 text, or
    cannot be read, is left to lint (BPM001)."""
    from functools import partial

    from bpmcli.lint.engine import PARALLEL_FROM
    from bpmcli.lint.rules import all_rules
    from bpmcli.parallel import map_chunks

    all_rules()  # import the rules once, before forking
    done = map_chunks(partial(_fix_paths, settings), list(paths), PARALLEL_FROM)
    return [item for item in done if item is not None]


def _fix_paths(settings: Settings, paths: list[Path]) -> list[FileFixed | None]:
    from bpmcli.files import read_bytes

    out: list[FileFixed | None] = []
    for path in paths:
        try:
            text = read_bytes(path).decode("utf-8")
        except (BpmError, UnicodeDecodeError):
            out.append(None)
            continue
        fixed = fix_text(text, path, settings)
        out.append(FileFixed(path, text, fixed.text, fixed.fixed) if fixed.text != text else None)
    return out


def write_fixed(path: Path, read: str, fixed: str) -> bool:
    """Write `fixed` over `path`, whole and atomic, if the file still holds `read` (the text
    the fixes were made on); False, nothing written, when it changed since.

    THE place `lint --fix` writes. The fixes run on a text read earlier (maybe in another
    process, over up to MAX_ROUNDS rounds): a `bpm action done` or an editor's save in
    between must not be overwritten. So, as every read-modify-write in bpm, under the
    folder's lock, the file is read again and compared first."""
    from bpmcli.files import atomic_write, locked, read_bytes

    with locked(path):
        if read_bytes(path) != read.encode("utf-8"):
            return False
        atomic_write(path, fixed.encode("utf-8"))
    return True


def _one_round(fixes: Sequence[Fix], findings: Sequence[Finding]) -> tuple[tuple[Edit, ...], int]:
    """The edits of the fixes that belong to findings, those that overlap an earlier one
    left for the next round, and how many findings they fix."""
    wanted: dict[tuple[Edit, ...], int] = {}  # one fix may clear several findings (BPM202)
    for finding in findings:
        fix = next((f for f in fixes if f.fixes(finding.code, finding.line, finding.message)), None)
        if fix is not None:
            wanted[fix.edits] = wanted.get(fix.edits, 0) + 1
    chosen: list[Edit] = []
    count = 0
    last_end = -1
    for edits in sorted(wanted, key=lambda e: (min(e).start, max(e).end)):
        first, final = min(edits), max(e.end for e in edits)
        if first.start <= last_end and chosen:
            continue  # touching or overlapping: next round, on the re-linted text
        chosen.extend(edits)
        count += wanted[edits]
        last_end = final
    return tuple(chosen), count


def unified_diff(before: str, after: str, shown: str) -> str:
    """`--diff`'s text for one file: a unified diff, line endings as they are."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        f"a/{shown}",
        f"b/{shown}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


# -- reading the file ----------------------------------------------------------------------


def _postmortem(source: Source, whole: bool = True) -> Postmortem | None:
    """The file parsed; with `whole` False, its body alone when the front matter is broken."""
    from bpmcli.format.postmortem import parse, parse_body

    raw = source.text.encode("utf-8")
    try:
        return parse(raw, source.path)
    except BpmError:
        return None if whole else parse_body(raw, source.path)


# -- BPM002: id ----------------------------------------------------------------------------


def _id_from_file_name(source: Source) -> Iterator[Fix]:
    pm = _postmortem(source)
    if pm is None:
        return
    pair = _top_level_pair(pm.node, "id")
    if pair is None:
        return
    key, value = pair
    if value.tag != "tag:yaml.org,2002:str" or value.style not in (None, ""):
        return  # missing, empty, quoted, a block scalar or a number: not certain
    stem = source.path.stem
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


# -- BPM002: review_by ---------------------------------------------------------------------


def _review_by_from_sla(source: Source) -> Iterator[Fix]:
    """A missing or empty `review_by`: `started`'s day in the configured zone + the SLA,
    inserted after the last time key (or set where the empty key is)."""
    pm = _postmortem(source)
    if pm is None or pm.started is None or pm.meta.get("review_by") is not None:
        return
    from bpmcli.times import review_by

    try:
        due = review_by(pm.started, source.config.timezone, source.config.review_sla_days)
    except (BpmError, ValueError, OverflowError):
        return
    edit = _front_matter_edit(source, pm, lambda data: _insert_review_by(data, due))
    if edit is None:
        return
    pairs = getattr(pm.node, "value", None) or []
    key = next((k for k, _ in pairs if getattr(k, "value", None) == "review_by"), None)
    line = pm.where.yaml_line + key.start_mark.line if key is not None else pm.where.yaml_line - 1
    title = f"Set review_by to {due} (started + {source.config.review_sla_days} days)"
    yield Fix("BPM002", line, title, (edit,), "`review_by` is missing")


def _insert_review_by(data: Any, due: Any) -> None:
    from bpmcli.format.postmortem import FRONT_MATTER_FIELDS

    if "review_by" in data:
        data["review_by"] = due
        return
    earlier = FRONT_MATTER_FIELDS[: FRONT_MATTER_FIELDS.index("review_by")]
    keys = list(data)
    after = max((keys.index(k) for k in earlier if k in data), default=len(keys) - 1)
    data.insert(after + 1, "review_by", due)


def _front_matter_edit(
    source: Source, pm: Postmortem, mutate: Callable[[Any], None]
) -> Edit | None:
    """The ruamel round trip's edit, as the smallest span; None unless it changes exactly one
    line of the front matter (one line added, or one replaced) and nothing else."""
    from bpmcli.format.frontmatter import edit_text

    try:
        new = edit_text(source.text, mutate, source.path)
    except BpmError:
        return None
    old_lines = source.text.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    if not _one_line_changed(old_lines, new_lines):
        return None
    return smallest_edit(source.text, new)


def _one_line_changed(old: list[str], new: list[str]) -> bool:
    import difflib

    changes = [
        op
        for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if len(changes) != 1:
        return False
    tag, i1, i2, j1, j2 = changes[0]
    return (tag, i2 - i1, j2 - j1) in (("insert", 0, 1), ("replace", 1, 1))


def smallest_edit(old: str, new: str) -> Edit:
    """The one edit that turns `old` into `new`: the span between their common ends."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    return Edit(start, len(old) - end, new[start : len(new) - end])


# -- BPM901: unused suppressions -----------------------------------------------------------


def _unused_suppressions(source: Source) -> Iterator[Fix]:
    """Deleting the one directive of a line: the whole line when it holds nothing else."""
    text = source.text
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


# -- BPM402: missing sections --------------------------------------------------------------


def _missing_sections(source: Source) -> Iterator[Fix]:
    """The heading of each missing required section, before the next required one present
    (at its level), or at the end of the file (at the level the required ones share). Not
    in a file without front matter: an archive before `bpm import`, which maps its own
    headings (Root cause, Lessons learned) to the required sections."""
    pm = _postmortem(source)
    if pm is None:
        return
    required = source.config.required_sections
    present = {s.title.casefold(): s for s in pm.sections}
    wanted = [present[n.casefold()] for n in required if n.casefold() in present]
    levels = {s.level for s in wanted}
    for index, name in enumerate(required):
        if name.casefold() in present:
            continue
        later = [present[n.casefold()] for n in required[index + 1 :] if n.casefold() in present]
        level = later[0].level if later else (levels.pop() if len(levels) == 1 else 2)
        edit = _heading_edit(source.text, pm, "#" * level + " " + name, later[0] if later else None)
        if edit is not None and _adds_section(source, edit, name):
            title = f"Add the missing section heading '{name}'"
            yield Fix("BPM402", pm.where.body_line, title, (edit,), f"required section {name!r}")


def _heading_edit(text: str, pm: Postmortem, heading: str, before: Any) -> Edit | None:
    """`heading` inserted before the section `before`, or at the end of the file."""
    newline = pm.where.newline
    if before is not None:
        if not text[before.start :].lstrip(" ").startswith("#"):
            return None  # a setext heading: its underline is not bpm's kind of heading
        return Edit(before.start, before.start, heading + newline + newline)
    if not text or text.endswith(newline * 2):
        lead = ""
    elif text.endswith(newline):
        lead = newline
    else:
        lead = newline * 2
    return Edit(len(text), len(text), lead + heading + newline)


def _adds_section(source: Source, edit: Edit, name: str) -> bool:
    """Whether the heading, once written, is read as that section (not swallowed by an open
    code fence or an HTML block at the end of the file)."""
    from bpmcli.format.postmortem import parse_body

    after = parse_body(apply(source.text, (edit,)).encode("utf-8"), source.path)
    return after is not None and any(s.title.casefold() == name.casefold() for s in after.sections)


# -- BPM201: the timeline header -----------------------------------------------------------

# What a hand-written header calls bpm's columns (letters only, case folded), by position.
_TITLE_NAMES = (
    None,  # the time cell is kept as written: BPM201 accepts any `Time` / `Time (zone)`
    frozenset({"actor", "actors", "who"}),
    frozenset({"actionorevent", "actionsorevents", "actionevent", "action", "event", "what"}),
    frozenset({"outcome", "outcomes", "result", "results", "effect"}),
    frozenset({"expectations", "expectation", "expected"}),
    frozenset({"assumptions", "assumption", "assumed"}),
)


@cache
def _letters() -> re.Pattern[str]:
    return re.compile(r"[^a-z]")


def _timeline_table(source: Source) -> tuple[Postmortem, Any] | None:
    from bpmcli.format import timeline

    pm = _postmortem(source, whole=False)
    section = pm.section("Timeline") if pm is not None else None
    if pm is None or section is None:
        return None
    table = timeline.find_in(pm.outline, section)
    return None if table is None else (pm, table)


def _timeline_header(source: Source) -> Iterator[Fix]:
    """The header line rewritten with bpm's titles, when each of its six cells names the
    column bpm has there; the delimiter row and the rows stay as they are."""
    from bpmcli.format import timeline

    found = _timeline_table(source)
    if found is None:
        return
    _, table = found
    if table.has_expected_columns() or len(table.header) != len(timeline.TITLES):
        return
    if not timeline._TIME_HEADER.match(table.header[0]):
        return
    for cell, names in zip(table.header[1:], _TITLE_NAMES[1:], strict=True):
        if names is None or _letters().sub("", cell.casefold()) not in names:
            return
    text = source.text
    line_end = text.find("\n", table.start)
    stop = len(text) if line_end == -1 else line_end
    if text[stop - 1 : stop] == "\r":
        stop -= 1
    time_cell = timeline.split_cells(text[table.start : stop])[0]
    header = "| " + " | ".join((time_cell, *timeline.TITLES[1:])) + " |"
    edit = Edit(table.start, stop, header)
    title = "Rename the timeline columns to bpm's"
    yield Fix("BPM201", table.line, title, (edit,), "timeline table has the columns")


# -- BPM202: row order ---------------------------------------------------------------------


def _row_order(source: Source) -> Iterator[Fix]:
    """The rows sorted by time (a stable sort: rows of one minute keep their order), when
    every row's time parses; one fix for each row BPM202 says is out of order."""
    from bpmcli.format import timeline

    found = _timeline_table(source)
    if found is None:
        return
    _, table = found
    if not table.has_expected_columns() or not table.rows:
        return
    parsed = [timeline.parse_cell_time(row.time) for row in table.rows]
    times = [t for t in parsed if t is not None]
    if len(times) != len(parsed):
        return
    pieces = re.findall(r"[^\n]*\n|[^\n]+$", source.text[table.rows_start : table.end])
    if len(pieces) != len(table.rows):
        return
    contents = [p.removesuffix("\n").removesuffix("\r") for p in pieces]
    endings = [p[len(c) :] for p, c in zip(pieces, contents, strict=True)]
    order = sorted(range(len(contents)), key=lambda i: times[i])
    if order == list(range(len(contents))):
        return
    new = "".join(contents[i] + ending for i, ending in zip(order, endings, strict=True))
    edit = (Edit(table.rows_start, table.end, new),)
    latest = None
    for row, when in zip(table.rows, times, strict=True):
        if latest is not None and when < latest:
            yield Fix(
                "BPM202", row.line, "Sort the timeline rows by time", edit, "timeline row at "
            )
        latest = when if latest is None else max(latest, when)


# What `--fix` does for each fixable rule, as docs/rules.md says it.
FIXED = {
    "BPM002": "an `id` that differs from the file name gets the file name (when the name "
    "reads back as text); a missing or empty `review_by` gets `started`'s day in the "
    "configured zone + `review_sla_days`, inserted after the time keys",
    "BPM201": "a header whose six columns are bpm's under other names (Who, What, Result, "
    "Expected, Assumed, ...) gets bpm's titles; the time cell, the delimiter row and the "
    "rows are kept",
    "BPM202": "rows out of order are sorted by time (rows of one minute keep their order), "
    "only when every row's time parses",
    "BPM402": "the missing heading is added, empty, before the next required section "
    "present (in `required_sections` order) or at the end; BPM403 then asks for its text. "
    "Not in a file without front matter: `bpm import` maps an archive's own headings",
    "BPM901": "the comment is deleted (the whole line when it holds nothing else), when it "
    "is the only directive on its line",
}

# The one place that knows each fix: the rule code -> the fixers of its findings. The rules
# listed here say `fixable` in docs/rules.md (tests/lint/test_fixes.py checks both agree).
FIXERS: dict[str, tuple[Fixer, ...]] = {
    "BPM002": (_id_from_file_name, _review_by_from_sla),
    "BPM201": (_timeline_header,),
    "BPM202": (_row_order,),
    "BPM402": (_missing_sections,),
    "BPM901": (_unused_suppressions,),
}
