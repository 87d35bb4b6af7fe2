"""What every page of the window shares: the open document, the period, undo, change signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from khoiapp.db import Document
from khoiapp.services.document import Changes


class ServiceCommand(QUndoCommand):
    """An undoable edit: ``do`` and ``undo`` call core services and return their ``Changes``."""

    def __init__(
        self,
        ctx: AppContext,
        text: str,
        do: Callable[[], Changes | Any],
        undo: Callable[[], Changes | Any],
    ) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._do = do
        self._undo = undo

    def redo(self) -> None:
        self._ctx.emit_changes(self._do())

    def undo(self) -> None:
        self._ctx.emit_changes(self._undo())


class AppContext(QObject):
    """Shared state of one window. Pages read through services and listen to the signals."""

    document_changed = Signal(object)  # Changes: every edit, saved already
    period_changed = Signal(object)  # int | None: the year shown
    document_opened = Signal()  # a different document (or none) is now open

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self.year: int | None = None
        self.undo_stack = QUndoStack(self)

    def set_document(self, doc: Document | None, year: int | None) -> None:
        old = self.doc
        self.doc = doc
        self.year = year
        self.undo_stack.clear()
        if old is not None and old is not doc:
            old.close()
        self.document_opened.emit()
        self.period_changed.emit(year)

    def set_year(self, year: int | None) -> None:
        if year != self.year:
            self.year = year
            self.undo_stack.clear()
            self.period_changed.emit(year)

    def emit_changes(self, changes: Any) -> None:
        self.document_changed.emit(changes if isinstance(changes, Changes) else Changes())

    def push(self, text: str, do: Callable[[], Any], undo: Callable[[], Any]) -> None:
        """Run ``do`` now (saved at once) and make it undoable. Errors propagate before pushing."""
        result = do()  # raise here (bad input) before anything enters the undo stack
        cmd = ServiceCommand(self, text, do, undo)
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
