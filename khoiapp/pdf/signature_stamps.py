"""Visible signatures on the report page: where the seal goes, and the drawing of each signature.

NĐ 30/2020 Appendix I: the signer's image (handwritten signature, transparent PNG) sits between the
position and the name; the body's signature is the red seal image at real size over about a third
of the signer's image, on its left, with the body's name and the signing time (ISO 8601, Vietnam's
zone).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

from khoiapp.errors import SigningError

VN_TZ = dt.timezone(dt.timedelta(hours=7))
MM = 72 / 25.4
SEAL_SIZE = 34 * MM  # a round seal of about 35 mm, the usual size of a unit's seal
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 4000 * 4000

_RED = (0.78, 0.05, 0.05)
_INK = (0.05, 0.15, 0.55)  # the text of a personal signature: blue like the ink


def seal_box(head_box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The seal's box from the head's signature box: over the left third of the head's image.

    The seal keeps its real size (about 35 mm); it is centred vertically on the head's box.
    """
    x1, y1, x2, y2 = head_box
    right = x1 + (x2 - x1) / 3
    cy = (y1 + y2) / 2
    return (right - SEAL_SIZE, cy - SEAL_SIZE / 2, right, cy + SEAL_SIZE / 2)


def signature_time_text(when: dt.datetime) -> str:
    """ISO 8601 with Vietnam's zone, to the second: ``2026-12-01T14:03:22+07:00``."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(VN_TZ).replace(microsecond=0).isoformat()


def check_image(data: bytes, what: str) -> tuple[int, int]:
    """Refuse an image file that is not a sane PNG; return its pixel size.

    Raises:
        SigningError: too large, not a PNG, damaged, or too many pixels.
    """
    from PIL import Image

    if len(data) > MAX_IMAGE_BYTES:
        raise SigningError(
            f"Ảnh {what} lớn {len(data) // 1024} KB, vượt giới hạn {MAX_IMAGE_BYTES // (1024 * 1024)} MB. "
            "Hãy dùng ảnh PNG nền trong suốt nhỏ hơn (khoảng 600 × 300 điểm ảnh là đủ)."
        )
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SigningError(f"Tệp ảnh {what} không phải ảnh PNG. Hãy chọn ảnh PNG nền trong suốt.")
    try:
        with Image.open(io.BytesIO(data)) as im:
            size = im.size
            if size[0] * size[1] > MAX_IMAGE_PIXELS:
                raise SigningError(
                    f"Ảnh {what} có {size[0]} × {size[1]} điểm ảnh, quá lớn. Hãy thu nhỏ ảnh rồi chọn lại."
                )
            im.load()
    except SigningError:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many types for damaged files
        raise SigningError(f"Ảnh {what} bị hỏng, không đọc được. Hãy chọn lại ảnh PNG khác.") from None
    return size


def render_signature_pdf(
    width: float,
    height: float,
    lines: list[str],
    *,
    image: bytes | None,
    seal: bool,
    font: str,
    font_bold: str,
    text_left: float = 0.0,
) -> bytes:
    """A one-page PDF of ``width`` × ``height`` points: the image (if any) and the signature's text.

    A personal signature: the handwritten image over the upper part, text in blue under it. The
    seal: the seal image filling the square, text in red across its lower part; without an image
    a red ring with the unit's name stands for it. ``text_left``: the fraction of the width left
    free of text on the left (the head's box, whose left third lies under the seal).
    """
    from reportlab.lib.utils import ImageReader, simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), invariant=1, pageCompression=1,
                      initialFontName=font, initialFontSize=8)
    color = _RED if seal else _INK
    if image is not None:
        reader = ImageReader(io.BytesIO(image))
        iw, ih = reader.getSize()
        box_h = height if seal else height * 0.62
        scale = min(width / iw, box_h / ih)
        w, h = iw * scale, ih * scale
        c.drawImage(reader, (width - w) / 2, height - h - (height - box_h if seal else 0) / 2,
                    w, h, mask="auto")
    elif seal:
        c.setStrokeColorRGB(*_RED)
        c.setLineWidth(1.6)
        r = min(width, height) / 2 - 1.5
        c.circle(width / 2, height / 2, r)
        c.setLineWidth(0.6)
        c.circle(width / 2, height / 2, r - 3)
    size = 6.5
    x0 = width * text_left
    text_w = (width - x0) * (0.72 if seal else 1.0) - 4  # inside the ring for the seal
    text_top = height * (0.34 if seal else 0.36)
    if image is None and not seal:
        text_top = height * 0.80
    wrapped: list[tuple[str, str]] = []
    while True:
        wrapped = []
        for i, line in enumerate(lines):
            f = font_bold if i == 0 else font
            wrapped.extend((f, part) for part in simpleSplit(unicodedata.normalize("NFC", line), f, size, text_w))
        fits = all(pdfmetrics.stringWidth(t, f, size) <= text_w for f, t in wrapped)
        if (fits and len(wrapped) * size * 1.15 <= max(text_top, height * 0.3) - 2) or size <= 4.5:
            break
        size -= 0.25
    cx = x0 + (width - x0) / 2
    if seal and image is not None:
        # a light backing keeps the red text readable over the red seal
        block = len(wrapped) * size * 1.15
        c.setFillColorRGB(1, 1, 1, alpha=0.78)
        c.roundRect(cx - text_w / 2 - 1.5, text_top - block - 1.5, text_w + 3, block + 2.5, 2, stroke=0, fill=1)
    c.setFillColorRGB(*color)
    y = text_top - size
    for f, text in wrapped:
        c.setFont(f, size)
        c.drawCentredString(cx, y, text)
        y -= size * 1.15
    c.showPage()
    c.save()
    return buf.getvalue()
