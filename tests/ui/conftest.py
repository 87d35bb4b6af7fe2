"""Shared fixtures for the window tests (offscreen Qt, throwaway data and config folders)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMessageBox  # noqa: E402

from khoiapp.services import demo  # noqa: E402
from khoiapp.services import document as docsvc  # noqa: E402
from ui import tasks  # noqa: E402

YEAR = 2026


# The offscreen platform says this for every dialog with a layout and for raise(); not a problem of ours.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise)\(\)"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, extend=True))


@dataclass
class ShownMessage:
    icon: QMessageBox.Icon
    title: str
    text: str


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """KHOI_DATA_DIR / KHOI_CONFIG_DIR in temporary folders: no test touches the real profile."""
    base = tmp_path_factory.mktemp("khoi-home")
    monkeypatch.setenv("KHOI_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("KHOI_CONFIG_DIR", str(base / "config"))
    return base


@pytest.fixture(autouse=True)
def messages(monkeypatch) -> list[ShownMessage]:
    """Every QMessageBox shown through ``exec`` is recorded instead of blocking the test."""
    shown: list[ShownMessage] = []

    def fake_exec(self: QMessageBox) -> int:
        shown.append(ShownMessage(self.icon(), self.windowTitle(), self.text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


@pytest.fixture
def sync_tasks():
    """Background tasks run at once on the test's thread (Picard's FakeThreadPool)."""
    tasks.set_pool_override(tasks.SyncPool())
    yield
    tasks.set_pool_override(None)


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.khoi"
    demo.build_demo(path)
    return path


@pytest.fixture
def demo_doc_path(tmp_path, _demo_template) -> Path:
    """A fresh copy of the filled demo document (built once per session)."""
    target = tmp_path / "demo.khoi"
    target.write_bytes(_demo_template.read_bytes())
    return target


@pytest.fixture
def blank_doc_path(tmp_path) -> Path:
    """A new document with a unit and one unanswered period (the year 2026)."""
    path = tmp_path / "moi.khoi"
    doc = docsvc.new_document(path, unit_name="Sở Tư pháp tỉnh Thanh Hóa", unit_type="co-quan", year=YEAR)
    doc.close()
    return path


@pytest.fixture
def ctx(qtbot, demo_copy):
    """A window's context (its runner) with a fresh copy of the demo document open at ``YEAR``."""
    from khoiapp.db import open_document
    from ui.context import AppContext

    c = AppContext()
    c.set_document(open_document(demo_copy), YEAR)
    yield c
    c.set_document(None, None)


@pytest.fixture
def open_window(qtbot, sync_tasks):
    """``open_window(path)``: a shown main window with ``path`` open; closed at the end."""
    from ui.main_window import MainWindow

    made = []

    def make(path: Path | None = None):
        w = MainWindow()
        qtbot.addWidget(w)
        w.resize(1366, 768)
        w.show()
        if path is not None:
            w.start(path)
            assert w.ctx.doc is not None, "the document did not open"
        made.append(w)
        return w

    yield make
    for w in made:
        if w.ctx.doc is not None:
            w.close()
