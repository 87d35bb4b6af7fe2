"""Verifying dossiers: good files, every tampering case (compared with poppler's pdfsig), payload checks, trust list."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from khoiapp.cli import main as cli_main
from khoiapp.dossier.limits import PAYLOAD_NAME
from khoiapp.errors import DossierError, TrustListError
from khoiapp.services import trust as trustsvc
from khoiapp.services import verify as verifysvc
from khoiapp.services.signing import VisibleSignature, open_p12_signer, sign_pdf_file
from khoiapp.services.verify import verify_dossier
from tests.softhsm import (  # noqa: F401 - fixtures
    EVIDENCE,
    P12_PASSWORD,
    SIGNER_ORG,
    Pki,
    build_dossier,
    embed_attachment,
    make_payload,
    nss_db,
    pdfsig,
    pki,
)

UNIT = "Trường Tiểu học Đồng Xuân"
BOX = VisibleSignature(page=0, box=(330, 60, 550, 140), signer_label="Nguyễn Thị Ánh")


def _sign(src: Path, out: Path, p12: Path, visible: VisibleSignature | None = BOX) -> Path:
    with open_p12_signer(p12, P12_PASSWORD) as handle:
        sign_pdf_file(src, out, handle, visible=visible, unit_name=UNIT)
    return out


@pytest.fixture(scope="session")
def signed_bytes(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> bytes:
    d = tmp_path_factory.mktemp("signed")
    return _sign(build_dossier(d / "src.pdf"), d / "signed.pdf", pki.signer_p12).read_bytes()


@pytest.fixture(scope="session")
def nss_ca(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Path:
    """NSS database trusting the test CA, so pdfsig and our verify judge with the same trust."""
    return nss_db(tmp_path_factory.mktemp("nss"), pki.ca_pem)


@pytest.fixture
def signed(tmp_path: Path, signed_bytes: bytes) -> Path:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_bytes)
    return path


def _verify(path: Path, pki: Pki) -> verifysvc.VerificationReport:
    return verify_dossier(path, [pki.ca_pem], use_trust_store=False)


def test_untampered_dossier_ok_and_pdfsig_agrees(signed: Path, pki: Pki, nss_ca: Path) -> None:
    report = _verify(signed, pki)
    assert report.verdict == "ok", report.problems
    assert (report.signed, report.intact, report.valid, report.trusted) == (True, True, True, True)
    assert (report.entire_file, report.modified_after_signing, report.attachments_ok) == (True, False, True)
    assert report.payload_schema == "khoi-dossier/1"
    assert report.signer == "Nguyễn Thị Ánh" and report.signer_org == SIGNER_ORG
    ps = pdfsig(signed, nss_ca)
    assert ps.valid and ps.total_signed and ps.trusted, ps.text


# --------------------------------------------------------------------------- tampering


def _assert_pdfsig_rejects(path: Path, nss_ca: Path) -> None:
    ps = pdfsig(path, nss_ca)
    assert ps.no_signature or not ps.valid or not ps.total_signed, ps.text


def test_flipped_byte_in_signed_range(signed: Path, pki: Pki, nss_ca: Path) -> None:
    data = bytearray(signed.read_bytes())
    target = EVIDENCE["quy-uoc.txt"]
    at = data.index(target) + target.index(b"02/01")  # the date inside an evidence file
    data[at] = ord("9")
    signed.write_bytes(bytes(data))

    report = _verify(signed, pki)
    assert report.verdict == "invalid"
    assert report.intact is False
    assert report.mismatched == ("quy-uoc.txt",)
    assert any("không khớp nội dung tệp" in p for p in report.problems)
    ps = pdfsig(signed, nss_ca)
    assert ps.digest_mismatch and not ps.valid, ps.text


def _append(path: Path, change: Callable[..., None]) -> None:
    """Apply ``change(writer)`` as one incremental update appended to ``path``."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    data = path.read_bytes()
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    change(w)
    out = io.BytesIO()
    w.write(out)
    path.write_bytes(out.getvalue())


def _filespec(w, name: str):  # type: ignore[no-untyped-def]
    names = w.root["/Names"]["/EmbeddedFiles"]["/Names"]
    for i in range(0, len(names), 2):
        if str(names[i]) == name:
            return names[i + 1]
    raise KeyError(name)


def _replace_attachment(w, name: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils import embed

    spec = _filespec(w, name)
    ef = embed.EmbeddedFileObject.from_file_data(w, data, compress=False)
    spec["/EF"]["/F"] = ef.ef_stream_ref
    spec["/EF"]["/UF"] = ef.ef_stream_ref
    w.update_container(spec)


def test_appended_update_changing_page_content(signed: Path, pki: Pki, nss_ca: Path) -> None:
    from pyhanko.pdf_utils import generic

    def change(w) -> None:  # type: ignore[no-untyped-def]
        page_ref, _ = w.find_page_for_modification(0)
        page = page_ref.get_object()
        extra = w.add_object(generic.StreamObject(stream_data=b"1 0 0 rg 72 600 300 40 re f"))
        page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), extra])
        w.update_container(page)

    _append(signed, change)
    report = _verify(signed, pki)
    assert report.verdict == "invalid"
    assert report.intact is True and report.modified_after_signing is True and report.entire_file is False
    assert "nội dung trang 1 bị thay đổi" in report.changes
    assert any("Tệp đã bị sửa sau khi ký" in p and "trang 1" in p for p in report.problems)
    ps = pdfsig(signed, nss_ca)
    assert ps.valid and not ps.total_signed, ps.text  # pdfsig: still valid, but no longer the whole file


def test_appended_update_replacing_attachment(signed: Path, pki: Pki, nss_ca: Path) -> None:
    _append(signed, lambda w: _replace_attachment(w, "quy-uoc.txt", "Quy ước đã sửa.\n".encode()))
    report = _verify(signed, pki)
    assert report.verdict == "invalid"
    assert report.modified_after_signing is True
    assert report.changes == ("thay tệp đính kèm «quy-uoc.txt»",)
    assert report.mismatched == ("quy-uoc.txt",)
    _assert_pdfsig_rejects(signed, nss_ca)


def test_appended_update_replacing_attachment_and_manifest(signed: Path, pki: Pki, nss_ca: Path) -> None:
    """A careful forger keeps the manifest consistent: the appended revision still gives it away."""
    forged = dict(EVIDENCE, **{"quy-uoc.txt": "Quy ước đã sửa.\n".encode()})

    def change(w) -> None:  # type: ignore[no-untyped-def]
        _replace_attachment(w, "quy-uoc.txt", forged["quy-uoc.txt"])
        _replace_attachment(w, PAYLOAD_NAME, make_payload(forged))

    _append(signed, change)
    report = _verify(signed, pki)
    assert report.attachments_ok is True  # the forged manifest matches the forged file ...
    assert report.verdict == "invalid"  # ... but the file changed after signing
    assert set(report.changes) == {"thay tệp đính kèm «quy-uoc.txt»", f"thay tệp đính kèm «{PAYLOAD_NAME}»"}
    _assert_pdfsig_rejects(signed, nss_ca)


def test_appended_update_adding_attachment(signed: Path, pki: Pki, nss_ca: Path) -> None:
    _append(signed, lambda w: embed_attachment(w, "them.txt", b"extra"))
    report = _verify(signed, pki)
    assert report.verdict == "invalid"
    assert report.unexpected == ("them.txt",)
    assert report.changes == ("thêm tệp đính kèm «them.txt»",)
    _assert_pdfsig_rejects(signed, nss_ca)


def _strip_signature(src: Path, dst: Path) -> None:
    """Rewrite the whole file without the signature field and its widget (pypdf)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(src))
    root = writer.root_object
    if "/AcroForm" in root:
        del root[NameObject("/AcroForm")]
    for page in writer.pages:
        annots = page.get("/Annots")
        if annots is None:
            continue
        keep = [a for a in annots.get_object() if a.get_object().get("/FT") != "/Sig"]
        page[NameObject("/Annots")] = ArrayObject(keep)
    with open(dst, "wb") as f:
        writer.write(f)


def test_signature_removed_is_unsigned(signed: Path, pki: Pki, nss_ca: Path, tmp_path: Path) -> None:
    stripped = tmp_path / "stripped.pdf"
    _strip_signature(signed, stripped)
    report = _verify(stripped, pki)
    assert report.verdict == "unsigned"
    assert report.signed is False and report.exit_code == 1
    assert report.attachments_ok is True  # the payload survived; only the signature is gone
    assert pdfsig(stripped, nss_ca).no_signature


def _byte_range(data: bytes) -> tuple[int, int]:
    """Start and end of the /Contents hex string (angle brackets included)."""
    m = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+\d+\s*\]", data)
    assert m is not None
    return int(m.group(1)), int(m.group(2))


def test_signature_contents_swapped_is_invalid(
    signed: Path, pki: Pki, nss_ca: Path, tmp_path: Path, signed_bytes: bytes
) -> None:
    """The CMS blob of a signature by another key over another file, put in place of the real one."""
    other = _sign(build_dossier(tmp_path / "o.pdf", {"x.txt": b"x"}), tmp_path / "other.pdf", pki.other_p12)
    odata = other.read_bytes()
    os_, oe = _byte_range(odata)
    other_hex = odata[os_ + 1 : oe - 1].rstrip(b"0")
    data = bytearray(signed_bytes)
    s, e = _byte_range(bytes(data))
    room = e - s - 2
    assert len(other_hex) <= room
    data[s + 1 : e - 1] = other_hex.ljust(room, b"0")
    signed.write_bytes(bytes(data))

    report = _verify(signed, pki)
    assert report.verdict == "invalid"
    assert report.intact is False
    assert report.signer == "Người Lạ"
    _assert_pdfsig_rejects(signed, nss_ca)


def test_changed_contents_padding_is_invalid(signed: Path, pki: Pki, nss_ca: Path, signed_bytes: bytes) -> None:
    """Bytes hidden in the zero padding after the CMS blob: outside the digest, but not the signer's."""
    data = bytearray(signed_bytes)
    s, e = _byte_range(bytes(data))
    hex_part = bytes(data[s + 1 : e - 1])
    used = len(hex_part.rstrip(b"0"))
    assert e - 1 - (s + 1 + used) > 64  # there is padding
    at = s + 1 + used + 32
    data[at : at + 8] = b"deadbeef"
    signed.write_bytes(bytes(data))

    report = _verify(signed, pki)
    assert report.verdict == "invalid"
    assert any("vùng chữ ký" in p for p in report.problems)
    _assert_pdfsig_rejects(signed, nss_ca)


@pytest.mark.parametrize("damage", ["garbage_contents", "unknown_subfilter"])
def test_damaged_signature_is_invalid_not_unsigned(
    signed: Path, pki: Pki, nss_ca: Path, signed_bytes: bytes, damage: str
) -> None:
    data = bytearray(signed_bytes)
    if damage == "garbage_contents":
        s, e = _byte_range(bytes(data))
        data[s + 1 : e - 1] = b"A" * (e - s - 2)
    else:
        data = bytearray(bytes(data).replace(b"/ETSI.CAdES.detached", b"/ETSI.CAdES.detachex"))
    signed.write_bytes(bytes(data))

    report = _verify(signed, pki)
    assert report.verdict == "invalid" and report.signed is True and report.intact is False
    assert any("bị hỏng" in p for p in report.problems)
    ps = pdfsig(signed, nss_ca)
    assert not ps.no_signature and not ps.valid, ps.text


def test_tampered_body_resigned_with_another_key_is_not_trusted(
    signed: Path, pki: Pki, nss_ca: Path, tmp_path: Path
) -> None:
    stripped = tmp_path / "stripped.pdf"
    _strip_signature(signed, stripped)
    forged = dict(EVIDENCE, **{"quy-uoc.txt": b"forged"})

    def change(w) -> None:  # type: ignore[no-untyped-def]
        _replace_attachment(w, "quy-uoc.txt", forged["quy-uoc.txt"])
        _replace_attachment(w, PAYLOAD_NAME, make_payload(forged))

    _append(stripped, change)
    resigned = _sign(stripped, tmp_path / "resigned.pdf", pki.other_p12)

    report = _verify(resigned, pki)
    assert report.verdict == "untrusted"  # a valid signature, but not by anyone the receiver trusts
    assert report.signer == "Người Lạ"
    assert report.exit_code == 1
    ps = pdfsig(resigned, nss_ca)
    assert ps.valid and ps.total_signed and not ps.trusted, ps.text


def test_verify_logs_no_pyhanko_tracebacks(signed: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Untrusted signers and suspicious revisions are findings in the report, not log noise."""
    _append(signed, lambda w: embed_attachment(w, "them.txt", b"extra"))
    with caplog.at_level(logging.WARNING):
        assert verify_dossier(signed, use_trust_store=False).verdict == "invalid"
    assert [r.name for r in caplog.records if r.name.startswith("pyhanko")] == []


# --------------------------------------------------------------------------- payload and manifest


def _unsigned(tmp_path: Path, **kw: object) -> verifysvc.VerificationReport:
    path = build_dossier(tmp_path / "u.pdf", **kw)  # type: ignore[arg-type]
    return verify_dossier(path, use_trust_store=False)


def test_unsigned_dossier_still_checks_payload(tmp_path: Path) -> None:
    report = _unsigned(tmp_path)
    assert report.verdict == "unsigned"
    assert (report.intact, report.valid, report.trusted) == (None, None, None)
    assert report.payload_present and report.attachments_ok is True
    assert report.problems == ("Hồ sơ chưa được ký số: không có gì bảo đảm nội dung không bị sửa.",)


def test_compressed_attachments_hash_correctly(tmp_path: Path) -> None:
    big = {"anh.bmp": bytes(range(256)) * 20_000, "ghi-chu.txt": "Ghi chú".encode()}
    report = _unsigned(tmp_path, evidence=big, compress=True)
    assert report.attachments_ok is True, report.problems


def test_signed_file_without_payload_is_invalid(tmp_path: Path, pki: Pki) -> None:
    path = _sign(build_dossier(tmp_path / "u.pdf", with_payload=False), tmp_path / "s.pdf", pki.signer_p12)
    report = _verify(path, pki)
    assert report.verdict == "invalid"
    assert report.payload_present is False
    assert any(PAYLOAD_NAME in p for p in report.problems)


@pytest.mark.parametrize(
    "payload, words",
    [
        (b"{not json", "không phải JSON"),
        (json.dumps({"schema": "other/1", "manifest": []}).encode(), "không đúng định dạng"),
        (json.dumps({"schema": "khoi-dossier/1"}).encode(), "manifest"),
    ],
)
def test_bad_payload_is_reported(tmp_path: Path, pki: Pki, payload: bytes, words: str) -> None:
    path = _sign(build_dossier(tmp_path / "u.pdf", payload_bytes=payload), tmp_path / "s.pdf", pki.signer_p12)
    report = _verify(path, pki)
    assert report.verdict == "invalid"
    assert report.attachments_ok is False
    assert any(words in p for p in report.problems), report.problems


def test_manifest_entry_without_attachment(tmp_path: Path) -> None:
    payload = make_payload(dict(EVIDENCE, **{"mat.txt": b"lost"}))
    report = _unsigned(tmp_path, payload_bytes=payload)
    assert report.missing == ("mat.txt",)
    assert report.attachments_ok is False


def test_payload_over_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from khoiapp.dossier import reader

    monkeypatch.setattr(reader, "MAX_PAYLOAD_BYTES", 100)
    report = _unsigned(tmp_path)
    assert report.attachments_ok is False
    assert any("vượt giới hạn" in p for p in report.problems)


def test_manifest_hash_is_sha256_of_attachment_bytes(tmp_path: Path) -> None:
    changed = make_payload({**EVIDENCE, "quy-uoc.txt": b"other"})
    report = _unsigned(tmp_path, payload_bytes=changed)
    assert report.mismatched == ("quy-uoc.txt",)
    assert hashlib.sha256(EVIDENCE["quy-uoc.txt"]).hexdigest() not in changed.decode()


def test_looping_attachment_tree_is_walked_once(tmp_path: Path) -> None:
    """A crafted name tree whose node lists itself twice as a kid (2^depth paths if revisited)."""
    from pyhanko.pdf_utils import generic

    path = build_dossier(tmp_path / "u.pdf")

    def loop(w) -> None:  # type: ignore[no-untyped-def]
        node = generic.DictionaryObject()
        ref = w.add_object(node)
        node["/Kids"] = generic.ArrayObject([ref, ref])
        w.root["/Names"] = generic.DictionaryObject({generic.pdf_name("/EmbeddedFiles"): ref})
        w.update_root()

    _append(path, loop)
    report = verify_dossier(path, use_trust_store=False)
    assert report.verdict == "unsigned" and report.payload_present is False


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("content", [b"PK\x03\x04 zip, not pdf", b"", "Văn bản thường".encode()])
def test_not_a_pdf(tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    with pytest.raises(DossierError, match="không phải tệp PDF"):
        verify_dossier(path)
    assert cli_main(["verify", str(path)]) == 2
    assert "Lỗi:" in capsys.readouterr().err


def test_truncated_pdf_is_a_dossier_error(tmp_path: Path, signed_bytes: bytes) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(signed_bytes[:-100])  # the last revision loses its trailer
    with pytest.raises(DossierError):
        verify_dossier(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DossierError, match="Không tìm thấy"):
        verify_dossier(tmp_path / "none.pdf")


# --------------------------------------------------------------------------- CLI


def test_cli_verify_json_and_exit_codes(
    signed: Path, pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KHOI_CONFIG_DIR", str(tmp_path / "cfg"))
    assert cli_main(["verify", str(signed), "--json", "--trust", str(pki.ca_pem)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "ok" and data["exit_code"] == 0 and data["problems"] == []
    assert cli_main(["verify", str(signed), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "untrusted"


def test_cli_verify_text(signed: Path, pki: Pki, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["verify", str(signed), "--trust", str(pki.ca_pem), "--no-trust-store"]) == 0
    out = capsys.readouterr().out
    for line in ("Đã ký: có", "Nguyên vẹn: có", "Hợp lệ: có", "Tin cậy: có", "Người ký: Nguyễn Thị Ánh"):
        assert line in out


# --------------------------------------------------------------------------- trust list


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KHOI_CONFIG_DIR", str(tmp_path / "cfg"))
    return tmp_path / "cfg"


def test_trust_list_add_list_remove(config: Path, pki: Pki, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    der = tmp_path / "other.cer"
    der.write_bytes(pki.other_cert.public_bytes(Encoding.DER))
    a = trustsvc.add_trusted(pki.ca_pem)
    b = trustsvc.add_trusted(der)
    assert trustsvc.add_trusted(pki.ca_pem) == a  # adding twice changes nothing
    assert [t.subject for t in trustsvc.list_trusted()] == ["Khối Test Root CA — Khối Test", "Người Lạ — Đơn vị khác"]
    assert a.path.parent == config / "trust"

    colon = ":".join(b.fingerprint_sha256[i : i + 2] for i in range(0, 16, 2)).upper()
    trustsvc.remove_trusted(colon)
    assert [t.fingerprint_sha256 for t in trustsvc.list_trusted()] == [a.fingerprint_sha256]
    with pytest.raises(TrustListError):
        trustsvc.remove_trusted(b.fingerprint_sha256)


def test_trust_add_rejects_non_certificate(config: Path, pki: Pki) -> None:
    with pytest.raises(TrustListError, match="không phải chứng thư số"):
        trustsvc.add_trusted(pki.signer_p12)
    assert trustsvc.list_trusted() == []


def test_verify_uses_trust_store(config: Path, signed: Path, pki: Pki) -> None:
    assert verify_dossier(signed).verdict == "untrusted"
    trustsvc.add_trusted(pki.ca_pem)
    assert verify_dossier(signed).verdict == "ok"
    assert verify_dossier(signed, use_trust_store=False).verdict == "untrusted"


def test_cli_trust_commands(config: Path, pki: Pki, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["trust", "add", str(pki.ca_pem)]) == 0
    assert cli_main(["trust", "list", "--json"]) == 0
    out = capsys.readouterr().out
    items = json.loads(out[out.index("[") :])
    assert len(items) == 1
    assert cli_main(["trust", "remove", items[0]["fingerprint_sha256"][:12]]) == 0
    assert cli_main(["trust", "remove", "deadbeefdeadbeef"]) == 2
    assert trustsvc.list_trusted() == []


def test_deeply_nested_payload_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    """A hostile payload nested far deeper than any real one must not exhaust the stack."""
    import io

    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.add_attachment(PAYLOAD_NAME, b"[" * 200_000 + b"]" * 200_000)
    buf = io.BytesIO()
    w.write(buf)
    pdf = tmp_path / "nested.pdf"
    pdf.write_bytes(buf.getvalue())
    report = verify_dossier(pdf, use_trust_store=False)
    assert report.verdict == "unsigned"
    assert report.exit_code == 1
    assert any("lồng" in p or "sâu" in p for p in report.problems), report.problems
