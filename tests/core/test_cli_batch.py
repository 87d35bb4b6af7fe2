"""CLI for scripts: ``criteria``, batch ``set --from`` and batch ``attach``: one transaction, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from khoiapp.cli import main
from khoiapp.db import open_document
from khoiapp.services import criteria as crit
from khoiapp.services import evidence as evsvc

YEAR = 2026
UNIT = "Trung tâm Văn hóa, Thông tin và Thể thao huyện Quảng Xương, tỉnh Thanh Hóa"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def doc_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    p = tmp_path / "don-vi.khoi"
    assert run(capsys, "new", p, "--unit", UNIT, "--type", "co-quan", "--year", YEAR)[0] == 0
    return p


def answers(path: Path) -> dict[str, tuple[str, float | None, str]]:
    with open_document(path, read_only=True) as doc:
        return {c.code: (c.status, c.value, c.strengths) for c in crit.checklist(doc, YEAR).criteria}


def photo(path: Path) -> Path:
    """A 3000×2000 camera JPEG with an EXIF orientation, as phones write them."""
    img = Image.new("RGB", (3000, 2000), (180, 40, 40))
    for x in range(0, 3000, 50):
        img.paste((x % 255, 120, 200), (x, 0, x + 25, 2000))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°
    img.save(path, "JPEG", quality=88, exif=exif.tobytes())
    return path


def minutes_pdf(path: Path, pages: int = 3) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    for n in range(1, pages + 1):
        c.drawString(72, 780, f"Bien ban hoi nghi can bo, cong chuc nam 2026 - trang {n}")
        c.showPage()
    c.save()
    return path


CSV_GOOD = (
    "code;value;note;strengths\n"
    "1.1;dat;Hoàn thành 100% kế hoạch;Cán bộ đồng thuận, thực hiện nghiêm túc\n"
    "1.3;95,5;;\n"
    "2.2;chua-dat;Chưa niêm yết Quy ước tại phòng một cửa;\n"
    "4.2;3;;\n"
)


def test_criteria_lists_codes_titles_kinds_and_answers(doc_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "set", doc_path, "--year", YEAR, "1.3", "92")[0] == 0
    code, out, _ = run(capsys, "criteria", doc_path, "--year", YEAR, "--json")
    assert code == 0
    data = json.loads(out)
    by_code = {c["code"]: c for c in data["criteria"]}
    assert list(by_code) == list(answers(doc_path))  # every criterion of the period, in order
    assert by_code["1.3"]["kind"] == "percent" and by_code["1.3"]["value"] == 92 and by_code["1.3"]["status"] == "dat"
    assert by_code["4.2"]["kind"] == "count" and by_code["1.1"]["status"] == "chua-danh-gia"
    code, out, _ = run(capsys, "criteria", doc_path, "--year", YEAR)
    first = out.splitlines()[0].split("\t")
    assert first[0] == "1.1" and first[1] == "có/không" and first[2] == "Chưa đánh giá"


def test_set_from_csv_saves_every_row_in_one_call(doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "ket-qua.csv"
    f.write_bytes("\ufeff".encode() + CSV_GOOD.encode())  # as Excel saves «CSV UTF-8»
    code, out, err = run(capsys, "set", doc_path, "--year", YEAR, "--from", f)
    assert code == 0, err
    assert "Đã ghi 4 kết quả" in out
    got = answers(doc_path)
    assert got["1.1"] == ("dat", None, "Cán bộ đồng thuận, thực hiện nghiêm túc")
    assert got["1.3"][:2] == ("dat", 95.5)
    assert got["2.2"][0] == "chua-dat" and got["4.2"][:2] == ("dat", 3.0)


def test_set_from_json(doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "ket-qua.json"
    f.write_text(json.dumps({"answers": [{"code": "1.3", "value": 86}, {"code": "1.1", "value": "dat"}]}), "utf-8")
    code, out, err = run(capsys, "set", doc_path, "--year", YEAR, "--from", f, "--json")
    assert code == 0, err
    assert json.loads(out)["rows"] == 2
    assert answers(doc_path)["1.3"][:2] == ("dat", 86.0)


@pytest.mark.parametrize(
    ("bad_line", "words"),
    [("1.3;120;;", "0–100%"), ("9.9;dat;;", "9.9"), ("2.6;rat-tot;;", "rat-tot")],
)
def test_set_from_csv_with_a_bad_row_in_the_middle_saves_nothing(
    doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_line: str, words: str
) -> None:
    lines = CSV_GOOD.splitlines()
    lines.insert(3, bad_line)  # the file's line 4, after three good rows
    f = tmp_path / "ket-qua.csv"
    f.write_text("\n".join(lines) + "\n", "utf-8")
    before = answers(doc_path)
    code, _out, err = run(capsys, "set", doc_path, "--year", YEAR, "--from", f)
    assert code == 2
    code_in_row = bad_line.split(";")[0]
    assert f"dòng 4 (tiêu chí {code_in_row})" in err and words in err and "Chưa ghi kết quả nào" in err
    assert answers(doc_path) == before  # not even the three rows before it


def test_attach_many_files_in_one_call(doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [
        photo(tmp_path / "Ảnh hội nghị cán bộ 1.jpg"),
        photo(tmp_path / "Ảnh hội nghị cán bộ 2.jpg"),
        minutes_pdf(tmp_path / "Biên bản hội nghị.pdf"),
    ]
    files[1].write_bytes(files[1].read_bytes() + b"\xff\xd9")  # a different file than the first
    code, out, err = run(capsys, "attach", doc_path, "--year", YEAR, "2.2", *files, "--date", "15/01/2026")
    assert code == 0, err
    assert "Đã thêm 3 minh chứng cho tiêu chí 2.2" in out
    with open_document(doc_path, read_only=True) as doc:
        stored = evsvc.list_evidence(doc, YEAR)
        linked = next(c for c in crit.checklist(doc, YEAR).criteria if c.code == "2.2").evidence_codes
    assert sorted(e.file_name for e in stored) == sorted(f.name for f in files)
    assert all(e.issued_on is not None and e.issued_on.isoformat() == "2026-01-15" for e in stored)
    assert len(linked) == 3
    code, out, _ = run(capsys, "attach", doc_path, "--year", YEAR, "2.3", files[0], files[2], "--json")
    assert code == 0
    report = json.loads(out)
    assert [i["reused"] for i in report["items"]] == [True, True]  # linked, not stored twice


def test_attach_with_a_bad_file_in_the_middle_adds_nothing(doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = minutes_pdf(tmp_path / "Kế hoạch năm 2026.pdf")
    missing = tmp_path / "Quyết định khen thưởng.pdf"
    last = photo(tmp_path / "Ảnh khẩu hiệu.jpg")
    code, _out, err = run(capsys, "attach", doc_path, "--year", YEAR, "1.1", good, missing, last)
    assert code == 2
    assert "Tệp thứ 2" in err and missing.name in err and "Chưa thêm tệp nào" in err
    with open_document(doc_path, read_only=True) as doc:
        assert evsvc.list_evidence(doc, YEAR) == []
        assert evsvc.blob_count(doc) == 0


def test_attach_to_an_unknown_criterion_adds_nothing(doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = minutes_pdf(tmp_path / "a.pdf"), minutes_pdf(tmp_path / "b.pdf", pages=2)
    code, _out, err = run(capsys, "attach", doc_path, "--year", YEAR, "9.9", a, b)
    assert code == 2 and "9.9" in err
    with open_document(doc_path, read_only=True) as doc:
        assert evsvc.list_evidence(doc, YEAR) == []


def test_answers_file_that_is_not_utf8_is_refused_with_the_excel_hint(doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "ket-qua.csv"
    f.write_bytes("code,value,note\n1.1,dat,Hoàn thành\n".encode("cp1258"))
    code, _out, err = run(capsys, "set", doc_path, "--year", YEAR, "--from", f)
    assert code == 2 and "CSV UTF-8" in err
