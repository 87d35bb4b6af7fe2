"""The parts of the dossier as platypus stories (wording, tables, headers, signer blocks)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from khoiapp.dossier.limits import PAYLOAD_NAME
from khoiapp.pdf import fonts
from khoiapp.pdf import styles as st
from khoiapp.pdf.flowables import (
    DocumentStart,
    LateText,
    LayoutRecord,
    OutlineMark,
    Rule,
    SignatureRecord,
    SignatureSpace,
)
from khoiapp.pdf.images import CAPTION_GAP, PhotoRow, PreparedImage, Prepared
from khoiapp.pdf.text import (
    date_line,
    esc,
    fmt_date,
    fmt_number,
    fmt_size,
    nfc,
    parse_date,
    quotes,
    unit_kind,
    upper,
    vn_time,
)

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PAYLOAD_FILE = PAYLOAD_NAME

PART_TITLES = (
    "Bìa hồ sơ",
    "Bản đăng ký",
    "Báo cáo tự đánh giá",
    "Bảng tự chấm tiêu chí",
    "Quy ước",
    "Bộ quy tắc ứng xử",
    "Danh mục minh chứng",
    "Phụ lục minh chứng",
    "Trang kiểm tra hồ sơ",
)

COMPARISON_TITLE = "So sánh với năm trước"
"""The part printed after the criteria table when the payload has a ``comparison``."""

NARRATIVE = (
    ("current_state", "Mô tả hiện trạng"),
    ("strengths", "Điểm mạnh"),
    ("weaknesses", "Điểm yếu"),
    ("improvement_plan", "Kế hoạch cải tiến"),
)

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
          "XVI", "XVII", "XVIII", "XIX", "XX")
_LETTERS = "abcdefghiklmnopqrstuvxy"  # Vietnamese lists skip j, w, z

GRID = colors.black
HEAD_BG = colors.Color(0.9, 0.9, 0.9)
GROUP_BG = colors.Color(0.96, 0.96, 0.96)


@dataclass
class StoryContext:
    """Everything the parts need besides the payload."""

    payload: dict[str, Any]
    styles: st.Styles
    clock: dt.datetime
    payload_sha256: str
    images: dict[str, Prepared]  # evidence code → prepared images (one per photo or PDF page), or why none
    signature: SignatureRecord | None
    layout: LayoutRecord = field(default_factory=LayoutRecord)  # filled while the document is drawn
    draw_images: bool = True
    photo_grid: tuple[int, int] = (2, 2)  # columns, rows of an appendix photo sheet
    _keys: itertools.count = field(default_factory=itertools.count)

    def key(self, prefix: str) -> str:
        return f"{prefix}-{next(self._keys)}"

    def note_evidence_page(self, code: str, page: int) -> None:
        self.layout.evidence.setdefault(code, page)

    # Numbers known once the document is laid out, by form name: how to compute them, font, size, align.
    late: dict[str, tuple[Callable[[LayoutRecord], str], str, float, str]] = field(default_factory=dict)

    def late_text(self, name: str, resolve: Callable[[LayoutRecord], str], style: Any, *,
                  align: str = "centre") -> LateText:
        """A line that shows ``resolve(layout)`` once the whole document is laid out."""
        self.late[name] = (resolve, style.fontName, style.fontSize, align)
        return LateText(name, style.fontName, style.fontSize, align=align, leading=style.leading)


# ------------------------------------------------------------------ small builders


def roman(n: int) -> str:
    return _ROMAN[n - 1] if 0 < n <= len(_ROMAN) else str(n)


def letter(i: int) -> str:
    return _LETTERS[i] if i < len(_LETTERS) else f"{_LETTERS[-1]}{i - len(_LETTERS) + 2}"


class _Paragraph(Paragraph):
    """A Paragraph that breaks its lines once per width.

    Platypus wraps most paragraphs two or three times at the same width (a table measures its
    cells, keep-with-next groups measure what they keep, the frame measures again before drawing);
    line breaking is most of the layout's time and depends only on the text, the style and the
    width (never on the height offered), so a wrap at the width of the last one returns its result.
    """

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if availWidth == self._wrapped_at and "blPara" in self.__dict__:  # split() may drop the lines
            return self.width, self.height
        got = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth if availWidth >= 1e-8 else None
        return got  # type: ignore[no-any-return]


def P(text: str, style: Any) -> Paragraph:  # noqa: N802 - the usual platypus shorthand
    """A paragraph from markup whose variable parts were already escaped with ``esc``."""
    return _Paragraph(text, style)


def paragraphs(text: Any, style: Any) -> list[Flowable]:
    """One paragraph per non-empty line of user text."""
    out: list[Flowable] = []
    for line in nfc(text).replace("\r\n", "\n").split("\n"):
        if line.strip():
            out.append(P(esc(line.strip()), style))
    return out


def table(data: list[list[Any]], widths: Sequence[float], *, header_rows: int = 1, extra: Sequence[Any] = (),
          long: bool = True, grid: bool = True) -> Table:
    """A bordered table with a repeated, shaded header; rows may split inside so nothing is cut.

    ``grid=False`` leaves the rules to ``extra``.
    """
    cls = LongTable if long else Table
    t = cls(data, colWidths=list(widths), repeatRows=header_rows, splitInRow=1, hAlign="LEFT")
    cmds: list[Any] = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, st.TABLE_SIZE),
        *([("GRID", (0, 0), (-1, -1), 0.5, GRID)] if grid else []),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        cmds += [("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_BG),
                 ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE")]
    t.setStyle(TableStyle(cmds + list(extra)))
    return t


def part_titles(payload: dict[str, Any]) -> tuple[str, ...]:
    """The parts printed for ``payload``, in order: the nine of ``PART_TITLES``, and "So sánh với
    năm trước" right after "Bảng tự chấm tiêu chí" when the payload has a comparison."""
    if not payload.get("comparison"):
        return PART_TITLES
    after = PART_TITLES.index("Bảng tự chấm tiêu chí") + 1
    return PART_TITLES[:after] + (COMPARISON_TITLE,) + PART_TITLES[after:]


def part_start(ctx: StoryContext, title: str, *, first: bool = False) -> list[Flowable]:
    """A page break and the part's numbered outline entry; the number follows the printed parts."""
    number = part_titles(ctx.payload).index(title) + 1
    out: list[Flowable] = []
    if not first:
        out.append(PageBreak())
    out.append(DocumentStart(part_key(ctx, title), page_label(ctx, title)))
    out.append(OutlineMark(f"{number}. {title}", f"part-{number}", 0))
    return out


PAGE_LABELS = {
    "Bìa hồ sơ": "Bìa-",
    "Bản đăng ký": "ĐK-",
    "Báo cáo tự đánh giá": "BC-",
    "Quy ước": "QU-",
    "Bộ quy tắc ứng xử": "QTƯX-",
    "Trang kiểm tra hồ sơ": "KT-",
}
"""The page-label prefix of each document (annexes: “PL I-”, “PL II-”…; the table of contents “ML-”)."""


def page_label(ctx: StoryContext, title: str) -> str:
    """The prefix of the page labels of part ``title``: “BC-” gives the report's pages BC-1, BC-2…"""
    if title in ANNEXES:
        return f"PL {annex_number(ctx, title)}-"
    return PAGE_LABELS.get(title, "")


def part_key(ctx: StoryContext, title: str) -> str:
    return f"part-{part_titles(ctx.payload).index(title) + 1}"


def sub_mark(ctx: StoryContext, title: str, level: int = 1) -> OutlineMark:
    return OutlineMark(quotes(nfc(title)), ctx.key("sub"), level)


ANNEXES = ("Bảng tự chấm tiêu chí", COMPARISON_TITLE, "Danh mục minh chứng", "Phụ lục minh chứng")
"""The parts printed as annexes of the report (“Phụ lục I”, “Phụ lục II”…), in print order."""


def annex_number(ctx: StoryContext, title: str) -> str:
    shown = [t for t in part_titles(ctx.payload) if t in ANNEXES]
    return roman(shown.index(title) + 1)


def report_reference(ctx: StoryContext) -> tuple[str, dt.date]:
    """The report's number and symbol ("03/BC-CĐ", blank for the clerk when unset) and its date."""
    rep = (ctx.payload.get("period") or {}).get("report") or {}
    number = rep.get("number")
    number_text = f"{int(number):02d}" if isinstance(number, int) and number > 0 else "\u00a0" * 8
    return f"{number_text}/{nfc(rep.get('symbol')) or 'BC-CĐ'}", ctx.clock.date()


def annex_heading(ctx: StoryContext, title: str, heading: str) -> list[Flowable]:
    """“Phụ lục II”, the annex's title, and “(Kèm theo Báo cáo số … ngày … của …)”."""
    s = ctx.styles
    number, day = report_reference(ctx)
    union = union_name(ctx.payload.get("unit") or {})
    return [
        P(esc(f"Phụ lục {annex_number(ctx, title)}"), s.part_title),
        P(esc(heading), s.part_title),
        P(f"<i>{esc(f'(Kèm theo Báo cáo số {number} ngày {fmt_date(day)} của {union})')}</i>", s.centre),
        Rule(40 * mm, space_before=0, space_after=8),
    ]


def legal_basis(ctx: StoryContext) -> list[str]:
    """The legal basis the criteria sets carry (their ``legal_basis``), without repeats, in order."""
    import tomllib

    out: list[str] = []
    for fw in ctx.payload.get("frameworks") or []:
        try:
            data = tomllib.loads(str(fw.get("source_toml") or ""))
        except (tomllib.TOMLDecodeError, ValueError):
            continue
        basis = (data.get("framework") or {}).get("legal_basis") or []
        for line in basis if isinstance(basis, list) else []:
            text = quotes(nfc(line)).strip().rstrip(";.")
            if text and text not in out:
                out.append(text)
    return out


def basis_paragraphs(ctx: StoryContext) -> list[Flowable]:
    """"Căn cứ …;" lines, one per legal basis, before the body of the registration and the report."""
    lines = legal_basis(ctx)
    return [P(esc(f"Căn cứ {line};"), ctx.styles.body) for line in lines]


def photo_cell_box(styles: st.Styles, columns: int, rows: int) -> tuple[float, float]:
    """The room a photo has on a sheet (points), for decoding it at the size it prints at."""
    width = (st.FRAME_WIDTH - PHOTO_GAP * (columns - 1)) / columns
    return width, sheet_row_height(rows) - PHOTO_CAPTION_ROOM


def scan_page_box(styles: st.Styles) -> tuple[float, float]:
    """The room one page of a PDF evidence has in the appendix (points)."""
    return st.FRAME_WIDTH, sheet_row_height(1) - PHOTO_CAPTION_ROOM


PHOTO_GAP = 10.0
PHOTO_CAPTION_ROOM = 3 * st.TABLE_LEADING + CAPTION_GAP + PHOTO_GAP


def sheet_row_height(rows: int) -> float:
    return (st.FRAME_HEIGHT - 2) / rows


def union_name(unit: dict[str, Any]) -> str:
    return nfc(unit.get("union_name")) or f"Công đoàn {nfc(unit.get('name'))}"


def union_parent(unit: dict[str, Any]) -> str:
    return nfc(unit.get("superior_union")) or nfc(unit.get("parent_org"))


def targets_text(period: dict[str, Any], *, caps: bool) -> str:
    targets = period.get("targets") or {}
    parts = []
    if targets.get("cultural", True) or not targets.get("model"):
        parts.append("đạt chuẩn văn hóa")
    if targets.get("model"):
        parts.append("kiểu mẫu")
    text = ", ".join(parts)
    return upper(text) if caps else text


def period_text(period: dict[str, Any]) -> str:
    label = nfc(period.get("label")) or str(period.get("year_end", ""))
    if period.get("year_start") and period.get("year_start") != period.get("year_end"):
        return f"giai đoạn {label}"
    return f"năm {label}"


def document_title(payload: dict[str, Any]) -> str:
    """The PDF's title: "Hồ sơ tự đánh giá xây dựng đơn vị văn hóa năm 2026 — <unit>"."""
    unit, period = payload.get("unit") or {}, payload.get("period") or {}
    return nfc(
        f"Hồ sơ tự đánh giá xây dựng {unit_kind(unit)} văn hóa {period_text(period)} — {nfc(unit.get('name'))}"
    )


def document_subject(payload: dict[str, Any]) -> str:
    unit, period = payload.get("unit") or {}, payload.get("period") or {}
    return nfc(
        f"Bản đăng ký, báo cáo tự đánh giá, bảng tự chấm tiêu chí, Quy ước, Bộ quy tắc ứng xử và minh chứng "
        f"xây dựng {unit_kind(unit)} {targets_text(period, caps=False)} {period_text(period)}"
    )


def header(ctx: StoryContext, *, parent: str, issuer: str, number: str, date_text: str) -> Table:
    """The two-column heading of an administrative document (Nghị định 30/2020, Art. 8)."""
    s = ctx.styles
    left: list[Flowable] = []
    if parent:
        left.append(P(esc(upper(parent)), s.header_caps))
    left.append(P(esc(upper(issuer)), s.header_caps_bold))
    left.append(Rule(25 * mm))
    from reportlab.pdfbase.pdfmetrics import stringWidth

    motto_width = stringWidth(MOTTO, s.motto.fontName, s.motto.fontSize)
    right: list[Flowable] = [P(NATIONAL_TITLE, s.national_title), P(MOTTO, s.motto), Rule(motto_width)]
    data = [[left, right], [P(esc(number), s.header_number), P(esc(date_text), s.header_date)]]
    t = Table(data, colWidths=[st.HEADER_LEFT, st.HEADER_RIGHT], hAlign="CENTER")
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, st.TABLE_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 6),  # the two columns never touch
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return t


def signer_block(ctx: StoryContext, recipients: Sequence[str], *, authority: str, position: str, name: str,
                 record: SignatureRecord | None) -> Table:
    """Recipients on the left; authority, position, signature space and name on the right."""
    s = ctx.styles
    left: list[Flowable] = []
    if recipients:
        left.append(P("Nơi nhận:", s.recipients_title))
        items = [nfc(r).strip() for r in recipients if nfc(r).strip()]
        for i, item in enumerate(items):
            last = i == len(items) - 1
            body = item.lstrip("-–• ").rstrip(";.,")
            left.append(P(esc(f"- {body}{'.' if last else ';'}"), s.recipients))
    right: list[Flowable] = []
    if authority:
        right.append(P(esc(upper(authority)), s.signer))
    right.append(P(esc(upper(position)), s.signer))
    right.append(SignatureSpace(70 * mm, 28 * mm, record))
    right.append(P(esc(name) if name else "&nbsp;", s.signer_name))
    t = Table([[left, right]], colWidths=[st.FRAME_WIDTH * 0.45, st.FRAME_WIDTH * 0.55])
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, st.TABLE_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return t


def result_value(r: dict[str, Any]) -> str:
    """Self-assessed value, the way the criterion measures it ("96%", "3", "10 điểm")."""
    value = r.get("value")
    if value is None:
        return ""
    kind = nfc(r.get("kind"))
    if kind == "percent":
        return f"{fmt_number(value)}%"
    if kind == "points":
        return f"{fmt_number(value)} điểm"
    return fmt_number(value)


def result_text(r: dict[str, Any]) -> str:
    value = result_value(r)
    label = nfc(r.get("status_label"))
    return f"{label} ({value})" if value and label else value or label


# ------------------------------------------------------------------ 1. cover


def cover(ctx: StoryContext) -> list[Flowable]:
    s, unit, period = ctx.styles, ctx.payload.get("unit") or {}, ctx.payload.get("period") or {}
    out = part_start(ctx, "Bìa hồ sơ", first=True)
    out.append(NextPageTemplate("body"))
    # The same parent body as the heading of the registration and the report.
    if union_parent(unit):
        out.append(P(esc(upper(union_parent(unit))), s.cover_small))
    out.append(P(esc(upper(unit.get("name"))), s.cover_unit))
    out.append(Rule(45 * mm, thickness=0.8))
    out.append(Spacer(1, 62 * mm))
    out.append(P("HỒ SƠ TỰ ĐÁNH GIÁ", s.cover_title))
    kind = upper(unit_kind(unit))
    out.append(P(esc(f"XÂY DỰNG {kind} {targets_text(period, caps=True)}"), s.cover_subtitle))
    out.append(P(esc(upper(period_text(period))), s.cover_subtitle))
    out.append(Spacer(1, 10 * mm))
    fws = ctx.payload.get("frameworks") or []
    for fw in fws:
        out.append(P(esc(f"Theo bộ tiêu chí “{nfc(fw.get('title'))}”"), s.centre))
    out.append(BottomAligned(P(esc(f"{nfc(unit.get('place_name'))}, {period_text(period)}"
                                   if nfc(unit.get("place_name")) else period_text(period).capitalize()),
                               s.cover_place)))
    return out


class BottomAligned(Flowable):
    """Takes the rest of the frame and draws its content at the bottom (cover's place and year)."""

    def __init__(self, content: Flowable) -> None:
        super().__init__()
        self.content = content
        self._content_h = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        _w, self._content_h = self.content.wrap(availWidth, availHeight)
        self.width = availWidth
        self.height = max(self._content_h, availHeight - 1)
        return self.width, self.height

    def draw(self) -> None:
        self.content.drawOn(self.canv, 0, 0)


# ------------------------------------------------------------------ 2. registration


def registration(ctx: StoryContext) -> list[Flowable]:
    s, unit, period = ctx.styles, ctx.payload.get("unit") or {}, ctx.payload.get("period") or {}
    out = part_start(ctx, "Bản đăng ký")
    union = union_name(unit)
    parent = union_parent(unit)
    registered = parse_date(period.get("registered_on"))
    out.append(header(ctx, parent=parent, issuer=union, number=number_line(ctx, "registration", "ĐK-CĐ"),
                      date_text=date_line(nfc(unit.get("place_name")), registered)))
    kind = unit_kind(unit)
    out.append(P("BẢN ĐĂNG KÝ", s.doc_type))
    out.append(P(esc(f"Xây dựng {kind} {targets_text(period, caps=False)} {period_text(period)}"), s.summary))
    out.append(Rule(40 * mm, space_before=5, space_after=10))
    if parent:
        out.append(P(f"Kính gửi: {esc(parent)}", s.centre))
    out.extend(basis_paragraphs(ctx))
    out.append(P(esc(
        f"Thực hiện phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” và hướng dẫn của "
        f"{parent or 'công đoàn cấp trên'} về xây dựng cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa, "
        f"{union} đăng ký xây dựng {kind} {targets_text(period, caps=False)} {period_text(period)} như sau:"
    ), s.body))
    staff_label = "Tổng số người lao động" if nfc(unit.get("unit_type")) == "doanh-nghiep" else (
        "Tổng số cán bộ, công chức, viên chức, người lao động")
    lines = [
        f"1. Tên {kind}: {nfc(unit.get('name'))}.",
        f"2. Địa chỉ: {nfc(unit.get('address')) or '…'}; điện thoại: {nfc(unit.get('phone')) or '…'}; "
        f"thư điện tử: {nfc(unit.get('email')) or '…'}.",
        f"3. {nfc(unit.get('head_title')) or 'Thủ trưởng'}: {nfc(unit.get('head_name')) or '…'}; "
        f"Chủ tịch Công đoàn: {nfc(unit.get('union_chair')) or '…'}.",
        f"4. {staff_label}: {fmt_number(unit.get('staff_count')) or '…'} người; "
        f"đảng viên: {fmt_number(unit.get('party_member_count')) or '…'} người.",
        f"5. Ngày đăng ký: {fmt_date(registered) or '…'}.",
    ]
    fws = ctx.payload.get("frameworks") or []
    goals = "; ".join(
        f"{nfc(fw.get('title_awarded'))} (theo bộ tiêu chí “{nfc(fw.get('title'))}”)" for fw in fws
    ) or targets_text(period, caps=False)
    lines.append(f"6. Danh hiệu đăng ký: {kind} {goals}.")
    for line in lines:
        out.append(P(esc(line), s.body))
    head = nfc(unit.get("head_title")) or "Thủ trưởng"
    commitment = P(esc(
        f"{union} cam kết phối hợp với {head.lower()} {kind} tổ chức thực hiện đầy đủ các tiêu chí đã đăng ký; "
        "xây dựng và thực hiện Quy ước, Bộ quy tắc ứng xử; định kỳ sơ kết, đánh giá, báo cáo kết quả với "
        "công đoàn cấp trên và chịu sự kiểm tra, hướng dẫn của Ban Chỉ đạo các cấp."
    ), s.body)
    recipients = [f"{parent} (để đăng ký);" if parent else "Công đoàn cấp trên (để đăng ký);",
                  f"{head} {kind};", "Lưu: CĐ."]
    # The signer block never sits alone on a page: it keeps with the paragraph before it.
    out.append(KeepTogether([commitment, Spacer(1, 6),
                             signer_block(ctx, recipients, authority="TM. BAN CHẤP HÀNH", position="CHỦ TỊCH",
                                          name=nfc(unit.get("union_chair")), record=None)]))
    return out


# ------------------------------------------------------------------ 3. report


def report(ctx: StoryContext) -> list[Flowable]:
    s, p = ctx.styles, ctx.payload
    unit, period = p.get("unit") or {}, p.get("period") or {}
    rep = period.get("report") or {}
    out = part_start(ctx, "Báo cáo tự đánh giá")
    union = union_name(unit)
    kind = unit_kind(unit)
    number, day = report_reference(ctx)
    out.append(header(ctx, parent=union_parent(unit), issuer=union, number=f"Số: {number}",
                      date_text=date_line(nfc(unit.get("place_name")), day)))
    out.append(P("BÁO CÁO", s.doc_type))
    out.append(P(esc(f"Kết quả xây dựng {kind} {targets_text(period, caps=False)} {period_text(period)}"),
                 s.summary))
    out.append(Rule(40 * mm, space_before=5, space_after=10))
    out.extend(basis_paragraphs(ctx))

    # I. situation
    out.append(sub_mark(ctx, "I. Đặc điểm tình hình"))
    out.append(P("I. ĐẶC ĐIỂM TÌNH HÌNH", s.heading1))
    out.extend(paragraphs(rep.get("situation"), s.body))
    facts = [f"Tên {kind}: {nfc(unit.get('name'))}"]
    if nfc(unit.get("address")):
        facts.append(f"địa chỉ: {nfc(unit.get('address'))}")
    out.append(P(esc("; ".join(facts) + "."), s.body))
    counts = []
    if unit.get("staff_count") not in (None, ""):
        counts.append(f"tổng số cán bộ, viên chức, người lao động: {fmt_number(unit.get('staff_count'))} người")
    if unit.get("party_member_count") not in (None, ""):
        counts.append(f"đảng viên: {fmt_number(unit.get('party_member_count'))} người")
    leaders = []
    if nfc(unit.get("head_name")):
        leaders.append(f"{nfc(unit.get('head_title')) or 'Thủ trưởng'}: {nfc(unit.get('head_name'))}")
    if nfc(unit.get("party_secretary")):
        leaders.append(f"Bí thư: {nfc(unit.get('party_secretary'))}")
    if nfc(unit.get("union_chair")):
        leaders.append(f"Chủ tịch Công đoàn: {nfc(unit.get('union_chair'))}")
    if counts or leaders:
        text = "; ".join(counts + leaders)
        out.append(P(esc(text[0].upper() + text[1:] + "."), s.body))
    committee = p.get("committee") or []
    if committee:
        out.append(P(esc(f"Ban Chỉ đạo xây dựng {kind} văn hóa gồm {len(committee)} thành viên:"), s.lead_in))
        cs = s.cell
        data = [[P("TT", s.cell_head), P("Họ và tên", s.cell_head), P("Chức vụ", s.cell_head),
                 P("Nhiệm vụ trong Ban", s.cell_head), P("Phân công", s.cell_head)]]
        for i, m in enumerate(committee, 1):
            data.append([P(str(i), s.cell_centre), P(esc(m.get("name")), cs), P(esc(m.get("job_title")), cs),
                         P(esc(m.get("role")), cs), P(esc(m.get("tasks")), cs)])
        out.append(table(data, [10 * mm, 36 * mm, 38 * mm, 27 * mm, st.FRAME_WIDTH - 111 * mm]))
        out.append(Spacer(1, 8))

    # II. results
    out.append(sub_mark(ctx, "II. Kết quả thực hiện"))
    out.append(P("II. KẾT QUẢ THỰC HIỆN", s.heading1))
    n = 0
    plan = p.get("plan") or []
    if plan:
        n += 1
        out.append(sub_mark(ctx, f"{n}. Công tác chỉ đạo, triển khai kế hoạch", 2))
        out.append(P(f"{n}. Công tác chỉ đạo, triển khai kế hoạch", s.heading2))
        out.append(P(esc(f"{union} phối hợp với {nfc(unit.get('head_title')).lower() or 'thủ trưởng'} "
                         f"xây dựng kế hoạch với {len(plan)} nội dung chính:"), s.lead_in))
        data = [[P("TT", s.cell_head), P("Nội dung", s.cell_head), P("Người phụ trách", s.cell_head),
                 P("Thời hạn", s.cell_head), P("Tình trạng", s.cell_head)]]
        for i, row in enumerate(plan, 1):
            status = nfc(row.get("status_label"))
            if row.get("late"):
                status += " (quá hạn)"
            data.append([P(str(i), s.cell_centre), P(esc(row.get("content")), s.cell),
                         P(esc(row.get("owner")), s.cell), P(esc(fmt_date(row.get("deadline"))), s.cell_centre),
                         P(esc(status), s.cell)])
        out.append(table(data, [10 * mm, st.FRAME_WIDTH - 106 * mm, 38 * mm, 25 * mm, 33 * mm]))
        out.append(Spacer(1, 8))
    results = p.get("results") or []
    fw_titles = {nfc(f.get("id")): nfc(f.get("title")) for f in p.get("frameworks") or []}
    for g in (p.get("outcome") or {}).get("groups") or []:
        n += 1
        crits = [r for r in results if r.get("framework") == g.get("framework") and r.get("group") == g.get("code")]
        out.append(CondPageBreak(60))
        out.append(sub_mark(ctx, f"{n}. {nfc(g.get('title'))}", 2))
        out.append(P(esc(f"{n}. Nhóm tiêu chí {nfc(g.get('code'))}: {nfc(g.get('title'))}"), s.heading2))
        line = (f"Thuộc bộ tiêu chí “{fw_titles.get(nfc(g.get('framework')), nfc(g.get('framework')))}”. "
                f"Kết quả: đạt {g.get('met', 0)}/{g.get('total', 0)} tiêu chí")
        if g.get("max_score"):
            line += f"; {fmt_number(g.get('score'))}/{fmt_number(g.get('max_score'))} điểm"
        line += "; nhóm " + ("đạt." if g.get("passed") else "chưa đạt.")
        out.append(P(esc(line), s.body))
        for i, r in enumerate(crits):
            res = result_text(r)
            head_text = f"{letter(i)}) Tiêu chí {nfc(r.get('code'))}. {nfc(r.get('title'))}"
            # Kept with its first paragraph: a criterion's heading never ends a page.
            out.append(P(f"<b>{esc(head_text)}</b>" + (f" – <i>{esc(res)}</i>" if res else ""),
                         s.lead_in))
            for key, label in NARRATIVE:
                # Each line the unit typed is a paragraph of its own, with the body's indent and spacing.
                body_lines = [ln.strip() for ln in nfc(r.get(key)).replace("\r\n", "\n").split("\n") if ln.strip()]
                for j, line in enumerate(body_lines):
                    out.append(P((f"<i>{label}:</i> " if j == 0 else "") + esc(line), s.body))
            if nfc(r.get("note")).strip():
                out.append(P(f"<i>Ghi chú:</i> {esc(r.get('note'))}", s.body))
            if r.get("evidence"):
                out.append(P(f"<i>Minh chứng:</i> {esc(', '.join(nfc(c) for c in r.get('evidence')))}.", s.body))
    out.extend(_activities(ctx, n + 1))
    n += 1 if (p.get("activities") or p.get("activity_totals")) else 0
    out.extend(_awards(ctx, n + 1))

    # III. self-assessment
    out.append(sub_mark(ctx, "III. Tự đánh giá, xếp loại"))
    out.append(P("III. TỰ ĐÁNH GIÁ, XẾP LOẠI", s.heading1))
    out.extend(_assessment(ctx))

    # IV. proposals
    out.append(sub_mark(ctx, "IV. Đề xuất, kiến nghị"))
    out.append(P("IV. ĐỀ XUẤT, KIẾN NGHỊ", s.heading1))
    out.extend(paragraphs(rep.get("proposals"), s.body) or [P("Không có đề xuất, kiến nghị.", s.body)])
    closing = P(esc(f"Trên đây là báo cáo kết quả xây dựng {kind} {targets_text(period, caps=False)} "
                    f"{period_text(period)} của {union}./."), s.body)
    recipients = rep.get("recipients") or ["Công đoàn cấp trên;", "Lưu: VT."]
    signer = signer_block(ctx, recipients, authority="TM. BAN CHẤP HÀNH", position="CHỦ TỊCH",
                          name=nfc(unit.get("union_chair")), record=ctx.signature)
    head_kind = {"co-quan": "CƠ QUAN", "doanh-nghiep": "DOANH NGHIỆP"}.get(nfc(unit.get("unit_type")), "ĐƠN VỊ")
    cert = [P(f"XÁC NHẬN CỦA THỦ TRƯỞNG {head_kind}", s.signer),
            P(esc(upper(unit.get("head_title") or "Thủ trưởng")), s.signer),
            SignatureSpace(70 * mm, 28 * mm, ctx.signature),  # the head's signature, then the seal
            P(esc(unit.get("head_name")) or "&nbsp;", s.signer_name)]
    t = Table([[cert]], colWidths=[st.FRAME_WIDTH * 0.55])
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.REGULAR, st.TABLE_SIZE),
                          ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    # The closing line, the chair's block and the head's certification stay on one page.
    out.append(KeepTogether([closing, Spacer(1, 6), signer, Spacer(1, 10), t]))
    return out


def _activities(ctx: StoryContext, n: int) -> list[Flowable]:
    s, p = ctx.styles, ctx.payload
    acts = p.get("activities") or []
    totals = p.get("activity_totals") or {}
    if not acts and not totals:
        return []
    labels = {nfc(a.get("kind")): nfc(a.get("kind_label")) for a in acts}
    out: list[Flowable] = [CondPageBreak(60), sub_mark(ctx, f"{n}. Các hoạt động và số liệu", 2),
                           P(f"{n}. Các hoạt động và số liệu", s.heading2)]
    if totals:
        out.append(P("Số liệu các hoạt động trong kỳ:", s.lead_in))
    if totals:
        data = [[P("Loại hoạt động", s.cell_head), P("Số lượt", s.cell_head),
                 P("Người tham gia", s.cell_head), P("Số lượng", s.cell_head)]]
        for kind, t in totals.items():
            data.append([P(esc(labels.get(nfc(kind)) or kind), s.cell),
                         P(fmt_number(t.get("count", 0)), s.cell_right),
                         P(fmt_number(t.get("participants")) if t.get("participants") else "–", s.cell_right),
                         P(fmt_number(t.get("quantity")) if t.get("quantity") else "–", s.cell_right)])
        out.append(table(data, [st.FRAME_WIDTH - 84 * mm, 22 * mm, 32 * mm, 30 * mm]))
        out.append(Spacer(1, 8))
    if acts:
        out.append(P("Chi tiết các hoạt động:", s.lead_in))
        data = [[P("TT", s.cell_head), P("Nội dung", s.cell_head), P("Loại", s.cell_head),
                 P("Ngày", s.cell_head), P("Người tham gia", s.cell_head), P("Số lượng", s.cell_head)]]
        for i, a in enumerate(acts, 1):
            title = esc(a.get("title"))
            if nfc(a.get("note")).strip():
                title += f"<br/><i>{esc(a.get('note'))}</i>"
            data.append([P(str(i), s.cell_centre), P(title, s.cell), P(esc(a.get("kind_label")), s.cell),
                         P(fmt_date(a.get("held_on")) or "–", s.cell_centre),
                         P(fmt_number(a.get("participants")) or "–", s.cell_right),
                         P(fmt_number(a.get("quantity")) or "–", s.cell_right)])
        out.append(table(data, [9 * mm, st.FRAME_WIDTH - 115 * mm, 34 * mm, 23 * mm, 27 * mm, 22 * mm]))
        out.append(Spacer(1, 8))
    return out


def _awards(ctx: StoryContext, n: int) -> list[Flowable]:
    s, awards = ctx.styles, ctx.payload.get("awards") or []
    if not awards:
        return []
    out: list[Flowable] = [CondPageBreak(60), sub_mark(ctx, f"{n}. Khen thưởng", 2), P(f"{n}. Khen thưởng", s.heading2)]
    collective = sum(1 for a in awards if a.get("collective"))
    out.append(P(esc(f"Trong kỳ, {fmt_number(len(awards))} lượt khen thưởng, trong đó "
                     f"{fmt_number(collective)} tập thể và {fmt_number(len(awards) - collective)} cá nhân:"), s.lead_in))
    data = [[P("TT", s.cell_head), P("Hình thức", s.cell_head), P("Nội dung", s.cell_head),
             P("Người, tập thể được khen", s.cell_head), P("Cấp khen; số, ngày quyết định", s.cell_head)]]
    for i, a in enumerate(awards, 1):
        decision = ", ".join(x for x in (nfc(a.get("issuer")), nfc(a.get("number")), fmt_date(a.get("issued_on"))) if x)
        data.append([P(str(i), s.cell_centre), P(esc(a.get("kind_label")), s.cell), P(esc(a.get("content")), s.cell),
                     P(esc(a.get("holder")), s.cell), P(esc(decision), s.cell)])
    out.append(table(data, [9 * mm, 22 * mm, st.FRAME_WIDTH - 112 * mm, 38 * mm, 43 * mm]))
    out.append(Spacer(1, 8))
    return out


def _assessment(ctx: StoryContext) -> list[Flowable]:
    s, p = ctx.styles, ctx.payload
    unit = p.get("unit") or {}
    outcome = p.get("outcome") or {}
    union = union_name(unit)
    out: list[Flowable] = []
    label = nfc(outcome.get("result_label")) or "Chưa đủ dữ liệu"
    out.append(P(f"Căn cứ kết quả tự đánh giá theo từng tiêu chí, {esc(union)} tự xếp loại: <b>{esc(label)}</b>.",
                 s.body))
    for fw in p.get("frameworks") or []:
        role = nfc(fw.get("role"))
        passed = outcome.get("base_passed") if role == "base" else outcome.get("addon_passed")
        text = f"Bộ tiêu chí “{nfc(fw.get('title'))}” (phiên bản {nfc(fw.get('version'))}): "
        text += "đạt" if passed else ("chưa đạt" if passed is not None else "chưa đánh giá")
        if role != "base" and (outcome.get("points") or {}).get("max"):
            pts = outcome["points"]
            text += f", {fmt_number(pts.get('total'))}/{fmt_number(pts.get('max'))} điểm"
        out.append(P(esc(text + "."), s.body))
    groups = outcome.get("groups") or []
    if groups:
        data = [[P("Nhóm tiêu chí", s.cell_head), P("Tiêu chí đạt", s.cell_head), P("Điểm", s.cell_head),
                 P("Kết quả", s.cell_head)]]
        for g in groups:
            data.append([P(esc(f"{nfc(g.get('code'))}. {nfc(g.get('title'))}"), s.cell),
                         P(f"{g.get('met', 0)}/{g.get('total', 0)}", s.cell_centre),
                         P(f"{fmt_number(g.get('score'))}/{fmt_number(g.get('max_score'))}" if g.get("max_score")
                           else "–", s.cell_centre),
                         P("Đạt" if g.get("passed") else "Chưa đạt", s.cell_centre)])
        out.append(table(data, [st.FRAME_WIDTH - 77 * mm, 25 * mm, 25 * mm, 27 * mm]))
        out.append(Spacer(1, 8))
    rd = outcome.get("readiness") or {}
    if rd:
        out.append(P(esc(f"Đã tự đánh giá {rd.get('answered', 0)}/{rd.get('total', 0)} tiêu chí; "
                         f"{rd.get('evidence_ok', 0)}/{rd.get('total', 0)} tiêu chí có đủ minh chứng theo yêu cầu."),
                     s.body))
    pending = [r for r in p.get("results") or [] if r.get("needs_confirmation")]
    if pending:
        out.append(P(esc("Tiêu chí cần cấp trên xác nhận thêm: "
                         + ", ".join(nfc(r.get("code")) for r in pending) + "."), s.body))
    return out


# ------------------------------------------------------------------ 4. criteria table

CRITERIA_WIDTHS = (14 * mm, 55 * mm, 21 * mm, 27 * mm, 13 * mm, 35 * mm)


def criteria_table(ctx: StoryContext) -> list[Flowable]:
    s, p = ctx.styles, ctx.payload
    out = part_start(ctx, "Bảng tự chấm tiêu chí")
    out.extend(annex_heading(ctx, "Bảng tự chấm tiêu chí", "BẢNG TỰ CHẤM TIÊU CHÍ"))
    unit = p.get("unit") or {}
    out.append(P(esc(f"{nfc(unit.get('name'))} – {period_text(p.get('period') or {})}"), s.centre))
    results = p.get("results") or []
    outcome = p.get("outcome") or {}
    groups = outcome.get("groups") or []
    for fw in p.get("frameworks") or []:
        fid = nfc(fw.get("id"))
        fw_groups = [g for g in groups if nfc(g.get("framework")) == fid]
        fw_results = [r for r in results if nfc(r.get("framework")) == fid]
        if not fw_results:
            continue
        scored = any(g.get("max_score") for g in fw_groups) or any(r.get("kind") == "points" for r in fw_results)
        out.append(CondPageBreak(80))
        out.append(sub_mark(ctx, f"Bộ tiêu chí “{nfc(fw.get('title'))}”"))
        out.append(P(esc(f"Bộ tiêu chí “{nfc(fw.get('title'))}”, phiên bản {nfc(fw.get('version'))}"),
                     s.table_heading))
        head = [P("Mã", s.cell_head), P("Tiêu chí", s.cell_head), P("Yêu cầu", s.cell_head),
                P("Kết quả tự đánh giá", s.cell_head), P("Điểm", s.cell_head), P("Minh chứng", s.cell_head)]
        data: list[list[Any]] = [head]
        extra: list[Any] = []
        # Rows never split across pages (a split row left its half-empty shaded cells and repeated
        # the header mid-page), unless one is too long to fit a page at all.
        whole_rows = all(_row_text_length(r) < NOSPLIT_MAX_CHARS for r in fw_results)
        order = [nfc(g.get("code")) for g in fw_groups]
        for r in fw_results:
            if nfc(r.get("group")) not in order:
                order.append(nfc(r.get("group")))
        titles = {nfc(g.get("code")): g for g in fw_groups}
        for code in order:
            g = titles.get(code, {})
            row_idx = len(data)
            text = f"Nhóm {code}. {nfc(g.get('title'))}" if g else f"Nhóm {code}"
            if g:
                text += f" – đạt {g.get('met', 0)}/{g.get('total', 0)} tiêu chí"
                if g.get("max_score"):
                    text += f", {fmt_number(g.get('score'))}/{fmt_number(g.get('max_score'))} điểm"
            data.append([P(esc(text), s.cell_group), "", "", "", "", ""])
            extra += [("SPAN", (0, row_idx), (-1, row_idx)), ("BACKGROUND", (0, row_idx), (-1, row_idx), GROUP_BG)]
            first = next((x for x in fw_results if nfc(x.get("group")) == code), None)
            if first is not None and _row_text_length(first) < NOSPLIT_MAX_CHARS:
                # A group's heading row never ends a page without its first criterion; a very
                # long first row is left splittable, since a row taller than a page cannot move.
                extra.append(("NOSPLIT", (0, row_idx), (-1, row_idx + 1)))
            for r in (x for x in fw_results if nfc(x.get("group")) == code):
                title = esc(r.get("title"))
                if nfc(r.get("note")).strip():
                    title += f"<br/><i>Ghi chú: {esc(r.get('note'))}</i>"
                result = esc(result_value(r))
                label = esc(r.get("status_label"))
                cell = f"{result}<br/>{label}" if result and label else result or label
                if r.get("needs_confirmation"):
                    cell += "<br/><i>(cần xác nhận)</i>"
                score = fmt_number(r.get("score")) if scored and r.get("score") is not None else "–"
                code_text = esc(r.get("code")) + ("*" if r.get("mandatory") else "")
                data.append([P(code_text, s.cell), P(title, s.cell), P(esc(r.get("requirement")), s.cell_centre),
                             P(cell, s.cell_centre), P(score, s.cell_centre),
                             P(esc(", ".join(nfc(c) for c in r.get("evidence") or [])) or "–", s.cell)])
        t = table(data, CRITERIA_WIDTHS, extra=extra)
        if whole_rows:
            t.splitInRow = 0
        out.append(t)
        out.append(Spacer(1, 6))
    out.append(P("* Tiêu chí bắt buộc. Mã minh chứng tra cứu tại Danh mục minh chứng.", s.note))
    pts = outcome.get("points") or {}
    summary = f"Kết quả chung: {nfc(outcome.get('result_label')) or 'Chưa đủ dữ liệu'}"
    if pts.get("max"):
        summary += f"; tổng điểm {fmt_number(pts.get('total'))}/{fmt_number(pts.get('max'))}"
    out.append(P(esc(summary + "."), s.body_plain))
    return out


NOSPLIT_MAX_CHARS = 900


def _row_text_length(r: dict[str, Any]) -> int:
    return sum(len(nfc(r.get(k))) for k in ("title", "note", "requirement")) + sum(
        len(nfc(c)) + 2 for c in r.get("evidence") or []
    )


# ------------------------------------------------------------------ after 4. comparison with last year

COMPARISON_WIDTHS = (14 * mm, 51 * mm, 29 * mm, 29 * mm, 42 * mm)
TEXT_CHANGE_WIDTHS = (17 * mm, 44 * mm, 52 * mm, 52 * mm)
CONDUCT_CHANGE_WIDTHS = (17 * mm, 148 * mm)
CHANGE_WORDS = {"added": "Thêm", "removed": "Bỏ", "changed": "Sửa"}
NARRATIVE_WORDS = {"current_state": "mô tả hiện trạng", "strengths": "điểm mạnh", "weaknesses": "điểm yếu",
                   "improvement_plan": "kế hoạch cải tiến"}
CONDUCT_SHOWN_CHARS = 120  # the rule's text as the comparison quotes it; longer rules are printed in full


def comparison(ctx: StoryContext) -> list[Flowable]:
    """"So sánh với năm trước": what changed since the dossier the period was imported from."""
    s, p = ctx.styles, ctx.payload
    cmp = p.get("comparison") or {}
    unit, period = p.get("unit") or {}, p.get("period") or {}
    out = part_start(ctx, COMPARISON_TITLE)
    old = str(cmp.get("old_year") or "trước")
    new = str(cmp.get("new_year") or period.get("year_end") or "nay")
    out.extend(annex_heading(ctx, COMPARISON_TITLE, "SO SÁNH VỚI NĂM TRƯỚC"))
    out.append(P(esc(f"{nfc(unit.get('name'))} – năm {new} so với năm {old}"), s.centre))
    intro = (f"Kỳ đánh giá năm {new} được lập từ hồ sơ tự đánh giá năm {old}: kết quả, minh chứng, Quy ước và "
             f"Bộ quy tắc ứng xử năm {old} được chuyển sang rồi rà soát lại. Phần này liệt kê những gì đã thay "
             f"đổi so với hồ sơ năm {old}.")
    out.append(P(esc(intro), s.body))
    source = period.get("source") or {}
    sha = nfc(source.get("dossier_sha256"))
    if sha:
        line = f"Hồ sơ năm {old} được nhận diện bằng mã SHA-256 {_split_hash(sha)}"
        line += (" (chữ ký số của hồ sơ này chưa được xác minh khi nhập)." if source.get("unverified")
                 else " (chữ ký số đã được xác minh khi nhập).")
        out.append(P(esc(line), s.body))

    crits = cmp.get("criteria") or []
    unchanged = int(cmp.get("unchanged") or 0)
    out.append(CondPageBreak(60))
    out.append(sub_mark(ctx, "1. Kết quả tự đánh giá các tiêu chí"))
    out.append(P("1. Kết quả tự đánh giá các tiêu chí", s.heading2))
    if crits:
        out.append(P(esc(f"Có {len(crits)} tiêu chí thay đổi so với năm {old}; {unchanged} tiêu chí giữ nguyên "
                         "kết quả, số liệu, minh chứng và nội dung tự đánh giá."), s.body))
        head = [P(h, s.cell_head) for h in ("Mã", "Tiêu chí", f"Năm {old}", f"Năm {new}", "Minh chứng thêm/bớt")]
        data: list[list[Any]] = [head]
        for c in crits:
            data.append([P(esc(c.get("code")), s.cell), P(_criterion_cell(c, old), s.cell),
                         P(_answer_cell(c, "old"), s.cell_centre), P(_answer_cell(c, "new"), s.cell_centre),
                         P(_evidence_cell(c), s.cell)])
        out.append(table(data, COMPARISON_WIDTHS))
        out.append(Spacer(1, 8))
    else:
        out.append(P(esc(f"Kết quả, số liệu và minh chứng của cả {unchanged} tiêu chí giữ nguyên như năm {old}."),
                     s.body))

    out.extend(_text_changes(ctx, "2. Quy ước", "Quy ước", cmp.get("convention_compared"),
                             cmp.get("convention") or [], old, new, conduct_rules=False))
    out.extend(_text_changes(ctx, "3. Bộ quy tắc ứng xử", "Bộ quy tắc ứng xử", cmp.get("conduct_compared"),
                             cmp.get("conduct") or [], old, new, conduct_rules=True))
    return out


def _answer_cell(c: dict[str, Any], side: str) -> str:
    status, label = c.get(f"{side}_status"), nfc(c.get(f"{side}_status_label"))
    if status is None and c.get(f"{side}_value") is None:
        return "–"
    value = esc(result_value({"value": c.get(f"{side}_value"), "kind": c.get("kind")}))
    label = esc(label)
    # What changed is set in bold on both sides.
    if c.get("change") == "changed":
        if value and c.get("old_value") != c.get("new_value"):
            value = f"<b>{value}</b>"
        if label and c.get("old_status") != c.get("new_status"):
            label = f"<b>{label}</b>"
    return f"{value}<br/>{label}" if value and label else value or label or "–"


def _criterion_cell(c: dict[str, Any], old: str) -> str:
    text = esc(c.get("title"))
    notes = []
    if c.get("change") == "added":
        notes.append(f"Tiêu chí mới, không có trong hồ sơ năm {old}.")
    elif c.get("change") == "removed":
        notes.append("Không còn trong bộ tiêu chí năm nay.")
    if c.get("title_changed") and nfc(c.get("old_title")):
        notes.append(f"Nội dung năm {old}: “{nfc(c.get('old_title'))}”.")
    narrative = [NARRATIVE_WORDS.get(nfc(k), nfc(k)) for k in c.get("narrative_changed") or []]
    if narrative:
        notes.append("Sửa " + ", ".join(narrative) + ".")
    for n in notes:
        text += f"<br/><i>{esc(n)}</i>"
    return text


def _evidence_cell(c: dict[str, Any]) -> str:
    lines = []
    if c.get("evidence_added"):
        lines.append("Thêm: " + esc(", ".join(nfc(x) for x in c["evidence_added"])))
    if c.get("evidence_removed"):
        lines.append("Bớt: " + esc(", ".join(nfc(x) for x in c["evidence_removed"])))
    return "<br/>".join(lines) or "–"


def _shown(value: Any) -> str:
    """A changed adoption date reads dd/mm/yyyy; any other text as it is."""
    text = nfc(value)
    return fmt_date(text) if len(text) == 10 and parse_date(text) else text


def _text_changes(ctx: StoryContext, heading: str, what: str, compared: Any, changes: list[dict[str, Any]],
                  old: str, new: str, *, conduct_rules: bool) -> list[Flowable]:
    s = ctx.styles
    out: list[Flowable] = [CondPageBreak(60), sub_mark(ctx, heading), P(esc(heading), s.heading2)]
    if not compared:
        out.append(P(esc(f"Không so sánh được {what}: tài liệu không còn giữ {what} của hồ sơ năm {old}."),
                     s.body))
        return out
    if not changes:
        out.append(P(esc(f"{what} không thay đổi so với năm {old}."), s.body))
        return out
    count = {k: sum(1 for t in changes if t.get("change") == k) for k in CHANGE_WORDS}
    summary = ", ".join(f"{word.lower()} {count[k]}" for k, word in CHANGE_WORDS.items() if count[k])
    unit_word = "quy tắc" if conduct_rules else "nội dung"
    # Not kept with the table: a long table would leave the rest of the page empty.
    out.append(P(esc(f"{what} có {len(changes)} {unit_word} thay đổi so với năm {old} ({summary}):"), s.body))
    groups: list[list[list[Any]]] = []
    if conduct_rules:
        # A rule's change is said in one line that quotes the rule; a longer rule is printed whole.
        head: tuple[str, ...] = ("Thay đổi", "Quy tắc")
        widths: Sequence[float] = CONDUCT_CHANGE_WIDTHS
        for t in changes:
            rows = [[P(esc(_change_word(t)), s.cell), P(esc(_capital(t.get("where"))), s.cell)]]
            full = _lines(t.get("new") or t.get("old"))
            if sum(len(ln) for ln in full) > CONDUCT_SHOWN_CHARS:
                rows += [["", P(("<i>Toàn văn:</i> " if i == 0 else "") + esc(ln), s.cell)] for i, ln in enumerate(full)]
            groups.append(rows)
    else:
        head = ("Thay đổi", "Điều, khoản", f"Năm {old}", f"Năm {new}")
        widths = TEXT_CHANGE_WIDTHS
        for t in changes:
            before, after = _lines(_shown(t.get("old"))) or ["–"], _lines(_shown(t.get("new"))) or ["–"]
            rows = []
            for i in range(max(len(before), len(after))):
                rows.append([P(esc(_change_word(t)), s.cell) if i == 0 else "",
                             P(esc(_capital(t.get("where"))), s.cell) if i == 0 else "",
                             P(esc(before[i]), s.cell) if i < len(before) else "",
                             P(esc(after[i]), s.cell) if i < len(after) else ""])
            groups.append(rows)
    out.append(_grouped_table([P(h, s.cell_head) for h in head], groups, widths))
    out.append(Spacer(1, 8))
    return out


def _lines(value: Any) -> list[str]:
    return [ln.strip() for ln in nfc(value).replace("\r\n", "\n").split("\n") if ln.strip()]


def _grouped_table(head: list[Any], groups: list[list[list[Any]]], widths: Sequence[float]) -> Table:
    """A table whose entries take several rows, one per paragraph, ruled only around each entry."""
    data: list[list[Any]] = [head]
    last_rows = [0]
    for rows in groups:
        data += rows
        last_rows.append(len(data) - 1)
    extra: list[Any] = [("LINEAFTER", (0, 0), (-2, -1), 0.5, GRID), ("BOX", (0, 0), (-1, -1), 0.5, GRID)]
    extra += [("LINEBELOW", (0, r), (-1, r), 0.5, GRID) for r in last_rows]
    t = table(data, widths, extra=extra, grid=False)
    # Split inside the row that meets the foot of the page first: split between rows first,
    # reportlab would place the rest on the same page and, splitting that row there, repeat the
    # header in the middle of the page.
    t.splitByRow = 0
    return t


def _capital(value: Any) -> str:
    text = nfc(value)
    return text[:1].upper() + text[1:]


def _change_word(t: dict[str, Any]) -> str:
    return CHANGE_WORDS.get(nfc(t.get("change")), nfc(t.get("change")))


# ------------------------------------------------------------------ 5. convention


def number_line(ctx: StoryContext, key: str, symbol: str = "") -> str:
    """«Số: 01/ĐK-CĐ» from the period's ``numbers[key]`` as the unit entered it (a plain number gets
    ``symbol``); a dotted blank for the clerk when none was entered."""
    n = nfc(((ctx.payload.get("period") or {}).get("numbers") or {}).get(key))
    if not n:
        return "Số:" + "\u00a0" * 8 + (f"/{symbol}" if symbol else "\u00a0" * 4)
    if symbol and "/" not in n:
        n = f"{n.zfill(2) if n.isdigit() else n}/{symbol}"
    return f"Số: {n}"


def issuing_header(ctx: StoryContext, day: dt.date | None, number_key: str) -> Table:
    """The heading of a document the unit itself issues (Quy ước, Bộ quy tắc ứng xử): its parent
    body and name, its number (or a blank for the clerk), and the place and date of adoption."""
    unit = ctx.payload.get("unit") or {}
    return header(ctx, parent=nfc(unit.get("parent_org")), issuer=nfc(unit.get("name")),
                  number=number_line(ctx, number_key), date_text=date_line(nfc(unit.get("place_name")), day))


def adoption_line(ctx: StoryContext, where: str, day: Any) -> Flowable | None:
    text = []
    if nfc(where):
        text.append(f"Thông qua tại {nfc(where)[:1].lower() + nfc(where)[1:]}")
    if fmt_date(day):
        text.append(f"ngày {fmt_date(day)}")
    return P(f"<i>({esc(' '.join(text))})</i>", ctx.styles.centre) if text else None


def joint_signers(ctx: StoryContext, *, union: bool) -> Table:
    """Signatures under a text the unit adopts: the trade union's chair (left, when ``union``)
    and the head (right), each with authority, position, room to sign and name."""
    s, unit = ctx.styles, ctx.payload.get("unit") or {}
    # Both names on one line: the head's block has one line less above its signature space.
    head = [P(esc(upper(unit.get("head_title") or "Thủ trưởng")), s.signer),
            Spacer(1, 24 * mm + (s.signer.leading if union else 0)),
            P(esc(unit.get("head_name")) or "&nbsp;", s.signer_name)]
    left: list[Flowable] = []
    if union:
        left = [P("TM. BAN CHẤP HÀNH", s.signer), P("CHỦ TỊCH", s.signer), Spacer(1, 24 * mm),
                P(esc(unit.get("union_chair")) or "&nbsp;", s.signer_name)]
    t = Table([[left, head]], colWidths=[st.FRAME_WIDTH * 0.5, st.FRAME_WIDTH * 0.5])
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.REGULAR, st.TABLE_SIZE),
                           ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    return t


def convention(ctx: StoryContext) -> list[Flowable]:
    s, p = ctx.styles, ctx.payload
    out = part_start(ctx, "Quy ước")
    conv = p.get("convention")
    if not conv:
        out.append(P("QUY ƯỚC", s.doc_type))
        out.append(P(esc(f"Xây dựng {unit_kind(p.get('unit') or {})} văn hóa"), s.summary))
        out.append(Rule(40 * mm, space_before=5, space_after=10))
        out.append(P(esc(f"{unit_kind(p.get('unit') or {}).capitalize()} chưa nhập Quy ước vào hồ sơ."), s.body))
        return out
    out.append(issuing_header(ctx, parse_date(conv.get("adopted_on")), "convention"))
    out.append(P("QUY ƯỚC", s.doc_type))
    out.append(P(esc(conv.get("title")), s.summary))
    out.append(Rule(40 * mm, space_before=5, space_after=6))
    adopted = adoption_line(ctx, conv.get("adopted_at"), conv.get("adopted_on"))
    if adopted is not None:
        out.append(adopted)
    article = 0
    last: list[Flowable] = []
    for ci, ch in enumerate(conv.get("chapters") or [], 1):
        out.append(CondPageBreak(90))
        out.append(sub_mark(ctx, f"Chương {roman(ci)}. {nfc(ch.get('title'))}"))
        out.append(Spacer(1, 6))
        out.append(P(f"Chương {roman(ci)}", ParagraphStyle_keep(s.centre_bold, space_after=0)))
        out.append(P(esc(upper(ch.get("title"))), ParagraphStyle_keep(s.centre_bold, space_after=8)))
        for a in ch.get("articles") or []:
            article += 1
            out.append(P(esc(f"Điều {article}. {nfc(a.get('title'))}"), s.heading2))
            out.extend(paragraphs(a.get("body"), s.body))
    if out and isinstance(out[-1], Paragraph):
        last = [out.pop()]
    # The signatures keep with the last paragraph, so they never stand alone on a page.
    out.append(KeepTogether([*last, Spacer(1, 8), joint_signers(ctx, union=True)]))
    return out


def ParagraphStyle_keep(base: Any, *, space_after: float) -> Any:  # noqa: N802
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"{base.name}-keep-{space_after}", parent=base, keepWithNext=1, spaceAfter=space_after)


# ------------------------------------------------------------------ 6. code of conduct


def conduct(ctx: StoryContext) -> list[Flowable]:
    s, p = ctx.styles, ctx.payload
    out = part_start(ctx, "Bộ quy tắc ứng xử")
    unit = p.get("unit") or {}
    rules = p.get("conduct") or []
    adopted_days = sorted({d for r in rules if (d := parse_date(r.get("adopted_on")))})
    if rules:
        out.append(issuing_header(ctx, adopted_days[-1] if adopted_days else None, "conduct"))
    out.append(P("BỘ QUY TẮC ỨNG XỬ", s.doc_type))
    out.append(P(esc(f"của {nfc(unit.get('name'))}"), s.summary))
    out.append(Rule(40 * mm, space_before=5, space_after=10))
    rules = p.get("conduct") or []
    if not rules:
        out.append(P(esc(f"{unit_kind(unit).capitalize()} chưa nhập Bộ quy tắc ứng xử vào hồ sơ."), s.body))
        return out
    sources = {nfc(r.get("source")) for r in rules}
    dates = {fmt_date(r.get("adopted_on")) for r in rules}
    common_source = sources.pop() if len(sources) == 1 else ""
    common_date = dates.pop() if len(dates) == 1 else ""
    intro = []
    if common_source:
        intro.append(f"Căn cứ: {common_source}")
    if common_date:
        intro.append(f"thông qua ngày {common_date}")
    if intro:
        out.append(P(f"<i>{esc('; '.join(intro))}.</i>", s.body))
    all_posted = all(r.get("posted") for r in rules)
    none_posted = not any(r.get("posted") for r in rules)
    if all_posted:
        out.append(P(esc(f"Toàn bộ các quy tắc dưới đây đã được niêm yết công khai tại {unit_kind(unit)}."), s.body))
    elif none_posted:
        out.append(P(esc(f"Các quy tắc dưới đây chưa được niêm yết công khai tại {unit_kind(unit)}."), s.body))
    categories: dict[str, list[dict[str, Any]]] = {}
    for r in rules:
        categories.setdefault(nfc(r.get("category_label")) or nfc(r.get("category")) or "Quy tắc chung", []).append(r)
    for i, (label, items) in enumerate(categories.items(), 1):
        out.append(sub_mark(ctx, f"{i}. {label}"))
        out.append(P(esc(f"{i}. {label}"), s.heading2))
        for r in items:
            extra = []
            if not common_source and nfc(r.get("source")):
                extra.append(f"căn cứ: {nfc(r.get('source'))}")
            if not common_date and fmt_date(r.get("adopted_on")):
                extra.append(f"thông qua ngày {fmt_date(r.get('adopted_on'))}")
            if not (all_posted or none_posted):
                extra.append("đã niêm yết" if r.get("posted") else "chưa niêm yết")
            tail = f" <i>({esc('; '.join(extra))})</i>" if extra else ""
            out.append(P(f"- {esc(r.get('text'))}{tail}", s.body))
    last = [out.pop()] if isinstance(out[-1], Paragraph) else []
    out.append(KeepTogether([*last, Spacer(1, 8), joint_signers(ctx, union=False)]))
    return out


# ------------------------------------------------------------------ 7. evidence index

# Mã and Số, ký hiệu (as wide as their longest token), Tên, Ngày ban hành, Cơ quan ban hành, Tiêu chí, Trang.
EVIDENCE_WIDTHS = (19.5 * mm, 24 * mm, 20 * mm, 13 * mm)
EVIDENCE_TITLE_MIN = 42 * mm


def _code_width(codes: Sequence[str], *, least: float = 16 * mm, most: float = 40 * mm) -> float:
    """A column wide enough for every code (or every word of it) on one line: never broken mid-token."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widest = max((stringWidth(w, fonts.REGULAR, st.TABLE_SIZE) for c in codes for w in c.split()), default=0.0)
    return min(most, max(least, widest + 8))  # cell padding of 3 pt each side, and a little room


def appendix_page(ctx: StoryContext, code: str) -> LateText:
    """The printed page number, in the evidence appendix, where an evidence item is shown."""
    key = part_key(ctx, "Phụ lục minh chứng")

    def resolve(layout: LayoutRecord) -> str:
        start, page = layout.starts.get(key), layout.evidence.get(code)
        return str(page - start + 1) if start and page else "–"

    return ctx.late_text(f"late-ev-{len(ctx.late)}", resolve, ctx.styles.cell_centre)


def evidence_index(ctx: StoryContext) -> list[Flowable]:
    s, p = ctx.styles, ctx.payload
    out = part_start(ctx, "Danh mục minh chứng")
    out.extend(annex_heading(ctx, "Danh mục minh chứng", "DANH MỤC MINH CHỨNG"))
    unit = p.get("unit") or {}
    items = p.get("evidence") or []
    if not items:
        out.append(P("Hồ sơ chưa có minh chứng.", s.body))
        return out
    annex = annex_number(ctx, "Phụ lục minh chứng")
    head = [P(h, s.cell_head) for h in ("Mã", "Tên minh chứng", "Số, ký hiệu", "Ngày ban hành",
                                         "Cơ quan ban hành", "Tiêu chí", f"Trang PL {annex}")]
    data: list[list[Any]] = [head]
    for e in items:
        title = esc(e.get("title")) or esc(e.get("file_name"))
        if e.get("embedded") and e.get("attachment"):
            reduced = " (bản thu nhỏ)" if e.get("original_sha256") else ""
            title += f"<br/><i>Đính kèm: {esc(e.get('attachment'))}{reduced}</i>"
        else:
            title += "<br/><i>Chỉ liệt kê, không đính kèm</i>"
        if e.get("inherited"):
            title += "<br/><i>Dùng lại từ kỳ trước</i>"
        data.append([P(esc(e.get("code")), s.cell), P(title, s.cell), P(esc(e.get("doc_number")) or "–", s.cell),
                     P(fmt_date(e.get("issued_on")) or "–", s.cell_centre), P(esc(e.get("issuer")) or "–", s.cell),
                     P(esc(", ".join(nfc(c) for c in e.get("criteria") or [])) or "–", s.cell),
                     appendix_page(ctx, nfc(e.get("code")))])
    code_w = _code_width([nfc(e.get("code")) for e in items])
    number_w = _code_width([nfc(e.get("doc_number")) for e in items], least=15 * mm, most=30 * mm)
    title_w = max(EVIDENCE_TITLE_MIN, st.FRAME_WIDTH - sum(EVIDENCE_WIDTHS) - code_w - number_w)
    date_w, issuer_w, criteria_w, page_w = EVIDENCE_WIDTHS
    widths = [code_w, title_w, number_w, date_w, issuer_w, criteria_w, page_w]
    t = table(data, widths, extra=[("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)])
    t.splitInRow = 0
    out.append(t)
    out.append(Spacer(1, 8))
    embedded = [e for e in items if e.get("embedded") and e.get("attachment")]
    listed = [e for e in items if not (e.get("embedded") and e.get("attachment"))]
    total = sum(int(e.get("size") or 0) for e in embedded)
    out.append(P(esc(f"Đính kèm trong tệp hồ sơ: {len(embedded)} minh chứng ({fmt_size(total)}), mỗi tệp mang tên "
                     "theo mã minh chứng; mở bảng “Tệp đính kèm” của trình đọc PDF để xem. Mã SHA-256 của từng "
                     "tệp in ở Trang kiểm tra hồ sơ."), s.body))
    if listed:
        out.append(P(esc(f"Chỉ liệt kê, không đính kèm ({len(listed)}): "
                         + ", ".join(nfc(e.get("code")) for e in listed)
                         + f". Bản gốc các minh chứng này được lưu tại {unit_kind(unit)}."), s.body))
    else:
        out.append(P("Không có minh chứng nào chỉ liệt kê mà không đính kèm.", s.body))
    return out


# ------------------------------------------------------------------ 8. appendix


class EvidencePageMark(Flowable):
    """A zero-size marker: the evidence codes listed right after it are shown on this page."""

    def __init__(self, ctx: StoryContext, codes: Sequence[str]) -> None:
        super().__init__()
        self.ctx = ctx
        self.codes = list(codes)
        self.width = self.height = 0
        self.keepWithNext = 1

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        for code in self.codes:
            self.ctx.note_evidence_page(code, self.canv.getPageNumber())


def _prepared(ctx: StoryContext, e: dict[str, Any]) -> list[PreparedImage]:
    got = ctx.images.get(nfc(e.get("code")))
    return got if isinstance(got, list) else []


def appendix(ctx: StoryContext) -> list[Flowable]:
    s, p = ctx.styles, ctx.payload
    out = part_start(ctx, "Phụ lục minh chứng")
    out.extend(annex_heading(ctx, "Phụ lục minh chứng", "PHỤ LỤC MINH CHỨNG"))
    items = p.get("evidence") or []
    shown = [e for e in items if _prepared(ctx, e)]
    others = [e for e in items if e not in shown]
    pdfs = [e for e in shown if nfc(e.get("mime_type")) == "application/pdf"]
    n_photos = len(shown) - len(pdfs)
    n_pages = sum(len(_prepared(ctx, e)) for e in pdfs)
    columns, rows = ctx.photo_grid
    printed = f"{n_photos} ảnh minh chứng ({columns * rows} ảnh mỗi trang) và {n_pages} trang của {len(pdfs)} văn bản PDF"
    rest = (f"; {len(others)} minh chứng khác (tệp khác hoặc minh chứng không đính kèm) được liệt kê dưới "
            "đây kèm cách xem" if others else "")
    out.append(P(esc(f"Phụ lục in {printed}{rest}. Toàn văn mỗi tệp nằm trong phần tệp đính kèm của hồ sơ."),
                 s.body))
    if others:
        out.append(sub_mark(ctx, "Minh chứng không in ảnh"))
        out.append(EvidencePageMark(ctx, [nfc(e.get("code")) for e in others]))
        data = [[P("Mã", s.cell_head), P("Tên minh chứng", s.cell_head), P("Cách xem", s.cell_head)]]
        for e in others:
            data.append([P(esc(e.get("code")), s.cell), P(esc(e.get("title")) or esc(e.get("file_name")), s.cell),
                         P(esc(_where(ctx, e)), s.cell)])
        code_w = _code_width([nfc(e.get("code")) for e in others])
        out.append(table(data, [code_w, 70 * mm, st.FRAME_WIDTH - 70 * mm - code_w]))
        out.append(Spacer(1, 10))
    if shown:
        mark = sub_mark(ctx, "Ảnh và văn bản minh chứng")
        mark.keepWithNext = 0
        out.append(mark)
    row_h = sheet_row_height(rows)
    cells: list[tuple[PreparedImage, Flowable, str]] = []

    def flush() -> None:
        if cells:
            out.append(PhotoRow(list(cells), columns, row_h, draw=ctx.draw_images, on_draw=ctx.note_evidence_page,
                                gap=PHOTO_GAP))
            cells.clear()

    # Documents first, each page on a page of its own, then the photo sheets, so sheets stay full.
    ordered = pdfs + [e for e in shown if e not in pdfs]
    for e in ordered:
        code = nfc(e.get("code"))
        title = esc(e.get("title")) or esc(e.get("file_name"))
        pages = _prepared(ctx, e)
        if nfc(e.get("mime_type")) == "application/pdf":
            flush()
            for img in pages:
                note = f"trang {img.page}/{img.pages}"
                if img.page == len(pages) and img.pages > len(pages):
                    note += f"; các trang sau: xem tệp đính kèm {esc(e.get('attachment'))}"
                text = f"<b>{esc(code)}</b>. {title} <i>({note})</i>"
                out.append(PhotoRow([(img, P(text, s.cell_centre), code)], 1, sheet_row_height(1),
                                    draw=ctx.draw_images, on_draw=ctx.note_evidence_page, gap=PHOTO_GAP))
            continue
        day = fmt_date(e.get("issued_on"))
        text = f"<b>{esc(code)}</b>. {title}" + (f" <i>(ngày {day})</i>" if day else "")
        cells.append((pages[0], P(text, s.cell_centre), code))
        if len(cells) == columns:
            flush()
    flush()
    return out


def _where(ctx: StoryContext, e: dict[str, Any]) -> str:
    reason = ctx.images.get(nfc(e.get("code")))
    if not (e.get("embedded") and e.get("attachment")):
        return f"Chỉ liệt kê, không đính kèm vào hồ sơ; bản gốc lưu tại {unit_kind(ctx.payload.get('unit') or {})}."
    name = nfc(e.get("attachment"))
    if isinstance(reason, str) and reason:
        return f"{reason} Xem tệp đính kèm {name}."
    if nfc(e.get("mime_type")) == "application/pdf":
        return f"Văn bản PDF: xem tệp đính kèm {name}."
    return f"Xem tệp đính kèm {name}."


# ------------------------------------------------------------------ table of contents


def contents(ctx: StoryContext) -> list[Flowable]:
    """“Mục lục”: each document of the dossier with its page count and first page in the file."""
    s, p = ctx.styles, ctx.payload
    out: list[Flowable] = [PageBreak(), DocumentStart("toc", "ML-"), P("MỤC LỤC", s.part_title), Spacer(1, 6)]
    titles = part_titles(p)
    number, day = report_reference(ctx)
    names = {
        "Bản đăng ký": f"Bản đăng ký xây dựng {unit_kind(p.get('unit') or {})} văn hóa",
        "Báo cáo tự đánh giá": f"Báo cáo số {number} ngày {fmt_date(day)} (tự đánh giá)",
        "Quy ước": "Quy ước",
        "Bộ quy tắc ứng xử": "Bộ quy tắc ứng xử",
        "Trang kiểm tra hồ sơ": "Trang kiểm tra hồ sơ",
    }
    data: list[list[Any]] = [[P("TT", s.cell_head), P("Tài liệu", s.cell_head), P("Số trang", s.cell_head),
                              P("Từ trang", s.cell_head)]]
    listed = [t for t in titles if t != "Bìa hồ sơ"]
    keys = [part_key(ctx, t) for t in listed]

    def first(i: int) -> Callable[[LayoutRecord], str]:
        return lambda layout: str(layout.starts.get(keys[i], ""))

    def count(i: int) -> Callable[[LayoutRecord], str]:
        def resolve(layout: LayoutRecord) -> str:
            start = layout.starts.get(keys[i])
            end = layout.starts.get(keys[i + 1]) if i + 1 < len(keys) else layout.total + 1
            return str(end - start) if start and end else "–"

        return resolve

    for i, t in enumerate(listed):
        name = names.get(t) or t
        if t in ANNEXES:
            shown = "Ảnh và văn bản minh chứng" if t == "Phụ lục minh chứng" else t
            name = f"Phụ lục {annex_number(ctx, t)}: {shown} (kèm theo Báo cáo)"
        data.append([P(str(i + 1), s.cell_centre), P(esc(name), s.cell),
                     ctx.late_text(f"late-toc-count-{i}", count(i), s.cell_centre),
                     ctx.late_text(f"late-toc-start-{i}", first(i), s.cell_centre)])
    out.append(table(data, [10 * mm, st.FRAME_WIDTH - 56 * mm, 22 * mm, 24 * mm]))
    out.append(Spacer(1, 8))
    out.append(P(esc("Mỗi tài liệu đánh số trang riêng (ở giữa, phía trên; trang đầu không đánh số); cột “Từ trang” "
                     "là số thứ tự trang trong tệp hồ sơ, như trình đọc PDF hiển thị."), s.note))
    return out


# ------------------------------------------------------------------ 9. verification


def verification(ctx: StoryContext) -> list[Flowable]:
    s, p = ctx.styles, ctx.payload
    out = part_start(ctx, "Trang kiểm tra hồ sơ")
    out.append(P("TRANG KIỂM TRA HỒ SƠ", s.part_title))
    out.append(Spacer(1, 6))
    gen = p.get("generator") or {}
    rows = [
        ("Mã hồ sơ", nfc(p.get("document_id"))),
        ("Lập lúc", _created(p.get("created_at"))),
        ("Phần mềm", f"{nfc(gen.get('app')) or 'Khối'} {nfc(gen.get('version'))}".strip()),
        ("Định dạng dữ liệu", nfc(p.get("schema"))),
        ("Số trang", ""),
        ("Dữ liệu hồ sơ", f"tệp đính kèm {PAYLOAD_FILE}"),
        ("SHA-256 của dữ liệu", _split_hash(ctx.payload_sha256)),
    ]
    manifest = p.get("manifest") or []
    rows.append(("Tệp minh chứng đính kèm",
                 f"{len(manifest)} tệp, tổng {fmt_size(sum(int(m.get('size') or 0) for m in manifest))}"))
    data = [[P(esc(k), s.cell_group), P(esc(v).replace("\n", "<br/>"), s.cell)] for k, v in rows]
    pages_row = next(i for i, (k, _v) in enumerate(rows) if k == "Số trang")
    data[pages_row][1] = ctx.late_text("late-total", lambda layout: str(layout.total), s.cell, align="left")
    t = Table(data, colWidths=[55 * mm, st.FRAME_WIDTH - 55 * mm], hAlign="LEFT")
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.REGULAR, st.TABLE_SIZE),
                           ("GRID", (0, 0), (-1, -1), 0.5, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    out.append(t)
    out.append(Spacer(1, 10))
    files = [e for e in p.get("evidence") or [] if e.get("embedded") and e.get("attachment")]
    if files:
        out.append(P("Mã SHA-256 của các tệp minh chứng đính kèm", s.heading2))
        data = [[P("Mã", s.cell_head), P("Tệp đính kèm", s.cell_head), P("SHA-256", s.cell_head)]]
        for e in files:
            sha = esc(_split_hash(nfc(e.get("sha256"))))
            if e.get("original_sha256"):
                sha += f"<br/><i>bản gốc ({esc(fmt_size(e.get('original_size')))}, lưu tại đơn vị):</i><br/>"
                sha += esc(_split_hash(nfc(e.get("original_sha256"))))
            name = esc(e.get("attachment")) + (" (bản thu nhỏ)" if e.get("original_sha256") else "")
            data.append([P(esc(e.get("code")), s.cell), P(name, s.cell), P(sha, s.mono_small)])
        code_w = _code_width([nfc(e.get("code")) for e in files])
        hash_w = 100 * mm
        t = table(data, [code_w, st.FRAME_WIDTH - code_w - hash_w, hash_w])
        t.splitInRow = 0
        out.append(t)
        out.append(Spacer(1, 10))
    out.append(P("Cách kiểm tra hồ sơ", s.heading2))
    steps = [
        "1. Hồ sơ này là một tệp PDF mang theo dữ liệu của nó. Mở tệp bằng trình đọc PDF có bảng “Tệp đính kèm” "
        "(Attachments), ví dụ Adobe Acrobat Reader, Foxit Reader hoặc Okular, rồi mở bảng đó: có tệp "
        f"{PAYLOAD_FILE} và các tệp minh chứng, mỗi tệp mang tên theo mã minh chứng.",
        f"2. Tệp {PAYLOAD_FILE} chứa toàn bộ dữ liệu của hồ sơ (thông tin đơn vị, kết quả tự đánh giá, "
        "danh mục minh chứng, Quy ước, Bộ quy tắc ứng xử…). Mã SHA-256 của tệp này phải trùng với mã in ở trên; "
        "mã SHA-256 của từng tệp minh chứng được ghi trong tệp dữ liệu (mục manifest) và in ở bảng trên.",
        "3. Trên máy có cài phần mềm Khối, chạy lệnh “khoiapp verify HOSO.pdf” (thay HOSO.pdf bằng tên tệp). "
        "Lệnh đọc tệp dữ liệu, tính lại mã SHA-256 của từng tệp đính kèm, so với danh mục và kiểm tra chữ ký số; "
        "mọi sai khác đều được báo rõ.",
        "4. Nếu hồ sơ đã được ký số: chữ ký hợp lệ nghĩa là nội dung tệp không bị thay đổi sau khi ký và được "
        "ký bằng chứng thư số của người ký ghi trong chữ ký. Trình đọc PDF báo “chữ ký không hợp lệ” hoặc "
        "“tài liệu đã bị thay đổi sau khi ký” thì không sử dụng hồ sơ và đề nghị đơn vị gửi lại.",
        "5. Bản in trên giấy chỉ có giá trị khi có chữ ký, đóng dấu theo quy định; dữ liệu và tệp đính kèm chỉ "
        "kiểm tra được trên tệp PDF.",
    ]
    for step in steps:
        out.append(P(esc(step), s.body))
    return out


def _split_hash(h: str) -> str:
    h = nfc(h)
    return " ".join(h[i:i + 8] for i in range(0, len(h), 8))


def _created(value: Any) -> str:
    text = nfc(value)
    try:
        when = vn_time(dt.datetime.fromisoformat(text))
    except ValueError:
        return text
    return f"{when.hour:02d}:{when.minute:02d} ngày {when.day:02d}/{when.month:02d}/{when.year} (giờ Việt Nam)"


BUILDERS: tuple[Callable[[StoryContext], list[Flowable]], ...] = (
    cover, registration, report, criteria_table, convention, conduct, evidence_index, appendix, verification,
)
"""The nine parts every dossier has, in the order of ``PART_TITLES``; the table of contents
follows the cover."""


def build_story(ctx: StoryContext) -> list[Flowable]:
    story: list[Flowable] = []
    for builder in BUILDERS:
        story.extend(builder(ctx))
        if builder is cover:
            story.extend(contents(ctx))
        if builder is criteria_table and ctx.payload.get("comparison"):
            story.extend(comparison(ctx))
    return story
