"""`bpm site`: what the pages say, what a rebuild touches, what is refused.

The same site is opened in a real browser in tests/test_site_browser.py.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Ran, Repo, git, snapshot
from test_stats import P1, P2, action, api, db

Bpm = Callable[..., Ran]

HOSTILE = "postmortems/2026/2026-03-02-hostile.md"
HOSTILE_TEXT = """---
id: 2026-03-02-hostile
title: "<script>window.__pwned = 'title'</script>Hostile"
kind: incident
status: draft
severity: SEV3
started: 2026-03-02T10:00:00Z
review_by: 2026-03-07
facilitator: "<img src=x onerror=\\"window.__pwned='facilitator'\\">"
services: ["<b>svc</b>", web]
actions:
  - id: A1
    action: "<img src=x onerror=\\"window.__pwned='action'\\"> Add a guard"
    owner: "<script>window.__pwned='owner'</script>"
    due: 2026-03-05
    kind: prevent
    status: open
---
# Hostile

## Summary

<script>window.__pwned = 'body'</script>
<img src=x onerror="window.__pwned='img'">
[click me](javascript:window.__pwned='link') and [data](data:text/html,<script>alert(1)</script>)
![tracker](https://tracker.example.com/pixel.png)

<!-- a comment that must not become markup -->

## Timeline

| Time (UTC) | Actor | Action or event | Outcome | Expectations | Assumptions |
|---|---|---|---|---|---|
| 2026-03-02 10:00 | <script>window.__pwned='cell'</script> | Deployed \\| rolled back | line one<br>line two | | |

## What we learned

Nothing <b>bold</b>.
"""


def build_history(repo: Repo) -> None:
    """Two ordinary postmortems with history, and one written to attack the site."""

    def on(day: str, message: str, files: dict[str, str | bytes | None], who: str) -> None:
        repo.commit(message, files, author=who, date=f"{day}T09:00:00+00:00")

    a1 = action("A1", "2026-01-20", "bob", "prevent")
    on("2026-01-07", "db", {P1: db([a1])}, "Ana Okafor")
    a1 = action("A1", "2026-02-01", "bob", "prevent")
    on("2026-01-21", "push db A1", {P1: db([a1])}, "Bo Lindqvist")
    b1 = action("A1", "2026-02-20", "cy", "detect")
    on("2026-02-11", "api", {P2: api([b1], "published")}, "Dee Ray")
    on("2026-03-02", "hostile", {HOSTILE: HOSTILE_TEXT}, "Mallory Evans")


@pytest.fixture
def site_repo(repo: Repo) -> Repo:
    build_history(repo)
    return repo


def build(bpm: Bpm, out: Path, *args: str, cwd: Path | None = None) -> Ran:
    return bpm("site", str(out), "--as-of", "2026-03-31", *args, cwd=cwd)


def test_the_pages(bpm: Bpm, site_repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "site"
    ran = build(bpm, out)
    assert ran.exit_code == 0, ran.stderr
    assert ran.stderr == f"{out}: 7 pages, 7 written, 0 unchanged\n"
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == [
        ".bpm-site.json",
        "assets/site.css",
        "assets/site.js",
        "follow-through.html",
        "index.html",
        "owners.html",
        "pm/2026-01-05-db.html",
        "pm/2026-02-10-api.html",
        "pm/2026-03-02-hostile.html",
        "services.html",
    ]
    index = (out / "index.html").read_text()
    assert index.index("2026-03-02") < index.index("2026-02-10") < index.index("2026-01-05")
    db_page = (out / "pm/2026-01-05-db.html").read_text()
    assert "2026-01-21 by Bo Lindqvist: 2026-01-20 → 2026-02-01" in db_page
    assert "overdue 58 d" in db_page  # due 02-01, as of 03-31
    follow = (out / "follow-through.html").read_text()
    assert follow.count("<svg ") == 6 and follow.count("<table>") == 6
    assert "Actions opened and closed" in follow
    owners = (out / "owners.html").read_text()
    assert owners.index(">bob<") < owners.index(">cy<")  # bob's is overdue


def test_untrusted_text_is_inert(bpm: Bpm, site_repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(bpm, out).exit_code == 0
    for page in out.rglob("*.html"):
        html = page.read_text()
        # the only script in any page is the site's own file; no handler attribute anywhere
        assert re.findall(r"<script[^>]*>", html) in ([], ['<script src="assets/site.js">'])
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", html), page
        assert not re.search(r'href="\s*(javascript|vbscript|data:text)', html, re.I)
        assert 'src="http' not in html and "<img" not in html  # nothing fetched when viewed
        assert "Content-Security-Policy" in html and "script-src 'self'" in html
    hostile = (out / "pm/2026-03-02-hostile.html").read_text()
    assert "<p>&lt;script&gt;window.__pwned = 'body'&lt;/script&gt;" in hostile
    assert '<a class="image" href="https://tracker.example.com/pixel.png">' in hostile
    assert "<td>line one<br>line two</td>" in hostile  # the cell's own line break, and only it
    assert "Deployed | rolled back" in hostile
    assert "&lt;!-- a comment that must not become markup --&gt;" in hostile


def test_a_rebuild_renders_only_what_changed(bpm: Bpm, site_repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(bpm, out).exit_code == 0
    api_page = out / "pm/2026-02-10-api.html"
    before = api_page.stat().st_mtime_ns
    ran = build(bpm, out)
    assert ran.stderr == f"{out}: 7 pages, 4 written, 3 unchanged\n"
    site_repo.write(P1, db([action("A1", "2026-02-01", "bob", "prevent", "done")]))
    ran = build(bpm, out)
    assert ran.stderr == f"{out}: 7 pages, 5 written, 2 unchanged\n"
    assert api_page.stat().st_mtime_ns == before
    assert "done" in (out / "pm/2026-01-05-db.html").read_text()
    git(site_repo.path, "rm", "-q", HOSTILE)
    ran = build(bpm, out)
    assert ran.stderr == f"{out}: 6 pages, 4 written, 2 unchanged, 1 removed\n"
    assert not (out / "pm/2026-03-02-hostile.html").exists()
    ran = build(bpm, out, "--as-of", "2026-04-01")  # a new day: every overdue count moves
    assert ran.stderr == f"{out}: 6 pages, 6 written, 0 unchanged\n"
    manifest = json.loads((out / ".bpm-site.json").read_text())
    assert sorted(manifest["pages"]) == ["pm/2026-01-05-db.html", "pm/2026-02-10-api.html"]


def test_refusals(
    bpm: Bpm, site_repo: Repo, make_repo: Callable[..., Repo], tmp_path: Path
) -> None:
    mine = tmp_path / "my-notes"
    mine.mkdir()
    (mine / "todo.txt").write_text("mine\n")
    before = snapshot(mine)
    ran = build(bpm, mine)
    assert ran.exit_code == 2
    assert ran.stderr == (
        f"error: {mine}: exists, is not empty and is not a bpm site (no .bpm-site.json); "
        "refusing to write into it\n"
    )
    assert snapshot(mine) == before
    a_file = tmp_path / "file.html"
    a_file.write_text("x")
    ran = build(bpm, a_file)
    assert ran.exit_code == 2 and "exists and is not a folder" in ran.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(bpm, empty).exit_code == 0  # an empty folder is fine
    fresh = make_repo("fresh")
    ran = build(bpm, tmp_path / "out1", cwd=fresh.path)
    assert (ran.exit_code, ran.stderr) == (
        1,
        "error: no history yet: commit the postmortems first (git add, git commit)\n",
    )
    fresh.commit("readme", {"README.md": "# Notes\n"})
    ran = build(bpm, tmp_path / "out2", cwd=fresh.path)
    assert ran.exit_code == 1 and "no postmortems under postmortems/ at HEAD" in ran.stderr
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{site_repo.path}", str(clone)], check=True
    )
    ran = build(bpm, tmp_path / "out3", cwd=clone)
    assert ran.exit_code == 1 and ran.stderr.startswith("error: shallow clone:")
    plain = tmp_path / "plain"
    plain.mkdir()
    ran = build(bpm, tmp_path / "out4", cwd=plain)
    assert (ran.exit_code, ran.stderr) == (2, "error: not inside a git repository\n")
    for name in ("out1", "out2", "out3", "out4"):
        assert not (tmp_path / name).exists()  # nothing half-made
