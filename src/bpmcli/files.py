"""Reading and writing files safely (which files are postmortems: `store.workspace`).

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

from bpmcli.errors import BpmError, PostmortemError, relative_to_cwd


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
    except BaseException:  # Ctrl-C mid-write: no temp file left behind
        temp.unlink(missing_ok=True)
        raise
    return temp


# What `_temp_beside` names its files: `.` + the file's name + `.` + mkstemp's 8 characters
# + `.tmp`. Only a kill between creating one and renaming it leaves one behind.
_TEMP = r"\..+\.[a-z0-9_]{8}\.tmp"


def is_stale_temp(path: Path) -> bool:
    """Whether `path` is named as bpm's own temp files are (see `_temp_beside`)."""
    import re

    return re.fullmatch(_TEMP, path.name) is not None


def stale_temps(folder: Path) -> list[Path]:
    """bpm's temp files in `folder` (not below it): left by a write that was killed."""
    try:
        return sorted(p for p in folder.glob(".*.tmp") if is_stale_temp(p) and p.is_file())
    except OSError:
        return []


def stale_temps_below(root: Path) -> list[Path]:
    """bpm's temp files anywhere below `root`: one walk of the folders, reading names only
    (no stat per file: a lint of thousands of postmortems does this every run)."""
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            if name.startswith(".") and name.endswith(".tmp"):
                path = Path(folder, name)
                if is_stale_temp(path) and path.is_file():
                    found.append(path)
    return sorted(found)


def _remove_stale_temps(folder: Path) -> None:
    # Only under the folder's lock: every bpm write into a postmortem folder holds it, so
    # no temp file here belongs to a write still under way. Without flock (Windows) there
    # is no such lock, and nothing is removed.
    if os.name != "posix":  # pragma: no cover
        return
    for temp in stale_temps(folder):
        with contextlib.suppress(OSError):
            temp.unlink()


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
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def create_exclusive(path: Path, data: bytes) -> bool:
    """Create `path` holding `data` in one step; False (and nothing written) if it exists.

    Holds the folder's lock, as edits do: it clears the stale temp files there."""
    with locked(path):
        _remove_stale_temps(path.parent)
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
    try:
        fd = os.open(path.parent, os.O_RDONLY)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def rewrite(path: Path, transform: Callable[[bytes], bytes]) -> bytes:
    """Replace the file's bytes with `transform(old)`, under the lock, in one atomic write.

    Returns the old bytes. Nothing is written when the transform changes nothing or raises.
    Stale temp files of bpm's own in the folder are removed first (under the lock).
    """
    _refuse_links(path)  # before reading: a link may lead outside the project
    with locked(path):
        _remove_stale_temps(path.parent)
        old = read_bytes(path)
        new = transform(old)
        if new != old:
            atomic_write(path, new)
    return old
