"""The engine: work in worker processes, two lanes, and a dead worker costs one request."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from interop.serve import tasks
from interop.serve.engine import NICENESS, Engine, Lane
from interop.serve.problems import Problem
from tests.serve.conftest import SUMMONS


@pytest.mark.slow
def test_processes_validate_and_survive_a_dead_worker() -> None:
    async def scenario() -> None:
        engine = Engine(1, 50 * 1024 * 1024)
        try:
            await engine.start()
            quick = await engine.run(tasks.ping, lane=Lane.QUICK)
            slow = await engine.run(tasks.ping)
            assert len({quick, slow, os.getpid()}) == 3  # two workers, neither this process
            # A PDF yields the cores to a validation: the slow lane runs at a lower priority.
            here = os.nice(0)
            assert await engine.run(os.nice, 0, lane=Lane.QUICK) == here
            assert await engine.run(os.nice, 0) == min(here + NICENESS[Lane.SLOW], 19) > here
            with pytest.raises(Problem) as died:
                await engine.run(os._exit, 3)  # a worker killed mid-request
            assert died.value.status == 503
            assert await engine.run(tasks.ping) not in (slow, os.getpid())  # a new pool
            report = await engine.call(
                tasks.validate, SUMMONS.read_bytes(), "s.xml", None, lane=Lane.QUICK
            )
            assert report["summary"]["valid"] == 1
        finally:
            engine.close()

    asyncio.run(scenario())


@pytest.mark.slow
def test_work_that_takes_too_long_is_stopped() -> None:
    async def scenario() -> None:
        engine = Engine(1, 50 * 1024 * 1024, timeout=1.0)
        try:
            before = await engine.run(tasks.ping)
            with pytest.raises(Problem) as stopped:
                await engine.run(time.sleep, 30)
            assert stopped.value.status == 503
            assert stopped.value.detail == "the work took longer than 1 s and was stopped"
            assert await engine.run(tasks.ping) != before  # a fresh worker
        finally:
            engine.close()

    started = time.monotonic()
    asyncio.run(scenario())
    assert time.monotonic() - started < 20  # the sleeping worker did not hold anything up


def test_a_failure_becomes_a_problem(engine: Engine) -> None:
    async def scenario() -> None:
        with pytest.raises(Problem) as refused:
            await engine.call(tasks.validate, b"<a>", "a.xml", None, lane=Lane.QUICK)
        assert refused.value.status == 400
        assert refused.value.detail.startswith("a.xml:1:")
        assert refused.value.extra["report"]["summary"]["files"] == 1

    asyncio.run(scenario())
