"""The main window: menus, navigation between pages, period switcher, status bar, documents."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from khoiapp import paths
from khoiapp.db import Document
from khoiapp.errors import DocumentNotFoundError
from khoiapp.services import document as docsvc
from ui import settings
from ui.context import AppContext
from ui.errors import ask, inform, show_error
from ui.pages.base import Page
from ui.tasks import Task, active_tasks, cancel_all, run_task, wait_for_all

log = logging.getLogger(__name__)

ADD_PERIOD = "__them_ky__"
DOCUMENT_FILTER = "Tài liệu Khối (*.khoi);;Mọi tệp (*)"
OPEN_FILTER = "Tài liệu Khối hoặc hồ sơ PDF (*.khoi *.pdf);;Tài liệu Khối (*.khoi);;Hồ sơ PDF (*.pdf);;Mọi tệp (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class PlaceholderPage(Page):
    """Shown where a page is not available in this build."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.title = title
        lay = QVBoxLayout(self)
        label = QLabel(_tr("Phần «{title}» chưa có trong phiên bản này.").format(title=title))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        lay.addWidget(label)


def _lazy(module: str, cls: str, **kwargs: Any) -> Callable[[AppContext], Page] | None:
    """A factory for a page class that may not exist yet (built by another part)."""
    try:
        mod = __import__(module, fromlist=[cls])
        klass = getattr(mod, cls)
    except (ImportError, AttributeError):
        log.info("page %s.%s not available", module, cls)
        return None
    return lambda ctx: klass(ctx, **kwargs)


def page_specs() -> list[tuple[str, str, Callable[[AppContext], Page] | None]]:
    """(object name, Vietnamese nav label, factory or None) of every page, in nav order."""
    from ui.pages.checklist_page import ChecklistPage
    from ui.pages.unit_page import UnitPage

    return [
        ("don-vi", _tr("Đơn vị"), UnitPage),
        ("ban-chi-dao", _tr("Ban chỉ đạo và kế hoạch"), _lazy("ui.pages.tables_page", "TablesPage", keys=("committee", "plan"))),
        ("tieu-chi", _tr("Tiêu chí"), ChecklistPage),
        ("minh-chung", _tr("Minh chứng"), _lazy("ui.pages.evidence_page", "EvidencePage")),
        ("quy-uoc", _tr("Quy ước"), _lazy("ui.pages.convention_page", "ConventionPage")),
        ("quy-tac-ung-xu", _tr("Quy tắc ứng xử"), _lazy("ui.pages.tables_page", "TablesPage", keys=("conduct",))),
        ("hoat-dong", _tr("Hoạt động và khen thưởng"), _lazy("ui.pages.tables_page", "TablesPage", keys=("activity", "award"))),
    ]


class MainWindow(QMainWindow):
    """One window over one document. Call :meth:`start` after showing it."""

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.terminating = False  # set when the system stops the app (SIGTERM): close without asking
        self.ctx = ctx or AppContext(self)
        self.welcome_dialog: QWidget | None = None
        self.import_wizard: QWidget | None = None
        self.backups_dialog: QWidget | None = None
        self.last_error: BaseException | None = None
        self._saved_at: dt.datetime | None = None
        self.export_dialog: QWidget | None = None
        self.editing_locked = False
        self._shortcut_guard = _ShortcutGuard(self)
        self._build_ui()
        self._build_actions()
        self._build_menus()
        self.ctx.document_changed.connect(self._on_ctx_document_changed)
        self.ctx.document_opened.connect(self._on_ctx_document_opened)
        self.ctx.period_changed.connect(self._on_ctx_period_changed)
        # Closing or switching the document first stops the work still running for it.
        self.ctx.runner.add_close_hook(self._stop_running_work)
        self.ctx.runner.watch_moves()
        self.ctx.runner.document_moved.connect(self._on_document_moved)
        self.ctx.runner.document_saved_as.connect(self._on_saved_as)
        self._restore_geometry()
        self._on_ctx_document_opened()

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        self.setWindowTitle(_tr("Khối"))
        self.setMinimumSize(800, 520)  # still fits 1366×768 at 150 % scale
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.read_only_banner = QLabel()
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet(
            "QLabel#readOnlyBanner { background: #fff3cd; color: #664d03; padding: 6px 10px; "
            "border-bottom: 1px solid #e0c36a; }"
        )
        self.read_only_banner.hide()
        outer.addWidget(self.read_only_banner)
        # The open file was deleted or renamed: what was saved and the edits since are kept in memory.
        self.moved_banner = QFrame()
        self.moved_banner.setObjectName("movedBanner")
        self.moved_banner.setStyleSheet(
            "QFrame#movedBanner { background: #f8d7da; border-bottom: 1px solid #e4a1a8; }"
            "QFrame#movedBanner QLabel { color: #58151c; }"
        )
        row = QHBoxLayout(self.moved_banner)
        row.setContentsMargins(10, 6, 10, 6)
        self.moved_label = QLabel()
        self.moved_label.setObjectName("movedLabel")
        self.moved_label.setWordWrap(True)
        row.addWidget(self.moved_label, 1)
        self.moved_save_button = QPushButton(_tr("Lưu thành…"))
        self.moved_save_button.setObjectName("movedSaveButton")
        self.moved_save_button.clicked.connect(self.save_as_dialog)
        row.addWidget(self.moved_save_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.moved_banner.hide()
        outer.addWidget(self.moved_banner)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(150)
        self.nav.setMaximumWidth(260)
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 7px 8px; }")
        self.stack = QStackedWidget()
        self.pages: list[Page] = []
        self.page_names: list[str] = []
        for i, (name, label, factory) in enumerate(page_specs()):
            page = factory(self.ctx) if factory is not None else PlaceholderPage(self.ctx, label)
            page.setObjectName(f"page-{name}")
            self.pages.append(page)
            self.page_names.append(name)
            self.stack.addWidget(page)
            item = QListWidgetItem(label)
            item.setToolTip(_tr("{label} (Ctrl+{n})").format(label=label, n=i + 1))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.ctx.step_replayed.connect(self._on_ctx_step_replayed)
        checklist = self.pages[self.page_names.index("tieu-chi")]
        dropped = getattr(checklist, "files_dropped", None)
        if dropped is not None:
            dropped.connect(self.add_evidence_files)
        shown = getattr(checklist, "message_shown", None)
        if shown is not None:
            shown.connect(lambda text: self.statusBar().showMessage(text, 20000))
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([190, 1100])
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.toolbar = QToolBar(_tr("Kỳ đánh giá"))
        self.toolbar.setObjectName("periodToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addWidget(QLabel(_tr("  Kỳ đánh giá: ")))
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodCombo")
        self.period_combo.setMinimumWidth(160)
        self.period_combo.activated.connect(self._on_period_combo_activated)
        self.toolbar.addWidget(self.period_combo)
        self.addToolBar(self.toolbar)

        sb = self.statusBar()
        self.readiness_label = QLabel()
        self.readiness_label.setObjectName("readinessLabel")
        self.result_label = QLabel()
        self.result_label.setObjectName("resultLabel")
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        sb.addWidget(self.readiness_label)
        sb.addWidget(self.result_label)
        sb.addPermanentWidget(self.saved_label)
        self.nav.setCurrentRow(0)

    def _build_actions(self) -> None:
        a = self.act_new = QAction(_tr("&Mới…"), self)
        a.setShortcut(QKeySequence.StandardKey.New)
        a.triggered.connect(self.new_document)
        a = self.act_open = QAction(_tr("M&ở…"), self)
        a.setShortcut(QKeySequence.StandardKey.Open)
        a.triggered.connect(self.open_dialog)
        a = self.act_save_as = QAction(_tr("&Lưu thành…"), self)
        a.setShortcut(QKeySequence("Ctrl+Shift+S"))
        a.setStatusTip(_tr("Lưu tài liệu đang mở thành một tệp mới và làm việc tiếp trên tệp đó"))
        a.triggered.connect(self.save_as_dialog)
        a = self.act_export = QAction(_tr("&Xuất hồ sơ…"), self)
        a.setShortcut(QKeySequence("Ctrl+E"))
        a.triggered.connect(self.export_dossier)
        self._export_cls = self._load_export_dialog()
        if self._export_cls is None:
            a.setEnabled(False)
            a.setToolTip(_tr("Chức năng xuất hồ sơ chưa có trong phiên bản này."))
        a = self.act_verify = QAction(_tr("&Kiểm tra hồ sơ PDF…"), self)
        a.triggered.connect(lambda: self.verify_dossier())
        a = self.act_cosign = QAction(_tr("Ký &tiếp hồ sơ…"), self)
        a.setStatusTip(_tr("Thủ trưởng ký xác nhận, hoặc đóng dấu (chứng thư của đơn vị) vào hồ sơ PDF đã xuất"))
        a.triggered.connect(lambda: self.cosign_dossier())
        a = self.act_import = QAction(_tr("&Nhập hồ sơ năm trước…"), self)
        a.setShortcut(QKeySequence("Ctrl+I"))
        a.setStatusTip(_tr("Tạo kỳ đánh giá mới từ hồ sơ PDF năm trước do Khối xuất"))
        a.triggered.connect(lambda: self.import_dossier())
        a = self.act_backups = QAction(_tr("&Sao lưu và khôi phục…"), self)
        a.setStatusTip(_tr("Xem các bản sao lưu của tài liệu đang mở và khôi phục một bản"))
        a.triggered.connect(self.show_backups)
        a = self.act_signature_images = QAction(_tr("Ảnh chữ ký và con dấu…"), self)
        a.setStatusTip(_tr("Chọn ảnh chữ ký của chủ tịch, thủ trưởng và con dấu của đơn vị (PNG nền trong suốt)"))
        a.triggered.connect(self.show_signature_images)
        a = self.act_bloc = QAction(_tr("Tổng hợp khối…"), self)
        a.setStatusTip(_tr(
            "Kiểm tra và tổng hợp các hồ sơ PDF đơn vị gửi về: tệp nào được tính và vì sao, danh sách đơn vị, "
            "số liệu báo cáo, biểu đồ; xuất Excel, Word, CSV, bản tổng hợp PDF"
        ))
        a.triggered.connect(self.show_bloc)
        a = self.act_quit = QAction(_tr("T&hoát"), self)
        a.setShortcut(QKeySequence("Ctrl+Q"))
        a.triggered.connect(self.close)
        self.act_undo = self.ctx.undo_stack.createUndoAction(self, _tr("Hoàn tác"))
        self.act_undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.act_redo = self.ctx.undo_stack.createRedoAction(self, _tr("Làm lại"))
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        a = self.act_find = QAction(_tr("&Tìm tiêu chí"), self)
        a.setShortcut(QKeySequence("Ctrl+F"))
        a.triggered.connect(self.focus_search)
        a = self.act_settings = QAction(_tr("&Cài đặt…"), self)
        a.triggered.connect(self.show_settings)
        a = self.act_add_period = QAction(_tr("Thêm kỳ đánh giá…"), self)
        a.triggered.connect(self.add_period)
        a = self.act_about = QAction(_tr("&Giới thiệu"), self)
        a.triggered.connect(self.show_about)
        a = self.act_help = QAction(_tr("&Hướng dẫn sử dụng"), self)
        a.setShortcut(QKeySequence.StandardKey.HelpContents)  # F1
        a.setStatusTip(_tr("Mở hướng dẫn sử dụng (có sẵn trong máy, không cần Internet)"))
        a.triggered.connect(lambda: self.show_help())
        a = self.act_page_help = QAction(_tr("? Hướng dẫn"), self)
        a.setObjectName("pageHelpAction")
        a.setToolTip(_tr("Hướng dẫn cho trang đang xem"))
        a.triggered.connect(lambda: self.show_help(self.page_names[self.stack.currentIndex()]))
        self.page_actions: list[QAction] = []
        for i in range(self.nav.count()):
            act = QAction(self.nav.item(i).text(), self)
            if i < 9:
                act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _=False, n=i: self.set_page(n))
            self.page_actions.append(act)
        for act in (self.act_new, self.act_open, self.act_import, self.act_export, self.act_quit, self.act_undo,
                    self.act_redo, self.act_find, self.act_help, *self.page_actions):
            self.addAction(act)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu(_tr("&Tệp"))
        m.addAction(self.act_new)
        m.addAction(self.act_open)
        self.recent_menu = QMenu(_tr("Mở &gần đây"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        m.addMenu(self.recent_menu)
        m.addAction(self.act_save_as)
        m.addSeparator()
        m.addAction(self.act_add_period)
        m.addAction(self.act_import)
        m.addAction(self.act_export)
        m.addAction(self.act_verify)
        m.addAction(self.act_cosign)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = mb.addMenu(_tr("&Sửa"))
        m.addAction(self.act_undo)
        m.addAction(self.act_redo)
        m.addSeparator()
        m.addAction(self.act_find)
        m = mb.addMenu(_tr("&Xem"))
        for act in self.page_actions:
            m.addAction(act)
        m = mb.addMenu(_tr("&Công cụ"))
        m.addAction(self.act_backups)
        m.addAction(self.act_signature_images)
        m.addAction(self.act_bloc)
        m.addSeparator()
        m.addAction(self.act_settings)
        m = mb.addMenu(_tr("T&rợ giúp"))
        m.addAction(self.act_help)
        m.addSeparator()
        m.addAction(self.act_about)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addAction(self.act_page_help)
        self._fill_recent_menu()

    def _load_export_dialog(self) -> Any:
        try:
            from ui.dialogs.export_dialog import ExportDialog
        except ImportError:
            return None
        return ExportDialog

    def _restore_geometry(self) -> None:
        geo = settings.get(settings.WINDOW_GEOMETRY)
        if not geo.isEmpty() and self.restoreGeometry(geo):
            return
        screen = QApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        w, h = 1280, 720
        if avail is not None:
            w, h = min(w, avail.width()), min(h, avail.height())
        self.resize(w, h)

    # ------------------------------------------------------------------ pages
    def set_page(self, index: int) -> None:
        if 0 <= index < self.nav.count():
            self.nav.setCurrentRow(index)

    def _on_nav_current_row_changed(self, row: int) -> None:
        self.ctx.page_name = self.page_names[row] if 0 <= row < len(self.page_names) else None

    def _on_ctx_step_replayed(self, cmd: Any, undone: bool) -> None:
        """An undone or redone step: show its page and the item it changed, and say what it was."""
        origin = getattr(cmd, "origin", None)
        if origin in self.page_names and origin != self.ctx.page_name:
            self.show_page(origin)
        reveal = getattr(cmd, "reveal", None)
        if reveal is not None:
            try:
                reveal()
            except Exception:  # noqa: BLE001 - the item may be gone; showing the page is enough
                log.debug("could not select the item of an undone step", exc_info=True)
        where = self.nav.item(self.page_names.index(origin)).text() if origin in self.page_names else ""
        what = cmd.text()
        text = (_tr("Đã hoàn tác: {what}") if undone else _tr("Đã làm lại: {what}")).format(what=what)
        if where:
            text += _tr(" (trang {page})").format(page=where)
        self.statusBar().showMessage(text, 15000)

    def page(self, name: str) -> Page:
        """The page by object name (``don-vi``, ``tieu-chi``, ``minh-chung``, …)."""
        return self.pages[self.page_names.index(name)]

    def show_page(self, name: str) -> Page:
        self.set_page(self.page_names.index(name))
        return self.page(name)

    def add_evidence_files(self, paths: list[str], code: str | None = None) -> Task | None:
        """Add files as evidence (linked to criterion ``code``) through the evidence page."""
        add = getattr(self.page("minh-chung"), "add_files", None)
        if not callable(add):
            inform(self, _tr("Chưa thêm được minh chứng"), _tr("Trang Minh chứng chưa có trong phiên bản này."))
            return None
        return add(list(paths), criteria=(code,) if code else ())

    def focus_search(self) -> None:
        page = self.show_page("tieu-chi")
        focus = getattr(page, "focus_search", None)
        if callable(focus):
            focus()

    # ------------------------------------------------------------------ documents
    def start(self, path: str | Path | None = None) -> Task | None:
        """Open ``path``, else the latest recent document, else the default one, else welcome."""
        if path is not None:
            return self.open_path(path)
        for recent in settings.recent_files():
            if Path(recent).exists():
                return self.open_path(recent)
        default = paths.default_document_path()
        if default.exists():
            return self.open_path(default)
        self.show_welcome(default)
        return None

    def show_welcome(self, path: Path | None = None, *, title: str | None = None) -> QWidget:
        """Ask for the unit (non-blocking); accepting creates the document at ``path``."""
        from ui.dialogs.welcome_dialog import WelcomeDialog

        target = Path(path) if path is not None else paths.default_document_path()
        dlg = WelcomeDialog(self, title=title)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.accepted.connect(lambda: self._create_document(target, dlg.values()))
        dlg.finished.connect(lambda _r: setattr(self, "welcome_dialog", None))
        self.welcome_dialog = dlg
        dlg.open()
        return dlg

    def _create_document(self, path: Path, values: dict[str, Any]) -> Task:
        runner = self.ctx.runner

        def work(_progress: Any, _cancelled: Any) -> Document:
            path.parent.mkdir(parents=True, exist_ok=True)
            return runner.run_owned(lambda: docsvc.new_document(path, **values))

        return run_task(self, work, title=_tr("Đang tạo tài liệu…"), on_done=self._on_opened,
                        on_error=self._on_open_failed, cancellable=False)

    def new_document(self) -> None:
        start = settings.get(settings.LAST_FOLDER) or str(paths.user_data_dir())
        fname, _ = QFileDialog.getSaveFileName(
            self, _tr("Tạo tài liệu mới"), str(Path(start) / "hoso.khoi"), DOCUMENT_FILTER
        )
        if not fname:
            return
        target = Path(fname)
        if target.suffix.lower() != ".khoi":
            target = target.with_name(target.name + ".khoi")
        settings.put(settings.LAST_FOLDER, str(target.parent))
        self.show_welcome(target, title=_tr("Tài liệu mới"))

    def open_dialog(self) -> None:
        """Tệp > Mở: a document opens in this window; a dossier PDF is verified (and can be imported)."""
        start = settings.get(settings.LAST_FOLDER) or str(paths.user_data_dir())
        fname, _ = QFileDialog.getOpenFileName(self, _tr("Mở tài liệu"), start, OPEN_FILTER)
        if not fname:
            return
        settings.put(settings.LAST_FOLDER, str(Path(fname).parent))
        if Path(fname).suffix.lower() == ".pdf":
            self.open_dossier_pdf(fname)
            return
        self.open_path(fname)

    def is_open(self, path: str | Path) -> bool:
        """``path`` is the document open in this window (compared as resolved paths)."""
        doc = self.ctx.doc
        if doc is None:
            return False
        try:
            return Path(path).resolve() == Path(doc.path).resolve()
        except OSError:
            return False

    def open_path(self, path: str | Path) -> Task | None:
        """Open a document in the background; errors leave the current one open and the file untouched.

        The document already open here stays as it is (opening it again would find it locked by
        this very window and open it read-only); None is returned then.
        """
        target = Path(path)
        if self.is_open(target):
            self.statusBar().showMessage(_tr("Tài liệu «{name}» đang mở trong cửa sổ này.").format(name=target.name), 8000)
            return None

        runner = self.ctx.runner

        def work(_progress: Any, _cancelled: Any) -> Document:
            return runner.open(target)  # opened (and upgraded, if older) on the document's thread

        return run_task(self, work, title=_tr("Đang mở tài liệu…"), on_done=self._on_opened,
                        on_error=lambda exc: self._on_open_failed(exc, target), cancellable=False)

    def _on_opened(self, doc: Document) -> None:
        try:
            periods = self.ctx.runner.run_owned(lambda: docsvc.list_periods(doc))
        except Exception as exc:  # noqa: BLE001 - shown; nothing else is open yet
            doc.close()
            self._on_open_failed(exc)
            return
        year = periods[-1].year_end if periods else None
        self.flush_edits()
        if not self._keep_unsaved_edits():  # the moved document's edits are not let go without asking
            self.ctx.runner.run_owned(doc.close)
            return
        self.ctx.set_document(doc, year)
        settings.add_recent_file(doc.path)
        self._fill_recent_menu()
        if doc.backup_path is not None:
            self.statusBar().showMessage(
                _tr("Tài liệu đã được nâng cấp; bản sao trước khi nâng cấp: {path}").format(path=doc.backup_path),
                15000,
            )

    def _on_open_failed(self, exc: BaseException, path: Path | None = None) -> None:
        self.last_error = exc
        if isinstance(exc, DocumentNotFoundError) and path is not None:
            settings.remove_recent_file(path)
            self._fill_recent_menu()
        show_error(self, exc)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = settings.recent_files()
        for i, f in enumerate(files):
            act = self.recent_menu.addAction(f"&{i + 1}  {f}")
            act.triggered.connect(lambda _=False, p=f: self.open_path(p))
        if not files:
            act = self.recent_menu.addAction(_tr("(chưa có tài liệu nào)"))
            act.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction(_tr("Xóa danh sách"))
            clear.triggered.connect(self._clear_recent_files)

    def _clear_recent_files(self) -> None:
        settings.clear_recent_files()
        self._fill_recent_menu()

    # ------------------------------------------------------------------ periods
    def _fill_periods(self) -> None:
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        doc = self.ctx.doc
        if doc is not None:
            for p in self.ctx.read(docsvc.list_periods):
                self.period_combo.addItem(_tr("Năm {label}").format(label=p.label), p.year_end)
            if not doc.read_only:
                self.period_combo.addItem(_tr("Thêm kỳ đánh giá…"), ADD_PERIOD)
            idx = self.period_combo.findData(self.ctx.year)
            if idx >= 0:
                self.period_combo.setCurrentIndex(idx)
        self.period_combo.setEnabled(doc is not None)
        self.period_combo.blockSignals(False)

    def _on_period_combo_activated(self, index: int) -> None:
        data = self.period_combo.itemData(index)
        if data == ADD_PERIOD:
            self._fill_periods()  # back to the current year until the new one exists
            self.add_period()
            return
        if isinstance(data, int):
            self.flush_edits()
            self.ctx.set_year(data)

    def add_period(self) -> None:
        doc = self.ctx.doc
        if doc is None or doc.read_only:
            return
        dlg = QInputDialog(self)
        dlg.setWindowTitle(_tr("Thêm kỳ đánh giá"))
        dlg.setLabelText(_tr("Năm đánh giá:"))
        dlg.setInputMode(QInputDialog.InputMode.IntInput)
        dlg.setIntRange(docsvc.MIN_YEAR, docsvc.MAX_YEAR)
        dlg.setIntValue((self.ctx.year or dt.date.today().year) + 1)
        dlg.setOkButtonText(_tr("Thêm"))
        dlg.setCancelButtonText(_tr("Hủy"))
        if not dlg.exec():
            return
        year = dlg.intValue()
        try:
            current = self.ctx.read(docsvc.list_periods)
            target_model = bool(current and current[-1].target_model)
            self.ctx.write(lambda d: docsvc.add_period(d, year=year, target_model=target_model))
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return
        self.ctx.set_year(year)
        self._fill_periods()

    # ------------------------------------------------------------------ state shown
    def _on_ctx_document_opened(self) -> None:
        doc = self.ctx.doc
        self._saved_at = None
        self._fill_periods()
        ro = doc is not None and doc.read_only
        if ro:
            reason = getattr(doc, "read_only_reason", "") or _tr("tài liệu được mở để xem")
            if getattr(doc, "locked_by", ""):
                advice = _tr("Muốn sửa, hãy đóng cửa sổ kia rồi mở lại tài liệu.")
            else:
                advice = _tr(
                    "Muốn sửa, hãy chép tệp vào thư mục có quyền ghi (ví dụ thư mục Tài liệu) rồi mở bản chép."
                )
            self.read_only_banner.setText(
                _tr("Tài liệu đang mở ở chế độ chỉ đọc vì {reason}: xem được nhưng không sửa được. {advice}").format(
                    reason=reason, advice=advice
                )
            )
        self.read_only_banner.setVisible(ro)
        self.act_add_period.setEnabled(doc is not None and not ro)
        self.act_import.setEnabled(not ro)  # with no document open, the import makes a new one
        self.act_import.setToolTip(
            _tr("Tài liệu đang mở ở chế độ chỉ đọc nên không nhập hồ sơ vào được.") if ro else ""
        )
        self.act_backups.setEnabled(doc is not None)
        self.act_signature_images.setEnabled(doc is not None)
        self.act_save_as.setEnabled(doc is not None)
        self.moved_banner.setVisible(doc is not None and self.ctx.runner.unsaved_count > 0)
        self._update_title()
        self._update_status()

    # ------------------------------------------------------------------ «Lưu thành…»
    def _on_document_moved(self, unsaved: int) -> None:
        doc = self.ctx.doc
        if doc is None:
            return
        text = _tr(
            "Tệp «{name}» đã bị xóa, đổi tên hoặc chuyển đi nơi khác trong lúc đang mở. Khối vẫn giữ "
            "dữ liệu đã lưu trước đó"
        ).format(name=doc.path.name)
        if unsaved:
            text += _tr(" và {n} thay đổi vừa làm (chưa ghi được vào tệp)").format(n=unsaved)
        text += _tr(". Bấm «Lưu thành…» để lưu tất cả vào một tệp mới rồi làm việc tiếp trên tệp đó.")
        self.moved_label.setText(text)
        self.moved_banner.show()
        self.saved_label.setText(
            _tr("Chưa lưu: {n} thay đổi").format(n=unsaved) if unsaved else _tr("Tệp đã bị chuyển đi")
        )

    def save_as_dialog(self) -> None:
        """Tệp > Lưu thành…: the open document written to a new file; work goes on there."""
        doc = self.ctx.doc
        if doc is None:
            return
        self.flush_edits()
        folder = doc.path.parent if doc.path.parent.is_dir() else Path(
            settings.get(settings.LAST_FOLDER) or str(paths.user_data_dir()))
        fname, _ = QFileDialog.getSaveFileName(
            self, _tr("Lưu tài liệu thành"), str(folder / doc.path.name), DOCUMENT_FILTER
        )
        if not fname:
            return
        target = Path(fname)
        if target.suffix.lower() != ".khoi":
            target = target.with_name(target.name + ".khoi")
        self.save_as(target)

    def save_as(self, target: Path) -> None:
        """Write the open document to ``target`` (in the background) and go on working there."""
        self.ctx.runner.save_as(target, on_error=lambda exc: show_error(self, exc), parent=self)

    def _on_saved_as(self, path: Path) -> None:
        settings.put(settings.LAST_FOLDER, str(Path(path).parent))
        settings.add_recent_file(path)
        self._fill_recent_menu()
        self.moved_banner.hide()
        self._on_ctx_document_opened()
        self.statusBar().showMessage(_tr("Đã lưu tài liệu thành «{path}».").format(path=path), 15000)

    def _save_for_recovery(self) -> Path | None:
        """The moved document and its kept edits written to ``<data>/khoi-phuc/`` (session end)."""
        doc = self.ctx.doc
        if doc is None:
            return None
        from khoiapp.safename import safe_component

        folder = paths.user_data_dir() / "khoi-phuc"
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / safe_component(f"{doc.path.stem}-{stamp}", suffix=".khoi")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("no recovery folder: %s", exc)
            return None
        failed: list[BaseException] = []
        self.ctx.runner.save_as(target, on_error=failed.append)
        self.ctx.runner.wait_idle()
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        if failed:
            log.warning("recovery copy not written: %s", failed[0])
            return None
        log.info("moved document saved for recovery at %s", target)
        return target

    def _keep_unsaved_edits(self) -> bool:
        """Before the document closes: offer «Lưu thành…» for edits a moved file could not take.

        True when the document may close (nothing to keep, saved, or the user let the edits go).
        """
        n = self.ctx.runner.unsaved_count
        if self.ctx.doc is None or n == 0:
            return True
        if self.terminating:  # log-off or shutdown: nobody to ask; kept in the recovery folder
            self._save_for_recovery()
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, _tr("Còn thay đổi chưa lưu"), _tr(
            "Tệp của tài liệu đã bị xóa hoặc đổi tên nên {n} thay đổi vừa làm chưa được lưu. "
            "Lưu tài liệu thành một tệp mới trước khi đóng?"
        ).format(n=n), QMessageBox.StandardButton.NoButton, self)
        save = box.addButton(_tr("Lưu thành…"), QMessageBox.ButtonRole.AcceptRole)
        drop = box.addButton(_tr("Bỏ các thay đổi"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(_tr("Quay lại"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        if box.clickedButton() is drop:
            return True
        if box.clickedButton() is save:
            self.save_as_dialog()
            self.ctx.runner.wait_idle()
            QCoreApplication.processEvents()
            return self.ctx.runner.unsaved_count == 0
        return False

    def _on_ctx_period_changed(self, _year: object) -> None:
        idx = self.period_combo.findData(self.ctx.year)
        if idx >= 0 and idx != self.period_combo.currentIndex():
            self.period_combo.blockSignals(True)
            self.period_combo.setCurrentIndex(idx)
            self.period_combo.blockSignals(False)
        self._update_status()

    def _on_ctx_document_changed(self, changes: Any) -> None:
        self._saved_at = dt.datetime.now()
        if isinstance(changes, docsvc.Changes) and changes.unit:
            self._update_title()
        if isinstance(changes, docsvc.Changes) and changes.period_ids:
            self._fill_periods()
        self._update_status()

    def _update_title(self) -> None:
        doc = self.ctx.doc
        if doc is None:
            self.setWindowTitle(_tr("Khối"))
            return
        unit = self.ctx.read(docsvc.get_unit)
        name = unit.name if unit else doc.path.name
        suffix = _tr(" (chỉ đọc)") if doc.read_only else ""
        self.setWindowTitle(f"{name}{suffix} — Khối")

    def _update_status(self) -> None:
        doc, year = self.ctx.doc, self.ctx.year
        if doc is None or year is None:
            self.readiness_label.setText(_tr("Chưa mở tài liệu nào"))
            self.result_label.setText("")
            self.saved_label.setText("")
            return
        try:
            summary = self.ctx.period_summary(year)
        except Exception as exc:  # noqa: BLE001 - the status bar must never break the window
            log.warning("status summary failed: %s", exc)
            return
        r = summary.readiness
        self.readiness_label.setText(
            _tr("Đã đánh giá {a}/{t} · đủ minh chứng {e}/{t}").format(a=r.answered, e=r.evidence_ok, t=r.total)
        )
        self.result_label.setText(_tr("Kết quả: {label}").format(label=summary.result_label))
        if doc.read_only:
            self.saved_label.setText(_tr("Chỉ đọc: thay đổi không được lưu"))
        elif self._saved_at is not None:
            self.saved_label.setText(_tr("Đã lưu lúc {t}").format(t=self._saved_at.strftime("%H:%M")))
        else:
            self.saved_label.setText(_tr("Mọi thay đổi được lưu ngay"))

    # ------------------------------------------------------------------ other actions
    def export_dossier(self) -> QWidget | None:
        """Open «Xuất hồ sơ»; the window is locked for edits until it closes.

        The dialog is not modal: a modal dialog blocks the main window so completely that closing
        it (its title bar's ×) is dropped without a word. Instead the pages, menus, toolbar and the
        window's shortcuts are locked while the dialog is open (the dossier shows the document as it
        was when the dialog opened), and closing the window still asks what to do with a running
        export (see :meth:`closeEvent`).
        """
        if self._export_cls is None or self.ctx.doc is None:
            return None
        if self.export_dialog is not None:
            self.export_dialog.raise_()
            self.export_dialog.activateWindow()
            return self.export_dialog
        self.flush_edits()
        try:
            dlg = self._export_cls(self.ctx, self)
        except Exception as exc:  # noqa: BLE001 - e.g. the document could not be read
            show_error(self, exc)
            return None
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.setWindowModality(Qt.WindowModality.NonModal)
        # after the dialog has closed and the window is unlocked
        dlg.navigate_requested.connect(
            lambda kind, code: QTimer.singleShot(0, lambda: self.go_to_preflight_item(kind, code)))
        dlg.finished.connect(self._on_export_dialog_finished)
        self.export_dialog = dlg
        self._lock_editing(True)
        dlg.show()
        return dlg

    def _on_export_dialog_finished(self, _result: int = 0) -> None:
        self.export_dialog = None
        self._lock_editing(False)

    def _lock_editing(self, on: bool) -> None:
        """No edit, menu or shortcut of this window while ``on`` (the export dialog is open)."""
        self.editing_locked = on
        for w in (self.centralWidget(), self.menuBar(), self.toolbar):
            if w is not None:
                w.setEnabled(not on)
        app = QApplication.instance()
        if app is not None:
            if on:
                app.installEventFilter(self._shortcut_guard)
            else:
                app.removeEventFilter(self._shortcut_guard)

    def go_to_preflight_item(self, kind: str, code: str | None) -> None:
        """Show what a preflight item is about: the unit page for "profile", else the criterion."""
        if kind == "profile":
            page = self.show_page("don-vi")
            saver = getattr(page, "unit_edits", {}).get(code or "")
            if saver is not None:
                saver.edit.setFocus()
            return
        page = self.show_page("tieu-chi")
        if code:
            page.select_code(code)  # type: ignore[attr-defined]

    def verify_dossier(self, path: str | Path | None = None) -> QWidget:
        """Open the «Kiểm tra hồ sơ PDF» dialog (non-blocking); with ``path`` it checks that file."""
        from ui.dialogs.verify_dialog import VerifyDialog

        dlg = VerifyDialog(path, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        return dlg

    def cosign_dossier(self, path: str | Path | None = None) -> QWidget:
        """Open the «Ký tiếp hồ sơ» dialog (non-blocking; needs no open document)."""
        from ui.dialogs.cosign_dialog import CosignDialog

        dlg = CosignDialog(path, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        return dlg

    def show_bloc(self) -> QWidget:
        """Open the «Tổng hợp khối» workspace (non-blocking; works on files, needs no open document)."""
        from ui.dialogs.bloc_workspace import BlocWorkspace

        dlg = BlocWorkspace(self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        return dlg

    def open_dossier_pdf(self, path: str | Path) -> QWidget:
        """Verify a dossier PDF and offer «Nhập hồ sơ này…» once it reads as a Khối dossier."""
        dlg = self.verify_dossier(path)
        button = QPushButton(_tr("Nhập hồ sơ này…"), dlg)
        button.setObjectName("importDossierButton")
        button.setToolTip(_tr("Tạo kỳ đánh giá mới từ hồ sơ này (trình hướng dẫn nhập hồ sơ năm trước)"))
        button.setEnabled(False)
        close = dlg.findChild(QPushButton, "closeButton")
        outer = dlg.layout()
        row = _layout_holding(outer, close) if close is not None else None
        if row is not None and close is not None:
            row.insertWidget(row.indexOf(close), button)
        elif outer is not None:
            outer.addWidget(button)
        button.show()  # the dialog is already shown

        def on_verified(report: Any) -> None:
            ro = self.ctx.doc is not None and self.ctx.doc.read_only
            button.setEnabled(bool(getattr(report, "payload_present", False)) and not ro)
            if ro:
                button.setToolTip(_tr("Tài liệu đang mở ở chế độ chỉ đọc nên không nhập hồ sơ vào được."))

        def start_import() -> None:
            chosen = getattr(dlg, "path_edit", None)
            target = chosen.text().strip() if chosen is not None else ""
            dlg.close()
            self.import_dossier(target or path)

        dlg.verified.connect(on_verified)  # type: ignore[attr-defined]
        dlg.path_edit.textChanged.connect(lambda _t: button.setEnabled(False))  # type: ignore[attr-defined]
        button.clicked.connect(start_import)
        if getattr(dlg, "report", None) is not None:  # verified already (synchronous pool)
            on_verified(dlg.report)  # type: ignore[attr-defined]
        return dlg

    def import_dossier(self, path: str | Path | None = None) -> QWidget | None:
        """«Nhập hồ sơ năm trước» (non-blocking); ``path`` preselects the dossier PDF."""
        from ui.dialogs.import_wizard import ImportWizard

        if self.ctx.doc is not None and self.ctx.doc.read_only:
            return None
        self.flush_edits()
        wiz = ImportWizard(self.ctx, self)
        wiz.setWindowModality(Qt.WindowModality.WindowModal)
        if path is not None:
            page = wiz.choose_page
            page.path_edit.setText(str(path))
            if page.new_edit.isVisibleTo(page) and not page.new_edit.text():
                page.new_edit.setText(str(Path(path).with_suffix(".khoi")))
        wiz.finished.connect(lambda _r: self._on_import_wizard_finished(wiz))
        self.import_wizard = wiz
        wiz.open()
        return wiz

    def _on_import_wizard_finished(self, wiz: Any) -> None:
        if self.import_wizard is wiz:
            self.import_wizard = None
        result = wiz.result
        doc = self.ctx.doc
        wiz.deleteLater()
        if result is None or doc is None:
            return
        settings.add_recent_file(doc.path)
        self._fill_recent_menu()
        self._fill_periods()
        self.show_page("tieu-chi")
        self.statusBar().showMessage(
            _tr(
                "Đã tạo kỳ đánh giá năm {year} từ hồ sơ năm {source}: {n} tiêu chí cần xác nhận "
                "(dùng «Xác nhận tất cả tiêu chí không đổi» ở trang Tiêu chí)."
            ).format(year=result.year, source=result.source_year, n=result.criteria_to_confirm),
            20000,
        )

    def show_backups(self) -> QWidget | None:
        """«Sao lưu và khôi phục» for the open document (non-blocking)."""
        from ui.dialogs.backups_dialog import BackupsDialog

        if self.ctx.doc is None:
            return None
        self.flush_edits()
        dlg = BackupsDialog(self.ctx, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.finished.connect(lambda _r: setattr(self, "backups_dialog", None))
        self.backups_dialog = dlg
        dlg.open()
        return dlg

    def show_signature_images(self) -> QWidget | None:
        """«Ảnh chữ ký và con dấu» of the open document (non-blocking)."""
        from ui.dialogs.signature_images import SignatureImagesDialog

        if self.ctx.doc is None:
            return None
        dlg = SignatureImagesDialog(self.ctx, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        return dlg

    def show_settings(self) -> None:
        from ui.dialogs.settings_dialog import SettingsDialog

        SettingsDialog(self).exec()

    def show_about(self) -> QWidget:
        """«Giới thiệu»: version, bundled criteria sets and libraries, licence texts (non-blocking)."""
        from ui.dialogs.about_dialog import AboutDialog

        dlg = AboutDialog(self.ctx.doc.path if self.ctx.doc else None, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.show()
        return dlg

    def show_help(self, page_name: str | None = None) -> QWidget:
        """The user guide (F1), at the section of ``page_name`` when given (the toolbar's «?»)."""
        from ui.dialogs.help_dialog import open_help

        return open_help(self, page_name)

    def flush_edits(self) -> None:
        """Save any text typed but not yet saved (focus leaving saves it)."""
        w = QApplication.focusWidget()
        if w is not None and self.isAncestorOf(w):
            w.clearFocus()
        for page in self.pages:
            flush = getattr(page, "flush", None)
            if callable(flush):
                flush()

    # ------------------------------------------------------------------ closing
    def _stop_running_work(self) -> None:
        """Before the document closes or changes: cancel the work still running and wait for it."""
        cancel_all()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.export_dialog is not None:
            self.export_dialog.raise_()  # what is running is in sight while the question is asked
        if active_tasks() and self.terminating:
            wait_for_all()  # the system is stopping the app: nobody is there to answer a question
        elif active_tasks():
            wait = ask(
                self,
                _tr("Khối đang làm việc"),
                _tr(
                    "Khối đang làm một việc chưa xong (ví dụ thêm minh chứng hoặc xuất hồ sơ). "
                    "Đóng lúc này có thể làm việc đó dở dang. Chờ việc đó xong rồi đóng?"
                ),
                _tr("Chờ xong rồi đóng"),
                _tr("Không đóng"),
            )
            if not wait:
                event.ignore()
                return
            wait_for_all()
        if self.export_dialog is not None:
            self.export_dialog.close()  # its preview released; the window unlocked
            QCoreApplication.processEvents()
        self.flush_edits()
        if not self._keep_unsaved_edits():
            event.ignore()
            return
        settings.put(settings.WINDOW_GEOMETRY, self.saveGeometry())
        self.ctx.set_document(None, None)  # queued after the work already asked for; closes the lock
        self.ctx.runner.shutdown()
        event.accept()


class _ShortcutGuard(QObject):
    """While the export dialog is open: the main window's own shortcuts (Ctrl+Z, Ctrl+1…) do nothing."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Shortcut and isinstance(obj, QAction) and obj.parent() is self._window:
            return obj is not getattr(self._window, "act_quit", None)  # Ctrl+Q still asks, as the × does
        return False


def _layout_holding(layout: Any, widget: QWidget) -> QBoxLayout | None:
    """The box layout (inside ``layout``, at any depth) that holds ``widget`` directly."""
    if layout is None:
        return None
    if isinstance(layout, QBoxLayout) and layout.indexOf(widget) >= 0:
        return layout
    for i in range(layout.count()):
        found = _layout_holding(layout.itemAt(i).layout(), widget)
        if found is not None:
            return found
    return None
