"""Calm checking of typed values: a red border and one line under the field, never a window.

A field keeps whatever the officer types (letters included: nothing is silently dropped or
clipped). When the text is read — on Enter, on leaving the field, before saving — a reader from
:mod:`khoiapp.entry` says whether it is a valid value; if not, the field turns red and one line
under it says what to write, and nothing is saved. The line goes away as soon as the text is
valid again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from khoiapp.entry import Entry

Reader = Callable[[str], Entry]

PROBLEM_COLOUR = "#b3261e"
_RED_BORDER = f"QLineEdit {{ border: 1px solid {PROBLEM_COLOUR}; border-radius: 2px; padding: 1px 2px; }}"


def make_hint(parent: QWidget | None = None) -> QLabel:
    """The one red line shown under a field whose text is not valid."""
    hint = QLabel(parent)
    hint.setWordWrap(True)
    hint.setStyleSheet(f"color: {PROBLEM_COLOUR};")
    hint.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    hint.hide()
    return hint


class FieldCheck(QObject):
    """Checks ``edit`` with ``read``; shows a problem under it (see the module docstring)."""

    def __init__(self, edit: QLineEdit, read: Reader, hint: QLabel | None = None) -> None:
        super().__init__(edit)
        self.edit = edit
        self.read = read
        self.hint = hint if hint is not None else make_hint()
        if edit.objectName():
            self.hint.setObjectName(edit.objectName() + "Hint")
        edit.textEdited.connect(self._on_edit_text_edited)
        edit.setProperty("invalid", False)

    def container(self) -> QWidget:
        """``edit`` with its hint line below it, for a form row."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.edit)
        lay.addWidget(self.hint)
        return box

    @property
    def problem(self) -> str | None:
        """The line shown now (``None`` when the field is fine)."""
        return self.hint.text() if self.edit.property("invalid") else None

    def check(self, show: bool = True) -> Entry:
        """Read the field; show its problem (unless ``show`` is False) or clear the last one."""
        entry = self.read(self.edit.text())
        if entry.ok:
            self.clear()
        elif show:
            self.show_problem(entry.problem or "")
        return entry

    def show_problem(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()
        self.edit.setProperty("invalid", True)
        self.edit.setStyleSheet(_RED_BORDER)
        self.edit.setToolTip(text)

    def clear(self) -> None:
        if not self.edit.property("invalid"):
            return
        self.edit.setProperty("invalid", False)
        self.edit.setStyleSheet("")
        self.edit.setToolTip("")
        self.hint.hide()
        self.hint.setText("")

    def _on_edit_text_edited(self, _text: str) -> None:
        # While typing, only take the red line away once the text is valid; never add one.
        if self.edit.property("invalid") and self.read(self.edit.text()).ok:
            self.clear()


class CheckedCellEditor(QLineEdit):
    """A table cell's line editor whose problem line floats just under the cell."""

    def __init__(self, parent: QWidget, read: Reader) -> None:
        super().__init__(parent)
        self.hint = make_hint(parent)
        self.hint.setAutoFillBackground(True)
        self.hint.setStyleSheet(
            f"color: {PROBLEM_COLOUR}; background: #fff4f2; border: 1px solid {PROBLEM_COLOUR}; padding: 2px 4px;"
        )
        self.checker = FieldCheck(self, read, self.hint)
        self.destroyed.connect(self.hint.deleteLater)
        self.installEventFilter(self)

    def place_hint(self) -> None:
        """Put the problem line under the editor, as wide as it needs (within the view)."""
        parent = self.parentWidget()
        if parent is None:
            return
        g = self.geometry()
        width = max(g.width(), min(420, parent.width() - g.left()))
        self.hint.setFixedWidth(max(width, 120))
        self.hint.adjustSize()
        top = g.bottom() + 1
        if top + self.hint.height() > parent.height():  # no room below: above the cell
            top = g.top() - self.hint.height() - 1
        self.hint.move(g.left(), max(top, 0))
        self.hint.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if obj is self and event.type() in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show):
            if self.hint.isVisible():
                self.place_hint()
        return False

    def check(self, show: bool = True) -> Entry:
        entry = self.checker.check(show)
        if not entry.ok and show:
            self.place_hint()
        return entry
