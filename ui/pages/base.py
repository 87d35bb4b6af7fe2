"""The page protocol every navigation page of the main window follows.

A page shows one part of the open document for the current period. It never writes SQL: it reads
through ``khoiapp`` services and makes edits with ``ctx.push(text, do, undo)`` so they are undoable.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from ui.context import AppContext


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
        self.reload()

    def _on_period_changed(self, year: object) -> None:
        self.reload()
