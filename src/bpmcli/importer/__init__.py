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
from bpmcli.importer import actions as action_items
from bpmcli.importer import document
from bpmcli.importer import timeline as timeline_rows
from bpmcli.importer.dates import find_date

NOT_POSTMORTEMS = {"readme", "contributing", "changelog", "license", "index", "code_of_conduct"}
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
            "actions_without_due": self.actions,  # every one: due dates are never invented
            "attention": self.attention,
            "error": self.error,
        }

    def text_with(self, pm_id: str) -> str:
        return render(self.meta, pm_id, self.body)


# -- the conversion ----------------------------------------------------------------------


def convert(raw: bytes, name: str, config: Config, options: Options) -> Converted:
    """The imported text of one file; PostmortemError when it cannot be a postmortem."""
    source = document.read(raw, name)
    lines = source.body.split("\n")
    heads = document.headings(lines)
    title_heading = _title_heading(heads)
    result = Converted(name)
    result.title = _title(source, title_heading, name)
    result.day, result.date_from = _date(source, name, result.title)
    if result.day is None and options.date is not None:
        result.day, result.date_from = options.date, "--date option"
    if result.day is None:
        raise PostmortemError(
            "no date in its front matter, file name, title or text: add one (a line "
            "'Date: YYYY-MM-DD' will do), or give --date",
            name,
        )
    body = _Body(lines, heads, title_heading, result.day, config, (name, source.first_line))
    if not _looks_like_a_postmortem(name, result.title, source.body, body):
        raise PostmortemError(
            "does not look like a postmortem (no summary, impact, timeline, cause, lessons "
            "or action items heading, and no word such as incident or outage): not imported",
            name,
        )
    result.sections = body.mapped
    result.timeline_rows = body.rows
    result.actions = len(body.items)
    result.without_owner = sum(item.owner is None for item in body.items)
    result.severity = _severity(source.body, config, result)
    result.attention += body.attention
    _attention(result)
    header = _record(source.front_matter, f"the original {source.front_matter_kind} front matter")
    result.meta = _front_matter(config, options, result, body.items)
    authors = _authors(source.meta)
    if authors:
        result.meta.insert(list(result.meta).index("actions"), "participants", authors)
    result.body = f"# {result.title}\n\n" + (header + "\n\n" if header else "") + body.text()
    result.slug = _slug(result.title)
    result.id = f"{result.day.isoformat()}-{result.slug}"
    return result


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


def run(config: Config, paths: list[Path], options: Options, write: bool) -> list[Converted]:
    """Convert every file (folders: their `.md` files); write them unless `write` is False.
    A file that fails is reported in its result (`error`), the others go on."""
    from bpmcli.errors import BpmError
    from bpmcli.files import display, read_bytes
    from bpmcli.scaffold import write_new

    results = []
    for path in _expand(paths):
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
    return Path(name).stem.replace("_", " ").replace("-", " ").strip() or "untitled"


def _date(source: document.Source, name: str, title: str) -> tuple[dt.date | None, str]:
    for key in ("date", "started", "published", "created"):
        value = source.meta.get(key)
        if isinstance(value, dt.datetime):
            return value.date(), "front matter"
        if isinstance(value, dt.date):
            return value, "front matter"
        if isinstance(value, str) and (found := find_date(value)):
            return found[0], "front matter"
    for text, where, compact in ((Path(name).stem, "file name", True), (title, "title", False)):
        found = find_date(text, compact=compact)
        if found:
            return found[0], where
    found = find_date(source.body)
    return (found[0], "text") if found else (None, "")


def _looks_like_a_postmortem(name: str, title: str, text: str, body: _Body) -> bool:
    if Path(name).stem.lower() in NOT_POSTMORTEMS:
        return False
    if any(section for _, section in body.mapped) or body.rows or body.items:
        return True
    return bool(POSTMORTEM_WORDS.search(title) or POSTMORTEM_WORDS.search(text[:3000]))


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
        result.attention.append(f"{result.actions} actions have no due date")
    if result.date_from != "front matter":
        result.attention.append(
            f"started is the date from the {result.date_from}, at 00:00: set the time"
        )


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


class _Body:
    """The body rebuilt: sections renamed to FORMAT.md's, timeline and actions converted."""

    def __init__(
        self,
        lines: list[str],
        heads: list[document.Heading],
        title: document.Heading | None,
        day: dt.date,
        config: Config,
        where: tuple[str, int],
    ):
        self.lines, self.day, self.config, self.where = lines, day, config, where
        self.mapped: list[tuple[str, str | None]] = []
        self.items: list[action_items.Item] = []
        self.rows = 0
        self.attention: list[str] = []
        others = [h for h in heads if h is not title]
        sections = [h for h in others if document.section_of(h.text)]
        self.level = min(
            (h.level for h in sections), default=min((h.level for h in others), default=2)
        )
        self.starts = [h for h in others if h.level <= self.level]
        self.title_line = title.line if title else None
        self.heads = {h.line: h for h in heads}
        # a setext heading is written as ATX (its level may change): its underline goes
        self.underlines = {i for h in heads for i in range(h.line + 1, h.end)}
        self.out: list[str] = []
        self._build()

    def text(self) -> str:
        return "\n".join(self.out).strip("\n") + "\n"

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
        self._copy(0, first, 0)
        present: set[str] = set()
        timeline_done = False
        bounds = [h.line for h in self.starts] + [len(self.lines)]
        for heading, end in zip(self.starts, bounds[1:], strict=True):
            section = document.section_of(heading.text)
            self.mapped.append((heading.text, section))
            start = heading.end
            if section is None:
                self.out += ["", "#" * 2 + " " + heading.text, ""]
                self._copy(start, end, 0)
                continue
            present.add(section)
            extra = 0
            self.out += ["", f"## {section}", ""]
            if document.normalize(heading.text) != section.lower():
                self.out += [f"### {heading.text}", ""]
                extra = 1
            if section == "Timeline" and not timeline_done:
                self._timeline(start, end, extra)
                timeline_done = True
            elif section == "Action items":
                self._actions(start, end, extra)
            else:
                self._copy(start, end, extra)
        left_open = document.unclosed(self.lines)
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

    def _header(self) -> str:
        from bpmcli.format.timeline import header_line

        return header_line(self.config.timezone)

    def _timeline(self, start: int, end: int, extra: int) -> None:
        from bpmcli.format.timeline import format_row

        found = timeline_rows.extract(
            self.lines[start:end], self.day, (self.where[0], self.where[1] + start)
        )
        self.rows = len(found.rows)
        self.out += [self._header(), "|---|---|---|---|---|---|"]
        self.out += [format_row(row) for row in found.rows]
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
        zones = found.zones - {self.config.timezone}
        if zones:
            self.attention.append(
                f"timeline times were written in {', '.join(sorted(zones))}, the table's column "
                f"says {self.config.timezone}: convert them"
            )
        if found.unread_times:
            self.attention.append(
                f"{found.unread_times} timeline rows have a time that is not YYYY-MM-DD HH:MM"
            )
        if found.rows:
            self.attention.append("timeline rows have no actor: add who acted")

    def _actions(self, start: int, end: int, extra: int) -> None:
        found = action_items.extract(self.lines[start:end])
        self.items += found.items
        converted = sorted(start + i for i in found.converted)
        if converted:
            self.out += [
                _record(
                    "\n".join(self.lines[i] for i in converted),
                    "the action items as written, now in the front matter",
                ),
                "",
            ]
        self._copy(start, end, extra, set(converted))
