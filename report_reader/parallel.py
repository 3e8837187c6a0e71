"""Work spread over processes: `fork_map` for one pass over many items (term files), `Workers` for
per-report work in two phases (analyse, then render what was analysed). Workers are forked, so they
inherit what was loaded before (the terms) instead of having it pickled; small sites, and platforms
without fork, run in-process through the same calls. Results come back in input order, so the
output does not depend on the number of workers."""

from __future__ import annotations

import gc
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves (forking, importing nothing, pickling back).
MIN_ITEMS = 8

_task: tuple[Callable, Any] | None = None  # what the forked workers run, set just before forking


def _can_fork() -> bool:
    # multiprocessing is imported only when processes are started: a small site never needs it.
    import multiprocessing
    return "fork" in multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_map(fn: Callable[[Any, T], R], state: Any, items: Sequence[T], jobs: int,
             min_items: int = MIN_ITEMS) -> list[R]:
    """[fn(state, item) for item in items], in `jobs` processes when that pays: `min_items` items
    or more (lower it for costly items, raise it for cheap ones). `state` reaches the workers by
    fork (copy-on-write), not by pickling; only items and results are pickled."""
    if jobs <= 1 or len(items) < min_items or not _can_fork():
        return [fn(state, item) for item in items]
    import multiprocessing
    global _task
    _task = (fn, state)
    # Objects alive now are never collected by the workers' GC, which would otherwise touch (and so
    # copy) every page of the inherited heap.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            # Small chunks: items differ tenfold in cost (a district report and a province's), and one
            # large chunk left to the end keeps a worker busy while the others wait.
            return pool.map(_run, items, chunksize=max(1, len(items) // (jobs * 32)))
    finally:
        _task = None
        gc.unfreeze()


def _run(item):
    fn, state = _task
    return fn(state, item)


class Workers:
    """`jobs` forked processes that keep what they compute between calls, so a report analysed by a
    worker is later rendered by the same worker (`map` with owners): its occurrences never cross to
    another process, and nobody renders from objects inherited from the main process (on the VMs we
    measured, writing to inherited pages costs a copy-on-write fault each, a sixth of the render
    time). `fn(state, local, item)` runs in a worker: `state` is inherited by fork, `local` is that
    worker's own state, made by `local()` when it starts. With one job, or without fork, everything runs in this process, through the
    same calls."""

    IN_FLIGHT = 2  # items sent ahead to each worker, so it never waits for the next

    def __init__(self, jobs: int, state: Any, min_items: int = MIN_ITEMS, items: int | None = None,
                 local: Callable[[], Any] = dict):
        self.state = state
        self._local = local()
        self.placed: list[int] = []  # the worker each item of the last map ran on
        self._conns: list = []
        self._procs: list = []
        wanted = jobs > 1 and (items is None or items >= min_items) and _can_fork()
        if not wanted:
            return
        import multiprocessing
        context = multiprocessing.get_context("fork")
        gc.freeze()  # see fork_map: inherited objects are never scanned, so their pages stay shared
        try:
            for _ in range(jobs):
                mine, theirs = context.Pipe()
                proc = context.Process(target=_serve, args=(theirs, state, local), daemon=True)
                proc.start()
                theirs.close()
                self._conns.append(mine)
                self._procs.append(proc)
        finally:
            gc.unfreeze()

    @property
    def local(self) -> Any:
        """What the calls kept, when they ran in this process (as made, when workers ran them)."""
        return self._local

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close(failed=exc[0] is not None)

    def close(self, failed: bool = False) -> None:
        for conn, proc in zip(self._conns, self._procs):
            if not failed:
                try:
                    conn.send(None)
                except OSError:
                    pass
            conn.close()
        for proc in self._procs:
            proc.join(timeout=None if not failed else 1)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        self._conns, self._procs = [], []

    def map(self, fn: Callable, items: Sequence, owners: Sequence[int] | None = None,
            meanwhile: Iterable[Callable[[], None]] = ()) -> list:
        """[fn(state, local, item) for item in items], results in input order; `placed` then tells
        which worker ran each item. Each item goes to whichever worker is free; with `owners` (a
        worker number per item, as an earlier `placed`), a worker is sent its own items first, and
        once it has none left, the last unsent item of the worker with the most left: `fn` must then
        cope with an item whose earlier work was done elsewhere. While it waits, this process runs
        the steps of `meanwhile`, one at a time. A worker's error, or a step's, is raised once every
        worker has answered."""
        steps = iter(meanwhile)
        if not self._procs:
            return self._map_here(fn, items, steps)
        workers = len(self._conns)
        # Unsent items, per worker when they have owners, else in one queue (taken from the front).
        unsent = [deque(i for i in range(len(items)) if owners[i] == w) for w in range(workers)] \
            if owners is not None else [deque(range(len(items)))]
        results: list = [None] * len(items)
        placed: list[int] = [0] * len(items)
        queued: list[list[int]] = [[] for _ in range(workers)]
        error: BaseException | None = None

        def feed(w: int) -> None:
            while error is None and len(queued[w]) < self.IN_FLIGHT:
                index = _next_item(unsent, owners is not None, w)
                if index is None:
                    return
                self._conns[w].send((fn, items[index]))
                queued[w].append(index)
                placed[index] = w

        from multiprocessing.connection import wait
        number = {conn: w for w, conn in enumerate(self._conns)}
        for w in range(workers):
            feed(w)
        step = next(steps, None)
        while any(queued):
            waiting = [self._conns[w] for w in range(workers) if queued[w]]
            for conn in wait(waiting, timeout=0 if step is not None else None):
                w = number[conn]
                ok, value = self._receive(conn)
                index = queued[w].pop(0)
                if ok:
                    results[index] = value
                elif error is None:
                    error = value
                feed(w)
            if step is not None:
                error = _run_step(step, error)
                step = next(steps, None) if error is None else None
        while step is not None:  # the workers finished first
            error = _run_step(step, error)
            step = next(steps, None) if error is None else None
        self.placed = placed
        if error is not None:
            raise error
        return results

    def _map_here(self, fn: Callable, items: Sequence, steps) -> list:
        results = [fn(self.state, self._local, item) for item in items]
        self.placed = [0] * len(items)
        for step in steps:
            step()
        return results

    @property
    def forked(self) -> bool:
        """Whether the work runs in worker processes (else in this one)."""
        return bool(self._procs)

    def each(self, fn: Callable, arg: Any) -> list:
        """fn(state, local, arg) once in every worker (in this process when there are none); one
        result per worker. Errors are raised once all answered."""
        if not self._procs:
            return [fn(self.state, self._local, arg)]
        for conn in self._conns:
            conn.send((fn, arg))
        replies = [self._receive(conn) for conn in self._conns]
        error = next((value for ok, value in replies if not ok), None)
        if error is not None:
            raise error
        return [value for _, value in replies]

    def _receive(self, conn) -> tuple[bool, Any]:
        try:
            return conn.recv()
        except EOFError:
            raise RuntimeError("a worker process died (out of memory, or killed); nothing was written") from None


def _next_item(unsent: list[deque], owned: bool, w: int) -> int | None:
    """The next item for worker `w`: its own first; then the last unsent one of the worker with the
    most left (or the front of the one queue, when items have no owners)."""
    if not owned:
        return unsent[0].popleft() if unsent[0] else None
    if unsent[w]:
        return unsent[w].popleft()
    most = max(unsent, key=len)
    return most.pop() if most else None


def _run_step(step: Callable[[], None], error: BaseException | None) -> BaseException | None:
    """One step of this process's own work, unless something failed already; what failed, if any."""
    if error is not None:
        return error
    try:
        step()
    except BaseException as exc:
        return exc
    return None


def _serve(conn, state, make_local: Callable[[], Any]) -> None:
    """A worker's loop: run each (fn, item) it is sent, keep `local` between them, stop on None."""
    import pickle
    import traceback

    local = make_local()
    while True:
        try:
            message = conn.recv()
        except EOFError:
            break
        if message is None:
            break
        fn, item = message
        try:
            reply = (True, fn(state, local, item))
        except BaseException as exc:  # sent back whole when it pickles; its text otherwise
            try:
                pickle.dumps(exc)
                reply = (False, exc)
            except Exception:
                reply = (False, RuntimeError("".join(traceback.format_exception(exc))))
        conn.send(reply)
    conn.close()
    # The worker ends here, without freeing what it built object by object: a large site's worker
    # holds hundreds of MB of small objects, and the build waited for them to be freed.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
