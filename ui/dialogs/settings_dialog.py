"""Settings shared with the command line: evidence size limit, place name, interface scale."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from khoiapp import appconfig
from khoiapp.services.document import nfc
from ui.errors import show_error


class SettingsDialog(QDialog):
    """Edits :mod:`khoiapp.appconfig`; the "Chứng thư tin cậy" tab is filled by the signing feature."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cài đặt"))
        self._build_ui()
        self._load()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget()
        general = QWidget()
        form = QFormLayout(general)
        self.limit_spin = QSpinBox()
        self.limit_spin.setObjectName("evidenceLimit")
        self.limit_spin.setRange(1, 2048)
        self.limit_spin.setSuffix(" MB")
        self.place_edit = QLineEdit()
        self.place_edit.setObjectName("placeName")
        self.place_edit.setPlaceholderText(self.tr("Ví dụ: Thanh Hóa"))
        self.scale_spin = QDoubleSpinBox()
        self.scale_spin.setObjectName("uiScale")
        self.scale_spin.setRange(75, 200)
        self.scale_spin.setDecimals(0)
        self.scale_spin.setSingleStep(25)
        self.scale_spin.setSuffix(" %")
        form.addRow(self.tr("Dung lượng tối đa của một minh chứng:"), self.limit_spin)
        self.budget_spin = QSpinBox()
        self.budget_spin.setObjectName("dossierBudget")
        self.budget_spin.setRange(1, 2048)
        self.budget_spin.setSuffix(" MB")
        form.addRow(self.tr("Dung lượng hồ sơ mong muốn (báo trước khi xuất nếu lớn hơn):"), self.budget_spin)
        form.addRow(self.tr("Địa danh ghi trên văn bản:"), self.place_edit)
        hint = QLabel(self.tr("Dùng trong dòng «…, ngày … tháng … năm …» khi đơn vị chưa ghi địa danh."))
        hint.setWordWrap(True)
        form.addRow("", hint)
        form.addRow(self.tr("Tỷ lệ giao diện:"), self.scale_spin)
        scale_hint = QLabel(self.tr("Tỷ lệ giao diện có hiệu lực khi mở lại Khối."))
        scale_hint.setWordWrap(True)
        form.addRow("", scale_hint)
        self.tabs.addTab(general, self.tr("Chung"))
        self.trust_tab = QWidget()
        self.trust_tab.setObjectName("trustTab")
        trust_lay = QVBoxLayout(self.trust_tab)
        from ui.dialogs.trust_tab import TrustTab

        self.trust_list = TrustTab(self.trust_tab)
        trust_lay.addWidget(self.trust_list)
        self.tabs.addTab(self.trust_tab, self.tr("Chứng thư tin cậy"))
        lay.addWidget(self.tabs)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _load(self) -> None:
        cfg = appconfig.load()
        self.limit_spin.setValue(int(cfg.evidence_limit_mb))
        self.budget_spin.setValue(int(cfg.dossier_budget_mb))
        self.place_edit.setText(cfg.place_name)
        self.scale_spin.setValue(round(float(cfg.ui_scale) * 100))

    def accept(self) -> None:
        try:
            appconfig.update(
                evidence_limit_mb=self.limit_spin.value(),
                dossier_budget_mb=self.budget_spin.value(),
                place_name=nfc(self.place_edit.text()),
                ui_scale=round(self.scale_spin.value() / 100, 2),
            )
        except Exception as exc:  # noqa: BLE001 - shown; the dialog stays open to correct
            show_error(self, exc)
            return
        super().accept()
