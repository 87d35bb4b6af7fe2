"""CLI: import (roll a dossier forward), confirm (carried-over criteria), diff (what changed)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from khoiapp.cli.output import emit_json, say
from khoiapp.errors import BadInputError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    # services are imported inside the handlers: pyHanko costs ~0.4 s to import
    p = sub.add_parser("import", help="nhập hồ sơ PDF năm trước thành kỳ đánh giá mới")
    p.add_argument("dossier", type=Path, metavar="DOSSIER.pdf")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--into", type=Path, metavar="FILE.khoi", help="nhập vào tài liệu có sẵn")
    target.add_argument("--new", type=Path, metavar="FILE.khoi", help="tạo tài liệu mới từ hồ sơ")
    p.add_argument("--year", type=int, metavar="YYYY", help="năm của kỳ mới (mặc định: năm của hồ sơ + 1)")
    p.add_argument(
        "--accept-unverified", action="store_true",
        help="vẫn nhập hồ sơ chưa ký, chữ ký chưa tin cậy hoặc đã bị sửa (kỳ mới ghi rõ điều này)",
    )  # fmt: skip
    p.add_argument(
        "--trust", action="append", default=[], type=Path, metavar="CERT.pem",
        help="tin cậy thêm chứng thư này khi kiểm tra chữ ký (có thể lặp lại)",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("confirm", help="xác nhận các tiêu chí chuyển từ năm trước")
    p.add_argument("document", type=Path, metavar="FILE.khoi")
    # "--year 2027 1.1 1.2": argparse cannot put positionals after an option, so --year takes the
    # codes that follow it too (the first value is the year).
    p.add_argument("--year", nargs="+", required=True, metavar="YYYY", help="năm của kỳ đánh giá")
    p.add_argument(
        "--all-unchanged", action="store_true",
        help="xác nhận mọi tiêu chí có nội dung không đổi so với năm trước",
    )  # fmt: skip
    p.add_argument("codes", nargs="*", metavar="CODE", help="mã tiêu chí cần xác nhận")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_confirm)

    p = sub.add_parser(
        "diff",
        help="so sánh hai hồ sơ PDF (OLD.pdf NEW.pdf), hoặc một kỳ với năm trước (FILE.khoi --year)",
    )
    p.add_argument("old", type=Path, metavar="OLD.pdf|FILE.khoi")
    p.add_argument("new", type=Path, nargs="?", metavar="NEW.pdf")
    p.add_argument("--year", type=int, metavar="YYYY", help="năm của kỳ cần so sánh (với FILE.khoi)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_diff)


def _yes_verdict(verdict: str) -> str:
    return {
        "ok": "hợp lệ, người ký được tin cậy",
        "untrusted": "nguyên vẹn nhưng chứng thư người ký chưa được tin cậy (nhập theo yêu cầu)",
        "unsigned": "hồ sơ chưa ký số (nhập theo yêu cầu)",
        "invalid": "không hợp lệ hoặc đã bị sửa (nhập theo yêu cầu)",
        "foreign": "chữ ký không thuộc đơn vị trong hồ sơ (nhập theo yêu cầu)",
    }.get(verdict, verdict)


def cmd_import(args: argparse.Namespace) -> int:
    from khoiapp.services.importer import import_dossier, import_new

    kw: dict[str, Any] = {
        "year": args.year,
        "accept_unverified": args.accept_unverified,
        "trust": list(args.trust),
    }
    if args.new is not None:
        result = import_new(args.dossier, args.new, **kw)
    else:
        from khoiapp.db import open_document

        with open_document(args.into) as doc:
            result = import_dossier(doc, args.dossier, **kw)
    if args.json:
        emit_json(result)
        return 0
    say(f"Đã nhập hồ sơ năm {result.source_year} vào kỳ đánh giá năm {result.year} của «{result.document}».")
    say(f"Chữ ký số: {_yes_verdict(result.verdict)}.")
    say(
        f"Tiêu chí chờ xác nhận: {result.criteria_to_confirm}. "
        f"Minh chứng chuyển sang: {result.evidence} (tệp đính kèm: {result.evidence_files})."
    )
    if result.backup:
        say(f"Bản sao lưu trước khi nhập: {result.backup}")
    for note in result.notes:
        say(f"Lưu ý: {note}")
    say(
        f"Bước tiếp theo: rà soát rồi xác nhận, ví dụ «khoiapp confirm {result.document} "
        f"--year {result.year} --all-unchanged»."
    )
    return 0


def cmd_confirm(args: argparse.Namespace) -> int:
    from khoiapp.db import open_document
    from khoiapp.services.criteria import checklist, confirm

    year_text, *more = args.year
    try:
        year = int(year_text)
    except ValueError:
        raise BadInputError(f"Năm «{year_text}» không hợp lệ. Hãy nhập năm có bốn chữ số, ví dụ 2027.") from None
    codes = list(args.codes) + more
    if bool(args.all_unchanged) == bool(codes):
        raise BadInputError(
            "Hãy chọn một trong hai: --all-unchanged (xác nhận mọi tiêu chí không đổi nội dung) "
            "hoặc liệt kê mã tiêu chí cần xác nhận (ví dụ: confirm FILE.khoi --year 2027 1.1 1.2)."
        )
    with open_document(args.document) as doc:
        done = confirm(doc, year, codes or None, all_unchanged=bool(args.all_unchanged))
        left = [c.code for c in checklist(doc, year).criteria if c.needs_confirmation]
    if args.json:
        emit_json({"confirmed": done, "remaining": left})
        return 0
    say(f"Đã xác nhận {len(done)} tiêu chí" + (f": {', '.join(done)}." if done else "."))
    if left:
        say(
            f"Còn {len(left)} tiêu chí cần xác nhận từng mục (nội dung tiêu chí đã đổi hoặc chưa có kết quả "
            f"năm trước): {', '.join(left)}."
        )
    else:
        say("Không còn tiêu chí nào chờ xác nhận.")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from khoiapp.services import diff as diffsvc

    if args.new is None:
        if args.year is None:
            raise BadInputError(
                "Hãy cho biết năm cần so sánh: diff FILE.khoi --year YYYY, hoặc so sánh hai hồ sơ: "
                "diff OLD.pdf NEW.pdf."
            )
        from khoiapp.db import open_document

        with open_document(args.old, read_only=True) as doc:
            from khoiapp.services.payload import period_payload

            d = diffsvc.diff_period(doc, args.year, period_payload(doc, args.year))
        if d is None:
            raise BadInputError(
                f"Kỳ đánh giá năm {args.year} không được nhập từ hồ sơ năm trước nên không có gì để so sánh. "
                "Để so sánh hai hồ sơ, dùng: diff OLD.pdf NEW.pdf."
            )
    else:
        if args.year is not None:
            raise BadInputError("--year chỉ dùng khi so sánh một tài liệu .khoi; hãy bỏ --year khi so sánh hai hồ sơ PDF.")
        d = diffsvc.diff_dossiers(args.old, args.new)
    if args.json:
        emit_json(d.to_json())
        return 0
    for line in d.lines():
        say(line)
    return 0
