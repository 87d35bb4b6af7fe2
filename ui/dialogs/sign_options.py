"""How to sign an exported dossier: not at all, a certificate file, a USB token, or the unit's own certificate.

The choice (way, file, token, key, role) belongs to the open document and is kept in it by the
export (``signing_settings``), never in app preferences: another unit's document never inherits
it. Only the token driver and "show the signature" are app preferences. The password or PIN is
asked for at each export with :func:`ask_secret`, handed to the core for that one call and never
stored or logged.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, QThreadPool, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from khoiapp.errors import BadInputError, Cancelled
from khoiapp.services.document import nfc
from khoiapp.services.export import SignRequest
from ui import settings
from ui.errors import inform, show_error

MODE_NONE = "none"
MODE_P12 = "p12"
MODE_PKCS11 = "pkcs11"
MODE_UNIT = "unit"
MODES = (MODE_NONE, MODE_P12, MODE_PKCS11, MODE_UNIT)

SIGN_LIB = settings.Option("ky_so/thu_vien_token", str, "")  # the computer's token driver
SIGN_VISIBLE = settings.Option("ky_so/hien_thi", int, 1)

ROLES = (
    ("chu-tich", "Chủ tịch công đoàn (ô ký của báo cáo)"),
    ("thu-truong", "Thủ trưởng đơn vị (ô xác nhận)"),
    ("don-vi", "Đơn vị — con dấu (chứng thư của cơ quan, tổ chức)"),
)

# Drivers of the USB tokens common in Vietnam (VNPT-CA, Viettel-CA, FPT-CA, BKAV-CA, SafeNet,
# ePass), then the generic OpenSC driver; the first that exists is offered as the default.
WINDOWS_TOKEN_LIBS = (
    r"C:\Windows\System32\vnptca_p11_v8.dll",
    r"C:\Windows\System32\viettel-ca_v6.dll",
    r"C:\Windows\System32\fptca_pkcs11.dll",
    r"C:\Windows\System32\bkavcsp.dll",
    r"C:\Windows\System32\eTPKCS11.dll",
    r"C:\Windows\System32\ShuttleCsp11_3003.dll",
    r"C:\Program Files\OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll",
)
LINUX_TOKEN_LIBS = (
    "/usr/lib/libeToken.so",
    "/usr/lib/libeTPkcs11.so",
    "/usr/lib/libvnptca_p11.so",
    "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",
    "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so",
    "/usr/lib/opensc-pkcs11.so",
    "/usr/lib/softhsm/libsofthsm2.so",
)
MAC_TOKEN_LIBS = ("/Library/OpenSC/lib/opensc-pkcs11.so", "/usr/local/lib/opensc-pkcs11.so")


def _tr(text: str) -> str:
    return QCoreApplication.translate("SignOptions", text)


def guess_token_library() -> str:
    """The first token driver found on this computer, or "" when none is."""
    from khoiapp.services.tokens import find_modules

    found = [m for m in find_modules() if "SoftHSM" not in m.vendor]
    if found:
        return str(found[0].path)
    if sys.platform.startswith("win"):
        candidates = WINDOWS_TOKEN_LIBS
    elif sys.platform == "darwin":
        candidates = MAC_TOKEN_LIBS
    else:
        candidates = LINUX_TOKEN_LIBS
    for c in candidates:
        if os.path.isfile(c):
            return c
    return ""


def documents_dir() -> Path:
    loc = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    p = Path(loc) if loc else Path.home()
    return p if p.is_dir() else Path.home()


def ask_secret(parent: QWidget | None, title: str, label: str) -> str:
    """Ask for a password or PIN (hidden typing). Raises ``Cancelled`` when the user cancels."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    if not ok:
        raise Cancelled()
    return text


class UnitCertificateDialog(QDialog):
    """Asks the unit name, where to save the .p12 and its password (twice); creates the certificate."""

    created = Signal(object)  # SignerInfo

    def __init__(self, unit_name: str, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Tạo chứng thư riêng của đơn vị"))
        self.setMinimumWidth(560)
        self.path: Path | None = None
        self.info: Any = None
        lay = QVBoxLayout(self)
        intro = QLabel(
            _tr(
                "Khối tạo một cặp khóa mới và chứng thư số tự ký mang tên đơn vị, lưu thành tệp .p12 "
                "có mật khẩu. Hãy cất giữ tệp và mật khẩu cẩn thận: mất tệp là mất khóa ký, Khối "
                "không lưu mật khẩu. Nơi nhận hồ sơ cần tin cậy chứng thư này (gửi họ tệp chứng thư "
                "hoặc dấu vân tay) thì chữ ký mới được công nhận."
            )
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.name_edit = QLineEdit(unit_name)
        self.name_edit.setObjectName("certUnitName")
        self.name_edit.setMaxLength(64)
        form.addRow(_tr("Tên đơn vị ghi trên chứng thư:"), self.name_edit)
        row = QHBoxLayout()
        safe = "".join(ch for ch in unit_name if ch.isalnum() or ch in " -_").strip().replace(" ", "-")
        self.path_edit = QLineEdit(str(folder / f"Chung-thu-{safe or 'don-vi'}.p12"))
        self.path_edit.setObjectName("certPath")
        browse = QPushButton(_tr("Chọn…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow(_tr("Lưu tệp chứng thư tại:"), row)
        self.pass1 = QLineEdit()
        self.pass1.setObjectName("certPassword")
        self.pass1.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass2 = QLineEdit()
        self.pass2.setObjectName("certPassword2")
        self.pass2.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_tr("Mật khẩu bảo vệ tệp:"), self.pass1)
        form.addRow(_tr("Nhập lại mật khẩu:"), self.pass2)
        lay.addLayout(form)
        self.status = QLabel()
        self.status.setObjectName("certStatus")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(_tr("Tạo chứng thư"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self._task: Any = None

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, _tr("Lưu tệp chứng thư"), self.path_edit.text(), _tr("Tệp chứng thư số (*.p12 *.pfx)")
        )
        if path:
            if not path.lower().endswith((".p12", ".pfx")):
                path += ".p12"
            self.path_edit.setText(path)

    def accept(self) -> None:
        """Check the input and create the certificate in the background (key generation takes a moment)."""
        if self._task is not None:
            return
        name = nfc(self.name_edit.text()).strip()
        path = self.path_edit.text().strip()
        pw1, pw2 = self.pass1.text(), self.pass2.text()
        problem = None
        if not name:
            problem = _tr("Hãy nhập tên đơn vị để ghi vào chứng thư.")
        elif not path:
            problem = _tr("Hãy chọn nơi lưu tệp chứng thư (.p12).")
        elif not pw1:
            problem = _tr("Hãy đặt mật khẩu bảo vệ tệp chứng thư.")
        elif len(pw1) < 6:
            problem = _tr("Mật khẩu quá ngắn. Hãy dùng ít nhất 6 ký tự.")
        elif pw1 != pw2:
            problem = _tr("Hai lần nhập mật khẩu không giống nhau. Hãy nhập lại.")
        if problem:
            show_error(self, BadInputError(problem))
            return
        target = Path(path)
        if target.suffix.lower() not in (".p12", ".pfx"):
            target = target.with_name(target.name + ".p12")
        from ui.tasks import run_task

        def work(_progress: Any, _cancelled: Any) -> Any:
            from khoiapp.services.signing import create_unit_certificate

            return create_unit_certificate(name, target, pw1)

        def done(info: Any) -> None:
            self._task = None
            self.path = target
            self.info = info
            self.created.emit(info)
            super(UnitCertificateDialog, self).accept()

        def failed(exc: BaseException) -> None:
            self._task = None
            self.create_button.setEnabled(True)
            self.status.setText("")
            show_error(self, exc)

        self.create_button.setEnabled(False)
        self.status.setText(_tr("Đang tạo cặp khóa và chứng thư…"))
        self._task = run_task(
            self,
            work,
            title=_tr("Đang tạo chứng thư…"),
            on_done=done,
            on_error=failed,
            cancellable=False,
            pool=QThreadPool.globalInstance(),
        )
        self.pass1.clear()
        self.pass2.clear()


class SignOptionsWidget(QWidget):
    """The signing choices of the export dialog. ``sign_request()`` asks the password or PIN."""

    changed = Signal()

    def __init__(self, unit_name: Callable[[], str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._unit_name = unit_name or (lambda: "")
        self.remembered_subject = ""
        self.show_visible_choice = True
        self._build_ui()
        self._load()

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(2, 1)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        labels = {
            MODE_NONE: _tr("Không ký"),
            MODE_P12: _tr("Tệp chứng thư (.p12/.pfx)"),
            MODE_PKCS11: _tr("Thiết bị ký số (USB token)"),
            MODE_UNIT: _tr("Chứng thư riêng của đơn vị"),
        }
        for i, mode in enumerate(MODES):
            rb = QRadioButton(labels[mode])
            rb.setObjectName(f"sign-{mode}")
            self.group.addButton(rb, i)
            self.radios[mode] = rb
        self.group.idToggled.connect(self._on_mode_toggled)

        row = 0
        grid.addWidget(self.radios[MODE_NONE], row, 0, 1, 4)
        row += 1
        # certificate file
        grid.addWidget(self.radios[MODE_P12], row, 0, 1, 4)
        row += 1
        self.p12_edit = QLineEdit()
        self.p12_edit.setObjectName("p12Path")
        self.p12_edit.setPlaceholderText(_tr("Đường dẫn tới tệp .p12 hoặc .pfx"))
        self.p12_browse = QPushButton(_tr("Chọn tệp…"))
        self.p12_browse.clicked.connect(lambda: self._browse_p12(self.p12_edit))
        p12_label = QLabel(_tr("Tệp:"))
        grid.addWidget(p12_label, row, 1)
        grid.addWidget(self.p12_edit, row, 2)
        grid.addWidget(self.p12_browse, row, 3)
        self.p12_widgets: list[QWidget] = [p12_label, self.p12_edit, self.p12_browse]
        row += 1
        # token
        grid.addWidget(self.radios[MODE_PKCS11], row, 0, 1, 4)
        row += 1
        self.lib_edit = QLineEdit()
        self.lib_edit.setObjectName("tokenLibrary")
        self.lib_edit.setPlaceholderText(_tr("Thư viện PKCS#11 của token (.dll/.so), có trong bộ cài của nhà cung cấp"))
        self.lib_browse = QPushButton(_tr("Chọn tệp…"))
        self.lib_browse.clicked.connect(self._browse_lib)
        lib_label = QLabel(_tr("Thư viện:"))
        grid.addWidget(lib_label, row, 1)
        grid.addWidget(self.lib_edit, row, 2)
        grid.addWidget(self.lib_browse, row, 3)
        row += 1
        labels_row = QHBoxLayout()
        self.token_edit = QLineEdit()
        self.token_edit.setObjectName("tokenLabel")
        self.token_edit.setPlaceholderText(_tr("ví dụ: VNPT-CA"))
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("keyLabel")
        self.key_edit.setPlaceholderText(_tr("nhãn khóa ký trên token"))
        key_label = QLabel(_tr("Nhãn khóa:"))
        labels_row.addWidget(self.token_edit, 1)
        labels_row.addWidget(key_label)
        labels_row.addWidget(self.key_edit, 1)
        token_label = QLabel(_tr("Nhãn token:"))
        grid.addWidget(token_label, row, 1)
        grid.addLayout(labels_row, row, 2, 1, 2)
        row += 1
        cert_row = QHBoxLayout()
        self.cert_combo = QComboBox()
        self.cert_combo.setObjectName("tokenCertificates")
        self.cert_combo.setPlaceholderText(_tr("Bấm «Đọc token» để chọn chứng thư"))
        self.cert_combo.setMinimumContentsLength(30)
        self.cert_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.cert_combo.currentIndexChanged.connect(self._on_cert_chosen)
        self.read_token_button = QPushButton(_tr("Đọc token"))
        self.read_token_button.setObjectName("readToken")
        self.read_token_button.setToolTip(_tr("Liệt kê các chứng thư trên token (chưa cần mã PIN)"))
        self.read_token_button.clicked.connect(self.read_token)
        self.find_lib_button = QPushButton(_tr("Tìm trình điều khiển"))
        self.find_lib_button.setObjectName("findTokenLibrary")
        self.find_lib_button.clicked.connect(self.find_token_library)
        cert_row.addWidget(self.cert_combo, 1)
        cert_row.addWidget(self.read_token_button)
        cert_row.addWidget(self.find_lib_button)
        cert_label = QLabel(_tr("Chứng thư:"))
        grid.addWidget(cert_label, row, 1)
        grid.addLayout(cert_row, row, 2, 1, 2)
        self.token_certificates: list[Any] = []
        self.token_widgets: list[QWidget] = [
            lib_label, self.lib_edit, self.lib_browse, token_label, self.token_edit, key_label, self.key_edit,
            cert_label, self.cert_combo, self.read_token_button, self.find_lib_button,
        ]
        row += 1
        # unit certificate
        grid.addWidget(self.radios[MODE_UNIT], row, 0, 1, 4)
        row += 1
        self.unit_edit = QLineEdit()
        self.unit_edit.setObjectName("unitCertPath")
        self.unit_edit.setPlaceholderText(_tr("Tệp .p12 do Khối tạo cho đơn vị"))
        unit_buttons = QHBoxLayout()
        self.unit_browse = QPushButton(_tr("Chọn tệp…"))
        self.unit_browse.clicked.connect(lambda: self._browse_p12(self.unit_edit))
        self.unit_create = QPushButton(_tr("Tạo chứng thư mới…"))
        self.unit_create.setObjectName("createUnitCert")
        self.unit_create.clicked.connect(self.create_unit_certificate)
        unit_buttons.addWidget(self.unit_browse)
        unit_buttons.addWidget(self.unit_create)
        unit_label = QLabel(_tr("Tệp:"))
        grid.addWidget(unit_label, row, 1)
        grid.addWidget(self.unit_edit, row, 2)
        grid.addLayout(unit_buttons, row, 3)
        self.unit_widgets: list[QWidget] = [unit_label, self.unit_edit, self.unit_browse, self.unit_create]
        row += 1
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("signRole")
        for key, label in ROLES:
            self.role_combo.addItem(_tr(label), key)
        self.role_label = QLabel(_tr("Ký với vai trò:"))
        grid.addWidget(self.role_label, row, 0)
        grid.addWidget(self.role_combo, row, 1, 1, 3)
        row += 1
        self.visible_check = QCheckBox(
            _tr("Hiện chữ ký trên trang (ô chữ ký của báo cáo: người ký, đơn vị, ngày ký)")
        )
        self.visible_check.setObjectName("visibleSignature")
        self.visible_check.setChecked(True)
        grid.addWidget(self.visible_check, row, 0, 1, 4)
        row += 1
        self.secret_note = QLabel(
            _tr("Mật khẩu hoặc mã PIN được hỏi mỗi lần ký và không bao giờ được lưu lại.")
        )
        self.secret_note.setObjectName("secretNote")
        self.secret_note.setWordWrap(True)
        self.secret_note.setStyleSheet("color: palette(mid);")
        grid.addWidget(self.secret_note, row, 0, 1, 4)
        for rb in self.radios.values():
            rb.setStyleSheet("QRadioButton { margin-top: 2px; }")
        for w in (self.p12_edit, self.lib_edit, self.token_edit, self.key_edit, self.unit_edit):
            w.textChanged.connect(self.changed)
        self.visible_check.toggled.connect(self.changed)

    def _load(self) -> None:
        # nothing of another document: the way, file and labels come from load_choice()
        self.lib_edit.setText(settings.get(SIGN_LIB) or guess_token_library())
        self.visible_check.setChecked(bool(settings.get(SIGN_VISIBLE)))
        self.set_mode(MODE_NONE)

    def load_choice(self, choice: Any) -> None:
        """Show the signing choice the open document remembers (a ``SigningChoiceView`` or None)."""
        if choice is None:
            return
        i = self.role_combo.findData(choice.role)
        if i >= 0:
            self.role_combo.setCurrentIndex(i)
        if choice.method == "pkcs11":
            self.set_token(choice.pkcs11_lib or self.lib_edit.text(), choice.token_label, choice.key_label)
        elif choice.method == "p12" and choice.p12_path:
            self.set_p12(choice.p12_path)
        self.remembered_subject = choice.cert_subject

    def role(self) -> str:
        return str(self.role_combo.currentData())

    def remember(self) -> None:
        """Keep the computer's preferences (token driver, visible signature); the rest is the document's."""
        if self.lib_edit.text().strip():
            settings.put(SIGN_LIB, self.lib_edit.text().strip())
        settings.put(SIGN_VISIBLE, 1 if self.visible_check.isChecked() else 0)

    # ------------------------------------------------------------------ state
    def mode(self) -> str:
        return MODES[max(0, self.group.checkedId())]

    def set_mode(self, mode: str) -> None:
        self.radios[mode].setChecked(True)
        self._update_enabled()

    def _on_mode_toggled(self, _id: int, on: bool) -> None:
        if on:
            if self.mode() == MODE_UNIT:  # the unit's own certificate is the unit's seal, not a person's
                self.role_combo.setCurrentIndex(max(0, self.role_combo.findData("don-vi")))
            self._update_enabled()
            self.changed.emit()

    def _update_enabled(self) -> None:
        # only the chosen way's fields are shown: the dialog fits a 1366×768 screen
        mode = self.mode()
        for w in self.p12_widgets:
            w.setVisible(mode == MODE_P12)
        for w in self.token_widgets:
            w.setVisible(mode == MODE_PKCS11)
        for w in self.unit_widgets:
            w.setVisible(mode == MODE_UNIT)
        self.visible_check.setVisible(mode != MODE_NONE and self.show_visible_choice)
        self.secret_note.setVisible(mode != MODE_NONE)
        self.role_combo.setVisible(mode != MODE_NONE)
        self.role_label.setVisible(mode != MODE_NONE)

    def set_p12(self, path: str | Path) -> None:
        self.p12_edit.setText(str(path))
        self.set_mode(MODE_P12)

    def set_unit_certificate(self, path: str | Path) -> None:
        self.unit_edit.setText(str(path))
        self.set_mode(MODE_UNIT)

    def set_token(self, lib: str, token: str, key: str) -> None:
        self.lib_edit.setText(lib)
        self.token_edit.setText(token)
        self.key_edit.setText(key)
        self.set_mode(MODE_PKCS11)

    def problem(self) -> str | None:
        """What is missing for the chosen way of signing (Vietnamese), or None when complete."""
        mode = self.mode()
        if mode == MODE_P12 and not self.p12_edit.text().strip():
            return _tr("Hãy chọn tệp chứng thư số (.p12/.pfx) để ký, hoặc chọn «Không ký».")
        if mode == MODE_UNIT and not self.unit_edit.text().strip():
            return _tr(
                "Hãy chọn tệp chứng thư riêng của đơn vị, hoặc bấm «Tạo chứng thư mới…» để tạo."
            )
        if mode == MODE_PKCS11:
            if not self.lib_edit.text().strip():
                return _tr(
                    "Hãy chọn thư viện PKCS#11 của USB token (tệp .dll/.so trong bộ cài của nhà cung cấp chữ ký số)."
                )
            if not self.token_edit.text().strip() or not self.key_edit.text().strip():
                return _tr("Hãy nhập nhãn token và nhãn khóa ký (xem trong phần mềm quản lý token).")
        return None

    def sign_request(self, parent: QWidget | None = None, *, signer_label: str = "") -> SignRequest | None:
        """The request for the chosen way of signing, asking the password or PIN now.

        Returns None for "Không ký". Raises ``BadInputError`` when something is missing and
        ``Cancelled`` when the user cancels the password prompt.
        """
        mode = self.mode()
        if mode == MODE_NONE:
            return None
        problem = self.problem()
        if problem:
            raise BadInputError(problem)
        visible = self.visible_check.isChecked()
        parent = parent or self
        if mode in (MODE_P12, MODE_UNIT):
            path = Path((self.p12_edit if mode == MODE_P12 else self.unit_edit).text().strip())
            password = ask_secret(
                parent,
                _tr("Mật khẩu chứng thư số"),
                _tr("Nhập mật khẩu của tệp chứng thư «{name}»:").format(name=path.name),
            )
            return SignRequest(p12_path=path, password=nfc(password), visible=visible, signer_label=signer_label,
                               role=self.role())
        token = nfc(self.token_edit.text()).strip()
        pin = ask_secret(
            parent,
            _tr("Mã PIN của USB token"),
            _tr("Cắm USB token «{token}» rồi nhập mã PIN:").format(token=token),
        )
        return SignRequest(
            pkcs11_lib=self.lib_edit.text().strip(),
            token_label=token,
            key_label=nfc(self.key_edit.text()).strip(),
            pin=pin,
            visible=visible,
            signer_label=signer_label,
            role=self.role(),
        )

    # ------------------------------------------------------------------ choosers
    def _start_folder(self, current: str) -> str:
        if current and Path(current).parent.is_dir():
            return str(Path(current).parent)
        return str(documents_dir())

    def _browse_p12(self, edit: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            _tr("Chọn tệp chứng thư số"),
            self._start_folder(edit.text()),
            _tr("Tệp chứng thư số (*.p12 *.pfx);;Mọi tệp (*)"),
        )
        if path:
            edit.setText(path)

    def _browse_lib(self) -> None:
        flt = _tr("Thư viện PKCS#11 (*.dll)") if sys.platform.startswith("win") else _tr(
            "Thư viện PKCS#11 (*.so *.dylib);;Mọi tệp (*)"
        )
        path, _ = QFileDialog.getOpenFileName(
            self, _tr("Chọn thư viện PKCS#11 của USB token"), self._start_folder(self.lib_edit.text()), flt
        )
        if path:
            self.lib_edit.setText(path)

    def find_token_library(self) -> None:
        """Look where Vietnamese CAs install their token drivers; offer the ones found."""
        from khoiapp.services.tokens import find_modules

        found = find_modules()
        if not found:
            inform(self, _tr("Không tìm thấy trình điều khiển"), _tr(
                "Không thấy trình điều khiển USB token của VNPT-CA, Viettel-CA, FPT-CA, BKAV-CA, Vina-CA, NewCA "
                "hay ePass trên máy này. Hãy cài phần mềm đi kèm token, hoặc bấm «Chọn tệp…» để chọn tệp .dll."))
            return
        if len(found) == 1:
            self.lib_edit.setText(str(found[0].path))
            return
        items = [f"{m.vendor}: {m.path}" for m in found]
        item, ok = QInputDialog.getItem(self, _tr("Chọn trình điều khiển"), _tr("Trình điều khiển USB token:"),
                                        items, 0, False)
        if ok:
            self.lib_edit.setText(str(found[items.index(item)].path))

    def read_token(self) -> Any:
        """List the token's certificates (subject, issuer, validity) to pick from; runs in the background."""
        from khoiapp.services.tokens import list_certificates
        from ui.tasks import run_task

        lib = self.lib_edit.text().strip()
        if not lib:
            show_error(self, BadInputError(self.problem() or _tr("Hãy chọn thư viện PKCS#11 của USB token.")))
            return None
        self.read_token_button.setEnabled(False)

        def done(certs: Any) -> None:
            self.read_token_button.setEnabled(True)
            self.set_token_certificates(list(certs))

        def failed(exc: BaseException) -> None:
            self.read_token_button.setEnabled(True)
            show_error(self, exc)

        return run_task(self, lambda _p, _c: list_certificates(lib), title=_tr("Đang đọc USB token…"),
                        on_done=done, on_error=failed)

    def set_token_certificates(self, certs: list[Any]) -> None:
        """Fill the picker; personal certificates first, CA certificates are not offered."""
        self.token_certificates = [c for c in certs if not c.is_ca]
        self.cert_combo.blockSignals(True)
        self.cert_combo.clear()
        for c in self.token_certificates:
            org = f" — {c.organisation}" if c.organisation and c.organisation != c.subject else ""
            self.cert_combo.addItem(
                _tr("{who}{org}; cấp bởi {issuer}; hiệu lực {start} – {end}").format(
                    who=c.subject, org=org, issuer=c.issuer, start=c.not_before.strftime("%d/%m/%Y"),
                    end=c.not_after.strftime("%d/%m/%Y"),
                )
            )
        self.cert_combo.setCurrentIndex(-1)
        self.cert_combo.blockSignals(False)
        if not self.token_certificates:
            inform(self, _tr("Không có chứng thư"), _tr(
                "Không thấy chứng thư ký số nào trên token. Hãy kiểm tra token đã cắm, đúng trình điều khiển, "
                "rồi bấm «Đọc token» lại."))
        elif len(self.token_certificates) == 1:
            self.cert_combo.setCurrentIndex(0)

    def _on_cert_chosen(self, index: int) -> None:
        if 0 <= index < len(self.token_certificates):
            c = self.token_certificates[index]
            self.token_edit.setText(c.token_label)
            self.key_edit.setText(c.key_label)

    def create_unit_certificate(self) -> UnitCertificateDialog:
        """Open the dialog that creates the unit's own certificate; on success it is selected."""
        folder = Path(self._start_folder(self.unit_edit.text()))
        dlg = UnitCertificateDialog(self._unit_name(), folder, self)

        def created(info: Any) -> None:
            assert dlg.path is not None
            self.set_unit_certificate(dlg.path)
            self.remember()
            inform(
                self,
                _tr("Đã tạo chứng thư"),
                _tr(
                    "Đã tạo chứng thư riêng của đơn vị «{name}», có hiệu lực đến {until}, lưu tại:\n{path}\n\n"
                    "Dấu vân tay SHA-256:\n{fp}\n\nHãy gửi dấu vân tay này cho nơi nhận hồ sơ để họ "
                    "tin cậy chữ ký của đơn vị."
                ).format(
                    name=info.subject_name,
                    until=info.not_after.strftime("%d/%m/%Y"),
                    path=dlg.path,
                    fp=format_fingerprint(info.fingerprint_sha256),
                ),
            )

        dlg.created.connect(created)
        dlg.open()
        return dlg


def format_fingerprint(fp: str) -> str:
    """``"1A2B 3C4D …"``: upper-case hex in groups of four, easy to read out over the phone."""
    h = "".join(ch for ch in fp.upper() if ch in "0123456789ABCDEF")
    return " ".join(h[i : i + 4] for i in range(0, len(h), 4))
