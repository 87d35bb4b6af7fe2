"""The whole path of an officer through the window, each step checked in the document file.

first start → unit → criteria (yes/no and percent) → evidence dropped on a criterion and on the
library → Quy ước → code of conduct → undo and redo → close and reopen.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem

from khoiapp import paths
from khoiapp.db import open_document
from khoiapp.services import content
from khoiapp.services import criteria as crit
from khoiapp.services import document as docsvc
from khoiapp.services import evidence as evsvc
from ui.main_window import MainWindow
from ui.models.checklist_model import COL_RESULT

YEAR = 2026


class Snapshot:
    """What the document file holds right now (read through a separate, read-only connection)."""

    def __init__(self, path):
        with open_document(path, read_only=True) as doc:
            self.info = docsvc.document_info(doc)
            self.unit = docsvc.get_unit(doc)
            self.criteria = {c.code: c for c in crit.checklist(doc, YEAR).criteria}
            self.evidence = evsvc.list_evidence(doc, YEAR)
            self.convention = content.current_convention(doc)
            self.conduct = content.list_rows(doc, "conduct", None)

    def outline(self):
        c = self.convention
        if c is None:
            return None
        return [(ch.title, [(a.title, a.body) for a in ch.articles]) for ch in c.chapters]


def drop_event(files, pos):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    ev = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    return ev, mime  # keep the mime data alive while the event is used


@pytest.fixture
def photo(tmp_path):
    img = QImage(80, 50, QImage.Format.Format_RGB32)
    img.fill(QColor("#2e7d32"))
    path = tmp_path / "Ảnh niêm yết quy ước.png"
    assert img.save(str(path), "PNG")
    return path


@pytest.fixture
def minutes_pdf(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "bien-ban-hoi-nghi.pdf"
    c = canvas.Canvas(str(path), invariant=True)
    c.drawString(72, 720, "Bien ban Hoi nghi vien chuc, nguoi lao dong nam 2026")
    c.showPage()
    c.save()
    return path


def test_officer_flow_every_change_in_the_document(qtbot, sync_tasks, messages, photo, minutes_pdf):
    # 1. First start: no document yet → welcome → the default document is created.
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.start()
    dlg = w.welcome_dialog
    assert dlg is not None
    dlg.name_edit.setText("Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa")
    dlg.type_combo.setCurrentIndex(dlg.type_combo.findData("co-quan"))
    dlg.year_spin.setValue(YEAR)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    path = paths.default_document_path()
    snap = Snapshot(path)
    assert snap.unit.name == "Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa"
    assert snap.unit.unit_type == "co-quan"
    assert [p.period.year_end for p in snap.info.periods] == [YEAR]

    # 2. Unit profile: each field is saved when the officer leaves it.
    unit = w.show_page("don-vi")
    for key, text in (("head_name", "Phạm Thị Hằng"), ("union_chair", "Lê Văn Ước"), ("staff_count", "64")):
        edit = unit.unit_edits[key].edit
        edit.setText(text)
        edit.editingFinished.emit()
    snap = Snapshot(path)
    assert (snap.unit.head_name, snap.unit.union_chair, snap.unit.staff_count) == ("Phạm Thị Hằng", "Lê Văn Ước", 64)

    # 3. Criteria: 1.1 (yes/no) through the tree's editor, 1.3 (percent) in the detail pane.
    page = w.show_page("tieu-chi")
    idx = page.proxy.mapFromSource(page.model.index_of("1.1", COL_RESULT))
    delegate = page.tree.itemDelegateForColumn(COL_RESULT)
    editor = delegate.createEditor(page.tree.viewport(), QStyleOptionViewItem(), idx)
    assert isinstance(editor, QComboBox)
    editor.setCurrentIndex(editor.findData("dat"))
    delegate.setModelData(editor, page.proxy, idx)
    page.select_code("1.3")
    page.detail.value_edit.setText("87,5")
    qtbot.keyClick(page.detail.value_edit, Qt.Key.Key_Return)
    page.detail.narrative["current_state"].edit.setPlainText("87,5% công chức tự học, bồi dưỡng thường xuyên.")
    page.detail.narrative["current_state"].flush()
    snap = Snapshot(path)
    assert snap.criteria["1.1"].status == "dat"
    assert (snap.criteria["1.3"].value, snap.criteria["1.3"].status) == (87.5, "dat")
    assert snap.criteria["1.3"].current_state == "87,5% công chức tự học, bồi dưỡng thường xuyên."
    assert w.result_label.text() == "Kết quả: Chưa đủ dữ liệu"
    assert w.readiness_label.text().startswith("Đã đánh giá 2/")

    # 4. Evidence: a photo dropped on criterion 2.2 in the checklist, a PDF dropped on the library.
    pytest.importorskip("ui.pages.evidence_page")
    target = page.proxy.mapFromSource(page.model.index_of("2.2", 1))
    page.tree.scrollTo(target)
    ev, _mime = drop_event([photo], page.tree.visualRect(target).center())
    page.tree.dropEvent(ev)
    assert ev.isAccepted()
    snap = Snapshot(path)
    assert [(e.file_name, e.criteria) for e in snap.evidence] == [(photo.name, ("2.2",))]
    assert snap.criteria["2.2"].evidence_codes == (snap.evidence[0].code,)
    assert page.model.index_of("2.2", 5).data() == f"1/{snap.criteria['2.2'].min_evidence}"
    evpage = w.show_page("minh-chung")
    ev2, _mime2 = drop_event([minutes_pdf], QPointF(30, 30))
    evpage.dropEvent(ev2)
    snap = Snapshot(path)
    assert sorted(e.file_name for e in snap.evidence) == sorted([photo.name, minutes_pdf.name])
    ev_count = len(snap.evidence)

    # 5. Quy ước: create it, one chapter with two articles.
    pytest.importorskip("ui.pages.convention_page")
    conv = w.show_page("quy-uoc")
    assert conv.create_convention()
    ch = conv.add_chapter("Những quy định chung")
    conv.add_article(ch, "Phạm vi áp dụng", "Áp dụng đối với công chức, viên chức, người lao động của Sở.")
    conv.add_article(ch, "Giờ giấc làm việc", "Đi làm đúng giờ; không làm việc riêng trong giờ hành chính.")
    assert Snapshot(path).outline() == [
        (
            "Những quy định chung",
            [
                ("Phạm vi áp dụng", "Áp dụng đối với công chức, viên chức, người lao động của Sở."),
                ("Giờ giấc làm việc", "Đi làm đúng giờ; không làm việc riêng trong giờ hành chính."),
            ],
        )
    ]

    # 6. Code of conduct: a rule, then marked as posted.
    pytest.importorskip("ui.pages.tables_page")
    conduct_page = w.show_page("quy-tac-ung-xu")
    table = conduct_page.tables["conduct"]
    rid = table.add_row({"category": "nhan-dan", "text": "Lắng nghe, tận tình hướng dẫn người dân."})
    from ui.widgets.row_table import RowIdRole

    col = [f.name for f in table.spec.fields].index("posted")
    cell = next(
        table.proxy.index(r, col)
        for r in range(table.proxy.rowCount())
        if table.proxy.index(r, col).data(RowIdRole) == rid
    )
    src = table.proxy.mapToSource(cell)
    assert table.model.setData(src, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    snap = Snapshot(path)
    assert [(r.values["category"], r.values["text"], r.values["posted"]) for r in snap.conduct] == [
        ("nhan-dan", "Lắng nghe, tận tình hướng dẫn người dân.", True)
    ]

    # 7. Undo the last three edits (posted, the rule, the second article), then redo them.
    stack = w.ctx.undo_stack
    stack.undo()
    assert Snapshot(path).conduct[0].values["posted"] is False
    stack.undo()
    assert Snapshot(path).conduct == []
    stack.undo()
    assert [a for _t, a in Snapshot(path).outline()][0] == [
        ("Phạm vi áp dụng", "Áp dụng đối với công chức, viên chức, người lao động của Sở.")
    ]
    stack.redo()
    stack.redo()
    stack.redo()
    snap = Snapshot(path)
    assert len(snap.outline()[0][1]) == 2
    assert [(r.values["text"], r.values["posted"]) for r in snap.conduct] == [
        ("Lắng nghe, tận tình hướng dẫn người dân.", True)
    ]

    # 8. Close and reopen: everything is there, in the file and in the window.
    w.close()
    assert w.ctx.doc is None
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    again.start()  # the most recent document
    assert again.ctx.doc is not None and again.ctx.doc.path == path
    snap = Snapshot(path)
    assert snap.unit.head_name == "Phạm Thị Hằng"
    assert snap.criteria["1.1"].status == "dat" and snap.criteria["1.3"].value == 87.5
    assert len(snap.evidence) == ev_count == 2
    assert snap.outline()[0][0] == "Những quy định chung"
    assert snap.conduct[0].values["posted"] is True
    assert again.page("don-vi").unit_edits["head_name"].edit.text() == "Phạm Thị Hằng"
    assert again.page("tieu-chi").model.criterion("1.3").value == 87.5
    assert again.windowTitle() == "Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa — Khối"
    assert messages == []
    again.close()
