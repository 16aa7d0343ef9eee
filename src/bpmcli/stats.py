"""`bpm report stats`: does the team follow through? One row per period (and group).

Every number is defined in docs/metrics.md. Events (published, added, done, dropped,
vanished, postponed) come from the history pass that `report overdue` uses, dated by the
commit's author date; attributes (started, review_by, severity, services) from the files
at the revision; open and overdue "at the end" from the files the main line held on the
period's last day (`snapshots`). Overdue is `model.is_overdue`, vanished is
`report.find_vanished`: one definition each, shared with the other reports.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bpmcli.config import Config
from bpmcli.errors import BpmError
from bpmcli.progress import SILENT, Progress
from bpmcli.report import find_vanished, published_on_time
from bpmcli.store.cache import Cache
from bpmcli.store.history import History, Lineage, Loaded
from bpmcli.store.repo import Repository
from bpmcli.store.snapshots import Attributes, Mainline

PURPOSE = "bpm report stats"

PERIODS = ("month", "quarter", "year")
GROUPS = ("severity", "service", "owner")
NONE = "(none)"

COLUMNS = (
    "period",
    "postmortems_started",
    "published",
    "published_on_time",
    "median_days_to_publish",
    "actions_added",
    "actions_done",
    "actions_dropped",
    "actions_vanished",
    "median_days_to_close",
    "closed_by_original_due",
    "postponements",
    "open_at_end",
    "overdue_at_end",
    "prevent_share",
)


def period_of(day: str, by: str) -> str:
    """The period an ISO day falls in: `2026-11`, `2026-Q4` or `2026`."""
    if by == "month":
        return day[:7]
    if by == "quarter":
        return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"
    return day[:4]


def period_end(period: str, by: str) -> dt.date:
    year = int(period[:4])
    if by == "year":
        return dt.date(year, 12, 31)
    month = int(period[5:7]) if by == "month" else int(period[6]) * 3
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def periods(first: dt.date, last: dt.date, by: str) -> list[str]:
    """Every period from the one holding `first` to the one holding `last`, oldest first."""
    found: list[str] = []
    day = first
    while day <= last:
        key = period_of(day.isoformat(), by)
        found.append(key)
        day = period_end(key, by) + dt.timedelta(days=1)
    return found


@dataclass
class Tally:
    """The counts behind one row."""

    started: int = 0
    published: int = 0
    published_on_time: int = 0
    days_to_publish: list[int] = field(default_factory=list)
    added: int = 0
    done: int = 0
    dropped: int = 0
    vanished: int = 0
    days_to_close: list[int] = field(default_factory=list)
    done_by_original_due: int = 0
    postponing_commits: set[str] = field(default_factory=set)
    open_at_end: int = 0
    overdue_at_end: int = 0
    prevent: int = 0

    def empty(self) -> bool:
        return not (
            self.started or self.published or self.added or self.done or self.dropped
        ) and not (self.vanished or self.postponing_commits or self.open_at_end)

    def row(self, period: str, group: str | None) -> dict[str, Any]:
        row: dict[str, Any] = {"period": period}
        if group is not None:
            row["group"] = group
        row.update(
            postmortems_started=self.started,
            published=self.published,
            published_on_time=self.published_on_time,
            median_days_to_publish=_median(self.days_to_publish),
            actions_added=self.added,
            actions_done=self.done,
            actions_dropped=self.dropped,
            actions_vanished=self.vanished,
            median_days_to_close=_median(self.days_to_close),
            closed_by_original_due=_share(self.done_by_original_due, self.done),
            postponements=len(self.postponing_commits),
            open_at_end=self.open_at_end,
            overdue_at_end=self.overdue_at_end,
            prevent_share=_share(self.prevent, self.added),
        )
        return row


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _days(start: str, end: str) -> int:
    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


@dataclass
class Options:
    by: str = "month"
    as_of: dt.date = field(default_factory=dt.date.today)
    since: dt.date | None = None
    group_by: str | None = None


class _Groups:
    """Which group(s) a postmortem or an action counts in."""

    def __init__(self, group_by: str | None):
        self.group_by = group_by

    def of_postmortem(self, facts: Attributes | None) -> tuple[str | None, ...]:
        return self.of_action(facts, None, action=False)

    def of_action(
        self, facts: Attributes | None, owner: str | None, action: bool = True
    ) -> tuple[str | None, ...]:
        if facts is None:
            return self.of(None, (), None, owner, action)
        return self.of(facts.severity, facts.services, facts.facilitator, owner, action)

    def of(
        self,
        severity: str | None,
        services: Iterable[str],
        facilitator: str | None,
        owner: str | None,
        action: bool = False,
    ) -> tuple[str | None, ...]:
        if self.group_by is None:
            return (None,)
        if self.group_by == "severity":
            return (severity or NONE,)
        if self.group_by == "service":
            return tuple(dict.fromkeys(services)) or (NONE,)
        return ((owner if action else facilitator) or NONE,)


class _Tallies:
    """Tallies by (period, group); events after `as_of` are counted nowhere."""

    def __init__(self, by: str, as_of: str):
        self.by, self.as_of = by, as_of
        self.found: dict[tuple[str, str | None], Tally] = {}
        self.first = as_of

    def at(self, day: str, group: str | None) -> Tally:
        if day > self.as_of:
            return Tally()
        self.first = min(self.first, day)
        return self.period(period_of(day, self.by), group)

    def period(self, key: str, group: str | None) -> Tally:
        found = self.found.get((key, group))
        if found is None:
            found = self.found[key, group] = Tally()
        return found


def compute(history: History, mainline: Mainline, options: Options) -> list[dict[str, Any]]:
    """The rows of `report stats`, oldest period first (then by group)."""
    groups = _Groups(options.group_by)
    at_head = {
        path: mainline.attributes(blob) for path, blob in mainline.files_at(history.head).items()
    }
    tallies = _Tallies(options.by, options.as_of.isoformat())
    _count_postmortems(history, at_head, groups, tallies)
    _count_actions(history, at_head, groups, tallies)
    start = options.since or dt.date.fromisoformat(tallies.first)
    keys = periods(start, options.as_of, options.by) if start <= options.as_of else []
    at_end = _AtEnd(mainline, groups)
    for key in keys:
        end = min(period_end(key, options.by), options.as_of)
        for group, (open_, overdue) in at_end.counts(end).items():
            counts = tallies.period(key, group)
            counts.open_at_end, counts.overdue_at_end = open_, overdue
    return _rows(tallies.found, keys, options.group_by is not None)


def _at_head(
    history: History, at_head: dict[str, Attributes | None]
) -> Iterator[tuple[Lineage, Attributes | None]]:
    """The postmortems that exist at HEAD, with their facts there: the ones stats count."""
    for lineage in history.lineages:
        if not lineage.deleted and lineage.path in at_head:
            yield lineage, at_head[lineage.path]


def _count_postmortems(
    history: History, at_head: dict[str, Attributes | None], groups: _Groups, tallies: _Tallies
) -> None:
    for lineage, facts in _at_head(history, at_head):
        started = facts.started if facts else None
        published = lineage.published.date if lineage.published else None
        for group in groups.of_postmortem(facts):
            if started:
                tallies.at(started, group).started += 1
            if published:
                counts = tallies.at(published, group)
                counts.published += 1
                counts.published_on_time += published_on_time(
                    published, facts.review_by if facts else None
                )
                if started:
                    counts.days_to_publish.append(_days(started, published))


def _count_actions(
    history: History, at_head: dict[str, Attributes | None], groups: _Groups, tallies: _Tallies
) -> None:
    for lineage, facts in _at_head(history, at_head):
        for past in lineage.actions.values():
            added, done, dropped = past.introduced.date, past.done, past.dropped
            for group in groups.of_action(facts, past.owner):
                counts = tallies.at(added, group)
                counts.added += 1
                counts.prevent += past.kind == "prevent"
                if done is not None:
                    counts = tallies.at(done.date, group)
                    counts.done += 1
                    counts.days_to_close.append(_days(added, done.date))
                    original = past.original_due
                    counts.done_by_original_due += original is not None and done.date <= original
                if dropped is not None:
                    tallies.at(dropped.date, group).dropped += 1
                for commit in past.postponed_later:
                    tallies.at(commit.date, group).postponing_commits.add(commit.sha)
    lineages = history.by_path()
    for row in find_vanished(history):
        facts = at_head.get(row.path)
        owner = lineages[row.path].actions[row.action_id].owner
        for group in groups.of_action(facts, owner):
            tallies.at(row.removed_at, group).vanished += 1


class _AtEnd:
    """Open and overdue actions on a day, per group, from the main line's files then.

    A part of the folder (a year's subfolder, say) that did not change between two period
    ends is summed once: its open actions' due dates, sorted, answer "overdue on day D"
    with a bisection.
    """

    def __init__(self, mainline: Mainline, groups: _Groups):
        self.mainline, self.groups = mainline, groups
        self.parts: dict[str, dict[str | None, tuple[int, list[str]]]] = {}

    def counts(self, end: dt.date) -> dict[str | None, tuple[int, int]]:
        found: dict[str | None, list[int]] = {}
        day = end.isoformat()  # ISO dates sort as the dates do
        commit = self.mainline.commit_on(day)
        for key, _ in self.mainline.parts_at(commit):
            for group, (open_, dues) in self._part(key).items():
                counts = found.setdefault(group, [0, 0])
                counts[0] += open_
                counts[1] += bisect.bisect_left(dues, day)
        return {group: (counts[0], counts[1]) for group, counts in found.items()}

    def _part(self, key: str) -> dict[str | None, tuple[int, list[str]]]:
        found = self.parts.get(key)
        if found is not None:
            return found
        opened: dict[str | None, int] = {}
        dues: dict[str | None, list[str]] = {}
        for severity, services, facilitator, actions in self.mainline.open_in(key):
            for due, owner in actions:
                for group in self.groups.of(severity, services, facilitator, owner, action=True):
                    opened[group] = opened.get(group, 0) + 1
                    if due is not None:  # model.is_overdue: open, and due before the day
                        dues.setdefault(group, []).append(due)
        found = self.parts[key] = {
            group: (count, sorted(dues.get(group, []))) for group, count in opened.items()
        }
        return found


def _rows(
    tallies: dict[tuple[str, str | None], Tally], keys: list[str], grouped: bool
) -> list[dict[str, Any]]:
    rows = []
    wanted = set(keys)
    for (period, group), counts in sorted(tallies.items(), key=lambda x: (x[0][0], x[0][1] or "")):
        if period in wanted and (not grouped or not counts.empty()):
            rows.append(counts.row(period, group))
    if not grouped:
        present = {row["period"] for row in rows}
        rows += [Tally().row(key, None) for key in keys if key not in present]
        rows.sort(key=lambda row: str(row["period"]))
    return rows


def whole_history(loaded: Loaded) -> History:
    """The history, when there is all of it; else the one-line reason there is not."""
    past = loaded.history
    if past is None or past.head is None:
        raise BpmError("no history yet: commit the postmortems first (git add, git commit)")
    if past.shallow:
        raise BpmError(
            "shallow clone: follow-through needs the whole history "
            "(git fetch --unshallow, or fetch-depth: 0 in CI)"
        )
    return past


def prepare(
    config: Config,
    use_cache: bool = True,
    loaded: Loaded | None = None,
    progress: Progress = SILENT,
) -> tuple[History, Mainline]:
    """The whole history of the postmortem folder at HEAD, and its main line.

    Follow-through needs all of it: outside a repository, before the first commit, in a
    shallow clone or without a single postmortem at HEAD, a clear error instead of numbers
    that look right and are not.
    """
    from bpmcli.store import history

    repository = Repository.discover(config.root, PURPOSE)
    if loaded is None:
        loaded = history.load(
            config.root, config.postmortem_dir, None, use_cache, purpose=PURPOSE, progress=progress
        )
    past = whole_history(loaded)
    folder = repository.relative(config.postmortem_dir)
    assert past.head is not None  # whole_history refused a history without commits
    mainline = Mainline(repository, folder, past.head, loaded.facts, use_cache)
    if not mainline.files_at(past.head):
        mainline.close()
        raise BpmError(f"no postmortems under {folder}/ at HEAD: nothing to count yet")
    return past, mainline


ANSWERS_FORMAT = 1
ANSWERS_KEPT = 16  # answers about HEAD kept at once (a few --by and --since combinations)


def run(
    config: Config,
    options: Options,
    use_cache: bool = True,
    loaded: Loaded | None = None,
    progress: Progress = SILENT,
) -> list[dict[str, Any]]:
    """`compute` at HEAD, remembering the last answers: the same question about the same
    commit has the same answer (stats never read the working tree). `loaded`: the history,
    when the caller has it already; `progress` counts the history pass's commits."""
    import json

    repository = Repository.discover(config.root, PURPOSE)
    head = repository.head()
    question = json.dumps(
        [
            str(config.postmortem_dir),
            options.by,
            str(options.since),
            options.as_of.isoformat(),
            options.group_by,
        ]
    )
    # A shallow clone is refused by `prepare`: never answer from an older, deeper clone.
    enabled = use_cache and head is not None and not repository.is_shallow()
    cache = Cache.under(repository.cache_dir, "stats.json", ANSWERS_FORMAT, [head], enabled)
    answers: dict[str, Any] = cache.read(lambda stored: dict(stored["answers"])) or {}
    if question in answers:
        return list(answers[question])
    past, mainline = prepare(config, use_cache, loaded, progress)
    try:
        rows = compute(past, mainline, options)
    finally:
        mainline.close()
    answers[question] = rows
    cache.save({"answers": dict(list(answers.items())[-ANSWERS_KEPT:])})
    return rows
