"""The "So sánh với năm trước" part: payload ``comparison``, its schema, its pages and bookmark."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from khoiapp.db import open_document
from khoiapp.pdf import styles as st
from khoiapp.pdf.parts import COMPARISON_TITLE, PART_TITLES, TEXT_CHANGE_WIDTHS, part_titles
from khoiapp.services import content, evidence, importer
from khoiapp.services.criteria import confirm, set_result
from khoiapp.services.demo import build_demo
from khoiapp.dossier.reader import open_dossier
from khoiapp.services.export import export_dossier
from khoiapp.services.payload import build_payload, payload_bytes, payload_problems, validate_payload
from tests.tools import require_tool

CLOCK = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
CLOCK_2027 = dt.datetime(2027, 12, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
NEW_ARTICLE_BODY = "Quy ước áp dụng cho toàn thể cán bộ, viên chức, người lao động và học viên của Trung tâm."


@dataclass(frozen=True)
class Years:
    first_pdf: Path
    first: dict[str, Any]
    second_doc: Path
    second_pdf: Path
    second: dict[str, Any]
    code: str
    old_value: int
    new_value: int
    evidence_code: str
    article_title: str


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def _payload(pdf: Path) -> dict[str, Any]:
    with open_dossier(pdf) as rd:
        payload, _sha = rd.read_payload()
    return payload


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> Years:
    """Demo 2026 exported, imported as a new document for 2027, edited, exported again."""
    tmp = tmp_path_factory.mktemp("so-sanh")
    build_demo(tmp / "demo.khoi", year=2026)
    first_pdf = tmp / "ho-so-2026.pdf"
    with open_document(tmp / "demo.khoi") as doc:
        export_dossier(doc, 2026, first_pdf, clock=CLOCK)
    first = _payload(first_pdf)
    # A percent criterion whose value can change: the demo's first one below 100 %.
    crit = next(r for r in first["results"] if r["kind"] == "percent" and r["value"] is not None and r["value"] < 95)
    code, old_value = crit["code"], int(crit["value"])
    new_value = old_value + 3

    second_doc = tmp / "nam-2027.khoi"
    importer.import_new(first_pdf, second_doc, accept_unverified=True)
    with open_document(second_doc) as doc:
        confirm(doc, 2027, all_unchanged=True)
        set_result(doc, 2027, code, value=new_value)
        added = evidence.add_evidence_bytes(
            doc, 2027, _png(), "anh-hoi-thao-2027.png", criteria=(code,), title="Ảnh hội thảo năm 2027"
        )
        conv = content.current_convention(doc)
        assert conv is not None
        article = conv.chapters[0].articles[0]
        content.update_article(doc, article.id, body=NEW_ARTICLE_BODY)
        second_pdf = tmp / "ho-so-2027.pdf"
        export_dossier(doc, 2027, second_pdf, clock=CLOCK_2027)
    return Years(
        first_pdf=first_pdf, first=first, second_doc=second_doc, second_pdf=second_pdf,
        second=_payload(second_pdf), code=code, old_value=old_value, new_value=new_value,
        evidence_code=added.evidence.code, article_title=article.title,
    )  # fmt: skip


def _pages_text(pdf: Path) -> list[str]:
    exe = require_tool("pdftotext")
    out = subprocess.run([exe, "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout
    pages = out.decode("utf-8").split("\f")
    if pages and pages[-1] == "":
        pages.pop()
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFC", p)) for p in pages]


def _outline(pdf: Path) -> list[tuple[str, int, int]]:
    """(title, level, 0-based page) of every outline entry, in order."""
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


def _part_text(pdf: Path, title: str) -> str:
    """The text of the pages of one part, found through the outline."""
    tops = [(t, page) for t, level, page in _outline(pdf) if level == 0]
    pages = _pages_text(pdf)
    i = next(i for i, (t, _p) in enumerate(tops) if t.split(". ", 1)[1] == title)
    end = tops[i + 1][1] if i + 1 < len(tops) else len(pages)
    return " ".join(pages[tops[i][1]:max(end, tops[i][1] + 1)])


def _percent(v: int) -> str:
    return f"{v}%"


# --------------------------------------------------------------------------- first year


def test_first_export_has_no_comparison(years: Years) -> None:
    assert years.first.get("comparison") is None
    assert payload_problems(years.first) == []


def test_first_export_prints_the_nine_parts_without_comparison(years: Years) -> None:
    tops = [t for t, level, _p in _outline(years.first_pdf) if level == 0]
    assert tops == [f"{i}. {t}" for i, t in enumerate(PART_TITLES, 1)]
    text = " ".join(_pages_text(years.first_pdf)).casefold()
    assert COMPARISON_TITLE.casefold() not in text


# --------------------------------------------------------------------------- payload


def test_second_export_comparison_lists_the_changes(years: Years) -> None:
    cmp = years.second["comparison"]
    assert (cmp["old_year"], cmp["new_year"]) == (2026, 2027)
    (c,) = cmp["criteria"]
    assert (c["code"], c["change"], c["kind"]) == (years.code, "changed", "percent")
    assert (c["old_value"], c["new_value"]) == (years.old_value, years.new_value)
    assert c["evidence_added"] == [years.evidence_code] and c["evidence_removed"] == []
    assert cmp["unchanged"] == len(years.second["results"]) - 1
    assert cmp["convention_compared"] and cmp["conduct_compared"] and cmp["conduct"] == []
    (art,) = cmp["convention"]
    assert art["change"] == "changed" and years.article_title in art["where"] and art["new"] == NEW_ARTICLE_BODY


def test_comparison_sits_before_manifest_and_validates(years: Years) -> None:
    keys = list(years.second)
    assert keys[-2:] == ["comparison", "manifest"]
    assert [k for k in keys if k != "comparison"] == [k for k in years.first]
    assert payload_problems(years.second) == []
    validate_payload(years.second)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: c.__setitem__("extra", 1),
        lambda c: c["criteria"][0].__setitem__("extra", 1),
        lambda c: c["criteria"][0].__setitem__("change", "renamed"),
        lambda c: c["criteria"][0].__setitem__("old_status", "tot"),
        lambda c: c["convention"][0].__setitem__("where", "x" * 2001),
        lambda c: c["convention"].append({"where": "điều", "change": "added", "old": None}),
        lambda c: c.__setitem__("old_year", 1999),
        lambda c: c.__delitem__("unchanged"),
    ],
    ids=["unknown-key", "unknown-criterion-key", "bad-change", "bad-status", "too-long", "missing-new",
         "bad-year", "missing-unchanged"],
)
def test_comparison_schema_is_strict(years: Years, mutate: Any) -> None:
    bad = copy.deepcopy(years.second)
    mutate(bad["comparison"])
    assert any(p.startswith("comparison") for p in payload_problems(bad))


def test_comparison_null_is_accepted(years: Years) -> None:
    p = copy.deepcopy(years.first)
    manifest = p.pop("manifest")
    p["comparison"] = None
    p["manifest"] = manifest
    assert payload_problems(p) == []


def test_comparison_is_deterministic(years: Years) -> None:
    with open_document(years.second_doc) as doc:
        a = build_payload(doc, 2027, clock=CLOCK_2027, draft=False)
        b = build_payload(doc, 2027, clock=CLOCK_2027, draft=False)
    assert payload_bytes(a) == payload_bytes(b)
    assert a == years.second


def test_unchanged_year_has_no_comparison(years: Years, tmp_path: Path) -> None:
    out = tmp_path / "khong-doi.khoi"
    importer.import_new(years.first_pdf, out, accept_unverified=True)
    with open_document(out) as doc:
        confirm(doc, 2027, all_unchanged=True)
        assert "comparison" not in build_payload(doc, 2027, clock=CLOCK_2027, draft=False)


def test_dossier_with_comparison_imports_again(years: Years, tmp_path: Path) -> None:
    out = tmp_path / "nam-2028.khoi"
    result = importer.import_new(years.second_pdf, out, accept_unverified=True)
    assert result.year == 2028
    with open_document(out) as doc:
        set_result(doc, 2028, years.code, value=years.new_value + 1)
        cmp = build_payload(doc, 2028, clock=CLOCK_2027, draft=True)["comparison"]
    assert (cmp["old_year"], cmp["new_year"]) == (2027, 2028)
    assert [(c["code"], c["old_value"], c["new_value"]) for c in cmp["criteria"]] == [
        (years.code, years.new_value, years.new_value + 1)
    ]


# --------------------------------------------------------------------------- pages


def test_second_export_prints_the_comparison_part(years: Years) -> None:
    text = _part_text(years.second_pdf, COMPARISON_TITLE)
    assert "SO SÁNH VỚI NĂM TRƯỚC" in text and COMPARISON_TITLE.casefold() in text.casefold()
    assert "năm 2027 so với năm 2026" in text
    assert years.code in text
    assert _percent(years.old_value) in text and _percent(years.new_value) in text
    assert f"Thêm: {years.evidence_code}" in text
    assert f"{len(years.second['results']) - 1} tiêu chí giữ nguyên" in text
    assert "Quy ước có 1 nội dung thay đổi so với năm 2026 (sửa 1)" in text
    assert "Bộ quy tắc ứng xử không thay đổi so với năm 2026." in text


def test_changed_article_printed_in_its_columns(years: Years) -> None:
    start = next(page for t, level, page in _outline(years.second_pdf) if t == f"5. {COMPARISON_TITLE}")
    edges = [st.LEFT_MARGIN]
    for w in TEXT_CHANGE_WIDTHS:
        edges.append(edges[-1] + w)
    where = _column_text(years.second_pdf, start, edges[1], edges[2])
    new = _column_text(years.second_pdf, start, edges[3], edges[4])
    assert f"Điều “{years.article_title}”" in where
    assert NEW_ARTICLE_BODY in new


def _column_text(pdf: Path, page: int, x0: float, x1: float) -> str:
    """The text of one page between two x positions (PDF points), as pdftotext reads it."""
    exe = require_tool("pdftotext")
    args = [exe, "-enc", "UTF-8", "-f", str(page + 1), "-l", str(page + 1), "-x", str(int(x0) + 1), "-y", "0",
            "-W", str(int(x1 - x0) - 2), "-H", str(int(st.PAGE_HEIGHT)), str(pdf), "-"]
    out = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", out))


def test_comparison_bookmark_follows_the_criteria_table(years: Years) -> None:
    entries = _outline(years.second_pdf)
    tops = [(t, page) for t, level, page in entries if level == 0]
    expected = part_titles(years.second)
    assert len(expected) == 10
    assert [t for t, _ in tops] == [f"{i}. {t}" for i, t in enumerate(expected, 1)]
    assert tops[3][0] == "4. Bảng tự chấm tiêu chí" and tops[4][0] == f"5. {COMPARISON_TITLE}"
    assert tops[5][0] == "6. Quy ước" and tops[-1][0] == "10. Trang kiểm tra hồ sơ"
    starts = [p for _, p in tops]
    assert starts == sorted(set(starts)), "each part starts on a new page"
    i = [t for t, _ in tops].index(f"5. {COMPARISON_TITLE}")
    subs = [t for t, level, page in entries if level == 1 and tops[i][1] <= page < tops[i + 1][1]]
    assert subs == ["1. Kết quả tự đánh giá các tiêu chí", "2. Quy ước", "3. Bộ quy tắc ứng xử"]
