"""CLI: summary — the bloc's table and totals over many units' dossiers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khoiapp.cli.output import emit_json, say


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "summary",
        help="tổng hợp hồ sơ của các đơn vị: bảng kiểm tra chữ ký, kết quả và số liệu toàn Khối",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="THƯ_MỤC_HOẶC_PDF", help="thư mục chứa hồ sơ hoặc tệp PDF")
    p.add_argument("--year", type=int, metavar="NĂM", help="năm tổng hợp (mặc định: năm của đa số hồ sơ)")
    p.add_argument(
        "--expected", type=int, metavar="N", help="tổng số đơn vị của Khối (ví dụ 121); tỷ lệ tính trên số này"
    )
    p.add_argument(
        "--trust", action="append", default=[], type=Path, metavar="CERT.pem",
        help="tin cậy thêm chứng thư này (có thể lặp lại)",
    )  # fmt: skip
    p.add_argument(
        "--accept-untrusted", action="store_true",
        help="vẫn tính hồ sơ có chữ ký nguyên vẹn nhưng chứng thư chưa có trong danh sách tin cậy",
    )  # fmt: skip
    p.add_argument("--pins", type=Path, metavar="DON-VI.csv",
                   help="chứng thư đã đăng ký của từng đơn vị: danh sách đơn vị (.xlsx/.csv, cột «Dấu vân tay chứng "
                        "thư (SHA-256)») hoặc tệp «tên đơn vị; dấu vân tay SHA-256» mỗi dòng")
    p.add_argument("--csv", type=Path, metavar="OUT.csv", help="ghi bảng tính CSV (UTF-8, dấu chấm phẩy) cho Excel")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--units", type=Path, metavar="DS.xlsx", help="danh sách đơn vị của Khối (.xlsx hoặc .csv)")
    p.add_argument("--years", metavar="NĂM-NĂM", help="khoảng năm, ví dụ 2021-2023 (thay cho --year)")
    p.add_argument(
        "--percent", choices=("round", "truncate"), default="round",
        help="cách tính tỷ lệ: round = làm tròn (mặc định), truncate = bỏ phần thừa",
    )  # fmt: skip
    p.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="ghi bảng tính Excel đầy đủ")
    p.add_argument("--docx", type=Path, metavar="OUT.docx", help="ghi dự thảo báo cáo (Word)")
    p.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="ghi bản tổng hợp PDF (kèm dữ liệu máy đọc)")
    p.add_argument("--p12", type=Path, metavar="KHOI.p12", help="ký bản tổng hợp PDF bằng tệp chứng thư này")
    p.add_argument("--bloc-name", default="Đảng ủy Khối", metavar="TÊN", help="tên Khối in ở đầu văn bản")
    p.add_argument(
        "--workers", type=int, metavar="N",
        help="số tiến trình đọc hồ sơ song song (mặc định: bằng số nhân CPU; 1 = không song song)",
    )  # fmt: skip
    p.set_defaults(func=cmd_summary)


def _progress(done: int, total: int) -> None:
    if total >= 10 and sys.stderr.isatty():
        print(f"\rĐang đọc hồ sơ {done}/{total}…", end="" if done < total else "\n", file=sys.stderr)


def cmd_summary(args: argparse.Namespace) -> int:
    from khoiapp.services import summary as svc
    from khoiapp.services.unit_pins import read_pins

    if args.units or args.years or args.xlsx or args.docx or args.pdf:
        if args.pins:
            from khoiapp.errors import BadInputError

            raise BadInputError(
                "Khi tổng hợp khối (--units, --years, --xlsx, --docx, --pdf), chứng thư đã đăng ký của đơn vị ghi "
                "ở cột «Dấu vân tay chứng thư (SHA-256)» của danh sách đơn vị --units. Hãy bỏ --pins và chép dấu "
                "vân tay vào danh sách đơn vị (hoặc dùng chính tệp đó làm --units nếu nó là danh sách đơn vị)."
            )
        return _cmd_bloc(args)
    result = svc.summarise(
        args.paths,
        year=args.year,
        expected_units=args.expected,
        trust=args.trust,
        accept_untrusted=args.accept_untrusted,
        progress=_progress,
        pins=read_pins(args.pins) if args.pins else None,
    )
    if args.csv:
        svc.to_csv(result, args.csv)
    if args.json:
        out = result.to_json()
        if args.csv:
            out["csv"] = str(args.csv)
        emit_json(out)
        return 0
    _print_table(result)
    say()
    for w in result.warnings:
        say(f"Lưu ý: {w}")
    say(result.sentence)
    if args.csv:
        say(f"Đã ghi bảng tính: {args.csv}")
    return 0


def _print_table(result: object) -> None:
    from khoiapp.services.summary import BlocSummary, format_points, format_time

    assert isinstance(result, BlocSummary)
    head = ("STT", "Tệp", "Đơn vị", "Năm", "Kết quả", "Điểm", "Chữ ký", "Tình trạng")
    rows = [
        (
            str(i),
            r.file,
            r.unit_name or "—",
            "" if r.year is None else str(r.year),
            r.result_label,
            format_points(r),
            r.verdict_label,
            r.status_label,
        )
        for i, r in enumerate(result.rows, 1)
    ]
    widths = [min(40, max(len(h), *(len(row[k]) for row in rows))) for k, h in enumerate(head)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(_fit(c, w) for c, w in zip(cells, widths)).rstrip()

    say(line(head))
    say("  ".join("-" * w for w in widths))
    for row in rows:
        say(line(row))
    reasons = [(i, r) for i, r in enumerate(result.rows, 1) if r.reason]
    if reasons:
        say()
        say("Lý do không tính:")
        for i, r in reasons:
            when = format_time(r.signing_time)
            say(f"  {i}. {r.file}: {r.reason}" + (f" (ký lúc {when})" if when and r.status == "duplicate" else ""))


def _fit(text: str, width: int) -> str:
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.ljust(width)


def _cmd_bloc(args: argparse.Namespace) -> int:
    import getpass
    import os

    from khoiapp.bloc import figures, outputs, parallel, pdf_report, units
    from khoiapp.services.export import SignRequest

    years = figures.parse_years(args.years) or ((args.year, args.year) if args.year else None)
    unit_list = units.read_unit_list(args.units) if args.units else None
    sign = None
    if args.p12:
        password = os.environ.get("KHOI_P12_PASSWORD") or getpass.getpass("Mật khẩu tệp chứng thư: ")
        sign = SignRequest(p12_path=args.p12, password=password, visible=False)
    if args.workers is not None and not 1 <= args.workers <= 64:
        from khoiapp.errors import BadInputError

        raise BadInputError("Số tiến trình (--workers) phải từ 1 đến 64. Hãy nhập lại, ví dụ --workers 2.")
    entries = parallel.collect_parallel(
        args.paths, trust=args.trust, accept_untrusted=args.accept_untrusted, workers=args.workers,
        progress=_progress,
    )  # fmt: skip
    if unit_list is None:
        from khoiapp.bloc.read import unit_list_of_summaries

        unit_list = unit_list_of_summaries(entries)  # a roll-up: the blocs' own lists
    report = figures.compute(entries, units=unit_list, years=years, rule=args.percent)
    written = []
    if args.csv:
        written.append(outputs.to_csv(report, args.csv))
    if args.xlsx:
        written.append(outputs.to_xlsx(report, args.xlsx, bloc_name=args.bloc_name))
    if args.docx:
        written.append(outputs.to_docx(report, args.docx, bloc_name=args.bloc_name))
    if args.pdf:
        written.append(pdf_report.write_summary_pdf(report, args.pdf, sign=sign, bloc_name=args.bloc_name))
    if args.json:
        out = report.to_json()
        out["written"] = [str(p) for p in written]
        emit_json(out)
        return 0
    sentences = outputs.report_sentences(report)
    for w in report.warnings:
        say(f"Lưu ý: {w}")
    for key in ("result", "propaganda", "follow", "awards", "rule"):
        say(sentences[key])
    bad = report.not_counted_rows
    if bad:
        say()
        say("Không được tính:")
        for r in bad:
            say(f"  {r.file}: {r.status_label} — {r.reason}")
    for p in written:
        say(f"Đã ghi: {p}")
    return 0
