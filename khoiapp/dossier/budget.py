"""A worker process with its own memory and time budget, so one hostile file costs only its row.

:class:`BudgetedWorker` runs module-level functions in a separate process started with ``spawn``
(safe from a GUI process with threads, and the only start method on Windows). On POSIX the worker
limits its own address space with ``resource.setrlimit(RLIMIT_AS)`` before it runs anything, so
an allocation past the budget raises ``MemoryError`` there (or kills the worker), never the app.
Every call has a wall-clock budget: a worker that does not answer in time is killed and a new one
is started for the next call. Several workers can run side by side (one per core); each owns one
pipe and handles one call at a time.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import sys
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger(__name__)

__all__ = ["Budget", "BudgetExceeded", "BudgetedWorker"]


@dataclass(frozen=True)
class Budget:
    """Memory (bytes of address space, POSIX only) and wall-clock seconds for one call."""

    memory: int
    seconds: float


class BudgetExceeded(Exception):
    """A call ran out of memory or time (``kind`` is ``"memory"`` or ``"time"``), or its worker died."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _limit_memory(memory: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - no setrlimit; the time budget still holds
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def _serve(conn: Connection, memory: int) -> None:  # pragma: no cover - runs in the worker
    _limit_memory(memory)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        module, name, args, kwargs = msg
        try:
            fn = getattr(importlib.import_module(module), name)
            result = ("ok", fn(*args, **kwargs))
        except MemoryError:
            result = ("memory", None)
        except BaseException as exc:  # noqa: BLE001 - sent back to the caller, raised there
            try:
                import pickle

                pickle.dumps(exc)
                result = ("error", exc)
            except Exception:  # noqa: BLE001 - an exception that cannot travel: describe it
                result = ("error", RuntimeError(repr(exc)))
        try:
            conn.send(result)
        except MemoryError:
            conn.send(("memory", None))


class BudgetedWorker:
    """One worker process; :meth:`call` runs ``fn(*args, **kwargs)`` in it within ``budget``.

    Use as a context manager (or call :meth:`close`). Not thread-safe: one caller per worker.
    """

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self._ctx = multiprocessing.get_context("spawn")
        self._proc: Any = None
        self._conn: Connection | None = None

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_serve, args=(child, self.budget.memory), daemon=True)
        proc.start()
        child.close()
        self._proc, self._conn = proc, parent

    def _stop(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join(5)

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """The result of ``fn(*args, **kwargs)`` computed in the worker.

        ``fn`` must be a module-level function; arguments and result must pickle.

        Raises:
            BudgetExceeded: out of memory, out of time, or the worker died (it is restarted).
            Exception: whatever ``fn`` raised.
        """
        if self._proc is None or not self._proc.is_alive():
            self._stop()
            self._start()
        conn = self._conn
        assert conn is not None
        try:
            conn.send((fn.__module__, fn.__qualname__, args, kwargs))
            ready = conn.poll(self.budget.seconds)
            if not ready:
                log.info("worker over its time budget (%.0f s): stopped", self.budget.seconds)
                self._stop()
                raise BudgetExceeded("time")
            status, value = conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            code = self._proc.exitcode if self._proc is not None else None
            log.info("worker died (exit code %s)", code)
            self._stop()
            raise BudgetExceeded("memory") from None
        if status == "memory":
            self._stop()  # a worker that hit its limit may be in a bad state: start afresh
            raise BudgetExceeded("memory")
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        if self._conn is not None and self._proc is not None and self._proc.is_alive():
            try:
                self._conn.send(None)
            except OSError:
                pass
            self._proc.join(2)
        self._stop()

    def __enter__(self) -> BudgetedWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
