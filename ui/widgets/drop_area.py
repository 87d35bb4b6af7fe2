"""Dropping files from the file manager: a visible drop target and the helpers pages share."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


def local_files(mime: QMimeData | None) -> list[str]:
    """The local file paths carried by a drag (web links and other data are ignored)."""
    if mime is None or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


def accept_file_drag(event: QDragEnterEvent | QDragMoveEvent) -> bool:
    """Accept a drag that carries local files; returns whether it did."""
    if local_files(event.mimeData()):
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        return True
    event.ignore()
    return False


def take_dropped_files(event: QDropEvent) -> list[str]:
    """The files of a drop (accepted as a copy), or an empty list (ignored)."""
    paths = local_files(event.mimeData())
    if paths:
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
    else:
        event.ignore()
    return paths


class DropArea(QFrame):
    """A dashed box saying where to drop files; emits ``files_dropped(list[str])``."""

    files_dropped = Signal(list)

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setObjectName("dropArea")
        self._build_ui(text or self.tr("Kéo thả tệp vào đây"))
        self._set_hover(False)

    def _build_ui(self, text: str) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        self.label = QLabel(text, self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        lay.addWidget(self.label)

    def set_text(self, text: str) -> None:
        self.label.setText(text)

    def _set_hover(self, on: bool) -> None:
        colour = "#2f6fb3" if on else "#9aa5b1"
        back = "#e8f1fb" if on else "transparent"
        self.setStyleSheet(
            f"QFrame#dropArea {{ border: 2px dashed {colour}; border-radius: 6px; background: {back}; }}"
            "QFrame#dropArea QLabel { color: #3c4650; border: none; background: transparent; }"
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        self._set_hover(accept_file_drag(event))

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        accept_file_drag(event)

    def dragLeaveEvent(self, event: object) -> None:  # noqa: N802
        self._set_hover(False)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._set_hover(False)
        paths = take_dropped_files(event)
        if paths:
            self.files_dropped.emit(paths)
