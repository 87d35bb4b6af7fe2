"""``summary --pins`` reads the bloc's unit list (or the older two-column file) and judges signers by the
unit list's one rule, with the same reason as «Tổng hợp khối»."""

from __future__ import annotations

from pathlib import Path

import pytest

from khoiapp.bloc import figures, units
from khoiapp.bloc.read import DossierFacts, Entry
from khoiapp.cli import main as cli_main
from khoiapp.errors import UnitListError
from khoiapp.services import summary as svc
from khoiapp.services.unit_pins import apply_pins, read_pins

UNIT = "Trung tâm Kiểm soát bệnh tật tỉnh Thanh Hóa"
OTHER = "Bệnh viện Đa khoa tỉnh Thanh Hóa"
FP_OLD, FP_NEW, FP_STRANGER = "a" * 64, "b" * 64, "c" * 64


def _colons(fp: str) -> str:
    return ":".join(fp[i : i + 2] for i in range(0, 64, 2)).upper()


def _row(fp: str, name: str = UNIT, file: str = "01.pdf") -> svc.SummaryRow:
    return svc.SummaryRow(
        file=file, path=file, status=svc.COUNTED, reason="", verdict="ok", unit_name=name, year=2026,
        result=svc.RESULT_CULTURAL, result_label="Đạt chuẩn văn hóa", signer="Nguyễn Văn Khác",
        signing_time="2026-11-20T09:00:00+07:00", cert_fingerprints=(fp,),
    )  # fmt: skip


def test_older_file_merges_a_unit_on_several_lines(tmp_path: Path) -> None:
    p = tmp_path / "don-vi.csv"
    p.write_text(
        f"Đơn vị;Dấu vân tay\n{UNIT.upper()};{_colons(FP_OLD)}\n\n{UNIT};{FP_NEW}\n{OTHER};{FP_STRANGER}\n",
        encoding="utf-8",
    )
    got = read_pins(p)
    assert [(u.name, u.fingerprints) for u in got.units] == [(UNIT.upper(), (FP_OLD, FP_NEW)), (OTHER, (FP_STRANGER,))]


def test_unit_list_is_read_as_pins(tmp_path: Path) -> None:
    listed = units.UnitList((units.BlocUnit(name=UNIT, short_name="CDC Thanh Hóa", unit_type="don-vi",
                                            fingerprints=(FP_OLD,)), units.BlocUnit(name=OTHER)))  # fmt: skip
    for suffix in (".xlsx", ".csv"):
        out = units.write_unit_list(listed, tmp_path / f"ds{suffix}")
        assert read_pins(out).units == listed.units


def test_same_rule_and_reason_as_the_bloc_workspace(tmp_path: Path) -> None:
    pins = units.UnitList((units.BlocUnit(name=UNIT, short_name="CDC Thanh Hóa", fingerprints=(FP_OLD, FP_NEW)),))
    rows = [_row(FP_NEW, file="01.pdf"), _row(FP_STRANGER, file="02.pdf"), _row(FP_STRANGER, name=OTHER, file="03.pdf"),
            _row(FP_STRANGER, name="cdc thanh hóa", file="04.pdf")]  # fmt: skip
    judged = apply_pins(rows, pins, svc.FOREIGN)
    assert [r.status for r in judged] == [svc.COUNTED, svc.FOREIGN, svc.COUNTED, svc.FOREIGN]
    # «Tổng hợp khối» with the same list: the same dossier is refused with the same words
    report = figures.compute(
        [Entry(rows[1], DossierFacts(sha256="1" * 64, cert_fingerprint=FP_STRANGER))], units=pins, years=(2026, 2026)
    )
    assert report.rows[0].status == svc.WRONG_SIGNER
    assert report.rows[0].reason == judged[1].reason == units.wrong_signer_reason(pins.units[0], "Nguyễn Văn Khác")
    assert "chứng thư đã đăng ký" in judged[1].reason and "Nguyễn Văn Khác" in judged[1].reason


def test_older_file_with_a_bad_fingerprint_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "ds.csv"
    p.write_text(f"{UNIT};{FP_OLD}\n{OTHER};ABCD\n", encoding="utf-8")
    with pytest.raises(UnitListError) as exc:
        read_pins(p)
    assert exc.value.message.startswith("Dòng 2:") and "SHA-256" in exc.value.message


def test_pins_with_the_bloc_options_says_to_use_the_unit_list(tmp_path: Path, capsys) -> None:
    p = tmp_path / "ds.csv"
    p.write_text(f"{UNIT};{FP_OLD}\n", encoding="utf-8")
    (tmp_path / "inbox").mkdir()
    rc = cli_main(["summary", str(tmp_path / "inbox"), "--pins", str(p), "--units", str(p)])
    err = capsys.readouterr().err
    assert rc == 2 and "Hãy bỏ --pins" in err and "--units" in err
