"""The bloc's report computed from 30 units' signed dossiers over 2021–2023: list, figures, files, roll-up."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from khoiapp.bloc import figures, outputs, pdf_report, read, units
from khoiapp.errors import BadInputError, UnitListError
from khoiapp.services import summary as base
from khoiapp.services.export import SignRequest
from tests import bloc_data as bd

COUNTED_UNITS = [i for i in range(1, bd.N_UNITS + 1) if i not in bd.MISSING and i != bd.IMPOSTOR]


def pct(part: int, whole: int, rule: str = "round") -> float:
    mode = ROUND_DOWN if rule == "truncate" else ROUND_HALF_UP
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=mode))


@pytest.fixture(scope="session")
def bloc(bloc30: bd.Bloc) -> bd.Bloc:
    return bloc30


@pytest.fixture(scope="session")
def entries(bloc: bd.Bloc) -> list[read.Entry]:
    return read.collect([bloc.folder], trust=[bloc.cert_pem, bloc.impostor_pem], use_trust_store=False)


@pytest.fixture(scope="session")
def report(bloc: bd.Bloc, entries: list[read.Entry]) -> figures.BlocReport:
    return figures.compute(entries, units=units.read_unit_list(bloc.unit_list), years=(2021, 2023))


# --------------------------------------------------------------------------- the unit list


def _csv(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "ds.csv"
    p.write_text(text, encoding="utf-8-sig")
    return p


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("Tên đơn vị;Loại hình\nSở Tư pháp tỉnh Thanh Hóa;Cơ quan\nsở tư pháp  tỉnh thanh hóa;Cơ quan\n", "trùng với dòng 2"),
        ("Tên đơn vị;Loại hình\nSở Tư pháp;Cơ quan\n;Đơn vị\n", "Dòng 3: chưa có tên đơn vị"),
        ("Tên đơn vị;Địa chỉ\nSở Tư pháp;12 Hạc Thành\n", "Cột «Địa chỉ» không có"),
        ("Tên viết tắt;Loại hình\nSTP;Cơ quan\n", "thiếu cột «Tên đơn vị»"),
        ("Tên đơn vị;Dấu vân tay\nSở Tư pháp;AB:CD:12\n", "Dòng 2: dấu vân tay chứng thư «AB:CD:12» không đúng dạng SHA-256"),
        ("Tên đơn vị;Loại hình\nSở Tư pháp;Hợp tác xã\n", "loại hình «Hợp tác xã» không hợp lệ"),
    ],
)
def test_unit_list_bad_input_names_the_row(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(UnitListError) as exc:
        units.read_unit_list(_csv(tmp_path, text))
    assert needle in exc.value.message


def test_unit_list_fingerprint_spellings(tmp_path: Path) -> None:
    fpr = "ab" * 32
    colons = ":".join(["AB"] * 32)
    p = _csv(tmp_path, f"STT;Tên đơn vị;Tên viết tắt;Loại hình;Dấu vân tay\n1;Báo Thanh Hóa;BTH;đơn vị;{colons}, {'cd' * 32}\n")
    (u,) = units.read_unit_list(p).units
    assert (u.name, u.short_name, u.unit_type, u.fingerprints) == ("Báo Thanh Hóa", "BTH", "don-vi", (fpr, "cd" * 32))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_unit_list_round_trip(bloc: bd.Bloc, tmp_path: Path, suffix: str) -> None:
    listed = units.read_unit_list(bloc.unit_list)
    again = units.read_unit_list(units.write_unit_list(listed, tmp_path / f"ds{suffix}"))
    assert again.units == listed.units and len(again) == bd.N_UNITS
    assert again.units[0].fingerprints == (bloc.fingerprint,)


def test_unit_list_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "ds.xlsx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnitListError, match="Tệp Excel bị hỏng"):
        units.read_unit_list(p)


# --------------------------------------------------------------------------- who counts


def test_every_file_has_its_status(report: figures.BlocReport, bloc: bd.Bloc) -> None:
    by_file = {r.file: r for r in report.rows}
    assert by_file["2023-01.pdf"].status == base.DUPLICATE and "2023-01-ban-sua.pdf" in by_file["2023-01.pdf"].reason
    assert by_file["2023-01-ban-sua.pdf"].status == base.COUNTED
    assert by_file["2023-02-sua.pdf"].status == base.INVALID
    assert by_file["2023-02.pdf"].status == base.COUNTED
    imp = by_file[f"2023-{bd.IMPOSTOR}.pdf"]
    assert imp.status == base.WRONG_SIGNER and imp.status_label == "Chữ ký không thuộc đơn vị"
    assert imp.reason.startswith("Chữ ký không thuộc đơn vị") and bd.name(bd.IMPOSTOR) in imp.reason
    assert by_file["2023-ngoai-danh-sach.pdf"].status == base.NOT_ON_LIST
    counted = Counter(r.status for r in report.rows)
    expected = sum(len(bd.years_of(i)) for i in COUNTED_UNITS)
    assert counted[base.COUNTED] == expected == len(report.counted)


def test_units_that_sent_nothing_are_listed(report: figures.BlocReport) -> None:
    missing = [u.name for u in report.units if u.standing == figures.MISSING]
    assert missing == [bd.name(i) for i in bd.MISSING]
    assert all(u.standing_label == "Chưa nộp" for u in report.missing)
    imp = next(u for u in report.units if u.name == bd.name(bd.IMPOSTOR))
    assert imp.standing == figures.NOT_COUNTED and "Chữ ký không thuộc đơn vị" in imp.reason


# --------------------------------------------------------------------------- figures


def test_units_by_result_and_percent_of_the_bloc(report: figures.BlocReport) -> None:
    want = Counter(bd.result(i, 2023) for i in COUNTED_UNITS)
    assert report.bloc_units == 30
    assert report.standing("kieu-mau") == want["kieu-mau"]
    assert report.standing("dat-chuan-van-hoa") == want["dat-chuan-van-hoa"]
    assert report.standing("chua-dat") == want["chua-dat"]
    assert report.standing("chua-nop") == 3 and report.standing("khong-duoc-tinh") == 1
    cultural = want["kieu-mau"] + want["dat-chuan-van-hoa"]
    assert (report.cultural, report.cultural_percent) == (cultural, pct(cultural, 30))
    assert (report.model, report.model_percent) == (want["kieu-mau"], pct(want["kieu-mau"], 30))


def test_units_by_type(report: figures.BlocReport) -> None:
    for t in report.by_type:
        members = [i for i in range(1, 31) if bd.utype(i) == t.unit_type]
        got = dict(t.counts)
        for res in ("kieu-mau", "dat-chuan-van-hoa", "chua-dat"):
            assert got[res] == sum(1 for i in members if i in COUNTED_UNITS and bd.result(i, 2023) == res)
        assert got["chua-nop"] == sum(1 for i in members if i in bd.MISSING)
        assert t.units == 10 and t.cultural_percent == pct(t.cultural, 10)
    assert [t.label for t in report.by_type] == ["Cơ quan", "Đơn vị", "Doanh nghiệp"]


def test_activity_totals_sum_every_counted_year(report: figures.BlocReport) -> None:
    for kind in ("hoi-nghi-tuyen-truyen", "noi-chuyen", "tin-bai", "ke-hoach-lam-theo-bac", "cam-ket-dang-vien"):
        a = report.activity(kind)
        rows = [bd.activities(i, y)[kind] for i in COUNTED_UNITS for y in bd.years_of(i)]
        assert (a.count, a.participants, a.quantity) == (
            sum(r["count"] for r in rows), sum(r["participants"] for r in rows), sum(r["quantity"] for r in rows),
        )  # fmt: skip
        assert a.units == len(COUNTED_UNITS)


def test_awards_by_form_level_and_holder(report: figures.BlocReport) -> None:
    all_awards = Counter(a for i in COUNTED_UNITS for y in bd.years_of(i) for a in bd.awards(i, y))
    for a in report.awards:
        assert a.collective == all_awards[(a.kind, a.level, True)]
        assert a.individual == all_awards[(a.kind, a.level, False)]
    assert report.award_total() == sum(all_awards.values())
    assert report.award_total(level="ubnd-tinh", collective=False) == sum(
        n for (k, lv, c), n in all_awards.items() if lv == "ubnd-tinh" and not c
    )


def test_per_criterion_rates_from_each_units_latest_dossier(report: figures.BlocReport, bloc: bd.Bloc) -> None:
    met = Counter(c for i in COUNTED_UNITS for c in bd.met_codes(i, 2023, bloc.codes))
    assert len(report.criteria) == len(bloc.codes)
    for c in report.criteria:
        assert (c.met, c.base, c.percent) == (met[c.code], 26, pct(met[c.code], 26))
    least = report.least_met(10)
    assert len(least) == 10 and least[0].percent == min(c.percent or 0 for c in report.criteria)


def test_year_on_year_change_per_unit(report: figures.BlocReport) -> None:
    u9 = next(u for u in report.units if u.name == bd.name(9))
    assert [y.year for y in u9.years] == [2021, 2022, 2023]
    assert u9.change == "2022: Đạt chuẩn văn hóa → 2023: Đạt chuẩn văn hóa (giữ nguyên)"
    u4 = next(u for u in report.units if u.name == bd.name(4))
    assert u4.change.endswith("(tăng)") and u4.points_change == bd.points(4, 2023) - bd.points(4, 2022)
    u22 = next(u for u in report.units if u.name == bd.name(22))
    assert [y.year for y in u22.years] == [2023] and u22.change == ""


def test_one_year_counts_only_that_year(bloc: bd.Bloc, entries: list[read.Entry]) -> None:
    r = figures.compute(entries, units=units.read_unit_list(bloc.unit_list), years=(2022, 2022))
    assert r.cultural == sum(1 for i in COUNTED_UNITS if 2022 in bd.years_of(i) and bd.result(i, 2022) != "chua-dat")
    assert r.activity("tin-bai").quantity == sum(
        bd.activities(i, 2022)["tin-bai"]["quantity"] for i in COUNTED_UNITS if 2022 in bd.years_of(i)
    )


def test_year_range_without_dossiers_warns(bloc: bd.Bloc, entries: list[read.Entry]) -> None:
    r = figures.compute(entries, units=units.read_unit_list(bloc.unit_list), years=(2018, 2019))
    assert not r.counted and r.standing("chua-nop") + r.standing("khong-duoc-tinh") == 30
    assert "Không có hồ sơ nào được tính trong khoảng năm 2018–2019" in r.warnings[0]


@pytest.mark.parametrize(("rule", "text"), [("round", "51,24 %"), ("truncate", "51,23 %")])
def test_percent_rule(rule: str, text: str) -> None:
    assert figures.pct_text(figures.percent(62, 121, rule)) == text


@pytest.mark.parametrize("bad", ["2023-2021", "20-23", "2010-2023"])
def test_bad_year_range(bad: str) -> None:
    with pytest.raises(BadInputError):
        figures.parse_years(bad)


def test_years_parse() -> None:
    assert figures.parse_years("2021-2023") == (2021, 2023) and figures.parse_years("2023") == (2023, 2023)


# --------------------------------------------------------------------------- files


def test_xlsx_sheets_cells_and_charts(report: figures.BlocReport, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = outputs.to_xlsx(report, tmp_path / "tong-hop.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == list(outputs.SHEETS)
    ws = wb["Tổng hợp"]
    assert ws["A4"].value == "Đạt chuẩn văn hóa (kể cả kiểu mẫu)"
    assert ws["B4"].value == report.cultural and isinstance(ws["B4"].value, int)
    assert ws["C4"].value == pytest.approx(report.cultural_percent / 100) and ws["C4"].number_format == "0.00%"
    assert ws.freeze_panes == "A2" and len(ws._charts) == 1
    units_ws = wb["Đơn vị"]
    assert units_ws.auto_filter.ref == "A1:P31" and units_ws.column_dimensions["B"].width == 52
    first = [c.value for c in units_ws[2]]
    assert first[1] == bd.name(1) and first[6] == bd.points(1, 2023) and isinstance(first[6], (int, float))
    crit = wb["Tiêu chí"]
    assert len(crit._charts) == 1 and crit["I2"].number_format == "0.00%"
    rows = {r[0].value: r for r in wb["Hoạt động"].iter_rows(min_row=2)}
    hn = report.activity("hoi-nghi-tuyen-truyen")
    assert (rows["hoi-nghi-tuyen-truyen"][2].value, rows["hoi-nghi-tuyen-truyen"][3].value) == (hn.count, hn.participants)
    assert [r[1].value for r in wb["Chưa nộp"].iter_rows(min_row=2)] == [bd.name(bd.IMPOSTOR)] + [bd.name(i) for i in bd.MISSING]
    statuses = {r[1].value: r[4].value for r in wb["Không được tính"].iter_rows(min_row=2)}
    assert statuses[f"2023-{bd.IMPOSTOR}.pdf"] == "Chữ ký không thuộc đơn vị"
    kt = sum(r[2].value + r[3].value for r in wb["Khen thưởng"].iter_rows(min_row=2))
    assert kt == report.award_total()


def test_csv_numbers_are_numbers(report: figures.BlocReport, tmp_path: Path) -> None:
    import csv

    text = outputs.to_csv(report, tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert rows[1][1] == bd.name(1) and rows[1][5] == str(bd.points(1, 2023))
    foot = {r[0]: r for r in rows if r}
    assert foot["Đạt chuẩn văn hóa (kể cả kiểu mẫu)"][1:] == [str(report.cultural), f"{report.cultural_percent:.2f}".rstrip("0").replace(".", ",")]


def test_docx_draft_carries_every_figure(report: figures.BlocReport, tmp_path: Path) -> None:
    from docx import Document

    d = Document(str(outputs.to_docx(report, tmp_path / "bc.docx")))
    text = "\n".join(p.text for p in d.paragraphs)
    cells = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    hn = report.activity("hoi-nghi-tuyen-truyen")
    assert f"có {report.cultural}/30 cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa, đạt {figures.pct_text(report.cultural_percent)}" in text
    assert f"tổ chức {outputs._n(hn.count)} hội nghị tuyên truyền, phổ biến với {outputs._n(hn.participants)} lượt" in text
    ubnd_c = report.award_total(level="ubnd-tinh", collective=True)
    ubnd_i = report.award_total(level="ubnd-tinh", collective=False)
    assert f"{ubnd_c} tập thể và {ubnd_i} cá nhân được UBND tỉnh khen thưởng" in text
    assert "BÁO CÁO" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in cells and "Nơi nhận:" in cells
    assert all(u.name in text for u in report.missing)
    least = report.least_met(1)[0]
    assert f"{least.met}/{least.base}" in cells


def test_summary_pdf_text_data_and_signature(report: figures.BlocReport, bloc: bd.Bloc, tmp_path: Path) -> None:
    path = pdf_report.write_summary_pdf(
        report, tmp_path / "tong-hop.pdf", sign=SignRequest(p12_path=bloc.folder.parent / "work" / "khoi.p12", password=bd.PASSWORD, visible=False)
    )  # fmt: skip
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "BẢN TỔNG HỢP" in flat and f"{report.cultural}/30" in flat
    assert figures.pct_text(report.cultural_percent) in flat
    assert outputs._n(report.activity("hoi-nghi-tuyen-truyen").participants) in flat
    assert "Chữ ký không thuộc đơn vị" in flat and bd.name(30) in flat
    data, verdict, signer, _when, problems = pdf_report.check_summary_pdf(path, [bloc.cert_pem], use_trust_store=False)
    assert (verdict, signer, problems) == ("ok", "Đảng ủy Khối thử nghiệm", [])
    assert data["figures"]["cultural"] == report.cultural and len(data["unit_list"]) == 30
    shas = {d["sha256"] for d in data["dossiers"]}
    assert len(shas) == len(report.counted) and all(d["signer"] for d in data["dossiers"])
    import hashlib

    assert hashlib.sha256(bloc.files["2023-05"].read_bytes()).hexdigest() in shas
    # a byte changed after signing: the summary no longer counts
    bad = bytearray(path.read_bytes())
    bad[bad.index(b"/Producer") + 3] ^= 1
    (tmp_path / "sua.pdf").write_bytes(bytes(bad))
    rows = read.collect([tmp_path / "sua.pdf"], trust=[bloc.cert_pem], use_trust_store=False)
    assert [e.row.status for e in rows] == [base.INVALID]


def test_two_bloc_roll_up_counts_a_shared_unit_once(bloc: bd.Bloc, entries: list[read.Entry], tmp_path: Path) -> None:
    """Bloc A has units 1–15, bloc B units 10–26: units 10–15 are in both summaries."""
    listed = units.read_unit_list(bloc.unit_list)
    req = SignRequest(p12_path=bloc.folder.parent / "work" / "khoi.p12", password=bd.PASSWORD, visible=False)
    paths = []
    for label, lo, hi in (("a", 1, 15), ("b", 10, 26)):
        ul = units.UnitList(tuple(u for n, u in enumerate(listed.units, 1) if lo <= n <= hi))
        rep = figures.compute(entries, units=ul, years=(2021, 2023))
        paths.append(pdf_report.write_summary_pdf(rep, tmp_path / f"khoi-{label}.pdf", sign=req))
    both = units.UnitList(tuple(listed.units[:26]))
    rolled = figures.compute(
        read.collect(paths, trust=[bloc.cert_pem], use_trust_store=False), units=both, years=(2021, 2023)
    )
    direct = figures.compute(
        [e for e in entries if e.row.unit_name in {u.name for u in both.units}], units=both, years=(2021, 2023)
    )
    assert len(rolled.counted) == len(direct.counted) == sum(len(bd.years_of(i)) for i in range(1, 27))
    assert rolled.cultural == direct.cultural and rolled.standings == direct.standings
    assert rolled.activities == direct.activities and rolled.awards == direct.awards
    assert rolled.criteria == direct.criteria
    dup = [r for r in rolled.rows if r.status == base.DUPLICATE]
    assert len(dup) == sum(len(bd.years_of(i)) for i in range(10, 16)) and "khoi-a.pdf" in dup[0].reason


def test_cli_writes_every_file(bloc: bd.Bloc, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from khoiapp.cli import main as cli_main

    pem = tmp_path / "khoi.pem"
    pem.write_bytes(bloc.cert_pem)
    pem2 = tmp_path / "khac.pem"
    pem2.write_bytes(bloc.impostor_pem)
    out = tmp_path / "ra"
    out.mkdir()
    code = cli_main([
        "summary", str(bloc.folder), "--units", str(bloc.unit_list), "--years", "2021-2023", "--percent", "truncate",
        "--trust", str(pem), "--trust", str(pem2), "--xlsx", str(out / "t.xlsx"), "--docx", str(out / "t.docx"),
        "--pdf", str(out / "t.pdf"), "--csv", str(out / "t.csv"), "--json",
    ])  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["percent_rule"] == "truncate" and data["bloc_units"] == 30
    assert sorted(p.name for p in out.iterdir()) == ["t.csv", "t.docx", "t.pdf", "t.xlsx"]


def test_copy_of_a_dossier_under_another_name_counts_once(bloc: bd.Bloc, tmp_path: Path) -> None:
    shutil.copy(bloc.files["2023-05"], tmp_path / "a.pdf")
    shutil.copy(bloc.files["2023-05"], tmp_path / "b.pdf")
    r = figures.compute(read.collect([tmp_path], trust=[bloc.cert_pem], use_trust_store=False))
    assert [x.status for x in r.rows] == [base.COUNTED, base.DUPLICATE] and "a.pdf" in r.rows[1].reason


def test_json_carries_every_figure(report: figures.BlocReport, bloc: bd.Bloc) -> None:
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    want = Counter(bd.result(i, 2023) for i in COUNTED_UNITS)
    assert data["years"] == [2021, 2023] and data["percent_rule"] == "round" and data["bloc_units"] == 30
    assert (data["cultural"], data["cultural_percent"]) == (want["kieu-mau"] + want["dat-chuan-van-hoa"], pct(want["kieu-mau"] + want["dat-chuan-van-hoa"], 30))
    st = {s["standing"]: (s["units"], s["percent"]) for s in data["standings"]}
    assert st["chua-nop"] == (3, pct(3, 30)) and st["kieu-mau"] == (want["kieu-mau"], pct(want["kieu-mau"], 30))
    types = {t["unit_type"]: t for t in data["by_type"]}
    assert types["doanh-nghiep"]["counts"]["chua-nop"] == 3 and types["co-quan"]["units"] == 10
    acts = {a["kind"]: a for a in data["activities"]}
    rows = [bd.activities(i, y)["cam-ket-dang-vien"] for i in COUNTED_UNITS for y in bd.years_of(i)]
    assert (acts["cam-ket-dang-vien"]["participants"], acts["cam-ket-dang-vien"]["quantity"]) == (
        sum(r["participants"] for r in rows), sum(r["quantity"] for r in rows),
    )  # fmt: skip
    met = Counter(c for i in COUNTED_UNITS for c in bd.met_codes(i, 2023, bloc.codes))
    assert {c["code"]: c["met"] for c in data["criteria"]} == {c: met[c] for c in bloc.codes}
    all_awards = Counter(a for i in COUNTED_UNITS for y in bd.years_of(i) for a in bd.awards(i, y))
    assert sum(a["collective"] + a["individual"] for a in data["awards"]) == sum(all_awards.values())
    u1 = next(u for u in data["units"] if u["name"] == bd.name(1))
    assert [y["year"] for y in u1["years"]] == [2021, 2022, 2023] and u1["points"] == bd.points(1, 2023)
    assert {r["status_label"] for r in data["rows"] if not r["counted"]} == {
        "Bản trùng", "Chữ ký không hợp lệ", "Chữ ký không thuộc đơn vị", "Không có trong danh sách",
    }  # fmt: skip


def test_truncate_rule_applies_to_every_percentage(bloc: bd.Bloc, entries: list[read.Entry]) -> None:
    r = figures.compute(entries, units=units.read_unit_list(bloc.unit_list), years=(2021, 2023), rule="truncate")
    assert r.cultural_percent == pct(r.cultural, 30, "truncate")
    assert all(c.percent == pct(c.met, c.base, "truncate") for c in r.criteria)
    assert all(t.cultural_percent == pct(t.cultural, t.units, "truncate") for t in r.by_type)


def test_roll_up_without_a_list_uses_the_blocs_lists(bloc: bd.Bloc, entries: list[read.Entry], tmp_path: Path) -> None:
    """Bloc A lists units 1–5 and 28 (sent nothing), bloc B units 4–8 and 29; the province gives no list."""
    listed = units.read_unit_list(bloc.unit_list).units
    req = SignRequest(p12_path=bloc.folder.parent / "work" / "khoi.p12", password=bd.PASSWORD, visible=False)
    for label, members in (("a", [1, 2, 3, 4, 5, 28]), ("b", [4, 5, 6, 7, 8, 29])):
        ul = units.UnitList(tuple(listed[i - 1] for i in members))
        rep = figures.compute(entries, units=ul, years=(2023, 2023))
        pdf_report.write_summary_pdf(rep, tmp_path / f"{label}.pdf", sign=req)
        pdf_report.write_summary_pdf(rep, tmp_path / f"chua-ky-{label}.pdf")
    unsigned = read.collect([tmp_path / "chua-ky-a.pdf"], accept_untrusted=True, use_trust_store=False)
    assert [e.row.status for e in unsigned] == [base.UNSIGNED]  # an unsigned summary never counts
    got = read.collect([tmp_path / "a.pdf", tmp_path / "b.pdf"], trust=[bloc.cert_pem], use_trust_store=False)
    union = read.unit_list_of_summaries(got)
    assert [u.name for u in union.units] == [bd.name(i) for i in (1, 2, 3, 4, 5, 28, 6, 7, 8, 29)]
    r = figures.compute(got, units=union, years=(2023, 2023))
    assert r.bloc_units == 10 and [u.name for u in r.missing] == [bd.name(28), bd.name(29)]
    assert len(r.counted) == 8 and sum(1 for x in r.rows if x.status == base.DUPLICATE) == 2
