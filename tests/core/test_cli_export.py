"""CLI export / extract: exit codes 0 (ok), 1 (refused or check failed), 2 (bad input)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khoiapp.cli import main
from khoiapp.db import open_document
from khoiapp.dossier.limits import PAYLOAD_NAME
from khoiapp.services import criteria
from tests.core.test_export import renderer  # noqa: F401 - fixture: real renderer or the stub

CLOCK = "2026-12-05T09:00:00+07:00"


@pytest.fixture
def demo(demo_copy: Path, renderer: bool) -> Path:  # noqa: F811
    return demo_copy


def _export(demo: Path, out: Path, *extra: str) -> int:
    return main(["export", str(demo), "--year", "2026", "--out", str(out), "--clock", CLOCK, *extra])


def test_cli_export_json_and_reproducible(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert _export(demo, a, "--json") == 0
    info = json.loads(capsys.readouterr().out)
    assert info["path"] == str(a) and info["signed"] is False and info["attachments"] > 0
    assert info["size"] == a.stat().st_size and info["pages"] >= 1
    assert _export(demo, b) == 0
    assert "Đã xuất hồ sơ" in capsys.readouterr().out
    assert a.read_bytes() == b.read_bytes()


def test_cli_export_refuses_unanswered_then_draft_works(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = open_document(demo)
    try:
        code = criteria.checklist(doc, 2026).criteria[1].code
        criteria.set_result(doc, 2026, code, status=criteria.scoring.ResultStatus.UNANSWERED)
    finally:
        doc.close()
    out = tmp_path / "ho-so.pdf"
    assert _export(demo, out) == 1
    err = capsys.readouterr().err
    assert f"[{code}]" in err and "--draft" in err
    assert not out.exists()
    assert _export(demo, out, "--draft") == 0
    assert out.exists()


def test_cli_export_missing_folder_exit_2(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "khong-co" / "ho-so.pdf"
    assert _export(demo, out) == 2
    assert "không tồn tại" in capsys.readouterr().err
    assert not out.parent.exists()


def test_cli_export_output_is_a_file_in_path_exit_2(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "tep"
    blocker.write_text("x")
    assert _export(demo, blocker / "ho-so.pdf") == 2
    assert "Lỗi:" in capsys.readouterr().err


@pytest.mark.parametrize("clock", ["hôm nay", "2026-13-01"])
def test_cli_export_bad_clock_exit_2(demo: Path, tmp_path: Path, clock: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.pdf"
    assert main(["export", str(demo), "--year", "2026", "--out", str(out), "--clock", clock]) == 2
    assert "ISO 8601" in capsys.readouterr().err
    assert not out.exists()


def test_cli_export_unknown_year_exit_2(demo: Path, tmp_path: Path) -> None:
    assert main(["export", str(demo), "--year", "2019", "--out", str(tmp_path / "a.pdf")]) == 2


def test_cli_export_signed_p12(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from khoiapp.services import signing
    from khoiapp.services.verify import verify_dossier

    p12 = tmp_path / "unit.p12"
    signing.create_unit_certificate("Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa", p12, "bi-mat")
    monkeypatch.setenv("KHOI_TEST_PASS", "bi-mat")
    out = tmp_path / "ky.pdf"
    assert _export(demo, out, "--sign-p12", str(p12), "--pass-env", "KHOI_TEST_PASS", "--invisible") == 0
    rep = verify_dossier(out, trust=[signing.load_certificate_from_p12(p12, "bi-mat").public_bytes(_pem())])
    assert rep.verdict == "ok", rep.problems


def _pem():  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.PEM


def test_cli_export_missing_password_env_exit_2(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ky.pdf"
    assert _export(demo, out, "--sign-p12", str(tmp_path / "x.p12"), "--pass-env", "KHOI_KHONG_CO") == 2
    assert "KHOI_KHONG_CO" in capsys.readouterr().err
    assert not out.exists()


def test_cli_extract_ok_and_tampered(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "ho-so.pdf"
    assert _export(demo, pdf) == 0
    capsys.readouterr()
    out = tmp_path / "giai-nen"
    assert main(["extract", str(pdf), "--out", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["ok"] is True and info["payload"] == str(out / PAYLOAD_NAME)
    assert len(info["files"]) == len(list(out.iterdir()))

    data = bytearray(pdf.read_bytes())
    first = data.index(b"/Type /EmbeddedFile /Subtype /application#2Fpdf")
    start = data.index(b">>\nstream\n", first) + len(b">>\nstream\n")
    data[start + 10] ^= 0x55
    pdf.write_bytes(bytes(data))
    assert main(["extract", str(pdf), "--out", str(tmp_path / "lan-2")]) == 1
    err = capsys.readouterr().err
    assert "không khớp mã băm" in err


def test_cli_extract_not_a_dossier_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "x.pdf"
    f.write_bytes(b"%PDF-1.4\nrac")
    assert main(["extract", str(f), "--out", str(tmp_path / "o")]) == 2
    assert "Lỗi:" in capsys.readouterr().err


def test_cli_export_remembers_photos_per_page_in_the_document(
    demo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from khoiapp.services import export_choice

    def pages(out: Path, *extra: str) -> int:
        assert _export(demo_copy, out, "--json", *extra) == 0
        return int(json.loads(capsys.readouterr().out)["pages"])

    two = pages(tmp_path / "hai.pdf", "--photos-per-page", "2")
    with open_document(demo_copy, read_only=True) as doc:
        assert export_choice.photos_per_page(doc) == 2
    assert pages(tmp_path / "lan-sau.pdf") == two  # no option: the unit's last choice
    six = pages(tmp_path / "sau.pdf", "--photos-per-page", "6")
    assert six < two
    assert (tmp_path / "lan-sau.pdf").read_bytes() == (tmp_path / "hai.pdf").read_bytes()
    with open_document(demo_copy, read_only=True) as doc:
        assert export_choice.photos_per_page(doc) == 6
