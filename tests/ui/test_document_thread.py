"""One thread owns the open document: where every transaction runs, switching and closing while
work is running, a second process writing the file, and the boundary of ``ui/``.

These tests run the real pools (no synchronous stand-in): the point is which thread does what.
"""

from __future__ import annotations

import ast
import io
import random
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import event
from sqlalchemy.engine import Engine

from khoiapp import scoring
from khoiapp.db import JOB_OPTION, open_document
from khoiapp.errors import DocumentBusyError, DocumentLockedError
from khoiapp.services import criteria as crit
from khoiapp.services import document as docsvc
from khoiapp.services import evidence as evsvc
from tests.ui.test_wiring import dossier  # noqa: F401 - fixture
from ui.context import AppContext
from ui.dialogs.export_dialog import ExportDialog
from ui.dialogs.import_wizard import PAGE_DONE, PAGE_VERIFY
from ui.main_window import MainWindow

YEAR = 2026
WAIT_MS = 60_000
ROOT = Path(__file__).resolve().parents[2]


class Begins:
    """Every transaction begun anywhere in the process: (thread, begun on a long job's own connection)."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, bool]] = []
        self._lock = threading.Lock()

    def __call__(self, conn) -> None:  # type: ignore[no-untyped-def]
        with self._lock:
            self.seen.append((threading.get_ident(), bool(conn.get_execution_options().get(JOB_OPTION))))


@pytest.fixture
def begins():
    rec = Begins()
    event.listen(Engine, "begin", rec)
    yield rec
    event.remove(Engine, "begin", rec)


def _jpeg(rng: random.Random, w: int, h: int) -> bytes:
    """A photo-like JPEG: smooth colour with noise (decoding it takes real work)."""
    from PIL import Image

    base = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    noise = Image.frombytes("RGB", (w // 4, h // 4), rng.randbytes((w // 4) * (h // 4) * 3)).resize((w, h))
    img = Image.blend(base, noise, 0.35)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _doc_with_photos(path: Path, n: int, seed: int) -> Path:
    doc = docsvc.new_document(path, unit_name=f"Trung tâm Văn hóa số {seed}", unit_type="don-vi", year=YEAR)
    rng = random.Random(seed)
    try:
        for i in range(n):
            w, h = (1280, 960) if i % 2 else (960, 1280)  # landscape and portrait
            evsvc.add_evidence_bytes(doc, YEAR, _jpeg(rng, w, h), f"anh-{seed}-{i:02d}.jpg")
    finally:
        doc.close()
    return path


def _integrity_ok(path: Path) -> bool:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def _lock_file(path: Path) -> Path:
    from khoiapp import locking

    return locking.lock_path(path)


def _window_on(qtbot, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    """A shown window at 1366×768 with ``path`` opened (in the background, as a user's)."""
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.start(path)
    qtbot.waitUntil(lambda: w.ctx.doc is not None, timeout=WAIT_MS)
    return w


# ---------------------------------------------------------------------------- where transactions run
def test_every_transaction_of_the_window_runs_on_the_runner_thread(
    qtbot, demo_doc_path, blank_doc_path, dossier, tmp_path, messages, begins  # noqa: F811
):
    begins.seen.clear()  # from here on: only what the window does (the test reads through the runner too)
    w = _window_on(qtbot, demo_doc_path)
    runner = w.ctx.runner
    gui = threading.get_ident()

    # answer a criterion in the tree, and type its «Thực trạng» in the detail pane
    page = w.show_page("tieu-chi")
    code = next(c.code for c in page.criteria if c.kind == "yesno")
    page.answer(code, status=scoring.ResultStatus.NOT_MET)
    page.select_code(code)
    edit = page.detail.narrative["current_state"].edit
    edit.setFocus()
    qtbot.keyClicks(edit, "Da ra soat lai quy che.")  # QTest types ASCII keys only
    page.detail.narrative["current_state"].flush()
    # attach a file (a worker copies it in, through the runner)
    photo = tmp_path / "Ảnh hội nghị.jpg"
    photo.write_bytes(_jpeg(random.Random(1), 640, 480))
    before = len(w.ctx.read(evsvc.list_evidence, YEAR))
    w.add_evidence_files([str(photo)], code)
    qtbot.waitUntil(lambda: len(w.ctx.read(evsvc.list_evidence, YEAR)) == before + 1, timeout=WAIT_MS)
    # edit the Quy ước, then undo and redo
    conv = w.show_page("quy-uoc")
    if conv.current is None:  # type: ignore[attr-defined]
        assert conv.create_convention()  # type: ignore[attr-defined]
    chapter = conv.add_chapter("Chương mới về văn hóa công sở")  # type: ignore[attr-defined]
    assert chapter is not None
    w.ctx.undo_stack.undo()
    w.ctx.undo_stack.redo()
    # export from the dialog: a long job with its own connection
    dlg = ExportDialog(w.ctx, w)
    qtbot.addWidget(dlg)
    dlg.draft_check.setChecked(True)
    dlg.set_output_path(tmp_path / "ho-so.pdf")
    dlg.show()
    with qtbot.waitSignal(dlg.preview_loaded, timeout=WAIT_MS):
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    assert dlg.export_result is not None
    dlg.close()
    # import last year's dossier into the open document (the wizard's worker asks the runner)
    wiz = w.import_dossier(dossier)
    assert wiz is not None
    wiz.next()  # verifies the dossier in the background
    assert wiz.currentId() == PAGE_VERIFY
    qtbot.waitUntil(wiz.verify_page.accept_box.isVisible, timeout=WAIT_MS)  # a unit certificate nobody trusts
    wiz.verify_page.accept_box.setChecked(True)
    wiz.next()  # summary (compared with the open document, through the runner)
    wiz.next()  # confirm
    wiz.next()  # «Nhập»
    qtbot.waitUntil(lambda: wiz.currentId() == PAGE_DONE, timeout=WAIT_MS)
    wiz.accept()
    assert [p.year_end for p in w.ctx.read(docsvc.list_periods)] == [YEAR, YEAR + 1]
    # switch to another document and back
    w.open_path(blank_doc_path)
    qtbot.waitUntil(lambda: w.ctx.doc is not None and w.ctx.doc.path == blank_doc_path, timeout=WAIT_MS)
    w.open_path(demo_doc_path)
    qtbot.waitUntil(lambda: w.ctx.doc is not None and w.ctx.doc.path == demo_doc_path, timeout=WAIT_MS)
    runner_thread = runner.thread_ident
    w.close()

    assert messages == [], [m.text for m in messages]
    window = [t for t, job in begins.seen if not job]
    jobs = [t for t, job in begins.seen if job]
    assert len(window) > 20 and jobs, (len(window), len(jobs))
    assert set(window) == {runner_thread}, "a transaction of the window ran off the document's thread"
    assert gui not in {t for t, _ in begins.seen}, "a transaction ran on the GUI thread"
    assert not _lock_file(demo_doc_path).exists() and _integrity_ok(demo_doc_path)


def test_a_criterion_edit_costs_two_transactions(qtbot, demo_doc_path, begins):
    w = _window_on(qtbot, demo_doc_path)
    page = w.show_page("tieu-chi")
    code = next(c.code for c in page.criteria if c.kind == "yesno" and c.status != "chua-dat")
    repainted: list[tuple[int, int]] = []
    page.model.dataChanged.connect(lambda a, b, *_: repainted.append((a.row(), a.parent().isValid())))
    begins.seen.clear()
    page.answer(code, status=scoring.ResultStatus.NOT_MET)
    # the write, then the checklist with the period's result in one read; the status bar reuses it
    assert len(begins.seen) == 2, begins.seen
    assert repainted == [(page.model.index_of(code).parent().row(), False), (page.model.index_of(code).row(), True)]
    assert page.model.criterion(code).status == "chua-dat"
    assert w.result_label.text() == "Kết quả: " + docsvc.period_summary(w.ctx.doc, YEAR).result_label
    w.close()


def test_export_heavy_calls_are_off_the_gui_thread(qtbot, demo_doc_path, tmp_path, monkeypatch):
    """Rendering, writing and the preview's parsing never run on the GUI thread (see bench_gui_gap)."""
    import ui.dialogs.export_dialog as export_dialog
    import ui.dialogs.pdf_preview as pdf_preview

    where: dict[str, int] = {}
    real_export = export_dialog.export_dossier

    def export(*a, **kw):  # type: ignore[no-untyped-def]
        where["export"] = threading.get_ident()
        return real_export(*a, **kw)

    class RecordingPdf(pdf_preview.QPdfDocument):
        def load(self, *a):  # type: ignore[no-untyped-def]
            where["preview"] = threading.get_ident()
            return super().load(*a)

    monkeypatch.setattr(export_dialog, "export_dossier", export)
    monkeypatch.setattr(pdf_preview, "QPdfDocument", RecordingPdf)
    ctx = AppContext()
    ctx.set_document(open_document(demo_doc_path), YEAR)
    try:
        dlg = ExportDialog(ctx)
        qtbot.addWidget(dlg)
        dlg.set_output_path(tmp_path / "ho-so.pdf")
        dlg.show()
        with qtbot.waitSignal(dlg.preview_loaded, timeout=WAIT_MS):
            qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
        assert dlg.preview.page_count() == dlg.export_result.pages  # type: ignore[union-attr]
        gui = threading.get_ident()
        assert set(where) == {"export", "preview"}
        assert where["export"] != gui and where["preview"] != gui
    finally:
        ctx.set_document(None, None)
        ctx.runner.shutdown()


# ---------------------------------------------------------------------------- switching while work runs
@pytest.fixture(scope="module")
def photo_docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("anh")
    return [_doc_with_photos(folder / f"don-vi-{i}.khoi", 60, seed=i) for i in (1, 2)]


def test_switching_and_closing_while_thumbnails_load_never_crashes(qtbot, photo_docs, tmp_path, messages):
    from ui.pages.evidence_page import EvidencePage

    ctx = AppContext()
    page = EvidencePage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    app = QApplication.instance()
    made = 0
    page.thumbs.thumbnail_ready.connect(lambda _sha: None)
    for i in range(200):
        # a fresh cache each round, so thumbnails are really being made when the document goes
        page.thumbs.cache_dir = tmp_path / f"thumbs-{i % 7}"
        page.thumbs._images.clear()
        page.thumbs._pixmaps.clear()
        if i % 10 == 9:
            ctx.set_document(None, None)  # close while thumbnails load
        else:
            ctx.set_document(ctx.runner.open(photo_docs[i % 2]), YEAR)
        for _ in range(3 + i % 4):
            app.processEvents()
        made += len(page.thumbs._images)
    ctx.set_document(None, None)
    ctx.runner.shutdown()
    page.thumbs.wait(10_000)
    assert messages == []
    assert made > 0, "no thumbnail was ever made: the test did not exercise loading"
    for path in photo_docs:
        assert not _lock_file(path).exists()
        assert _integrity_ok(path)


def test_closing_the_window_during_an_export_and_thumbnails(qtbot, photo_docs, tmp_path, monkeypatch, messages):
    import shutil

    path = tmp_path / "dang-xuat.khoi"
    shutil.copyfile(photo_docs[0], path)
    monkeypatch.setattr("ui.main_window.ask", lambda *a, **k: True)  # «Chờ xong rồi đóng»
    w = _window_on(qtbot, path)
    w.show_page("minh-chung")  # thumbnails start loading
    dlg = ExportDialog(w.ctx, w)
    qtbot.addWidget(dlg)
    dlg.draft_check.setChecked(True)
    out = tmp_path / "ho-so.pdf"
    dlg.set_output_path(out)
    dlg.show()
    dlg.start_export()
    assert dlg.running
    w.close()
    assert messages == []
    assert w.ctx.doc is None
    assert not _lock_file(path).exists() and _integrity_ok(path)


# ---------------------------------------------------------------------------- another process writing
HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
    con.execute(sys.argv[2])  # BEGIN IMMEDIATE or BEGIN EXCLUSIVE
    con.execute("UPDATE doc_meta SET value = value WHERE key = 'app'")
    print("held", flush=True)
    if sys.argv[3] == "stdin":
        sys.stdin.readline()
    else:
        time.sleep(float(sys.argv[3]))
    con.execute("COMMIT")
    """
)


def _hold(path: Path, begin: str, until: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), begin, until],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_read_while_another_process_writes_succeeds_and_a_write_is_busy_not_locked(qtbot, demo_doc_path):
    ctx = AppContext()
    ctx.set_document(open_document(demo_doc_path), YEAR)
    try:
        proc = _hold(demo_doc_path, "BEGIN IMMEDIATE", "stdin")
        try:
            unit = ctx.read(docsvc.get_unit)  # deferred: reads beside the other writer
            assert unit is not None and unit.name
            with pytest.raises(DocumentBusyError) as info:
                ctx.write(lambda d: docsvc.update_unit(d, phone="0237 3852 000"))
            assert not isinstance(info.value, DocumentLockedError)
            assert "đang bận" in info.value.message and "cửa sổ" not in info.value.message
        finally:
            assert proc.stdin is not None
            proc.stdin.write("\n")
            proc.stdin.flush()
            proc.wait(30)
        ctx.write(lambda d: docsvc.update_unit(d, phone="0237 3852 000"))  # free again: it goes through
        assert ctx.read(docsvc.get_unit).phone == "0237 3852 000"
    finally:
        ctx.set_document(None, None)
        ctx.runner.shutdown()


def test_a_read_waits_for_another_process_commit_and_then_succeeds(qtbot, demo_doc_path):
    ctx = AppContext()
    ctx.set_document(open_document(demo_doc_path), YEAR)
    try:
        proc = _hold(demo_doc_path, "BEGIN EXCLUSIVE", "1.0")  # commits after a second
        try:
            summary = ctx.read(docsvc.period_summary, YEAR)  # waits for the lock, then reads
            assert summary.period.year_end == YEAR
        finally:
            proc.wait(30)
        assert proc.returncode == 0
    finally:
        ctx.set_document(None, None)
        ctx.runner.shutdown()


# ---------------------------------------------------------------------------- the boundary
ALLOWED_DB_NAMES = {"Document"}  # a type for annotations; opening goes through ui/runner.py
RUNNER_DB_NAMES = {"Document", "open_document"}


def _ui_imports() -> list[tuple[str, str, set[str]]]:
    out = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    out.append((str(path.relative_to(ROOT)), alias.name, set()))
            elif isinstance(node, ast.ImportFrom) and node.module:
                out.append((str(path.relative_to(ROOT)), node.module, {a.name for a in node.names}))
    return out


def test_ui_reaches_the_database_only_through_services_and_the_runner():
    bad = []
    for where, module, names in _ui_imports():
        if module == "sqlalchemy" or module.startswith("sqlalchemy.") or module in ("sqlite3", "khoiapp.models"):
            bad.append(f"{where}: {module}")
        elif module == "khoiapp.db":
            allowed = RUNNER_DB_NAMES if where == str(Path("ui/runner.py")) else ALLOWED_DB_NAMES
            if not names or names - allowed:
                bad.append(f"{where}: khoiapp.db {sorted(names - allowed) or 'module'}")
        elif module == "khoiapp" and "db" in names or module == "khoiapp" and "models" in names:
            bad.append(f"{where}: {module} {sorted(names)}")
    assert bad == []


def test_the_boundary_check_sees_a_forbidden_import(tmp_path, monkeypatch):
    fake_root = tmp_path
    (fake_root / "ui").mkdir()
    (fake_root / "ui" / "page.py").write_text("from khoiapp.db import open_document\nimport sqlalchemy\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake_root)
    found = _ui_imports()
    assert ("ui/page.py", "khoiapp.db", {"open_document"}) in found
    with pytest.raises(AssertionError):
        test_ui_reaches_the_database_only_through_services_and_the_runner()
