"""Bounds on the work one input may cost: a time limit that really stops it, and a notice
when it is slow.

The time limit is a SIGALRM timer, so it stops Python code (an extractor's loops, an
analyser's) wherever it is; a single long call into C (a regular expression, a parse)
ends first. It works in a process's main thread, which is where the CLI and every worker
process run documents; elsewhere (a web server's thread) only the notice is given, and
the caller bounds the work its own way.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """The work took longer than its limit. A BaseException, so that the ``except
    Exception`` of a library it interrupts cannot swallow it."""


def can_interrupt() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(
    seconds: float | None,
    what: str,
    *,
    slow_after: float | None = None,
    on_slow: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Raise `TimeLimitExceeded` inside the block once ``seconds`` have passed (None or 0:
    no limit); call ``on_slow(message)`` once after ``slow_after`` seconds."""
    notice = None
    if slow_after and on_slow is not None:
        notice = threading.Timer(
            slow_after, on_slow, [f"{what}: still working after {slow_after:g} s"]
        )
        notice.daemon = True
        notice.start()
    armed = bool(seconds) and can_interrupt()
    previous = None
    if armed:

        def expire(signum: int, frame: object) -> None:
            raise TimeLimitExceeded(f"{what} took over {seconds:g} s")

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if notice is not None:
            notice.cancel()
