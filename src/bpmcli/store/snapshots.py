"""The postmortem folder as it stood on a given day: what the main line held then.

`report stats` counts open and overdue actions "at the end of a period", in the files of
the last commit on or before that day. "Last" is taken along the revision's first-parent
line (what the main branch held, not a side branch's work in progress): the first commit
met walking back from the revision whose author date is on or before the day.

Reading 5,000 files for each of 72 month-ends would cost minutes, so a snapshot is a tree
listing (git tree objects, read once per distinct tree) mapped to the facts of each blob
(what the history pass already read, or the cache under `.git/bpm/`, or one read).
"""

from __future__ import annotations

import bisect
from typing import Any, NamedTuple

from bpmcli.format.facts import ActionFacts, Facts, front_matter_facts
from bpmcli.store.cache import Cache
from bpmcli.store.repo import CatFile, Repository
from bpmcli.store.workspace import hidden, is_postmortem

CACHE_FORMAT = 3  # 3: hidden folders are skipped, as by every command (#16)


def _encode(facts: Facts | None) -> list[Any] | None:
    if facts is None:
        return None
    actions = [[key, a.due, a.status, a.kind, a.owner] for key, a in facts.actions.items()]
    return [
        facts.status,
        facts.started,
        facts.review_by,
        facts.severity,
        list(facts.services),
        facts.facilitator,
        actions,
    ]


def _decode(data: list[Any] | None) -> Facts | None:
    if data is None:
        return None
    status, started, review_by, severity, services, facilitator, actions = data
    return Facts(
        status,
        {
            key: ActionFacts(due, state, kind, None, owner)
            for key, due, state, kind, owner in actions
        },
        started,
        review_by,
        severity,
        tuple(services),
        facilitator,
    )


class Attributes(NamedTuple):
    """A postmortem's own facts (`Facts` without the actions)."""

    started: str | None
    review_by: str | None
    severity: str | None
    services: tuple[str, ...]
    facilitator: str | None


OpenFile = list[Any]
# [severity, services, facilitator, [[due, owner], ...]]: a file's open actions, for counting


def _entries(tree: bytes) -> list[tuple[bytes, str, str]]:
    """(mode, name, object id) of each entry of a git tree object."""
    entries = []
    at = 0
    while at < len(tree):
        space = tree.index(b" ", at)
        nul = tree.index(b"\0", space)
        name = tree[space + 1 : nul].decode("utf-8", "surrogateescape")
        entries.append((tree[at:space], name, tree[nul + 1 : nul + 21].hex()))
        at = nul + 21
    return entries


class Mainline:
    """Snapshots of `folder` along the first-parent line of `head`."""

    def __init__(
        self,
        repository: Repository,
        folder: str,
        head: str,
        known: dict[str, Facts | None],
        use_cache: bool = True,
    ):
        self.repository, self.folder, self.head = repository, folder.strip("/"), head
        self.cache = Cache.under(
            repository.cache_dir, "mainline.json", CACHE_FORMAT, [self.folder], use_cache
        )
        self.facts_by_blob: dict[str, Facts | None] = {}
        self.encoded: dict[str, Any] = {}
        self.parts: dict[str, list[OpenFile]] = {}
        self.dirty = False
        stored_head, steps = self._read_cache()
        if stored_head == head:
            self.steps = steps
        else:
            self.dirty = True
            new, reached = repository.first_parent_steps(head, stored_head)
            if stored_head is not None and reached:
                earliest = new[-1][0] if new else "9999-99-99"
                self.steps = new + [step for step in steps if step[0] < earliest]
            else:
                self.steps = repository.first_parent_steps(head)[0]
        self.facts_by_blob.update(known)
        self.dates = [step[0] for step in reversed(self.steps)]  # ascending, for bisect
        self.reader: CatFile | None = None
        self.trees: dict[str, dict[str, str]] = {}
        self.used: set[str] = set()
        self.loose: dict[str, dict[str, str]] = {}

    def _read_cache(self) -> tuple[str | None, list[list[str]]]:
        def decode(stored: dict[str, Any]) -> tuple[str, list[list[str]]]:
            self.encoded = dict(stored["facts"])
            self.parts = dict(stored["parts"])
            return str(stored["head"]), [[str(d), str(s)] for d, s in stored["steps"]]

        found = self.cache.read(decode)
        if found is None:  # none, corrupt or foreign: rebuilt, never trusted
            self.encoded, self.parts = {}, {}
            return None, []
        return found

    def commit_on(self, day: str) -> str | None:
        """The commit whose files stood on `day` (None: before the first commit)."""
        at = bisect.bisect_right(self.dates, day)
        return self.steps[len(self.steps) - at][1] if at else None

    def files_at(self, commit: str | None) -> dict[str, str]:
        """{repository-relative path: blob id} of the `.md` files under the folder."""
        prefix = "" if self.folder == "." else self.folder + "/"
        files = {}
        for key, name in self.parts_at(commit):
            below = prefix + name + "/" if name else prefix
            for path, blob in self.part_files(key).items():
                files[below + path] = blob
        return files

    def parts_at(self, commit: str | None) -> list[tuple[str, str]]:
        """The folder in parts that keep their key while nothing in them changes: a
        subfolder (key: its tree id) or the files directly in it; (key, subfolder name)."""
        if commit is None:
            return []
        found = self._read(
            f"{commit}:{self.folder}" if self.folder != "." else f"{commit}^{{tree}}"
        )
        if found is None or found[0] != b"tree":
            return []
        parts: list[tuple[str, str]] = []
        loose: dict[str, str] = {}
        for mode, name, sha in _entries(found[1]):
            if hidden(name):  # the workspace's rule of which files are postmortems
                continue
            if mode == b"40000":
                parts.append((sha, name))
            elif mode != b"160000" and is_postmortem(name):
                loose[name] = sha
        if loose:
            key = "files:" + ",".join(f"{name}={blob}" for name, blob in loose.items())
            self.loose[key] = loose
            parts.append((key, ""))
        return parts

    def part_files(self, key: str) -> dict[str, str]:
        """{path below the part: blob id}."""
        return self.loose[key] if key in self.loose else self._tree(key)

    def _tree(self, sha: str) -> dict[str, str]:
        found = self.trees.get(sha)
        if found is None:
            sub = self._read(sha)
            found = self.trees[sha] = self._listing(sub[1]) if sub and sub[0] == b"tree" else {}
        return found

    def _listing(self, tree: bytes) -> dict[str, str]:
        """A tree object's files, recursively, by path below it; subtrees read once each."""
        files: dict[str, str] = {}
        for mode, name, sha in _entries(tree):
            if hidden(name):
                continue
            if mode == b"40000":
                for path, blob in self._tree(sha).items():
                    files[f"{name}/{path}"] = blob
            elif mode != b"160000" and is_postmortem(name):
                files[name] = sha
        return files

    def facts(self, blob: str) -> Facts | None:
        self.used.add(blob)
        if blob in self.facts_by_blob:
            return self.facts_by_blob[blob]
        if blob in self.encoded:
            found = _decode(self.encoded[blob])
        else:
            read = self._read(blob)
            found = (
                front_matter_facts(read[1].split(b"\n")) if read and read[0] == b"blob" else None
            )
            self.encoded[blob] = _encode(found)
            self.dirty = True
        self.facts_by_blob[blob] = found
        return found

    def attributes(self, blob: str) -> Attributes | None:
        """What a version of a file says of the postmortem itself, without its actions:
        read straight from the cache when it is there (5,000 files, every run)."""
        encoded = self.encoded.get(blob) if blob not in self.facts_by_blob else None
        if encoded is not None:
            self.used.add(blob)
            _, started, review_by, severity, services, facilitator, _ = encoded
            return Attributes(started, review_by, severity, tuple(services), facilitator)
        facts = self.facts(blob)
        if facts is None:
            return None
        return Attributes(
            facts.started, facts.review_by, facts.severity, facts.services, facts.facilitator
        )

    def open_in(self, key: str) -> list[OpenFile]:
        """The files with open actions in a part of the folder (see `parts_at`), kept by key:
        [severity, services, facilitator, [[due, owner], ...]] each."""
        found = self.parts.get(key)
        if found is None:
            found = self.parts[key] = []
            for blob in self.part_files(key).values():
                facts = self.facts(blob)
                opened = [
                    [a.due, a.owner]
                    for a in (facts.actions.values() if facts else ())
                    if a.status == "open"
                ]
                if facts is not None and opened:
                    found.append([facts.severity, list(facts.services), facts.facilitator, opened])
            self.dirty = True
        return found

    def _read(self, name: str) -> tuple[bytes, bytes] | None:
        if self.reader is None:
            self.reader = self.repository.batch()
        return self.reader.read(name)

    def close(self) -> None:
        """Stop the reader; keep the facts of every blob asked for in the cache."""
        if self.reader is not None:
            self.reader.close()
        missing = self.used - self.encoded.keys()
        if not self.cache.enabled or not (
            self.dirty or missing or len(self.encoded) > len(self.used)
        ):
            return
        # Facts are kept for the blobs read this time (the files at HEAD, mostly); a part's
        # open actions for as long as the part may be asked for again.
        kept = {
            blob: self.encoded.get(blob) or _encode(self.facts_by_blob.get(blob))
            for blob in self.used
        }
        self.cache.save(
            {"head": self.head, "steps": self.steps, "facts": kept, "parts": self.parts}
        )
