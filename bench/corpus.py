#!/usr/bin/env python3
"""Build a postmortem repository with a realistic git history, and the truth about it.

    python3 bench/corpus.py --out DIR --postmortems N --truth FILE [--seed S] [--as-of DAY]

The files follow docs/format.md. The history is what a team leaves behind over years:
postmortems written on topic branches and merged with --no-ff (or straight on main),
timeline rows added over several commits (now and then one found later, in the middle),
a summary (sometimes blameful), action items added during the review and weeks later,
owners assigned late, vague actions reworded, due dates moved (several times, mostly
later), actions done, dropped with (or without) a reason, deleted while still open
(vanished) or tidied away once done, postmortems renamed when the title changes,
duplicates deleted, drafts still on unmerged branches, and commits that touch no
postmortem. Authors work in several time zones.

The truth file says what a correct tool finds on main as of AS_OF. It is kept while the
simulation runs, from the simulation's own state: bpm is never run or imported. Only the
standard library and git are used; the history is streamed into one `git fast-import`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

UTC = dt.UTC
# The same repository whatever the user's git config says (autocrlf, hooks, signing).
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
AS_OF = dt.date(2026, 11, 1)
SECTIONS = ("Summary", "Impact", "Timeline", "Contributing factors", "What we learned")
TABLE_HEAD = "| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |"
TABLE_RULE = "|---|---|---|---|---|---|"

GIVEN = ["Ana", "Bo", "Chen", "Dmitri", "Emeka", "Fatima", "Gustav", "Hana", "Ivan", "José",
         "Kai", "Lena", "Marta", "Nikhil", "Olu", "Priya", "Quinn", "Rosa", "Sven", "Tomás",
         "Uma", "Vera", "Wen", "Xavier", "Yuki", "Zoë", "Amara", "Björn", "Chiara", "Dara"]  # fmt: skip
FAMILY = ["Okafor", "Lindqvist", "García", "Nakamura", "Kowalski", "Haddad", "Müller", "Singh",
          "O'Brien", "Dubois", "Rossi", "Ivanova", "Chen", "Moreau", "Silva", "Adeyemi"]  # fmt: skip
# Minutes east of UTC: a team spread from the US west coast to Tokyo.
OFFSETS = [0, 0, 0, 60, 60, 120, -300, -480, 330, 540]
SERVICES = ["checkout", "payments", "search", "auth", "cdn", "billing", "catalog", "ledger",
            "inventory", "notifications", "api-gateway", "ingest", "reporting", "dns"]  # fmt: skip
TROUBLE = ["outage", "degradation", "partial outage", "latency spike", "data delay",
           "elevated errors", "stale reads", "failed deploys"]  # fmt: skip
CAUSES = ["an expired certificate", "a config push", "connection pool exhaustion",
          "a bad migration", "a DNS change", "a cache stampede", "a full disk", "a retry storm"]  # fmt: skip
EVENTS = ["Deployed release v{n}", "Pushed config change #{n}", "Paged the on-call engineer",
          "Rolled back to v{n}", "Opened the incident channel", "Scaled the pool to {n} nodes",
          "Failed over the primary database", "Disabled the flag `fast-path-{n}`",
          "Restarted {n} workers", "Posted a status page update", "Drained zone eu-{n}"]  # fmt: skip
OUTCOMES = ["Error rate rose to {n}%", "p99 latency reached {n} s", "{n}% of logins failed",
            "Queue depth grew to {n}k messages", "{n} pods crash-looped", "Disk at {n}%",
            "Traffic recovered", "No change", "5xx | 4xx ratio was {n}:1",
            "Retries backed off (see C:\\ops\\runbook)"]  # fmt: skip
EXPECTED = ["A quick recovery", "No customer impact", "The canary should have caught it", ""]
ASSUMED = ["The flag was off | in prod", "Traffic was low", "The replica was in sync", ""]
BOTS = ["PagerDuty", "deploy-bot", "Alertmanager"]
# Action texts: the concrete ones start with a base-form verb lint accepts; the vague ones
# with a verb of lint's vague list. Both kinds are tracked as flags, not re-derived.
CONCRETE = ["Make the {svc} consumer idempotent", "Add a canary stage to the {svc} deploy",
            "Alert when {svc} queue depth exceeds 10k for 5 minutes",
            "Remove the shared cache between {svc} and billing",
            "Set a 2 s timeout on calls from {svc} to the ledger",
            "Require two reviewers for {svc} config pushes",
            "Split the {svc} batch job into hourly chunks", "Automate the {svc} failover runbook",
            "Rate-limit retries from {svc} clients", "Write a load test for {svc} at 3x peak",
            "Migrate {svc} off the legacy DNS zone", "Delete the unused {svc} feature flags",
            "Pin the {svc} base image by digest", "Replace the {svc} cron job with a queue"]  # fmt: skip
VAGUE = ["Investigate the {svc} latency spike", "Look into {svc} retries",
         "Improve {svc} monitoring", "Document the {svc} failover", "Monitor {svc} error rates",
         "Consider adding a cache to {svc}", "Review {svc} alerting",
         "Evaluate a second {svc} region"]  # fmt: skip
KINDS = ["prevent", "prevent", "mitigate", "detect", "process"]
REASONS = ["Superseded by the platform migration", "The service is being retired",
           "Too costly for the risk it removes"]  # fmt: skip
# A blameful sentence trips BPM301 or BPM302; the neutral ones hold look-alikes that lint
# must leave alone (inline code, an HTML comment).
BLAMEFUL = ["The on-call engineer should have noticed the alert sooner.",
            "This was caused by human error during the deploy.",
            "The reviewer failed to spot the missing key.",
            "A careless edit to the load balancer config started it."]  # fmt: skip
NEUTRAL = ["The alert fired but was routed to a muted channel.",
           "The deploy tool accepted the config without schema validation.",
           "Clients logged `failed to connect` until the pool recovered.",
           "The dashboard sampled the wrong region, so hosts looked healthy."]  # fmt: skip
GUIDANCE = "<!-- Ask how the system made the actions reasonable, not who is to blame. -->"


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    offset: int  # minutes east of UTC

    def stamp(self, when: dt.datetime) -> str:
        sign = "+" if self.offset >= 0 else "-"
        hours, minutes = divmod(abs(self.offset), 60)
        return f"{self.name} <{self.email}> {int(when.timestamp())} {sign}{hours:02d}{minutes:02d}"

    def local_day(self, when: dt.datetime) -> str:
        """The author date as git prints it with --date=short: in the author's own zone."""
        return (when + dt.timedelta(minutes=self.offset)).date().isoformat()

    @property
    def handle(self) -> str:
        return slug(self.name.split()[0])


@dataclass
class Action:
    id: str
    text: str
    vague: bool
    owner: str | None
    due: dt.date
    kind: str
    ticket: str | None = None
    status: str = "open"
    closed: dt.date | None = None
    reason: str | None = None
    gone: bool = False  # deleted from the file
    was_closed: bool = False  # ever done or dropped: deleting it later is no vanishing
    introduced_at: str = ""
    introduced_by: str = ""
    original_due: dt.date | None = None
    due_moves: int = 0

    def render(self) -> list[str]:
        lines = [f"  - id: {self.id}", f"    action: {scalar(self.text)}"]
        if self.owner is not None:
            lines.append(f"    owner: {scalar(self.owner)}")
        lines += [f"    due: {self.due.isoformat()}", f"    kind: {self.kind}"]
        lines.append(f"    status: {self.status}")
        if self.ticket:
            lines.append(f"    ticket: {self.ticket}")
        if self.closed:
            lines.append(f"    closed: {self.closed.isoformat()}")
        if self.reason:
            lines.append(f"    reason: {scalar(self.reason)}")
        return lines


@dataclass
class Row:
    when: dt.datetime
    cells: tuple[str, str, str, str, str]

    def render(self) -> str:
        texts = [self.when.strftime("%Y-%m-%d %H:%M"), *self.cells]
        return "| " + " | ".join(escape_cell(text) for text in texts) + " |"


@dataclass
class Postmortem:
    number: int
    id: str
    title: str
    started: dt.datetime
    severity: str
    services: list[str]
    facilitator: Person
    guidance: bool  # written by `bpm new`, with the template's comments
    status: str = "draft"
    tags: list[str] = field(default_factory=list)
    resolved: dt.datetime | None = None
    rows: list[Row] = field(default_factory=list)
    summary: str = ""
    blameful: bool = False
    actions: list[Action] = field(default_factory=list)
    branch: str | None = None  # the topic branch it lives on until merged
    on_main: bool = False
    deleted: bool = False

    @property
    def path(self) -> str:
        return f"postmortems/{self.id[:4]}/{self.id}.md"

    @property
    def review_by(self) -> dt.date:
        return self.started.date() + dt.timedelta(days=5)

    def live(self) -> list[Action]:
        return [a for a in self.actions if not a.gone]

    def render(self) -> str:
        return "\n".join(self.front_matter() + self.body())

    def front_matter(self) -> list[str]:
        lines = [
            "---",
            f"id: {self.id}",
            f"title: {scalar(self.title)}",
            "kind: incident",
            f"status: {self.status}",
            f"severity: {self.severity}",
            f"started: {self.started.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        ]
        if self.resolved:
            lines.append(f"resolved: {self.resolved.strftime('%Y-%m-%dT%H:%M:%SZ')}")
        lines += [
            f"review_by: {self.review_by.isoformat()}",
            f"facilitator: {scalar(self.facilitator.name)}",
            f"services: [{', '.join(self.services)}]",
        ]
        if self.tags:
            lines.append(f"tags: [{', '.join(self.tags)}]")
        live = self.live()
        lines.append("actions:" if live else "actions: []")
        for action in live:
            lines += action.render()
        return [*lines, "---"]

    def body(self) -> list[str]:
        lines = [f"# {self.title}", ""]
        texts = {
            "Summary": [self.summary] if self.summary else [],
            "Impact": [f"Customers of {self.services[0]} saw errors for part of the incident."],
            "Contributing factors": [f"- The {self.services[-1]} deploy had no canary stage."],
            "What we learned": ["- Per-region dashboards show this kind of failure at once."]
            if self.summary
            else [],
        }
        for name in SECTIONS:
            lines += [f"## {name}", ""]
            if name == "Summary" and self.guidance:
                lines += [GUIDANCE, ""]
            if name == "Timeline":
                rows = sorted(self.rows, key=lambda row: row.when)
                lines += [TABLE_HEAD, TABLE_RULE, *(row.render() for row in rows), ""]
            elif texts[name]:
                lines += [*texts[name], ""]
        lines += ["## Action items", "", "The actions live in the front matter.", ""]
        return lines


def scalar(text: str) -> str:
    """A YAML scalar for text: plain where that is safe, else double-quoted (JSON is YAML)."""
    words = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}
    plain = (
        text[:1].isalpha()
        and all(ch.isalnum() or ch in " -_." for ch in text)
        and text.lower() not in words
        and not text.endswith(" ")
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def escape_cell(text: str) -> str:
    """A timeline cell as docs/format.md writes it: backslash, then pipe, escaped."""
    return text.replace("\\", "\\\\").replace("|", "\\|")


def slug(title: str) -> str:
    """docs/format.md's slug: accents dropped, ASCII words joined by -, at most 60 chars."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in ascii_text)
    return "-".join(part for part in out.split("-") if part)[:60].strip("-") or "untitled"


def natural(action_id: str) -> tuple[str, int]:
    """A2 before A10, as bpm sorts action ids."""
    return action_id[:1], int(action_id[1:])


class FastImport:
    """Streams commits into one `git fast-import`; keeps each branch's tip mark."""

    def __init__(self, repo: Path) -> None:
        self.process = subprocess.Popen(
            ["git", "fast-import", "--quiet", "--active-branches=2000"],
            cwd=repo,
            env=GIT_ENV,
            stdin=subprocess.PIPE,
        )
        assert self.process.stdin is not None
        self.stream: IO[bytes] = self.process.stdin
        self.marks = 0
        self.tips: dict[str, int] = {}

    def commit(
        self,
        branch: str,
        who: Person,
        when: dt.datetime,
        message: str,
        files: dict[str, str | None],
        start: int | None = None,
        merge: int | None = None,
    ) -> int:
        """One commit on `branch` (from its tip, or from mark `start`); None deletes a file."""
        self.marks += 1
        data = message.encode()
        head = [
            f"commit refs/heads/{branch}",
            f"mark :{self.marks}",
            f"author {who.stamp(when)}",
            f"committer {who.stamp(when)}",
            f"data {len(data)}",
        ]
        out = [("\n".join(head) + "\n").encode(), data, b"\n"]
        parent = start if start is not None else self.tips.get(branch)
        if parent is not None:
            out.append(f"from :{parent}\n".encode())
        if merge is not None:
            out.append(f"merge :{merge}\n".encode())
        for path, text in files.items():
            if text is None:
                out.append(f"D {path}\n".encode())
            else:
                blob = text.encode()
                out += [f"M 100644 inline {path}\ndata {len(blob)}\n".encode(), blob, b"\n"]
        self.stream.write(b"".join([*out, b"\n"]))
        self.tips[branch] = self.marks
        return self.marks

    def close(self) -> None:
        self.stream.close()
        if self.process.wait() != 0:
            sys.exit("git fast-import failed")


Change = Callable[["Stamp"], str | None]  # edits the postmortem; returns the commit message


@dataclass(frozen=True)
class Stamp:
    who: Person
    when: dt.datetime


@dataclass
class Event:
    when: dt.datetime
    pm: Postmortem
    kind: str  # create, edit, merge, rename, delete, other
    change: Change | None = None
    who: Person | None = None


class Simulation:
    """Plans each postmortem's life as events, then plays them in time order into git."""

    def __init__(self, seed: int, as_of: dt.date, years: float) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.cutoff = dt.datetime.combine(as_of, dt.time(), UTC)
        self.last = self.cutoff - dt.timedelta(days=3)  # the newest still being written
        self.first = self.last - dt.timedelta(days=365 * years)
        names = sorted({f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)}" for _ in range(300)})
        self.people = [
            Person(name, f"{slug(name)}@example.com", self.rng.choice(OFFSETS))
            for name in names[:120]
        ]
        self.ids: set[str] = set()
        self.postmortems: list[Postmortem] = []
        self.vanished: list[tuple[Postmortem, Action, Stamp]] = []
        self.commits = 0

    def anyone(self) -> Person:
        return self.rng.choice(self.people)

    def new_id(self, day: dt.date, title: str) -> str:
        """`<date>-<slug>`, with -2, -3 ... on a clash, as `bpm new` names files."""
        base = f"{day.isoformat()}-{slug(title)}"
        found, n = base, 1
        while found in self.ids:
            n += 1
            found = f"{base}-{n}"
        self.ids.add(found)
        return found

    # -- the plan -------------------------------------------------------------------------

    def plan(self, count: int) -> list[Event]:
        events: list[Event] = []
        span = (self.last - self.first).total_seconds()
        starts = sorted(self.rng.random() * span for _ in range(count))
        for number, offset in enumerate(starts):
            started = (self.first + dt.timedelta(seconds=offset)).replace(second=0, microsecond=0)
            events += self.life(number, started)
        for _ in range(-(-count // 25)):  # commits that touch no postmortem (ceil)
            when = self.first + dt.timedelta(seconds=self.rng.random() * span)
            events.append(Event(when, self.postmortems[0], "other", who=self.anyone()))
        events.sort(key=lambda e: e.when)
        return events

    def life(self, number: int, started: dt.datetime) -> list[Event]:
        """One postmortem, from its first draft to its last edit."""
        rng = self.rng
        services = rng.sample(SERVICES, rng.randint(1, 3))
        title = f"{services[0].capitalize()} {rng.choice(TROUBLE)} after {rng.choice(CAUSES)}"
        pm = Postmortem(
            number,
            self.new_id(started.date(), title),
            title,
            started,
            rng.choice(["SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3", "SEV4"]),
            services,
            self.anyone(),
            rng.random() < 0.3,
            tags=rng.sample(["customer-facing", "data", "security", "infra"], rng.randint(0, 2)),
        )
        self.postmortems.append(pm)
        branch = f"pm/{pm.id}" if rng.random() < 0.45 else None
        events = self.writing(pm, branch)
        return events + self.afterwards(pm, branch, events[-1].when)

    def writing(self, pm: Postmortem, branch: str | None) -> list[Event]:
        """The write-up until it goes to review: draft, timeline, summary, first actions."""
        rng, writer = self.rng, self.anyone()
        t = pm.started + dt.timedelta(hours=rng.uniform(2, 30))
        events = [Event(t, pm, "create", self.created(pm, branch), writer)]
        clock = pm.started
        for _ in range(rng.randint(1, 4)):
            t += dt.timedelta(hours=rng.uniform(0.5, 20))
            clock += dt.timedelta(minutes=rng.randint(5, 90))
            events.append(Event(t, pm, "edit", self.add_rows(pm, clock), self.anyone()))
        if rng.random() < 0.25:  # a row found later in the logs, earlier than the last one
            t += dt.timedelta(hours=rng.uniform(1, 10))
            moment = pm.started + (clock - pm.started) * rng.random()
            events.append(Event(t, pm, "edit", self.add_rows(pm, moment, 1), self.anyone()))
        t += dt.timedelta(hours=rng.uniform(1, 30))
        events.append(Event(t, pm, "edit", self.write_summary(pm), writer))
        for _ in range(rng.choice([0, 1, 2, 2, 3, 3, 4, 5, 6])):
            t += dt.timedelta(hours=rng.uniform(0.2, 30))
            events += self.action_life(pm, t)
        t += dt.timedelta(hours=rng.uniform(2, 72))
        # Last in the list (action lives may reach later): what follows starts from here.
        return [*events, Event(t, pm, "edit", self.set_status(pm, "in-review"), writer)]

    def afterwards(self, pm: Postmortem, branch: str | None, t: dt.datetime) -> list[Event]:
        """The merge, publication, late actions, and now and then a rename or a deletion."""
        rng = self.rng
        events = []
        if branch and rng.random() < 0.96:  # else a draft abandoned on its branch
            t += dt.timedelta(minutes=rng.uniform(5, 600))
            events.append(Event(t, pm, "merge", who=pm.facilitator))
        if rng.random() < 0.85:
            t += dt.timedelta(days=rng.uniform(0.5, 8))
            events.append(Event(t, pm, "edit", self.set_status(pm, "published"), pm.facilitator))
        later = t
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            later += dt.timedelta(days=rng.uniform(3, 40))  # actions added after the review
            events += self.action_life(pm, later)
        if rng.random() < 0.04:
            when = t + dt.timedelta(days=rng.uniform(5, 90))
            events.append(Event(when, pm, "rename", who=self.anyone()))
        if rng.random() < 0.015:  # a duplicate: deleted with everything in it
            when = t + dt.timedelta(days=rng.uniform(1, 30))
            events.append(Event(when, pm, "delete", who=self.anyone()))
        return events

    def action_life(self, pm: Postmortem, t: dt.datetime) -> list[Event]:
        """Adding one action, then what happens to it: owner, rewording, moves, its fate."""
        rng = self.rng
        vague = rng.random() < 0.15
        text = rng.choice(VAGUE if vague else CONCRETE).format(svc=rng.choice(pm.services))
        owner = None if rng.random() < 0.1 else self.anyone().handle
        due = pm.started.date() + dt.timedelta(days=rng.randint(14, 90))
        ticket = f"OPS-{rng.randint(100, 9999)}" if rng.random() < 0.2 else None
        action = Action("", text, vague, owner, due, rng.choice(KINDS), ticket)
        events = [Event(t, pm, "edit", self.add_action(pm, action), self.anyone())]
        if owner is None and rng.random() < 0.5:
            when = t + dt.timedelta(days=rng.uniform(0.5, 10))
            events.append(Event(when, pm, "edit", self.assign(action), self.anyone()))
        if vague and rng.random() < 0.3:
            when = t + dt.timedelta(days=rng.uniform(1, 20))
            better = rng.choice(CONCRETE).format(svc=rng.choice(pm.services))
            events.append(Event(when, pm, "edit", self.reword(action, better), self.anyone()))
        life = max(t + dt.timedelta(days=2), self.day(due) - dt.timedelta(days=rng.randint(0, 5)))
        for _ in range(rng.choice([0, 0, 0, 0, 1, 1, 2, 3, 4])):
            days = rng.randint(7, 45) if rng.random() < 0.92 else -rng.randint(2, 6)
            events.append(Event(life, pm, "edit", self.move(action, days), self.anyone()))
            life += dt.timedelta(days=rng.randint(7, 40))
        fate = rng.random()
        closer = self.anyone()
        when = life + dt.timedelta(days=rng.randint(-10, 20))
        if fate < 0.55:
            events.append(Event(when, pm, "edit", self.close(action, "done"), closer))
            if rng.random() < 0.06:  # tidied away once done: not a vanished action
                tidy = when + dt.timedelta(days=rng.uniform(10, 200))
                events.append(Event(tidy, pm, "edit", self.remove(pm, action), self.anyone()))
        elif fate < 0.67:
            reason = rng.choice(REASONS) if rng.random() < 0.8 else None
            events.append(Event(when, pm, "edit", self.close(action, "dropped", reason), closer))
        elif fate < 0.71:
            events.append(Event(when, pm, "edit", self.remove(pm, action), closer))
        return events

    def day(self, date: dt.date) -> dt.datetime:
        hour = self.rng.randint(7, 19)
        return dt.datetime.combine(date, dt.time(hour, self.rng.randint(0, 59)), UTC)

    # -- the changes: each edits the postmortem and says what it did, or None -------------

    def created(self, pm: Postmortem, branch: str | None) -> Change:
        def apply(stamp: Stamp) -> str:
            pm.branch = branch
            pm.on_main = branch is None
            return f"Start postmortem: {pm.title}\n"

        return apply

    def add_rows(self, pm: Postmortem, clock: dt.datetime, most: int = 4) -> Change:
        rng = self.rng
        rows = []
        for _ in range(rng.randint(1, most)):
            clock += dt.timedelta(minutes=rng.randint(1, 40))
            actor = rng.choice(BOTS) if rng.random() < 0.2 else self.anyone().name
            cells = (
                actor,
                rng.choice(EVENTS).format(n=rng.randint(2, 99)),
                rng.choice(OUTCOMES).format(n=rng.randint(2, 99)),
                rng.choice(EXPECTED),
                rng.choice(ASSUMED),
            )
            rows.append(Row(clock, cells))

        def apply(stamp: Stamp) -> str:
            pm.rows += rows
            return f"{pm.id}: timeline, {len(rows)} row{'s' if len(rows) > 1 else ''}\n"

        return apply

    def write_summary(self, pm: Postmortem) -> Change:
        blameful = self.rng.random() < 0.15
        text = self.rng.choice(BLAMEFUL if blameful else NEUTRAL)

        def apply(stamp: Stamp) -> str:
            last = max((row.when for row in pm.rows), default=pm.started)
            minutes = max(10, int((last - pm.started).total_seconds() // 60))
            pm.summary = f"{pm.services[0].capitalize()} was degraded for {minutes} minutes. {text}"
            pm.blameful = blameful
            pm.resolved = pm.started + dt.timedelta(minutes=minutes)
            return f"{pm.id}: summary\n"

        return apply

    def add_action(self, pm: Postmortem, action: Action) -> Change:
        def apply(stamp: Stamp) -> str:
            # Given when added, so ids follow the file's order; never reused, because
            # deleted actions stay in the list.
            action.id = f"A{len(pm.actions) + 1}"
            action.introduced_at = stamp.who.local_day(stamp.when)
            action.introduced_by = stamp.who.name
            action.original_due = action.due
            pm.actions.append(action)
            return f"{pm.id}: add action {action.id}\n"

        return apply

    def assign(self, action: Action) -> Change:
        def apply(stamp: Stamp) -> str | None:
            if not action.id or action.gone or action.owner is not None:
                return None
            action.owner = stamp.who.handle
            return f"{action.id} is {action.owner}'s\n"

        return apply

    def reword(self, action: Action, text: str) -> Change:
        def apply(stamp: Stamp) -> str | None:
            if not action.id or action.gone or action.status != "open":
                return None
            action.text, action.vague = text, False
            return f"Make {action.id} concrete\n"

        return apply

    def move(self, action: Action, days: int) -> Change:
        def apply(stamp: Stamp) -> str | None:
            if not action.id or action.gone or action.status != "open":
                return None
            action.due += dt.timedelta(days=days)
            action.due_moves += 1
            verb = "Push" if days > 0 else "Pull in"
            return f"{verb} {action.id} to {action.due.isoformat()}\n"

        return apply

    def close(self, action: Action, status: str, reason: str | None = None) -> Change:
        def apply(stamp: Stamp) -> str | None:
            if not action.id or action.gone or action.status != "open":
                return None
            action.status, action.reason = status, reason
            action.closed = dt.date.fromisoformat(stamp.who.local_day(stamp.when))
            action.was_closed = True
            return f"{action.id} {status}\n"

        return apply

    def remove(self, pm: Postmortem, action: Action) -> Change:
        def apply(stamp: Stamp) -> str | None:
            if not action.id or action.gone:
                return None
            action.gone = True
            if not action.was_closed:
                self.vanished.append((pm, action, stamp))
            return f"Tidy {pm.id}\n"

        return apply

    def set_status(self, pm: Postmortem, status: str) -> Change:
        def apply(stamp: Stamp) -> str:
            pm.status = status
            return f"{pm.id} is {status}\n"

        return apply

    # -- playing the plan into git --------------------------------------------------------

    def play(self, events: list[Event], git: FastImport) -> None:
        root = self.people[0]
        git.commit("main", root, self.first - dt.timedelta(days=2), "Start the repository\n",
                   {"README.md": "# Postmortems\n\nOne Markdown file per incident.\n"})  # fmt: skip
        self.commits = 1
        latest = self.first - dt.timedelta(days=2)
        for event in events:
            if event.when >= self.cutoff or (event.pm.deleted and event.kind != "other"):
                continue
            # Strictly increasing commit times: git's order is then the simulation's.
            latest = max(event.when, latest + dt.timedelta(seconds=1))
            assert event.who is not None
            self.step(event, Stamp(event.who, latest), git)

    def step(self, event: Event, stamp: Stamp, git: FastImport) -> None:
        pm = event.pm
        if event.kind == "other":
            text = f"# Postmortems\n\nOne Markdown file per incident. Updated {stamp.when:%F}.\n"
            self.record(git, "main", stamp, "Update the README\n", {"README.md": text})
        elif event.kind == "merge":
            if pm.branch is None:
                return
            self.record(git, "main", stamp, f"Merge branch '{pm.branch}'\n",
                        {pm.path: pm.render()}, merge=git.tips[pm.branch])  # fmt: skip
            pm.branch, pm.on_main = None, True
        elif event.kind == "rename":
            if pm.branch:
                return
            old = pm.path
            pm.title += f" (root cause: {self.rng.choice(CAUSES)})"
            pm.id = self.new_id(pm.started.date(), pm.title)
            message = f"Rename {old} after the review\n"
            self.record(git, "main", stamp, message, {old: None, pm.path: pm.render()})
        elif event.kind == "delete":
            if pm.branch:
                return
            pm.deleted, pm.on_main = True, False
            self.record(git, "main", stamp, f"Delete duplicate {pm.id}\n", {pm.path: None})
        else:
            assert event.change is not None
            said = event.change(stamp)
            if said is None:
                return
            branch = pm.branch or "main"
            # A topic branch starts from main as it is when the write-up begins.
            start = git.tips["main"] if event.kind == "create" and pm.branch else None
            self.record(git, branch, stamp, said, {pm.path: pm.render()}, start=start)

    def record(
        self,
        git: FastImport,
        branch: str,
        stamp: Stamp,
        message: str,
        files: dict[str, str | None],
        start: int | None = None,
        merge: int | None = None,
    ) -> None:
        git.commit(branch, stamp.who, stamp.when, message, files, start=start, merge=merge)
        self.commits += 1

    # -- what a correct tool finds ---------------------------------------------------------

    def truth(self) -> dict[str, Any]:
        kept = [pm for pm in self.postmortems if pm.on_main]
        live = [(pm, a) for pm in kept for a in pm.live()]
        overdue = [self.overdue_row(pm, a) for pm, a in live if self.is_overdue(a)]
        overdue.sort(key=lambda r: (-r["days_overdue"], r["postmortem"], natural(r["action_id"])))
        vanished = [
            [pm.id, a.id, stamp.who.local_day(stamp.when), stamp.who.name]
            for pm, a, stamp in self.vanished
            if pm.on_main
        ]
        vanished.sort(key=lambda row: (row[0], natural(row[1])))
        return {
            "as_of": self.as_of.isoformat(),
            "built_by": "bench/corpus.py",
            "commits": self.commits,
            "postmortems": len(kept),
            "unmerged_drafts": sorted(pm.id for pm in self.postmortems if pm.branch),
            "overdue": overdue,
            "vanished": vanished,
            "missing_owner": sorted([pm.id, a.id] for pm, a in live if a.owner is None),
            "vague_action": sorted([pm.id, a.id] for pm, a in live if a.vague),
            "blameful_summary": sorted(pm.id for pm in kept if pm.blameful),
            "dropped_without_reason": sorted(
                [pm.id, a.id] for pm, a in live if a.status == "dropped" and not a.reason
            ),
            "review_overdue": sorted(
                pm.id for pm in kept if pm.status != "published" and pm.review_by < self.as_of
            ),
        }

    def is_overdue(self, action: Action) -> bool:
        return action.status == "open" and action.due < self.as_of

    def overdue_row(self, pm: Postmortem, action: Action) -> dict[str, Any]:
        assert action.original_due is not None
        return {
            "postmortem": pm.id,
            "path": pm.path,
            "action_id": action.id,
            "action": action.text,
            "owner": action.owner,
            "due": action.due.isoformat(),
            "days_overdue": (self.as_of - action.due).days,
            "introduced_by": action.introduced_by,
            "introduced_at": action.introduced_at,
            "original_due": action.original_due.isoformat(),
            "postponed": action.due_moves,
        }


def forget_merged_branches(repo: Path) -> None:
    """Delete topic branches once merged, as a forge does; unmerged drafts keep theirs."""
    merged = subprocess.run(
        ["git", "for-each-ref", "--merged", "main", "--format=%(refname)", "refs/heads/pm/"],
        cwd=repo,
        env=GIT_ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    commands = "".join(f"delete {ref}\n" for ref in merged)
    subprocess.run(
        ["git", "update-ref", "--stdin"],
        cwd=repo,
        env=GIT_ENV,
        input=commands,
        text=True,
        check=True,
    )


def build(out: Path, postmortems: int, seed: int, as_of: dt.date, years: float) -> dict[str, Any]:
    """Create the repository `out` (checked out on main) and return its truth."""
    out.mkdir(parents=True, exist_ok=False)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], env=GIT_ENV, check=True)
    simulation = Simulation(seed, as_of, years)
    events = simulation.plan(postmortems)
    git = FastImport(out)
    simulation.play(events, git)
    git.close()
    forget_merged_branches(out)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=out, env=GIT_ENV, check=True)
    truth = simulation.truth()
    truth["seed"] = seed
    return truth


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to create (must not exist)")
    parser.add_argument("--postmortems", type=int, default=5000)
    parser.add_argument("--truth", type=Path, help="the truth file (default: OUT.truth.json)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    parser.add_argument("--years", type=float, default=6.0, help="how far back history goes")
    args = parser.parse_args(argv)
    truth = build(args.out, args.postmortems, args.seed, args.as_of, args.years)
    where = args.truth or args.out.with_name(args.out.name + ".truth.json")
    where.write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"{args.out}: {truth['postmortems']} postmortems, {truth['commits']} commits; "
        f"{len(truth['overdue'])} overdue and {len(truth['vanished'])} vanished actions "
        f"as of {truth['as_of']}; truth in {where}"
    )


if __name__ == "__main__":
    main()
