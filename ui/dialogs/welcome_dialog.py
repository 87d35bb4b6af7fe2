"""First start: name the unit, its type and the year, and Khối creates the document."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from khoiapp.services.document import MAX_YEAR, MIN_YEAR, nfc

UNIT_TYPES = (("co-quan", "Cơ quan"), ("don-vi", "Đơn vị"), ("doanh-nghiep", "Doanh nghiệp"))


class WelcomeDialog(QDialog):
    """Asks the three things a new document needs. Values via :meth:`values`."""

    def __init__(self, parent: QWidget | None = None, *, title: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("Chào mừng đến với Khối"))
        self._build_ui()
        self._update_ok()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Khối giúp cơ quan, đơn vị, doanh nghiệp tự đánh giá và lập hồ sơ xây dựng "
                "đạt chuẩn văn hóa, kiểu mẫu. Hãy nhập ba thông tin dưới đây để bắt đầu; "
                "mọi thông tin khác có thể bổ sung sau. Mọi thay đổi được lưu ngay."
            )
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("unitName")
        self.name_edit.setPlaceholderText(self.tr("Ví dụ: Sở Tư pháp tỉnh Thanh Hóa"))
        self.name_edit.setMinimumWidth(360)
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("unitType")
        for key, label in UNIT_TYPES:
            self.type_combo.addItem(label, key)
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("year")
        self.year_spin.setRange(MIN_YEAR, MAX_YEAR)
        self.year_spin.setValue(dt.date.today().year)
        self.year_spin.setGroupSeparatorShown(False)
        form.addRow(self.tr("Tên cơ quan, đơn vị:"), self.name_edit)
        form.addRow(self.tr("Loại hình:"), self.type_combo)
        form.addRow(self.tr("Năm đánh giá:"), self.year_spin)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(self.tr("Bắt đầu"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Để sau"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._update_ok)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(nfc(self.name_edit.text())))

    def values(self) -> dict[str, object]:
        return {
            "unit_name": nfc(self.name_edit.text()),
            "unit_type": self.type_combo.currentData(),
            "year": self.year_spin.value(),
        }
