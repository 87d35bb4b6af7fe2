"""The bloc's per-file table: every file read, its signature verdict, whether it counts and why not."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from khoiapp.services import summary as svc

# verdict → (background, text) colours, the same greens/ambers/reds as the verification dialog
VERDICT_COLOURS = {
    "ok": ("#d1e7dd", "#0f5132"),
    "untrusted": ("#fff3cd", "#664d03"),
    "unsigned": ("#f8d7da", "#842029"),
    "invalid": ("#f8d7da", "#842029"),
    svc.FOREIGN: ("#f8d7da", "#842029"),
    svc.NOT_DOSSIER: ("#e2e3e5", "#41464b"),
}
FILE_COLUMN = 1
UNIT_NAME_COLUMN = 2
VERDICT_COLUMN = 7
STATUS_COLUMN = 11
REASON_COLUMN = 12


def _tr(text: str) -> str:
    return QCoreApplication.translate("FileRowsModel", text)


class FileRowsModel(QAbstractTableModel):
    """The rows of the files read, columns as in the per-file CSV (``svc.CSV_HEADER``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[svc.SummaryRow, ...] = ()
        self._cells: list[list[str]] = []
        self._headers = [_tr(h) for h in svc.CSV_HEADER]

    def set_rows(self, rows: Sequence[svc.SummaryRow]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
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
