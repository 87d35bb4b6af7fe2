"""CLI: cert new, cert export, trust list/add/remove/add-crl/crls, verify."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from khoiapp.cli.output import emit_json, say
from khoiapp.errors import BadInputError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    # services are imported inside the handlers: pyHanko costs ~0.4 s to import
    p = sub.add_parser("cert", help="chứng thư số của đơn vị: tạo mới, xuất chứng thư")
    cert_sub = p.add_subparsers(dest="cert_command", metavar="LỆNH", parser_class=type(p))
    p.set_defaults(func=lambda args, _p=p: _missing_subcommand(_p))

    q = cert_sub.add_parser("new", help="tạo khóa ký và chứng thư số tự cấp cho đơn vị (.p12)")
    q.add_argument("--unit", required=True, help="tên đơn vị ghi trong chứng thư")
    q.add_argument("--out", required=True, type=Path, metavar="UNIT.p12", help="tệp .p12 sẽ tạo")
    q.add_argument("--pass-env", required=True, metavar="VAR", help="biến môi trường chứa mật khẩu bảo vệ tệp")
    q.add_argument("--years", type=int, default=5, help="thời hạn (năm), mặc định 5")
    q.add_argument("--algorithm", choices=("rsa", "ecdsa"), default="rsa", help="rsa (3072 bit) hoặc ecdsa (P-256)")
    q.add_argument("--json", action="store_true", help="in dạng JSON")
    q.set_defaults(func=cmd_cert_new)

    q = cert_sub.add_parser("export", help="xuất chứng thư (không kèm khóa) để bên nhận thêm vào danh sách tin cậy")
    q.add_argument("p12", type=Path, metavar="UNIT.p12")
    q.add_argument("--out", required=True, type=Path, metavar="CERT.pem")
    q.add_argument("--pass-env", required=True, metavar="VAR", help="biến môi trường chứa mật khẩu tệp .p12")
    q.set_defaults(func=cmd_cert_export)

    p = sub.add_parser("trust", help="danh sách chứng thư tin cậy: list, add, remove")
    trust_sub = p.add_subparsers(dest="trust_command", metavar="LỆNH", parser_class=type(p))
    p.set_defaults(func=lambda args, _p=p: _missing_subcommand(_p))
    q = trust_sub.add_parser("list", help="liệt kê chứng thư tin cậy")
    q.add_argument("--json", action="store_true", help="in dạng JSON")
    q.set_defaults(func=cmd_trust_list)
    q = trust_sub.add_parser("add", help="thêm chứng thư (.pem, .cer, .crt, .der) vào danh sách tin cậy")
    q.add_argument("cert", type=Path, metavar="CERT")
    q.set_defaults(func=cmd_trust_add)
    q = trust_sub.add_parser("remove", help="gỡ chứng thư khỏi danh sách tin cậy theo dấu vân tay SHA-256")
    q.add_argument("fingerprint", metavar="FINGERPRINT")
    q.set_defaults(func=cmd_trust_remove)
    q = trust_sub.add_parser("add-crl", help="nhập danh sách chứng thư bị thu hồi (CRL) của tổ chức cấp")
    q.add_argument("crl", type=Path, metavar="FILE.crl")
    q.add_argument("--issuer", type=Path, metavar="CA.pem",
                   help="chứng thư của tổ chức phát hành CRL, nếu không có trong danh sách tin cậy")
    q.set_defaults(func=cmd_trust_add_crl)
    q = trust_sub.add_parser("crls", help="liệt kê các CRL đã nhập")
    q.add_argument("--json", action="store_true", help="in dạng JSON")
    q.set_defaults(func=cmd_trust_crls)

    p = sub.add_parser("verify", help="kiểm tra chữ ký số và tính toàn vẹn của hồ sơ PDF")
    p.add_argument("dossier", type=Path, metavar="DOSSIER.pdf")
    p.add_argument("--json", action="store_true", help="in mọi trường dạng JSON")
    p.add_argument(
        "--trust", action="append", default=[], type=Path, metavar="CERT.pem",
        help="tin cậy thêm chứng thư này (có thể lặp lại)",
    )  # fmt: skip
    p.add_argument("--no-trust-store", action="store_true", help="không dùng danh sách tin cậy của Khối")
    p.add_argument("--crl", action="append", default=[], type=Path, metavar="FILE.crl",
                   help="dùng thêm danh sách thu hồi này (có thể lặp lại)")
    p.set_defaults(func=cmd_verify)


def _missing_subcommand(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def secret_from_env(var: str, what: str = "mật khẩu") -> str:
    """Read a password or PIN from environment variable ``var`` (never from the command line).

    Raises:
        BadInputError: the variable is not set (exit status 2).
    """
    value = os.environ.get(var)
    if value is None:
        raise BadInputError(
            f"Biến môi trường «{var}» chưa được đặt nên không có {what}. Hãy đặt biến này "
            f"(ví dụ: export {var}='...') rồi chạy lại lệnh."
        )
    return value


def _yes(v: bool | None) -> str:
    return "không rõ" if v is None else ("có" if v else "không")


def cmd_cert_new(args: argparse.Namespace) -> int:
    from khoiapp.services.signing import create_unit_certificate

    password = secret_from_env(args.pass_env)
    info = create_unit_certificate(args.unit, args.out, password, years=args.years, algorithm=args.algorithm)
    if args.json:
        emit_json({"path": str(args.out), **_info_dict(info)})
        return 0
    say(f"Đã tạo chứng thư số của đơn vị: {args.out}")
    _print_info(info)
    say("Hãy giữ tệp .p12 và mật khẩu cẩn thận; mất tệp là mất khóa ký.")
    say("Gửi bên nhận tệp chứng thư (lệnh «cert export») để họ thêm vào danh sách tin cậy.")
    return 0


def _info_dict(info: Any) -> dict[str, Any]:
    return {
        "subject_name": info.subject_name,
        "organisation": info.organisation,
        "issuer": info.issuer,
        "serial": info.serial,
        "not_before": info.not_before.isoformat(),
        "not_after": info.not_after.isoformat(),
        "fingerprint_sha256": info.fingerprint_sha256,
        "key_desc": info.key_desc,
    }


def _print_info(info: Any) -> None:
    say(f"  Chủ thể: {info.subject_name}")
    say(f"  Khóa: {info.key_desc}")
    say(f"  Hiệu lực: {info.not_before:%d/%m/%Y} – {info.not_after:%d/%m/%Y}")
    say(f"  Dấu vân tay SHA-256: {_fp(info.fingerprint_sha256)}")


def _fp(hexstr: str) -> str:
    return ":".join(hexstr[i : i + 2] for i in range(0, len(hexstr), 2)).upper()


def cmd_cert_export(args: argparse.Namespace) -> int:
    from khoiapp.services.trust import export_certificate

    password = secret_from_env(args.pass_env)
    t = export_certificate(args.p12, password, args.out)
    say(f"Đã xuất chứng thư «{t.subject}» ra {args.out}")
    say(f"  Dấu vân tay SHA-256: {_fp(t.fingerprint_sha256)}")
    return 0


def cmd_trust_list(args: argparse.Namespace) -> int:
    from khoiapp.services.trust import list_trusted, trust_dir

    items = list_trusted()
    if args.json:
        emit_json(items)
        return 0
    if not items:
        say(f"Danh sách tin cậy đang trống ({trust_dir()}).")
        return 0
    for t in items:
        say(f"{t.subject}")
        say(f"  Dấu vân tay SHA-256: {_fp(t.fingerprint_sha256)}")
        say(f"  Hết hạn: {t.not_after:%d/%m/%Y}")
    return 0


def cmd_trust_add(args: argparse.Namespace) -> int:
    from khoiapp.services.trust import add_trusted

    t = add_trusted(args.cert)
    say(f"Đã thêm vào danh sách tin cậy: {t.subject}")
    say(f"  Dấu vân tay SHA-256: {_fp(t.fingerprint_sha256)}")
    say("  Hãy so dấu vân tay này với đơn vị gửi (qua điện thoại hoặc văn bản) trước khi tin cậy.")
    return 0


def cmd_trust_add_crl(args: argparse.Namespace) -> int:
    from khoiapp.services.trust import add_crl

    c = add_crl(args.crl, args.issuer)
    say(f"Đã nhập CRL của «{c.issuer}»: {c.revoked_count} chứng thư bị thu hồi.")
    say(f"  Phát hành: {c.this_update:%d/%m/%Y}" + (f"; cập nhật tiếp: {c.next_update:%d/%m/%Y}" if c.next_update else ""))
    return 0


def cmd_trust_crls(args: argparse.Namespace) -> int:
    from khoiapp.services.trust import list_crls

    items = list_crls()
    if args.json:
        emit_json(items)
        return 0
    if not items:
        say("Chưa nhập CRL nào (lệnh «trust add-crl FILE.crl»).")
    for c in items:
        say(f"{c.issuer}: {c.revoked_count} chứng thư bị thu hồi, phát hành {c.this_update:%d/%m/%Y}")
    return 0


def cmd_trust_remove(args: argparse.Namespace) -> int:
    from khoiapp.services.trust import remove_trusted

    remove_trusted(args.fingerprint)
    say("Đã gỡ chứng thư khỏi danh sách tin cậy.")
    return 0


_VERDICT_TEXT = {
    "foreign": "CHỮ KÝ KHÔNG THUỘC ĐƠN VỊ — hồ sơ nguyên vẹn nhưng không chữ ký nào là của đơn vị trong hồ sơ.",
    "ok": "HỢP LỆ — hồ sơ đã ký, nguyên vẹn, chữ ký đáng tin cậy.",
    "untrusted": "CHỮ KÝ ĐÚNG NHƯNG CHƯA ĐƯỢC TIN CẬY — hồ sơ nguyên vẹn, chứng thư người ký chưa có "
    "trong danh sách tin cậy.",
    "unsigned": "CHƯA KÝ SỐ.",
    "invalid": "KHÔNG HỢP LỆ — hồ sơ đã bị sửa, chữ ký hỏng hoặc dữ liệu không khớp.",
}


def cmd_verify(args: argparse.Namespace) -> int:
    from khoiapp.services.verify import verify_dossier

    r = verify_dossier(args.dossier, args.trust, use_trust_store=not args.no_trust_store, crls=args.crl)
    if args.json:
        emit_json(r.to_json())
        return r.exit_code
    say(f"Hồ sơ: {r.path}")
    say(f"Kết luận: {_VERDICT_TEXT[r.verdict]}")
    say(f"Đã ký: {_yes(r.signed)}")
    if r.signed:
        whole = r.intact and r.entire_file and not r.modified_after_signing
        say(f"Nguyên vẹn: {_yes(whole)}")
        say(f"Hợp lệ: {_yes(r.valid)}")
        say(f"Tin cậy: {_yes(r.trusted)}")
        if r.signer:
            org = f" — {r.signer_org}" if r.signer_org and r.signer_org != r.signer else ""
            say(f"Người ký: {r.signer}{org}")
        if r.cert_issuer:
            say(f"Cấp bởi: {r.cert_issuer}")
        if r.cert_fingerprint:
            say(f"Dấu vân tay SHA-256: {_fp(r.cert_fingerprint)}")
        if r.signing_time:
            ts = " (có dấu thời gian)" if r.timestamped else " (theo máy người ký)"
            say(f"Thời gian ký: {r.signing_time}{ts}")
    if len(r.signatures) > 1 or any(c.role not in ("", "don-vi-cu") for c in r.signatures):
        say(f"Các chữ ký ({len(r.signatures)}, theo thứ tự ký):")
        for c in r.signatures:
            _print_signature(c)
    say(f"Dữ liệu hồ sơ: {'có' if r.payload_present else 'không có'}" + (f" ({r.payload_schema})" if r.payload_schema else ""))
    if r.attachments_ok is not None:
        say(f"Tệp đính kèm khớp danh mục: {_yes(r.attachments_ok)}")
    if r.problems:
        say("Vấn đề:")
        for line in r.problems:
            say(f"  - {line}")
    if r.warnings:
        say("Lưu ý:")
        for line in r.warnings:
            say(f"  - {line}")
    return r.exit_code


_LATER = {
    "none": "không có gì thay đổi sau chữ ký này",
    "signatures": "sau đó chỉ thêm chữ ký vào các ô ký dành sẵn",
    "validation-data": "sau đó chỉ thêm dữ liệu kiểm tra lâu dài (chứng thư, CRL, dấu thời gian)",
    "other": "tệp bị sửa sau chữ ký này",
}
_REVOCATION = {
    "good": "đã kiểm tra theo CRL: chưa bị thu hồi",
    "revoked": "ĐÃ BỊ THU HỒI",
    "unknown": "chưa kiểm tra được tình trạng thu hồi",
    "direct": "chứng thư được tin cậy trực tiếp",
}


def _print_signature(c: Any) -> None:
    if c.intact and c.valid and c.trusted:
        state = "hợp lệ tại thời điểm ký, tin cậy" if c.valid_at_signing_only else "hợp lệ, tin cậy"
    elif c.intact and c.valid:
        state = "đúng nhưng chưa được tin cậy" if c.revocation != "revoked" else "không hợp lệ (chứng thư bị thu hồi)"
    else:
        state = "KHÔNG HỢP LỆ"
    org = f" — {c.signer_org}" if c.signer_org and c.signer_org != c.signer else ""
    src = "dấu thời gian" if c.time_source == "timestamp" else "giờ máy người ký tự ghi"
    say(f"  {c.index + 1}. {c.role_label}: {c.signer or 'không rõ'}{org}")
    say(f"     Thời gian ký: {c.signing_time or 'không rõ'} (theo {src})")
    say(f"     Tình trạng: {state}; {_REVOCATION.get(c.revocation, c.revocation)}"
        + ("; chứng thực hồ sơ (chỉ cho phép ký tiếp)" if c.certifies else ""))
    if c.issuer:
        say(f"     Cấp bởi: {c.issuer}")
    if c.for_unit is False:
        say("     Chứng thư không ghi tên hay mã số của đơn vị trong hồ sơ.")
    say(f"     Sau chữ ký: {_LATER.get(c.later_changes, c.later_changes)}"
        + (": " + "; ".join(c.changes) if c.changes else ""))
