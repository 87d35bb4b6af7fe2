"""Several signatures in one dossier, real chains, long-term validity, who signed for whom.

The PKI is root → intermediate → signers (tests/pki3.py); only the root is ever trusted.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from khoiapp.cli import main as cli_main
from khoiapp.errors import SigningError, TrustListError
from khoiapp.pdf.signature_stamps import seal_box
from khoiapp.services import signing, trust
from khoiapp.services.signing import (
    ROLE_CHAIR,
    ROLE_HEAD,
    ROLE_UNIT,
    SignatureLayout,
    VisibleSignature,
    open_p12_signer,
    open_pkcs11_signer,
    sign_pdf_file,
)
from khoiapp.services.verify import verify_dossier
from tests.pki3 import OTHER_ORG, UNIT, Pki3, pki3, pki3_token  # noqa: F401 - fixtures
from tests.softhsm import (  # noqa: F401 - fixtures
    SoftHsmToken,
    build_dossier,
    embed_attachment,
    nss_db,
    pdfsig,
    pki,
    softhsm_token,
)

UTC = dt.timezone.utc
CHAIR_BOX = VisibleSignature(page=0, box=(330, 60, 550, 140), signer_label="")
HEAD_BOX = VisibleSignature(page=0, box=(330, 200, 530, 280), signer_label="")
LAYOUT = SignatureLayout(
    boxes={ROLE_CHAIR: CHAIR_BOX, ROLE_HEAD: HEAD_BOX, ROLE_UNIT: VisibleSignature(0, seal_box(HEAD_BOX.box), "")},
    images={},
)
UNIT_PAYLOAD = {"unit": {"name": UNIT, "short_name": "TTDVVH Thanh Hóa"}}


def _dossier(path: Path) -> Path:
    return build_dossier(path, payload_extra=UNIT_PAYLOAD)


def _sign_p12(src: Path, out: Path, p12: Path, password: str, role: str, **kw: object) -> Path:
    with open_p12_signer(p12, password) as h:
        sign_pdf_file(src, out, h, role=role, layout=LAYOUT, unit_name=UNIT, **kw)
    return out


@pytest.fixture(scope="module")
def three(pki3: Pki3, pki3_token: SoftHsmToken, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The chair signs with a .p12, the head with the token, the unit seals with its .p12."""
    d = tmp_path_factory.mktemp("three")
    s1 = _sign_p12(_dossier(d / "ho-so.pdf"), d / "1.pdf", pki3.chair.p12, pki3.password, ROLE_CHAIR)
    lib, token_label, key_label, pin = pki3_token
    with open_pkcs11_signer(lib, token_label, key_label, pin) as h:
        sign_pdf_file(s1, d / "2.pdf", h, role=ROLE_HEAD, unit_name=UNIT)
    return _sign_p12(d / "2.pdf", d / "3.pdf", pki3.unit.p12, pki3.password, ROLE_UNIT)


def _verify(path: Path, pki3: Pki3, *, crls: bool = True) -> object:
    return verify_dossier(
        path, [pki3.root_pem], use_trust_store=False, crls=[pki3.crl, pki3.root_crl] if crls else []
    )


def test_three_signatures_in_order_valid_and_trusted_with_only_the_root(three: Path, pki3: Pki3) -> None:
    r = _verify(three, pki3)
    assert r.verdict == "ok", r.problems
    assert r.problems == () and r.warnings == ()
    assert [c.role for c in r.signatures] == [ROLE_CHAIR, ROLE_HEAD, ROLE_UNIT]
    assert [c.signer for c in r.signatures] == ["Nguyễn Thị Hồng Nhung", "Trần Quốc Bảo", UNIT]
    assert [c.certifies for c in r.signatures] == [True, False, False]
    assert [c.later_changes for c in r.signatures] == ["signatures", "signatures", "none"]
    assert all(c.trusted and c.revocation == "good" for c in r.signatures)
    assert r.unit_signed is True
    assert all(c.signing_time and c.signing_time.endswith("+07:00") for c in r.signatures)


def test_pdfsig_says_three_signatures_valid_and_trusted(three: Path, pki3: Pki3, tmp_path: Path) -> None:
    ps = pdfsig(three, nss_db(tmp_path / "nss", pki3.root_pem))
    assert ps.text.count("Signature is Valid.") == 3, ps.text
    assert ps.text.count("Certificate is Trusted.") == 3, ps.text
    assert ps.text.count("Total document signed") == 1  # the seal, last, covers the whole file


def test_token_signature_embeds_the_intermediate_found_on_the_token(three: Path, pki3: Pki3) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    inter_der = pki3.inter.public_bytes(Encoding.DER)
    with open(three, "rb") as f:
        head = [s for s in PdfFileReader(f).embedded_signatures if s.field_name == "KhoiThuTruong"][0]
        assert inter_der in [c.dump() for c in head.other_embedded_certs]


def test_first_signature_certifies_allowing_only_form_filling(three: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import MDPPerm

    with open(three, "rb") as f:
        first = PdfFileReader(f).embedded_signatures
        chair = [s for s in first if s.field_name == "KhoiChuTich"][0]
        assert chair.docmdp_level == MDPPerm.FILL_FORMS


def _append_page_change(src: Path, out: Path) -> Path:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    data = io.BytesIO(src.read_bytes())
    w = IncrementalPdfFileWriter(data)
    page_ref = w.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    stream = w.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (Da sua) Tj ET"))
    old = page.raw_get("/Contents")
    page["/Contents"] = generic.ArrayObject([old, stream])
    w.update_container(page)
    buf = io.BytesIO()
    w.write(buf)
    out.write_bytes(buf.getvalue())
    return out


def test_a_change_after_the_last_signature_is_caught(three: Path, pki3: Pki3, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(three.read_bytes()))
    embed_attachment(w, "bien-ban-gia.pdf", b"%PDF-1.4 fake minutes")
    buf = io.BytesIO()
    w.write(buf)
    bad = tmp_path / "sua.pdf"
    bad.write_bytes(buf.getvalue())
    r = _verify(bad, pki3)
    assert r.verdict == "invalid"
    assert r.modified_after_signing is True
    assert any("bien-ban-gia.pdf" in c for c in r.changes), r.changes
    assert r.signatures[-1].later_changes == "other"


def test_a_change_between_signatures_is_caught(pki3: Pki3, tmp_path: Path) -> None:
    s1 = _sign_p12(_dossier(tmp_path / "d.pdf"), tmp_path / "1.pdf", pki3.chair.p12, pki3.password, ROLE_CHAIR)
    changed = _append_page_change(s1, tmp_path / "1b.pdf")
    s2 = _sign_p12(changed, tmp_path / "2.pdf", pki3.head.p12, pki3.password, ROLE_HEAD)
    r = _verify(s2, pki3)
    assert r.verdict == "invalid"
    assert r.signatures[0].later_changes == "other"
    assert any("trang 1" in c for c in r.signatures[0].changes), r.signatures[0].changes


def test_a_role_signed_twice_is_refused_and_nothing_written(three: Path, pki3: Pki3, tmp_path: Path) -> None:
    out = tmp_path / "lan-2.pdf"
    with pytest.raises(SigningError) as exc, open_p12_signer(pki3.head.p12, pki3.password) as h:
        sign_pdf_file(three, out, h, role=ROLE_HEAD, unit_name=UNIT)
    assert "đã có chữ ký của thủ trưởng đơn vị" in exc.value.message
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_b_lt_file_made_with_pyhanko_passes(pki3: Pki3, tmp_path: Path) -> None:
    """pyHanko adds the validation data (DSS) in a revision after the signature."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator import ValidationContext

    src = _dossier(tmp_path / "d.pdf")
    vc = ValidationContext(
        trust_roots=trust.parse_certificates(pki3.root_pem.read_bytes()),
        crls=[pki3.crl.read_bytes(), pki3.root_crl.read_bytes()],
        allow_fetching=False,
    )
    signer = signers.SimpleSigner.load_pkcs12(str(pki3.unit.p12), passphrase=pki3.password.encode())
    assert signer is not None
    out = tmp_path / "b-lt.pdf"
    with open(src, "rb") as f:
        w = IncrementalPdfFileWriter(f)
        meta = signers.PdfSignatureMetadata(
            field_name="KhoiDonVi", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            embed_validation_info=True, validation_context=vc,
        )  # fmt: skip
        with open(out, "wb") as o:
            signers.sign_pdf(w, meta, signer=signer, output=o)
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(out, "rb") as f:
        rd = PdfFileReader(f)
        assert rd.xrefs.total_revisions - 1 > rd.embedded_signatures[0].signed_revision  # DSS after it
    r = _verify(out, pki3, crls=False)
    assert r.verdict == "ok", r.problems
    assert r.signatures[0].later_changes == "validation-data"
    assert r.modified_after_signing is False
    assert r.signatures[0].revocation == "good"  # from the CRLs pyHanko put in /DSS


def test_sign_lt_adds_validation_data_and_stays_valid(pki3: Pki3, tmp_path: Path) -> None:
    src = _dossier(tmp_path / "d.pdf")
    out = _sign_p12(
        src, tmp_path / "lt.pdf", pki3.chair.p12, pki3.password, ROLE_CHAIR, lt=True,
        trust=trust.parse_certificates(pki3.root_pem.read_bytes()),
        crls=[pki3.crl.read_bytes(), pki3.root_crl.read_bytes()],
    )  # fmt: skip
    assert b"/DSS" in out.read_bytes()
    r = _verify(out, pki3, crls=False)
    assert r.verdict == "ok", r.problems
    # the CRLs travel in the file: status is known without importing them on the receiver's side
    assert r.signatures[0].revocation == "good"
    assert r.warnings == ()


def test_revoked_signer_fails(pki3: Pki3, tmp_path: Path) -> None:
    out = _sign_p12(_dossier(tmp_path / "d.pdf"), tmp_path / "r.pdf", pki3.revoked.p12, pki3.password, ROLE_CHAIR)
    r = _verify(out, pki3)
    assert r.verdict == "invalid"
    assert r.signatures[0].revocation == "revoked"
    assert any("thu hồi" in p for p in r.problems), r.problems


def test_no_revocation_status_is_a_warning_not_a_failure(three: Path, pki3: Pki3) -> None:
    r = _verify(three, pki3, crls=False)
    assert r.verdict == "ok"
    assert all(c.revocation == "unknown" for c in r.signatures)
    assert len(r.warnings) == 3 and all("tình trạng thu hồi" in w for w in r.warnings)


def test_since_expired_certificate_is_valid_at_signing_time(pki3: Pki3, tmp_path: Path) -> None:
    when = dt.datetime.now(UTC) - dt.timedelta(days=60)
    out = _sign_p12(
        _dossier(tmp_path / "d.pdf"), tmp_path / "e.pdf", pki3.expired.p12, pki3.password, ROLE_UNIT,
        signing_time=when,
    )  # fmt: skip
    r = _verify(out, pki3)
    assert r.verdict == "ok", r.problems
    c = r.signatures[0]
    assert c.valid_at_signing_only and c.time_source == "claimed"
    assert any("hợp lệ tại thời điểm ký" in w and "giờ trên máy người ký" in w for w in r.warnings), r.warnings


# --------------------------------------------------------------------------- CRL import


def test_crl_import_needs_its_issuer_and_its_signature(pki3: Pki3) -> None:
    trust.add_trusted(pki3.root_pem)
    with pytest.raises(TrustListError) as exc:
        trust.add_crl(pki3.crl)  # issued by the intermediate, which is not in the trust list
    assert "--issuer" in exc.value.message
    with pytest.raises(TrustListError) as exc:
        trust.add_crl(pki3.foreign_crl, pki3.inter_pem)
    assert "không do tổ chức cấp" in exc.value.message
    assert trust.list_crls() == []
    c = trust.add_crl(pki3.crl, pki3.inter_pem)
    assert c.revoked_count == 1 and c.issuer == "Khối Test CA cấp 2"
    trust.add_crl(pki3.root_crl)
    assert len(trust.list_crls()) == 2


def test_imported_crl_is_used_by_verify(pki3: Pki3, tmp_path: Path) -> None:
    trust.add_trusted(pki3.root_pem)
    trust.add_crl(pki3.crl, pki3.inter_pem)
    out = _sign_p12(_dossier(tmp_path / "d.pdf"), tmp_path / "r.pdf", pki3.revoked.p12, pki3.password, ROLE_CHAIR)
    assert verify_dossier(out).verdict == "invalid"


def test_not_a_crl_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.crl"
    bad.write_bytes(b"khong phai CRL")
    with pytest.raises(TrustListError) as exc:
        trust.add_crl(bad)
    assert "không phải danh sách chứng thư bị thu hồi" in exc.value.message


# --------------------------------------------------------------------------- who signed for whom


def test_unrelated_company_seal_is_not_the_units(pki3: Pki3, tmp_path: Path) -> None:
    out = _sign_p12(_dossier(tmp_path / "d.pdf"), tmp_path / "o.pdf", pki3.other.p12, pki3.password, ROLE_UNIT)
    r = _verify(out, pki3)
    assert r.verdict == "foreign"
    assert r.unit_signed is False
    assert any(p.startswith("Chữ ký không thuộc đơn vị") and OTHER_ORG in p for p in r.problems), r.problems


def test_unit_matched_by_tax_code_when_names_differ(pki3: Pki3, tmp_path: Path) -> None:
    from khoiapp.services.signatures import names_unit

    cert = trust.parse_certificates(pki3.unit.pem.read_bytes())[0]
    assert names_unit(cert, {"name": "TRUNG TAM DICH VU VAN HOA TINH THANH HOA"}) is True  # CAs drop diacritics
    assert names_unit(cert, {"name": "Đơn vị khác", "tax_code": "2901234567"}) is True
    assert names_unit(cert, {"name": "Đơn vị khác", "tax_code": "0100000001"}) is False


# --------------------------------------------------------------------------- CLI


def test_cli_sign_then_verify_lists_every_signature(
    pki3: Pki3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KHOI_P12_PASS", pki3.password)
    s1 = _sign_p12(_dossier(tmp_path / "d.pdf"), tmp_path / "1.pdf", pki3.chair.p12, pki3.password, ROLE_CHAIR)
    out = tmp_path / "2.pdf"
    rc = cli_main(["sign", str(s1), "--field", "thu-truong", "--p12", str(pki3.head.p12),
                   "--pass-env", "KHOI_P12_PASS", "--out", str(out)])  # fmt: skip
    text = capsys.readouterr().out
    assert rc == 0, text
    assert "Đã ký ô «thu-truong»" in text and "Trần Quốc Bảo" in text
    rc = cli_main(["verify", str(out), "--no-trust-store", "--trust", str(pki3.root_pem),
                   "--crl", str(pki3.crl), "--crl", str(pki3.root_crl)])  # fmt: skip
    text = capsys.readouterr().out
    assert rc == 0, text
    assert "Các chữ ký (2, theo thứ tự ký):" in text
    assert "1. Chủ tịch công đoàn: Nguyễn Thị Hồng Nhung" in text
    assert "2. Thủ trưởng đơn vị: Trần Quốc Bảo" in text
    assert "sau đó chỉ thêm chữ ký vào các ô ký dành sẵn" in text
    assert "chứng thực hồ sơ" in text


def test_cli_sign_same_role_again_exits_with_message(
    three: Path, pki3: Pki3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KHOI_P12_PASS", pki3.password)
    out = tmp_path / "x.pdf"
    rc = cli_main(["sign", str(three), "--field", "don-vi", "--p12", str(pki3.unit.p12),
                   "--pass-env", "KHOI_P12_PASS", "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert rc != 0 and "đã có chữ ký của đơn vị (con dấu)" in err
    assert not out.exists()


def test_cli_trust_add_crl(pki3: Pki3, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["trust", "add", str(pki3.root_pem)]) == 0
    assert cli_main(["trust", "add-crl", str(pki3.crl), "--issuer", str(pki3.inter_pem)]) == 0
    assert "1 chứng thư bị thu hồi" in capsys.readouterr().out
    assert cli_main(["trust", "crls"]) == 0
    assert "Khối Test CA cấp 2" in capsys.readouterr().out


# --------------------------------------------------------------------------- tokens


def test_token_certificates_listed_with_issuer_and_validity(pki3: Pki3, pki3_token: SoftHsmToken) -> None:
    from khoiapp.services.tokens import list_certificates

    certs = list_certificates(pki3_token.lib_path)
    head = [c for c in certs if c.key_label == "thu-truong"]
    assert len(head) == 1
    assert head[0].subject == "Trần Quốc Bảo" and head[0].issuer == "Khối Test CA cấp 2"
    assert head[0].not_before < dt.datetime.now(UTC) < head[0].not_after
    assert any(c.is_ca and c.subject == "Khối Test CA cấp 2" for c in certs)
    assert certs[-1].is_ca  # personal certificates first


def test_token_signs_rsa_pss_by_default_and_pkcs1_when_refused(
    pki3: Pki3, pki3_token: SoftHsmToken, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pkcs11 import exceptions as p11e
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.pkcs11 import PKCS11Signer

    def algo(path: Path) -> str:
        with open(path, "rb") as f:
            return str(PdfFileReader(f).embedded_signatures[0].signer_info["signature_algorithm"]["algorithm"].native)

    lib, token_label, key_label, pin = pki3_token
    src = _dossier(tmp_path / "d.pdf")
    with open_pkcs11_signer(lib, token_label, key_label, pin) as h:
        sign_pdf_file(src, tmp_path / "pss.pdf", h, role=ROLE_HEAD, layout=LAYOUT, unit_name=UNIT)
    assert algo(tmp_path / "pss.pdf") == "rsassa_pss"

    real = PKCS11Signer.async_sign_raw

    async def no_pss(self, data, digest_algorithm, dry_run=False):  # type: ignore[no-untyped-def]
        if self.prefer_pss:
            raise p11e.MechanismInvalid()
        return await real(self, data, digest_algorithm, dry_run)

    monkeypatch.setattr(PKCS11Signer, "async_sign_raw", no_pss)
    with open_pkcs11_signer(lib, token_label, key_label, pin) as h:
        sign_pdf_file(src, tmp_path / "v15.pdf", h, role=ROLE_HEAD, layout=LAYOUT, unit_name=UNIT)
    assert algo(tmp_path / "v15.pdf") == "sha256_rsa"
    assert _verify(tmp_path / "v15.pdf", pki3).signatures[0].valid


def test_pkcs11_drivers_of_vietnamese_cas_are_found(tmp_path: Path) -> None:
    from khoiapp.services.tokens import find_modules

    sys32 = tmp_path / "System32"
    vendor = tmp_path / "Program Files" / "VNPT-CA"
    for d in (sys32, vendor):
        d.mkdir(parents=True)
    (sys32 / "viettel-ca_v6.dll").write_bytes(b"MZ")
    (sys32 / "eps2003csp11.dll").write_bytes(b"MZ")
    (sys32 / "kernel32.dll").write_bytes(b"MZ")
    (vendor / "vnpt-ca_v34.dll").write_bytes(b"MZ")
    found = {m.path.name: m.vendor for m in find_modules([sys32, tmp_path / "Program Files"])}
    assert found == {"viettel-ca_v6.dll": "Viettel-CA", "eps2003csp11.dll": "Feitian ePass2003",
                     "vnpt-ca_v34.dll": "VNPT-CA"}  # fmt: skip


# --------------------------------------------------------------------------- old dossiers


def test_legacy_single_signature_dossier_cannot_be_countersigned(pki3: Pki3, tmp_path: Path) -> None:
    src = _dossier(tmp_path / "d.pdf")
    old = tmp_path / "cu.pdf"
    with open_p12_signer(pki3.unit.p12, pki3.password) as h:
        sign_pdf_file(src, old, h, unit_name=UNIT)  # the earlier format: one signature
    r = _verify(old, pki3)
    assert r.verdict == "ok" and r.signatures[0].role == signing.LEGACY_ROLE
    with pytest.raises(SigningError) as exc, open_p12_signer(pki3.head.p12, pki3.password) as h:
        sign_pdf_file(old, tmp_path / "x.pdf", h, role=ROLE_HEAD, unit_name=UNIT)
    assert "phiên bản Khối cũ" in exc.value.message


def test_unknown_role_is_bad_input(pki3: Pki3, tmp_path: Path) -> None:
    from khoiapp.errors import BadInputError

    with pytest.raises(BadInputError), open_p12_signer(pki3.head.p12, pki3.password) as h:
        sign_pdf_file(_dossier(tmp_path / "d.pdf"), tmp_path / "x.pdf", h, role="pho-chu-tich")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("flag", "words"),
    [("USER_PIN_FINAL_TRY", "chỉ còn MỘT lần thử"), ("USER_PIN_COUNT_LOW", "số lần thử còn lại đã ít"),
     ("USER_PIN_LOCKED", "đã bị khóa")],
)  # fmt: skip
def test_wrong_pin_says_the_attempts_left_when_the_token_does(flag: str, words: str) -> None:
    from types import SimpleNamespace

    from pkcs11.constants import TokenFlag

    token = SimpleNamespace(slot=SimpleNamespace(get_token=lambda: SimpleNamespace(flags=getattr(TokenFlag, flag))))
    err = signing._pin_error_with_attempts(token)
    assert err is not None and words in err.message and "Chưa có tệp nào được ghi" in err.message


def test_sign_lt_with_a_chain_to_no_trusted_root_is_refused(pki3: Pki3, tmp_path: Path) -> None:
    src = _dossier(tmp_path / "d.pdf")
    out = tmp_path / "lt.pdf"
    with pytest.raises(SigningError) as exc, open_p12_signer(pki3.chair.p12, pki3.password) as h:
        sign_pdf_file(src, out, h, role=ROLE_CHAIR, layout=LAYOUT, lt=True, trust=[], crls=[])
    assert "không dẫn tới chứng thư nào trong danh sách tin cậy" in exc.value.message
    assert not out.exists()
