"""An in-app view of a dossier PDF (all pages, scrolling) and printing it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QRectF, QSize, QThreadPool
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from khoiapp.errors import KhoiError


PRINT_DPI = 300
_load_pool: QThreadPool | None = None


def _pool() -> QThreadPool:
    """Loading previews: a thread of its own, never behind an export or an edit."""
    global _load_pool
    if _load_pool is None:
        _load_pool = QThreadPool()
        _load_pool.setMaxThreadCount(1)
    return _load_pool


def _load_error(path: Any, err: Any) -> KhoiError:
    return KhoiError(
        _tr("Không hiển thị được tệp «{path}» ({err}). Hãy mở tệp bằng trình đọc PDF khác.").format(
            path=path, err=getattr(err, "name", err)
        )
    )


def _tr(text: str) -> str:
    return QCoreApplication.translate("PdfPreview", text)


def _pool_or_override() -> Any:
    from ui import tasks

    return tasks._pool_override if tasks._pool_override is not None else _pool()


class PdfPreview(QPdfView):
    """A multi-page, fit-to-width view of one PDF file; :meth:`print_dialog` prints it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]  # Qt takes no parent as well
        self.setObjectName("pdfPreview")
        # Not a Qt child of the view: a child document is destroyed half-way through the view's
        # own destruction and its last statusChanged() then reaches the dead view (a crash).
        self.pdf = QPdfDocument()
        self.setDocument(self.pdf)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.setPageSpacing(12)
        self.path: Path | None = None
        self._printer: QPrinter | None = None  # kept: a printer destroyed under its dialog crashes Qt

    def load(self, path: str | Path) -> None:
        """Show ``path`` (parsed on this thread). Raises ``KhoiError`` when Qt cannot read it."""
        self.pdf.close()
        err = self.pdf.load(str(path))
        if err != QPdfDocument.Error.None_:
            raise _load_error(path, err)
        self.path = Path(path)

    def load_async(
        self,
        path: str | Path,
        on_done: Callable[[], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Any:
        """Parse ``path`` off the GUI thread (a large dossier takes a while), then show it.

        A ``QPdfDocument`` is made and loaded on a worker thread, moved to the GUI thread and only
        then given to the view. Returns the task.
        """
        from PySide6.QtCore import QThread

        from ui.tasks import run_task

        gui = QThread.currentThread()
        target = Path(path)

        def work(_progress: Any, _cancelled: Any) -> QPdfDocument:
            pdf = QPdfDocument()
            err = pdf.load(str(target))
            if err != QPdfDocument.Error.None_:
                pdf.close()
                raise _load_error(target, err)
            pdf.moveToThread(gui)  # from its own thread, as Qt asks
            return pdf

        def done(pdf: QPdfDocument) -> None:
            old = self.pdf
            self.pdf = pdf
            self.setDocument(pdf)
            old.close()
            old.deleteLater()
            self.path = target
            if on_done is not None:
                on_done()

        def failed(exc: BaseException) -> None:
            if on_error is not None:
                on_error(exc)

        return run_task(self, work, title=_tr("Đang mở bản xem trước…"), on_done=done, on_error=failed,
                        cancellable=False, pool=_pool_or_override(), show_dialog=False)

    def set_fit(self, mode: str) -> None:
        """``"width"`` (fit the page width), ``"page"`` (whole pages) or ``"actual"`` (100 %)."""
        if mode == "page":
            self.setZoomMode(QPdfView.ZoomMode.FitInView)
        elif mode == "actual":
            self.setZoomMode(QPdfView.ZoomMode.Custom)
            self.setZoomFactor(1.0)
        else:
            self.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def page_count(self) -> int:
        return int(self.pdf.pageCount())

    def clear(self) -> None:
        self.pdf.close()
        self.path = None

    def printer(self) -> QPrinter:
        if self._printer is None:
            self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            self._printer.setDocName(self.path.stem if self.path else "Khoi")
        return self._printer

    def print_dialog(self) -> bool:
        """Ask where and how to print (QPrintDialog), then print. True when something was printed."""
        printer = self.printer()
        printer.setFromTo(1, max(1, self.page_count()))
        dlg = QPrintDialog(printer, self)
        dlg.setWindowTitle(_tr("In hồ sơ"))
        dlg.setMinMax(1, max(1, self.page_count()))
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer) > 0

    def print_to(self, printer: QPrinter) -> int:
        """Render the chosen pages onto ``printer``; returns the number of pages sent."""
        n = self.page_count()
        if n == 0:
            return 0
        first, last = printer.fromPage(), printer.toPage()
        if first <= 0 or last <= 0:
            first, last = 1, n
        last = min(last, n)
        painter = QPainter()
        if not painter.begin(printer):
            raise KhoiError(
                _tr("Không mở được máy in «{name}». Hãy kiểm tra máy in đã bật và được kết nối rồi thử lại.").format(
                    name=printer.printerName() or printer.outputFileName()
                )
            )
        sent = 0
        try:
            for i in range(first - 1, last):
                if sent:
                    printer.newPage()
                target = QRectF(painter.viewport())
                size_pt = self.pdf.pagePointSize(i)
                if size_pt.width() > 0 and size_pt.height() > 0:
                    scale = min(target.width() / size_pt.width(), target.height() / size_pt.height())
                    w, h = size_pt.width() * scale, size_pt.height() * scale
                    target = QRectF(target.x() + (target.width() - w) / 2, target.y(), w, h)
                # at most 300 dpi: a 1200 dpi A4 page would be a 500 MB image
                px = min(1.0, PRINT_DPI / 72 * size_pt.width() / max(1.0, target.width())) if size_pt.width() > 0 else 1.0
                image = self.pdf.render(i, QSize(max(1, int(target.width() * px)), max(1, int(target.height() * px))))
                painter.drawImage(target, image)
                sent += 1
        finally:
            painter.end()
        return sent

    def page_image_size(self, page: int = 0) -> QSize:
        """The size of ``page`` rendered at 1 pixel per point (for tests and thumbnails)."""
        s = self.pdf.pagePointSize(page)
        return QSize(int(s.width()), int(s.height()))

