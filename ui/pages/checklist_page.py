"""Tiêu chí: the checklist tree with filters and search, and a detail pane for one criterion."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QIcon,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from khoiapp import entry, scoring
from khoiapp.services import criteria as crit
from khoiapp.services import document as docsvc
from khoiapp.services import evidence as evsvc
from khoiapp.services.criteria import NARRATIVE_FIELDS, NARRATIVE_LABELS, CriterionView
from ui import settings
from ui.context import AppContext
from ui.errors import show_error
from ui.models.checklist_model import (
    COL_CODE,
    COL_EVIDENCE,
    COL_REQUIREMENT,
    COL_RESULT,
    COL_SCORE,
    COL_TITLE,
    CriterionRole,
    KindRole,
    SearchRole,
    TitleSearchRole,
    ChecklistModel,
    format_number,
    format_value,
)
from ui.pages.base import AutoSaveText, Page
from ui.textfold import fold
from ui.widgets.field_check import CheckedCellEditor, FieldCheck

Index = QModelIndex | QPersistentModelIndex

FILTERS = (
    ("all", "Tất cả"),
    ("unanswered", "Chưa đánh giá"),
    ("evidence", "Thiếu minh chứng"),
    ("not-met", "Chưa đạt"),
    ("confirm", "Cần xác nhận"),
)
STATUS_CHOICES = (
    scoring.ResultStatus.MET,
    scoring.ResultStatus.NOT_MET,
    scoring.ResultStatus.NOT_APPLICABLE,
    scoring.ResultStatus.UNANSWERED,
)
REFERENCE_LABELS = {
    "status_label": "Kết quả",
    "value": "Số liệu",
    "current_state": "Mô tả hiện trạng",
    "note": "Ghi chú",
}


CONFIRM_COLOUR = "#b26a00"  # amber, as the model's "(cần xác nhận)" text
CODE_WIDTH, CODE_WIDTH_MARKED = 76, 96


def reworded(c: CriterionView) -> bool:
    """The criterion's wording differs from last year's (so it is never confirmed in bulk)."""
    ref = c.reference or {}
    return docsvc.nfc(str(ref.get("title") or "")) != docsvc.nfc(c.title)


def bulk_confirmable(c: CriterionView) -> bool:
    """Carried over, still to confirm, and worded as last year: «confirm all unchanged» takes it."""
    return c.needs_confirmation and c.reference is not None and not reworded(c)


_confirm_icon: QIcon | None = None


def confirm_icon() -> QIcon:
    """A small amber disc with "?" marking a criterion still to confirm."""
    global _confirm_icon
    if _confirm_icon is None:
        icon = QIcon()
        for size in (16, 32):
            pm = QPixmap(size, size)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QPen(Qt.PenStyle.NoPen))
            p.setBrush(QBrush(QColor(CONFIRM_COLOUR)))
            m = size // 8
            p.drawEllipse(m, m, size - 2 * m, size - 2 * m)
            f = QFont()
            f.setBold(True)
            f.setPixelSize(int(size * 0.62))
            p.setFont(f)
            p.setPen(QColor("white"))
            p.drawText(pm.rect(), Qt.AlignmentFlag.AlignCenter, "?")
            p.end()
            icon.addPixmap(pm)
        _confirm_icon = icon
    return _confirm_icon


def restore_answer(doc: Any, year: int, c: CriterionView) -> docsvc.Changes:
    """Put back the answer ``c`` shows (the undo of an answer)."""
    st = scoring.ResultStatus(c.status)
    if c.kind == "yesno":
        return crit.set_result(doc, year, c.code, status=st, confirm=False)
    if st == scoring.ResultStatus.NOT_APPLICABLE:
        return crit.set_result(doc, year, c.code, status=st, value=c.value, confirm=False)
    if c.value is None:
        return crit.set_result(doc, year, c.code, status=scoring.ResultStatus.UNANSWERED, confirm=False)
    return crit.set_result(doc, year, c.code, value=c.value, confirm=False)


class ChecklistFilter(QSortFilterProxyModel):
    """Filter by state and by a diacritics-insensitive search; a group shows if a criterion does."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.mode = "all"
        self.words: list[str] = []

    def set_mode(self, mode: str) -> None:
        self._change(lambda: setattr(self, "mode", mode))

    def set_query(self, text: str) -> None:
        self._change(lambda: setattr(self, "words", fold(text).split()))

    def _change(self, apply: Any) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.10
            self.beginFilterChange()
            apply()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            apply()
            self.invalidateFilter()

    def guidance_only(self, index: Index) -> bool:
        """The search words are found in this criterion's guidance, not in its code or name."""
        if not self.words:
            return False
        title = index.sibling(index.row(), 0).data(TitleSearchRole) if index.isValid() else None
        return title is not None and not all(w in title for w in self.words)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.words and index.column() == COL_TITLE and role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole):
            src = self.mapToSource(index)
            if self.guidance_only(src):
                if role == Qt.ItemDataRole.FontRole:
                    f = QFont()
                    f.setItalic(True)  # found in the guidance: the officer sees why it is listed
                    return f
                tip = super().data(index, role) or ""
                return QCoreApplication.translate("ChecklistPage", "Khớp trong phần hướng dẫn của tiêu chí.") + "\n\n" + tip
        # Criteria to confirm carry a mark on their code, visible whatever the column widths.
        if index.column() == COL_CODE and role in (Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole):
            c = super().data(index, CriterionRole)
            if isinstance(c, CriterionView) and c.needs_confirmation:
                if role == Qt.ItemDataRole.DecorationRole:
                    return confirm_icon()
                if reworded(c):
                    return QCoreApplication.translate(
                        "ChecklistPage",
                        "Cần xác nhận: nội dung tiêu chí đã đổi so với năm trước, hãy xem lại rồi xác nhận riêng "
                        "tiêu chí này.",
                    )
                return QCoreApplication.translate(
                    "ChecklistPage", "Cần xác nhận: kết quả chép từ năm trước, hãy xem lại rồi xác nhận."
                )
        return super().data(index, role)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802 - Qt override
        if not parent.isValid():
            return False  # a group is shown when one of its criteria is (recursive filtering)
        idx = self.sourceModel().index(row, 0, parent)
        c: CriterionView | None = idx.data(CriterionRole)
        if c is None:
            return False
        if self.mode == "unanswered" and c.status != scoring.ResultStatus.UNANSWERED.value:
            return False
        if self.mode == "evidence" and c.evidence_ok:
            return False
        if self.mode == "not-met" and c.status != scoring.ResultStatus.NOT_MET.value:
            return False
        if self.mode == "confirm" and not c.needs_confirmation:
            return False
        if self.words:
            hay = idx.data(SearchRole) or ""
            return all(w in hay for w in self.words)
        return True


def value_reader(c: CriterionView | None) -> Any:
    """The reader of a criterion's typed answer (percent, count, points within the maximum)."""
    if c is None:
        return lambda _text: entry.Entry()
    return lambda text: entry.read_value(c.kind, text, c.max_points)


class ResultDelegate(QStyledItemDelegate):
    """Kết quả column: a status combo for yes/no criteria, a checked line editor for the others.

    A number that is not valid (120 %, letters, 12,5 people) keeps the editor open with a red
    line under the cell; nothing is saved. Leaving the cell then drops the edit and says so once
    in the status bar (:attr:`refused`).
    """

    refused = Signal(str)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        c: CriterionView | None = index.data(CriterionRole)
        kind = index.data(KindRole)
        if kind == "yesno":
            combo = QComboBox(parent)
            combo.setObjectName("statusEditor")
            for st in STATUS_CHOICES:
                if st == scoring.ResultStatus.NOT_APPLICABLE and c is not None and c.mandatory:
                    continue
                combo.addItem(st.label, st.value)
            return combo
        editor = CheckedCellEditor(parent, value_reader(c))
        editor.setObjectName("valueEditor")
        editor.setPlaceholderText(
            {"percent": "0–100 %", "points": f"0–{format_number(c.max_points or 0)} điểm" if c else ""}.get(kind, "")
        )
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            i = editor.findData(value)
            editor.setCurrentIndex(max(i, 0))
        elif isinstance(editor, CheckedCellEditor):
            if editor.isModified():
                return  # a repaint while typing must not replace what is typed
            editor.setText(format_number(float(value)) if value is not None else "")
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, CheckedCellEditor):
            got = editor.check()
            if not got.ok:
                self.refused.emit(got.problem or "")
                return
            model.setData(index, got.value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        super().updateEditorGeometry(editor, option, index)
        if isinstance(editor, CheckedCellEditor) and editor.hint.isVisible():
            editor.place_hint()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Enter or Tab on a value that is not valid: say why under the cell and keep the editor open.
        if isinstance(obj, CheckedCellEditor) and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                if not obj.check().ok:
                    return True
        return super().eventFilter(obj, event)


def _local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[str]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class ChecklistTree(QTreeView):
    """The criteria tree; files dropped on a criterion row become its evidence."""

    files_dropped = Signal(list, str)  # paths, criterion code

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)  # drag events reach the view through its viewport
        self.setDropIndicatorShown(True)
        self.drops_enabled = True

    def criterion_at(self, pos: Any) -> CriterionView | None:
        idx = self.indexAt(pos)
        return idx.data(CriterionRole) if idx.isValid() else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self.drops_enabled and _local_files(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if self.drops_enabled and _local_files(event) and self.criterion_at(event.position().toPoint()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = _local_files(event)
        c = self.criterion_at(event.position().toPoint())
        if not (self.drops_enabled and paths and c is not None):
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.files_dropped.emit(paths, c.code)


class CriterionDetail(QWidget):
    """Everything about one criterion: guidance, answer, the four narrative parts, evidence."""

    def __init__(self, page: ChecklistPage) -> None:
        super().__init__(page)
        self.page = page
        self.criterion: CriterionView | None = None
        self._loading = False
        self.setAcceptDrops(True)
        self._build_ui()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 10)
        self.title_label = QLabel()
        self.title_label.setObjectName("criterionTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        f = self.title_label.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.title_label.setFont(f)
        lay.addWidget(self.title_label)
        self.meta_label = QLabel()
        self.meta_label.setWordWrap(True)
        self.meta_label.setStyleSheet("color: #555;")
        lay.addWidget(self.meta_label)
        self.guidance_label = QLabel()
        self.guidance_label.setObjectName("guidance")
        self.guidance_label.setWordWrap(True)
        self.guidance_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.guidance_label)

        answer = QFormLayout()
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("detailStatus")
        self.status_combo.activated.connect(self._on_status_combo_activated)
        answer.addRow(self.tr("Kết quả:"), self.status_combo)
        row = QWidget()
        rows = QVBoxLayout(row)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(2)
        rl = QHBoxLayout()
        rows.addLayout(rl)
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("detailValue")
        self.value_edit.setMaximumWidth(140)
        self.value_check = FieldCheck(self.value_edit, lambda text: value_reader(self.criterion)(text))
        self.value_saver = AutoSaveText(self.value_edit, self._save_value, check=self.value_check)
        self.value_unit = QLabel()
        self.na_check = QCheckBox(self.tr("Không áp dụng"))
        self.na_check.setObjectName("detailNotApplicable")
        self.na_check.clicked.connect(self._on_na_check_clicked)
        self.value_result = QLabel()
        rl.addWidget(self.value_edit)
        rl.addWidget(self.value_unit)
        rl.addWidget(self.value_result)
        rl.addStretch(1)
        rl.addWidget(self.na_check)
        rows.addWidget(self.value_check.hint)  # one line under the field when the number is not valid
        self.value_row = row
        answer.addRow(self.tr("Số liệu:"), row)
        self.answer_form = answer
        lay.addLayout(answer)
        self.confirm_button = QPushButton(self.tr("Xác nhận kết quả chép từ năm trước"))
        self.confirm_button.setObjectName("confirmButton")
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        lay.addWidget(self.confirm_button)
        self.reference_label = QLabel()
        self.reference_label.setObjectName("reference")
        self.reference_label.setWordWrap(True)
        self.reference_label.setStyleSheet("background: #f3f3f3; padding: 6px;")
        lay.addWidget(self.reference_label)

        ev_label = QLabel(self.tr("Minh chứng đã gắn (kéo thả tệp vào đây hoặc vào dòng tiêu chí để thêm):"))
        ev_label.setWordWrap(True)
        lay.addWidget(ev_label)
        self.evidence_list = QListWidget()
        self.evidence_list.setObjectName("linkedEvidence")
        self.evidence_list.setMaximumHeight(76)
        lay.addWidget(self.evidence_list)

        self.narrative: dict[str, AutoSaveText] = {}
        for key in NARRATIVE_FIELDS:
            lab = QLabel(self.tr(NARRATIVE_LABELS[key]) + ":")
            lay.addWidget(lab)
            edit = QPlainTextEdit()
            edit.setObjectName(key)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(64)
            edit.setMaximumHeight(110)
            lay.addWidget(edit)
            self.narrative[key] = AutoSaveText(edit, self._narrative_saver(key))
        lay.addStretch(1)

    # ------------------------------------------------------------------ dropping files
    def _accepts(self, event: Any) -> bool:
        return bool(self.criterion is not None and self.page.tree.drops_enabled and _local_files(event))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._accepts(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        self.dragEnterEvent(event)  # type: ignore[arg-type]

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        if not self._accepts(event):
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        assert self.criterion is not None
        self.page.files_dropped.emit(_local_files(event), self.criterion.code)

    # ------------------------------------------------------------------ showing
    def show_criterion(self, c: CriterionView | None, evidence_titles: dict[str, str], editable: bool) -> None:
        same = self.criterion is not None and c is not None and self.criterion.code == c.code
        if not same:
            self.flush()
            left = self.criterion
            if left is not None and self.value_check.problem:
                # the number typed for the criterion left behind was not valid: say so once, quietly
                self.page.message_shown.emit(
                    self.tr("Chưa lưu số liệu của tiêu chí {code}: {why}").format(code=left.code, why=self.value_check.problem)
                )
        self.criterion = c
        self._loading = True
        try:
            self.setEnabled(c is not None)
            if c is None:
                self.title_label.setText(self.tr("Chọn một tiêu chí ở bên trái để xem và đánh giá."))
                for w in (self.meta_label, self.guidance_label, self.reference_label):
                    w.setText("")
                self.reference_label.hide()
                self.confirm_button.hide()
                for saver in self.narrative.values():
                    saver.load("")
                self.value_saver.load("")
                self.evidence_list.clear()
                return
            self.title_label.setText(f"{c.code}. {c.title}")
            bits = [
                self.tr("Nhóm {g}: {t}").format(g=c.group_code, t=c.group_title),
                self.tr("Yêu cầu: {r}").format(r=c.requirement),
                self.tr("bắt buộc") if c.mandatory else self.tr("không bắt buộc"),
                self.tr("cần ít nhất {n} minh chứng").format(n=c.min_evidence),
            ]
            self.meta_label.setText(" · ".join(bits))
            self.guidance_label.setText(c.guidance or "")
            self.guidance_label.setVisible(bool(c.guidance))
            self.status_combo.clear()
            if c.kind == "yesno":
                for st in STATUS_CHOICES:
                    if st == scoring.ResultStatus.NOT_APPLICABLE and c.mandatory:
                        continue
                    self.status_combo.addItem(st.label, st.value)
                self.status_combo.setCurrentIndex(max(self.status_combo.findData(c.status), 0))
                self.status_combo.setEnabled(editable)
                self.answer_form.setRowVisible(self.value_row, False)
            else:
                self.status_combo.addItem(c.status_label, c.status)
                self.status_combo.setEnabled(False)
                self.answer_form.setRowVisible(self.value_row, True)
                if not (same and self.value_saver.pending and self.value_edit.hasFocus()):
                    self.value_saver.load(format_number(c.value) if c.value is not None else "")
                self.value_unit.setText({"percent": "%", "points": self.tr("điểm")}.get(c.kind, ""))
                self.value_result.setText(
                    self.tr("→ {s}, {p} điểm").format(s=c.status_label, p=format_number(c.score))
                    if c.max_points
                    else self.tr("→ {s}").format(s=c.status_label)
                )
                self.na_check.setVisible(not c.mandatory)
                self.na_check.setChecked(c.status == scoring.ResultStatus.NOT_APPLICABLE.value)
                self.na_check.setEnabled(editable)
                self.value_edit.setReadOnly(not editable)
            self.confirm_button.setVisible(c.needs_confirmation)
            self.confirm_button.setEnabled(editable)
            ref = self._reference_text(c)
            self.reference_label.setText(ref)
            self.reference_label.setVisible(bool(ref))
            for key, saver in self.narrative.items():
                saver.edit.setReadOnly(not editable)  # type: ignore[attr-defined]
                if saver.pending and saver.edit.hasFocus():
                    continue
                saver.load(getattr(c, key))
            self.evidence_list.clear()
            for code in c.evidence_codes:
                title = evidence_titles.get(code, "")
                self.evidence_list.addItem(f"{code} — {title}" if title else code)
            if not c.evidence_codes:
                self.evidence_list.addItem(
                    self.tr("(chưa có; thêm ở trang Minh chứng, cần ít nhất {n})").format(n=c.min_evidence)
                )
        finally:
            self._loading = False

    def _reference_text(self, c: CriterionView) -> str:
        """Last year's answer (carried over from an imported dossier), for comparison."""
        ref = c.reference
        if not ref:
            return ""
        parts = []
        old_title = ref.get("title")
        if old_title and old_title != c.title:
            parts.append(self.tr("Nội dung tiêu chí năm đó: «{t}»").format(t=old_title))
        label = ref.get("status_label")
        if not label and ref.get("status"):
            try:
                label = scoring.ResultStatus(ref["status"]).label
            except ValueError:
                label = None
        if label:
            parts.append(self.tr("Kết quả: {s}").format(s=label))
        for key, name in REFERENCE_LABELS.items():
            if key == "status_label":
                continue
            v = ref.get(key)
            if v in (None, ""):
                continue
            if key == "value" and isinstance(v, (int, float)):
                v = format_value(dataclasses.replace(c, value=float(v)))
            parts.append(f"{name}: {v}")
        if not parts:
            return ""
        year = ref.get("year")
        head = self.tr("Năm {y}").format(y=year) if year else self.tr("Năm trước")
        return head + " — " + "; ".join(parts)

    def flush(self) -> None:
        for saver in (*self.narrative.values(), self.value_saver):
            saver.flush()

    # ------------------------------------------------------------------ editing
    def _on_status_combo_activated(self, _index: int) -> None:
        c = self.criterion
        if c is None or self._loading or c.kind != "yesno":
            return
        value = self.status_combo.currentData()
        if value != c.status:
            self.page.answer(c.code, status=scoring.ResultStatus(value))

    def _on_na_check_clicked(self, on: bool) -> None:
        c = self.criterion
        if c is None or self._loading:
            return
        if on:
            self.page.answer(c.code, status=scoring.ResultStatus.NOT_APPLICABLE)
        elif c.value is not None:
            self.page.answer(c.code, value=c.value)
        else:
            self.page.answer(c.code, status=scoring.ResultStatus.UNANSWERED)

    def _save_value(self, _old: str, new: str) -> None:
        c = self.criterion
        if c is None:
            return
        value = value_reader(c)(new).value  # checked already (AutoSaveText saves valid text only)
        if value is None:
            self.page.answer(c.code, status=scoring.ResultStatus.UNANSWERED, raise_errors=True)
            return
        self.page.answer(c.code, value=float(value), raise_errors=True)

    def _narrative_saver(self, key: str) -> Any:
        return lambda old, new: self._save_narrative(key, old, new)

    def _save_narrative(self, key: str, old: str, new: str) -> None:
        c = self.criterion
        doc, year = self.page.ctx.doc, self.page.ctx.year
        if c is None or doc is None or year is None:
            return
        code = c.code
        self.page.ctx.push(
            self.tr("sửa «{part}» của tiêu chí {code}").format(part=NARRATIVE_LABELS[key], code=code),
            lambda: crit.set_result(doc, year, code, narrative={key: new}, confirm=False),
            lambda: crit.set_result(doc, year, code, narrative={key: old}, confirm=False),
            reveal=lambda: self.page.select_code(code),
        )

    def _on_confirm_button_clicked(self) -> None:
        c = self.criterion
        doc, year = self.page.ctx.doc, self.page.ctx.year
        if c is None or doc is None or year is None:
            return
        try:
            self.page.ctx.write(lambda d: crit.confirm(d, year, [c.code]))
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.page.ctx.emit_changes(docsvc.Changes(criterion_codes=(c.code,)))


class ChecklistPage(Page):
    """The criteria of the period; the overall result on top updates with every answer."""

    title = "Tiêu chí"
    files_dropped = Signal(list, str)  # paths dropped on a criterion (the window adds them as evidence)
    message_shown = Signal(str)  # a short note for the window's status bar

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.current_code: str | None = None
        self.criteria: tuple[CriterionView, ...] = ()  # as last shown
        self._evidence_titles: dict[str, str] = {}
        self._build_ui()
        self.reload()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 0)
        self.overall_label = QLabel()
        self.overall_label.setObjectName("overallResult")
        self.overall_label.setWordWrap(True)
        f = self.overall_label.font()
        f.setPointSizeF(f.pointSizeF() * 1.1)
        self.overall_label.setFont(f)
        lay.addWidget(self.overall_label)
        bar = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search")
        self.search_edit.setPlaceholderText(self.tr("Tìm theo mã, tên hoặc hướng dẫn (gõ không dấu cũng được)… Ctrl+F"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("filter")
        for key, label in FILTERS:
            self.filter_combo.addItem(self.tr(label), key)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(QLabel(self.tr("Hiển thị:")))
        bar.addWidget(self.filter_combo)
        lay.addLayout(bar)
        self.search_note = QLabel()
        self.search_note.setObjectName("searchNote")
        self.search_note.setStyleSheet("color: #555;")
        self.search_note.hide()
        lay.addWidget(self.search_note)

        self.act_confirm_all = QAction(confirm_icon(), self.tr("Xác nhận tất cả tiêu chí không đổi"), self)
        self.act_confirm_all.setObjectName("confirmAllUnchanged")
        self.act_confirm_all.triggered.connect(self.confirm_all_unchanged)
        self.confirm_row = QWidget()
        self.confirm_row.setObjectName("confirmRow")
        cr = QHBoxLayout(self.confirm_row)
        cr.setContentsMargins(0, 0, 0, 0)
        self.confirm_label = QLabel()
        self.confirm_label.setObjectName("confirmSummary")
        self.confirm_label.setWordWrap(True)
        self.confirm_label.setStyleSheet(f"color: {CONFIRM_COLOUR};")
        self.confirm_all_button = QToolButton()
        self.confirm_all_button.setObjectName("confirmAllButton")
        self.confirm_all_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.confirm_all_button.setDefaultAction(self.act_confirm_all)
        cr.addWidget(self.confirm_label, 1)
        cr.addWidget(self.confirm_all_button)
        self.confirm_row.hide()
        lay.addWidget(self.confirm_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = ChecklistModel(self)
        self.model.answer = self.answer
        self.proxy = ChecklistFilter(self)
        self.proxy.setSourceModel(self.model)
        self.tree = ChecklistTree()
        self.tree.files_dropped.connect(self.files_dropped)
        self.tree.setObjectName("checklistTree")
        self.tree.setModel(self.proxy)
        self.result_delegate = ResultDelegate(self.tree)
        self.result_delegate.refused.connect(
            lambda why: self.message_shown.emit(self.tr("Chưa lưu kết quả vừa gõ: {why}").format(why=why))
        )
        self.tree.setItemDelegateForColumn(COL_RESULT, self.result_delegate)
        self.tree.setAlternatingRowColors(True)
        self.tree.setIndentation(14)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        for col, width in ((COL_CODE, CODE_WIDTH), (COL_REQUIREMENT, 88), (COL_RESULT, 122), (COL_SCORE, 50), (COL_EVIDENCE, 84)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.tree.selectionModel().currentRowChanged.connect(self._on_tree_current_changed)
        self.proxy.modelReset.connect(self.tree.expandAll)
        self.proxy.layoutChanged.connect(self.tree.expandAll)
        self.proxy.rowsInserted.connect(lambda *_: self.tree.expandAll())
        self.splitter.addWidget(self.tree)
        self.detail = CriterionDetail(self)
        scroll = QScrollArea()
        scroll.setObjectName("detailScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.detail)
        scroll.setMinimumWidth(320)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([730, 400])
        state = settings.get(settings.CHECKLIST_SPLITTER)
        if not state.isEmpty():
            self.splitter.restoreState(state)
        self.splitter.splitterMoved.connect(
            lambda *_: settings.put(settings.CHECKLIST_SPLITTER, self.splitter.saveState())
        )
        lay.addWidget(self.splitter, 1)

    # ------------------------------------------------------------------ showing
    def reload(self) -> None:
        doc, year = self.ctx.doc, self.ctx.year
        editable = doc is not None and not doc.read_only
        self.model.editable = editable
        self.tree.drops_enabled = editable
        if doc is None or year is None:
            self.model.set_checklist(None)
            self.criteria = ()
            self._update_confirm_row((), False)
            self.overall_label.setText(self.tr("Chưa mở tài liệu nào."))
            self.current_code = None
            self.detail.show_criterion(None, {}, False)
            return
        cl, summary = self.ctx.read(crit.checklist_with_summary, year)
        self.ctx.cache_summary(year, summary)
        self.criteria = cl.criteria
        self.model.set_checklist(cl)
        self._update_confirm_row(cl.criteria, editable)
        self._evidence_titles = {e.code: e.title for e in self.ctx.read(evsvc.list_evidence, year)}
        self._show_overall(summary)
        if self.current_code is None or self.model.criterion(self.current_code) is None:
            first = cl.criteria[0].code if cl.criteria else None
            self.select_code(first) if first else None
            if first is None:
                self.current_code = None
        self._show_current()

    def on_document_changed(self, changes: Any) -> None:
        """Answers, text or links of some criteria: repaint those rows, their groups and the result only."""
        if not isinstance(changes, docsvc.Changes) or changes == docsvc.Changes() or changes.period_ids or changes.unit:
            self.reload()  # the period itself or anything: read it all again
            return
        if not (changes.criterion_codes or changes.evidence_ids):
            return  # tables, Quy ước: nothing shown here
        doc, year = self.ctx.doc, self.ctx.year
        if doc is None or year is None:
            return
        cl, summary = self.ctx.read(crit.checklist_with_summary, year)
        self.ctx.cache_summary(year, summary)
        self.criteria = cl.criteria
        if changes.evidence_ids:  # titles of linked evidence shown in the detail pane
            self._evidence_titles = {e.code: e.title for e in self.ctx.read(evsvc.list_evidence, year)}
        if not self.model.update_rows(cl, changes.criterion_codes):
            self.reload()
            return
        self._update_confirm_row(cl.criteria, not doc.read_only)
        self._show_overall(summary)
        if self.current_code in changes.criterion_codes or changes.evidence_ids:
            self._show_current()

    def _show_overall(self, summary: Any) -> None:
        r = summary.readiness
        points = (
            self.tr(" · Điểm kiểu mẫu: {p}/{m}").format(p=format_number(summary.total_points), m=format_number(summary.max_points))
            if summary.max_points
            else ""
        )
        self.overall_label.setText(
            self.tr("Kết quả tự đánh giá năm {year}: <b>{label}</b> · Đã đánh giá {a}/{t} · Đủ minh chứng {e}/{t}").format(
                year=summary.period.label, label=summary.result_label, a=r.answered, e=r.evidence_ok, t=r.total
            )
            + points
        )

    def _update_confirm_row(self, criteria: Any, editable: bool) -> None:
        pending = [c for c in criteria if c.needs_confirmation]
        bulk = [c for c in pending if bulk_confirmable(c)]
        if bool(pending) != self.confirm_row.isVisibleTo(self):
            # room for the «?» mark beside codes such as "KM.10"
            self.tree.header().resizeSection(COL_CODE, CODE_WIDTH_MARKED if pending else CODE_WIDTH)
        self.confirm_row.setVisible(bool(pending))
        self.act_confirm_all.setEnabled(editable and bool(bulk))
        if not pending:
            return
        changed = len(pending) - len(bulk)
        if bulk:
            text = self.tr(
                "{n} tiêu chí mang kết quả năm trước đang chờ xác nhận (đánh dấu «?» trong danh sách)."
            ).format(n=len(pending))
            if changed:
                text += " " + self.tr("Trong đó {n} tiêu chí đổi nội dung phải xác nhận riêng từng tiêu chí.").format(
                    n=changed
                )
        else:
            text = self.tr(
                "{n} tiêu chí đổi nội dung so với năm trước đang chờ xác nhận (đánh dấu «?»): chọn từng tiêu chí, "
                "xem lại rồi bấm «Xác nhận kết quả chép từ năm trước»."
            ).format(n=len(pending))
        self.confirm_label.setText(text)
        if not editable:
            tip = self.tr("Tài liệu đang mở ở chế độ chỉ đọc.")
        elif bulk:
            tip = self.tr(
                "Xác nhận một lần {n} tiêu chí có nội dung giống năm trước; tiêu chí đổi nội dung để lại xác nhận riêng."
            ).format(n=len(bulk))
        else:
            tip = self.tr("Các tiêu chí còn lại đều đổi nội dung: chọn từng tiêu chí, xem lại rồi bấm xác nhận.")
        self.act_confirm_all.setToolTip(tip)

    def confirm_all_unchanged(self) -> list[str]:
        """Confirm every carried-over criterion whose wording did not change, in one action."""
        doc, year = self.ctx.doc, self.ctx.year
        if doc is None or year is None:
            return []
        self.flush()
        try:
            items = self.ctx.read(crit.bulk_confirm_preview, year)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return []
        if items:
            from ui.dialogs.confirm_all_dialog import ConfirmAllDialog

            label = self.ctx.period_summary(year).period.label
            dialog = ConfirmAllDialog(items, label, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return []  # «Để sau»: nothing confirmed
            codes = dialog.codes()
        else:
            codes = []
        try:
            done = self.ctx.write(lambda d: crit.confirm(d, year, codes)) if codes else []
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return []
        self.ctx.emit_changes(docsvc.Changes(criterion_codes=tuple(done)))  # the pages reload on it
        left = [c.code for c in self.criteria if c.needs_confirmation]
        if done:
            text = self.tr("Đã xác nhận {n} tiêu chí không đổi so với năm trước.").format(n=len(done))
        else:
            text = self.tr("Không có tiêu chí nào xác nhận được một lần.")
        if left:
            listed = ", ".join(left[:8]) + (", …" if len(left) > 8 else "")
            text += " " + self.tr(
                "Còn {n} tiêu chí đổi nội dung cần xác nhận từng tiêu chí: {codes} (lọc «Cần xác nhận» để xem)."
            ).format(n=len(left), codes=listed)
        self.message_shown.emit(text)
        return done

    def _show_current(self) -> None:
        c = self.model.criterion(self.current_code) if self.current_code else None
        doc = self.ctx.doc
        self.detail.show_criterion(c, self._evidence_titles, doc is not None and not doc.read_only)

    def select_code(self, code: str) -> None:
        """Select criterion ``code`` in the tree (shows it in the detail pane)."""
        self.current_code = code
        src = self.model.index_of(code)
        idx = self.proxy.mapFromSource(src)
        if idx.isValid():
            self.tree.setCurrentIndex(idx)
            self.tree.scrollTo(idx)
        self._show_current()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def flush(self) -> None:
        self.detail.flush()

    def visible_codes(self) -> list[str]:
        """Codes of the criteria the filter and search let through, in order."""
        out = []
        for g in range(self.proxy.rowCount()):
            gi = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(gi)):
                c = self.proxy.index(r, 0, gi).data(CriterionRole)
                if c is not None:
                    out.append(c.code)
        return out

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        c = current.data(CriterionRole) if current.isValid() else None
        if c is not None and c.code != self.current_code:
            self.current_code = c.code
            self._show_current()

    def _on_search_edit_text_changed(self, text: str) -> None:
        self.proxy.set_query(text)
        self.tree.expandAll()
        self._show_search_note()

    def _show_search_note(self) -> None:
        """How many criteria the search found, and how many only through their guidance."""
        if not self.proxy.words:
            self.search_note.hide()
            return
        found = by_guidance = 0
        for g in range(self.proxy.rowCount()):
            gi = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(gi)):
                found += 1
                by_guidance += int(self.proxy.guidance_only(self.proxy.mapToSource(self.proxy.index(r, 0, gi))))
        if not found:
            text = self.tr("Không tìm thấy tiêu chí nào.")
        elif by_guidance:
            text = self.tr(
                "Tìm thấy {n} tiêu chí; {k} tiêu chí chỉ khớp trong phần hướng dẫn (tên in nghiêng)."
            ).format(n=found, k=by_guidance)
        else:
            text = self.tr("Tìm thấy {n} tiêu chí.").format(n=found)
        self.search_note.setText(text)
        self.search_note.show()

    def _on_filter_combo_changed(self, _index: int) -> None:
        self.proxy.set_mode(self.filter_combo.currentData())
        self.tree.expandAll()
        self._show_search_note()

    # ------------------------------------------------------------------ editing
    def answer(
        self,
        code: str,
        *,
        status: scoring.ResultStatus | None = None,
        value: float | None = None,
        raise_errors: bool = False,
    ) -> None:
        """Record an answer (undoable). Bad input is shown, or raised when ``raise_errors``."""
        doc, year = self.ctx.doc, self.ctx.year
        if doc is None or year is None:
            return
        old = self.model.criterion(code)
        if old is None:
            return
        if status is None and value is None:
            return
        what = status.label if status is not None and value is None else format_value(dataclasses.replace(old, value=value))
        try:
            self.ctx.push(
                self.tr("đánh giá tiêu chí {code}: {what}").format(code=code, what=what),
                lambda: crit.set_result(doc, year, code, status=status, value=value),
                lambda: restore_answer(doc, year, old),
                reveal=lambda: self.select_code(code),
            )
        except Exception as exc:  # noqa: BLE001 - bad input: tell the officer, keep the old answer
            if raise_errors:
                raise
            show_error(self, exc)
            self.reload()
