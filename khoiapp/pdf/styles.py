"""Page geometry and paragraph styles of the dossier (Nghị định 30/2020/NĐ-CP, Appendix I)."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm

from khoiapp.pdf import fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
# Margins: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 20 * mm
LEFT_MARGIN = 30 * mm
RIGHT_MARGIN = 15 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN
# Page number: 13 pt, centred at the top, inside the top margin.
PAGE_NUMBER_SIZE = 13
PAGE_NUMBER_BASELINE = PAGE_HEIGHT - 13 * mm

BODY_SIZE = 13
BODY_LEADING = 17  # ~1.3 line spacing (single to 1.5 allowed)
TABLE_SIZE = 11
TABLE_LEADING = 13.5
INDENT = 1 * cm
PARA_SPACE = 6

# Header columns: issuing body on the left, national title and motto on the right.
# The left column is wide enough for a long unit name to wrap between words in two or three lines.
HEADER_LEFT = 76 * mm
HEADER_RIGHT = FRAME_WIDTH - HEADER_LEFT


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_plain: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    table_heading: ParagraphStyle
    lead_in: ParagraphStyle
    part_title: ParagraphStyle
    doc_type: ParagraphStyle
    summary: ParagraphStyle
    centre: ParagraphStyle
    centre_bold: ParagraphStyle
    header_caps: ParagraphStyle
    header_caps_bold: ParagraphStyle
    header_number: ParagraphStyle
    header_date: ParagraphStyle
    national_title: ParagraphStyle
    motto: ParagraphStyle
    signer: ParagraphStyle
    signer_name: ParagraphStyle
    recipients_title: ParagraphStyle
    recipients: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    cell_group: ParagraphStyle
    caption: ParagraphStyle
    note: ParagraphStyle
    mono: ParagraphStyle
    mono_small: ParagraphStyle
    cover_small: ParagraphStyle
    cover_unit: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_place: ParagraphStyle


def make_styles() -> Styles:
    """Build the styles; fonts must be registered first (``fonts.register_fonts``)."""
    f, fb, fi, fbi = fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC
    body = ParagraphStyle(
        "body", fontName=f, fontSize=BODY_SIZE, leading=BODY_LEADING, alignment=TA_JUSTIFY,
        firstLineIndent=INDENT, spaceAfter=PARA_SPACE,
    )

    def like(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **kw)

    cell = ParagraphStyle(
        "cell", fontName=f, fontSize=TABLE_SIZE, leading=TABLE_LEADING, alignment=TA_LEFT,
        firstLineIndent=0, spaceAfter=0, wordWrap=None,
    )
    return Styles(
        body=body,
        body_plain=like("body_plain", firstLineIndent=0),
        heading1=like("heading1", fontName=fb, alignment=TA_LEFT, firstLineIndent=INDENT, spaceBefore=6,
                      keepWithNext=1),
        heading2=like("heading2", fontName=fb, alignment=TA_JUSTIFY, firstLineIndent=INDENT, keepWithNext=1),
        heading3=like("heading3", fontName=fbi, alignment=TA_JUSTIFY, firstLineIndent=INDENT, keepWithNext=1),
        table_heading=like("table_heading", fontName=fb, alignment=TA_LEFT, firstLineIndent=0, keepWithNext=0),
        lead_in=like("lead_in", keepWithNext=1),
        part_title=like("part_title", fontName=fb, alignment=TA_CENTER, firstLineIndent=0, fontSize=14,
                        leading=18, spaceAfter=4, keepWithNext=1),
        doc_type=like("doc_type", fontName=fb, alignment=TA_CENTER, firstLineIndent=0, fontSize=14, leading=18,
                      spaceBefore=18, spaceAfter=2, keepWithNext=1),
        summary=like("summary", fontName=fb, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0, keepWithNext=1),
        centre=like("centre", alignment=TA_CENTER, firstLineIndent=0),
        centre_bold=like("centre_bold", fontName=fb, alignment=TA_CENTER, firstLineIndent=0),
        header_caps=like("header_caps", fontSize=12, leading=14.5, alignment=TA_CENTER, firstLineIndent=0,
                         spaceAfter=0),
        header_caps_bold=like("header_caps_bold", fontName=fb, fontSize=12, leading=14.5, alignment=TA_CENTER,
                              firstLineIndent=0, spaceAfter=0),
        header_number=like("header_number", alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0,
                           spaceBefore=4),
        header_date=like("header_date", fontName=fi, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0,
                         spaceBefore=4),
        national_title=like("national_title", fontName=fb, fontSize=12, leading=14.5, alignment=TA_CENTER,
                            firstLineIndent=0, spaceAfter=0),
        motto=like("motto", fontName=fb, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0),
        signer=like("signer", fontName=fb, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0),
        signer_name=like("signer_name", fontName=fb, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0),
        recipients_title=like("recipients_title", fontName=fbi, fontSize=12, leading=14, alignment=TA_LEFT,
                              firstLineIndent=0, spaceAfter=0),
        recipients=like("recipients", fontSize=11, leading=13, alignment=TA_LEFT, firstLineIndent=0,
                        spaceAfter=0),
        cell=cell,
        cell_centre=ParagraphStyle("cell_centre", parent=cell, alignment=TA_CENTER),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=fb, alignment=TA_CENTER),
        cell_group=ParagraphStyle("cell_group", parent=cell, fontName=fb),
        caption=like("caption", alignment=TA_CENTER, firstLineIndent=0, fontSize=12, leading=15, spaceAfter=4),
        note=like("note", fontName=fi, fontSize=12, leading=15, firstLineIndent=0, alignment=TA_LEFT),
        mono=like("mono", fontSize=12, leading=15, firstLineIndent=0, alignment=TA_LEFT),
        mono_small=ParagraphStyle("mono_small", parent=cell, fontSize=10, leading=12),
        cover_small=like("cover_small", fontSize=14, leading=18, alignment=TA_CENTER, firstLineIndent=0,
                         spaceAfter=2),
        cover_unit=like("cover_unit", fontName=fb, fontSize=14, leading=18, alignment=TA_CENTER,
                        firstLineIndent=0, spaceAfter=2),
        cover_title=like("cover_title", fontName=fb, fontSize=24, leading=32, alignment=TA_CENTER,
                         firstLineIndent=0, spaceAfter=10),
        cover_subtitle=like("cover_subtitle", fontName=fb, fontSize=16, leading=22, alignment=TA_CENTER,
                            firstLineIndent=0, spaceAfter=8),
        cover_place=like("cover_place", fontName=fb, fontSize=14, leading=18, alignment=TA_CENTER,
                         firstLineIndent=0),
    )
