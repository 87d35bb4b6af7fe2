"""The export dialog: exporting the demo (unsigned and signed), wrong password, cancel, preflight
navigation, the draft refusal, printing, and the window's «Xuất hồ sơ» action."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QInputDialog, QLineEdit

from khoiapp.db import open_document
from khoiapp.errors import CertificatePasswordError
from khoiapp.services import document as docsvc
from khoiapp.services import trust
from khoiapp.services.export import temp_path_for
from khoiapp.services.signing import create_unit_certificate
from khoiapp.services.verify import verify_dossier
from ui.context import AppContext
from khoiapp.services import signing_settings
from ui.dialogs import sign_options
from ui.dialogs.export_dialog import ExportDialog, ascii_slug, default_file_name, format_size

YEAR = 2026
PASSWORD = "mật khẩu đơn vị 2026"
WAIT_MS = 120_000


def make_dialog(qtbot, ctx) -> ExportDialog:
    dlg = ExportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def export_and_wait(qtbot, dlg: ExportDialog) -> None:
    with qtbot.waitSignal(dlg.export_button.clicked, timeout=1000):
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    assert dlg.task is not None
    if dlg.task.running:
        with qtbot.waitSignal(dlg.task.finished, timeout=WAIT_MS):
            pass
    assert not dlg.running


@pytest.fixture(scope="module")
def unit_p12(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cert") / "don-vi.p12"
    create_unit_certificate("Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa", path, PASSWORD, algorithm="ecdsa")
    return path


@pytest.fixture
def password_prompts(monkeypatch):
    """Answers every password/PIN prompt with ``answers[0]``; records (label, echo mode)."""
    asked: list[tuple[str, object]] = []
    answers = [PASSWORD]

    def fake_get_text(parent, title, label, echo=QLineEdit.EchoMode.Normal, text="", *a, **k):
        asked.append((label, echo))
        return answers[0], True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(fake_get_text))
    return asked, answers


def test_helpers_format_size_and_default_name():
    assert format_size(13_002_342) == "12,4 MB"
    assert format_size(2048) == "2 KB"
    assert ascii_slug("Trường THPT Đông Sơn") == "Truong-THPT-Dong-Son"
    unit = SimpleNamespace(short_name="TTDVVH", name="Trung tâm")
    assert default_file_name(2026, unit) == "Ho-so-2026-TTDVVH.pdf"
    assert default_file_name(2026, SimpleNamespace(short_name="", name="Sở Tư pháp")) == "Ho-so-2026-So-Tu-phap.pdf"


def test_dialog_shows_period_size_and_defaults(qtbot, ctx):
    dlg = make_dialog(qtbot, ctx)
    assert "2026" in dlg.heading.text()
    assert "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa" in dlg.heading.text()
    assert dlg.size_label.text().startswith("Dung lượng dự kiến: ")
    assert dlg.size_label.text().endswith((" KB", " MB"))  # «707 KB», never «0,7 MB»
    assert dlg.preflight == []  # the demo is complete
    assert not dlg.draft_check.isChecked()
    assert Path(dlg.path_edit.text()).name == "Ho-so-2026-TTDVVH.pdf"
    assert dlg.sign_options.mode() == sign_options.MODE_NONE


def test_export_demo_from_dialog_unsigned(qtbot, ctx, tmp_path, messages):
    dlg = make_dialog(qtbot, ctx)
    out = tmp_path / "ho-so.pdf"
    dlg.set_output_path(out)
    with qtbot.waitSignal(dlg.exported, timeout=WAIT_MS) as sig:
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
        assert dlg.running  # the export runs in the background
        assert not dlg.setup_page.isEnabled()
    result = sig.args[0]
    assert messages == []
    assert result.path == out and out.exists() and not result.signed
    rep = verify_dossier(out)
    assert rep.verdict == "unsigned"
    assert rep.payload_present and rep.attachments_ok is True
    assert rep.missing == () and rep.mismatched == () and rep.unexpected == ()
    assert result.attachments == 12
    # the preview shows every page of the written file (parsed off the GUI thread)
    assert dlg.stack.currentIndex() == 1
    qtbot.waitUntil(lambda: dlg.preview.path == out, timeout=WAIT_MS)
    assert dlg.preview.page_count() == result.pages > 10
    assert dlg.print_button.isVisible() and dlg.folder_button.isVisible()
    assert "Đã xuất hồ sơ" in dlg.done_label.text()


def test_official_export_marks_the_report_finalised_and_a_draft_does_not(qtbot, ctx, tmp_path, messages):
    def status():
        return next(p for p in ctx.read(docsvc.list_periods) if p.year_end == ctx.year).status

    assert status() == "draft"
    dlg = make_dialog(qtbot, ctx)
    dlg.draft_check.setChecked(True)
    dlg.set_output_path(tmp_path / "nhap.pdf")
    with qtbot.waitSignal(dlg.exported, timeout=WAIT_MS):
        dlg.export_button.click()
    assert status() == "draft"  # a draft changes nothing

    dlg = make_dialog(qtbot, ctx)
    assert dlg.preflight == [] and not dlg.draft_check.isChecked()
    dlg.set_output_path(tmp_path / "chinh-thuc.pdf")
    with qtbot.waitSignal(dlg.exported, timeout=WAIT_MS):
        dlg.export_button.click()
    assert status() == "finalised"
    assert "Đã hoàn tất" in ctx.undo_stack.undoText()
    ctx.undo_stack.undo()
    assert status() == "draft"
    assert messages == []


def test_export_signed_with_unit_certificate(qtbot, ctx, tmp_path, unit_p12, password_prompts, messages):
    asked, _answers = password_prompts
    dlg = make_dialog(qtbot, ctx)
    dlg.sign_options.set_unit_certificate(unit_p12)
    out = tmp_path / "ky.pdf"
    dlg.set_output_path(out)
    with qtbot.waitSignal(dlg.exported, timeout=WAIT_MS) as sig:
        dlg.export_button.click()
    assert messages == []
    assert sig.args[0].signed
    # the password was asked once, hidden
    assert len(asked) == 1 and asked[0][1] == QLineEdit.EchoMode.Password
    rep = verify_dossier(out)
    assert rep.signed and rep.intact and rep.valid and rep.entire_file
    assert rep.verdict == "untrusted"
    assert rep.signer == "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa"
    # trusting the unit's certificate makes it "ok"
    pem = tmp_path / "don-vi.pem"
    trust.export_certificate(unit_p12, PASSWORD, pem)
    trust.add_trusted(pem)
    assert verify_dossier(out).verdict == "ok"
    # the password is never remembered
    ini = (Path(sign_options.settings.settings_path())).read_text(encoding="utf-8")
    assert PASSWORD not in ini
    # the non-secret choice is, in the document and not in the app's preferences
    assert str(unit_p12) not in ini and unit_p12.name not in ini
    choice = signing_settings.signing_choice(ctx.doc)
    assert choice is not None and choice.p12_path == str(unit_p12)
    again = make_dialog(qtbot, ctx).sign_options
    assert again.mode() == sign_options.MODE_P12 and again.p12_edit.text() == str(unit_p12)


def test_export_signed_with_p12_mode(qtbot, ctx, tmp_path, unit_p12, password_prompts):
    dlg = make_dialog(qtbot, ctx)
    dlg.sign_options.set_p12(unit_p12)
    dlg.sign_options.visible_check.setChecked(False)
    out = tmp_path / "ky-an.pdf"
    dlg.set_output_path(out)
    with qtbot.waitSignal(dlg.exported, timeout=WAIT_MS):
        dlg.export_button.click()
    rep = verify_dossier(out)
    assert rep.verdict == "untrusted" and rep.intact and rep.valid


def test_wrong_password_shows_error_and_writes_nothing(qtbot, ctx, tmp_path, unit_p12, password_prompts, messages):
    _asked, answers = password_prompts
    answers[0] = "không đúng"
    dlg = make_dialog(qtbot, ctx)
    dlg.sign_options.set_p12(unit_p12)
    out_dir = tmp_path / "ra"
    out_dir.mkdir()
    out = out_dir / "sai.pdf"
    dlg.set_output_path(out)
    export_and_wait(qtbot, dlg)
    assert dlg.export_result is None
    assert isinstance(dlg.last_error, CertificatePasswordError)
    assert [m.text for m in messages] == [CertificatePasswordError().message]
    assert not out.exists() and not temp_path_for(out).exists()
    assert list(out_dir.iterdir()) == []
    assert dlg.stack.currentIndex() == 0 and dlg.setup_page.isEnabled()


def test_cancelled_password_prompt_starts_nothing(qtbot, ctx, tmp_path, unit_p12, monkeypatch, messages):
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    dlg = make_dialog(qtbot, ctx)
    dlg.sign_options.set_p12(unit_p12)
    dlg.set_output_path(tmp_path / "x.pdf")
    assert dlg.start_export() is None
    assert dlg.task is None and messages == []


def test_missing_certificate_file_is_asked_for(qtbot, ctx, tmp_path, messages):
    dlg = make_dialog(qtbot, ctx)
    dlg.sign_options.set_mode(sign_options.MODE_P12)
    dlg.sign_options.p12_edit.clear()
    dlg.set_output_path(tmp_path / "x.pdf")
    assert dlg.start_export() is None
    assert len(messages) == 1 and "tệp chứng thư số" in messages[0].text


def test_cancel_mid_export_leaves_no_file(qtbot, ctx, tmp_path, messages):
    dlg = make_dialog(qtbot, ctx)
    out = tmp_path / "huy.pdf"
    dlg.set_output_path(out)
    seen: list[int] = []

    task = dlg.start_export()
    assert task is not None and task.running

    def on_progress(done: int, total: int) -> None:
        seen.append(done)
        dlg.cancel_export()  # the first progress report: the export is under way

    task.progress.connect(on_progress)
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert seen, "the export reported no progress"
    assert task.cancelled
    assert dlg.export_result is None
    assert not out.exists() and not temp_path_for(out).exists()
    assert messages == []  # cancelling is not an error
    assert "hủy" in dlg.status.text().lower()
    assert dlg.setup_page.isEnabled() and dlg.export_button.text() == "Xuất hồ sơ"


def test_close_while_exporting_cancels_then_closes(qtbot, ctx, tmp_path):
    dlg = make_dialog(qtbot, ctx)
    out = tmp_path / "dong.pdf"
    dlg.set_output_path(out)
    task = dlg.start_export()
    assert task is not None
    dlg.reject()
    assert dlg.isVisible()  # waits for the worker to stop
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        pass
    assert not dlg.isVisible()
    if dlg.export_result is None:
        assert not out.exists()


@pytest.fixture
def blank_ctx(qtbot, tmp_path):
    path = tmp_path / "moi.khoi"
    doc = docsvc.new_document(path, unit_name="Sở Tư pháp tỉnh Thanh Hóa", unit_type="co-quan", year=YEAR)
    c = AppContext()
    c.set_document(doc, YEAR)
    yield c
    c.set_document(None, None)


def test_preflight_items_listed_and_click_navigates(qtbot, blank_ctx):
    dlg = make_dialog(qtbot, blank_ctx)
    items = dlg.preflight
    assert items, "a new document must have things to complete"
    assert dlg.preflight_list.count() == len(items)
    assert dlg.draft_check.isChecked()
    assert "chưa hoàn thành" in dlg.preflight_label.text()
    # a profile item and a criterion item both navigate
    kinds = [i.kind for i in items]
    assert "profile" in kinds and ("unanswered" in kinds or "evidence" in kinds)
    row = next(r for r, i in enumerate(items) if i.kind != "profile")
    lw = dlg.preflight_list
    lw.scrollToItem(lw.item(row))
    rect = lw.visualItemRect(lw.item(row))
    with qtbot.waitSignal(dlg.navigate_requested, timeout=1000) as sig:
        qtbot.mouseClick(lw.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == [items[row].kind, items[row].code]
    assert items[row].code
    assert not dlg.isVisible()  # closed so the user can fix the item


def test_export_without_draft_is_refused_nicely(qtbot, blank_ctx, tmp_path, messages):
    dlg = make_dialog(qtbot, blank_ctx)
    dlg.draft_check.setChecked(False)
    out = tmp_path / "chinh-thuc.pdf"
    dlg.set_output_path(out)
    export_and_wait(qtbot, dlg)
    assert len(messages) == 1
    text = messages[0].text
    assert f"còn {len(dlg.preflight)} mục chưa hoàn thành" in text
    assert "«Bản nháp»" in text and "--draft" not in text
    assert not out.exists()
    # as a draft it goes through
    dlg.draft_check.setChecked(True)
    with qtbot.waitSignal(dlg.exported, timeout=WAIT_MS):
        dlg.export_button.click()
    assert out.exists()
    assert verify_dossier(out).payload_present


def test_print_renders_pages_to_printer(qtbot, ctx, tmp_path):
    dlg = make_dialog(qtbot, ctx)
    dlg.set_output_path(tmp_path / "in.pdf")
    with qtbot.waitSignal(dlg.exported, timeout=WAIT_MS):
        dlg.export_button.click()
    assert not dlg.print_button.isEnabled()  # until the preview has read the file
    qtbot.waitUntil(dlg.print_button.isEnabled, timeout=WAIT_MS)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    printer.setFromTo(1, 2)
    assert dlg.preview.print_to(printer) == 2
    assert printed.exists() and printed.stat().st_size > 10_000
    from pypdf import PdfReader

    assert len(PdfReader(printed).pages) == 2


def test_export_from_main_window_and_navigate(qtbot, demo_copy, tmp_path, monkeypatch, open_window):
    out = tmp_path / "tu-cua-so.pdf"
    w = open_window(demo_copy)
    w.act_export.trigger()
    dlg = w.export_dialog
    assert isinstance(dlg, ExportDialog) and dlg.isVisible()
    dlg.set_output_path(out)
    dlg.start_export()  # the window's pool runs it at once in tests
    assert out.exists()
    rep = verify_dossier(out)
    assert rep.payload_present and rep.attachments_ok is True
    # a preflight item asks the window to show the criterion, or the unit page for the profile
    from khoiapp.services import criteria as crit

    first = crit.checklist(w.ctx.doc, YEAR).criteria[3].code
    dlg.navigate_requested.emit("evidence", first)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.page("tieu-chi"), timeout=5000)
    page = w.stack.currentWidget()
    assert page.current_code == first
    dlg.navigate_requested.emit("profile", "head_name")
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.page("don-vi"), timeout=5000)


def test_export_dialog_does_not_block_the_window_but_locks_its_edits(qtbot, demo_copy, open_window, messages):
    from PySide6.QtGui import QGuiApplication

    w = open_window(demo_copy)
    page = w.show_page("don-vi")
    edit = page.unit_edits["phone"].edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "0237 3852 999")
    page.unit_edits["phone"].flush()  # what leaving the field does: saved, one undo step
    assert w.act_undo.isEnabled()
    w.act_export.trigger()
    dlg = w.export_dialog
    assert dlg is not None and dlg.isVisible()
    # not modal: the window still receives its close (the title bar's ×), see the next test
    assert QGuiApplication.modalWindow() is None and not dlg.isModal()
    assert not w.centralWidget().isEnabled() and not w.menuBar().isEnabled() and not w.toolbar.isEnabled()
    from PySide6.QtWidgets import QApplication

    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the window's Ctrl+Z does nothing now
    qtbot.keyClick(w, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # nor a second export dialog
    assert w.ctx.read(docsvc.get_unit).phone == "0237 3852 999"
    assert w.export_dialog is dlg
    dlg.close()
    qtbot.waitUntil(lambda: w.export_dialog is None, timeout=5000)
    assert w.centralWidget().isEnabled() and w.menuBar().isEnabled()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # unlocked: undo works again
    assert w.ctx.read(docsvc.get_unit).phone != "0237 3852 999"
    assert messages == []


def test_closing_the_window_while_exporting_asks_and_can_stay_open(qtbot, demo_copy, tmp_path, open_window, monkeypatch):
    import threading

    from ui import tasks
    from ui.dialogs import export_dialog

    release = threading.Event()
    started = threading.Event()
    real = export_dialog.export_dossier

    def slow_export(*a, **kw):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(30)
        return real(*a, **kw)

    monkeypatch.setattr(export_dialog, "export_dossier", slow_export)
    asked: list[str] = []
    answers = iter([False, True])  # «Không đóng», then «Chờ xong rồi đóng»

    def fake_ask(_parent, title, text, yes, no):  # type: ignore[no-untyped-def]
        asked.append(title)
        return next(answers)

    import ui.main_window as main_window

    monkeypatch.setattr(main_window, "ask", fake_ask)
    w = open_window(demo_copy)
    tasks.set_pool_override(None)  # a real worker: the export is still running when the window is closed
    w.act_export.trigger()
    dlg = w.export_dialog
    out = tmp_path / "dang-xuat.pdf"
    dlg.set_output_path(out)
    dlg.start_export()
    assert started.wait(10) and dlg.running
    assert not w.close()  # asked; «Không đóng»: nothing happens to the export
    assert asked == ["Khối đang làm việc"]
    assert w.isVisible() and dlg.running
    release.set()
    assert w.close()  # asked again; «Chờ xong rồi đóng»: the export finishes, then the window closes
    assert asked == ["Khối đang làm việc", "Khối đang làm việc"]
    assert out.exists() and verify_dossier(out).payload_present
    assert w.ctx.doc is None


# ---------------------------------------------------------------- USB token and the unit certificate dialog

from tests.softhsm import pki, softhsm_token  # noqa: E402,F401 - fixtures


def test_export_signed_with_usb_token(qtbot, ctx, tmp_path, softhsm_token, monkeypatch, messages):  # noqa: F811
    lib, token_label, key_label, pin = softhsm_token
    asked: list[str] = []

    def fake_get_text(parent, title, label, echo=QLineEdit.EchoMode.Normal, *a, **k):
        asked.append(title)
        assert echo == QLineEdit.EchoMode.Password
        return pin, True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(fake_get_text))
    dlg = make_dialog(qtbot, ctx)
    dlg.sign_options.set_token(lib, token_label, key_label)
    assert dlg.sign_options.lib_edit.isVisible() and not dlg.sign_options.p12_edit.isVisible()
    out = tmp_path / "token.pdf"
    dlg.set_output_path(out)
    with qtbot.waitSignal(dlg.exported, timeout=WAIT_MS):
        dlg.export_button.click()
    # the token's certificate belongs to another organisation: the export says so
    assert [m.title for m in messages] == ["Lưu ý về chữ ký"]
    assert "Chữ ký không thuộc đơn vị" in messages[0].text and "UBND xã Yên Hòa" in messages[0].text
    assert asked == ["Mã PIN của USB token"]
    rep = verify_dossier(out)
    assert rep.signed and rep.intact and rep.valid and rep.entire_file
    assert pin not in (Path(sign_options.settings.settings_path())).read_text(encoding="utf-8")


def test_wrong_pin_shows_error_and_writes_nothing(qtbot, ctx, tmp_path, softhsm_token, monkeypatch, messages):  # noqa: F811
    lib, token_label, key_label, _pin = softhsm_token
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("000000", True)))
    dlg = make_dialog(qtbot, ctx)
    dlg.sign_options.set_token(lib, token_label, key_label)
    out_dir = tmp_path / "ra"
    out_dir.mkdir()
    dlg.set_output_path(out_dir / "sai-pin.pdf")
    export_and_wait(qtbot, dlg)
    assert dlg.export_result is None
    assert len(messages) == 1 and "PIN" in messages[0].text
    assert list(out_dir.iterdir()) == []


def test_create_unit_certificate_from_dialog(qtbot, ctx, tmp_path, messages):
    opts = make_dialog(qtbot, ctx).sign_options
    cdlg = opts.create_unit_certificate()
    qtbot.addWidget(cdlg)
    assert cdlg.name_edit.text() == "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa"  # prefilled
    target = tmp_path / "chung-thu.p12"
    cdlg.path_edit.setText(str(target))
    # passwords that differ: nothing is created
    cdlg.pass1.setText("mat-khau-1")
    cdlg.pass2.setText("mat-khau-2")
    cdlg.accept()
    assert len(messages) == 1 and "không giống nhau" in messages[0].text
    assert not target.exists()
    cdlg.pass2.setText("mat-khau-1")
    with qtbot.waitSignal(cdlg.created, timeout=60_000) as sig:
        cdlg.accept()
    assert target.exists()
    assert sig.args[0].subject_name == "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa"
    assert opts.mode() == sign_options.MODE_UNIT
    assert opts.unit_edit.text() == str(target)
    assert "Đã tạo chứng thư" in messages[-1].title
    assert cdlg.pass1.text() == "" and cdlg.pass2.text() == ""  # not kept in the widgets
    # the new certificate signs: its password opens it
    from khoiapp.services.signing import load_certificate_from_p12

    assert load_certificate_from_p12(target, "mat-khau-1") is not None


def test_token_certificates_are_listed_to_pick_from(qtbot, ctx, softhsm_token, messages):  # noqa: F811
    lib, token_label, key_label, _pin = softhsm_token
    opts = make_dialog(qtbot, ctx).sign_options
    opts.set_token(lib, "", "")
    task = opts.read_token()
    qtbot.waitUntil(lambda: opts.cert_combo.count() > 0, timeout=WAIT_MS)
    assert task is not None
    texts = [opts.cert_combo.itemText(i) for i in range(opts.cert_combo.count())]
    mine = [t for t in texts if t.startswith("Trần Văn Bình — UBND xã Yên Hòa; cấp bởi Khối Test Root CA; hiệu lực ")]
    assert len(mine) == 1, texts
    opts.cert_combo.setCurrentIndex(texts.index(mine[0]))
    assert (opts.token_edit.text(), opts.key_edit.text()) == (token_label, key_label)
    assert messages == []


def test_signing_choice_of_one_document_is_not_offered_for_another(qtbot, ctx, demo_template, tmp_path):
    import shutil

    signing_settings.remember_choice(ctx.doc, signing_settings.SigningChoiceView(
        method="p12", p12_path=str(tmp_path / "so-van-hoa.p12"), pkcs11_lib="", token_label="", key_label="",
        cert_fingerprint="", cert_subject="Sở Văn hóa", role="don-vi"))  # fmt: skip
    first = make_dialog(qtbot, ctx).sign_options
    assert first.p12_edit.text().endswith("so-van-hoa.p12") and first.role() == "don-vi"
    other = tmp_path / "khac.khoi"
    shutil.copyfile(demo_template, other)
    ctx2 = AppContext()
    ctx2.set_document(open_document(other), YEAR)
    try:
        second = make_dialog(qtbot, ctx2).sign_options
        assert second.mode() == sign_options.MODE_NONE and second.p12_edit.text() == ""
        assert second.role() == "chu-tich"
    finally:
        ctx2.set_document(None, None)


def test_photo_choice_updates_the_expected_size_and_warning(qtbot, realistic_template, tmp_path):
    import shutil

    path = tmp_path / "that-unit.khoi"
    shutil.copyfile(realistic_template, path)
    c = AppContext()
    c.set_document(open_document(path), YEAR)
    try:
        dlg = make_dialog(qtbot, c)
        auto = dlg.size_label.text()
        assert "Dung lượng dự kiến" in auto and "lớn hơn mức" not in auto  # reduced copies fit 20 MB
        dlg.copies_combo.setCurrentIndex(dlg.copies_combo.findData("original"))
        original = dlg.size_label.text()
        assert "lớn hơn mức 20 MB" in original and "MC-1.1-01" in original
        assert dlg.size_checks["original"].expected > dlg.size_checks["auto"].expected
        dlg.close()
    finally:
        c.set_document(None, None)


def test_photos_per_page_defaults_to_the_documents_last_choice(qtbot, ctx, demo_template, tmp_path, messages):
    import shutil

    from khoiapp.services import export_choice

    dlg = make_dialog(qtbot, ctx)
    assert dlg.photos_combo.currentData() == 4  # never exported: the default
    dlg.photos_combo.setFocus()
    qtbot.keyClick(dlg.photos_combo, Qt.Key.Key_Down)
    assert dlg.photos_combo.currentData() == 6
    dlg.set_output_path(tmp_path / "ho-so.pdf")
    with qtbot.waitSignal(dlg.exported, timeout=WAIT_MS):
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    assert ctx.read(export_choice.photos_per_page) == 6
    dlg.close()
    assert make_dialog(qtbot, ctx).photos_combo.currentData() == 6
    other = tmp_path / "khac.khoi"  # another unit's document starts from its own choice
    shutil.copyfile(demo_template, other)
    ctx2 = AppContext()
    ctx2.set_document(open_document(other), YEAR)
    try:
        assert make_dialog(qtbot, ctx2).photos_combo.currentData() == 4
    finally:
        ctx2.set_document(None, None)


def test_second_export_from_the_dialog_takes_the_kept_appendix_images(qtbot, ctx, tmp_path, messages, monkeypatch):
    from khoiapp.pdf import images
    from khoiapp.services import renditions

    made = [0]
    real = images.print_photo

    def counting(*a, **k):
        made[0] += 1
        return real(*a, **k)

    monkeypatch.setattr(images, "print_photo", counting)
    changes: list[object] = []
    ctx.document_changed.connect(changes.append)
    dlg = make_dialog(qtbot, ctx)
    dlg.set_output_path(tmp_path / "1.pdf")
    export_and_wait(qtbot, dlg)
    first = made[0]
    assert first > 0 and messages == []
    # kept on the document's thread after the export, without refreshing any page
    qtbot.waitUntil(lambda: ctx.read(renditions.stats)[0] >= first, timeout=WAIT_MS)
    assert not any("rendition" in c.tables for c in changes)  # nothing for the pages to refresh
    dlg.close()
    made[0] = 0
    dlg = make_dialog(qtbot, ctx)
    dlg.set_output_path(tmp_path / "2.pdf")
    export_and_wait(qtbot, dlg)
    assert made[0] == 0 and (tmp_path / "2.pdf").exists()
