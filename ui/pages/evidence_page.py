"""The evidence library (Minh chứng) of the period: add by dropping files, describe, link to criteria."""

from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QStandardItemModel, QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from khoiapp.errors import BadInputError, Cancelled, KhoiError
from khoiapp import textformat
from khoiapp.services.export import size_check
from khoiapp.safename import safe_component
from khoiapp.services import criteria as crit
from khoiapp.services import evidence as evsvc
from khoiapp.services.document import Changes
from khoiapp.services.evidence import AddResult, EvidenceView
from ui import settings
from ui.context import AppContext
from ui.errors import show_error
from ui.pages.base import AutoSaveText, Page
from ui.tasks import Task, run_task
from ui.widgets.drop_area import DropArea, accept_file_drag, take_dropped_files
from ui.widgets.evidence_thumbs import ThumbnailProvider, can_preview
from ui.widgets.row_table import EMPTY_DATE, OptionalDateEdit, format_date, vi_collator

EvidenceIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
SearchRole = Qt.ItemDataRole.UserRole + 3

LIST_ICON = 28
GRID_ICON = 120
PREVIEW_EDGE = 240


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvidencePage", text)


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics, so "quy uoc" finds "Quy ước"."""
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in t if not unicodedata.combining(c)).lower()


NOTICE_STYLE = "QLabel { background: #eaf4ea; border: 1px solid #9cc79c; border-radius: 4px; padding: 4px 8px; color: #1f4d1f; }"
NOTICE_WARNING_STYLE = (
    "QLabel { background: #fff4e0; border: 1px solid #d9a441; border-radius: 4px; padding: 4px 8px; color: #6b4100; }"
)


def format_size(n: int) -> str:
    """Sizes as Vietnamese officers read them: «14 KB», «1,5 MB» (decimal comma)."""
    return textformat.format_size(n)


def _safe_name(name: str) -> str:
    return safe_component(name, fallback="minh-chung")


# ---------------------------------------------------------------------------------------------- model

COLUMNS = [
    ("code", "Mã"),
    ("title", "Tên minh chứng"),
    ("doc_number", "Số, ký hiệu"),
    ("issued_on", "Ngày ban hành"),
    ("size", "Dung lượng"),
    ("criteria", "Tiêu chí"),
    ("embed", "Đính kèm"),
]
COL = {name: i for i, (name, _l) in enumerate(COLUMNS)}


class EvidenceTableModel(QAbstractTableModel):
    """The period's evidence; the embed checkbox is the one cell edited in place."""

    embed_toggled = Signal(int, bool)

    def __init__(self, thumbs: ThumbnailProvider, page: EvidencePage) -> None:
        super().__init__(page)
        self.items: list[EvidenceView] = []
        self.thumbs = thumbs
        self.page = page
        self.editable = True
        self.icon_edge = LIST_ICON
        self._generic: dict[str, QIcon] = {}
        thumbs.thumbnail_ready.connect(self._on_thumbs_ready)

    def set_items(self, items: list[EvidenceView]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def set_icon_edge(self, edge: int) -> None:
        self.icon_edge = edge
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, 0), [Qt.ItemDataRole.DecorationRole])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(COLUMNS[section][1])
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if COLUMNS[section][0] == "embed":
                return _tr("Đính kèm tệp vào hồ sơ khi xuất")
        return None

    def _icon(self, e: EvidenceView) -> QIcon:
        pm = self.thumbs.pixmap(self.page.ctx.doc, e.sha256, e.mime_type, e.size, self.icon_edge)
        if pm is not None:
            return QIcon(pm)
        kind = "pdf" if e.mime_type == "application/pdf" else "image" if e.mime_type.startswith("image/") else "file"
        if kind not in self._generic:
            sp = QStyle.StandardPixmap.SP_FileIcon
            self._generic[kind] = self.page.style().standardIcon(sp)
        return self._generic[kind]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self.items[index.row()]
        name = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if name == "issued_on":
                return format_date(e.issued_on)
            if name == "size":
                return format_size(e.size) if e.sha256 else _tr("không có tệp")
            if name == "criteria":
                return ", ".join(e.criteria)
            if name == "title" and e.inherited:
                return _tr("{title} (kế thừa)").format(title=e.title)
            if name == "embed":
                return None
            return str(getattr(e, name) or "")
        if role == Qt.ItemDataRole.CheckStateRole and name == "embed":
            return Qt.CheckState.Checked if e.embed else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and name == "code":
            return self._icon(e)
        if role == Qt.ItemDataRole.ToolTipRole:
            if name == "criteria" and e.criteria:
                return _tr("Gắn với tiêu chí: {codes}").format(codes=", ".join(e.criteria))
            if name == "embed":
                return {
                    "auto": _tr("Đính kèm vào hồ sơ (tự động: ảnh lớn thu nhỏ khi hồ sơ vượt dung lượng)"),
                    "original": _tr("Đính kèm bản gốc vào hồ sơ"),
                    "reduced": _tr("Đính kèm bản thu nhỏ vào hồ sơ"),
                }.get(e.attach, _tr("Chỉ liệt kê, không đính kèm vào hồ sơ"))
            if name in ("code", "title"):
                tip = f"{e.code} – {e.title}\n{e.file_name}"
                if e.issuer:
                    tip += "\n" + _tr("Cơ quan ban hành: {issuer}").format(issuer=e.issuer)
                if e.inherited:
                    tip += "\n" + _tr("Kế thừa từ hồ sơ năm trước")
                return tip
            return None
        if role == EvidenceIdRole:
            return e.id
        if role == SortRole:
            if name == "size":
                return e.size
            if name == "issued_on":
                return e.issued_on
            if name == "embed":
                return int(e.embed)
            return self.data(index, Qt.ItemDataRole.DisplayRole) or ""
        if role == SearchRole:
            return fold(" ".join([e.code, e.title, e.doc_number, e.issuer, e.file_name, e.note, *e.criteria]))
        if role == Qt.ItemDataRole.TextAlignmentRole and name == "size":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        fl = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.editable and COLUMNS[index.column()][0] == "embed":
            fl |= Qt.ItemFlag.ItemIsUserCheckable
        return fl

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or COLUMNS[index.column()][0] != "embed":
            return False
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        self.embed_toggled.emit(self.items[index.row()].id, on)
        return True

    def _on_thumbs_ready(self, sha: str) -> None:
        for i, e in enumerate(self.items):
            if e.sha256 == sha:
                idx = self.index(i, 0)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])


class EvidenceProxy(QSortFilterProxyModel):
    """Vietnamese collation for sorting; search ignoring diacritics."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._collator = vi_collator()
        self.setSortRole(SortRole)
        self.needle = ""

    def set_needle(self, text: str) -> None:
        self.beginFilterChange()
        self.needle = fold(text.strip())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        if not self.needle:
            return True
        hay = self.sourceModel().index(source_row, 0, source_parent).data(SearchRole) or ""
        return all(w in hay for w in self.needle.split())

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        a, b = left.data(SortRole), right.data(SortRole)
        if a is None or b is None:
            return a is None and b is not None
        if isinstance(a, str) and isinstance(b, str):
            return self._collator.compare(a, b) < 0
        return bool(a < b)


# ---------------------------------------------------------------------------------------------- page


class EvidencePage(Page):
    """Library of the period's evidence with preview, metadata editor and criteria links."""

    title = "Minh chứng"
    evidence_added = Signal(object)  # list[AddResult] after files were added (or linked)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.title = self.tr("Minh chứng")
        self.setAcceptDrops(True)
        self.thumbs = ThumbnailProvider(self, runner=ctx.runner)
        self._alias: dict[int, int] = {}  # evidence id -> id it got back after an undo re-added it
        self._trash = tempfile.TemporaryDirectory(prefix="khoi-undo-")
        self._open_dir = tempfile.TemporaryDirectory(prefix="khoi-mo-tep-")
        self._current: EvidenceView | None = None
        self._criteria_loaded_for: tuple[int, int] | None = None
        self.last_task: Task | None = None
        self._build_ui()
        self._wire()
        self.reload()

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        heading = QLabel(self.tr("Minh chứng"))
        hf = heading.font()
        hf.setPointSizeF(hf.pointSizeF() * 1.35)
        hf.setBold(True)
        heading.setFont(hf)
        top.addWidget(heading)
        self.summary_label = QLabel()
        top.addWidget(self.summary_label, 1)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Tìm theo mã, tên, số ký hiệu, tiêu chí…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip(self.tr("Gõ có dấu hoặc không dấu đều được"))
        self.search_edit.setMinimumWidth(260)
        top.addWidget(self.search_edit)
        lay.addLayout(top)

        bar = QHBoxLayout()
        st = self.style()
        self.add_button = QPushButton(st.standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder), self.tr("Thêm tệp…"))
        self.add_button.setToolTip(self.tr("Chọn tệp ảnh, PDF, văn bản để thêm làm minh chứng (Ctrl+Shift+A)"))
        self.add_button.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.open_button = QPushButton(st.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton), self.tr("Mở tệp"))
        self.open_button.setToolTip(self.tr("Mở tệp minh chứng bằng chương trình xem trên máy"))
        self.delete_button = QPushButton(st.standardIcon(QStyle.StandardPixmap.SP_TrashIcon), self.tr("Xóa"))
        self.delete_button.setToolTip(self.tr("Xóa minh chứng đang chọn (phím Delete; có thể hoàn tác bằng Ctrl+Z)"))
        for b in (self.add_button, self.open_button, self.delete_button):
            bar.addWidget(b)
        bar.addStretch(1)
        self.list_toggle = QToolButton()
        self.list_toggle.setText(self.tr("Danh sách"))
        self.list_toggle.setCheckable(True)
        self.list_toggle.setChecked(True)
        self.list_toggle.setToolTip(self.tr("Xem dạng bảng"))
        self.grid_toggle = QToolButton()
        self.grid_toggle.setText(self.tr("Ảnh thu nhỏ"))
        self.grid_toggle.setCheckable(True)
        self.grid_toggle.setToolTip(self.tr("Xem dạng lưới ảnh thu nhỏ"))
        bar.addWidget(self.list_toggle)
        bar.addWidget(self.grid_toggle)
        lay.addLayout(bar)

        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.setObjectName("evidenceNotice")
        self.notice_label.setStyleSheet(NOTICE_STYLE)
        self.notice_label.hide()
        lay.addWidget(self.notice_label)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.model = EvidenceTableModel(self.thumbs, self)
        self.proxy = EvidenceProxy(self)
        self.proxy.setSourceModel(self.model)
        self.stack = QStackedWidget()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setIconSize(QSize(LIST_ICON, LIST_ICON))
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(LIST_ICON + 6)
        h = self.table.horizontalHeader()
        widths = {"code": 122, "doc_number": 104, "issued_on": 100, "size": 82, "criteria": 90, "embed": 72}
        for name, i in COL.items():
            if name == "title":
                h.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            else:
                h.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
                h.resizeSection(i, widths[name])
        h.setSortIndicator(COL["code"], Qt.SortOrder.AscendingOrder)
        self.grid = QListView()
        self.grid.setModel(self.proxy)
        self.grid.setModelColumn(COL["code"])
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(GRID_ICON, GRID_ICON))
        self.grid.setGridSize(QSize(GRID_ICON + 40, GRID_ICON + 44))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setWordWrap(True)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setSelectionModel(self.table.selectionModel())
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.grid)
        ll.addWidget(self.stack, 1)
        self.drop_area = DropArea(
            self.tr("Kéo thả tệp ảnh, PDF, văn bản vào đây (hoặc bất kỳ đâu trên trang) để thêm minh chứng")
        )
        self.drop_area.setToolTip(self.tr("Tệp đã có trong hồ sơ sẽ được nhận ra và không lưu hai lần"))
        ll.addWidget(self.drop_area)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(150)
        self.preview.setMaximumHeight(PREVIEW_EDGE)
        self.preview.setStyleSheet("QLabel { background: #f3f4f6; border: 1px solid #d0d4da; }")
        rl.addWidget(self.preview)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rl.addWidget(self.file_label)

        self.tabs = QTabWidget()
        info = QWidget()
        form = QFormLayout(info)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(50)
        self.code_edit.setToolTip(self.tr("Mã minh chứng, ví dụ MC-1.2-01 (chữ, số và dấu . - [ ])"))
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(500)
        self.number_edit = QLineEdit()
        self.number_edit.setToolTip(self.tr("Số, ký hiệu của văn bản, ví dụ 15/QĐ-CĐ"))
        self.date_edit = OptionalDateEdit(empty_text=self.tr("(chưa có)"))
        self.date_edit.setToolTip(self.tr("Ngày ban hành văn bản (ngày/tháng/năm)"))
        self.clear_date_button = QToolButton()
        self.clear_date_button.setText(self.tr("Xóa ngày"))
        self.clear_date_button.setToolTip(self.tr("Để trống ngày ban hành"))
        date_row = QHBoxLayout()
        date_row.setContentsMargins(0, 0, 0, 0)
        date_row.addWidget(self.date_edit, 1)
        date_row.addWidget(self.clear_date_button)
        date_box = QWidget()
        date_box.setLayout(date_row)
        date_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.issuer_edit = QLineEdit()
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(64)
        self.attach_combo = QComboBox()
        for choice, label in (
            ("auto", self.tr("Tự động (theo tùy chọn khi xuất hồ sơ)")),
            ("reduced", self.tr("Đính kèm bản thu nhỏ (ảnh)")),
            ("original", self.tr("Đính kèm bản gốc")),
            ("list", self.tr("Chỉ liệt kê, không đính kèm")),
        ):
            self.attach_combo.addItem(label, choice)
        self.attach_combo.setToolTip(self.tr(
            "Cách đưa minh chứng này vào hồ sơ PDF:\n"
            "• Tự động: ảnh lớn được thu nhỏ khi hồ sơ vượt dung lượng đặt trong Cài đặt;\n"
            "• Bản gốc: luôn đính kèm đúng tệp gốc;\n"
            "• Bản thu nhỏ: ảnh đính kèm cỡ in (mã băm của ảnh gốc vẫn ghi trong hồ sơ);\n"
            "• Chỉ liệt kê: ghi tên và mã băm, không đính kèm tệp (bản gốc lưu tại đơn vị)."
        ))
        form.addRow(self.tr("Mã"), self.code_edit)
        form.addRow(self.tr("Tên"), self.title_edit)
        form.addRow(self.tr("Số, ký hiệu"), self.number_edit)
        form.addRow(self.tr("Ngày ban hành"), date_box)
        form.addRow(self.tr("Cơ quan ban hành"), self.issuer_edit)
        form.addRow(self.tr("Ghi chú"), self.note_edit)
        form.addRow(self.tr("Đưa vào hồ sơ"), self.attach_combo)
        self.tabs.addTab(info, self.tr("Thông tin"))

        crit_box = QWidget()
        cl = QVBoxLayout(crit_box)
        self.criteria_filter = QLineEdit()
        self.criteria_filter.setPlaceholderText(self.tr("Lọc tiêu chí…"))
        self.criteria_filter.setClearButtonEnabled(True)
        cl.addWidget(self.criteria_filter)
        self.criteria_list = QListWidget()
        self.criteria_list.setWordWrap(True)
        self.criteria_list.setToolTip(self.tr("Đánh dấu các tiêu chí mà minh chứng này chứng minh"))
        cl.addWidget(self.criteria_list, 1)
        self.tabs.addTab(crit_box, self.tr("Tiêu chí"))
        rl.addWidget(self.tabs, 1)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([780, 380])
        lay.addWidget(split, 1)
        self.splitter = split
        self.editor_widgets: list[QWidget] = [
            self.code_edit,
            self.title_edit,
            self.number_edit,
            self.date_edit,
            self.clear_date_button,
            self.issuer_edit,
            self.note_edit,
            self.attach_combo,
            self.criteria_list,
            self.criteria_filter,
        ]
        self.note_saver = AutoSaveText(self.note_edit, self._save_note, delay_ms=1500)

    def _wire(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.list_toggle.clicked.connect(lambda: self.set_grid(False))
        self.grid_toggle.clicked.connect(lambda: self.set_grid(True))
        self.search_edit.textChanged.connect(self.proxy.set_needle)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.grid.doubleClicked.connect(lambda _i: self.open_selected())
        self.drop_area.files_dropped.connect(self.add_files)
        self.model.embed_toggled.connect(lambda eid, on: self.update_field(eid, "embed", on))
        self.thumbs.thumbnail_ready.connect(self._on_thumbs_ready)
        for name, edit in (("code", self.code_edit), ("title", self.title_edit), ("doc_number", self.number_edit), ("issuer", self.issuer_edit)):
            edit.editingFinished.connect(lambda n=name, w=edit: self._on_line_edited(n, w))
        self.date_edit.editingFinished.connect(self._on_date_edited)
        self.clear_date_button.clicked.connect(self._on_clear_date_clicked)
        self.attach_combo.activated.connect(self._on_attach_combo_activated)
        self.table.installEventFilter(self)
        self.grid.installEventFilter(self)
        self.criteria_list.itemChanged.connect(self._on_criteria_item_changed)
        self.criteria_filter.textChanged.connect(self._filter_criteria)

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
        from PySide6.QtCore import QEvent

        if obj in (self.table, self.grid) and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Delete and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                self._on_delete_key()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        doc, year = self.ctx.doc, self.ctx.year
        keep = self.selected_id()
        items: list[EvidenceView] = []
        if doc is not None and year is not None:
            try:
                items = self.ctx.read(evsvc.list_evidence, year)
            except KhoiError:
                items = []
        writable = doc is not None and year is not None and not doc.read_only
        self.model.editable = writable
        self.model.set_items(items)
        self.proxy.sort(self.table.horizontalHeader().sortIndicatorSection(), self.table.horizontalHeader().sortIndicatorOrder())
        self.add_button.setEnabled(writable)
        self.drop_area.setEnabled(writable)
        self.setAcceptDrops(writable)
        if doc is None or year is None:
            self.summary_label.setText(self.tr("Chưa mở tài liệu nào."))
        else:
            embedded = sum(e.size for e in items if e.embed and e.sha256)
            self.summary_label.setText(
                self.tr("{n} minh chứng · đính kèm {size}").format(n=len(items), size=format_size(embedded))
            )
        key = (id(doc), year or 0)
        if self._criteria_loaded_for != key:
            self._load_criteria()
            self._criteria_loaded_for = key
        if keep is not None and self.select_id(keep):
            return
        self._show(None)

    def on_document_changed(self, changes: Any) -> None:
        if isinstance(changes, Changes) and changes != Changes():
            if not (changes.evidence_ids or changes.period_ids or changes.unit):
                return  # answers of criteria, tables, Quy ước: nothing shown here
        self.reload()

    def _on_document_opened(self) -> None:
        self._criteria_loaded_for = None
        self._alias.clear()
        self.show_notice("")  # what was added to the previous document is not news here
        super()._on_document_opened()

    def _on_period_changed(self, year: object) -> None:
        self.show_notice("")
        super()._on_period_changed(year)

    def _load_criteria(self) -> None:
        self.criteria_list.blockSignals(True)
        self.criteria_list.clear()
        doc, year = self.ctx.doc, self.ctx.year
        if doc is not None and year is not None:
            try:
                cl = self.ctx.read(crit.checklist, year)
            except KhoiError:
                cl = None
            for c in cl.criteria if cl else ():
                it = QListWidgetItem(f"{c.code}  {c.title}")
                it.setData(Qt.ItemDataRole.UserRole, c.code)
                it.setData(Qt.ItemDataRole.UserRole + 1, fold(f"{c.code} {c.title} {c.group_title}"))
                it.setToolTip(f"{c.group_title}\n{c.code}. {c.title}")
                it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                it.setCheckState(Qt.CheckState.Unchecked)
                self.criteria_list.addItem(it)
        self.criteria_list.blockSignals(False)
        self._filter_criteria(self.criteria_filter.text())

    def _filter_criteria(self, text: str) -> None:
        needle = fold(text.strip())
        for i in range(self.criteria_list.count()):
            it = self.criteria_list.item(i)
            it.setHidden(bool(needle) and not all(w in (it.data(Qt.ItemDataRole.UserRole + 1) or "") for w in needle.split()))

    def evidence(self) -> list[EvidenceView]:
        return list(self.model.items)

    def _find(self, eid: int | None) -> EvidenceView | None:
        if eid is None:
            return None
        eid = self._resolve(eid)
        return next((e for e in self.model.items if e.id == eid), None)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(EvidenceIdRole)

    def select_id(self, eid: int) -> bool:
        eid = self._resolve(eid)
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if idx.data(EvidenceIdRole) == eid:
                self.table.selectRow(r)
                self.table.scrollTo(idx)
                self._show(self._find(eid))
                return True
        return False

    def set_grid(self, on: bool) -> None:
        self.stack.setCurrentWidget(self.grid if on else self.table)
        self.grid_toggle.setChecked(on)
        self.list_toggle.setChecked(not on)
        self.model.set_icon_edge(GRID_ICON if on else LIST_ICON)
        self.grid.doItemsLayout()

    def _on_selection_changed(self, *_a: Any) -> None:
        self._commit_note()
        self._show(self._find(self.selected_id()))

    # ------------------------------------------------------------------ detail pane
    def _show(self, e: EvidenceView | None) -> None:
        self._current = e
        writable = e is not None and self.model.editable
        for w in self.editor_widgets:
            w.setEnabled(writable)
        self.open_button.setEnabled(e is not None and bool(e.sha256))
        self.delete_button.setEnabled(writable)
        edits = (
            (self.code_edit, e.code if e else ""),
            (self.title_edit, e.title if e else ""),
            (self.number_edit, e.doc_number if e else ""),
            (self.issuer_edit, e.issuer if e else ""),
        )
        for edit, text in edits:
            if edit.text() != text:
                edit.setText(text)
                edit.setCursorPosition(0)
        d = e.issued_on if e else None
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(d.year, d.month, d.day) if d else EMPTY_DATE)
        self.date_edit.blockSignals(False)
        self.note_saver.load(e.note if e else "")
        self.attach_combo.blockSignals(True)
        self.attach_combo.setCurrentIndex(max(0, self.attach_combo.findData(e.attach if e else "auto")))
        model = self.attach_combo.model()
        reduced = model.item(self.attach_combo.findData("reduced")) if isinstance(model, QStandardItemModel) else None
        if reduced is not None:  # a reduced copy exists for photos only
            reduced.setEnabled(bool(e and e.reducible) or (e is not None and e.attach == "reduced"))
        self.attach_combo.blockSignals(False)
        linked = set(e.criteria) if e else set()
        self.criteria_list.blockSignals(True)
        for i in range(self.criteria_list.count()):
            it = self.criteria_list.item(i)
            it.setCheckState(Qt.CheckState.Checked if it.data(Qt.ItemDataRole.UserRole) in linked else Qt.CheckState.Unchecked)
        self.criteria_list.blockSignals(False)
        self.tabs.setTabText(1, self.tr("Tiêu chí ({n})").format(n=len(linked)) if e else self.tr("Tiêu chí"))
        if e is None:
            self.file_label.setText(
                self.tr("Chọn một minh chứng để xem và sửa thông tin.") if self.model.items
                else self.tr("Chưa có minh chứng. Kéo thả tệp vào trang này hoặc bấm «Thêm tệp…».")
            )
        else:
            parts = [e.file_name or self.tr("(không có tệp)")]
            if e.sha256:
                parts.append(format_size(e.size))
            if e.inherited:
                parts.append(self.tr("kế thừa từ năm trước"))
            self.file_label.setText(" · ".join(parts))
        self._update_preview()

    def _update_preview(self) -> None:
        e = self._current
        if e is None:
            self.preview.clear()
            self.preview.setText("")
            return
        pm = self.thumbs.pixmap(self.ctx.doc, e.sha256, e.mime_type, e.size, PREVIEW_EDGE)
        if pm is not None:
            self.preview.setPixmap(pm)
        elif e.sha256 and can_preview(e.mime_type) and self.thumbs.is_pending(e.sha256):
            self.preview.clear()
            self.preview.setText(self.tr("Đang tạo ảnh xem trước…"))
        else:
            self.preview.clear()
            self.preview.setText(self.tr("Không có ảnh xem trước cho loại tệp này.\nBấm «Mở tệp» để xem."))

    def _on_thumbs_ready(self, sha: str) -> None:
        if self._current is not None and self._current.sha256 == sha:
            self._update_preview()

    # ------------------------------------------------------------------ editing metadata (undoable)
    def _resolve(self, eid: int) -> int:
        seen = 0
        while eid in self._alias and seen < 1000:
            eid = self._alias[eid]
            seen += 1
        return eid

    def _push(self, text: str, do: Any, undo: Any) -> bool:
        eid = self.selected_id()  # what the step changes is what is selected now
        try:
            self.ctx.push(text, do, undo, reveal=(lambda: self.select_id(eid)) if eid is not None else None)
        except KhoiError as exc:
            show_error(self, exc)
            self.reload()
            return False
        return True

    def update_field(self, eid: int, name: str, value: Any) -> bool:
        """Change one metadata field of one evidence (code, title, doc_number, issued_on, issuer, note, embed)."""
        doc = self.ctx.doc
        e = self._find(eid)
        if doc is None or e is None:
            return False
        old = getattr(e, name)
        if old == value:
            return False
        orig = e.id
        labels = {
            "code": self.tr("mã"),
            "title": self.tr("tên"),
            "doc_number": self.tr("số, ký hiệu"),
            "issued_on": self.tr("ngày ban hành"),
            "issuer": self.tr("cơ quan ban hành"),
            "note": self.tr("ghi chú"),
            "embed": self.tr("đính kèm"),
            "attach": self.tr("cách đưa vào hồ sơ"),
        }
        return self._push(
            self.tr("Sửa {what} của minh chứng {code}").format(what=labels.get(name, name), code=e.code),
            lambda: evsvc.update_evidence(doc, self._resolve(orig), **{name: value}),
            lambda: evsvc.update_evidence(doc, self._resolve(orig), **{name: old}),
        )

    def _on_line_edited(self, name: str, edit: QLineEdit) -> None:
        e = self._current
        if e is None or not self.model.editable:
            return
        value = edit.text().strip()
        if value != getattr(e, name) and not self.update_field(e.id, name, value):
            edit.setText(getattr(e, name))

    def _on_date_edited(self) -> None:
        e = self._current
        if e is None:
            return
        d = self.date_edit.date()
        value = None if d == EMPTY_DATE else dt.date(d.year(), d.month(), d.day())
        self.update_field(e.id, "issued_on", value)

    def _on_clear_date_clicked(self) -> None:
        e = self._current
        if e is not None and e.issued_on is not None:
            self.update_field(e.id, "issued_on", None)

    def _on_attach_combo_activated(self, index: int) -> None:
        e = self._current
        if e is None:
            return
        choice = str(self.attach_combo.itemData(index))
        if not self.update_field(e.id, "attach", choice):
            self.attach_combo.setCurrentIndex(max(0, self.attach_combo.findData(e.attach)))

    def flush(self) -> None:
        """Save the note typed but not yet saved (the window calls this before closing)."""
        self._commit_note()

    def _commit_note(self) -> None:
        self.note_saver.flush()

    def _save_note(self, _old: str, new: str) -> None:
        e = self._current
        if e is not None and self.model.editable and new.strip() != e.note.strip():
            self.update_field(e.id, "note", new.strip())

    def _on_criteria_item_changed(self, item: QListWidgetItem) -> None:
        e = self._current
        if e is None:
            return
        code = item.data(Qt.ItemDataRole.UserRole)
        self.set_link(e.id, code, item.checkState() == Qt.CheckState.Checked)

    def set_link(self, eid: int, code: str, on: bool) -> bool:
        """Link (or unlink) an evidence and a criterion; undoable."""
        doc = self.ctx.doc
        e = self._find(eid)
        if doc is None or e is None or (code in e.criteria) == on:
            return False
        orig = e.id
        link = lambda: evsvc.link(doc, self._resolve(orig), code)  # noqa: E731
        unlink = lambda: evsvc.unlink(doc, self._resolve(orig), code)  # noqa: E731
        if on:
            return self._push(self.tr("Gắn {ev} với tiêu chí {code}").format(ev=e.code, code=code), link, unlink)
        return self._push(self.tr("Bỏ gắn {ev} khỏi tiêu chí {code}").format(ev=e.code, code=code), unlink, link)

    # ------------------------------------------------------------------ adding files
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.model.editable:
            accept_file_drag(event)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self.model.editable:
            accept_file_drag(event)
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = take_dropped_files(event)
        if paths:
            self.add_files(paths)

    def _on_add_button_clicked(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(
            self,
            self.tr("Chọn tệp minh chứng"),
            settings.start_folder(settings.EVIDENCE_FOLDER),
            self.tr("Tệp minh chứng (*.pdf *.jpg *.jpeg *.png *.gif *.bmp *.tif *.tiff *.webp *.doc *.docx *.xls *.xlsx *.odt *.ods *.txt *.mp4 *.mp3 *.zip);;Mọi tệp (*)"),
        )
        if paths:
            settings.remember_folder(settings.EVIDENCE_FOLDER, paths[0])
            self.add_files(paths)

    def add_files(self, paths: list[str], criteria: tuple[str, ...] = ()) -> Task | None:
        """Add files as evidence of the period (linked to ``criteria``) in the background.

        Unsupported or too-large files are refused at once with a message and change nothing;
        a file whose bytes are already evidence of the period is linked instead of stored twice.
        Returns the running task (``finished`` fires after the page has been updated), or None.
        """
        doc, year = self.ctx.doc, self.ctx.year
        if doc is None or year is None:
            show_error(self, BadInputError(self.tr("Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu trước khi thêm minh chứng.")))
            return None
        try:
            doc.require_writable()
        except KhoiError as exc:
            show_error(self, exc)
            return None
        good: list[str] = []
        problems: list[KhoiError] = []
        for p in paths:
            try:
                evsvc.check_file(p)
            except KhoiError as exc:
                problems.append(exc)
            else:
                good.append(p)
        if problems:
            if len(problems) == 1:
                show_error(self, problems[0])
            else:
                show_error(self, BadInputError("\n\n".join(p.message for p in problems)))
        if not good:
            return None
        before = {e.id: set(e.criteria) for e in self.model.items}
        codes = tuple(criteria)
        n = len(good)

        def work(progress: Any, is_cancelled: Any) -> tuple[list[AddResult], list[KhoiError], bool]:
            results: list[AddResult] = []
            failures: list[KhoiError] = []
            for i, p in enumerate(good):
                def part(done: int, total: int, i: int = i) -> None:
                    progress(i * 1000 + (done * 1000 // total if total else 0), n * 1000)

                try:
                    results.append(self.ctx.write(lambda d: evsvc.add_evidence(d, year, p, criteria=codes, progress=part, is_cancelled=is_cancelled)))
                except Cancelled:
                    return results, failures, True
                except KhoiError as exc:
                    failures.append(exc)
            return results, failures, False

        title = self.tr("Đang thêm {n} tệp minh chứng…").format(n=n) if n > 1 else self.tr("Đang thêm tệp minh chứng…")
        task = run_task(
            self,
            work,
            title=title,
            on_done=lambda res: self._on_files_added(res, before, codes, year),
        )
        self.last_task = task
        return task

    def _on_files_added(self, res: tuple[list[AddResult], list[KhoiError], bool], before: dict[int, set[str]], codes: tuple[str, ...], year: int) -> None:
        results, failures, _cancelled = res
        notes: list[str] = []
        for r in results:
            if r.reused:
                added = tuple(c for c in codes if c not in before.get(r.evidence.id, set()))
                if added:
                    self._push_links(r.evidence.id, r.evidence.code, added, r.changes)
                    notes.append(
                        self.tr("Tệp «{name}» đã có (minh chứng {code}); đã gắn thêm vào tiêu chí {codes}, không lưu lại lần nữa.").format(
                            name=r.evidence.file_name, code=r.evidence.code, codes=", ".join(added)
                        )
                    )
                else:
                    notes.append(
                        self.tr("Tệp «{name}» đã có (minh chứng {code}); không lưu lại lần nữa.").format(
                            name=r.evidence.file_name, code=r.evidence.code
                        )
                    )
            else:
                self._push_added(r, year)
        new = [r for r in results if not r.reused]
        if new:
            codes_txt = ", ".join(r.evidence.code for r in new)
            notes.insert(0, self.tr("Đã thêm {n} minh chứng: {codes}.").format(n=len(new), codes=codes_txt))
        # accepted, but the officer hears about the dossier's weight now: the same expected size and
        # budget (Cài đặt) as the export dialog, photos counted at the size they will be attached
        check = self.ctx.read(size_check, year) if new else None
        over = check is not None and check.over
        if check is not None and over:
            notes.append(check.warning())
        self.show_notice("\n".join(notes), warning=over)
        self.reload()
        if results:
            self.select_id(results[-1].evidence.id)
        if failures:
            show_error(self, BadInputError("\n\n".join(f.message for f in failures)) if len(failures) > 1 else failures[0])
        self.evidence_added.emit(results)

    def show_notice(self, text: str, warning: bool = False) -> None:
        """A short, non-blocking message above the list (what was added or recognised).

        It stays until the page is left or another document or period is shown.
        """
        self.notice_label.setText(text)
        self.notice_label.setProperty("warning", warning)
        self.notice_label.setStyleSheet(NOTICE_WARNING_STYLE if warning else NOTICE_STYLE)
        self.notice_label.setVisible(bool(text))

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.show_notice("")  # an old «Đã thêm…» must not greet the officer next time
        super().hideEvent(event)

    def _push_links(self, eid: int, code: str, added: tuple[str, ...], changes: Changes) -> None:
        doc = self.ctx.doc
        assert doc is not None
        first = [True]

        def do() -> Changes:
            if first[0]:
                first[0] = False
                return changes
            for c in added:
                self.ctx.write(lambda d: evsvc.link(d, self._resolve(eid), c))
            return Changes(evidence_ids=(self._resolve(eid),), criterion_codes=added)

        def undo() -> Changes:
            for c in added:
                self.ctx.write(lambda d: evsvc.unlink(d, self._resolve(eid), c))
            return Changes(evidence_ids=(self._resolve(eid),), criterion_codes=added)

        self._push(self.tr("Gắn minh chứng {code} với tiêu chí {codes}").format(code=code, codes=", ".join(added)), do, undo)

    def _push_added(self, r: AddResult, year: int) -> None:
        orig = r.evidence.id
        first = [True]
        saved: dict[str, Any] = {}

        def do() -> Changes:
            if first[0]:
                first[0] = False
                return r.changes
            return self._put_back(orig, saved, year)

        def undo() -> Changes:
            saved.update(self._take_out(self._resolve(orig)))
            return self._remove(self._resolve(orig))

        self._push(self.tr("Thêm minh chứng {code}").format(code=r.evidence.code), do, undo)

    # ------------------------------------------------------------------ delete and undo of delete
    def _take_out(self, eid: int) -> dict[str, Any]:
        """Keep everything needed to put an evidence back: its description and a copy of its file."""
        doc = self.ctx.doc
        assert doc is not None
        view = self.ctx.read(evsvc.get_evidence, eid)
        path: Path | None = None
        if view.sha256:
            folder = Path(self._trash.name) / uuid.uuid4().hex
            folder.mkdir(parents=True)
            path = folder / _safe_name(view.file_name)
            with open(path, "wb") as fh:
                self.ctx.read(evsvc.copy_blob_to, view.sha256, fh)
        return {"view": view, "path": path}

    def _remove(self, eid: int) -> Changes:
        doc = self.ctx.doc
        assert doc is not None
        return self.ctx.write(lambda d: evsvc.remove_evidence(d, eid))

    def _put_back(self, orig: int, saved: dict[str, Any], year: int) -> Changes:
        doc = self.ctx.doc
        assert doc is not None
        view: EvidenceView = saved["view"]
        path: Path | None = saved["path"]
        if path is None:
            raise BadInputError(self.tr("Không khôi phục được minh chứng {code} vì nó không có tệp.").format(code=view.code))
        res = self.ctx.write(lambda d: evsvc.add_evidence(d, year, path, criteria=view.criteria, title=view.title, doc_number=view.doc_number, issued_on=view.issued_on, issuer=view.issuer, limit=max(view.size, evsvc.evidence_limit())))
        new_id = res.evidence.id
        gone = self._resolve(orig)
        if new_id != gone:
            self._alias.pop(new_id, None)  # the new id is live: it resolves to itself
            self._alias[gone] = new_id
        fields: dict[str, Any] = {"note": view.note, "embed": view.embed}
        if res.evidence.code != view.code:
            fields["code"] = view.code
        self.ctx.write(lambda d: evsvc.update_evidence(d, new_id, **fields))
        return Changes(evidence_ids=(new_id,), criterion_codes=view.criteria)

    def _on_delete_key(self) -> None:
        if self.model.editable:
            self.delete_selected()

    def delete_selected(self) -> None:
        eid = self.selected_id()
        if eid is not None:
            self.delete_evidence(eid)

    def delete_evidence(self, eid: int) -> bool:
        """Delete an evidence; undo puts it back with its code, description, links and file."""
        doc, year = self.ctx.doc, self.ctx.year
        e = self._find(eid)
        if doc is None or year is None or e is None:
            return False
        if not e.sha256:
            answer = QMessageBox.question(
                self,
                self.tr("Xóa minh chứng"),
                self.tr("Minh chứng {code} chỉ có thông tin, không có tệp, nên xóa rồi sẽ không hoàn tác được. Vẫn xóa?").format(code=e.code),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            try:
                changes = self._remove(e.id)
            except KhoiError as exc:
                show_error(self, exc)
                return False
            self.ctx.undo_stack.clear()
            self.ctx.emit_changes(changes)
            return True
        orig = e.id
        saved: dict[str, Any] = {}

        def do() -> Changes:
            saved.update(self._take_out(self._resolve(orig)))
            return self._remove(self._resolve(orig))

        return self._push(
            self.tr("Xóa minh chứng {code}").format(code=e.code), do, lambda: self._put_back(orig, saved, year)
        )

    # ------------------------------------------------------------------ opening
    def open_selected(self) -> None:
        e = self._find(self.selected_id())
        if e is not None:
            self.open_evidence(e.id)

    def open_evidence(self, eid: int) -> Task | None:
        """Write the file to a temporary folder and open it with the system viewer."""
        doc = self.ctx.doc
        e = self._find(eid)
        if doc is None or e is None or not e.sha256:
            return None
        root = Path(self._open_dir.name)  # private to this user; a new folder inside per opening

        def work(_progress: Any, _is_cancelled: Any) -> Path:
            return self.ctx.read(evsvc.save_evidence_for_viewing, e.id, root)

        def done(path: Path) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                show_error(
                    self,
                    BadInputError(
                        self.tr("Máy chưa có chương trình để mở tệp «{name}». Tệp đã được lưu tạm tại:\n{path}").format(
                            name=e.file_name, path=path
                        )
                    ),
                )

        return run_task(self, work, title=self.tr("Đang mở tệp minh chứng…"), on_done=done, cancellable=False)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.thumbs.forget_pending()
        self.thumbs.wait(3000)
        super().closeEvent(event)
