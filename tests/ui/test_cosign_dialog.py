"""«Ký tiếp hồ sơ…»: the head countersigns a dossier the chair exported and signed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QLineEdit

from khoiapp.services.signing import ROLE_CHAIR, open_p12_signer, sign_pdf_file
from khoiapp.services.verify import verify_dossier
from tests.core.test_cosign import LAYOUT, UNIT_PAYLOAD
from tests.pki3 import UNIT, Pki3, pki3  # noqa: F401 - fixtures
from tests.softhsm import build_dossier
from ui.dialogs.cosign_dialog import CosignDialog, default_output

WAIT_MS = 60_000


@pytest.fixture
def chair_signed(pki3: Pki3, tmp_path: Path) -> Path:  # noqa: F811
    src = build_dossier(tmp_path / "ho-so.pdf", payload_extra=UNIT_PAYLOAD)
    out = tmp_path / "ho-so-chu-tich.pdf"
    with open_p12_signer(pki3.chair.p12, pki3.password) as h:
        sign_pdf_file(src, out, h, role=ROLE_CHAIR, layout=LAYOUT, unit_name=UNIT)
    return out


def test_default_output_names_the_role(tmp_path: Path) -> None:
    assert default_output(tmp_path / "ho-so-chu-tich.pdf", "thu-truong") == tmp_path / "ho-so-thu-truong.pdf"


def test_head_countersigns_in_the_window(qtbot, chair_signed: Path, pki3: Pki3, monkeypatch, messages) -> None:  # noqa: F811
    asked: list[object] = []

    def fake_get_text(parent, title, label, echo=QLineEdit.EchoMode.Normal, *a, **k):  # type: ignore[no-untyped-def]
        asked.append(echo)
        return pki3.password, True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(fake_get_text))
    dlg = CosignDialog(chair_signed)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=WAIT_MS)
    assert "1. Chủ tịch công đoàn: Nguyễn Thị Hồng Nhung" in dlg.existing.text()
    assert dlg.sign_options.role() == "thu-truong"  # the next empty box
    dlg.sign_options.set_p12(pki3.head.p12)
    out = Path(dlg.output_edit.text())
    assert out.name == "ho-so-thu-truong.pdf"
    with qtbot.waitSignal(dlg.signed, timeout=WAIT_MS) as sig:
        dlg.sign_button.click()
    assert asked == [QLineEdit.EchoMode.Password]
    assert sig.args[0].signatures == 2 and messages == []
    rep = verify_dossier(out, [pki3.root_pem], use_trust_store=False)
    assert [c.role for c in rep.signatures] == ["chu-tich", "thu-truong"]
    assert rep.verdict == "ok", rep.problems


def test_signature_images_are_kept_in_the_document(qtbot, demo_copy: Path, tmp_path: Path, messages) -> None:
    from PIL import Image

    from khoiapp.db import open_document
    from khoiapp.services import signing_settings
    from tests.core.test_cosign_dossier import seal_png
    from ui.context import AppContext
    from ui.dialogs.signature_images import SignatureImagesDialog

    ctx = AppContext()
    ctx.set_document(open_document(demo_copy), 2026)
    try:
        dlg = SignatureImagesDialog(ctx)
        qtbot.addWidget(dlg)
        dlg.show()
        assert dlg.previews["don-vi"].text() == "(chưa có)"
        seal = tmp_path / "con-dau.png"
        seal.write_bytes(seal_png())
        changed: list[object] = []
        ctx.document_changed.connect(changed.append)
        dlg.choose("don-vi", str(seal))
        assert not dlg.previews["don-vi"].pixmap().isNull()
        assert "con-dau.png (500 × 500)" in dlg.names["don-vi"].text()
        assert set(signing_settings.images(ctx.doc)) == {"don-vi"} and len(changed) == 1
        jpg = tmp_path / "chu-ky.jpg"
        Image.new("RGB", (300, 100), "white").save(jpg, "JPEG")
        dlg.choose("chu-tich", str(jpg))
        assert len(messages) == 1 and "không phải ảnh PNG" in messages[0].text
        dlg.clear("don-vi")
        assert signing_settings.images(ctx.doc) == {}
    finally:
        ctx.set_document(None, None)


def test_trust_tab_imports_a_crl(qtbot, pki3: Pki3, monkeypatch, messages) -> None:  # noqa: F811
    from PySide6.QtWidgets import QFileDialog

    from khoiapp.services import trust
    from ui.dialogs.trust_tab import TrustTab

    trust.add_trusted(pki3.root_pem)
    tab = TrustTab()
    qtbot.addWidget(tab)
    assert "Chưa nhập danh sách thu hồi" in tab.crl_label.text()
    # the intermediate's CRL: its issuer is not on the list, so the tab asks for the issuer's certificate
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(pki3.inter_pem), "")))
    assert tab.add_crl_file(str(pki3.crl)) is not None
    assert "Khối Test CA cấp 2" in tab.crl_label.text() and messages == []
    assert tab.add_crl_file(str(pki3.foreign_crl), str(pki3.inter_pem)) is None
    assert len(messages) == 1 and "không do tổ chức cấp" in messages[0].text
