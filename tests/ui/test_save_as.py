"""«Lưu thành…» in the window: a document whose file was deleted or renamed while open keeps what
was typed, says so once (a banner, never a message box while typing) and saves it all to a new file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from khoiapp.db import open_document
from khoiapp.services import document as docsvc


def _type(qtbot, saver, text: str) -> None:
    saver.edit.setFocus()
    saver.edit.selectAll()
    qtbot.keyClicks(saver.edit, text)  # ASCII only: QTest drops other characters
    saver.flush()  # what leaving the field does: saved (or tried)


def _unit(path: Path):
    doc = open_document(path, read_only=True)
    try:
        return docsvc.get_unit(doc)
    finally:
        doc.close()


def _phone_typed_after_deleting(qtbot, open_window, path: Path):
    """The window on ``path``, the file deleted, then a phone number typed: one edit kept, banner shown."""
    w = open_window(path)
    page = w.show_page("don-vi")
    path.unlink()
    _type(qtbot, page.unit_edits["phone"], "0237 3852 123")
    w.ctx.runner.wait_idle()
    qtbot.waitUntil(lambda: w.moved_banner.isVisible(), timeout=5000)
    return w


@pytest.mark.parametrize("how", ["deleted", "renamed"])
def test_typed_edits_after_the_file_went_away_are_saved_as(
    qtbot, open_window, blank_doc_path: Path, messages, monkeypatch, tmp_path: Path, how: str
) -> None:
    w = open_window(blank_doc_path)
    page = w.show_page("don-vi")
    if how == "deleted":
        blank_doc_path.unlink()
    else:
        blank_doc_path.rename(blank_doc_path.with_name("doi-ten.khoi"))
    _type(qtbot, page.unit_edits["phone"], "0237 3852 123")
    _type(qtbot, page.unit_edits["email"], "stp@thanhhoa.gov.vn")
    w.ctx.runner.wait_idle()
    qtbot.waitUntil(lambda: w.moved_banner.isVisible(), timeout=5000)
    assert messages == []  # no message box while typing: the banner tells it once
    assert w.ctx.runner.unsaved_count == 2
    assert "2 thay đổi" in w.moved_label.text() and "Lưu thành" in w.moved_label.text()
    assert page.unit_edits["phone"].edit.text() == "0237 3852 123"  # what was typed is still shown

    target = tmp_path / "luu-lai" / "so-tu-phap.khoi"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target.with_suffix("")), ""))
    qtbot.mouseClick(w.moved_save_button, Qt.MouseButton.LeftButton)
    w.ctx.runner.wait_idle()
    qtbot.waitUntil(lambda: not w.moved_banner.isVisible(), timeout=5000)
    assert messages == []
    assert w.ctx.doc is not None and w.ctx.doc.path == target  # «.khoi» added; the window works there now
    assert w.ctx.runner.unsaved_count == 0
    # later edits go to the new file
    _type(qtbot, page.unit_edits["address"], "So 2 Hac Thanh, TP Thanh Hoa")
    w.ctx.runner.wait_idle()
    w.close()
    unit = _unit(target)
    assert (unit.name, unit.phone, unit.email, unit.address) == (
        "Sở Tư pháp tỉnh Thanh Hóa", "0237 3852 123", "stp@thanhhoa.gov.vn", "So 2 Hac Thanh, TP Thanh Hoa")


def test_closing_with_unsaved_edits_of_a_moved_file_asks_first(
    qtbot, open_window, blank_doc_path: Path, messages, monkeypatch
) -> None:
    w = _phone_typed_after_deleting(qtbot, open_window, blank_doc_path)
    assert not w.close()  # the recorded box answers nothing («Quay lại»): the window stays
    assert w.isVisible() and w.ctx.doc is not None
    assert [m.title for m in messages] == ["Còn thay đổi chưa lưu"]
    assert "1 thay đổi" in messages[0].text


def test_save_as_from_the_file_menu_on_a_normal_document(
    qtbot, open_window, blank_doc_path: Path, messages, monkeypatch, tmp_path: Path
) -> None:
    w = open_window(blank_doc_path)
    before = blank_doc_path.read_bytes()
    target = tmp_path / "ban-sao.khoi"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert w.act_save_as.isEnabled()
    w.act_save_as.trigger()
    w.ctx.runner.wait_idle()
    qtbot.waitUntil(lambda: w.ctx.doc is not None and w.ctx.doc.path == target, timeout=5000)
    page = w.show_page("don-vi")
    _type(qtbot, page.unit_edits["phone"], "0237 3852 123")
    w.ctx.runner.wait_idle()
    w.close()
    assert messages == []
    assert blank_doc_path.read_bytes() == before
    assert _unit(target).phone == "0237 3852 123"


def test_session_end_keeps_the_edits_of_a_moved_file_in_the_recovery_folder(
    qtbot, open_window, blank_doc_path: Path, messages
) -> None:
    from khoiapp import paths

    w = _phone_typed_after_deleting(qtbot, open_window, blank_doc_path)
    w.terminating = True  # log-off: nobody is there to answer
    assert w.close()
    assert messages == []
    kept = list((paths.user_data_dir() / "khoi-phuc").glob("moi-*.khoi"))
    assert len(kept) == 1
    unit = _unit(kept[0])
    assert (unit.name, unit.phone) == ("Sở Tư pháp tỉnh Thanh Hóa", "0237 3852 123")
