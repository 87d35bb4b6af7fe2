"""«Tổng hợp khối» on the files received: which count and why not (coloured), folder or files, the year
taken from the dossiers, the files' CSV, Cancel and closing while it reads."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from khoiapp.bloc import parallel, units
from khoiapp.errors import Cancelled
from khoiapp.services import summary as svc
from khoiapp.services import trust
from tests.core import test_summary as ts
from tests.core.test_summary import DossierSet, build_dossier_set
from ui.dialogs.bloc_workspace import YEAR_AUTO, BlocWorkspace
from ui.models.file_rows import STATUS_COLUMN, VERDICT_COLUMN
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


def _open(qtbot) -> BlocWorkspace:
    w = BlocWorkspace(None)
    qtbot.addWidget(w)
    w.resize(1366, 700)
    w.year_from.setValue(YEAR_AUTO)  # «Tự nhận theo hồ sơ»
    w.workers = 1  # read in this process: monkeypatched readers reach it
    w.show()
    return w


def _run(qtbot, w: BlocWorkspace, paths: list[Path]) -> None:
    w.set_paths(paths)
    with qtbot.waitSignal(w.computed, timeout=120_000):
        assert w.start() is not None


def test_folder_shows_each_file_and_the_totals(qtbot, dossiers: DossierSet, tmp_path: Path) -> None:
    _trust(dossiers, tmp_path)
    w = _open(qtbot)
    bloc = units.UnitList(tuple(units.BlocUnit(name=n) for n in (ts.UNIT_A, ts.UNIT_B, ts.UNIT_C, ts.UNIT_D, ts.UNIT_E)))
    w.unit_list = bloc
    _run(qtbot, w, [dossiers.folder])
    m = w.file_model
    assert m.rowCount() == 8 and m.columnCount() == len(svc.CSV_HEADER)
    files = [m.index(r, 1).data() for r in range(m.rowCount())]
    assert files[0] == "01-a-cu.pdf" and files[-1] == "08-ghi-chu.pdf"
    statuses = [m.index(r, STATUS_COLUMN).data() for r in range(m.rowCount())]
    assert statuses.count("Được tính") == 3 and statuses[0] == "Bản trùng"
    assert m.index(2, VERDICT_COLUMN).data() == "Hợp lệ"
    assert "chưa được ký số" in m.index(4, STATUS_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert w.report is not None and w.report.years == (ts.YEAR, ts.YEAR)  # the year the dossiers carry
    assert w.totals_label.text().startswith(
        f"Giai đoạn {ts.YEAR}, toàn Khối có 2/5 cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa, đạt 40,00 %"
    )
    assert w.files_csv_button.isEnabled() and w.run_button.isEnabled()
    assert not w.progress_bar.isVisible() and not w.cancel_button.isVisible()


def test_verdicts_are_coloured(qtbot, dossiers: DossierSet) -> None:
    w = _open(qtbot)
    _run(qtbot, w, [dossiers.folder / "03-b.pdf", dossiers.folder / "07-b-sua.pdf"])
    assert "2 tệp trong" in w.folder_edit.text()
    m = w.file_model
    untrusted = m.index(0, VERDICT_COLUMN).data(Qt.ItemDataRole.BackgroundRole)
    invalid = m.index(1, VERDICT_COLUMN).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(untrusted, QBrush) and isinstance(invalid, QBrush)
    assert untrusted.color().name() == "#fff3cd" and invalid.color().name() == "#f8d7da"
    assert m.index(0, 2).data(Qt.ItemDataRole.BackgroundRole) is None
    assert w.report is not None and not any(u.counted for u in w.report.units)


def test_accept_untrusted_checkbox_counts_them(qtbot, dossiers: DossierSet) -> None:
    w = _open(qtbot)
    w.untrusted_check.setChecked(True)
    _run(qtbot, w, [dossiers.folder / "03-b.pdf"])
    assert w.file_model.index(0, STATUS_COLUMN).data() == "Được tính"
    assert "có 1/1 cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa, đạt 100,00 %" in w.totals_label.text()


def test_files_csv_says_which_count_and_why_not(qtbot, dossiers: DossierSet, tmp_path: Path) -> None:
    w = _open(qtbot)
    _run(qtbot, w, [dossiers.folder])
    out = tmp_path / "bang-tep.csv"
    assert w.export("files-csv", out) is not None
    qtbot.waitUntil(lambda: not w.running, timeout=60_000)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert tuple(rows[0]) == svc.CSV_HEADER and len([r for r in rows[1:9] if r]) == 8
    by_file = {r[1]: r for r in rows[1:9]}
    assert by_file["05-d-chua-ky.pdf"][11] == "Chưa ký số" and "ký số" in by_file["05-d-chua-ky.pdf"][12]
    assert ["Số tệp đã đọc", "8"] in rows and rows[-1][0] == "Tổng hợp" and "đạt chuẩn văn hóa" in rows[-1][1]
    assert str(out) in w.totals_label.text()


def test_folder_without_pdf_says_so(qtbot, tmp_path: Path, messages) -> None:
    w = _open(qtbot)
    w.set_folder(tmp_path)
    with qtbot.waitSignal(w.computed, timeout=10_000, raising=False) as blocker:
        task = w.start()
        assert task is not None
        qtbot.waitUntil(lambda: not w.running, timeout=10_000)
    assert not blocker.signal_triggered
    assert "Không tìm thấy tệp hồ sơ PDF" in w.totals_label.text()
    assert w.file_model.rowCount() == 0 and not w.files_csv_button.isEnabled() and messages == []


def test_cancel_stops_between_files(qtbot, dossiers: DossierSet, monkeypatch) -> None:
    w = _open(qtbot)
    read: list[str] = []
    real = parallel.read_entry_fast

    def read_and_count(path, *args, **kwargs):  # runs on the worker thread
        read.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(parallel, "read_entry_fast", read_and_count)
    # Cancel pressed while the first file is read: the core polls the flag before the next file
    monkeypatch.setattr(Task, "is_cancelled", lambda self: bool(read))
    w.set_folder(dossiers.folder)
    task = w.start()
    assert task is not None and w.cancel_button.isVisible()
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    assert read == ["01-a-cu.pdf"]
    assert isinstance(task.error, Cancelled)
    assert w.report is None and w.file_model.rowCount() == 0 and w.unit_model.rowCount() == 0
    assert "Đã hủy tổng hợp" in w.totals_label.text()
    assert w.run_button.isEnabled() and not w.cancel_button.isVisible()


def test_closing_while_running_is_safe(qtbot, dossiers: DossierSet, monkeypatch) -> None:
    started, proceed = threading.Event(), threading.Event()
    real = parallel.read_entry_fast

    def gated(path, *args, **kwargs):  # worker thread: past the last Cancel check, held until closed
        started.set()
        assert proceed.wait(30)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(parallel, "read_entry_fast", gated)
    w = BlocWorkspace(None)
    w.workers = 1
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    w.show()
    w.set_paths([dossiers.folder / "03-b.pdf"])
    task = w.start()
    assert task is not None and started.wait(30)
    w.close()
    with qtbot.waitSignal(task.finished, timeout=60_000):
        proceed.set()
    # the result arrived after the workspace was gone: no slot touched it (pytest-qt fails on such errors)
    assert task.result is not None and not task.running


def test_year_box_shows_its_whole_automatic_label(qtbot) -> None:
    w = BlocWorkspace(None)
    qtbot.addWidget(w)
    w.show()
    spin = w.year_from
    spin.setValue(YEAR_AUTO)
    assert spin.text() == "Tự nhận theo hồ sơ" and w.years() is None and not w.year_to.isEnabled()
    text_width = spin.fontMetrics().horizontalAdvance(spin.text())
    assert spin.width() >= text_width + 30  # the text and the arrows, nothing cut («Tự nhận theo hồ…»)
    spin.setValue(2025)
    assert w.year_to.isEnabled()


def test_tools_menu_has_one_bloc_summary(open_window) -> None:
    from PySide6.QtWidgets import QApplication

    w = open_window()
    tools = next(a.menu() for a in w.menuBar().actions() if a.text().replace("&", "") == "Công cụ")
    texts = [a.text() for a in tools.actions()]
    assert "Tổng hợp hồ sơ các đơn vị…" not in texts
    act = next(a for a in tools.actions() if a.text() == "Tổng hợp khối…")
    assert act.isEnabled()
    act.trigger()
    shown = [d for d in QApplication.topLevelWidgets() if isinstance(d, BlocWorkspace) and d.isVisible()]
    assert len(shown) == 1 and shown[0].parent() is w
    shown[0].close()
