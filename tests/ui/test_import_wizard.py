"""The import wizard on a signed dossier, a tampered one, a file that is no dossier, and into a new document."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from khoiapp.db import open_document
from khoiapp.services.document import list_periods
from khoiapp.services.trust import add_trusted
from tests.core.test_import import demo_payload_and_files, write_dossier
from tests.softhsm import Pki, pki  # noqa: F401 - fixture
from ui.context import AppContext
from ui.dialogs.import_wizard import (
    AMBER,
    GREEN,
    PAGE_DONE,
    PAGE_SUMMARY,
    PAGE_VERIFY,
    RED,
    ImportWizard,
)

NEXT = QWizard.WizardButton.NextButton
COMMIT = QWizard.WizardButton.CommitButton


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, demo_template: Path, pki: Pki) -> Path:  # noqa: F811
    payload, files = demo_payload_and_files(demo_template)
    return write_dossier(tmp_path_factory.mktemp("wiz") / "ho-so-2026.pdf", payload, files, sign=pki)


@pytest.fixture
def tampered(signed: Path, tmp_path: Path) -> Path:
    data = bytearray(signed.read_bytes())
    data[data.index(b"%PDF-", 10) + 3] ^= 0x01  # inside the first embedded evidence file
    out = tmp_path / "bi-sua.pdf"
    out.write_bytes(bytes(data))
    return out


@pytest.fixture
def ctx(demo_copy: Path, qtbot):  # type: ignore[no-untyped-def]
    c = AppContext()
    c.set_document(open_document(demo_copy), 2026)
    yield c
    c.set_document(None, None)


def _wizard(qtbot, ctx: AppContext) -> ImportWizard:  # type: ignore[no-untyped-def]
    w = ImportWizard(ctx)
    qtbot.addWidget(w)
    w.show()
    return w


def test_wizard_imports_a_signed_trusted_dossier(qtbot, sync_tasks, ctx: AppContext, signed: Path, pki: Pki) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    add_trusted(pki.ca_pem)
    changes: list[object] = []
    ctx.document_changed.connect(changes.append)
    w = _wizard(qtbot, ctx)
    assert not w.button(NEXT).isEnabled()
    w.choose_page.path_edit.setText(str(signed))
    assert w.button(NEXT).isEnabled()
    w.next()
    assert w.currentId() == PAGE_VERIFY
    assert w.verify_page.banner.level == GREEN
    assert "chữ ký số hợp lệ" in w.verify_page.banner.text() and "Nguyễn Thị Ánh" in w.verify_page.banner.text()
    assert not w.verify_page.accept_box.isVisible()
    assert w.button(NEXT).isEnabled()
    w.next()
    assert w.currentId() == PAGE_SUMMARY
    summary = w.summary_page.text.toPlainText()
    assert "31 tiêu chí" in summary and "12 minh chứng" in summary and "năm 2027" in summary
    assert "không thay đổi so với năm 2026" in summary  # the open document holds the same 2026 data
    w.next()
    assert w.button(COMMIT).text() == "Nhập"
    w.next()
    qtbot.waitUntil(lambda: w.currentId() == PAGE_DONE, timeout=5000)
    assert "Đã tạo kỳ đánh giá năm 2027" in w.done_page.label.text()
    assert w.button(QWizard.WizardButton.FinishButton).isVisibleTo(w)
    assert not w.button(QWizard.WizardButton.CancelButton).isVisibleTo(w)  # only «Xong» once it is done
    assert ctx.year == 2027 and changes
    assert ctx.doc is not None
    periods = list_periods(ctx.doc)
    assert [p.year_end for p in periods] == [2026, 2027]
    assert periods[1].source_unverified is False


def test_wizard_stops_on_a_tampered_dossier(qtbot, sync_tasks, ctx: AppContext, tampered: Path, pki: Pki) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    add_trusted(pki.ca_pem)
    assert ctx.doc is not None
    before = sha(ctx.doc.path)
    w = _wizard(qtbot, ctx)
    w.choose_page.path_edit.setText(str(tampered))
    w.next()
    assert w.verify_page.banner.level == RED
    assert "đã bị sửa sau khi ký" in w.verify_page.banner.text()
    assert "không khớp mã băm" in w.verify_page.banner.text()
    assert not w.button(NEXT).isEnabled()
    assert not w.verify_page.accept_box.isVisible()  # a replaced file is never imported
    w.reject()
    assert sha(ctx.doc.path) == before
    assert [p.year_end for p in list_periods(ctx.doc)] == [2026]


def test_wizard_untrusted_needs_explicit_acceptance(qtbot, sync_tasks, ctx: AppContext, signed: Path) -> None:  # type: ignore[no-untyped-def]
    w = _wizard(qtbot, ctx)
    w.choose_page.path_edit.setText(str(signed))
    w.next()
    assert w.verify_page.banner.level == AMBER
    assert not w.button(NEXT).isEnabled()
    w.verify_page.accept_box.setChecked(True)
    assert w.button(NEXT).isEnabled()
    w.next()
    w.next()
    w.next()
    qtbot.waitUntil(lambda: w.currentId() == PAGE_DONE, timeout=5000)
    assert ctx.doc is not None
    assert list_periods(ctx.doc)[-1].source_unverified is True


def test_wizard_explains_a_file_that_is_not_a_dossier(qtbot, sync_tasks, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "thu.pdf"
    f.write_bytes(b"hello, not a PDF")
    w = _wizard(qtbot, ctx)
    w.choose_page.path_edit.setText(str(f))
    w.next()
    assert w.verify_page.banner.level == RED
    assert "không phải tệp PDF" in w.verify_page.banner.text()
    assert not w.button(NEXT).isEnabled()
    assert not w.verify_page.accept_box.isVisible()


def test_wizard_creates_a_new_document_when_none_is_open(qtbot, sync_tasks, signed: Path, pki: Pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    add_trusted(pki.ca_pem)
    c = AppContext()
    opened: list[bool] = []
    c.document_opened.connect(lambda: opened.append(True))
    w = _wizard(qtbot, c)
    target = tmp_path / "nam-2027.khoi"
    w.choose_page.path_edit.setText(str(signed))
    w.choose_page.new_edit.setText(str(target))
    w.next()
    assert w.verify_page.banner.level == GREEN
    w.next()
    w.next()
    w.next()
    qtbot.waitUntil(lambda: w.currentId() == PAGE_DONE, timeout=5000)
    assert opened and c.doc is not None and c.year == 2027
    assert c.doc.path == target
    c.set_document(None, None)


def test_wizard_year_choice_and_existing_year(qtbot, sync_tasks, ctx: AppContext, signed: Path) -> None:  # type: ignore[no-untyped-def]
    w = _wizard(qtbot, ctx)
    w.choose_page.path_edit.setText(str(signed))
    w.choose_page.year_spin.setValue(2026)  # the open document has 2026 already
    w.next()
    assert w.verify_page.banner.level == RED
    assert "đã có kỳ đánh giá năm 2026" in w.verify_page.banner.text()
    w.back()
    w.choose_page.year_spin.setValue(2030)
    w.next()
    w.verify_page.accept_box.setChecked(True)
    w.next()
    assert "năm 2030" in w.summary_page.text.toPlainText()
    w.next()
    w.next()
    qtbot.waitUntil(lambda: w.currentId() == PAGE_DONE, timeout=5000)
    assert ctx.year == 2030
