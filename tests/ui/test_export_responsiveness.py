"""Probe: while a 50 MB dossier is exported from the dialog, the window keeps answering.

A 10 ms timer on the UI thread records the gaps between its ticks from the click on «Xuất hồ sơ»
until the export task has finished (including loading the preview); no gap may reach 100 ms.
This is a behaviour test (nothing blocks the UI thread), not a speed benchmark.
"""

from __future__ import annotations

import io
import random
import shutil
import time

import pytest
from PySide6.QtCore import Qt, QTimer

from khoiapp.db import open_document
from khoiapp.services import criteria as crit
from khoiapp.services import evidence as evsvc
from khoiapp.services.verify import verify_dossier
from ui.context import AppContext
from ui.dialogs.export_dialog import ExportDialog

YEAR = 2026
FILES = 100
TOTAL = 50 * 1024 * 1024
MAX_GAP_S = 0.100


def _photo(rng: random.Random, size: int) -> bytes:
    """A real JPEG (noise, so it shows in the appendix) padded with random bytes to ``size``."""
    from PIL import Image

    img = Image.frombytes("RGB", (320, 240), rng.randbytes(320 * 240 * 3))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    data = buf.getvalue()
    return data + rng.randbytes(max(0, size - len(data)))  # bytes after the end marker are ignored


@pytest.fixture(scope="module")
def big_document(tmp_path_factory, demo_template):
    path = tmp_path_factory.mktemp("lon") / "lon.khoi"
    shutil.copyfile(demo_template, path)
    rng = random.Random(50)
    each = TOTAL // FILES
    with open_document(path) as doc:
        codes = [c.code for c in crit.checklist(doc, YEAR).criteria]
        for i in range(FILES):
            if i % 2:
                data, name = rng.randbytes(each), f"van-ban-{i:03d}.pdf"
            else:
                data, name = _photo(rng, each), f"anh-{i:03d}.jpg"
            evsvc.add_evidence_bytes(doc, YEAR, data, name, criteria=(codes[i % len(codes)],))
    return path


def test_ui_thread_never_stalls_during_a_50mb_export(qtbot, big_document, tmp_path, messages):
    from khoiapp import appconfig

    appconfig.update(dossier_budget_mb=500)  # 50 MB is within the budget: the originals are embedded
    ctx = AppContext()
    ctx.set_document(open_document(big_document), YEAR)
    try:
        dlg = ExportDialog(ctx)
        qtbot.addWidget(dlg)
        dlg.resize(1000, 700)
        dlg.show()
        qtbot.waitExposed(dlg)
        out = tmp_path / "ho-so-lon.pdf"
        dlg.set_output_path(out)

        ticks: list[float] = []
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        started = time.perf_counter()
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
        task = dlg.task
        assert task is not None and task.running, "the export must run in the background"
        with qtbot.waitSignal(task.finished, timeout=300_000):
            pass
        ended = time.perf_counter()
        timer.stop()

        assert messages == [], [m.text for m in messages]
        assert dlg.export_result is not None and out.exists()
        assert dlg.export_result.attachments >= FILES
        assert out.stat().st_size > TOTAL
        # the gaps from the click to the end, the first tick excluded (it waits for the click to return)
        points = [t for t in ticks if started <= t <= ended]
        gaps = [b - a for a, b in zip(points[1:], points[2:])]
        assert len(gaps) >= 10, f"export too short to probe ({ended - started:.2f} s)"
        worst = max(gaps)
        at = points[2:][gaps.index(worst)] - started
        assert worst < MAX_GAP_S, (
            f"the UI thread stalled {worst * 1000:.0f} ms at {at:.2f} s of {ended - started:.2f} s "
            f"({len(gaps)} ticks)"
        )
    finally:
        ctx.set_document(None, None)
    rep = verify_dossier(out)
    assert rep.payload_present and rep.attachments_ok is True
