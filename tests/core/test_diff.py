"""Diff between years: criteria, Quy ước and code of conduct; from two dossiers or a period's references."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from khoiapp.cli import main as cli_main
from khoiapp.db import open_document
from khoiapp.scoring import ResultStatus
from khoiapp.services import content, diff, importer
from khoiapp.services.criteria import set_result
from khoiapp.services.payload import period_payload
from tests.core.test_import import demo_payload_and_files, write_dossier


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> tuple[dict[str, Any], dict[str, bytes], Path]:
    payload, files = demo_payload_and_files(demo_template)
    pdf = write_dossier(tmp_path_factory.mktemp("diff") / "ho-so-2026.pdf", payload, files)
    return payload, files, pdf


def _result(p: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in p["results"] if r["code"] == code)


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = cli_main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_identical_payloads_have_no_differences(base: Any) -> None:
    payload, _f, _p = base
    d = diff.diff_payloads(payload, copy.deepcopy(payload))
    assert d.empty and d.unchanged == len(payload["results"])
    assert d.convention_compared and d.conduct_compared
    assert d.lines()[0].startswith("Kết quả các tiêu chí không thay đổi")


def test_criterion_status_value_evidence_and_narrative_changes(base: Any) -> None:
    old, _f, _p = base
    new = copy.deepcopy(old)
    new["period"]["year_end"] = 2027
    _result(new, "1.1")["status"] = "chua-dat"
    _result(new, "1.1")["evidence"] = ["MC-1.1-01", "MC-1.1-02"]
    _result(new, "1.2")["evidence"] = []
    _result(new, "1.3")["strengths"] = "Điểm mạnh mới"
    numeric = next(r for r in new["results"] if r["kind"] != "yesno" and r["code"] not in ("1.1", "1.2", "1.3"))
    numeric["value"] = 12.5
    d = diff.diff_payloads(old, new)
    by = {c.code: c for c in d.criteria}
    assert set(by) == {"1.1", "1.2", "1.3", numeric["code"]}
    c = by["1.1"]
    assert (c.change, c.old_status, c.new_status) == ("changed", "dat", "chua-dat")
    assert (c.old_status_label, c.new_status_label) == ("Đạt", "Chưa đạt")
    assert c.evidence_added == ("MC-1.1-02",) and c.evidence_removed == ()
    assert by["1.2"].evidence_removed == tuple(_result(old, "1.2")["evidence"])
    assert by["1.3"].narrative_changed == ("strengths",)
    assert by[numeric["code"]].new_value == 12.5
    text = "\n".join(d.lines())
    assert "1.1" in text and "Đạt → Chưa đạt" in text and "thêm minh chứng MC-1.1-02" in text
    assert "12,5" in text and "sửa điểm mạnh" in text
    assert d.unchanged == len(old["results"]) - 4


def test_criteria_added_removed_and_reworded(base: Any) -> None:
    old, _f, _p = base
    new = copy.deepcopy(old)
    gone = new["results"].pop(0)
    _result(new, "1.2")["title"] = "Nội dung mới"
    extra = copy.deepcopy(new["results"][0])
    extra["code"] = "9.9"
    new["results"].append(extra)
    by = {c.code: c for c in diff.diff_payloads(old, new).criteria}
    assert by[gone["code"]].change == "removed"
    assert by["9.9"].change == "added"
    assert by["1.2"].title_changed and by["1.2"].old_title == _result(old, "1.2")["title"]


def test_convention_changes(base: Any) -> None:
    old, _f, _p = base
    new = copy.deepcopy(old)
    ch = new["convention"]["chapters"]
    removed = ch[0]["articles"].pop(0)
    ch[-1]["articles"][0]["body"] = "Nội dung sửa"
    ch[-1]["articles"].append({"title": "Điều khoản mới", "body": "Thêm"})
    new["convention"]["title"] = "Quy ước sửa đổi"
    d = diff.diff_payloads(old, new)
    kinds = {(t.change, t.where) for t in d.convention}
    assert ("changed", "tên Quy ước") in kinds
    assert any(k == "removed" and removed["title"] in w for k, w in kinds)
    assert any(k == "added" and "Điều khoản mới" in w for k, w in kinds)
    assert any(k == "changed" and old["convention"]["chapters"][-1]["articles"][0]["title"] in w for k, w in kinds)
    assert len(d.convention) == 4


def test_convention_added_or_removed_entirely(base: Any) -> None:
    old, _f, _p = base
    new = copy.deepcopy(old)
    new["convention"] = None
    (t,) = diff.diff_payloads(old, new).convention
    assert t.change == "removed"
    (t,) = diff.diff_payloads(new, old).convention
    assert t.change == "added"


def test_conduct_changes(base: Any) -> None:
    old, _f, _p = base
    new = copy.deepcopy(old)
    gone = new["conduct"].pop(0)
    new["conduct"][0]["posted"] = not new["conduct"][0]["posted"]
    new["conduct"].append({**new["conduct"][0], "text": "Quy tắc mới", "posted": False})
    d = diff.diff_payloads(old, new)
    kinds = sorted(t.change for t in d.conduct)
    assert kinds == ["added", "changed", "removed"]
    assert any(t.change == "removed" and t.old == gone["text"] for t in d.conduct)
    assert any("niêm yết" in t.where for t in d.conduct if t.change == "changed")


def test_diff_cli_two_dossiers(base: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, files, pdf = base
    new = copy.deepcopy(old)
    new["period"]["year_end"] = new["period"]["year_start"] = 2027
    new["period"]["label"] = "2027"
    _result(new, "2.1")["status"] = "chua-dat"
    pdf2 = write_dossier(tmp_path / "ho-so-2027.pdf", new, files)
    rc, out, err = run(capsys, "diff", pdf, pdf2, "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert (data["old_year"], data["new_year"]) == (2026, 2027)
    assert [c["code"] for c in data["criteria"]] == ["2.1"]
    rc, out, _ = run(capsys, "diff", pdf, pdf2)
    assert rc == 0 and "2.1" in out and "Đạt → Chưa đạt" in out


def test_diff_cli_refuses_a_non_dossier(base: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _o, _f, pdf = base
    f = tmp_path / "x.pdf"
    f.write_bytes(b"not a pdf")
    rc, _out, err = run(capsys, "diff", pdf, f)
    assert rc == 2 and "không phải tệp PDF" in err


@pytest.fixture
def imported(base: Any, tmp_path: Path) -> Path:
    _o, _f, pdf = base
    out = tmp_path / "nam-2027.khoi"
    importer.import_new(pdf, out, accept_unverified=True)
    return out


def test_period_diff_right_after_import_is_empty(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_document(imported) as doc:
        d = diff.diff_period(doc, 2027, period_payload(doc, 2027))
    assert d is not None and d.empty and d.old_year == 2026
    rc, out, _ = run(capsys, "diff", imported, "--year", 2027)
    assert rc == 0 and "không thay đổi so với năm 2026" in out and "Quy ước không thay đổi" in out


def test_period_diff_shows_edits_after_import(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_document(imported) as doc:
        set_result(doc, 2027, "1.1", status=ResultStatus.NOT_MET)
        conv = content.current_convention(doc)
        assert conv is not None
        art = conv.chapters[0].articles[0]
        content.update_article(doc, art.id, body="Nội dung đã sửa năm 2027")
        content.add_row(doc, "conduct", None, category="cap-tren", text="Quy tắc thêm năm 2027")
    rc, out, err = run(capsys, "diff", imported, "--year", 2027, "--json")
    assert rc == 0, err
    data = json.loads(out)
    (c,) = data["criteria"]
    assert (c["code"], c["old_status"], c["new_status"]) == ("1.1", "dat", "chua-dat")
    assert [(t["change"], t["new"]) for t in data["convention"]] == [("changed", "Nội dung đã sửa năm 2027")]
    assert [(t["change"], t["new"]) for t in data["conduct"]] == [("added", "Quy tắc thêm năm 2027")]


def test_diff_for_export(imported: Path, demo_copy: Path) -> None:
    with open_document(imported) as doc:
        set_result(doc, 2027, "1.2", value=50)
        data = diff.diff_for_export(doc, 2027, period_payload(doc, 2027))
    assert data is not None
    assert data["old_year"] == 2026 and data["new_year"] == 2027 and not data["empty"]
    assert [c["code"] for c in data["criteria"]] == ["1.2"]
    assert any("1.2" in line for line in data["lines"])
    with open_document(demo_copy) as doc:
        assert diff.diff_for_export(doc, 2026, period_payload(doc, 2026)) is None


def test_diff_cli_period_without_references(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _out, err = run(capsys, "diff", demo_copy, "--year", 2026)
    assert rc == 2 and "không được nhập từ hồ sơ năm trước" in err


def test_diff_cli_document_needs_year(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _out, err = run(capsys, "diff", demo_copy)
    assert rc == 2 and "--year" in err
