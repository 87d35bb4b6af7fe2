"""«Kiểm tra hồ sơ PDF»: is a dossier signed, unchanged since signing, by a trusted certificate,
and do its data and attachments match — in plain words, green / amber / red."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khoiapp.errors import DossierError, KhoiError
from khoiapp.services import trust
from khoiapp.services.verify import VerificationReport, verify_dossier
from ui import settings
from ui.dialogs.sign_options import format_fingerprint
from ui.errors import ask, show_error
from ui.tasks import Task, run_task

VN_TZ = dt.timezone(dt.timedelta(hours=7))

STATE_OF = {"ok": "green", "untrusted": "amber", "unsigned": "red", "invalid": "red", "foreign": "red"}
BANNER_STYLE = {
    "green": "background: #d1e7dd; color: #0f5132; border: 1px solid #a3cfbb;",
    "amber": "background: #fff3cd; color: #664d03; border: 1px solid #e0c36a;",
    "red": "background: #f8d7da; color: #842029; border: 1px solid #f1aeb5;",
    "": "background: palette(window); color: palette(text); border: 1px solid palette(mid);",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("VerifyDialog", text)


def format_time(iso: str | None, with_time: bool = True) -> str:
    """ISO 8601 → «HH:MM ngày dd/mm/yyyy» (Vietnam time); "" for None."""
    if not iso:
        return ""
    try:
        t = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    t = t.astimezone(VN_TZ)
    return f"{t:%H:%M} ngày {t:%d/%m/%Y}" if with_time else f"{t:%d/%m/%Y}"  # «09:00 ngày 05/12/2026»


def signer_certificate(path: str | os.PathLike[str]) -> bytes:
    """The DER certificate of the newest signature in a signed PDF.

    Raises:
        DossierError: the file has no readable signature.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        with open(path, "rb") as f:
            reader = PdfFileReader(f, strict=False)
            sigs = list(reader.embedded_signatures)
            if not sigs:
                raise DossierError(_tr("Tệp «{path}» không có chữ ký số.").format(path=path))
            sigs.sort(key=lambda s: s.signed_revision)
            return bytes(sigs[-1].signer_cert.dump())
    except DossierError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged signature: say so, do not crash
        raise DossierError(
            _tr("Không đọc được chứng thư của người ký trong tệp «{path}» ({err}).").format(path=path, err=exc)
        ) from None


def verdict_title(report: VerificationReport) -> str:
    """The banner's sentence for a report."""
    v = report.verdict
    if v == "ok":
        return _tr("Hồ sơ đã ký số, nguyên vẹn, chứng thư được tin cậy")
    if v == "untrusted":
        return _tr("Hồ sơ nguyên vẹn nhưng chứng thư chưa được tin cậy")
    if v == "unsigned":
        return _tr("Hồ sơ chưa ký số: không có gì bảo đảm nội dung không bị sửa")
    if v == "foreign":
        return _tr("Chữ ký không thuộc đơn vị: hồ sơ không do chính đơn vị ký")
    if report.signed and (report.intact is False or report.modified_after_signing):
        return _tr("Hồ sơ không hợp lệ: đã bị sửa sau khi ký")
    return _tr("Hồ sơ không hợp lệ")


def verdict_advice(report: VerificationReport) -> str:
    v = report.verdict
    if v == "ok":
        return _tr("Nội dung không thay đổi từ khi ký; dữ liệu và các tệp đính kèm khớp nhau.")
    if v == "untrusted":
        return _tr(
            "Nội dung không thay đổi từ khi ký, nhưng chứng thư của người ký chưa có trong danh sách tin cậy. "
            "Hãy so dấu vân tay dưới đây với đơn vị gửi; nếu khớp, bấm «Tin cậy chứng thư này»."
        )
    if v == "unsigned":
        return _tr("Hãy đề nghị đơn vị ký số hồ sơ rồi gửi lại.")
    return _tr("Không dùng hồ sơ này. Hãy đề nghị đơn vị gửi lại bản gốc đã ký.")


class VerifyDialog(QDialog):
    """Verifies one dossier PDF in the background; ``verdict`` and ``banner_state`` hold the outcome."""

    verified = Signal(object)  # VerificationReport

    def __init__(self, path: str | os.PathLike[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Kiểm tra hồ sơ PDF"))
        self.setObjectName("verifyDialog")
        self.report: VerificationReport | None = None
        self.error: BaseException | None = None
        self.task: Task | None = None
        self.verdict = ""
        self.banner_state = ""
        self._build_ui()
        self.resize(820, 540)
        if path is not None:
            self.verify(path)
        else:
            self._show_nothing()

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(_tr("Tệp hồ sơ:")))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("dossierPath")
        self.path_edit.setPlaceholderText(_tr("Chọn tệp hồ sơ PDF do đơn vị gửi"))
        self.path_edit.returnPressed.connect(lambda: self.verify(self.path_edit.text().strip()))
        row.addWidget(self.path_edit, 1)
        self.browse_button = QPushButton(_tr("Chọn tệp…"))
        self.browse_button.setObjectName("browseDossier")
        self.browse_button.clicked.connect(self.choose_file)
        row.addWidget(self.browse_button)
        self.again_button = QPushButton(_tr("Kiểm tra lại"))
        self.again_button.setObjectName("verifyAgain")
        self.again_button.clicked.connect(lambda: self.verify(self.path_edit.text().strip()))
        row.addWidget(self.again_button)
        lay.addLayout(row)

        self.banner = QLabel()
        self.banner.setObjectName("verdictBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setMinimumHeight(64)
        lay.addWidget(self.banner)

        trust_row = QHBoxLayout()
        self.trust_button = QPushButton(_tr("Tin cậy chứng thư này"))
        self.trust_button.setObjectName("trustSigner")
        self.trust_button.clicked.connect(self.trust_signer)
        trust_row.addWidget(self.trust_button)
        trust_row.addStretch(1)
        lay.addLayout(trust_row)

        self.reasons_box = QGroupBox(_tr("Lý do"))
        rl = QVBoxLayout(self.reasons_box)
        self.reasons = QLabel()
        self.reasons.setObjectName("reasonsList")
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason_lines: list[str] = []
        rl.addWidget(self.reasons)
        lay.addWidget(self.reasons_box)

        box = QGroupBox(_tr("Chi tiết"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("signer", _tr("Người ký:")),
            ("unit", _tr("Đơn vị:")),
            ("time", _tr("Thời điểm ký:")),
            ("issuer", _tr("Đơn vị cấp chứng thư:")),
            ("until", _tr("Chứng thư hiệu lực đến:")),
            ("fingerprint", _tr("Dấu vân tay SHA-256:")),
            ("attachments", _tr("Dữ liệu và tệp đính kèm:")),
        ):
            value = QLabel()
            value.setObjectName(f"detail-{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form.addRow(label, value)
        self.fields["fingerprint"].setStyleSheet("font-family: monospace;")
        lay.addWidget(box)
        lay.addStretch(1)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        close = QPushButton(_tr("Đóng"))
        close.setObjectName("closeButton")
        close.clicked.connect(self.reject)
        bottom.addWidget(close)
        lay.addLayout(bottom)

    def _set_banner(self, state: str, title: str, advice: str = "") -> None:
        self.banner_state = state
        self.banner.setProperty("state", state)
        self.banner.setStyleSheet(
            f"QLabel#verdictBanner {{ {BANNER_STYLE.get(state, BANNER_STYLE[''])} padding: 10px 12px; "
            "border-radius: 4px; }"
        )
        html = f"<b style='font-size: 12pt'>{_esc(title)}</b>"
        if advice:
            html += f"<br>{_esc(advice)}"
        self.banner.setText(html)

    def banner_text(self) -> str:
        """The banner as plain text (title and advice)."""
        from PySide6.QtGui import QTextDocument

        d = QTextDocument()
        d.setHtml(self.banner.text())
        return d.toPlainText()

    def _show_nothing(self) -> None:
        self._set_banner("", _tr("Chọn một tệp hồ sơ PDF để kiểm tra chữ ký số và tệp đính kèm."))
        self.trust_button.hide()
        self.reasons_box.hide()
        for f in self.fields.values():
            f.clear()
        self.again_button.setEnabled(False)

    # ------------------------------------------------------------------ verifying
    def choose_file(self) -> None:
        current = self.path_edit.text().strip()
        start = str(Path(current).parent) if current else settings.start_folder(settings.DOSSIER_FOLDER)
        path, _ = QFileDialog.getOpenFileName(self, _tr("Chọn tệp hồ sơ PDF"), start, _tr("Tệp PDF (*.pdf)"))
        if path:
            settings.remember_folder(settings.DOSSIER_FOLDER, path)
            self.verify(path)

    def verify(self, path: str | os.PathLike[str]) -> Task | None:
        """Check ``path`` in the background; the result shows when the task finishes."""
        if self.task is not None and self.task.running:
            return None
        if not str(path):
            return None
        p = Path(path)
        self.path_edit.setText(str(p))
        self.report = None
        self.error = None
        self.verdict = ""
        self._set_banner("", _tr("Đang kiểm tra «{name}»…").format(name=p.name))
        self.trust_button.hide()
        self.reasons_box.hide()
        self.again_button.setEnabled(False)
        self.browse_button.setEnabled(False)

        def work(_progress: Any, _cancelled: Any) -> VerificationReport:
            return verify_dossier(p)

        self.task = run_task(
            self,
            work,
            title=_tr("Đang kiểm tra hồ sơ…"),
            on_done=self._on_done,
            on_error=self._on_error,
            cancellable=False,
            pool=QThreadPool.globalInstance(),
        )
        return self.task

    def _end(self) -> None:
        self.again_button.setEnabled(True)
        self.browse_button.setEnabled(True)

    def _on_error(self, exc: BaseException) -> None:
        self._end()
        self.error = exc
        self.verdict = "error"
        msg = exc.message if isinstance(exc, KhoiError) else _tr("Không kiểm tra được tệp này.")
        self._set_banner("red", _tr("Không đọc được hồ sơ"), msg)
        self.trust_button.hide()
        self.reasons_box.hide()
        for f in self.fields.values():
            f.clear()
        if not isinstance(exc, KhoiError):
            show_error(self, exc)

    def _on_done(self, report: VerificationReport) -> None:
        self._end()
        self.show_report(report)
        self.verified.emit(report)

    def show_report(self, report: VerificationReport) -> None:
        self.report = report
        self.verdict = report.verdict
        self._set_banner(STATE_OF.get(report.verdict, "red"), verdict_title(report), verdict_advice(report))
        self.trust_button.setVisible(report.verdict == "untrusted" and bool(report.cert_fingerprint))
        reasons = list(report.problems) + [_tr("Lưu ý: {w}").format(w=w) for w in report.warnings]
        if len(report.signatures) > 1:
            from ui.dialogs.cosign_dialog import signature_lines

            reasons = signature_lines(report) + reasons
        for change in report.changes:
            line = _tr("Thay đổi sau khi ký: {change}").format(change=change)
            if not any(change in r for r in reasons):
                reasons.append(line)
        self.reason_lines = reasons
        self.reasons.setText(
            "<ul style='margin-left: -20px'>" + "".join(f"<li>{_esc(r)}</li>" for r in reasons) + "</ul>"
        )
        self.reasons_box.setVisible(bool(reasons))
        unknown = _tr("—")
        f = self.fields
        f["signer"].setText(report.signer or (unknown if report.signed else _tr("(chưa ký)")))
        f["unit"].setText(report.signer_org or unknown)
        when = format_time(report.signing_time)
        if when and report.timestamped:
            when += _tr(" (có dấu thời gian)")
        f["time"].setText(when or unknown)
        f["issuer"].setText(report.cert_issuer or unknown)
        f["until"].setText(format_time(report.cert_not_after, with_time=False) or unknown)
        f["fingerprint"].setText(format_fingerprint(report.cert_fingerprint) if report.cert_fingerprint else unknown)
        f["attachments"].setText(self._attachments_text(report))

    @staticmethod
    def _attachments_text(report: VerificationReport) -> str:
        if not report.payload_present:
            return _tr("Không có dữ liệu hồ sơ đính kèm (tệp không do Khối xuất hoặc đã bị gỡ).")
        parts = []
        if report.attachments_ok:
            parts.append(_tr("Có dữ liệu hồ sơ; mọi tệp đính kèm khớp mã băm SHA-256."))
        else:
            parts.append(_tr("Có dữ liệu hồ sơ nhưng tệp đính kèm không khớp danh mục."))
        if report.missing:
            parts.append(_tr("Thiếu: {names}.").format(names=", ".join(report.missing)))
        if report.mismatched:
            parts.append(_tr("Sai mã băm: {names}.").format(names=", ".join(report.mismatched)))
        if report.unexpected:
            parts.append(_tr("Thừa (không có trong danh mục): {names}.").format(names=", ".join(report.unexpected)))
        return " ".join(parts)

    # ------------------------------------------------------------------ trusting the signer
    def trust_signer(self) -> bool:
        """Add the signer's certificate to the trust list (after confirming), then check again."""
        report = self.report
        if report is None or not report.cert_fingerprint:
            return False
        if not ask(
            self,
            _tr("Tin cậy chứng thư này?"),
            _tr(
                "Chỉ tin cậy khi đã xác nhận với đơn vị gửi rằng đây là chứng thư của họ.\n\n"
                "Người ký: {signer}\nDấu vân tay SHA-256:\n{fp}\n\n"
                "So dấu vân tay này với dấu vân tay đơn vị cung cấp. Khớp hoàn toàn thì bấm «Tin cậy»."
            ).format(signer=report.signer or "", fp=format_fingerprint(report.cert_fingerprint)),
            _tr("Tin cậy"),
            _tr("Không"),
        ):
            return False
        try:
            der = signer_certificate(report.path)
            import hashlib

            if hashlib.sha256(der).hexdigest() != report.cert_fingerprint:
                raise DossierError(
                    _tr("Chứng thư trong tệp đã thay đổi từ lúc kiểm tra. Hãy kiểm tra lại tệp rồi thử lại.")
                )
            with tempfile.TemporaryDirectory() as d:
                tmp = Path(d) / "signer.der"
                tmp.write_bytes(der)
                trust.add_trusted(tmp)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return False
        self.verify(report.path)
        return True


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
