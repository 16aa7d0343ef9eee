"""The one door to git: every git process bpm starts is started here."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from bpmcli.errors import BpmError, UsageError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def git(root: Path, *args: str, check: bool = True) -> str:
    """Run git in `root`; its stdout. BpmError with git's own words when it fails."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except FileNotFoundError as exc:
        raise UsageError("git is not installed (it is needed for this command)") from exc
    if check and done.returncode != 0:
        message = (
            done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed"
        )
        raise BpmError(f"git: {message}")
    return done.stdout


class CatFile:
    """One long-lived `git cat-file --batch`: objects by name, without a process each."""

    def __init__(self, root: Path):
        self.process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def read(self, name: str) -> tuple[bytes, bytes] | None:
        """(type, content) of `name` (a blob id, or `commit:path`); None when it is missing."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) < 3:
            return None
        return header[1], stdout.read(int(header[2]) + 1)[:-1]

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def repo_root(start: Path) -> Path:
    done = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise UsageError("not inside a git repository")
    return Path(done.stdout.strip())


def verify_revision(root: Path, rev: str) -> str:
    if rev.startswith("-"):
        raise UsageError(f"not a revision: {rev!r}")
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise UsageError(f"unknown revision {rev!r}")
    return done.stdout.strip()


def first_parent_steps(
    root: Path, head: str, known: str | None = None
) -> tuple[list[list[str]], bool]:
    """Where the first-parent line of `head` reaches a new earliest author date, newest first.

    Each step is [date, sha]: for any day D, the first commit met walking back from `head`
    whose author date is on or before D is the step with the latest date <= D. With `known`
    (an older head), only the commits after it are walked; the second value says whether
    that worked (`known` must be on the line), else the caller walks from scratch.
    """
    spec = [head, f"^{known}"] if known else [head]
    out = git(root, "log", "--first-parent", "--format=%H %P%x1f%ad", "--date=short", *spec)
    steps: list[list[str]] = []
    earliest = "9999-99-99"
    parent = None
    for line in out.splitlines():
        shas, _, date = line.partition("\x1f")
        sha, *parents = shas.split()
        parent = parents[0] if parents else None
        if date < earliest:
            earliest = date
            steps.append([date, sha])
    reached = known is None or (parent == known if out else head == known)
    return steps, reached


def changed_lines(start: Path, rev: str, files: Sequence[Path]) -> dict[Path, set[int] | None]:
    """Lines added or changed since `rev`, in the working tree, per file (resolved path).

    None for a file that is new since `rev` or not tracked: every line of it counts.
    """
    root = repo_root(start)
    base = verify_revision(root, rev)
    specs = [str(Path(f).resolve()) for f in files]
    changed: dict[Path, set[int] | None] = {}
    current: set[int] | None = None
    diff = git(
        root, "diff", "--no-color", "--no-ext-diff", "--no-renames", "-U0", base, "--", *specs
    )
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = set() if name != "/dev/null" else None
            if current is not None:
                changed[(root / name.removeprefix("b/")).resolve()] = current
        elif current is not None and line.startswith("@@"):
            hunk = _HUNK.match(line)
            if hunk:
                first, count = int(hunk.group(1)), int(hunk.group(2) or 1)
                current.update(range(first, first + count))
    untracked = git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *specs)
    for name in filter(None, untracked.split("\0")):
        changed[(root / name).resolve()] = None
    added = git(
        root, "diff", "--no-color", "--name-only", "--diff-filter=A", "-z", base, "--", *specs
    )
    for name in filter(None, added.split("\0")):
        changed[(root / name).resolve()] = None
    return changed


_ACTION_ID = re.compile(r"^[-+ ]\s*(?:-\s+)?id:\s*['\"]?A(\d+)\b", re.M)


def action_numbers_ever(path: Path) -> set[int]:
    """The numbers of every action id (A1, A2, ...) the file has ever held in git history.

    Empty outside a repository or for a file git does not know: ids are then unique only
    against the file itself.
    """
    folder = path.resolve().parent
    done = subprocess.run(
        ["git", "log", "-p", "--follow", "--format=", "--", path.resolve().name],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    if done.returncode != 0:
        return set()
    return {int(number) for number in _ACTION_ID.findall(done.stdout)}
