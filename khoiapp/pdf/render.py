"""Render the dossier payload as a Vietnamese administrative PDF (reportlab platypus)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
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
from khoiapp.pdf.flowables import DocumentStart, LayoutRecord, OutlineMark, SignatureRecord, define_late_text
from khoiapp.pdf.images import (
    DEFAULT_PHOTOS_PER_PAGE,
    PHOTOS_PER_PAGE,
    Renditions,
    pixel_box,
    prepare_images,
    sheet_grid,
)
from khoiapp.pdf.parts import (
    StoryContext,
    build_story,
    document_subject,
    document_title,
    photo_cell_box,
    scan_page_box,
)
from khoiapp.pdf.text import vn_time

DRAFT_STAMP = "BẢN NHÁP"
CREATOR = "Khối"
LANGUAGE = "vi-VN"


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

    def __init__(self, out: BinaryIO, *, layout: LayoutRecord, draft: bool, created: dt.datetime,
                 late: dict[str, Any] | None = None, **kw: Any) -> None:
        self.layout = layout
        self.late = late if late is not None else {}
        self.draft = draft
        self.created = created
        self._document_start = 1
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

    def _endBuild(self) -> None:
        # After the last page: define the forms of the numbers known only now (table of
        # contents, appendix pages, page count), then write the file.
        self._doSave = 0
        super()._endBuild()
        for name, (resolve, font, size, align) in self.late.items():
            define_late_text(self.canv, name, resolve(self.layout), font, size, align)
        self.canv.save()

    def beforeDocument(self) -> None:  # noqa: N802 - reportlab hook
        # The real creation time (in Vietnam's zone) instead of invariant mode's 1 January 2000;
        # the output stays reproducible for the same clock.
        c = self.created
        offset = c.utcoffset() or dt.timedelta(0)
        hours, rest = divmod(int(offset.total_seconds()), 3600)
        stamp = f"D:{c:%Y%m%d%H%M%S}{hours:+03d}'{rest // 60:02d}'"
        self.canv._doc.setDateFormatter(lambda *_a: stamp)

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab hook
        if isinstance(flowable, DocumentStart):
            self._document_start = self.canv.getPageNumber()
            self.layout.starts[flowable.key] = self._document_start
            if flowable.label:  # the viewer's page box numbers each document on its own, like the print
                self.canv.addPageLabel(self._document_start - 1, style="D", start=1, prefix=flowable.label)
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
        pass

    def _page_end(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        # Each document of the dossier is numbered on its own (Nghị định 30/2020, Appendix I):
        # plain numerals centred at the top, none on the document's first page. Drawn at the page's
        # end, once the page's flowables said which document it belongs to.
        page = canv.getPageNumber()
        number = page - self._document_start + 1
        self.layout.total = page
        if number > 1:
            canv.saveState()
            canv.setFont(fonts.REGULAR, st.PAGE_NUMBER_SIZE)
            canv.drawCentredString(st.LEFT_MARGIN + st.FRAME_WIDTH / 2, st.PAGE_NUMBER_BASELINE, str(number))
            canv.restoreState()
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
    photos_per_page: int = DEFAULT_PHOTOS_PER_PAGE,
    renditions: Renditions | None = None,
) -> RenderInfo:
    """Write the dossier's pages for ``payload`` to ``out`` as a PDF.

    Args:
        payload: a ``khoi-dossier/1`` payload (see docs/dossier-format.md).
        out: binary stream the PDF is written to.
        draft: stamp "BẢN NHÁP" on every page.
        open_evidence: streams an evidence file's bytes by SHA-256, for the appendix images; ``None``
            lists the evidence without images.
        clock: the export time; the report's date comes from it, in Vietnam's zone whatever the
            machine's zone.
        photos_per_page: photos on each appendix sheet: 2, 4 or 6.
        renditions: appendix images an earlier export made (taken instead of decoding again) and
            where the images made now are left (``images.Renditions``); the output is the same.

    Returns:
        The page count and where the trade-union chair's signature space is.

    The same payload and clock give byte-identical output (reportlab ``invariant``).
    """
    if photos_per_page not in PHOTOS_PER_PAGE:
        raise ValueError(f"photos_per_page must be one of {PHOTOS_PER_PAGE}")
    fonts.register_fonts()
    styles = st.make_styles()
    data = nfc_deep(payload)
    sha = payload_sha256(payload)
    clock = vn_time(clock)
    columns, rows = sheet_grid(photos_per_page)
    with tempfile.TemporaryDirectory(prefix="khoi-render-") as tmp, _binary_streams():
        images = prepare_images(list(data.get("evidence") or []), open_evidence, Path(tmp),
                                photo_box=photo_cell_box(styles, columns, rows), page_box=scan_page_box(styles),
                                renditions=renditions)
        # One layout pass: the numbers that depend on the whole layout (table of contents, appendix
        # pages of the index, page count) are form XObjects defined after the last page.
        record = SignatureRecord()
        layout = LayoutRecord()
        ctx = StoryContext(payload=data, styles=styles, clock=clock, payload_sha256=sha, images=images,
                           signature=record, layout=layout, photo_grid=(columns, rows))
        story = build_story(ctx)
        doc = _make_doc(out, data, draft=draft, layout=layout, created=clock, late=ctx.late)
        doc.build(story)
        head = record.boxes[1] if len(record.boxes) > 1 else None
        return RenderInfo(pages=layout.total, signature_box=record.box, head_signature_box=head)


def photo_print_box(photos_per_page: int = DEFAULT_PHOTOS_PER_PAGE) -> tuple[int, int]:
    """The pixel box a photo of the appendix is printed in, with ``photos_per_page`` per sheet."""
    fonts.register_fonts()
    return pixel_box(photo_cell_box(st.make_styles(), *sheet_grid(photos_per_page)))


def _make_doc(buf: BinaryIO, payload: dict[str, Any], *, draft: bool, layout: LayoutRecord,
              created: dt.datetime, late: dict[str, Any]) -> _DossierTemplate:
    unit = payload.get("unit") or {}
    return _DossierTemplate(
        buf,
        layout=layout,
        draft=draft,
        created=created,
        late=late,
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
