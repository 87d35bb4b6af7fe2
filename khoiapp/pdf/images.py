"""Image evidence for the appendix: streamed one file at a time, downscaled to print size."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable

from khoiapp.errors import KhoiError
from khoiapp.pdf.text import nfc

# 150 dpi over the whole frame is plenty for a printed photo and keeps the PDF small.
PRINT_DPI = 150
# Files up to this size are spooled in memory, larger ones on disk.
SPOOL_BYTES = 8 * 1024 * 1024
JPEG_QUALITY = 85
# A picture shrinks to fit the rest of a page when that is at least this share of a full page.
MIN_SHARE = 0.5
CAPTION_GAP = 4.0

OpenEvidence = Callable[[str], Iterator[bytes]]


@dataclass(frozen=True)
class PreparedImage:
    """A downscaled JPEG copy of one image evidence, on disk for the duration of the render."""

    path: Path
    width_px: int
    height_px: int


def is_image(item: dict[str, Any]) -> bool:
    return nfc(item.get("mime_type")).lower().startswith("image/")


def is_pdf(item: dict[str, Any]) -> bool:
    return nfc(item.get("mime_type")).lower() == "application/pdf"


def prepare_images(
    evidence: list[dict[str, Any]],
    open_evidence: OpenEvidence | None,
    folder: Path,
    box: tuple[float, float],
) -> dict[str, PreparedImage | str]:
    """Downscale each embedded image evidence into ``folder``.

    Returns, per evidence code, the prepared image or a short Vietnamese reason why there is none.
    Only one source file is open at a time; its bytes are spooled (memory up to ``SPOOL_BYTES``,
    then a temporary file) and dropped before the next one.
    """
    out: dict[str, PreparedImage | str] = {}
    max_w = max(1, round(box[0] / 72 * PRINT_DPI))
    max_h = max(1, round(box[1] / 72 * PRINT_DPI))
    for i, item in enumerate(evidence):
        code = nfc(item.get("code"))
        pdf = is_pdf(item)
        if not (is_image(item) or pdf) or not (item.get("embedded") and item.get("attachment")):
            continue
        if open_evidence is None:
            out[code] = "Không in trong phụ lục."
            continue
        dest = folder / f"{i:05d}.jpg"
        out[code] = _prepare_one(open_evidence, nfc(item.get("sha256")), dest, max_w, max_h, pdf=pdf)
    return out


def _prepare_one(
    open_evidence: OpenEvidence, sha256: str, dest: Path, max_w: int, max_h: int, *, pdf: bool = False
) -> PreparedImage | str:
    from PIL import Image, ImageOps

    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        try:
            chunks = open_evidence(sha256)
            if chunks is None:
                return "Không tìm thấy nội dung tệp."
            try:
                for chunk in chunks:
                    spool.write(chunk)
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()
        except (KhoiError, OSError, LookupError):
            return "Không đọc được nội dung tệp."
        spool.seek(0)
        if pdf:
            return _pdf_first_page(spool, dest, max_w, max_h)
        try:
            with Image.open(spool) as im:
                im.draft("RGB", (max_w, max_h))  # JPEG: decode at reduced scale, far less memory
                img = ImageOps.exif_transpose(im)
                if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
                    rgba = img.convert("RGBA")
                    background = Image.new("RGB", rgba.size, (255, 255, 255))
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    img = background
                else:
                    img = img.convert("RGB")
                img.thumbnail((max_w, max_h), Image.Resampling.LANCZOS)
                img.save(dest, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                return PreparedImage(dest, img.width, img.height)
        except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
            return "Không đọc được ảnh."


def _pdf_first_page(spool: Any, dest: Path, max_w: int, max_h: int) -> PreparedImage | str:
    """Rasterise the first page of a PDF evidence at print size (pdfium, no external program)."""
    import pypdfium2 as pdfium

    with tempfile.NamedTemporaryFile(suffix=".pdf", dir=dest.parent, delete=False) as tmp:
        while chunk := spool.read(1024 * 1024):
            tmp.write(chunk)
        path = Path(tmp.name)
    doc = None
    try:
        doc = pdfium.PdfDocument(str(path))
        if len(doc) == 0:
            return "Văn bản PDF không có trang nào."
        page = doc[0]
        w_pt, h_pt = page.get_size()
        if w_pt <= 0 or h_pt <= 0:
            return "Không đọc được trang đầu của văn bản PDF."
        scale = min(max_w / w_pt, max_h / h_pt, PRINT_DPI / 72)
        img = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
        img.save(dest, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        return PreparedImage(dest, img.width, img.height)
    except (pdfium.PdfiumError, OSError, ValueError):
        return "Không đọc được trang đầu của văn bản PDF (tệp có thể có mật khẩu hoặc bị hỏng)."
    finally:
        if doc is not None:
            doc.close()
        path.unlink(missing_ok=True)


class EvidenceImage(Flowable):
    """A prepared image with its caption below, scaled to fit (aspect kept), centred.

    The picture uses the rest of the current page when that is at least half a page; otherwise it
    moves, whole, to the next page at full size. Picture and caption never separate.
    """

    def __init__(
        self,
        image: PreparedImage,
        max_width: float,
        max_height: float,
        *,
        caption: Flowable | None = None,
        draw: bool = True,
    ) -> None:
        super().__init__()
        self.image = image
        self.caption = caption
        self.draw_image = draw
        self.max_width = max_width
        self.max_height = max_height
        self._caption_h = 0.0
        self._fit(max_width, max_height)
        self._avail = max_width

    def _fit(self, width: float, height: float) -> None:
        scale = min(width / self.image.width_px, height / self.image.height_px)
        self.img_width = self.image.width_px * scale
        self.img_height = self.image.height_px * scale

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._avail = availWidth
        self._caption_h = self.caption.wrap(availWidth, availHeight)[1] + CAPTION_GAP if self.caption else 0.0
        room = availHeight - self._caption_h - 4
        height = room if MIN_SHARE * self.max_height <= room < self.max_height else self.max_height
        self._fit(min(availWidth, self.max_width), height)
        return availWidth, self.img_height + 4 + self._caption_h

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # never split: the frame moves it to the next page

    def draw(self) -> None:
        from reportlab.lib.utils import ImageReader

        if self.caption is not None:
            self.caption.drawOn(self.canv, 0, 0)
        x = (self._avail - self.img_width) / 2
        y = self._caption_h + 4
        if not self.draw_image:
            return
        # An ImageReader (not a file name) names the XObject by content, so temp paths never reach the PDF;
        # JPEG data is passed through unchanged.
        self.canv.drawImage(ImageReader(str(self.image.path)), x, y, self.img_width, self.img_height)
        self.canv.setLineWidth(0.5)
        self.canv.rect(x, y, self.img_width, self.img_height)
