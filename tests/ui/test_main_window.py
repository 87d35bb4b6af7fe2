"""The main window: first start, opening documents (good and bad), status bar, tasks, errors."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from khoiapp import paths
from khoiapp.db import open_document
from khoiapp.errors import BadInputError, Cancelled
from khoiapp.services import document as docsvc
from ui import app as uiapp
from ui import settings
from ui.errors import show_error
from ui.main_window import MainWindow
from ui.tasks import run_task


def test_first_start_welcome_creates_default_document(qtbot, sync_tasks):
    assert not paths.default_document_path().exists()
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.start()
    dlg = w.welcome_dialog
    assert dlg is not None and dlg.isVisible()
    assert not dlg.ok_button.isEnabled()  # no name yet
    dlg.name_edit.setText("Trường THPT Hàm Rồng")  # QTest.keyClicks handles ASCII only
    dlg.type_combo.setCurrentIndex(dlg.type_combo.findData("don-vi"))
    dlg.year_spin.setValue(2026)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)

    path = paths.default_document_path()
    assert path.exists()
    with open_document(path) as doc:
        info = docsvc.document_info(doc)
    assert info.unit is not None
    assert info.unit.name == "Trường THPT Hàm Rồng"
    assert info.unit.unit_type == "don-vi"
    assert [p.period.year_end for p in info.periods] == [2026]
    assert w.ctx.doc is not None and w.ctx.year == 2026
    assert w.windowTitle() == "Trường THPT Hàm Rồng — Khối"
    assert settings.recent_files() == [str(path.resolve())]
    w.close()


def test_start_opens_most_recent_document(open_window, demo_doc_path):
    first = open_window(demo_doc_path)
    first.close()
    second = open_window()
    second.start()
    assert second.ctx.doc is not None
    assert second.ctx.doc.path == demo_doc_path
    assert second.welcome_dialog is None


def test_status_bar_shows_readiness_result_and_saved_time(open_window, demo_doc_path):
    w = open_window(demo_doc_path)
    assert w.readiness_label.text() == "Đã đánh giá 31/31 · đủ minh chứng 31/31"
    assert w.result_label.text() == "Kết quả: Kiểu mẫu"
    assert w.saved_label.text() == "Mọi thay đổi được lưu ngay"
    assert w.windowTitle() == "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa — Khối"
    assert w.period_combo.currentText() == "Năm 2026"
    page = w.show_page("don-vi")
    page.unit_edits["head_name"].edit.setText("Nguyễn Văn Hùng")
    page.unit_edits["head_name"].flush()
    assert w.saved_label.text().startswith("Đã lưu lúc ")


def _file_bytes(path):
    return path.read_bytes()


def test_open_not_a_document_shows_error_and_leaves_file(open_window, tmp_path, messages):
    bad = tmp_path / "ghi-chu.khoi"
    bad.write_text("Không phải tài liệu", encoding="utf-8")
    before = _file_bytes(bad)
    w = open_window()
    w.start(bad)
    assert w.ctx.doc is None
    assert len(messages) == 1
    assert messages[0].title == "Không thực hiện được"
    assert "không phải tài liệu Khối" in messages[0].text
    assert _file_bytes(bad) == before


def test_open_newer_document_refused_and_file_unchanged(open_window, demo_doc_path, messages):
    con = sqlite3.connect(demo_doc_path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = _file_bytes(demo_doc_path)
    w = open_window()
    w.start(demo_doc_path)
    assert w.ctx.doc is None
    assert len(messages) == 1
    assert "phiên bản Khối mới hơn" in messages[0].text
    assert _file_bytes(demo_doc_path) == before


def test_failed_open_keeps_current_document(open_window, demo_doc_path, tmp_path, messages):
    w = open_window(demo_doc_path)
    doc = w.ctx.doc
    w.open_path(tmp_path / "khong-co.khoi")
    assert w.ctx.doc is doc
    assert "Không tìm thấy tệp hồ sơ" in messages[0].text


def test_read_only_document_shows_note_and_disables_edits(open_window, demo_doc_path, monkeypatch):
    real_open = open_document
    monkeypatch.setattr("ui.runner.open_document", lambda p: real_open(p, read_only=True))
    w = open_window(demo_doc_path)
    assert w.ctx.doc.read_only
    assert w.read_only_banner.isVisible()
    assert "chỉ đọc" in w.read_only_banner.text()
    assert "(chỉ đọc)" in w.windowTitle()
    unit = w.page("don-vi")
    assert unit.unit_edits["name"].edit.isReadOnly()
    checklist = w.page("tieu-chi")
    assert not checklist.model.flags(checklist.model.index_of("1.1", 3)) & Qt.ItemFlag.ItemIsEditable
    assert checklist.detail.narrative["current_state"].edit.isReadOnly()


def test_period_switch_shows_other_year(open_window, demo_doc_path):
    with open_document(demo_doc_path) as doc:
        docsvc.add_period(doc, year=2027)
    w = open_window(demo_doc_path)
    assert w.ctx.year == 2027
    assert w.readiness_label.text().startswith("Đã đánh giá 0/")
    w.period_combo.setCurrentIndex(w.period_combo.findData(2026))
    w.period_combo.activated.emit(w.period_combo.currentIndex())
    assert w.ctx.year == 2026
    assert w.readiness_label.text() == "Đã đánh giá 31/31 · đủ minh chứng 31/31"


@pytest.mark.parametrize("n", range(1, 8))
def test_ctrl_number_switches_page(open_window, demo_doc_path, n):
    w = open_window(demo_doc_path)
    w.page_actions[n - 1].trigger()
    assert w.stack.currentIndex() == n - 1
    assert w.page_actions[n - 1].shortcut().toString() == f"Ctrl+{n}"


def test_menus_have_no_english(open_window, demo_doc_path):
    w = open_window(demo_doc_path)
    titles = [a.text().replace("&", "") for a in w.menuBar().actions()]
    assert titles == ["Tệp", "Sửa", "Xem", "Công cụ", "Trợ giúp"]
    assert w.act_undo.shortcut().toString() == "Ctrl+Z"
    assert w.act_redo.shortcut().toString() == "Ctrl+Y"
    assert w.act_export.shortcut().toString() == "Ctrl+E"


def test_show_error_khoi_error_shows_its_message(qtbot, messages):
    show_error(None, BadInputError("Năm 1800 không hợp lệ."))
    assert messages[0].title == "Không thực hiện được"
    assert messages[0].text == "Năm 1800 không hợp lệ."


def test_show_error_cancelled_shows_nothing(qtbot, messages):
    show_error(None, Cancelled())
    assert messages == []


def test_show_error_unexpected_logs_traceback_and_apologises(qtbot, messages):
    try:
        raise ZeroDivisionError("chia cho 0")
    except ZeroDivisionError as exc:
        show_error(None, exc)
    log = paths.log_path()
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    assert messages[0].icon == QMessageBox.Icon.Critical
    assert str(log) in messages[0].text
    assert "Traceback" not in messages[0].text


def test_run_task_result_arrives_on_gui_thread(qtbot):
    seen = {}

    def work(progress, is_cancelled):
        seen["worker"] = threading.current_thread()
        progress(1, 1)
        return 42

    got = []
    task = run_task(None, work, title="Thử", on_done=lambda r: got.append((r, threading.current_thread())))
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert got == [(42, threading.main_thread())]
    assert seen["worker"] is not threading.main_thread()


def test_run_task_cancel_from_progress_dialog_shows_nothing(qtbot, messages):
    def work(progress, is_cancelled):
        while not is_cancelled():
            threading.Event().wait(0.005)
        raise Cancelled()

    done = []
    task = run_task(None, work, title="Đang thêm minh chứng…", on_done=done.append)
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=5000)
    assert task.dialog.labelText() == "Đang thêm minh chứng…"
    cancel_button = task.dialog.findChild(QPushButton)
    assert cancel_button.text() == "Hủy"
    with qtbot.waitSignal(task.finished, timeout=5000):
        qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    assert done == []
    assert messages == []
    assert isinstance(task.error, Cancelled)
    assert task.dialog is None


def test_run_task_error_goes_to_show_error(qtbot, messages):
    def work(progress, is_cancelled):
        raise BadInputError("Tệp không đọc được.")

    task = run_task(None, work, title="Thử", on_done=lambda r: None)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert [m.text for m in messages] == ["Tệp không đọc được."]


def test_close_while_task_runs_can_be_refused(open_window, demo_doc_path, monkeypatch, qtbot):
    from ui import tasks

    w = open_window(demo_doc_path)
    monkeypatch.setattr(tasks, "_pool_override", None)
    gate = threading.Event()
    task = run_task(w, lambda p, c: gate.wait(5), title="Thử", on_done=lambda r: None)
    monkeypatch.setattr("ui.main_window.ask", lambda *a: False)
    assert not w.close()
    assert w.ctx.doc is not None
    monkeypatch.setattr("ui.main_window.ask", lambda *a: True)
    gate.set()
    assert w.close()
    assert not task.running
    assert w.ctx.doc is None


def test_no_display_prints_cli_hint_and_returns_2(monkeypatch, capsys):
    for var in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(uiapp.sys, "platform", "linux")
    assert uiapp.run(["main.py"]) == 2
    err = capsys.readouterr().err
    assert "python main.py --help" in err
    assert "màn hình" in err


def test_settings_dialog_saves_app_config(qtbot, messages):
    from khoiapp import appconfig
    from ui.dialogs.settings_dialog import SettingsDialog

    dlg = SettingsDialog()
    qtbot.addWidget(dlg)
    dlg.limit_spin.setValue(50)
    dlg.place_edit.setText("Thanh Hóa")
    dlg.scale_spin.setValue(125)
    dlg.accept()
    cfg = appconfig.load()
    assert (cfg.evidence_limit_mb, cfg.place_name, cfg.ui_scale) == (50, "Thanh Hóa", 1.25)
    assert dlg.findChild(type(dlg.trust_tab), "trustTab") is dlg.trust_tab


def test_document_open_in_another_window_opens_read_only_with_reason(open_window, demo_doc_path):
    first = open_window(demo_doc_path)
    second = open_window(demo_doc_path)
    assert not first.ctx.doc.read_only
    assert second.ctx.doc.read_only
    assert "cửa sổ khác" in second.read_only_banner.text()
    assert "đóng cửa sổ kia" in second.read_only_banner.text()
    assert not second.act_add_period.isEnabled()


def test_excepthook_logs_and_apologises(qtbot, messages, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    uiapp.install_excepthook()
    try:
        raise KeyError("khong-co")
    except KeyError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert messages[0].title == "Khối gặp lỗi"
    assert "KeyError" in paths.log_path().read_text(encoding="utf-8")


def test_font_has_vietnamese_letters(qtbot):
    from PySide6.QtGui import QFontDatabase

    family = uiapp.pick_font_family()
    assert family is not None
    assert QFontDatabase.WritingSystem.Vietnamese in QFontDatabase.writingSystems(family)


def test_unit_field_saved_on_leave_and_undone(open_window, demo_doc_path):
    w = open_window(demo_doc_path)
    page = w.show_page("don-vi")
    edit = page.unit_edits["union_chair"].edit
    edit.setText("Hoàng Thị Ước")
    edit.editingFinished.emit()
    with open_document(demo_doc_path, read_only=True) as doc:
        assert docsvc.get_unit(doc).union_chair == "Hoàng Thị Ước"
    w.ctx.undo_stack.undo()
    with open_document(demo_doc_path, read_only=True) as doc:
        assert docsvc.get_unit(doc).union_chair == "Trịnh Văn Quyết"
    assert edit.text() == "Trịnh Văn Quyết"


def test_unit_name_change_updates_title(open_window, demo_doc_path):
    w = open_window(demo_doc_path)
    edit = w.page("don-vi").unit_edits["name"].edit
    edit.setText("Trung tâm Văn hóa tỉnh Thanh Hóa")
    edit.editingFinished.emit()
    assert w.windowTitle() == "Trung tâm Văn hóa tỉnh Thanh Hóa — Khối"


def test_registration_date_parsed_and_bad_date_refused(open_window, demo_doc_path, messages):
    import datetime as dt

    w = open_window(demo_doc_path)
    page = w.page("don-vi")
    edit = page.period_edits["registered_on"].edit
    edit.setText("05/02/2026")
    edit.editingFinished.emit()
    with open_document(demo_doc_path, read_only=True) as doc:
        assert docsvc.list_periods(doc)[0].registered_on == dt.date(2026, 2, 5)
    edit.setText("31/02/2026")
    edit.editingFinished.emit()
    assert messages == []  # said under the field, not in a window
    assert "Không có ngày 31/02/2026" in page.field_checks["registered_on"].hint.text()
    with open_document(demo_doc_path, read_only=True) as doc:
        assert docsvc.list_periods(doc)[0].registered_on == dt.date(2026, 2, 5)


def test_model_target_checkbox_adds_criteria_and_undo(open_window, blank_doc_path):
    w = open_window(blank_doc_path)
    page = w.page("don-vi")
    checklist = w.page("tieu-chi")
    before = len(checklist.visible_codes())
    page.model_check.click()
    with open_document(blank_doc_path, read_only=True) as doc:
        assert docsvc.list_periods(doc)[0].target_model is True
    assert len(checklist.visible_codes()) > before
    w.ctx.undo_stack.undo()
    with open_document(blank_doc_path, read_only=True) as doc:
        assert docsvc.list_periods(doc)[0].target_model is False
    assert len(checklist.visible_codes()) == before
    assert not page.model_check.isChecked()


def test_recent_menu_lists_opened_documents(open_window, demo_doc_path, blank_doc_path):
    w = open_window(demo_doc_path)
    w.open_path(blank_doc_path)
    w._fill_recent_menu()
    texts = [a.text() for a in w.recent_menu.actions() if a.text()]
    assert texts[:2] == [f"&1  {blank_doc_path.resolve()}", f"&2  {demo_doc_path.resolve()}"]
    assert texts[-1] == "Xóa danh sách"


def test_run_task_finished_despite_late_cancel_still_delivers(qtbot, messages):
    gate = threading.Event()
    got = []
    task = run_task(None, lambda p, c: gate.wait(5) and 7, title="Thử", on_done=got.append)
    task.cancel()  # too late: the work does not look at is_cancelled
    with qtbot.waitSignal(task.finished, timeout=5000):
        gate.set()
    assert got == [7]
    assert messages == []


def test_qt_own_strings_are_vietnamese(qapp):
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    kept = uiapp.install_translators(qapp)
    try:
        edit = QLineEdit()
        menu = edit.createStandardContextMenu()
        texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
        assert texts == ["&Hoàn tác", "&Làm lại", "Cắ&t", "&Sao chép", "&Dán", "Xóa", "Chọn tất cả"]
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        assert sorted(b.text() for b in box.buttons()) == ["Hủy", "Đồng ý"]
        assert qapp.translate("MainWindow", "Khối") == "Khối"  # our own strings pass through
    finally:
        for t in kept:
            qapp.removeTranslator(t)
