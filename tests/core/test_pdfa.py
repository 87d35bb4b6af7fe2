"""The exported dossier is a PDF/A-3b file, unsigned, as a draft and signed (tests/pdfa_check.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from khoiapp.db import open_document
from khoiapp.services.export import SignRequest, export_dossier
from tests.pdfa_check import pdfa3b_problems

CLOCK = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.mark.parametrize("draft", [False, True])
def test_export_is_pdfa3b(demo_copy: Path, tmp_path: Path, draft: bool) -> None:
    with open_document(demo_copy) as doc:
        res = export_dossier(doc, 2026, tmp_path / "ho-so.pdf", clock=CLOCK, draft=draft)
    assert pdfa3b_problems(res.path) == []
    info = PdfReader(str(res.path)).metadata
    assert info is not None and info["/CreationDate"] == "D:20261205090000+07'00'"  # not 1 January 2000


def test_signed_export_stays_pdfa3b(demo_copy: Path, tmp_path: Path) -> None:
    from khoiapp.services import signing

    p12 = tmp_path / "unit.p12"
    signing.create_unit_certificate("Trung tâm Dịch vụ Văn hóa", p12, "mat-khau")
    with open_document(demo_copy) as doc:
        res = export_dossier(doc, 2026, tmp_path / "ho-so-ky.pdf", clock=CLOCK,
                             sign=SignRequest(p12_path=p12, password="mat-khau", visible=True))
    assert res.signed
    assert pdfa3b_problems(res.path) == []
    # the page labels (catalog /PageLabels) survive the attachments' and the signature's revisions
    labels = PdfReader(str(res.path)).page_labels
    assert labels[:3] == ["Bìa-1", "ML-1", "ĐK-1"] and "BC-1" in labels and labels[-1].startswith("KT-")


def test_dates_are_vietnams_on_a_utc_machine(demo_copy: Path, tmp_path: Path) -> None:
    """At 01:36 on 2 December in Vietnam (18:36 on 1 December UTC) the report is dated 02/12."""
    out = tmp_path / "ho-so.pdf"
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, TZ="UTC", PYTHONPATH=str(root))
    subprocess.run([sys.executable, str(root / "main.py"), "export", str(demo_copy), "--year", "2026",
                    "--out", str(out), "--clock", "2026-12-01T18:36:00+00:00"], check=True, env=env,
                   capture_output=True)
    text = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Thanh Hóa, ngày 02 tháng 12 năm 2026" in text
    assert "01:36 ngày 02/12/2026 (giờ Việt Nam)" in text
    assert "ngày 01 tháng 12" not in text


def test_the_check_finds_the_faults_it_names(tmp_path: Path) -> None:
    """pdfa_check is only worth its «[]» if it reports these: an unembedded font (also by pdffonts),
    a CMYK image, additional actions on a page, an LZW stream."""
    import io

    from PIL import Image
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, StreamObject
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from tests.tools import require_tool

    require_tool("pdffonts")
    jpeg = io.BytesIO()
    Image.new("CMYK", (40, 30), (0, 80, 80, 10)).save(jpeg, format="JPEG")
    src = tmp_path / "xau.pdf"
    c = canvas.Canvas(str(src), invariant=True)
    c.setFont("Helvetica", 12)  # one of the 14 standard fonts: never embedded
    c.drawString(72, 720, "Bien ban")
    c.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 72, 600, 40, 30)
    c.showPage()
    c.save()
    w = PdfWriter(clone_from=str(src))
    w.pages[0][NameObject("/AA")] = DictionaryObject()
    lzw = StreamObject()
    lzw[NameObject("/Filter")] = NameObject("/LZWDecode")
    lzw.set_data(b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01")
    w.pages[0][NameObject("/PieceInfo")] = w._add_object(lzw)
    bad = tmp_path / "xau-2.pdf"
    w.write(bad)
    problems = "\n".join(pdfa3b_problems(bad))
    assert "font /Helvetica not embedded" in problems
    assert "pdffonts: font Helvetica not embedded" in problems
    assert "DeviceCMYK" in problems and "additional actions (/AA)" in problems and "LZW filter" in problems
