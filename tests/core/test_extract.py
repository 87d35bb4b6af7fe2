"""Extracting a dossier: payload and evidence written with safe names, every hash checked."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from khoiapp.db import open_document
from khoiapp.dossier.limits import PAYLOAD_NAME
from khoiapp.errors import DossierError
from khoiapp.services.export import export_dossier
from khoiapp.dossier.reader import open_dossier
from khoiapp.services.extract import check_safe_name, extract_dossier
from khoiapp.services.payload import build_payload, payload_bytes
from tests.core.test_export import renderer  # noqa: F401 - fixture: real renderer or the stub

CLOCK = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def dossier(demo_copy: Path, renderer: bool, tmp_path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    doc = open_document(demo_copy)
    try:
        out = tmp_path / "ho-so.pdf"
        export_dossier(doc, 2026, out, clock=CLOCK)
        payload = build_payload(doc, 2026, clock=CLOCK, draft=False)
    finally:
        doc.close()
    yield out, payload


def _crafted(tmp_path: Path, attachments: dict[str, bytes], manifest_names: list[str] | None = None) -> Path:
    """A minimal dossier made with pypdf: a blank page, a payload and the given attachments."""
    import pypdf

    w = pypdf.PdfWriter()
    w.add_blank_page(595, 842)
    names = manifest_names if manifest_names is not None else list(attachments)
    payload = {
        "schema": "khoi-dossier/1",
        "manifest": [
            {"name": n, "sha256": hashlib.sha256(attachments.get(n, b"")).hexdigest(), "size": len(attachments.get(n, b""))}
            for n in names
        ],
    }
    w.add_attachment(PAYLOAD_NAME, json.dumps(payload).encode())
    for name, data in attachments.items():
        w.add_attachment(name, data)
    out = tmp_path / "crafted.pdf"
    buf = io.BytesIO()
    w.write(buf)
    out.write_bytes(buf.getvalue())
    return out


def test_extract_writes_payload_and_every_file(dossier: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    pdf, payload = dossier
    out = tmp_path / "giai-nen"
    res = extract_dossier(pdf, out)
    assert res.ok, res.problems
    assert res.payload_path == out / PAYLOAD_NAME
    assert res.payload_path.read_bytes() == payload_bytes(payload)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([PAYLOAD_NAME] + [m["name"] for m in payload["manifest"]])
    for m in payload["manifest"]:
        assert hashlib.sha256((out / m["name"]).read_bytes()).hexdigest() == m["sha256"]


def test_extract_reports_mismatched_hash(dossier: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    pdf, payload = dossier
    data = bytearray(pdf.read_bytes())
    first = data.index(b"/Type /EmbeddedFile /Subtype /application#2Fpdf")
    start = data.index(b">>\nstream\n", first) + len(b">>\nstream\n")
    data[start + 200] ^= 0xFF  # same length: structure intact, content changed
    pdf.write_bytes(bytes(data))
    out = tmp_path / "giai-nen"
    res = extract_dossier(pdf, out)
    assert not res.ok
    bad = [m["name"] for m in payload["manifest"] if any(m["name"] in p for p in res.problems)]
    assert len(bad) == 1
    assert not (out / bad[0]).exists()  # a file that does not match is not kept
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "C:evil.pdf", "a\\..\\b.pdf", "bad\x00.pdf", "tab\t.pdf", "..", "CON.pdf"])
def test_check_safe_name_rejects(name: str) -> None:
    with pytest.raises(DossierError) as exc:
        check_safe_name(name)
    assert "không an toàn" in exc.value.message


@pytest.mark.parametrize("name", ["MC-1.1-01.pdf", "khoi-dossier.json", "Biên bản họp.docx", "a..b.pdf"])
def test_check_safe_name_accepts(name: str) -> None:
    assert check_safe_name(name) == name


def test_extract_rejects_path_in_attachment_name(tmp_path: Path) -> None:
    pdf = _crafted(tmp_path, {"../x": b"evil"})
    out = tmp_path / "a" / "b"
    with pytest.raises(DossierError):
        extract_dossier(pdf, out)
    assert not (tmp_path / "a" / "x").exists()
    assert not out.exists()


def test_extract_rejects_path_in_manifest_name(tmp_path: Path) -> None:
    pdf = _crafted(tmp_path, {"ok.pdf": b"data"}, manifest_names=["ok.pdf", "../../x"])
    with pytest.raises(DossierError):
        extract_dossier(pdf, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_extract_reports_unlisted_attachment(tmp_path: Path) -> None:
    pdf = _crafted(tmp_path, {"a.pdf": b"aaa", "them.pdf": b"bbb"}, manifest_names=["a.pdf"])
    res = extract_dossier(pdf, tmp_path / "out")
    assert any("them.pdf" in p for p in res.problems)
    assert not (tmp_path / "out" / "them.pdf").exists()
    assert (tmp_path / "out" / "a.pdf").read_bytes() == b"aaa"


def test_extract_missing_payload(tmp_path: Path) -> None:
    import pypdf

    w = pypdf.PdfWriter()
    w.add_blank_page(595, 842)
    pdf = tmp_path / "plain.pdf"
    with open(pdf, "wb") as fh:
        w.write(fh)
    with pytest.raises(DossierError) as exc:
        extract_dossier(pdf, tmp_path / "out")
    assert PAYLOAD_NAME in exc.value.message


def test_extract_not_a_pdf(tmp_path: Path) -> None:
    f = tmp_path / "x.pdf"
    f.write_text("không phải PDF")
    with pytest.raises(DossierError):
        extract_dossier(f, tmp_path / "out")


def test_reader_streams_pypdf_written_attachments(tmp_path: Path) -> None:
    """Attachments written by another tool (pypdf, Flate-compressed) read back the same."""
    pdf = _crafted(tmp_path, {"a.pdf": b"x" * 3_000_000})
    with open_dossier(pdf) as rd:
        assert rd.read_attachment("a.pdf", limit=3_000_000) == b"x" * 3_000_000
        with pytest.raises(DossierError):
            rd.read_attachment("a.pdf", limit=1000)
