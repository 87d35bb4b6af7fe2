"""Bloc summary over many dossiers: what counts, why the rest does not, totals, CSV, JSON and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from khoiapp import scoring
from khoiapp.cli import main as cli_main
from khoiapp.db import open_document
from khoiapp.errors import BadInputError, Cancelled
from khoiapp.services import criteria, document, signing
from khoiapp.services import summary as svc
from khoiapp.services.demo import build_demo
from khoiapp.services.export import SignRequest, export_dossier

YEAR = 2026
PASSWORD = "mat-khau-tong-hop"
CLOCK = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))

UNIT_A = "Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa"
UNIT_B = "Trường Cao đẳng Y tế Thanh Hóa"
UNIT_C = "Công ty Cổ phần Cấp nước Thanh Hóa"
UNIT_D = "Ban Quản lý dự án Đầu tư xây dựng"
UNIT_E = "Trung tâm Y tế Đông Sơn"


@dataclass(frozen=True)
class DossierSet:
    folder: Path
    cert_pem: bytes


def _export(
    template: Path,
    work: Path,
    out: Path,
    unit: str,
    *,
    sign: SignRequest | None,
    draft: bool = False,
    model: bool = True,
    not_met: bool = False,
    clock: dt.datetime = CLOCK,
) -> Path:
    path = work / (out.stem + ".khoi")
    shutil.copyfile(template, path)
    doc = open_document(path)
    try:
        document.update_unit(doc, name=unit)
        if not model:
            document.set_target_model(doc, YEAR, False)
        if not_met:
            criteria.set_result(doc, YEAR, "1.1", status=scoring.ResultStatus.NOT_MET)
        export_dossier(doc, YEAR, out, draft=draft, clock=clock, sign=sign)
    finally:
        doc.close()
    return out


def build_dossier_set(base: Path) -> DossierSet:
    """A folder as the bloc receives it: good, duplicate, unsigned, draft, tampered and stray files."""
    work = base / "work"
    folder = base / "inbox"
    work.mkdir()
    folder.mkdir()
    template = build_demo(work / "demo.khoi", year=YEAR)
    from cryptography.hazmat.primitives.serialization import Encoding

    # each unit signs with its own certificate: a receiver counts a dossier only when the
    # certificate names the unit (ECDSA keys keep the fixture fast)
    pems = []
    reqs = {}
    for i, unit in enumerate((UNIT_A, UNIT_B, UNIT_C, UNIT_E)):
        p12 = work / f"don-vi-{i}.p12"
        signing.create_unit_certificate(unit, p12, PASSWORD, algorithm="ecdsa")
        pems.append(signing.load_certificate_from_p12(p12, PASSWORD).public_bytes(Encoding.PEM))
        reqs[unit] = SignRequest(p12_path=p12, password=PASSWORD, visible=False, role="don-vi")
    _export(template, work, folder / "01-a-cu.pdf", UNIT_A, sign=reqs[UNIT_A], clock=CLOCK)
    _export(template, work, folder / "02-a-moi.pdf", UNIT_A, sign=reqs[UNIT_A], clock=CLOCK + dt.timedelta(days=2))
    _export(template, work, folder / "03-b.pdf", UNIT_B, sign=reqs[UNIT_B], model=False)
    _export(template, work, folder / "04-c.pdf", UNIT_C, sign=reqs[UNIT_C], not_met=True)
    _export(template, work, folder / "05-d-chua-ky.pdf", UNIT_D, sign=None)
    _export(template, work, folder / "06-e-nhap.pdf", UNIT_E, sign=reqs[UNIT_E], draft=True)
    data = bytearray((folder / "03-b.pdf").read_bytes())
    at = data.index(b"/Author")
    data[at + 10] ^= 0x01  # inside revision 1, covered by the signature
    (folder / "07-b-sua.pdf").write_bytes(bytes(data))
    (folder / "08-ghi-chu.pdf").write_text("Không phải PDF", encoding="utf-8")
    (folder / "danh-sach.txt").write_text("không phải hồ sơ", encoding="utf-8")
    return DossierSet(folder=folder, cert_pem=b"".join(pems))


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> DossierSet:
    base = tmp_path_factory.mktemp("bloc")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHOI_DATA_DIR", str(base / "data"))
        mp.setenv("KHOI_CONFIG_DIR", str(base / "config"))
        return build_dossier_set(base)


@pytest.fixture(scope="module")
def trusted(dossiers: DossierSet, tmp_path_factory: pytest.TempPathFactory) -> svc.BlocSummary:
    base = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHOI_DATA_DIR", str(base / "data"))
        mp.setenv("KHOI_CONFIG_DIR", str(base / "config"))
        return svc.summarise([dossiers.folder], expected_units=121, trust=[dossiers.cert_pem])


def _by_file(summary: svc.BlocSummary) -> dict[str, svc.SummaryRow]:
    return {r.file: r for r in summary.rows}


def test_folder_gives_its_pdfs_sorted(trusted: svc.BlocSummary) -> None:
    assert [r.file for r in trusted.rows] == [
        "01-a-cu.pdf", "02-a-moi.pdf", "03-b.pdf", "04-c.pdf",
        "05-d-chua-ky.pdf", "06-e-nhap.pdf", "07-b-sua.pdf", "08-ghi-chu.pdf",
    ]  # fmt: skip


def test_statuses_and_verdicts(trusted: svc.BlocSummary) -> None:
    rows = _by_file(trusted)
    got = {f: (r.status, r.verdict) for f, r in rows.items()}
    assert got == {
        "01-a-cu.pdf": (svc.DUPLICATE, "ok"),
        "02-a-moi.pdf": (svc.COUNTED, "ok"),
        "03-b.pdf": (svc.COUNTED, "ok"),
        "04-c.pdf": (svc.COUNTED, "ok"),
        "05-d-chua-ky.pdf": (svc.UNSIGNED, "unsigned"),
        "06-e-nhap.pdf": (svc.DRAFT, "ok"),
        "07-b-sua.pdf": (svc.INVALID, "invalid"),
        "08-ghi-chu.pdf": (svc.NOT_DOSSIER, svc.NOT_DOSSIER),
    }


def test_rows_carry_payload_fields(trusted: svc.BlocSummary) -> None:
    rows = _by_file(trusted)
    a = rows["02-a-moi.pdf"]
    assert (a.unit_name, a.year, a.result, a.draft) == (UNIT_A, YEAR, "kieu-mau", False)
    assert a.result_label and a.unit_type and a.points is not None
    assert a.signer and a.signing_time
    assert (rows["03-b.pdf"].result, rows["04-c.pdf"].result) == ("dat-chuan-van-hoa", "chua-dat")
    assert rows["06-e-nhap.pdf"].draft is True and rows["05-d-chua-ky.pdf"].signer is None


def test_every_uncounted_row_says_why_in_vietnamese(trusted: svc.BlocSummary) -> None:
    rows = _by_file(trusted)
    assert all(r.reason == "" for r in trusted.rows if r.counted)
    assert "02-a-moi.pdf" in rows["01-a-cu.pdf"].reason and "ký muộn nhất" in rows["01-a-cu.pdf"].reason
    assert "chưa được ký số" in rows["05-d-chua-ky.pdf"].reason
    assert "bản nháp" in rows["06-e-nhap.pdf"].reason
    assert "không hợp lệ" in rows["07-b-sua.pdf"].reason
    assert "PDF" in rows["08-ghi-chu.pdf"].reason


def test_totals_of_expected_units(trusted: svc.BlocSummary) -> None:
    t = trusted.totals
    assert (t.files, t.valid, t.counted, t.cultural, t.model, t.not_passed, t.not_counted) == (8, 4, 3, 2, 1, 1, 5)
    assert (t.base, t.cultural_percent_text, t.model_percent_text) == (121, "1,65%", "0,83%")
    assert dict(t.not_counted_by_status) == {
        svc.DUPLICATE: 1, svc.UNSIGNED: 1, svc.DRAFT: 1, svc.INVALID: 1, svc.NOT_DOSSIER: 1,
    }  # fmt: skip
    assert trusted.year == YEAR
    assert trusted.sentence.startswith(
        "Đã nhận 4 hồ sơ hợp lệ của 3/121 đơn vị; 2 đạt chuẩn văn hóa (1,65%), trong đó 1 kiểu mẫu (0,83%)"
    )


def test_untrusted_listed_not_counted_unless_accepted(dossiers: DossierSet) -> None:
    strict = svc.summarise([dossiers.folder / "03-b.pdf", dossiers.folder / "04-c.pdf"], use_trust_store=False)
    assert [r.status for r in strict.rows] == [svc.UNTRUSTED, svc.UNTRUSTED]
    assert "danh sách tin cậy" in strict.rows[0].reason and strict.totals.counted == 0
    loose = svc.summarise(
        [dossiers.folder / "03-b.pdf", dossiers.folder / "04-c.pdf"], accept_untrusted=True, use_trust_store=False
    )
    assert [r.status for r in loose.rows] == [svc.COUNTED, svc.COUNTED]
    assert (loose.totals.base, loose.totals.cultural_percent_text) == (2, "50,00%")


def test_other_year_listed_not_counted(dossiers: DossierSet) -> None:
    s = svc.summarise([dossiers.folder / "03-b.pdf"], year=2025, trust=[dossiers.cert_pem])
    (row,) = s.rows
    assert row.status == svc.OTHER_YEAR and "năm 2026" in row.reason and s.totals.counted == 0


def test_progress_per_file_and_cancel_between_files(dossiers: DossierSet) -> None:
    seen: list[tuple[int, int]] = []
    files = [dossiers.folder / "05-d-chua-ky.pdf", dossiers.folder / "08-ghi-chu.pdf"]
    svc.summarise(files, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 2), (1, 2), (2, 2)]
    with pytest.raises(Cancelled):
        svc.summarise(files, is_cancelled=lambda: len(seen) > 4, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (1, 2)


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [(62, 121, "51,24%"), (30, 121, "24,79%"), (1, 3, "33,33%"), (0, 121, "0,00%"), (1, 0, "—")],
)
def test_percent_vietnamese_style(part: int, whole: int, text: str) -> None:
    assert svc.format_percent(svc.percent(part, whole)) == text


def test_unexpected_error_in_one_file_does_not_stop_the_rest(
    dossiers: DossierSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from khoiapp.services import verify

    real = verify.verify_reader

    def broken_for_c(rd, *args, **kwargs):  # type: ignore[no-untyped-def]
        if rd.path.name == "04-c.pdf":
            raise RuntimeError("hỏng bất ngờ")
        return real(rd, *args, **kwargs)

    monkeypatch.setattr(verify, "verify_reader", broken_for_c)
    s = svc.summarise(
        [dossiers.folder / "03-b.pdf", dossiers.folder / "04-c.pdf"], trust=[dossiers.cert_pem], isolated=False
    )
    assert [r.status for r in s.rows] == [svc.COUNTED, svc.NOT_DOSSIER]
    assert "lỗi không lường trước" in s.rows[1].reason and "nhật ký" in s.rows[1].reason


def test_no_pdf_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(BadInputError, match="Không tìm thấy tệp hồ sơ PDF"):
        svc.summarise([tmp_path])
    with pytest.raises(BadInputError, match="Không tìm thấy"):
        svc.summarise([tmp_path / "khong-co"])


def test_csv_for_excel(trusted: svc.BlocSummary, tmp_path: Path) -> None:
    out = svc.to_csv(trusted, tmp_path / "tong-hop.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert tuple(rows[0]) == svc.CSV_HEADER and rows[0][2] == "Tên đơn vị"
    body = rows[1:9]
    assert [r[1] for r in body] == [r.file for r in trusted.rows]
    a = next(r for r in body if r[1] == "02-a-moi.pdf")
    assert (a[2], a[4], a[7], a[11]) == (UNIT_A, "2026", "Hợp lệ", "Được tính")
    assert rows[9] == []
    foot = {r[0]: r[1] for r in rows[10:] if len(r) == 2}
    assert foot["Đạt chuẩn văn hóa (kể cả kiểu mẫu)"] == "2 (1,65%)"
    assert foot["Tổng hợp"] == trusted.sentence


def test_json_form_round_trips(trusted: svc.BlocSummary) -> None:
    data = json.loads(json.dumps(trusted.to_json(), ensure_ascii=False))
    assert data["totals"]["counted"] == 3 and data["totals"]["cultural_percent_text"] == "1,65%"
    assert len(data["rows"]) == 8 and data["rows"][1]["counted"] is True
    assert data["rows"][0]["status"] == "duplicate"


# --------------------------------------------------------------------------- CLI


def _pem(dossiers: DossierSet, tmp_path: Path) -> Path:
    p = tmp_path / "khoi.pem"
    p.write_bytes(dossiers.cert_pem)
    return p


def test_cli_table_and_sentence(dossiers: DossierSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_out = tmp_path / "out.csv"
    rc = cli_main(
        ["summary", str(dossiers.folder), "--expected", "121", "--trust", str(_pem(dossiers, tmp_path)),
         "--csv", str(csv_out)]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 0
    assert "Đã nhận 4 hồ sơ hợp lệ của 3/121 đơn vị; 2 đạt chuẩn văn hóa (1,65%), trong đó 1 kiểu mẫu (0,83%)" in out
    assert "Lý do không tính:" in out and "08-ghi-chu.pdf" in out
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_cli_json_shape(dossiers: DossierSet, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = cli_main(["summary", str(dossiers.folder / "04-c.pdf"), "--json", "--accept-untrusted", "--year", "2026"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert set(data) >= {"year", "expected_units", "sentence", "totals", "rows", "warnings"}
    assert data["year"] == 2026 and data["totals"]["not_passed"] == 1
    assert data["rows"][0]["verdict"] == "untrusted" and data["rows"][0]["status"] == "counted"


def test_cli_no_pdf_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["summary", str(tmp_path)]) == 2
    assert "Không tìm thấy tệp hồ sơ PDF" in capsys.readouterr().err


def test_cli_bad_expected_exit_2(dossiers: DossierSet, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["summary", str(dossiers.folder), "--expected", "0"]) == 2
    assert "số nguyên dương" in capsys.readouterr().err
