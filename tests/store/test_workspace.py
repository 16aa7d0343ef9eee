"""store/workspace.py: which files are postmortems, naming one, the newest draft, and
the lines changed since a revision, on real checkouts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bpmcli.config import load
from bpmcli.errors import UsageError
from bpmcli.store.cache import RACY_NS
from bpmcli.store.workspace import Workspace
from conftest import Repo
from store.base import P1, P2, act, pm_text, story


def _workspace(repo: Repo) -> Workspace:
    return Workspace(load(repo.path))


def test_the_postmortems_are_the_md_files_under_the_folder(repo: Repo, tmp_path: Path) -> None:
    story(repo)
    repo.write("postmortems/.drafts/hidden.md", "skipped: a hidden folder")
    repo.write("postmortems/notes.txt", "not Markdown")
    repo.write("README.md", "outside the folder")
    outside = tmp_path / "secret.md"
    outside.write_text("outside the project")
    (repo.path / "postmortems" / "link.md").symlink_to(outside)
    found = _workspace(repo).postmortems()
    assert [p.relative_to(repo.path).as_posix() for p in found] == [P1, P2]


def test_resolve_by_id_prefix_or_path(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    story(repo)
    space = _workspace(repo)
    assert space.resolve("2026-01-05-db") == repo.path / P1
    assert space.resolve("2026-02") == repo.path / P2
    monkeypatch.chdir(repo.path)
    assert space.resolve(P1) == Path(P1)
    with pytest.raises(UsageError, match=r"'2026' matches 2 postmortems: 2026-01-05-db, "):
        space.resolve("2026")
    with pytest.raises(UsageError, match="no postmortem matches 'nope' in postmortems"):
        space.resolve("nope")
    with pytest.raises(UsageError, match=r"no such file: postmortems/nope\.md"):
        space.resolve("postmortems/nope.md")


def test_the_newest_draft(repo: Repo) -> None:
    story(repo)  # P1 is published; P2, the later one, a draft
    assert _workspace(repo).newest_draft() == repo.path / P2
    repo.write(
        "postmortems/2026/2026-03-01-cdn.md",
        pm_text("2026-03-01-cdn", [], "in-review", started="2026-03-01T08:00:00Z"),
    )
    assert _workspace(repo).newest_draft() == repo.path / P2
    repo.write(P2, pm_text("2026-02-10-dns", [], "published"))
    with pytest.raises(
        UsageError, match=r"no postmortem with status .draft. in .*postmortems; name one"
    ):
        _workspace(repo).newest_draft()


def test_the_lines_changed_since_a_revision(repo: Repo) -> None:
    story(repo)
    base = repo.git("rev-parse", "HEAD").strip()
    text = (repo.path / P2).read_text().replace("Text.", "New text.")
    repo.commit("Edit", {P2: text}, date="2026-02-12T09:00:00+00:00")
    new = repo.write("postmortems/2026/2026-03-01-cdn.md", pm_text("2026-03-01-cdn", []))
    space = _workspace(repo)
    files = space.postmortems()
    changed = space.changed_lines(base, files)
    line = text.splitlines().index("New text.") + 1
    assert changed == {(repo.path / P2).resolve(): {line}, new.resolve(): None}
    assert space.changed_lines("HEAD", files) == {new.resolve(): None}
    with pytest.raises(UsageError, match="unknown revision 'no-such-rev'"):
        space.changed_lines("no-such-rev", files)


def test_read_all_keeps_the_front_matter_by_stat(repo: Repo) -> None:
    story(repo)
    space = _workspace(repo)
    cache = repo.path / ".git" / "bpm" / "report-files.json"
    first, problems = space.read_all()
    assert problems == [] and cache.is_file()
    stored = json.loads(cache.read_bytes())
    # Make every file look old enough to trust, then plant a title only the cache knows.
    old = stored["written_ns"] - RACY_NS - 10_000_000_000
    for path in space.postmortems():
        os.utime(path, ns=(old, old))
    stored["files"] = {}
    cache.write_text(json.dumps(stored))
    space.read_all()
    stored = json.loads(cache.read_bytes())
    stored["files"][str(repo.path / P1)][1]["title"] = "from the cache"
    cache.write_text(json.dumps(stored))
    titles = {pm.path.name: pm.title for pm in space.read_all()[0]}
    assert titles["2026-01-05-db.md"] == "from the cache"
    assert {pm.title for pm in space.read_all(use_cache=False)[0]} == {
        "2026-01-05-db",
        "2026-02-10-dns",
    }
    repo.write(P1, pm_text("2026-01-05-db", [act("A1", "2026-02-01")], "published") + "\n")
    titles = {pm.path.name: pm.title for pm in space.read_all()[0]}
    assert titles["2026-01-05-db.md"] == "2026-01-05-db"  # its stat changed: read again
    assert [pm.id for pm in first] == ["2026-01-05-db", "2026-02-10-dns"]


def test_outside_a_repository_there_is_no_cache_and_no_repository(tmp_path: Path) -> None:
    (tmp_path / "postmortems").mkdir()
    (tmp_path / "postmortems" / "2026-01-05-db.md").write_text(pm_text("2026-01-05-db", []))
    space = Workspace(load(tmp_path))
    assert space.cache_dir() is None
    assert [pm.id for pm in space.read_all()[0]] == ["2026-01-05-db"]
    with pytest.raises(UsageError, match="not inside a git repository"):
        space.repository("bpm lint --since")
