"""The bloc's figures as files for the office: an Excel workbook, a CSV and a Word draft of the report."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from khoiapp.bloc.figures import RULE_LABELS, STANDING_LABELS, BlocReport, pct_text
from khoiapp.errors import OutputPathError


def _write_atomic(path: str | os.PathLike[str], write: Callable[[Path], None], what: str) -> Path:
    out = Path(path)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputPathError(
            f"Không ghi được {what} «{out}» ({exc.strerror or exc}). "
            "Hãy đóng tệp nếu đang mở trong Excel hoặc Word, hoặc chọn thư mục khác, rồi thử lại."
        ) from None
    return out


def _n(v: int) -> str:
    """Vietnamese thousands: 75.000."""
    return f"{v:,}".replace(",", ".")


def _frac(p: float | None) -> float | None:
    return None if p is None else round(p / 100, 6)


# --------------------------------------------------------------------------- XLSX

SHEETS = ("Tổng hợp", "Đơn vị", "Tiêu chí", "Hoạt động", "Khen thưởng", "Chưa nộp", "Không được tính")


def to_xlsx(report: BlocReport, path: str | os.PathLike[str], *, bloc_name: str = "") -> Path:
    """Write the workbook: the sheets of :data:`SHEETS`, numbers as numbers, percentages as percent cells.

    Raises:
        OutputPathError: the file cannot be written.
    """
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE7F0")

    def sheet(title: str, header: list[str], rows: list[list[Any]], widths: list[int], pct_cols: tuple[int, ...] = ()) -> Any:
        ws = wb.create_sheet(title)
        ws.append(header)
        for c in ws[1]:
            c.font = bold
            c.fill = head_fill
            c.alignment = Alignment(wrap_text=True, vertical="center")
        for r in rows:
            ws.append(r)
        for col in pct_cols:
            for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                row[0].number_format = "0.00%"
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        return ws

    first = wb.active
    assert first is not None
    wb.remove(first)
    r = report
    summary_rows: list[list[Any]] = [
        ["Khoảng năm tổng hợp", r.years_label, None],
        ["Số đơn vị của Khối", r.bloc_units, None],
        ["Đạt chuẩn văn hóa (kể cả kiểu mẫu)", r.cultural, _frac(r.cultural_percent)],
        ["Trong đó kiểu mẫu", r.model, _frac(r.model_percent)],
    ]
    summary_rows += [[STANDING_LABELS[k], n, _frac(p)] for k, n, p in r.standings]
    summary_rows.append(["Cách tính tỷ lệ", RULE_LABELS[r.rule], None])
    ws = sheet("Tổng hợp", ["Chỉ tiêu", "Số đơn vị", "Tỷ lệ so với Khối"], summary_rows, [46, 16, 18], (3,))
    # results by unit type, beside the totals, with its chart
    start = len(summary_rows) + 3
    ws.cell(start, 1, "Kết quả theo loại hình").font = bold
    hdr = ["Loại hình", "Số đơn vị", *[STANDING_LABELS[k] for k, _ in (r.by_type[0].counts if r.by_type else ())]]
    for j, h in enumerate(hdr, 1):
        c = ws.cell(start + 1, j, h)
        c.font = bold
        c.fill = head_fill
        c.alignment = Alignment(wrap_text=True)
    for i, t in enumerate(r.by_type):
        ws.cell(start + 2 + i, 1, t.label)
        ws.cell(start + 2 + i, 2, t.units)
        for j, (_, n) in enumerate(t.counts):
            ws.cell(start + 2 + i, 3 + j, n)
    if r.by_type:
        ch = BarChart()
        ch.type = "col"
        ch.grouping = "stacked"
        ch.overlap = 100
        ch.title = "Kết quả theo loại hình"
        ch.y_axis.title = "Số đơn vị"
        data = Reference(ws, min_col=3, max_col=2 + len(r.by_type[0].counts), min_row=start + 1, max_row=start + 1 + len(r.by_type))
        cats = Reference(ws, min_col=1, min_row=start + 2, max_row=start + 1 + len(r.by_type))
        ch.add_data(data, titles_from_data=True)
        ch.set_categories(cats)
        ch.height, ch.width = 8, 16
        ws.add_chart(ch, "E2")

    sheet(
        "Đơn vị",
        ["STT", "Tên đơn vị", "Tên viết tắt", "Loại hình", "Kết quả", "Năm", "Điểm", "Điểm tối đa", "Thay đổi điểm",
         "So với năm trước", "Tiêu chí đạt", "Số tiêu chí", "Khen thưởng", "Người ký", "Tệp", "Ghi chú"],
        [
            [i, u.name, u.short_name, u.unit_type_label, u.standing_label, u.latest_year, u.points, u.points_max,
             u.points_change, u.change, u.criteria_met if u.counted else None, u.criteria_total if u.counted else None,
             u.awards, u.signer or "", u.file, u.reason]
            for i, u in enumerate(r.units, 1)
        ],
        [6, 52, 12, 14, 26, 8, 8, 10, 12, 44, 10, 10, 11, 28, 24, 50],
    )  # fmt: skip
    ws_c = sheet(
        "Tiêu chí",
        ["Bộ tiêu chí", "Mã", "Tiêu chí", "Đạt", "Chưa đạt", "Không áp dụng", "Chưa đánh giá", "Số đơn vị áp dụng", "Tỷ lệ đạt"],
        [[c.framework, c.code, c.title, c.met, c.not_met, c.not_applicable, c.unanswered, c.base, _frac(c.percent)] for c in r.criteria],
        [20, 8, 70, 8, 10, 12, 12, 14, 11],
        (9,),
    )  # fmt: skip
    least = r.least_met(10)
    if least:
        col = 11
        ws_c.cell(1, col, "Mười tiêu chí ít đơn vị đạt nhất").font = bold
        ws_c.cell(1, col + 1, "Tỷ lệ đạt").font = bold
        for i, c in enumerate(least, 2):
            ws_c.cell(i, col, c.code)
            ws_c.cell(i, col + 1, _frac(c.percent)).number_format = "0.00%"
        ch = BarChart()
        ch.type = "bar"
        ch.title = "Mười tiêu chí ít đơn vị đạt nhất"
        ch.y_axis.number_format = "0%"
        ch.add_data(Reference(ws_c, min_col=col + 1, min_row=1, max_row=1 + len(least)), titles_from_data=True)
        ch.set_categories(Reference(ws_c, min_col=col, min_row=2, max_row=1 + len(least)))
        ch.legend = None
        ch.height, ch.width = 9, 16
        ws_c.add_chart(ch, "N2")
    sheet(
        "Hoạt động",
        ["Mã", "Loại hoạt động", "Số hoạt động", "Số lượt người tham gia", "Số lượng (tin bài, việc làm…)", "Số đơn vị có hoạt động"],
        [[a.kind, a.label, a.count, a.participants, a.quantity, a.units] for a in r.activities],
        [22, 46, 14, 22, 26, 20],
    )  # fmt: skip
    sheet(
        "Khen thưởng",
        ["Hình thức", "Cấp quyết định", "Tập thể", "Cá nhân", "Cộng"],
        [[a.kind_label, a.level_label, a.collective, a.individual, a.collective + a.individual] for a in r.awards],
        [20, 30, 10, 10, 10],
    )
    sheet(
        "Chưa nộp",
        ["STT", "Tên đơn vị", "Tên viết tắt", "Loại hình", "Tình trạng"],
        [[i, u.name, u.short_name, u.unit_type_label, u.reason] for i, u in enumerate((u for u in r.units if not u.counted), 1)],
        [6, 56, 12, 14, 60],
    )  # fmt: skip
    sheet(
        "Không được tính",
        ["STT", "Tệp", "Tên đơn vị", "Năm", "Tình trạng", "Người ký", "Lý do"],
        [[i, x.file, x.unit_name, x.year, x.status_label, x.signer or "", x.reason] for i, x in enumerate(r.not_counted_rows, 1)],
        [6, 28, 44, 8, 24, 26, 80],
    )  # fmt: skip
    wb.properties.title = f"Tổng hợp kết quả xây dựng đơn vị văn hóa, kiểu mẫu {r.years_label}"
    if bloc_name:
        wb.properties.creator = bloc_name

    return _write_atomic(path, lambda p: wb.save(p), "bảng tính")


# --------------------------------------------------------------------------- CSV


def to_csv(report: BlocReport, path: str | os.PathLike[str]) -> Path:
    """The units' table for Excel (UTF-8 with BOM, ``;``): numbers are bare numbers, percentages
    bare numbers with a decimal comma in their own column.

    Raises:
        OutputPathError: the file cannot be written.
    """

    def num(v: float | int | None) -> str:
        if v is None:
            return ""
        if isinstance(v, float) and not v.is_integer():
            return f"{v:.2f}".rstrip("0").replace(".", ",")
        return str(int(v))

    def write(p: Path) -> None:
        with open(p, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
            w.writerow(["STT", "Tên đơn vị", "Loại hình", "Kết quả", "Năm", "Điểm", "Điểm tối đa", "Tiêu chí đạt", "Khen thưởng", "Ghi chú"])
            for i, u in enumerate(report.units, 1):
                w.writerow([i, u.name, u.unit_type_label, u.standing_label, num(u.latest_year), num(u.points),
                            num(u.points_max), num(u.criteria_met) if u.counted else "", u.awards, u.reason])  # fmt: skip
            w.writerow([])
            w.writerow(["Chỉ tiêu", "Số đơn vị", "Tỷ lệ (%)"])
            w.writerow(["Đạt chuẩn văn hóa (kể cả kiểu mẫu)", report.cultural, num(report.cultural_percent)])
            w.writerow(["Trong đó kiểu mẫu", report.model, num(report.model_percent)])
            for k, n, p2 in report.standings:
                w.writerow([STANDING_LABELS[k], n, num(p2)])

    return _write_atomic(path, write, "bảng tính CSV")


def files_to_csv(report: BlocReport, path: str | os.PathLike[str]) -> Path:
    """The files' table for Excel (UTF-8 with BOM, ``;``): one row per file read, with its signature
    verdict, signer, whether it counts and why not (columns ``summary.CSV_HEADER``), then the
    number of files per status and the result sentence, so the file alone answers «which count and why not».

    Raises:
        OutputPathError: the file cannot be written.
    """
    from collections import Counter

    from khoiapp.services import summary as base

    def write(p: Path) -> None:
        with open(p, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, delimiter=base.CSV_DELIMITER, lineterminator="\r\n")
            w.writerow(base.CSV_HEADER)
            for i, r in enumerate(report.rows, 1):
                w.writerow(base.row_cells(i, r))
            w.writerow([])
            w.writerow(["Số tệp đã đọc", len(report.rows)])
            by_status = Counter(r.status for r in report.rows)
            for status, label in base.STATUS_LABELS.items():
                if by_status.get(status):
                    w.writerow([label, by_status[status]])
            w.writerow(["Tổng hợp", report_sentences(report)["result"]])

    return _write_atomic(path, write, "bảng tính CSV")


# --------------------------------------------------------------------------- report sentences


def report_sentences(report: BlocReport, bloc_name: str = "Khối") -> dict[str, str]:
    """The report's figures in sentences (shared by the DOCX and the PDF)."""
    r = report
    a = r.activity
    conf, talk, news = a("hoi-nghi-tuyen-truyen"), a("noi-chuyen"), a("tin-bai")
    plan, follow, pledge = a("ke-hoach-lam-theo-bac"), a("viec-lam-theo"), a("cam-ket-dang-vien")
    out = {
        "result": (
            f"Giai đoạn {r.years_label}, toàn {bloc_name} có {_n(r.cultural)}/{_n(r.bloc_units)} cơ quan, đơn vị, "
            f"doanh nghiệp đạt chuẩn văn hóa, đạt {pct_text(r.cultural_percent)} (trong đó {_n(r.model)} cơ quan, "
            f"đơn vị, doanh nghiệp đạt kiểu mẫu, đạt {pct_text(r.model_percent)}); {_n(r.standing('chua-dat'))} "
            f"chưa đạt; {_n(len(r.missing))} chưa nộp hồ sơ."
        ),
        "propaganda": (
            f"Các cơ quan, đơn vị đã tổ chức {_n(conf.count)} hội nghị tuyên truyền, phổ biến với {_n(conf.participants)} "
            f"lượt người tham gia; {_n(talk.count)} buổi giao lưu, nói chuyện chuyên đề với {_n(talk.participants)} lượt "
            f"người nghe; đăng tải {_n(news.quantity)} tin, bài."
        ),
        "follow": (
            f"{_n(plan.count)} lượt tập thể xây dựng kế hoạch học tập và làm theo Bác với {_n(plan.quantity + follow.quantity)} "
            f"việc làm theo; {_n(pledge.participants)} lượt đảng viên xây dựng cam kết tu dưỡng, rèn luyện với "
            f"{_n(pledge.quantity)} việc làm theo."
        ),
        "awards": (
            f"Về khen thưởng: {_n(r.award_total(level='ubnd-tinh', collective=True))} tập thể và "
            f"{_n(r.award_total(level='ubnd-tinh', collective=False))} cá nhân được UBND tỉnh khen thưởng; "
            f"{_n(r.award_total(level='btv-dang-uy-khoi', collective=True))} tập thể và "
            f"{_n(r.award_total(level='btv-dang-uy-khoi', collective=False))} cá nhân được Ban Thường vụ Đảng ủy Khối "
            f"khen thưởng; {_n(r.award_total(level='cap-uy-co-so', collective=True))} tập thể và "
            f"{_n(r.award_total(level='cap-uy-co-so', collective=False))} cá nhân được cấp ủy cơ sở khen thưởng, biểu dương; "
            f"{_n(r.award_total(level='khac'))} lượt khen thưởng của cấp khác."
        ),
        "rule": f"Tỷ lệ phần trăm tính trên {_n(r.bloc_units)} đơn vị của Khối, {RULE_LABELS[r.rule]}.",
    }
    crit = [c for c in r.criteria if c.percent is not None]
    if crit:
        best = sorted(crit, key=lambda c: -(c.percent or 0))[:3]
        worst = r.least_met(3)
        out["criteria"] = (
            "Theo tiêu chí: "
            + "; ".join(f"{pct_text(c.percent)} đơn vị đạt tiêu chí {c.code} ({_short(c.title)})" for c in best)
            + ". Các tiêu chí ít đơn vị đạt nhất: "
            + "; ".join(f"{c.code} ({_short(c.title)}) {pct_text(c.percent)}" for c in worst)
            + "."
        )
    return out


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


# --------------------------------------------------------------------------- DOCX


def to_docx(
    report: BlocReport,
    path: str | os.PathLike[str],
    *,
    bloc_name: str = "Đảng ủy Khối",
    body_name: str = "Ban Tuyên giáo",
    place: str = "Thanh Hóa",
    today: dt.date | None = None,
) -> Path:
    """A draft of the bloc's report for Word, in the NĐ 30/2020 layout, every figure filled in.

    Raises:
        OutputPathError: the file cannot be written.
    """
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    today = today or dt.date.today()
    r = report
    d = Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)
    sec.left_margin, sec.right_margin = Cm(3), Cm(1.5)
    st = d.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(14)

    head = d.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.text = ""
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(bloc_name.upper() + "\n").font.size = Pt(13)
    run = p.add_run(body_name.upper())
    run.bold = True
    run.font.size = Pt(13)
    p.add_run("\n*\nSố:    -BC/BTG").font.size = Pt(13)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("ĐẢNG CỘNG SẢN VIỆT NAM")
    run.bold = True
    run.underline = True
    run.font.size = Pt(13)
    run = p.add_run(f"\n{place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}")
    run.italic = True
    run.font.size = Pt(13)

    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("BÁO CÁO")
    run.bold = True
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(
        f"Kết quả xây dựng cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa, kiểu mẫu giai đoạn {r.years_label}"
    )
    run.bold = True
    p = d.add_paragraph("-----")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    s = report_sentences(r, "Khối")

    def para(text: str, *, bold: bool = False) -> None:
        p = d.add_paragraph()
        p.paragraph_format.first_line_indent = Cm(1)
        p.paragraph_format.space_after = Pt(6)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        run = p.add_run(text)
        run.bold = bold

    def table(header: list[str], rows: list[list[str]]) -> None:
        t = d.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for c, h in zip(t.rows[0].cells, header):
            c.text = h
            for run in c.paragraphs[0].runs:
                run.bold = True
                run.font.size = Pt(12)
        for row in rows:
            cells = t.add_row().cells
            for c, v in zip(cells, row):
                c.text = v
                for run in c.paragraphs[0].runs:
                    run.font.size = Pt(12)
        d.add_paragraph()

    para("I. KẾT QUẢ THỰC HIỆN", bold=True)
    para("1. Công tác tuyên truyền, học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", bold=True)
    para(s["propaganda"])
    para(s["follow"])
    table(
        ["Loại hoạt động", "Số hoạt động", "Lượt người tham gia", "Số lượng"],
        [[a.label, _n(a.count), _n(a.participants), _n(a.quantity)] for a in r.activities],
    )
    para("2. Thực hiện các tiêu chí", bold=True)
    if "criteria" in s:
        para(s["criteria"])
    table(
        ["Mã", "Tiêu chí", "Số đơn vị đạt", "Tỷ lệ"],
        [[c.code, _short(c.title, 120), f"{_n(c.met)}/{_n(c.base)}", pct_text(c.percent)] for c in r.criteria],
    )
    para("3. Kết quả đánh giá, công nhận", bold=True)
    para(s["result"])
    table(
        ["Loại hình", "Số đơn vị", "Kiểu mẫu", "Đạt chuẩn văn hóa (kể cả kiểu mẫu)", "Chưa đạt", "Chưa nộp", "Tỷ lệ đạt chuẩn"],
        [
            [t.label, _n(t.units), _n(dict(t.counts)["kieu-mau"]), _n(t.cultural), _n(dict(t.counts)["chua-dat"]),
             _n(dict(t.counts)["chua-nop"]), pct_text(t.cultural_percent)]
            for t in r.by_type
        ],
    )  # fmt: skip
    para("4. Công tác khen thưởng", bold=True)
    para(s["awards"])
    table(
        ["Hình thức", "Cấp quyết định", "Tập thể", "Cá nhân"],
        [[a.kind_label, a.level_label, _n(a.collective), _n(a.individual)] for a in r.awards],
    )
    if r.missing:
        para("5. Đơn vị chưa nộp hồ sơ", bold=True)
        para(", ".join(u.name for u in r.missing) + ".")
    para("II. ĐÁNH GIÁ CHUNG", bold=True)
    para("[Ban Tuyên giáo bổ sung nhận xét ưu điểm, hạn chế, nguyên nhân.]")
    para("III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", bold=True)
    para("[Ban Tuyên giáo bổ sung phương hướng, nhiệm vụ.]")
    para(s["rule"])

    sign = d.add_table(rows=1, cols=2)
    lc, rc = sign.rows[0].cells
    p = lc.paragraphs[0]
    run = p.add_run("Nơi nhận:")
    run.bold = True
    run.italic = True
    run.font.size = Pt(12)
    p.add_run("\n- Thường trực Đảng ủy Khối (b/c);\n- Các tổ chức cơ sở đảng;\n- Lưu: VT, BTG.").font.size = Pt(11)
    p = rc.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("TRƯỞNG BAN")
    run.bold = True
    d.core_properties.title = f"Báo cáo kết quả xây dựng đơn vị văn hóa, kiểu mẫu {r.years_label}"

    return _write_atomic(path, lambda p2: d.save(str(p2)), "văn bản Word")
