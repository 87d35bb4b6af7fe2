"""Importing last year's dossier: verification, every bad input, one transaction, round trip."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from khoiapp.cli import main as cli_main
from khoiapp.db import open_document
from khoiapp.dossier.limits import PAYLOAD_NAME
from khoiapp.errors import (
    AlreadyImportedError,
    Cancelled,
    DossierError,
    DossierLimitError,
    DossierTooNewError,
    DossierUnverifiedError,
    UnsafeNameError,
)
from khoiapp.services import importer
from khoiapp.services.criteria import checklist, confirm
from khoiapp.dossier.jsontext import json_depth, parse_json
from khoiapp.safename import check_name
from khoiapp.services.evidence import read_blob
from khoiapp.services.payload import build_payload, payload_bytes
from tests.softhsm import P12_PASSWORD, Pki, embed_attachment, pki  # noqa: F401 - fixture

YEAR = 2026
CLOCK = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


# --------------------------------------------------------------------------- building dossiers


def demo_payload_and_files(doc_path: Path, year: int = YEAR) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The payload of a document's period and its embedded evidence files (attachment name -> bytes)."""
    doc = open_document(doc_path, read_only=True)
    try:
        payload = build_payload(doc, year, clock=CLOCK, draft=False)
        files: dict[str, bytes] = {}
        with doc.transaction() as s:
            for e in payload["evidence"]:
                if e["embedded"]:
                    files[e["attachment"]] = b"".join(read_blob(s, e["sha256"]))
    finally:
        doc.close()
    return payload, files


def write_dossier(
    out: Path,
    payload: dict[str, Any] | None,
    files: dict[str, bytes],
    *,
    raw_payload: bytes | None = None,
    compress: bool = False,
    sign: Pki | None = None,
) -> Path:
    """A dossier-shaped PDF: one page, the payload and ``files`` attached (signed with ``sign``'s .p12)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(72, 770, "Ho so thu nghiem")
    c.showPage()
    c.save()
    buf.seek(0)
    w = IncrementalPdfFileWriter(buf)
    allf = dict(files)
    if raw_payload is not None:
        allf[PAYLOAD_NAME] = raw_payload
    elif payload is not None:
        allf[PAYLOAD_NAME] = payload_bytes(payload)
    for name in sorted(allf):
        embed_attachment(w, name, allf[name], compress=compress)
    unsigned = out.with_name(out.name + ".unsigned") if sign else out
    with open(unsigned, "wb") as fh:
        w.write(fh)
    if sign is not None:
        from khoiapp.services.signing import open_p12_signer, sign_pdf_file

        with open_p12_signer(sign.signer_p12, P12_PASSWORD) as handle:
            sign_pdf_file(unsigned, out, handle)
        unsigned.unlink()
    return out


def refresh_manifest(payload: dict[str, Any], files: dict[str, bytes]) -> None:
    """Make the manifest and evidence entries match ``files`` again after a test changed them."""
    payload["manifest"] = sorted(
        ({"name": n, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b)} for n, b in files.items()),
        key=lambda m: m["name"],
    )
    for e in payload["evidence"]:
        if e["embedded"] and e["attachment"] in files:
            e["sha256"] = hashlib.sha256(files[e["attachment"]]).hexdigest()
            e["size"] = len(files[e["attachment"]])


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def demo_data(demo_template: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    return demo_payload_and_files(demo_template)


@pytest.fixture
def parts(demo_data: tuple[dict[str, Any], dict[str, bytes]]) -> tuple[dict[str, Any], dict[str, bytes]]:
    payload, files = demo_data
    return copy.deepcopy(payload), dict(files)


@pytest.fixture(scope="session")
def unsigned_dossier(tmp_path_factory: pytest.TempPathFactory, demo_data: Any) -> Path:
    return write_dossier(tmp_path_factory.mktemp("dossier") / "ho-so-2026.pdf", *demo_data)


@pytest.fixture(scope="session")
def signed_dossier(tmp_path_factory: pytest.TempPathFactory, demo_data: Any, pki: Pki) -> Path:  # noqa: F811
    return write_dossier(tmp_path_factory.mktemp("signed") / "ho-so-2026-da-ky.pdf", *demo_data, sign=pki)


@pytest.fixture
def target(demo_copy: Path) -> Path:
    """An existing document (the demo, with its 2026 period) to import into."""
    return demo_copy


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = cli_main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(
    capsys: pytest.CaptureFixture[str], doc: Path, dossier: Path, *extra: object, code: int = 2
) -> str:
    """Run ``import --into`` expecting ``code``; the document must stay byte-for-byte the same."""
    before = sha(doc)
    rc, out, err = run(capsys, "import", dossier, "--into", doc, *extra)
    assert rc == code, (out, err)
    assert err.startswith("Lỗi: ") and "Traceback" not in err
    assert sha(doc) == before
    return err


# --------------------------------------------------------------------------- the happy path


def test_import_new_from_trusted_signed_dossier(signed_dossier: Path, pki: Pki, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "nam-2027.khoi"
    res = importer.import_new(signed_dossier, out, trust=[pki.ca_pem])
    assert res.verdict == "ok" and not res.unverified
    assert (res.source_year, res.year) == (2026, 2027)
    assert res.criteria_to_confirm == 31 and res.evidence == 12 and res.evidence_files == 12
    with open_document(out) as doc:
        from khoiapp.services.document import list_periods

        (period,) = list_periods(doc)
        assert period.year_end == 2027
        assert period.source_dossier_sha256 == sha(signed_dossier)
        assert period.source_unverified is False
        crit = {c.code: c for c in checklist(doc, 2027).criteria}
        c = crit["1.1"]
        assert c.needs_confirmation
        assert c.status == "dat"
        assert c.evidence_codes == ("MC-1.1-01",)
        assert c.reference is not None
        assert c.reference["year"] == 2026 and c.reference["status"] == "dat"
        assert c.reference["title"] == c.title
        assert c.reference["evidence"] == ["MC-1.1-01"]
        assert c.reference["current_state"] == c.current_state != ""


def test_imported_evidence_is_inherited_and_byte_identical(
    unsigned_dossier: Path, demo_data: Any, tmp_path: Path
) -> None:
    payload, files = demo_data
    out = tmp_path / "moi.khoi"
    importer.import_new(unsigned_dossier, out, accept_unverified=True)
    from khoiapp.services.evidence import list_evidence

    with open_document(out) as doc:
        evs = list_evidence(doc, 2027)
        assert len(evs) == len(payload["evidence"])
        assert all(e.inherited for e in evs)
        by_code = {e["code"]: e for e in payload["evidence"]}
        with doc.transaction() as s:
            for e in evs:
                att = by_code[e.code]["attachment"]
                assert b"".join(read_blob(s, e.sha256)) == files[att]


def test_import_carries_unit_committee_convention_and_conduct_marked_inherited(
    unsigned_dossier: Path, demo_data: Any, tmp_path: Path
) -> None:
    payload, _ = demo_data
    out = tmp_path / "moi.khoi"
    importer.import_new(unsigned_dossier, out, accept_unverified=True)
    from khoiapp.services import content
    from khoiapp.services.document import get_unit

    with open_document(out) as doc:
        assert get_unit(doc).name == payload["unit"]["name"]
        assert get_unit(doc).head_name == payload["unit"]["head_name"]
        conv = content.current_convention(doc)
        assert conv is not None and conv.inherited and conv.title == payload["convention"]["title"]
        assert [a.body for ch in conv.chapters for a in ch.articles] == [
            a["body"] for ch in payload["convention"]["chapters"] for a in ch["articles"]
        ]
        rules = content.list_rows(doc, "conduct")
        assert [r.values["text"] for r in rules] == [r["text"] for r in payload["conduct"]]
        with doc.transaction() as s:
            from sqlalchemy import select

            from khoiapp.models import ConductRule

            assert all(r.inherited for r in s.scalars(select(ConductRule)).all())
        committee = content.list_rows(doc, "committee", 2027)
        assert [r.values["name"] for r in committee] == [m["name"] for m in payload["committee"]]


def test_import_into_existing_document_writes_backup_and_new_period(
    target: Path, unsigned_dossier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from khoiapp.services.backups import list_backups

    rc, out, err = run(capsys, "import", unsigned_dossier, "--into", target, "--accept-unverified", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert data["year"] == 2027 and data["unverified"] is True and data["verdict"] == "unsigned"
    (backup,) = list_backups(target)
    assert Path(data["backup"]) == backup.path
    with open_document(backup.path, read_only=True) as old:
        from khoiapp.services.document import list_periods

        assert [p.year_end for p in list_periods(old)] == [2026]
    with open_document(target) as doc:
        from khoiapp.services.document import list_periods

        periods = list_periods(doc)
        assert [p.year_end for p in periods] == [2026, 2027]
        assert periods[1].source_unverified is True


def test_import_year_option_sets_the_new_period(target: Path, unsigned_dossier: Path) -> None:
    with open_document(target) as doc:
        res = importer.import_dossier(doc, unsigned_dossier, year=2029, accept_unverified=True)
        assert res.year == 2029
        assert importer.reference_meta(doc, 2029)["year"] == 2026


def test_import_same_dossier_twice_into_same_year_is_refused(
    target: Path, unsigned_dossier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "import", unsigned_dossier, "--into", target, "--accept-unverified")[0] == 0
    err = refused(capsys, target, unsigned_dossier, "--accept-unverified")
    assert "đã được nhập vào kỳ đánh giá năm 2027" in err
    with open_document(target) as doc, pytest.raises(AlreadyImportedError):
        importer.import_dossier(doc, unsigned_dossier, accept_unverified=True)


def test_import_into_existing_year_is_refused(
    target: Path, unsigned_dossier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(capsys, target, unsigned_dossier, "--accept-unverified", "--year", 2026)
    assert "đã có kỳ đánh giá năm 2026" in err


def test_inspect_reports_without_writing(target: Path, signed_dossier: Path) -> None:
    before = sha(target)
    with open_document(target) as doc:
        plan = importer.inspect_dossier(signed_dossier, doc=doc)
    assert plan.verdict == "untrusted" and not plan.verified
    assert plan.target_year == 2027 and plan.criteria == 31 and plan.evidence_files == 12
    assert plan.signer == "Nguyễn Thị Ánh"
    assert sha(target) == before


# --------------------------------------------------------------------------- verification


def test_unsigned_dossier_refused_then_accepted_and_recorded(
    target: Path, unsigned_dossier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(capsys, target, unsigned_dossier, code=1)
    assert "chưa được ký số" in err and "--accept-unverified" in err
    assert run(capsys, "import", unsigned_dossier, "--into", target, "--accept-unverified")[0] == 0
    with open_document(target) as doc, doc.transaction() as s:
        from sqlalchemy import select

        from khoiapp.models import ImportRecord, Period

        p = s.scalar(select(Period).where(Period.year_end == 2027))
        assert p.source_unverified is True
        rec = s.scalar(select(ImportRecord))
        assert (rec.verdict, rec.source_year, rec.target_year) == ("unsigned", 2026, 2027)
        assert rec.dossier_sha256 == sha(unsigned_dossier)


def test_untrusted_signature_refused_unless_trusted(
    target: Path, signed_dossier: Path, pki: Pki, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    err = refused(capsys, target, signed_dossier, code=1)
    assert "chưa được tin cậy" in err
    rc, _out, err = run(capsys, "import", signed_dossier, "--into", target, "--trust", pki.ca_pem)
    assert rc == 0, err
    with open_document(target) as doc:
        from khoiapp.services.document import list_periods

        assert list_periods(doc)[-1].source_unverified is False


def test_tampered_dossier_refused(
    target: Path, signed_dossier: Path, pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    data = bytearray(signed_dossier.read_bytes())
    data[data.index(b"%PDF-", 10) + 3] ^= 0x01  # inside the first embedded evidence file
    bad = tmp_path / "bi-sua.pdf"
    bad.write_bytes(bytes(data))
    err = refused(capsys, target, bad, "--trust", pki.ca_pem, code=1)
    assert "không qua được kiểm tra chữ ký số" in err


def test_attachment_replaced_after_signing_refused(
    target: Path, signed_dossier: Path, pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with open(signed_dossier, "rb") as fh:
        w = IncrementalPdfFileWriter(fh, strict=False)
        embed_attachment(w, "MC-1.1-01.pdf", b"%PDF-1.4 gia mao")
        out = io.BytesIO()
        w.write(out)
    bad = tmp_path / "thay-tep.pdf"
    bad.write_bytes(out.getvalue())
    refused(capsys, target, bad, "--trust", pki.ca_pem, code=1)
    # accepting an unverified dossier never lets a replaced file in
    err = refused(capsys, target, bad, "--accept-unverified", code=2)
    assert "cùng tên «MC-1.1-01.pdf»" in err


# --------------------------------------------------------------------------- bad input


def test_not_a_pdf(target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "ho-so.pdf"
    f.write_bytes(b"PK\x03\x04 this is a zip file, not a PDF")
    err = refused(capsys, target, f, "--accept-unverified")
    assert "không phải tệp PDF" in err


def test_missing_file(target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, target, tmp_path / "khong-co.pdf", "--accept-unverified")
    assert "Không tìm thấy tệp" in err


def test_pdf_without_payload(target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write_dossier(tmp_path / "khong-du-lieu.pdf", None, {"MC-1.pdf": b"%PDF-1.4 x"})
    err = refused(capsys, target, f, "--accept-unverified")
    assert "không có dữ liệu hồ sơ" in err


@pytest.mark.parametrize(
    "raw",
    [b'{"schema": "khoi-dossier/1", "unit": ', b"\xff\xfe not utf-8", b'{"schema": NaN}', b'{"a": 1, "a": 2}'],
    ids=["truncated", "not-utf8", "nan", "duplicate-key"],
)
def test_corrupt_payload(raw: bytes, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write_dossier(tmp_path / "hong.pdf", None, {}, raw_payload=raw)
    err = refused(capsys, target, f, "--accept-unverified")
    assert "bị hỏng" in err


def test_payload_failing_schema(parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload, files = parts
    del payload["results"][0]["status"]
    err = refused(capsys, target, write_dossier(tmp_path / "sai.pdf", payload, files), "--accept-unverified")
    assert "không đúng định dạng khoi-dossier/1" in err


def test_payload_of_newer_version(parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload, files = parts
    payload["schema"] = "khoi-dossier/2"
    err = refused(capsys, target, write_dossier(tmp_path / "moi-hon.pdf", payload, files), "--accept-unverified")
    assert "cập nhật Khối" in err
    with pytest.raises(DossierTooNewError):
        importer.upgrade_payload(payload)


def test_older_payload_version_goes_through_the_upgrade_hook(
    parts: Any, target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload, files = parts
    payload["schema"] = "khoi-dossier/0"
    payload["unit"]["ten_cu"] = payload["unit"].pop("name")  # a field renamed in version 1

    def v0_to_v1(p: dict[str, Any]) -> dict[str, Any]:
        p = dict(p)
        p["unit"] = dict(p["unit"])
        p["unit"]["name"] = p["unit"].pop("ten_cu")
        p["schema"] = "khoi-dossier/1"
        return p

    f = write_dossier(tmp_path / "cu.pdf", None, files, raw_payload=json.dumps(payload, ensure_ascii=False).encode())
    with open_document(target) as doc, pytest.raises(DossierError, match="định dạng dữ liệu cũ"):
        importer.import_dossier(doc, f, accept_unverified=True)
    monkeypatch.setitem(importer.PAYLOAD_UPGRADES, 0, v0_to_v1)
    with open_document(target) as doc:
        res = importer.import_dossier(doc, f, accept_unverified=True)
        assert res.year == 2027


def test_missing_attachment(parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload, files = parts
    gone = sorted(files)[0]
    del files[gone]
    err = refused(capsys, target, write_dossier(tmp_path / "thieu.pdf", payload, files), "--accept-unverified")
    assert "thiếu tệp đính kèm" in err and gone in err


def test_attachment_hash_mismatch(parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload, files = parts
    name = sorted(files)[0]
    files[name] = files[name][:-1] + bytes([files[name][-1] ^ 0xFF])
    err = refused(capsys, target, write_dossier(tmp_path / "sai-bam.pdf", payload, files), "--accept-unverified")
    assert "không khớp" in err and name in err


def test_unlisted_attachment(parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload, files = parts
    files["them-vao.exe"] = b"MZ not evidence"
    err = refused(capsys, target, write_dossier(tmp_path / "them.pdf", payload, files), "--accept-unverified")
    assert "them-vao.exe" in err


UNSAFE_NAMES = ["../../etc/passwd", "/etc/cron.d/x", "C:\\Windows\\x.pdf", "C:x.pdf", "a\x00b.pdf", "CON.pdf"]


@pytest.mark.parametrize("bad", UNSAFE_NAMES, ids=["dotdot", "absolute", "drive", "drive-relative", "nul", "device"])
def test_unsafe_attachment_name(
    bad: str, parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload, files = parts
    name = sorted(files)[0]
    files[bad] = files.pop(name)
    for e in payload["evidence"]:
        if e["attachment"] == name:
            e["attachment"] = bad
    refresh_manifest(payload, files)
    err = refused(capsys, target, write_dossier(tmp_path / "ten.pdf", payload, files), "--accept-unverified")
    assert "tên không an toàn" in err


@pytest.mark.parametrize("bad", UNSAFE_NAMES, ids=["dotdot", "absolute", "drive", "drive-relative", "nul", "device"])
def test_unsafe_evidence_file_name(
    bad: str, parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload, files = parts
    payload["evidence"][0]["file_name"] = bad
    if "\x00" in bad:
        raw = payload_bytes(payload)
    else:
        raw = None
    err = refused(
        capsys, target, write_dossier(tmp_path / "ten.pdf", payload, files, raw_payload=raw), "--accept-unverified"
    )
    assert "tên không an toàn" in err or "không đúng định dạng" in err


@pytest.mark.parametrize("bad", ["../MC-1", "MC/1", "MC\x07"])
def test_unsafe_evidence_code(bad: str, parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload, files = parts
    payload["evidence"][0]["code"] = bad
    err = refused(capsys, target, write_dossier(tmp_path / "ma.pdf", payload, files), "--accept-unverified")
    assert "tên không an toàn" in err or "không đúng định dạng" in err


def test_attachment_over_the_size_limit(
    parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    payload, files = parts
    name = sorted(files)[0]
    files[name] = b"%PDF-1.4\n" + bytes(3 * 1024 * 1024)  # 3 MB, stored compressed: a few KB in the PDF
    refresh_manifest(payload, files)
    f = write_dossier(tmp_path / "lon.pdf", payload, files, compress=True)
    assert f.stat().st_size < 1024 * 1024
    monkeypatch.setenv("KHOI_EVIDENCE_LIMIT_MB", "1")
    err = refused(capsys, target, f, "--accept-unverified")
    assert "vượt giới hạn 1,0 MB" in err


def test_attachment_bigger_than_declared_stops_decoding(parts: Any, tmp_path: Path) -> None:
    """A flate bomb whose manifest claims a tiny size: decoding stops right past the declared size."""
    from khoiapp.dossier.reader import open_dossier

    payload, files = parts
    files["bom.pdf"] = bytes(200 * 1024 * 1024)
    f = write_dossier(tmp_path / "bom.pdf", None, files, raw_payload=b"{}", compress=True)
    with open_dossier(f) as rd:
        seen = 0
        with pytest.raises(DossierLimitError):
            for chunk in rd.iter_attachment("bom.pdf", limit=2 * 1024 * 1024):
                seen += len(chunk)
        assert seen <= 2 * 1024 * 1024


def test_deeply_nested_payload(parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload, files = parts
    raw = payload_bytes(payload)
    raw = raw[:-2] + b', "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"
    err = refused(capsys, target, write_dossier(tmp_path / "sau.pdf", None, files, raw_payload=raw), "--accept-unverified")
    assert "lồng nhau quá" in err


def test_huge_payload(target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = b'{"schema": "khoi-dossier/1", "x": "' + b" " * (60 * 1024 * 1024) + b'"}'
    f = write_dossier(tmp_path / "to.pdf", None, {}, raw_payload=raw, compress=True)
    assert f.stat().st_size < 1024 * 1024  # a small file that inflates past the limit
    err = refused(capsys, target, f, "--accept-unverified")
    assert "vượt giới hạn" in err


def test_framework_content_not_matching_its_hash(
    parts: Any, target: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload, files = parts
    payload["frameworks"][0]["source_toml"] += "\n# sửa\n"
    err = refused(capsys, target, write_dossier(tmp_path / "fw.pdf", payload, files), "--accept-unverified")
    assert "không khớp mã băm" in err


# --------------------------------------------------------------------------- names and JSON helpers


@pytest.mark.parametrize("name", ["MC-1.1-01.pdf", "Biên bản họp.pdf", "a.b.c"])
def test_check_name_accepts_plain_names(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize("name", [*UNSAFE_NAMES, "", ".", "..", " x", "x.", "a\u202eb", 5])
def test_check_name_refuses(name: Any) -> None:
    with pytest.raises(UnsafeNameError):
        check_name(name)


def test_json_depth_ignores_brackets_in_strings() -> None:
    assert json_depth(b'{"a": "[[[[[[{{{{", "b": [[1], {"c": []}]}') == 4
    assert json_depth(b'{"a": "x\\"[[[[", "b": []}') == 2
    assert json_depth(b"[" * 50 + b"]" * 50, limit=32) == 33
    with pytest.raises(DossierLimitError):
        parse_json(b"[" * 40 + b"]" * 40)
    assert parse_json(b"[" * 10 + b"]" * 10) == [[[[[[[[[[]]]]]]]]]]


# --------------------------------------------------------------------------- all or nothing


def test_failure_during_import_leaves_document_byte_identical(target: Path, unsigned_dossier: Path) -> None:
    before = sha(target)
    calls = {"n": 0}

    def cancel_late() -> bool:
        calls["n"] += 1
        return calls["n"] > 8  # after a few evidence files were written

    with open_document(target) as doc, pytest.raises(Cancelled):
        importer.import_dossier(doc, unsigned_dossier, accept_unverified=True, is_cancelled=cancel_late)
    assert calls["n"] > 8
    assert sha(target) == before
    with open_document(target) as doc:
        from khoiapp.services.document import list_periods

        assert [p.year_end for p in list_periods(doc)] == [2026]


def test_import_new_leaves_no_file_on_failure(parts: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload, files = parts
    del files[sorted(files)[0]]
    f = write_dossier(tmp_path / "thieu.pdf", payload, files)
    out = tmp_path / "moi.khoi"
    rc, _o, err = run(capsys, "import", f, "--new", out, "--accept-unverified")
    assert rc == 2 and "thiếu tệp" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thieu.pdf"]


def test_import_new_cancelled_leaves_no_file(unsigned_dossier: Path, tmp_path: Path) -> None:
    out = tmp_path / "moi.khoi"
    calls = {"n": 0}

    def cancel_late() -> bool:
        calls["n"] += 1
        return calls["n"] > 5

    with pytest.raises(Cancelled):
        importer.import_new(unsigned_dossier, out, accept_unverified=True, is_cancelled=cancel_late)
    assert list(tmp_path.iterdir()) == []


def test_import_new_refuses_existing_file(unsigned_dossier: Path, target: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sha(target)
    rc, _o, err = run(capsys, "import", unsigned_dossier, "--new", target, "--accept-unverified")
    assert rc == 2 and "đã tồn tại" in err
    assert sha(target) == before


# --------------------------------------------------------------------------- frameworks


def _older_framework_dossier(payload: dict[str, Any], files: dict[str, bytes], out: Path) -> Path:
    """The demo dossier as if made with framework version 2025.1: one criterion reworded, one gone since."""
    fw = payload["frameworks"][0]
    toml = fw["source_toml"].replace('version = "2026.1"', 'version = "2025.1"', 1)
    assert toml != fw["source_toml"]
    fw["source_toml"] = toml
    fw["version"] = "2025.1"
    fw["sha256"] = hashlib.sha256(toml.encode("utf-8")).hexdigest()
    for r in payload["results"]:
        if r["code"] == "1.2":
            r["title"] = "Nội dung cũ của tiêu chí 1.2"
    gone = copy.deepcopy(payload["results"][0])
    gone["code"] = "9.9"
    gone["evidence"] = []
    payload["results"].append(gone)
    return write_dossier(out, payload, files)


def test_newer_bundled_framework_maps_by_code_and_lists_unmatched(parts: Any, tmp_path: Path) -> None:
    payload, files = parts
    f = _older_framework_dossier(payload, files, tmp_path / "cu.pdf")
    out = tmp_path / "moi.khoi"
    res = importer.import_new(f, out, accept_unverified=True)
    base = res.frameworks[0]
    assert (base.source, base.dossier_version, base.version) == ("bundled", "2025.1", "2026.1")
    assert base.unmatched == ("9.9",) and base.reworded == ("1.2",)
    assert any("9.9" in n for n in res.notes)
    with open_document(out) as doc:
        done = confirm(doc, 2027, all_unchanged=True)
        assert "1.2" not in done and "1.1" in done
        left = [c.code for c in checklist(doc, 2027).criteria if c.needs_confirmation]
        assert left == ["1.2"]


def test_dossier_framework_used_when_not_older(unsigned_dossier: Path, tmp_path: Path) -> None:
    res = importer.import_new(unsigned_dossier, tmp_path / "moi.khoi", accept_unverified=True)
    assert [f.source for f in res.frameworks] == ["dossier", "dossier"]
    assert all(not f.unmatched and not f.reworded for f in res.frameworks)


# --------------------------------------------------------------------------- confirm CLI


def test_confirm_cli_all_unchanged_and_by_code(
    unsigned_dossier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "moi.khoi"
    assert run(capsys, "import", unsigned_dossier, "--new", out, "--accept-unverified")[0] == 0
    rc, o, _ = run(capsys, "confirm", out, "--year", 2027, "1.1", "KM.1", "--json")
    assert rc == 0 and json.loads(o)["confirmed"] == ["1.1", "KM.1"]
    assert len(json.loads(o)["remaining"]) == 29
    rc, o, _ = run(capsys, "confirm", out, "--year", 2027, "--all-unchanged")
    assert rc == 0 and "Đã xác nhận 29 tiêu chí" in o and "Không còn tiêu chí nào" in o


@pytest.mark.parametrize("args", [(), ("1.1", "--all-unchanged")])
def test_confirm_cli_needs_exactly_one_choice(
    args: tuple[str, ...], unsigned_dossier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "moi.khoi"
    importer.import_new(unsigned_dossier, out, accept_unverified=True)
    rc, _o, err = run(capsys, "confirm", out, "--year", 2027, *args)
    assert rc == 2 and "--all-unchanged" in err


def test_confirm_cli_unknown_code(unsigned_dossier: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "moi.khoi"
    importer.import_new(unsigned_dossier, out, accept_unverified=True)
    before = sha(out)
    rc, _o, err = run(capsys, "confirm", out, "--year", 2027, "7.7")
    assert rc == 2 and "7.7" in err
    assert sha(out) == before


def test_unconfirmed_criteria_block_the_export_preflight(unsigned_dossier: Path, tmp_path: Path) -> None:
    from khoiapp.services.document import period_summary

    out = tmp_path / "moi.khoi"
    importer.import_new(unsigned_dossier, out, accept_unverified=True)
    with open_document(out) as doc:
        s = period_summary(doc, 2027)
        assert s.counts["can-xac-nhan"] == 31
        assert s.readiness.answered == 0
        confirm(doc, 2027, all_unchanged=True)
        assert period_summary(doc, 2027).readiness.answered == 31


# --------------------------------------------------------------------------- round trip


ROUND_TRIP_EXEMPT = {"created_at", "period", "activities", "activity_totals", "awards", "plan"}
"""Payload parts that legitimately differ: the clock, the period itself and the year's own records
(activities, awards and plan items belong to the year they happened in and are not carried over)."""


def _strip_markers(payload: dict[str, Any]) -> dict[str, Any]:
    p = {k: v for k, v in payload.items() if k not in ROUND_TRIP_EXEMPT}
    p["results"] = [{**r, "reference": None, "needs_confirmation": False} for r in p["results"]]
    p["evidence"] = [{**e, "inherited": False} for e in p["evidence"]]
    return p


def test_round_trip_demo_export_import_confirm_export(
    demo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from khoiapp.services.export import export_dossier

    first = tmp_path / "ho-so-2026.pdf"
    with open_document(demo_copy) as doc:
        export_dossier(doc, YEAR, first, clock=CLOCK)
    new_doc = tmp_path / "nam-2027.khoi"
    rc, _o, err = run(capsys, "import", first, "--new", new_doc, "--accept-unverified")
    assert rc == 0, err
    rc, _o, err = run(capsys, "confirm", new_doc, "--year", 2027, "--all-unchanged")
    assert rc == 0, err
    second = tmp_path / "ho-so-2027.pdf"
    with open_document(new_doc) as doc:
        export_dossier(doc, 2027, second, clock=CLOCK)

    from khoiapp.dossier.reader import open_dossier

    with open_dossier(first) as a, open_dossier(second) as b:
        pa, _ = a.read_payload()
        pb, _ = b.read_payload()
        # «Số năm liên tục» is one more year in the new period; everything else is carried unchanged
        years_a = next(r for r in pa["results"] if r["code"] == "4.2")
        years_b = next(r for r in pb["results"] if r["code"] == "4.2")
        assert years_b["value"] == years_a["value"] + 1 and years_b["reference"]["value"] == years_a["value"]
        comparison = pb.pop("comparison")  # the dossier says what changed since last year: that one number
        assert [c["code"] for c in comparison["criteria"]] == ["4.2"], comparison
        for payload in (pa, pb):
            payload["results"] = [r for r in payload["results"] if r["code"] != "4.2"]
        assert _strip_markers(pa) == _strip_markers(pb)
        assert pb["period"]["source"] == {"dossier_sha256": sha(first), "unverified": True}
        assert all(e["inherited"] for e in pb["evidence"])
        assert all(r["reference"]["year"] == 2026 for r in pb["results"])
        assert not any(r["needs_confirmation"] for r in pb["results"])
        assert a.names == b.names
        for m in pa["manifest"]:
            assert a.read_attachment(m["name"], limit=m["size"]) == b.read_attachment(m["name"], limit=m["size"])
