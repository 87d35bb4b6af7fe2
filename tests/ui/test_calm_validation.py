"""Typed values are checked without interrupting: a red line under the field, nothing saved, no window."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from khoiapp.db import open_document
from khoiapp.services import criteria as crit
from khoiapp.services import document as docsvc
from ui.models.checklist_model import COL_RESULT
from ui.widgets.field_check import CheckedCellEditor

YEAR = 2026
LONG_NAME = "Trung tâm Văn hóa, Thông tin và Thể thao huyện Quảng Xương, tỉnh Thanh Hóa"


def stored(path, code):
    with open_document(path, read_only=True) as doc:
        return next(c for c in crit.checklist(doc, YEAR).criteria if c.code == code)


def stored_period(path):
    with open_document(path, read_only=True) as doc:
        return next(p for p in docsvc.list_periods(doc) if p.year_end == YEAR)


def stored_unit(path):
    with open_document(path, read_only=True) as doc:
        return docsvc.get_unit(doc)


@pytest.fixture
def model_doc_path(tmp_path):
    """A unit aiming at «Kiểu mẫu»: percent, count and points criteria."""
    path = tmp_path / "kieu-mau.khoi"
    doc = docsvc.new_document(path, unit_name=LONG_NAME, unit_type="co-quan", year=YEAR, target_model=True)
    doc.close()
    return path


def open_cell_editor(qtbot, page, code) -> CheckedCellEditor:
    """Double-click the Kết quả cell of ``code``, as the officer does."""
    page.window().activateWindow()
    qtbot.waitUntil(page.window().isActiveWindow)
    page.select_code(code)
    idx = page.proxy.mapFromSource(page.model.index_of(code, COL_RESULT))
    page.tree.scrollTo(idx)
    rect = page.tree.visualRect(idx)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = page.tree.indexWidget(idx)
    assert isinstance(editor, CheckedCellEditor), "the Kết quả cell did not open its editor"
    editor.setFocus()
    return editor


def cell_editor(page, code):
    return page.tree.indexWidget(page.proxy.mapFromSource(page.model.index_of(code, COL_RESULT)))


def press_enter(qtbot, page, code, editor):
    """Enter in the cell editor; a valid value commits (queued by Qt) and closes the editor."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    if editor.check(show=False).ok:
        qtbot.waitUntil(lambda: cell_editor(page, code) is None)


def wait_for_pause(qtbot, saver):
    """Let the autosave timer of ``saver`` fire, as when the officer stops typing."""
    assert saver._timer.isActive()
    qtbot.waitUntil(lambda: not saver._timer.isActive(), timeout=5000)


def test_120_in_a_percent_cell_is_refused_and_the_stored_value_unchanged(open_window, model_doc_path, qtbot, messages):
    w = open_window(model_doc_path)
    page = w.show_page("tieu-chi")
    editor = open_cell_editor(qtbot, page, "1.3")
    qtbot.keyClicks(editor, "86")
    press_enter(qtbot, page, "1.3", editor)
    assert stored(model_doc_path, "1.3").value == 86.0
    undo_steps = w.ctx.undo_stack.count()

    editor = open_cell_editor(qtbot, page, "1.3")
    editor.selectAll()
    qtbot.keyClicks(editor, "120")
    assert editor.text() == "120"  # nothing clipped to 12
    press_enter(qtbot, page, "1.3", editor)
    assert cell_editor(page, "1.3") is editor  # still open
    assert editor.hint.isVisible()
    assert "vượt quá 100%" in editor.hint.text()
    assert editor.property("invalid") is True
    c = stored(model_doc_path, "1.3")
    assert (c.value, c.status) == (86.0, "dat")
    assert w.ctx.undo_stack.count() == undo_steps
    assert messages == []

    editor.selectAll()
    qtbot.keyClicks(editor, "79,5")
    assert not editor.hint.isVisible()  # gone as soon as the number is valid
    press_enter(qtbot, page, "1.3", editor)
    c = stored(model_doc_path, "1.3")
    assert (c.value, c.status) == (79.5, "chua-dat")
    assert w.ctx.undo_stack.count() == undo_steps + 1


def test_leaving_a_cell_with_an_invalid_number_saves_nothing_and_says_so_once(open_window, model_doc_path, qtbot, messages):
    w = open_window(model_doc_path)
    page = w.show_page("tieu-chi")
    said = []
    page.message_shown.connect(said.append)
    editor = open_cell_editor(qtbot, page, "KM.3")  # points, at most 10
    qtbot.keyClicks(editor, "12")
    page.search_edit.setFocus()  # the officer clicks elsewhere
    qtbot.waitUntil(lambda: cell_editor(page, "KM.3") is None)
    assert stored(model_doc_path, "KM.3").value is None
    assert messages == []
    assert len(said) == 1 and "tối đa 10 điểm" in said[0]


@pytest.mark.parametrize(
    ("code", "typed", "expected"),
    [("KM.3", "7,5", 7.5), ("KM.6", "1.250", 1250.0), ("1.3", "90%", 90.0)],
)
def test_valid_numbers_typed_in_cells_are_saved(open_window, model_doc_path, qtbot, code, typed, expected):
    w = open_window(model_doc_path)
    page = w.show_page("tieu-chi")
    editor = open_cell_editor(qtbot, page, code)
    qtbot.keyClicks(editor, typed)
    press_enter(qtbot, page, code, editor)
    assert stored(model_doc_path, code).value == expected


def test_fraction_in_a_count_cell_is_refused(open_window, model_doc_path, qtbot, messages):
    w = open_window(model_doc_path)
    page = w.show_page("tieu-chi")
    editor = open_cell_editor(qtbot, page, "KM.6")
    qtbot.keyClicks(editor, "12,5")
    press_enter(qtbot, page, "KM.6", editor)
    assert "số nguyên" in editor.hint.text()
    assert stored(model_doc_path, "KM.6").value is None
    assert messages == []


def test_paused_partial_date_opens_no_window_and_saves_nothing(open_window, blank_doc_path, qtbot, messages):
    w = open_window(blank_doc_path)
    page = w.show_page("don-vi")
    edit = page.registered_edit
    saver = page.period_edits["registered_on"]
    check = page.field_checks["registered_on"]
    edit.setFocus()
    qtbot.keyClicks(edit, "15/0")
    wait_for_pause(qtbot, saver)
    assert messages == []
    assert not check.hint.isVisible()  # a pause says nothing: the officer is still typing
    assert [t for t in QApplication.topLevelWidgets() if t.isVisible() and t is not w] == []
    assert stored_period(blank_doc_path).registered_on is None
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert messages == []
    assert check.hint.isVisible() and "ví dụ 15/01/2026" in check.hint.text()
    assert edit.text() == "15/0"
    qtbot.keyClicks(edit, "1/2026")
    assert not check.hint.isVisible()
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert stored_period(blank_doc_path).registered_on == dt.date(2026, 1, 15)
    assert messages == []


def test_120_in_the_detail_value_opens_no_window(open_window, blank_doc_path, qtbot, messages):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    page.select_code("1.3")
    edit = page.detail.value_edit
    edit.setFocus()
    qtbot.keyClicks(edit, "120")
    wait_for_pause(qtbot, page.detail.value_saver)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    page.search_edit.setFocus()  # leaving the field
    assert messages == []
    assert stored(blank_doc_path, "1.3").value is None
    assert "vượt quá 100%" in page.detail.value_check.hint.text()
    assert page.detail.value_check.hint.isVisibleTo(page.detail)


def test_letters_in_a_count_are_kept_and_explained(open_window, blank_doc_path, qtbot, messages):
    w = open_window(blank_doc_path)
    page = w.show_page("don-vi")
    edit = page.findChild(QLineEdit, "party_member_count")
    check = page.field_checks["party_member_count"]
    edit.setFocus()
    qtbot.keyClicks(edit, "4a5")
    assert edit.text() == "4a5"  # not silently dropped
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert "chỉ gồm chữ số" in check.hint.text() and check.hint.isVisible()
    assert stored_unit(blank_doc_path).party_member_count is None
    edit.selectAll()
    qtbot.keyClicks(edit, "45")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert stored_unit(blank_doc_path).party_member_count == 45
    assert not check.hint.isVisible()
    assert messages == []


def test_one_message_per_refused_save(open_window, blank_doc_path, qtbot, messages):
    w = open_window(blank_doc_path)
    page = w.show_page("don-vi")
    edit = page.findChild(QLineEdit, "name")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # an empty name is refused by the document
    page.findChild(QLineEdit, "short_name").setFocus()  # the focus leaving must not say it again
    wait_for_pause_if_active(qtbot, page.unit_edits["name"])
    assert len(messages) == 1
    assert "không được để trống" in messages[0].text
    assert stored_unit(blank_doc_path).name == "Sở Tư pháp tỉnh Thanh Hóa"


def wait_for_pause_if_active(qtbot, saver):
    if saver._timer.isActive():
        wait_for_pause(qtbot, saver)
