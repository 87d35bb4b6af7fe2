"""«Xác nhận tất cả»: what will be confirmed, and which answers rest on last year's evidence only."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khoiapp.frameworks import format_number
from khoiapp.services.criteria import ConfirmItem

AMBER = QColor("#8a5300")
COLUMNS = ("Mã", "Tiêu chí", "Kết quả năm nay", "Minh chứng")


def result_text(item: ConfirmItem) -> str:
    """«86% · Đạt», «3 · Đạt (năm trước 2)», «Đạt»."""
    if item.value is None:
        return item.status_label
    unit = {"percent": "%", "points": " điểm"}.get(item.kind, "")
    text = f"{format_number(item.value)}{unit} · {item.status_label}"
    if item.advanced and item.last_year_value is not None:
        text += f" (năm trước {format_number(item.last_year_value)})"
    return text


def evidence_text(item: ConfirmItem) -> str:
    if not item.this_year_evidence and not item.last_year_evidence:
        return "Chưa có minh chứng"
    if item.only_last_year_evidence:
        return "Chỉ có của năm trước: " + ", ".join(item.last_year_evidence)
    text = ", ".join(item.this_year_evidence)
    if item.last_year_evidence:
        text += "; năm trước: " + ", ".join(item.last_year_evidence)
    return text


class ConfirmAllDialog(QDialog):
    """Lists the criteria «Xác nhận tất cả» takes; Accepted confirms exactly those."""

    def __init__(self, items: Sequence[ConfirmItem], period_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = tuple(items)
        self.period_label = period_label
        self.setObjectName("confirmAllDialog")
        self.setWindowTitle(self.tr("Xác nhận kết quả chép từ năm trước"))
        self._build_ui()
        self._fit_to_screen()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        n = len(self.items)
        old_only = [i for i in self.items if i.only_last_year_evidence and i.last_year_evidence]
        advanced = [i for i in self.items if i.advanced and i.value is not None]
        head = QLabel(
            self.tr(
                "Sẽ xác nhận {n} tiêu chí có nội dung giống năm trước: kết quả dưới đây trở thành kết quả tự "
                "đánh giá năm {y}. Hãy xem lại trước khi xác nhận."
            ).format(n=n, y=self.period_label)
        )
        head.setObjectName("confirmAllHeading")
        head.setWordWrap(True)
        lay.addWidget(head)
        if old_only:
            warn = QLabel(
                self.tr(
                    "{k} tiêu chí chỉ có minh chứng của năm trước (chữ màu cam). Minh chứng cũ không thay cho "
                    "minh chứng năm nay: sau khi xác nhận, hãy đính kèm minh chứng của năm {y} — danh sách kiểm "
                    "tra khi xuất hồ sơ sẽ nhắc lại các tiêu chí này."
                ).format(k=len(old_only), y=self.period_label)
            )
            warn.setObjectName("confirmAllOldEvidence")
            warn.setWordWrap(True)
            warn.setStyleSheet(f"color: {AMBER.name()};")
            lay.addWidget(warn)
        if advanced:
            note = QLabel(
                self.tr("Số năm liên tục đã được cộng thêm một năm so với năm trước ({codes}).").format(
                    codes=", ".join(i.code for i in advanced)
                )
            )
            note.setObjectName("confirmAllAdvanced")
            note.setWordWrap(True)
            lay.addWidget(note)

        self.table = QTableWidget(n, len(COLUMNS))
        self.table.setObjectName("confirmAllTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        for row, item in enumerate(self.items):
            cells = (item.code, item.title, result_text(item), evidence_text(item))
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if col == 3 and item.only_last_year_evidence:
                    cell.setForeground(QBrush(AMBER))
                self.table.setItem(row, col, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 190)
        header.resizeSection(3, 230)
        self.table.resizeRowsToContents()
        lay.addWidget(self.table, 1)

        buttons = QDialogButtonBox()
        self.confirm_button = buttons.addButton(
            self.tr("Xác nhận {n} tiêu chí").format(n=n), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm_button.setObjectName("confirmAllAccept")
        self.confirm_button.setDefault(True)
        later = buttons.addButton(self.tr("Để sau"), QDialogButtonBox.ButtonRole.RejectRole)
        later.setObjectName("confirmAllLater")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def codes(self) -> list[str]:
        return [i.code for i in self.items]

    def _fit_to_screen(self) -> None:
        w, h = 940, 560
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            avail = screen.availableGeometry()
            w, h = min(w, avail.width() - 40), min(h, avail.height() - 60)
        self.resize(w, h)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
