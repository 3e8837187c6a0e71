"""Per-report work spread over processes. A site of hundreds of reports is analysed and written by
`jobs` forked workers, which inherit the loaded terms and the built site instead of having them
pickled; small sites, and platforms without fork, run in-process. Results come back in input order,
so the output does not depend on the number of workers."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves (forking, importing nothing, pickling back).
MIN_ITEMS = 8

_task: tuple[Callable, Any] | None = None  # what the forked workers run, set just before forking


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
    if jobs <= 1 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(state, item) for item in items]
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
