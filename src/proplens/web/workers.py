"""Analyses for the web server in worker processes that can be stopped.

A thread cannot be stopped: an analysis that passes the time limit in one keeps its CPU
and its slot until it ends on its own, and two long texts could lock out every other
client for minutes. A worker process can: past the limit it is killed and a fresh one
takes its place, so the slot is free again within the time a worker needs to load the
models (about 2-3 s). Workers start on first use and load the models once.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import threading
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any

from proplens.analysis import Analysis

#: How long a request may wait for a worker beyond the analysis limit: a worker that
#: replaces a stopped one needs a few seconds to load the models.
START_S = 20.0


class AnalysisTimeout(RuntimeError):
    """The analysis passed the time limit; its worker was stopped."""


class AnalysisFailed(RuntimeError):
    """The analysis raised an error in its worker (the message says which)."""


def _serve(conn: Connection) -> None:
    """A worker's loop: load the models, then analyse what the server sends."""
    from threadpoolctl import threadpool_limits

    from proplens.api import analyse

    threadpool_limits(1)  # the workers share the cores; one BLAS thread each
    analyse("Warm up.", "en")
    analyse("Warm up: the language detector loads on first use.", None)
    conn.send(("ready", None))
    while True:
        try:
            text, lang, doc_id = conn.recv()
        except EOFError:
            return
        try:
            result = analyse(text, lang, id=doc_id)
            conn.send(("ok", replace(result, artifacts={})))
        except Exception as exc:  # the server reports it; the worker lives on
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, context: Any) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self) -> None:
        self.conn.recv()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes; `analyse` waits for a free one, at most ``limit_s``."""

    def __init__(self, size: int, limit_s: float) -> None:
        self.size, self.limit_s = size, limit_s
        self._context = mp.get_context("spawn")  # never fork a threaded server
        self._idle: asyncio.Queue[_Worker] | None = None
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._starting: set[asyncio.Task[None]] = set()

    def _start(self) -> _Worker:
        worker = _Worker(self._context)
        worker.wait_ready()
        with self._lock:
            self._all.append(worker)
        return worker

    async def _queue(self) -> asyncio.Queue[_Worker]:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for _ in range(self.size):
                self._replace()
        return self._idle

    def _replace(self, old: _Worker | None = None) -> None:
        """Start a worker in the background and hand it to the queue once it is ready."""
        loop = asyncio.get_running_loop()
        queue = self._idle
        assert queue is not None

        async def start() -> None:
            if old is not None:
                await asyncio.to_thread(old.stop)
                with self._lock:
                    if old in self._all:
                        self._all.remove(old)
            worker = await asyncio.to_thread(self._start)
            await queue.put(worker)

        task = loop.create_task(start())
        self._starting.add(task)  # a task nobody holds may be collected before it ends
        task.add_done_callback(self._starting.discard)

    async def analyse(self, text: str, lang: str | None, doc_id: str) -> Analysis:
        """The analysis, or `TimeoutError` when no worker is free within the limit,
        `AnalysisTimeout` when it runs past the limit, `AnalysisFailed` when it raises."""
        queue = await self._queue()
        worker = await asyncio.wait_for(queue.get(), timeout=self.limit_s + START_S)
        try:
            worker.conn.send((text, lang, doc_id))
            ready = await asyncio.to_thread(worker.conn.poll, self.limit_s)
            if not ready:
                raise AnalysisTimeout(f"analysis took over {self.limit_s:g} s and was stopped")
            status, payload = await asyncio.to_thread(worker.conn.recv)
        except AnalysisTimeout:
            self._replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise AnalysisFailed("the analysis worker died") from None
        await queue.put(worker)
        if status != "ok":
            raise AnalysisFailed(str(payload))
        assert isinstance(payload, Analysis)
        return payload

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.stop()
