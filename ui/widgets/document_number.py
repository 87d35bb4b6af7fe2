"""The «Số:» of one document of the dossier (registration, Quy ước, code of conduct), typed by the unit.

One line edit per document, on the page where that document is edited; saved when the officer
leaves the field (undoable, named in the Sửa menu). Left empty, the printed document keeps a dotted
blank for the clerk to number by hand.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from khoiapp.services import document as docsvc
from khoiapp.services.document import Changes
from ui.context import AppContext
from ui.pages.base import AutoSaveText

LABELS = {  # how the Sửa menu names the edit
    "registration_number": "số bản đăng ký",
    "convention_number": "số Quy ước",
    "conduct_number": "số Bộ quy tắc ứng xử",
}
PLACEHOLDERS = {
    "registration_number": "ví dụ 01/ĐK-CĐ; để trống: văn thư ghi tay",
    "convention_number": "02/QU-TTDVVH, hoặc để trống",
    "conduct_number": "ví dụ 03/QĐ-TTDVVH; để trống: văn thư ghi tay",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("DocumentNumberEdit", text)


class DocumentNumberEdit(QLineEdit):
    """The number of the period's ``field`` (one of ``docsvc.NUMBER_FIELDS``)."""

    def __init__(self, ctx: AppContext, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert field in docsvc.NUMBER_FIELDS, field
        self.ctx = ctx
        self.field = field
        self.setObjectName(field)
        self.setMaxLength(50)
        self.setPlaceholderText(_tr(PLACEHOLDERS[field]))
        self.setToolTip(_tr("Số, ký hiệu in sau «Số:» trên văn bản; để trống thì văn bản chừa chỗ cho văn thư ghi tay"))
        self.saver = AutoSaveText(self, self._save)
        ctx.document_changed.connect(self._on_ctx_document_changed)
        ctx.period_changed.connect(self._on_ctx_period_changed)
        ctx.document_opened.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        doc, year = self.ctx.doc, self.ctx.year
        period = None
        if doc is not None and year is not None:
            period = next((p for p in self.ctx.read(docsvc.list_periods) if p.year_end == year), None)
        if not (self.saver.pending and self.hasFocus()):
            self.saver.load(getattr(period, self.field) if period is not None else "")
        self.setEnabled(period is not None)
        self.setReadOnly(doc is None or doc.read_only)

    def _on_ctx_period_changed(self, _year: object) -> None:
        self.reload()

    def _on_ctx_document_changed(self, changes: Any) -> None:
        if not isinstance(changes, Changes) or changes == Changes() or changes.period_ids:
            self.reload()

    def _save(self, old: str, new: str) -> None:
        doc, year = self.ctx.doc, self.ctx.year
        if doc is None or year is None:
            return
        field = self.field
        # a refused number (AutoSaveText shows why) raises here, before anything enters the undo stack
        self.ctx.push(
            _tr("sửa {what} năm {year}").format(what=_tr(LABELS[field]), year=year),
            lambda: docsvc.update_period(doc, year, **{field: new}),
            lambda: docsvc.update_period(doc, year, **{field: old}),
            reveal=self.setFocus,
        )
