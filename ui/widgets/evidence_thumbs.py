"""Thumbnails of evidence files: images and the first page of PDFs, made off the GUI thread and cached."""

from __future__ import annotations

import atexit
import contextlib
import logging
import tempfile
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPixmap

from khoiapp.db import Document
from khoiapp.services import evidence as evsvc

log = logging.getLogger(__name__)

THUMB_SIZE = 256  # longest side of a cached thumbnail, in pixels
MAX_SOURCE_BYTES = 80 * 1024 * 1024  # larger files get a generic icon instead of a thumbnail


def can_preview(mime: str) -> bool:
    return mime.startswith("image/") or mime == "application/pdf"


def render_image(path: str | Path, size: int = THUMB_SIZE) -> QImage:
    """Decode an image already scaled down (JPEG decodes at reduced size), EXIF rotation applied."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    src = reader.size()
    if src.isValid() and (src.width() > size or src.height() > size):
        reader.setScaledSize(src.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    img = reader.read()
    if not img.isNull() and (img.width() > size or img.height() > size):
        img = img.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return img


def render_pdf_first_page(path: str | Path, size: int = THUMB_SIZE) -> QImage:
    """The first page of a PDF on a white background (null image if it cannot be read)."""
    from PySide6.QtPdf import QPdfDocument

    pdf = QPdfDocument()
    try:
        pdf.load(str(path))
        if pdf.status() != QPdfDocument.Status.Ready or pdf.pageCount() < 1:
            return QImage()
        pts = pdf.pagePointSize(0)
        if pts.width() <= 0 or pts.height() <= 0:
            return QImage()
        target = QSize(int(pts.width()), int(pts.height())).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio)
        page = pdf.render(0, target)
        if page.isNull():
            return page
        out = QImage(page.size(), QImage.Format.Format_RGB32)
        out.fill(QColor("white"))
        painter = QPainter(out)
        painter.drawImage(0, 0, page)
        painter.end()
        return out
    finally:
        pdf.close()


def render_file(path: str | Path, mime: str, size: int = THUMB_SIZE) -> QImage:
    if mime == "application/pdf":
        return render_pdf_first_page(path, size)
    if mime.startswith("image/"):
        return render_image(path, size)
    return QImage()


_providers: weakref.WeakSet[ThumbnailProvider] = weakref.WeakSet()


def stop_all(msecs: int = 5000) -> None:
    """Drop queued thumbnails and wait for the running ones (before the interpreter exits)."""
    for provider in list(_providers):
        with contextlib.suppress(RuntimeError):  # already deleted on the C++ side
            provider.forget_pending()
            provider.wait(msecs)


atexit.register(stop_all)


class _Relay(QObject):
    ready = Signal(str, QImage)


class _ThumbJob(QRunnable):
    def __init__(self, doc: Document, sha: str, mime: str, cache_file: Path, relay: _Relay) -> None:
        super().__init__()
        # Python keeps the job alive until its result is back on the GUI thread: letting Qt delete
        # a Python-owned runnable on the worker thread corrupts reference counts at exit.
        self.setAutoDelete(False)
        self.doc, self.sha, self.mime, self.cache_file, self.relay = doc, sha, mime, cache_file, relay

    def run(self) -> None:
        img = QImage()
        try:
            with tempfile.TemporaryDirectory(prefix="khoi-thumb-") as tmp:
                src = Path(tmp) / "source"
                with open(src, "wb") as fh:
                    evsvc.copy_blob_to(self.doc, self.sha, fh)
                img = render_file(src, self.mime)
            if not img.isNull():
                with contextlib.suppress(OSError):
                    self.cache_file.parent.mkdir(parents=True, exist_ok=True)
                    img.save(str(self.cache_file), b"PNG")
        except Exception:  # noqa: BLE001 - a missing thumbnail is not worth an error dialog
            log.info("no thumbnail for %s", self.sha, exc_info=True)
        self.relay.ready.emit(self.sha, img)


class ThumbnailProvider(QObject):
    """Hands out thumbnails by content hash; ``thumbnail_ready(sha)`` once one has been made.

    Thumbnails are cached in memory and as PNG files under the temporary folder, so reopening a
    document or scrolling never decodes the same file twice. Work runs on one background thread.
    """

    thumbnail_ready = Signal(str)

    def __init__(self, parent: QObject | None = None, cache_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir or Path(tempfile.gettempdir()) / "khoi-thumbnails"
        self._images: dict[str, QImage] = {}
        self._pixmaps: dict[tuple[str, int], QPixmap] = {}
        self._pending: set[str] = set()
        self._failed: set[str] = set()
        self._jobs: dict[str, _ThumbJob] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.ready.connect(self._on_relay_ready)
        _providers.add(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_app_about_to_quit)

    def _on_app_about_to_quit(self) -> None:
        self.forget_pending()
        self.wait(5000)

    def _cache_file(self, sha: str) -> Path:
        return self.cache_dir / f"{sha}-{THUMB_SIZE}.png"

    def image(self, doc: Document | None, sha: str | None, mime: str, size: int) -> QImage | None:
        """The thumbnail if known; otherwise starts making it and returns None."""
        if not sha or not can_preview(mime) or sha in self._failed:
            return None
        img = self._images.get(sha)
        if img is None:
            cached = self._cache_file(sha)
            if cached.exists():
                img = QImage(str(cached))
                if not img.isNull():
                    self._images[sha] = img
                else:
                    img = None
        if img is not None:
            return img
        if doc is not None and sha not in self._pending and size <= MAX_SOURCE_BYTES:
            self._pending.add(sha)
            job = _ThumbJob(doc, sha, mime, self._cache_file(sha), self._relay)
            self._jobs[sha] = job
            self._pool.start(job)
        return None

    def pixmap(self, doc: Document | None, sha: str | None, mime: str, file_size: int, edge: int) -> QPixmap | None:
        """A pixmap of at most ``edge`` pixels on its longest side, or None (not ready / not possible)."""
        key = (sha or "", edge)
        pm = self._pixmaps.get(key)
        if pm is not None:
            return pm
        img = self.image(doc, sha, mime, file_size)
        if img is None:
            return None
        pm = QPixmap.fromImage(
            img.scaled(edge, edge, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            if img.width() > edge or img.height() > edge
            else img
        )
        self._pixmaps[key] = pm
        return pm

    def is_pending(self, sha: str) -> bool:
        return sha in self._pending

    def wait(self, msecs: int = -1) -> bool:
        """Block until queued thumbnails are made (closing a document, tests)."""
        return bool(self._pool.waitForDone(msecs))

    def forget_pending(self) -> None:
        self._pool.clear()  # jobs not started yet; they stay in ``_jobs`` until garbage

    def _on_relay_ready(self, sha: str, img: Any) -> None:
        self._pending.discard(sha)
        self._jobs.pop(sha, None)
        if img is None or img.isNull():
            self._failed.add(sha)
        else:
            self._images[sha] = img
        self.thumbnail_ready.emit(sha)
