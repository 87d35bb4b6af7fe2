"""The one place that turns an exception into a message for the user."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from khoiapp.crashlog import log_exception
from khoiapp.errors import Cancelled, KhoiError

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def error_title() -> str:
    return _tr("Không thực hiện được")


def apology_text(path: Path) -> str:
    return _tr(
        "Rất tiếc, Khối gặp một lỗi không lường trước nên chưa làm xong việc này. "
        "Các thay đổi đã lưu trước đó vẫn còn nguyên. Hãy thử lại; nếu lỗi lặp lại, "
        "hãy gửi tệp nhật ký sau cho người hỗ trợ:\n{path}"
    ).format(path=path)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Show ``exc``: a KhoiError's own message, nothing for Cancelled, an apology for anything else."""
    if isinstance(exc, Cancelled) or getattr(exc, "shown_elsewhere", False):
        return  # (a moved document is told once, by the window's banner with «Lưu thành…»)
    if isinstance(exc, KhoiError):
        inform(parent, error_title(), exc.message, QMessageBox.Icon.Warning)
        return
    path = log_exception(exc)
    inform(parent, _tr("Khối gặp lỗi"), apology_text(path), QMessageBox.Icon.Critical)


def inform(
    parent: QWidget | None, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information
) -> None:
    """A message with a Vietnamese button (Qt's stock buttons would read "OK")."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.addButton(_tr("Đóng"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def ask(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """A yes/no question with Vietnamese buttons; True when the user chose ``yes``."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes_btn = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_btn = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_btn)
    box.exec()
    return box.clickedButton() is yes_btn
