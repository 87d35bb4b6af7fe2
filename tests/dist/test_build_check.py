"""The build stops when a file the app needs is missing (the spec's check), before any analysis."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tree(dest: Path) -> Path:
    for sub in ("khoiapp", "ui", "packaging", "resources", "docs"):
        shutil.copytree(ROOT / sub, dest / sub, ignore=shutil.ignore_patterns("__pycache__"))
    for f in ("pyproject.toml", "LICENSE", "main.py"):
        shutil.copy2(ROOT / f, dest / f)
    return dest


def test_missing_files_is_empty_for_the_repository() -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from bundle_check import missing_files
    finally:
        sys.path.pop(0)
    assert missing_files(ROOT) == []


@pytest.mark.parametrize(
    "remove",
    ["resources/fonts/LiberationSerif-Bold.ttf", "resources/translations/khoi_vi.qm", "docs/screenshots/02-tieu-chi.png",
     "khoiapp/migrations/env.py"],
)
def test_build_fails_when_a_needed_file_is_missing(tmp_path: Path, remove: str) -> None:
    pytest.importorskip("PyInstaller", reason="PyInstaller is installed by make dist (the dist extra)")
    tree = _tree(tmp_path / "src")
    (tree / remove).unlink()
    r = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build"), str(tree / "packaging" / "khoi.spec")],
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode != 0
    assert "Thiếu tệp cần đóng gói" in r.stderr and remove in r.stderr
    assert not (tmp_path / "dist" / "Khoi").exists()
