"""Qt's own dialogs (file, print, print preview, message boxes) show no English on Linux.

Qt ships no Vietnamese catalogue; the project's resources/translations/qtbase_vi.ts fills the gap.
Every visible string of each stock dialog is collected (titles, labels, buttons, group boxes, tabs,
combo items, column headers, tool tips) and a string fails when it is a Qt source text no catalogue
translated, or when it holds a common English word. Paper-size names (A4, Letter, Legal) and key
names (Ctrl, Alt) are the same in Vietnamese software and allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTranslator, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabBar,
    QWidget,
)

from ui.app import install_translators

ALLOWED_CONTEXTS = {"QPageSize", "QShortcut", "QGuiApplication"}
ENGLISH = re.compile(
    r"\b(Look|File|Files|Print|Printer|Cancel|Options|Properties|Copies|Page|Pages|Name|Type|Size|Date|Open|Save|"
    r"Close|Yes|No|Details|Directory|Folder|Back|Forward|Preview|Paper|Orientation|Portrait|Landscape|Margins|"
    r"Location|Color|Zoom|Show|Hide|Delete|Rename|Choose|Apply|Reset|Help|Ignore|Retry|Abort|Discard|Computer|"
    r"Modified|Output|Settings|Collate|Reverse|Range|Selection|Current|Width|Height|Source|Custom|Form)\b"
)
PAPER = re.compile(r"^(A\d+|B\d+|JIS B\d+|ANSI [A-E]|Letter|Legal|Executive|Folio|Ledger|Tabloid|Architect|Super|PRC|Note|Quarto|Statement)\b")


class MissRecorder(QTranslator):
    """Installed first, so Qt asks it only when no other catalogue translated a string."""

    def __init__(self) -> None:
        super().__init__()
        self.missed: dict[str, str] = {}

    def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[override]
        if context and source and context.startswith("Q") and context not in ALLOWED_CONTEXTS:
            self.missed[_plain(source)] = context
        return None

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text).replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split())


@pytest.fixture
def vietnamese(qapp) -> Iterator[MissRecorder]:
    rec = MissRecorder()
    qapp.installTranslator(rec)
    kept = install_translators(qapp)
    yield rec
    for tr in kept:
        qapp.removeTranslator(tr)
    qapp.removeTranslator(rec)


def visible_strings(root: QWidget) -> list[str]:
    out = [root.windowTitle()]
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root):
            continue
        if w.toolTip():
            out.append(w.toolTip())
        if isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QTabBar):
            out += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QComboBox) and not w.isEditable():
            out += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QLineEdit):
            out.append(w.placeholderText())
        elif isinstance(w, QHeaderView) and w.model() is not None:
            m = w.model()
            n = m.columnCount() if w.orientation() == Qt.Orientation.Horizontal else 0
            out += [str(m.headerData(i, Qt.Orientation.Horizontal) or "") for i in range(n) if not w.isSectionHidden(i)]
    return [s for s in (_plain(x) for x in out) if s]


def english(strings: list[str], rec: MissRecorder) -> list[str]:
    bad = []
    for s in strings:
        if PAPER.match(s):
            continue
        if (s in rec.missed and re.search(r"[A-Za-z]{3,}", s)) or ENGLISH.search(s):
            bad.append(s)
    return sorted(set(bad))


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_file_dialogs_are_vietnamese(qtbot, vietnamese, tmp_path) -> None:
    (tmp_path / "Hồ sơ 2026.khoi").write_bytes(b"x")
    for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
        for view in (QFileDialog.ViewMode.List, QFileDialog.ViewMode.Detail):
            dlg = QFileDialog(None, "Mở tài liệu", str(tmp_path), "Tài liệu Khối (*.khoi);;Mọi tệp (*)")
            qtbot.addWidget(dlg)
            dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
            dlg.setAcceptMode(mode)
            dlg.setViewMode(view)
            dlg.show()
            _settle()
            strings = visible_strings(dlg)
            assert any("Loại tệp" in s for s in strings), strings
            assert english(strings, vietnamese) == []
            dlg.close()


def test_print_dialog_is_vietnamese(qtbot, vietnamese) -> None:
    printer = QPrinter()
    dlg = QPrintDialog(printer)
    qtbot.addWidget(dlg)
    dlg.show()
    _settle()
    options = [b for b in dlg.findChildren(QAbstractButton) if "Tùy chọn" in b.text()]
    for b in options:
        b.click()  # show the options part too
    _settle()
    strings = visible_strings(dlg)
    for tabs in dlg.findChildren(QTabBar):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            _settle()
            strings += visible_strings(dlg)
    assert "In" in strings
    assert english(strings, vietnamese) == []


def test_print_preview_is_vietnamese(qtbot, vietnamese) -> None:
    printer = QPrinter()
    dlg = QPrintPreviewDialog(printer)
    qtbot.addWidget(dlg)
    dlg.show()
    _settle()
    strings = visible_strings(dlg)
    assert "Xem trước khi in" in strings
    assert english(strings, vietnamese) == []
    dlg.close()


def test_message_boxes_are_vietnamese(qtbot, vietnamese) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Khối", "Đóng tài liệu?")
    qtbot.addWidget(box)
    std = QMessageBox.StandardButton
    for b in (std.Ok, std.Save, std.SaveAll, std.Open, std.Yes, std.YesToAll, std.No, std.NoToAll, std.Abort,
              std.Retry, std.Ignore, std.Close, std.Cancel, std.Discard, std.Help, std.Apply, std.Reset,
              std.RestoreDefaults):
        box.addButton(b)
    box.setDetailedText("Chi tiết lỗi")
    box.show()
    _settle()
    strings = visible_strings(box)
    assert {"Có", "Không", "Hủy", "Xem chi tiết…"} <= set(strings)
    assert english(strings, vietnamese) == []
    box.close()


def test_the_check_catches_an_untranslated_dialog(qtbot, qapp) -> None:
    """Without the project's catalogue the same check finds English (it is not a check that always passes)."""
    rec = MissRecorder()
    qapp.installTranslator(rec)
    try:
        box = QMessageBox(QMessageBox.Icon.Question, "Khối", "Đóng tài liệu?")
        qtbot.addWidget(box)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDetailedText("x")
        box.show()
        _settle()
        assert "Cancel" in english(visible_strings(box), rec)
        box.close()
    finally:
        qapp.removeTranslator(rec)

