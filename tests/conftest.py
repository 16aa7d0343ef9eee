"""Fixtures shared by the whole suite: real git repositories, the real CLI, real files."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bpmcli.cli import app

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BPM_SHARED", ROOT.parent / "shared"))
REALWORLD = SHARED / "realworld"
MAKE_CORPUS = SHARED / "bench" / "make_corpus.py"


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


@pytest.fixture(scope="session")
def corpus_factory(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], tuple[Path, Path]]:
    """A repository built by shared/bench/make_corpus.py, and its truth file (cached per size)."""
    made: dict[int, tuple[Path, Path]] = {}

    def build(postmortems: int) -> tuple[Path, Path]:
        assert MAKE_CORPUS.is_file(), (
            f"{MAKE_CORPUS} is missing: put shared/ beside the repo or set BPM_SHARED"
        )
        if postmortems not in made:
            out = tmp_path_factory.mktemp("corpus") / f"corpus-{postmortems}"
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
