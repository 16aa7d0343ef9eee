"""The one door to git: every git process bpm starts is started here, by one runner.

`Git` runs git with the user's configuration pinned where it would change what bpm reads
(quoted paths, diff prefixes, colour, signatures, external diff drivers), with no pager
and no prompt. git missing is a `UsageError` (exit 2) naming what needed it; git failing
is a `BpmError` carrying git's last line on stderr. `Repository` is a checkout as git
sees it: its root, its git folder (where `.git/bpm/` caches live) and what callers ask of
it. The demo's runs of bpm itself are the one other kind of process, started here too.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bpmcli.errors import BpmError, UsageError
from bpmcli.store.cache import git_dir_of
from bpmcli.times import git_day

# Settings that would change the bytes bpm parses, pinned to git's defaults. Unknown keys
# (diff.srcPrefix on an older git) are ignored by git, so the list is safe everywhere.
PINNED_CONFIG = (
    "core.quotepath=off",
    "color.ui=never",
    "diff.noprefix=false",
    "diff.mnemonicPrefix=false",
    "diff.srcPrefix=a/",
    "diff.dstPrefix=b/",
    "diff.suppressBlankEmpty=false",
    "diff.relative=false",
    "log.showSignature=false",
    "log.showRoot=true",
    "log.diffMerges=separate",  # what `-m` means: each parent's diff (git's default)
    "i18n.logOutputEncoding=UTF-8",
)
# Where bpm reads a diff, these make its shape independent of attributes and drivers too.
DIFF_OPTIONS = (
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--src-prefix=a/",
    "--dst-prefix=b/",
)

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ACTION_ID = re.compile(r"^[-+ ]\s*(?:-\s+)?id:\s*['\"]?A(\d+)\b", re.M)


class GitMissing(UsageError):
    """No `git` on PATH: the command cannot run as asked."""

    def __init__(self, purpose: str):
        super().__init__(f"git is not installed or not on PATH ({purpose} needs it)")


def last_line(stderr: bytes | str, fallback: str) -> str:
    """git's last line on stderr that says what went wrong: its last `fatal:` or `error:`
    line (advice such as "Use '--' to separate paths" may follow it), else its last line."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    verdicts = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (verdicts or lines or [fallback])[-1]


class Git:
    """The runner: git in one folder, for one purpose (named when git is missing)."""

    def __init__(
        self, cwd: Path, purpose: str = "this command", env: Mapping[str, str] | None = None
    ):
        self.cwd = cwd
        self.purpose = purpose
        self.env = {
            **os.environ,
            **(env or {}),
            "GIT_PAGER": "cat",
            "PAGER": "cat",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_OPTIONAL_LOCKS": "0",  # reading must never take the index lock
        }

    def command(self, args: Sequence[str]) -> list[str]:
        pins = [item for setting in PINNED_CONFIG for item in ("-c", setting)]
        return ["git", "--no-pager", *pins, *args]

    def output(self, *args: str, check: bool = True, given: bytes | None = None) -> bytes:
        """git's stdout as bytes (`given` on its stdin); BpmError with git's last stderr
        line when it fails."""
        done = self._run(args, given)
        if check and done.returncode != 0:
            raise BpmError(f"git: {last_line(done.stderr, f'git {args[0]} failed')}")
        return done.stdout

    def run(self, *args: str, check: bool = True) -> str:
        """git's stdout as text (UTF-8, undecodable bytes replaced)."""
        return self.output(*args, check=check).decode("utf-8", "replace")

    def succeeds(self, *args: str) -> bool:
        """Whether git exits 0: for questions git answers with its exit code."""
        return self._run(args).returncode == 0

    def stream(self, *args: str) -> Iterator[bytes]:
        """git's stdout line by line, as it comes: for `git log -p` over all of history.

        stderr goes to a temporary file, not a pipe, so a chatty git can never block while
        bpm is busy reading stdout. A failure is raised once the output has been read.
        """
        with tempfile.TemporaryFile() as errors:
            process = self._start(args, stdin=subprocess.DEVNULL, stderr=errors)
            assert process.stdout is not None
            try:
                yield from process.stdout
            finally:
                process.stdout.close()
                code = process.wait()
            if code != 0:
                errors.seek(0)
                raise BpmError(f"git {args[0]} failed: {last_line(errors.read(), str(code))}")

    def batch(self) -> CatFile:
        """A long-lived `git cat-file --batch`."""
        return CatFile(self)

    def _run(
        self, args: Sequence[str], given: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        try:
            if given is not None:
                return subprocess.run(
                    self.command(args), cwd=self.cwd, env=self.env, input=given,
                    capture_output=True, check=False,
                )  # fmt: skip
            return subprocess.run(
                self.command(args),
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,  # git never waits on the user's terminal
                capture_output=True,
                check=False,
            )
        except FileNotFoundError as exc:
            raise self._not_started(exc) from exc

    def _start(
        self, args: Sequence[str], stdin: int | None, stderr: IO[bytes]
    ) -> subprocess.Popen[bytes]:
        try:
            return subprocess.Popen(
                self.command(args),
                cwd=self.cwd,
                env=self.env,
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=stderr,
            )
        except FileNotFoundError as exc:
            raise self._not_started(exc) from exc

    def _not_started(self, exc: FileNotFoundError) -> BpmError:
        """git missing, or (rarely) the folder to run it in gone: which one it was."""
        if exc.filename is not None and Path(exc.filename) == self.cwd:
            return BpmError("no such folder", self.cwd)
        return GitMissing(self.purpose)


class CatFile:
    """One long-lived `git cat-file --batch`: objects by name, without a process each."""

    def __init__(self, git: Git):
        # stderr in a file, not a pipe, so git can never block on it; read if git dies.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - open until close()
        self.process = git._start(["cat-file", "--batch"], subprocess.PIPE, self.errors)

    def read(self, name: str) -> tuple[bytes, bytes] | None:
        """(type, content) of `name` (a blob id, or `commit:path`); None when it is missing."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
            stdin.flush()
        except BrokenPipeError as exc:
            raise self._died() from exc
        line = stdout.readline()
        if not line:
            raise self._died()
        header = line.split()
        if len(header) < 3:
            return None  # "<name> missing" (or ambiguous)
        return header[1], stdout.read(int(header[2]) + 1)[:-1]

    def _died(self) -> BpmError:
        self.process.wait()
        self.errors.seek(0)
        return BpmError(f"git cat-file failed: {last_line(self.errors.read(), 'it stopped')}")

    def close(self) -> None:
        if self.process.stdin is not None:
            with contextlib.suppress(BrokenPipeError):  # git stopped already
                self.process.stdin.close()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.errors.close()


@dataclass(frozen=True)
class Repository:
    """A git checkout: its root, its git folder and the questions bpm asks of it."""

    root: Path
    git_dir: Path
    git: Git

    @classmethod
    def find(cls, start: Path, purpose: str = "this command") -> Repository | None:
        """The repository holding `start`; None outside one. git missing: GitMissing."""
        runner = Git(start, purpose)
        done = runner._run(["rev-parse", "--show-toplevel", "--absolute-git-dir"])
        if done.returncode != 0:
            if git_dir_of(start.resolve()) is None and "GIT_DIR" not in os.environ:
                return None
            # There is a repository, and git cannot read it (bad config, dubious ownership):
            # git failing on the repository, exit 1 (docs/cli.md), in git's words.
            raise BpmError(f"git: {last_line(done.stderr, 'git rev-parse failed')}")
        lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
        root = Path(lines[0])
        return cls(root, Path(lines[1]), Git(root, purpose))

    @classmethod
    def discover(cls, start: Path, purpose: str = "this command") -> Repository:
        """The repository holding `start`; UsageError outside one."""
        found = cls.find(start, purpose)
        if found is None:
            raise UsageError("not inside a git repository")
        return found

    @property
    def cache_dir(self) -> Path:
        """`.git/bpm/`: bpm's caches, outside the tracked tree."""
        return self.git_dir / "bpm"

    def relative(self, path: Path) -> str:
        """`path` relative to the root, with `/`: as git names paths."""
        return Path(os.path.relpath(path.resolve(), self.root.resolve())).as_posix()

    def has_commits(self) -> bool:
        return self.git.succeeds("rev-parse", "--verify", "--quiet", "HEAD")

    def head(self) -> str | None:
        """HEAD's commit id; None before the first commit."""
        return self.git.run("rev-parse", "--verify", "--quiet", "HEAD", check=False).strip() or None

    def is_shallow(self) -> bool:
        return self.git.run("rev-parse", "--is-shallow-repository").strip() == "true"

    def verify(self, rev: str) -> str:
        """The commit `rev` names; UsageError when it names none."""
        if rev.startswith("-"):
            raise UsageError(f"not a revision: {rev!r}")
        sha = self.git.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if not sha.strip():
            raise UsageError(f"unknown revision {rev!r}")
        return sha.strip()

    def is_ancestor(self, old: str, new: str) -> bool:
        return self.git.succeeds("merge-base", "--is-ancestor", old, new)

    def markdown_files_at(self, sha: str, folder: str) -> list[str]:
        """The `.md` files under `folder` in commit `sha`, repository-relative."""
        listing = self.git.output("ls-tree", "-r", "-z", "--name-only", sha, "--", folder)
        return [
            name.decode("utf-8", "surrogateescape")
            for name in listing.split(b"\0")
            if name.endswith(b".md")
        ]

    def batch(self) -> CatFile:
        return self.git.batch()

    def log_patches(self, spec: str, folder: str) -> Iterator[bytes]:
        """Every change to `folder` in `spec`, oldest first, as `git log -p` lines: each
        commit opens with NUL, then `sha US author US date US parents`; blobs in full
        (--full-index). A merge comes with its diff against its first parent (what the
        merge brought in); what it holds against its other parents is `merge_sides`."""
        return self.git.stream(
            "log",
            "--reverse",
            "-p",
            "-M",
            "--diff-merges=first-parent",  # git 2.31+; against the other parents: costly
            "--full-index",
            *DIFF_OPTIONS,
            "--date=short",
            "--format=%x00%H%x1f%an%x1f%ad%x1f%P",
            spec,
            "--",
            folder,
        )

    def merges(self, spec: str) -> list[list[str]]:
        """Each merge in `spec`: [sha, first parent, other parents]. By the commit graph
        alone: asking git which merges touch a folder (`--full-history -- folder`) costs
        seconds on a long history; a merge that does not touch it gives an empty block in
        `merge_sides`, which is cheap."""
        out = self.git.run("rev-list", "--merges", "--parents", spec, "--")
        return [line.split() for line in out.splitlines() if len(line.split()) > 2]

    def merge_sides(self, merges: list[list[str]], folder: str) -> bytes:
        """The files of `folder` in which each merge differs from each of its parents after
        the first, as `git diff-tree --raw` blocks (blob ids only: a merge's diff against a
        side branch is everything the main line did meanwhile, too costly as a patch). One
        block per (merge, parent) pair, in order, each opening with the merge's sha."""
        pairs = "".join(f"{m[0]} {parent}\n" for m in merges for parent in m[2:])
        if not pairs:
            return b""
        return self.git.output(
            "diff-tree", "--stdin", "--always", "-r", "--raw", "--no-abbrev", "--no-renames",
            "--", folder, given=pairs.encode(),
        )  # fmt: skip

    def first_parent_steps(
        self, head: str, known: str | None = None
    ) -> tuple[list[list[str]], bool]:
        """Where the first-parent line of `head` reaches a new earliest author date, newest
        first.

        Each step is [date, sha]: for any day D, the first commit met walking back from
        `head` whose author date is on or before D is the step with the latest date <= D.
        With `known` (an older head), only the commits after it are walked; the second value
        says whether that worked (`known` must be on the line), else the caller walks from
        scratch.
        """
        spec = [head, f"^{known}"] if known else [head]
        out = self.git.run(
            "log", "--first-parent", "--format=%H %P%x1f%ad", "--date=short", *spec, "--"
        )
        steps: list[list[str]] = []
        earliest = "9999-99-99"
        parent = None
        for line in out.splitlines():
            shas, _, day = line.partition("\x1f")
            date = git_day(day)
            sha, *parents = shas.split()
            parent = parents[0] if parents else None
            if date < earliest:
                earliest = date
                steps.append([date, sha])
        reached = known is None or (parent == known if out else head == known)
        return steps, reached

    def changed_lines(self, rev: str, files: Sequence[Path]) -> dict[Path, set[int] | None]:
        """Lines added or changed since `rev` in the working tree, per file (resolved path).

        None for a file that is new since `rev` or not tracked: every line of it counts.
        Names come from `--name-only -z` (verbatim), never from the patch's `+++` lines,
        which git quotes, ends with a tab when they hold a space, or prefixes as the
        user's config says. Only modified files are read as a patch, where each file has
        exactly one `diff --git` header: the n-th header is the n-th name. A file added,
        turned into a link or unmerged since `rev` counts whole.
        """
        base = self.verify(rev)
        specs = [str(Path(f).resolve()) for f in files]
        modified = ("--no-renames", "--diff-filter=M", base, "--", *specs)
        names = self._names("diff", "--name-only", "-z", *modified)
        patch = self.git.run("diff", *DIFF_OPTIONS, "-U0", *modified)
        changed: dict[Path, set[int] | None] = {}
        current: set[int] = set()
        headers = 0
        for line in patch.split("\n"):  # not splitlines: U+2028 in a line is no break
            if line.startswith("diff --git "):
                if headers >= len(names):
                    raise BpmError("git diff's patch holds more files than it listed")
                current = changed[(self.root / names[headers]).resolve()] = set()
                headers += 1
            elif line.startswith("@@"):
                hunk = _HUNK.match(line)
                if hunk:
                    first, count = int(hunk.group(1)), int(hunk.group(2) or 1)
                    current.update(range(first, first + count))
        whole = ("--no-renames", "--diff-filter=ATU", base, "--", *specs)
        untracked = self._names("ls-files", "--others", "--exclude-standard", "-z", "--", *specs)
        for name in untracked + self._names("diff", "--name-only", "-z", *whole):
            changed[(self.root / name).resolve()] = None
        return changed

    def names_ever(self, path: Path) -> set[str]:
        """Every repository path that may be `path` in history: where git places it now;
        any path of the same file name in HEAD's history (git may place it wrongly: with
        `GIT_DIR` set and no work tree, git takes the current folder for the root); and
        the source of a rename staged but not committed (`git mv`)."""
        names = {self.relative(path)}
        pattern = ":(top,glob)**/" + re.sub(r"([*?\[\\])", r"\\\1", path.name)
        names.update(self._names("log", "--format=", "--name-only", "-z", "HEAD", "--", pattern))
        staged = self._names("diff", "--cached", "-M", "--name-status", "-z", "HEAD", "--")
        at = 0
        while at < len(staged):  # `STATUS NUL path`, or `R<score> NUL old NUL new`
            if staged[at][:1] in ("R", "C") and at + 2 < len(staged):
                if staged[at + 2] in names:
                    names.add(staged[at + 1])
                at += 3
            else:
                at += 2
        return {name for name in names if not name.startswith("../")}

    def _names(self, *args: str) -> list[str]:
        """The NUL-separated paths git prints with `-z`, as they are (repository-relative)."""
        listing = self.git.output(*args)
        return [name.decode("utf-8", "surrogateescape") for name in listing.split(b"\0") if name]


def action_numbers_ever(path: Path) -> set[int]:
    """The numbers of every action id (A1, A2, ...) the file has ever held in git history.

    Empty outside a repository, for a file git does not know, or without git at all: ids
    are then unique only against the file itself (`bpm action add` works without git). A
    repository git refuses to read (dubious ownership, a broken config) is an error: ids
    read from nothing would be reused.
    """
    try:
        repository = Repository.find(path.resolve().parent, "bpm action add")
    except GitMissing:
        return set()
    if repository is None or not repository.has_commits():
        return set()
    numbers: set[int] = set()
    for name in sorted(repository.names_ever(path)):
        log = repository.git.output(
            "log", "-p", "--follow", *DIFF_OPTIONS, "--format=", "--", f":(top,literal){name}"
        )
        numbers |= {int(n) for n in _ACTION_ID.findall(log.decode("utf-8", "replace"))}
    return numbers


@dataclass(frozen=True)
class Finished:
    exit_code: int
    output: str  # stdout, then stderr


def run_bpm(args: Sequence[str], cwd: Path, env: Mapping[str, str]) -> Finished:
    """bpm itself as a separate process, exactly as a user would type it (the demo)."""
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "bpmcli", *args],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    return Finished(done.returncode, done.stdout + done.stderr)
