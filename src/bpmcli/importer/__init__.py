"""`bpm import`: postmortems written in other shapes, converted to FORMAT.md, nothing lost.

What is converted (docs/import.md has the whole list): front matter (YAML or TOML: title,
date), the H1, a date from the file name or the text; sections mapped by heading whatever
their level; timeline tables, bullets and time headings into the timeline table; action
tables, bullets and task lists into the front matter's actions. Owners and due dates are
never invented.

Nothing is lost: what was converted into the table or the front matter is also kept,
verbatim, in an HTML comment beside it (invisible when rendered, there to check the
conversion against, and to delete once checked); everything else stays where it was.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bpmcli.config import Config
from bpmcli.errors import PostmortemError
from bpmcli.format.timeline import Row
from bpmcli.importer import actions as action_items
from bpmcli.importer import document
from bpmcli.importer import timeline as timeline_rows
from bpmcli.importer import zones as time_zones
from bpmcli.importer.dates import (
    MONTH_NO_YEAR,
    NUMERIC,
    find_date,
    find_day,
    is_ambiguous,
    readings,
)
from bpmcli.progress import SILENT, Progress

NOT_POSTMORTEMS = {"contributing", "changelog", "license", "code_of_conduct"}
FOLDER_FILES = {"readme", "index"}  # one folder per incident: its name says what the file is
POSTMORTEM_WORDS = re.compile(
    r"post[- ]?mortem|incident|outage|downtime|disruption|root cause|retrospective|disclosure",
    re.I,
)
SEVERITY = re.compile(r"\bsev(?:erity)?\s*[:=-]?\s*([0-5])\b", re.I)


@dataclass(frozen=True)
class Options:
    kind: str = "incident"
    status: str = "published"
    date: dt.date | None = None  # for files that name no date at all


@dataclass
class Converted:
    """One file's import: the text to write, and what the converter found and needs."""

    source: str
    id: str = ""
    title: str = ""
    day: dt.date | None = None
    date_from: str = ""
    severity: str = ""
    slug: str = ""
    sections: list[tuple[str, str | None]] = field(default_factory=list)
    timeline_rows: int = 0
    actions: int = 0
    without_owner: int = 0
    without_due: int = 0
    zones_converted: dict[str, str] = field(default_factory=dict)  # written -> IANA name
    date_only_rows: int = 0
    attention: list[str] = field(default_factory=list)
    target: Path | None = None
    meta: Any = None  # the front matter, without its id until the file's name is known
    body: str = ""  # everything after the front matter
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": str(self.target) if self.target else None,
            "id": self.id,
            "title": self.title,
            "started": self.day.isoformat() if self.day else None,
            "date_from": self.date_from,
            "severity": self.severity,
            "sections": [{"heading": h, "section": s} for h, s in self.sections],
            "timeline_rows": self.timeline_rows,
            "actions": self.actions,
            "actions_without_owner": self.without_owner,
            "actions_without_due": self.without_due,
            "converted": {
                "rows": self.timeline_rows,
                "date_only_rows": self.date_only_rows,
                "actions": self.actions,
                "owners": self.actions - self.without_owner,
                "dues": self.actions - self.without_due,
                "zones": self.zones_converted,
            },
            "attention": self.attention,
            "summary": self.summary(),
            "error": self.error,
        }

    def summary(self) -> str:
        """The one line an import ends with: what was converted, what needs attention."""
        if self.error is not None:
            return f"not imported: {self.error}"
        zones = "".join(f", times from {k} ({v})" for k, v in self.zones_converted.items())
        return (
            f"{self.timeline_rows} rows, {self.actions} actions, "
            f"{self.actions - self.without_owner} owners, {self.actions - self.without_due} dues"
            f"{zones}; {len(self.attention)} to check"
        )

    def text_with(self, pm_id: str) -> str:
        return render(self.meta, pm_id, self.body)


# -- the conversion ----------------------------------------------------------------------


def convert(raw: bytes, name: str, config: Config, options: Options) -> Converted:
    """The imported text of one file; PostmortemError when it cannot be a postmortem."""
    source = document.read(raw, name)
    original = source.body.split("\n")
    pseudo = document.pseudo_headings(original)
    lines = document.dedent_bullet_sections(original, pseudo)
    heads = document.headings(lines)
    title_heading = _title_heading(heads)
    result = Converted(name)
    result.title = _title(source, title_heading, name)
    named = _name_date(name)
    order = _date_order(source.body, named[0] if named else None, result)
    result.day, result.date_from = _date(source, name, result.title, order)
    if result.day is None and options.date is not None:
        result.day, result.date_from = options.date, "--date option"
    if result.day is None:
        raise PostmortemError(
            "no date in its front matter, file name, title or text: add one (a line "
            "'Date: YYYY-MM-DD' will do), or give --date",
            name,
        )
    where = (name, source.first_line)
    body = _Body(lines, heads, pseudo, title_heading, _Setting(result.day, config, where, order))
    _refuse_unless_a_postmortem(name, result.title, source.body, body)
    result.sections = body.mapped
    result.timeline_rows = len(body.rows)
    result.actions = len(body.items)
    result.without_owner = sum(item.owner is None for item in body.items)
    result.without_due = sum(item.due is None for item in body.items)
    result.zones_converted = dict(body.zones)
    result.date_only_rows = body.date_only
    result.severity = _severity(source.body, config, result)
    result.attention += body.attention
    _attention(result)
    header = _record(source.front_matter, f"the original {source.front_matter_kind} front matter")
    h1 = _kept_h1(title_heading, result.title, original)
    result.meta = _front_matter(config, options, result, body.items)
    authors = _authors(source.meta)
    if authors:
        result.meta.insert(list(result.meta).index("actions"), "participants", authors)
    kept = "".join(part + "\n\n" for part in (header, h1) if part)
    result.body = kept + body.text()  # no H1: markdownlint counts the title as one
    result.slug = _slug(result.title)
    result.id = f"{result.day.isoformat()}-{result.slug}"
    return result


def _kept_h1(heading: document.Heading | None, title: str, lines: list[str]) -> str:
    """The original H1 when the front matter's title replaced it: its words stay."""
    if heading is None or " ".join(heading.text.split()) == title:
        return ""
    return _record("\n".join(lines[heading.line : heading.end]), "the original H1")


def _slug(title: str) -> str:
    """The title's slug, without a date it starts with (the id starts with the date)."""
    from bpmcli.errors import UsageError
    from bpmcli.scaffold import slugify

    found = find_date(title[:24])
    if found and found[1].start() <= 1:
        rest = title[found[1].end() :].lstrip(" -–—:|")
        title = rest if any(ch.isalpha() for ch in rest) else title
    try:
        return slugify(title)
    except UsageError:
        return "untitled"


def run(
    config: Config, paths: list[Path], options: Options, write: bool, progress: Progress = SILENT
) -> list[Converted]:
    """Convert every file (folders: their `.md` files); write them unless `write` is False.
    A file that fails is reported in its result (`error`), the others go on. `progress`
    counts the files."""
    from bpmcli.errors import BpmError
    from bpmcli.files import display, read_bytes
    from bpmcli.scaffold import write_new

    results = []
    files = _expand(paths)
    advance = progress.task("importing", len(files))
    for path in files:
        shown = display(path)
        try:
            converted = convert(read_bytes(path), shown, config, options)
            if write:
                assert converted.day is not None
                made = write_new(config, converted.day, converted.slug, converted.text_with)
                converted.id, converted.target = made.id, made.path
            else:
                converted.target = _would_go(config, converted)
        except BpmError as exc:
            converted = Converted(shown, error=str(exc))
        results.append(converted)
        advance(1)
    return results


def _expand(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.md") if p.is_file() and not p.is_symlink())
        else:
            found.append(path)
    return found


def _would_go(config: Config, converted: Converted) -> Path:
    """Where `write_new` would put it now (the first free `-N`), for --dry-run and --stdout."""
    from bpmcli.scaffold import path_for

    assert converted.day is not None
    number = 1
    while (found := path_for(config, converted.day, converted.slug, number))[1].exists():
        number += 1
    converted.id = found[0]
    return found[1]


def _authors(meta: dict[str, Any]) -> Any:
    """The front matter's `authors` / `author`, as FORMAT.md's `participants` list."""
    from ruamel.yaml.comments import CommentedSeq

    value = meta.get("authors", meta.get("author"))
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    found = CommentedSeq(
        str(name).strip() for name in names if isinstance(name, str | int) and str(name).strip()
    )
    if not found:
        return None
    found.fa.set_flow_style()
    return found


def _title_heading(heads: list[document.Heading]) -> document.Heading | None:
    """The H1 that names the postmortem: the first level-1 heading, when it is no section
    and no section heading comes before it (else the H1s are the sections)."""
    for heading in heads:
        if document.section_of(heading.text):
            return None
        if heading.level == 1 and heading.text:
            return heading
    return None


def _title(source: document.Source, heading: document.Heading | None, name: str) -> str:
    title = source.meta.get("title")
    if isinstance(title, str) and title.strip():
        return " ".join(title.split())
    if heading is not None:
        return " ".join(heading.text.split())
    stem = _stem(name)
    found = find_date(stem, compact=True) or _month_day_at_start(stem)
    if found and found[1].start() == 0:  # `2021-05-10-WikiAttack`: the date is in `started`
        stem = stem[found[1].end() :]
    return stem.replace("_", " ").replace("-", " ").strip() or "untitled"


def _stem(name: str) -> str:
    """The file's name without its suffix; for `2021-03-04-outage/README.md`, the folder's."""
    path = Path(name)
    if path.stem.lower() in FOLDER_FILES and path.parent.name:
        return path.parent.name
    return path.stem


MONTH_DAY_NAME = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4}|\d{2})(?![\d])")
MONTH_DAY_ONLY = re.compile(r"^(\d{2})-(\d{2})(?!\d)")
FOLDER_YEAR = re.compile(r"^((?:19|20)\d{2})(?:-(\d{2}))?$")


def _month_day_at_start(stem: str) -> tuple[dt.date, re.Match[str]] | None:
    """`05-26-21-outage`, `07-27-2023-...`: month first (day first when the first number
    cannot be a month)."""
    match = MONTH_DAY_NAME.match(stem)
    if match is None:
        return None
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    year += 2000 if year < 100 else 0
    month, day = (second, first) if first > 12 else (first, second)
    try:
        return dt.date(year, month, day), match
    except ValueError:
        return None


def _name_date(name: str) -> tuple[dt.date, str] | None:
    """The date a file's name gives: `2019-01-23`, `20220105`, `05-26-21`, or `04-25` in a
    folder named for its year (`2023-04/04-25-...`); the second item says which."""
    stem = _stem(name)
    found = find_date(stem, compact=True) or _month_day_at_start(stem)
    if found:
        return found[0], "file name"
    folder = FOLDER_YEAR.match(Path(name).parent.name)
    named = MONTH_NO_YEAR.match(stem) if folder else None  # `2026/20 August.md`
    if named and folder:
        day = find_day(stem, dt.date(int(folder[1]), 12, 31))
        if day and day[1].start() == 0:
            return day[0], "file name and its folder"
    short = MONTH_DAY_ONLY.match(stem)
    if short and folder and (folder[2] is None or folder[2] == short[1]):
        try:
            return dt.date(int(folder[1]), int(short[1]), int(short[2])), "file name and its folder"
        except ValueError:
            return None
    return None


def _date_order(body: str, named: dt.date | None, result: Converted) -> str | None:
    """How the document writes numeric dates: "mdy", "dmy" or None (day first, the default).
    An ambiguous date (`3.4.2020`) is read as the file name's date when that is one of its
    readings, else in the order the document's unambiguous dates use; either way flagged."""
    votes: set[str] = set()
    ambiguous: list[re.Match[str]] = []
    for match in NUMERIC.finditer(body):
        if is_ambiguous(match):
            ambiguous.append(match)
        elif int(match[1]) > 12:
            votes.add("dmy")
        elif int(match[3]) > 12:
            votes.add("mdy")
    if not ambiguous:
        return votes.pop() if len(votes) == 1 else None
    first = ambiguous[0]
    day_first, month_first = readings(first)
    if named is not None and named in (day_first, month_first) and day_first != month_first:
        order, why = ("dmy" if named == day_first else "mdy"), "as the file name's date"
    elif len(votes) == 1:
        order = votes.pop()
        why = "in the order of the document's other dates"
    else:
        order, why = None, "day first (nothing else in the file says which)"
    shown = day_first if order != "mdy" else month_first
    result.attention.append(
        f"{first.group(0)} can be read day first or month first: read {why}, "
        f"{shown.isoformat() if shown else '?'}; check it and dates written like it"
    )
    return order


def _date(
    source: document.Source, name: str, title: str, order: str | None
) -> tuple[dt.date | None, str]:
    for key in ("date", "started", "published", "created"):
        value = source.meta.get(key)
        if isinstance(value, dt.datetime):
            return value.date(), "front matter"
        if isinstance(value, dt.date):
            return value, "front matter"
        if isinstance(value, str) and (found := find_date(value, order=order)):
            return found[0], "front matter"
    named = _name_date(name)
    if named:
        return named
    found = find_date(title, order=order)
    if found:
        return found[0], "title"
    found = find_date(source.body, order=order)
    return (found[0], "text") if found else (None, "")


def _refuse_unless_a_postmortem(name: str, title: str, text: str, body: _Body) -> None:
    stem = Path(name).stem.lower()
    recognised = [section for _, section in body.mapped if section]
    if stem in FOLDER_FILES:  # an incident's folder, or an archive's index?
        if len(recognised) >= 2 or body.rows or body.items:
            return
        raise PostmortemError(
            f"a {Path(name).name} with fewer than two postmortem sections (summary, impact, "
            "timeline, cause, lessons, action items) and no timeline or action items: an "
            "archive's index, not imported",
            name,
        )
    if stem in NOT_POSTMORTEMS:
        raise PostmortemError(f"a {Path(name).name}, not a postmortem: not imported", name)
    if recognised or body.rows or body.items:
        return
    if POSTMORTEM_WORDS.search(title) or POSTMORTEM_WORDS.search(text[:3000]):
        return
    raise PostmortemError(
        "does not look like a postmortem (no summary, impact, timeline, cause, lessons "
        "or action items heading, and no word such as incident or outage): not imported",
        name,
    )


def _severity(text: str, config: Config, result: Converted) -> str:
    for match in SEVERITY.finditer(text):
        candidate = f"SEV{match.group(1)}"
        if candidate in config.severities:
            return candidate
    fallback = config.severities[-1]
    result.attention.append(f"no severity found: set to {fallback}, the least severe")
    return fallback


def _attention(result: Converted) -> None:
    if result.actions:
        if result.without_owner:
            result.attention.append(
                f"{result.without_owner} of {result.actions} actions have no owner"
            )
        if result.without_due:
            result.attention.append(
                f"{result.without_due} of {result.actions} actions have no due date"
                if result.without_due < result.actions
                else f"{result.actions} actions have no due date"
            )
    if result.date_from != "front matter":
        result.attention.append(
            f"started is the date from the {result.date_from}, at 00:00: set the time"
        )


def _single_blank_lines(out: list[str]) -> list[str]:
    """One blank line where the rebuilt body has a run of them (markdownlint's MD012):
    Markdown reads them alike, except inside fenced code and before indented code, which
    keep theirs. A kept original (`_record`) is one item, so its own lines are untouched."""
    kept: list[str] = []
    fence = ""  # the open fence's run of ` or ~, as CommonMark closes it
    for number, line in enumerate(out):
        fence = _fence_after(fence, line)
        run = not fence and line.strip() == "" and kept and kept[-1].strip() == ""
        if run and not _next_text(out, number).startswith(("    ", "\t")):
            continue
        kept.append(line)
    return kept


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")


def _fence_after(fence: str, line: str) -> str:
    """The fence open after `line`: CommonMark's rule, a closing run of the same character
    at least as long, with nothing after it but spaces."""
    found = _FENCE.fullmatch(line.rstrip("\r"))
    if found is None:
        return fence
    run, rest = found.groups()
    if not fence:
        return "" if run[0] == "`" and "`" in rest else run
    closes = run[0] == fence[0] and len(run) >= len(fence) and not rest.strip()
    return "" if closes else fence


def _next_text(out: list[str], start: int) -> str:
    return next((out[i] for i in range(start, len(out)) if out[i].strip()), "")


def _record(lines: str | None, what: str) -> str:
    """Text kept verbatim in an HTML comment (which it cannot close early)."""
    if not lines or not lines.strip():
        return ""
    safe = lines.rstrip("\n").replace("-->", "--&gt;").replace("--!>", "--!&gt;")
    return f"<!-- bpm import: {what}, kept as written:\n{safe}\n-->"


def _front_matter(config: Config, options: Options, result: Converted, items: list[Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from bpmcli.scaffold import NewRequest, front_matter
    from bpmcli.times import zone

    assert result.day is not None
    started = dt.datetime.combine(result.day, dt.time(), zone(config.timezone))
    request = NewRequest(options.kind, result.title, started, result.severity)
    meta = front_matter(config, request, "")
    meta["status"] = options.status
    listed = CommentedSeq()
    for number, item in enumerate(items, start=1):
        entry = CommentedMap()
        entry["id"] = f"A{number}"
        entry["action"] = item.action
        if item.owner:
            entry["owner"] = item.owner
        if item.kind:
            entry["kind"] = item.kind
        entry["status"] = item.status
        if item.due:
            entry["due"] = item.due
        if item.ticket:
            entry["ticket"] = item.ticket
        listed.append(entry)
    if not items:
        listed.fa.set_flow_style()
    meta["actions"] = listed
    return meta


def render(meta: Any, pm_id: str, body: str) -> str:
    from bpmcli.format.frontmatter import dump_front_matter

    meta["id"] = pm_id
    return "---\n" + dump_front_matter(meta) + "---\n" + body


# -- the body ----------------------------------------------------------------------------

CONVERTED_SECTIONS = ("Timeline", "Action items")


@dataclass(frozen=True)
class _Setting:
    day: dt.date
    config: Config
    where: tuple[str, int]  # the file, and the line of the body's first line
    order: str | None  # how the document writes ambiguous numeric dates


class _Body:
    """The body rebuilt: sections renamed to FORMAT.md's, timeline and actions converted."""

    def __init__(
        self,
        lines: list[str],
        heads: list[document.Heading],
        pseudo: list[document.Heading],
        title: document.Heading | None,
        setting: _Setting,
    ):
        self.lines, self.setting = lines, setting
        self.day, self.config, self.where = setting.day, setting.config, setting.where
        self.mapped: list[tuple[str, str | None]] = []
        self.items: list[action_items.Item] = []
        self.rows: list[Row] = []
        self.zones: dict[str, str] = {}
        self.date_only = 0
        self.table_at: int | None = None  # where in `out` the timeline rows go
        self.attention: list[str] = []
        others = [h for h in heads if h is not title]
        self.level, self.starts = _starts(others, pseudo)
        self.title_line = title.line if title else None
        self.heads = {h.line: h for h in heads}
        # a setext heading is written as ATX (its level may change): its underline goes
        self.underlines = {i for h in heads for i in range(h.line + 1, h.end)}
        self.out: list[str] = []
        self._build()

    def text(self) -> str:
        return "\n".join(_single_blank_lines(self.out)).strip("\n") + "\n"

    def _shift(self, heading: document.Heading, line: str, extra: int) -> str:
        """A heading moved to its level in the new document (FORMAT.md's sections are H2)."""
        new = max(1, min(6, heading.level - self.level + 2 + extra))
        if heading.end > heading.line + 1:  # setext: `Title` over `=====`
            return "#" * new + " " + heading.text
        return "#" * new + line.lstrip(" ")[heading.level :]

    def _copy(self, start: int, end: int, extra: int, skip: set[int] | None = None) -> None:
        for index in range(start, end):
            if index == self.title_line or index in self.underlines or (skip and index in skip):
                continue
            line = self.lines[index]
            heading = self.heads.get(index)
            self.out.append(self._shift(heading, line, extra) if heading else line)

    def _build(self) -> None:
        first = self.starts[0].line if self.starts else len(self.lines)
        self._other(0, first, 0)
        present: set[str] = set()
        bounds = [h.line for h in self.starts] + [len(self.lines)]
        for heading, end in zip(self.starts, bounds[1:], strict=True):
            section = document.section_of(heading.text)
            self.mapped.append((heading.text, section))
            start = heading.end
            if section is None:
                self.out += ["", "#" * 2 + " " + heading.text, ""]
                self._other(start, end, 0)
                continue
            present.add(section)
            extra = 0
            self.out += ["", f"## {section}", ""]
            if heading.text.strip().rstrip(":").strip().lower() != section.lower():
                self.out += [f"### {heading.text}", ""]  # its words, as written
                extra = 1
            if section == "Timeline":
                self._timeline(heading, start, end, extra)
            elif section == "Action items":
                self._actions(start, end, extra)
            else:
                self._other(start, end, extra)
        if self.table_at is not None:
            from bpmcli.format.timeline import format_row

            self.out[self.table_at : self.table_at] = [format_row(row) for row in self.rows]
        # What the body built so far leaves open, not the original: an opener the action
        # items took in (now inside their kept comment) leaves nothing open here.
        left_open = document.unclosed("\n".join(self.out).split("\n"))
        if left_open is not None:  # close it, or the sections added below would be inside it
            what, closer = left_open
            self.out += [closer]
            self.attention.append(f"{what} was never closed: closed at the end")
        for section in self.config.required_sections:
            if section not in present:
                self.out += ["", f"## {section}", ""]
                self.attention.append(f"no {section} section in the original: added an empty one")
                if section == "Timeline":
                    self.out += [self._header(), "|---|---|---|---|---|---|"]
        self._timeline_attention()

    def _header(self) -> str:
        from bpmcli.format.timeline import header_line

        return header_line(self.config.timezone)

    def _zone_of(self, heading: document.Heading, start: int, end: int) -> str | None:
        """The zone the Timeline heading or its first paragraph names."""
        named = time_zones.named_in(heading.text)
        if named:
            return named
        paragraph: list[str] = []
        for line in self.lines[start:end]:
            if not line.strip():
                if paragraph:
                    break
                continue
            if line.lstrip().startswith(("#", "|", "-", "*", "+")) and not paragraph:
                return None
            paragraph.append(line)
        return time_zones.named_in(" ".join(paragraph)) if paragraph else None

    def _timeline(self, heading: document.Heading, start: int, end: int, extra: int) -> None:
        context = timeline_rows.Context(
            self.day,
            self.setting.order,
            self._zone_of(heading, start, end),
            self.config.timezone,
        )
        found = timeline_rows.extract(
            self.lines[start:end], context, (self.where[0], self.where[1] + start)
        )
        self.rows += found.rows
        self.date_only += found.date_only
        if self.table_at is None:  # one table, in the first Timeline section, for all rows
            self.out += [self._header(), "|---|---|---|---|---|---|"]
            self.table_at = len(self.out)
        converted = sorted(start + i for i in found.converted)
        if converted:
            self.out += [
                "",
                _record(
                    "\n".join(self.lines[i] for i in converted),
                    "the timeline as written, now the table above",
                ),
            ]
        self.out.append("")
        self._copy(start, end, extra, set(converted))
        self.zones.update(found.zones)
        for written, iana in found.zones.items():
            self.attention.append(
                f"timeline times written in {written} were converted to "
                f"{self.config.timezone} ({iana}): check them against the original"
            )
        for written, why in found.unconverted.items():
            self.attention.append(
                f"timeline times are written in {written}, not converted ({why}): the table "
                f"says {self.config.timezone}, convert them"
            )
        for written in found.ambiguous:
            self.attention.append(
                f"timeline date {written} can be read day first or month first: check it"
            )
        if found.unread_times:
            self.attention.append(
                f"{found.unread_times} timeline rows have a time that is not YYYY-MM-DD HH:MM"
            )

    def _timeline_attention(self) -> None:
        if self.date_only:
            self.attention.append(f"{self.date_only} timeline rows give a date and no time")
        if self.rows:
            self.attention.append("timeline rows have no actor: add who acted")

    def _actions(self, start: int, end: int, extra: int) -> None:
        found = action_items.extract(self.lines[start:end], self.day)
        self._keep(found, start, start, end, extra)

    def _keep(
        self, found: action_items.Found, offset: int, start: int, end: int, extra: int
    ) -> None:
        """Take the actions found, record the lines they came from, copy the rest."""
        self.items += found.items
        converted = sorted(offset + i for i in found.converted)
        if converted:
            self.out += [
                _record(
                    "\n".join(self.lines[i] for i in converted),
                    "the action items as written, now in the front matter",
                ),
                "",
            ]
        self._copy(start, end, extra, set(converted))

    def _other(self, start: int, end: int, extra: int) -> None:
        """A section that is neither Timeline nor Action items: copied as it is, except the
        tables and lists that are action lists by their header or by their lead-in
        (`| Action Item | Owner |`, "we created follow up action items:")."""
        at = start
        for first, last, found in self._action_blocks(start, end):
            self._copy(at, first, extra)
            self._keep(found, 0, first, last, extra)
            at = last
        self._copy(at, end, extra)

    def _action_blocks(self, start: int, end: int) -> list[tuple[int, int, action_items.Found]]:
        """The action tables and lead-in lists in lines start..end: (first, end, items)."""
        read = document.outline(self.lines)
        tables = {
            t.first: t.last + 1 for t in read.tables if not t.nested and start <= t.first < end
        }
        blocks: list[tuple[int, int, action_items.Found]] = []
        index = start
        while index < end:
            block = None
            if index in tables and action_items.is_action_table(self._cells(index)):
                block = self._table_block(index, tables[index])
            elif read.in_code(index):
                pass
            elif action_items.lead_in(self.lines[index]):
                done = action_items.lead_status(self.lines[index])
                block = self._lead_in_block(index + 1, end, tables, done)
            elif self._paragraph_start(index) and (
                lead := action_items.lead_paragraph(self.lines[index])
            ):  # `**Action taken:** text`, `**TODO**: text`
                block = self._lead_paragraph_block(index, lead)
            if block is not None:
                blocks.append(block)
                index = block[1]
            else:
                index += 1
        return blocks

    def _cells(self, index: int) -> list[str]:
        return document.table_cells(self.lines[index])

    def _table_block(self, first: int, end: int) -> tuple[int, int, action_items.Found] | None:
        found = action_items.Found()
        stop = action_items.table(self.lines, first, end, found, self.day)
        return (first, stop, found) if found.items else None

    def _paragraph_start(self, index: int) -> bool:
        return index == 0 or not self.lines[index - 1].strip()

    def _lead_paragraph_block(
        self, index: int, lead: tuple[str, bool]
    ) -> tuple[int, int, action_items.Found]:
        """A paragraph that is one action by its bold lead (`**Action taken:** text`)."""
        found = action_items.Found()
        stop = action_items.paragraph_item(self.lines, index, lead, found, self.day)
        return index, stop, found

    def _lead_in_block(
        self, after: int, end: int, tables: dict[int, int], done: bool = False
    ) -> tuple[int, int, action_items.Found] | None:
        """The table or list right after a lead-in ("we created follow up action items:")."""
        while after < end and not self.lines[after].strip():
            after += 1
        if after in tables:  # an action table by its lead-in, whatever its header
            return self._table_block(after, tables[after])
        if after < end and document.BULLET.match(self.lines[after]):
            found, stop = action_items.list_items(self.lines, after, self.day, done)
            return (after, min(stop, end), found) if found.items else None
        return None


def _starts(
    others: list[document.Heading], pseudo: list[document.Heading]
) -> tuple[int, list[document.Heading]]:
    """The document's section level (that of its first recognised heading) and the headings
    that start sections: every heading at that level or above; a deeper Timeline or Action
    items heading under a section of another kind (`### Timeline` under `## Recovery`);
    and lines that act as headings (`- **Action items**:`) outside a section of their kind."""
    recognised = next((h for h in others if document.section_of(h.text)), None)
    level = recognised.level if recognised else min((h.level for h in others), default=2)
    starts: list[document.Heading] = []
    current: str | None = None  # the section being read
    real: str | None = None  # the section of the last real heading that started one
    for heading in sorted(others + pseudo, key=lambda h: h.line):
        section = document.section_of(heading.text)
        if heading.pseudo:  # inside a recognised section, bold lines are its own structure
            if real is None and section != current:
                heading.level = level
                starts.append(heading)
                current = section
        elif heading.level <= level or (section in CONVERTED_SECTIONS and section != current):
            starts.append(heading)
            current = real = section
    return level, starts
