"""Where bpm writes new files: never outside the project (issue #16, item 8).

A year folder, or the postmortem folder, that is a symbolic link leading out of the
project (a hostile repository, a stray link) must not make `bpm new` or `bpm import`
write there: one line, nothing written or made anywhere (`new` exits 2; `import` reports
the file as failed, exit 1, as for any file it cannot import).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Repo, snapshot
from lint.base import Bpm

SOURCE = """# Checkout outage on 2026-01-05

## Summary

The config push reached all regions at once.
"""


def new(bpm: Bpm) -> tuple[int, str]:
    ran = bpm("new", "incident", "Db outage", "--started", "2026-01-05 10:00")
    return ran.exit_code, ran.stderr


def import_(bpm: Bpm, repo: Repo) -> tuple[int, str]:
    source = repo.path.parent / "theirs.md"
    source.write_text(SOURCE, encoding="utf-8")
    ran = bpm("import", str(source))
    return ran.exit_code, ran.stderr


@pytest.mark.parametrize("command", [new, import_], ids=["new", "import"])
@pytest.mark.parametrize(
    "link", ["postmortems/2026", "postmortems"], ids=["year folder", "postmortem folder"]
)
def test_a_link_leading_outside_is_refused(
    bpm: Bpm, repo: Repo, tmp_path: Path, command: object, link: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo.path / link).parent.mkdir(exist_ok=True)
    (repo.path / link).symlink_to(outside, target_is_directory=True)
    before = snapshot(repo.path)
    args = (bpm,) if command is new else (bpm, repo)
    code, stderr = command(*args)  # type: ignore[operator]
    assert code == (2 if command is new else 1)  # import: that file failed, the others go on
    assert (
        stderr
        == f"error: {link} leads outside the project (a symbolic link?); nothing was written\n"
    )
    assert list(outside.iterdir()) == []
    assert snapshot(repo.path) == before


def test_a_dangling_year_link_is_refused_too(bpm: Bpm, repo: Repo, tmp_path: Path) -> None:
    (repo.path / "postmortems").mkdir()
    (repo.path / "postmortems" / "2026").symlink_to(tmp_path / "gone" / "2026")
    assert new(bpm)[0] == 2
    assert not (tmp_path / "gone").exists()


def test_a_link_that_stays_inside_is_followed(bpm: Bpm, repo: Repo) -> None:
    (repo.path / "archive" / "2026").mkdir(parents=True)
    (repo.path / "postmortems").mkdir()
    (repo.path / "postmortems" / "2026").symlink_to(repo.path / "archive" / "2026")
    assert new(bpm) == (0, "")
    assert [p.name for p in (repo.path / "archive" / "2026").iterdir()] == [
        "2026-01-05-db-outage.md"
    ]
