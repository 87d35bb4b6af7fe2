"""CLI: sign (add a signature to an exported dossier), sign-image (signature and seal images)."""

from __future__ import annotations

import argparse
from pathlib import Path

from khoiapp.cli.output import emit_json, say
from khoiapp.errors import BadInputError

ROLE_CHOICES = ("chu-tich", "thu-truong", "don-vi")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "sign", help="ký tiếp hồ sơ PDF đã xuất: chủ tịch công đoàn, thủ trưởng hoặc con dấu của đơn vị"
    )
    p.add_argument("dossier", type=Path, metavar="DOSSIER.pdf")
    p.add_argument("--field", required=True, choices=ROLE_CHOICES,
                   help="ô ký: chu-tich (chủ tịch công đoàn), thu-truong (thủ trưởng), don-vi (con dấu đơn vị)")
    p.add_argument("--out", required=True, type=Path, metavar="OUT.pdf", help="tệp PDF đã ký sẽ ghi (có thể trùng tệp vào)")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--p12", type=Path, metavar="FILE", help="ký bằng tệp chứng thư số .p12/.pfx")
    how.add_argument("--pkcs11", metavar="LIB", help="ký bằng USB token: thư viện PKCS#11 của token")
    p.add_argument("--pass-env", metavar="VAR", help="biến môi trường chứa mật khẩu tệp .p12")
    p.add_argument("--token", metavar="LABEL", help="nhãn token")
    p.add_argument("--key", metavar="LABEL", help="nhãn khóa ký trên token")
    p.add_argument("--pin-env", metavar="VAR", help="biến môi trường chứa mã PIN của token")
    p.add_argument("--image", type=Path, metavar="PNG", help="ảnh chữ ký/con dấu (PNG nền trong suốt), nếu hồ sơ chưa kèm")
    p.add_argument("--lt", action="store_true",
                   help="kèm dữ liệu kiểm tra lâu dài (chuỗi chứng thư, CRL đã nhập; dấu thời gian nếu có máy chủ)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_sign)

    p = sub.add_parser("sign-image", help="chọn ảnh chữ ký/con dấu (PNG nền trong suốt) lưu trong tài liệu")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--role", required=True, choices=ROLE_CHOICES, help="ảnh của ai: chu-tich, thu-truong, don-vi (con dấu)")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--set", type=Path, metavar="PNG", help="tệp ảnh PNG")
    g.add_argument("--clear", action="store_true", help="bỏ ảnh đã lưu")
    p.set_defaults(func=cmd_sign_image)


def cmd_sign(a: argparse.Namespace) -> int:
    from khoiapp.appconfig import load
    from khoiapp.cli.export_cmds import _secret
    from khoiapp.services.cosign import cosign_dossier
    from khoiapp.services.signing import open_p12_signer, open_pkcs11_signer

    image = None
    if a.image is not None:
        try:
            image = a.image.read_bytes()
        except OSError as exc:
            raise BadInputError(f"Không đọc được tệp ảnh «{a.image}» ({exc.strerror}). Hãy kiểm tra lại đường dẫn.") from None
    try:
        ts = load().timestamp_url or None
    except Exception:  # noqa: BLE001 - an unreadable settings file must not stop signing
        ts = None
    if a.p12 is not None:
        if a.token or a.key or a.pin_env:
            raise BadInputError("Ký bằng tệp .p12 không dùng --token, --key, --pin-env. Hãy bỏ các tham số này.")
        opener = open_p12_signer(a.p12, _secret(a.pass_env, "--pass-env", "mật khẩu tệp chứng thư số"))
    else:
        if not (a.token and a.key):
            raise BadInputError("Ký bằng USB token cần --token LABEL và --key LABEL.")
        opener = open_pkcs11_signer(a.pkcs11, a.token, a.key, _secret(a.pin_env, "--pin-env", "mã PIN của token"))
    with opener as handle:
        res = cosign_dossier(a.dossier, a.out, handle, a.field, image=image, lt=a.lt, timestamp_url=ts)
    if a.json:
        emit_json(res)
        return 0
    say(f"Đã ký ô «{a.field}» của hồ sơ: {res.path}")
    org = f" — {res.signer_org}" if res.signer_org and res.signer_org != res.signer else ""
    say(f"  Người ký: {res.signer}{org}")
    say(f"  Hồ sơ có {res.signatures} chữ ký; kiểm tra bằng lệnh: verify {res.path}")
    for w in res.warnings:
        say(f"  Lưu ý: {w}")
    return 0


def cmd_sign_image(a: argparse.Namespace) -> int:
    from khoiapp.db import open_document
    from khoiapp.services.signing_settings import clear_image, images, set_image

    with open_document(a.file) as doc:
        if a.clear:
            clear_image(doc, a.role)
            say(f"Đã bỏ ảnh của ô «{a.role}».")
            return 0
        set_image(doc, a.role, a.set)
        v = images(doc)[a.role]
    say(f"Đã lưu ảnh «{v.file_name}» ({v.size[0]} × {v.size[1]} điểm ảnh) cho ô «{a.role}» trong tài liệu.")
    return 0
