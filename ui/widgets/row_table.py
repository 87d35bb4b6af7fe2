"""An editable table for one of the core's simple tables (a ``TableSpec``): committee, plan, conduct…"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
    QCheckBox,
)

from khoiapp.errors import KhoiError
from khoiapp.services import content
from khoiapp.services.content import FieldSpec, Row, TableSpec
from khoiapp.services.document import Changes
from ui.context import AppContext
from ui.errors import show_error

LATE_BACKGROUND = QColor("#fde0de")
EMPTY_DATE = QDate(1900, 1, 1)  # the minimum of a date editor stands for "no date"
EMPTY_INT = -1

RowIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2


def _tr(text: str) -> str:
    return QCoreApplication.translate("RowTable", text)


def vi_collator() -> Any:
    """A collator for Vietnamese sorting (ignores case, orders diacritics as Vietnamese does)."""
    from PySide6.QtCore import QCollator, QLocale

    col = QCollator(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    col.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    col.setNumericMode(True)
    return col


def format_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _label_of(f: FieldSpec, value: Any) -> str:
    if value is None:
        return ""
    if f.kind == "choice":
        return dict(f.choices).get(str(value), str(value))
    if f.kind == "date":
        return format_date(value)
    if f.kind == "int":
        return f"{value:,}".replace(",", ".")
    if f.kind == "bool":
        return ""
    return str(value)


def _first_line(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RowTableModel(QAbstractTableModel):
    """Rows of one table; edits are handed to :class:`RowTable` which makes them undoable."""

    edit_requested = Signal(int, str, object)  # row id, field name, new value

    def __init__(self, spec: TableSpec, parent: Any = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.rows: list[Row] = []
        self.editable = True

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.spec.fields)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.spec.fields[section].label
        return str(section + 1)

    def field(self, column: int) -> FieldSpec:
        return self.spec.fields[column]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        f = self.spec.fields[index.column()]
        value = row.values.get(f.name)
        if role == Qt.ItemDataRole.DisplayRole:
            text = _label_of(f, value)
            return _first_line(text) if f.kind == "longtext" else text
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.CheckStateRole and f.kind == "bool":
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and row.late:
            return QBrush(LATE_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.late:
                return self.tr("Quá hạn: đã qua thời hạn mà chưa hoàn thành")
            if f.kind == "longtext" and value:
                return str(value)
            if f.kind == "bool":
                return f.label
            return None
        if role == RowIdRole:
            return row.id
        if role == SortRole:
            if f.kind in ("int", "date"):
                return value
            if f.kind == "bool":
                return 1 if value else 0
            return _label_of(f, value)
        if role == Qt.ItemDataRole.TextAlignmentRole and f.kind == "int":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        fl = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.editable:
            return fl
        if self.spec.fields[index.column()].kind == "bool":
            return fl | Qt.ItemFlag.ItemIsUserCheckable
        return fl | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or not self.editable:
            return False
        row = self.rows[index.row()]
        f = self.spec.fields[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and f.kind == "bool":
            new = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        elif role == Qt.ItemDataRole.EditRole:
            new = value
        else:
            return False
        if new == row.values.get(f.name):
            return False
        self.edit_requested.emit(row.id, f.name, new)
        return True


class RowSortProxy(QSortFilterProxyModel):
    """Sorting with the Vietnamese collator and an optional filter on one choice column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._collator = vi_collator()
        self.setSortRole(SortRole)
        self.filter_column = -1
        self.filter_value: str | None = None

    def set_choice_filter(self, column: int, value: str | None) -> None:
        self.beginFilterChange()
        self.filter_column = column
        self.filter_value = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        if self.filter_value is None or self.filter_column < 0:
            return True
        src = self.sourceModel()
        return src.index(source_row, self.filter_column, source_parent).data(Qt.ItemDataRole.EditRole) == self.filter_value

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        a = left.data(SortRole)
        b = right.data(SortRole)
        if a is None or b is None:
            return a is None and b is not None  # empty first
        if isinstance(a, str) and isinstance(b, str):
            return self._collator.compare(a, b) < 0
        return bool(a < b)


class FieldDelegate(QStyledItemDelegate):
    """Editors by field kind: line, multi-line, number, date (may be empty), choice."""

    def __init__(self, spec: TableSpec, parent: Any = None) -> None:
        super().__init__(parent)
        self.spec = spec

    def _field(self, index: QModelIndex | QPersistentModelIndex) -> FieldSpec:
        return self.spec.fields[index.column()]

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QWidget:  # noqa: N802
        return make_editor(self._field(index), parent)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        set_editor_value(self._field(index), editor, index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        model.setData(index, editor_value(self._field(index), editor), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        rect = option.rect
        if isinstance(editor, QPlainTextEdit):
            rect.setHeight(max(rect.height(), 110))
        editor.setGeometry(rect)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), min(hint.height(), 160))


class OptionalDateEdit(QDateEdit):
    """A dd/MM/yyyy date editor that may be empty (its minimum date shows blank).

    An empty one stays empty until a date is picked or typed: opening its calendar only turns
    the calendar to this month (so it does not open in 1900), it fills in nothing.
    """

    def __init__(self, parent: QWidget | None = None, empty_text: str = " ") -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setMinimumDate(EMPTY_DATE)
        self.setSpecialValueText(empty_text)
        self.setDate(EMPTY_DATE)
        self.calendarWidget().installEventFilter(self)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if obj is self.calendarWidget() and event.type() == QEvent.Type.Show and self.is_empty():
            today = QDate.currentDate()
            obj.setCurrentPage(today.year(), today.month())  # shown, not selected: still no date
        return super().eventFilter(obj, event)

    def is_empty(self) -> bool:
        return self.date() == EMPTY_DATE

    def value(self) -> dt.date | None:
        d = self.date()
        return None if d == EMPTY_DATE else dt.date(d.year(), d.month(), d.day())

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(QDate(value.year, value.month, value.day) if value else EMPTY_DATE)

    def start_from_today_if_empty(self) -> None:
        """Fill in today's date (the keyboard's way to start an empty date: the up arrow)."""
        if self.is_empty() and self.isEnabled() and not self.isReadOnly():
            self.setDate(QDate.currentDate())

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt override
        if self.is_empty() and steps:
            self.start_from_today_if_empty()  # not from 01/01/1900
            return
        super().stepBy(steps)


def make_editor(f: FieldSpec, parent: QWidget | None) -> QWidget:
    """A fresh editor widget for one field (also used by the add-row dialog)."""
    if f.kind == "longtext":
        ed = QPlainTextEdit(parent)
        ed.setTabChangesFocus(True)
        return ed
    if f.kind == "int":
        sp = QSpinBox(parent)
        sp.setRange(EMPTY_INT, 10_000_000)
        sp.setSpecialValueText(" ")  # -1 shows blank: no number
        sp.setGroupSeparatorShown(True)
        return sp
    if f.kind == "date":
        de = OptionalDateEdit(parent)
        de.setToolTip(_tr("Để trống ngày: bấm Delete ở ô trong bảng"))
        return de
    if f.kind == "choice":
        cb = QComboBox(parent)
        for key, label in f.choices:
            cb.addItem(label, key)
        return cb
    if f.kind == "bool":
        return QCheckBox(f.label, parent)
    le = QLineEdit(parent)
    le.setMaxLength(content.MAX_FIELD)
    return le


def set_editor_value(f: FieldSpec, editor: QWidget, value: Any) -> None:
    if isinstance(editor, QPlainTextEdit):
        editor.setPlainText(str(value or ""))
    elif isinstance(editor, QSpinBox):
        editor.setValue(EMPTY_INT if value is None else int(value))
    elif isinstance(editor, QDateEdit):
        editor.setDate(QDate(value.year, value.month, value.day) if value else EMPTY_DATE)
    elif isinstance(editor, QComboBox):
        i = editor.findData(value)
        editor.setCurrentIndex(max(i, 0))
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QLineEdit):
        editor.setText(str(value or ""))


def editor_value(f: FieldSpec, editor: QWidget) -> Any:
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText().strip()
    if isinstance(editor, QSpinBox):
        return None if editor.value() == EMPTY_INT else editor.value()
    if isinstance(editor, QDateEdit):
        d = editor.date()
        return None if d == EMPTY_DATE else dt.date(d.year(), d.month(), d.day())
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QLineEdit):
        return editor.text().strip()
    return None


class RowDialog(QDialog):
    """A form with every field of one table, for adding a row."""

    def __init__(self, spec: TableSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setWindowTitle(self.tr("Thêm vào bảng «{label}»").format(label=spec.label))
        self.editors: dict[str, QWidget] = {}
        self._build_ui()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        form = QFormLayout()
        for f in self.spec.fields:
            ed = make_editor(f, self)
            set_editor_value(f, ed, None)  # dates and numbers start empty
            if isinstance(ed, QPlainTextEdit):
                ed.setMinimumHeight(70)
                ed.setMaximumHeight(110)
            if isinstance(ed, QComboBox) and f.name == "role":
                ed.setCurrentIndex(max(0, ed.findData("Thành viên")))
            self.editors[f.name] = ed
            label = f.label + (" *" if f.required else "")
            form.addRow(label if f.kind != "bool" else "", ed)
        lay.addLayout(form)
        note = QLabel(self.tr("Các mục có dấu * là bắt buộc."))
        note.setStyleSheet("color: palette(mid);")
        lay.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Thêm"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def values(self) -> dict[str, Any]:
        return {f.name: editor_value(f, self.editors[f.name]) for f in self.spec.fields}

    def _on_accept(self) -> None:
        for f in self.spec.fields:
            v = editor_value(f, self.editors[f.name])
            if f.required and (v is None or v == ""):
                self.editors[f.name].setFocus()
                show_error(self, KhoiError(self.tr("Chưa nhập «{label}». Hãy nhập nội dung rồi bấm Thêm.").format(label=f.label)))
                return
        self.accept()


class RowTable(QWidget):
    """Add, edit, delete and reorder the rows of one table; every edit is saved and undoable."""

    rows_changed = Signal()

    def __init__(self, ctx: AppContext, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.key = key
        self.spec: TableSpec = content.TABLES[key]
        self._build_ui()
        self._wire()

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        style = self.style()
        self.add_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder), self.tr("Thêm…"))
        self.add_button.setToolTip(self.tr("Thêm một dòng vào bảng «{label}»").format(label=self.spec.label))
        self.delete_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon), self.tr("Xóa"))
        self.delete_button.setToolTip(self.tr("Xóa dòng đang chọn (có thể hoàn tác bằng Ctrl+Z)"))
        self.up_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_ArrowUp), self.tr("Lên"))
        self.up_button.setToolTip(self.tr("Chuyển dòng đang chọn lên trên"))
        self.down_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_ArrowDown), self.tr("Xuống"))
        self.down_button.setToolTip(self.tr("Chuyển dòng đang chọn xuống dưới"))
        for b in (self.add_button, self.delete_button, self.up_button, self.down_button):
            bar.addWidget(b)
        self.up_button.setVisible(self.spec.ordered)
        self.down_button.setVisible(self.spec.ordered)
        self.category_filter: QComboBox | None = None
        choice_col = self._filter_column()
        if choice_col >= 0:
            f = self.spec.fields[choice_col]
            bar.addSpacing(12)
            bar.addWidget(QLabel(self.tr("Lọc theo {label}:").format(label=f.label.lower())))
            self.category_filter = QComboBox()
            self.category_filter.addItem(self.tr("Tất cả"), None)
            for k, label in f.choices:
                self.category_filter.addItem(label, k)
            self.category_filter.setToolTip(self.tr("Chỉ hiện các dòng thuộc một nhóm"))
            bar.addWidget(self.category_filter)
        bar.addStretch(1)
        self.count_label = QLabel()
        bar.addWidget(self.count_label)
        lay.addLayout(bar)

        self.model = RowTableModel(self.spec, self)
        self.proxy = RowSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(FieldDelegate(self.spec, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        header = self.view.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setToolTip(self.tr("Bấm tiêu đề cột để sắp xếp; bấm lần nữa để đổi chiều hoặc bỏ sắp xếp"))
        for col, f in enumerate(self.spec.fields):
            if f.kind == "longtext" or (f.kind == "text" and f.required):
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
            elif f.kind == "text":
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(col, 190)
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.view.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self._fit_timer.start())
        self.view.verticalHeader().setToolTip(self.tr("Số thứ tự"))
        lay.addWidget(self.view, 1)

    def _filter_column(self) -> int:
        if self.key != "conduct":
            return -1
        return next((i for i, f in enumerate(self.spec.fields) if f.kind == "choice"), -1)

    def _wire(self) -> None:
        self.add_button.clicked.connect(self._on_add_clicked)
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.model.edit_requested.connect(self._on_model_edit_requested)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.horizontalHeader().sortIndicatorChanged.connect(self._update_buttons)
        if self.category_filter is not None:
            self.category_filter.currentIndexChanged.connect(self._on_category_filter_changed)
        self.view.installEventFilter(self)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
        from PySide6.QtCore import QEvent

        if (
            obj is self.view
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Delete
            and self.view.state() != QAbstractItemView.State.EditingState
        ):
            self.clear_current_cell()
            return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        doc = self.ctx.doc
        keep = self.selected_id()
        rows: list[Row] = []
        if doc is not None and (self.ctx.year is not None or not self.spec.per_period):
            try:
                rows = self.ctx.read(content.list_rows, self.key, self.ctx.year if self.spec.per_period else None)
            except KhoiError:
                rows = []
        self.model.editable = doc is not None and not doc.read_only
        self.model.set_rows(rows)
        self._fit_timer.start()
        if keep is not None:
            self.select_id(keep)
        late = sum(1 for r in rows if r.late)
        text = self.tr("{n} dòng").format(n=len(rows))
        if late:
            text += self.tr(" · {n} quá hạn").format(n=late)
        self.count_label.setText(text)
        self._update_buttons()
        self.rows_changed.emit()

    def rows(self) -> list[Row]:
        return list(self.model.rows)

    def selected_id(self) -> int | None:
        idx = self.view.currentIndex()
        sel = self.view.selectionModel().selectedRows()
        if sel:
            idx = sel[0]
        if not idx.isValid():
            return None
        return idx.data(RowIdRole)

    def select_id(self, row_id: int) -> bool:
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if idx.data(RowIdRole) == row_id:
                self.view.setCurrentIndex(idx)
                self.view.selectRow(r)
                return True
        return False

    def _row(self, row_id: int) -> tuple[int, Row] | None:
        for i, r in enumerate(self.model.rows):
            if r.id == row_id:
                return i, r
        return None

    def _writable(self) -> bool:
        return self.ctx.doc is not None and not self.ctx.doc.read_only

    def _sorted_or_filtered(self) -> bool:
        return self.proxy.sortColumn() >= 0 or self.proxy.filter_value is not None

    def _update_buttons(self) -> None:
        w = self._writable() and (self.ctx.year is not None or not self.spec.per_period)
        rid = self.selected_id()
        self.add_button.setEnabled(w)
        self.delete_button.setEnabled(w and rid is not None)
        pos = self._row(rid) if rid is not None else None
        movable = w and pos is not None and self.spec.ordered and not self._sorted_or_filtered()
        reason = "" if not self._sorted_or_filtered() else self.tr("Bỏ sắp xếp và bỏ lọc để đổi thứ tự")
        self.up_button.setEnabled(bool(movable and pos and pos[0] > 0))
        self.down_button.setEnabled(bool(movable and pos and pos[0] < len(self.model.rows) - 1))
        for b, tip in ((self.up_button, self.tr("Chuyển dòng đang chọn lên trên")), (self.down_button, self.tr("Chuyển dòng đang chọn xuống dưới"))):
            b.setToolTip(reason or tip)

    def _on_category_filter_changed(self) -> None:
        assert self.category_filter is not None
        self.proxy.set_choice_filter(self._filter_column(), self.category_filter.currentData())
        self._fit_timer.start()
        self._update_buttons()

    # ------------------------------------------------------------------ editing (undoable)
    def _push(self, text: str, do: Any, undo: Any) -> bool:
        rid = self.selected_id()  # what the step changes is what is selected now
        try:
            self.ctx.push(text, do, undo, reveal=(lambda: self.select_id(rid)) if rid is not None else None)
        except KhoiError as exc:
            show_error(self, exc)
            self.reload()
            return False
        return True

    def _on_add_clicked(self) -> None:
        dlg = RowDialog(self.spec, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.add_row(dlg.values())

    def add_row(self, values: dict[str, Any]) -> int | None:
        """Add a row (undo deletes it, redo puts it back with the same id). Returns its id."""
        doc, year, key = self.ctx.doc, self.ctx.year, self.key
        if doc is None:
            return None
        y = year if self.spec.per_period else None
        clean = {k: v for k, v in values.items() if v is not None and v != ""}
        state: dict[str, Any] = {}

        def do() -> Changes:
            assert doc is not None
            if "id" not in state:
                rid, ch = self.ctx.write(lambda d: content.add_row(d, key, y, **clean))
                state["id"] = rid
                return ch
            return self.ctx.write(lambda d: content.restore_row(d, key, y, state["id"], state["values"], state["position"]))

        def undo() -> Changes:
            assert doc is not None
            rows = self.ctx.read(content.list_rows, key, y)
            for i, r in enumerate(rows):
                if r.id == state["id"]:
                    state["values"] = dict(r.values)
                    state["position"] = i + 1 if self.spec.ordered else None
            return self.ctx.write(lambda d: content.delete_row(d, key, state["id"]))

        if self._push(self.tr("Thêm dòng vào «{label}»").format(label=self.spec.label), do, undo):
            self.select_id(state["id"])
            return int(state["id"])
        return None

    def update_value(self, row_id: int, name: str, value: Any) -> bool:
        """Change one field of one row (undo puts the old value back)."""
        doc, key = self.ctx.doc, self.key
        found = self._row(row_id)
        if doc is None or found is None:
            return False
        old = found[1].values.get(name)
        label = next(f.label for f in self.spec.fields if f.name == name)
        ok = self._push(
            self.tr("Sửa «{label}»").format(label=label),
            lambda: content.update_row(doc, key, row_id, **{name: value}),
            lambda: content.update_row(doc, key, row_id, **{name: old}),
        )
        if ok:
            self.select_id(row_id)
        return ok

    def _on_model_edit_requested(self, row_id: int, name: str, value: Any) -> None:
        self.update_value(row_id, name, value)

    def delete_selected(self) -> None:
        rid = self.selected_id()
        if rid is not None:
            self.delete_row(rid)

    def delete_row(self, row_id: int) -> bool:
        """Delete a row; undo restores it with its id, values and place."""
        doc, year, key = self.ctx.doc, self.ctx.year, self.key
        if doc is None or self._row(row_id) is None:
            return False
        y = year if self.spec.per_period else None
        ordered = self.spec.ordered
        state: dict[str, Any] = {}

        def do() -> Changes:
            assert doc is not None
            if ordered:
                self.ctx.write(lambda d: content.move_row(d, key, row_id, 0))  # renumber 1..n so the place can be restored exactly
            rows = self.ctx.read(content.list_rows, key, y)
            for i, r in enumerate(rows):
                if r.id == row_id:
                    state["values"] = dict(r.values)
                    state["position"] = i + 1 if ordered else None
            return self.ctx.write(lambda d: content.delete_row(d, key, row_id))

        def undo() -> Changes:
            assert doc is not None
            return self.ctx.write(lambda d: content.restore_row(d, key, y, row_id, state["values"], state["position"]))

        return self._push(self.tr("Xóa dòng khỏi «{label}»").format(label=self.spec.label), do, undo)

    def move_selected(self, delta: int) -> None:
        rid = self.selected_id()
        if rid is not None:
            self.move_row(rid, delta)

    def move_row(self, row_id: int, delta: int) -> bool:
        doc, key = self.ctx.doc, self.key
        found = self._row(row_id)
        if doc is None or found is None or not self.spec.ordered:
            return False
        i = found[0]
        j = max(0, min(len(self.model.rows) - 1, i + delta))
        if i == j:
            return False
        d = j - i
        ok = self._push(
            self.tr("Đổi thứ tự «{label}»").format(label=self.spec.label),
            lambda: content.move_row(doc, key, row_id, d),
            lambda: content.move_row(doc, key, row_id, -d),
        )
        if ok:
            self.select_id(row_id)
        return ok

    def clear_current_cell(self) -> None:
        """Delete on a cell empties an optional field (a date, a number, a note)."""
        idx = self.view.currentIndex()
        if not idx.isValid() or not self._writable():
            return
        src = self.proxy.mapToSource(idx)
        f = self.spec.fields[src.column()]
        if f.required or f.kind in ("bool", "choice"):
            return
        empty: Any = "" if f.kind in ("text", "longtext") else None
        rid = src.data(RowIdRole)
        if self.model.rows[src.row()].values.get(f.name) not in (None, ""):
            self.update_value(rid, f.name, empty)
