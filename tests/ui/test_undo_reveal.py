"""Undo shows what it undoes: the page of the step comes to the front with its item selected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from khoiapp import scoring
from khoiapp.db import open_document
from khoiapp.services import content
from khoiapp.services import criteria as crit
from khoiapp.services import document as docsvc
from ui.pages.convention_page import ARTICLE

YEAR = 2026


def stored(path, code):
    with open_document(path, read_only=True) as doc:
        return next(c for c in crit.checklist(doc, YEAR).criteria if c.code == code)


def stored_articles(path):
    with open_document(path, read_only=True) as doc:
        c = content.current_convention(doc)
        return [(a.title, a.body) for ch in c.chapters for a in ch.articles]


def test_undo_of_a_quy_uoc_edit_from_the_tieu_chi_page_shows_quy_uoc(open_window, blank_doc_path, qtbot):
    w = open_window(blank_doc_path)
    conv = w.show_page("quy-uoc")
    assert conv.create_convention()
    ch = conv.add_chapter("Những quy định chung")
    a1 = conv.add_article(ch, "Phạm vi áp dụng", "Áp dụng cho toàn thể công chức, viên chức và người lao động.")
    a2 = conv.add_article(ch, "Giờ làm việc", "Buổi sáng từ 7 giờ 00, buổi chiều từ 13 giờ 30.")
    assert conv.select_item(ARTICLE, a2)
    assert conv.update_article(a2, body="Buổi sáng từ 7 giờ 30, buổi chiều từ 13 giờ 30.")
    conv.select_item(ARTICLE, a1)  # the officer moves on, then goes to another page
    page = w.show_page("tieu-chi")
    page.select_code("2.2")
    assert w.act_undo.text() == "Hoàn tác sửa nội dung điều «Giờ làm việc»"

    w.act_undo.trigger()

    assert w.stack.currentWidget() is conv  # not undone out of sight
    assert conv._selected_key() == (ARTICLE, a2)
    assert stored_articles(blank_doc_path)[1][1] == "Buổi sáng từ 7 giờ 00, buổi chiều từ 13 giờ 30."
    assert "Đã hoàn tác" in w.statusBar().currentMessage() and "Quy ước" in w.statusBar().currentMessage()


def test_undo_of_an_answer_from_another_page_selects_the_criterion(open_window, blank_doc_path, qtbot):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    page.answer("1.3", value=86.0)
    page.select_code("2.2")
    page.answer("2.2", status=scoring.ResultStatus.MET)
    page.select_code("1.1")
    assert w.act_undo.text() == "Hoàn tác đánh giá tiêu chí 2.2: Đạt"
    w.show_page("minh-chung")

    w.act_undo.trigger()
    assert w.stack.currentWidget() is page
    assert page.current_code == "2.2"
    assert page.tree.currentIndex().data() == "2.2"
    assert stored(blank_doc_path, "2.2").status == "chua-danh-gia"
    assert w.act_undo.text() == "Hoàn tác đánh giá tiêu chí 1.3: 86%"
    assert w.act_redo.text() == "Làm lại đánh giá tiêu chí 2.2: Đạt"

    w.show_page("don-vi")
    w.act_redo.trigger()  # redo shows it as well
    assert w.stack.currentWidget() is page and page.current_code == "2.2"
    assert stored(blank_doc_path, "2.2").status == "dat"


def test_undo_menu_names_a_report_field(open_window, blank_doc_path, qtbot):
    w = open_window(blank_doc_path)
    unit = w.show_page("don-vi")
    edit = unit.findChild(QLineEdit, "report_symbol")
    edit.setText("BC-VHCS")
    edit.editingFinished.emit()
    assert w.act_undo.text() == "Hoàn tác sửa «Ký hiệu báo cáo» của báo cáo năm 2026"
    w.show_page("tieu-chi").search_edit.setFocus()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w.page("tieu-chi").tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z
    assert w.stack.currentWidget() is unit
    with open_document(blank_doc_path, read_only=True) as doc:
        assert next(p for p in docsvc.list_periods(doc)).report_symbol != "BC-VHCS"
