"""Real dossiers exported from the demo document: import after the certificate expired, the bloc
summary and a certificate of another organisation, images and the signing choice kept per document."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from khoiapp.cli import main as cli_main
from khoiapp.db import open_document
from khoiapp.errors import SigningError
from khoiapp.services import signing_settings, summary, trust
from khoiapp.services.cosign import cosign_dossier
from khoiapp.services.export import SignRequest, export_dossier
from khoiapp.services.importer import import_new
from khoiapp.services.signing import ROLE_HEAD, ROLE_UNIT, open_p12_signer, sign_pdf_file
from khoiapp.services.verify import verify_dossier
from tests.pki3 import UNIT, Pki3, pki3  # noqa: F401 - fixtures

YEAR = 2026
CLOCK = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
UTC = dt.timezone.utc


def signature_png(color: tuple[int, int, int], size: tuple[int, int] = (600, 260)) -> bytes:
    """A handwritten-looking stroke on a transparent background, with an EXIF-free PNG."""
    im = Image.new("RGBA", size, (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    w, h = size
    pts = [(int(w * (0.08 + 0.84 * i / 40)), int(h * (0.55 + 0.3 * ((-1) ** i) * (i % 7) / 7))) for i in range(41)]
    d.line(pts, fill=(*color, 255), width=7, joint="curve")
    d.line([(int(w * 0.15), int(h * 0.8)), (int(w * 0.85), int(h * 0.7))], fill=(*color, 255), width=5)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def seal_png(size: int = 500) -> bytes:
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    red = (200, 20, 20, 235)
    d.ellipse((8, 8, size - 8, size - 8), outline=red, width=14)
    d.ellipse((50, 50, size - 50, size - 50), outline=red, width=6)
    d.regular_polygon((size // 2, size // 2, size // 6), 5, fill=red)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def unsigned(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """The demo document's dossier, exported unsigned once."""
    d = tmp_path_factory.mktemp("unsigned")
    path = d / "demo.khoi"
    shutil.copyfile(demo_template, path)
    out = d / "ho-so.pdf"
    with open_document(path, read_only=True) as doc:
        export_dossier(doc, YEAR, out, clock=CLOCK)
    return out


def test_since_expired_certificate_imports_without_accepting_unverified(
    unsigned: Path, pki3: Pki3, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signed = tmp_path / "nam-truoc.pdf"
    with open_p12_signer(pki3.expired.p12, pki3.password) as h:
        sign_pdf_file(unsigned, signed, h, role=ROLE_UNIT, unit_name=UNIT,
                      signing_time=dt.datetime.now(UTC) - dt.timedelta(days=60))  # fmt: skip
    trust.add_trusted(pki3.root_pem)
    res = import_new(signed, tmp_path / "nam-moi.khoi")
    assert res.verdict == "ok" and not res.unverified
    assert any("hợp lệ tại thời điểm ký" in n for n in res.notes), res.notes

    rc = cli_main(["import", str(signed), "--new", str(tmp_path / "nam-moi-2.khoi")])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "Chữ ký số: hợp lệ, người ký được tin cậy." in out
    assert "Lưu ý: Chữ ký hợp lệ tại thời điểm ký" in out


def test_summary_does_not_count_a_dossier_sealed_by_another_organisation(
    unsigned: Path, pki3: Pki3, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with open_p12_signer(pki3.unit.p12, pki3.password) as h:
        sign_pdf_file(unsigned, inbox / "01-dung.pdf", h, role=ROLE_UNIT, unit_name=UNIT)
    with open_p12_signer(pki3.other.p12, pki3.password) as h:
        sign_pdf_file(unsigned, inbox / "02-cong-ty-khac.pdf", h, role=ROLE_UNIT, unit_name=UNIT)
    s = summary.summarise([inbox], trust=[pki3.root_pem.read_bytes()])
    rows = {r.file: r for r in s.rows}
    assert rows["01-dung.pdf"].status == summary.COUNTED
    other = rows["02-cong-ty-khac.pdf"]
    assert other.status == summary.FOREIGN and not other.counted
    assert other.reason.startswith("Chữ ký không thuộc đơn vị") and "Công ty Không Liên Quan" in other.reason
    assert s.totals.counted == 1
    # accepting untrusted signatures does not make a foreign one count
    s2 = summary.summarise([inbox], trust=[pki3.root_pem.read_bytes()], accept_untrusted=True)
    assert s2.totals.counted == 1


def test_export_puts_images_in_the_boxes_and_the_head_countersigns_later(
    demo_copy: Path, pki3: Pki3, tmp_path: Path
) -> None:
    pngs = {"chu-tich": signature_png((20, 40, 160)), "thu-truong": signature_png((10, 30, 140)), "don-vi": seal_png()}
    with open_document(demo_copy) as doc:
        for role, data in pngs.items():
            (tmp_path / f"{role}.png").write_bytes(data)
            signing_settings.set_image(doc, role, tmp_path / f"{role}.png")
        out = tmp_path / "ho-so.pdf"
        res = export_dossier(doc, YEAR, out, clock=CLOCK,
                             sign=SignRequest(p12_path=pki3.chair.p12, password=pki3.password))  # fmt: skip
        assert res.warnings == ()
        choice = signing_settings.signing_choice(doc)
    assert choice is not None and choice.p12_path == str(pki3.chair.p12) and choice.role == "chu-tich"
    assert choice.cert_subject == "Nguyễn Thị Hồng Nhung"

    # on the head's computer, with only the PDF
    with open_p12_signer(pki3.head.p12, pki3.password) as h:
        r2 = cosign_dossier(out, tmp_path / "2.pdf", h, ROLE_HEAD)
    with open_p12_signer(pki3.unit.p12, pki3.password) as h:
        r3 = cosign_dossier(tmp_path / "2.pdf", tmp_path / "3.pdf", h, ROLE_UNIT)
    assert (r2.signatures, r3.signatures) == (2, 3)
    rep = verify_dossier(tmp_path / "3.pdf", [pki3.root_pem], use_trust_store=False, crls=[pki3.crl, pki3.root_crl])
    assert rep.verdict == "ok", rep.problems
    assert [c.role for c in rep.signatures] == ["chu-tich", "thu-truong", "don-vi"]
    # the head's and the seal's images came from the document through the pre-made fields
    assert _widgets_showing_an_image(tmp_path / "3.pdf") == {"KhoiChuTich", "KhoiThuTruong", "KhoiDonVi"}


def _widgets_showing_an_image(path: Path) -> set[str]:
    """Signature fields whose appearance draws an image XObject somewhere inside."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    def has_image(obj: object, depth: int = 0) -> bool:
        if depth > 8:
            return False
        obj = obj.get_object() if isinstance(obj, generic.IndirectObject) else obj
        if isinstance(obj, generic.DictionaryObject):
            if obj.get("/Subtype") == "/Image":
                return True
            return any(has_image(v, depth + 1) for k, v in obj.items() if k in ("/AP", "/N", "/Resources", "/XObject")
                       or str(k).startswith("/"))
        return False

    out = set()
    with open(path, "rb") as f:
        for ref in PdfFileReader(f).root["/AcroForm"]["/Fields"]:
            field = ref.get_object()
            if has_image(field.get("/AP")):
                out.add(str(field["/T"]))
    return out


def test_signing_choice_is_never_shared_across_documents(demo_template: Path, pki3: Pki3, tmp_path: Path) -> None:
    a, b = tmp_path / "a.khoi", tmp_path / "b.khoi"
    shutil.copyfile(demo_template, a)
    shutil.copyfile(demo_template, b)
    with open_document(a) as doc:
        signing_settings.remember_choice(doc, signing_settings.SigningChoiceView(
            method="p12", p12_path="D:/chung-thu/so-van-hoa.p12", pkcs11_lib="", token_label="", key_label="",
            cert_fingerprint="ab" * 32, cert_subject="Sở Văn hóa", role="don-vi"))  # fmt: skip
        assert signing_settings.signing_choice(doc) is not None
    with open_document(b) as doc:
        assert signing_settings.signing_choice(doc) is None
        assert signing_settings.images(doc) == {}


def test_export_warns_when_the_certificate_does_not_name_the_unit(demo_copy: Path, pki3: Pki3, tmp_path: Path) -> None:
    with open_document(demo_copy) as doc:
        res = export_dossier(doc, YEAR, tmp_path / "x.pdf", clock=CLOCK,
                             sign=SignRequest(p12_path=pki3.other.p12, password=pki3.password, role="don-vi"))  # fmt: skip
    assert len(res.warnings) == 1 and "Chữ ký không thuộc đơn vị" in res.warnings[0]


def test_image_that_is_not_a_png_is_refused(demo_copy: Path, tmp_path: Path) -> None:
    jpg = tmp_path / "chu-ky.jpg"
    Image.new("RGB", (300, 120), "white").save(jpg, "JPEG")
    with open_document(demo_copy) as doc:
        with pytest.raises(SigningError) as exc:
            signing_settings.set_image(doc, "chu-tich", jpg)
        assert "không phải ảnh PNG" in exc.value.message
        assert signing_settings.images(doc) == {}


def test_cosign_refuses_a_dossier_changed_after_signing(unsigned: Path, pki3: Pki3, tmp_path: Path) -> None:
    signed = tmp_path / "1.pdf"
    with open_p12_signer(pki3.chair.p12, pki3.password) as h:
        sign_pdf_file(unsigned, signed, h, role="chu-tich", unit_name=UNIT)
    data = bytearray(signed.read_bytes())
    at = data.index(b"/Author")
    data[at + 10] ^= 0x01
    bad = tmp_path / "sua.pdf"
    bad.write_bytes(bytes(data))
    with pytest.raises(SigningError) as exc, open_p12_signer(pki3.head.p12, pki3.password) as h:
        cosign_dossier(bad, tmp_path / "2.pdf", h, ROLE_HEAD)
    assert "không ký tiếp" in exc.value.message
    assert not (tmp_path / "2.pdf").exists()
