"""The tables page: committee, plan, activities, awards and the code of conduct, edited and undone."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from khoiapp.services import content
from khoiapp.services.document import new_document
from ui.context import AppContext
from ui.pages.tables_page import TablesPage
from ui.widgets import row_table
from ui.widgets.row_table import RowTable

YEAR = 2026


@pytest.fixture
def ctx(tmp_path, monkeypatch, qtbot):
    monkeypatch.setenv("KHOI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KHOI_CONFIG_DIR", str(tmp_path / "config"))
    doc = new_document(tmp_path / "don-vi.khoi", unit_name="Sở Tư pháp tỉnh Thanh Hóa", unit_type="co-quan", year=YEAR)
    c = AppContext()
    c.set_document(doc, YEAR)
    yield c
    c.set_document(None, None)


@pytest.fixture
def errors(monkeypatch):
    shown: list[BaseException] = []
    monkeypatch.setattr(row_table, "show_error", lambda parent, exc: shown.append(exc))
    return shown


def _page(qtbot, ctx, keys):
    page = TablesPage(ctx, keys)
    qtbot.addWidget(page)
    return page


def _cell(table: RowTable, row_id: int, name: str):
    col = [f.name for f in table.spec.fields].index(name)
    for r in range(table.proxy.rowCount()):
        idx = table.proxy.index(r, col)
        if idx.data(row_table.RowIdRole) == row_id:
            return idx
    raise AssertionError(f"row {row_id} not shown")


@pytest.mark.parametrize(
    ("keys", "title"),
    [
        (("committee", "plan"), "Ban chỉ đạo và kế hoạch"),
        (("activity", "award"), "Hoạt động và khen thưởng"),
        (("conduct",), "Quy tắc ứng xử"),
    ],
)
def test_title_follows_keys(qtbot, ctx, keys, title):
    page = _page(qtbot, ctx, keys)
    assert page.title == title
    assert set(page.tables) == set(keys)


def test_plan_item_past_deadline_is_late(qtbot, ctx):
    page = _page(qtbot, ctx, ("committee", "plan"))
    plan = page.tables["plan"]
    past = dt.date.today() - dt.timedelta(days=3)
    rid = plan.add_row({"content": "Niêm yết khẩu hiệu tại hội trường", "deadline": past, "status": "dang-thuc-hien"})
    rows = content.list_rows(ctx.doc, "plan", YEAR)
    assert [(r.id, r.late) for r in rows] == [(rid, True)]
    idx = _cell(plan, rid, "content")
    assert idx.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "Quá hạn" in idx.data(Qt.ItemDataRole.ToolTipRole)
    # Marking it done clears the highlight.
    assert plan.model.setData(plan.proxy.mapToSource(_cell(plan, rid, "status")), "hoan-thanh")
    assert content.list_rows(ctx.doc, "plan", YEAR)[0].late is False
    assert _cell(plan, rid, "content").data(Qt.ItemDataRole.BackgroundRole) is None


def test_edit_committee_member_undo_redo(qtbot, ctx):
    page = _page(qtbot, ctx, ("committee", "plan"))
    table = page.tables["committee"]
    rid = table.add_row({"name": "Lê Văn Hùng", "job_title": "Giám đốc", "role": "Trưởng ban"})
    src = table.proxy.mapToSource(_cell(table, rid, "job_title"))
    assert table.model.setData(src, "Phó Giám đốc phụ trách")
    assert content.list_rows(ctx.doc, "committee", YEAR)[0].values["job_title"] == "Phó Giám đốc phụ trách"
    ctx.undo_stack.undo()
    assert content.list_rows(ctx.doc, "committee", YEAR)[0].values["job_title"] == "Giám đốc"
    ctx.undo_stack.redo()
    assert content.list_rows(ctx.doc, "committee", YEAR)[0].values["job_title"] == "Phó Giám đốc phụ trách"
    assert _cell(table, rid, "job_title").data() == "Phó Giám đốc phụ trách"


def test_conduct_posted_toggle_undo_redo(qtbot, ctx):
    page = _page(qtbot, ctx, ("conduct",))
    table = page.tables["conduct"]
    rid = table.add_row({"category": "dong-nghiep", "text": "Chân thành, hợp tác, giúp đỡ lẫn nhau."})
    assert content.list_rows(ctx.doc, "conduct")[0].values["posted"] is False
    src = table.proxy.mapToSource(_cell(table, rid, "posted"))
    assert table.model.setData(src, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert content.list_rows(ctx.doc, "conduct")[0].values["posted"] is True
    assert _cell(table, rid, "posted").data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    ctx.undo_stack.undo()
    assert content.list_rows(ctx.doc, "conduct")[0].values["posted"] is False
    ctx.undo_stack.redo()
    assert content.list_rows(ctx.doc, "conduct")[0].values["posted"] is True


def test_add_undo_redo_keeps_id(qtbot, ctx):
    page = _page(qtbot, ctx, ("activity", "award"))
    table = page.tables["award"]
    rid = table.add_row({"kind": "giay-khen", "content": "Công đoàn cơ sở vững mạnh", "issued_on": dt.date(YEAR, 11, 20)})
    assert [r.id for r in content.list_rows(ctx.doc, "award", YEAR)] == [rid]
    ctx.undo_stack.undo()
    assert content.list_rows(ctx.doc, "award", YEAR) == []
    assert table.rows() == []
    ctx.undo_stack.redo()
    rows = content.list_rows(ctx.doc, "award", YEAR)
    assert [(r.id, r.values["content"], r.values["issued_on"]) for r in rows] == [
        (rid, "Công đoàn cơ sở vững mạnh", dt.date(YEAR, 11, 20))
    ]


def test_delete_undo_restores_place(qtbot, ctx):
    page = _page(qtbot, ctx, ("committee", "plan"))
    table = page.tables["committee"]
    ids = [table.add_row({"name": n}) for n in ("Nguyễn An", "Trần Bình", "Lê Chi")]
    assert table.delete_row(ids[1])
    assert [r.id for r in content.list_rows(ctx.doc, "committee", YEAR)] == [ids[0], ids[2]]
    ctx.undo_stack.undo()
    rows = content.list_rows(ctx.doc, "committee", YEAR)
    assert [r.id for r in rows] == ids
    assert rows[1].values["name"] == "Trần Bình"
    ctx.undo_stack.redo()
    assert [r.id for r in content.list_rows(ctx.doc, "committee", YEAR)] == [ids[0], ids[2]]


def test_move_row_and_undo(qtbot, ctx):
    page = _page(qtbot, ctx, ("committee", "plan"))
    table = page.tables["committee"]
    ids = [table.add_row({"name": n}) for n in ("Nguyễn An", "Trần Bình", "Lê Chi")]
    table.select_id(ids[2])
    assert table.up_button.isEnabled() and not table.down_button.isEnabled()
    table.up_button.click()
    assert [r.id for r in content.list_rows(ctx.doc, "committee", YEAR)] == [ids[0], ids[2], ids[1]]
    ctx.undo_stack.undo()
    assert [r.id for r in content.list_rows(ctx.doc, "committee", YEAR)] == ids


def test_required_field_cleared_shows_error_and_keeps_value(qtbot, ctx, errors):
    page = _page(qtbot, ctx, ("committee", "plan"))
    table = page.tables["committee"]
    rid = table.add_row({"name": "Nguyễn An"})
    src = table.proxy.mapToSource(_cell(table, rid, "name"))
    table.model.setData(src, "")
    assert len(errors) == 1 and "Họ và tên" in str(errors[0])
    assert content.list_rows(ctx.doc, "committee", YEAR)[0].values["name"] == "Nguyễn An"
    assert ctx.undo_stack.count() == 1  # only the add


def test_delete_key_clears_optional_date(qtbot, ctx):
    page = _page(qtbot, ctx, ("committee", "plan"))
    plan = page.tables["plan"]
    rid = plan.add_row({"content": "Sơ kết 6 tháng", "deadline": dt.date(YEAR, 7, 15)})
    plan.view.setCurrentIndex(_cell(plan, rid, "deadline"))
    qtbot.keyClick(plan.view, Qt.Key.Key_Delete)
    assert content.list_rows(ctx.doc, "plan", YEAR)[0].values["deadline"] is None
    ctx.undo_stack.undo()
    assert content.list_rows(ctx.doc, "plan", YEAR)[0].values["deadline"] == dt.date(YEAR, 7, 15)


def test_sorting_uses_vietnamese_order_and_disables_moves(qtbot, ctx):
    page = _page(qtbot, ctx, ("committee", "plan"))
    table = page.tables["committee"]
    for n in ("Đỗ Hà", "Dương Minh", "Ân Hòa", "Bùi Lan"):
        table.add_row({"name": n})
    table.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    shown = [table.proxy.index(r, 0).data() for r in range(table.proxy.rowCount())]
    assert shown == ["Ân Hòa", "Bùi Lan", "Dương Minh", "Đỗ Hà"]  # Đ after D, as in Vietnamese
    table.select_id(table.rows()[1].id)
    assert not table.up_button.isEnabled()


def test_no_document_disables_editing(qtbot, ctx):
    page = _page(qtbot, ctx, ("conduct",))
    ctx.set_document(None, None)
    assert not page.tables["conduct"].add_button.isEnabled()
    assert page.tables["conduct"].rows() == []


def test_conduct_filter_by_category(qtbot, ctx):
    page = _page(qtbot, ctx, ("conduct",))
    table = page.tables["conduct"]
    table.add_row({"category": "dong-nghiep", "text": "Chân thành, hợp tác."})
    table.add_row({"category": "nhan-dan", "text": "Tận tụy phục vụ nhân dân."})
    table.add_row({"category": "dong-nghiep", "text": "Không gây mất đoàn kết."})
    combo = table.category_filter
    combo.setCurrentIndex(combo.findData("dong-nghiep"))
    shown = [table.proxy.index(r, 1).data() for r in range(table.proxy.rowCount())]
    assert shown == ["Chân thành, hợp tác.", "Không gây mất đoàn kết."]
    combo.setCurrentIndex(0)
    assert table.proxy.rowCount() == 3


def test_add_dialog_requires_fields_and_returns_values(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(row_table, "show_error", lambda parent, exc: shown.append(exc))
    dlg = row_table.RowDialog(content.TABLES["plan"])
    qtbot.addWidget(dlg)
    dlg._on_accept()
    assert len(shown) == 1 and "Nội dung trọng tâm" in str(shown[0])
    dlg.editors["content"].setPlainText("Sơ kết 6 tháng")
    dlg.editors["deadline"].setDate(dlg.editors["deadline"].date().fromString("15/07/2026", "dd/MM/yyyy"))
    dlg._on_accept()
    assert dlg.result() == row_table.QDialog.DialogCode.Accepted
    values = dlg.values()
    assert values["content"] == "Sơ kết 6 tháng" and values["deadline"] == dt.date(2026, 7, 15)
    assert values["owner"] == "" and values["status"] == "chua-bat-dau"
    assert row_table.RowDialog(content.TABLES["activity"]).values()["participants"] is None
    assert row_table.RowDialog(content.TABLES["activity"]).values()["held_on"] is None


def test_read_only_document_cannot_be_edited(qtbot, tmp_path):
    from khoiapp.db import open_document

    path = tmp_path / "chi-doc.khoi"
    doc = new_document(path, unit_name="Sở Tư pháp tỉnh Thanh Hóa", unit_type="co-quan", year=YEAR)
    content.add_row(doc, "committee", YEAR, name="Nguyễn An")
    doc.close()
    ro = open_document(path, read_only=True)
    c = AppContext()
    c.set_document(ro, YEAR)
    page = _page(qtbot, c, ("committee", "plan"))
    table = page.tables["committee"]
    rid = table.rows()[0].id
    table.select_id(rid)
    assert not table.add_button.isEnabled() and not table.delete_button.isEnabled()
    idx = _cell(table, rid, "name")
    assert not (table.proxy.flags(idx) & Qt.ItemFlag.ItemIsEditable)
    c.set_document(None, None)


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints)", extend=True)  # a popup, offscreen
def test_empty_date_editor_stays_empty_when_its_calendar_opens(qtbot):
    from PySide6.QtCore import QDate, QPoint

    de = row_table.OptionalDateEdit()
    qtbot.addWidget(de)
    assert de.value() is None and de.text().strip() == ""
    de.resize(160, 30)
    de.show()
    qtbot.mouseClick(de, Qt.MouseButton.LeftButton, pos=QPoint(150, 15))  # the arrow: the calendar opens
    cal = de.calendarWidget()
    qtbot.waitUntil(cal.isVisible)
    assert de.is_empty() and de.value() is None  # opening it fills in nothing
    today = QDate.currentDate()
    assert (cal.yearShown(), cal.monthShown()) == (today.year(), today.month())  # not January 1900
    assert de.is_empty()
    cal.window().hide()
    de.stepBy(1)  # the up arrow starts from today
    assert de.date() == today
    de.setReadOnly(True)
    de.set_value(None)
    de.start_from_today_if_empty()
    assert de.is_empty()  # a read-only editor stays empty
    de.setReadOnly(False)
    de.set_value(dt.date(2026, 2, 5))
    assert de.text() == "05/02/2026" and de.value() == dt.date(2026, 2, 5)
