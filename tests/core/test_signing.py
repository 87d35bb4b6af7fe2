"""Signing dossiers: .p12 files, a SoftHSM2 token, a unit's own certificate; bad certificates and tokens."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import unicodedata
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from khoiapp.cli import main as cli_main
from khoiapp.errors import (
    BadInputError,
    CertificateFileError,
    CertificatePasswordError,
    CertificateRejectedError,
    OutputPathError,
    SigningError,
    TimestampError,
    TokenKeyNotFoundError,
    TokenLibraryError,
    TokenNotFoundError,
    TokenPinError,
)
from khoiapp.services import signing
from khoiapp.services.signing import (
    VisibleSignature,
    check_certificate,
    create_unit_certificate,
    open_p12_signer,
    open_pkcs11_signer,
    sign_pdf_file,
    sign_writer,
)
from khoiapp.services.verify import verify_dossier
from tests.softhsm import (  # noqa: F401 - fixtures
    P12_PASSWORD,
    Pki,
    build_dossier,
    dossier_writer,
    make_cert,
    make_key,
    nss_db,
    pdfsig,
    pki,
    softhsm_token,
    tsa_url,
    write_p12,
    write_pem,
)
from tests.tools import require_tool

UTC = dt.timezone.utc
UNIT = "Trường Tiểu học Đồng Xuân"
UNIT_PASSWORD = "Mật khẩu đơn vị 2025"
BOX = VisibleSignature(page=0, box=(330, 60, 550, 140), signer_label="Nguyễn Thị Ánh — Hiệu trưởng")


@pytest.fixture(scope="session")
def unit_p12(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A unit's own certificate made by ``create_unit_certificate`` (.p12) and its exported PEM."""
    from khoiapp.services.trust import export_certificate

    d = tmp_path_factory.mktemp("unit")
    p12 = d / "don-vi.p12"
    create_unit_certificate(UNIT, p12, UNIT_PASSWORD)
    pem = d / "don-vi.pem"
    export_certificate(p12, UNIT_PASSWORD, pem)
    return p12, pem


@pytest.fixture(scope="session")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dossier(tmp_path_factory.mktemp("dossier") / "ho-so.pdf")


def _open(kind: str, pki: Pki, unit_p12: tuple[Path, Path], request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """(context manager opening the signer, PEM to trust) for a signer kind."""
    if kind == "p12":
        return open_p12_signer(pki.signer_p12, P12_PASSWORD), pki.ca_pem
    if kind == "token":
        tok = request.getfixturevalue("softhsm_token")
        lib, token_label, key_label, pin = tok
        return open_pkcs11_signer(lib, token_label, key_label, pin), pki.ca_pem
    p12, pem = unit_p12
    return open_p12_signer(p12, UNIT_PASSWORD), pem


SIGNER_KINDS = ["p12", "token", "unit"]


@pytest.mark.parametrize("kind", SIGNER_KINDS)
def test_signed_dossier_is_ok_when_certificate_trusted(
    kind: str, pki: Pki, unit_p12: tuple[Path, Path], dossier: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    opener, trust_pem = _open(kind, pki, unit_p12, request)
    out = tmp_path / "signed.pdf"
    with opener as handle:
        sign_pdf_file(dossier, out, handle, visible=BOX, unit_name=UNIT)
        expected_fp = handle.info.fingerprint_sha256

    report = verify_dossier(out, [trust_pem], use_trust_store=False)
    assert report.verdict == "ok", report.problems
    assert report.exit_code == 0
    assert report.cert_fingerprint == expected_fp
    assert report.problems == ()

    ps = pdfsig(out, nss_db(tmp_path / "nss", trust_pem))
    assert ps.valid and ps.total_signed, ps.text
    if kind != "unit":
        # NSS (poppler) accepts only CA certificates as trust anchors; the unit's own certificate is
        # deliberately not a CA, so that trusting it never lets the unit vouch for other names.
        assert ps.trusted, ps.text


@pytest.mark.parametrize("kind", SIGNER_KINDS)
def test_signed_dossier_is_untrusted_without_trust(
    kind: str, pki: Pki, unit_p12: tuple[Path, Path], dossier: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    opener, _ = _open(kind, pki, unit_p12, request)
    out = tmp_path / "signed.pdf"
    with opener as handle:
        sign_pdf_file(dossier, out, handle, unit_name=UNIT)

    report = verify_dossier(out, use_trust_store=False)
    assert report.verdict == "untrusted"
    assert report.exit_code == 1
    assert report.intact and report.valid and report.entire_file and report.trusted is False
    assert any("chưa được tin cậy" in p for p in report.problems)
    # The reason names what the user can do something about, not pyHanko's internal wording.
    assert not any("ràng buộc" in p for p in report.problems), report.problems
    if kind == "unit":
        assert any("chứng thư tự cấp" in p for p in report.problems), report.problems

    ps = pdfsig(out)  # empty NSS trust: same judgement
    assert ps.valid and ps.total_signed and not ps.trusted, ps.text


def test_sign_writer_signs_embedded_files_in_the_same_revision(pki: Pki, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    writer = dossier_writer()  # one reportlab revision + pending embedded files
    buf = io.BytesIO()
    with open_p12_signer(pki.signer_p12, P12_PASSWORD) as handle:
        sign_writer(writer, buf, handle, visible=None, unit_name=UNIT)
    out = tmp_path / "one-revision.pdf"
    out.write_bytes(buf.getvalue())

    reader = PdfFileReader(io.BytesIO(buf.getvalue()))
    assert reader.xrefs.total_revisions == 2  # original + (attachments and signature together)
    assert reader.embedded_signatures[0].signed_revision == 1
    assert verify_dossier(out, [pki.ca_pem], use_trust_store=False).verdict == "ok"


def test_signature_is_pades_sha256_with_fixed_field_name(pki: Pki, dossier: Path, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    out = tmp_path / "s.pdf"
    with open_p12_signer(pki.signer_p12, P12_PASSWORD) as handle:
        sign_pdf_file(dossier, out, handle, unit_name=UNIT, reason="Ký hồ sơ", location="Hà Nội")
    with open(out, "rb") as f:
        sig = PdfFileReader(f).embedded_signatures[0]
        assert sig.field_name == "KhoiSignature"
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        assert sig.md_algorithm == "sha256"
        assert str(sig.sig_object["/Reason"]) == "Ký hồ sơ"
        assert str(sig.sig_object["/Location"]) == "Hà Nội"
    assert "ETSI.CAdES.detached" in pdfsig(out).text


def _box_ink(pdf: Path, box: tuple[float, float, float, float]) -> int:
    """Number of non-white pixels inside ``box`` on page 1 rendered at 72 dpi."""
    from PIL import Image

    exe = require_tool("pdftoppm")
    subprocess.run([exe, "-r", "72", "-f", "1", "-l", "1", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    img = Image.open(next(pdf.parent.glob(pdf.stem + "*.png"))).convert("L")
    x1, y1, x2, y2 = box
    h = img.height
    crop = img.crop((int(x1) + 3, int(h - y2) + 3, int(x2) - 3, int(h - y1) - 3))
    return sum(1 for px in crop.tobytes() if px < 200)


def test_visible_signature_draws_stamp_in_box(pki: Pki, dossier: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    visible = tmp_path / "a" / "visible.pdf"
    invisible = tmp_path / "b" / "invisible.pdf"
    with open_p12_signer(pki.signer_p12, P12_PASSWORD) as handle:
        sign_pdf_file(dossier, visible, handle, visible=BOX, unit_name=UNIT)
        sign_pdf_file(dossier, invisible, handle, unit_name=UNIT)
    assert _box_ink(visible, BOX.box) > 300
    assert _box_ink(invisible, BOX.box) == 0


def test_stamp_text_is_vietnamese_and_extractable(tmp_path: Path) -> None:
    when = dt.datetime(2025, 3, 1, 2, 30, tzinfo=UTC)
    lines = signing.stamp_lines("Nguyễn Thị Ánh", unicodedata.normalize("NFD", "Ủy ban xã Yên Hòa"), when)
    assert lines == [
        "Ký số bởi: Nguyễn Thị Ánh",
        "Đơn vị: Ủy ban xã Yên Hòa",
        "Thời gian ký: 01/03/2025 09:30:00 (GMT+7)",
    ]
    pdf = tmp_path / "stamp.pdf"
    pdf.write_bytes(signing.render_stamp_pdf(220, 80, lines))
    text = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert [ln.strip() for ln in text.splitlines() if ln.strip()] == lines
    fonts = subprocess.run([require_tool("pdffonts"), str(pdf)], capture_output=True, text=True).stdout
    assert "NotoSerif" in fonts or "KhoiStampSerif" in fonts
    assert all(" yes " in ln for ln in fonts.splitlines()[2:])  # embedded


def test_signing_time_is_the_one_given(pki: Pki, dossier: Path, tmp_path: Path) -> None:
    when = dt.datetime.now(UTC).replace(microsecond=0) - dt.timedelta(hours=1)
    out = tmp_path / "s.pdf"
    with open_p12_signer(pki.signer_p12, P12_PASSWORD) as handle:
        sign_pdf_file(dossier, out, handle, unit_name=UNIT, signing_time=when)
    report = verify_dossier(out, [pki.ca_pem], use_trust_store=False)
    assert report.signing_time is not None
    assert dt.datetime.fromisoformat(report.signing_time) == when
    assert report.timestamped is False


def test_timestamp_server_gives_b_t_signature(pki: Pki, dossier: Path, tmp_path: Path, tsa_url: str) -> None:
    out = tmp_path / "s.pdf"
    with open_p12_signer(pki.signer_p12, P12_PASSWORD) as handle:
        sign_pdf_file(dossier, out, handle, unit_name=UNIT, timestamp_url=tsa_url)
    report = verify_dossier(out, [pki.ca_pem], use_trust_store=False)
    assert report.verdict == "ok", report.problems
    assert report.timestamped is True
    ps = pdfsig(out)
    assert ps.valid and ps.total_signed


def test_unreachable_timestamp_server_writes_nothing(pki: Pki, dossier: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "s.pdf"
    with open_p12_signer(pki.signer_p12, P12_PASSWORD) as handle, pytest.raises(TimestampError) as err:
        sign_pdf_file(dossier, out, handle, unit_name=UNIT, timestamp_url=f"http://127.0.0.1:{port}/")
    assert "dấu thời gian" in err.value.message
    assert sorted(os.listdir(tmp_path)) == []


def test_sign_pdf_file_can_replace_its_input(pki: Pki, tmp_path: Path) -> None:
    path = build_dossier(tmp_path / "ho-so.pdf")
    with open_p12_signer(pki.signer_p12, P12_PASSWORD) as handle:
        sign_pdf_file(path, path, handle, unit_name=UNIT)
    assert verify_dossier(path, [pki.ca_pem], use_trust_store=False).verdict == "ok"
    assert sorted(os.listdir(tmp_path)) == ["ho-so.pdf"]


def test_already_signed_file_is_refused(pki: Pki, dossier: Path, tmp_path: Path) -> None:
    once = tmp_path / "once.pdf"
    twice = tmp_path / "twice.pdf"
    with open_p12_signer(pki.signer_p12, P12_PASSWORD) as handle:
        sign_pdf_file(dossier, once, handle, unit_name=UNIT)
        with pytest.raises(SigningError, match="đã có chữ ký số"):
            sign_pdf_file(once, twice, handle, unit_name=UNIT)
    assert sorted(os.listdir(tmp_path)) == ["once.pdf"]


def test_stamp_on_missing_page_is_refused(pki: Pki, dossier: Path, tmp_path: Path) -> None:
    with open_p12_signer(pki.signer_p12, P12_PASSWORD) as handle, pytest.raises(SigningError, match="trang 3"):
        sign_pdf_file(dossier, tmp_path / "s.pdf", handle, visible=VisibleSignature(2, BOX.box, "A"), unit_name=UNIT)
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------- bad input


def test_wrong_p12_password(pki: Pki) -> None:
    with pytest.raises(CertificatePasswordError) as err, open_p12_signer(pki.signer_p12, "sai mật khẩu"):
        pass
    assert "Mật khẩu" in err.value.message


@pytest.mark.parametrize(
    "content, words",
    [(None, "Không tìm thấy"), (b"%PDF-1.7 not a p12", "không phải tệp chứng thư số")],
)
def test_bad_p12_file(tmp_path: Path, content: bytes | None, words: str) -> None:
    path = tmp_path / "x.p12"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CertificateFileError, match=words), open_p12_signer(path, "x"):
        pass


def _bad_p12(tmp_path: Path, pki: Pki, kind: str) -> Path:
    now = dt.datetime.now(UTC)
    key = make_key(1024) if kind == "rsa1024" else pki.other_key
    kwargs: dict = {}
    if kind == "expired":
        kwargs = {"not_before": now - dt.timedelta(days=400), "not_after": now - dt.timedelta(days=35)}
    elif kind == "not_yet_valid":
        kwargs = {"not_before": now + dt.timedelta(days=10), "not_after": now + dt.timedelta(days=400)}
    elif kind == "no_signing_usage":
        kwargs = {"digital_signature": False, "non_repudiation": False}
    cert = make_cert("Lê Văn Cường", key, issuer_cert=pki.ca_cert, issuer_key=pki.ca_key, **kwargs)
    return write_p12(tmp_path / f"{kind}.p12", key, cert, [pki.ca_cert])


@pytest.mark.parametrize(
    "kind, words",
    [
        ("expired", "đã hết hạn"),
        ("not_yet_valid", "chưa có hiệu lực"),
        ("no_signing_usage", "không được cấp cho mục đích ký số"),
        ("rsa1024", "RSA 1024 bit"),
    ],
)
def test_unusable_certificate_is_refused_and_nothing_written(
    kind: str, words: str, pki: Pki, dossier: Path, tmp_path: Path
) -> None:
    p12 = _bad_p12(tmp_path, pki, kind)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with open_p12_signer(p12, P12_PASSWORD) as handle:
        with pytest.raises(CertificateRejectedError) as err:
            sign_pdf_file(dossier, out_dir / "s.pdf", handle, visible=BOX, unit_name=UNIT)
        with pytest.raises(CertificateRejectedError):
            sign_writer(dossier_writer(), io.BytesIO(), handle, visible=None, unit_name=UNIT)
    assert words in err.value.message
    assert "Chưa có tệp nào được ghi" in err.value.message
    assert os.listdir(out_dir) == []


def test_certificate_check_accepts_digital_signature_only(pki: Pki) -> None:
    cert = make_cert("A", pki.other_key, non_repudiation=False)
    check_certificate(cert)  # does not raise


def test_wrong_pin(softhsm_token) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    lib, token_label, key_label, _pin = softhsm_token
    with pytest.raises(TokenPinError) as err, open_pkcs11_signer(lib, token_label, key_label, "000000"):
        pass
    assert "Mã PIN" in err.value.message


def test_no_token_with_that_label(softhsm_token) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    lib, token_label, key_label, pin = softhsm_token
    with pytest.raises(TokenNotFoundError) as err, open_pkcs11_signer(lib, "Token Khác", key_label, pin):
        pass
    assert "«Token Khác»" in err.value.message
    assert f"«{token_label}»" in err.value.message  # tells which tokens are present


def test_no_key_with_that_label(softhsm_token) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    lib, token_label, key_label, pin = softhsm_token
    with pytest.raises(TokenKeyNotFoundError) as err, open_pkcs11_signer(lib, token_label, "khoa-khac", pin):
        pass
    assert f"«{key_label}»" in err.value.message


@pytest.mark.parametrize("lib", ["/nonexistent/libpkcs11.so", "/etc/hostname"])
def test_missing_or_broken_pkcs11_library(lib: str, tmp_path: Path) -> None:
    with pytest.raises(TokenLibraryError) as err, open_pkcs11_signer(lib, "T", "K", "1234"):
        pass
    assert lib in err.value.message


def test_token_signing_with_bad_certificate_writes_nothing(softhsm_token, dossier: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    lib, token_label, key_label, pin = softhsm_token
    later = dt.datetime.now(UTC) + dt.timedelta(days=3650)
    with open_pkcs11_signer(lib, token_label, key_label, pin) as handle:
        with pytest.raises(CertificateRejectedError, match="đã hết hạn"):
            sign_pdf_file(dossier, tmp_path / "s.pdf", handle, signing_time=later)
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------- unit certificates


def test_unit_certificate_names_the_unit(tmp_path: Path) -> None:
    path = tmp_path / "u.p12"
    decomposed = unicodedata.normalize("NFD", "UBND xã  Yên Hòa ")
    now = dt.datetime(2025, 1, 15, 8, 0, tzinfo=UTC)
    info = create_unit_certificate(decomposed, path, "mk", years=3, now=now, algorithm="ecdsa")
    key, cert, extra = pkcs12.load_key_and_certificates(path.read_bytes(), b"mk")
    assert key is not None and cert is not None and not extra
    subject = {a.oid: a.value for a in cert.subject}
    assert subject == {NameOID.COMMON_NAME: "UBND xã Yên Hòa", NameOID.ORGANIZATION_NAME: "UBND xã Yên Hòa",
                       NameOID.COUNTRY_NAME: "VN"}  # fmt: skip
    assert cert.issuer == cert.subject
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment
    assert not ku.value.key_cert_sign
    assert cert.not_valid_after_utc.year == 2028
    assert info.subject_name == "UBND xã Yên Hòa" and info.key_desc == "ECDSA P-256"
    with pytest.raises(CertificatePasswordError), open_p12_signer(path, "sai"):
        pass


def test_unit_certificate_default_is_rsa_3072(unit_p12: tuple[Path, Path]) -> None:
    with open_p12_signer(unit_p12[0], UNIT_PASSWORD) as handle:
        assert handle.info.key_desc == "RSA 3072 bit"
        assert handle.info.subject_name == UNIT == handle.info.organisation


def test_unit_certificate_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "u.p12"
    path.write_bytes(b"old key")
    with pytest.raises(OutputPathError, match="đã tồn tại"):
        create_unit_certificate("Đơn vị", path, "mk", algorithm="ecdsa")
    assert path.read_bytes() == b"old key"


@pytest.mark.parametrize("unit, password", [("Đơn vị", ""), ("   ", "mk")])
def test_unit_certificate_needs_name_and_password(tmp_path: Path, unit: str, password: str) -> None:
    with pytest.raises(BadInputError):
        create_unit_certificate(unit, tmp_path / "u.p12", password, algorithm="ecdsa")
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------- CLI


def test_cli_cert_new_reads_password_from_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KHOI_TEST_PASS", "mật khẩu")
    out = tmp_path / "u.p12"
    rc = cli_main(["cert", "new", "--unit", "UBND phường Ba Đình", "--out", str(out), "--pass-env",
                   "KHOI_TEST_PASS", "--algorithm", "ecdsa", "--years", "2"])  # fmt: skip
    assert rc == 0
    assert "UBND phường Ba Đình" in capsys.readouterr().out
    with open_p12_signer(out, "mật khẩu") as handle:
        assert handle.info.subject_name == "UBND phường Ba Đình"


def test_cli_cert_new_without_password_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KHOI_NO_SUCH_VAR", raising=False)
    rc = cli_main(["cert", "new", "--unit", "X", "--out", str(tmp_path / "u.p12"), "--pass-env", "KHOI_NO_SUCH_VAR"])
    assert rc == 2
    assert "KHOI_NO_SUCH_VAR" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_cli_cert_export_writes_certificate_without_key(
    unit_p12: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHOI_TEST_PASS", UNIT_PASSWORD)
    out = tmp_path / "c.pem"
    assert cli_main(["cert", "export", str(unit_p12[0]), "--out", str(out), "--pass-env", "KHOI_TEST_PASS"]) == 0
    text = out.read_text()
    assert text.count("BEGIN CERTIFICATE") == 1 and "PRIVATE KEY" not in text
    assert x509.load_pem_x509_certificate(out.read_bytes()).subject.get_attributes_for_oid(NameOID.COMMON_NAME)[
        0
    ].value == UNIT


@pytest.mark.parametrize("kind", SIGNER_KINDS)
def test_rsa_signatures_use_rsassa_pss(
    kind: str, pki: Pki, unit_p12: tuple[Path, Path], dossier: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Vietnam's 2025 rules for signed PDFs ask for RSA PKCS#1 v2.1 (RSASSA-PSS) with SHA-256 or stronger."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    opener, _ = _open(kind, pki, unit_p12, request)
    out = tmp_path / "signed.pdf"
    with opener as handle:
        sign_pdf_file(dossier, out, handle, unit_name=UNIT)
    with open(out, "rb") as fh:
        sig = PdfFileReader(fh).embedded_signatures[0]
        signer_info = sig.signer_info
        assert signer_info["signature_algorithm"]["algorithm"].native == "rsassa_pss"
        assert signer_info["digest_algorithm"]["algorithm"].native in ("sha256", "sha384", "sha512")
    ps = pdfsig(out)
    assert ps.valid and ps.total_signed, ps.text
