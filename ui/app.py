"""Starting the window: QApplication, Vietnamese translations, fonts, scale, error hook."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from types import TracebackType
from typing import Any

NO_DISPLAY_MESSAGE = (
    "Không tìm thấy màn hình để mở cửa sổ Khối (máy đang chạy không có giao diện đồ họa). "
    "Hãy chạy Khối trên máy có màn hình, hoặc dùng các lệnh dòng lệnh: python main.py --help"
)

FONT_CANDIDATES = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial", "Tahoma")


def has_display() -> bool:
    """False on Linux without X11/Wayland (and no explicit Qt platform), where Qt would abort."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _apply_scale() -> None:
    """The interface scale from the app settings (only if the user did not set Qt's own)."""
    if os.environ.get("QT_SCALE_FACTOR"):
        return
    try:
        from khoiapp import appconfig

        scale = float(appconfig.load().ui_scale)
    except Exception:  # noqa: BLE001 - a broken config must not stop the app from starting
        return
    if abs(scale - 1.0) > 0.01:
        os.environ["QT_SCALE_FACTOR"] = f"{scale:.2f}"


# Qt ships no Vietnamese catalogue for its own widgets (qtbase_vi): these are the strings an
# officer meets (text box menus, standard buttons, the file dialog on Linux), so none is English.
QT_VIETNAMESE = {
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "Cắ&t",
    "&Copy": "&Sao chép",
    "Copy &Link Location": "Sao chép địa chỉ &liên kết",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "&Select All": "&Chọn tất cả",
    "&Step up": "&Tăng",
    "Step &down": "&Giảm",
    "OK": "Đồng ý",
    "&OK": "Đồng ý",
    "Save": "Lưu",
    "&Save": "&Lưu",
    "Save All": "Lưu tất cả",
    "Open": "Mở",
    "&Open": "&Mở",
    "Cancel": "Hủy",
    "&Cancel": "&Hủy",
    "Close": "Đóng",
    "&Close": "Đó&ng",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Help": "Trợ giúp",
    "Discard": "Bỏ",
    "Don't Save": "Không lưu",
    "Close without Saving": "Đóng không lưu",
    "Yes": "Có",
    "&Yes": "&Có",
    "Yes to &All": "Có với tất cả",
    "No": "Không",
    "&No": "&Không",
    "N&o to All": "Không với tất cả",
    "Abort": "Dừng",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Restore Defaults": "Khôi phục mặc định",
    "Show Details...": "Xem chi tiết…",
    "Hide Details...": "Ẩn chi tiết…",
    "Look in:": "Tìm trong:",
    "File &name:": "Tê&n tệp:",
    "File name:": "Tên tệp:",
    "Files of type:": "Loại tệp:",
    "Directory:": "Thư mục:",
    "Back": "Lùi",
    "Forward": "Tiến",
    "Parent Directory": "Thư mục cha",
    "Go back": "Quay lại",
    "Go forward": "Đi tiếp",
    "Go to the parent directory": "Lên thư mục cha",
    "Create New Folder": "Tạo thư mục mới",
    "Create a New Folder": "Tạo thư mục mới",
    "New Folder": "Thư mục mới",
    "&New Folder": "Thư mục &mới",
    "List View": "Dạng danh sách",
    "Change to list view mode": "Xem dạng danh sách",
    "Detail View": "Dạng chi tiết",
    "Change to detail view mode": "Xem dạng chi tiết",
    "Recent Places": "Nơi gần đây",
    "Show &hidden files": "Hiện tệp &ẩn",
    "&Rename": "Đổi &tên",
    "&Delete": "&Xóa",
    "Save As": "Lưu thành",
    "Name": "Tên",
    "Size": "Dung lượng",
    "Type": "Loại",
    "Kind": "Loại",
    "Date Modified": "Ngày sửa",
    "Computer": "Máy tính",
    "My Computer": "Máy tính",
    "All Files (*)": "Mọi tệp (*)",
}


def _vietnamese_fallback() -> Any:
    """A translator for Qt's own strings (contexts starting with "Q"); ours pass through."""
    from PySide6.QtCore import QTranslator

    class QtVietnameseTranslator(QTranslator):
        def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:  # type: ignore[override]
            if context and context.startswith("Q"):
                return QT_VIETNAMESE.get(source)
            return None

        def isEmpty(self) -> bool:  # noqa: N802 - Qt override
            return False

    return QtVietnameseTranslator()


def install_translators(app: object) -> list[object]:
    """Qt's own Vietnamese catalogue (stock dialogs) and ours, when present."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from khoiapp.paths import resources_dir

    kept: list[Any] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (
        ("qtbase_vi", qt_dir),
        ("qtbase_vi", str(resources_dir() / "translations")),
        ("khoi_vi", str(resources_dir() / "translations")),
    ):
        tr = QTranslator()
        if tr.load(name, folder):
            app.installTranslator(tr)  # type: ignore[attr-defined]
            kept.append(tr)
    if not any("qtbase" in t.filePath() for t in kept):
        fallback = _vietnamese_fallback()
        app.installTranslator(fallback)  # type: ignore[attr-defined]
        kept.append(fallback)
    return kept


def pick_font_family() -> str | None:
    """A UI font that has every Vietnamese letter (old Windows fonts and bare Linux lack some)."""
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    current = QGuiApplication.font().family()
    families = set(QFontDatabase.families())
    for fam in (current, *FONT_CANDIDATES):
        if fam in families and QFontDatabase.WritingSystem.Vietnamese in QFontDatabase.writingSystems(fam):
            return fam
    return None


def install_excepthook() -> None:
    """Unexpected errors: traceback to the log file, a short Vietnamese apology on screen."""

    def hook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        from PySide6.QtWidgets import QApplication

        from ui.errors import show_error

        if value.__traceback__ is None:
            value = value.with_traceback(tb)
        try:
            show_error(QApplication.activeWindow(), value)
        except Exception:  # noqa: BLE001 - never let the hook itself crash the app
            sys.__excepthook__(etype, value, tb)

    sys.excepthook = hook


def app_icon() -> Any:
    """The app's icon (window title bar, taskbar)."""
    from PySide6.QtGui import QIcon

    from khoiapp.paths import resources_dir

    return QIcon(str(resources_dir() / "icons" / "khoi.svg"))


def create_application(argv: Sequence[str]) -> Any:
    from PySide6.QtCore import QLocale, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    _apply_scale()
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app: Any = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName("Khối")
    app.setOrganizationName("Khoi")
    app.setApplicationDisplayName("Khối")
    app.setWindowIcon(app_icon())
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))  # dd/mm/yyyy, 87,5
    app._khoi_translators = install_translators(app)  # type: ignore[attr-defined]
    family = pick_font_family()
    if family:
        font = app.font()
        font.setFamily(family)
        app.setFont(font)
    return app


def run(argv: Sequence[str]) -> int:
    """Open the main window; returns the exit status."""
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING)
    app = create_application(argv)
    install_excepthook()
    from ui.main_window import MainWindow

    from ui.launcher import file_argument, open_initial

    window = MainWindow()
    window.show()
    _close_on_termination(window)
    app.commitDataRequest.connect(lambda manager: close_for_session_end(window, manager))
    open_initial(window, file_argument(list(argv[1:])))
    status = int(app.exec())  # type: ignore[attr-defined]
    # Background checks (e.g. a dossier's verification) may still run after the last window
    # closed (log-off while checking): let them end while QApplication still exists.
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone()
    return status


def close_for_session_end(window: Any, manager: Any = None) -> None:
    """Log-off or shutdown (``commitDataRequest``): save, close the document, quit; ask nothing.

    Windows ends the process soon after the session manager's request, so pending edits are saved
    and the lock file removed now; the user is not there to answer a question.
    """
    from PySide6.QtWidgets import QApplication

    window.terminating = True
    if manager is not None and hasattr(manager, "release"):
        manager.release()  # no interaction wanted
    window.close()
    QApplication.quit()


def _close_on_termination(window: Any) -> None:
    """On SIGTERM/SIGINT (log-off, shutdown, Ctrl+C) close the window as the user would.

    Pending edits are saved and the document is closed (its lock file removed), so what is left
    on disk is the single document file. Python runs signal handlers only between bytecodes, so a
    light timer gives it the chance while Qt's event loop runs.
    """
    import signal

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def _on_signal(_signum: int, _frame: object) -> None:
        window.terminating = True  # finish running work without asking, then close
        QTimer.singleShot(0, lambda: window.close() and QApplication.quit())

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _on_signal)
    tick = QTimer(window)
    tick.timeout.connect(lambda: None)
    tick.start(250)
