"""Tests for the dossier's PDF pages (khoiapp.pdf.render)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from khoiapp.errors import EvidenceFileError
from khoiapp.pdf import RenderInfo, render_dossier
from khoiapp.pdf.parts import PART_TITLES
from tests.tools import require_tool

CLOCK = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], Any]]:
    """The demo document's payload and an evidence opener on the open document."""
    from khoiapp.db import open_document
    from khoiapp.services import evidence
    from khoiapp.services.demo import build_demo
    from khoiapp.services.payload import build_payload

    path = tmp_path_factory.mktemp("render") / "demo.khoi"
    build_demo(path, year=2026)
    doc = open_document(path)
    payload = build_payload(doc, 2026, clock=CLOCK, draft=False)

    def open_evidence(sha256: str) -> Iterator[bytes]:
        with doc.transaction() as s:
            yield from evidence.read_blob(s, sha256)

    yield payload, open_evidence
    doc.close()


def _render(payload: dict[str, Any], tmp_path: Path, *, draft: bool = False, open_evidence: Any = None,
            name: str = "hoso.pdf") -> tuple[Path, RenderInfo]:
    out = tmp_path / name
    with open(out, "wb") as fh:
        info = render_dossier(payload, fh, draft=draft, open_evidence=open_evidence, clock=CLOCK)
    return out, info


@pytest.fixture(scope="module")
def rendered(demo: tuple[dict[str, Any], Any], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RenderInfo]:
    payload, open_evidence = demo
    return _render(payload, tmp_path_factory.mktemp("pdf"), open_evidence=open_evidence)


def _pages_text(pdf: Path, *, layout: bool = False) -> list[str]:
    exe = require_tool("pdftotext")
    args = [exe, "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    text = subprocess.run(args, check=True, capture_output=True).stdout
    pages = text.decode("utf-8").split("\f")
    if pages and pages[-1] == "":
        pages.pop()  # pdftotext ends every page, the last one too, with a form feed
    return [unicodedata.normalize("NFC", p) for p in pages]


def _outline(pdf: Path) -> list[tuple[str, int, int]]:
    """(title, level, 0-based page) for every outline entry, in order."""
    reader = PdfReader(str(pdf))
    out: list[tuple[str, int, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((item.title, level, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


def _part_pages(pdf: Path) -> dict[int, range]:
    """1-based part number → 0-based page range, from the outline."""
    tops = [(title, page) for title, level, page in _outline(pdf) if level == 0]
    total = len(PdfReader(str(pdf)).pages)
    out = {}
    for i, (_title, start) in enumerate(tops):
        end = tops[i + 1][1] if i + 1 < len(tops) else total
        out[i + 1] = range(start, max(end, start + 1))
    return out


def test_text_has_unit_national_title_motto_and_every_criterion(
    rendered: tuple[Path, RenderInfo], demo: tuple[dict[str, Any], Any]
) -> None:
    payload, _ = demo
    text = _norm("\n".join(_pages_text(rendered[0])))
    assert payload["unit"]["name"] in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    missing = [r["title"] for r in payload["results"] if _norm(r["title"]) not in text]
    assert missing == []


def test_report_header_has_number_symbol_and_dated_place(rendered: tuple[Path, RenderInfo]) -> None:
    pages = _pages_text(rendered[0])
    report = _norm(pages[_part_pages(rendered[0])[3].start])
    assert "Số: 01/BC-CĐ" in report
    assert "Thanh Hóa, ngày 05 tháng 12 năm 2026" in report
    assert "BÁO CÁO" in report


def test_fonts_are_all_embedded(rendered: tuple[Path, RenderInfo]) -> None:
    exe = require_tool("pdffonts")
    out = subprocess.run([exe, str(rendered[0])], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        cols = row.split()
        emb = cols[-5]
        assert emb == "yes", row
        assert "LiberationSerif" in cols[0], row
    assert "Helvetica" not in out


def test_outline_lists_the_nine_parts_in_order(rendered: tuple[Path, RenderInfo]) -> None:
    entries = _outline(rendered[0])
    tops = [(title, page) for title, level, page in entries if level == 0]
    assert [t for t, _ in tops] == [f"{i}. {t}" for i, t in enumerate(PART_TITLES, 1)]
    starts = [p for _, p in tops]
    assert starts[0] == 0
    assert starts == sorted(set(starts)), "each part starts on a new page"


def test_each_part_starts_on_a_new_page(rendered: tuple[Path, RenderInfo]) -> None:
    pages = _pages_text(rendered[0])
    parts = _part_pages(rendered[0])
    firsts = {n: _norm(pages[r.start]) for n, r in parts.items()}
    assert "HỒ SƠ TỰ ĐÁNH GIÁ" in firsts[1]
    assert "BẢN ĐĂNG KÝ" in firsts[2]
    assert "BÁO CÁO" in firsts[3]
    assert "BẢNG TỰ CHẤM TIÊU CHÍ" in firsts[4]
    assert "QUY ƯỚC" in firsts[5]
    assert "BỘ QUY TẮC ỨNG XỬ" in firsts[6]
    assert "DANH MỤC MINH CHỨNG" in firsts[7]
    assert "PHỤ LỤC MINH CHỨNG" in firsts[8]
    assert "TRANG KIỂM TRA HỒ SƠ" in firsts[9]


def test_document_info_and_language(rendered: tuple[Path, RenderInfo], demo: tuple[dict[str, Any], Any]) -> None:
    payload, _ = demo
    reader = PdfReader(str(rendered[0]))
    meta = reader.metadata
    assert meta is not None
    unit = payload["unit"]["name"]
    assert meta.title == f"Hồ sơ tự đánh giá xây dựng đơn vị văn hóa năm 2026 — {unit}"
    assert meta.author == unit
    assert meta.subject
    assert meta.creator == "Khối"
    assert reader.trailer["/Root"]["/Lang"] == "vi-VN"


def test_same_payload_and_clock_give_identical_bytes(demo: tuple[dict[str, Any], Any], tmp_path: Path) -> None:
    payload, open_evidence = demo
    a, _ = _render(payload, tmp_path, open_evidence=open_evidence, name="a.pdf")
    b, _ = _render(copy.deepcopy(payload), tmp_path, open_evidence=open_evidence, name="b.pdf")
    assert a.read_bytes() == b.read_bytes()


def test_other_clock_changes_the_report_date(demo: tuple[dict[str, Any], Any], tmp_path: Path) -> None:
    payload, _ = demo
    buf = io.BytesIO()
    render_dossier(payload, buf, draft=False, open_evidence=None, clock=dt.datetime(2027, 1, 3, 8, 0))
    path = tmp_path / "other.pdf"
    path.write_bytes(buf.getvalue())
    assert "ngày 03 tháng 01 năm 2027" in _norm("\n".join(_pages_text(path)))


@pytest.mark.parametrize("draft", [True, False])
def test_draft_stamp_only_when_draft(demo: tuple[dict[str, Any], Any], tmp_path: Path, draft: bool) -> None:
    payload, _ = demo
    pdf, info = _render(payload, tmp_path, draft=draft)
    pages = _pages_text(pdf)
    assert len(pages) == info.pages
    assert ["BẢN NHÁP" in p for p in pages] == [draft] * info.pages
    # The diagonal stamp itself (pdftotext splits text set at an angle; pypdf reads it whole).
    diagonal = [page.extract_text().count("BẢN NHÁP") for page in PdfReader(str(pdf)).pages]
    assert diagonal == [2 if draft else 0] * info.pages


def top_margin_texts(pdf: Path) -> list[str]:
    """The text printed in each page's top margin (where the page number goes), draft mark left out."""
    import pypdfium2 as pdfium

    from khoiapp.pdf import styles as st

    out = []
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for page in doc:
            tp = page.get_textpage()
            w, h = page.get_size()
            text = tp.get_text_bounded(left=0, bottom=h - st.TOP_MARGIN, right=w, top=h)
            out.append(_norm(text.replace("BẢN NHÁP", "")))
            tp.close()
            page.close()
    finally:
        doc.close()
    return out


def document_starts(pdf: Path) -> list[int]:
    """0-based first pages of the dossier's documents: each part, and the table of contents (page 2)."""
    return sorted({page for _t, level, page in _outline(pdf) if level == 0} | {1})


def test_each_document_numbers_its_pages_from_its_second_page(rendered: tuple[Path, RenderInfo]) -> None:
    pdf, info = rendered
    assert info.pages == len(PdfReader(str(pdf)).pages) == len(_pages_text(pdf))
    starts = document_starts(pdf)
    got = top_margin_texts(pdf)
    want = []
    for i in range(info.pages):
        start = max(s for s in starts if s <= i)
        want.append("" if i == start else str(i - start + 1))
    assert got == want
    assert "Trang" not in "".join(got)


def test_signature_box_is_on_a_report_page_inside_the_page(rendered: tuple[Path, RenderInfo]) -> None:
    pdf, info = rendered
    assert info.signature_box is not None
    page, (x1, y1, x2, y2) = info.signature_box
    assert page in _part_pages(pdf)[3]
    media = PdfReader(str(pdf)).pages[page].mediabox
    assert 0 <= x1 < x2 <= float(media.width)
    assert 0 <= y1 < y2 <= float(media.height)
    assert x2 - x1 > 100 and y2 - y1 > 50
    text = _norm(_pages_text(pdf)[page])
    assert "TM. BAN CHẤP HÀNH" in text and "CHỦ TỊCH" in text


def _many_criteria(payload: dict[str, Any], n: int = 90) -> dict[str, Any]:
    p = copy.deepcopy(payload)
    base = p["results"][0]
    long_text = ("Tiêu chí rất dài để kiểm tra việc ngắt dòng trong ô bảng, " * 4).strip()
    p["results"] = []
    for i in range(n):
        r = dict(base)
        r["code"] = f"9.{i + 1}"
        r["title"] = f"{long_text} số {i + 1}"
        p["results"].append(r)
    # One cell longer than a whole page: it must continue on the next page, not be cut.
    p["results"][-1] = dict(p["results"][-1], note="Ghi chú dài. " * 400 + "KẾT THÚC GHI CHÚ")
    return p


def test_criteria_table_header_repeats_on_every_table_page(demo: tuple[dict[str, Any], Any], tmp_path: Path) -> None:
    payload, _ = demo
    pdf, _info = _render(_many_criteria(payload), tmp_path)
    pages = _pages_text(pdf, layout=True)
    table_pages = _part_pages(pdf)[4]
    assert len(table_pages) >= 3
    header = re.compile(r"^\s*Mã +Tiêu chí +Yêu cầu +(Kết quả tự +)?Điểm +Minh chứng\s*$", re.M)
    for i in table_pages:
        assert header.search(pages[i]), f"no table header on page {i + 1}"
    table_text = _norm(" ".join(pages[i] for i in table_pages))
    assert "KẾT THÚC GHI CHÚ" in table_text
    assert table_text.count("dài.") == 400  # every sentence of the note, across page breaks


def test_decomposed_input_is_rendered_composed(demo: tuple[dict[str, Any], Any], tmp_path: Path) -> None:
    payload, _ = demo
    p = copy.deepcopy(payload)
    nfd = unicodedata.normalize("NFD", "Trường Tiểu học Nguyễn Trãi")
    p["unit"]["name"] = nfd
    pdf, _ = _render(p, tmp_path)
    raw = "\n".join(_pages_text(pdf))
    assert "Trường Tiểu học Nguyễn Trãi" in re.sub(r"\s+", " ", raw)
    assert PdfReader(str(pdf)).metadata.author == "Trường Tiểu học Nguyễn Trãi"


def _image_count(pdf: Path) -> int:
    reader = PdfReader(str(pdf))
    names = set()
    for page in reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for name, ref in xobjects.items():
            if ref.get_object().get("/Subtype") == "/Image":
                names.add(ref.idnum if hasattr(ref, "idnum") else name)
    return len(names)


def test_appendix_prints_each_image_evidence(rendered: tuple[Path, RenderInfo], demo: tuple[dict[str, Any], Any]) -> None:
    payload, _ = demo
    images = [e for e in payload["evidence"] if e["mime_type"].startswith("image/") and e["embedded"]]
    pdfs = [e for e in payload["evidence"] if e["mime_type"] == "application/pdf" and e["embedded"]]
    assert images and pdfs
    # Every image, and every page of every PDF evidence (one page each in the demo), printed as a picture.
    assert _image_count(rendered[0]) == len(images) + len(pdfs)
    appendix = _norm(" ".join(_pages_text(rendered[0])[i] for i in _part_pages(rendered[0])[8]))
    for e in payload["evidence"]:
        assert e["code"] in appendix
    for e in pdfs:
        assert f"{e['code']}. {e['title']} (trang 1/1)" in appendix


def test_appendix_without_opener_lists_files_without_images(demo: tuple[dict[str, Any], Any], tmp_path: Path) -> None:
    payload, _ = demo
    pdf, _ = _render(payload, tmp_path, open_evidence=None)
    assert _image_count(pdf) == 0
    appendix = _norm(" ".join(_pages_text(pdf)[i] for i in _part_pages(pdf)[8]))
    for e in payload["evidence"]:
        assert e["code"] in appendix


def test_missing_evidence_bytes_are_listed_only(demo: tuple[dict[str, Any], Any], tmp_path: Path) -> None:
    payload, _ = demo

    def broken(sha256: str) -> Iterator[bytes]:
        raise EvidenceFileError("Tài liệu thiếu nội dung của một minh chứng.")
        yield b""  # pragma: no cover - makes this a generator

    pdf, _ = _render(payload, tmp_path, open_evidence=broken)
    assert _image_count(pdf) == 0
    appendix = _norm(" ".join(_pages_text(pdf)[i] for i in _part_pages(pdf)[8]))
    assert "Không đọc được nội dung tệp" in appendix


def test_verification_page_shows_the_payload_hash(rendered: tuple[Path, RenderInfo], demo: tuple[dict[str, Any], Any]) -> None:
    import hashlib

    from khoiapp.services.payload import payload_bytes

    payload, _ = demo
    sha = hashlib.sha256(payload_bytes(payload)).hexdigest()
    pages = _pages_text(rendered[0])
    part = " ".join(pages[i] for i in _part_pages(rendered[0])[9])
    assert sha in re.sub(r"\s+", "", part)
    assert "khoi-dossier.json" in part
    assert "khoiapp verify HOSO.pdf" in _norm(part)


def test_evidence_index_has_dates_and_the_verification_page_every_hash(
    rendered: tuple[Path, RenderInfo], demo: tuple[dict[str, Any], Any]
) -> None:
    payload, _ = demo
    pages = _pages_text(rendered[0])
    index = _norm(" ".join(pages[i] for i in _part_pages(rendered[0])[7]))
    check = re.sub(r"\s+", "", " ".join(pages[i] for i in _part_pages(rendered[0])[9]))
    for e in payload["evidence"]:
        y, m, d = e["issued_on"].split("-")
        assert f"{d}/{m}/{y}" in index
        # The reviewer cannot use a hash in the index: it is on the verification page, whole.
        assert e["sha256"][:12] not in index.replace(" ", "")
        assert e["sha256"] in check


def _photo_payload(payload: dict[str, Any], count: int) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The demo payload with ``count`` large JPEG photos as its only evidence."""
    import hashlib

    from PIL import Image

    p = copy.deepcopy(payload)
    blobs: dict[str, bytes] = {}
    p["evidence"] = []
    for i in range(count):
        buf = io.BytesIO()
        Image.linear_gradient("L").resize((4000, 3000)).convert("RGB").save(buf, "JPEG", quality=80 + i)
        data = buf.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        blobs[sha] = data
        p["evidence"].append({
            "code": f"MC-9.{i + 1}-01", "title": f"Ảnh hiện trường số {i + 1}", "doc_number": "", "issued_on": None,
            "issuer": "", "file_name": f"anh-{i + 1}.jpg", "mime_type": "image/jpeg", "size": len(data),
            "sha256": sha, "embedded": True, "attachment": f"MC-9.{i + 1}-01.jpg", "inherited": False,
            "note": "", "criteria": [],
        })
    return p, blobs


def test_each_image_is_streamed_once_and_printed_downscaled(demo: tuple[dict[str, Any], Any], tmp_path: Path) -> None:
    payload, _ = demo
    p, blobs = _photo_payload(payload, 3)
    opened: list[str] = []
    closed: list[str] = []

    def open_evidence(sha256: str) -> Iterator[bytes]:
        opened.append(sha256)
        data = blobs[sha256]
        try:
            for i in range(0, len(data), 65536):
                yield data[i:i + 65536]
        finally:
            closed.append(sha256)

    pdf, _ = _render(p, tmp_path, open_evidence=open_evidence)
    assert sorted(opened) == sorted(blobs) and sorted(closed) == sorted(blobs)
    widths = []
    for page in PdfReader(str(pdf)).pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                widths.append(int(obj["/Width"]))
    assert len(widths) == 3
    # Four photos a page: 150 dpi over half the frame width, about 477 pixels, not the 4000 of the original.
    from khoiapp.pdf import styles as st
    from khoiapp.pdf.parts import photo_cell_box

    cell_px = round(photo_cell_box(st.make_styles(), 2, 2)[0] / 72 * 150)
    assert all(cell_px - 2 <= w <= cell_px for w in widths), (widths, cell_px)


def test_new_document_with_gaps_renders_every_part(tmp_path: Path) -> None:
    from khoiapp.services import document
    from khoiapp.services.payload import build_payload

    doc = document.new_document(
        tmp_path / "moi.khoi", unit_name="Công ty Cổ phần Xi măng Nghi Sơn", unit_type="doanh-nghiep", year=2026,
        target_model=False, place_name="",
    )
    try:
        payload = build_payload(doc, 2026, clock=CLOCK, draft=True)
    finally:
        doc.close()
    pdf, info = _render(payload, tmp_path, draft=True)
    assert [t for t, level, _ in _outline(pdf) if level == 0] == [f"{i}. {t}" for i, t in enumerate(PART_TITLES, 1)]
    text = _norm("\n".join(_pages_text(pdf)))
    assert "XÁC NHẬN CỦA THỦ TRƯỞNG DOANH NGHIỆP" in text
    assert "ngày … tháng … năm …" in text  # registration date unknown: dots to fill by hand
    assert "Doanh nghiệp chưa nhập Quy ước vào hồ sơ." in text
    assert "Hồ sơ chưa có minh chứng." in text
    assert info.signature_box is not None


def test_evidence_listed_only_is_marked_and_not_printed(demo: tuple[dict[str, Any], Any], tmp_path: Path) -> None:
    payload, open_evidence = demo
    p = copy.deepcopy(payload)
    image = next(e for e in p["evidence"] if e["mime_type"].startswith("image/"))
    image["embedded"], image["attachment"] = False, None
    pdf, _ = _render(p, tmp_path, open_evidence=open_evidence)
    parts = _part_pages(pdf)
    pages = _pages_text(pdf)
    index = _norm(" ".join(pages[i] for i in parts[7]))
    assert f"Chỉ liệt kê, không đính kèm (1): {image['code']}." in index
    appendix = _norm(" ".join(pages[i] for i in parts[8]))
    assert "Chỉ liệt kê, không đính kèm vào hồ sơ; bản gốc lưu tại đơn vị." in appendix
    printed = [e for e in payload["evidence"] if e["mime_type"].startswith("image/") or e["mime_type"] == "application/pdf"]
    assert _image_count(pdf) == len(printed) - 1


def test_first_criterion_of_a_group_longer_than_a_page_still_renders(
    demo: tuple[dict[str, Any], Any], tmp_path: Path
) -> None:
    payload, _ = demo
    p = copy.deepcopy(payload)
    p["results"][0]["evidence"] = [f"MC-1.1-{i:03d}" for i in range(1, 160)]
    p["results"][0]["title"] = "Tiêu chí rất dài " * 500 + "HẾT TIÊU CHÍ"
    pdf, _info = _render(p, tmp_path)
    text = _norm(" ".join(_pages_text(pdf)))
    assert "HẾT TIÊU CHÍ" in text and "MC-1.1-159" in text


def test_content_that_cannot_be_laid_out_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.platypus.doctemplate import LayoutError

    from khoiapp.errors import DossierLayoutError
    from khoiapp.services import export

    def boom(*_a: Any, **_k: Any) -> None:
        raise LayoutError("too large")

    monkeypatch.setattr("khoiapp.pdf.render.render_dossier", boom)
    with pytest.raises(DossierLayoutError) as exc:
        export._render_dossier({}, io.BytesIO(), draft=False, open_evidence=None, clock=dt.datetime(2026, 12, 1))
    assert "rút gọn" in exc.value.message


def test_appendix_pictures_share_pages_and_use_the_first_one(rendered: tuple[Path, RenderInfo], demo: tuple[dict[str, Any], Any]) -> None:
    payload, _ = demo
    printed = [e for e in payload["evidence"]
               if e["embedded"] and (e["mime_type"].startswith("image/") or e["mime_type"] == "application/pdf")]
    pages = list(_part_pages(rendered[0])[8])
    # Landscape photos fit two to a page, and the first picture starts on the appendix's first page.
    assert len(pages) < len(printed)
    out = subprocess.run([require_tool("pdfimages"), "-list", "-f", str(pages[0] + 1), "-l", str(pages[0] + 1), str(rendered[0])],
                         capture_output=True, text=True, check=True).stdout
    assert len(out.strip().splitlines()) >= 3  # header, rule, at least one image
