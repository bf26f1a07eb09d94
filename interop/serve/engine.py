"""Where the CPU-bound work runs: pools of worker processes, off the event loop.

Two lanes, each a pool of ``jobs`` workers: a quick one for validation (milliseconds) and one for
everything that makes a document (rendering, PDF, conversion, translation: up to seconds), so
that a clerk's PDF never makes a connector's validation wait behind it. Each worker compiles
the schemas and rules once (``tasks.init_worker``) and keeps its own validator, so no compiled
object is ever shared between threads. Workers are started by a fork server (never forked from
the threaded server process). A worker that dies (out of memory, a crash in a C library) fails
only its request, with a 503, and its pool is rebuilt.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from enum import StrEnum
from functools import partial
from typing import Any, Final, TypeVar

from interop.serve import tasks
from interop.serve.problems import Problem

T = TypeVar("T")


class Lane(StrEnum):
    """Which pool a task runs in."""

    QUICK = "quick"  # validation
    SLOW = "slow"  # everything that produces a document


# The slow lane's processes run at a lower CPU priority: when both lanes want the cores, a
# validation (a connector waiting, milliseconds of work) goes before a PDF (a clerk, seconds).
# Nice 10 gives a busy slow lane a tenth of a core's share against the quick one (nice 5:
# a third); measured with benchmarks/serve_load.py, validation p95 fell from 63-88 ms to
# 35-48 ms, and rendering did not get slower (the renders no longer crowd the loop either).
NICENESS: Final = {Lane.QUICK: 0, Lane.SLOW: 10}


class Engine:
    """Runs tasks in ``jobs`` worker processes per lane (or threads, for tests)."""

    def __init__(
        self, jobs: int, max_bytes: int, *, threads: bool = False, timeout: float = 600.0
    ) -> None:
        self.jobs = jobs
        self.max_bytes = max_bytes
        self.threads = threads
        self.timeout = timeout
        self._pools: dict[Lane, Executor] = {}

    def _new_pool(self, lane: Lane) -> Executor:
        if self.threads:
            return ThreadPoolExecutor(
                self.jobs, f"interop-{lane}", tasks.init_worker, (self.max_bytes,)
            )
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["interop.serve.tasks"])
        return ProcessPoolExecutor(
            self.jobs,
            context,
            initializer=tasks.init_worker,
            initargs=(self.max_bytes, NICENESS[lane]),
        )

    def _pool(self, lane: Lane) -> Executor:
        pool = self._pools.get(lane)
        if pool is None:
            pool = self._pools[lane] = self._new_pool(lane)
        return pool

    async def start(self) -> None:
        """Start the workers of both lanes and wait until each has compiled what it needs."""
        await self.ping()

    async def ping(self) -> None:
        """Ask every worker of both lanes (as far as the pools spread the pings)."""
        await asyncio.gather(
            *(self.run(tasks.ping, lane=lane) for lane in Lane for _ in range(self.jobs))
        )

    async def run(self, function: Callable[..., T], *args: Any, lane: Lane = Lane.SLOW) -> T:
        """``function(*args)`` in a worker of ``lane``, for at most ``timeout`` seconds.

        Raises:
            Problem: 503 when the worker died doing it, or took too long (its pool is stopped,
                which fails the other requests it was doing, and rebuilt for what follows).
        """
        pool = self._pool(lane)
        work = asyncio.get_running_loop().run_in_executor(pool, partial(function, *args))
        try:
            return await asyncio.wait_for(work, self.timeout)
        except TimeoutError:
            self._discard(lane, pool, kill=True)
            detail = f"the work took longer than {self.timeout:g} s and was stopped"
            raise Problem(503, detail) from None
        except BrokenProcessPool:
            self._discard(lane, pool)
            raise Problem(503, "a worker stopped while doing this; try again") from None

    def _discard(self, lane: Lane, pool: Executor, *, kill: bool = False) -> None:
        if self._pools.get(lane) is pool:
            del self._pools[lane]
        if kill:
            # A task cannot be cancelled inside a worker; its process is stopped instead.
            # ProcessPoolExecutor has no public way to do that before Python 3.14.
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    async def call(
        self, function: Callable[..., T | tasks.Failure], *args: Any, lane: Lane = Lane.SLOW
    ) -> T:
        """Like :meth:`run`, turning a task's :class:`~tasks.Failure` into a problem answer."""
        result = await self.run(function, *args, lane=lane)
        if isinstance(result, tasks.Failure):
            raise Problem(result.status, result.detail, **result.extra)
        return result

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        self._pools.clear()
