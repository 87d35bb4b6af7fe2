"""The wheel: built from the tree, installed into a fresh venv, it runs ``khoiapp demo`` and ``export``.

Nothing is downloaded: the wheel is built with the test venv's setuptools (no build isolation) and
installed without dependencies; the fresh venv reaches the already installed dependencies through
a ``.pth`` line, so what is tested is the wheel's own content (resources, migrations, entry points).
The venv lives under a folder with Vietnamese letters and spaces, as an officer's profile may.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_PARTS = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".hypothesis", "out"}


def _copy_tree(dest: Path) -> Path:
    def ignore(_folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP_PARTS or n.endswith((".egg-info", ".pyc"))}

    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = _copy_tree(work / "src")
    out = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-w", str(out), str(src)],
        check=True, capture_output=True, text=True,
    )
    (whl,) = out.glob("khoiapp-*.whl")
    return whl


def test_wheel_ships_resources_migrations_guide_and_entry_points(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(zf.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    from khoiapp.paths import REQUIRED_RESOURCES

    for rel in REQUIRED_RESOURCES:
        assert f"khoiapp/resources/{rel}" in names
    assert "khoiapp/migrations/env.py" in names
    assert {n for n in names if n.startswith("khoiapp/migrations/versions/") and n.endswith(".py")}
    assert "khoiapp/docs/user-guide.md" in names
    assert "khoiapp/docs/screenshots/02-tieu-chi.png" in names
    assert "[gui_scripts]\nkhoi = ui.launcher:gui_entry" in entry_points
    assert "[console_scripts]\nkhoiapp = ui.launcher:console_entry" in entry_points
    assert not any(n.startswith(("tests/", "bench/", "resources/", "docs/")) for n in names)


def test_wheel_ships_every_package_of_the_tree(wheel: Path) -> None:
    """Packages are found (setup.py), so one added under khoiapp/ or ui/ is in the wheel."""
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for top in ("khoiapp", "ui"):
        for py in (ROOT / top).rglob("*.py"):
            if "__pycache__" in py.parts:
                continue
            assert py.relative_to(ROOT).as_posix() in names, py


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("profile") / "Nguyễn Văn Đức" / "Hồ sơ đơn vị"
    home.mkdir(parents=True)
    env_dir = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", "--no-index",
         "--disable-pip-version-check", str(wheel)],
        check=True, capture_output=True, text=True,
    )
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # The dependencies (PySide6, reportlab, pyHanko…) as installed for the tests; a path line in a
    # .pth does not run that folder's own .pth files, so the editable checkout stays out of reach.
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "khoi_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    return env_dir


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["KHOI_DATA_DIR"] = str(cwd / "Dữ liệu")
    env["KHOI_CONFIG_DIR"] = str(cwd / "Cấu hình")
    exe = venv / ("Scripts" if os.name == "nt" else "bin") / args[0]
    return subprocess.run([str(exe), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_installed_wheel_reads_its_own_resources(venv: Path) -> None:
    r = _run(venv, "python", "-c", "import khoiapp.paths as p; print(p.resources_dir()); print(p.migrations_dir())",
             cwd=venv.parent)
    assert r.returncode == 0, r.stderr
    res, mig = r.stdout.splitlines()
    assert Path(res).is_relative_to(venv) and Path(res).name == "resources"
    assert Path(mig).is_relative_to(venv)


def test_installed_wheel_runs_frameworks_demo_and_export(venv: Path) -> None:
    cwd = venv.parent
    r = _run(venv, "khoiapp", "frameworks", cwd=cwd)
    assert r.returncode == 0, r.stderr
    assert "tt08-co-quan-don-vi" in r.stdout and "kieu-mau-thanh-hoa" in r.stdout
    doc = cwd / "Hồ sơ mẫu.khoi"
    r = _run(venv, "khoiapp", "demo", str(doc), "--year", "2026", cwd=cwd)
    assert r.returncode == 0, r.stderr
    pdf = cwd / "Hồ sơ 2026.pdf"
    r = _run(venv, "khoiapp", "export", str(doc), "--year", "2026", "--out", str(pdf),
             "--clock", "2026-12-05T09:00:00+07:00", cwd=cwd)
    assert r.returncode == 0, r.stderr
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) >= 20
    assert len(reader.attachments) == 13  # the dossier's data and the demo's 12 evidence files
    r = _run(venv, "khoiapp", "verify", str(pdf), cwd=cwd)
    assert r.returncode == 1  # unsigned: the check says so and exits 1
    assert "Dữ liệu hồ sơ: có (khoi-dossier/1)" in r.stdout
    assert "Tệp đính kèm khớp danh mục: có" in r.stdout


def test_installed_wheel_frameworks_with_none_exits_non_zero(venv: Path, tmp_path: Path) -> None:
    site = next((venv / "lib").glob("python*/site-packages")) if os.name != "nt" else venv / "Lib" / "site-packages"
    folder = site / "khoiapp" / "resources" / "frameworks"
    hidden = tmp_path / "frameworks"
    shutil.move(str(folder), hidden)
    folder.mkdir()
    try:
        r = _run(venv, "khoiapp", "frameworks", cwd=venv.parent)
    finally:
        folder.rmdir()
        shutil.move(str(hidden), folder)
    assert r.returncode == 1
    assert "không tìm thấy bộ tiêu chí nào" in r.stderr
    assert r.stdout == ""
