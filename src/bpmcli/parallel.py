"""Work spread over the machine's cores: forked processes, in chunks, results in order."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from bpmcli.progress import Advance, nothing

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_chunks(
    work: Callable[[list[Item]], list[Result]],
    items: list[Item],
    minimum: int,
    jobs: int | None = None,
    advance: Advance = nothing,
) -> list[Result]:
    """`work` over `items` in forked processes (one result per item, in order); `advance`
    is told each chunk's size as its results come back.

    Fewer than `minimum` items, or one core, run here: starting processes costs more than
    it saves. Fork, not spawn, so the workers inherit what the parent imported and built.
    `work` must be a module-level function (or a partial of one): it is sent to the workers.
    """
    workers = jobs or min(os.cpu_count() or 1, 8)
    if workers < 2 or len(items) < minimum:
        done = work(items)
        advance(len(items))
        return done
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(16, len(items) // (workers * 4))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        results: list[Result] = []
        for chunk in pool.map(work, chunks):
            results += chunk
            advance(len(chunk))
        return results


def in_background(work: Callable[[], Result]) -> Callable[[], Result]:
    """Start `work` in a forked process now; the returned function waits for its result.

    For two independent pieces of a command (the site's follow-through numbers while its
    pages are gathered). The child inherits everything in memory, so nothing large is
    sent to it; its result (or its exception) comes back pickled through a pipe. On a
    single core, `work` simply runs first.
    """
    import pickle

    if (os.cpu_count() or 1) < 2:
        try:
            done = work()
        except Exception as exc:  # raised when the result is asked for, as with a child
            failure = exc

            def fail() -> Result:
                raise failure

            return fail
        return lambda: done
    reading, writing = os.pipe()
    parent = os.getpid()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child leaves through os._exit
        die_with_parent(parent)
        os.close(reading)
        try:
            payload = pickle.dumps((True, work()))
        except BaseException as exc:  # everything goes back to the parent, which decides
            payload = pickle.dumps((False, exc))
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(writing)

    def wait() -> Result:
        with os.fdopen(reading, "rb") as pipe:
            data = pipe.read()
        os.waitpid(child, 0)
        if not data:
            raise RuntimeError("the background process ended without a result")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    return wait


def die_with_parent(parent: int) -> None:
    """Make this worker end when `parent` does, however it ends (SIGKILL included).

    A pool's workers wait on a queue whose write end they hold themselves: killed, the
    parent leaves them waiting forever. On Linux the kernel sends SIGKILL when the parent
    dies (PR_SET_PDEATHSIG); elsewhere a thread checks who the parent is twice a second.
    """
    import sys

    if sys.platform.startswith("linux") and _kill_on_parent_death():
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)
        return
    import threading

    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _kill_on_parent_death() -> bool:
    import ctypes
    import signal

    pr_set_pdeathsig = 1  # <linux/prctl.h>
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
