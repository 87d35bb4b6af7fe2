"""The app closes its document cleanly when the system asks it to stop (SIGTERM)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from khoiapp import locking
from khoiapp.db import open_document
from khoiapp.services import document as docsvc

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_sigterm_saves_and_leaves_only_the_document(tmp_path: Path, demo_template: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    doc_path = data / "hoso.khoi"
    doc_path.write_bytes(demo_template.read_bytes())
    env = dict(os.environ, KHOI_DATA_DIR=str(data), KHOI_CONFIG_DIR=str(tmp_path / "cfg"), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py")], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        lock = locking.lock_path(doc_path)
        for _ in range(300):  # the window opened the document once its lock file exists
            if lock.exists() or proc.poll() is not None:
                break
            subprocess.run(["sleep", "0.05"])
        assert lock.exists(), proc.stderr.read().decode() if proc.poll() is not None else "no lock"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert sorted(p.name for p in data.iterdir()) == ["hoso.khoi"]
    with open_document(doc_path) as doc:
        assert docsvc.document_info(doc).unit is not None
