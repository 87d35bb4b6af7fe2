"""The Quy ước editor: chapters and articles, reordering, and versions adopted year after year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khoiapp.errors import KhoiError
from khoiapp.services import content
from khoiapp.services import document as docsvc
from khoiapp.services import templates
from khoiapp.services.content import ChapterView, ConventionView
from khoiapp.services.document import Changes
from ui.context import AppContext
from ui.errors import show_error
from ui.pages.base import AutoSaveText, Page
from ui.widgets.row_table import EMPTY_DATE, OptionalDateEdit, format_date

KindRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

CHAPTER, ARTICLE = "ch", "ar"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConventionPage", text)


def roman(n: int) -> str:
    """Chapter numbers as Vietnamese legal texts write them: I, II, III, IV…"""
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def default_title(unit: Any) -> str:
    """A sensible first title, e.g. «Quy ước xây dựng cơ quan văn hóa Sở Tư pháp tỉnh Thanh Hóa»."""
    if unit is None:
        return _tr("Quy ước xây dựng cơ quan văn hóa")
    kind = (unit.unit_type_label or _tr("Cơ quan")).lower()
    return _tr("Quy ước xây dựng {kind} văn hóa {name}").format(kind=kind, name=unit.name).strip()


class ConventionPage(Page):
    """Edits the current Quy ước; older versions are shown read-only."""

    title = "Quy ước"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.title = self.tr("Quy ước")
        self.versions: list[ConventionView] = []
        self.shown: ConventionView | None = None
        self._viewing_version: int | None = None  # None: the current (latest) version
        self._ch_alias: dict[int, int] = {}
        self._ar_alias: dict[int, int] = {}
        self._editing: tuple[str, int] | None = None  # what the side editor shows (kind, id as created)
        self._loading = False
        self._build_ui()
        self._wire()
        self.reload()

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        heading = QLabel(self.tr("Quy ước"))
        hf = heading.font()
        hf.setPointSizeF(hf.pointSizeF() * 1.35)
        hf.setBold(True)
        heading.setFont(hf)
        top.addWidget(heading)
        top.addStretch(1)
        self.version_label = QLabel(self.tr("Phiên bản:"))
        top.addWidget(self.version_label)
        self.version_combo = QComboBox()
        self.version_combo.setMinimumWidth(220)
        self.version_combo.setToolTip(self.tr("Các phiên bản cũ chỉ để xem"))
        top.addWidget(self.version_combo)
        self.new_version_button = QPushButton(self.tr("Phiên bản mới"))
        self.new_version_button.setToolTip(
            self.tr("Tạo phiên bản mới (chép từ phiên bản hiện hành) khi Hội nghị thông qua Quy ước sửa đổi")
        )
        top.addWidget(self.new_version_button)
        lay.addLayout(top)

        self.stack = QStackedWidget()
        # -- no Quy ước yet
        empty = QWidget()
        el = QVBoxLayout(empty)
        el.addStretch(1)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        el.addWidget(self.empty_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.template_button = QPushButton(self.tr("Tạo từ Quy ước mẫu"))
        self.template_button.setObjectName("conventionTemplate")
        self.template_button.setToolTip(
            self.tr(
                "Tạo Quy ước theo bố cục thường dùng (4 chương: quy định chung; nội dung; khen thưởng và xử lý "
                "vi phạm; tổ chức thực hiện) để đơn vị sửa cho phù hợp"
            )
        )
        row.addWidget(self.template_button)
        self.create_button = QPushButton(self.tr("Tạo Quy ước trống"))
        self.create_button.setToolTip(self.tr("Tạo Quy ước với tên mặc định theo tên đơn vị; có thể sửa tên sau"))
        row.addWidget(self.create_button)
        row.addStretch(1)
        el.addLayout(row)
        el.addStretch(2)
        self.stack.addWidget(empty)

        # -- the editor
        main = QWidget()
        ml = QVBoxLayout(main)
        ml.setContentsMargins(0, 0, 0, 0)
        self.old_banner = QLabel()
        self.old_banner.setWordWrap(True)
        self.old_banner.setStyleSheet(
            "QLabel { background: #fff4d6; border: 1px solid #e0c068; border-radius: 4px; padding: 4px 8px; color: #5a4500; }"
        )
        ml.addWidget(self.old_banner)
        head = QFormLayout()
        self.conv_title_edit = QLineEdit()
        self.conv_title_edit.setMaxLength(500)
        title_row = QHBoxLayout()
        title_row.addWidget(self.conv_title_edit, 1)
        title_row.addWidget(QLabel(self.tr("Số:")))
        from ui.widgets.document_number import DocumentNumberEdit

        self.convention_number_edit = DocumentNumberEdit(self.ctx, "convention_number")
        self.convention_number_edit.setMinimumWidth(220)
        self.convention_number_edit.setMaximumWidth(260)
        title_row.addWidget(self.convention_number_edit)
        head.addRow(self.tr("Tên Quy ước"), title_row)
        meta = QHBoxLayout()
        self.adopted_on_edit = OptionalDateEdit(empty_text=self.tr("(chưa có)"))
        self.adopted_on_edit.setToolTip(self.tr("Ngày Hội nghị thông qua Quy ước (ngày/tháng/năm)"))
        meta.addWidget(self.adopted_on_edit)
        meta.addSpacing(12)
        meta.addWidget(QLabel(self.tr("Thông qua tại")))
        self.adopted_at_edit = QLineEdit()
        self.adopted_at_edit.setPlaceholderText(self.tr("ví dụ: Hội nghị viên chức, người lao động năm 2026"))
        meta.addWidget(self.adopted_at_edit, 1)
        head.addRow(self.tr("Ngày thông qua"), meta)
        ml.addLayout(head)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setToolTip(self.tr("Chọn chương hoặc điều để sửa ở bên phải"))
        ll.addWidget(self.tree, 1)
        st = self.style()
        bar1 = QHBoxLayout()
        self.add_chapter_button = QPushButton(self.tr("Thêm chương"))
        self.add_chapter_button.setToolTip(self.tr("Thêm một chương vào cuối Quy ước"))
        self.add_article_button = QPushButton(self.tr("Thêm điều"))
        self.add_article_button.setToolTip(self.tr("Thêm một điều vào chương đang chọn"))
        bar1.addWidget(self.add_chapter_button)
        bar1.addWidget(self.add_article_button)
        bar1.addStretch(1)
        ll.addLayout(bar1)
        bar2 = QHBoxLayout()
        self.rename_button = QPushButton(self.tr("Đổi tên"))
        self.rename_button.setToolTip(self.tr("Sửa tên chương hoặc điều đang chọn (F2)"))
        self.rename_button.setShortcut("F2")
        self.delete_button = QPushButton(st.standardIcon(QStyle.StandardPixmap.SP_TrashIcon), self.tr("Xóa"))
        self.delete_button.setToolTip(self.tr("Xóa chương hoặc điều đang chọn (có thể hoàn tác bằng Ctrl+Z)"))
        self.up_button = QToolButton()
        self.up_button.setIcon(st.standardIcon(QStyle.StandardPixmap.SP_ArrowUp))
        self.up_button.setToolTip(self.tr("Chuyển lên trên"))
        self.down_button = QToolButton()
        self.down_button.setIcon(st.standardIcon(QStyle.StandardPixmap.SP_ArrowDown))
        self.down_button.setToolTip(self.tr("Chuyển xuống dưới"))
        for b in (self.rename_button, self.delete_button, self.up_button, self.down_button):
            bar2.addWidget(b)
        bar2.addStretch(1)
        ll.addLayout(bar2)
        split.addWidget(left)

        self.editor_stack = QStackedWidget()
        hint = QLabel(self.tr("Chọn một chương hoặc một điều ở bên trái để sửa.\nMọi thay đổi được lưu ngay."))
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        self.editor_stack.addWidget(hint)
        chap = QWidget()
        cl = QFormLayout(chap)
        self.chapter_number_label = QLabel()
        self.chapter_title_edit = QLineEdit()
        self.chapter_title_edit.setMaxLength(500)
        cl.addRow(self.chapter_number_label, self.chapter_title_edit)
        self.editor_stack.addWidget(chap)
        art = QWidget()
        al = QVBoxLayout(art)
        al.setContentsMargins(0, 0, 0, 0)
        arow = QHBoxLayout()
        self.article_number_label = QLabel()
        arow.addWidget(self.article_number_label)
        self.article_title_edit = QLineEdit()
        self.article_title_edit.setMaxLength(500)
        arow.addWidget(self.article_title_edit, 1)
        al.addLayout(arow)
        self.article_body_edit = QPlainTextEdit()
        self.article_body_edit.setPlaceholderText(self.tr("Nội dung của điều…"))
        self.article_body_edit.setTabChangesFocus(True)
        al.addWidget(self.article_body_edit, 1)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #555;")
        al.addWidget(self.saved_label)
        self.editor_stack.addWidget(art)
        split.addWidget(self.editor_stack)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([430, 660])
        ml.addWidget(split, 1)
        self.stack.addWidget(main)
        lay.addWidget(self.stack, 1)
        self.body_saver = AutoSaveText(self.article_body_edit, self._save_body, delay_ms=1200)

    def _wire(self) -> None:
        self.create_button.clicked.connect(lambda: self.create_convention())
        self.template_button.clicked.connect(lambda: self.create_from_template())
        self.new_version_button.clicked.connect(self._on_new_version_clicked)
        self.version_combo.activated.connect(self._on_version_combo_activated)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.add_chapter_button.clicked.connect(self._on_add_chapter_clicked)
        self.add_article_button.clicked.connect(self._on_add_article_clicked)
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.conv_title_edit.editingFinished.connect(lambda: self._on_header_edited("title"))
        self.adopted_at_edit.editingFinished.connect(lambda: self._on_header_edited("adopted_at"))
        self.adopted_on_edit.editingFinished.connect(lambda: self._on_header_edited("adopted_on"))
        self.chapter_title_edit.editingFinished.connect(self._commit_chapter_title)
        self.article_title_edit.editingFinished.connect(self._commit_article_title)

    # ------------------------------------------------------------------ reading
    @property
    def current(self) -> ConventionView | None:
        """The latest version (the one edited)."""
        return self.versions[-1] if self.versions else None

    @property
    def editable(self) -> bool:
        return (
            not self.read_only
            and self.shown is not None
            and self.current is not None
            and self.shown.id == self.current.id
        )

    def reload(self) -> None:
        doc = self.ctx.doc
        keep = self._selected_key()
        self.versions = []
        if doc is not None:
            try:
                self.versions = self.ctx.read(content.convention_versions)
            except KhoiError:
                self.versions = []
        if self._viewing_version is not None and all(v.version != self._viewing_version for v in self.versions):
            self._viewing_version = None
        self.shown = next((v for v in self.versions if v.version == self._viewing_version), self.current)
        self._loading = True
        try:
            self._fill_versions()
            self._fill_header()
            self._fill_tree(keep)
        finally:
            self._loading = False
        if self.shown is None:
            self.stack.setCurrentIndex(0)
            if doc is None:
                self.empty_label.setText(self.tr("Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu trước."))
            else:
                self.empty_label.setText(
                    self.tr("Đơn vị chưa có Quy ước trong tài liệu này.\nBấm «Tạo Quy ước» để bắt đầu soạn theo chương, điều.")
                )
            self.create_button.setEnabled(not self.read_only)
            self.template_button.setEnabled(not self.read_only)
        else:
            self.stack.setCurrentIndex(1)
        self.new_version_button.setEnabled(not self.read_only and self.current is not None)
        for w in (self.version_label, self.version_combo, self.new_version_button):
            w.setVisible(self.current is not None)
        self.version_combo.setEnabled(len(self.versions) > 1)
        self._sync_editor()
        self._update_buttons()

    def _fill_versions(self) -> None:
        self.version_combo.clear()
        for v in reversed(self.versions):
            label = self.tr("Phiên bản {n}").format(n=v.version)
            if self.current is not None and v.id == self.current.id:
                label += self.tr(" (hiện hành)")
            if v.adopted_on:
                label += f" – {format_date(v.adopted_on)}"
            self.version_combo.addItem(label, v.version)
        if self.shown is not None:
            self.version_combo.setCurrentIndex(max(0, self.version_combo.findData(self.shown.version)))

    def _fill_header(self) -> None:
        c = self.shown
        for edit, text in ((self.conv_title_edit, c.title if c else ""), (self.adopted_at_edit, c.adopted_at if c else "")):
            if edit.text() != text:
                edit.setText(text)
                edit.setCursorPosition(0)
        d = c.adopted_on if c else None
        self.adopted_on_edit.setDate(QDate(d.year, d.month, d.day) if d else EMPTY_DATE)
        ro = not self.editable
        for w in (self.conv_title_edit, self.adopted_at_edit):
            w.setReadOnly(ro)
        self.adopted_on_edit.setReadOnly(ro)
        if c is not None and self.current is not None and c.id != self.current.id:
            self.old_banner.setText(
                self.tr("Đang xem phiên bản {old} (phiên bản cũ, chỉ để xem). Chọn phiên bản {cur} để sửa.").format(
                    old=c.version, cur=self.current.version
                )
            )
            self.old_banner.show()
        elif c is not None and c.inherited:
            self.old_banner.setText(self.tr("Quy ước này kế thừa từ hồ sơ năm trước. Sửa nếu Hội nghị đã thông qua nội dung mới."))
            self.old_banner.show()
        else:
            self.old_banner.hide()

    def _fill_tree(self, keep: tuple[str, int] | None) -> None:
        self.tree.clear()
        c = self.shown
        if c is None:
            return
        n_article = 0
        select: QTreeWidgetItem | None = None
        for ch in c.chapters:
            top = QTreeWidgetItem([self.tr("Chương {n}. {title}").format(n=roman(ch.position), title=ch.title)])
            top.setData(0, KindRole, CHAPTER)
            top.setData(0, IdRole, ch.id)
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            self.tree.addTopLevelItem(top)
            if keep == (CHAPTER, ch.id):
                select = top
            for a in ch.articles:
                n_article += 1
                it = QTreeWidgetItem([self.tr("Điều {n}. {title}").format(n=n_article, title=a.title)])
                it.setData(0, KindRole, ARTICLE)
                it.setData(0, IdRole, a.id)
                it.setToolTip(0, a.body[:600])
                top.addChild(it)
                if keep == (ARTICLE, a.id):
                    select = it
        self.tree.expandAll()
        if select is not None:
            self.tree.setCurrentItem(select)

    def on_document_changed(self, changes: Any) -> None:
        if isinstance(changes, Changes) and changes != Changes() and not (changes.convention or changes.unit):
            return
        self.reload()

    def _on_document_opened(self) -> None:
        self._viewing_version = None
        self._ch_alias.clear()
        self._ar_alias.clear()
        self._editing = None
        super()._on_document_opened()

    # ------------------------------------------------------------------ lookups
    def _resolve(self, kind: str, i: int) -> int:
        alias = self._ch_alias if kind == CHAPTER else self._ar_alias
        seen = 0
        while i in alias and seen < 1000:
            i = alias[i]
            seen += 1
        return i

    def _set_alias(self, kind: str, old_id: int, new_id: int) -> None:
        alias = self._ch_alias if kind == CHAPTER else self._ar_alias
        gone = self._resolve(kind, old_id)
        if gone != new_id:
            alias.pop(new_id, None)  # the new id is live: it resolves to itself
            alias[gone] = new_id

    def _selected_key(self) -> tuple[str, int] | None:
        it = self.tree.currentItem()
        if it is None:
            return None
        return it.data(0, KindRole), it.data(0, IdRole)

    def _chapter(self, chapter_id: int) -> ChapterView | None:
        c = self.current
        cid = self._resolve(CHAPTER, chapter_id)
        return next((ch for ch in c.chapters if ch.id == cid), None) if c else None

    def _article(self, article_id: int) -> tuple[ChapterView, int, Any] | None:
        """(chapter, index in chapter, article) of an article of the current version."""
        c = self.current
        aid = self._resolve(ARTICLE, article_id)
        for ch in c.chapters if c else ():
            for i, a in enumerate(ch.articles):
                if a.id == aid:
                    return ch, i, a
        return None

    def select_item(self, kind: str, item_id: int) -> bool:
        item_id = self._resolve(kind, item_id)
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is None:
                continue
            if kind == CHAPTER and top.data(0, IdRole) == item_id:
                self.tree.setCurrentItem(top)
                return True
            for j in range(top.childCount()):
                it = top.child(j)
                if it is not None and kind == ARTICLE and it.data(0, IdRole) == item_id:
                    self.tree.setCurrentItem(it)
                    return True
        return False

    # ------------------------------------------------------------------ side editor
    def _on_tree_current_changed(self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        if self._loading:
            return
        self._commit_pending()
        self._sync_editor()
        self._update_buttons()

    def flush(self) -> None:
        """Save whatever is typed but not yet saved (the window calls this before closing)."""
        if self._editing is None or not self.editable:
            return
        if self._editing[0] == ARTICLE:
            self._commit_article_title()
            self.body_saver.flush()
        else:
            self._commit_chapter_title()

    def _commit_pending(self) -> None:
        if self._editing is None:
            return
        kind, _i = self._editing
        if kind == ARTICLE:
            self.body_saver.flush()

    def _sync_editor(self) -> None:
        key = self._selected_key()
        ro = not self.editable
        if key is None or self.shown is None:
            self._editing = None
            self.editor_stack.setCurrentIndex(0)
            return
        kind, item_id = key
        self._editing = key
        if kind == CHAPTER:
            ch = next((c for c in self.shown.chapters if c.id == item_id), None)
            if ch is None:
                return
            self.chapter_number_label.setText(self.tr("Chương {n}.").format(n=roman(ch.position)))
            if self.chapter_title_edit.text() != ch.title:
                self.chapter_title_edit.setText(ch.title)
            self.chapter_title_edit.setReadOnly(ro)
            self.editor_stack.setCurrentIndex(1)
            return
        n = 0
        found = None
        for ch in self.shown.chapters:
            for a in ch.articles:
                n += 1
                if a.id == item_id:
                    found = (n, a)
        if found is None:
            return
        n, a = found
        self.article_number_label.setText(self.tr("Điều {n}.").format(n=n))
        if self.article_title_edit.text() != a.title:
            self.article_title_edit.setText(a.title)
            self.article_title_edit.setCursorPosition(0)
        if not self.body_saver.pending:
            self.body_saver.load(a.body)
        self.article_title_edit.setReadOnly(ro)
        self.article_body_edit.setReadOnly(ro)
        self.saved_label.setText(
            self.tr("Nội dung được lưu khi bạn dừng gõ hoặc rời ô soạn thảo.") if not ro else self.tr("Phiên bản cũ: chỉ xem.")
        )
        self.editor_stack.setCurrentIndex(2)

    def _update_buttons(self) -> None:
        w = self.editable
        key = self._selected_key()
        self.add_chapter_button.setEnabled(w)
        self.add_article_button.setEnabled(w and key is not None)
        self.rename_button.setEnabled(w and key is not None)
        self.delete_button.setEnabled(w and key is not None)
        up = down = False
        if w and key is not None:
            kind, i = key
            if kind == CHAPTER:
                ch = self._chapter(i)
                n = len(self.current.chapters) if self.current else 0
                up, down = bool(ch and ch.position > 1), bool(ch and ch.position < n)
            else:
                found = self._article(i)
                if found:
                    ch, idx, _a = found
                    up, down = idx > 0, idx < len(ch.articles) - 1
        self.up_button.setEnabled(up)
        self.down_button.setEnabled(down)

    def _save_body(self, _old: str, new: str) -> None:
        if self._editing and self._editing[0] == ARTICLE and self.editable:
            self.update_article(self._editing[1], body=new)

    def _commit_article_title(self) -> None:
        if self._editing and self._editing[0] == ARTICLE and self.editable:
            found = self._article(self._editing[1])
            text = self.article_title_edit.text().strip()
            if found and text != found[2].title and not self.update_article(self._editing[1], title=text):
                self.article_title_edit.setText(found[2].title)

    def _commit_chapter_title(self) -> None:
        if self._editing and self._editing[0] == CHAPTER and self.editable:
            ch = self._chapter(self._editing[1])
            text = self.chapter_title_edit.text().strip()
            if ch and text != ch.title and not self.rename_chapter(self._editing[1], text):
                self.chapter_title_edit.setText(ch.title)

    def _on_rename_clicked(self) -> None:
        key = self._selected_key()
        if key is None:
            return
        edit = self.chapter_title_edit if key[0] == CHAPTER else self.article_title_edit
        edit.setFocus()
        edit.selectAll()

    def _on_header_edited(self, name: str) -> None:
        if self._loading or not self.editable or self.current is None:
            return
        if name == "adopted_on":
            d = self.adopted_on_edit.date()
            value: Any = None if d == EMPTY_DATE else dt.date(d.year(), d.month(), d.day())
        elif name == "title":
            value = self.conv_title_edit.text().strip()
        else:
            value = self.adopted_at_edit.text().strip()
        self.update_header(name, value)

    # ------------------------------------------------------------------ edits (undoable)
    def _push(self, text: str, do: Callable[[], Any], undo: Callable[[], Any]) -> bool:
        key = self._selected_key()  # what the step changes is what is selected now

        def reveal() -> None:
            if key is not None and key[0] is not None and key[1] is not None:
                self.select_item(key[0], key[1])

        try:
            self.ctx.push(text, do, undo, reveal=reveal)
        except KhoiError as exc:
            show_error(self, exc)
            self.reload()
            return False
        return True

    def create_convention(self, title: str | None = None) -> bool:
        """Create the first Quy ước (not on the undo stack: a new version cannot be taken back)."""
        doc = self.ctx.doc
        if doc is None:
            return False
        try:
            unit = self.ctx.read(docsvc.get_unit)
            _cid, changes = self.ctx.write(
                lambda d: content.new_convention_version(d, title=title or default_title(unit), copy_current=False)
            )
        except KhoiError as exc:
            show_error(self, exc)
            return False
        self.ctx.emit_changes(changes)
        return True

    def create_from_template(self) -> bool:
        """Create the first Quy ước from the usual structure (to edit); not undoable, like creating one."""
        if self.ctx.doc is None:
            return False
        try:
            unit = self.ctx.read(docsvc.get_unit)
            _cid, changes = self.ctx.write(
                lambda d: templates.convention_from_template(d, unit.name if unit is not None else "")
            )
        except KhoiError as exc:
            show_error(self, exc)
            return False
        self.ctx.emit_changes(changes)
        return True

    def _on_new_version_clicked(self) -> None:
        cur = self.current
        if cur is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Phiên bản mới"),
            self.tr(
                "Tạo phiên bản {n} của Quy ước, chép từ phiên bản {cur} để sửa? Phiên bản {cur} được giữ lại để xem. "
                "Việc này không hoàn tác được."
            ).format(n=cur.version + 1, cur=cur.version),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.new_version()

    def new_version(self) -> bool:
        """A new version copied from the current one (becomes the edited version)."""
        doc, cur = self.ctx.doc, self.current
        if doc is None or cur is None:
            return False
        self._commit_pending()
        try:
            _cid, changes = self.ctx.write(lambda d: content.new_convention_version(d, title=cur.title, adopted_on=None, adopted_at="", copy_current=True))
        except KhoiError as exc:
            show_error(self, exc)
            return False
        # Undo entries point at the old version's chapters; they must not edit a version now read-only.
        self.ctx.undo_stack.clear()
        self._viewing_version = None
        self.ctx.emit_changes(changes)
        return True

    def _on_version_combo_activated(self, index: int) -> None:
        self._commit_pending()
        v = self.version_combo.itemData(index)
        self._viewing_version = None if self.current is not None and v == self.current.version else v
        self.reload()

    def show_version(self, version: int | None) -> None:
        self._commit_pending()
        self._viewing_version = version
        self.reload()

    def update_header(self, name: str, value: Any) -> bool:
        doc, cur = self.ctx.doc, self.current
        if doc is None or cur is None:
            return False
        old = getattr(cur, name)
        if old == value:
            return False
        labels = {"title": self.tr("tên Quy ước"), "adopted_on": self.tr("ngày thông qua"), "adopted_at": self.tr("nơi thông qua")}
        cid = cur.id
        ok = self._push(
            self.tr("Sửa {what}").format(what=labels[name]),
            lambda: content.update_convention(doc, cid, **{name: value}),
            lambda: content.update_convention(doc, cid, **{name: old}),
        )
        if not ok:
            self._fill_header()
        return ok

    def _on_add_chapter_clicked(self) -> None:
        cid = self.add_chapter(self.tr("Chương mới"))
        if cid is not None:
            self._on_rename_clicked()

    def _on_add_article_clicked(self) -> None:
        key = self._selected_key()
        if key is None:
            return
        chapter_id = key[1] if key[0] == CHAPTER else self._article(key[1])[0].id  # type: ignore[index]
        if self.add_article(chapter_id, self.tr("Điều mới")) is not None:
            self._on_rename_clicked()

    def add_chapter(self, title: str) -> int | None:
        doc, cur = self.ctx.doc, self.current
        if doc is None or cur is None or not self.editable:
            return None
        conv_id = cur.id
        st: dict[str, int] = {}

        def do() -> Changes:
            new_id, changes = self.ctx.write(lambda d: content.add_chapter(d, conv_id, title))
            if "id" in st:
                self._set_alias(CHAPTER, st["id"], new_id)
            else:
                st["id"] = new_id
            return changes

        def undo() -> Changes:
            return self.ctx.write(lambda d: content.delete_chapter(d, self._resolve(CHAPTER, st["id"])))

        if not self._push(self.tr("Thêm chương «{t}»").format(t=title), do, undo):
            return None
        self.select_item(CHAPTER, st["id"])
        return st["id"]

    def add_article(self, chapter_id: int, title: str, body: str = "") -> int | None:
        doc = self.ctx.doc
        if doc is None or not self.editable:
            return None
        st: dict[str, int] = {}

        def do() -> Changes:
            new_id, changes = self.ctx.write(lambda d: content.add_article(d, self._resolve(CHAPTER, chapter_id), title, body))
            if "id" in st:
                self._set_alias(ARTICLE, st["id"], new_id)
            else:
                st["id"] = new_id
            return changes

        def undo() -> Changes:
            return self.ctx.write(lambda d: content.delete_article(d, self._resolve(ARTICLE, st["id"])))

        if not self._push(self.tr("Thêm điều «{t}»").format(t=title), do, undo):
            return None
        self.select_item(ARTICLE, st["id"])
        return st["id"]

    def rename_chapter(self, chapter_id: int, title: str) -> bool:
        doc = self.ctx.doc
        ch = self._chapter(chapter_id)
        if doc is None or ch is None or ch.title == title:
            return False
        old = ch.title
        return self._push(
            self.tr("Đổi tên chương «{old}» thành «{new}»").format(old=old, new=title),
            lambda: content.update_chapter(doc, self._resolve(CHAPTER, chapter_id), title),
            lambda: content.update_chapter(doc, self._resolve(CHAPTER, chapter_id), old),
        )

    def update_article(self, article_id: int, *, title: str | None = None, body: str | None = None) -> bool:
        doc = self.ctx.doc
        found = self._article(article_id)
        if doc is None or found is None:
            return False
        a = found[2]
        new: dict[str, str] = {}
        old: dict[str, str] = {}
        if title is not None and title != a.title:
            new["title"], old["title"] = title, a.title
        if body is not None and body != a.body:
            new["body"], old["body"] = body, a.body
        if not new:
            return False
        what = (
            self.tr("Sửa nội dung điều «{t}»").format(t=new.get("title", a.title))
            if "body" in new
            else self.tr("Đổi tên điều «{old}» thành «{new}»").format(old=a.title, new=new["title"])
        )
        return self._push(
            what,
            lambda: content.update_article(doc, self._resolve(ARTICLE, article_id), **new),
            lambda: content.update_article(doc, self._resolve(ARTICLE, article_id), **old),
        )

    def delete_selected(self) -> None:
        key = self._selected_key()
        if key is None:
            return
        self.body_saver.load(self.body_saver.text())  # what is being deleted needs no save
        if key[0] == CHAPTER:
            self.delete_chapter(key[1])
        else:
            self.delete_article(key[1])

    def delete_chapter(self, chapter_id: int) -> bool:
        """Delete a chapter and its articles; undo puts them back in place."""
        doc, cur = self.ctx.doc, self.current
        if doc is None or cur is None or self._chapter(chapter_id) is None:
            return False
        conv_id = cur.id
        snap: dict[str, Any] = {}

        def do() -> Changes:
            ch = self._fresh_chapter(doc, conv_id, self._resolve(CHAPTER, chapter_id))
            snap["chapter"] = ch
            return self.ctx.write(lambda d: content.delete_chapter(d, ch.id))

        def undo() -> Changes:
            ch: ChapterView = snap["chapter"]
            new_id, _c = self.ctx.write(lambda d: content.add_chapter(d, conv_id, ch.title))
            self._set_alias(CHAPTER, ch.id, new_id)
            last = len(self._fresh(doc, conv_id).chapters)
            if ch.position != last:
                self.ctx.write(lambda d: content.move_chapter(d, new_id, ch.position - last))
            for a in ch.articles:
                aid, _c = self.ctx.write(lambda d: content.add_article(d, new_id, a.title, a.body))
                self._set_alias(ARTICLE, a.id, aid)
            return Changes(convention=True)

        gone = self._chapter(chapter_id)
        return self._push(self.tr("Xóa chương «{t}»").format(t=gone.title if gone else ""), do, undo)

    def delete_article(self, article_id: int) -> bool:
        doc = self.ctx.doc
        if doc is None or self._article(article_id) is None:
            return False
        snap: dict[str, Any] = {}

        def do() -> Changes:
            found = self._article(article_id)
            assert found is not None
            ch, idx, a = found
            snap.update(chapter=ch.id, index=idx, article=a)
            return self.ctx.write(lambda d: content.delete_article(d, a.id))

        def undo() -> Changes:
            a = snap["article"]
            chapter_id = self._resolve(CHAPTER, snap["chapter"])
            new_id, _c = self.ctx.write(lambda d: content.add_article(d, chapter_id, a.title, a.body))
            self._set_alias(ARTICLE, a.id, new_id)
            conv = self._fresh_by_chapter(doc, chapter_id)
            count = len(next(ch for ch in conv.chapters if ch.id == chapter_id).articles)
            if snap["index"] != count - 1:
                self.ctx.write(lambda d: content.move_article(d, new_id, snap["index"] - (count - 1)))
            return Changes(convention=True)

        found = self._article(article_id)
        return self._push(self.tr("Xóa điều «{t}»").format(t=found[2].title if found else ""), do, undo)

    def _fresh(self, doc: Any, conv_id: int) -> ConventionView:
        return next(v for v in self.ctx.read(content.convention_versions) if v.id == conv_id)

    def _fresh_chapter(self, doc: Any, conv_id: int, chapter_id: int) -> ChapterView:
        return next(ch for ch in self._fresh(doc, conv_id).chapters if ch.id == chapter_id)

    def _fresh_by_chapter(self, doc: Any, chapter_id: int) -> ConventionView:
        return next(v for v in self.ctx.read(content.convention_versions) if any(ch.id == chapter_id for ch in v.chapters))

    def move_selected(self, delta: int) -> None:
        key = self._selected_key()
        if key is None:
            return
        self._commit_pending()
        if key[0] == CHAPTER:
            self.move_chapter(key[1], delta)
        else:
            self.move_article(key[1], delta)
        self.select_item(*key)

    def move_chapter(self, chapter_id: int, delta: int) -> bool:
        doc, cur = self.ctx.doc, self.current
        ch = self._chapter(chapter_id)
        if doc is None or cur is None or ch is None:
            return False
        target = max(1, min(len(cur.chapters), ch.position + delta))
        d = target - ch.position
        if d == 0:
            return False
        return self._push(
            self.tr("Đổi thứ tự chương"),
            lambda: content.move_chapter(doc, self._resolve(CHAPTER, chapter_id), d),
            lambda: content.move_chapter(doc, self._resolve(CHAPTER, chapter_id), -d),
        )

    def move_article(self, article_id: int, delta: int) -> bool:
        doc = self.ctx.doc
        found = self._article(article_id)
        if doc is None or found is None:
            return False
        ch, idx, _a = found
        target = max(0, min(len(ch.articles) - 1, idx + delta))
        d = target - idx
        if d == 0:
            return False
        return self._push(
            self.tr("Đổi thứ tự điều"),
            lambda: content.move_article(doc, self._resolve(ARTICLE, article_id), d),
            lambda: content.move_article(doc, self._resolve(ARTICLE, article_id), -d),
        )
