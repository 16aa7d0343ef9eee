"""Where postmortems live, and writing them safely.

Every write goes through `atomic_write` (temp file in the same folder, fsync, rename) so
that a crash leaves the old file or the new one, never a mix; edits of an existing file
hold `locked` so that two bpm processes editing one file at once both land.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from bpmcli.config import Config
from bpmcli.errors import BpmError, PostmortemError, UsageError, relative_to_cwd

SUFFIX = ".md"


def iter_postmortems(config: Config) -> list[Path]:
    """Every `.md` file under the postmortem folder, sorted by path; hidden folders skipped."""
    root = os.path.realpath(config.root)
    top = os.path.realpath(config.postmortem_dir)
    if top != root and not top.startswith(root + os.sep):
        raise UsageError(
            f"the postmortem folder {config.dir!r} leads outside the project (a symbolic link?)"
        )
    found: list[str] = []
    stack = [str(config.postmortem_dir)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        except PermissionError as exc:
            raise BpmError("cannot list folder: permission denied", folder) from exc
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.name.endswith(SUFFIX) and _readable_inside(entry, root):
                found.append(entry.path)
    return [Path(name) for name in sorted(found)]


def _readable_inside(entry: os.DirEntry[str], root: str) -> bool:
    """A regular file (a FIFO would block a read forever) that stays inside the project.

    Repositories come from strangers: a link to a file outside must not make bpm read it.
    """
    if entry.is_symlink():
        target = os.path.realpath(entry.path)
        return target.startswith(root + os.sep) and Path(target).is_file()
    return entry.is_file(follow_symlinks=False)


def resolve(config: Config, ref: str) -> Path:
    """The postmortem that `ref` names: a path, an id, or a unique prefix of an id."""
    as_path = Path(ref)
    if as_path.suffix == SUFFIX or os.sep in ref or "/" in ref:
        if as_path.is_file():
            return as_path
        raise UsageError(f"no such file: {ref}")
    candidates = iter_postmortems(config)
    exact = [p for p in candidates if p.stem == ref]
    matches = exact or [p for p in candidates if p.stem.startswith(ref)]
    if not matches:
        raise UsageError(f"no postmortem matches {ref!r} in {display(config.postmortem_dir)}")
    if len(matches) > 1:
        names = ", ".join(p.stem for p in matches[:5]) + (", ..." if len(matches) > 5 else "")
        raise UsageError(f"{ref!r} matches {len(matches)} postmortems: {names}")
    return matches[0]


def display(path: Path) -> str:
    """`path` relative to the working folder when it is inside it, as users typed it."""
    return relative_to_cwd(path)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise PostmortemError("no such file", display(path)) from exc
    except IsADirectoryError as exc:
        raise PostmortemError("is a folder, not a file", display(path)) from exc
    except OSError as exc:
        raise PostmortemError(f"cannot read: {exc.strerror}", display(path)) from exc


def _refuse_links(path: Path) -> None:
    if path.is_symlink():
        raise PostmortemError("is a symbolic link; bpm does not write through links", display(path))


def _temp_beside(path: Path, data: bytes, mode: int) -> Path:
    """A fully written, fsynced temp file beside `path`: same file system, so rename is atomic."""
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(mode)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _write_error(path, exc) from exc
    return temp


def _write_error(path: Path, exc: OSError) -> BpmError:
    if exc.errno == errno.ENOSPC:
        reason = "no space left on device"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "permission denied"
    else:
        reason = exc.strerror or str(exc)
    return PostmortemError(f"cannot write: {reason}; the file was not changed", display(path))


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step: readers see the old file or the new one."""
    _refuse_links(path)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    temp = _temp_beside(path, data, mode)
    try:
        temp.replace(path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _write_error(path, exc) from exc
    _fsync_folder(path.parent)


def create_exclusive(path: Path, data: bytes) -> bool:
    """Create `path` holding `data` in one step; False (and nothing written) if it exists."""
    temp = _temp_beside(path, data, 0o644)
    try:
        os.link(temp, path)  # link() fails if the target exists: no check-then-write race
    except FileExistsError:
        return False
    except OSError as exc:
        raise _write_error(path, exc) from exc
    finally:
        temp.unlink(missing_ok=True)
    _fsync_folder(path.parent)
    return True


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for a read-modify-write of `path`.

    The lock is taken on the folder, not the file: the file's inode changes at every atomic
    replace, so a lock on it would not exclude the next writer.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic replace still holds
        yield
        return
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def rewrite(path: Path, transform: Callable[[bytes], bytes]) -> bytes:
    """Replace the file's bytes with `transform(old)`, under the lock, in one atomic write.

    Returns the old bytes. Nothing is written when the transform changes nothing or raises.
    """
    _refuse_links(path)  # before reading: a link may lead outside the project
    with locked(path):
        old = read_bytes(path)
        new = transform(old)
        if new != old:
            atomic_write(path, new)
    return old
