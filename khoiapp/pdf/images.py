"""Evidence for the appendix: streamed one file at a time, decoded at the size it prints at.

Photos are laid out as sheets of 2, 4 or 6 per page (``PhotoRow``); every page of a PDF evidence
is rasterised and printed on a page of its own. Decoding runs on worker threads (Pillow and PDFium
release the GIL) while the calling thread reads the next file from the document.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from reportlab.platypus import Flowable

from khoiapp.errors import KhoiError
from khoiapp.pdf.text import nfc

# 150 dpi is plenty for a printed photo or a scanned page and keeps the PDF small.
PRINT_DPI = 150
# Files up to this size are spooled in memory, larger ones on disk (two files are in flight).
SPOOL_BYTES = 4 * 1024 * 1024
JPEG_QUALITY = 85
CAPTION_GAP = 3.0
# A row of pictures shrinks into the rest of a page when that is at least this share of the row.
MIN_SHARE = 0.6
# A PDF evidence prints at most this many pages in the appendix; the whole file is attached.
MAX_PDF_PAGES = 60
# Decoding threads: one per core, at most two. Pillow and PDFium release the GIL while they decode,
# so the window's thread still gets the interpreter: the worst GUI-thread gap while exporting from
# the dialog is 33 ms with two threads on a two-core PC (bench/bench_gui_gap.py; goal < 100 ms).
WORKERS = max(1, min(2, os.cpu_count() or 1))
PHOTOS_PER_PAGE = (2, 4, 6)
DEFAULT_PHOTOS_PER_PAGE = 4

OpenEvidence = Callable[[str], Iterator[bytes]]


@dataclass(frozen=True)
class PreparedImage:
    """A print-size JPEG copy of one photo or one PDF page, on disk for the duration of the render.

    ``page``/``pages``: for a PDF evidence, which page this is and how many the file has
    (0 for photos). ``name``: the XObject name, from the evidence's SHA-256 (and page).
    """

    path: Path
    width_px: int
    height_px: int
    page: int = 0
    pages: int = 0
    name: str = ""
    sha256: str = ""  # of the file at ``path``, when the maker knows it (reduced copies)


Prepared = list[PreparedImage] | str

PRINT = "print"


class Renditions(Protocol):
    """Where an export finds what an earlier one derived from an evidence file, and leaves its own.

    ``source``: SHA-256 of the file the rendition is made from; ``kind``: ``print`` (appendix
    images, the only kind kept); ``spec``: how it was made. ``get`` returns the images
    (paths valid for the rest of the export) or ``None``; ``put`` keeps images just made (their
    files stay where they are until the export ends).
    """

    def get(self, source: str, kind: str, spec: str) -> list[PreparedImage] | None: ...

    def put(self, source: str, kind: str, spec: str, images: list[PreparedImage]) -> None: ...


def print_spec(box: tuple[int, int], *, pdf_pages: int = 0) -> str:
    """How an appendix image is made: the pixel box it fits, the JPEG quality, for a PDF how many
    pages at most. The same spec on the same bytes always gives the same image."""
    spec = f"v1 {box[0]}x{box[1]} q{JPEG_QUALITY}"
    return f"{spec} pdf≤{pdf_pages}" if pdf_pages else spec


def sheet_grid(per_page: int) -> tuple[int, int]:
    """(columns, rows) of a photo sheet with ``per_page`` photos."""
    return {2: (1, 2), 4: (2, 2), 6: (2, 3)}.get(per_page, (2, 2))


def is_image(item: dict[str, Any]) -> bool:
    return nfc(item.get("mime_type")).lower().startswith("image/")


def is_pdf(item: dict[str, Any]) -> bool:
    return nfc(item.get("mime_type")).lower() == "application/pdf"


def prepare_images(
    evidence: list[dict[str, Any]],
    open_evidence: OpenEvidence | None,
    folder: Path,
    *,
    photo_box: tuple[float, float],
    page_box: tuple[float, float],
    max_pdf_pages: int = MAX_PDF_PAGES,
    renditions: Renditions | None = None,
) -> dict[str, Prepared]:
    """Decode each embedded image or PDF evidence into print-size JPEGs in ``folder``.

    Returns, per evidence code, the prepared images (one per photo, one per PDF page) or a short
    Vietnamese reason why there is none. Files are read from the document one at a time on the
    calling thread (their bytes spooled: memory up to ``SPOOL_BYTES``, then a temporary file) and
    decoded on ``WORKERS`` threads, at most two files in flight. With ``renditions``, images an
    earlier export made from the same bytes at the same size are taken from there (nothing read
    or decoded), and those made now are left there.
    """
    out: dict[str, Prepared] = {}
    photo_px = pixel_box(photo_box)
    page_px = pixel_box(page_box)
    photo_spec, pdf_spec = print_spec(photo_px), print_spec(page_px, pdf_pages=max_pdf_pages)
    pending: list[tuple[str, Future[Prepared]]] = []
    made: dict[str, tuple[str, str]] = {}  # code → (sha256, spec) of the images being made
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="khoi-image") as pool:
        for i, item in enumerate(evidence):
            code = nfc(item.get("code"))
            pdf = is_pdf(item)
            if not (is_image(item) or pdf) or not (item.get("embedded") and item.get("attachment")):
                continue
            if open_evidence is None:
                out[code] = "Không in trong phụ lục."
                continue
            sha = nfc(item.get("sha256"))
            spec = pdf_spec if pdf else photo_spec
            kept = renditions.get(sha, PRINT, spec) if renditions is not None else None
            if kept and _complete(kept, pdf, max_pdf_pages):
                out[code] = [dataclasses.replace(img, name=_xobject_name(sha, img.page if pdf else 0))
                             for img in kept]
                continue
            made[code] = (sha, spec)
            spool, reason = _read(open_evidence, sha)
            if spool is None:
                out[code] = reason
                continue
            base = folder / f"{i:05d}"
            if pdf:
                fut = pool.submit(_pdf_pages, spool, base, page_px, max_pdf_pages, sha)
            else:
                fut = pool.submit(print_photo, spool, base, photo_px, sha)
            pending.append((code, fut))
            while sum(1 for _c, f in pending if not f.done()) >= WORKERS:
                pending[0][1].exception()  # wait for the oldest in flight
                _collect(pending, out)
            _collect(pending, out)
        _collect(pending, out, wait=True)
    if renditions is not None:
        for code, (sha, spec) in made.items():
            got = out.get(code)
            if isinstance(got, list) and got:
                renditions.put(sha, PRINT, spec, got)
    return {nfc(e.get("code")): out[nfc(e.get("code"))] for e in evidence if nfc(e.get("code")) in out}


def _collect(pending: list[tuple[str, Future[Prepared]]], out: dict[str, Prepared], *, wait: bool = False) -> None:
    while pending and (wait or pending[0][1].done()):
        code, fut = pending.pop(0)
        out[code] = fut.result()


def _complete(kept: list[PreparedImage], pdf: bool, max_pages: int) -> bool:
    """Whether kept images are a whole set: one photo, or every printed page of a PDF in order."""
    if not pdf:
        return len(kept) == 1 and kept[0].page == 0
    pages = kept[0].pages
    return pages > 0 and [img.page for img in kept] == list(range(1, min(pages, max_pages) + 1)) and all(
        img.pages == pages for img in kept)


def _xobject_name(sha256: str, page: int) -> str:
    return f"mc{sha256[:32]}p{page}" if page else f"mc{sha256[:32]}"


def pixel_box(box: tuple[float, float]) -> tuple[int, int]:
    """The pixels a box of ``box`` points holds at ``PRINT_DPI``."""
    return max(1, round(box[0] / 72 * PRINT_DPI)), max(1, round(box[1] / 72 * PRINT_DPI))


def _read(open_evidence: OpenEvidence, sha256: str) -> tuple[Any, str]:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        chunks = open_evidence(sha256)
        if chunks is None:
            spool.close()
            return None, "Không tìm thấy nội dung tệp."
        try:
            for chunk in chunks:
                spool.write(chunk)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
    except (KhoiError, OSError, LookupError):
        spool.close()
        return None, "Không đọc được nội dung tệp."
    spool.seek(0)
    return spool, ""


_ROTATED = (5, 6, 7, 8)  # EXIF orientations that swap width and height


def print_photo(spool: Any, base: Path, box: tuple[int, int], sha256: str) -> Prepared:
    """One photo at the pixel size it prints at: decoded reduced (JPEG ``draft``), upright, flattened.

    No full-size copy is made: ``draft`` decodes just above the printed size, the resize makes the
    only copy, and turning the picture upright works on that small copy.
    """
    from PIL import Image

    dest = base.with_suffix(".jpg")
    try:
        with spool, Image.open(spool) as im:
            orientation = im.getexif().get(0x0112, 1)
            # The box as the stored (unrotated) pixels see it.
            bw, bh = (box[1], box[0]) if orientation in _ROTATED else box
            scale = min(bw / im.width, bh / im.height, 1.0)
            want = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
            im.draft("RGB", want)  # JPEG: decode at 1/2, 1/4 or 1/8 scale, at least the printed size
            img: Any = im
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                rgba = im.convert("RGBA")
                img = Image.new("RGB", rgba.size, (255, 255, 255))
                img.paste(rgba, mask=rgba.getchannel("A"))
            elif im.mode != "RGB":
                img = im.convert("RGB")
            if img.size != want:
                # bicubic: 5.0 instead of 7.2 ms a photo (Lanczos) for the same print at 150 dpi
                img = img.resize(want, Image.Resampling.BICUBIC, reducing_gap=3.0)
            img = _upright(img, orientation)
            img.save(dest, format="JPEG", quality=JPEG_QUALITY)
            return [PreparedImage(dest, img.width, img.height, name=_xobject_name(sha256, 0))]
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return "Không đọc được ảnh."


def _upright(img: Any, orientation: int) -> Any:
    """The picture turned as its EXIF orientation says (what ``ImageOps.exif_transpose`` does)."""
    from PIL import Image

    method = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
              5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}.get(orientation)
    return img.transpose(method) if method is not None else img


def _pdf_pages(spool: Any, base: Path, box: tuple[int, int], max_pages: int, sha256: str) -> Prepared:
    """Rasterise the pages of a PDF evidence at print size (pdfium, no external program)."""
    import pypdfium2 as pdfium

    with spool, tempfile.NamedTemporaryFile(suffix=".pdf", dir=base.parent, delete=False) as tmp:
        while chunk := spool.read(1024 * 1024):
            tmp.write(chunk)
        path = Path(tmp.name)
    doc = None
    try:
        doc = pdfium.PdfDocument(str(path))
        total = len(doc)
        if total == 0:
            return "Văn bản PDF không có trang nào."
        out: list[PreparedImage] = []
        for n in range(min(total, max_pages)):
            page = doc[n]
            w_pt, h_pt = page.get_size()
            if w_pt <= 0 or h_pt <= 0:
                page.close()
                continue
            scale = min(box[0] / w_pt, box[1] / h_pt, PRINT_DPI / 72)
            img = page.render(scale=scale).to_pil().convert("RGB")
            page.close()
            dest = base.parent / f"{base.name}-{n + 1:03d}.jpg"
            img.save(dest, format="JPEG", quality=JPEG_QUALITY)
            out.append(PreparedImage(dest, img.width, img.height, page=n + 1, pages=total,
                                     name=_xobject_name(sha256, n + 1)))
        return out or "Không đọc được trang nào của văn bản PDF."
    except (pdfium.PdfiumError, OSError, ValueError):
        return "Không đọc được văn bản PDF (tệp có thể có mật khẩu hoặc bị hỏng)."
    finally:
        if doc is not None:
            doc.close()
        path.unlink(missing_ok=True)


class PhotoRow(Flowable):
    """One row of a photo sheet: up to ``columns`` pictures side by side, each with its caption below.

    The row is always ``height`` tall (a sheet's page height divided by its rows), so the rows of a
    sheet line up page after page; each picture is scaled to fit its cell, aspect kept, centred.
    ``on_draw(code, page)`` is told on which page each evidence lands (the appendix page numbers
    of the evidence index).
    """

    def __init__(
        self,
        cells: list[tuple[PreparedImage, Flowable, str]],
        columns: int,
        height: float,
        *,
        draw: bool = True,
        on_draw: Callable[[str, int], None] | None = None,
        gap: float = 10.0,
    ) -> None:
        super().__init__()
        self.cells = cells
        self.columns = columns
        self.row_height = height
        self.draw_images = draw
        self.on_draw = on_draw
        self.gap = gap
        self._avail = 0.0
        self._caption_h = 0.0
        self._height = height

    def _cell_width(self, avail: float) -> float:
        return (avail - self.gap * (self.columns - 1)) / self.columns

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._avail = availWidth
        cw = self._cell_width(availWidth)
        self._caption_h = max((c.wrap(cw, availHeight)[1] for _i, c, _k in self.cells), default=0.0)
        # The rest of a page is used when it holds at least MIN_SHARE of the row (pictures shrink);
        # otherwise the row moves whole to the next page.
        fits = MIN_SHARE * self.row_height <= availHeight < self.row_height
        self._height = availHeight - 1 if fits else self.row_height
        return availWidth, self._height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # never split: the row moves to the next page

    def draw(self) -> None:
        cw = self._cell_width(self._avail)
        img_h = max(10.0, self._height - self._caption_h - CAPTION_GAP - self.gap)
        page = self.canv.getPageNumber()
        for n, (image, caption, code) in enumerate(self.cells):
            x0 = n * (cw + self.gap)
            scale = min(cw / image.width_px, img_h / image.height_px)
            w, h = image.width_px * scale, image.height_px * scale
            y = self._height - self.gap / 2 - h
            ch = caption.wrap(cw, self._height)[1]
            caption.drawOn(self.canv, x0, y - CAPTION_GAP - ch)
            if self.on_draw is not None:
                self.on_draw(code, page)
            if not self.draw_images:
                continue
            x = x0 + (cw - w) / 2
            draw_jpeg(self.canv, image, x, y, w, h)
            self.canv.setLineWidth(0.5)
            self.canv.rect(x, y, w, h)


def draw_jpeg(canv: Any, image: PreparedImage, x: float, y: float, w: float, h: float) -> None:
    """Draw a prepared JPEG, passed through unchanged, as an XObject named by the evidence's hash.

    ``Canvas.drawImage`` would name it by decoding the JPEG again and hashing its pixels (an
    ImageReader) or by hashing the temporary path (a file name, which changes every run).
    """
    from reportlab.pdfbase import pdfdoc

    doc = canv._doc
    reg = doc.getXObjectName(image.name)
    if doc.idToObject.get(reg) is None:
        obj = pdfdoc.PDFImageXObject(image.name, str(image.path))
        obj.name = image.name
        canv._setXObjects(obj)
        doc.Reference(obj, reg)
        doc.addForm(image.name, obj)
    canv._currentPageHasImages = 1
    canv._formsinuse.append(image.name)  # lists the XObject in the page's resources
    canv.saveState()
    canv.translate(x, y)
    canv.scale(w, h)
    canv._code.append(f"/{reg} Do")
    canv.restoreState()
