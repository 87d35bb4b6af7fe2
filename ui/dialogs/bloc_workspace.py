"""«Tổng hợp khối»: the bloc's unit list, the dossiers folder, the figures, charts, per-unit detail and exports.

This workspace works on files (received dossiers, the unit list), never on the open document, so
its work runs through :func:`ui.tasks.run_task` (progress and Cancel), not the document's runner.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from khoiapp.bloc import figures, outputs, parallel, pdf_report, units
from khoiapp.errors import Cancelled, KhoiError
from khoiapp.services import summary as base
from ui import settings
from ui.dialogs.sign_options import documents_dir
from ui.errors import show_error
from ui.models.file_rows import FileRowsModel
from ui.tasks import Task, run_task

STANDING_COLOURS = {
    figures.MODEL: "#1f6f3f",
    figures.CULTURAL: "#5aa469",
    figures.NOT_PASSED: "#d9822b",
    figures.NO_DATA: "#a0a0a0",
    figures.MISSING: "#b03a2e",
    figures.NOT_COUNTED: "#6c3483",
}
FILE_COLUMNS_HIDDEN = (3, 9, 10)  # Loại hình, Thời điểm ký, Bản nháp (all in the files' CSV)
YEAR_AUTO = 1999  # «Tự nhận theo hồ sơ» in the «Từ năm» box: the year most dossiers carry
UNIT_COLUMNS = ("STT", "Tên đơn vị", "Loại hình", "Kết quả", "Năm", "Điểm", "So với năm trước", "Ghi chú")


def _tr(text: str) -> str:
    return QCoreApplication.translate("BlocWorkspace", text)


class UnitFiguresModel(QAbstractTableModel):
    """One row per unit of the bloc; ``UserRole`` gives the filter keys."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.units: tuple[figures.UnitFigures, ...] = ()

    def set_units(self, items: tuple[figures.UnitFigures, ...]) -> None:
        self.beginResetModel()
        self.units = items
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(UNIT_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(UNIT_COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        u = self.units[index.row()]
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            pts = "" if u.points is None else f"{u.points:g}".replace(".", ",")
            cells = [str(index.row() + 1), u.name, u.unit_type_label, u.standing_label,
                     str(u.latest_year or ""), pts, u.change, u.reason]  # fmt: skip
            return cells[c]
        if role == Qt.ItemDataRole.UserRole:
            return u
        if c == 3 and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(STANDING_COLOURS.get(u.standing, "#000000")))
        if role == Qt.ItemDataRole.ToolTipRole:
            return u.reason or u.change or u.standing_label
        return None


class UnitFilter(QSortFilterProxyModel):
    """Filters by status (counted / not), unit type and result."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = ""  # "" | "counted" | "not-counted"
        self.unit_type = ""
        self.standing = ""

    def set_filters(self, *, status: str, unit_type: str, standing: str) -> None:
        self.status, self.unit_type, self.standing = status, unit_type, standing
        self.invalidate()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        u = model.data(model.index(row, 0, parent), Qt.ItemDataRole.UserRole)
        if self.status == "counted" and not u.counted:
            return False
        if self.status == "not-counted" and u.counted:
            return False
        if self.unit_type and u.unit_type != self.unit_type:
            return False
        return not (self.standing and u.standing != self.standing)


class BarChart(QWidget):
    """A plain bar chart painted with QPainter: (label, value, colour) bars, values shown on the bars."""

    def __init__(self, title: str, parent: QWidget | None = None, *, percent: bool = False) -> None:
        super().__init__(parent)
        self.title = title
        self.percent = percent
        self.bars: list[tuple[str, float, str]] = []
        self.setMinimumHeight(220)

    def set_bars(self, bars: list[tuple[str, float, str]]) -> None:
        self.bars = bars
        self.update()

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        f = QFont(self.font())
        f.setBold(True)
        p.setFont(f)
        p.drawText(QRectF(0, 4, w, 20), Qt.AlignmentFlag.AlignCenter, self.title)
        p.setFont(self.font())
        if not self.bars:
            p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter, _tr("Chưa có số liệu"))
            return
        top, bottom, left = 30, 44, 10
        top_value = 100.0 if self.percent else max(1.0, max(v for _, v, _ in self.bars))
        slot = (w - 2 * left) / len(self.bars)
        for i, (label, value, colour) in enumerate(self.bars):
            bh = (h - top - bottom) * (value / top_value)
            x = left + i * slot + slot * 0.15
            p.fillRect(QRectF(x, h - bottom - bh, slot * 0.7, bh), QColor(colour))
            text = (f"{value:.2f}".replace(".", ",") + " %") if self.percent else f"{value:g}"
            p.drawText(QRectF(x - 10, h - bottom - bh - 16, slot * 0.7 + 20, 14), Qt.AlignmentFlag.AlignCenter, text)
            p.drawText(
                QRectF(left + i * slot, h - bottom + 2, slot, bottom - 2),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                label,
            )
        p.end()


class PdfSignDialog(QDialog):
    """How to sign the summary PDF: the export dialog's choices (none, .p12, token, own certificate)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QDialogButtonBox

        from ui.dialogs.sign_options import SignOptionsWidget

        super().__init__(parent)
        self.setWindowTitle(_tr("Ký bản tổng hợp PDF"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_tr(
            "Bản tổng hợp ký số thì cấp trên kiểm tra được và cộng dồn được với bản tổng hợp của các Khối khác."
        )))  # fmt: skip
        self.options = SignOptionsWidget(parent=self)
        lay.addWidget(self.options)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


class BlocWorkspace(QDialog):
    """The bloc's workspace; ``report`` holds the last computed :class:`figures.BlocReport`."""

    computed = Signal(object)  # figures.BlocReport

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Tổng hợp khối"))
        self.setObjectName("blocWorkspace")
        self.paths: list[Path] = []  # the dossiers folder, or the files chosen one by one
        self.workers: int | None = None  # reading processes (None: one per core)
        self.unit_list_path: Path | None = None
        self.unit_list: units.UnitList | None = None
        self.report: figures.BlocReport | None = None
        self.task: Task | None = None
        self._closed = False
        self._build_ui()
        self._restore()
        self._update_buttons()
        self.resize(1280, 700)

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        exports = QHBoxLayout()
        self.xlsx_button = QPushButton(_tr("Xuất Excel…"))
        self.docx_button = QPushButton(_tr("Dự thảo báo cáo (Word)…"))
        self.pdf_button = QPushButton(_tr("Bản tổng hợp PDF…"))
        self.csv_button = QPushButton(_tr("Bảng đơn vị (CSV)…"))
        self.files_csv_button = QPushButton(_tr("Bảng kiểm tra tệp (CSV)…"))
        self.files_csv_button.setToolTip(
            _tr("Mỗi tệp đã đọc một dòng: chữ ký, người ký, được tính hay không và lý do")
        )
        for b, name, fn in (
            (self.xlsx_button, "exportXlsx", self.choose_xlsx),
            (self.docx_button, "exportDocx", self.choose_docx),
            (self.pdf_button, "exportPdf", self.choose_pdf),
            (self.csv_button, "exportCsv", self.choose_csv),
            (self.files_csv_button, "exportFilesCsv", self.choose_files_csv),
        ):
            b.setObjectName(name)
            b.clicked.connect(fn)
            exports.addWidget(b)
        exports.addStretch(1)
        lay.addLayout(exports)

        src = QHBoxLayout()
        src.addWidget(QLabel(_tr("Danh sách đơn vị:")))
        self.list_edit = QLineEdit()
        self.list_edit.setObjectName("unitListPath")
        self.list_edit.setReadOnly(True)
        self.list_edit.setPlaceholderText(_tr("Tệp Excel hoặc CSV: tên đơn vị, tên viết tắt, loại hình, dấu vân tay"))
        src.addWidget(self.list_edit, 2)
        b = QPushButton(_tr("Chọn…"))
        b.setObjectName("chooseUnitList")
        b.clicked.connect(self.choose_unit_list)
        src.addWidget(b)
        src.addWidget(QLabel(_tr("Hồ sơ:")))
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("dossierFolder")
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setPlaceholderText(_tr("Thư mục chứa các hồ sơ PDF đơn vị gửi (hoặc từng tệp)"))
        src.addWidget(self.folder_edit, 2)
        self.folder_button = QPushButton(_tr("Chọn thư mục…"))
        self.folder_button.setObjectName("chooseFolder")
        self.folder_button.clicked.connect(self.choose_folder)
        src.addWidget(self.folder_button)
        self.files_button = QPushButton(_tr("Chọn tệp…"))
        self.files_button.setObjectName("chooseFiles")
        self.files_button.clicked.connect(self.choose_files)
        src.addWidget(self.files_button)
        lay.addLayout(src)

        opts = QHBoxLayout()
        opts.addWidget(QLabel(_tr("Từ năm")))
        self.year_from = QSpinBox()
        self.year_from.setObjectName("yearFrom")
        self.year_to = QSpinBox()
        self.year_to.setObjectName("yearTo")
        for s in (self.year_from, self.year_to):
            s.setRange(2000, 2100)
        self.year_from.setMinimum(YEAR_AUTO)
        self.year_from.setSpecialValueText(_tr("Tự nhận theo hồ sơ"))
        self.year_from.setToolTip(_tr("Để «Tự nhận theo hồ sơ» thì Khối lấy năm mà đa số hồ sơ ghi."))
        # room for the whole «Tự nhận theo hồ sơ» (a spin box sizes itself for its numbers only)
        fm = self.year_from.fontMetrics()
        self.year_from.setMinimumWidth(fm.horizontalAdvance(self.year_from.specialValueText()) + 48)
        self.year_from.valueChanged.connect(lambda v: self.year_to.setEnabled(v != YEAR_AUTO))
        opts.addWidget(self.year_from)
        opts.addWidget(QLabel(_tr("đến năm")))
        opts.addWidget(self.year_to)
        opts.addWidget(QLabel(_tr("Tỷ lệ:")))
        self.rule_combo = QComboBox()
        self.rule_combo.setObjectName("percentRule")
        self.rule_combo.addItem(_tr("Làm tròn (51,24 %)"), figures.ROUND)
        self.rule_combo.addItem(_tr("Bỏ phần thừa (51,23 %)"), figures.TRUNCATE)
        opts.addWidget(self.rule_combo)
        self.untrusted_check = QCheckBox(_tr("Tính cả chữ ký chưa tin cậy"))
        self.untrusted_check.setObjectName("acceptUntrusted")
        opts.addWidget(self.untrusted_check)
        self.run_button = QPushButton(_tr("Tổng hợp"))
        self.run_button.setObjectName("runBloc")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(lambda: self.start())
        opts.addWidget(self.run_button)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("blocProgress")
        self.progress_bar.setFormat(_tr("%v/%m tệp"))
        self.progress_bar.hide()
        opts.addWidget(self.progress_bar, 1)
        self.cancel_button = QPushButton(_tr("Hủy"))
        self.cancel_button.setObjectName("cancelBloc")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        opts.addWidget(self.cancel_button)
        opts.addStretch(1)
        lay.addLayout(opts)

        self.totals_label = QLabel()
        self.totals_label.setObjectName("blocTotals")
        self.totals_label.setWordWrap(True)
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.totals_label)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("blocTabs")
        # units: filters, table, detail
        page = QWidget()
        pl = QVBoxLayout(page)
        filt = QHBoxLayout()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("filterStatus")
        for label, key in ((_tr("Mọi tình trạng"), ""), (_tr("Được tính"), "counted"), (_tr("Chưa nộp / không được tính"), "not-counted")):
            self.status_filter.addItem(label, key)
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("filterType")
        self.type_filter.addItem(_tr("Mọi loại hình"), "")
        for key, label in units.UNIT_TYPES.items():
            self.type_filter.addItem(label, key)
        self.result_filter = QComboBox()
        self.result_filter.setObjectName("filterResult")
        self.result_filter.addItem(_tr("Mọi kết quả"), "")
        for key, label in figures.STANDING_LABELS.items():
            self.result_filter.addItem(label, key)
        for c in (self.status_filter, self.type_filter, self.result_filter):
            c.currentIndexChanged.connect(self._apply_filters)
            filt.addWidget(c)
        filt.addStretch(1)
        pl.addLayout(filt)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.unit_model = UnitFiguresModel(self)
        self.unit_proxy = UnitFilter(self)
        self.unit_proxy.setSourceModel(self.unit_model)
        self.unit_table = QTableView()
        self.unit_table.setObjectName("unitTable")
        self.unit_table.setModel(self.unit_proxy)
        self.unit_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.unit_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.unit_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unit_table.setAlternatingRowColors(True)
        self.unit_table.verticalHeader().hide()
        self.unit_table.horizontalHeader().setStretchLastSection(True)
        self.unit_table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_unit(cur))
        split.addWidget(self.unit_table)
        self.detail = QTextBrowser()
        self.detail.setObjectName("unitDetail")
        self.detail.setMinimumWidth(330)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        pl.addWidget(split, 1)
        self.tabs.addTab(page, _tr("Đơn vị"))
        # charts
        charts = QWidget()
        cl = QHBoxLayout(charts)
        self.result_chart = BarChart(_tr("Kết quả toàn Khối (số đơn vị)"))
        self.criteria_chart = BarChart(_tr("Mười tiêu chí ít đơn vị đạt nhất"), percent=True)
        cl.addWidget(self.result_chart, 1)
        cl.addWidget(self.criteria_chart, 1)
        self.tabs.addTab(charts, _tr("Biểu đồ"))
        # files: which count and why not
        self.file_model = FileRowsModel(self)
        self.file_table = QTableView()
        self.file_table.setObjectName("fileTable")
        self.file_table.setModel(self.file_model)
        self.file_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.file_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.file_table.setAlternatingRowColors(True)
        self.file_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.file_table.horizontalHeader().setStretchLastSection(True)
        self.file_table.verticalHeader().hide()
        # at 1366 px the reason must stay in sight: type, signing time and draft are in the CSV,
        # the «Đơn vị» tab and the status («Bản nháp») already
        for col in FILE_COLUMNS_HIDDEN:
            self.file_table.setColumnHidden(col, True)
        self.tabs.addTab(self.file_table, _tr("Tệp đã đọc"))
        # the unit list, editable
        lp = QWidget()
        ll = QVBoxLayout(lp)
        self.list_table = QTableWidget(0, 4)
        self.list_table.setObjectName("unitListTable")
        self.list_table.setHorizontalHeaderLabels([_tr(h) for h in units.HEADER])
        self.list_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        ll.addWidget(self.list_table, 1)
        row = QHBoxLayout()
        for label, name, fn in (
            (_tr("Thêm đơn vị"), "addUnit", self.add_unit_row),
            (_tr("Xóa dòng"), "removeUnit", self.remove_unit_row),
            (_tr("Lưu danh sách…"), "saveUnitList", self.choose_save_list),
        ):
            b = QPushButton(label)
            b.setObjectName(name)
            b.clicked.connect(fn)
            row.addWidget(b)
        row.addStretch(1)
        ll.addLayout(row)
        self.tabs.addTab(lp, _tr("Danh sách đơn vị"))
        lay.addWidget(self.tabs, 1)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        close = QPushButton(_tr("Đóng"))
        close.setObjectName("closeButton")
        close.clicked.connect(self.reject)
        bottom.addWidget(close)
        lay.addLayout(bottom)

    def _restore(self) -> None:
        import datetime as dt

        y = dt.date.today().year
        self.year_from.setValue(y)
        self.year_to.setValue(y)
        rule = settings.get(settings.BLOC_PERCENT_RULE)
        self.rule_combo.setCurrentIndex(max(0, self.rule_combo.findData(rule)))
        self.rule_combo.currentIndexChanged.connect(
            lambda _i: settings.put(settings.BLOC_PERCENT_RULE, self.rule_combo.currentData())
        )

    # ------------------------------------------------------------------ inputs
    @property
    def folder(self) -> Path | None:
        """The folder the dossiers were chosen in (the folder itself, or the chosen files' folder)."""
        if not self.paths:
            return None
        first = self.paths[0]
        return first if first.is_dir() else first.parent

    def _start_dir(self) -> str:
        return str(self.folder or documents_dir())

    def choose_unit_list(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, _tr("Chọn danh sách đơn vị"), self._start_dir(), _tr("Danh sách đơn vị (*.xlsx *.csv)")
        )
        if path:
            self.load_unit_list(Path(path))

    def load_unit_list(self, path: Path) -> bool:
        try:
            self.unit_list = units.read_unit_list(path)
        except KhoiError as exc:
            show_error(self, exc)
            return False
        self.unit_list_path = path
        self.list_edit.setText(str(path))
        self._fill_list_table(self.unit_list)
        self._update_buttons()
        return True

    def _fill_list_table(self, ul: units.UnitList) -> None:
        self.list_table.setRowCount(0)
        for u in ul.units:
            r = self.list_table.rowCount()
            self.list_table.insertRow(r)
            for c, v in enumerate((u.name, u.short_name, u.unit_type_label, " ".join(u.fingerprints))):
                self.list_table.setItem(r, c, QTableWidgetItem(v))

    def add_unit_row(self) -> None:
        r = self.list_table.rowCount()
        self.list_table.insertRow(r)
        self.list_table.setCurrentCell(r, 0)

    def remove_unit_row(self) -> None:
        r = self.list_table.currentRow()
        if r >= 0:
            self.list_table.removeRow(r)

    def edited_unit_list(self) -> units.UnitList:
        """The list as edited in the table, checked like a file (raises UnitListError)."""
        table: list[list[object]] = [list(units.HEADER)]
        for r in range(self.list_table.rowCount()):
            table.append([(it.text() if (it := self.list_table.item(r, c)) is not None else "") for c in range(4)])
        return units.parse_rows(table, str(self.unit_list_path or ""))

    def choose_save_list(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, _tr("Lưu danh sách đơn vị"), os.path.join(self._start_dir(), "danh-sach-don-vi.xlsx"),
            _tr("Excel (*.xlsx);;CSV (*.csv)"),
        )  # fmt: skip
        if path:
            self.save_unit_list(Path(path))

    def save_unit_list(self, path: Path) -> Path | None:
        try:
            ul = self.edited_unit_list()
            out = units.write_unit_list(ul, path)
        except KhoiError as exc:
            show_error(self, exc)
            return None
        self.unit_list, self.unit_list_path = ul, out
        self.list_edit.setText(str(out))
        return out

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, _tr("Chọn thư mục chứa hồ sơ PDF"), self._start_dir())
        if path:
            self.set_folder(Path(path))

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, _tr("Chọn các tệp hồ sơ PDF"), self._start_dir(), _tr("Tệp PDF (*.pdf)")
        )
        if paths:
            self.set_paths([Path(p) for p in paths])

    def set_folder(self, path: Path) -> None:
        self.set_paths([path])

    def set_paths(self, paths: list[Path]) -> None:
        """The dossiers to read: one folder (its ``*.pdf``) or files chosen one by one."""
        self.paths = list(paths)
        if len(self.paths) == 1:
            self.folder_edit.setText(str(self.paths[0]))
        else:
            self.folder_edit.setText(_tr("{n} tệp trong {folder}").format(n=len(self.paths), folder=self._start_dir()))
        self._update_buttons()

    def years(self) -> tuple[int, int] | None:
        """The years summarised; ``None`` for «Tự nhận theo hồ sơ» (the year most dossiers carry)."""
        lo, hi = self.year_from.value(), self.year_to.value()
        if lo == YEAR_AUTO:
            return None
        return (min(lo, hi), max(lo, hi))

    # ------------------------------------------------------------------ running
    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def start(self) -> Task | None:
        """Read the folder and compute the figures in the background; ``computed`` fires when done."""
        if self.running or not self.paths:
            return None
        if self.list_table.rowCount():
            try:
                self.unit_list = self.edited_unit_list()
            except KhoiError as exc:
                show_error(self, exc)
                return None
        paths, ul, workers = list(self.paths), self.unit_list, self.workers
        years = self.years()
        rule = str(self.rule_combo.currentData())
        accept = self.untrusted_check.isChecked()

        def work(progress: Any, is_cancelled: Any) -> figures.BlocReport:
            entries = parallel.collect_parallel(
                paths, accept_untrusted=accept, workers=workers, progress=progress, is_cancelled=is_cancelled
            )
            from khoiapp.bloc.read import unit_list_of_summaries

            return figures.compute(entries, units=ul or unit_list_of_summaries(entries), years=years, rule=rule)

        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.totals_label.setText(_tr("Đang đọc và kiểm tra hồ sơ…"))
        self.task = run_task(
            self, work, title=_tr("Đang tổng hợp khối…"), on_done=self._on_done, on_error=self._on_error,
            pool=QThreadPool.globalInstance(), show_dialog=False,
        )  # fmt: skip
        self.task.progress.connect(self._on_progress)
        self.task.finished.connect(self._on_finished)
        self._update_buttons()
        return self.task

    def cancel(self) -> None:
        if self.running and self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.totals_label.setText(_tr("Đang dừng sau tệp hiện tại…"))

    def _on_progress(self, done: int, total: int) -> None:
        if not self._closed:
            self.progress_bar.setRange(0, max(total, 0))
            self.progress_bar.setValue(min(done, total))

    def _on_finished(self) -> None:
        if self._closed:
            return
        if self.task is not None and isinstance(self.task.error, Cancelled):
            self._clear_report()
            self.totals_label.setText(_tr("Đã hủy tổng hợp. Bấm «Tổng hợp» để chạy lại."))
        self.progress_bar.hide()
        self.cancel_button.hide()
        self._update_buttons()

    def _clear_report(self) -> None:
        """No figures shown: a run was cancelled or failed, so the old ones no longer match the inputs."""
        self.report = None
        self.unit_model.set_units(())
        self.file_model.set_rows(())
        self.result_chart.set_bars([])
        self.criteria_chart.set_bars([])
        self.detail.clear()
        self._update_buttons()

    def _on_error(self, exc: BaseException) -> None:
        if self._closed:
            return
        if isinstance(exc, Cancelled):
            return
        self._clear_report()
        if isinstance(exc, KhoiError):
            self.totals_label.setText(exc.message)
        else:
            self.totals_label.setText(_tr("Không tổng hợp được các hồ sơ đã chọn."))
            show_error(self, exc)

    def _on_done(self, report: figures.BlocReport) -> None:
        if self._closed:
            return
        self.show_report(report)
        self.computed.emit(report)

    def show_report(self, r: figures.BlocReport) -> None:
        self.report = r
        s = outputs.report_sentences(r)
        self.totals_label.setText("\n".join([s["result"], *r.warnings]))
        self.unit_model.set_units(r.units)
        self.unit_table.resizeColumnsToContents()
        for col, cap in ((1, 360), (6, 260)):
            if self.unit_table.columnWidth(col) > cap:
                self.unit_table.setColumnWidth(col, cap)
        self.result_chart.set_bars([(figures.STANDING_LABELS[k], float(n), STANDING_COLOURS[k]) for k, n, _ in r.standings])
        self.criteria_chart.set_bars([(c.code, c.percent or 0.0, "#2e5c8a") for c in r.least_met(10)])
        self.file_model.set_rows(r.rows)
        self._fit_file_columns()
        self.detail.setHtml(_tr("<p>Chọn một đơn vị để xem kết quả kiểm tra và số liệu của đơn vị.</p>"))
        self._update_buttons()

    def _fit_file_columns(self) -> None:
        """Columns to their contents, capped, and the last one («Lý do») wrapped in the room left."""
        t = self.file_table
        t.resizeColumnsToContents()
        last = self.file_model.columnCount() - 1
        for col in range(last):
            cap = 220 if col == 2 else 140
            if t.columnWidth(col) > cap:
                t.setColumnWidth(col, cap)
        used = sum(t.columnWidth(c) for c in range(last) if not t.isColumnHidden(c))
        t.setColumnWidth(last, max(200, t.viewport().width() - used - 4))
        t.setWordWrap(True)
        t.resizeRowsToContents()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.report is not None:
            self._fit_file_columns()

    def _apply_filters(self) -> None:
        self.unit_proxy.set_filters(
            status=str(self.status_filter.currentData()),
            unit_type=str(self.type_filter.currentData()),
            standing=str(self.result_filter.currentData()),
        )

    def show_unit(self, index: QModelIndex) -> None:
        """The drill-down: the unit's verification and its figures."""
        if not index.isValid() or self.report is None:
            return
        u: figures.UnitFigures = self.unit_proxy.data(index, Qt.ItemDataRole.UserRole)
        from html import escape

        rows = [r for r in self.report.rows if r.unit_name and units.unit_key(r.unit_name) == units.unit_key(u.name)]
        parts = [f"<h3>{escape(u.name)}</h3>", f"<p><b>{escape(u.standing_label)}</b> — {escape(u.unit_type_label)}</p>"]
        if u.reason:
            parts.append(f"<p>{escape(u.reason)}</p>")
        if rows:
            parts.append("<p><b>" + _tr("Hồ sơ đã nhận") + "</b></p><ul>")
            for r in rows:
                who = f", {_tr('ký bởi')} {escape(r.signer)}" if r.signer else ""
                why = f" — {escape(r.reason)}" if r.reason else ""
                parts.append(f"<li>{escape(r.file)} ({r.year or '—'}): {escape(r.status_label)}, "
                             f"{_tr('chữ ký')} {escape(r.verdict_label.lower())}{who}{why}</li>")  # fmt: skip
            parts.append("</ul>")
        if u.years:
            parts.append("<p><b>" + _tr("Kết quả qua các năm") + "</b></p><ul>")
            for y in u.years:
                pts = "" if y.points is None else f" — {y.points:g} " + _tr("điểm")
                parts.append(f"<li>{y.year}: {escape(y.result_label)}{pts}</li>")
            parts.append("</ul>")
        if u.change:
            parts.append(f"<p>{escape(u.change)}</p>")
        if u.counted:
            parts.append(f"<p>{_tr('Tiêu chí đạt')}: {u.criteria_met}/{u.criteria_total}; "
                         f"{_tr('khen thưởng')}: {u.awards}</p>")  # fmt: skip
            labels = {a.kind: a.label for a in self.report.activities}
            parts.append("<ul>" + "".join(
                f"<li>{escape(labels.get(k, k))}: {n} — {p} {_tr('lượt người')}, {q} {_tr('số lượng')}</li>"
                for k, n, p, q in u.activities
            ) + "</ul>")  # fmt: skip
        self.detail.setHtml("".join(parts))

    def _update_buttons(self) -> None:
        busy = self.running
        self.run_button.setEnabled(bool(self.paths) and not busy)
        self.folder_button.setEnabled(not busy)
        self.files_button.setEnabled(not busy)
        for b in (self.xlsx_button, self.docx_button, self.pdf_button, self.csv_button, self.files_csv_button):
            b.setEnabled(self.report is not None and not busy)

    # ------------------------------------------------------------------ exports
    def _ask(self, title: str, name: str, pattern: str, suffix: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, os.path.join(self._start_dir(), name), pattern)
        if not path:
            return None
        return Path(path if path.lower().endswith(suffix) else path + suffix)

    def _stem(self) -> str:
        return f"tong-hop-khoi-{self.report.years_label.replace('–', '-')}" if self.report else "tong-hop-khoi"

    def choose_xlsx(self) -> None:
        p = self._ask(_tr("Xuất Excel"), self._stem() + ".xlsx", _tr("Excel (*.xlsx)"), ".xlsx")
        if p:
            self.export("xlsx", p)

    def choose_docx(self) -> None:
        p = self._ask(_tr("Dự thảo báo cáo"), self._stem() + ".docx", _tr("Word (*.docx)"), ".docx")
        if p:
            self.export("docx", p)

    def choose_pdf(self) -> None:
        p = self._ask(_tr("Bản tổng hợp PDF"), self._stem() + ".pdf", _tr("PDF (*.pdf)"), ".pdf")
        if p is None:
            return
        dlg = PdfSignDialog(self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            req = dlg.options.sign_request(self)
        except Cancelled:
            return
        except KhoiError as exc:
            show_error(self, exc)
            return
        dlg.options.remember()
        self.export("pdf", p, sign=req)

    def choose_csv(self) -> None:
        p = self._ask(_tr("CSV"), self._stem() + ".csv", _tr("CSV (*.csv)"), ".csv")
        if p:
            self.export("csv", p)

    def choose_files_csv(self) -> None:
        p = self._ask(_tr("Bảng kiểm tra tệp (CSV)"), self._stem() + "-tep.csv", _tr("CSV (*.csv)"), ".csv")
        if p:
            self.export("files-csv", p)

    def export(self, kind: str, path: Path, sign: Any = None) -> Task | None:
        """Write one file from the computed figures in the background."""
        r = self.report
        if r is None or self.running:
            return None
        writers = {
            "xlsx": lambda: outputs.to_xlsx(r, path),
            "docx": lambda: outputs.to_docx(r, path),
            "pdf": lambda: pdf_report.write_summary_pdf(r, path, sign=sign),
            "csv": lambda: outputs.to_csv(r, path),
            "files-csv": lambda: outputs.files_to_csv(r, path),
        }

        def work(progress: Any, is_cancelled: Any) -> Path:
            return writers[kind]()

        def done(out: Path) -> None:
            if not self._closed:
                self.totals_label.setText(self.totals_label.text() + "\n" + _tr("Đã lưu: {path}").format(path=out))

        self.task = run_task(self, work, title=_tr("Đang ghi tệp…"), on_done=done, pool=QThreadPool.globalInstance())
        self.task.finished.connect(self._update_buttons)
        self._update_buttons()
        return self.task

    def reject(self) -> None:
        self._closed = True
        if self.task is not None and self.task.running:
            self.task.cancel()
        super().reject()


__all__ = ["BlocWorkspace", "base"]
