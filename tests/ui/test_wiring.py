"""The window's wiring: importing last year's dossier, confirming carried-over criteria in one
action, backups, the read-only reason, opening the open document again, opening a dossier PDF,
and the export's own progress bar."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog, QPushButton, QWizard

from khoiapp import db as khoidb
from khoiapp.db import open_document
from khoiapp.services import backups, importer
from khoiapp.services import criteria as crit
from khoiapp.services import document as docsvc
from khoiapp.services.export import SignRequest, export_dossier, temp_path_for
from khoiapp.services.signing import create_unit_certificate
from ui import settings, tasks
from ui.context import AppContext
from ui.dialogs.backups_dialog import BackupsDialog
from ui.dialogs.export_dialog import ExportDialog
from ui.dialogs.import_wizard import PAGE_DONE, PAGE_VERIFY, ImportWizard
from ui.dialogs.verify_dialog import VerifyDialog
from ui.models.checklist_model import COL_CODE, CriterionRole
from ui.pages.checklist_page import CODE_WIDTH, CODE_WIDTH_MARKED, ChecklistPage

YEAR = 2026
PASSWORD = "mật khẩu đơn vị"
REWORDED = "1.2"  # a criterion whose wording the test changes in last year's reference
WAIT_MS = 60_000
DECORATION, TOOLTIP = Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole


@pytest.fixture(scope="module")
def dossier(tmp_path_factory, demo_template) -> Path:
    """The demo's 2026 dossier, signed with a unit's own certificate (valid, not on the trust list)."""
    folder = tmp_path_factory.mktemp("ho-so")
    p12 = folder / "don-vi.p12"
    create_unit_certificate("Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa", p12, PASSWORD, algorithm="ecdsa")
    out = folder / "ho-so-2026.pdf"
    with open_document(demo_template, read_only=True) as doc:
        result = export_dossier(doc, YEAR, out, sign=SignRequest(p12_path=p12, password=PASSWORD))
    assert result.signed
    return out


@pytest.fixture
def imported_doc(tmp_path, dossier) -> Path:
    """A new document made from the dossier (2027, every criterion to confirm); one criterion's
    wording differs from last year's, as when the framework was revised."""
    path = tmp_path / "nam-sau.khoi"
    result = importer.import_new(dossier, path, accept_unverified=True)
    assert result.year == YEAR + 1
    con = sqlite3.connect(path)
    try:
        row = con.execute(
            "SELECT r.id, r.reference_json FROM criterion_result r JOIN period p ON r.period_id = p.id "
            "WHERE p.year_end = ? AND r.code = ?",
            (YEAR + 1, REWORDED),
        ).fetchone()
        ref = json.loads(row[1])
        ref["title"] = ref["title"] + " (bản cũ)"
        con.execute("UPDATE criterion_result SET reference_json = ? WHERE id = ?", (json.dumps(ref), row[0]))
        con.commit()
    finally:
        con.close()
    return path


def menu_action(window, menu_title: str, text: str):
    for top in window.menuBar().actions():
        if top.menu() is not None and top.text().replace("&", "") == menu_title:
            for act in top.menu().actions():
                if act.text().replace("&", "") == text:
                    return act
    raise AssertionError(f"no «{text}» in the «{menu_title}» menu")


def run_wizard_to_end(qtbot, wiz: ImportWizard) -> None:
    assert wiz.button(QWizard.WizardButton.NextButton).isEnabled()
    wiz.next()
    assert wiz.currentId() == PAGE_VERIFY
    assert wiz.verify_page.accept_box.isVisible()  # signed by a unit certificate nobody trusts yet
    wiz.verify_page.accept_box.setChecked(True)
    wiz.next()  # summary
    wiz.next()  # confirm
    wiz.next()  # «Nhập»
    qtbot.waitUntil(lambda: wiz.currentId() == PAGE_DONE, timeout=WAIT_MS)
    wiz.accept()  # «Xong»


# ---------------------------------------------------------------------------- 1. import
def test_import_menu_imports_into_open_document_and_window_shows_new_year(open_window, demo_doc_path, dossier, qtbot):
    w = open_window(demo_doc_path)
    act = menu_action(w, "Tệp", "Nhập hồ sơ năm trước…")
    assert act.shortcut().toString() == "Ctrl+I"
    act.trigger()
    wiz = w.import_wizard
    assert isinstance(wiz, ImportWizard) and wiz.isVisible() and wiz.ctx is w.ctx
    wiz.choose_page.path_edit.setText(str(dossier))
    run_wizard_to_end(qtbot, wiz)

    assert [p.year_end for p in docsvc.list_periods(w.ctx.doc)] == [YEAR, YEAR + 1]
    assert w.ctx.year == YEAR + 1
    assert w.period_combo.currentData() == YEAR + 1
    assert w.period_combo.findData(YEAR + 1) >= 0
    page = w.page("tieu-chi")
    assert w.stack.currentWidget() is page
    pending = [c for c in crit.checklist(w.ctx.doc, YEAR + 1).criteria if c.needs_confirmation]
    assert len(pending) == 31
    assert {c.code for c in page.criteria if c.needs_confirmation} == {c.code for c in pending}
    assert "31 tiêu chí cần xác nhận" in w.statusBar().currentMessage()
    assert w.import_wizard is None


def test_import_with_no_document_open_creates_and_shows_the_new_one(open_window, dossier, qtbot):
    w = open_window()
    assert w.ctx.doc is None
    assert w.act_import.isEnabled()
    wiz = w.import_dossier(dossier)  # preselected, as from «Nhập hồ sơ này…»
    assert wiz.choose_page.path_edit.text() == str(dossier)
    target = Path(wiz.choose_page.new_edit.text())
    assert target == dossier.with_suffix(".khoi") and not target.exists()
    try:
        run_wizard_to_end(qtbot, wiz)
        assert w.ctx.doc is not None and Path(w.ctx.doc.path) == target
        assert w.ctx.year == YEAR + 1 and w.period_combo.currentData() == YEAR + 1
        assert "Trung tâm" in w.windowTitle()
        assert settings.recent_files()[0] == str(target)
    finally:
        if w.ctx.doc is not None:
            w.close()
        target.unlink(missing_ok=True)  # the dossier folder is shared by the module


# ---------------------------------------------------------------------------- 2. confirm all unchanged
@pytest.fixture
def confirm_dialogs(monkeypatch):
    """«Xác nhận tất cả» dialogs shown: recorded, answered with ``answer[0]`` (True = confirm)."""
    from ui.dialogs.confirm_all_dialog import ConfirmAllDialog

    shown: list[ConfirmAllDialog] = []
    answer = [True]

    def fake_exec(self):
        shown.append(self)
        return int(ConfirmAllDialog.DialogCode.Accepted if answer[0] else ConfirmAllDialog.DialogCode.Rejected)

    monkeypatch.setattr(ConfirmAllDialog, "exec", fake_exec)
    return shown, answer


def test_confirm_all_shows_what_it_confirms_and_last_years_evidence(open_window, imported_doc, confirm_dialogs):
    shown, answer = confirm_dialogs
    w = open_window(imported_doc)
    page: ChecklistPage = w.show_page("tieu-chi")
    answer[0] = False
    assert page.confirm_all_unchanged() == []  # «Để sau»: nothing confirmed
    assert len(shown) == 1
    dialog = shown[0]
    assert len(dialog.codes()) == 30 and REWORDED not in dialog.codes()
    assert sum(c.needs_confirmation for c in crit.checklist(w.ctx.doc, YEAR + 1).criteria) == 31
    table = dialog.table
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())}
    assert rows["1.1"][3].startswith("Chỉ có của năm trước: ")  # every file came with last year's dossier
    assert dialog.findChild(QLabel, "confirmAllOldEvidence") is not None
    assert rows["4.2"][2] == "5 · Đạt (năm trước 4)"  # Số năm liên tục: one more year
    assert dialog.confirm_button.text() == "Xác nhận 30 tiêu chí"


def test_confirmed_answers_on_last_years_evidence_only_are_flagged_before_export(open_window, imported_doc, confirm_dialogs):
    w = open_window(imported_doc)
    page: ChecklistPage = w.show_page("tieu-chi")
    page.confirm_all_unchanged()
    summary = docsvc.period_summary(w.ctx.doc, YEAR + 1)
    flagged = [i.code for i in summary.warnings if i.kind == "old-evidence"]
    assert "1.1" in flagged and REWORDED not in flagged  # the reworded one is not confirmed yet
    assert all("chỉ có minh chứng của năm trước" in i.message for i in summary.warnings)
    assert not any(i.kind == "old-evidence" for i in summary.preflight)  # a warning, not a blocker


def test_confirm_all_unchanged_in_one_action_leaves_reworded(open_window, imported_doc, confirm_dialogs):
    w = open_window(imported_doc)
    assert w.ctx.year == YEAR + 1
    page: ChecklistPage = w.show_page("tieu-chi")
    assert page.confirm_row.isVisible()
    assert page.act_confirm_all.isEnabled()
    assert page.confirm_all_button.defaultAction() is page.act_confirm_all
    assert "Trong đó 1 tiêu chí đổi nội dung" in page.confirm_label.text()
    assert page.tree.header().sectionSize(COL_CODE) == CODE_WIDTH_MARKED  # room for the mark

    # marked in the tree: an icon on the code and a tooltip saying what to do
    marks = {}
    for g in range(page.proxy.rowCount()):
        gi = page.proxy.index(g, 0)
        for r in range(page.proxy.rowCount(gi)):
            idx = page.proxy.index(r, COL_CODE, gi)
            marks[idx.data(CriterionRole).code] = (idx.data(DECORATION), idx.data(TOOLTIP))
    assert len(marks) == 31 and all(icon is not None for icon, _tip in marks.values())
    assert all(tip.startswith("Cần xác nhận") for _icon, tip in marks.values())
    assert "nội dung tiêu chí đã đổi" in marks[REWORDED][1]

    page.act_confirm_all.trigger()

    left = [c.code for c in crit.checklist(w.ctx.doc, YEAR + 1).criteria if c.needs_confirmation]
    assert left == [REWORDED]
    msg = w.statusBar().currentMessage()
    assert "Đã xác nhận 30 tiêu chí" in msg and REWORDED in msg and "từng tiêu chí" in msg
    assert not page.act_confirm_all.isEnabled()  # only the reworded one is left: never in bulk
    assert "1 tiêu chí đổi nội dung so với năm trước" in page.confirm_label.text()
    code_idx = page.proxy.mapFromSource(page.model.index_of("1.1"))
    assert code_idx.data(DECORATION) is None  # confirmed: no mark any more
    assert page.model.criterion("1.1").needs_confirmation is False

    page.select_code(REWORDED)
    page.detail.confirm_button.click()  # the reworded one, confirmed on its own
    assert not any(c.needs_confirmation for c in crit.checklist(w.ctx.doc, YEAR + 1).criteria)
    assert not page.confirm_row.isVisible() and not page.act_confirm_all.isEnabled()
    assert page.tree.header().sectionSize(COL_CODE) == CODE_WIDTH


def test_confirm_all_not_offered_without_carried_over_criteria(open_window, demo_doc_path):
    w = open_window(demo_doc_path)
    page = w.show_page("tieu-chi")
    assert not page.confirm_row.isVisible()
    assert not page.act_confirm_all.isEnabled()


# ---------------------------------------------------------------------------- 3. backups
def test_backups_menu_opens_dialog_listing_the_documents_backups(open_window, demo_doc_path):
    backups.make_backup(demo_doc_path, "thu-cong")
    w = open_window(demo_doc_path)
    act = menu_action(w, "Công cụ", "Sao lưu và khôi phục…")
    assert act.isEnabled()
    act.trigger()
    dlg = w.backups_dialog
    assert isinstance(dlg, BackupsDialog) and dlg.isVisible() and dlg.ctx is w.ctx
    assert dlg.table.rowCount() == 1
    assert dlg.table.item(0, 1).text() == "Sao lưu thủ công"
    dlg.reject()


def test_backups_action_disabled_without_document(open_window):
    w = open_window()
    assert not w.act_backups.isEnabled()
    assert w.show_backups() is None


# ---------------------------------------------------------------------------- 4. read-only reason
def test_read_only_banner_shows_the_documents_reason(open_window, demo_doc_path, monkeypatch):
    real_access = os.access
    target = demo_doc_path.resolve()

    def no_write_here(p, mode, *a, **k):
        if mode == os.W_OK and Path(p).resolve() in (target, target.parent):
            return False  # as on a CD or a write-locked memory card
        return real_access(p, mode, *a, **k)

    monkeypatch.setattr(khoidb.os, "access", no_write_here)
    w = open_window(demo_doc_path)
    assert w.ctx.doc.read_only and w.ctx.doc.read_only_reason == khoidb.READ_ONLY_MEDIA
    assert w.read_only_banner.isVisible()
    assert khoidb.READ_ONLY_MEDIA in w.read_only_banner.text()
    assert "chép tệp" in w.read_only_banner.text()
    assert not w.act_import.isEnabled()


# ---------------------------------------------------------------------------- 5. opening it again
def test_opening_the_open_document_again_keeps_it_writable(open_window, demo_doc_path, monkeypatch):
    w = open_window(demo_doc_path)
    doc = w.ctx.doc
    (demo_doc_path.parent / "khac").mkdir()
    other_spelling = demo_doc_path.parent / "khac" / ".." / demo_doc_path.name
    monkeypatch.setattr(
        "ui.main_window.QFileDialog.getOpenFileName", lambda *a, **k: (str(other_spelling), "")
    )
    w.open_dialog()
    assert w.ctx.doc is doc and not doc.read_only
    assert "đang mở trong cửa sổ này" in w.statusBar().currentMessage()
    for act in w.recent_menu.actions():  # «Mở gần đây» lists it too
        if str(demo_doc_path) in act.text():
            act.trigger()
            break
    else:
        raise AssertionError("the document is not in the recent menu")
    assert w.ctx.doc is doc and not doc.read_only
    docsvc.update_unit(doc, short_name="TTVH")  # still writable
    assert docsvc.get_unit(doc).short_name == "TTVH"


# ---------------------------------------------------------------------------- 6. opening a PDF
def test_open_pdf_verifies_it_and_offers_the_import(open_window, demo_doc_path, dossier, monkeypatch, qtbot):
    w = open_window(demo_doc_path)
    doc = w.ctx.doc
    monkeypatch.setattr("ui.main_window.QFileDialog.getOpenFileName", lambda *a, **k: (str(dossier), ""))
    w.open_dialog()
    assert w.ctx.doc is doc  # a PDF is not opened as a document
    dialogs = [d for d in w.findChildren(VerifyDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dlg = dialogs[0]
    button = dlg.findChild(QPushButton, "importDossierButton")
    assert button is not None and button.text() == "Nhập hồ sơ này…" and button.isVisible()
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=WAIT_MS)
    assert dlg.verdict == "untrusted"
    assert button.isEnabled()
    button.click()
    wiz = w.import_wizard
    assert isinstance(wiz, ImportWizard) and wiz.isVisible()
    assert wiz.choose_page.path_edit.text() == str(dossier)
    assert wiz.button(QWizard.WizardButton.NextButton).isEnabled()
    wiz.reject()


def test_open_pdf_that_is_no_dossier_offers_no_import(open_window, demo_doc_path, tmp_path, monkeypatch, qtbot):
    junk = tmp_path / "thu.pdf"
    junk.write_bytes(b"khong phai PDF")
    w = open_window(demo_doc_path)
    monkeypatch.setattr("ui.main_window.QFileDialog.getOpenFileName", lambda *a, **k: (str(junk), ""))
    w.open_dialog()
    dlg = next(d for d in w.findChildren(VerifyDialog) if d.isVisible())
    qtbot.waitUntil(lambda: dlg.verdict == "error", timeout=WAIT_MS)
    assert not dlg.findChild(QPushButton, "importDossierButton").isEnabled()


# ---------------------------------------------------------------------------- 7. progress without a dialog
@pytest.mark.parametrize("show_dialog", [True, False])
def test_run_task_progress_dialog_only_when_asked(qtbot, monkeypatch, show_dialog):
    monkeypatch.setattr(tasks, "DIALOG_DELAY_MS", 0)
    release = threading.Event()
    pool = QThreadPool()
    parent = QPushButton()
    qtbot.addWidget(parent)
    task = tasks.run_task(
        parent, lambda _p, _c: release.wait(10), title="Thử", on_done=lambda _r: None, pool=pool,
        show_dialog=show_dialog,
    )
    try:
        after = QTimer()
        after.setSingleShot(True)
        with qtbot.waitSignal(after.timeout, timeout=5000):
            after.start(0)  # queued after the task's own zero-delay timer
        assert task.running
        assert (task.dialog is not None) is show_dialog
    finally:
        release.set()
        with qtbot.waitSignal(task.finished, timeout=10_000):
            pass
        pool.waitForDone()
    assert task.dialog is None


@pytest.fixture
def export_ctx(qtbot, demo_copy):
    c = AppContext()
    c.set_document(open_document(demo_copy), YEAR)
    yield c
    c.set_document(None, None)


def test_export_dialog_own_progress_bar_and_cancel(qtbot, export_ctx, tmp_path, monkeypatch, messages):
    monkeypatch.setattr(tasks, "DIALOG_DELAY_MS", 0)  # a task's own dialog would show at once
    dlg = ExportDialog(export_ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    out = tmp_path / "huy.pdf"
    dlg.set_output_path(out)
    assert not dlg.progress_bar.isVisible()
    values: list[int] = []
    popups: list[object] = []

    task = dlg.start_export()
    assert task is not None and task.running
    assert dlg.progress_bar.isVisible() and dlg.export_button.text() == "Hủy"

    def on_progress(_done: int, _total: int) -> None:
        values.append(dlg.progress_bar.value())
        popups.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible())
        if len(values) == 3:
            dlg.export_button.click()  # the dialog's own «Hủy»

    task.progress.connect(on_progress)
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert len(values) >= 3 and values[0] < values[2]
    assert task.cancelled and dlg.export_result is None
    assert not out.exists() and not temp_path_for(out).exists()
    assert task.dialog is None and popups == []
    assert messages == []
    assert not dlg.progress_bar.isVisible()
    assert dlg.export_button.text() == "Xuất hồ sơ" and "hủy" in dlg.status.text().lower()


def test_export_dialog_progress_reaches_full_when_done(qtbot, export_ctx, tmp_path):
    dlg = ExportDialog(export_ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    out = tmp_path / "xong.pdf"
    dlg.set_output_path(out)
    values: list[int] = []
    task = dlg.start_export()
    task.progress.connect(lambda *_: values.append(dlg.progress_bar.value()))
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert out.exists() and dlg.export_result is not None
    assert values == sorted(values) and values[-1] == dlg.progress_bar.maximum()
    assert not dlg.progress_bar.isVisible()
