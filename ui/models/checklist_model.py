"""The checklist as a Qt tree model: groups at the top, their criteria below."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from khoiapp import scoring
from khoiapp.services.criteria import Checklist, CriterionView, GroupView
from ui.textfold import fold

Index = QModelIndex | QPersistentModelIndex

COL_CODE, COL_TITLE, COL_REQUIREMENT, COL_RESULT, COL_SCORE, COL_EVIDENCE = range(6)
HEADERS = ("Mã", "Tiêu chí", "Yêu cầu", "Kết quả", "Điểm", "Minh chứng")

CriterionRole = Qt.ItemDataRole.UserRole + 1  # the CriterionView (None on group rows)
GroupRole = Qt.ItemDataRole.UserRole + 2  # the GroupView (None on criterion rows)
SearchRole = Qt.ItemDataRole.UserRole + 3  # folded code + title + guidance, for search
KindRole = Qt.ItemDataRole.UserRole + 4  # "yesno" | "percent" | "count" | "points"
TitleSearchRole = Qt.ItemDataRole.UserRole + 5  # folded code + title only: a match there is a match "by name"

GREEN = QColor("#1b7f3b")
RED = QColor("#b3261e")
GREY = QColor("#6b6b6b")
AMBER = QColor("#9a6700")

# set_answer(code, status=ResultStatus|None, value=float|None, clear_value=bool)
AnswerFn = Callable[..., None]


def format_number(v: float | None) -> str:
    """Vietnamese number: decimal comma, no trailing zeros."""
    if v is None:
        return ""
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def format_value(c: CriterionView) -> str:
    if c.value is None:
        return ""
    if c.kind == "percent":
        return f"{format_number(c.value)}%"
    if c.kind == "points":
        return f"{format_number(c.value)} điểm"
    return format_number(c.value)


def result_text(c: CriterionView) -> str:
    if c.kind == "yesno" or c.value is None or c.status == scoring.ResultStatus.NOT_APPLICABLE.value:
        return c.status_label
    return f"{format_value(c)} · {c.status_label}"


def status_color(status: str) -> QColor:
    return {
        scoring.ResultStatus.MET.value: GREEN,
        scoring.ResultStatus.NOT_MET.value: RED,
        scoring.ResultStatus.UNANSWERED.value: GREY,
        scoring.ResultStatus.NOT_APPLICABLE.value: GREY,
    }.get(status, GREY)


def group_passed_text(g: GroupView) -> str:
    if g.passed is True:
        return "Đạt"
    if g.passed is False:
        return "Chưa đạt"
    return "Chưa đủ"


class ChecklistModel(QAbstractItemModel):
    """Groups → criteria of one period. Edits of the Kết quả column go to ``answer``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.groups: list[GroupView] = []
        self.group_rows: list[list[CriterionView]] = []
        self._search: dict[str, str] = {}
        self._title_search: dict[str, str] = {}
        self.answer: AnswerFn | None = None
        self.editable = True

    # ------------------------------------------------------------------ data in
    def set_checklist(self, cl: Checklist | None) -> None:
        """Show ``cl``; same structure → rows are updated in place (selection and expansion stay)."""
        groups = list(cl.groups) if cl else []
        children: list[list[CriterionView]] = [
            [c for c in cl.criteria if c.framework_key == g.framework_key and c.group_code == g.code] for g in groups
        ] if cl else []
        same = [(g.framework_key, g.code) for g in groups] == [(g.framework_key, g.code) for g in self.groups] and [
            [c.code for c in ch] for ch in children
        ] == [[c.code for c in ch] for ch in self.group_rows]
        self._search = {
            c.code: fold(f"{c.code} {c.title} {c.guidance}") for ch in children for c in ch
        }
        self._title_search = {c.code: fold(f"{c.code} {c.title}") for ch in children for c in ch}
        if same and groups:
            self.groups, self.group_rows = groups, children
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(0, 0), self.index(len(groups) - 1, last))
            for gi, ch in enumerate(children):
                if ch:
                    parent = self.index(gi, 0)
                    self.dataChanged.emit(self.index(0, 0, parent), self.index(len(ch) - 1, last, parent))
            return
        self.beginResetModel()
        self.groups, self.group_rows = groups, children
        self.endResetModel()

    def update_rows(self, cl: Checklist, codes: Any) -> bool:
        """Show ``cl`` repainting only the rows of ``codes`` and their groups; False if the structure changed."""
        groups = list(cl.groups)
        children = [[c for c in cl.criteria if c.framework_key == g.framework_key and c.group_code == g.code] for g in groups]
        if [(g.framework_key, g.code) for g in groups] != [(g.framework_key, g.code) for g in self.groups] or [
            [c.code for c in ch] for ch in children
        ] != [[c.code for c in ch] for ch in self.group_rows]:
            self.set_checklist(cl)
            return False
        wanted = set(codes)
        self.groups, self.group_rows = groups, children
        last = self.columnCount() - 1
        for gi, ch in enumerate(children):
            rows = [ri for ri, c in enumerate(ch) if c.code in wanted]
            if not rows:
                continue
            self.dataChanged.emit(self.index(gi, 0), self.index(gi, last))
            parent = self.index(gi, 0)
            for ri in rows:
                self.dataChanged.emit(self.index(ri, 0, parent), self.index(ri, last, parent))
        return True

    def criterion(self, code: str) -> CriterionView | None:
        for ch in self.group_rows:
            for c in ch:
                if c.code == code:
                    return c
        return None

    def index_of(self, code: str, column: int = 0) -> QModelIndex:
        for gi, ch in enumerate(self.group_rows):
            for ri, c in enumerate(ch):
                if c.code == code:
                    return self.index(ri, column, self.index(gi, 0))
        return QModelIndex()

    # ------------------------------------------------------------------ structure
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        gid = int(index.internalId())
        if gid == 0:
            return QModelIndex()
        return self.createIndex(gid - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        if not parent.isValid():
            return len(self.groups)
        if int(parent.internalId()) == 0 and parent.column() == 0:
            return len(self.group_rows[parent.row()])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(HEADERS[section])
        return None

    def _item(self, index: Index) -> tuple[GroupView | None, CriterionView | None]:
        gid = int(index.internalId())
        if gid == 0:
            return self.groups[index.row()], None
        return None, self.group_rows[gid - 1][index.row()]

    # ------------------------------------------------------------------ data out
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        g, c = self._item(index)
        col = index.column()
        if role == CriterionRole:
            return c
        if role == GroupRole:
            return g
        if g is not None:
            return self._group_data(g, col, role)
        assert c is not None
        return self._criterion_data(c, col, role)

    def _group_data(self, g: GroupView, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_CODE:
                return g.code
            if col == COL_TITLE:
                return g.title
            if col == COL_RESULT:
                return f"{g.met}/{g.total} đạt · {group_passed_text(g)}"
            if col == COL_SCORE and g.max_score:
                return f"{format_number(g.score)}/{format_number(g.max_score)}"
            return None
        if role == Qt.ItemDataRole.FontRole:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_RESULT:
            return QBrush(GREEN if g.passed else RED if g.passed is False else GREY)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_TITLE:
            return g.title
        return None

    def _criterion_data(self, c: CriterionView, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_CODE:
                return c.code
            if col == COL_TITLE:
                return c.title
            if col == COL_REQUIREMENT:
                return c.requirement
            if col == COL_RESULT:
                return result_text(c)  # «cần xác nhận» is the «?» mark and the amber colour (and the tooltip)
            if col == COL_SCORE:
                return f"{format_number(c.score)}/{format_number(c.max_points)}" if c.max_points else None
            if col == COL_EVIDENCE:
                return f"{len(c.evidence_codes)}/{c.min_evidence}"
            return None
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_RESULT:
                return c.status if c.kind == "yesno" else c.value
            return self._criterion_data(c, col, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_RESULT:
                return QBrush(AMBER if c.needs_confirmation else status_color(c.status))
            if col == COL_EVIDENCE and not c.evidence_ok:
                return QBrush(RED)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_TITLE:
                return c.title + ("\n\n" + c.guidance if c.guidance else "")
            if col == COL_EVIDENCE:
                return (
                    self.tr("Đã có {n} minh chứng, cần ít nhất {m}.").format(n=len(c.evidence_codes), m=c.min_evidence)
                )
            if col == COL_RESULT and c.needs_confirmation:
                return self.tr("Kết quả chép từ năm trước: hãy xem lại và xác nhận.")
            return None
        if role == SearchRole:
            return self._search.get(c.code, "")
        if role == TitleSearchRole:
            return self._title_search.get(c.code, "")
        if role == KindRole:
            return c.kind
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        g, _c = self._item(index)
        if g is None and index.column() == COL_RESULT and self.editable:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """Kết quả column: a status value (yes/no) or a number; the answer goes through ``answer``."""
        if role != Qt.ItemDataRole.EditRole or index.column() != COL_RESULT or self.answer is None:
            return False
        _g, c = self._item(index)
        if c is None:
            return False
        if c.kind == "yesno" or isinstance(value, scoring.ResultStatus):
            status = scoring.ResultStatus(value)
            if status.value == c.status:
                return False
            self.answer(c.code, status=status)
        elif value is None or value == "":
            if c.value is None:
                return False
            self.answer(c.code, status=scoring.ResultStatus.UNANSWERED)
        else:
            number = float(value)
            if c.value is not None and abs(c.value - number) < 1e-9:
                return False
            self.answer(c.code, value=number)
        return True
