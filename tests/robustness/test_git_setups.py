"""Git set-ups that used to give wrong answers (issue #16, items 1, 3, 4, 6, 7, 9).

Each test builds a real repository whose configuration, file names or history is what a
user may really have, and checks the answer bpm gives, not just that it runs.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import Repo, act, git, pm_text
from lint.base import CLEAN, Bpm

HINDSIGHT = "Clearly, checkout failed."  # BPM302 on the line it is written on


# -- item 1: `lint --since` whatever the file's name and the user's diff config -------------

NAMES = [
    "postmortems/2026/2026-11-20-checkout-outage.md",
    "postmortems/2026/2026-11-20 checkout outage.md",  # git ends `+++ b/... outage.md` with a tab
    'postmortems/2026/2026-11-20-"quoted".md',  # git C-quotes it in the patch
    "postmortems/2026/2026-11-20-café.md",
    "postmortems/new folder/2026-11-20-x.md",
    "postmortems/2026/2026-11-20-tab\tand\\backslash.md",  # C-quoted with escapes
]
CONFIGS = [
    {},
    {"diff.mnemonicPrefix": "true"},  # `+++ w/...` instead of `+++ b/...`
    {"diff.noprefix": "true"},
    {"diff.relative": "true"},
    {"core.quotePath": "true"},
    {"color.diff": "always", "color.ui": "always"},
    {"diff.suppressBlankEmpty": "true"},
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(c) or "defaults")
def test_lint_since_finds_the_new_line_whatever_the_name_and_config(
    bpm: Bpm, repo: Repo, name: str, config: dict[str, str]
) -> None:
    repo.commit("Postmortem", {name: CLEAN})
    for key, value in config.items():
        repo.git("config", key, value)
    edited = CLEAN.replace("Checkout failed for 30% of requests.", HINDSIGHT)
    repo.write(name, edited)
    line = edited.splitlines().index(HINDSIGHT) + 1
    ran = bpm("lint", "--since", "HEAD", "--format", "json", "--no-cache")
    assert ran.exit_code == 0, ran.stderr  # BPM302 is a warning
    found = [(f["path"], f["code"], f["line"]) for f in json.loads(ran.stdout)]
    assert found == [(name, "BPM302", line)]


# -- item 9: history does not depend on the user's diff config ----------------------------

P = "postmortems/2026/2026-01-05-db.md"


def spaced(due_a1: str, due_a2: str) -> str:
    """A blank line before each `due`: a context line that suppressBlankEmpty prints empty,
    and a parser that reads an empty line as the end of a hunk loses the change after it."""
    text = pm_text("2026-01-05-db", [act("A1", due_a1), act("A2", due_a2)])
    return text.replace("    due:", "\n    due:")


def overdue_rows(bpm: Bpm, *args: str) -> dict[str, dict[str, object]]:
    ran = bpm("report", "overdue", "--as-of", "2026-06-01", "--format", "json", *args)
    assert ran.exit_code == 0, ran.stderr
    return {str(row["action_id"]): row for row in json.loads(ran.stdout)}


DIFF_CONFIGS = [
    {"diff.suppressBlankEmpty": "true"},
    {"diff.noprefix": "true", "diff.mnemonicPrefix": "true"},
    {"diff.context": "0", "diff.interHunkContext": "9"},
    {"diff.algorithm": "patience", "diff.indentHeuristic": "false"},
    {"diff.renames": "copies", "diff.renameLimit": "1"},
    {"core.quotePath": "true", "color.ui": "always", "log.showSignature": "true"},
]


@pytest.mark.parametrize("config", DIFF_CONFIGS, ids=lambda c: ",".join(c))
def test_postponements_do_not_depend_on_the_users_diff_config(
    bpm: Bpm, repo: Repo, config: dict[str, str]
) -> None:
    dues = [
        ("2026-02-01", "2026-02-10"),
        ("2026-03-01", "2026-02-10"),
        ("2026-04-01", "2026-02-20"),
    ]
    for day, (a1, a2) in enumerate(dues, start=10):
        repo.commit(f"dues {a1} {a2}", {P: spaced(a1, a2)}, date=f"2026-01-{day}T09:00:00+00:00")
    expected = overdue_rows(bpm, "--no-cache")
    assert {k: (v["postponed"], v["original_due"]) for k, v in expected.items()} == {
        "A1": (2, "2026-02-01"),
        "A2": (1, "2026-02-10"),
    }
    for key, value in config.items():
        repo.git("config", key, value)
    assert overdue_rows(bpm, "--no-cache") == expected


# -- item 6: an action lost in a merge -------------------------------------------------------

MERGER = {
    "GIT_AUTHOR_NAME": "Mo Merger",
    "GIT_AUTHOR_EMAIL": "mo@example.com",
    "GIT_COMMITTER_NAME": "Mo Merger",
    "GIT_COMMITTER_EMAIL": "mo@example.com",
    "GIT_AUTHOR_DATE": "2026-01-20T09:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-20T09:00:00+00:00",
}


def diverged(repo: Repo) -> None:
    """main adds A3; topic, branched before, postpones A1 and adds A4: the file conflicts."""
    repo.commit("A1 A2", {P: pm_text("2026-01-05-db", [act("A1", "2026-02-01")])})
    repo.git("checkout", "-q", "-b", "topic")
    topic = [act("A1", "2026-03-01"), act("A4", "2026-02-15")]
    repo.commit(
        "push A1, add A4", {P: pm_text("2026-01-05-db", topic)}, date="2026-01-12T09:00:00+00:00"
    )
    repo.git("checkout", "-q", "main")
    main = [act("A1", "2026-02-01"), act("A3", "2026-02-10")]
    repo.commit("add A3", {P: pm_text("2026-01-05-db", main)}, date="2026-01-14T09:00:00+00:00")


def vanished(bpm: Bpm) -> dict[str, tuple[object, object]]:
    ran = bpm("report", "vanished", "--format", "json", "--no-cache")
    assert ran.exit_code == 0, ran.stderr
    return {str(r["action_id"]): (r["removed_by"], r["removed_at"]) for r in json.loads(ran.stdout)}


@pytest.mark.parametrize("config", [{}, {"log.diffMerges": "first-parent"}], ids=["", "fp"])
@pytest.mark.parametrize(("side", "lost"), [("topic", "A3"), ("HEAD", "A4")])
def test_an_action_lost_in_a_merge_that_took_one_sides_file_vanished(
    bpm: Bpm, repo: Repo, side: str, lost: str, config: dict[str, str]
) -> None:
    diverged(repo)
    for key, value in config.items():  # what `git log -m` means to this user
        repo.git("config", key, value)
    # The merge (conflicting or not) is resolved by taking one side's whole file.
    subprocess.run(
        ["git", "merge", "-q", "--no-ff", "--no-commit", "topic"],
        cwd=repo.path,
        capture_output=True,
        env={**os.environ, **MERGER},
        check=False,
    )
    git(repo.path, "checkout", side, "--", P)
    git(repo.path, "commit", "-q", "-m", "Merge topic", env=MERGER)
    assert len(git(repo.path, "log", "-1", "--format=%P").split()) == 2
    assert vanished(bpm) == {lost: ("Mo Merger", "2026-01-20")}
    rows = overdue_rows(bpm, "--no-cache")
    # The postponement made on topic counts once, whether or not the merge kept it.
    assert rows["A1"]["postponed"] == 1
    assert rows["A1"]["due"] == ("2026-03-01" if side == "topic" else "2026-02-01")


def test_a_clean_merge_loses_nothing_and_counts_each_change_once(bpm: Bpm, repo: Repo) -> None:
    repo.commit("A1", {P: pm_text("2026-01-05-db", [act("A1", "2026-02-01")])})
    other = "postmortems/2026/2026-01-09-dns.md"
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit(
        "push A1",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-03-01")])},
        date="2026-01-12T09:00:00+00:00",
    )
    repo.git("checkout", "-q", "main")
    repo.commit(
        "dns",
        {other: pm_text("2026-01-09-dns", [act("A1", "2026-02-05")])},
        date="2026-01-14T09:00:00+00:00",
    )
    git(repo.path, "merge", "-q", "--no-ff", "topic", "-m", "Merge", env=MERGER)
    assert vanished(bpm) == {}
    ran = bpm("report", "overdue", "--as-of", "2026-06-01", "--format", "json", "--no-cache")
    rows = {(r["path"], r["action_id"]): r["postponed"] for r in json.loads(ran.stdout)}
    assert rows == {(P, "A1"): 1, (other, "A1"): 0}


# -- item 7: one rule of which files are postmortems -------------------------------------------

VISIBLE = "postmortems/2026/2026-01-05-db.md"
HIDDEN = [
    "postmortems/.drafts/2026-01-06-dns.md",  # a hidden folder
    "postmortems/2026/.2026-01-07-api.md",  # a hidden file
    "postmortems/2026/.trash/2026/2026-01-08-cdn.md",  # deeper
]


def test_every_command_skips_the_same_hidden_files(bpm: Bpm, repo: Repo) -> None:
    files: dict[str, str | bytes | None] = {
        VISIBLE: pm_text("2026-01-05-db", [act("A1", "2026-02-01")])
    }
    for path in HIDDEN:
        stem = Path(path).stem.lstrip(".")
        files[path] = pm_text(stem, [act("A1", "2026-02-01"), act("A2", "2026-02-02")])
    repo.commit("all", files, date="2026-01-09T09:00:00+00:00")
    # A2 deleted from every hidden file: it would be a vanished action if they counted.
    repo.commit(
        "drop A2",
        {path: pm_text(Path(path).stem.lstrip("."), [act("A1", "2026-02-01")]) for path in HIDDEN},
        date="2026-01-10T09:00:00+00:00",
    )
    listed = bpm("list", "--format", "json")
    assert [row["path"] for row in json.loads(listed.stdout)] == [VISIBLE]
    for rev in ((), ("--rev", "HEAD")):
        rows = overdue_rows(bpm, "--no-cache", *rev)
        assert [row["path"] for row in rows.values()] == [VISIBLE], rev
    assert vanished(bpm) == {}
    ran = bpm("report", "stats", "--as-of", "2026-03-31", "--format", "json", "--no-cache")
    assert ran.exit_code == 0, ran.stderr
    (january, *_) = json.loads(ran.stdout)
    assert (january["postmortems_started"], january["actions_added"]) == (1, 1)
    assert january["actions_vanished"] == 0


# -- item 4: action ids are never reused ---------------------------------------------------


def with_a_deleted_action(repo: Repo) -> None:
    """A1 and A2 committed, then A2 deleted: the next id is A3, whatever git's set-up."""
    repo.commit(
        "A1 A2", {P: pm_text("2026-01-05-db", [act("A1", "2026-02-01"), act("A2", "2026-02-02")])}
    )
    repo.commit("drop A2", {P: pm_text("2026-01-05-db", [act("A1", "2026-02-01")])})


def add_action(bpm: Bpm, target: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    ran = bpm(
        "action", "add", target, "Add a guard to the splitter", "--owner", "ana",
        "--due", "2026-03-01", "--kind", "prevent", cwd=cwd, env=env,
    )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    return ran.stdout


def test_ids_are_not_reused_with_git_dir_set(bpm: Bpm, repo: Repo) -> None:
    with_a_deleted_action(repo)
    env = {"GIT_DIR": str(repo.path / ".git")}  # no GIT_WORK_TREE: git takes cwd for the root
    folder = repo.path / "postmortems" / "2026"
    assert "added A3" in add_action(bpm, "2026-01-05-db.md", folder, env)
    assert "added A4" in add_action(bpm, P, repo.path, env)


@pytest.mark.parametrize(
    "move",
    [
        ["git", "mv", P, "postmortems/2026/2026-01-05-database.md"],  # staged, not committed
        ["git", "mv", P, "postmortems/2025/2026-01-05-db.md"],
        ["mv", P, "postmortems/2027/2026-01-05-db.md"],  # not even staged: same file name
    ],
    ids=["git mv", "git mv to a folder", "mv"],
)
def test_ids_are_not_reused_after_an_uncommitted_move(
    bpm: Bpm, repo: Repo, move: list[str]
) -> None:
    with_a_deleted_action(repo)
    for folder in ("2025", "2027"):
        (repo.path / "postmortems" / folder).mkdir(parents=True, exist_ok=True)
    repo.write("README.md", "Staged too: a path whose name starts like a status letter.\n")
    repo.git("add", "README.md")
    subprocess.run(move, cwd=repo.path, check=True, capture_output=True)
    assert "added A3" in add_action(bpm, move[-1], repo.path)


def test_ids_are_not_reused_after_committed_renames(bpm: Bpm, repo: Repo) -> None:
    with_a_deleted_action(repo)
    repo.git("mv", P, "postmortems/2026/2026-01-05-database.md")
    repo.commit("rename")
    assert "added A3" in add_action(bpm, "postmortems/2026/2026-01-05-database.md", repo.path)


# -- item 3: a repository git refuses to read ----------------------------------------------


def refused(repo: Repo) -> dict[str, str]:
    """Make git refuse `repo` for dubious ownership, for real: as root, the repository is
    given to another user (git refuses root a repository it does not own); otherwise git's
    own switch for its tests makes it believe so. HOME and the system config are empty, so
    no `safe.directory` of the machine lets it through."""
    env = {"HOME": str(repo.path.parent / "home"), "GIT_CONFIG_NOSYSTEM": "1"}
    if os.geteuid() == 0:
        for path in [repo.path, *repo.path.rglob("*")]:
            os.chown(path, 12345, 12345, follow_symlinks=False)
    else:
        env["GIT_TEST_ASSUME_DIFFERENT_OWNER"] = "1"
    done = subprocess.run(
        ["git", "status"],
        cwd=repo.path,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert "dubious ownership" in done.stderr  # the set-up is real: git itself refuses
    return env


@pytest.mark.parametrize(
    "args",
    [
        ("report", "vanished"),
        ("report", "overdue"),
        ("report", "stats"),
        ("report", "overdue", "--rev", "HEAD"),
        ("lint", "--since", "HEAD"),
        (
            "action",
            "add",
            P,
            "Add a guard",
            "--owner",
            "ana",
            "--due",
            "2026-03-01",
            "--kind",
            "prevent",
        ),
    ],
    ids=lambda args: " ".join(args[:3]),
)
def test_a_repository_git_refuses_is_an_error_saying_why(
    bpm: Bpm, repo: Repo, args: tuple[str, ...]
) -> None:
    with_a_deleted_action(repo)
    env = refused(repo)
    before = (repo.path / P).read_bytes()
    ran = bpm(*args, env=env)
    assert ran.exit_code == 1, (ran.stdout, ran.stderr)  # git failing: 1 (docs/cli.md)
    assert ran.stderr.startswith("error: git: fatal: detected dubious ownership in repository at ")
    assert ran.stderr.count("\n") == 1 and ran.stdout == ""
    assert (repo.path / P).read_bytes() == before


# -- item 10: the history reader reads what the YAML reader reads ---------------------------

MERGED = """---
id: 2026-01-05-db
title: Db
kind: incident
status: draft
severity: SEV2
started: 2026-01-05T10:00:00Z
review_by: 2026-01-10
defaults: &defaults
  owner: bob
  kind: prevent
  status: open
  due: {due_a2}
actions:
  - <<: *defaults
    id: "A1 "
    action: Add a guard
    due: {due_a1}
  - id: 'A2'
    <<: *defaults
    action: Add a check
---
# Db
"""


def spaced_ids(due: str) -> str:
    """The block shape the fast scanner reads itself (no merge key): quoted ids with
    trailing spaces, which the model strips."""
    text = pm_text("2026-01-09-dns", [act("A3", due), act("A4", due)])
    return text.replace("id: A3", 'id: "A3 "').replace("id: A4", "id: 'A4  '")


def test_history_reads_merge_keys_and_quoted_ids_as_the_model_does(bpm: Bpm, repo: Repo) -> None:
    other = "postmortems/2026/2026-01-09-dns.md"
    first = {
        P: MERGED.format(due_a1="2026-02-01", due_a2="2026-02-10"),
        other: spaced_ids("2026-02-01"),
    }
    repo.commit("v1", first, author="Ana Okafor")
    pushed = {
        P: MERGED.format(due_a1="2026-03-01", due_a2="2026-03-10"),
        other: spaced_ids("2026-03-01"),
    }
    repo.commit("push all", pushed, author="Bo Lindqvist", date="2026-01-20T09:00:00+00:00")
    listed = bpm("action", "list", "--format", "json")
    assert [(r["id"], r["due"], r["owner"]) for r in json.loads(listed.stdout)] == [
        ("A1", "2026-03-01", "bob"),
        ("A3", "2026-03-01", "bob"),
        ("A4", "2026-03-01", "bob"),
        ("A2", "2026-03-10", "bob"),
    ]
    rows = overdue_rows(bpm, "--no-cache")
    found = {k: (v["introduced_by"], v["original_due"], v["postponed"]) for k, v in rows.items()}
    assert found == {
        "A1": ("Ana Okafor", "2026-02-01", 1),
        "A2": ("Ana Okafor", "2026-02-10", 1),  # its due comes from the merge key
        "A3": ("Ana Okafor", "2026-02-01", 1),
        "A4": ("Ana Okafor", "2026-02-01", 1),
    }
    assert vanished(bpm) == {}
