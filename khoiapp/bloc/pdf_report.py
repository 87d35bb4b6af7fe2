"""The printable summary PDF: the dossier's style, charts, its own data attached, signable and checkable."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from khoiapp.bloc.figures import STANDING_LABELS, STANDINGS, BlocReport, pct_text
from khoiapp.bloc.outputs import _n, _short, _write_atomic, report_sentences
from khoiapp.bloc.read import MAX_SUMMARY_JSON, SUMMARY_ATTACHMENT, load_json_bytes
from khoiapp.errors import DossierError

_COLOURS = {
    "kieu-mau": "#1f6f3f",
    "dat-chuan-van-hoa": "#5aa469",
    "chua-dat": "#d9822b",
    "chua-du-du-lieu": "#a0a0a0",
    "chua-nop": "#b03a2e",
    "khong-duoc-tinh": "#6c3483",
}


def _charts(r: BlocReport, font: str) -> list[Any]:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    out: list[Any] = []
    if r.by_type:
        d = Drawing(460, 210)
        d.add(String(230, 196, "Kết quả theo loại hình (số đơn vị)", fontName=font, fontSize=11, textAnchor="middle"))
        ch = VerticalBarChart()
        ch.x, ch.y, ch.width, ch.height = 40, 30, 250, 150
        ch.categoryAxis.style = "stacked"
        ch.data = [[dict(t.counts)[s] for t in r.by_type] for s in STANDINGS]
        ch.categoryAxis.categoryNames = [t.label for t in r.by_type]
        ch.categoryAxis.labels.fontName = font
        ch.valueAxis.labels.fontName = font
        ch.valueAxis.valueMin = 0
        for i, s in enumerate(STANDINGS):
            ch.bars[i].fillColor = colors.HexColor(_COLOURS[s])
        d.add(ch)
        lg = Legend()
        lg.x, lg.y = 305, 175
        lg.fontName, lg.fontSize = font, 8
        lg.columnMaximum = len(STANDINGS)
        lg.alignment = "right"
        lg.colorNamePairs = [(colors.HexColor(_COLOURS[s]), STANDING_LABELS[s]) for s in STANDINGS]
        d.add(lg)
        out.append(d)
    least = r.least_met(10)
    if least:
        h = 40 + 16 * len(least)
        d = Drawing(460, h + 20)
        d.add(String(230, h + 6, "Mười tiêu chí ít đơn vị đạt nhất (tỷ lệ đạt, %)", fontName=font, fontSize=11, textAnchor="middle"))
        ch = HorizontalBarChart()
        ch.x, ch.y, ch.width, ch.height = 60, 20, 360, h - 30
        ch.data = [[c.percent or 0.0 for c in reversed(least)]]
        ch.categoryAxis.categoryNames = [c.code for c in reversed(least)]
        ch.categoryAxis.labels.fontName = font
        ch.valueAxis.labels.fontName = font
        ch.valueAxis.valueMin, ch.valueAxis.valueMax = 0, 100
        ch.bars[0].fillColor = colors.HexColor("#2e5c8a")
        ch.barLabelFormat = lambda v: f"{v:.2f}".replace(".", ",")
        ch.barLabels.fontName = font
        ch.barLabels.fontSize = 7
        ch.barLabels.boxAnchor = "w"
        ch.barLabels.dx = 3
        d.add(ch)
        out.append(d)
    return out


def render_summary(
    report: BlocReport,
    out: io.BufferedIOBase | io.BytesIO,
    *,
    bloc_name: str = "Đảng ủy Khối",
    body_name: str = "Ban Tuyên giáo",
    place: str = "Thanh Hóa",
    today: dt.date | None = None,
    signer_title: str = "Trưởng ban",
) -> None:
    """Draw the summary's pages (A4, the dossier's fonts and header layout; page numbers at the top
    from page 2)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import Flowable

    from khoiapp.pdf.fonts import BOLD, register_fonts
    from khoiapp.pdf.text import esc as nfc_escape

    font = register_fonts()
    today = today or dt.date.today()
    r = report

    def esc(t: str) -> str:
        return nfc_escape(t)

    base = ParagraphStyle("b", fontName=font, fontSize=12.5, leading=16, alignment=TA_JUSTIFY, firstLineIndent=28, spaceAfter=5)
    centre = ParagraphStyle("c", parent=base, alignment=TA_CENTER, firstLineIndent=0)
    title = ParagraphStyle("t", parent=centre, fontName=BOLD, fontSize=14, leading=18)
    heading = ParagraphStyle("h", parent=base, fontName=BOLD, firstLineIndent=0, spaceBefore=6)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=12)
    cell_b = ParagraphStyle("cellb", parent=cell, fontName=BOLD)

    story: list[Any] = []
    head = Table(
        [[Paragraph(esc(bloc_name.upper()) + "<br/><b>" + esc(body_name.upper()) + "</b><br/>*", centre),
          Paragraph("<b><u>ĐẢNG CỘNG SẢN VIỆT NAM</u></b><br/><i>"
                    + esc(f"{place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}") + "</i>", centre)]],
        colWidths=[7.5 * cm, 9 * cm],
    )  # fmt: skip
    story += [head, Spacer(1, 14), Paragraph("BẢN TỔNG HỢP", title)]
    story.append(Paragraph(esc(f"Kết quả xây dựng cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa, kiểu mẫu — {r.years_label}"), title))
    story.append(Spacer(1, 10))
    s = report_sentences(r, "Khối")
    for key in ("result", "propaganda", "follow", "criteria", "awards", "rule"):
        if key in s:
            story.append(Paragraph(esc(s[key]), base))

    def grid(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
        data = [[Paragraph(esc(h), cell_b) for h in header]] + [[Paragraph(esc(v), cell) for v in row] for row in rows]
        t = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
        t.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f0")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))  # fmt: skip
        return t

    story.append(Paragraph("1. Kết quả theo loại hình", heading))
    story.append(grid(
        ["Loại hình", "Số đơn vị", "Kiểu mẫu", "Đạt chuẩn văn hóa (kể cả kiểu mẫu)", "Chưa đạt", "Chưa nộp", "Tỷ lệ đạt chuẩn"],
        [[t.label, _n(t.units), _n(dict(t.counts)["kieu-mau"]), _n(t.cultural), _n(dict(t.counts)["chua-dat"]),
          _n(dict(t.counts)["chua-nop"]), pct_text(t.cultural_percent)] for t in r.by_type]
        + [["Toàn Khối", _n(r.bloc_units), _n(r.model), _n(r.cultural), _n(r.standing("chua-dat")),
            _n(r.standing("chua-nop")), pct_text(r.cultural_percent)]],
        [3.2, 1.8, 2, 2.4, 2, 2, 2.6],
    ))  # fmt: skip
    charts: list[Flowable] = _charts(r, font)
    if charts:
        story += [Spacer(1, 8), charts[0]]
    story.append(Paragraph("2. Hoạt động", heading))
    story.append(grid(
        ["Loại hoạt động", "Số hoạt động", "Lượt người tham gia", "Số lượng", "Số đơn vị"],
        [[a.label, _n(a.count), _n(a.participants), _n(a.quantity), _n(a.units)] for a in r.activities],
        [6.5, 2.2, 3, 2.3, 2],
    ))  # fmt: skip
    story.append(Paragraph("3. Tỷ lệ đạt theo tiêu chí", heading))
    story.append(grid(
        ["Mã", "Tiêu chí", "Đạt", "Tỷ lệ"],
        [[c.code, _short(c.title, 110), f"{_n(c.met)}/{_n(c.base)}", pct_text(c.percent)] for c in r.criteria],
        [1.6, 10.5, 2, 2],
    ))  # fmt: skip
    if len(charts) > 1:
        story += [Spacer(1, 8), KeepTogether([charts[1]])]
    story.append(Paragraph("4. Khen thưởng", heading))
    story.append(grid(
        ["Hình thức", "Cấp quyết định", "Tập thể", "Cá nhân"],
        [[a.kind_label, a.level_label, _n(a.collective), _n(a.individual)] for a in r.awards],
        [4, 6.5, 2.5, 2.5],
    ))  # fmt: skip
    story.append(Paragraph("5. Danh sách đơn vị", heading))
    story.append(grid(
        ["STT", "Đơn vị", "Loại hình", "Kết quả", "Năm", "So với năm trước"],
        [[str(i), u.name, u.unit_type_label, u.standing_label, str(u.latest_year or ""), u.change or u.reason]
         for i, u in enumerate(r.units, 1)],
        [1, 5.6, 2, 2.6, 1.2, 4.2],
    ))  # fmt: skip
    bad = r.not_counted_rows
    if bad:
        story.append(Paragraph("6. Tệp không được tính", heading))
        story.append(grid(
            ["Tệp", "Đơn vị", "Tình trạng", "Lý do"],
            [[x.file, x.unit_name, x.status_label, x.reason] for x in bad],
            [3, 4, 2.6, 7],
        ))  # fmt: skip
    story.append(Spacer(1, 8))
    story.append(Paragraph(esc(
        f"Bản tổng hợp đính kèm dữ liệu máy đọc «{SUMMARY_ATTACHMENT}»: các số liệu trên, danh sách đơn vị, mã SHA-256 "
        f"và người ký của từng hồ sơ được tính ({_n(len(r.counted))} hồ sơ)."), base))  # fmt: skip
    story.append(Spacer(1, 14))
    story.append(Table([["", Paragraph("<b>" + esc(signer_title.upper()) + "</b>", centre)]], colWidths=[8 * cm, 8.5 * cm]))

    def first(canvas: Any, doc: Any) -> None:
        pass  # no page number on the first page

    def page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 11)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 1.2 * cm, str(doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=3 * cm, rightMargin=1.5 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
        title=f"Bản tổng hợp {r.years_label}", author=bloc_name, invariant=1, initialFontName=font,
    )  # fmt: skip
    doc.build(story, onFirstPage=first, onLaterPages=page)


def write_summary_pdf(
    report: BlocReport,
    path: str | os.PathLike[str],
    *,
    sign: Any | None = None,
    bloc_name: str = "Đảng ủy Khối",
    body_name: str = "Ban Tuyên giáo",
    today: dt.date | None = None,
) -> Path:
    """Render the summary, attach its JSON, and sign it when ``sign`` (an export ``SignRequest``) is given.

    Raises:
        OutputPathError: the file cannot be written.
        SigningError: signing failed (nothing is kept).
    """
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    buf = io.BytesIO()
    render_summary(report, buf, bloc_name=bloc_name, body_name=body_name, today=today)
    raw = json.dumps(report.summary_json(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    w = IncrementalPdfFileWriter(io.BytesIO(buf.getvalue()))
    ef = embed.EmbeddedFileObject.from_file_data(w, data=raw, mime_type="application/json")
    embed.embed_file(
        w,
        embed.FileSpec(
            file_spec_string=SUMMARY_ATTACHMENT,
            file_name=SUMMARY_ATTACHMENT,
            embedded_data=ef,
            description="Số liệu tổng hợp, danh sách đơn vị và các hồ sơ được tính",
            af_relationship=generic.pdf_name("/Data"),
        ),
    )
    out_buf = io.BytesIO()
    w.write(out_buf)

    def write(tmp: Path) -> None:
        tmp.write_bytes(out_buf.getvalue())
        if sign is not None:
            from khoiapp.services import signing

            if sign.p12_path is not None:
                with signing.open_p12_signer(sign.p12_path, sign.password or "") as handle:
                    signing.sign_pdf_file(tmp, tmp, handle, unit_name=bloc_name)
            else:
                with signing.open_pkcs11_signer(sign.pkcs11_lib, sign.token_label or "", sign.key_label or "", sign.pin or "") as handle:
                    signing.sign_pdf_file(tmp, tmp, handle, unit_name=bloc_name)

    try:
        return _write_atomic(path, write, "bản tổng hợp PDF")
    except BaseException:
        Path(path).with_name(f".{Path(path).name}.tmp").unlink(missing_ok=True)
        raise


def check_summary_pdf(
    path: Path, trust: Sequence[Any], use_trust_store: bool = True
) -> tuple[dict[str, Any], str, str | None, str | None, list[str]]:
    """Check a summary PDF's signature and read its data: (data, verdict, signer, signing time, problems).

    The verdict follows ``verify``: ok, untrusted, unsigned or invalid (the signature must cover the
    whole file, nothing changed after it).

    Raises:
        DossierError: not a readable PDF or no valid summary data in it.
    """
    from khoiapp.dossier.reader import open_dossier
    from khoiapp.services import verify
    from khoiapp.services.trust import load_crls

    roots = verify._load_trust(list(trust), use_trust_store)
    crls = load_crls((), use_trust_store)
    # the signature and the data are read from the same private copy of the file
    with open_dossier(path, strict=False) as rd:
        try:
            sig = verify._check_signatures(rd.pdf, roots, crls, None)
        except DossierError:
            raise
        except Exception:  # noqa: BLE001 - a PDF too broken to list its signatures
            raise DossierError(f"Tệp PDF «{path.name}» bị hỏng, không đọc được phần chữ ký.") from None
        if not rd.has(SUMMARY_ATTACHMENT):
            raise DossierError(f"Tệp «{path.name}» không có dữ liệu tổng hợp «{SUMMARY_ATTACHMENT}» đính kèm.")
        data = load_json_bytes(rd.read_attachment(SUMMARY_ATTACHMENT, limit=MAX_SUMMARY_JSON))
    if not sig["signed"]:
        verdict = "unsigned"
    elif sig["intact"] and sig["valid"] and sig["entire_file"] and not sig["modified_after_signing"] and sig["docmdp_ok"]:
        verdict = "ok" if sig["trusted"] else "untrusted"
    else:
        verdict = "invalid"
    return data, verdict, sig["signer"], sig["signing_time"], list(sig["problems"])
