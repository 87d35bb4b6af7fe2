"""The Linux launcher (.desktop) and the .khoi file type: valid, and installed per user by install.sh."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.tools import require_tool

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "resources" / "linux"


def test_desktop_file_is_valid_and_opens_khoi_and_pdf() -> None:
    tool = require_tool("desktop-file-validate")
    desktop = LINUX / "vn.khoi.Khoi.desktop"
    r = subprocess.run([tool, str(desktop)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == "", r.stdout + r.stderr
    text = desktop.read_text(encoding="utf-8")
    assert "Exec=khoi %f" in text and "MimeType=application/x-khoi;application/pdf;" in text
    assert "Name=Khối" in text


def test_mime_type_maps_dot_khoi(tmp_path: Path) -> None:
    tool = require_tool("update-mime-database")
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    (packages / "vn.khoi.Khoi.xml").write_bytes((LINUX / "vn.khoi.Khoi.mime.xml").read_bytes())
    subprocess.run([tool, str(tmp_path / "mime")], check=True, capture_output=True)
    globs = (tmp_path / "mime" / "globs2").read_text(encoding="utf-8")
    assert "60:application/x-khoi:*.khoi" in globs
    assert "Tài liệu Khối" in (tmp_path / "mime" / "application" / "x-khoi.xml").read_text(encoding="utf-8")


def test_install_script_sets_up_the_launcher_for_the_user(tmp_path: Path) -> None:
    require_tool("update-mime-database")
    app = tmp_path / "Chương trình" / "Khoi"
    res = app / "_internal" / "khoiapp" / "resources"
    (res / "linux").mkdir(parents=True)
    (res / "icons").mkdir()
    for f in LINUX.iterdir():
        (res / "linux" / f.name).write_bytes(f.read_bytes())
    (res / "icons" / "khoi.svg").write_bytes((ROOT / "resources" / "icons" / "khoi.svg").read_bytes())
    (app / "khoi").write_text("#!/bin/sh\n")
    (app / "khoi").chmod(0o755)
    home = tmp_path / "Nhà của Hoa"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}
    script = ROOT / "packaging" / "linux" / "install.sh"
    r = subprocess.run(["sh", str(script), str(app)], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    data = home / ".local" / "share"
    desktop = (data / "applications" / "vn.khoi.Khoi.desktop").read_text(encoding="utf-8")
    assert f'Exec="{app}/khoi" %f' in desktop
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "vn.khoi.Khoi.svg").is_file()
    assert "application/x-khoi:*.khoi" in (data / "mime" / "globs2").read_text(encoding="utf-8")
    assert (home / ".local" / "bin" / "khoi").resolve() == (app / "khoi").resolve()
    doc = home / "Tài liệu" / "hoso.khoi"
    doc.parent.mkdir()
    doc.write_bytes(b"SQLite format 3\x00")
    r = subprocess.run(["sh", str(script), "--remove"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not (data / "applications" / "vn.khoi.Khoi.desktop").exists()
    assert doc.exists()  # removing the launcher leaves the user's documents alone
