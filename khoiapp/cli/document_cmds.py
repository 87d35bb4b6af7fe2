"""CLI: new, info, frameworks, import-framework, set, attach, evidence, unit, period, confirm, demo."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khoiapp import frameworks as fwlib
from khoiapp import scoring
from khoiapp.cli.output import emit_json, say
from khoiapp.db import Document, open_document
from khoiapp.errors import BadInputError
from khoiapp.services import criteria as crit
from khoiapp.services import document as docsvc
from khoiapp.services import evidence as evsvc
from khoiapp.textformat import format_size as fmt_size


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("new", help="tạo tài liệu mới cho một đơn vị")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--unit", required=True, help="tên cơ quan, đơn vị")
    p.add_argument("--type", required=True, dest="unit_type", help="co-quan | don-vi | doanh-nghiep")
    p.add_argument("--year", required=True, type=int, help="năm đánh giá (năm cuối nếu là khoảng)")
    p.add_argument("--from-year", type=int, help="năm bắt đầu, khi đánh giá hai năm (ví dụ 2024–2025)")
    p.add_argument("--framework", help="mã bộ tiêu chí (xem lệnh frameworks)")
    p.add_argument("--kieu-mau", action="store_true", help="đăng ký thêm mục tiêu kiểu mẫu")
    p.add_argument("--place", default="", help="địa danh ghi trên văn bản, ví dụ «Thanh Hóa»")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("info", help="xem thông tin và kết quả tự đánh giá")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--json", action="store_true", help="in dạng JSON (xem docs/cli.md)")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("forget-images",
                       help="xóa ảnh phụ lục giữ lại trong tài liệu từ các lần xuất trước (lần xuất sau làm lại)")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--json", action="store_true", help="in dạng JSON: {\"removed\", \"bytes\"}")
    p.set_defaults(func=cmd_forget_images)

    p = sub.add_parser("frameworks", help="liệt kê các bộ tiêu chí có sẵn")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_frameworks)

    p = sub.add_parser("import-framework", help="nhập bộ tiêu chí (tệp .toml) vào tài liệu")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("framework", type=Path, metavar="FRAMEWORK.toml")
    p.set_defaults(func=cmd_import_framework)

    p = sub.add_parser("set", help="ghi kết quả một tiêu chí")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("code", metavar="CODE")
    p.add_argument("value", metavar="VALUE", help="dat | chua-dat | khong-ap-dung | một số")
    p.add_argument("--note", help="ghi chú")
    p.add_argument("--current-state", help="mô tả hiện trạng")
    p.add_argument("--strengths", help="điểm mạnh")
    p.add_argument("--weaknesses", help="điểm yếu")
    p.add_argument("--plan", help="kế hoạch cải tiến")
    p.set_defaults(func=cmd_set)

    p = sub.add_parser("attach", help="thêm tệp minh chứng cho một tiêu chí")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("code", metavar="CODE")
    p.add_argument("path", type=Path, metavar="PATH")
    p.add_argument("--title", help="tên minh chứng")
    p.add_argument("--number", default="", help="số/ký hiệu văn bản")
    p.add_argument("--issuer", "--issued-by", dest="issuer", default="", help="cơ quan ban hành")
    p.add_argument("--date", default="", help="ngày ban hành, dạng 05/02/2026 hoặc 2026-02-05")
    p.add_argument("--embed", choices=EMBED_CHOICES, default=None,
                   help="cách đưa vào hồ sơ: auto (mặc định, theo tùy chọn khi xuất), original (bản gốc), "
                        "reduced (bản thu nhỏ, chỉ ảnh JPEG), list (chỉ liệt kê, không đính kèm)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_attach)

    p = sub.add_parser("evidence", help="xem hoặc sửa cách đưa một minh chứng vào hồ sơ (--embed)")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("code", metavar="MÃ_MINH_CHỨNG", help="ví dụ MC-1.1-01")
    p.add_argument("--embed", choices=EMBED_CHOICES, default=None,
                   help="auto | original | reduced | list (không ghi: chỉ xem)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_evidence)

    p = sub.add_parser("unit", help="sửa thông tin đơn vị: --set truong=gia-tri")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--set", action="append", default=[], metavar="TRƯỜNG=GIÁ_TRỊ", dest="pairs")
    p.set_defaults(func=cmd_unit)

    p = sub.add_parser("period", help="số văn bản của kỳ đánh giá: --set so-dang-ky=01/ĐK-CĐ")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--set", action="append", default=[], metavar="TRƯỜNG=GIÁ_TRỊ", dest="pairs",
                   help="so-dang-ky, so-quy-uoc, so-quy-tac, so-bao-cao, ky-hieu-bao-cao (để trống: chừa chỗ "
                        "cho văn thư ghi tay)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_period)

    p = sub.add_parser("demo", help="tạo tài liệu mẫu đầy đủ của một đơn vị")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--year", type=int, help="năm đánh giá (mặc định: năm nay)")
    p.set_defaults(func=cmd_demo)


EMBED_CHOICES = ("auto", "original", "reduced", "list")


def _open(path: Path) -> Document:
    return open_document(path)


def cmd_new(a: argparse.Namespace) -> int:
    doc = docsvc.new_document(
        a.file,
        unit_name=a.unit,
        unit_type=a.unit_type,
        year=a.year,
        year_start=a.from_year,
        framework_key=a.framework,
        target_model=a.kieu_mau,
        place_name=a.place,
    )
    with doc:
        info = docsvc.document_info(doc)
    p = info.periods[0].period
    say(f"Đã tạo tài liệu {a.file} cho «{info.unit.name if info.unit else a.unit}», kỳ đánh giá {p.label}.")
    say(f"Bộ tiêu chí: {p.framework_title} ({p.framework_key} {p.framework_version}).")
    return 0


def info_json(info: docsvc.DocumentInfo, kept: tuple[int, int] = (0, 0)) -> dict[str, object]:
    """The stable shape of ``info --json`` (documented in docs/cli.md)."""
    from khoiapp.cli.output import to_jsonable

    periods = []
    for ps in info.periods:
        periods.append(
            {
                "year": ps.period.year_end,
                "year_start": ps.period.year_start,
                "label": ps.period.label,
                "framework": {
                    "id": ps.period.framework_key,
                    "version": ps.period.framework_version,
                    "title": ps.period.framework_title,
                    "sha256": ps.period.framework_hash,
                },
                "addon": (
                    {"id": ps.period.addon_key, "version": ps.period.addon_version} if ps.period.addon_key else None
                ),
                "targets": {"cultural": ps.period.target_cultural, "model": ps.period.target_model},
                "status": ps.period.status,
                "result": ps.result,
                "result_label": ps.result_label,
                "base_passed": ps.base_passed,
                "addon_passed": ps.addon_passed,
                "points": {"total": ps.total_points, "max": ps.max_points},
                "readiness": to_jsonable(ps.readiness),
                "counts": ps.counts,
                "evidence_count": ps.evidence_count,
                "preflight": [to_jsonable(i) for i in ps.preflight],
            }
        )
    return {
        "path": info.path,
        "document_id": info.document_id,
        "unit": to_jsonable(info.unit),
        "periods": periods,
        "kept_images": {"count": kept[0], "bytes": kept[1]},
    }


def cmd_info(a: argparse.Namespace) -> int:
    from khoiapp.services import renditions

    with open_document(a.file, read_only=True) as doc:
        info = docsvc.document_info(doc)
        kept = renditions.stats(doc)
    if a.json:
        emit_json(info_json(info, kept))
        return 0
    u = info.unit
    say(f"Tài liệu: {info.path}")
    if u:
        say(f"Đơn vị: {u.name} ({u.unit_type_label.lower()})")
        if u.head_name:
            say(f"Thủ trưởng: {u.head_name}{' — ' + u.head_title if u.head_title else ''}")
    for ps in info.periods:
        r = ps.readiness
        say("")
        say(f"Kỳ đánh giá {ps.period.label} — {ps.period.framework_title}")
        say(f"  Kết quả tự đánh giá: {ps.result_label}")
        say(
            f"  Đã đánh giá {r.answered}/{r.total} tiêu chí ({r.share_answered:.0%}); "
            f"đủ minh chứng {r.evidence_ok}/{r.total}; {ps.evidence_count} minh chứng."
        )
        if ps.max_points:
            say(f"  Điểm: {_num(ps.total_points)}/{_num(ps.max_points)}")
        if ps.preflight:
            say(f"  Còn thiếu ({len(ps.preflight)}):")
            for item in ps.preflight[:15]:
                say(f"   - {item.message}")
            if len(ps.preflight) > 15:
                say(f"   … và {len(ps.preflight) - 15} mục khác.")
    if kept[0]:
        say("")
        say(f"Ảnh phụ lục giữ lại cho lần xuất sau: {kept[0]} ảnh, {fmt_size(kept[1])} "
            "(xóa bằng lệnh forget-images nếu cần thu nhỏ tài liệu).")
    return 0


def cmd_forget_images(a: argparse.Namespace) -> int:
    from khoiapp.services import renditions

    with open_document(a.file) as doc:
        doc.require_writable()
        count, size = renditions.stats(doc)
        renditions.clear(doc)
    if a.json:
        emit_json({"removed": count, "bytes": size})
        return 0
    if count:
        say(f"Đã xóa {count} ảnh phụ lục giữ lại ({fmt_size(size)}); lần xuất sau sẽ làm lại các ảnh này.")
    else:
        say("Tài liệu không giữ ảnh phụ lục nào.")
    return 0


def _num(x: float) -> str:
    return fwlib.format_number(x)


def cmd_frameworks(a: argparse.Namespace) -> int:
    fws = fwlib.bundled_frameworks()
    if not fws:
        print(
            f"Lỗi: không tìm thấy bộ tiêu chí nào trong thư mục «{fwlib.frameworks_dir()}». "
            "Bộ cài Khối có thể bị thiếu tệp: hãy cài lại Khối từ bộ cài gốc.",
            file=sys.stderr,
        )
        return 1
    if a.json:
        emit_json(
            [
                {
                    "id": f.key,
                    "version": f.version,
                    "title": f.title,
                    "role": f.role,
                    "title_awarded": f.title_awarded,
                    "applies_to": list(f.applies_to),
                    "legal_basis": list(f.legal_basis),
                    "criteria": len(f.criteria()),
                    "sha256": f.content_hash,
                }
                for f in fws
            ]
        )
        return 0
    for f in fws:
        kind = "bổ sung" if f.role == "addon" else "chính"
        say(f"{f.key} {f.version} — {f.title} ({kind}; {len(f.criteria())} tiêu chí; áp dụng: {', '.join(f.applies_to)})")
    return 0


def cmd_import_framework(a: argparse.Namespace) -> int:
    fw = fwlib.load_framework_file(a.framework)  # validate before opening the document
    with _open(a.file) as doc:
        docsvc.import_framework_file(doc, a.framework)
    say(f"Đã nhập bộ tiêu chí {fw.key} phiên bản {fw.version} ({len(fw.criteria())} tiêu chí) vào {a.file}.")
    return 0


def cmd_set(a: argparse.Namespace) -> int:
    status, value = crit.parse_value_text(a.value)
    narrative = {
        k: v
        for k, v in (
            ("current_state", a.current_state),
            ("strengths", a.strengths),
            ("weaknesses", a.weaknesses),
            ("improvement_plan", a.plan),
        )
        if v is not None
    }
    with _open(a.file) as doc:
        crit.set_result(doc, a.year, a.code, status=status, value=value, note=a.note, narrative=narrative)
        view = next(c for c in crit.checklist(doc, a.year).criteria if c.code == a.code.strip())
    shown = f"{_num(view.value)}" if view.value is not None else ""
    say(f"Tiêu chí {view.code}: {view.status_label}{' (' + shown + ')' if shown else ''} — yêu cầu {view.requirement}.")
    return 0


def cmd_attach(a: argparse.Namespace) -> int:
    from khoiapp.services.content import parse_date

    issued_on = parse_date(a.date, "Ngày ban hành") if a.date.strip() else None  # checked before any work
    with _open(a.file) as doc:
        res = evsvc.add_evidence(
            doc, a.year, a.path, criteria=(a.code,), title=a.title, doc_number=a.number, issuer=a.issuer,
            issued_on=issued_on, attach=a.embed,
        )
    e = res.evidence
    if a.json:
        emit_json({"evidence": e, "reused": res.reused})
        return 0
    if res.reused:
        say(f"Tệp này đã có trong tài liệu (minh chứng {e.code}); đã gắn thêm với tiêu chí {a.code}.")
    else:
        say(f"Đã thêm minh chứng {e.code} «{e.title}» ({e.size:,} byte) cho tiêu chí {a.code}.".replace(",", "."))
    return 0


def cmd_evidence(a: argparse.Namespace) -> int:
    with _open(a.file) as doc:
        e = evsvc.find_evidence(doc, a.year, a.code)
        if a.embed is not None:
            evsvc.update_evidence(doc, e.id, attach=a.embed)
            e = evsvc.get_evidence(doc, e.id)
    if a.json:
        emit_json({"evidence": e})
        return 0
    label = evsvc.ATTACH_LABELS[e.attach]
    say(f"Minh chứng {e.code} «{e.title}»: {label[0].lower() + label[1:]}"
        + (" (đã lưu)." if a.embed is not None else "."))
    return 0


def _pairs(pairs: list[str], example: str) -> list[tuple[str, str]]:
    """``TRƯỜNG=GIÁ_TRỊ`` arguments as (field, value); a pair without «=» is named with ``example``."""
    out = []
    for pair in pairs:
        if "=" not in pair:
            raise BadInputError(f"«{pair}» không đúng dạng TRƯỜNG=GIÁ_TRỊ (ví dụ {example}).")
        k, v = pair.split("=", 1)
        out.append((k.strip(), v))
    return out


def cmd_unit(a: argparse.Namespace) -> int:
    values = dict(_pairs(a.pairs, "head_name=Nguyễn Văn A"))
    if not values:
        raise BadInputError(
            "Chưa có gì để sửa. Dùng --set TRƯỜNG=GIÁ_TRỊ; các trường: " + ", ".join(docsvc.UNIT_FIELDS)
        )
    with _open(a.file) as doc:
        docsvc.update_unit(doc, **values)
    say(f"Đã cập nhật thông tin đơn vị ({', '.join(values)}).")
    return 0


PERIOD_CLI_FIELDS = {
    "so-dang-ky": "registration_number",
    "so-quy-uoc": "convention_number",
    "so-quy-tac": "conduct_number",
    "so-bao-cao": "report_number",
    "ky-hieu-bao-cao": "report_symbol",
}


def cmd_period(a: argparse.Namespace) -> int:
    values: dict[str, str] = {}
    for k, v in _pairs(a.pairs, "so-dang-ky=01/ĐK-CĐ"):
        key = PERIOD_CLI_FIELDS.get(k, k)
        if key not in PERIOD_CLI_FIELDS.values():
            raise BadInputError(f"Không có trường «{k}»; các trường: " + ", ".join(PERIOD_CLI_FIELDS) + ".")
        values[key] = v
    with _open(a.file) as doc:
        if values:
            docsvc.update_period(doc, a.year, **values)
        p = next(ps for ps in docsvc.list_periods(doc) if ps.year_end == a.year)
    shown = {cli: getattr(p, key) for cli, key in PERIOD_CLI_FIELDS.items()}
    if a.json:
        emit_json(shown)
        return 0
    if values:
        say(f"Đã cập nhật kỳ đánh giá {p.label} ({', '.join(k for k, v in PERIOD_CLI_FIELDS.items() if v in values)}).")
    for cli, value in shown.items():
        say(f"  {cli}: {value if value != '' else '(để trống cho văn thư)'}")
    return 0


def cmd_demo(a: argparse.Namespace) -> int:
    from khoiapp.services import demo

    path = demo.build_demo(a.file, year=a.year)
    with open_document(path, read_only=True) as doc:
        info = docsvc.document_info(doc)
    ps = info.periods[-1]
    say(f"Đã tạo tài liệu mẫu {path}: {info.unit.name if info.unit else ''}, kỳ {ps.period.label}.")
    say(f"Kết quả tự đánh giá: {ps.result_label}; {ps.evidence_count} minh chứng.")
    return 0


def status_label(value: str) -> str:
    return scoring.ResultStatus(value).label
