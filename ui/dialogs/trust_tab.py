"""Settings tab «Chứng thư tin cậy»: the certificates whose signatures this computer accepts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khoiapp.services import trust
from ui.dialogs.sign_options import documents_dir, format_fingerprint
from ui.errors import ask, show_error

VN_TZ = dt.timezone(dt.timedelta(hours=7))


def _tr(text: str) -> str:
    return QCoreApplication.translate("TrustTab", text)


def format_date(d: dt.datetime) -> str:
    """``dd/mm/yyyy`` in Vietnam time."""
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    return d.astimezone(VN_TZ).strftime("%d/%m/%Y")


class FingerprintDialog(QDialog):
    """Shows a certificate's SHA-256 fingerprint in a selectable field with a copy button."""

    def __init__(self, subject: str, fingerprint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Dấu vân tay chứng thư"))
        self.setMinimumWidth(620)
        lay = QVBoxLayout(self)
        label = QLabel(
            _tr(
                "Dấu vân tay SHA-256 của chứng thư «{subject}». So từng nhóm ký tự với dấu vân tay đơn vị "
                "gửi cho bạn (qua điện thoại hoặc văn bản) để chắc chắn đây đúng là chứng thư của họ."
            ).format(subject=subject)
        )
        label.setWordWrap(True)
        lay.addWidget(label)
        self.field = QLineEdit(format_fingerprint(fingerprint))
        self.field.setObjectName("fingerprintField")
        self.field.setReadOnly(True)
        self.field.setStyleSheet("font-family: monospace;")
        self.field.setMinimumWidth(self.field.fontMetrics().horizontalAdvance(self.field.text()) + 24)
        lay.addWidget(self.field)
        buttons = QDialogButtonBox()
        copy = buttons.addButton(_tr("Sao chép"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.setObjectName("copyFingerprint")
        copy.clicked.connect(self.copy)
        close = buttons.addButton(_tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        lay.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.field.text())


class TrustTab(QWidget):
    """List, add and remove trusted certificates (``khoiapp.services.trust``)."""

    trust_changed = Signal()

    COLUMNS = ("Chủ thể chứng thư", "Hiệu lực đến", "Dấu vân tay SHA-256")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trustTabContent")
        self.certs: list[trust.TrustedCert] = []
        lay = QVBoxLayout(self)
        intro = QLabel(
            _tr(
                "Hồ sơ ký bằng các chứng thư dưới đây được coi là đáng tin cậy khi kiểm tra. Chỉ thêm "
                "chứng thư sau khi đã so dấu vân tay với đơn vị hoặc tổ chức cấp chứng thư."
            )
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("trustTable")
        self.table.setHorizontalHeaderLabels([_tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(200)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.show_fingerprint())
        lay.addWidget(self.table, 1)
        self.empty_label = QLabel(
            _tr("Chưa có chứng thư nào. Bấm «Thêm…» để thêm chứng thư (.pem, .cer, .crt, .der).")
        )
        self.empty_label.setObjectName("trustEmpty")
        self.empty_label.setWordWrap(True)
        lay.addWidget(self.empty_label)
        row = QHBoxLayout()
        self.add_button = QPushButton(_tr("Thêm…"))
        self.add_button.setObjectName("addTrusted")
        self.add_button.clicked.connect(self.choose_and_add)
        self.remove_button = QPushButton(_tr("Xóa…"))
        self.remove_button.setObjectName("removeTrusted")
        self.remove_button.clicked.connect(self.remove_selected)
        self.fp_button = QPushButton(_tr("Xem dấu vân tay…"))
        self.fp_button.setObjectName("showFingerprint")
        self.fp_button.clicked.connect(self.show_fingerprint)
        self.crl_button = QPushButton(_tr("Nhập danh sách thu hồi (CRL)…"))
        self.crl_button.setObjectName("importCrl")
        self.crl_button.setToolTip(_tr("Để kiểm tra chứng thư có bị thu hồi không, khi không có mạng"))
        self.crl_button.clicked.connect(self.choose_and_add_crl)
        for b in (self.add_button, self.remove_button, self.fp_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.crl_button)
        lay.addLayout(row)
        self.crl_label = QLabel()
        self.crl_label.setObjectName("crlSummary")
        self.crl_label.setWordWrap(True)
        lay.addWidget(self.crl_label)
        self.reload()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # wide enough for a unit's full name, the date and the start of the fingerprint
        return QSize(800, 380)

    # ------------------------------------------------------------------ content
    def reload(self) -> None:
        keep = self.selected()
        self.certs = trust.list_trusted()
        self.table.setRowCount(len(self.certs))
        for r, c in enumerate(self.certs):
            fp = format_fingerprint(c.fingerprint_sha256)
            short = " ".join(fp.split()[:4]) + " …"
            values = (c.subject, format_date(c.not_after), short)
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, c.fingerprint_sha256)
                item.setToolTip(f"{c.subject}\n{fp}")
                if col == 1 and c.not_after < dt.datetime.now(dt.timezone.utc):
                    item.setText(_tr("{date} (đã hết hạn)").format(date=text))
                self.table.setItem(r, col, item)
        self.table.setVisible(bool(self.certs))
        self.empty_label.setVisible(not self.certs)
        crls = trust.list_crls()
        self.crl_label.setText(
            _tr("Danh sách thu hồi đã nhập: {items}.").format(items="; ".join(
                _tr("{issuer} (phát hành {date})").format(issuer=c.issuer, date=format_date(c.this_update))
                for c in crls))
            if crls else _tr("Chưa nhập danh sách thu hồi (CRL) nào: Khối sẽ ghi «chưa kiểm tra được tình trạng thu hồi».")
        )
        if keep is not None:
            self.select(keep.fingerprint_sha256)
        self._update_buttons()

    def selected(self) -> trust.TrustedCert | None:
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) != 1:
            return None
        r = rows.pop()
        return self.certs[r] if 0 <= r < len(self.certs) else None

    def select(self, fingerprint: str) -> bool:
        for r, c in enumerate(self.certs):
            if c.fingerprint_sha256 == fingerprint:
                self.table.selectRow(r)
                return True
        return False

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.remove_button.setEnabled(has)
        self.fp_button.setEnabled(has)

    # ------------------------------------------------------------------ actions
    def choose_and_add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            _tr("Chọn chứng thư cần tin cậy"),
            str(documents_dir()),
            _tr("Chứng thư số (*.pem *.cer *.crt *.der);;Mọi tệp (*)"),
        )
        if path:
            self.add_file(path)

    def choose_and_add_crl(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, _tr("Chọn danh sách thu hồi (CRL)"), str(documents_dir()), _tr("Danh sách thu hồi (*.crl);;Mọi tệp (*)")
        )
        if path:
            self.add_crl_file(path)

    def add_crl_file(self, path: str, issuer: str | None = None) -> object | None:
        """Import a CRL; when its issuer is not on the list, ask for the issuer's certificate once."""
        from khoiapp.errors import TrustListError

        try:
            crl = trust.add_crl(path, issuer)
        except TrustListError as exc:
            if issuer is None and "--issuer" in exc.message:
                ca, _ = QFileDialog.getOpenFileName(
                    self, _tr("Chọn chứng thư của tổ chức phát hành CRL"), str(documents_dir()),
                    _tr("Chứng thư số (*.pem *.cer *.crt *.der);;Mọi tệp (*)"),
                )
                if ca:
                    return self.add_crl_file(path, ca)
            show_error(self, exc)
            return None
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return None
        self.reload()
        return crl

    def add_file(self, path: str) -> trust.TrustedCert | None:
        try:
            added = trust.add_trusted(path)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return None
        self.reload()
        self.select(added.fingerprint_sha256)
        self.trust_changed.emit()
        return added

    def remove_selected(self) -> bool:
        c = self.selected()
        if c is None:
            return False
        if not ask(
            self,
            _tr("Bỏ tin cậy chứng thư?"),
            _tr(
                "Bỏ chứng thư «{subject}» khỏi danh sách tin cậy? Hồ sơ ký bằng chứng thư này sẽ được báo "
                "là «chưa được tin cậy» khi kiểm tra."
            ).format(subject=c.subject),
            _tr("Bỏ tin cậy"),
            _tr("Giữ lại"),
        ):
            return False
        try:
            trust.remove_trusted(c.fingerprint_sha256)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return False
        self.reload()
        self.trust_changed.emit()
        return True

    def show_fingerprint(self) -> FingerprintDialog | None:
        c = self.selected()
        if c is None:
            return None
        dlg = FingerprintDialog(c.subject, c.fingerprint_sha256, self)
        dlg.open()
        return dlg
