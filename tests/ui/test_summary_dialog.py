"""The bloc summary dialog: a folder of dossiers in, a coloured table, the totals sentence and a CSV out."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from khoiapp.errors import Cancelled
from khoiapp.services import summary as svc
from khoiapp.services import trust
from tests.core.test_summary import DossierSet, build_dossier_set
from ui.dialogs.summary_dialog import STATUS_COLUMN, VERDICT_COLUMN, SummaryDialog
from ui.tasks import Task


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> DossierSet:
    base = tmp_path_factory.mktemp("bloc-ui")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHOI_DATA_DIR", str(base / "data"))
        mp.setenv("KHOI_CONFIG_DIR", str(base / "config"))
        return build_dossier_set(base)


def _trust(dossiers: DossierSet, tmp_path: Path) -> None:
    # one certificate per unit; the trust list takes one certificate per file
    end = b"-----END CERTIFICATE-----"
    for i, block in enumerate(b for b in dossiers.cert_pem.split(end) if b.strip()):
        pem = tmp_path / f"don-vi-{i}.pem"
        pem.write_bytes(block + end + b"\n")
        trust.add_trusted(pem)


def _run(qtbot, dlg: SummaryDialog, paths: list[Path]) -> None:
    with qtbot.waitSignal(dlg.summarised, timeout=60_000):
        task = dlg.start(paths)
        assert task is not None


def _open(qtbot) -> SummaryDialog:
    dlg = SummaryDialog(None)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_folder_shows_rows_and_totals(qtbot, dossiers: DossierSet, tmp_path: Path) -> None:
    _trust(dossiers, tmp_path)
    dlg = _open(qtbot)
    dlg.expected_spin.setValue(121)
    _run(qtbot, dlg, [dossiers.folder])
    m = dlg.model
    assert m.rowCount() == 8 and m.columnCount() == len(svc.CSV_HEADER)
    files = [m.index(r, 1).data() for r in range(m.rowCount())]
    assert files[0] == "01-a-cu.pdf" and files[-1] == "08-ghi-chu.pdf"
    statuses = [m.index(r, STATUS_COLUMN).data() for r in range(m.rowCount())]
    assert statuses.count("Được tính") == 3
    assert m.index(2, VERDICT_COLUMN).data() == "Hợp lệ"
    assert "chưa được ký số" in m.index(4, STATUS_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert dlg.totals_text().startswith(
        "Đã nhận 4 hồ sơ hợp lệ của 3/121 đơn vị; 2 đạt chuẩn văn hóa (1,65%), trong đó 1 kiểu mẫu (0,83%)"
    )
    assert dlg.csv_button.isEnabled() and dlg.run_button.isEnabled()
    assert not dlg.progress_bar.isVisible() and not dlg.cancel_button.isVisible()


def test_verdicts_are_coloured(qtbot, dossiers: DossierSet) -> None:
    dlg = _open(qtbot)
    _run(qtbot, dlg, [dossiers.folder / "03-b.pdf", dossiers.folder / "07-b-sua.pdf"])
    m = dlg.model
    untrusted = m.index(0, VERDICT_COLUMN).data(Qt.ItemDataRole.BackgroundRole)
    invalid = m.index(1, VERDICT_COLUMN).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(untrusted, QBrush) and isinstance(invalid, QBrush)
    assert untrusted.color().name() == "#fff3cd" and invalid.color().name() == "#f8d7da"
    assert m.index(0, 2).data(Qt.ItemDataRole.BackgroundRole) is None
    assert dlg.summary is not None and dlg.summary.totals.counted == 0


def test_accept_untrusted_checkbox_counts_them(qtbot, dossiers: DossierSet) -> None:
    dlg = _open(qtbot)
    dlg.untrusted_check.setChecked(True)
    _run(qtbot, dlg, [dossiers.folder / "03-b.pdf"])
    assert dlg.model.index(0, STATUS_COLUMN).data() == "Được tính"
    assert "1 đạt chuẩn văn hóa (100,00%)" in dlg.totals_text()


def test_save_csv(qtbot, dossiers: DossierSet, tmp_path: Path) -> None:
    dlg = _open(qtbot)
    _run(qtbot, dlg, [dossiers.folder])
    out = dlg.save_csv(tmp_path / "bang.csv")
    assert out is not None and out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert tuple(rows[0]) == svc.CSV_HEADER and len([r for r in rows[1:9] if r]) == 8
    assert "Đã lưu bảng tính" in dlg.totals_text()


def test_folder_without_pdf_says_so(qtbot, tmp_path: Path, messages) -> None:
    dlg = _open(qtbot)
    with qtbot.waitSignal(dlg.summarised, timeout=10_000, raising=False) as blocker:
        task = dlg.start([tmp_path])
        assert task is not None
        qtbot.waitUntil(lambda: not dlg.running, timeout=10_000)
    assert not blocker.signal_triggered
    assert "Không tìm thấy tệp hồ sơ PDF" in dlg.totals_text()
    assert dlg.model.rowCount() == 0 and not dlg.csv_button.isEnabled() and messages == []


def test_cancel_stops_between_files(qtbot, dossiers: DossierSet, monkeypatch) -> None:
    dlg = _open(qtbot)
    read: list[str] = []
    real_read_row = svc.read_row

    def read_and_count(path, *args, **kwargs):  # runs on the worker thread
        read.append(path.name)
        return real_read_row(path, *args, **kwargs)

    monkeypatch.setattr(svc, "read_row", read_and_count)
    # Cancel pressed while the first file is read: the core polls the flag before the next file
    monkeypatch.setattr(Task, "is_cancelled", lambda self: bool(read))
    task = dlg.start([dossiers.folder])
    assert task is not None and dlg.cancel_button.isVisible()
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    assert read == ["01-a-cu.pdf"]
    assert isinstance(task.error, Cancelled)
    assert dlg.summary is None and dlg.model.rowCount() == 0
    assert "Đã hủy tổng hợp" in dlg.totals_text()
    assert dlg.run_button.isEnabled() and not dlg.cancel_button.isVisible()


def test_tools_menu_opens_the_dialog_without_a_document(open_window) -> None:
    from PySide6.QtWidgets import QApplication

    w = open_window()
    tools = next(a.menu() for a in w.menuBar().actions() if a.text().replace("&", "") == "Công cụ")
    act = next(a for a in tools.actions() if a.text() == "Tổng hợp hồ sơ các đơn vị…")
    assert act.isEnabled()
    act.trigger()
    dialogs = [d for d in QApplication.topLevelWidgets() if isinstance(d, SummaryDialog) and d.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].parent() is w
    dialogs[0].close()


def test_closing_while_running_is_safe(qtbot, dossiers: DossierSet, monkeypatch) -> None:
    started, proceed = threading.Event(), threading.Event()
    real_read_row = svc.read_row

    def gated(path, *args, **kwargs):  # worker thread: past the last Cancel check, held until closed
        started.set()
        assert proceed.wait(30)
        return real_read_row(path, *args, **kwargs)

    monkeypatch.setattr(svc, "read_row", gated)
    dlg = SummaryDialog(None)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.show()
    task = dlg.start([dossiers.folder / "03-b.pdf"])
    assert task is not None and started.wait(30)
    dlg.close()
    with qtbot.waitSignal(task.finished, timeout=60_000):
        proceed.set()
    # the result arrived after the dialog was gone: no slot touched it (pytest-qt fails on such errors)
    assert isinstance(task.result, svc.BlocSummary) and not task.running


def test_year_box_shows_its_whole_automatic_label(qtbot) -> None:
    dlg = SummaryDialog(None)
    qtbot.addWidget(dlg)
    dlg.show()
    spin = dlg.year_spin
    assert spin.text() == "Tự nhận theo hồ sơ"
    text_width = spin.fontMetrics().horizontalAdvance(spin.text())
    assert spin.width() >= text_width + 30  # the text and the arrows, nothing cut («Tự nhận theo hồ…»)
