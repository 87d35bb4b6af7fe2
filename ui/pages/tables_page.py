"""A page of one or more of the unit's simple tables (committee and plan, activities and awards, conduct)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from khoiapp.errors import KhoiError
from khoiapp.services import content, templates
from khoiapp.services.document import Changes
from ui.context import AppContext
from ui.pages.base import Page
from ui.widgets.row_table import RowTable


def _tr(text: str) -> str:
    return QCoreApplication.translate("TablesPage", text)


def page_title(keys: tuple[str, ...]) -> str:
    """The navigation title of a page showing ``keys``."""
    known = {
        ("committee", "plan"): _tr("Ban chỉ đạo và kế hoạch"),
        ("activity", "award"): _tr("Hoạt động và khen thưởng"),
        ("conduct",): _tr("Quy tắc ứng xử"),
    }
    if keys in known:
        return known[keys]
    labels = [content.TABLES[k].label for k in keys]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + _tr(" và ") + labels[-1].lower()


SECTION_HINTS = {
    "committee": "Thành viên Ban chỉ đạo xây dựng cơ quan, đơn vị văn hóa và phân công phụ trách.",
    "plan": "Các nội dung trọng tâm, người phụ trách và thời hạn. Dòng tô đỏ nhạt là việc đã quá hạn mà chưa hoàn thành.",
    "activity": "Hội nghị, buổi nói chuyện, tin bài, việc làm theo gương Bác… trong năm.",
    "award": "Bằng khen, giấy khen, danh hiệu thi đua của tập thể và cá nhân trong năm.",
    "conduct": "Các chuẩn mực ứng xử của đơn vị theo từng nhóm. Đánh dấu «Đã niêm yết» khi đã niêm yết công khai.",
}


class TablesPage(Page):
    """One section (heading + editable table) per table key, stacked in a splitter."""

    title = ""

    def __init__(self, ctx: AppContext, keys: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.keys = tuple(keys)
        self.title = page_title(self.keys)
        self.tables: dict[str, RowTable] = {}
        self.summaries: dict[str, QLabel] = {}
        self._sized_for: tuple[Any, ...] = ()
        self._build_ui()
        self.reload()

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        heading = QLabel(self.title)
        heading.setObjectName("pageHeading")
        f = heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.35)
        f.setBold(True)
        heading.setFont(f)
        lay.addWidget(heading)
        self.empty_label = QLabel(self.tr("Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu để nhập nội dung."))
        self.empty_label.setWordWrap(True)
        lay.addWidget(self.empty_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        for key in self.keys:
            spec = content.TABLES[key]
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 6, 0, 0)
            if len(self.keys) > 1 or spec.label != self.title:  # no second heading saying the same
                label = QLabel(spec.label)
                lf = label.font()
                lf.setPointSizeF(lf.pointSizeF() * 1.15)
                lf.setBold(True)
                label.setFont(lf)
                bl.addWidget(label)
            hint = QLabel(self.tr(SECTION_HINTS.get(key, "")))
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")
            bl.addWidget(hint)
            table = RowTable(self.ctx, key, box)
            table.setObjectName(f"table_{key}")
            if key == "conduct":
                row = QHBoxLayout()
                self.conduct_template_button = QPushButton(self.tr("Thêm bộ quy tắc mẫu"))
                self.conduct_template_button.setObjectName("conductTemplate")
                self.conduct_template_button.setToolTip(
                    self.tr("Thêm các quy tắc mẫu theo từng nhóm ứng xử (căn cứ QĐ 129/2007/QĐ-TTg, QĐ 1847/QĐ-TTg) để sửa cho phù hợp")
                )
                self.conduct_template_button.clicked.connect(self.add_conduct_template)
                row.addWidget(self.conduct_template_button)
                row.addStretch(1)
                from ui.widgets.document_number import DocumentNumberEdit

                row.addWidget(QLabel(self.tr("Số văn bản ban hành Bộ quy tắc:")))
                self.conduct_number_edit = DocumentNumberEdit(self.ctx, "conduct_number")
                self.conduct_number_edit.setMinimumWidth(300)
                row.addWidget(self.conduct_number_edit)
                bl.addLayout(row)
                table.rows_changed.connect(self._update_template_button)
            bl.addWidget(table, 1)
            if key == "activity":
                summary = QLabel()
                summary.setWordWrap(True)
                bl.addWidget(summary)
                self.summaries[key] = summary
                table.rows_changed.connect(self._update_activity_summary)
            self.tables[key] = table
            splitter.addWidget(box)
        lay.addWidget(splitter, 1)
        self.splitter = splitter

    def reload(self) -> None:
        has_doc = self.ctx.doc is not None
        self.empty_label.setVisible(not has_doc)
        self.splitter.setEnabled(has_doc)
        for table in self.tables.values():
            table.reload()
        key = (id(self.ctx.doc), self.ctx.year, self.isVisible())
        if len(self.tables) > 1 and key != self._sized_for:
            # Share the height by how much each table holds, once per document and period shown
            # (the user's own dragging of the divider is kept across edits).
            self._sized_for = key
            weights = [max(3, len(t.rows())) + 4 for t in self.tables.values()]
            total = max(1, self.splitter.height())
            self.splitter.setSizes([int(total * w / sum(weights)) for w in weights])

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if len(self.tables) > 1 and self._sized_for[2:] != (True,):
            self.reload()

    def on_document_changed(self, changes: Any) -> None:
        touched = getattr(changes, "tables", ())
        if changes == Changes() or getattr(changes, "unit", False) or getattr(changes, "period_ids", ()):
            self.reload()  # an unspecific change: re-read everything
            return
        for key in touched:
            if key in self.tables:
                self.tables[key].reload()

    def _update_template_button(self) -> None:
        table = self.tables.get("conduct")
        doc = self.ctx.doc
        if table is None or not hasattr(self, "conduct_template_button"):
            return
        self.conduct_template_button.setVisible(doc is not None and not doc.read_only and not table.rows())

    def add_conduct_template(self) -> bool:
        """Fill an empty code of conduct with the sample rules (undoable: undo removes them)."""
        doc = self.ctx.doc
        if doc is None:
            return False
        added: list[int] = []

        def do() -> Changes:
            ids, changes = templates.conduct_from_template(doc)
            added[:] = ids
            return changes

        def undo() -> Changes:
            for rid in added:
                content.delete_row(doc, "conduct", rid)
            return Changes(tables=("conduct",))

        try:
            self.ctx.push(self.tr("Thêm bộ quy tắc ứng xử mẫu"), do, undo)
        except KhoiError as exc:
            from ui.errors import show_error

            show_error(self, exc)
            return False
        return True

    def _update_activity_summary(self) -> None:
        label = self.summaries.get("activity")
        table = self.tables.get("activity")
        if label is None or table is None:
            return
        rows = table.rows()
        if not rows:
            label.setText("")
            return
        totals = content.activity_totals(rows)
        people = sum(t["participants"] for t in totals.values())
        qty = sum(t["quantity"] for t in totals.values())
        label.setText(
            self.tr("Tổng cộng: {n} hoạt động, {p} lượt người tham gia, {q} tin bài, việc làm…").format(
                n=len(rows), p=f"{people:,}".replace(",", "."), q=f"{qty:,}".replace(",", ".")
            )
        )
