"""Analyses for the web server in worker processes that can be stopped.

A thread cannot be stopped: an analysis that passes the time limit in one keeps its CPU
and its slot until it ends on its own, and two long texts could lock out every other
client for minutes. A worker process can: past the limit it is killed and a fresh one
takes its place, so the slot is free again within the time a worker needs to load the
models. Workers fork from a process that has loaded the models, so a replacement is
ready in well under a second.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import queue
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


def _context() -> Any:
    """Workers fork from a fork server that has loaded the models (`proplens.web.preload`):
    never from the threaded server itself, and without loading the models again each time
    (a spawned worker needs 3-8 s; a forked one well under one). Where there is no fork
    server (not POSIX), workers are spawned."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(["proplens.web.preload"])
    return context


class WorkerPool:
    """``size`` worker processes; `analyse` waits for a free one, at most ``limit_s`` plus
    the time a worker needs to start.

    The idle workers wait in a thread-safe queue and replacements start on threads, not on
    an event loop, so the pool serves whatever loop calls it (a test client runs one per
    request)."""

    def __init__(self, size: int, limit_s: float) -> None:
        self.size, self.limit_s = size, limit_s
        self._context = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._started = False
        self._failure: str | None = None

    def _ensure_started(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started, self._failure = True, None
        for _ in range(self.size):
            self._replace()

    async def start(self) -> None:
        """Start the workers now (a server does, so that its first analysis is quick)."""
        self._ensure_started()

    def _replace(self, old: _Worker | None = None) -> None:
        """Stop ``old`` and start a worker on a thread; it joins the idle queue once ready."""

        def run() -> None:
            if old is not None:
                old.stop()
                with self._lock:
                    if old in self._all:
                        self._all.remove(old)
            try:
                worker = _Worker(self._context)
                worker.wait_ready()
            except Exception as exc:  # told to every request until the pool is restarted
                self._failure = f"the analysis worker failed to start ({type(exc).__name__})"
                return
            with self._lock:
                if not self._started:  # closed meanwhile
                    worker.stop()
                    return
                self._all.append(worker)
            self._idle.put(worker)

        threading.Thread(target=run, name="proplens-worker-start", daemon=True).start()

    def _take(self) -> _Worker:
        deadline = self.limit_s + START_S
        while True:
            if self._failure:
                raise AnalysisFailed(self._failure)
            try:
                return self._idle.get(timeout=min(deadline, 1.0))
            except queue.Empty:
                deadline -= 1.0
                if deadline <= 0:
                    raise TimeoutError from None

    async def analyse(self, text: str, lang: str | None, doc_id: str) -> Analysis:
        """The analysis, or `TimeoutError` when no worker is free in time, `AnalysisTimeout`
        when it runs past the limit, `AnalysisFailed` when it raises."""
        self._ensure_started()
        worker = await asyncio.to_thread(self._take)
        try:
            worker.conn.send((text, lang, doc_id))
            ready = await asyncio.to_thread(worker.conn.poll, self.limit_s)
            if not ready:
                raise AnalysisTimeout(f"analysis took over {self.limit_s:g} s and was stopped")
            status, payload = await asyncio.to_thread(worker.conn.recv)
        except AnalysisTimeout:
            self._replace(worker)
            raise
        except (EOFError, OSError):
            self._replace(worker)
            raise AnalysisFailed("the analysis worker died") from None
        self._idle.put(worker)
        if status != "ok":
            raise AnalysisFailed(str(payload))
        assert isinstance(payload, Analysis)
        return payload

    def close(self) -> None:
        """Stop every worker; a later analysis starts the pool again."""
        with self._lock:
            workers, self._all, self._started = self._all, [], False
        while not self._idle.empty():
            self._idle.get_nowait()
        for worker in workers:
            worker.stop()
