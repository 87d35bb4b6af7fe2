"""Running slow work off the GUI thread, with progress and Cancel (one helper, one way)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from khoiapp.errors import Cancelled

ProgressFn = Callable[[int, int], None]
IsCancelledFn = Callable[[], bool]
TaskFn = Callable[[ProgressFn, IsCancelledFn], Any]

DIALOG_DELAY_MS = 500

_write_pool: QThreadPool | None = None
_pool_override: Any = None
_active: set[Task] = set()


def write_pool() -> QThreadPool:
    """The pool for work that writes the document: one thread, since SQLite has one writer."""
    global _write_pool
    if _pool_override is not None:
        return _pool_override
    if _write_pool is None:
        _write_pool = QThreadPool()
        _write_pool.setMaxThreadCount(1)
    return _write_pool


def set_pool_override(pool: Any) -> None:
    """Tests: run every task on ``pool`` (e.g. :class:`SyncPool`); ``None`` restores the default."""
    global _pool_override
    _pool_override = pool


class SyncPool:
    """A stand-in pool that runs each task at once on the calling thread (for tests)."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()

    def waitForDone(self, msecs: int = -1) -> bool:  # noqa: N802 - mirrors QThreadPool
        return True


class _Relay(QObject):
    """Carries the worker's results to the GUI thread (queued, since it lives there)."""

    progressed = Signal(int, int)
    done = Signal(object)
    error = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: TaskFn, relay: _Relay, is_cancelled: IsCancelledFn) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay
        self._is_cancelled = is_cancelled

    def run(self) -> None:
        try:
            result = self._fn(self._relay.progressed.emit, self._is_cancelled)
        except BaseException as exc:  # noqa: BLE001 - the boundary: every failure goes to the GUI
            self._relay.error.emit(exc)
        else:
            self._relay.done.emit(result)


class Task(QObject):
    """One running piece of work. Signals arrive on the GUI thread; ``finished`` fires last."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, title: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.result: Any = None
        self.error: BaseException | None = None
        self.running = True
        self._cancelled = False
        self.dialog: QProgressDialog | None = None

    def cancel(self) -> None:
        self._cancelled = True

    def is_cancelled(self) -> bool:
        return self._cancelled

    @property
    def cancelled(self) -> bool:
        return self._cancelled


def active_tasks() -> list[Task]:
    """Tasks still running (the window asks before closing while any runs)."""
    return [t for t in _active if t.running]


def cancel_all(msecs: int = -1) -> bool:
    """Cancel every running task and wait for the pool to stop (the document is closing).

    Results still arrive later on the GUI thread as usual (queued): nothing is delivered here.
    """
    for task in active_tasks():
        task.cancel()
    return bool(write_pool().waitForDone(msecs))


def wait_for_all(msecs: int = -1) -> bool:
    """Block until queued work is done, then deliver its results (used when closing)."""
    pool = write_pool()
    ok = bool(pool.waitForDone(msecs))
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
    return ok


def run_task(
    parent: QWidget | None,
    fn: TaskFn,
    *,
    title: str,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    cancellable: bool = True,
    pool: Any = None,
    show_dialog: bool = True,
) -> Task:
    """Run ``fn(progress, is_cancelled)`` on a pool; ``on_done(result)`` or the error on the GUI thread.

    A progress dialog appears only if the work still runs after ~0.5 s, and never with
    ``show_dialog=False`` (the caller shows progress and Cancel itself, through ``task.progress``
    and ``task.cancel()``). Cancel makes ``is_cancelled()`` true; the core then raises
    ``Cancelled``, which shows nothing.
    Unless ``on_error`` is given, errors go to :func:`ui.errors.show_error`.
    """
    task = Task(title)
    relay = _Relay()
    task._relay = relay  # type: ignore[attr-defined]  # keep alive with the task
    _active.add(task)

    def _close_dialog() -> None:
        if task.dialog is not None:
            task.dialog.reset()
            task.dialog.hide()
            task.dialog.deleteLater()
            task.dialog = None

    def _on_progress(done: int, total: int) -> None:
        task.progress.emit(done, total)
        if task.dialog is not None:
            task.dialog.setMaximum(max(total, 0))
            task.dialog.setValue(min(done, total) if total > 0 else 0)

    def _finish() -> None:
        task.running = False
        _close_dialog()
        _active.discard(task)

    def _on_done(result: object) -> None:
        task.result = result
        _finish()
        try:
            # Finished although Cancel was pressed (too late to stop): the work is done and saved,
            # so deliver it; the views must show what the document holds.
            task.succeeded.emit(result)
            on_done(result)
        finally:
            task.finished.emit()

    def _on_error(exc: object) -> None:
        assert isinstance(exc, BaseException)
        task.error = exc
        _finish()
        try:
            task.failed.emit(exc)
            if isinstance(exc, Cancelled):
                return
            if on_error is not None:
                on_error(exc)
            else:
                from ui.errors import show_error

                show_error(parent, exc)
        finally:
            task.finished.emit()

    relay.progressed.connect(_on_progress)  # queued from a worker, direct on SyncPool
    relay.done.connect(_on_done)  # queued from a worker, direct on SyncPool
    relay.error.connect(_on_error)  # queued from a worker, direct on SyncPool

    def _show_dialog() -> None:
        if not task.running or task.dialog is not None:
            return
        dlg = QProgressDialog(parent)
        dlg.setWindowTitle(title)
        dlg.setLabelText(title)
        dlg.setRange(0, 0)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        if cancellable:
            dlg.setCancelButtonText(QCoreApplication.translate("tasks", "Hủy"))
            dlg.canceled.connect(task.cancel)
        else:
            dlg.setCancelButton(None)
        task.dialog = dlg
        dlg.show()

    runnable = _Runnable(fn, relay, task.is_cancelled)
    (pool if pool is not None else write_pool()).start(runnable)
    if task.running and show_dialog:
        QTimer.singleShot(DIALOG_DELAY_MS, task, _show_dialog)
    return task
