"""Trợ giúp: the guide offline with F1, each page's «?» at its section; «Giới thiệu» with versions and licences."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from khoiapp import __version__
from ui.dialogs.about_dialog import LICENCE_FILES, AboutDialog
from ui.dialogs.help_dialog import PAGE_SECTIONS, HelpDialog, _heading_title
from ui.main_window import page_specs


def _help(window) -> HelpDialog:
    found = [d for d in window.findChildren(HelpDialog) if d.isVisible()]
    assert len(found) == 1
    return found[0]


def _press_f1(qtbot, window) -> None:
    """F1 as the user presses it: the window active, the key on the focused widget."""
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)


def _heading_at_top(dlg: HelpDialog, title: str) -> bool:
    """The heading ``title`` is shown within the top quarter of the reading area."""
    from PySide6.QtGui import QTextCursor

    for _level, text, pos in dlg.headings():
        if title in text:
            cur = QTextCursor(dlg.browser.document())
            cur.setPosition(pos)
            y = dlg.browser.cursorRect(cur).top()
            return 0 <= y <= dlg.browser.viewport().height() // 4
    return False


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|propagateSizeHints\(\))", extend=True)
def test_f1_opens_the_guide_offline_with_its_screenshots(qtbot, open_window, demo_doc_path) -> None:
    w = open_window(demo_doc_path)
    _press_f1(qtbot, w)
    dlg = _help(w)
    qtbot.waitExposed(dlg)
    doc = dlg.browser.document()
    assert doc.toPlainText().startswith("Hướng dẫn sử dụng Khối")
    for shot in ("screenshots/00-chao-mung.png", "screenshots/02-tieu-chi.png", "screenshots/13-huong-dan.png"):
        image = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(shot))
        assert image is not None and not image.isNull(), shot
    assert dlg.toc.count() >= 18
    assert "không cần Internet" in dlg.status.text()
    _press_f1(qtbot, w)  # a second F1 reuses the open guide
    assert _help(w) is dlg


def test_screenshots_fit_the_reading_area_and_headings_stay_laid_out(qtbot, open_window) -> None:
    import re

    w = open_window()
    dlg = w.show_help()
    qtbot.waitExposed(dlg)
    doc = dlg.browser.document()
    names = re.findall(r"\]\((screenshots/[^)]+\.png)\)", dlg.guide_path.read_text(encoding="utf-8"))
    assert len(names) >= 14
    for name in names:
        image = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert image is not None and 0 < image.width() <= dlg.browser.viewport().width(), name
    doc.documentLayout().documentSize()
    for _level, text, pos in dlg.headings():  # every heading shows (a change of image formats broke this)
        assert doc.findBlock(pos).layout().lineCount() >= 1, text


def test_every_page_has_a_section_in_the_guide(qtbot) -> None:
    dlg = HelpDialog()
    qtbot.addWidget(dlg)
    titles = [_heading_title(text) for _level, text, _pos in dlg.headings()]
    for name, _label, _factory in page_specs():
        assert name in PAGE_SECTIONS
        assert any(t.startswith(PAGE_SECTIONS[name]) for t in titles), name


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|propagateSizeHints\(\))", extend=True)
def test_page_help_button_opens_the_section_of_the_page_shown(qtbot, open_window, demo_doc_path) -> None:
    w = open_window(demo_doc_path)
    w.show_page("minh-chung")
    button = w.toolbar.widgetForAction(w.act_page_help)
    assert isinstance(button, QToolButton) and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dlg = _help(w)
    qtbot.waitExposed(dlg)
    assert dlg.current_section.endswith("Trang Minh chứng")
    qtbot.waitUntil(lambda: _heading_at_top(dlg, "Trang Minh chứng"))
    assert not _heading_at_top(dlg, "Trang Tiêu chí")
    w.show_page("tieu-chi")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert _help(w) is dlg
    qtbot.waitUntil(lambda: _heading_at_top(dlg, "Trang Tiêu chí"))


def test_help_menu_lists_the_guide_with_f1(open_window) -> None:
    w = open_window()
    menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "T&rợ giúp")
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "&Hướng dẫn sử dụng" and "&Giới thiệu" in texts
    assert w.act_help.shortcut().toString() == "F1"


def test_a_missing_guide_says_what_to_do(qtbot, monkeypatch, tmp_path) -> None:
    from khoiapp import paths

    monkeypatch.setattr(paths, "docs_dir", lambda: tmp_path)
    dlg = HelpDialog()
    qtbot.addWidget(dlg)
    assert dlg.missing
    assert "hãy cài lại Khối" in dlg.browser.toPlainText()


def test_guide_links_to_other_documents_open_inside(qtbot) -> None:
    dlg = HelpDialog()
    qtbot.addWidget(dlg)
    dlg._on_browser_anchor_clicked(QUrl("import.md"))
    assert dlg.guide_path is not None and dlg.guide_path.name == "import.md"
    dlg._on_browser_anchor_clicked(QUrl("../../etc/passwd.md"))  # outside the guide's folder: refused
    assert dlg.guide_path.name == "import.md"
    assert dlg.show_section("Trang Tiêu chí")  # back to the guide
    assert dlg.guide_path.name == "user-guide.md"


def test_about_shows_version_frameworks_components_and_licence_texts(qtbot, open_window, demo_doc_path) -> None:
    import PySide6

    w = open_window(demo_doc_path)
    dlg = w.show_about()
    assert isinstance(dlg, AboutDialog)
    qtbot.waitExposed(dlg)
    labels = " ".join(lbl.text() for lbl in dlg.tabs.widget(0).findChildren(QLabel))
    assert f"Khối {__version__}" in labels and str(demo_doc_path) in labels
    fw = dlg.frameworks_table
    assert {fw.item(r, 1).text() for r in range(fw.rowCount())} == {"tt08-co-quan-don-vi", "tt08-doanh-nghiep",
                                                                      "kieu-mau-thanh-hoa"}
    comp = {dlg.components_table.item(r, 0).text(): dlg.components_table.item(r, 1).text()
            for r in range(dlg.components_table.rowCount())}
    assert comp["PySide6 (Qt for Python)"] == PySide6.__version__
    assert all(v != "—" for v in comp.values()), comp
    texts = {}
    for row, (label, _rel) in enumerate(LICENCE_FILES):
        dlg.licence_list.setCurrentRow(row)
        texts[label] = dlg.licence_text.toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in texts["Qt, PySide6: GNU LGPL 3.0"]
    assert "SIL OPEN FONT LICENSE" in texts["Phông Noto Serif (OFL 1.1)"].upper()
    assert "MIT License" in texts["Khối (MIT)"]
    assert "PySide6" in texts["Các thành phần đi kèm"]
    assert not any("Không tìm thấy tệp giấy phép" in t for t in texts.values())
    QApplication.processEvents()
    dlg.close()
