"""Render the dossier payload as a Vietnamese administrative PDF (reportlab platypus)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.pdfgen.canvas import Canvas

from khoiapp.pdf import fonts
from khoiapp.pdf import styles as st
from khoiapp.pdf.flowables import OutlineMark, SignatureRecord
from khoiapp.pdf.images import prepare_images
from khoiapp.pdf.parts import StoryContext, build_story, document_subject, document_title

DRAFT_STAMP = "BẢN NHÁP"
CREATOR = "Khối"
LANGUAGE = "vi-VN"
_MAX_PASSES = 4


@dataclass(frozen=True)
class RenderInfo:
    """What the caller needs after rendering.

    ``signature_box``: 0-based page index and (x1, y1, x2, y2) in PDF points of the trade-union
    chair's signature space in the report, for a visible digital signature; ``head_signature_box``
    the same for the head's certification (the unit's seal goes over its left third).
    """

    pages: int
    signature_box: tuple[int, tuple[float, float, float, float]] | None
    head_signature_box: tuple[int, tuple[float, float, float, float]] | None = None


def nfc_deep(obj: Any) -> Any:
    """Every string in a JSON-like structure, NFC-normalised."""
    if isinstance(obj, str):
        return unicodedata.normalize("NFC", obj)
    if isinstance(obj, dict):
        return {nfc_deep(k): nfc_deep(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [nfc_deep(v) for v in obj]
    return obj


def payload_sha256(payload: dict[str, Any]) -> str:
    """SHA-256 of the payload's canonical bytes, the same bytes the export attaches."""
    try:
        from khoiapp.services.payload import payload_bytes
    except ImportError:  # pragma: no cover - the payload module ships with the app
        data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    else:
        data = payload_bytes(payload)
    return hashlib.sha256(data).hexdigest()


_RL_CONFIG_LOCK = threading.Lock()


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Write streams as binary instead of ASCII85 while rendering.

    reportlab's pure-Python ASCII85 encoder costs ~0.2 s per photo and makes every stream 25 %
    larger; binary streams are just as valid. ``useA85`` is a process-wide setting, so it is
    switched under a lock and restored afterwards.
    """
    from reportlab import rl_config

    with _RL_CONFIG_LOCK:
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = saved


class _DossierTemplate(BaseDocTemplate):
    """Adds outline entries for ``OutlineMark`` flowables, page numbers and the draft stamp."""

    def __init__(self, out: BinaryIO, *, total_pages: int | None, draft: bool, **kw: Any) -> None:
        self.total_pages = total_pages
        self.draft = draft
        super().__init__(out, **kw)
        # The cover's text keeps clear of its border.
        cover_frame = Frame(st.LEFT_MARGIN, st.BOTTOM_MARGIN, st.FRAME_WIDTH, st.FRAME_HEIGHT, id="cover",
                            leftPadding=14, rightPadding=14, topPadding=14, bottomPadding=14)
        body_frame = Frame(st.LEFT_MARGIN, st.BOTTOM_MARGIN, st.FRAME_WIDTH, st.FRAME_HEIGHT, id="body",
                           leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover_frame], onPage=self._cover_page, onPageEnd=self._page_end),
            PageTemplate("body", [body_frame], onPage=self._body_page, onPageEnd=self._page_end),
        ])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab hook
        if isinstance(flowable, OutlineMark):
            title, key, level = flowable.outline
            if level == 0:
                self.canv.bookmarkPage(key, fit="Fit")
            else:
                top = self.frame._y + 20  # just above the heading that follows the mark
                self.canv.bookmarkPage(key, fit="XYZ", left=0, top=min(top, st.PAGE_HEIGHT), zoom=0)
            self.canv.addOutlineEntry(title, key, level=level, closed=level == 0)

    def _cover_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.showOutline()  # open the bookmarks panel: the parts are the way around the dossier
        # A double border frames the cover, as printed dossiers usually have.
        canv.saveState()
        canv.setLineWidth(1.6)
        x, y = st.LEFT_MARGIN - 12, st.BOTTOM_MARGIN - 12
        w, h = st.FRAME_WIDTH + 24, st.FRAME_HEIGHT + 24
        canv.rect(x, y, w, h)
        canv.setLineWidth(0.6)
        canv.rect(x + 4, y + 4, w - 8, h - 8)
        canv.restoreState()

    def _body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        page = canv.getPageNumber()
        if page < 2:
            return
        total = self.total_pages if self.total_pages else "…"
        canv.saveState()
        canv.setFont(fonts.REGULAR, st.PAGE_NUMBER_SIZE)
        canv.drawCentredString(st.LEFT_MARGIN + st.FRAME_WIDTH / 2, st.PAGE_NUMBER_BASELINE, f"Trang {page}/{total}")
        canv.restoreState()

    def _page_end(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if not self.draft:
            return
        canv.saveState()
        # A level mark in the top margin as well: text searches and pdftotext find it, and it
        # survives a printer that drops transparency.
        canv.setFont(fonts.BOLD, st.PAGE_NUMBER_SIZE)
        canv.setFillColor(colors.Color(0.45, 0.45, 0.45))
        canv.drawRightString(st.PAGE_WIDTH - st.RIGHT_MARGIN, st.PAGE_NUMBER_BASELINE, DRAFT_STAMP)
        canv.setFillColor(colors.Color(0.55, 0.55, 0.55))
        canv.setFillAlpha(0.32)
        canv.translate(st.PAGE_WIDTH / 2, st.PAGE_HEIGHT / 2)
        canv.rotate(52)
        canv.setFont(fonts.BOLD, 110)
        canv.drawCentredString(0, -38, DRAFT_STAMP)
        canv.restoreState()


def render_dossier(
    payload: dict[str, Any],
    out: BinaryIO,
    *,
    draft: bool,
    open_evidence: Callable[[str], Iterator[bytes]] | None,
    clock: dt.datetime,
) -> RenderInfo:
    """Write the dossier's pages for ``payload`` to ``out`` as a PDF.

    Args:
        payload: a ``khoi-dossier/1`` payload (see docs/dossier-format.md).
        out: binary stream the PDF is written to.
        draft: stamp "BẢN NHÁP" on every page.
        open_evidence: streams an evidence file's bytes by SHA-256, for the appendix images; ``None``
            lists the evidence without images.
        clock: the export time; the report's date comes from it.

    Returns:
        The page count and where the trade-union chair's signature space is.

    The same payload and clock give byte-identical output (reportlab ``invariant``).
    """
    fonts.register_fonts()
    styles = st.make_styles()
    data = nfc_deep(payload)
    sha = payload_sha256(payload)
    with tempfile.TemporaryDirectory(prefix="khoi-render-") as tmp, _binary_streams():
        box = (st.FRAME_WIDTH, st.FRAME_HEIGHT - 60)
        images = prepare_images(list(data.get("evidence") or []), open_evidence, Path(tmp), box)
        total: int | None = None
        for _ in range(_MAX_PASSES):
            record = SignatureRecord()
            # The first pass only counts pages: images keep their size but are not drawn.
            ctx = StoryContext(payload=data, styles=styles, clock=clock, payload_sha256=sha, images=images,
                               signature=record, total_pages=total, draw_images=total is not None)
            buf = io.BytesIO()
            doc = _make_doc(buf, data, draft=draft, total=total)
            doc.build(build_story(ctx))
            pages = doc.page
            if pages == total:
                out.write(buf.getvalue())
                head = record.boxes[1] if len(record.boxes) > 1 else None
                return RenderInfo(pages=pages, signature_box=record.box, head_signature_box=head)
            total = pages
    raise RuntimeError("page count did not settle")  # pragma: no cover - layout does not depend on the total


def _make_doc(buf: BinaryIO, payload: dict[str, Any], *, draft: bool, total: int | None) -> _DossierTemplate:
    unit = payload.get("unit") or {}
    return _DossierTemplate(
        buf,
        total_pages=total,
        draft=draft,
        pagesize=(st.PAGE_WIDTH, st.PAGE_HEIGHT),
        leftMargin=st.LEFT_MARGIN,
        rightMargin=st.RIGHT_MARGIN,
        topMargin=st.TOP_MARGIN,
        bottomMargin=st.BOTTOM_MARGIN,
        title=document_title(payload),
        author=unicodedata.normalize("NFC", str(unit.get("name") or "")),
        subject=document_subject(payload),
        creator=CREATOR,
        producer=CREATOR,
        keywords=["hồ sơ tự đánh giá", "đạt chuẩn văn hóa", "khoi-dossier"],
        invariant=1,
        lang=LANGUAGE,
        displayDocTitle=1,
        initialFontName=fonts.REGULAR,
        initialFontSize=st.BODY_SIZE,
        initialLeading=st.BODY_LEADING,
    )
