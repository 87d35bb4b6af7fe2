"""Thumbnails of evidence files: images and the first page of PDFs, made off the GUI thread and cached.

The bytes come through the document's runner (copied to a private temporary file on its thread);
decoding runs on a pool of its own that never touches the document, so closing or switching the
document while thumbnails load only has to wait for the jobs already decoding.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import logging
import os
import re
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPixmap

from khoiapp.db import Document
from khoiapp.services import evidence as evsvc
from ui.runner import DocumentRunner

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"[0-9a-f]{64}")
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


def copy_blob_to_file(doc: Document, sha: str, target: Path) -> Path:
    """On the runner: the evidence bytes into ``target`` (a private temporary file)."""
    with open(target, "wb") as fh:
        evsvc.copy_blob_to(doc, sha, fh)
    return target


class _ThumbJob(QRunnable):
    """Decodes one file the runner copied out; never touches the document."""

    def __init__(self, source: Path, sha: str, mime: str, cache_file: Path, relay: _Relay) -> None:
        super().__init__()
        # Python keeps the job alive until its result is back on the GUI thread: letting Qt delete
        # a Python-owned runnable on the worker thread corrupts reference counts at exit.
        self.setAutoDelete(False)
        self.source, self.sha, self.mime, self.cache_file, self.relay = source, sha, mime, cache_file, relay

    def run(self) -> None:
        img = QImage()
        try:
            try:
                img = render_file(self.source, self.mime)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(self.source)
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

    def __init__(
        self, parent: QObject | None = None, cache_dir: Path | None = None, runner: DocumentRunner | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.cache_dir = cache_dir or Path(tempfile.gettempdir()) / "khoi-thumbnails"
        self._work_dir: Path | None = None  # private (0700) folder for the bytes copied out
        self._names = itertools.count(1)
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
        if runner is not None:
            runner.add_close_hook(self.stop)

    def _on_app_about_to_quit(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Drop queued thumbnails and wait for the ones decoding (the document is closing)."""
        self.forget_pending()
        self.wait(5000)
        self._pending.clear()

    def _private_file(self) -> Path:
        if self._work_dir is None or not self._work_dir.is_dir():
            self._work_dir = Path(tempfile.mkdtemp(prefix="khoi-thumb-"))  # mode 0700
            atexit.register(shutil.rmtree, str(self._work_dir), True)
        return self._work_dir / f"nguon-{next(self._names)}"

    def _cache_file(self, sha: str) -> Path:
        return self.cache_dir / f"{sha}-{THUMB_SIZE}.png"  # sha checked to be 64 hex digits

    def image(self, doc: Document | None, sha: str | None, mime: str, size: int) -> QImage | None:
        """The thumbnail if known; otherwise starts making it and returns None."""
        if not sha or not _SHA256.fullmatch(sha) or not can_preview(mime) or sha in self._failed:
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
        if doc is not None and self.runner is not None and sha not in self._pending and size <= MAX_SOURCE_BYTES:
            self._pending.add(sha)
            target = self._private_file()
            self.runner.query(
                lambda d: copy_blob_to_file(d, sha, target),
                on_done=lambda source: self._decode(source, sha, mime),
                on_error=lambda exc: self._copy_failed(sha, target, exc),
            )
        return None

    def _decode(self, source: Path, sha: str, mime: str) -> None:
        if sha not in self._pending:  # dropped meanwhile (document closed)
            with contextlib.suppress(OSError):
                os.unlink(source)
            return
        job = _ThumbJob(source, sha, mime, self._cache_file(sha), self._relay)
        self._jobs[sha] = job
        self._pool.start(job)

    def _copy_failed(self, sha: str, target: Path, exc: BaseException) -> None:
        with contextlib.suppress(OSError):
            os.unlink(target)
        self._pending.discard(sha)
        from khoiapp.errors import Cancelled

        if not isinstance(exc, Cancelled):  # a closed document is no reason to give up on the file
            log.info("no thumbnail for %s: %s", sha, exc)
            self._failed.add(sha)

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
        for job in list(self._jobs.values()):
            with contextlib.suppress(OSError):
                os.unlink(job.source)

    def _on_relay_ready(self, sha: str, img: Any) -> None:
        self._pending.discard(sha)
        self._jobs.pop(sha, None)
        if img is None or img.isNull():
            self._failed.add(sha)
        else:
            self._images[sha] = img
        self.thumbnail_ready.emit(sha)
