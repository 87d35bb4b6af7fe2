"""«Xuất hồ sơ»: what is still missing, the expected size, draft and signing choices, the export
itself in the background, then a preview of the dossier with printing and the folder."""

from __future__ import annotations

import dataclasses
import gc
import logging
import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from khoiapp import appconfig
from khoiapp import textformat
from khoiapp.errors import BadInputError, Cancelled, ExportRefusedError, KhoiError
from khoiapp.services import document as docsvc
from khoiapp.services import signing_settings
from khoiapp.services import export_choice
from khoiapp.services import renditions
from khoiapp.services.export import ExportResult, export_dossier, size_checks
from ui import settings
from ui.context import AppContext
from ui.dialogs.pdf_preview import PdfPreview
from ui.dialogs.sign_options import SignOptionsWidget, documents_dir
from ui.errors import ask, error_title, inform, show_error
from ui.tasks import Task, run_task

EXPORT_FOLDER = settings.Option("xuat/thu_muc", str, "")
PROGRESS_STEPS = 1000

KIND_LABELS: dict[str, object] = {  # translated where shown; marked here so lupdate collects them
    "profile": QT_TRANSLATE_NOOP("ExportDialog", "Thông tin đơn vị"),
    "unanswered": QT_TRANSLATE_NOOP("ExportDialog", "Chưa đánh giá"),
    "to-confirm": QT_TRANSLATE_NOOP("ExportDialog", "Cần xác nhận"),
    "evidence": QT_TRANSLATE_NOOP("ExportDialog", "Thiếu minh chứng"),
    "old-evidence": QT_TRANSLATE_NOOP("ExportDialog", "Lưu ý"),
}


log = logging.getLogger(__name__)

def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


_gc_lock = threading.Lock()
_gc_holds = 0
_gc_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection while the block runs (nesting and threads allowed).

    Why: rendering and signing a dossier create tens of thousands of objects that live until the
    end of the export, so CPython starts full collections in the worker; each walks every object
    of the process holding the GIL for 50-100 ms, and the window freezes meanwhile. Objects are
    still freed by reference counting; cyclic garbage waits until the export ends.
    """
    global _gc_holds, _gc_was_enabled
    with _gc_lock:
        if _gc_holds == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holds += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holds -= 1
            if _gc_holds == 0 and _gc_was_enabled:
                gc.enable()


def format_size(n: int) -> str:
    """``"12,4 MB"``, ``"14 KB"`` (Vietnamese decimal comma; 1 MB = 1024 × 1024 bytes)."""
    return textformat.format_size(n)


def ascii_slug(text: str) -> str:
    """``"Sở Tư pháp"`` → ``"So-Tu-phap"``: a file-name part without diacritics."""
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")


def default_file_name(year: int | None, unit: Any) -> str:
    """``Ho-so-<year>-<short name>.pdf`` (the unit's name when there is no short name)."""
    short = ""
    if unit is not None:
        short = ascii_slug(unit.short_name or "") or ascii_slug(unit.name or "")[:40].strip("-")
    parts = ["Ho-so", str(year or "")]
    if short:
        parts.append(short)
    return "-".join(p for p in parts if p) + ".pdf"


class ExportDialog(QDialog):
    """Exports the current period's dossier. ``navigate_requested(kind, code)`` asks the window to
    show a preflight item (``kind`` "profile" → the unit page, otherwise the criterion ``code``)."""

    navigate_requested = Signal(str, object)
    exported = Signal(object)  # ExportResult
    preview_loaded = Signal()  # the written file is shown (or could not be)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = ctx.year
        self.task: Task | None = None
        self.preview_task: Task | None = None
        self.export_result: ExportResult | None = None
        self.last_error: BaseException | None = None
        self._close_when_done = False
        self._path_confirmed = False
        self.setWindowTitle(_tr("Xuất hồ sơ"))
        self.setObjectName("exportDialog")
        self._read_state()
        self._build_ui()
        self._fill()
        self._fit_to_screen()

    # ------------------------------------------------------------------ data
    def _read_state(self) -> None:
        doc = self.ctx.doc
        if doc is None or self.year is None:
            raise BadInputError(_tr("Chưa mở tài liệu nào. Hãy mở hoặc tạo tài liệu rồi xuất hồ sơ."))
        self.summary = self.ctx.read(docsvc.period_summary, self.year)
        self.preflight = list(self.summary.preflight)
        self.unit = self.ctx.read(docsvc.get_unit)
        self.size_checks = self.ctx.read(size_checks, self.year)
        self.expected_bytes = self.size_checks["auto"].expected
        self.size_warning = self.size_checks["auto"].warning()
        self.signing_choice = self.ctx.read(signing_settings.signing_choice)  # this document's, never another's
        self.photos_per_page = self.ctx.read(export_choice.photos_per_page)  # the unit's last choice

    # ------------------------------------------------------------------ layout
    def _build_ui(self) -> None:
        outer = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("exportHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 12pt; font-weight: 600;")
        outer.addWidget(self.heading)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_setup_page())
        self.stack.addWidget(self._build_preview_page())

        # the export's progress, inside the dialog; the «Hủy» button next to it stops the export
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("exportProgress")
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("%p %")
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        outer.addWidget(self.progress_bar)

        bottom = QHBoxLayout()
        self.status = QLabel()
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        bottom.addWidget(self.status, 1)
        self.export_button = QPushButton(_tr("Xuất hồ sơ"))
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.print_button = QPushButton(_tr("In…"))
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(self.print_dossier)
        self.folder_button = QPushButton(_tr("Mở thư mục"))
        self.folder_button.setObjectName("openFolderButton")
        self.folder_button.clicked.connect(self.open_folder)
        self.again_button = QPushButton(_tr("Xuất lại…"))
        self.again_button.setObjectName("exportAgainButton")
        self.again_button.clicked.connect(self.show_setup)
        self.close_button = QPushButton(_tr("Đóng"))
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.reject)
        for b in (self.export_button, self.print_button, self.folder_button, self.again_button, self.close_button):
            bottom.addWidget(b)
        outer.addLayout(bottom)
        self._set_page(0)

    def _build_setup_page(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 6, 0)

        box = QGroupBox(_tr("Kiểm tra trước khi xuất"))
        bl = QVBoxLayout(box)
        self.preflight_label = QLabel()
        self.preflight_label.setObjectName("preflightSummary")
        self.preflight_label.setWordWrap(True)
        bl.addWidget(self.preflight_label)
        self.preflight_list = QListWidget()
        self.preflight_list.setObjectName("preflightList")
        self.preflight_list.setWordWrap(True)
        self.preflight_list.setAlternatingRowColors(True)
        self.preflight_list.itemClicked.connect(self._on_preflight_item)
        self.preflight_list.itemActivated.connect(self._on_preflight_item)
        bl.addWidget(self.preflight_list)
        lay.addWidget(box)

        box = QGroupBox(_tr("Nội dung hồ sơ"))
        bl = QVBoxLayout(box)
        self.size_label = QLabel()
        self.size_label.setObjectName("expectedSize")
        bl.addWidget(self.size_label)
        photos_row = QHBoxLayout()
        photos_row.addWidget(QLabel(_tr("Ảnh mỗi trang phụ lục:")))
        self.photos_combo = QComboBox()
        self.photos_combo.setObjectName("photosPerPage")
        for n in (2, 4, 6):
            self.photos_combo.addItem(_tr("{n} ảnh").format(n=n), n)
        self.photos_combo.setCurrentIndex(max(0, self.photos_combo.findData(self.photos_per_page)))
        photos_row.addWidget(self.photos_combo)
        photos_row.addSpacing(16)
        photos_row.addWidget(QLabel(_tr("Ảnh đính kèm:")))
        self.copies_combo = QComboBox()
        self.copies_combo.setObjectName("photoCopies")
        self.copies_combo.addItem(_tr("Tự động (thu nhỏ khi hồ sơ quá lớn)"), "auto")
        self.copies_combo.addItem(_tr("Bản gốc"), "original")
        self.copies_combo.addItem(_tr("Bản thu nhỏ cỡ in"), "reduced")
        self.copies_combo.setToolTip(_tr(
            "Áp dụng cho minh chứng để «Tự động» ở trang Minh chứng; minh chứng đã chọn bản gốc, bản thu nhỏ "
            "hoặc chỉ liệt kê luôn theo lựa chọn riêng của nó."
        ))
        self.copies_combo.currentIndexChanged.connect(self._show_size)
        photos_row.addWidget(self.copies_combo)
        photos_row.addStretch(1)
        bl.addLayout(photos_row)
        embed_hint = QLabel(
            _tr(
                "Mỗi minh chứng được đính kèm vào hồ sơ hoặc chỉ ghi tên trong danh mục "
                "(ví dụ tệp có thông tin cá nhân). Chọn cho từng minh chứng ở trang «Minh chứng». "
                "Khi hồ sơ vượt dung lượng mong muốn, ảnh lớn được đính kèm bản thu nhỏ đủ rõ để in."
            )
        )
        embed_hint.setWordWrap(True)
        bl.addWidget(embed_hint)
        self.draft_check = QCheckBox(_tr("Bản nháp (đóng dấu BẢN NHÁP)"))
        self.draft_check.setObjectName("draftCheck")
        bl.addWidget(self.draft_check)
        self.draft_note = QLabel()
        self.draft_note.setObjectName("draftNote")
        self.draft_note.setWordWrap(True)
        bl.addWidget(self.draft_note)
        lay.addWidget(box)

        box = QGroupBox(_tr("Ký số"))
        bl = QVBoxLayout(box)
        self.sign_options = SignOptionsWidget(lambda: self.unit.name if self.unit else "", box)
        self.sign_options.load_choice(self.signing_choice)
        bl.addWidget(self.sign_options)
        lay.addWidget(box)

        box = QGroupBox(_tr("Lưu hồ sơ"))
        row = QHBoxLayout(box)
        row.addWidget(QLabel(_tr("Tệp PDF:")))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("outputPath")
        self.path_edit.textEdited.connect(self._on_path_edited)
        row.addWidget(self.path_edit, 1)
        self.browse_button = QPushButton(_tr("Chọn…"))
        self.browse_button.setObjectName("browseOutput")
        self.browse_button.clicked.connect(self.choose_output)
        row.addWidget(self.browse_button)
        lay.addWidget(box)
        lay.addStretch(1)
        scroll.setWidget(page)
        self.setup_page = page
        return scroll

    def _build_preview_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        self.done_label = QLabel()
        self.done_label.setObjectName("doneLabel")
        self.done_label.setWordWrap(True)
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_label.setStyleSheet(
            "QLabel#doneLabel { background: #d1e7dd; color: #0f5132; padding: 6px 10px; border-radius: 4px; }"
        )
        lay.addWidget(self.done_label)
        row = QHBoxLayout()
        row.addWidget(QLabel(_tr("Xem:")))
        self.zoom_combo = QComboBox()
        self.zoom_combo.setObjectName("zoomCombo")
        for label, mode in ((_tr("Vừa chiều ngang"), "width"), (_tr("Cả trang"), "page"), (_tr("100 %"), "actual")):
            self.zoom_combo.addItem(label, mode)
        self.zoom_combo.currentIndexChanged.connect(self._on_zoom)
        row.addWidget(self.zoom_combo)
        self.pages_label = QLabel()
        self.pages_label.setObjectName("pagesLabel")
        row.addWidget(self.pages_label)
        row.addStretch(1)
        lay.addLayout(row)
        self.preview = PdfPreview()
        lay.addWidget(self.preview, 1)
        return page

    def _on_zoom(self, _index: int) -> None:
        self.preview.set_fit(str(self.zoom_combo.currentData()))

    def _fit_to_screen(self) -> None:
        w, h = 940, 700
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            avail = screen.availableGeometry()
            w, h = min(w, avail.width() - 40), min(h, avail.height() - 60)
        self.resize(max(640, w), max(480, h))

    # ------------------------------------------------------------------ content
    def _fill(self) -> None:
        unit_name = self.unit.name if self.unit and self.unit.name else _tr("(chưa có tên đơn vị)")
        self.heading.setText(
            _tr("Hồ sơ tự đánh giá {period} — {unit}").format(period=self.summary.period.label, unit=unit_name)
        )
        self.preflight_list.clear()
        warnings = list(getattr(self.summary, "warnings", ()))  # shown, but an official export stays possible
        for item in [*self.preflight, *warnings]:
            kind = str(KIND_LABELS.get(item.kind, ""))
            text = f"{_tr(kind)}: {item.message}" if kind else item.message
            li = QListWidgetItem(text)
            li.setData(Qt.ItemDataRole.UserRole, (item.kind, item.code))
            li.setToolTip(_tr("Bấm để đi tới mục này và hoàn thành nó."))
            self.preflight_list.addItem(li)
        if self.preflight:
            self.preflight_label.setText(
                _tr(
                    "Còn {n} mục chưa hoàn thành. Bấm vào một mục để đi tới chỗ cần sửa; hồ sơ chính "
                    "thức chỉ xuất được khi danh sách này trống."
                ).format(n=len(self.preflight))
            )
            self.preflight_label.setStyleSheet("color: #8a5300;")
            self.preflight_list.show()
            rows = sum(self.preflight_list.sizeHintForRow(i) for i in range(min(5, len(self.preflight))))
            self.preflight_list.setFixedHeight(rows + 2 * self.preflight_list.frameWidth() + 4)
            self.draft_check.setChecked(True)
            self.draft_note.setText(
                _tr("Vì còn mục chưa hoàn thành nên hồ sơ chỉ xuất được dưới dạng bản nháp, mọi trang có dấu «BẢN NHÁP».")
            )
            self.draft_note.show()
        else:
            self.preflight_label.setText(_tr("Đã đủ thông tin: hồ sơ sẵn sàng để xuất bản chính thức."))
            self.preflight_label.setStyleSheet("color: #0f5132;")
            self.preflight_list.setVisible(bool(warnings))
            if warnings:
                self.preflight_label.setText(
                    self.preflight_label.text()
                    + " "
                    + _tr("Lưu ý {n} tiêu chí chỉ có minh chứng của năm trước (xem danh sách).").format(n=len(warnings))
                )
                rows = sum(self.preflight_list.sizeHintForRow(i) for i in range(min(4, len(warnings))))
                self.preflight_list.setFixedHeight(rows + 2 * self.preflight_list.frameWidth() + 4)
            self.draft_check.setChecked(False)
            self.draft_note.hide()
        self._show_size()
        self.path_edit.setText(str(self._default_output()))

    def _show_size(self) -> None:
        check = self.size_checks[str(self.copies_combo.currentData() or "auto")]
        self.expected_bytes, self.size_warning = check.expected, check.warning()
        size_text = _tr("Dung lượng dự kiến: {size}").format(size=format_size(self.expected_bytes))
        self.size_label.setWordWrap(True)
        self.size_label.setText(size_text + (f"\n{self.size_warning}" if self.size_warning else ""))
        self.size_label.setStyleSheet("color: #842029;" if self.size_warning else "")

    def _default_output(self) -> Path:
        folder = Path(settings.get(EXPORT_FOLDER) or settings.get(settings.LAST_FOLDER) or documents_dir())
        if not folder.is_dir():
            folder = documents_dir()
        return folder / default_file_name(self.year, self.unit)

    def _set_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        setup = index == 0
        self.export_button.setVisible(setup)
        self.print_button.setVisible(not setup)
        self.folder_button.setVisible(not setup)
        self.again_button.setVisible(not setup)

    def show_setup(self) -> None:
        self.preview.clear()
        self.status.clear()
        self._set_page(0)

    # ------------------------------------------------------------------ preflight
    def _on_preflight_item(self, item: QListWidgetItem) -> None:
        if self.running:
            return
        kind, code = item.data(Qt.ItemDataRole.UserRole)
        self.navigate_requested.emit(kind, code)
        self.reject()

    # ------------------------------------------------------------------ output path
    def output_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        p = Path(text).expanduser()
        if p.suffix.lower() != ".pdf":
            p = p.with_name(p.name + ".pdf")
        return p

    def set_output_path(self, path: str | Path, *, confirmed: bool = True) -> None:
        """Set where the dossier goes; ``confirmed`` means replacing an existing file is fine."""
        self.path_edit.setText(str(path))
        self._path_confirmed = confirmed

    def _on_path_edited(self, _text: str) -> None:
        self._path_confirmed = False

    def choose_output(self) -> None:
        current = self.output_path() or self._default_output()
        path, _ = QFileDialog.getSaveFileName(
            self, _tr("Lưu hồ sơ"), str(current), _tr("Tệp PDF (*.pdf)")
        )
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.set_output_path(path, confirmed=True)  # the save dialog asked about replacing

    # ------------------------------------------------------------------ export
    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def _on_export_clicked(self) -> None:
        if self.running:
            self.cancel_export()
        else:
            self.start_export()

    def start_export(self) -> Task | None:
        """Ask the password or PIN if signing, then export in the background. None if not started."""
        if self.running:
            return None
        doc = self.ctx.doc
        if doc is None or self.year is None:
            return None
        out = self.output_path()
        if out is None:
            show_error(self, BadInputError(_tr("Hãy chọn nơi lưu tệp hồ sơ PDF (nút «Chọn…»).")))
            return None
        if out.exists() and not self._path_confirmed:
            if not ask(
                self,
                _tr("Ghi đè tệp?"),
                _tr("Tệp «{name}» đã có trong thư mục «{folder}». Thay bằng hồ sơ mới?").format(
                    name=out.name, folder=out.parent
                ),
                _tr("Ghi đè"),
                _tr("Không"),
            ):
                return None
        draft = self.draft_check.isChecked()
        self._exported_draft = draft
        try:
            req = self.sign_options.sign_request(self)
        except Cancelled:
            return None
        except KhoiError as exc:
            show_error(self, exc)
            return None
        if req is not None:
            ts = appconfig.load().timestamp_url
            if ts:
                req = dataclasses.replace(req, timestamp_url=ts)
        self.sign_options.remember()
        settings.put(EXPORT_FOLDER, str(out.parent))
        year = self.year
        signed = req is not None
        photos = int(self.photos_combo.currentData() or 4)
        copies = str(self.copies_combo.currentData() or "auto")

        held = [req]  # the password or PIN lives only here, until the worker takes it

        def work(progress: Any, is_cancelled: Any) -> ExportResult:
            sign = held.pop()
            last = [-1]

            def scaled(done: int, total: int) -> None:
                step = int(done * PROGRESS_STEPS / total) if total > 0 else 0
                if step != last[0]:
                    last[0] = step
                    progress(step, PROGRESS_STEPS)

            # A long job: it reads through a connection of its own, opened and closed here, so the
            # document's thread stays free for the window.
            with gc_paused(), doc.job_reader() as reader:
                return export_dossier(
                    reader, year, out, draft=draft, sign=sign, progress=scaled, is_cancelled=is_cancelled,
                    photos_per_page=photos, photo_copies=copies,
                )

        self.export_result = None
        self.last_error = None
        self._set_running(True, signed)
        task = run_task(
            self,
            work,
            title=_tr("Đang xuất hồ sơ…"),
            on_done=self._on_done,
            on_error=self._on_error,
            show_dialog=False,  # the dialog shows the bar and keeps its own «Hủy» button
        )
        del req
        self.task = task
        task.progress.connect(self._on_progress)
        if task.running:
            task.finished.connect(self._on_finished)
        else:  # ran at once (tests use a synchronous pool)
            self._on_finished()
        return task

    def cancel_export(self) -> None:
        if self.running:
            assert self.task is not None
            self.task.cancel()
            self.status.setText(_tr("Đang hủy…"))
            self.export_button.setEnabled(False)

    def _set_running(self, on: bool, signed: bool = False) -> None:
        self.setup_page.setEnabled(not on)
        self.export_button.setEnabled(True)
        self.export_button.setText(_tr("Hủy") if on else _tr("Xuất hồ sơ"))
        self.export_button.setToolTip(_tr("Dừng xuất hồ sơ; không có tệp nào được ghi.") if on else "")
        self.progress_bar.setValue(0)
        self.progress_bar.setVisible(on)
        if on:
            self.status.setText(_tr("Đang xuất và ký hồ sơ…") if signed else _tr("Đang xuất hồ sơ…"))

    def _on_progress(self, done: int, total: int) -> None:
        if total <= 0 or (self.task is not None and self.task.cancelled):
            return
        self.progress_bar.setValue(min(done, total) * PROGRESS_STEPS // total)

    def _on_done(self, result: ExportResult) -> None:
        self.export_result = result
        doc = self.ctx.doc
        photos = int(self.photos_combo.currentData() or 4)
        if photos != self.photos_per_page and doc is not None and not doc.read_only:
            try:  # the next export of this document starts from it
                self.ctx.write(lambda d: export_choice.remember_photos_per_page(d, photos))
                self.photos_per_page = photos
            except KhoiError as exc:
                log.info("cannot remember the photos per page: %s", exc)
        if result.signing_choice is not None and doc is not None and not doc.read_only:
            # the export read through its own read-only connection: the choice is saved here, on the
            # document's thread, in this document only
            from khoiapp.services.signing_settings import remember_choice

            choice = result.signing_choice
            try:
                self.ctx.write(lambda d: remember_choice(d, choice))
            except KhoiError as exc:
                log.info("cannot remember the signing choice: %s", exc)
        self._keep_renditions(result)
        if result.warnings:  # e.g. the certificate does not name the unit
            inform(self, _tr("Lưu ý về chữ ký"), "\n\n".join(result.warnings))

    def _keep_renditions(self, result: ExportResult) -> None:
        """The appendix images the export made go into the document (on its thread, in the
        background: nothing to refresh), so the next export takes them instead of decoding again."""
        made = result.renditions
        doc = self.ctx.doc
        if made is None:
            return
        if doc is None or doc.read_only or not made.new:
            made.discard()
            return

        def failed(exc: BaseException) -> None:  # a cache: the next export makes them again
            made.discard()
            log.info("renditions not kept: %s", exc)

        self.ctx.mutate(lambda d: renditions.store(d, made), on_error=failed, announce=False)

    def _on_error(self, exc: BaseException) -> None:
        self.last_error = exc
        if isinstance(exc, ExportRefusedError):
            inform(
                self,
                error_title(),
                _tr(
                    "Chưa xuất được hồ sơ chính thức vì còn {n} mục chưa hoàn thành (xem phần «Kiểm tra "
                    "trước khi xuất»). Hãy hoàn thành các mục đó rồi xuất lại, hoặc đánh dấu «Bản nháp» "
                    "để xuất bản nháp có dấu «BẢN NHÁP» trên mọi trang. Chưa có tệp nào được ghi."
                ).format(n=len(exc.items)),
            )
            return
        show_error(self, exc)

    def _on_finished(self) -> None:
        task = self.task
        self._set_running(False)
        if self.export_result is None and task is not None and isinstance(task.result, ExportResult):
            self.export_result = task.result  # finished just as Cancel was pressed: the file is there
        if task is not None and task.cancelled and self.export_result is None:
            self.status.setText(_tr("Đã hủy xuất hồ sơ; không có tệp nào được ghi."))
        elif self.export_result is None:
            self.status.setText(_tr("Chưa xuất được hồ sơ."))
        if self._close_when_done:
            super().reject()
            return
        if self.export_result is not None:
            self._show_result(self.export_result)

    def _mark_finalised(self) -> None:
        """An official dossier went out: the period is «Đã hoàn tất» (one undo step to reopen it)."""
        year, doc = self.year, self.ctx.doc
        if getattr(self, "_exported_draft", True) or year is None or doc is None or doc.read_only:
            return
        period = next((p for p in self.ctx.read(docsvc.list_periods) if p.year_end == year), None)
        if period is None or period.status == "finalised":
            return
        old = period.status
        try:
            self.ctx.push(
                _tr("đánh dấu báo cáo năm {y} «Đã hoàn tất» sau khi xuất hồ sơ chính thức").format(y=period.label),
                lambda: docsvc.update_period(doc, year, status="finalised"),
                lambda: docsvc.update_period(doc, year, status=old),
            )
        except KhoiError as exc:
            log.info("could not mark the period finalised: %s", exc)

    def _show_result(self, result: ExportResult) -> None:
        self._mark_finalised()
        facts = [
            _tr("{n} trang").format(n=result.pages),
            format_size(result.size),
            _tr("{n} tệp minh chứng đính kèm").format(n=result.attachments),
            _tr("đã ký số") if result.signed else _tr("chưa ký số"),
        ]
        self.done_label.setText(
            _tr("Đã xuất hồ sơ: {path}\n{facts}.").format(path=result.path, facts=", ".join(facts))
        )
        self.status.clear()
        self.pages_label.setText(_tr("Đang mở bản xem trước…"))

        def loaded() -> None:
            self.print_button.setEnabled(True)
            self.pages_label.setText(_tr("{n} trang; cuộn để xem tiếp.").format(n=self.preview.page_count()))
            self.preview_loaded.emit()

        def failed(exc: BaseException) -> None:
            message = exc.message if isinstance(exc, KhoiError) else str(exc)
            self.pages_label.setText("")
            self.done_label.setText(self.done_label.text() + "\n" + message)
            self.preview_loaded.emit()

        self.print_button.setEnabled(False)
        self.preview_task = self.preview.load_async(result.path, loaded, failed)  # parsed off the GUI thread
        self._set_page(1)
        self.exported.emit(result)

    # ------------------------------------------------------------------ after export
    def print_dossier(self) -> bool:
        try:
            return self.preview.print_dialog()
        except KhoiError as exc:
            show_error(self, exc)
            return False

    def open_folder(self) -> None:
        if self.export_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.export_result.path.parent)))

    # ------------------------------------------------------------------ closing
    def reject(self) -> None:
        if self.running:
            self._close_when_done = True
            self.cancel_export()
            return
        self.preview.clear()
        super().reject()
