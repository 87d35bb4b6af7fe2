"""The dossier of a realistic unit (tests/fixtures/realistic.py): layout, structure and size, read
back from the PDF itself (text positions from PDFium, text from pdftotext)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from khoiapp.pdf import styles as st
from tests.core.test_render import _norm, _outline, _pages_text, document_starts, top_margin_texts
from tests.fixtures.realistic import PHOTOS, SCAN_CODE_TITLE, SCAN_PAGES, UNION_NAME, UNIT_NAME
from tests.pdf_layout import Line, page_lines

CLOCK = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
HEADING = re.compile(r"^[a-zđ]\) Tiêu chí ")


@dataclass(frozen=True)
class Dossier:
    pdf: Path
    payload: dict[str, Any]
    pages: list[str]
    lines: list[list[Line]]
    parts: dict[str, range]  # outline title (without its number) → 0-based pages


@pytest.fixture(scope="module")
def dossier(realistic_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dossier]:
    from khoiapp.db import open_document
    from khoiapp.services.export import export_dossier
    from khoiapp.services.payload import build_payload

    folder = tmp_path_factory.mktemp("realistic-pdf")
    path = folder / "that-unit.khoi"
    shutil.copyfile(realistic_template, path)
    doc = open_document(path)
    try:
        payload = build_payload(doc, 2026, clock=CLOCK, draft=False)
        res = export_dossier(doc, 2026, folder / "ho-so.pdf", clock=CLOCK)
    finally:
        doc.close()
    tops = [(t, p) for t, level, p in _outline(res.path) if level == 0]
    parts = {}
    for i, (title, start) in enumerate(tops):
        end = tops[i + 1][1] if i + 1 < len(tops) else res.pages
        parts[title.split(". ", 1)[1]] = range(start, end)
    yield Dossier(res.path, payload, _pages_text(res.path), page_lines(res.path), parts)


def _body(lines: list[Line]) -> list[Line]:
    """Lines inside the frame (the page number and nothing else sits in the top margin)."""
    return [ln for ln in lines if ln.top <= st.PAGE_HEIGHT - st.TOP_MARGIN + 1]


def test_no_page_ends_with_a_heading_in_its_last_15_percent(dossier: Dossier) -> None:
    foot = st.BOTTOM_MARGIN + 0.15 * st.FRAME_HEIGHT
    orphans = []
    for i, lines in enumerate(dossier.lines):
        body = _body(lines)
        if not body:
            continue
        last = body[-1]
        at_left = last.x0 < st.LEFT_MARGIN + st.INDENT + 4
        if last.bottom < foot and at_left and (last.bold > 0.6 or HEADING.match(last.text)):
            orphans.append((i + 1, last.text))
    assert orphans == []


def test_criteria_table_header_only_at_the_top_of_a_page(dossier: Dossier) -> None:
    seen = 0
    for i in dossier.parts["Bảng tự chấm tiêu chí"]:
        body = _body(dossier.lines[i])
        for n, ln in enumerate(body):
            if ln.bold > 0.9 and ln.text.startswith("Mã ") and "Minh chứng" in ln.text:
                seen += 1
                # Above the header: nothing of the table (the header's own wrapped cells are
                # within one row's height), only the annex heading and the criteria set's title.
                above = [a for a in body[:n] if a.bottom > ln.top + 16]
                title: list[Line] = []
                for a in reversed(above):  # the bold lines right above: the set's (wrapped) title
                    if a.bold < 0.9:
                        break
                    title.insert(0, a)
                assert not above or (title and title[0].text.startswith("Bộ tiêu chí")), (i + 1, above[-1].text)
    assert seen >= 4  # the table runs over several pages, the header on each


def test_group_rows_are_whole_and_keep_with_their_first_criterion(dossier: Dossier) -> None:
    groups = [g for g in dossier.payload["outcome"]["groups"]]
    text = [_norm(dossier.pages[i]) for i in dossier.parts["Bảng tự chấm tiêu chí"]]
    for g in groups:
        label = _norm(f"Nhóm {g['code']}. {g['title']}")
        page = next(n for n, t in enumerate(text) if label in t)  # whole on one page
        first = next(r for r in dossier.payload["results"] if r["group"] == g["code"]
                     and r["framework"] == g["framework"])
        after = text[page].split(label, 1)[1]
        assert first["code"] in after, (g["code"], first["code"])


def test_every_narrative_line_is_its_own_indented_paragraph(dossier: Dossier) -> None:
    report = dossier.parts["Báo cáo tự đánh giá"]
    starts = {}
    for i in report:
        for ln in _body(dossier.lines[i]):
            starts.setdefault(ln.text[:40], ln.x0)
    r = dossier.payload["results"][0]
    paragraphs = [p for p in r["current_state"].split("\n") if p.strip()]
    assert len(paragraphs) >= 3
    for p in paragraphs[1:]:
        x0 = next(x for k, x in starts.items() if p.startswith(k) or k.startswith(p[:40]))
        assert abs(x0 - (st.LEFT_MARGIN + st.INDENT)) < 1.5, p[:40]


def test_every_page_of_the_scanned_minutes_is_printed(dossier: Dossier) -> None:
    appendix = _norm(" ".join(dossier.pages[i] for i in dossier.parts["Phụ lục minh chứng"]))
    scan = next(e for e in dossier.payload["evidence"] if e["title"] == SCAN_CODE_TITLE)
    for k in range(1, SCAN_PAGES + 1):
        assert f"{scan['code']}. {scan['title']} (trang {k}/{SCAN_PAGES})" in appendix
    photos = [e for e in dossier.payload["evidence"] if e["mime_type"] == "image/jpeg"]
    assert len(photos) == PHOTOS
    for e in photos:
        assert f"{e['code']}. {e['title']}" in appendix


def test_photo_sheets_hold_four_photos_a_page(dossier: Dossier) -> None:
    reader = PdfReader(str(dossier.pdf))
    counts = []
    for i in dossier.parts["Phụ lục minh chứng"]:
        xobjects = (reader.pages[i].get("/Resources") or {}).get("/XObject") or {}
        counts.append(sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image"))
    sheets = [c for c in counts if c > 1]
    assert sum(sheets) == PHOTOS and all(c == 4 for c in sheets)


def test_page_numbers_per_document(dossier: Dossier) -> None:
    starts = document_starts(dossier.pdf)
    got = top_margin_texts(dossier.pdf)
    for i, top in enumerate(got):
        start = max(s for s in starts if s <= i)
        assert top == ("" if i == start else str(i - start + 1)), i + 1


def test_annexes_are_labelled_as_annexes_of_the_report(dossier: Dossier) -> None:
    line = f"(Kèm theo Báo cáo số 03/BC-CĐ ngày 05/12/2026 của {UNION_NAME})"
    for number, title in (("I", "Bảng tự chấm tiêu chí"), ("II", "Danh mục minh chứng"),
                          ("III", "Phụ lục minh chứng")):
        first = _norm(dossier.pages[dossier.parts[title].start])
        assert first.startswith(f"Phụ lục {number} {title.upper()}")
        assert _norm(line) in first


def test_table_of_contents_gives_each_documents_pages(dossier: Dossier) -> None:
    toc = [ln.text for ln in _body(dossier.lines[1])]
    assert toc[0] == "MỤC LỤC"
    rows = [re.match(r"^(\d+) (.+?) (\d+) (\d+)$", t) for t in toc]
    rows = [m for m in rows if m]
    titles = list(dossier.parts)[1:]
    assert len(rows) == len(titles)
    for m, title in zip(rows, titles):
        pages = dossier.parts[title]
        assert (int(m.group(3)), int(m.group(4))) == (len(pages), pages.start + 1), title


def test_evidence_index_points_into_the_appendix(dossier: Dossier) -> None:
    appendix = dossier.parts["Phụ lục minh chứng"]
    index_lines = [ln for i in dossier.parts["Danh mục minh chứng"] for ln in _body(dossier.lines[i])]
    for e in dossier.payload["evidence"]:
        # the code is whole, on one line, and the row ends with the appendix page where it is printed
        row = next(ln.text for ln in index_lines if ln.text.startswith(e["code"] + " "))
        page = int(row.rsplit(" ", 1)[1])
        printed = _norm(dossier.pages[appendix.start + page - 1])
        assert f"{e['code']}. " in printed, (e["code"], page)


def test_long_unit_name_wraps_between_words_in_the_heading(dossier: Dossier) -> None:
    report = _body(dossier.lines[dossier.parts["Báo cáo tự đánh giá"].start])
    heading = report[:next(n for n, ln in enumerate(report) if ln.text == "BÁO CÁO")]
    left = [ln.text for ln in heading if ln.x0 < st.LEFT_MARGIN + st.HEADER_LEFT - 20 and ln.bold > 0.9]
    assert " ".join(left) == _norm(UNION_NAME.upper())  # each line ends between two words
    assert len(left) <= 4


def test_legal_basis_and_quotes(dossier: Dossier) -> None:
    for part in ("Bản đăng ký", "Báo cáo tự đánh giá"):
        text = _norm(" ".join(dossier.pages[i] for i in dossier.parts[part]))
        assert "Căn cứ Thông tư 08/2014/TT-BVHTTDL" in text
        assert "Căn cứ Hướng dẫn 58/HD-TLĐ" in text
        assert "Căn cứ Quyết định 2214/QĐ-TTg" in text
    whole = "".join(dossier.pages)
    assert "«" not in whole and "»" not in whole
    assert "phiên bản" not in _norm(dossier.pages[0])


def test_quy_uoc_and_code_of_conduct_have_heading_and_signers(dossier: Dossier) -> None:
    for part, title in (("Quy ước", "QUY ƯỚC"), ("Bộ quy tắc ứng xử", "BỘ QUY TẮC ỨNG XỬ")):
        pages = dossier.parts[part]
        first = _norm(dossier.pages[pages.start])
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "Số:" in first
        assert "Thanh Hóa, ngày 20 tháng 01 năm 2026" in first and title in first
        last = _norm(dossier.pages[pages[-1]])
        assert "GIÁM ĐỐC" in last and "Nguyễn Thị Phương Thảo" in last
    conv = _norm(" ".join(dossier.pages[i] for i in dossier.parts["Quy ước"]))
    assert "(Thông qua tại hội nghị viên chức, người lao động năm 2026 ngày 20/01/2026)" in conv
    assert "TM. BAN CHẤP HÀNH" in conv and "Hoàng Thị Minh Nguyệt" in conv


def test_pdftotext_gives_the_units_text_exactly(dossier: Dossier) -> None:
    text = _norm(" ".join(dossier.pages))
    assert _norm(UNIT_NAME) in text
    for r in dossier.payload["results"][:5]:
        for key in ("current_state", "strengths", "weaknesses", "improvement_plan"):
            for para in r[key].split("\n"):
                assert _norm(para) in text
    for ch in dossier.payload["convention"]["chapters"]:
        for a in ch["articles"]:
            for para in a["body"].split("\n"):
                assert _norm(para) in text


def test_export_warns_over_the_size_budget_with_the_biggest_files(realistic_template: Path, tmp_path: Path) -> None:
    from khoiapp.db import open_document
    from khoiapp.services.export import size_check

    with open_document(realistic_template, read_only=True) as doc:
        check = size_check(doc, 2026, budget_mb=20, photo_copies="original")
        within = size_check(doc, 2026, budget_mb=100, photo_copies="original")
    assert check.over and not within.over and within.warning() == ""
    sizes = [size for _c, _t, size in check.biggest]
    assert len(sizes) == 5 and sizes == sorted(sizes, reverse=True)
    text = check.warning()
    assert "lớn hơn mức 20 MB" in text and check.biggest[0][0] in text
    assert "“Đính kèm bản thu nhỏ” cho " in text and check.after <= check.budget


def test_expected_size_is_close_to_the_exported_size(realistic_template: Path, dossier: Dossier) -> None:
    from khoiapp.db import open_document
    from khoiapp.services.export import expected_size

    with open_document(realistic_template, read_only=True) as doc:
        expected = expected_size(doc, 2026)
    actual = dossier.pdf.stat().st_size
    assert abs(expected - actual) / actual < 0.15, (expected, actual)


def test_default_choices_keep_the_dossier_within_the_budget(dossier: Dossier) -> None:
    """With the default choices (reduced copies of large photos when over budget) it can be e-mailed."""
    assert dossier.pdf.stat().st_size <= 20 * 1024 * 1024


def test_reduced_copies_keep_the_originals_hash_and_are_upright_print_size(
    realistic_template: Path, dossier: Dossier
) -> None:
    import hashlib
    import io
    import json

    from PIL import Image

    from khoiapp.db import open_document
    from khoiapp.services import evidence
    from khoiapp.services.verify import verify_dossier

    attachments = PdfReader(str(dossier.pdf)).attachments
    payload = json.loads(attachments["khoi-dossier.json"][0])
    with open_document(realistic_template, read_only=True) as doc:
        originals = {e.code: e for e in evidence.list_evidence(doc, 2026)}
    reduced = [e for e in payload["evidence"] if "original_sha256" in e]
    assert len(reduced) >= 30
    for e in reduced:
        orig = originals[e["code"]]
        assert (e["original_sha256"], e["original_size"]) == (orig.sha256, orig.size)
        data = attachments[e["attachment"]][0]
        assert hashlib.sha256(data).hexdigest() == e["sha256"] and len(data) == e["size"] < orig.size
        with Image.open(io.BytesIO(data)) as im:
            # 1200–1700 px on the long side (8 MP photos keep the decoder's 1632), upright
            assert 1200 <= max(im.size) <= 1700 and im.getexif().get(0x0112, 1) == 1
    rep = verify_dossier(dossier.pdf, use_trust_store=False)
    assert rep.attachments_ok


def test_original_photos_when_chosen(realistic_template: Path, tmp_path: Path) -> None:
    from khoiapp.db import open_document
    from khoiapp.services.export import export_dossier

    path = tmp_path / "goc.khoi"
    shutil.copyfile(realistic_template, path)
    with open_document(path) as doc:
        res = export_dossier(doc, 2026, tmp_path / "goc.pdf", clock=CLOCK, photo_copies="original")
    import json

    payload = json.loads(PdfReader(str(res.path)).attachments["khoi-dossier.json"][0])
    assert not any("original_sha256" in e for e in payload["evidence"])
    assert res.size > 30 * 1024 * 1024


def test_a_dossier_with_reduced_copies_imports_for_next_year(dossier: Dossier, tmp_path: Path) -> None:
    from khoiapp.cli import main

    target = tmp_path / "nam-2027.khoi"
    assert main(["import", str(dossier.pdf), "--new", str(target), "--accept-unverified"]) == 0
    from khoiapp.db import open_document
    from khoiapp.services import evidence

    with open_document(target, read_only=True) as doc:
        years = sorted({p for p in (2026, 2027)})
        got = [e for y in years for e in _list(evidence, doc, y)]
    by_code = {e["code"]: e for e in dossier.payload["evidence"]}
    assert got and all(e.code in by_code for e in got)


def _list(evidence: Any, doc: Any, year: int) -> list[Any]:
    try:
        return list(evidence.list_evidence(doc, year))
    except Exception:  # noqa: BLE001 - the period the import created is one of the two years
        return []


def test_codes_are_never_broken_in_the_verification_table(dossier: Dossier) -> None:
    lines = [ln.text for i in dossier.parts["Trang kiểm tra hồ sơ"] for ln in _body(dossier.lines[i])]
    for e in dossier.payload["evidence"]:
        if e["embedded"]:
            assert any(t.startswith(e["code"] + " ") for t in lines), e["code"]


def test_page_labels_number_each_document_as_it_is_printed(dossier: Dossier) -> None:
    """The viewer's page box shows each document's own numbering: “BC-3” is the report's page 3."""
    labels = PdfReader(str(dossier.pdf)).page_labels
    assert len(labels) == len(dossier.pages)
    prefixes = {"Bìa hồ sơ": "Bìa-", "Bản đăng ký": "ĐK-", "Báo cáo tự đánh giá": "BC-",
                "Bảng tự chấm tiêu chí": "PL I-", "Quy ước": "QU-", "Bộ quy tắc ứng xử": "QTƯX-",
                "Danh mục minh chứng": "PL II-", "Phụ lục minh chứng": "PL III-", "Trang kiểm tra hồ sơ": "KT-"}
    want = {0: "Bìa-1", 1: "ML-1"}  # the one-page cover, then the table of contents
    assert dossier.parts["Bìa hồ sơ"] == range(0, 2)
    for title, pages in dossier.parts.items():
        if title != "Bìa hồ sơ":
            want.update({i: f"{prefixes[title]}{i - pages.start + 1}" for i in pages})
    assert labels == [want[i] for i in range(len(labels))]
    printed = top_margin_texts(dossier.pdf)
    for i, label in enumerate(labels):  # the number printed at the top is the label's own
        n = label.rsplit("-", 1)[1]
        assert printed[i] == ("" if n == "1" else n), (i, label, printed[i])


def test_realistic_dossier_passes_the_pdfa_check(dossier: Dossier) -> None:
    """40 photos, a 12-page scan and reduced copies: still every checked PDF/A-3b rule kept."""
    from tests.pdfa_check import pdfa3b_problems

    assert pdfa3b_problems(dossier.pdf) == []
