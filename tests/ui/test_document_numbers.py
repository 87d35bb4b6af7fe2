"""Typing the «Số:» of the registration, the Quy ước and the code of conduct on their own pages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from khoiapp.services import document as docsvc

YEAR = 2026


def _period(ctx):
    return next(p for p in ctx.read(docsvc.list_periods) if p.year_end == YEAR)


def _type(edit, text):
    """Key presses carrying each character, as a Vietnamese keyboard (Unikey, EVKey) sends them;
    QTest's keyClicks only knows Latin-1."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(edit, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def _type_and_leave(qtbot, edit, text):
    edit.setFocus()
    edit.selectAll()
    _type(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # focus moves on: saved
    edit.saver.flush()  # offscreen windows may not move focus; leaving the field is what flush does


@pytest.mark.parametrize(
    ("page_name", "attr", "field", "what"),
    [
        ("unit", "registration_number_edit", "registration_number", "số bản đăng ký"),
        ("convention", "convention_number_edit", "convention_number", "số Quy ước"),
        ("conduct", "conduct_number_edit", "conduct_number", "số Bộ quy tắc ứng xử"),
    ],
)
def test_number_typed_on_its_page_is_saved_undoable_and_named(qtbot, ctx, page_name, attr, field, what):
    if page_name == "unit":
        from ui.pages.unit_page import UnitPage

        page = UnitPage(ctx)
    elif page_name == "convention":
        from ui.pages.convention_page import ConventionPage

        page = ConventionPage(ctx)
    else:
        from ui.pages.tables_page import TablesPage

        page = TablesPage(ctx, ("conduct",))
    qtbot.addWidget(page)
    page.show()
    edit = getattr(page, attr)
    before = getattr(_period(ctx), field)  # the demo's registration has its number, the others are blank
    assert edit.text() == before and edit.isEnabled() and not edit.isReadOnly()
    _type_and_leave(qtbot, edit, "04/ĐK-CĐ")
    assert getattr(_period(ctx), field) == "04/ĐK-CĐ"
    assert ctx.undo_stack.undoText() == f"sửa {what} năm {YEAR}"
    ctx.undo_stack.undo()
    assert getattr(_period(ctx), field) == before and edit.text() == before
    ctx.undo_stack.redo()
    assert getattr(_period(ctx), field) == "04/ĐK-CĐ" and edit.text() == "04/ĐK-CĐ"


def test_a_refused_number_is_explained_and_nothing_is_saved(qtbot, ctx, monkeypatch):
    from ui.pages.unit_page import UnitPage

    shown = []
    monkeypatch.setattr("ui.errors.show_error", lambda parent, exc: shown.append(exc))
    page = UnitPage(ctx)
    qtbot.addWidget(page)
    edit = page.registration_number_edit
    before = _period(ctx).registration_number
    edit.setFocus()
    edit.selectAll()
    _type(edit, "<b>01</b>")
    edit.saver.flush()
    assert len(shown) == 1 and "trên một dòng" in shown[0].message
    assert _period(ctx).registration_number == before and ctx.undo_stack.count() == 0
