"""«Hướng dẫn sử dụng»: the Vietnamese user guide (docs/user-guide.md and its screenshots), offline, in the app."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from khoiapp import paths

GUIDE = "user-guide.md"

# Page (object name in the main window) → the start of its section's heading in the guide.
PAGE_SECTIONS = {
    "don-vi": "Trang Đơn vị",
    "ban-chi-dao": "Trang Ban chỉ đạo và kế hoạch",
    "tieu-chi": "Trang Tiêu chí",
    "minh-chung": "Trang Minh chứng",
    "quy-uoc": "Trang Quy ước",
    "quy-tac-ung-xu": "Trang Quy tắc ứng xử",
    "hoat-dong": "Trang Hoạt động và khen thưởng",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("HelpDialog", text)


def _heading_title(text: str) -> str:
    """"6. Trang Tiêu chí — tự đánh giá" → "Trang Tiêu chí — tự đánh giá" (numbers may change)."""
    head, _, rest = text.partition(" ")
    return rest if head.rstrip(".").isdigit() else text


class HelpDialog(QDialog):
    """The guide with its table of contents on the left; :meth:`show_section` jumps to a heading."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(_tr("Hướng dẫn sử dụng Khối"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.guide_path: Path | None = None
        self.missing = False
        self.current_section = ""
        self._target = 0
        self._pinned = False
        self._build_ui()
        self.load(GUIDE)

    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("Tìm trong hướng dẫn:")))
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("helpFind")
        self.find_edit.setPlaceholderText(_tr("ví dụ: ký số, minh chứng, sao lưu"))
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(self.find_next)
        top.addWidget(self.find_edit, 1)
        self.find_button = QPushButton(_tr("Tìm tiếp"))
        self.find_button.clicked.connect(self.find_next)
        top.addWidget(self.find_button)
        lay.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.toc = QListWidget()
        self.toc.setObjectName("helpContents")
        self.toc.setMinimumWidth(180)
        self.toc.setMaximumWidth(320)
        self.toc.setWordWrap(True)
        self.toc.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.toc.itemActivated.connect(self._on_toc_item_activated)
        self.toc.itemClicked.connect(self._on_toc_item_activated)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        # Re-pin after the layout changed, but never from inside the layout run (re-entering it breaks it).
        self.browser.document().documentLayout().documentSizeChanged.connect(
            lambda _size: QTimer.singleShot(0, self._apply_scroll)
        )
        self.browser.verticalScrollBar().actionTriggered.connect(self._on_scrollbar_action_triggered)
        self.splitter.addWidget(self.toc)
        self.splitter.addWidget(self.browser)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([270, 900])
        lay.addWidget(self.splitter, 1)

        bottom = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("helpStatus")
        self.status.setWordWrap(True)
        bottom.addWidget(self.status, 1)
        close = QPushButton(_tr("Đóng"))
        close.clicked.connect(self.close)
        bottom.addWidget(close)
        lay.addLayout(bottom)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.find_edit.setFocus)
        self.resize(1180, 700)

    # ------------------------------------------------------------------ content
    def load(self, name: str) -> bool:
        """Show ``name`` (a Markdown file of the guide's folder); False, with a message, if it is not there."""
        try:
            folder = paths.docs_dir()
            path = (folder / name).resolve()
            if not path.is_relative_to(folder.resolve()) or path.suffix.lower() != ".md":
                raise FileNotFoundError(name)
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self.missing = name == GUIDE
            self.status.setText(
                _tr("Không mở được «{name}» ({why}). Hướng dẫn đầy đủ có trong thư mục docs của bộ cài; "
                    "nếu thiếu, hãy cài lại Khối.").format(name=name, why=exc.__class__.__name__)
            )
            if self.missing:
                self.browser.setPlainText(self.status.text())
            return False
        self.guide_path = path
        self._pinned = False
        self.browser.clear()
        doc = self.browser.document()
        doc.setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setMarkdown(text)  # (clears the document's resources)
        self._add_scaled_images(text, path.parent)  # before the first layout asks for the full-size files
        self._fill_toc()
        self.status.setText(_tr("Hướng dẫn có sẵn trong máy, không cần Internet."))
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        return True

    def _add_scaled_images(self, text: str, folder: Path) -> None:
        """Screenshots are 1366 px wide: hand the document copies no wider than the reading area.

        (Changing the image formats after the fact leaves headings unlaid-out in Qt 6.11.)
        """
        width = self.browser.viewport().width() - 40 if self.isVisible() else 860
        width = max(480, min(860, width))
        doc = self.browser.document()
        for name in dict.fromkeys(re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)):
            image = QImage(str(folder / name))
            if image.isNull():
                continue
            if image.width() > width:
                image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            # The document looks resources up by their URL resolved against its base URL.
            doc.addResource(QTextDocument.ResourceType.ImageResource, doc.baseUrl().resolved(QUrl(name)), image)

    def headings(self) -> list[tuple[int, str, int]]:
        """(level, text, position) of every heading of the shown text."""
        out: list[tuple[int, str, int]] = []
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                out.append((level, block.text(), block.position()))
            block = block.next()
        return out

    def _fill_toc(self) -> None:
        self.toc.clear()
        for level, text, pos in self.headings():
            if level > 2:
                continue
            item = QListWidgetItem(("" if level == 1 else "  ") + text)
            item.setData(Qt.ItemDataRole.UserRole, pos)
            self.toc.addItem(item)

    def _scroll_to(self, position: int) -> None:
        """Put the block at ``position`` at the top of the reading area."""
        self._target = position
        self._pinned = True  # kept at the top while the layout settles, until the reader scrolls
        self._apply_scroll()
        QTimer.singleShot(0, self._apply_scroll)

    def _apply_scroll(self, *_args: object) -> None:
        if not self._pinned:
            return
        doc = self.browser.document()
        cur = QTextCursor(doc)
        cur.setPosition(min(self._target, max(0, doc.characterCount() - 1)))
        self.browser.setTextCursor(cur)
        layout = doc.documentLayout()
        layout.documentSize()  # finishes the (lazy) layout, so positions and the scroll range are right
        top = layout.blockBoundingRect(doc.findBlock(cur.position())).top()
        self.browser.verticalScrollBar().setValue(int(top))

    def show_section(self, title: str) -> bool:
        """Scroll to the heading whose title (without its number) starts with ``title``."""
        if self.guide_path is None or self.guide_path.name != GUIDE:
            self.load(GUIDE)
        for _level, text, pos in self.headings():
            if _heading_title(text).startswith(title):
                self._scroll_to(pos)
                self.current_section = text
                for i in range(self.toc.count()):
                    if self.toc.item(i).data(Qt.ItemDataRole.UserRole) == pos:
                        self.toc.setCurrentRow(i)
                return True
        return False

    def show_page_help(self, page_name: str) -> bool:
        """The section of a page of the main window (``don-vi``, ``tieu-chi``, …)."""
        title = PAGE_SECTIONS.get(page_name)
        return self.show_section(title) if title else False

    def find_next(self) -> bool:
        text = self.find_edit.text().strip()
        if not text:
            return False
        if self.browser.find(text):
            self.status.setText("")
            return True
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)  # wrap around once
        if self.browser.find(text):
            return True
        self.status.setText(_tr("Không thấy «{text}» trong hướng dẫn.").format(text=text))
        return False

    # ------------------------------------------------------------------ events
    def _on_toc_item_activated(self, item: QListWidgetItem) -> None:
        pos = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(pos, int):
            self._scroll_to(pos)

    def _on_scrollbar_action_triggered(self, _action: int) -> None:
        self._pinned = False  # the reader scrolls: leave the position to them

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        if url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
            return
        name = Path(url.toLocalFile() or url.path()).name
        if name.lower().endswith(".md"):
            self.load(name)



def find_open_help(parent: QWidget) -> HelpDialog | None:
    """The guide already open over ``parent`` (one per window)."""
    for child in parent.findChildren(HelpDialog):
        if child.isVisible():
            return child
    return None


def open_help(parent: QWidget, page_name: str | None = None) -> HelpDialog:
    """Show the guide (non-blocking, reused while open), at the section of ``page_name`` if given."""
    dlg = find_open_help(parent)
    if dlg is None:
        dlg = HelpDialog(parent)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    reused = dlg.isVisible()
    dlg.show()
    if reused:
        dlg.raise_()
        dlg.activateWindow()
    if page_name:
        dlg.show_page_help(page_name)
    return dlg
