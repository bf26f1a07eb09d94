"""Where the CPU-bound work runs: a pool of worker processes, off the event loop.

Each worker compiles the schemas and rules once (``tasks.init_worker``) and keeps its own
validator, so no compiled object is ever shared between threads. Workers are started by a
fork server (never forked from the threaded server process). A worker that dies (out of
memory, a crash in a C library) fails only its request, with a 503, and the pool is rebuilt.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any, TypeVar

from interop.serve import tasks
from interop.serve.problems import Problem

T = TypeVar("T")


class Engine:
    """Runs tasks in ``jobs`` worker processes (or threads, for tests)."""

    def __init__(self, jobs: int, max_bytes: int, *, threads: bool = False) -> None:
        self.jobs = jobs
        self.max_bytes = max_bytes
        self.threads = threads
        self._pool: Executor | None = None

    def _new_pool(self) -> Executor:
        if self.threads:
            return ThreadPoolExecutor(
                self.jobs, "interop-engine", tasks.init_worker, (self.max_bytes,)
            )
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["interop.serve.tasks"])
        return ProcessPoolExecutor(
            self.jobs, context, initializer=tasks.init_worker, initargs=(self.max_bytes,)
        )

    async def start(self) -> None:
        """Start the workers and wait until each has compiled what it needs."""
        if self._pool is None:
            self._pool = self._new_pool()
        await asyncio.gather(*(self.run(tasks.ping) for _ in range(self.jobs)))

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in a worker.

        Raises:
            Problem: 503 when the worker died doing it (the pool is rebuilt for what follows).
        """
        if self._pool is None:
            self._pool = self._new_pool()
        pool = self._pool
        try:
            return await asyncio.get_running_loop().run_in_executor(pool, partial(function, *args))
        except BrokenProcessPool:
            if self._pool is pool:
                self._pool = self._new_pool()
                pool.shutdown(wait=False, cancel_futures=True)
            raise Problem(503, "a worker stopped while doing this; try again") from None

    async def call(self, function: Callable[..., T | tasks.Failure], *args: Any) -> T:
        """Like :meth:`run`, turning a task's :class:`~tasks.Failure` into a problem answer."""
        result = await self.run(function, *args)
        if isinstance(result, tasks.Failure):
            raise Problem(result.status, result.detail, **result.extra)
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
