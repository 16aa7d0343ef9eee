"""The one streaming pass over a postmortem folder's git history, and its cache."""

from __future__ import annotations

# -- the history pass ------------------------------------------------------------------------
#
# One `git log -p` streams every change to the postmortem folder, oldest first. Each file
# patch names its base and result blobs (--full-index), so the pass keeps file contents by
# blob and applies each patch to its own base: changes on parallel branches stay exact. A
# base it does not hold (a fresh cache, a shallow clone) is read through one long-lived
# `git cat-file --batch`. Action facts are read again only when a hunk touches the front
# matter.
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from bpmcli.errors import UsageError
from bpmcli.format.facts import Facts, front_matter_end, front_matter_facts
from bpmcli.progress import SILENT, Advance, Progress
from bpmcli.store.cache import Cache
from bpmcli.store.repo import CatFile, Repository
from bpmcli.store.workspace import below_folder, is_postmortem
from bpmcli.times import git_day

ZERO = "0" * 40


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    date: str  # author date, YYYY-MM-DD
    parents: int = field(default=1, compare=False)  # not cached: only the pass asks


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


class _Blobs:
    """File contents by blob id: what the pass holds, and `git cat-file --batch` for the rest."""

    LIMIT = 20_000

    def __init__(self, repository: Repository):
        self.repository = repository
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
            self.reader = self.repository.batch()
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


class _Pass:
    """Turns the stream of file patches into lineages and action histories."""

    def __init__(self, repository: Repository, folder: str, lineages: list[Lineage] | None = None):
        self.folder = folder
        self.blobs = _Blobs(repository)
        self.lineages: list[Lineage] = lineages or []
        self.current: dict[str, Lineage] = {x.path: x for x in self.lineages if not x.deleted}
        self.unreadable: dict[str, Facts] = {}  # blob -> the facts of its last readable ancestor
        # A merge's patches against its other parents, by path: read once all its patches are in.
        self.other_sides: dict[str, list[_FilePatch]] = {}
        self.merged: dict[str, tuple[Lineage, Facts | None, Facts]] = {}

    def patch(self, commit: Commit, patch: _FilePatch, parent: int) -> None:
        """A file patch of `commit` against its `parent`-th parent (0: the first)."""
        # Only postmortems, by the workspace's rule: a file moved out of a hidden folder is
        # new, one moved into it deleted.
        patch.old_path = self._postmortem(patch.old_path)
        patch.new_path = self._postmortem(patch.new_path)
        if patch.old_path is None and patch.new_path is None:
            return
        if parent == 0:
            self.file(commit, patch)
        elif patch.new_path is not None and not patch.binary:
            self.other_sides.setdefault(patch.new_path, []).append(patch)

    def _postmortem(self, path: str | None) -> str | None:
        if path is None:
            return None
        below = below_folder(path, self.folder)
        return path if below is not None and is_postmortem(below) else None

    def kept_all(self, patch: _FilePatch) -> bool:
        """Whether a merge's file holds every action its side's version held: then, in a
        file the merge did not change against its first parent, there is nothing to record
        (most of a merge's files against a side branch are the main line's own changes)."""
        side = self.blobs.facts_of(patch.old_blob) if patch.old_blob != ZERO else None
        if side is None:
            return True
        result = self.blobs.facts_of(patch.new_blob)
        return result is not None and side.actions.keys() <= result.actions.keys()

    def end_merge(self, commit: Commit) -> None:
        """After all of a merge's patches: what it lost or changed against every parent.

        An action a parent held that the merge result lacks vanished in the merge (the
        merge took the other side's file); a due date changed only if it differs from
        every parent's (else it came from a side, already recorded there)."""
        for path, patches in self.other_sides.items():
            if path in self.merged:
                lineage, first, after = self.merged[path]
            else:  # unchanged against the first parent: the result is the first parent's
                found = self.current.get(path)
                result = self.blobs.facts_of(patches[0].new_blob)
                if found is None or result is None:
                    continue
                lineage, first, after = found, result, result
            read = [self.blobs.facts_of(p.old_blob) for p in patches if p.old_blob != ZERO]
            sides = [side for side in read if side is not None]
            if len(patches) < commit.parents - 1:  # a parent whose file the merge kept
                sides.append(after)
            _record(lineage, commit, first, after, sides)
        for path, (lineage, first, after) in self.merged.items():
            if path not in self.other_sides:
                _record(lineage, commit, first, after, [after])
        self.other_sides.clear()
        self.merged.clear()

    def file(self, commit: Commit, patch: _FilePatch) -> None:
        if patch.binary:
            return
        old_path, new_path = patch.old_path, patch.new_path
        lineage = self.current.pop(old_path, None) if old_path else None
        if new_path is None:  # deleted
            if lineage is not None:
                lineage.deleted = True
            return
        if lineage is None and commit.parents > 1:
            # A merge adds or renames against its first parent what a side did already:
            # the side's lineage, not a new one (which would credit the merge with it all).
            lineage = self.current.get(new_path)
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
            limit = front_matter_end(base)
            if patch.old_blob != ZERO and all(start > limit for start, _, _ in patch.hunks):
                self.blobs.facts[patch.new_blob] = before  # only the body changed
            if before is None:  # an unreadable version is skipped: the readable one before it
                before = self.unreadable.get(patch.old_blob)
        after = self.blobs.facts_of(patch.new_blob, new_lines)
        if after is not None and commit.parents > 1:
            self.merged[new_path] = (lineage, before, after)  # recorded by end_merge
        elif after is not None:
            _record(lineage, commit, before, after)
        elif before is not None:
            self.unreadable[patch.new_blob] = before


def _record(
    lineage: Lineage,
    commit: Commit,
    before: Facts | None,
    after: Facts,
    other_parents: Sequence[Facts] = (),
) -> None:
    """What changed between two versions of one postmortem's front matter, in `commit`;
    for a merge, `before` is the first parent's version and `other_parents` the others'."""
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
        if (
            previous is not None
            and previous.due != due
            and not any(_due_of(side, action_id) == due for side in other_parents)
        ):
            known.due_changes.append(DueChange(commit, previous.due, due))
            if state == "open" and due and previous.due and due > previous.due:
                known.postponed_later.append(commit)
        if state == "done" and known.done is None:
            known.done = commit
        if state == "dropped" and known.dropped is None:
            known.dropped = commit
    held = old_actions.keys() | {key for side in other_parents for key in side.actions}
    for action_id in held - after.actions.keys():
        gone = lineage.actions.get(action_id)
        if gone is not None and gone.removed is None:
            gone.removed = commit


def _due_of(facts: Facts, action_id: str) -> str | bool | None:
    """The due of an action in a version; False when the version lacks the action."""
    found = facts.actions.get(action_id)
    return found.due if found is not None else False


def scan(
    repository: Repository,
    rev: str,
    folder: str,
    since: str | None = None,
    lineages: list[Lineage] | None = None,
    progress: Progress = SILENT,
) -> tuple[list[Lineage], dict[str, Facts | None]]:
    """Every change to `folder` reachable from `rev` (after `since`), as lineages; and the
    facts of every version the pass read, by blob id. `progress` counts the commits read."""
    state = _Pass(repository, folder, lineages)
    spec = f"{since}..{rev}" if since else rev
    try:
        # No total: `git rev-list --count` of the folder costs 3.7 s on the 5,000-postmortem
        # corpus, against 27 s for a whole cold report (docs/cli.md); a count is free.
        advance = progress.task("history: commits read")
        merges = repository.merges(spec)
        sides = _read_sides(merges, repository.merge_sides(merges, folder))
        _read_patches(state, repository.log_patches(spec, folder), sides, advance)
    finally:
        state.blobs.close()
    return state.lineages, state.blobs.facts


def _read_sides(merges: list[list[str]], raw: bytes) -> dict[str, list[list[_FilePatch]]]:
    """Each merge's files against its parents after the first (blob ids), from the blocks
    `Repository.merge_sides` gives, one per (merge, other parent) in the order asked."""
    sides: dict[str, list[list[_FilePatch]]] = {}
    order = iter([(m[0], k) for m in merges for k in range(len(m) - 2)])
    block: list[_FilePatch] = []
    for line in raw.decode("utf-8", "surrogateescape").split("\n"):
        if not line.startswith(":"):
            if line.strip():  # a block's sha: the next (merge, parent) asked for
                sha, _ = next(order)
                block = []
                sides.setdefault(sha, []).append(block)
            continue
        meta, _, path = line.partition("\t")
        fields, name = meta.split(), _unquote(path)
        block.append(
            _FilePatch(
                old_path=None if fields[2] == ZERO else name,
                new_path=None if fields[3] == ZERO else name,
                old_blob=fields[2],
                new_blob=fields[3],
            )
        )
    return sides


def _end_merge(state: _Pass, commit: Commit, sides: dict[str, list[list[_FilePatch]]]) -> None:
    for parent, patches in enumerate(sides.get(commit.sha, []), start=1):
        for patch in patches:
            if patch.new_path in state.merged or not state.kept_all(patch):
                state.patch(commit, patch, parent)
    state.end_merge(commit)


def _read_patches(
    state: _Pass,
    stream: Iterator[bytes],
    sides: dict[str, list[list[_FilePatch]]],
    advance: Advance,
) -> None:
    """Feed the pass from `git log -p` output, one file patch at a time; `advance(1)` at
    each commit."""
    commit: Commit | None = None
    patch: _FilePatch | None = None
    hunk: list[bytes] | None = None
    parent = 0  # which parent the patches are against: a merge comes once per parent
    for raw in stream:
        data = raw[:-1] if raw[-1:] == b"\n" else raw
        if hunk is not None and data[:1] in (b" ", b"+", b"-", b"\\"):
            if data[:1] != b"\\":
                hunk.append(data)  # content stays bytes: only front matter is ever decoded
            continue
        hunk = None
        line = data.decode("utf-8", "surrogateescape")
        if line.startswith("\0"):
            if patch is not None and commit is not None:
                state.patch(commit, patch, parent)
            patch = None
            # the name may hold US itself (git keeps it): the hash is first, the parents
            # last, the date before them
            sha, _, rest = line[1:].partition("\x1f")
            rest, _, parents = rest.rpartition("\x1f")
            author, _, date = rest.rpartition("\x1f")
            if commit is not None and commit.sha == sha:
                parent += 1
                continue
            if commit is not None and commit.parents > 1:
                _end_merge(state, commit, sides)
            commit, parent = Commit(sha, author, git_day(date), len(parents.split())), 0
            advance(1)
        elif line.startswith("diff --git "):
            if patch is not None and commit is not None:
                state.patch(commit, patch, parent)
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
        state.patch(commit, patch, parent)
    if commit is not None and commit.parents > 1:
        _end_merge(state, commit, sides)


_HUNK_OLD = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


# -- the history a report needs, cached under .git/ ------------------------------------------

CACHE_FORMAT = 5  # 5: merges are read against every parent (#16)


class _Commits:
    """A table of commits, so the cache stores (and rebuilds) each commit once."""

    def __init__(self, rows: list[list[str]] | None = None):
        self.rows: list[list[str]] = rows or []
        self.index: dict[str, int] = {}
        self.built: list[Commit] = [Commit(sha, author, date) for sha, author, date in self.rows]

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
    unsaved: Callable[[], object] | None = None  # writes the cache, when `load` was told to wait

    def save(self) -> None:
        """Write the history cache now, if `load(..., save=False)` left it unwritten."""
        if self.unsaved is not None:
            self.unsaved()
            self.unsaved = None


def load(
    start: Path,
    folder: Path,
    rev: str | None = None,
    use_cache: bool = True,
    save: bool = True,
    purpose: str = "bpm report",
    progress: Progress = SILENT,
) -> Loaded:
    """The history of the postmortem folder up to `rev` (HEAD by default), with warnings.

    Outside a repository, or in one without commits, there is no history (a warning says
    so). A shallow clone gives what it has, with a warning. The cache under `.git/bpm/` is
    used when it describes `rev` or an ancestor of it (then only the new commits are read);
    a rewritten history, a new bpm version or a corrupt file start from scratch. git
    missing: a UsageError naming `purpose`.
    """
    repository = Repository.find(start, "bpm report --rev" if rev is not None else purpose)
    if repository is None:
        if rev is not None:
            raise UsageError("--rev needs a git repository")
        return Loaded(None, ["not a git repository: no history, so the history fields are null"])
    if rev is None and not repository.has_commits():
        return Loaded(None, ["the repository has no commits yet: the history fields are null"])
    head = repository.verify(rev or "HEAD")
    relative = repository.relative(folder)
    warnings = []
    shallow = repository.is_shallow()
    if shallow:
        warnings.append(
            "shallow clone: history is incomplete, so introduced_at, introduced_by, "
            "introduced_commit, original_due and postponed are approximate "
            "(fetch with --unshallow, or fetch-depth: 0 in CI)"
        )
    cache = Cache.under(repository.cache_dir, "history.json", CACHE_FORMAT, [relative], use_cache)
    cached = cache.read(_decode_cache)
    lineages: list[Lineage]
    facts: dict[str, Facts | None] = {}
    if cached is not None and cached[0] == head:
        lineages = cached[1]
    elif cached is not None and repository.is_ancestor(cached[0], head):
        lineages, facts = scan(repository, head, relative, cached[0], cached[1], progress=progress)
    else:
        lineages, facts = scan(repository, head, relative, progress=progress)
    loaded = Loaded(History(head, lineages, shallow), warnings, facts)
    if cache.enabled and (cached is None or cached[0] != head) and rev is None:
        loaded.unsaved = lambda: cache.save({"head": head, "history": _dump(lineages)})
        if save:  # else the caller saves it, where it costs nothing (bpm site: in a child)
            loaded.save()
    return loaded


def _decode_cache(stored: dict[str, Any]) -> tuple[str, list[Lineage]]:
    return str(stored["head"]), _restore(stored["history"])
