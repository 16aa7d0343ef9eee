"""`bpm site OUT/`: the postmortems and the team's follow-through as a static site.

The site works from `file://`, on GitHub Pages or any web server, and fetches nothing
when viewed (docs/site.md). Pages come from the working tree's postmortems, their git
history (when each action's due date moved, by whom) and `report stats`.

A rebuild renders only what changed: each postmortem page is keyed by a digest of what
it shows (the file's bytes, its actions' history, the as-of day and bpm's version),
kept in OUT/.bpm-site.json beside the list of files bpm wrote. That manifest is also
what makes an output folder bpm's own: a folder that exists without it is refused, and
bpm only ever deletes files its manifest lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import marshal
import os
import re
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bpmcli import __version__
from bpmcli.config import Config
from bpmcli.errors import BpmError, UsageError
from bpmcli.files import atomic_write
from bpmcli.format.postmortem import is_overdue
from bpmcli.parallel import in_background
from bpmcli.progress import SILENT, Advance, Progress

if TYPE_CHECKING:
    from jinja2 import Environment

    from bpmcli.format.postmortem import Action
    from bpmcli.report import Current
    from bpmcli.store.history import ActionHistory, Lineage

MANIFEST = ".bpm-site.json"
HERE = Path(__file__).parent
SITE_PAGES = ("index.html", "follow-through.html", "owners.html", "services.html")
PARALLEL_FROM = 48  # fewer pages than this render in this process


@dataclass
class Options:
    as_of: dt.date
    by: str = "month"
    use_cache: bool = True
    jobs: int | None = None


@dataclass
class Built:
    """What a build did; the CLI reports it."""

    pages: int = 0  # pages in the site
    rendered: int = 0  # pages written this time (the others were unchanged)
    removed: int = 0  # pages of postmortems that are gone
    problems: list[BpmError] = field(default_factory=list)  # files left out, and why


def build(config: Config, out: Path, options: Options, progress: Progress = SILENT) -> Built:
    """Write (or update) the site in `out`; `progress` counts history's commits, then the
    postmortem pages written."""
    from bpmcli import report, stats
    from bpmcli.store import history
    from bpmcli.store.repo import Repository

    # Outside a repository, or without git: a usage error, before anything else.
    Repository.discover(config.root, "bpm site")
    previous = _previous(out)
    loaded = history.load(
        config.root,
        config.postmortem_dir,
        None,
        options.use_cache,
        save=False,
        purpose="bpm site",
        progress=progress,
    )
    past = stats.whole_history(loaded)
    # The follow-through numbers (and writing the history cache) and the pages' facts do
    # not depend on each other: one process each.
    wanted = stats.Options(options.by, options.as_of)
    rows_when_done = in_background(partial(_numbers, config, wanted, options.use_cache, loaded))
    postmortems, problems = report.current(config, None, options.use_cache)
    cards = _cards(postmortems, past.by_path(), options.as_of, config)
    rows = rows_when_done()
    out.mkdir(parents=True, exist_ok=True)
    if "pages" not in previous:
        # The manifest first: a build interrupted now (Ctrl-C, a kill) leaves a folder the
        # next `bpm site` knows as its own, and renders again in full.
        _write_manifest(out, {})
    env = _environment()
    common = {"version": __version__, "as_of": options.as_of.isoformat()}
    built = Built(pages=len(cards) + len(SITE_PAGES), problems=problems)
    pages = previous.get("pages", {})
    todo = [card for card in cards if pages.get(card["href"]) != card["key"]]
    advance = progress.task("writing pages", len(todo))
    results = _render_postmortems(env, out, common, todo, options.jobs, advance)
    for card, problem in zip(todo, results, strict=True):
        if problem is not None:
            built.problems.append(BpmError(problem))
            card["key"] = None  # render it again next time
    built.rendered = len(todo) + len(SITE_PAGES)  # the site's own pages are always written
    _write_site_pages(env, out, common, cards, rows, options.by)
    kept = {card["href"]: card["key"] for card in cards}
    for stale in sorted(set(pages) - set(kept)):
        if _remove_page(out, stale):
            built.removed += 1
    _write_manifest(out, kept)
    return built


def _write_manifest(out: Path, pages: dict[str, Any]) -> None:
    atomic_write(
        out / MANIFEST,
        json.dumps({"bpm_site": 1, "version": __version__, "pages": pages}, indent=0).encode(),
    )


def _numbers(config: Config, wanted: Any, use_cache: bool, loaded: Any) -> list[dict[str, Any]]:
    """The follow-through rows; first, the history cache the parent left unwritten."""
    from bpmcli import stats

    loaded.save()
    rows: list[dict[str, Any]] = stats.run(config, wanted, use_cache, loaded)
    return rows


def _previous(out: Path) -> dict[str, Any]:
    """The manifest of the bpm site in `out`; refuse a folder that is not one."""
    if not out.exists():
        return {}
    if not out.is_dir() or out.is_symlink():
        raise UsageError(f"{out}: exists and is not a folder; choose another output folder")
    marker = out / MANIFEST
    if not marker.is_file():
        if any(out.iterdir()):
            raise UsageError(
                f"{out}: exists, is not empty and is not a bpm site (no {MANIFEST}); "
                "refusing to write into it"
            )
        return {}
    try:
        data = json.loads(marker.read_bytes())
        pages = data.get("pages") if isinstance(data, dict) else None
        return {"pages": pages} if isinstance(pages, dict) else {}
    except (OSError, ValueError):
        return {}  # a damaged manifest: every page is written again


def _remove_page(out: Path, href: str) -> bool:
    """Delete a page the manifest lists, and nothing that could be outside the site."""
    if not re.fullmatch(r"pm/[^/\\]+\.html", href):
        return False
    try:
        (out / href).unlink()
        return True
    except FileNotFoundError:
        return False


# -- what each page shows --------------------------------------------------------------


def _cards(
    postmortems: list[Current], lineages: dict[str, Lineage], as_of: dt.date, config: Config
) -> list[dict[str, Any]]:
    """One plain dict per postmortem: what its page and its index row show."""
    cards = []
    taken: set[str] = set()
    root = config.root
    for item in sorted(postmortems, key=lambda c: (_date_of(c), c.path), reverse=True):
        pm = item.pm
        lineage = lineages.get(item.path)
        actions = [_action(a, lineage, as_of, config) for a in pm.actions]
        name = _page_name(pm.path.stem, taken)
        started = pm.started
        card: dict[str, Any] = {
            "id": pm.id,
            "title": pm.title or pm.id,
            "path": item.path,
            "file": str(pm.path if pm.path.is_absolute() else root / pm.path),
            "href": f"pm/{name}.html",
            "date": _date_of(item),
            "started": started.isoformat(timespec="minutes") if started else None,
            "severity": pm.severity,
            "status": pm.status,
            "services": pm.strings("services"),
            "facilitator": pm.facilitator,
            "actions": actions,
            "open": sum(a["status"] == "open" for a in actions),
            "overdue": sum(a["overdue"] for a in actions),
        }
        card["key"] = _page_key(card, as_of)
        cards.append(card)
    return cards


def _date_of(item: Current) -> str:
    started = item.pm.started
    return started.date().isoformat() if started else ""


def _page_name(stem: str, taken: set[str]) -> str:
    """A file name for the page: the id, made safe, unique in the site."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "postmortem"
    name, number = base, 2
    while name.lower() in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name.lower())
    return name


def _action(
    action: Action, lineage: Lineage | None, as_of: dt.date, config: Config
) -> dict[str, Any]:
    action_id, status, due = action.id, action.status, action.due
    past: ActionHistory | None = lineage.actions.get(action_id or "") if lineage else None
    overdue = is_overdue(status, due, as_of)
    return {
        "id": action_id,
        "action": action.action,
        "owner": action.owner,
        "kind": action.kind,
        "ticket": action.ticket,
        "ticket_url": config.ticket_link(action.ticket),
        "status": status,
        "due": due.isoformat() if due else None,
        "overdue": overdue,
        "days_overdue": (as_of - due).days if overdue and due else 0,
        "badge": _badge(status, overdue, (as_of - due).days if overdue and due else 0),
        "added": past.introduced.date if past else None,
        "added_by": past.introduced.author if past else None,
        "history": [
            {"date": c.commit.date, "author": c.commit.author, "old": c.old, "new": c.new}
            for c in (past.due_changes if past else [])
        ],
    }


def _badge(status: str | None, overdue: bool, days: int) -> list[str]:
    """[CSS class, text] of an action's status badge, worked out once for every page."""
    if overdue:
        return ["overdue", f"overdue {days} d"]
    return [status or "unknown", status or "no status"]


def _page_key(card: dict[str, Any], as_of: dt.date) -> str:
    """What the page shows, as a digest: the file (by its stat, as git's index trusts it)
    and everything drawn from the front matter and history."""
    try:
        stat = os.stat(card["file"])  # noqa: PTH116 - a str: no Path parsing for 5,000 files
        seen = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    except OSError:
        seen = []
    # version 2: no back-references, so equal values give equal bytes whatever their identity
    shown = marshal.dumps([__version__, as_of.isoformat(), seen, card], 2)
    return hashlib.blake2b(shown, digest_size=16).hexdigest()


# -- rendering -------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    """One environment per process; made before the workers fork, so they inherit it."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup, escape

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["lines"] = lambda text: Markup("<br>").join(
        escape(part) for part in str(text).split("\n")
    )
    return env


def _render_postmortems(
    env: Environment,
    out: Path,
    common: dict[str, Any],
    cards: list[dict[str, Any]],
    jobs: int | None,
    advance: Advance,
) -> list[str | None]:
    from bpmcli.parallel import map_chunks

    (out / "pm").mkdir(exist_ok=True)
    env.get_template("postmortem.html.j2")  # compiled once, before the workers fork
    env.get_template("timeline.html.j2")
    work = partial(_render_postmortem_pages, out, common)
    return map_chunks(work, cards, PARALLEL_FROM, jobs, advance)


def _render_postmortem_pages(
    out: Path, common: dict[str, Any], cards: list[dict[str, Any]]
) -> list[str | None]:
    env = _environment()
    return [_render_postmortem(env, out, common, card) for card in cards]


def _render_postmortem(
    env: Environment, out: Path, common: dict[str, Any], card: dict[str, Any]
) -> str | None:
    """Write one postmortem's page; a one-line problem instead when its file went bad."""
    from markupsafe import Markup

    from bpmcli.format.postmortem import load

    try:
        pm = load(Path(card["file"]))
        body = _body_html(env, pm)
        page = env.get_template("postmortem.html.j2").render(
            **common,
            root="../",
            page="postmortem",
            title=card["title"],
            card=card,
            body=Markup(body),
        )
        atomic_write(out / card["href"], page.encode())
    except BpmError as exc:
        return str(exc)
    return None


PLACEHOLDER = "BPMTIMELINETABLE7D3F"


def _body_html(env: Environment, pm: Any) -> str:
    """The write-up as HTML, its timeline table drawn from the parsed rows.

    The table is the one `timeline.find` reads (the Markdown parser's, never one inside
    code), swapped for a placeholder paragraph that the rendered table then replaces.
    """
    from bpmcli.errors import PostmortemError
    from bpmcli.format import timeline
    from bpmcli.site.markup import to_html

    text = pm.body
    offset = pm.where.body_start
    table_html = ""
    try:
        table = timeline.find(pm)
    except PostmortemError:
        table = None
    if table is not None and table.rows:
        start, end = table.start - offset, table.end - offset
        text = f"{text[:start]}\n\n{PLACEHOLDER}\n\n{text[end:]}"
        table_html = env.get_template("timeline.html.j2").render(
            titles=timeline.TITLES,
            rows=[
                [row.time, row.actor, row.event, row.outcome, row.expected, row.assumed]
                for row in table.rows
            ],
        )
    html = to_html(text)
    if not table_html:
        return html
    marker = f"<p>{PLACEHOLDER}</p>"
    if marker not in html:  # the table is not where a paragraph can stand: render as written
        return to_html(pm.body)
    return html.replace(marker, table_html, 1)


def _write_site_pages(
    env: Environment,
    out: Path,
    common: dict[str, Any],
    cards: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    by: str,
) -> None:
    from bpmcli.site.pages import charts, people

    assets = out / "assets"
    assets.mkdir(exist_ok=True)
    for name in ("site.css", "site.js"):
        data = (HERE / "assets" / name).read_bytes()
        target = assets / name
        if not target.is_file() or target.read_bytes() != data:
            atomic_write(target, data)

    def write_index() -> None:
        html = env.get_template("index.html.j2").render(
            **common,
            root="",
            page="index",
            title="Postmortems",
            cards=cards,
            open_total=sum(card["open"] for card in cards),
            overdue_total=sum(card["overdue"] for card in cards),
            severities=sorted({c["severity"] for c in cards if c["severity"]}),
            statuses=sorted({c["status"] for c in cards if c["status"]}),
        )
        atomic_write(out / "index.html", html.encode())

    index_written = in_background(write_index)  # the biggest page, on the other core
    pages = {
        "follow-through.html": env.get_template("follow_through.html.j2").render(
            **common,
            root="",
            page="follow-through",
            title="Follow-through",
            by=by,
            charts=charts(rows),
        ),
        "owners.html": env.get_template("people.html.j2").render(
            **common,
            root="",
            page="owners",
            title="Open actions by owner",
            noun="owner",
            groups=people(cards, lambda card, action: [action["owner"] or "(no owner)"]),
        ),
        "services.html": env.get_template("people.html.j2").render(
            **common,
            root="",
            page="services",
            title="Open actions by service",
            noun="service",
            groups=people(cards, lambda card, action: card["services"] or ["(none)"]),
        ),
    }
    for name, html in pages.items():
        atomic_write(out / name, html.encode())
    index_written()
