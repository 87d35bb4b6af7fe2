"""«Tổng hợp hồ sơ các đơn vị»: the bloc's table of received dossiers, which count and why not, and the totals."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from khoiapp.errors import Cancelled, KhoiError
from khoiapp.services import summary as svc
from ui.dialogs.sign_options import documents_dir
from ui.errors import show_error
from ui.tasks import Task, run_task

# verdict → (background, text) colours, the same greens/ambers/reds as the verification dialog
VERDICT_COLOURS = {
    "ok": ("#d1e7dd", "#0f5132"),
    "untrusted": ("#fff3cd", "#664d03"),
    "unsigned": ("#f8d7da", "#842029"),
    "invalid": ("#f8d7da", "#842029"),
    svc.NOT_DOSSIER: ("#e2e3e5", "#41464b"),
}
VERDICT_COLUMN = 7
STATUS_COLUMN = 11
REASON_COLUMN = 12


def _tr(text: str) -> str:
    return QCoreApplication.translate("SummaryDialog", text)


class SummaryTableModel(QAbstractTableModel):
    """The summary rows, columns as in the CSV (``svc.CSV_HEADER``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[svc.SummaryRow, ...] = ()
        self._cells: list[list[str]] = []
        self._headers = [_tr(h) for h in svc.CSV_HEADER]

    def set_summary(self, summary: svc.BlocSummary | None) -> None:
        self.beginResetModel()
        self._rows = summary.rows if summary is not None else ()
        self._cells = [svc.row_cells(i, r) for i, r in enumerate(self._rows, 1)]
        self.endResetModel()

    def row_at(self, row: int) -> svc.SummaryRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        row = self._rows[r]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[r][c]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.reason or row.status_label
        if role == Qt.ItemDataRole.UserRole:
            return row.verdict if c == VERDICT_COLUMN else row.status
        colours = VERDICT_COLOURS.get(row.verdict) if c == VERDICT_COLUMN else None
        if c == STATUS_COLUMN:
            colours = ("#d1e7dd", "#0f5132") if row.counted else ("#fff3cd", "#664d03")
        if colours is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(colours[0]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(colours[1]))
        return None


UNIT_NAME_COLUMN = 2  # the widest column worth keeping wide; others wrap


class SummaryDialog(QDialog):
    """Summarises a folder (or files) of dossiers in the background; ``summary`` holds the result."""

    summarised = Signal(object)  # svc.BlocSummary

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Tổng hợp hồ sơ các đơn vị"))
        self.setObjectName("summaryDialog")
        self.paths: list[Path] = []
        self.summary: svc.BlocSummary | None = None
        self.error: BaseException | None = None
        self.task: Task | None = None
        self._closed = False  # set on close: a late result must not touch a deleted dialog
        self._build_ui()
        self._update_buttons()
        self.resize(1100, 640)

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(_tr("Hồ sơ:")))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("summaryPaths")
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(_tr("Chọn thư mục chứa các hồ sơ PDF đơn vị gửi (hoặc chọn từng tệp)"))
        row.addWidget(self.path_edit, 1)
        self.folder_button = QPushButton(_tr("Chọn thư mục…"))
        self.folder_button.setObjectName("chooseFolder")
        self.folder_button.clicked.connect(self.choose_folder)
        row.addWidget(self.folder_button)
        self.files_button = QPushButton(_tr("Chọn tệp…"))
        self.files_button.setObjectName("chooseFiles")
        self.files_button.clicked.connect(self.choose_files)
        row.addWidget(self.files_button)
        lay.addLayout(row)

        opts = QHBoxLayout()
        form = QFormLayout()
        self.year_spin = QSpinBox()
        self.year_spin.setObjectName("summaryYear")
        self.year_spin.setRange(1999, 9999)
        self.year_spin.setSpecialValueText(_tr("Tự nhận theo hồ sơ"))
        self.year_spin.setValue(1999)
        # room for the whole «Tự nhận theo hồ sơ» (a spin box sizes itself for its numbers only)
        fm = self.year_spin.fontMetrics()
        self.year_spin.setMinimumWidth(fm.horizontalAdvance(self.year_spin.specialValueText()) + 48)
        self.year_spin.setToolTip(_tr("Để «Tự nhận theo hồ sơ» thì Khối lấy năm mà đa số hồ sơ ghi."))
        form.addRow(_tr("Năm tổng hợp:"), self.year_spin)
        self.expected_spin = QSpinBox()
        self.expected_spin.setObjectName("summaryExpected")
        self.expected_spin.setRange(0, 100000)
        self.expected_spin.setSpecialValueText(_tr("Không nhập"))
        self.expected_spin.setToolTip(
            _tr("Tổng số đơn vị của Khối (ví dụ 121). Khi có số này, tỷ lệ được tính trên tổng số đơn vị.")
        )
        form.addRow(_tr("Số đơn vị của Khối:"), self.expected_spin)
        opts.addLayout(form)
        self.untrusted_check = QCheckBox(_tr("Tính cả hồ sơ có chữ ký nguyên vẹn nhưng chứng thư chưa được tin cậy"))
        self.untrusted_check.setObjectName("acceptUntrusted")
        opts.addWidget(self.untrusted_check, 0, Qt.AlignmentFlag.AlignTop)
        opts.addStretch(1)
        lay.addLayout(opts)

        run_row = QHBoxLayout()
        self.run_button = QPushButton(_tr("Tổng hợp"))
        self.run_button.setObjectName("runSummary")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(lambda: self.start())
        run_row.addWidget(self.run_button)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("summaryProgress")
        self.progress_bar.setFormat(_tr("%v/%m hồ sơ"))
        self.progress_bar.hide()
        run_row.addWidget(self.progress_bar, 1)
        self.cancel_button = QPushButton(_tr("Hủy"))
        self.cancel_button.setObjectName("cancelSummary")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(0)
        lay.addLayout(run_row)

        self.model = SummaryTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("summaryTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        lay.addWidget(self.table, 1)

        self.totals_label = QLabel()
        self.totals_label.setObjectName("summaryTotals")
        self.totals_label.setWordWrap(True)
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals_label.setStyleSheet("font-weight: bold;")
        lay.addWidget(self.totals_label)

        bottom = QHBoxLayout()
        self.csv_button = QPushButton(_tr("Lưu bảng tính CSV…"))
        self.csv_button.setObjectName("saveCsv")
        self.csv_button.clicked.connect(self.choose_csv)
        bottom.addWidget(self.csv_button)
        bottom.addStretch(1)
        close = QPushButton(_tr("Đóng"))
        close.setObjectName("closeButton")
        close.clicked.connect(self.reject)
        bottom.addWidget(close)
        lay.addLayout(bottom)

    # ------------------------------------------------------------------ choosing
    def _start_dir(self) -> str:
        if self.paths:
            first = self.paths[0]
            return str(first if first.is_dir() else first.parent)
        return str(documents_dir())

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, _tr("Chọn thư mục chứa hồ sơ PDF"), self._start_dir())
        if path:
            self.set_paths([Path(path)])
            self.start()

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, _tr("Chọn các tệp hồ sơ PDF"), self._start_dir(), _tr("Tệp PDF (*.pdf)")
        )
        if paths:
            self.set_paths([Path(p) for p in paths])
            self.start()

    def set_paths(self, paths: list[Path]) -> None:
        self.paths = list(paths)
        if len(self.paths) == 1:
            self.path_edit.setText(str(self.paths[0]))
        else:
            self.path_edit.setText(_tr("{n} tệp trong {folder}").format(n=len(self.paths), folder=self._start_dir()))
        self._update_buttons()

    # ------------------------------------------------------------------ running
    def year(self) -> int | None:
        v = self.year_spin.value()
        return None if v == self.year_spin.minimum() else v

    def expected_units(self) -> int | None:
        v = self.expected_spin.value()
        return None if v == 0 else v

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def start(self, paths: list[Path] | None = None) -> Task | None:
        """Summarise ``paths`` (or the chosen ones) in the background; ``summarised`` fires when done."""
        if self.running:
            return None
        if paths is not None:
            self.set_paths(paths)
        if not self.paths:
            return None
        files = list(self.paths)
        year, expected = self.year(), self.expected_units()
        accept = self.untrusted_check.isChecked()
        self.error = None
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.totals_label.setText(_tr("Đang đọc và kiểm tra hồ sơ…"))

        def work(progress: Any, is_cancelled: Any) -> svc.BlocSummary:
            return svc.summarise(
                files,
                year=year,
                expected_units=expected,
                accept_untrusted=accept,
                progress=progress,
                is_cancelled=is_cancelled,
            )

        self.task = run_task(
            self,
            work,
            title=_tr("Đang tổng hợp hồ sơ…"),
            on_done=self._on_done,
            on_error=self._on_error,
            pool=QThreadPool.globalInstance(),
            show_dialog=False,
        )
        self.task.progress.connect(self._on_task_progress)
        self.task.finished.connect(self._on_task_finished)
        self._update_buttons()
        return self.task

    def cancel(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.totals_label.setText(_tr("Đang dừng sau tệp hiện tại…"))

    def _on_task_progress(self, done: int, total: int) -> None:
        if self._closed:
            return
        self.progress_bar.setRange(0, max(total, 0))
        self.progress_bar.setValue(min(done, total))

    def _on_task_finished(self) -> None:
        if self._closed:
            return
        if self.task is not None and isinstance(self.task.error, Cancelled):
            self.summary = None
            self.model.set_summary(None)
            self.totals_label.setText(_tr("Đã hủy tổng hợp. Bấm «Tổng hợp» để chạy lại."))
        self.progress_bar.hide()
        self.cancel_button.hide()
        self._update_buttons()

    def _on_done(self, result: svc.BlocSummary) -> None:
        if self._closed:
            return
        self.show_summary(result)
        self.summarised.emit(result)

    def _on_error(self, exc: BaseException) -> None:
        if self._closed:
            return
        self.error = exc
        self.summary = None
        self.model.set_summary(None)
        if isinstance(exc, KhoiError):
            self.totals_label.setText(exc.message)
        else:
            self.totals_label.setText(_tr("Không tổng hợp được các hồ sơ đã chọn."))
            show_error(self, exc)
        self._update_buttons()

    def _fit_columns(self) -> None:
        """Columns to their contents, capped, and the last one («Lý do») wrapped in the room left."""
        self.table.resizeColumnsToContents()
        last = self.model.columnCount() - 1
        for col in range(last):
            cap = 240 if col == UNIT_NAME_COLUMN else 150
            if self.table.columnWidth(col) > cap:
                self.table.setColumnWidth(col, cap)
        used = sum(self.table.columnWidth(c) for c in range(last)) + self.table.verticalHeader().width()
        room = self.table.viewport().width() - used - 4
        self.table.setColumnWidth(last, max(140, room))
        self.table.setWordWrap(True)
        self.table.resizeRowsToContents()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.summary is not None:
            self._fit_columns()

    def show_summary(self, result: svc.BlocSummary) -> None:
        self.summary = result
        self.model.set_summary(result)
        self._fit_columns()
        lines = [result.sentence, *(_tr("Lưu ý: {w}").format(w=w) for w in result.warnings)]
        self.totals_label.setText("\n".join(lines))
        self._update_buttons()

    def totals_text(self) -> str:
        return self.totals_label.text()

    def _update_buttons(self) -> None:
        busy = self.running
        self.run_button.setEnabled(bool(self.paths) and not busy)
        self.folder_button.setEnabled(not busy)
        self.files_button.setEnabled(not busy)
        self.csv_button.setEnabled(self.summary is not None and not busy)

    # ------------------------------------------------------------------ saving
    def choose_csv(self) -> None:
        if self.summary is None:
            return
        name = f"tong-hop-ho-so-{self.summary.year}.csv" if self.summary.year else "tong-hop-ho-so.csv"
        path, _ = QFileDialog.getSaveFileName(
            self, _tr("Lưu bảng tính CSV"), os.path.join(self._start_dir(), name), _tr("Bảng tính CSV (*.csv)")
        )
        if path:
            if not path.lower().endswith(".csv"):
                path += ".csv"
            self.save_csv(Path(path))

    def save_csv(self, path: Path) -> Path | None:
        """Write the table as CSV (UTF-8 with BOM, ``;``); errors are shown, not raised."""
        if self.summary is None:
            return None
        try:
            out = svc.to_csv(self.summary, path)
        except KhoiError as exc:
            show_error(self, exc)
            return None
        self.totals_label.setText(
            self.totals_label.text() + "\n" + _tr("Đã lưu bảng tính: {path}").format(path=out)
        )
        return out

    def reject(self) -> None:
        self._closed = True
        if self.task is not None and self.task.running:
            self.task.cancel()
        super().reject()
