"""`bpm report overdue|vanished|sla` on real git histories."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Ran, Repo, act, git, pm_text

Bpm = Callable[..., Ran]


P = "postmortems/2026/2026-01-05-db.md"


def overdue(bpm: Bpm, *args: str, cwd: Path | None = None) -> list[dict[str, object]]:
    ran = bpm("report", "overdue", "--as-of", "2026-03-01", "--format", "json", *args, cwd=cwd)
    assert ran.exit_code == 0, ran.stderr
    return json.loads(ran.stdout)


@pytest.fixture
def history(repo: Repo) -> Repo:
    """A1 added by Ana, pushed twice (by Bo, then Chen); A2 added by Bo then deleted by Chen."""
    repo.commit(
        "Start",
        {P: pm_text("2026-01-05-db", [])},
        author="Ana Okafor",
        date="2026-01-06T09:00:00+00:00",
    )
    repo.commit(
        "A1",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-01-20")])},
        author="Ana Okafor",
        date="2026-01-07T09:00:00+00:00",
    )
    repo.commit(
        "A2",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-01-20"), act("A2", "2026-01-25")])},
        author="Bo Lindqvist",
        date="2026-01-08T09:00:00+00:00",
    )
    repo.commit(
        "push A1",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-02-01"), act("A2", "2026-01-25")])},
        author="Bo Lindqvist",
        date="2026-01-21T09:00:00+00:00",
    )
    repo.commit(
        "tidy",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-02-10")])},
        author="Chen Wu",
        date="2026-02-02T09:00:00+00:00",
    )
    return repo


def test_overdue_with_history(bpm: Bpm, history: Repo) -> None:
    head = history.git("log", "--format=%H", "--reverse").split()
    assert overdue(bpm) == [
        {
            "postmortem": "2026-01-05-db",
            "path": P,
            "action_id": "A1",
            "action": "Add guard A1",
            "owner": "bob",
            "due": "2026-02-10",
            "days_overdue": 19,
            "introduced_at": "2026-01-07",
            "introduced_by": "Ana Okafor",
            "introduced_commit": head[1],
            "original_due": "2026-01-20",
            "postponed": 2,
            "ticket": None,
            "ticket_url": None,
        }
    ]


def test_vanished(bpm: Bpm, history: Repo) -> None:
    ran = bpm("report", "vanished", "--format", "json")
    last = history.git("rev-parse", "HEAD").strip()
    assert json.loads(ran.stdout) == [
        {
            "postmortem": "2026-01-05-db",
            "path": P,
            "action_id": "A2",
            "action": "Add guard A2",
            "removed_at": "2026-02-02",
            "removed_by": "Chen Wu",
            "removed_commit": last,
        }
    ]
    assert json.loads(bpm("report", "vanished", "--since", "2026-02-03", "-f", "json").stdout) == []


def test_done_or_dropped_then_deleted_is_not_vanished(bpm: Bpm, history: Repo) -> None:
    history.commit(
        "close",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-02-10", "done")])},
        date="2026-02-03T09:00:00+00:00",
    )
    history.commit("delete", {P: pm_text("2026-01-05-db", [])}, date="2026-02-04T09:00:00+00:00")
    assert [r["action_id"] for r in json.loads(bpm("report", "vanished", "-f", "json").stdout)] == [
        "A2"
    ]


def test_renamed_twice_keeps_its_history(bpm: Bpm, history: Repo) -> None:
    text = Path(history.path / P).read_text()
    moves = [
        "postmortems/2026/2026-01-05-db-outage.md",
        "postmortems/2026/2026-01-05-db-outage-primary.md",
    ]
    history.git("mv", P, moves[0])
    history.commit(
        "rename 1",
        {moves[0]: text.replace("id: 2026-01-05-db", "id: 2026-01-05-db-outage")},
        date="2026-02-05T09:00:00+00:00",
    )
    history.git("mv", moves[0], moves[1])
    history.commit(
        "rename 2",
        {moves[1]: text.replace("id: 2026-01-05-db", "id: 2026-01-05-db-outage-primary")},
        date="2026-02-06T09:00:00+00:00",
    )
    [row] = overdue(bpm)
    assert (row["postmortem"], row["path"], row["introduced_by"], row["postponed"]) == (
        "2026-01-05-db-outage-primary",
        moves[1],
        "Ana Okafor",
        2,
    )
    assert [
        r["postmortem"] for r in json.loads(bpm("report", "vanished", "-f", "json").stdout)
    ] == ["2026-01-05-db-outage-primary"]


def test_an_action_added_on_a_merged_branch(bpm: Bpm, history: Repo) -> None:
    history.git("checkout", "-q", "-b", "topic")
    history.commit(
        "A3 on a branch",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-02-10"), act("A3", "2026-02-15")])},
        author="Dara Rossi",
        date="2026-02-07T09:00:00+00:00",
    )
    history.git("checkout", "-q", "main")
    history.commit(
        "other work",
        {"postmortems/2026/2026-01-09-dns.md": pm_text("2026-01-09-dns", [])},
        date="2026-02-08T09:00:00+00:00",
    )
    git(
        history.path,
        "merge",
        "-q",
        "--no-ff",
        "topic",
        "-m",
        "Merge topic",
        env={
            "GIT_AUTHOR_NAME": "M",
            "GIT_AUTHOR_EMAIL": "m@x",
            "GIT_COMMITTER_NAME": "M",
            "GIT_COMMITTER_EMAIL": "m@x",
            "GIT_AUTHOR_DATE": "2026-02-09T09:00:00+00:00",
            "GIT_COMMITTER_DATE": "2026-02-09T09:00:00+00:00",
        },
    )
    rows = {r["action_id"]: r for r in overdue(bpm)}
    assert (rows["A3"]["introduced_by"], rows["A3"]["introduced_at"]) == (
        "Dara Rossi",
        "2026-02-07",
    )


def test_uncommitted_edits_are_the_current_state(bpm: Bpm, history: Repo) -> None:
    history.write(
        P, pm_text("2026-01-05-db", [act("A1", "2026-02-20"), act("A4", "2026-02-11", owner="eve")])
    )
    rows = overdue(bpm)
    assert [(r["action_id"], r["due"], r["postponed"], r["introduced_by"]) for r in rows] == [
        ("A4", "2026-02-11", 0, None),
        ("A1", "2026-02-20", 2, "Ana Okafor"),
    ]
    assert [r["action_id"] for r in overdue(bpm, "--owner", "eve")] == ["A4"]


def test_rev_reads_the_files_at_a_commit(bpm: Bpm, history: Repo) -> None:
    history.write(P, pm_text("2026-01-05-db", []))  # the working tree says nothing is open
    old = history.git("rev-list", "-1", "--before=2026-01-22", "main").strip()
    rows = overdue(bpm, "--rev", old)
    assert [(r["action_id"], r["due"], r["postponed"]) for r in rows] == [
        ("A2", "2026-01-25", 0),
        ("A1", "2026-02-01", 1),
    ]
    ran = bpm("report", "overdue", "--rev", "nope")
    assert (ran.exit_code, ran.stderr) == (2, "error: unknown revision 'nope'\n")


def test_no_history_and_formats(bpm: Bpm, history: Repo) -> None:
    [row] = overdue(bpm, "--no-history")
    assert [
        row[k]
        for k in (
            "introduced_at",
            "introduced_by",
            "introduced_commit",
            "original_due",
            "postponed",
        )
    ] == [None] * 5
    csv = bpm("report", "overdue", "--as-of", "2026-03-01", "-f", "csv").stdout.splitlines()
    assert csv[0] == (
        "postmortem,path,action_id,action,owner,due,days_overdue,introduced_at,introduced_by,"
        "introduced_commit,original_due,postponed,ticket,ticket_url"
    )
    markdown = bpm(
        "report", "overdue", "--as-of", "2026-03-01", "-f", "markdown"
    ).stdout.splitlines()
    assert markdown[0].startswith("| postmortem | path | action_id |") and markdown[2].startswith(
        "| 2026-01-05-db |"
    )
    table = bpm("report", "overdue", "--as-of", "2026-03-01").stdout
    assert "bob: 1 overdue" in table and "1 overdue action, 1 owner; most overdue: bob (1)" in table
    assert bpm("report", "overdue", "--as-of", "2026-03-01", "--fail-on-overdue").exit_code == 1
    assert bpm("report", "overdue", "--as-of", "2026-01-01", "--fail-on-overdue").exit_code == 0
    assert bpm("report", "overdue", "--as-of", "March").exit_code == 2


def test_broken_yaml_in_an_old_commit_is_skipped(bpm: Bpm, repo: Repo) -> None:
    repo.commit(
        "A1",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-01-20")])},
        author="Ana Okafor",
        date="2026-01-07T09:00:00+00:00",
    )
    repo.commit(
        "broken",
        {
            P: pm_text("2026-01-05-db", [act("A1", "2026-01-20")]).replace(
                "kind: incident", "kind: [oops"
            )
        },
        author="Bo",
        date="2026-01-08T09:00:00+00:00",
    )
    repo.commit(
        "fixed",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-01-22")])},
        author="Chen",
        date="2026-01-09T09:00:00+00:00",
    )
    [row] = overdue(bpm)
    assert (row["introduced_by"], row["original_due"], row["postponed"]) == (
        "Ana Okafor",
        "2026-01-20",
        1,
    )


def test_shallow_clone_warns_and_still_reports(bpm: Bpm, history: Repo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{history.path}", str(clone)], check=True
    )
    ran = bpm("report", "overdue", "--as-of", "2026-03-01", "-f", "json", cwd=clone)
    assert ran.exit_code == 0
    assert ran.stderr.startswith("warning: shallow clone: history is incomplete, so introduced_at")
    assert [r["action_id"] for r in json.loads(ran.stdout)] == ["A1"]


def test_outside_a_repository_and_without_commits(
    bpm: Bpm, make_repo: Callable[..., Repo], tmp_path: Path
) -> None:
    plain = tmp_path / "plain"
    (plain / "postmortems/2026").mkdir(parents=True)
    (plain / P).write_text(pm_text("2026-01-05-db", [act("A1", "2026-01-20")]))
    ran = bpm("report", "overdue", "--as-of", "2026-03-01", "-f", "json", cwd=plain)
    assert ran.exit_code == 0
    assert (
        ran.stderr == "warning: not a git repository: no history, so the history fields are null\n"
    )
    assert json.loads(ran.stdout)[0]["introduced_by"] is None
    empty = make_repo("empty")
    empty.write(P, pm_text("2026-01-05-db", [act("A1", "2026-01-20")]))
    ran = bpm("report", "overdue", "--as-of", "2026-03-01", "-f", "json", cwd=empty.path)
    assert ran.stderr == "warning: the repository has no commits yet: the history fields are null\n"
    assert len(json.loads(ran.stdout)) == 1


def test_the_history_cache(bpm: Bpm, history: Repo) -> None:
    first = overdue(bpm)
    cache = history.path / ".git" / "bpm" / "history.json"
    stored = json.loads(cache.read_text())
    assert stored["head"] == history.git("rev-parse", "HEAD").strip()
    # Prove the cache is read: plant a name only it knows.
    cache.write_text(cache.read_text().replace("Ana Okafor", "Planted Name"))
    assert overdue(bpm)[0]["introduced_by"] == "Planted Name"
    assert overdue(bpm, "--no-cache")[0]["introduced_by"] == "Ana Okafor"
    assert "Planted Name" in cache.read_text()  # --no-cache leaves it alone
    # New commits: only they are read, on top of the cache.
    history.commit(
        "push again",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-02-12")])},
        date="2026-02-10T09:00:00+00:00",
    )
    row = overdue(bpm)[0]
    assert (row["introduced_by"], row["postponed"]) == ("Planted Name", 3)
    # A rewritten history is not an extension of the cached one: rebuilt.
    history.git("reset", "-q", "--hard", "HEAD~1")
    history.commit(
        "rewritten",
        {P: pm_text("2026-01-05-db", [act("A1", "2026-02-11")])},
        date="2026-02-10T10:00:00+00:00",
    )
    row = overdue(bpm)[0]
    assert (row["introduced_by"], row["postponed"]) == ("Ana Okafor", 3)
    cache.write_text("{not json")
    assert overdue(bpm)[0]["introduced_by"] == "Ana Okafor"
    assert first[0]["introduced_commit"] == row["introduced_commit"]


def test_sla(bpm: Bpm, repo: Repo) -> None:
    late = "postmortems/2026/2026-01-09-late.md"
    repo.commit(
        "a",
        {P: pm_text("2026-01-05-db", [], "draft", "2026-01-10")},
        date="2026-01-06T09:00:00+00:00",
    )
    repo.commit(
        "b",
        {P: pm_text("2026-01-05-db", [], "published", "2026-01-10")},
        date="2026-01-09T09:00:00+00:00",
    )
    repo.commit(
        "c",
        {late: pm_text("2026-01-09-late", [], "draft", "2026-01-14")},
        date="2026-01-10T09:00:00+00:00",
    )
    repo.commit(
        "d",
        {late: pm_text("2026-01-09-late", [], "published", "2026-01-14")},
        date="2026-01-20T09:00:00+00:00",
    )
    repo.commit(
        "e",
        {
            "postmortems/2026/2026-11-01-open.md": pm_text(
                "2026-11-01-open", [], "in-review", "2026-11-06"
            )
        },
        date="2026-11-02T09:00:00+00:00",
    )
    data = json.loads(bpm("report", "sla", "-f", "json").stdout)
    assert data == {
        "late": [
            {
                "postmortem": "2026-11-01-open",
                "path": "postmortems/2026/2026-11-01-open.md",
                "status": "in-review",
                "review_by": "2026-11-06",
                "days_late": 17,
            }
        ],
        "published": 2,
        "published_on_time": 1,
        "on_time_share": 0.5,
    }
    assert "1 of 2 published on time (50%)" in bpm("report", "sla").stdout


def test_the_corpus_truth(bpm: Bpm, truth_corpus: Callable[[int], tuple[Path, Path]]) -> None:
    corpus, truth_file = truth_corpus(300)
    truth = json.loads(truth_file.read_text())
    env = {"BPM_NOW": f"{truth['as_of']}T12:00:00Z"}
    ran = bpm(
        "report",
        "overdue",
        "--as-of",
        truth["as_of"],
        "--format",
        "json",
        "--no-cache",
        cwd=corpus,
        env=env,
    )
    assert ran.exit_code == 0, ran.stderr
    keys = list(truth["overdue"][0])
    assert [{k: row[k] for k in keys} for row in json.loads(ran.stdout)] == truth["overdue"]
    ran = bpm("report", "vanished", "--format", "json", "--no-cache", cwd=corpus, env=env)
    vanished = [
        [r["postmortem"], r["action_id"], r["removed_at"], r["removed_by"]]
        for r in json.loads(ran.stdout)
    ]
    assert vanished == truth["vanished"]


def test_cached_file_facts_are_reused_and_stay_correct(bpm: Bpm, history: Repo) -> None:
    import os
    import time

    other = "postmortems/2026/2026-01-09-dns.md"
    history.commit(
        "dns",
        {other: pm_text("2026-01-09-dns", [act("A1", "2026-01-30", owner="eve")])},
        date="2026-02-03T09:00:00+00:00",
    )
    hour_ago = time.time() - 3600
    for name in (P, other):  # older than the cache: their cached facts are trusted
        os.utime(history.path / name, (hour_ago, hour_ago))
    first = overdue(bpm)
    cache = history.path / ".git" / "bpm" / "report-files.json"
    assert cache.is_file()
    history.write(other, pm_text("2026-01-09-dns", [act("A1", "2026-02-27", owner="eve")]))
    second = overdue(bpm)  # P from the cache, the edited file read again, the cache rewritten
    assert [(r["action_id"], r["due"]) for r in second] == [
        ("A1", "2026-02-10"),
        ("A1", "2026-02-27"),
    ]
    assert [r["due"] for r in first] == ["2026-01-30", "2026-02-10"]
    assert overdue(bpm) == second
    assert json.loads(cache.read_text())["salt"]


def test_detached_head_and_an_octopus_merge(bpm: Bpm, history: Repo) -> None:
    base = history.git("rev-parse", "HEAD").strip()
    for name in ("one", "two"):
        history.git("checkout", "-q", "-b", name, base)
        history.commit(
            name,
            {
                f"postmortems/2026/2026-01-2{len(name)}-{name}.md": pm_text(
                    f"2026-01-2{len(name)}-{name}", [act("A1", "2026-02-01", owner=name)]
                )
            },
            author=f"Author {name}",
            date="2026-02-04T09:00:00+00:00",
        )
    history.git("checkout", "-q", "main")
    git(
        history.path,
        "merge",
        "-q",
        "--no-ff",
        "one",
        "two",
        "-m",
        "Octopus",
        env={
            "GIT_AUTHOR_NAME": "M",
            "GIT_AUTHOR_EMAIL": "m@x",
            "GIT_COMMITTER_NAME": "M",
            "GIT_COMMITTER_EMAIL": "m@x",
        },
    )
    assert len(history.git("log", "-1", "--format=%P").split()) == 3
    rows = {r["owner"]: r for r in overdue(bpm)}
    assert (rows["one"]["introduced_by"], rows["two"]["introduced_by"]) == (
        "Author one",
        "Author two",
    )
    history.git("checkout", "-q", "--detach", "HEAD^2")  # the second parent: branch one
    detached = overdue(bpm)
    assert {r["owner"] for r in detached} == {"bob", "one"}


def test_a_bare_repository_is_not_a_work_tree(bpm: Bpm, history: Repo, tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(history.path), str(bare)], check=True)
    ran = bpm("report", "overdue", "-f", "json", cwd=bare)
    assert ran.exit_code == 0 and json.loads(ran.stdout) == []
    assert "Traceback" not in ran.stderr
