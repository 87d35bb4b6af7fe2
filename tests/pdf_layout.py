"""Text lines of a PDF with their positions and fonts (PDFium), for layout tests."""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Line:
    """One printed line: text, left edge, bottom and top (PDF points from the page's foot), bold share."""

    text: str
    x0: float
    bottom: float
    top: float
    bold: float


def page_lines(pdf: Path) -> list[list[Line]]:
    """Every page's text lines, top to bottom; characters on one baseline (±2 pt) make a line."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out: list[list[Line]] = []
    doc = pdfium.PdfDocument(str(pdf))
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    try:
        for page in doc:
            tp = page.get_textpage()
            chars: list[tuple[float, float, float, str, bool, float, float]] = []
            for i in range(tp.count_chars()):
                ch = tp.get_text_range(i, 1)
                if ch in ("\r", "\n"):
                    continue
                left, bottom, right, top = tp.get_charbox(i)
                raw.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(ox), ctypes.byref(oy))
                raw.FPDFText_GetFontInfo(tp.raw, i, buf, 128, ctypes.byref(flags))
                chars.append((oy.value, top, left, ch, b"Bold" in buf.value, bottom, right))
            tp.close()
            page.close()
            rows: list[list[tuple[float, float, float, str, bool, float, float]]] = []
            for c in sorted(chars, key=lambda c: (-round(c[0]), c[2])):  # by baseline, then left to right
                if rows and abs(rows[-1][0][0] - c[0]) <= 1.5:
                    rows[-1].append(c)
                else:
                    rows.append([c])
            lines = []
            for row in rows:
                row.sort(key=lambda c: c[2])
                parts: list[str] = []
                for n, c in enumerate(row):
                    # a wide gap is a space even where the PDF has none (text in another cell or form)
                    if n and c[3] != " " and parts[-1] != " " and c[2] - row[n - 1][6] > 4:
                        parts.append(" ")
                    parts.append(c[3])
                text = unicodedata.normalize("NFC", "".join(parts)).strip()
                if not text:
                    continue
                visible = [c for c in row if c[3].strip()]
                lines.append(Line(text, min(c[2] for c in visible), min(c[5] for c in visible),
                                  max(c[1] for c in visible), sum(c[4] for c in visible) / len(visible)))
            out.append(lines)
    finally:
        doc.close()
    return out
