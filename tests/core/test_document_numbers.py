"""The «Số:» of the registration, the Quy ước and the code of conduct: entered by the unit or left blank."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from khoiapp.cli import main
from khoiapp.db import open_document
from khoiapp.errors import BadInputError
from khoiapp.services import document as docsvc

CLOCK = "2026-12-05T09:00:00+07:00"


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _number_lines(text: str) -> list[str]:
    return [ln.split("  ")[0].strip() for ln in (x.strip() for x in text.splitlines()) if ln.startswith("Số:")]


def test_numbers_entered_are_printed_and_blank_stays_a_blank_for_the_clerk(
    demo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "truoc.pdf"
    assert main(["export", str(demo_copy), "--year", "2026", "--out", str(out), "--clock", CLOCK]) == 0
    before = _number_lines(_text(out))
    # registration (the demo has the number its filed registration bears), report, Quy ước, code of conduct
    assert before == ["Số: 01/ĐK-CĐ", "Số: 01/BC-CĐ", "Số:", "Số:"]
    assert main(["period", str(demo_copy), "--year", "2026", "--set", "so-dang-ky=3",
                 "--set", "so-quy-uoc=05/QU-TTDVVH", "--set", "so-bao-cao=7"]) == 0
    capsys.readouterr()
    assert main(["period", str(demo_copy), "--year", "2026", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["so-dang-ky"], shown["so-quy-uoc"], shown["so-quy-tac"], shown["so-bao-cao"]) == (
        "3", "05/QU-TTDVVH", "", 7)
    out = tmp_path / "sau.pdf"
    assert main(["export", str(demo_copy), "--year", "2026", "--out", str(out), "--clock", CLOCK]) == 0
    text = _text(out)
    # a plain number gets the registration's usual symbol; the code of conduct keeps its blank
    assert _number_lines(text) == ["Số: 03/ĐK-CĐ", "Số: 07/BC-CĐ", "Số: 05/QU-TTDVVH", "Số:"]
    assert "(Kèm theo Báo cáo số 07/BC-CĐ ngày 05/12/2026 của" in " ".join(text.split())
    from pypdf import PdfReader

    payload = json.loads(PdfReader(str(out)).attachments["khoi-dossier.json"][0])
    assert payload["period"]["numbers"] == {"registration": "3", "convention": "05/QU-TTDVVH", "conduct": ""}
    # the dossier still verifies and imports (the numbers are this year's: the new year starts blank)
    target = tmp_path / "nam-sau.khoi"
    from khoiapp.services.verify import verify_dossier

    rep = verify_dossier(out, use_trust_store=False)
    assert rep.verdict == "unsigned" and rep.payload_present and rep.attachments_ok
    assert main(["import", str(out), "--new", str(target), "--accept-unverified"]) == 0
    with open_document(target, read_only=True) as doc:
        assert all(p.registration_number == "" for p in docsvc.list_periods(doc))


def test_a_number_is_one_line_without_markup(demo_copy: Path) -> None:
    with open_document(demo_copy) as doc:
        with pytest.raises(BadInputError, match="trên một dòng"):
            docsvc.update_period(doc, 2026, conduct_number="01/QT\n02")
        with pytest.raises(BadInputError, match="quá dài"):
            docsvc.update_period(doc, 2026, registration_number="1" * 51)
        docsvc.update_period(doc, 2026, conduct_number="  02/QĐ-TTDVVH ")
        p = next(p for p in docsvc.list_periods(doc) if p.year_end == 2026)
    # the refused value left the demo's number as it was
    assert p.conduct_number == "02/QĐ-TTDVVH" and p.registration_number == "01/ĐK-CĐ"


def test_a_payload_without_numbers_keeps_its_shape(demo_copy: Path) -> None:
    from khoiapp.services.payload import build_payload

    with open_document(demo_copy) as doc:
        docsvc.update_period(doc, 2026, registration_number="")  # the demo's only number, blank again
        payload = build_payload(doc, 2026, clock=dt.datetime(2026, 12, 5, 9, 0), draft=False)
    assert "numbers" not in payload["period"]
