"""The «Chứng thư tin cậy» settings tab: list, add, remove (with confirmation), fingerprint."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QGuiApplication

from khoiapp.services import trust
from khoiapp.services.signing import create_unit_certificate
from ui.dialogs import trust_tab as trust_tab_module
from ui.dialogs.sign_options import format_fingerprint
from ui.dialogs.trust_tab import TrustTab

PASSWORD = "mật khẩu"


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    """Two PEM certificates (and a file that is not one)."""
    base = tmp_path_factory.mktemp("certs")
    out = []
    for i, name in enumerate(("Trường THPT Hàm Rồng", "Ủy ban nhân dân xã Đông Sơn")):
        p12 = base / f"c{i}.p12"
        create_unit_certificate(name, p12, PASSWORD, algorithm="ecdsa")
        pem = base / f"c{i}.pem"
        trust.export_certificate(p12, PASSWORD, pem)
        out.append(pem)
    bad = base / "hong.crt"
    bad.write_text("không phải chứng thư", encoding="utf-8")
    return out, bad


def make_tab(qtbot) -> TrustTab:
    tab = TrustTab()
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_format_fingerprint_groups():
    fp = "ab" * 32
    text = format_fingerprint(fp)
    assert re.fullmatch(r"([0-9A-F]{4} ){15}[0-9A-F]{4}", text)
    assert text.replace(" ", "").lower() == fp


def test_empty_list_says_how_to_add(qtbot):
    tab = make_tab(qtbot)
    assert tab.table.rowCount() == 0
    assert tab.empty_label.isVisible() and not tab.table.isVisible()
    assert not tab.remove_button.isEnabled() and not tab.fp_button.isEnabled()


def test_add_lists_subject_date_fingerprint(qtbot, certs):
    pems, _bad = certs
    tab = make_tab(qtbot)
    with qtbot.waitSignal(tab.trust_changed):
        added = tab.add_file(str(pems[0]))
    assert added is not None
    assert [t.fingerprint_sha256 for t in trust.list_trusted()] == [added.fingerprint_sha256]
    assert tab.table.rowCount() == 1
    assert tab.table.item(0, 0).text() == "Trường THPT Hàm Rồng"
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", tab.table.item(0, 1).text())
    assert tab.table.item(0, 2).text().startswith(format_fingerprint(added.fingerprint_sha256)[:19])
    assert tab.selected() == added  # the new one is selected
    tab.add_file(str(pems[1]))
    assert tab.table.rowCount() == 2 == len(trust.list_trusted())


def test_add_bad_file_shows_error(qtbot, certs, messages):
    _pems, bad = certs
    tab = make_tab(qtbot)
    assert tab.add_file(str(bad)) is None
    assert len(messages) == 1 and "không phải chứng thư số" in messages[0].text
    assert trust.list_trusted() == []


def test_remove_asks_then_removes(qtbot, certs, monkeypatch):
    pems, _bad = certs
    for p in pems:
        trust.add_trusted(p)
    tab = make_tab(qtbot)
    assert tab.table.rowCount() == 2
    tab.table.selectRow(0)
    victim = tab.selected()
    assert victim is not None

    monkeypatch.setattr(trust_tab_module, "ask", lambda *a, **k: False)
    assert not tab.remove_selected()
    assert len(trust.list_trusted()) == 2

    monkeypatch.setattr(trust_tab_module, "ask", lambda *a, **k: True)
    assert tab.remove_selected()
    left = trust.list_trusted()
    assert len(left) == 1 and left[0].fingerprint_sha256 != victim.fingerprint_sha256
    assert tab.table.rowCount() == 1


def test_show_fingerprint_is_copyable(qtbot, certs):
    pems, _bad = certs
    added = trust.add_trusted(pems[0])
    tab = make_tab(qtbot)
    tab.table.selectRow(0)
    dlg = tab.show_fingerprint()
    assert dlg is not None
    qtbot.addWidget(dlg)
    assert dlg.field.isReadOnly()
    assert dlg.field.text() == format_fingerprint(added.fingerprint_sha256)
    dlg.copy()
    assert QGuiApplication.clipboard().text() == dlg.field.text()
    dlg.close()


def test_settings_dialog_has_the_trust_tab(qtbot, certs):
    from ui.dialogs.settings_dialog import SettingsDialog

    trust.add_trusted(certs[0][0])
    dlg = SettingsDialog()
    qtbot.addWidget(dlg)
    tabs = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
    assert "Chứng thư tin cậy" in tabs
    tab = dlg.trust_tab.findChild(TrustTab)
    assert tab is not None and tab.table.rowCount() == 1
