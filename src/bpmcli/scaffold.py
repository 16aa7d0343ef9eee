"""`bpm init` and `bpm new`: a configured repository, and new postmortems from templates."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bpmcli import templates
from bpmcli.config import CONFIG_NAME, DEFAULT_DUE_DAYS, Config, find_repo_root
from bpmcli.errors import BpmError, UsageError
from bpmcli.files import create_exclusive, display
from bpmcli.times import format_timestamp, review_by, zone

SLUG_MAX = 60

CONFIG_TEMPLATE = """\
# bpm configuration. Every key is optional; docs/format.md describes each one.
dir = "postmortems"
timezone = "UTC"          # an IANA name, such as "Europe/Berlin"
review_sla_days = 5       # review_by = started + this many days
# severities = ["SEV1", "SEV2", "SEV3", "SEV4"]
# required_sections = ["Summary", "Impact", "Timeline", "Contributing factors",
#                      "What we learned", "Action items"]
# templates_dir = ".bpm/templates"
# vague_verbs = []        # words added to the vague verbs bpm lint rejects
# allowed_verbs = []      # jargon verbs the English lexicon lacks: "backfill", "dedupe"
# ticket_url = "https://tracker.example/browse/{{ticket}}"  # links each action's ticket

[action_due_days]         # the default deadline of a new action, in days after `started`
{due_days}

[rules]                   # turn rules off or change their severity
# BPM106 = "off"
# BPM302 = "error"
"""

MARKDOWNLINT_NAME = ".markdownlint-cli2.jsonc"
# Merged by markdownlint-cli2 with any config of the folders above (its docs: "Settings
# merge with those applied by any versions of this file in a parent directory").
MARKDOWNLINT_CONFIG = """\
// Written by `bpm init`: what markdownlint-cli2 needs to pass the files bpm writes.
{
  "config": {
    // A timeline row is one table line, as long as its cells: it cannot wrap.
    "MD013": { "tables": false },
    // bpm writes the timeline's delimiter row as |---|---| and its cells with one
    // space each side (docs/format.md): no single MD060 style fits both.
    "MD060": false
  }
}
"""


# Latin letters that are not a base letter plus a mark, written as their usual ASCII
# spelling (German ß -> ss, Polish Ł -> L, Danish ø -> o, Icelandic þ -> th ...).
_SPELLED_OUT = str.maketrans(
    {"ß": "ss", "ẞ": "SS", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae"}
    | {"Œ": "OE", "œ": "oe", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th"}
    | {"ı": "i", "Ħ": "H", "ħ": "h", "Ŧ": "T", "ŧ": "t", "ĸ": "k", "Ŋ": "NG", "ŋ": "ng"}
)


def slugify(title: str) -> str:
    """FORMAT.md's slug: ASCII, lower case, words joined by `-`, at most 60 characters.

    Accented letters lose their accents; a title with letters but none of them ASCII gives
    `untitled`; a title with no letter or digit at all is refused.
    """
    if not any(ch.isalnum() for ch in title):
        raise UsageError(f"title {title!r} has no letters or digits to make a file name from")
    spelled = title.translate(_SPELLED_OUT)  # letters NFKD does not take apart: ß, Ł, ø ...
    ascii_only = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in ascii_only).split()
    return "-".join(words)[:SLUG_MAX].strip("-") or "untitled"


@dataclass(frozen=True)
class NewPostmortem:
    path: Path
    text: str
    id: str


@dataclass(frozen=True)
class NewRequest:
    kind: str
    title: str
    started: dt.datetime
    severity: str | None = None
    facilitator: str | None = None
    services: tuple[str, ...] = ()


def front_matter(config: Config, request: NewRequest, pm_id: str) -> dict[str, Any]:
    """The front matter of a new postmortem, as data, in FORMAT.md's key order."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from bpmcli.format.frontmatter import Timestamp

    started = request.started.astimezone(zone(config.timezone))
    data = CommentedMap()
    data["id"] = pm_id
    data["title"] = request.title
    data["kind"] = request.kind
    data["status"] = "draft"
    data["severity"] = request.severity or config.severities[-1]
    data["started"] = Timestamp(format_timestamp(started))
    data["review_by"] = review_by(started, config.timezone, config.review_sla_days)
    if request.facilitator:
        data["facilitator"] = request.facilitator
    if request.services:
        services = CommentedSeq(request.services)
        services.fa.set_flow_style()
        data["services"] = services
    actions = CommentedSeq()
    actions.fa.set_flow_style()
    data["actions"] = actions
    return data


def render(config: Config, request: NewRequest, pm_id: str) -> str:
    """The whole text of a new postmortem: dumped front matter, then the rendered body."""
    from bpmcli.format.frontmatter import dump_front_matter

    meta = front_matter(config, request, pm_id)
    template = templates.find(config, request.kind)
    header = (
        f"| {config.time_header} | Actor | Action or event | Outcome | Expectations | Assumptions |"
    )
    variables = {
        **{key: meta[key] for key in ("id", "title", "kind", "status", "severity", "review_by")},
        "started": str(meta["started"]),
        "facilitator": request.facilitator or "",
        "services": list(request.services),
        "timezone": config.timezone,
        "time_header": config.time_header,
        "timeline_header": header + "\n|---|---|---|---|---|---|",
    }
    body = templates.render(template, variables)
    return "---\n" + dump_front_matter(meta) + "---\n" + body


def check_request(config: Config, request: NewRequest) -> str:
    """Refuse bad input before anything is rendered or written; the slug when all is well."""
    from bpmcli.format.frontmatter import one_line

    one_line("the title", request.title)
    one_line("--facilitator", request.facilitator)
    for service in request.services:
        one_line("--service", service)
    slug = slugify(request.title)
    if request.severity is not None and request.severity not in config.severities:
        raise UsageError(
            f"severity {request.severity!r} is not one of {', '.join(config.severities)}"
        )
    for service in request.services:
        if not service.strip():
            raise UsageError("--service needs a name")
    templates.find(config, request.kind)
    return slug


def preview(config: Config, request: NewRequest) -> NewPostmortem:
    """What `bpm new` would write, without writing it (`--stdout`)."""
    slug = check_request(config, request)
    pm_id, path = path_for(config, _day(config, request), slug)
    return NewPostmortem(path, render(config, request, pm_id), pm_id)


def path_for(config: Config, day: dt.date, slug: str, number: int = 1) -> tuple[str, Path]:
    """FORMAT.md's id and path for a postmortem of `day`; the `number`th on a clash."""
    pm_id = f"{day.isoformat()}-{slug}" + ("" if number == 1 else f"-{number}")
    return pm_id, config.postmortem_dir / f"{day.year:04d}" / f"{pm_id}.md"


def _day(config: Config, request: NewRequest) -> dt.date:
    return request.started.astimezone(zone(config.timezone)).date()


def create(config: Config, request: NewRequest) -> NewPostmortem:
    """Write a new postmortem; a clash with an existing file gets `-2`, `-3`, ... (FORMAT.md)."""
    slug = check_request(config, request)
    day = _day(config, request)
    render(config, request, path_for(config, day, slug)[0])  # a broken template fails first
    return write_new(config, day, slug, lambda pm_id: render(config, request, pm_id))


def write_new(
    config: Config, day: dt.date, slug: str, text_for: Callable[[str], str]
) -> NewPostmortem:
    """Create `<dir>/YYYY/YYYY-MM-DD-<slug>.md` without ever overwriting a file: a clash
    gets `-2`, `-3`, ... (FORMAT.md). `text_for(id)` gives the file's text."""
    first_path = path_for(config, day, slug)[1]
    _refuse_outside(config, first_path.parent)
    made = _make_folders(first_path.parent)
    try:
        for number in range(1, 1000):
            pm_id, path = path_for(config, day, slug, number)
            text = text_for(pm_id)
            if not path.exists() and create_exclusive(path, text.encode("utf-8")):
                return NewPostmortem(path, text, pm_id)
        raise BpmError("999 postmortems share this date and title", display(first_path))
    except BaseException:
        for folder in made:  # leave nothing behind: only the folders this call made, if empty
            try:
                folder.rmdir()
            except OSError:
                break
        raise


def _refuse_outside(config: Config, folder: Path) -> None:
    """Refuse to write where a symbolic link (the postmortem folder, a year folder) leads
    out of the project: checked on the deepest part of `folder` that exists, before any
    folder is made, so nothing is created outside either."""
    import os

    existing = next(p for p in (folder, *folder.parents) if p.exists() or p.is_symlink())
    root = os.path.realpath(config.root)
    target = os.path.realpath(existing)
    if target != root and not target.startswith(root + os.sep):
        raise UsageError(
            f"{display(existing)} leads outside the project (a symbolic link?); nothing was written"
        )


def _make_folders(folder: Path) -> list[Path]:
    """Create `folder` and missing parents; the ones made, deepest first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
        raise BpmError(f"cannot create folder: {reason}", display(folder)) from exc
    return missing


@dataclass(frozen=True)
class InitResult:
    root: Path
    created: list[Path]


def init(start: Path, config: Config, with_templates: bool) -> InitResult:
    """Write `.bpm.toml` and the postmortem folder; with_templates: copy built-in templates."""
    if config.source is not None and not with_templates:
        raise UsageError(
            f"already initialised: {display(config.source)} exists (it is never overwritten)"
        )
    root = config.root if config.source else (find_repo_root(start) or start)
    planned: list[tuple[Path, str | Path]] = []
    if config.source is None:
        due = "\n".join(f"{sev} = {days}" for sev, days in DEFAULT_DUE_DAYS.items())
        planned.append((root / CONFIG_NAME, CONFIG_TEMPLATE.format(due_days=due)))
        planned.append((root / config.dir / ".gitkeep", ""))
        planned.append((root / config.dir / MARKDOWNLINT_NAME, MARKDOWNLINT_CONFIG))
    if with_templates:
        target = root / config.templates_dir
        for source in sorted(templates.builtin_dir().glob("*.md.j2")):
            planned.append((target / source.name, source))
    kept = {".gitkeep", MARKDOWNLINT_NAME}  # a team's own is kept, and is no clash
    clashes = [path for path, _ in planned if path.exists() and path.name not in kept]
    if clashes:
        raise UsageError(
            "exists and is never overwritten; nothing was written", display(clashes[0])
        )
    created = []
    for path, content in planned:
        if path.exists():
            continue
        _make_folders(path.parent)
        data = content.read_bytes() if isinstance(content, Path) else content.encode()
        if create_exclusive(path, data):
            created.append(path)
    return InitResult(root, created)
