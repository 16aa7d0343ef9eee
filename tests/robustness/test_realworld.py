"""Real postmortems written by other teams: every reading command meets them without a crash."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REALWORLD, Ran, Repo

Bpm = Callable[..., Ran]
FILES = sorted(p for p in REALWORLD.glob("*.md") if p.name != "SOURCES.md")
pytestmark = pytest.mark.shared("realworld")


def test_the_realworld_corpus_is_there() -> None:
    assert len(FILES) >= 20, f"expected the real-world postmortems in {REALWORLD}"


@pytest.fixture
def archive(repo: Repo) -> Repo:
    target = repo.path / "postmortems" / "old"
    target.mkdir(parents=True)
    for path in FILES:
        shutil.copy(path, target / path.name)
    return repo


def assert_clean(ran: Ran) -> None:
    assert ran.exit_code in (0, 1), ran.stderr
    assert "Traceback" not in ran.stdout + ran.stderr
    if ran.exit_code == 1:
        assert ran.stderr.startswith("error: postmortems/old/") and ran.stderr.count("\n") == 1


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_show_and_timeline_show(bpm: Bpm, archive: Repo, path: Path) -> None:
    relative = f"postmortems/old/{path.name}"
    for args in (
        ["show", relative],
        ["show", relative, "-f", "json"],
        ["timeline", "show", relative],
        ["timeline", "show", relative, "-f", "json"],
    ):
        assert_clean(bpm(*args))


def test_list_over_the_whole_archive(bpm: Bpm, archive: Repo) -> None:
    ran = bpm("list", "--format", "json")
    assert ran.exit_code == 0
    assert "Traceback" not in ran.stderr
    for line in ran.stderr.splitlines():
        assert line.startswith("warning: postmortems/old/")


def test_lint_over_the_whole_archive(bpm: Bpm, archive: Repo) -> None:
    import json

    for fmt in ("json", "sarif", "github", "gitlab", "junit", "text"):
        ran = bpm("lint", "--no-cache", "--format", fmt, "postmortems/old")
        assert ran.exit_code == 1, ran.stderr
        assert ran.stderr == ""
    found = json.loads(bpm("lint", "--no-cache", "--format", "json").stdout)
    with_front_matter = {
        "13-rust-dns-outage-2023.md",
        "14-rust-docsrs-outage-2019.md",
        "21-opensuse-obs-downtime-2019.md",
        "27-pypi-leaked-admin-token-2024.md",
        "28-homebrew-security-incident-2021.md",
    }
    one_bpm001 = {Path(f["path"]).name for f in found if f["code"] == "BPM001"}
    assert one_bpm001 == {p.name for p in FILES} - with_front_matter | {
        "13-rust-dns-outage-2023.md"
    }
    # issue #14: their bodies are linted too, by the body rules only, and no rule fires on
    # line after line (at most one BPM402 per required section)
    codes: dict[str, list[str]] = {}
    for f in found:
        codes.setdefault(Path(f["path"]).name, []).append(f["code"])
    for name in one_bpm001:
        assert set(codes[name]) - {"BPM001"} <= {"BPM202", "BPM203", "BPM301", "BPM302", "BPM402"}
    assert {"BPM301", "BPM302", "BPM402"} <= {c for name in one_bpm001 for c in codes[name]}
    assert all(listed.count(code) <= 7 for listed in codes.values() for code in set(listed))


def test_stats_and_site_over_the_committed_archive(bpm: Bpm, archive: Repo, tmp_path: Path) -> None:
    import json

    archive.git("add", "-A")
    archive.commit("Import the old postmortems")
    ran = bpm("report", "stats", "--format", "json")
    assert ran.exit_code == 0, ran.stderr
    assert "Traceback" not in ran.stderr
    rows = json.loads(ran.stdout)
    assert rows and all(row["actions_vanished"] == 0 for row in rows)
    out = tmp_path / "site"
    ran = bpm("site", str(out))
    assert ran.exit_code == 0, ran.stderr
    assert "Traceback" not in ran.stderr
    *warnings, summary = ran.stderr.splitlines()
    assert all(line.startswith("warning: postmortems/old/") for line in warnings)
    assert summary.startswith(f"{out}: ")
    pages = {p.stem for p in (out / "pm").glob("*.html")}
    assert len(pages) + len(warnings) == len(FILES)
