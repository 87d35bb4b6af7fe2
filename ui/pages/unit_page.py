"""Đơn vị: the unit profile and the period's report fields (each saved as soon as it is left)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from khoiapp import entry
from khoiapp.services import document as docsvc
from khoiapp.services.document import UNIT_FIELDS, Changes
from ui.context import AppContext
from ui.dialogs.welcome_dialog import UNIT_TYPES
from ui.errors import show_error
from ui.pages.base import AutoSaveText, Page
from ui.widgets.field_check import FieldCheck

PERIOD_STATUSES = (("draft", "Đang soạn"), ("finalised", "Đã hoàn tất"))
PERIOD_LABELS = {  # how the Sửa menu names an edit of a report field
    "registered_on": "Ngày đăng ký",
    "report_number": "Số báo cáo",
    "report_symbol": "Ký hiệu báo cáo",
    "status": "Tình trạng",
    "situation": "Đặc điểm, tình hình",
    "proposals": "Kiến nghị, đề xuất",
    "recipients": "Nơi nhận",
}


def format_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


class UnitPage(Page):
    """The unit's profile (left) and the current period's report fields (right)."""

    title = "Đơn vị"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.unit_edits: dict[str, AutoSaveText] = {}
        self.period_edits: dict[str, AutoSaveText] = {}
        self.field_checks: dict[str, FieldCheck] = {}
        self._loading = False
        self._build_ui()
        self.reload()

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        cols = QHBoxLayout(body)
        cols.setContentsMargins(12, 12, 12, 12)
        cols.setSpacing(16)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.scroll_area = scroll

        self.unit_box = QGroupBox(self.tr("Thông tin cơ quan, đơn vị"))
        ubox = QVBoxLayout(self.unit_box)
        uform = QFormLayout()
        ubox.addLayout(uform)
        ubox.addStretch(1)  # extra height goes below the form, not between its rows
        uform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        uform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for key, (label, typ) in UNIT_FIELDS.items():
            if key == "unit_type":
                self.type_combo = QComboBox()
                self.type_combo.setObjectName("unit_type")
                for k, lab in UNIT_TYPES:
                    self.type_combo.addItem(lab, k)
                self.type_combo.activated.connect(self._on_type_combo_activated)
                uform.addRow(self.tr(label) + ":", self.type_combo)
                continue
            edit = QLineEdit()
            edit.setObjectName(key)
            if typ is int:
                # letters stay visible and are explained under the field instead of being dropped
                edit.setMaximumWidth(120)
                check = FieldCheck(edit, self._count_reader(label))
                self.field_checks[key] = check
                self.unit_edits[key] = AutoSaveText(edit, self._count_saver(key), check=check)
                uform.addRow(self.tr(label) + ":", check.container())
                continue
            self.unit_edits[key] = AutoSaveText(edit, self._unit_saver(key))
            uform.addRow(self.tr(label) + ":", edit)
        cols.addWidget(self.unit_box, 1)

        self.period_box = QGroupBox(self.tr("Kỳ đánh giá"))
        pbox = QVBoxLayout(self.period_box)
        pform = QFormLayout()
        pbox.addLayout(pform)
        pbox.addStretch(1)
        pform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.framework_label = QLabel()
        self.framework_label.setWordWrap(True)
        pform.addRow(self.tr("Bộ tiêu chí:"), self.framework_label)
        targets = QWidget()
        tl = QHBoxLayout(targets)
        tl.setContentsMargins(0, 0, 0, 0)
        self.cultural_check = QCheckBox(self.tr("Đạt chuẩn văn hóa"))
        self.cultural_check.setChecked(True)
        self.cultural_check.setEnabled(False)
        self.model_check = QCheckBox(self.tr("Kiểu mẫu"))
        self.model_check.setObjectName("target_model")
        self.model_check.clicked.connect(self._on_model_check_clicked)
        tl.addWidget(self.cultural_check)
        tl.addWidget(self.model_check)
        tl.addStretch(1)
        pform.addRow(self.tr("Mục tiêu đăng ký:"), targets)
        self.registered_edit = QLineEdit()
        self.registered_edit.setObjectName("registered_on")
        self.registered_edit.setPlaceholderText(self.tr("ngày/tháng/năm, ví dụ 15/01/2026"))
        self.registered_edit.setMaximumWidth(200)
        check = FieldCheck(self.registered_edit, lambda t: entry.read_date(t, "Ngày đăng ký"))
        self.field_checks["registered_on"] = check
        self.period_edits["registered_on"] = AutoSaveText(self.registered_edit, self._save_registered, check=check)
        reg = QWidget()
        rl = QHBoxLayout(reg)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(check.container())
        rl.addWidget(QLabel(self.tr("Số:")))
        from ui.widgets.document_number import DocumentNumberEdit

        self.registration_number_edit = DocumentNumberEdit(self.ctx, "registration_number")
        rl.addWidget(self.registration_number_edit, 1)
        pform.addRow(self.tr("Ngày đăng ký:"), reg)
        num = QWidget()
        nl = QHBoxLayout(num)
        nl.setContentsMargins(0, 0, 0, 0)
        self.number_spin = QSpinBox()
        self.number_spin.setObjectName("report_number")
        self.number_spin.setRange(1, 9999)
        self.number_spin.editingFinished.connect(self._on_number_spin_finished)
        self.symbol_edit = QLineEdit()
        self.symbol_edit.setObjectName("report_symbol")
        self.period_edits["report_symbol"] = AutoSaveText(
            self.symbol_edit, lambda o, n: self._save_period("report_symbol", o, n)
        )
        nl.addWidget(self.number_spin)
        nl.addWidget(QLabel("/"))
        nl.addWidget(self.symbol_edit, 1)
        pform.addRow(self.tr("Số/ký hiệu báo cáo:"), num)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("status")
        for k, lab in PERIOD_STATUSES:
            self.status_combo.addItem(self.tr(lab), k)
        self.status_combo.activated.connect(self._on_status_combo_activated)
        pform.addRow(self.tr("Tình trạng:"), self.status_combo)
        for key, label, height in (
            ("situation", "Đặc điểm, tình hình", 150),
            ("proposals", "Kiến nghị, đề xuất", 90),
            ("recipients", "Nơi nhận", 90),
        ):
            text_edit = QPlainTextEdit()
            text_edit.setObjectName(key)
            text_edit.setTabChangesFocus(True)
            text_edit.setMinimumHeight(60)
            text_edit.setMaximumHeight(height)  # the page fits 1366×768 without scrolling
            self.period_edits[key] = AutoSaveText(text_edit, self._period_saver(key))
            pform.addRow(self.tr(label) + ":", text_edit)
        cols.addWidget(self.period_box, 1)

    # ------------------------------------------------------------------ showing
    def on_document_changed(self, changes: Any) -> None:
        """Only the unit and the period's own fields are shown here."""
        if isinstance(changes, Changes) and changes != Changes() and not (changes.unit or changes.period_ids):
            return
        self.reload()

    def reload(self) -> None:
        doc, year = self.ctx.doc, self.ctx.year
        self._loading = True
        try:
            unit = self.ctx.read(docsvc.get_unit) if doc is not None else None
            for key, saver in self.unit_edits.items():
                if saver.pending and saver.edit.hasFocus():
                    continue  # the officer is typing here; it is saved when they leave
                v: Any = getattr(unit, key) if unit else ""
                saver.load("" if v is None else str(v))
                saver.edit.setToolTip(saver.text())  # long names do not fit the box
            idx = self.type_combo.findData(unit.unit_type if unit else None)
            self.type_combo.setCurrentIndex(max(idx, 0))
            period = None
            if doc is not None and year is not None:
                period = next((p for p in self.ctx.read(docsvc.list_periods) if p.year_end == year), None)
            self.period_box.setTitle(
                self.tr("Kỳ đánh giá năm {label}").format(label=period.label) if period else self.tr("Kỳ đánh giá")
            )
            self.framework_label.setText(
                f"{period.framework_title} ({period.framework_version})" if period else ""
            )
            self.model_check.setChecked(bool(period and period.target_model))
            self.number_spin.setValue(period.report_number if period else 1)
            idx = self.status_combo.findData(period.status if period else "draft")
            self.status_combo.setCurrentIndex(max(idx, 0))
            values = {
                "registered_on": format_date(period.registered_on) if period else "",
                "report_symbol": period.report_symbol if period else "",
                "situation": period.situation if period else "",
                "proposals": period.proposals if period else "",
                "recipients": period.recipients if period else "",
            }
            for key, saver in self.period_edits.items():
                if saver.pending and saver.edit.hasFocus():
                    continue
                saver.load(values[key])
            editable = doc is not None and not doc.read_only
            self.unit_box.setEnabled(doc is not None)
            self.period_box.setEnabled(period is not None)
            for saver in [*self.unit_edits.values(), *self.period_edits.values()]:
                saver.edit.setReadOnly(not editable)  # type: ignore[attr-defined]
            for w in (self.type_combo, self.model_check, self.number_spin, self.status_combo):
                w.setEnabled(editable)
        finally:
            self._loading = False

    def flush(self) -> None:
        for saver in [*self.unit_edits.values(), *self.period_edits.values()]:
            saver.flush()

    # ------------------------------------------------------------------ saving
    def _unit_saver(self, key: str) -> Callable[[str, str], None]:
        return lambda old, new: self._save_unit(key, old, new)

    def _period_saver(self, key: str) -> Callable[[str, str], None]:
        return lambda old, new: self._save_period(key, old, new)

    @staticmethod
    def _count_reader(label: str) -> Callable[[str], entry.Entry]:
        return lambda text: entry.read_count(text, label)

    def _count_saver(self, key: str) -> Callable[[str, str], None]:
        label = UNIT_FIELDS[key][0]

        def save(old: str, new: str) -> None:
            value = entry.read_count(new, label).value  # checked already: "1.250" is saved as 1250
            self._save_unit(key, old, "" if value is None else str(value))

        return save

    def _save_unit(self, key: str, old: str, new: str) -> None:
        doc = self.ctx.doc
        if doc is None:
            return
        label = UNIT_FIELDS[key][0]
        self.ctx.push(
            self.tr("sửa «{label}»").format(label=label),
            lambda: docsvc.update_unit(doc, **{key: new}),
            lambda: docsvc.update_unit(doc, **{key: old}),
            reveal=lambda: self._reveal(key),
        )

    def _save_period(self, key: str, old: Any, new: Any) -> None:
        doc, year = self.ctx.doc, self.ctx.year
        if doc is None or year is None:
            return
        self.ctx.push(
            self.tr("sửa «{label}» của báo cáo năm {year}").format(label=self.tr(PERIOD_LABELS.get(key, key)), year=year),
            lambda: docsvc.update_period(doc, year, **{key: new}),
            lambda: docsvc.update_period(doc, year, **{key: old}),
            reveal=lambda: self._reveal(key),
        )

    def _reveal(self, key: str) -> None:
        """Scroll to the field of ``key`` (an undone step shows what it changed)."""
        saver = self.unit_edits.get(key) or self.period_edits.get(key)
        widget = saver.edit if saver is not None else self.findChild(QWidget, key)
        if widget is not None:
            self.scroll_area.ensureWidgetVisible(widget)

    def _save_registered(self, old: str, new: str) -> None:
        new_d = entry.read_date(new).value  # checked already
        old_d = entry.read_date(old).value
        self._save_period("registered_on", old_d, new_d)

    def _on_type_combo_activated(self, _index: int) -> None:
        doc = self.ctx.doc
        if doc is None or self._loading:
            return
        unit = self.ctx.read(docsvc.get_unit)
        old, new = (unit.unit_type if unit else None), self.type_combo.currentData()
        if old == new:
            return
        try:
            self.ctx.push(
                self.tr("sửa loại hình"),
                lambda: docsvc.update_unit(doc, unit_type=new),
                lambda: docsvc.update_unit(doc, unit_type=old),
            )
        except Exception as exc:  # noqa: BLE001 - shown; the combo goes back
            show_error(self, exc)
            self.reload()

    def _on_model_check_clicked(self, on: bool) -> None:
        doc, year = self.ctx.doc, self.ctx.year
        if doc is None or year is None:
            return
        try:
            self.ctx.push(
                self.tr("bật mục tiêu kiểu mẫu") if on else self.tr("tắt mục tiêu kiểu mẫu"),
                lambda: docsvc.set_target_model(doc, year, on),
                lambda: docsvc.set_target_model(doc, year, not on),
            )
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            self.reload()

    def _on_number_spin_finished(self) -> None:
        if self._loading or self.ctx.doc is None or self.ctx.year is None:
            return
        period = next((p for p in self.ctx.read(docsvc.list_periods) if p.year_end == self.ctx.year), None)
        if period is None or period.report_number == self.number_spin.value():
            return
        try:
            self._save_period("report_number", period.report_number, self.number_spin.value())
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            self.reload()

    def _on_status_combo_activated(self, _index: int) -> None:
        doc, year = self.ctx.doc, self.ctx.year
        if doc is None or year is None:
            return
        period = next((p for p in self.ctx.read(docsvc.list_periods) if p.year_end == year), None)
        new = self.status_combo.currentData()
        if period is None or period.status == new:
            return
        try:
            self._save_period("status", period.status, new)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            self.reload()
