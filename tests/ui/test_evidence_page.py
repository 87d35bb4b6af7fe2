"""The evidence page: files dropped are stored once, described, linked, deleted and undone."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage

from khoiapp.errors import EvidenceFileError, EvidenceTooLargeError
from khoiapp.services import criteria as crit
from khoiapp.services import evidence as evsvc
from khoiapp.services.document import new_document
from ui.context import AppContext
from ui.pages import evidence_page
from ui.pages.evidence_page import EvidencePage, fold
from ui.widgets.evidence_thumbs import render_pdf_first_page

YEAR = 2026


@pytest.fixture
def ctx(tmp_path, monkeypatch, qtbot):
    monkeypatch.setenv("KHOI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KHOI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("KHOI_EVIDENCE_LIMIT_MB", raising=False)
    doc = new_document(tmp_path / "don-vi.khoi", unit_name="Sở Tư pháp tỉnh Thanh Hóa", unit_type="co-quan", year=YEAR)
    c = AppContext()
    c.set_document(doc, YEAR)
    yield c
    c.set_document(None, None)


@pytest.fixture
def errors(monkeypatch):
    shown: list[BaseException] = []
    monkeypatch.setattr(evidence_page, "show_error", lambda parent, exc: shown.append(exc))
    return shown


@pytest.fixture
def page(qtbot, ctx):
    p = EvidencePage(ctx)
    qtbot.addWidget(p)
    yield p
    p.thumbs.wait(5000)


@pytest.fixture
def png(tmp_path):
    img = QImage(64, 40, QImage.Format.Format_RGB32)
    img.fill(QColor("#b22222"))
    path = tmp_path / "Ảnh khẩu hiệu.png"
    assert img.save(str(path), "PNG")
    return path


@pytest.fixture
def pdf(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "Bien-ban-hoi-nghi.pdf"
    c = canvas.Canvas(str(path), invariant=True)
    c.drawString(72, 720, "Bien ban hoi nghi vien chuc")
    c.showPage()
    c.save()
    return path


def _drop(page: EvidencePage, *paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    assert event.isAccepted()


def _add(qtbot, page: EvidencePage, *paths, criteria=()):
    with qtbot.waitSignal(page.evidence_added, timeout=20000) as blocker:
        page.add_files([str(p) for p in paths], criteria=criteria)
    return blocker.args[0]


def _first_codes(ctx, n=2):
    return [c.code for c in crit.checklist(ctx.doc, YEAR).criteria[:n]]


def test_drop_png_and_pdf_stores_both(qtbot, ctx, page, png, pdf):
    with qtbot.waitSignal(page.evidence_added, timeout=20000):
        _drop(page, png, pdf)
    stored = evsvc.list_evidence(ctx.doc, YEAR)
    assert sorted(e.file_name for e in stored) == sorted([png.name, pdf.name])
    assert {e.mime_type for e in stored} == {"image/png", "application/pdf"}
    assert evsvc.blob_count(ctx.doc) == 2
    by_name = {e.file_name: e for e in stored}
    assert by_name[png.name].sha256 == hashlib.sha256(png.read_bytes()).hexdigest()
    assert len(page.evidence()) == 2


def test_drag_enter_accepts_local_files_only(qtbot, page, png):
    from PySide6.QtGui import QDragEnterEvent

    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(png))])
    ev = QDragEnterEvent(page.rect().center(), Qt.DropAction.CopyAction, files, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dragEnterEvent(ev)
    assert ev.isAccepted()
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/a.png")])
    ev2 = QDragEnterEvent(page.rect().center(), Qt.DropAction.CopyAction, web, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.dragEnterEvent(ev2)
    assert not ev2.isAccepted()


def test_add_with_criteria_links_them(qtbot, ctx, page, pdf):
    codes = _first_codes(ctx)
    results = _add(qtbot, page, pdf, criteria=(codes[0],))
    assert len(results) == 1 and not results[0].reused
    (e,) = evsvc.list_evidence(ctx.doc, YEAR)
    assert e.criteria == (codes[0],)
    assert e.code.startswith(f"MC-{codes[0]}-")


def test_same_file_again_is_linked_not_stored_twice(qtbot, ctx, page, png):
    codes = _first_codes(ctx)
    _add(qtbot, page, png)
    assert evsvc.blob_count(ctx.doc) == 1
    (first,) = evsvc.list_evidence(ctx.doc, YEAR)
    results = _add(qtbot, page, png, criteria=(codes[1],))
    assert results[0].reused
    assert evsvc.blob_count(ctx.doc) == 1
    (again,) = evsvc.list_evidence(ctx.doc, YEAR)
    assert again.id == first.id and again.criteria == (codes[1],)
    assert "đã có" in page.notice_label.text() and first.code in page.notice_label.text()
    # Undo removes only the new link; the evidence stays.
    ctx.undo_stack.undo()
    (after,) = evsvc.list_evidence(ctx.doc, YEAR)
    assert after.id == first.id and after.criteria == ()


def test_unsupported_file_refused_nothing_changed(qtbot, ctx, page, tmp_path, errors):
    exe = tmp_path / "caidat.exe"
    exe.write_bytes(b"MZ" + b"\0" * 100)
    assert page.add_files([str(exe)]) is None
    assert len(errors) == 1 and isinstance(errors[0], EvidenceFileError)
    assert "caidat.exe" in str(errors[0])
    assert evsvc.list_evidence(ctx.doc, YEAR) == []
    assert evsvc.blob_count(ctx.doc) == 0
    assert ctx.undo_stack.count() == 0


def test_too_large_file_refused_nothing_changed(qtbot, ctx, page, tmp_path, errors, monkeypatch):
    monkeypatch.setenv("KHOI_EVIDENCE_LIMIT_MB", "0.001")
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * 5000)
    _drop(page, big)
    assert len(errors) == 1 and isinstance(errors[0], EvidenceTooLargeError)
    assert evsvc.list_evidence(ctx.doc, YEAR) == []
    assert evsvc.blob_count(ctx.doc) == 0


def test_edit_metadata_stored_undo_redo(qtbot, ctx, page, pdf):
    _add(qtbot, page, pdf)
    (e,) = evsvc.list_evidence(ctx.doc, YEAR)
    assert page.select_id(e.id)
    page.title_edit.setText("Biên bản Hội nghị viên chức năm 2026")
    page.title_edit.editingFinished.emit()
    page.number_edit.setText("02/BB-HNVC")
    page.number_edit.editingFinished.emit()
    page.issuer_edit.setText("Công đoàn cơ sở")
    page.issuer_edit.editingFinished.emit()
    page.date_edit.setDate(page.date_edit.date().fromString("07/03/2026", "dd/MM/yyyy"))
    page.date_edit.editingFinished.emit()
    _choose_attach(qtbot, page, "list")
    got = evsvc.get_evidence(ctx.doc, e.id)
    assert (got.title, got.doc_number, got.issuer, got.issued_on, got.embed) == (
        "Biên bản Hội nghị viên chức năm 2026",
        "02/BB-HNVC",
        "Công đoàn cơ sở",
        dt.date(2026, 3, 7),
        False,
    )
    ctx.undo_stack.undo()  # embed
    ctx.undo_stack.undo()  # date
    got = evsvc.get_evidence(ctx.doc, e.id)
    assert got.embed is True and got.issued_on is None and got.issuer == "Công đoàn cơ sở"
    assert page.date_edit.specialValueText() and page.date_edit.date() == page.date_edit.minimumDate()
    ctx.undo_stack.redo()
    assert evsvc.get_evidence(ctx.doc, e.id).issued_on == dt.date(2026, 3, 7)


def _choose_attach(qtbot, page, choice):
    """Move the «Đưa vào hồ sơ» box to ``choice`` with one key, as an officer does: ↓ or ↑ to the next
    choice (greyed-out ones are skipped), or the first letter of «Chỉ liệt kê»."""
    combo = page.attach_combo
    combo.setFocus()
    target = combo.findData(choice)
    if choice == "list":
        qtbot.keyClicks(combo, "C")
    else:
        qtbot.keyClick(combo, Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up)
    assert combo.currentIndex() == target, "not one key away"


def test_attach_choice_per_item_stored_undoable_and_named_in_the_edit_menu(qtbot, ctx, page, pdf, tmp_path):
    from PIL import Image

    photo = tmp_path / "IMG_2041.jpg"
    Image.new("RGB", (2000, 1500), (90, 140, 60)).save(photo, format="JPEG", quality=92)
    _add(qtbot, page, photo)
    _add(qtbot, page, pdf)
    items = {e.mime_type: e for e in evsvc.list_evidence(ctx.doc, YEAR)}
    jpg, scan = items["image/jpeg"], items["application/pdf"]
    assert page.select_id(jpg.id)
    assert page.attach_combo.currentData() == "auto"
    _choose_attach(qtbot, page, "reduced")
    assert evsvc.get_evidence(ctx.doc, jpg.id).attach == "reduced"
    assert ctx.undo_stack.undoText() == f"sửa cách đưa vào hồ sơ của minh chứng {jpg.code}"  # «Hoàn tác …» in Sửa
    _choose_attach(qtbot, page, "original")
    assert evsvc.get_evidence(ctx.doc, jpg.id).attach == "original"
    assert ctx.undo_stack.count() == 4  # two files added, two choices
    ctx.undo_stack.undo()
    assert evsvc.get_evidence(ctx.doc, jpg.id).attach == "reduced"
    assert page.attach_combo.currentData() == "reduced"
    ctx.undo_stack.undo()
    assert evsvc.get_evidence(ctx.doc, jpg.id).attach == "auto"
    ctx.undo_stack.redo()
    assert evsvc.get_evidence(ctx.doc, jpg.id).attach == "reduced"
    # a scan has no reduced copy: the choice is greyed out for it, and the table says what is chosen
    assert page.select_id(scan.id)
    combo = page.attach_combo
    assert not combo.model().item(combo.findData("reduced")).isEnabled()
    _choose_attach(qtbot, page, "list")
    got = evsvc.get_evidence(ctx.doc, scan.id)
    assert (got.attach, got.embed) == ("list", False)
    row = next(i for i, e in enumerate(page.model.items) if e.id == scan.id)
    idx = page.model.index(row, evidence_page.COL["embed"])
    assert page.model.data(idx, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert page.model.data(idx, Qt.ItemDataRole.ToolTipRole) == "Chỉ liệt kê, không đính kèm vào hồ sơ"


def test_note_saved_when_focus_leaves_or_idle(qtbot, ctx, page, png):
    _add(qtbot, page, png)
    (e,) = evsvc.list_evidence(ctx.doc, YEAR)
    page.select_id(e.id)
    page.note_edit.setPlainText("Bản chụp niêm yết tại hội trường tầng 2")
    qtbot.waitUntil(lambda: evsvc.get_evidence(ctx.doc, e.id).note == "Bản chụp niêm yết tại hội trường tầng 2", timeout=5000)


def test_bad_code_refused_and_field_reset(qtbot, ctx, page, png, errors):
    _add(qtbot, page, png)
    (e,) = evsvc.list_evidence(ctx.doc, YEAR)
    page.select_id(e.id)
    page.code_edit.setText("MC 1 có dấu cách")
    page.code_edit.editingFinished.emit()
    assert len(errors) == 1
    assert evsvc.get_evidence(ctx.doc, e.id).code == e.code
    assert page.code_edit.text() == e.code


def test_link_and_unlink_from_criteria_list(qtbot, ctx, page, png):
    codes = _first_codes(ctx)
    _add(qtbot, page, png)
    (e,) = evsvc.list_evidence(ctx.doc, YEAR)
    page.select_id(e.id)
    item = next(page.criteria_list.item(i) for i in range(page.criteria_list.count()) if page.criteria_list.item(i).data(Qt.ItemDataRole.UserRole) == codes[1])
    item.setCheckState(Qt.CheckState.Checked)
    assert evsvc.get_evidence(ctx.doc, e.id).criteria == (codes[1],)
    ctx.undo_stack.undo()
    assert evsvc.get_evidence(ctx.doc, e.id).criteria == ()
    ctx.undo_stack.redo()
    assert evsvc.get_evidence(ctx.doc, e.id).criteria == (codes[1],)


def test_delete_then_undo_restores_file_code_and_links(qtbot, ctx, page, pdf):
    codes = _first_codes(ctx)
    _add(qtbot, page, pdf, criteria=(codes[0],))
    (e,) = evsvc.list_evidence(ctx.doc, YEAR)
    page.select_id(e.id)
    page.note_edit.setPlainText("Bản chính lưu tại văn thư")
    page._commit_note()
    assert page.delete_evidence(e.id)
    assert evsvc.list_evidence(ctx.doc, YEAR) == [] and evsvc.blob_count(ctx.doc) == 0
    ctx.undo_stack.undo()
    (back,) = evsvc.list_evidence(ctx.doc, YEAR)
    assert (back.code, back.title, back.file_name, back.sha256, back.criteria, back.note) == (
        e.code, e.title, e.file_name, e.sha256, e.criteria, "Bản chính lưu tại văn thư"
    )
    ctx.undo_stack.redo()
    assert evsvc.list_evidence(ctx.doc, YEAR) == []
    # Undo further back through the note edit and the add: each still finds the evidence.
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert evsvc.list_evidence(ctx.doc, YEAR)[0].note == ""
    ctx.undo_stack.undo()
    assert evsvc.list_evidence(ctx.doc, YEAR) == [] and evsvc.blob_count(ctx.doc) == 0
    ctx.undo_stack.redo()
    ctx.undo_stack.redo()
    (again,) = evsvc.list_evidence(ctx.doc, YEAR)
    assert (again.code, again.sha256, again.note) == (e.code, e.sha256, "Bản chính lưu tại văn thư")


def test_thumbnails_for_png_and_pdf(qtbot, ctx, page, png, pdf):
    _add(qtbot, page, png, pdf)
    views = {e.mime_type: e for e in evsvc.list_evidence(ctx.doc, YEAR)}
    for e in views.values():
        qtbot.waitUntil(lambda e=e: page.thumbs.pixmap(ctx.doc, e.sha256, e.mime_type, e.size, 100) is not None, timeout=10000)
    png_thumb = page.thumbs.pixmap(ctx.doc, views["image/png"].sha256, "image/png", 1, 100)
    assert (png_thumb.width(), png_thumb.height()) == (64, 40)  # never enlarged
    img = render_pdf_first_page(pdf, 200)
    assert img.height() == 200 and 0 < img.width() < 200  # A4 portrait


def test_search_ignores_diacritics(qtbot, ctx, page, png, pdf):
    _add(qtbot, page, png, pdf)
    page.search_edit.setText("anh khau hieu")
    assert page.proxy.rowCount() == 1
    assert fold("Ảnh khẩu hiệu Đỏ") == "anh khau hieu do"


def test_delete_key_in_list_deletes_selected(qtbot, ctx, page, png):
    _add(qtbot, page, png)
    (e,) = evsvc.list_evidence(ctx.doc, YEAR)
    page.select_id(e.id)
    page.show()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert evsvc.list_evidence(ctx.doc, YEAR) == []
    ctx.undo_stack.undo()
    assert [x.code for x in evsvc.list_evidence(ctx.doc, YEAR)] == [e.code]


def test_read_only_document_refuses_adding(qtbot, tmp_path, png, errors):
    from khoiapp.db import open_document
    from khoiapp.errors import DocumentReadOnlyError

    path = tmp_path / "chi-doc.khoi"
    new_document(path, unit_name="Sở Tư pháp tỉnh Thanh Hóa", unit_type="co-quan", year=YEAR).close()
    doc = open_document(path, read_only=True)
    c = AppContext()
    c.set_document(doc, YEAR)
    p = EvidencePage(c)
    qtbot.addWidget(p)
    assert not p.add_button.isEnabled() and not p.acceptDrops()
    assert p.add_files([str(png)]) is None
    assert len(errors) == 1 and isinstance(errors[0], DocumentReadOnlyError)
    assert evsvc.list_evidence(doc, YEAR) == []
    c.set_document(None, None)


def test_a_large_video_is_accepted_with_a_word_about_the_dossier_size(qtbot, ctx, page, tmp_path, monkeypatch, errors):
    from khoiapp import appconfig

    appconfig.update(dossier_budget_mb=6)  # the budget of Cài đặt, the one the export dialog uses
    video = tmp_path / "Phóng sự hội diễn văn nghệ.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * (7 * 1024 * 4))  # 7 MB
    _add(qtbot, page, video)
    assert [e.file_name for e in evsvc.list_evidence(ctx.doc, YEAR)] == [video.name]  # still accepted
    notice = page.notice_label.text()
    assert "lớn hơn mức 6 MB" in notice and "7 MB" in notice, notice
    assert page.notice_label.property("warning") is True
    assert errors == []  # a note on the page, not a window


def test_the_added_notice_goes_when_the_page_is_left(qtbot, ctx, page, png):
    page.show()
    _add(qtbot, page, png)
    assert page.notice_label.isVisible() and "Đã thêm 1 minh chứng" in page.notice_label.text()
    page.hide()
    page.show()
    assert not page.notice_label.isVisible()


def test_add_dialog_opens_in_documents_then_where_files_were_last_picked(qtbot, ctx, page, png, monkeypatch):
    import os

    from PySide6.QtWidgets import QFileDialog

    from ui import settings

    asked: list[str] = []

    def fake(parent, title, start, filters):
        asked.append(start)
        return [str(png)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(fake))
    with qtbot.waitSignal(page.evidence_added, timeout=20000):
        page._on_add_button_clicked()
    assert asked[0] == str(settings.documents_folder()) and asked[0] != os.getcwd()
    with qtbot.waitSignal(page.evidence_added, timeout=20000):
        page._on_add_button_clicked()
    assert asked[1] == str(png.parent)
