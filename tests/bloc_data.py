"""A bloc of 30 units over 2021–2023 with known results, activities and awards, as signed dossiers.

Each dossier is a real Khối dossier as far as the receiving side sees it: a payload built by the
export code from a demo document (then given this unit's name, results and figures), attached and
signed by the export's own code, on a one-page PDF instead of the full rendering (which would cost
two seconds a dossier).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

YEARS = (2021, 2022, 2023)
PASSWORD = "mat-khau-khoi"
TYPES = ("co-quan", "don-vi", "doanh-nghiep")
TYPE_LABELS = {"co-quan": "Cơ quan", "don-vi": "Đơn vị", "doanh-nghiep": "Doanh nghiệp"}
LEVELS = ("ubnd-tinh", "btv-dang-uy-khoi", "cap-uy-co-so", "khac")
N_UNITS = 30
MISSING = (28, 29, 30)  # sent nothing
IMPOSTOR = 27  # its 2023 dossier is signed by another certificate than the one pinned on the list
ONLY_2023 = range(21, 27)  # no earlier years
PINNED = (1, 2, 3, IMPOSTOR)  # units whose list row carries the certificate fingerprint

_NAMES = (
    "Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa",
    "Sở Tư pháp tỉnh Thanh Hóa",
    "Sở Kế hoạch và Đầu tư tỉnh Thanh Hóa",
    "Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp",
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
    "Sở Tài nguyên và Môi trường tỉnh Thanh Hóa",
    "Sở Lao động – Thương binh và Xã hội tỉnh Thanh Hóa",
    "Sở Giao thông Vận tải tỉnh Thanh Hóa",
    "Sở Nông nghiệp và Phát triển nông thôn tỉnh Thanh Hóa",
    "Thanh tra tỉnh Thanh Hóa",
    "Trường Cao đẳng Y tế Thanh Hóa",
    "Bệnh viện Đa khoa tỉnh Thanh Hóa",
    "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa",
    "Đài Phát thanh và Truyền hình Thanh Hóa",
    "Báo Thanh Hóa",
    "Trường Đại học Hồng Đức",
    "Bệnh viện Nhi Thanh Hóa",
    "Trung tâm Kiểm soát bệnh tật tỉnh Thanh Hóa",
    "Thư viện tỉnh Thanh Hóa",
    "Bảo tàng tỉnh Thanh Hóa",
    "Công ty Cổ phần Cấp nước Thanh Hóa",
    "Công ty TNHH MTV Sông Chu",
    "Công ty Cổ phần Môi trường và Công trình đô thị Thanh Hóa",
    "Công ty Điện lực Thanh Hóa",
    "Ngân hàng Nhà nước Chi nhánh tỉnh Thanh Hóa",
    "Công ty Cổ phần Xi măng Công Thanh",
    "Công ty TNHH Thương mại và Dịch vụ Lam Sơn",
    "Công ty Cổ phần In Thanh Hóa",
    "Công ty Cổ phần Vận tải ô tô Thanh Hóa",
    "Công ty TNHH MTV Xổ số kiến thiết Thanh Hóa",
)


def name(i: int) -> str:
    return _NAMES[i - 1]


def short_name(i: int) -> str:
    return f"ĐV{i:02d}"


def utype(i: int) -> str:
    return TYPES[(i - 1) // 10]


def years_of(i: int) -> tuple[int, ...]:
    if i in MISSING:
        return ()
    if i in ONLY_2023 or i == IMPOSTOR:
        return (2023,)
    return YEARS


def result(i: int, year: int) -> str:
    """Known results: a unit's standing rises over the years for some, falls for one."""
    if year == 2023:
        if i <= 6 or i == 21:
            return "kieu-mau"
        if i <= 16 or i in (22, 23):
            return "dat-chuan-van-hoa"
        return "chua-dat"
    if year == 2022:
        return "kieu-mau" if i <= 3 else ("dat-chuan-van-hoa" if i <= 12 else "chua-dat")
    return "dat-chuan-van-hoa" if i <= 8 else "chua-dat"


RESULT_LABELS = {"kieu-mau": "Kiểu mẫu", "dat-chuan-van-hoa": "Đạt chuẩn văn hóa", "chua-dat": "Chưa đạt chuẩn"}


def points(i: int, year: int) -> int:
    return 60 + i + 5 * (year - 2021)


def activities(i: int, year: int) -> dict[str, dict[str, int]]:
    k = year - 2020
    return {
        "hoi-nghi-tuyen-truyen": {"count": i % 5 + k, "participants": 40 * i + 10 * k, "quantity": 0},
        "noi-chuyen": {"count": 1 + (i % 2), "participants": 25 + i, "quantity": 0},
        "tin-bai": {"count": 1, "participants": 0, "quantity": 10 + i + k},
        "ke-hoach-lam-theo-bac": {"count": 1, "participants": 0, "quantity": 3 + i % 4},
        "cam-ket-dang-vien": {"count": 1, "participants": 10 + i, "quantity": 2 * (10 + i)},
    }


def awards(i: int, year: int) -> list[tuple[str, str, bool]]:
    """(kind, level, collective) of the unit's awards in the year."""
    out = [("giay-khen", LEVELS[(i + year) % 4], True)]
    if i % 3 == 0:
        out.append(("bang-khen", "ubnd-tinh", False))
    if i % 4 == 0:
        out.append(("bieu-duong", "cap-uy-co-so", False))
        out.append(("bieu-duong", "cap-uy-co-so", False))
    return out


def met_codes(i: int, year: int, codes: list[str]) -> set[str]:
    """Criteria met: all but a few that depend on the unit (so the rates differ per criterion)."""
    out = set()
    for n, c in enumerate(codes):
        if (i + n) % (3 + n % 5) != 0 or result(i, year) == "kieu-mau":
            out.add(c)
    return out


@dataclass
class Bloc:
    folder: Path
    unit_list: Path
    cert_pem: bytes
    impostor_pem: bytes
    fingerprint: str
    codes: list[str]
    files: dict[str, Path] = field(default_factory=dict)


def _payload(base: dict[str, Any], i: int, year: int, *, unit_name: str | None = None) -> dict[str, Any]:
    from khoiapp.services.content import ACTIVITY_KINDS, AWARD_KINDS

    p = copy.deepcopy(base)
    p["unit"]["name"] = unit_name or name(i)
    p["unit"]["short_name"] = "" if unit_name else short_name(i)
    p["unit"]["unit_type"] = utype(i)
    p["unit"]["unit_type_label"] = TYPE_LABELS[utype(i)]
    p["period"].update(year_start=year, year_end=year, label=str(year), registered_on=f"{year}-01-15")
    p["created_at"] = f"{year}-11-20T09:00:00+07:00"
    res = result(i, year)
    p["outcome"]["result"] = res
    p["outcome"]["result_label"] = RESULT_LABELS[res]
    p["outcome"]["points"] = {"total": points(i, year), "max": 100}
    met = met_codes(i, year, [r["code"] for r in p["results"]])
    for r in p["results"]:
        r["status"] = "dat" if r["code"] in met else "chua-dat"
        r["status_label"] = "Đạt" if r["code"] in met else "Chưa đạt"
        r["evidence"] = []
    p["evidence"] = []
    p["manifest"] = []
    acts = activities(i, year)
    p["activity_totals"] = acts
    p["activities"] = [
        {"kind": k, "kind_label": ACTIVITY_KINDS[k], "title": f"{ACTIVITY_KINDS[k]} năm {year}", "held_on": None,
         "participants": v["participants"] or None, "quantity": v["quantity"] or None, "note": ""}
        for k, v in acts.items()
    ]  # fmt: skip
    p["awards"] = [
        {"kind": kind, "kind_label": AWARD_KINDS[kind], "content": "Có thành tích xuất sắc", "issuer": "",
         "number": f"{n + 1}/QĐ", "issued_on": f"{year}-06-01", "holder": name(i) if coll else "Nguyễn Văn An",
         "collective": coll, "issuer_level": level}
        for n, (kind, level, coll) in enumerate(awards(i, year))
    ]  # fmt: skip
    return p


def _one_page(unit: str, year: int) -> bytes:
    from reportlab.pdfgen import canvas

    from khoiapp.pdf.fonts import register_fonts

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, initialFontName=register_fonts())
    c.setFont(register_fonts(), 13)
    c.drawString(72, 760, f"BÁO CÁO TỰ ĐÁNH GIÁ NĂM {year}")
    c.drawString(72, 740, unit)
    c.showPage()
    c.save()
    return buf.getvalue()


def write_dossier(payload: dict[str, Any], out: Path, handle: Any) -> Path:
    """Attach the payload and sign, with the export's own code."""
    from khoiapp.services import export, signing
    from khoiapp.services.payload import payload_bytes

    tmp = out.with_suffix(".tmp")
    with open(tmp, "w+b") as fh:
        fh.write(_one_page(payload["unit"]["name"], payload["period"]["year_end"]))
        fh.flush()
        export._append_attachments(
            fh, None, payload_bytes(payload), [], payload, step=lambda n: None, cancelled=lambda: None  # type: ignore[arg-type]
        )
    if handle is None:
        tmp.replace(out)
    else:
        signing.sign_pdf_file(tmp, out, handle, unit_name=payload["unit"]["name"])
        tmp.unlink()
    return out


def base_payload(work: Path) -> dict[str, Any]:
    from khoiapp.db import open_document
    from khoiapp.services.demo import build_demo
    from khoiapp.services.payload import build_payload

    path = build_demo(work / "demo.khoi", year=2023)
    doc = open_document(path)
    try:
        return build_payload(doc, 2023, clock=dt.datetime(2023, 11, 20, 9, 0, tzinfo=dt.timezone.utc), draft=False)
    finally:
        doc.close()


STRAY_NAME = "Hội Văn học Nghệ thuật tỉnh Thanh Hóa"


def _ca() -> tuple[Any, Any]:
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.pki3 import _name, issue

    key = ec.generate_private_key(ec.SECP256R1())
    return key, issue(_name("Khối Test Bloc CA", "Khối Test"), key, None, key, ca=True)


def _fit(text: str, limit: int = 64) -> str:
    """``text`` cut at a word so that it fits an X.509 name attribute (64 bytes of UTF-8)."""
    while len(text.encode("utf-8")) > limit:
        text = text.rsplit(" ", 1)[0] if " " in text else text[:-1]
    return text


def _issue_p12(path: Path, unit: str, ca: Any, ca_key: Any, short: str = "", cn: str = "") -> Path:
    """An ECDSA organisation certificate for ``unit``, issued by the test CA, as a .p12.

    CN is the unit's name (cut to the 64 bytes X.509 allows, as CAs do), O its short name when the
    full name does not fit, so the receiver can still tell the unit.
    """
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from tests.pki3 import _name, issue

    key = ec.generate_private_key(ec.SECP256R1())
    org = unit if len(unit.encode("utf-8")) <= 64 else (short or _fit(unit))
    cert = issue(_name(cn or _fit(unit), org), key, ca, ca_key)
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            unit.encode(), key, cert, [ca], BestAvailableEncryption(PASSWORD.encode())
        )
    )
    return path


def build_bloc(base_dir: Path) -> Bloc:
    from cryptography.hazmat.primitives.serialization import Encoding

    from khoiapp.bloc.units import BlocUnit, write_unit_list
    from khoiapp.services import signing

    work = base_dir / "work"
    folder = base_dir / "inbox"
    work.mkdir()
    folder.mkdir()
    base = base_payload(work)
    codes = [r["code"] for r in base["results"]]
    # One test CA (trusted by the tests) issues the bloc body's certificate and one per unit, naming
    # the unit as Vietnamese organisation certificates do; the impostor's names unit IMPOSTOR too but
    # is another key than the one pinned on the bloc's list.
    ca_key, ca = _ca()
    p12 = _issue_p12(work / "khoi.p12", "Đảng ủy Khối thử nghiệm", ca, ca_key)
    # the impostor: a person's certificate that names the unit's short name as its organisation
    other = _issue_p12(work / "gia-mao.p12", name(IMPOSTOR), ca, ca_key, short_name(IMPOSTOR), cn="Người ký khác")
    unit_p12 = {
        i: _issue_p12(work / f"don-vi-{i:02d}.p12", name(i), ca, ca_key, short_name(i)) for i in range(1, N_UNITS + 1)
    }
    unit_p12[0] = _issue_p12(work / "ngoai-danh-sach.p12", STRAY_NAME, ca, ca_key)
    fprs = {i: signing.fingerprint_sha256(signing.load_certificate_from_p12(f, PASSWORD)) for i, f in unit_p12.items()}
    cert2 = signing.load_certificate_from_p12(other, PASSWORD)
    bloc = Bloc(
        folder=folder,
        unit_list=base_dir / "danh-sach-don-vi.xlsx",
        cert_pem=ca.public_bytes(Encoding.PEM),
        impostor_pem=cert2.public_bytes(Encoding.PEM),
        fingerprint=fprs[1],
        codes=codes,
    )
    units = [
        BlocUnit(name=name(i), short_name=short_name(i), unit_type=utype(i), fingerprints=(fprs[i],) if i in PINNED else ())
        for i in range(1, N_UNITS + 1)
    ]
    write_unit_list(tuple(units), bloc.unit_list)
    for i in range(1, N_UNITS + 1):
        if i == IMPOSTOR:
            continue
        with signing.open_p12_signer(unit_p12[i], PASSWORD) as handle:
            for y in years_of(i):
                f = folder / f"{y}-{i:02d}.pdf"
                write_dossier(_payload(base, i, y), f, handle)
                bloc.files[f"{y}-{i:02d}"] = f
            if i == 1:
                # unit 1 sent its 2023 dossier twice: the later signature counts (same figures, later time)
                later = _payload(base, 1, 2023)
                later["created_at"] = "2023-11-25T09:00:00+07:00"
                bloc.files["dup"] = write_dossier(later, folder / "2023-01-ban-sua.pdf", handle)
    with signing.open_p12_signer(unit_p12[0], PASSWORD) as handle:
        # a unit that is not on the bloc's list
        stray = _payload(base, 5, 2023, unit_name=STRAY_NAME)
        bloc.files["stray"] = write_dossier(stray, folder / "2023-ngoai-danh-sach.pdf", handle)
    with signing.open_p12_signer(other, PASSWORD) as handle:
        bloc.files["impostor"] = write_dossier(_payload(base, IMPOSTOR, 2023), folder / f"2023-{IMPOSTOR}.pdf", handle)
    data = bytearray(bloc.files["2023-02"].read_bytes())
    at = data.index(b"/Producer")  # inside revision 1, covered by the signature
    data[at + 3] ^= 0x01
    bloc.files["tampered"] = folder / "2023-02-sua.pdf"
    bloc.files["tampered"].write_bytes(bytes(data))
    return bloc
