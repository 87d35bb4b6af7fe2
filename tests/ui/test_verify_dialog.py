"""The verification dialog: green (trusted), amber (untrusted, then trusted with one click), red
(unsigned, tampered, not a PDF), and its details in plain words."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from khoiapp.db import open_document
from khoiapp.services import evidence as evsvc
from khoiapp.services import trust
from khoiapp.services.export import SignRequest, export_dossier
from khoiapp.services.signing import create_unit_certificate
from khoiapp.services.verify import verify_dossier
from ui.dialogs import verify_dialog
from ui.dialogs.sign_options import format_fingerprint
from ui.dialogs.verify_dialog import VerifyDialog, format_time, signer_certificate

YEAR = 2026
PASSWORD = "mật khẩu kiểm tra"
UNIT = "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa"
CLOCK = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory, demo_template) -> dict[str, Path]:
    """An unsigned and a signed dossier of the demo, the .p12, and the first embedded evidence bytes."""
    base = tmp_path_factory.mktemp("dossiers")
    doc_path = base / "demo.khoi"
    shutil.copyfile(demo_template, doc_path)
    p12 = base / "don-vi.p12"
    create_unit_certificate(UNIT, p12, PASSWORD, algorithm="ecdsa")
    with open_document(doc_path) as doc:
        export_dossier(doc, YEAR, base / "chua-ky.pdf", clock=CLOCK)
        export_dossier(
            doc, YEAR, base / "da-ky.pdf", clock=CLOCK,
            sign=SignRequest(p12_path=p12, password=PASSWORD, role="don-vi"),  # the unit's own certificate seals
        )
        ev = next(e for e in evsvc.list_evidence(doc, YEAR) if e.embed and e.sha256 and e.size > 2000)
        assert ev.sha256 is not None
        with doc.transaction() as s:
            blob = b"".join(evsvc.read_blob(s, ev.sha256))
    (base / "evidence.bin").write_bytes(blob)
    return {
        "unsigned": base / "chua-ky.pdf",
        "signed": base / "da-ky.pdf",
        "p12": p12,
        "evidence": base / "evidence.bin",
    }


def open_dialog(qtbot, path) -> VerifyDialog:
    dlg = VerifyDialog(None)
    qtbot.addWidget(dlg)
    dlg.show()
    with qtbot.waitSignal(dlg.verified, timeout=60_000):
        dlg.verify(path)
    return dlg


def trust_unit(dossiers, tmp_path) -> None:
    pem = tmp_path / "don-vi.pem"
    trust.export_certificate(dossiers["p12"], PASSWORD, pem)
    trust.add_trusted(pem)


def test_format_time():
    assert format_time("2026-11-20T02:30:00+00:00") == "09:30 ngày 20/11/2026"
    assert format_time("2027-01-05T10:00:00+07:00", with_time=False) == "05/01/2027"
    assert format_time(None) == ""


def test_green_for_signed_intact_trusted(qtbot, dossiers, tmp_path):
    trust_unit(dossiers, tmp_path)
    dlg = open_dialog(qtbot, dossiers["signed"])
    assert dlg.verdict == "ok"
    assert dlg.banner_state == "green"
    assert dlg.banner.property("state") == "green"
    assert dlg.banner_text().startswith("Hồ sơ đã ký số, nguyên vẹn, chứng thư được tin cậy")
    assert not dlg.trust_button.isVisible()
    assert not dlg.reasons_box.isVisible()
    assert dlg.fields["signer"].text() == UNIT
    assert dlg.fields["unit"].text() == UNIT
    assert re.fullmatch(r"\d{2}:\d{2} ngày \d{2}/\d{2}/\d{4}", dlg.fields["time"].text())
    fp = verify_dossier(dossiers["signed"]).cert_fingerprint
    assert dlg.fields["fingerprint"].text() == format_fingerprint(fp)
    assert "mọi tệp đính kèm khớp mã băm" in dlg.fields["attachments"].text()


def test_amber_until_the_signer_is_trusted(qtbot, dossiers, monkeypatch):
    assert trust.list_trusted() == []
    dlg = open_dialog(qtbot, dossiers["signed"])
    assert dlg.verdict == "untrusted"
    assert dlg.banner_state == "amber"
    assert dlg.banner_text().startswith("Hồ sơ nguyên vẹn nhưng chứng thư chưa được tin cậy")
    assert dlg.trust_button.isVisible()
    assert any("chưa được tin cậy" in r for r in dlg.reason_lines)

    monkeypatch.setattr(verify_dialog, "ask", lambda *a, **k: True)
    with qtbot.waitSignal(dlg.verified, timeout=60_000):
        assert dlg.trust_signer()
    assert [t.subject for t in trust.list_trusted()] == [UNIT]
    assert dlg.verdict == "ok" and dlg.banner_state == "green"


def test_trusting_needs_confirmation(qtbot, dossiers, monkeypatch):
    dlg = open_dialog(qtbot, dossiers["signed"])
    monkeypatch.setattr(verify_dialog, "ask", lambda *a, **k: False)
    assert not dlg.trust_signer()
    assert trust.list_trusted() == []
    assert dlg.verdict == "untrusted"


def test_signer_certificate_matches_the_report(dossiers):
    import hashlib

    der = signer_certificate(dossiers["signed"])
    assert hashlib.sha256(der).hexdigest() == verify_dossier(dossiers["signed"]).cert_fingerprint


def test_red_for_unsigned(qtbot, dossiers):
    dlg = open_dialog(qtbot, dossiers["unsigned"])
    assert dlg.verdict == "unsigned"
    assert dlg.banner_state == "red"
    assert "chưa ký" in dlg.banner_text()
    assert not dlg.trust_button.isVisible()
    assert dlg.reasons_box.isVisible()
    assert any("chưa được ký số" in r for r in dlg.reason_lines)
    assert dlg.fields["signer"].text() == "(chưa ký)"
    assert "khớp mã băm" in dlg.fields["attachments"].text()  # the data is still consistent


def test_red_for_a_flipped_byte_in_the_signed_range(qtbot, dossiers, tmp_path):
    trust_unit(dossiers, tmp_path)
    data = bytearray(dossiers["signed"].read_bytes())
    evidence = dossiers["evidence"].read_bytes()
    at = data.index(evidence[:64]) + 1000
    data[at] ^= 0x01
    tampered = tmp_path / "bi-sua.pdf"
    tampered.write_bytes(bytes(data))

    dlg = open_dialog(qtbot, tampered)
    assert dlg.verdict == "invalid"
    assert dlg.banner_state == "red"
    assert dlg.banner_text().startswith("Hồ sơ không hợp lệ: đã bị sửa sau khi ký")
    reasons = dlg.reason_lines
    assert reasons[0] in dlg.reasons.text()
    assert any("đã bị sửa sau khi ký" in r for r in reasons)
    assert "Sai mã băm" in dlg.fields["attachments"].text()
    assert not dlg.trust_button.isVisible()


def test_red_for_a_file_that_is_not_a_pdf(qtbot, tmp_path):
    bad = tmp_path / "khong-phai.pdf"
    bad.write_text("xin chào", encoding="utf-8")
    dlg = VerifyDialog(None)
    qtbot.addWidget(dlg)
    task = dlg.verify(bad)
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    assert dlg.verdict == "error" and dlg.banner_state == "red"
    assert "không phải tệp PDF" in dlg.banner_text()


def test_window_menu_opens_the_dialog(qtbot, open_window, dossiers):
    w = open_window()
    assert w.act_verify.text().replace("&", "") == "Kiểm tra hồ sơ PDF…"
    assert w.act_verify in w.menuBar().actions()[0].menu().actions()
    dlg = w.verify_dossier(dossiers["unsigned"])
    with qtbot.waitSignal(dlg.verified, timeout=60_000):
        pass
    assert dlg.verdict == "unsigned"
    dlg.close()
