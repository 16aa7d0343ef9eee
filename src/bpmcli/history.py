"""Everything bpm learns from git. The only module that runs git."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from bpmcli.errors import BpmError, UsageError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def git(root: Path, *args: str, check: bool = True) -> str:
    """Run git in `root`; its stdout. BpmError with git's own words when it fails."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except FileNotFoundError as exc:
        raise UsageError("git is not installed (it is needed for this command)") from exc
    if check and done.returncode != 0:
        message = (
            done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed"
        )
        raise BpmError(f"git: {message}")
    return done.stdout


class CatFile:
    """One long-lived `git cat-file --batch`: objects by name, without a process each."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def read(self, name: str) -> tuple[bytes, bytes] | None:
        """(type, content) of `name` (a blob id, or `commit:path`); None when it is missing."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) < 3:
            return None
        return header[1], stdout.read(int(header[2]) + 1)[:-1]

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def repo_root(start: Path) -> Path:
    done = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise UsageError("not inside a git repository")
    return Path(done.stdout.strip())


def verify_revision(root: Path, rev: str) -> str:
    if rev.startswith("-"):
        raise UsageError(f"not a revision: {rev!r}")
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise UsageError(f"unknown revision {rev!r}")
    return done.stdout.strip()


def first_parent_steps(
    root: Path, head: str, known: str | None = None
) -> tuple[list[list[str]], bool]:
    """Where the first-parent line of `head` reaches a new earliest author date, newest first.

    Each step is [date, sha]: for any day D, the first commit met walking back from `head`
    whose author date is on or before D is the step with the latest date <= D. With `known`
    (an older head), only the commits after it are walked; the second value says whether
    that worked (`known` must be on the line), else the caller walks from scratch.
    """
    spec = [head, f"^{known}"] if known else [head]
    out = git(root, "log", "--first-parent", "--format=%H %P%x1f%ad", "--date=short", *spec)
    steps: list[list[str]] = []
    earliest = "9999-99-99"
    parent = None
    for line in out.splitlines():
        shas, _, date = line.partition("\x1f")
        sha, *parents = shas.split()
        parent = parents[0] if parents else None
        if date < earliest:
            earliest = date
            steps.append([date, sha])
    reached = known is None or (parent == known if out else head == known)
    return steps, reached


def changed_lines(start: Path, rev: str, files: Sequence[Path]) -> dict[Path, set[int] | None]:
    """Lines added or changed since `rev`, in the working tree, per file (resolved path).

    None for a file that is new since `rev` or not tracked: every line of it counts.
    """
    root = repo_root(start)
    base = verify_revision(root, rev)
    specs = [str(Path(f).resolve()) for f in files]
    changed: dict[Path, set[int] | None] = {}
    current: set[int] | None = None
    diff = git(
        root, "diff", "--no-color", "--no-ext-diff", "--no-renames", "-U0", base, "--", *specs
    )
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = set() if name != "/dev/null" else None
            if current is not None:
                changed[(root / name.removeprefix("b/")).resolve()] = current
        elif current is not None and line.startswith("@@"):
            hunk = _HUNK.match(line)
            if hunk:
                first, count = int(hunk.group(1)), int(hunk.group(2) or 1)
                current.update(range(first, first + count))
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *specs)
    for name in filter(None, untracked.split("\0")):
        changed[(root / name).resolve()] = None
    added = git(
        root, "diff", "--no-color", "--name-only", "--diff-filter=A", "-z", base, "--", *specs
    )
    for name in filter(None, added.split("\0")):
        changed[(root / name).resolve()] = None
    return changed


_ACTION_ID = re.compile(r"^[-+ ]\s*(?:-\s+)?id:\s*['\"]?A(\d+)\b", re.M)


def action_numbers_ever(path: Path) -> set[int]:
    """The numbers of every action id (A1, A2, ...) the file has ever held in git history.

    Empty outside a repository or for a file git does not know: ids are then unique only
    against the file itself.
    """
    folder = path.resolve().parent
    done = subprocess.run(
        ["git", "log", "-p", "--follow", "--format=", "--", path.resolve().name],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    if done.returncode != 0:
        return set()
    return {int(number) for number in _ACTION_ID.findall(done.stdout)}


# -- the history pass ------------------------------------------------------------------------
#
# One `git log -p` streams every change to the postmortem folder, oldest first. Each file
# patch names its base and result blobs (--full-index), so the pass keeps file contents by
# blob and applies each patch to its own base: changes on parallel branches stay exact. A
# base it does not hold (a fresh cache, a shallow clone) is read through one long-lived
# `git cat-file --batch`. Action facts are read again only when a hunk touches the front
# matter.

import datetime as dt  # noqa: E402 - the history pass's own imports, below the small helpers
import json  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from functools import lru_cache  # noqa: E402
from typing import Any, NamedTuple  # noqa: E402

ZERO = "0" * 40


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    date: str  # author date, YYYY-MM-DD


class DueChange(NamedTuple):
    commit: Commit
    old: str | None
    new: str | None


@dataclass
class ActionHistory:
    """What history says of one action id in one postmortem."""

    introduced: Commit
    original_due: str | None
    kind: str | None
    due_changes: list[DueChange] = field(default_factory=list)  # every commit that changed its due
    postponed_later: list[Commit] = field(default_factory=list)  # ... to a later date, while open
    done: Commit | None = None
    dropped: Commit | None = None
    removed: Commit | None = None  # the commit it disappeared in, if it did
    text: str | None = None
    owner: str | None = None  # as last written

    @property
    def postponed(self) -> int:
        """How many commits changed its due (earlier or later)."""
        return len(self.due_changes)

    @property
    def vanished(self) -> bool:
        """It disappeared without ever being done or dropped."""
        return self.removed is not None and self.done is None and self.dropped is None


@dataclass
class Lineage:
    """One postmortem through its renames."""

    path: str  # its path now (repository-relative), or when it was deleted
    actions: dict[str, ActionHistory] = field(default_factory=dict)
    published: Commit | None = None  # the first commit that set status: published
    deleted: bool = False


@dataclass
class History:
    head: str | None
    lineages: list[Lineage]
    shallow: bool = False

    def by_path(self) -> dict[str, Lineage]:
        return {lineage.path: lineage for lineage in self.lineages if not lineage.deleted}


class ActionFacts(NamedTuple):
    due: str | None  # ISO date, only when written as a real date (as the model reads it)
    status: str | None
    kind: str | None
    text: str | None
    owner: str | None


class Facts(NamedTuple):
    """What reports need of one version of a postmortem's front matter."""

    status: str | None
    actions: dict[str, ActionFacts]
    started: str | None = None  # the date part of `started`, in its own offset
    review_by: str | None = None
    severity: str | None = None
    services: tuple[str, ...] = ()
    facilitator: str | None = None


class _Unusual(Exception):
    """Front matter outside the simple block shape bpm writes: read it with YAML instead."""


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATED = frozenset(("due", "started", "review_by"))


@lru_cache(maxsize=8192)  # the same few thousand dates, in version after version
def _date_text(value: str | None, timestamp: bool = False) -> str | None:
    """`value` when the model would read it as a date (a timestamp, for `started`), else None."""
    if value is None or not _DATE.match(value):
        return None
    if timestamp:
        if len(value) < 11 or value[10] not in "Tt ":
            return None
    elif len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=65536)  # `status: open` and friends, in every version of every file
def _scalar(raw: str | None, dated: bool = False) -> str | None:
    """A plain or quoted YAML scalar of the simple kinds bpm writes."""
    if raw is None:
        return None
    value = raw.strip()
    if not value or value in ("~", "null"):
        return None
    first = value[0]
    if first in "\"'" and dated:
        raise _Unusual  # a quoted date is a string to YAML: let YAML say so
    if first == '"':
        try:
            text = json.loads(value)
        except ValueError as exc:
            raise _Unusual from exc
        return str(text)
    if first == "'":
        if len(value) < 2 or not value.endswith("'"):
            raise _Unusual
        return value[1:-1].replace("''", "'")
    if first in "[{&*!|>%@`#":
        raise _Unusual
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    if ": " in value:
        raise _Unusual
    return value


@lru_cache(maxsize=8192)  # a postmortem's services line rarely changes between versions
def _flow_list(raw: str) -> tuple[str, ...]:
    """`[a, b]` with plain items; _Unusual for anything richer."""
    value = raw.strip()
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    if not (value.startswith("[") and value.endswith("]")):
        raise _Unusual
    inner = value[1:-1]
    if any(c in inner for c in "[]{}\"'&*!|>#"):
        raise _Unusual
    return tuple(item for item in (part.strip() for part in inner.split(",")) if item)


def front_matter_facts(lines: list[bytes]) -> Facts | None:
    """The facts of a version of a file; None when its front matter is unusable."""
    end = _front_matter_end(lines) - 1
    if end <= 0 or end >= len(lines) or lines[end].rstrip() != b"---":
        return None
    text = [line.decode("utf-8", "replace") for line in lines[1:end]]
    try:
        return _scan_facts(text)
    except _Unusual:
        return _yaml_facts("\n".join(text) + "\n")


_WANTED = frozenset(("id", "due", "status", "kind", "action", "owner"))
_TOP = frozenset(("status", "started", "review_by", "severity", "facilitator"))


def _scan_facts(lines: list[str]) -> Facts:
    """The block shape bpm writes, line by line; _Unusual for anything else."""
    top: dict[str, str | None] = {}
    services: list[str] = []
    section = ""  # the top-level key whose block the next indented lines belong to
    item: dict[str, str | None] | None = None
    items: list[dict[str, str | None]] = []
    wanted = _WANTED
    for line in lines:
        if not line or line[0] == "#":
            continue
        first = line[0]
        if first != " " and first != "-":  # a top-level key
            name, colon, rest = line.partition(":")
            if not colon or " " in name or "\t" in name:
                raise _Unusual
            section = name
            if name in _TOP:
                top[name] = _scalar(rest, name in _DATED)
            elif name in ("actions", "services"):
                rest = rest.strip()
                if name == "services" and rest and rest[0] == "[":
                    services.extend(_flow_list(rest))
                elif rest and rest != "[]" and rest[0] != "#":
                    raise _Unusual  # a flow-style list with items, or a scalar
            continue
        if section == "services":
            body = line.lstrip(" ")
            if body and body[0] != "#":
                if body[:2] != "- ":
                    raise _Unusual
                value = _scalar(body[2:])
                if value:
                    services.append(value)
            continue
        if section != "actions":
            continue
        body = line.lstrip(" ")
        if not body or body[0] == "#":
            continue
        if body[:2] == "- ":
            item = {}
            items.append(item)
            body = body[2:]
        elif item is None:
            raise _Unusual
        name, colon, rest = body.partition(":")
        if not colon or (rest and rest[0] != " ") or " " in name:
            raise _Unusual
        if name in wanted:
            item[name] = _scalar(rest, name in _DATED)
    actions: dict[str, ActionFacts] = {}
    for entry in items:
        key = entry.get("id")
        if key:
            actions[key] = ActionFacts(
                _date_text(entry.get("due")),
                entry.get("status"),
                entry.get("kind"),
                entry.get("action"),
                entry.get("owner"),
            )
    return Facts(
        top.get("status"),
        actions,
        _date_text(top.get("started"), timestamp=True),
        _date_text(top.get("review_by")),
        top.get("severity"),
        tuple(services),
        top.get("facilitator"),
    )


def _yaml_date(value: object) -> str | None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        return None
    return value.isoformat()


def _yaml_text(value: object) -> str | None:
    """A value as the model's text accessors read it."""
    if isinstance(value, str):
        return value.strip() or None
    if value is None or isinstance(value, bool | dict | list):
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _yaml_facts(source: str) -> Facts | None:
    from bpmcli.errors import PostmortemError
    from bpmcli.model import parse_yaml

    try:
        data, _ = parse_yaml(source, 2)
    except PostmortemError:
        return None  # broken YAML in this version: the commit is skipped
    if not isinstance(data, dict):
        return None
    actions: dict[str, ActionFacts] = {}
    raw = data.get("actions")
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, dict) and _yaml_text(entry.get("id")) is not None:
            actions[str(_yaml_text(entry["id"]))] = ActionFacts(
                _yaml_date(entry.get("due")),
                _yaml_text(entry.get("status")),
                _yaml_text(entry.get("kind")),
                _yaml_text(entry.get("action")),
                _yaml_text(entry.get("owner")),
            )
    started = data.get("started")
    services = data.get("services")
    return Facts(
        _yaml_text(data.get("status")),
        actions,
        started.date().isoformat()
        if isinstance(started, dt.datetime) and started.tzinfo is not None
        else None,
        _yaml_date(data.get("review_by")),
        _yaml_text(data.get("severity")),
        tuple(str(s) for s in services if isinstance(s, str | int | float))
        if isinstance(services, list)
        else (),
        _yaml_text(data.get("facilitator")),
    )


class _Blobs:
    """File contents by blob id: what the pass holds, and `git cat-file --batch` for the rest."""

    LIMIT = 20_000

    def __init__(self, root: Path):
        self.root = root
        self.lines: dict[str, list[bytes]] = {}
        self.facts: dict[str, Facts | None] = {}
        self.reader: CatFile | None = None

    def get(self, blob: str) -> list[bytes] | None:
        if blob == ZERO:
            return []
        found = self.lines.get(blob)
        if found is None:
            found = self._read(blob)
            if found is not None:
                self.put(blob, found)
        return found

    def put(self, blob: str, lines: list[bytes]) -> None:
        self.lines[blob] = lines
        if len(self.lines) > self.LIMIT:  # forget the oldest versions: bounded memory
            for old in list(self.lines)[: self.LIMIT // 4]:
                del self.lines[old]

    def facts_of(self, blob: str, lines: list[bytes] | None = None) -> Facts | None:
        if blob not in self.facts:
            content = lines if lines is not None else self.get(blob)
            self.facts[blob] = front_matter_facts(content) if content is not None else None
        return self.facts[blob]

    def _read(self, blob: str) -> list[bytes] | None:
        if self.reader is None:
            self.reader = CatFile(self.root)
        found = self.reader.read(blob)
        if found is None or found[0] != b"blob":
            return None
        return found[1].split(b"\n")

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()


@dataclass
class _FilePatch:
    old_path: str | None = None
    new_path: str | None = None
    old_blob: str = ZERO
    new_blob: str = ZERO
    hunks: list[tuple[int, int, list[bytes]]] = field(default_factory=list)
    binary: bool = False


def _unquote(path: str) -> str:
    """A path as git prints it: C-quoted when it holds unusual characters."""
    path = path.rstrip("\t")
    if not path.startswith('"'):
        return path
    raw = path[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return raw.encode("latin-1").decode("utf-8", "replace")


def _apply(base: list[bytes], hunks: list[tuple[int, int, list[bytes]]]) -> list[bytes]:
    lines = list(base)
    shift = 0
    for old_start, old_count, body in hunks:
        new = [line[1:] for line in body if line[:1] in (b" ", b"+")]
        at = old_start - 1 + shift if old_count else old_start + shift
        lines[at : at + old_count] = new
        shift += len(new) - old_count
    return lines


def _front_matter_end(lines: list[bytes]) -> int:
    """The 1-based line of the closing `---`; 0 without front matter."""
    if not lines or lines[0].removeprefix(b"\xef\xbb\xbf").rstrip() != b"---":
        return 0
    return next((i + 1 for i in range(1, len(lines)) if lines[i].rstrip() == b"---"), len(lines))


class _Pass:
    """Turns the stream of file patches into lineages and action histories."""

    def __init__(self, root: Path, lineages: list[Lineage] | None = None):
        self.blobs = _Blobs(root)
        self.lineages: list[Lineage] = lineages or []
        self.current: dict[str, Lineage] = {x.path: x for x in self.lineages if not x.deleted}

    def file(self, commit: Commit, patch: _FilePatch) -> None:
        if patch.binary:
            return
        old_path, new_path = patch.old_path, patch.new_path
        lineage = self.current.pop(old_path, None) if old_path else None
        if new_path is None:  # deleted
            if lineage is not None:
                lineage.deleted = True
            return
        if lineage is None:
            lineage = Lineage(new_path)
            self.lineages.append(lineage)
        lineage.path = new_path
        self.current[new_path] = lineage
        base = self.blobs.get(patch.old_blob)
        if base is None:
            new_lines = self.blobs.get(patch.new_blob)
            if new_lines is None:
                return
            before: Facts | None = None
        else:
            new_lines = _apply(base, patch.hunks)
            self.blobs.put(patch.new_blob, new_lines)
            before = self.blobs.facts_of(patch.old_blob, base)
            limit = _front_matter_end(base)
            if patch.old_blob != ZERO and all(start > limit for start, _, _ in patch.hunks):
                self.blobs.facts[patch.new_blob] = before  # only the body changed
        after = self.blobs.facts_of(patch.new_blob, new_lines)
        if after is not None:
            _record(lineage, commit, before, after)


def _record(lineage: Lineage, commit: Commit, before: Facts | None, after: Facts) -> None:
    """What changed between two versions of one postmortem's front matter, in `commit`."""
    old_actions = before.actions if before else {}
    if after.status == "published" and lineage.published is None:
        lineage.published = commit
    for action_id, facts in after.actions.items():
        known = lineage.actions.get(action_id)
        if known is None:
            known = ActionHistory(commit, facts.due, facts.kind)
            lineage.actions[action_id] = known
        known.text = facts.text or known.text
        known.owner = facts.owner
        known.removed = None
        previous = old_actions.get(action_id)
        due, state = facts.due, facts.status
        if previous is not None and previous.due != due:
            known.due_changes.append(DueChange(commit, previous.due, due))
            if state == "open" and due and previous.due and due > previous.due:
                known.postponed_later.append(commit)
        if state == "done" and known.done is None:
            known.done = commit
        if state == "dropped" and known.dropped is None:
            known.dropped = commit
    for action_id in old_actions.keys() - after.actions.keys():
        gone = lineage.actions.get(action_id)
        if gone is not None and gone.removed is None:
            gone.removed = commit


def scan(
    root: Path,
    rev: str,
    folder: str,
    since: str | None = None,
    lineages: list[Lineage] | None = None,
) -> tuple[list[Lineage], dict[str, Facts | None]]:
    """Every change to `folder` reachable from `rev` (after `since`), as lineages; and the
    facts of every version the pass read, by blob id."""
    spec = f"{since}..{rev}" if since else rev
    command = [
        "git",
        "-c",
        "core.quotepath=off",
        "log",
        "--reverse",
        "-p",
        "-M",
        "--full-index",
        "--no-color",
        "--no-ext-diff",
        "--date=short",
        "--format=%x00%H%x1f%an%x1f%ad",
        spec,
        "--",
        folder,
    ]
    state = _Pass(root, lineages)
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    commit: Commit | None = None
    patch: _FilePatch | None = None
    hunk: list[bytes] | None = None
    for raw in process.stdout:
        data = raw[:-1] if raw[-1:] == b"\n" else raw
        if hunk is not None and data[:1] in (b" ", b"+", b"-", b"\\"):
            if data[:1] != b"\\":
                hunk.append(data)  # content stays bytes: only front matter is ever decoded
            continue
        hunk = None
        line = data.decode("utf-8", "surrogateescape")
        if line.startswith("\0"):
            if patch is not None and commit is not None:
                state.file(commit, patch)
            patch = None
            sha, author, date = line[1:].split("\x1f")
            commit = Commit(sha, author, date)
        elif line.startswith("diff --git "):
            if patch is not None and commit is not None:
                state.file(commit, patch)
            patch = _FilePatch()
        elif patch is None:
            continue
        elif line.startswith("@@ "):
            header = _HUNK_OLD.match(line)
            if header:
                hunk = []
                count = int(header.group(2)) if header.group(2) is not None else 1
                patch.hunks.append((int(header.group(1)), count, hunk))
        elif line.startswith("index "):
            blobs = line.split()[1].split("..")
            patch.old_blob, patch.new_blob = blobs[0], blobs[1]
        elif line.startswith("--- "):
            patch.old_path = (
                None if line == "--- /dev/null" else _unquote(line[4:]).removeprefix("a/")
            )
        elif line.startswith("+++ "):
            patch.new_path = (
                None if line == "+++ /dev/null" else _unquote(line[4:]).removeprefix("b/")
            )
        elif line.startswith("rename from "):
            patch.old_path = _unquote(line[12:])
        elif line.startswith("rename to "):
            patch.new_path = _unquote(line[10:])
        elif line.startswith("Binary files "):
            patch.binary = True
    if patch is not None and commit is not None:
        state.file(commit, patch)
    process.wait()
    state.blobs.close()
    if process.returncode != 0:
        message = process.stderr.read().decode("utf-8", "replace").strip() if process.stderr else ""
        raise BpmError(
            f"git log failed: {message.splitlines()[-1] if message else process.returncode}"
        )
    return state.lineages, state.blobs.facts


_HUNK_OLD = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


# -- the history a report needs, cached under .git/ ------------------------------------------

CACHE_FORMAT = 4


class _Commits:
    """A table of commits, so the cache stores (and rebuilds) each commit once."""

    def __init__(self, rows: list[list[str]] | None = None):
        self.rows: list[list[str]] = rows or []
        self.index: dict[str, int] = {}
        self.built: list[Commit] = [Commit(*row) for row in self.rows]

    def ref(self, commit: Commit | None) -> int:
        if commit is None:
            return -1
        found = self.index.get(commit.sha)
        if found is None:
            found = self.index[commit.sha] = len(self.rows)
            self.rows.append([commit.sha, commit.author, commit.date])
        return found

    def get(self, ref: int) -> Commit | None:
        return self.built[ref] if ref >= 0 else None


def _dump(lineages: list[Lineage]) -> dict[str, object]:
    table = _Commits()
    out: list[object] = []
    for lineage in lineages:
        actions = {
            action_id: [
                table.ref(a.introduced),
                a.original_due,
                a.kind,
                [[table.ref(c.commit), c.old, c.new] for c in a.due_changes],
                [table.ref(c) for c in a.postponed_later],
                table.ref(a.done),
                table.ref(a.dropped),
                table.ref(a.removed),
                a.text,
                a.owner,
            ]
            for action_id, a in lineage.actions.items()
        }
        out.append([lineage.path, lineage.deleted, table.ref(lineage.published), actions])
    return {"commits": table.rows, "lineages": out}


def _restore(data: dict[str, Any]) -> list[Lineage]:
    table = _Commits(data["commits"])
    get = table.get
    lineages = []
    for path, deleted, published, actions in data["lineages"]:
        lineage = Lineage(str(path), deleted=bool(deleted), published=get(published))
        for action_id, fields in actions.items():
            intro, original, kind, changes, later, done, dropped, removed, text, owner = fields
            introduced = get(intro)
            assert introduced is not None
            lineage.actions[action_id] = ActionHistory(
                introduced,
                original,
                kind,
                [DueChange(c, old, new) for ref, old, new in changes if (c := get(ref))],
                [c for c in map(get, later) if c],
                get(done),
                get(dropped),
                get(removed),
                text,
                owner,
            )
        lineages.append(lineage)
    return lineages


@dataclass
class Loaded:
    history: History | None
    warnings: list[str]
    facts: dict[str, Facts | None] = field(default_factory=dict)  # what a scan read, by blob
    unsaved: Callable[[], None] | None = None  # writes the cache, when `load` was told to wait

    def save(self) -> None:
        """Write the history cache now, if `load(..., save=False)` left it unwritten."""
        if self.unsaved is not None:
            self.unsaved()
            self.unsaved = None


def load(
    start: Path, folder: Path, rev: str | None = None, use_cache: bool = True, save: bool = True
) -> Loaded:
    """The history of the postmortem folder up to `rev` (HEAD by default), with warnings.

    Outside a repository, or in one without commits, there is no history (a warning says
    so). A shallow clone gives what it has, with a warning. The cache under `.git/bpm/` is
    used when it describes `rev` or an ancestor of it (then only the new commits are read);
    a rewritten history, a new bpm version or a corrupt file start from scratch.
    """
    from bpmcli import __version__
    from bpmcli.config import git_dir

    done = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, text=True
    )
    if done.returncode != 0:
        if rev is not None:
            raise UsageError("--rev needs a git repository")
        return Loaded(None, ["not a git repository: no history, so the history fields are null"])
    root = Path(done.stdout.strip())
    target = rev or "HEAD"
    if (
        rev is None
        and subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=root, capture_output=True
        ).returncode
        != 0
    ):
        return Loaded(None, ["the repository has no commits yet: the history fields are null"])
    head = verify_revision(root, target)
    relative = Path(os.path.relpath(folder.resolve(), root)).as_posix()
    warnings = []
    shallow = git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    if shallow:
        warnings.append(
            "shallow clone: history is incomplete, so introduced_at, introduced_by, "
            "introduced_commit, original_due and postponed are approximate "
            "(fetch with --unshallow, or fetch-depth: 0 in CI)"
        )
    gitdir = git_dir(root)
    cache = gitdir / "bpm" / "history.json" if gitdir and use_cache else None
    salt = [CACHE_FORMAT, __version__, relative]
    cached = _read_cache(cache, salt)
    lineages: list[Lineage]
    facts: dict[str, Facts | None] = {}
    if cached is not None and cached[0] == head:
        lineages = cached[1]
    elif cached is not None and _is_ancestor(root, cached[0], head):
        lineages, facts = scan(root, head, relative, since=cached[0], lineages=cached[1])
    else:
        lineages, facts = scan(root, head, relative)
    loaded = Loaded(History(head, lineages, shallow), warnings, facts)
    if cache is not None and (cached is None or cached[0] != head) and rev is None:
        loaded.unsaved = lambda: _write_cache(cache, salt, head, lineages)
        if save:  # else the caller saves it, where it costs nothing (bpm site: in a child)
            loaded.save()
    return loaded


def _is_ancestor(root: Path, old: str, new: str) -> bool:
    return (
        subprocess.run(
            ["git", "merge-base", "--is-ancestor", old, new], cwd=root, capture_output=True
        ).returncode
        == 0
    )


def _read_cache(path: Path | None, salt: list[object]) -> tuple[str, list[Lineage]] | None:
    if path is None:
        return None
    try:
        stored = json.loads(path.read_bytes())
        if stored["salt"] != salt:
            return None
        return str(stored["head"]), _restore(stored["history"])
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        return None  # corrupt or foreign: rebuilt, never trusted


def _write_cache(path: Path, salt: list[object], head: str, lineages: list[Lineage]) -> None:
    from bpmcli.files import atomic_write

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(
            path, json.dumps({"salt": salt, "head": head, "history": _dump(lineages)}).encode()
        )
    except (OSError, BpmError):
        return  # the cache is an optimisation
