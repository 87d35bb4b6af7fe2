"""The page protocol every navigation page of the main window follows.

A page shows one part of the open document for the current period. It never writes SQL: it reads
through ``khoiapp`` services and makes edits with ``ctx.push(text, do, undo)`` so they are undoable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from ui.context import AppContext
from ui.widgets.field_check import FieldCheck


class Page(QWidget):
    """Base class of the pages. Subclasses set ``title`` and implement ``reload``."""

    title: str = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.document_opened.connect(self._on_document_opened)
        ctx.period_changed.connect(self._on_period_changed)
        ctx.document_changed.connect(self.on_document_changed)

    # -- to implement -------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read everything for ``ctx.doc`` / ``ctx.year``. Must handle ``ctx.doc is None``."""

    def on_document_changed(self, changes: Any) -> None:
        """An edit was saved (by this page, another page or undo/redo). Default: reload."""
        self.reload()

    # -- helpers ------------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        """True when no document is open or it was opened read-only: pages disable editing."""
        doc = self.ctx.doc
        return doc is None or bool(getattr(doc, "read_only", False))

    def _on_document_opened(self) -> None:
        self._shown_for = (id(self.ctx.doc), self.ctx.year)
        self.reload()

    def _on_period_changed(self, year: object) -> None:
        # Opening a document emits document_opened and then period_changed: reload once.
        key = (id(self.ctx.doc), self.ctx.year)
        if getattr(self, "_shown_for", None) == key:
            return
        self._shown_for = key
        self.reload()


class AutoSaveText(QObject):
    """Saves a QPlainTextEdit/QLineEdit when focus leaves it or after ``delay_ms`` of no typing.

    A failed save (e.g. bad input) shows the error once and keeps the typed text for correction;
    the same text is not tried (nor reported) again until it is edited. With a ``check``, text that
    is not a valid value is shown inline under the field and not saved (no window); a pause in
    typing saves valid text only and says nothing about the rest.

    ``save(old, new)`` is called only when the text differs from what was last loaded or saved;
    use :meth:`load` to show stored text (it never triggers a save).
    """

    def __init__(
        self, edit: QWidget, save: Callable[[str, str], None], delay_ms: int = 800, check: FieldCheck | None = None
    ) -> None:
        super().__init__(edit)
        self.edit = edit
        self._save = save
        self._check = check
        self._saved = ""
        self._failed: str | None = None  # text whose save failed: not retried until edited
        self._saving = False
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(lambda: self.flush(quiet=True))
        if isinstance(edit, QPlainTextEdit):
            edit.textChanged.connect(self._on_edited)
        elif isinstance(edit, QLineEdit):
            edit.textEdited.connect(self._on_edited)
            edit.editingFinished.connect(self.flush)
        edit.installEventFilter(self)

    def text(self) -> str:
        e = self.edit
        return e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text()  # type: ignore[attr-defined]

    @property
    def pending(self) -> bool:
        """Typed but not saved yet."""
        return self.text() != self._saved

    def load(self, text: str) -> None:
        """Show stored ``text``; keeps the cursor when the text is already the same."""
        self._timer.stop()
        self._saved = text
        self._failed = None
        if self._check is not None:
            self._check.clear()
        if self.text() == text:
            return
        self._loading = True
        try:
            e = self.edit
            if isinstance(e, QPlainTextEdit):
                e.setPlainText(text)
            else:
                e.setText(text)  # type: ignore[attr-defined]
                e.setCursorPosition(0)  # type: ignore[attr-defined]  # show the start of long text
        finally:
            self._loading = False

    def flush(self, quiet: bool = False) -> None:
        """Save now if the text changed (``quiet``: a pause in typing, problems are not shown)."""
        self._timer.stop()
        new = self.text()
        if self._saving or new == self._saved or new == self._failed:
            return  # a message box taking focus must not save (and report) the same text again
        if self._check is not None:
            if not self._check.check(show=not quiet).ok:
                return  # shown under the field; saved once it is valid
        old, self._saved = self._saved, new
        self._saving = True
        try:
            self._save(old, new)
        except Exception as exc:  # noqa: BLE001 - shown to the user; the typed text stays
            self._saved = old
            self._failed = new
            from ui.errors import show_error

            show_error(self.edit.window(), exc)
        finally:
            self._saving = False

    def _on_edited(self, *_: object) -> None:
        if not self._loading:
            self._failed = None
            self._timer.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self.edit and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False
