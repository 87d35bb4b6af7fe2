"""«Ký tiếp hồ sơ…»: the head countersigns, or the unit seals, a dossier PDF someone else exported.

The dossier is checked first (who already signed, which boxes are still empty); the signer picks a
certificate file or a token certificate and the role; the signed copy is written next to it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khoiapp.errors import BadInputError, Cancelled, KhoiError
from ui.dialogs.sign_options import MODE_NONE, SignOptionsWidget, documents_dir
from ui.errors import inform, show_error
from ui.tasks import Task, run_task

ROLE_ORDER = ("chu-tich", "thu-truong", "don-vi")


def _tr(text: str) -> str:
    return QCoreApplication.translate("CosignDialog", text)


def signature_lines(report: Any) -> list[str]:
    """One line per signature of a verification report: role, signer, time, state."""
    out = []
    for c in report.signatures:
        if c.intact and c.valid and c.trusted:
            state = _tr("hợp lệ tại thời điểm ký") if c.valid_at_signing_only else _tr("hợp lệ, tin cậy")
        elif c.revocation == "revoked":
            state = _tr("chứng thư đã bị thu hồi")
        elif c.intact and c.valid:
            state = _tr("chưa được tin cậy")
        else:
            state = _tr("không hợp lệ")
        when = (c.signing_time or "").replace("T", " ")
        out.append(
            _tr("{n}. {role}: {who}, ký lúc {when} — {state}").format(
                n=c.index + 1, role=c.role_label, who=c.signer or _tr("không rõ"), when=when, state=state
            )
        )
    return out


def default_output(src: Path, role: str) -> Path:
    """``ho-so.pdf`` → ``ho-so-thu-truong.pdf`` next to it (a suffix already there is replaced)."""
    stem = src.stem
    for r in ROLE_ORDER:
        if stem.endswith(f"-{r}"):
            stem = stem[: -len(r) - 1]
    return src.with_name(f"{stem}-{role}.pdf")


class CosignDialog(QDialog):
    """Adds one signature to an exported dossier; ``signed`` carries the ``CosignResult``."""

    signed = Signal(object)

    def __init__(self, path: str | os.PathLike[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Ký tiếp hồ sơ"))
        self.setObjectName("cosignDialog")
        self.report: Any = None
        self.result: Any = None
        self.task: Task | None = None
        self._build_ui()
        self.resize(760, 560)
        if path is not None:
            self.set_input(Path(path))

    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        intro = QLabel(_tr(
            "Chọn hồ sơ PDF đã được xuất và ký (thường do chủ tịch công đoàn ký trước). Thủ trưởng ký vào ô "
            "xác nhận, văn thư ký bằng chứng thư của đơn vị để đóng dấu. Mỗi ô chỉ ký một lần."
        ))
        intro.setWordWrap(True)
        outer.addWidget(intro)
        row = QHBoxLayout()
        self.input_edit = QLineEdit()
        self.input_edit.setObjectName("cosignInput")
        self.input_edit.setPlaceholderText(_tr("Hồ sơ PDF cần ký tiếp"))
        self.input_edit.editingFinished.connect(lambda: self.set_input(Path(self.input_edit.text().strip())))
        browse = QPushButton(_tr("Chọn hồ sơ…"))
        browse.clicked.connect(self._browse_input)
        row.addWidget(self.input_edit, 1)
        row.addWidget(browse)
        outer.addLayout(row)

        self.existing_box = QGroupBox(_tr("Chữ ký đã có"))
        bl = QVBoxLayout(self.existing_box)
        self.existing = QLabel(_tr("(chưa chọn hồ sơ)"))
        self.existing.setObjectName("cosignExisting")
        self.existing.setWordWrap(True)
        bl.addWidget(self.existing)
        outer.addWidget(self.existing_box)

        box = QGroupBox(_tr("Ký bằng"))
        sl = QVBoxLayout(box)
        self.sign_options = SignOptionsWidget(parent=box)
        self.sign_options.radios[MODE_NONE].setVisible(False)
        self.sign_options.show_visible_choice = False  # the pre-made box decides where it shows
        self.sign_options.set_mode("p12")
        self.sign_options.role_combo.currentIndexChanged.connect(self._update_output)
        sl.addWidget(self.sign_options)
        img_row = QHBoxLayout()
        self.image_edit = QLineEdit()
        self.image_edit.setObjectName("cosignImage")
        self.image_edit.setPlaceholderText(_tr("Ảnh chữ ký hoặc con dấu (PNG nền trong suốt), nếu hồ sơ chưa kèm"))
        img_browse = QPushButton(_tr("Chọn ảnh…"))
        img_browse.clicked.connect(self._browse_image)
        img_row.addWidget(self.image_edit, 1)
        img_row.addWidget(img_browse)
        sl.addLayout(img_row)
        outer.addWidget(box)

        out_row = QHBoxLayout()
        out_row.addWidget(QLabel(_tr("Lưu bản đã ký:")))
        self.output_edit = QLineEdit()
        self.output_edit.setObjectName("cosignOutput")
        out_row.addWidget(self.output_edit, 1)
        outer.addLayout(out_row)

        self.status = QLabel()
        self.status.setObjectName("cosignStatus")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.sign_button = buttons.addButton(_tr("Ký"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setObjectName("cosignButton")
        self.sign_button.clicked.connect(self.start_signing)
        close = buttons.addButton(_tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        outer.addWidget(buttons)

    # ------------------------------------------------------------------ input
    def _browse_input(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, _tr("Chọn hồ sơ PDF"), str(documents_dir()), _tr("Hồ sơ PDF (*.pdf)")
        )
        if path:
            self.set_input(Path(path))

    def _browse_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, _tr("Chọn ảnh"), str(documents_dir()), _tr("Ảnh PNG (*.png)"))
        if path:
            self.image_edit.setText(path)

    def set_input(self, path: Path) -> Task | None:
        """Check the chosen dossier in the background and show who already signed."""
        from khoiapp.services.verify import verify_dossier

        self.input_edit.setText(str(path))
        self.report = None
        self.existing.setText(_tr("Đang kiểm tra hồ sơ…"))
        self._update_output()

        def done(report: Any) -> None:
            self.show_existing(report)

        def failed(exc: BaseException) -> None:
            self.existing.setText(str(getattr(exc, "message", "")) or _tr("Không đọc được hồ sơ."))

        self.task = run_task(self, lambda _p, _c: verify_dossier(path), title=_tr("Đang kiểm tra hồ sơ…"),
                             on_done=done, on_error=failed)
        return self.task

    def show_existing(self, report: Any) -> None:
        self.report = report
        lines = signature_lines(report) or [_tr("Hồ sơ chưa có chữ ký nào.")]
        done = {c.role for c in report.signatures}
        todo = [r for r in ROLE_ORDER if r not in done]
        if todo:
            i = self.sign_options.role_combo.findData(todo[0])
            self.sign_options.role_combo.setCurrentIndex(max(0, i))
        if report.verdict == "invalid":
            lines.append(_tr("Hồ sơ không hợp lệ nên không ký tiếp được: ") + " ".join(report.problems[:2]))
        self.existing.setText("\n".join(lines))
        self.sign_button.setEnabled(report.verdict != "invalid" and bool(todo))
        self._update_output()

    def _update_output(self) -> None:
        text = self.input_edit.text().strip()
        if text:
            self.output_edit.setText(str(default_output(Path(text), self.sign_options.role())))

    # ------------------------------------------------------------------ signing
    def start_signing(self) -> Task | None:
        from khoiapp.services.cosign import cosign_dossier
        from khoiapp.services.signing import open_p12_signer, open_pkcs11_signer

        src = Path(self.input_edit.text().strip())
        out = Path(self.output_edit.text().strip())
        image = None
        try:
            if not src.name:
                raise BadInputError(_tr("Hãy chọn hồ sơ PDF cần ký tiếp."))
            if self.image_edit.text().strip():
                try:
                    image = Path(self.image_edit.text().strip()).read_bytes()
                except OSError as exc:
                    raise BadInputError(
                        _tr("Không đọc được tệp ảnh ({why}). Hãy chọn lại ảnh.").format(why=exc.strerror)
                    ) from None
            req = self.sign_options.sign_request(self)
        except Cancelled:
            return None
        except KhoiError as exc:
            show_error(self, exc)
            return None
        if req is None:
            return None
        self.sign_options.remember()
        held = [req]
        role = req.role

        def work(_progress: Any, _cancelled: Any) -> Any:
            r = held.pop()
            if r.p12_path is not None:
                opener = open_p12_signer(r.p12_path, r.password or "")
            else:
                opener = open_pkcs11_signer(r.pkcs11_lib or "", r.token_label or "", r.key_label or "", r.pin or "")
            with opener as handle:
                return cosign_dossier(src, out, handle, role, image=image)

        del req
        self.sign_button.setEnabled(False)
        self.status.setText(_tr("Đang ký…"))
        self.task = run_task(self, work, title=_tr("Đang ký hồ sơ…"), on_done=self._on_signed,
                             on_error=self._on_failed)
        return self.task

    def _on_signed(self, result: Any) -> None:
        self.result = result
        self.status.setText(
            _tr("Đã ký và lưu: {path}. Hồ sơ có {n} chữ ký.").format(path=result.path, n=result.signatures)
        )
        self.sign_button.setEnabled(True)
        if result.warnings:
            inform(self, _tr("Lưu ý về chữ ký"), "\n\n".join(result.warnings))
        self.signed.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self.status.setText(_tr("Chưa ký được; chưa có tệp nào được ghi."))
        self.sign_button.setEnabled(True)
        show_error(self, exc)


__all__ = ["CosignDialog", "default_output", "signature_lines"]
