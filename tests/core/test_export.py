"""Exporting the dossier PDF: attachments, determinism, preflight, self-check, cancel, signing, streaming."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import stat
import subprocess
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import pytest

from khoiapp.db import open_document
from khoiapp.dossier.limits import PAYLOAD_NAME
from khoiapp.errors import (
    Cancelled,
    DiskFullError,
    ExportCheckError,
    ExportRefusedError,
    OutputPathError,
)
from khoiapp.services import criteria, document, evidence
from khoiapp.services import export as exportsvc
from khoiapp.services.export import SignRequest, export_dossier, temp_path_for
from khoiapp.dossier.limits import MAX_PAYLOAD_BYTES
from khoiapp.dossier.reader import open_dossier
from khoiapp.services.payload import build_payload, validate_payload
from tests.tools import require_tool

CLOCK = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


class StubRenderInfo(NamedTuple):
    pages: int
    signature_box: tuple[int, tuple[float, float, float, float]] | None


def stub_render(
    payload: dict[str, Any],
    out: BinaryIO,
    *,
    draft: bool,
    open_evidence: Callable[[str], Iterator[bytes]] | None,
    clock: dt.datetime,
) -> StubRenderInfo:
    """Stand-in for khoiapp.pdf.render while it is not there: a small deterministic PDF."""
    from reportlab.pdfgen import canvas

    from khoiapp.pdf.fonts import REGULAR, register_fonts

    register_fonts()
    c = canvas.Canvas(out, invariant=1, initialFontName=REGULAR, initialFontSize=11)
    c.setTitle(f"Hồ sơ tự đánh giá {payload['unit']['name']} năm {payload['period']['label']}")
    c.setAuthor(payload["unit"]["name"])
    lines = [payload["unit"]["name"], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    lines += [r["title"][:90] for r in payload["results"]]
    pages = 0
    for start in range(0, len(lines), 40):
        c.setFont(REGULAR, 11)
        if draft:
            c.drawString(40, 810, "BẢN NHÁP")
        y = 780
        for line in lines[start : start + 40]:
            c.drawString(40, y, line)
            y -= 18
        c.showPage()
        pages += 1
    c.save()
    return StubRenderInfo(pages=pages, signature_box=(0, (300.0, 60.0, 540.0, 140.0)))


def _real_renderer() -> bool:
    try:
        spec = importlib.util.find_spec("khoiapp.pdf.render")
    except ModuleNotFoundError:
        return False
    return spec is not None


@pytest.fixture
def renderer(monkeypatch: pytest.MonkeyPatch) -> bool:
    """Use the real page renderer when it exists, else the stub; returns True for the real one."""
    if _real_renderer():
        return True
    monkeypatch.setattr(exportsvc, "_render_dossier", stub_render)
    return False


@pytest.fixture
def demo_doc(demo_copy: Path, renderer: bool) -> Iterator[Any]:
    doc = open_document(demo_copy)
    yield doc
    doc.close()


def _export(doc: Any, out: Path, **kw: Any) -> exportsvc.ExportResult:
    kw.setdefault("clock", CLOCK)
    return export_dossier(doc, 2026, out, **kw)


def test_export_demo_embeds_payload_and_every_evidence_file(demo_doc: Any, tmp_path: Path) -> None:
    out = tmp_path / "ho-so.pdf"
    res = _export(demo_doc, out)
    assert out.exists() and res.size == out.stat().st_size
    assert not temp_path_for(out).exists()
    payload = build_payload(demo_doc, 2026, clock=CLOCK, draft=False)
    expected = {PAYLOAD_NAME} | {m["name"] for m in payload["manifest"]}
    assert res.attachments == len(payload["manifest"]) > 0
    listing = subprocess.run(
        [require_tool("pdfdetach"), "-list", str(out)], capture_output=True, text=True, check=True
    ).stdout
    listed = {line.split(": ", 1)[1].strip() for line in listing.splitlines()[1:]}
    assert listed == expected


def test_export_payload_validates_and_equals_document(demo_doc: Any, tmp_path: Path) -> None:
    out = tmp_path / "ho-so.pdf"
    res = _export(demo_doc, out)
    with open_dossier(out) as rd:
        raw = rd.read_attachment(PAYLOAD_NAME, limit=MAX_PAYLOAD_BYTES)
    got = json.loads(raw)
    validate_payload(got)
    assert got == build_payload(demo_doc, 2026, clock=CLOCK, draft=False)
    assert hashlib.sha256(raw).hexdigest() == res.payload_sha256


def test_export_attachments_read_back_identically(demo_doc: Any, tmp_path: Path) -> None:
    import pypdf

    out = tmp_path / "ho-so.pdf"
    _export(demo_doc, out)
    payload = build_payload(demo_doc, 2026, clock=CLOCK, draft=False)
    reader = pypdf.PdfReader(out)
    atts = reader.attachments
    for m in payload["manifest"]:
        (data,) = atts[m["name"]]
        assert hashlib.sha256(data).hexdigest() == m["sha256"]
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]) == "vi-VN"
    af = [x.get_object() for x in root["/AF"]]
    rel = {str(s["/F"]): str(s["/AFRelationship"]) for s in af}
    assert rel[PAYLOAD_NAME] == "/Data"
    assert reader.metadata is not None and payload["unit"]["name"] in (reader.metadata.author or "")
    spec = next(s for s in af if str(s["/F"]) == PAYLOAD_NAME)
    stream = spec["/EF"]["/F"].get_object()
    assert stream["/Params"]["/Size"] == len(json.dumps(payload, ensure_ascii=False, indent=1).encode()) + 1
    checksum = stream["/Params"]["/CheckSum"]
    checksum = getattr(checksum, "original_bytes", checksum)
    assert bytes(checksum) == hashlib.md5(stream.get_data()).digest()


def test_export_opens_in_pyhanko(demo_doc: Any, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    out = tmp_path / "ho-so.pdf"
    _export(demo_doc, out)
    with open(out, "rb") as fh:
        r = PdfFileReader(fh, strict=True)
        assert r.xrefs.total_revisions == 2
        assert "/EmbeddedFiles" in r.root["/Names"]


def test_export_same_clock_is_byte_identical(demo_doc: Any, tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    _export(demo_doc, a)
    _export(demo_doc, b)
    assert a.read_bytes() == b.read_bytes()
    c = tmp_path / "c.pdf"
    _export(demo_doc, c, clock=CLOCK + dt.timedelta(days=1))
    assert c.read_bytes() != a.read_bytes()


@pytest.mark.parametrize("draft", [False, True])
def test_export_draft_stamp_only_in_draft(demo_doc: Any, tmp_path: Path, draft: bool) -> None:
    out = tmp_path / "ho-so.pdf"
    _export(demo_doc, out, draft=draft)
    text = subprocess.run(
        [require_tool("pdftotext"), str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert ("BẢN NHÁP" in text) is draft


@pytest.fixture
def unanswered_doc(demo_copy: Path, renderer: bool) -> Iterator[Any]:
    doc = open_document(demo_copy)
    first = criteria.checklist(doc, 2026).criteria[0]
    criteria.set_result(doc, 2026, first.code, status=criteria.scoring.ResultStatus.UNANSWERED)
    yield doc
    doc.close()


def test_export_refuses_with_unanswered_criterion(unanswered_doc: Any, tmp_path: Path) -> None:
    out = tmp_path / "ho-so.pdf"
    code = criteria.checklist(unanswered_doc, 2026).criteria[0].code
    with pytest.raises(ExportRefusedError) as exc:
        _export(unanswered_doc, out)
    assert exc.value.exit_code == 1
    assert f"[{code}]" in exc.value.message and "--draft" in exc.value.message
    assert not out.exists() and not temp_path_for(out).exists()


def test_export_draft_allows_unanswered_criterion(unanswered_doc: Any, tmp_path: Path) -> None:
    out = tmp_path / "ho-so.pdf"
    res = _export(unanswered_doc, out, draft=True)
    assert out.exists() and res.pages >= 1
    with open_dossier(out) as rd:
        assert rd.payload()["draft"] is True


def test_export_missing_folder_is_output_error(demo_doc: Any, tmp_path: Path) -> None:
    out = tmp_path / "khong-co" / "ho-so.pdf"
    with pytest.raises(OutputPathError) as exc:
        _export(demo_doc, out)
    assert "không tồn tại" in exc.value.message
    assert not out.parent.exists()


def _make_unwritable(folder: Path) -> Callable[[], None]:
    """Make ``folder`` unwritable even for root (CI runs as root): chattr +i, else chmod."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        chattr = require_tool("chattr")
        subprocess.run([chattr, "+i", str(folder)], check=True, capture_output=True)
        return lambda: subprocess.run([chattr, "-i", str(folder)], check=True, capture_output=True)  # type: ignore[return-value]
    folder.chmod(0o555)  # plain users: permissions are enough
    return lambda: folder.chmod(0o755)


def test_export_unwritable_folder_leaves_nothing(demo_doc: Any, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    undo = _make_unwritable(folder)
    try:
        with pytest.raises(OutputPathError) as exc:
            _export(demo_doc, folder / "ho-so.pdf")
        assert exc.value.exit_code == 2 and "quyền ghi" in exc.value.message
        assert list(folder.iterdir()) == []
    finally:
        undo()


def test_export_disk_full_leaves_nothing(demo_doc: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ho-so.pdf"

    def full(*a: Any, **k: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exportsvc, "_write_evidence_stream", full)
    with pytest.raises(DiskFullError):
        _export(demo_doc, out)
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".pdf" or "dang-xuat" in p.name]


def test_export_self_check_catches_corruption(demo_doc: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ho-so.pdf"
    out.write_bytes(b"old dossier")
    real = exportsvc._append_attachments

    def corrupting(fh: BinaryIO, *a: Any, **k: Any) -> None:
        real(fh, *a, **k)
        fh.flush()
        data = Path(fh.name).read_bytes()
        # inside the data of the first evidence file (the payload is Flate, evidence is stored as is)
        first = data.index(b"/Type /EmbeddedFile /Subtype /application#2Fpdf")
        i = data.index(b">>\nstream\n", first) + len(b">>\nstream\n")
        fh.seek(i + 100)
        fh.write(b"\xff\x00\xff")
        fh.seek(0, os.SEEK_END)

    monkeypatch.setattr(exportsvc, "_append_attachments", corrupting)
    with pytest.raises(ExportCheckError) as exc:
        _export(demo_doc, out)
    assert exc.value.exit_code == 1 and "SHA-256" in exc.value.message
    assert out.read_bytes() == b"old dossier"  # the previous file is untouched
    assert not temp_path_for(out).exists()


def test_export_self_check_catches_payload_difference(
    demo_doc: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ho-so.pdf"
    real = exportsvc._append_attachments

    def other_payload(fh: BinaryIO, doc: Any, raw: bytes, *a: Any, **k: Any) -> None:
        real(fh, doc, raw.replace(b'"draft": false', b'"draft": true'), *a, **k)

    monkeypatch.setattr(exportsvc, "_append_attachments", other_payload)
    with pytest.raises(ExportCheckError):
        _export(demo_doc, out)
    assert not out.exists() and not temp_path_for(out).exists()


def test_export_cancel_leaves_nothing(demo_doc: Any, tmp_path: Path) -> None:
    out = tmp_path / "ho-so.pdf"
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))

    with pytest.raises(Cancelled):
        _export(demo_doc, out, progress=progress, is_cancelled=lambda: len(calls) > 3)
    assert len(calls) > 3
    assert not out.exists() and not temp_path_for(out).exists()


def test_export_progress_reaches_total(demo_doc: Any, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    _export(demo_doc, tmp_path / "a.pdf", progress=lambda d, t: calls.append((d, t)))
    assert calls[0][0] == 0
    assert calls[-1][0] == calls[-1][1] > 0
    assert all(b[0] >= a[0] for a, b in zip(calls, calls[1:]))


def test_export_listed_only_evidence_not_embedded(demo_doc: Any, tmp_path: Path) -> None:
    ev = evidence.list_evidence(demo_doc, 2026)[0]
    evidence.update_evidence(demo_doc, ev.id, embed=False)
    out = tmp_path / "ho-so.pdf"
    res = _export(demo_doc, out)
    with open_dossier(out) as rd:
        names = set(rd.names)
    assert not any(n.startswith(ev.code + ".") for n in names)
    assert res.attachments == len(names) - 1


def test_expected_size_close_to_actual(demo_doc: Any, tmp_path: Path) -> None:
    est = exportsvc.expected_size(demo_doc, 2026)
    res = _export(demo_doc, tmp_path / "a.pdf")
    assert 0.4 * res.size <= est <= 2.5 * res.size


def test_expected_size_with_large_photos(demo_doc: Any, tmp_path: Path) -> None:
    """Big photos are printed downscaled: the estimate must not count them twice at full size."""
    import io
    import random

    from PIL import Image

    rng = random.Random(7)
    for i in range(6):
        img = Image.frombytes("RGB", (1600, 1200), rng.randbytes(1600 * 1200 * 3))
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=92)
        evidence.add_evidence_bytes(demo_doc, 2026, buf.getvalue(), f"anh-{i}.jpg", criteria=("1.1",))
    est = exportsvc.expected_size(demo_doc, 2026)
    res = _export(demo_doc, tmp_path / "a.pdf")
    assert 0.75 * res.size <= est <= 1.3 * res.size, (est, res.size)


def test_signed_export_verifies_intact_and_valid(demo_doc: Any, tmp_path: Path) -> None:
    from khoiapp.services import signing
    from khoiapp.services.verify import verify_dossier

    p12 = tmp_path / "unit.p12"
    signing.create_unit_certificate("Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa", p12, "mat-khau-1")
    out = tmp_path / "ho-so-ky.pdf"
    res = _export(demo_doc, out, sign=SignRequest(p12_path=p12, password="mat-khau-1", visible=True))
    assert res.signed
    rep = verify_dossier(out, use_trust_store=False)
    assert rep.signed and rep.intact and rep.valid and rep.entire_file
    assert rep.attachments_ok and not (rep.missing or rep.mismatched or rep.unexpected)
    assert not rep.modified_after_signing
    assert rep.verdict == "untrusted"  # a unit's own certificate, not in the trust list


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_signed_export_gets_the_users_normal_permissions(demo_doc: Any, tmp_path: Path, umask: int) -> None:
    from khoiapp.services import signing

    p12 = tmp_path / "unit.p12"
    signing.create_unit_certificate("Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa", p12, "mat-khau-1")
    out = tmp_path / "ho-so-ky.pdf"
    old = os.umask(umask)
    try:
        _export(demo_doc, out, sign=SignRequest(p12_path=p12, password="mat-khau-1"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask  # colleagues on a shared folder can open it


def test_signed_export_wrong_password_leaves_nothing(demo_doc: Any, tmp_path: Path) -> None:
    from khoiapp.errors import CertificatePasswordError
    from khoiapp.services import signing

    p12 = tmp_path / "unit.p12"
    signing.create_unit_certificate("Đơn vị thử", p12, "dung")
    out = tmp_path / "ho-so-ky.pdf"
    with pytest.raises(CertificatePasswordError):
        _export(demo_doc, out, sign=SignRequest(p12_path=p12, password="sai", visible=False))
    assert not out.exists() and not temp_path_for(out).exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".pdf" or "dang-xuat" in p.name]


def test_export_streams_evidence(tmp_path: Path, renderer: bool) -> None:
    """20 MB of evidence: Python allocations during export stay far below the evidence size."""
    doc = document.new_document(tmp_path / "big.khoi", unit_name="Đơn vị thử", unit_type="co-quan", year=2026)
    try:
        code = criteria.checklist(doc, 2026).criteria[0].code
        for i in range(4):
            evidence.add_evidence_bytes(doc, 2026, os.urandom(5 * 1024 * 1024), f"bien-ban-{i}.pdf", criteria=(code,))
        total = evidence.total_embedded_size(doc, 2026)
        assert total >= 20 * 1024 * 1024
        # warm up: imports and font registration are one-off allocations, not per-export memory
        export_dossier(doc, 2026, tmp_path / "warm.pdf", draft=True, clock=CLOCK)
        tracemalloc.start()
        try:
            base, _ = tracemalloc.get_traced_memory()
            res = export_dossier(doc, 2026, tmp_path / "big.pdf", draft=True, clock=CLOCK)
            _cur, peak = tracemalloc.get_traced_memory()
            peak -= base
        finally:
            tracemalloc.stop()
    finally:
        doc.close()
    assert res.size > total
    assert peak < 10 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
