"""A document or dossier given on the command line (a double-click) opens in the window; the rest is the CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import SIGNAL
from PySide6.QtWidgets import QApplication, QPushButton

from khoiapp import locking, paths
from khoiapp.db import open_document
from khoiapp.services.export import export_dossier
from ui import app as uiapp
from ui import launcher

YEAR = 2026


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["Hồ sơ 2026.khoi"], "Hồ sơ 2026.khoi"),
        (["C:\\Users\\Hoa\\Tài liệu\\HO SO.PDF"], "C:\\Users\\Hoa\\Tài liệu\\HO SO.PDF"),
        (["file:///home/hoa/T%C3%A0i%20li%E1%BB%87u/h%E1%BB%93%20s%C6%A1.khoi"], "/home/hoa/Tài liệu/hồ sơ.khoi"),
        (["file:///C:/Users/Hoa/ho-so.pdf"], "C:/Users/Hoa/ho-so.pdf"),
        ([], None),
        (["demo", "x.khoi"], None),
        (["info"], None),
        (["--help"], None),
        (["bao-cao.docx"], None),
    ],
)
def test_file_argument(args: list[str], expected: str | None) -> None:
    got = launcher.file_argument(args)
    assert (str(got) if got is not None else None) == (str(Path(expected)) if expected else None)


def test_commands_still_go_to_the_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    opened: list[object] = []
    monkeypatch.setattr(uiapp, "run", lambda argv: opened.append(argv) or 0)
    assert launcher.main(["frameworks"]) == 0
    assert "tt08-co-quan-don-vi" in capsys.readouterr().out
    assert opened == []
    assert launcher.main(["Hồ sơ.khoi"]) == 0
    assert launcher.main([]) == 0
    assert [a[1:] for a in opened] == [["Hồ sơ.khoi"], []]  # type: ignore[index]


def test_a_document_given_as_argument_opens_in_the_window(open_window, demo_doc_path: Path) -> None:
    w = open_window()
    launcher.open_initial(w, demo_doc_path)
    assert w.ctx.doc is not None and Path(w.ctx.doc.path) == demo_doc_path
    assert locking.lock_path(demo_doc_path).exists()
    assert w.welcome_dialog is None


@pytest.fixture
def dossier(demo_doc_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "Hồ sơ năm 2026.pdf"
    doc = open_document(demo_doc_path)
    try:
        export_dossier(doc, YEAR, out, clock=dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    finally:
        doc.close()
    return out


def test_a_dossier_given_as_argument_is_checked_and_offers_import(qtbot, open_window, dossier: Path,
                                                                  demo_doc_path: Path) -> None:
    default = paths.default_document_path()
    default.parent.mkdir(parents=True, exist_ok=True)
    default.write_bytes(demo_doc_path.read_bytes())
    w = open_window()
    dlg = launcher.open_initial(w, dossier)
    assert w.ctx.doc is not None and Path(w.ctx.doc.path) == default  # the usual document, behind the check
    assert w.welcome_dialog is None
    qtbot.waitUntil(lambda: getattr(dlg, "report", None) is not None, timeout=60000)
    assert dlg.path_edit.text() == str(dossier)
    button = dlg.findChild(QPushButton, "importDossierButton")
    assert button is not None and button.isEnabled()
    dlg.close()


def test_a_dossier_with_no_document_yet_does_not_ask_for_a_unit(qtbot, open_window, dossier: Path) -> None:
    w = open_window()
    dlg = launcher.open_initial(w, dossier)
    assert w.ctx.doc is None and w.welcome_dialog is None
    qtbot.waitUntil(lambda: getattr(dlg, "report", None) is not None, timeout=60000)
    button = dlg.findChild(QPushButton, "importDossierButton")
    assert button is not None and button.isEnabled()  # the import wizard makes a new document
    dlg.close()


def test_log_off_saves_and_closes_the_document(qtbot, open_window, demo_doc_path: Path) -> None:
    w = open_window(demo_doc_path)
    lock = locking.lock_path(demo_doc_path)
    assert lock.exists()
    uiapp.close_for_session_end(w, None)
    assert w.ctx.doc is None and not lock.exists()
    assert w.terminating


def test_commit_data_request_is_wired_in_run(monkeypatch: pytest.MonkeyPatch, qtbot) -> None:
    app = QApplication.instance()
    seen: dict[str, int] = {}
    monkeypatch.setattr(uiapp, "create_application", lambda argv: app)
    monkeypatch.setattr(uiapp, "install_excepthook", lambda: None)
    monkeypatch.setattr(uiapp, "_close_on_termination", lambda window: None)

    def fake_exec() -> int:
        seen["receivers"] = app.receivers(SIGNAL("commitDataRequest(QSessionManager&)"))
        for top in QApplication.topLevelWidgets():
            if top.__class__.__name__ == "MainWindow":
                top.terminating = True
                top.close()
        return 0

    monkeypatch.setattr(app, "exec", fake_exec)
    assert uiapp.run(["khoi"]) == 0
    assert seen["receivers"] >= 1
