"""The one owner of the open document: every database call of the window runs on its thread.

In the spirit of Anki's collection thread. The window never opens a connection itself: it hands
a function of the document to the runner, which runs it on its own thread, one at a time, in the
order asked:

- :meth:`DocumentRunner.query` reads (every transaction inside is a plain deferred one);
- :meth:`DocumentRunner.mutate` writes (``BEGIN IMMEDIATE``) and returns the core's ``Changes``,
  emitted once as :attr:`DocumentRunner.document_changed` on the GUI thread.

Both take ``on_done``/``on_error`` callbacks that arrive on the GUI thread; errors go to
:func:`ui.errors.show_error` unless ``on_error`` is given. :meth:`call` and :meth:`call_mutate`
wait for the answer instead (for short reads and edits whose result the caller needs at once:
the work still runs on the runner's thread). Opening, switching and closing the document are
queued too, after the work already queued, and first cancel and wait for the jobs registered
with :meth:`add_close_hook` (thumbnails, export).

Long jobs (export, backups) do not block the runner: they read through a handle of their own
(``Document.job_reader()``) that they close themselves.
"""

from __future__ import annotations

import logging
import queue
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from khoiapp.db import Document, open_document
from khoiapp.errors import Cancelled, DocumentMovedError
from khoiapp.services.document import Changes, save_document_as

log = logging.getLogger(__name__)

T = TypeVar("T")
DocFn = Callable[[Document], Any]
Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class DocumentClosedError(Cancelled):
    """The document a job was queued for was closed or replaced before the job ran (shows nothing)."""


class _Relay(QObject):
    """Lives on the GUI thread; carries a finished job back to it (queued)."""

    finished = Signal(object)


class _Job:
    __slots__ = ("fn", "doc", "write", "on_done", "on_error", "relay", "event", "result", "error", "parent",
                 "on_moved", "announce")

    def __init__(
        self,
        fn: Callable[[], Any],
        *,
        doc: Document | None,
        write: bool,
        on_done: Callback | None = None,
        on_error: ErrorCallback | None = None,
        relay: _Relay | None = None,
        wait: bool = False,
    ) -> None:
        self.fn = fn
        self.doc = doc
        self.write = write
        self.on_done = on_done
        self.on_error = on_error
        self.relay = relay
        self.event = threading.Event() if wait else None
        self.result: Any = None
        self.error: BaseException | None = None
        self.parent: Any = None
        self.on_moved: Callable[[_Job, DocumentMovedError], None] | None = None
        self.announce = True  # a write tells the pages (document_changed) when it is done

    def run(self) -> None:
        try:
            if self.doc is not None and self.doc.closed:
                raise DocumentClosedError()
            if self.doc is not None and not self.write:
                with self.doc.reading():
                    self.result = self.fn()
            else:
                self.result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - the boundary: every failure goes back to the caller
            self.error = exc
            if isinstance(exc, DocumentMovedError) and self.on_moved is not None:
                self.on_moved(self, exc)
        if self.event is not None:
            self.event.set()
        elif self.relay is not None:
            self.relay.finished.emit(self)


def _serve(jobs: queue.SimpleQueue[_Job | None]) -> None:
    """The runner's thread: run jobs in order until the sentinel ``None``."""
    while True:
        job = jobs.get()
        if job is None:
            return
        job.run()


class DocumentRunner(QObject):
    """Holds the open :class:`Document` and runs every database call of the window on one thread."""

    document_changed = Signal(object)  # Changes of a mutate(), on the GUI thread
    document_replaced = Signal()  # another document (or none) is now the runner's
    # The open file was deleted or renamed: (number of edits kept in memory, not yet saved). Only
    # once someone listens (see watch_moves) does a DocumentMovedError stop opening a message box.
    document_moved = Signal(int)
    document_saved_as = Signal(object)  # Path: the document now works on this file («Lưu thành…»)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._doc: Document | None = None
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=_serve, args=(self._jobs,), name="khoi-document", daemon=True)
        self._thread.start()
        self._relay = _Relay()
        self._relay.finished.connect(self._on_relay_finished, Qt.ConnectionType.QueuedConnection)
        self._close_hooks: list[Callable[[], None]] = []
        self._stopped = False
        self._unsaved: list[Callable[[], Any]] = []  # writes refused because the file moved (runner thread)
        self._moves_watched = False
        weakref.finalize(self, self._jobs.put, None)

    # ------------------------------------------------------------------ state
    @property
    def doc(self) -> Document | None:
        """The open document (a handle: path, read-only state; never use it for a call here)."""
        return self._doc

    @property
    def thread_ident(self) -> int | None:
        return self._thread.ident

    def on_runner_thread(self) -> bool:
        return threading.get_ident() == self._thread.ident

    def add_close_hook(self, hook: Callable[[], None]) -> None:
        """``hook()`` runs on the GUI thread before the document closes: cancel and wait for jobs."""
        self._close_hooks.append(hook)

    def remove_close_hook(self, hook: Callable[[], None]) -> None:
        if hook in self._close_hooks:
            self._close_hooks.remove(hook)

    @property
    def unsaved_count(self) -> int:
        """Edits refused because the document's file was deleted or renamed, kept for «Lưu thành…»."""
        return len(self._unsaved)

    def watch_moves(self) -> None:
        """From now on a moved document is told through :attr:`document_moved` (the window's
        banner with «Lưu thành…»), not by a message box for every refused edit."""
        self._moves_watched = True

    def _on_moved(self, job: _Job, exc: DocumentMovedError) -> None:
        # on the runner's thread: keep the refused write to replay it on the saved copy
        if job.write and job.doc is not None and job.doc is self._doc:
            self._unsaved.append(job.fn)
        if self._moves_watched:
            exc.shown_elsewhere = True  # type: ignore[attr-defined]
            self.document_moved.emit(len(self._unsaved))  # queued to the GUI thread

    def save_as(self, dest: Any, on_done: Callback | None = None, on_error: ErrorCallback | None = None,
                *, parent: Any = None) -> None:
        """Write the open document to ``dest`` and work there; then replay the edits kept in memory.

        ``on_done(path)``; :attr:`document_saved_as` and :attr:`document_changed` are emitted.
        An edit that still fails on the copy is reported (the others are saved).
        """
        doc = self._doc
        if doc is None:
            return

        def work() -> Any:
            path = save_document_as(doc, dest)
            kept, self._unsaved = self._unsaved, []
            failures: list[BaseException] = []
            for replay in kept:
                try:
                    replay()
                except Exception as exc:  # noqa: BLE001 - told after the others are saved
                    failures.append(exc)
            return path, failures

        def done(result: Any) -> None:
            path, failures = result
            self.document_saved_as.emit(path)
            if on_done is not None:
                on_done(path)
            if failures:
                from ui.errors import show_error

                show_error(parent, failures[0])

        job = _Job(work, doc=doc, write=True, on_done=done, on_error=on_error, relay=self._relay)
        job.parent = parent
        self._put(job)

    # ------------------------------------------------------------------ asynchronous
    def query(self, fn: DocFn, on_done: Callback | None = None, on_error: ErrorCallback | None = None,
              *, parent: Any = None) -> None:
        """Run ``fn(doc)`` (a read) on the runner; ``on_done(result)`` on the GUI thread."""
        self._submit(fn, write=False, on_done=on_done, on_error=on_error, parent=parent)

    def mutate(self, fn: DocFn, on_done: Callback | None = None, on_error: ErrorCallback | None = None,
               *, parent: Any = None, announce: bool = True) -> None:
        """Run ``fn(doc) -> Changes`` (a write) on the runner; emits :attr:`document_changed` once
        (``announce=False``: a write no page shows, e.g. the renditions an export keeps)."""
        self._submit(fn, write=True, on_done=on_done, on_error=on_error, parent=parent, announce=announce)

    def _submit(self, fn: DocFn, *, write: bool, on_done: Callback | None, on_error: ErrorCallback | None,
                parent: Any, announce: bool = True) -> None:
        doc = self._doc
        job = _Job(lambda: fn(doc) if doc is not None else fn(None), doc=doc, write=write,  # type: ignore[arg-type]
                   on_done=on_done, on_error=on_error, relay=self._relay)
        job.parent = parent
        job.announce = announce
        job.on_moved = self._on_moved
        if doc is None:
            job.error = DocumentClosedError()
            self._relay.finished.emit(job)
            return
        self._put(job)

    def _on_relay_finished(self, job: _Job) -> None:
        try:
            if job.error is not None:
                exc = job.error
                if isinstance(exc, Cancelled):  # shows nothing; a caller that cleans up is told
                    if job.on_error is not None:
                        job.on_error(exc)
                    return
                if job.on_error is not None:
                    job.on_error(exc)
                else:
                    from ui.errors import show_error

                    show_error(job.parent, exc)
                return
            if job.write and job.announce:
                self.document_changed.emit(job.result if isinstance(job.result, Changes) else Changes())
            if job.on_done is not None:
                job.on_done(job.result)
        except RuntimeError as exc:  # the widget that asked was deleted meanwhile
            if "already deleted" not in str(exc):
                raise
            log.info("result dropped: %s", exc)

    # ------------------------------------------------------------------ waiting for the answer
    def call(self, fn: Callable[[Document], T]) -> T:
        """Run the read ``fn(doc)`` on the runner and return its result (errors are raised here)."""
        return self._wait(fn, write=False)

    def call_mutate(self, fn: Callable[[Document], T]) -> T:
        """Run the write ``fn(doc)`` on the runner and return its result; the caller emits changes."""
        return self._wait(fn, write=True)

    def _wait(self, fn: Callable[[Document], T], *, write: bool) -> T:
        doc = self._doc
        if doc is None:
            raise DocumentClosedError()
        if self.on_runner_thread():  # already inside a job: run it right here
            if write:
                return fn(doc)
            with doc.reading():
                return fn(doc)
        job = _Job(lambda: fn(doc), doc=doc, write=write, wait=True)
        job.on_moved = self._on_moved
        self._put(job)
        assert job.event is not None
        job.event.wait()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[no-any-return]

    def run_owned(self, fn: Callable[[], T]) -> T:
        """Run ``fn()`` (no document) on the runner's thread and wait: opening, closing."""
        if self.on_runner_thread():
            return fn()
        job = _Job(fn, doc=None, write=True, wait=True)
        self._put(job)
        assert job.event is not None
        job.event.wait()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[no-any-return]

    def _put(self, job: _Job) -> None:
        if self._stopped:  # the window is used again after closing: a new thread owns what it opens
            self._jobs = queue.SimpleQueue()
            self._thread = threading.Thread(target=_serve, args=(self._jobs,), name="khoi-document", daemon=True)
            self._thread.start()
            self._stopped = False
            weakref.finalize(self, self._jobs.put, None)
        self._jobs.put(job)

    # ------------------------------------------------------------------ opening and closing
    def open(self, path: Any, **kwargs: Any) -> Document:
        """Open the document at ``path`` on the runner's thread (it is not made current yet)."""
        return self.run_owned(lambda: open_document(path, **kwargs))

    def set_document(self, doc: Document | None) -> None:
        """Make ``doc`` the open document; the previous one closes after the work queued for it.

        Jobs registered with :meth:`add_close_hook` are cancelled and waited for first.
        """
        old = self._doc
        if old is doc:
            return
        if old is not None:
            self._run_close_hooks()
        self._doc = doc
        if old is not None:
            def close_old() -> None:
                old.close()
                self._unsaved.clear()  # (the window offered «Lưu thành…» before letting them go)

            self.run_owned(close_old)  # queued after the work already asked for the old document
        self.document_replaced.emit()

    def close_document(self) -> None:
        self.set_document(None)

    def _run_close_hooks(self) -> None:
        for hook in list(self._close_hooks):
            try:
                hook()
            except RuntimeError as exc:  # its widget is gone
                log.info("close hook failed: %s", exc)

    def shutdown(self) -> None:
        """Close the document and stop the thread (the window is closing)."""
        if self._stopped:
            return
        self.close_document()
        self._stopped = True
        self._jobs.put(None)
        self._thread.join(10)

    def wait_idle(self) -> None:
        """Block until every job queued so far has run (tests, closing); results are still queued."""
        if not self._stopped and not self.on_runner_thread():
            self.run_owned(lambda: None)
