"""The catalogues: every window string is in khoi_vi.ts (pyside6-lupdate), and the .qm files are compiled from the .ts."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import translations  # noqa: E402

sys.path.pop(0)


def test_lupdate_collects_every_window_string_with_the_context_it_is_looked_up_with(tmp_path: Path) -> None:
    """A fresh collection (what `make translations` and `make dist` write) has each module's strings.

    The committed khoi_vi.ts may lag behind strings added since (they show in their Vietnamese
    source form meanwhile); `make dist` refreshes the catalogue before compiling it.
    """
    fresh = tmp_path / "khoi_vi.ts"
    translations.collect(fresh)
    msgs = translations.messages(fresh)
    expected = set(translations.helper_strings(translations.ui_sources()))
    assert len(expected) > 200 and len({ctx for ctx, _ in expected}) > 10
    missing = expected - msgs
    assert missing == set()
    assert len(msgs) > 500
    committed = translations.messages(translations.APP_TS)
    assert len(committed & msgs) > 0.8 * len(committed)  # the committed catalogue is this one, maybe older


def test_helper_strings_get_their_runtime_context() -> None:
    msgs = translations.messages(translations.APP_TS)
    assert ("MainWindow", "&Hướng dẫn sử dụng") in msgs  # _tr() in ui/main_window.py
    assert ("HelpDialog", "Tìm trong hướng dẫn:") in msgs
    assert ("VerifyDialog", "Đang kiểm tra hồ sơ…") in msgs


def test_compiled_catalogues_match_their_sources(tmp_path: Path) -> None:
    for qm in translations.compile_catalogues(tmp_path):
        committed = translations.TS_DIR / qm.name
        assert committed.read_bytes() == qm.read_bytes(), f"{qm.name} is older than its .ts: run packaging/translations.py"


def test_window_catalogue_is_used_at_run_time(qapp) -> None:
    from PySide6.QtCore import QCoreApplication

    from ui.app import install_translators

    kept = install_translators(qapp)
    try:
        names = {Path(t.filePath()).name for t in kept if hasattr(t, "filePath")}
        assert {"khoi_vi.qm", "qtbase_vi.qm"} <= names
        assert QCoreApplication.translate("QFileDialog", "Files of &type:") == "&Loại tệp:"
        assert QCoreApplication.translate("MainWindow", "&Hướng dẫn sử dụng") == "&Hướng dẫn sử dụng"
    finally:
        for t in kept:
            qapp.removeTranslator(t)

