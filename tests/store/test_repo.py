"""store/repo.py: the one git runner, on real repositories; and bpm without git at all."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from bpmcli.errors import BpmError, UsageError
from bpmcli.store.repo import Git, GitMissing, Repository, action_numbers_ever
from conftest import Repo, bpm_process
from store.base import P1, Bpm, act, git_free_path, pm_text, story

SRC = Path(__file__).resolve().parents[2] / "src" / "bpmcli"


def test_without_git_the_git_commands_say_so_in_one_line(repo: Repo, tmp_path: Path) -> None:
    story(repo)
    env = git_free_path(tmp_path)
    wanted = {
        ("report", "overdue"): "bpm report",
        ("report", "vanished"): "bpm report",
        ("report", "stats"): "bpm report stats",
        ("report", "overdue", "--rev", "HEAD"): "bpm report --rev",
        ("lint", "--since", "HEAD"): "bpm lint --since",
        ("site", "out"): "bpm site",
    }
    for args, purpose in wanted.items():
        done = bpm_process(*args, cwd=repo.path, env=env)
        assert (done.returncode, done.stderr) == (
            2,
            f"error: git is not installed or not on PATH ({purpose} needs it)\n",
        ), args
    assert not (repo.path / "out").exists()


def test_without_git_the_commands_that_need_none_still_work(repo: Repo, tmp_path: Path) -> None:
    story(repo)
    env = git_free_path(tmp_path)
    added = bpm_process(
        "action",
        "add",
        "2026-02-10-dns",
        "Alert when the resolver error rate passes 1%",
        "--kind",
        "detect",
        "--owner",
        "dana",
        "--due",
        "2026-03-01",
        cwd=repo.path,
        env=env,
    )
    # Without git, ids are unique against the file itself: A1 is taken, so A2.
    assert added.returncode == 0, added.stderr
    assert "added A2" in added.stdout
    listed = bpm_process("action", "list", "--format", "json", cwd=repo.path, env=env)
    assert [row["id"] for row in json.loads(listed.stdout)] == ["A1", "A1", "A2"]
    overdue = bpm_process(
        "report", "overdue", "--no-history", "--format", "json", cwd=repo.path, env=env
    )
    assert overdue.returncode == 0 and len(json.loads(overdue.stdout)) == 3
    assert bpm_process("lint", "--exit-zero", cwd=repo.path, env=env).returncode == 0


def test_a_git_failure_is_one_line_with_gits_own_words(bpm: Bpm, repo: Repo) -> None:
    story(repo)
    config = repo.path / ".git" / "config"
    config.write_text(config.read_text() + "[broken\n")
    for args in (("report", "overdue"), ("report", "stats"), ("lint", "--since", "HEAD")):
        ran = bpm(*args)
        assert ran.exit_code == 1, args
        assert ran.stderr.startswith("error: git: fatal: bad config line "), ran.stderr
        assert ran.stderr.count("\n") == 1


def test_a_broken_history_names_what_git_could_not_read(bpm: Bpm, repo: Repo) -> None:
    story(repo)
    blob = repo.git("rev-parse", f"HEAD~1:{P1}").strip()
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    ran = bpm("report", "vanished", "--no-cache")
    assert (ran.exit_code, ran.stderr) == (
        1,
        f"error: git log failed: fatal: unable to read {blob}\n",
    )


def test_a_bad_revision_is_a_usage_error(bpm: Bpm, repo: Repo) -> None:
    story(repo)
    ran = bpm("report", "overdue", "--rev", "no-such-rev")
    assert (ran.exit_code, ran.stderr) == (2, "error: unknown revision 'no-such-rev'\n")
    ran = bpm("report", "overdue", "--rev", "--all")
    assert (ran.exit_code, ran.stderr) == (2, "error: not a revision: '--all'\n")


def test_discovery(repo: Repo, tmp_path: Path) -> None:
    story(repo)
    sub = repo.path / "postmortems" / "2026"
    found = Repository.discover(sub)
    assert found.root == repo.path.resolve()
    assert found.git_dir == (repo.path / ".git").resolve()
    assert found.cache_dir == found.git_dir / "bpm"
    assert found.relative(sub) == "postmortems/2026"
    assert found.head() == repo.git("rev-parse", "HEAD").strip()
    assert found.has_commits() and not found.is_shallow()
    outside = tmp_path / "plain"
    outside.mkdir()
    assert Repository.find(outside) is None
    with pytest.raises(UsageError, match="not inside a git repository"):
        Repository.discover(outside)


def test_a_worktree_keeps_its_own_cache_folder(repo: Repo, tmp_path: Path) -> None:
    story(repo)
    repo.git("worktree", "add", "-q", str(tmp_path / "other"), "-b", "other")
    found = Repository.discover(tmp_path / "other")
    assert found.git_dir == (repo.path / ".git" / "worktrees" / "other").resolve()


def test_the_users_git_config_does_not_change_what_bpm_reads(bpm: Bpm, repo: Repo) -> None:
    story(repo)
    before = [bpm("report", kind, "--format", "json").stdout for kind in ("overdue", "vanished")]
    for setting in (
        "diff.noprefix=true",
        "diff.mnemonicPrefix=true",
        "diff.suppressBlankEmpty=true",
        "color.ui=always",
        "log.showRoot=false",
        "core.quotepath=on",
        "diff.external=false",
    ):
        key, value = setting.split("=")
        repo.git("config", key, value)
    after = [
        bpm("report", kind, "--format", "json", "--no-cache").stdout
        for kind in ("overdue", "vanished")
    ]
    assert after == before
    assert json.loads(after[1])[0]["action_id"] == "A2"


def test_the_runner_streams_and_reports_failures(repo: Repo) -> None:
    story(repo)
    runner = Git(repo.path)
    lines = list(runner.stream("log", "--format=%s"))
    assert lines == [b"DNS\n", b"Push A1, drop A2 silently\n", b"A1 A2\n", b"Start\n"]
    with pytest.raises(BpmError, match=r"^git log failed: fatal: .*no-such-rev"):
        list(runner.stream("log", "no-such-rev"))
    with pytest.raises(BpmError, match=r"^git: fatal: "):
        runner.run("rev-parse", "--verify", "no-such-rev")
    assert not runner.succeeds("rev-parse", "--verify", "--quiet", "no-such-rev")
    reader = Repository.discover(repo.path).batch()
    try:
        found = reader.read(f"HEAD:{P1}")
        assert found is not None and found[0] == b"blob" and b"id: 2026-01-05-db" in found[1]
        assert reader.read("HEAD:no/such/file.md") is None
    finally:
        reader.close()


def test_git_missing_is_a_usage_error_naming_the_purpose(repo: Repo, tmp_path: Path) -> None:
    runner = Git(repo.path, "bpm report")
    runner.env["PATH"] = str(tmp_path)  # an empty folder: no git on it
    with pytest.raises(GitMissing) as caught:
        runner.run("status")
    assert caught.value.exit_code == 2
    assert str(caught.value) == "git is not installed or not on PATH (bpm report needs it)"


def test_action_ids_ever_held_come_from_history(repo: Repo, tmp_path: Path) -> None:
    story(repo)
    assert action_numbers_ever(repo.path / P1) == {1, 2}  # A2 is gone, and never reused
    loose = tmp_path / "loose.md"
    loose.write_text(pm_text("loose", [act("A7", "2026-01-01")]))
    assert action_numbers_ever(loose) == set()


def _subprocess_imports(tree: ast.AST) -> list[str]:
    """The functions (or "<module>") in which `subprocess` is imported."""
    found: list[str] = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef) else where
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                names = [child.module or ""]
            else:
                names = []
            if any(name.split(".")[0] == "subprocess" for name in names):
                found.append(where)
            visit(child, inner)

    visit(tree, "<module>")
    return found


def test_only_the_store_starts_processes() -> None:
    """`subprocess` is imported by store/repo.py, by the CLI only to start the user's
    editor, and by output/pager.py only to start the user's pager; everything else goes
    through the store's runner."""
    users: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        where = _subprocess_imports(ast.parse(path.read_text(encoding="utf-8")))
        if where:
            users[path.relative_to(SRC).as_posix()] = where
    assert "store/repo.py" in users
    for name, functions in users.items():
        if name == "store/repo.py":
            continue
        if name == "output/pager.py":
            assert all("pager" in function for function in functions), functions
            continue
        assert name == "cli.py" or name.startswith("cli/"), name
        assert all("editor" in function for function in functions), (name, functions)
