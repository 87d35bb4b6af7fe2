"""«Ảnh chữ ký và con dấu…»: the transparent PNGs the dossier's signature boxes show, kept in the document.

NĐ 30/2020 Appendix I: the chair's and the head's handwritten signatures (blue) and the unit's red
seal at real size. Chosen once per document; the export puts them in the boxes, and the later
signers' boxes carry theirs inside the PDF.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khoiapp.errors import KhoiError
from khoiapp.services import signing_settings
from ui.dialogs.sign_options import documents_dir
from ui.errors import show_error

ROLES = (
    ("chu-tich", "Chữ ký của chủ tịch công đoàn"),
    ("thu-truong", "Chữ ký của thủ trưởng đơn vị"),
    ("don-vi", "Con dấu của đơn vị (màu đỏ, kích thước thật)"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SignatureImagesDialog", text)


class SignatureImagesDialog(QDialog):
    """Choose or remove each role's image; every change is saved in the open document at once."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("Ảnh chữ ký và con dấu"))
        self.setObjectName("signatureImagesDialog")
        self.previews: dict[str, QLabel] = {}
        self.names: dict[str, QLabel] = {}
        self._build_ui()
        self.refresh()
        self.resize(820, self.sizeHint().height())

    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        note = QLabel(_tr(
            "Ảnh PNG nền trong suốt, hiện trong ô ký của hồ sơ khi ký số. Con dấu được đặt đè lên khoảng 1/3 "
            "chữ ký của thủ trưởng, về bên trái (Nghị định 30/2020, Phụ lục I). Ảnh được lưu trong tài liệu "
            "này, không dùng cho tài liệu của đơn vị khác."
        ))
        note.setWordWrap(True)
        outer.addWidget(note)
        grid = QGridLayout()
        for row, (role, label) in enumerate(ROLES):
            grid.addWidget(QLabel(_tr(label)), row, 0)
            preview = QLabel()
            preview.setObjectName(f"image-{role}")
            preview.setFixedSize(160, 70)
            preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
            preview.setStyleSheet("border: 1px solid palette(mid); background: white;")
            self.previews[role] = preview
            grid.addWidget(preview, row, 1)
            name = QLabel()
            name.setWordWrap(True)
            name.setMinimumWidth(170)
            self.names[role] = name
            grid.addWidget(name, row, 2)
            choose = QPushButton(_tr("Chọn ảnh…"))
            choose.setObjectName(f"choose-{role}")
            choose.clicked.connect(lambda _=False, r=role: self.choose(r))
            clear = QPushButton(_tr("Bỏ ảnh"))
            clear.clicked.connect(lambda _=False, r=role: self.clear(r))
            grid.addWidget(choose, row, 3)
            grid.addWidget(clear, row, 4)
        grid.setColumnStretch(2, 1)
        outer.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_tr("Đóng"))
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def refresh(self) -> None:
        images = self.ctx.read(signing_settings.images) if self.ctx.doc is not None else {}
        for role, _label in ROLES:
            v = images.get(role)
            if v is None:
                self.previews[role].clear()
                self.previews[role].setText(_tr("(chưa có)"))
                self.names[role].setText("")
                continue
            pm = QPixmap()
            pm.loadFromData(v.png, "PNG")
            self.previews[role].setPixmap(pm.scaled(156, 66, Qt.AspectRatioMode.KeepAspectRatio,
                                                   Qt.TransformationMode.SmoothTransformation))
            self.names[role].setText(f"{v.file_name} ({v.size[0]} × {v.size[1]})")

    def choose(self, role: str, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, _tr("Chọn ảnh PNG"), str(documents_dir()),
                                                  _tr("Ảnh PNG (*.png)"))
            if not path:
                return
        try:
            changes = self.ctx.write(lambda d: signing_settings.set_image(d, role, path))
        except KhoiError as exc:
            show_error(self, exc)
            return
        self.ctx.emit_changes(changes)
        self.refresh()

    def clear(self, role: str) -> None:
        try:
            changes = self.ctx.write(lambda d: signing_settings.clear_image(d, role))
        except KhoiError as exc:
            show_error(self, exc)
            return
        self.ctx.emit_changes(changes)
        self.refresh()
