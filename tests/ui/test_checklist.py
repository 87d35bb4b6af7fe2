"""The checklist page: answering through the delegate and the detail pane, undo, filters, search."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem

from khoiapp import scoring
from khoiapp.db import open_document
from khoiapp.services import criteria as crit
from ui.models.checklist_model import COL_EVIDENCE, COL_RESULT, ChecklistModel
from ui.textfold import fold, matches
from ui.widgets.field_check import CheckedCellEditor

YEAR = 2026


def stored(path, code):
    """The criterion as saved in the document file (a separate connection)."""
    with open_document(path, read_only=True) as doc:
        return next(c for c in crit.checklist(doc, YEAR).criteria if c.code == code)


def edit_through_delegate(page, code, set_value):
    """Open the Kết quả editor the tree would open, set it, and commit it."""
    idx = page.proxy.mapFromSource(page.model.index_of(code, COL_RESULT))
    assert idx.isValid()
    assert page.proxy.flags(idx) & Qt.ItemFlag.ItemIsEditable
    delegate = page.tree.itemDelegateForColumn(COL_RESULT)
    editor = delegate.createEditor(page.tree.viewport(), QStyleOptionViewItem(), idx)
    delegate.setEditorData(editor, idx)
    set_value(editor)
    delegate.setModelData(editor, page.proxy, idx)
    editor.deleteLater()


def test_yesno_answer_via_delegate_saved_undone_redone_and_kept(open_window, blank_doc_path):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    assert stored(blank_doc_path, "1.1").status == "chua-danh-gia"

    def choose_met(editor):
        assert isinstance(editor, QComboBox)
        assert [editor.itemText(i) for i in range(editor.count())][:2] == ["Đạt", "Chưa đạt"]
        editor.setCurrentIndex(editor.findData("dat"))

    edit_through_delegate(page, "1.1", choose_met)
    assert stored(blank_doc_path, "1.1").status == "dat"
    assert page.model.criterion("1.1").status == "dat"
    w.ctx.undo_stack.undo()
    assert stored(blank_doc_path, "1.1").status == "chua-danh-gia"
    assert page.model.criterion("1.1").status == "chua-danh-gia"
    w.ctx.undo_stack.redo()
    assert stored(blank_doc_path, "1.1").status == "dat"
    w.close()

    again = open_window(blank_doc_path)
    assert again.page("tieu-chi").model.criterion("1.1").status == "dat"


def test_percent_answer_via_delegate(open_window, blank_doc_path):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")

    def type_86_5(editor):
        assert isinstance(editor, CheckedCellEditor)
        editor.setText("86,5")

    edit_through_delegate(page, "1.3", type_86_5)
    c = stored(blank_doc_path, "1.3")
    assert (c.value, c.status) == (86.5, "dat")


def test_percent_answer_via_detail_pane_undo_and_reopen(open_window, blank_doc_path, qtbot):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    page.select_code("1.3")  # ≥ 80 %
    detail = page.detail
    assert detail.value_row.isVisible()
    detail.value_edit.setText("75,5")
    qtbot.keyClick(detail.value_edit, Qt.Key.Key_Return)
    c = stored(blank_doc_path, "1.3")
    assert (c.value, c.status) == (75.5, "chua-dat")
    assert "Chưa đạt" in detail.value_result.text()
    detail.value_edit.setText("92")
    qtbot.keyClick(detail.value_edit, Qt.Key.Key_Return)
    assert stored(blank_doc_path, "1.3").value == 92.0
    w.ctx.undo_stack.undo()
    assert stored(blank_doc_path, "1.3").value == 75.5
    assert detail.value_edit.text() == "75,5"
    w.ctx.undo_stack.undo()
    c = stored(blank_doc_path, "1.3")
    assert (c.value, c.status) == (None, "chua-danh-gia")
    w.ctx.undo_stack.redo()
    w.ctx.undo_stack.redo()
    w.close()
    assert stored(blank_doc_path, "1.3").value == 92.0


def test_percent_out_of_range_shown_under_the_field_and_document_kept(open_window, blank_doc_path, qtbot, messages):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    page.select_code("1.3")
    page.detail.value_edit.setText("150")
    qtbot.keyClick(page.detail.value_edit, Qt.Key.Key_Return)
    assert messages == []  # no window: one red line under the field
    assert page.detail.value_check.hint.isVisibleTo(page.detail)
    assert "0 đến 100" in page.detail.value_check.hint.text()
    assert page.detail.value_edit.property("invalid") is True
    assert stored(blank_doc_path, "1.3").value is None
    assert page.detail.value_edit.text() == "150"  # kept for correcting
    assert w.ctx.undo_stack.count() == 0


def test_yesno_answer_via_detail_combo(open_window, blank_doc_path):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    page.select_code("2.2")
    combo = page.detail.status_combo
    combo.setCurrentIndex(combo.findData("chua-dat"))
    combo.activated.emit(combo.currentIndex())
    assert stored(blank_doc_path, "2.2").status == "chua-dat"


def test_narrative_saved_after_idle_and_undoable(open_window, blank_doc_path, qtbot):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    page.select_code("1.1")
    edit = page.detail.narrative["strengths"].edit
    edit.setPlainText("Cán bộ đồng thuận, thực hiện nghiêm túc.")
    qtbot.waitUntil(lambda: stored(blank_doc_path, "1.1").strengths == "Cán bộ đồng thuận, thực hiện nghiêm túc.", timeout=3000)
    assert w.ctx.undo_stack.count() == 1
    w.ctx.undo_stack.undo()
    assert stored(blank_doc_path, "1.1").strengths == ""
    assert edit.toPlainText() == ""
    w.ctx.undo_stack.redo()
    assert edit.toPlainText() == "Cán bộ đồng thuận, thực hiện nghiêm túc."


def test_narrative_pending_text_saved_on_close(open_window, blank_doc_path):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    page.select_code("1.2")
    page.detail.narrative["weaknesses"].edit.setPlainText("Còn chậm cập nhật minh chứng.")
    w.close()  # before the idle timer: closing must not lose it
    assert stored(blank_doc_path, "1.2").weaknesses == "Còn chậm cập nhật minh chứng."


def test_group_and_overall_result_update_as_answers_come_in(open_window, blank_doc_path):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    group_idx = page.model.index(3, COL_RESULT)  # group IV: three criteria
    assert page.model.groups[3].code == "IV"
    assert group_idx.data().startswith("0/3 đạt")
    assert "Chưa đủ dữ liệu" in page.overall_label.text()
    page.answer("4.1", status=scoring.ResultStatus.MET)
    page.answer("4.2", value=3)
    page.answer("4.3", status=scoring.ResultStatus.MET)
    assert page.model.index(3, COL_RESULT).data() == "3/3 đạt · Đạt"
    assert "Đã đánh giá 3/20" in page.overall_label.text()
    assert w.readiness_label.text().startswith("Đã đánh giá 3/20")


def test_search_ignores_diacritics(open_window, demo_doc_path):
    w = open_window(demo_doc_path)
    page = w.show_page("tieu-chi")
    page.search_edit.setText("quy uoc")
    codes = page.visible_codes()
    assert "2.2" in codes  # "Quy ước xây dựng cơ quan, đơn vị văn hóa …"
    assert len(codes) < 31
    for code in codes:
        c = page.model.criterion(code)
        assert matches("quy uoc", c.code, c.title, c.guidance)
    page.search_edit.setText("QUY ƯỚC")
    assert page.visible_codes() == codes


def test_search_says_which_criteria_match_only_in_their_guidance(open_window, demo_doc_path):
    from PySide6.QtCore import Qt

    from ui.models.checklist_model import COL_TITLE

    w = open_window(demo_doc_path)
    page = w.show_page("tieu-chi")
    page.search_edit.setText("quy uoc")
    by_name = [  # every word in the code or name, as the filter reads a search
        c for c in page.visible_codes() if all(w in fold(f"{c} {page.model.criterion(c).title}") for w in ("quy", "uoc"))
    ]
    by_guidance = [c for c in page.visible_codes() if c not in by_name]
    assert by_name and by_guidance  # e.g. 2.2 by its name, 1.2 and 1.6 by their guidance
    note = page.search_note.text()
    assert f"Tìm thấy {len(by_name) + len(by_guidance)} tiêu chí" in note
    assert f"{len(by_guidance)} tiêu chí chỉ khớp trong phần hướng dẫn" in note
    for code, italic in [(by_guidance[0], True), (by_name[0], False)]:
        idx = page.proxy.mapFromSource(page.model.index_of(code, COL_TITLE))
        font = idx.data(Qt.ItemDataRole.FontRole)
        assert bool(font and font.italic()) is italic
    page.search_edit.clear()
    assert not page.search_note.isVisible()
    page.search_edit.setText("KM.1")
    assert "KM.1" in page.visible_codes()
    page.search_edit.clear()
    assert len(page.visible_codes()) == 31


def test_ctrl_f_focuses_search(open_window, demo_doc_path):
    w = open_window(demo_doc_path)
    w.set_page(0)
    w.act_find.trigger()
    assert w.stack.currentWidget() is w.page("tieu-chi")
    assert w.page("tieu-chi").search_edit.hasFocus() or w.page("tieu-chi").search_edit.isVisible()


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("all", None),
        ("unanswered", lambda c: c.status == "chua-danh-gia"),
        ("not-met", lambda c: c.code == "1.4"),
        ("evidence", lambda c: True),  # a new document has no evidence yet
        ("confirm", lambda c: False),
    ],
)
def test_filters(open_window, blank_doc_path, mode, expected):
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    page.answer("1.1", status=scoring.ResultStatus.MET)
    page.answer("1.4", status=scoring.ResultStatus.NOT_MET)
    page.filter_combo.setCurrentIndex(page.filter_combo.findData(mode))
    all_codes = [c.code for ch in page.model.group_rows for c in ch]
    want = all_codes if expected is None else [code for code in all_codes if expected(page.model.criterion(code))]
    assert page.visible_codes() == want
    if mode == "unanswered":
        assert "1.1" not in want and "1.4" not in want and len(want) == len(all_codes) - 2


def test_filter_missing_evidence_on_demo_is_empty_then_shows_unlinked(open_window, demo_doc_path):
    w = open_window(demo_doc_path)
    page = w.show_page("tieu-chi")
    page.filter_combo.setCurrentIndex(page.filter_combo.findData("evidence"))
    assert page.visible_codes() == []
    assert page.model.index_of("1.1", COL_EVIDENCE).data() == "1/1"


def test_model_structure_groups_then_criteria(qtbot, demo_doc_path):
    with open_document(demo_doc_path, read_only=True) as doc:
        cl = crit.checklist(doc, YEAR)
    model = ChecklistModel()
    model.set_checklist(cl)
    assert model.rowCount() == len(cl.groups) == 9
    first = model.index(0, 0)
    assert model.rowCount(first) == 6
    child = model.index(2, 0, first)
    assert child.data() == "1.3"
    assert model.parent(child) == first
    assert model.index(2, COL_RESULT, first).data() == "86% · Đạt"
    assert model.headerData(COL_RESULT, Qt.Orientation.Horizontal) == "Kết quả"


@pytest.mark.parametrize(
    ("query", "text", "found"),
    [
        ("quy uoc", "Quy ước xây dựng", True),
        ("dang uy", "Bí thư chi bộ / Đảng ủy", True),
        ("DANG", "đảng viên", True),
        ("van hoa", "Văn hóa công sở", True),
        ("van hoa", "Văn hoá công sở", True),  # old-style tone placement
        ("uoc quy", "Quy ước", True),
        ("quy tac", "Quy ước", False),
    ],
)
def test_textfold_matches(query, text, found):
    assert matches(query, text) is found


def test_fold_decomposed_input():
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Quy ước")) == "quy uoc"


def test_carried_over_answer_shows_reference_and_confirms(open_window, blank_doc_path, messages):
    import json
    import sqlite3

    ref = {"year": 2025, "title": "Hoàn thành kế hoạch công tác năm", "status": "dat", "status_label": "Đạt",
           "value": None, "current_state": "Hoàn thành 100% chỉ tiêu năm 2025."}
    con = sqlite3.connect(blank_doc_path)
    con.execute(
        "UPDATE criterion_result SET needs_confirmation = 1, status = 'dat', reference_json = ? WHERE code = '1.1'",
        (json.dumps(ref, ensure_ascii=False),),
    )
    con.commit()
    con.close()
    w = open_window(blank_doc_path)
    page = w.show_page("tieu-chi")
    page.filter_combo.setCurrentIndex(page.filter_combo.findData("confirm"))
    assert page.visible_codes() == ["1.1"]
    page.select_code("1.1")
    detail = page.detail
    assert detail.confirm_button.isVisible()
    assert detail.reference_label.text() == "Năm 2025 — Kết quả: Đạt; Mô tả hiện trạng: Hoàn thành 100% chỉ tiêu năm 2025."
    result = page.model.index_of("1.1", COL_RESULT)
    assert result.data() == "Đạt"  # short enough for the column; «cần xác nhận» is the mark, colour and tooltip
    assert "xác nhận" in result.data(Qt.ItemDataRole.ToolTipRole)
    detail.confirm_button.click()
    assert stored(blank_doc_path, "1.1").needs_confirmation is False
    assert page.visible_codes() == []
    assert not detail.confirm_button.isVisible()
    assert messages == []


def test_drag_files_over_criterion_rows_through_the_viewport(qtbot, blank_doc_path, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from ui.context import AppContext
    from ui.pages.checklist_page import ChecklistPage

    f = tmp_path / "bien-ban.pdf"
    f.write_bytes(b"%PDF-1.4\n")
    ctx = AppContext()
    doc = open_document(blank_doc_path)
    ctx.set_document(doc, YEAR)
    page = ChecklistPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    tree = page.tree
    crit_pos = tree.visualRect(page.proxy.mapFromSource(page.model.index_of("1.2", 1))).center()
    group_pos = tree.visualRect(page.proxy.index(0, 1)).center()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    copy = Qt.DropAction.CopyAction

    enter = QDragEnterEvent(crit_pos, copy, mime, buttons, mods)
    QApplication.sendEvent(tree.viewport(), enter)
    assert enter.isAccepted()
    over_group = QDragMoveEvent(group_pos, copy, mime, buttons, mods)
    QApplication.sendEvent(tree.viewport(), over_group)
    assert not over_group.isAccepted()
    over_crit = QDragMoveEvent(crit_pos, copy, mime, buttons, mods)
    QApplication.sendEvent(tree.viewport(), over_crit)
    assert over_crit.isAccepted()
    with qtbot.waitSignal(page.files_dropped, timeout=1000) as blocker:
        QApplication.sendEvent(tree.viewport(), QDropEvent(QPointF(crit_pos), copy, mime, buttons, mods))
    assert blocker.args == [[str(f)], "1.2"]
    ctx.set_document(None, None)
