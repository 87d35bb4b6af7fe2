"""Backups dialog: lists date, reason, size; restores after a confirmation and reopens the document."""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from khoiapp import locking
from khoiapp.db import open_document
from khoiapp.services import backups
from khoiapp.services import document as docsvc
from ui.context import AppContext
from ui.dialogs import backups_dialog
from ui.dialogs.backups_dialog import BackupsDialog

YEAR = 2026


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups one minute apart, from 08:00 on 29/11/2026 (their names carry the second)."""
    ticks = iter(range(10_000))

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Clock:  # type: ignore[override]
            return cls(2026, 11, 29, 8, 0) + dt.timedelta(minutes=next(ticks))

    monkeypatch.setattr(backups, "dt", types.SimpleNamespace(datetime=Clock))


def _rename(path: Path, name: str) -> None:
    with open_document(path) as doc:
        docsvc.update_unit(doc, name=name)


@pytest.fixture
def ctx_with_backups(qtbot, demo_doc_path: Path, sync_tasks):  # type: ignore[no-untyped-def]
    for i in range(2):
        _rename(demo_doc_path, f"Đơn vị bản {i}")
        backups.make_backup(demo_doc_path, reason="thu-cong" if i == 0 else "truoc-nhap-ho-so")
    _rename(demo_doc_path, "Đơn vị hiện tại")
    ctx = AppContext()
    ctx.set_document(open_document(demo_doc_path), YEAR)
    yield ctx
    ctx.set_document(None, None)


def _dialog(qtbot, ctx: AppContext) -> BackupsDialog:  # type: ignore[no-untyped-def]
    dlg = BackupsDialog(ctx)
    qtbot.addWidget(dlg)
    return dlg


def _cells(dlg: BackupsDialog) -> list[list[str]]:
    return [[dlg.table.item(r, c).text() for c in range(3)] for r in range(dlg.table.rowCount())]


def test_lists_backups_newest_first_with_date_reason_size(qtbot, ctx_with_backups: AppContext) -> None:  # type: ignore[no-untyped-def]
    dlg = _dialog(qtbot, ctx_with_backups)
    rows = _cells(dlg)
    assert [r[:2] for r in rows] == [
        ["08:01 ngày 29/11/2026", "Trước khi nhập hồ sơ"],
        ["08:00 ngày 29/11/2026", "Sao lưu thủ công"],
    ]
    assert all(r[2].endswith(" KB") or r[2].endswith(" MB") for r in rows)
    assert dlg.restore_button.isEnabled()
    assert "giữ 5 bản" in dlg.info_label.text()


def test_no_document_and_no_backups(qtbot, demo_doc_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx = AppContext()
    dlg = _dialog(qtbot, ctx)
    assert dlg.table.rowCount() == 0 and not dlg.restore_button.isEnabled()
    assert dlg.info_label.text() == "Chưa mở tài liệu nào."
    ctx.set_document(open_document(demo_doc_path), YEAR)
    dlg.reload()
    assert dlg.table.rowCount() == 0 and "chưa có bản sao lưu nào" in dlg.info_label.text()
    ctx.set_document(None, None)


def test_restore_after_confirmation_reopens_the_document(
    qtbot, ctx_with_backups: AppContext, monkeypatch: pytest.MonkeyPatch, messages  # type: ignore[no-untyped-def]
) -> None:
    questions = []
    monkeypatch.setattr(backups_dialog, "ask", lambda parent, title, text, yes, no: questions.append(text) or True)
    old_doc = ctx_with_backups.doc
    path = old_doc.path  # type: ignore[union-attr]
    dlg = _dialog(qtbot, ctx_with_backups)
    dlg.table.selectRow(1)  # "Đơn vị bản 0", 08:00
    with qtbot.waitSignal(ctx_with_backups.document_opened):
        dlg.restore_selected()
    assert "08:00 ngày 29/11/2026" in questions[0] and "sao lưu trước khi khôi phục" in questions[0]
    new_doc = ctx_with_backups.doc
    assert new_doc is not None and new_doc is not old_doc and not new_doc.read_only
    assert ctx_with_backups.year == YEAR
    assert docsvc.get_unit(new_doc).name == "Đơn vị bản 0"  # type: ignore[union-attr]
    assert messages and messages[-1].icon == QMessageBox.Icon.Information
    assert "Đã khôi phục tài liệu về bản sao lưu lúc 08:00 ngày 29/11/2026" in messages[-1].text
    # the document as it was is now the newest backup, listed first
    assert dlg.table.rowCount() == 3 and _cells(dlg)[0][1] == "Trước khi khôi phục một bản sao lưu"
    with open_document(backups.list_backups(path)[0].path, read_only=True) as saved:
        assert docsvc.get_unit(saved).name == "Đơn vị hiện tại"  # type: ignore[union-attr]


def test_restore_cancelled_changes_nothing(
    qtbot, ctx_with_backups: AppContext, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(backups_dialog, "ask", lambda *a: False)
    doc = ctx_with_backups.doc
    dlg = _dialog(qtbot, ctx_with_backups)
    dlg.restore_selected()
    assert ctx_with_backups.doc is doc
    assert docsvc.get_unit(doc).name == "Đơn vị hiện tại"  # type: ignore[union-attr, arg-type]
    assert len(backups.list_backups(doc.path)) == 2  # type: ignore[union-attr]


def test_restore_refused_when_another_window_has_the_document(
    qtbot, demo_doc_path: Path, monkeypatch: pytest.MonkeyPatch, messages, sync_tasks  # type: ignore[no-untyped-def]
) -> None:
    backups.make_backup(demo_doc_path, reason="thu-cong")
    asked = []
    monkeypatch.setattr(backups_dialog, "ask", lambda *a: asked.append(a) or True)
    with open_document(demo_doc_path) as other_window:
        assert not other_window.read_only
        ctx = AppContext()
        ctx.set_document(open_document(demo_doc_path), YEAR)
        assert ctx.doc.read_only and ctx.doc.locked_by  # type: ignore[union-attr]
        dlg = _dialog(qtbot, ctx)
        dlg.restore_selected()
        assert not asked
        assert messages and "đang được mở ở cửa sổ khác" in messages[-1].text
        assert locking.is_locked(demo_doc_path)
        ctx.set_document(None, None)
    assert len(backups.list_backups(demo_doc_path)) == 1


def test_restore_failure_reopens_the_document_as_it_was(
    qtbot, ctx_with_backups: AppContext, monkeypatch: pytest.MonkeyPatch, messages  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(backups_dialog, "ask", lambda *a: True)
    dlg = _dialog(qtbot, ctx_with_backups)
    dlg.items[0].path.write_bytes(b"hong")  # the chosen backup went bad since the list was shown
    with qtbot.waitSignal(ctx_with_backups.document_opened):
        dlg.restore_selected()
    assert messages and messages[-1].icon == QMessageBox.Icon.Warning
    assert "không phải tài liệu Khối" in messages[-1].text
    doc = ctx_with_backups.doc
    assert doc is not None and not doc.read_only
    assert docsvc.get_unit(doc).name == "Đơn vị hiện tại"  # type: ignore[union-attr]


def test_backup_now_adds_a_restorable_copy_of_the_open_document(qtbot, ctx_with_backups: AppContext) -> None:  # type: ignore[no-untyped-def]
    dlg = _dialog(qtbot, ctx_with_backups)
    assert dlg.table.rowCount() == 2
    qtbot.mouseClick(dlg.backup_button, Qt.MouseButton.LeftButton)
    assert dlg.table.rowCount() == 3
    newest = backups.list_backups(ctx_with_backups.doc.path)[0]
    assert newest.reason == "thu-cong"
    with open_document(newest.path, read_only=True) as copy:
        assert docsvc.get_unit(copy).name == "Đơn vị hiện tại"  # type: ignore[union-attr]
