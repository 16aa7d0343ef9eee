"""Fixtures shared by the whole suite: real git repositories, the real CLI, real files."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from bpmcli.cli import app

ROOT = Path(__file__).resolve().parents[1]
OWN_CORPUS = ROOT / "bench" / "corpus.py"
# ../shared/ (or $BPM_SHARED) holds what the project does not ship: real-world postmortems
# and an independent corpus builder. Tests that need it carry @pytest.mark.shared(PART).
SHARED = Path(os.environ.get("BPM_SHARED", ROOT.parent / "shared"))
REALWORLD = SHARED / "realworld"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"
SHARED_PARTS = {
    "realworld": "the real-world postmortems",
    "bench/make_corpus.py": "the shared corpus builder, an independent cross-check",
}
# CI sets this: there a missing ../shared/ fails the shared tests instead of skipping them.
REQUIRE_SHARED = "BPM_REQUIRE_SHARED"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "shared(part): needs ../shared/<part> ($BPM_SHARED/<part>): skipped without it, "
        f"a failure with {REQUIRE_SHARED}=1",
    )


def _shown(path: Path) -> str:
    """../shared/... when shared/ is looked for beside the repository, else the path given."""
    if "BPM_SHARED" in os.environ:
        return str(path)
    return "../" + path.relative_to(ROOT.parent).as_posix()


@pytest.hookimpl(tryfirst=True)  # before pytest's own skip marks (an empty parameter set)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("shared"):
        (part,) = mark.args
        where = SHARED / part
        if where.exists():
            continue
        needs = (
            f"needs {_shown(where)} ({SHARED_PARTS[part]}); "
            "set BPM_SHARED or put shared/ beside the repository"
        )
        if os.environ.get(REQUIRE_SHARED) == "1":
            pytest.fail(f"{needs} ({REQUIRE_SHARED}=1 makes its absence a failure)", pytrace=False)
        pytest.skip(needs)


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full_env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo), **(env or {})}
    done = subprocess.run(
        ["git", *args], cwd=repo, env=full_env, capture_output=True, text=True, check=True
    )
    return done.stdout


@dataclass
class Repo:
    """A real git repository in tmp_path, with commits made under chosen names and dates."""

    path: Path

    def write(self, relative: str, text: str | bytes) -> Path:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_bytes(text.encode("utf-8"))
        return target

    def commit(
        self,
        message: str,
        files: dict[str, str | bytes | None] | None = None,
        *,
        author: str = "Ana Okafor",
        date: str = "2026-01-05T10:00:00+00:00",
    ) -> str:
        for relative, content in (files or {}).items():
            if content is None:
                git(self.path, "rm", "-q", relative)
            else:
                self.write(relative, content)
                git(self.path, "add", relative)
        email = author.lower().replace(" ", ".") + "@example.com"
        env = {
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": date,
        }
        git(self.path, "commit", "-q", "--allow-empty", "-m", message, env=env)
        return git(self.path, "rev-parse", "HEAD").strip()

    def git(self, *args: str) -> str:
        return git(self.path, *args)


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Repo]:
    def make(name: str = "repo") -> Repo:
        path = tmp_path / name
        path.mkdir()
        git(path, "init", "-q", "-b", "main")
        return Repo(path)

    return make


@pytest.fixture
def repo(make_repo: Callable[..., Repo]) -> Repo:
    return make_repo()


@dataclass
class Ran:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def bpm(monkeypatch: pytest.MonkeyPatch, repo: Repo) -> Callable[..., Ran]:
    """Run the real CLI in-process, in `cwd` (the repository by default)."""
    monkeypatch.setenv("BPM_NOW", "2026-11-23T09:30:00+00:00")
    monkeypatch.delenv("NO_COLOR", raising=False)

    def run(
        *args: str,
        cwd: Path | None = None,
        input: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Ran:
        monkeypatch.chdir(cwd or repo.path)
        result = CliRunner().invoke(app, list(args), input=input, env=env, catch_exceptions=False)
        return Ran(result.exit_code, result.stdout, result.stderr)

    return run


def bpm_process(
    *args: str, cwd: Path, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run bpm as users do: a separate process."""
    full_env = {**os.environ, "BPM_NOW": "2026-11-23T09:30:00+00:00", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bpmcli", *args],
        cwd=cwd,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (outside .git) and its bytes: to prove nothing changed."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` truly unwritable, even for root (chattr +i), for the duration."""
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        assert chattr, "tests run as root need chattr (e2fsprogs) to make a folder read-only"
        subprocess.run([chattr, "+i", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run([chattr, "-i", str(folder)], check=True)
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(mode)


Corpus = Callable[[int], tuple[Path, Path]]  # postmortems -> (repository, truth file)


def _own_builder() -> ModuleType:
    """bench/corpus.py, loaded by path: bench/ is not a package and not on sys.path."""
    spec = importlib.util.spec_from_file_location("bpm_bench_corpus", OWN_CORPUS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def corpus_factory(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """A repository built by the project's own bench/corpus.py, and its truth (per size)."""
    builder = _own_builder()
    made: dict[int, tuple[Path, Path]] = {}

    def build(postmortems: int) -> tuple[Path, Path]:
        if postmortems not in made:
            out = tmp_path_factory.mktemp("corpus") / f"corpus-{postmortems}"
            truth = builder.build(out, postmortems, 1, builder.AS_OF, 6.0)
            where = out.with_name(out.name + ".truth.json")
            where.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
            made[postmortems] = (out, where)
        return made[postmortems]

    return build


@pytest.fixture(scope="session")
def shared_corpus_factory(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """A repository built by shared/bench/make_corpus.py, and its truth file (per size).

    Tests that use it carry @pytest.mark.shared("bench/make_corpus.py")."""
    made: dict[int, tuple[Path, Path]] = {}

    def build(postmortems: int) -> tuple[Path, Path]:
        if postmortems not in made:
            out = tmp_path_factory.mktemp("shared-corpus") / f"corpus-{postmortems}"
            truth = out.with_name(out.name + ".truth.json")
            subprocess.run(
                [
                    sys.executable,
                    str(MAKE_CORPUS),
                    "--out",
                    str(out),
                    "--postmortems",
                    str(postmortems),
                    "--truth",
                    str(truth),
                ],
                check=True,
                capture_output=True,
            )
            made[postmortems] = (out, truth)
        return made[postmortems]

    return build


@pytest.fixture(
    params=["own", pytest.param("shared", marks=pytest.mark.shared("bench/make_corpus.py"))]
)
def truth_corpus(request: pytest.FixtureRequest) -> Corpus:
    """Each builder in turn: the own one always, the shared one as an independent check."""
    name = "corpus_factory" if request.param == "own" else "shared_corpus_factory"
    factory: Corpus = request.getfixturevalue(name)
    return factory


def pm_text(
    pm_id: str,
    actions: list[dict[str, str]],
    status: str = "draft",
    review_by: str = "2026-01-10",
    started: str = "2026-01-05T10:00:00Z",
    summary: str | None = None,
) -> str:
    """A small postmortem as the history tests commit it: block-style actions, a Summary."""
    lines = [
        "---",
        f"id: {pm_id}",
        f"title: {pm_id}",
        "kind: incident",
        f"status: {status}",
        "severity: SEV2",
        f"started: {started}",
        f"review_by: {review_by}",
    ]
    if actions:
        lines.append("actions:")
        for a in actions:
            lines.append(f"  - id: {a['id']}")
            lines += [f"    {k}: {v}" for k, v in a.items() if k != "id"]
    else:
        lines.append("actions: []")
    body = ["---", f"# {pm_id}", "", "## Summary", ""]
    if summary is not None:
        body += ["", summary, ""]
    return "\n".join([*lines, *body]) + "\n"


def act(action_id: str, due: str, status: str = "open", owner: str = "bob") -> dict[str, str]:
    """An action item for `pm_text`."""
    return {
        "id": action_id,
        "action": f"Add guard {action_id}",
        "owner": owner,
        "due": due,
        "kind": "prevent",
        "status": status,
    }
