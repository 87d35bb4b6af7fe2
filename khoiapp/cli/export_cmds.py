"""CLI: export (dossier PDF, optionally signed) and extract (payload and evidence files)."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from khoiapp.cli.output import emit_json, say
from khoiapp.db import open_document
from khoiapp.errors import BadInputError
from khoiapp.services import export_choice

__all__ = ["register"]
log = logging.getLogger(__name__)

_PHOTO_COPIES = {"tu-dong": "auto", "ban-goc": "original", "thu-nho": "reduced"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="xuất hồ sơ PDF (kèm dữ liệu và minh chứng), có thể ký số")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--year", required=True, type=int, help="năm đánh giá")
    p.add_argument("--out", required=True, type=Path, metavar="DOSSIER.pdf", help="tệp PDF sẽ ghi")
    p.add_argument("--draft", action="store_true", help="xuất bản nháp dù còn mục chưa hoàn thành (dấu «BẢN NHÁP»)")
    p.add_argument(
        "--clock", metavar="ISO8601",
        help="thời điểm xuất, ví dụ 2026-12-05T09:00:00+07:00 (cùng thời điểm cho cùng tệp PDF); mặc định: bây giờ",
    )  # fmt: skip
    p.add_argument("--photos-per-page", type=int, choices=(2, 4, 6), default=None,
                   help="số ảnh trên mỗi trang phụ lục minh chứng; được ghi nhớ trong tài liệu cho lần xuất sau "
                        "(mặc định: lựa chọn lần trước, lần đầu là 4)")
    p.add_argument("--photo-copies", choices=tuple(_PHOTO_COPIES), default="tu-dong",
                   help="ảnh đính kèm: tu-dong (bản thu nhỏ khi hồ sơ vượt dung lượng mong muốn; mặc định), "
                        "ban-goc hoặc thu-nho")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    g = p.add_argument_group("ký số")
    g.add_argument("--sign-p12", type=Path, metavar="FILE", help="ký bằng tệp chứng thư số .p12/.pfx")
    g.add_argument("--pass-env", metavar="VAR", help="biến môi trường chứa mật khẩu tệp .p12")
    g.add_argument("--sign-pkcs11", metavar="LIB", help="ký bằng USB token: đường dẫn thư viện PKCS#11")
    g.add_argument("--token", metavar="LABEL", help="nhãn token")
    g.add_argument("--key", metavar="LABEL", help="nhãn khóa ký trên token")
    g.add_argument("--pin-env", metavar="VAR", help="biến môi trường chứa mã PIN của token")
    g.add_argument("--signer-label", default="", help="tên người ký hiện trên chữ ký (mặc định: theo chứng thư)")
    g.add_argument("--role", choices=("chu-tich", "thu-truong", "don-vi"), default="chu-tich",
                   help="ô ký của chữ ký này (mặc định chu-tich); người khác ký tiếp bằng lệnh «sign»")
    g.add_argument("--lt", action="store_true", help="kèm dữ liệu kiểm tra lâu dài (PAdES B-LT)")
    vis = g.add_mutually_exclusive_group()
    vis.add_argument("--visible", dest="visible", action="store_true", default=True, help="chữ ký hiện trên trang (mặc định)")
    vis.add_argument("--invisible", dest="visible", action="store_false", help="chữ ký không hiện trên trang")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("extract", help="giải nén dữ liệu và tệp minh chứng từ hồ sơ PDF (kiểm tra mã băm)")
    p.add_argument("dossier", type=Path, metavar="DOSSIER.pdf")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="thư mục ghi các tệp")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_extract)


def _secret(var: str | None, flag: str, what: str) -> str:
    if not var:
        raise BadInputError(
            f"Thiếu {flag} VAR: {what} được đọc từ một biến môi trường, không nhập trên dòng lệnh. "
            f"Ví dụ: export KHOI_PASS='...' rồi thêm {flag} KHOI_PASS."
        )
    value = os.environ.get(var)
    if value is None:
        raise BadInputError(
            f"Biến môi trường «{var}» chưa được đặt nên không có {what}. Hãy đặt biến này "
            f"(ví dụ: export {var}='...') rồi chạy lại lệnh."
        )
    return value


def parse_clock(text: str | None) -> dt.datetime:
    """``--clock``: ISO 8601; a time without offset is local time. Default: now."""
    if not text:
        return dt.datetime.now().astimezone().replace(microsecond=0)
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInputError(
            f"Thời điểm «{text}» không hợp lệ. Hãy ghi theo ISO 8601, ví dụ 2026-12-05T09:00:00+07:00."
        ) from None
    return when if when.tzinfo is not None else when.astimezone()


def _sign_request(a: argparse.Namespace) -> object | None:
    from khoiapp.appconfig import load
    from khoiapp.services.export import SignRequest

    if a.sign_p12 and a.sign_pkcs11:
        raise BadInputError("Chỉ chọn một cách ký: --sign-p12 hoặc --sign-pkcs11.")
    if not (a.sign_p12 or a.sign_pkcs11):
        if a.pass_env or a.pin_env or a.token or a.key:
            raise BadInputError("Có tham số ký số nhưng chưa chọn cách ký. Hãy thêm --sign-p12 FILE hoặc --sign-pkcs11 LIB.")
        return None
    try:
        ts = load().timestamp_url or None
    except Exception:  # noqa: BLE001 - an unreadable settings file must not stop signing
        ts = None
    if a.sign_p12:
        return SignRequest(
            p12_path=a.sign_p12,
            password=_secret(a.pass_env, "--pass-env", "mật khẩu tệp chứng thư số"),
            visible=a.visible,
            signer_label=a.signer_label,
            timestamp_url=ts,
            role=a.role,
            lt=a.lt,
        )
    if not (a.token and a.key):
        raise BadInputError("Ký bằng USB token cần --token LABEL và --key LABEL.")
    return SignRequest(
        pkcs11_lib=a.sign_pkcs11,
        token_label=a.token,
        key_label=a.key,
        pin=_secret(a.pin_env, "--pin-env", "mã PIN của token"),
        visible=a.visible,
        signer_label=a.signer_label,
        timestamp_url=ts,
        role=a.role,
        lt=a.lt,
    )


if TYPE_CHECKING:
    from khoiapp.services.renditions import ExportRenditions


def cmd_export(a: argparse.Namespace) -> int:
    from khoiapp.services.export import export_dossier

    from khoiapp.services.export import size_check

    clock = parse_clock(a.clock)
    sign = _sign_request(a)
    doc = open_document(a.file, read_only=True)
    try:
        copies = _PHOTO_COPIES[a.photo_copies]
        stored = export_choice.photos_per_page(doc)
        photos = stored if a.photos_per_page is None else int(a.photos_per_page)
        warning = size_check(doc, a.year, photo_copies=copies).warning()
        if warning:
            print(f"Lưu ý: {warning}", file=sys.stderr)
        res = export_dossier(doc, a.year, a.out, draft=a.draft, clock=clock, sign=sign,  # type: ignore[arg-type]
                             photos_per_page=photos, photo_copies=copies)
        current = doc.temp_copy is None  # an older document is read from an upgraded copy: left as it is
    finally:
        doc.close()
    _after_export(a.file, photos if photos != stored else None, res.renditions if current else None)
    if a.json:
        emit_json(
            {
                "path": str(res.path),
                "size": res.size,
                "pages": res.pages,
                "payload_sha256": res.payload_sha256,
                "attachments": res.attachments,
                "signed": res.signed,
                "draft": bool(a.draft),
                "created_at": clock.isoformat(),
            }
        )
        return 0
    kind = "bản nháp" if a.draft else "hồ sơ"
    say(f"Đã xuất {kind}: {res.path}")
    say(f"  {res.pages} trang, {res.attachments} tệp minh chứng đính kèm, {res.size / (1024 * 1024):.1f} MB".replace(".", ","))
    say(f"  Mã băm SHA-256 của dữ liệu hồ sơ: {res.payload_sha256}")
    if res.signed:
        say("  Đã ký số; kiểm tra bằng lệnh: verify " + str(res.path))
    say("  Đã tự kiểm tra: dữ liệu và mọi tệp đính kèm khớp mã băm.")
    for w in res.warnings:
        say(f"  Lưu ý: {w}")
    return 0


def _after_export(path: Path, photos: int | None, made: ExportRenditions | None) -> None:
    """Keep the photos-per-page choice (when it changed) and the appendix images the export made,
    for the next export; a document open elsewhere (locked) or read-only just keeps what it had."""
    from khoiapp.errors import KhoiError
    from khoiapp.services import renditions

    if photos is None and not (made is not None and made.new):
        if made is not None:
            made.discard()
        return
    try:
        with open_document(path) as doc:
            if photos is not None:
                export_choice.remember_photos_per_page(doc, photos)
            if made is not None and not doc.read_only:
                renditions.store(doc, made)
    except KhoiError as exc:
        log.info("export choices not kept: %s", exc)
    finally:
        if made is not None:
            made.discard()


def cmd_extract(a: argparse.Namespace) -> int:
    from khoiapp.services.extract import extract_dossier

    res = extract_dossier(a.dossier, a.out)
    code = 0 if res.ok else 1
    if a.json:
        emit_json(
            {
                "payload": str(res.payload_path),
                "files": [str(f) for f in res.files],
                "problems": list(res.problems),
                "ok": res.ok,
                "exit_code": code,
            }
        )
        return code
    say(f"Đã giải nén {len(res.files)} tệp vào {a.out}")
    if res.ok:
        say("  Mọi tệp khớp mã băm SHA-256 trong danh mục hồ sơ.")
    else:
        print("Hồ sơ có vấn đề:", file=sys.stderr)
        for p in res.problems:
            print(f"  - {p}", file=sys.stderr)
    return code
