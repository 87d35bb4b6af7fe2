"""What every page of the window shares: the open document, the period, undo, change signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from khoiapp.db import Document
from khoiapp.services.document import Changes
from ui.runner import DocumentRunner


class ServiceCommand(QUndoCommand):
    """An undoable edit: ``do`` and ``undo`` call core services and return their ``Changes``.

    ``origin`` is the page the edit was made on and ``reveal`` selects the item it changed there:
    undoing or redoing the step later (from any page) shows both, so nothing changes out of sight.
    """

    def __init__(
        self,
        ctx: AppContext,
        text: str,
        do: Callable[[], Changes | Any],
        undo: Callable[[], Changes | Any],
        origin: str | None = None,
        reveal: Callable[[], Any] | None = None,
    ) -> None:
        # the Sửa menu reads «Hoàn tác sửa …», «Làm lại thêm …»
        super().__init__(text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text)
        self._ctx = ctx
        self._do = do
        self._undo = undo
        self.origin = origin
        self.reveal = reveal

    def redo(self) -> None:
        self._ctx.emit_changes(self._ctx.write(lambda _doc: self._do()))
        self._ctx.step_replayed.emit(self, False)

    def undo(self) -> None:
        self._ctx.emit_changes(self._ctx.write(lambda _doc: self._undo()))
        self._ctx.step_replayed.emit(self, True)


class AppContext(QObject):
    """Shared state of one window. Pages read through services and listen to the signals.

    Every database call goes through :attr:`runner` (one thread owns the open document):
    :meth:`read` / :meth:`write` wait for a short call, :meth:`query` / :meth:`mutate` answer
    through callbacks. ``doc`` is only a handle (path, read-only state) to pass to those calls.
    """

    document_changed = Signal(object)  # Changes: every edit, saved already
    period_changed = Signal(object)  # int | None: the year shown
    document_opened = Signal()  # a different document (or none) is now open
    step_replayed = Signal(object, bool)  # ServiceCommand, undone (False: redone); the window shows its page

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = DocumentRunner(self)
        self.runner.document_changed.connect(self.emit_changes)
        self.year: int | None = None
        self.undo_stack = QUndoStack(self)
        self.page_name: str | None = None  # the page shown (set by the window): where an edit is made
        self._generation = 0  # grows with every change shown: caches of what the document holds
        self._summary_cache: tuple[int, int, Any] | None = None

    @property
    def doc(self) -> Document | None:
        return self.runner.doc

    def set_document(self, doc: Document | None, year: int | None) -> None:
        """Show ``doc``; the previous document closes on the runner after its queued work."""
        self.undo_stack.clear()
        self.runner.set_document(doc)
        self._generation += 1
        self.year = year
        self.document_opened.emit()
        self.period_changed.emit(year)

    # -- the database, through the runner -----------------------------------------------------
    def read(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(doc, *args, **kwargs)`` as a read on the runner's thread; waits for the result."""
        return self.runner.call(lambda doc: fn(doc, *args, **kwargs))

    def write(self, fn: Callable[[Document], Any]) -> Any:
        """``fn(doc)`` as a write on the runner's thread; waits. The caller emits the changes."""
        return self.runner.call_mutate(fn)

    def query(self, fn: Callable[[Document], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None, parent: Any = None) -> None:
        """``fn(doc)`` as a read on the runner; ``on_done(result)`` later on the GUI thread."""
        self.runner.query(fn, on_done, on_error, parent=parent)

    def mutate(self, fn: Callable[[Document], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None, parent: Any = None,
               announce: bool = True) -> None:
        """``fn(doc) -> Changes`` as a write on the runner; the changes reach every page once
        (``announce=False``: none, for a write no page shows)."""
        self.runner.mutate(fn, on_done, on_error, parent=parent, announce=announce)

    def set_year(self, year: int | None) -> None:
        if year != self.year:
            self._generation += 1
            self.year = year
            self.undo_stack.clear()
            self.period_changed.emit(year)

    def emit_changes(self, changes: Any) -> None:
        self._generation += 1
        self.document_changed.emit(changes if isinstance(changes, Changes) else Changes())

    # -- what several views show after one change, read once -----------------------------------
    def cache_summary(self, year: int, summary: Any) -> None:
        """``summary`` is the period's summary as of the latest change (read by whoever read it first)."""
        self._summary_cache = (self._generation, year, summary)

    def period_summary(self, year: int) -> Any:
        """The period's summary (result, readiness), read at most once per change."""
        from khoiapp.services import document as docsvc

        cached = self._summary_cache
        if cached is not None and cached[0] == self._generation and cached[1] == year:
            return cached[2]
        summary = self.read(docsvc.period_summary, year)
        self.cache_summary(year, summary)
        return summary

    def push(
        self, text: str, do: Callable[[], Any], undo: Callable[[], Any], reveal: Callable[[], Any] | None = None
    ) -> None:
        """Run ``do`` on the runner now (saved at once) and make it undoable.

        The command enters the undo stack only after ``do`` succeeded; errors propagate to the
        caller before anything is pushed. ``text`` names the step in the Sửa menu («Hoàn tác
        …»); ``reveal`` selects the changed item on the page shown now, when the step is undone.
        """
        result = self.write(lambda _doc: do())  # raise here (bad input) before anything enters the undo stack
        cmd = ServiceCommand(self, text, do, undo, origin=self.page_name, reveal=reveal)
        cmd.setObsolete(False)
        # QUndoStack.push calls redo(); skip that first call since we already did the work.
        first = [True]
        orig_redo = cmd.redo

        def redo_once() -> None:
            if first[0]:
                first[0] = False
                self.emit_changes(result)
                return
            orig_redo()

        cmd.redo = redo_once  # type: ignore[method-assign]
        self.undo_stack.push(cmd)
