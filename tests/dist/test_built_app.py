"""Smoke test of the built one-folder app (``make dist``), run by ``.ci/run`` after the test suite.

``KHOI_DIST_DIR`` names the built folder (``dist/Khoi``); without it the tests skip (a plain
``pytest`` run has no build). The folder is copied and made read-only for real (chattr +i as root,
chmod otherwise), and the user's folders carry Vietnamese letters and spaces. The built
``khoiapp`` runs demo → export (signed with a .p12 and with a SoftHSM2 token) → verify → import;
the built ``khoi`` opens its window offscreen on a .khoi given as argument, and on a dossier PDF,
and closes cleanly when the system asks it to (SIGTERM, as at log-off).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from khoiapp import locking
from tests.softhsm import Pki, SoftHsmToken, pki, softhsm_token  # noqa: F401 - fixtures

DIST = os.environ.get("KHOI_DIST_DIR", "")
pytestmark = pytest.mark.skipif(not DIST, reason="KHOI_DIST_DIR is not set (make dist, then see .ci/run)")

EXE = ".exe" if os.name == "nt" else ""
PASSWORD_ENV = "KHOI_THU_MAT_KHAU"
UNIT = "Trung tâm Văn hóa, Thông tin và Thể thao huyện Yên Định"


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the built folder that nobody can write to, under a path with spaces and diacritics."""
    src = Path(DIST)
    assert (src / f"khoi{EXE}").is_file() and (src / f"khoiapp{EXE}").is_file(), f"no build in {src}"
    dest = tmp_path_factory.mktemp("Chương trình") / "Khối app"
    shutil.copytree(src, dest, symlinks=True)
    before = _snapshot(dest)
    entries = [dest, *(p for p in dest.rglob("*") if not p.is_symlink())]  # chattr refuses symlinks
    chattr = shutil.which("chattr") if os.geteuid() == 0 else None  # root ignores chmod

    def set_flag(flag: str) -> None:
        assert chattr is not None
        for i in range(0, len(entries), 200):
            subprocess.run([chattr, flag, *map(str, entries[i:i + 200])], check=True)

    if chattr:
        set_flag("+i")
    elif os.name == "nt":  # pragma: no cover - the Windows runner: deny writing to everyone
        subprocess.run(["icacls", str(dest), "/deny", "*S-1-1-0:(OI)(CI)(W,D,DC)", "/T", "/Q"], check=True)
    else:
        for d in entries:
            if d.is_dir():
                d.chmod(0o555)
    assert not os.access(dest, os.W_OK) or chattr, "the app folder is still writable"
    with pytest.raises(OSError):
        (dest / "ghi-thu.txt").write_text("x")
    try:
        yield dest
    finally:
        if chattr:
            set_flag("-i")
        elif os.name == "nt":  # pragma: no cover
            subprocess.run(["icacls", str(dest), "/remove:d", "*S-1-1-0", "/T", "/Q"], check=True)
        else:
            for d in entries:
                if d.is_dir():
                    d.chmod(0o755)
    assert _snapshot(dest) == before, "the built app wrote into its own folder"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("users") / "Lê Thị Hồng Nhung"
    (base / "Tài liệu").mkdir(parents=True)
    return base


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "KHOI_DATA_DIR", "KHOI_CONFIG_DIR")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"),
               APPDATA=str(home / "AppData" / "Roaming"), QT_QPA_PLATFORM="offscreen")
    env.update(extra)
    return env


def cli(app: Path, home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(app / f"khoiapp{EXE}"), *args], cwd=home / "Tài liệu", env=env or _env(home),
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def signed(app: Path, home: Path) -> dict[str, Path]:
    docs = home / "Tài liệu"
    doc = docs / "Hồ sơ 2026.khoi"
    r = cli(app, home, "demo", str(doc), "--year", "2026")
    assert r.returncode == 0, r.stderr
    env = _env(home, **{PASSWORD_ENV: "mật khẩu ký số 2026"})
    p12 = docs / "Chứng thư đơn vị.p12"
    r = cli(app, home, "cert", "new", "--unit", UNIT, "--out", str(p12), "--pass-env", PASSWORD_ENV, env=env)
    assert r.returncode == 0, r.stderr
    pem = docs / "Chứng thư đơn vị.pem"
    r = cli(app, home, "cert", "export", str(p12), "--out", str(pem), "--pass-env", PASSWORD_ENV, env=env)
    assert r.returncode == 0, r.stderr
    pdf = docs / "Hồ sơ 2026 đã ký.pdf"
    r = cli(app, home, "export", str(doc), "--year", "2026", "--out", str(pdf), "--sign-p12", str(p12),
            "--pass-env", PASSWORD_ENV, "--json", env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["signed"] is True
    return {"doc": doc, "pdf": pdf, "pem": pem}


def test_built_app_lists_the_bundled_frameworks(app: Path, home: Path) -> None:
    r = cli(app, home, "frameworks", "--json")
    assert r.returncode == 0, r.stderr
    assert {f["id"] for f in json.loads(r.stdout)} == {"tt08-co-quan-don-vi", "tt08-doanh-nghiep", "kieu-mau-thanh-hoa"}


def test_built_app_verifies_what_it_signed(app: Path, home: Path, signed: dict[str, Path]) -> None:
    r = cli(app, home, "verify", str(signed["pdf"]), "--trust", str(signed["pem"]), "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert report["verdict"] == "ok" and report["entire_file"] and report["attachments_ok"]
    assert report["signer"].startswith("Trung tâm Văn hóa, Thông tin và Thể thao")


def test_built_app_imports_the_signed_dossier(app: Path, home: Path, signed: dict[str, Path]) -> None:
    new = home / "Tài liệu" / "Hồ sơ 2027.khoi"
    r = cli(app, home, "import", str(signed["pdf"]), "--new", str(new), "--year", "2027", "--trust", str(signed["pem"]),
            "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli(app, home, "info", str(new), "--json")
    assert r.returncode == 0, r.stderr
    assert any(p["year"] == 2027 for p in json.loads(r.stdout)["periods"])


def test_built_app_signs_with_a_pkcs11_token(app: Path, home: Path, signed: dict[str, Path], pki: Pki,  # noqa: F811
                                             softhsm_token: SoftHsmToken) -> None:  # noqa: F811
    pdf = home / "Tài liệu" / "Hồ sơ ký bằng token.pdf"
    env = _env(home, SOFTHSM2_CONF=str(softhsm_token.conf), KHOI_THU_PIN=softhsm_token.pin)
    r = cli(app, home, "export", str(signed["doc"]), "--year", "2026", "--out", str(pdf), "--sign-pkcs11",
            softhsm_token.lib_path, "--token", softhsm_token.token_label, "--key", softhsm_token.key_label,
            "--pin-env", "KHOI_THU_PIN", env=env)
    assert r.returncode == 0, r.stderr
    r = cli(app, home, "verify", str(pdf), "--trust", str(pki.ca_pem), "--json", env=env)
    assert json.loads(r.stdout)["verdict"] == "ok", r.stdout


def _wait_for(proc: subprocess.Popen[str], ready: Path, deadline_s: float = 120, *also: Path) -> None:
    """Until ``ready`` (or one of ``also``) exists (a document's lock: the window opened it), or the app exits."""
    end = time.monotonic() + deadline_s
    while not any(p.exists() for p in (ready, *also)):
        try:
            proc.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            if time.monotonic() > end:
                proc.kill()
                pytest.fail(f"the window did not open {ready.name} in {deadline_s:.0f} s")
            continue
        out, err = proc.communicate()
        pytest.fail(f"the window exited ({proc.returncode}) before opening the file: {err}")


def _stop(proc: subprocess.Popen[str]) -> str:
    """Ask the app to stop as the system does at log-off; returns its stderr."""
    if os.name == "nt":  # pragma: no cover - no SIGTERM on Windows: TerminateProcess, not graceful
        proc.terminate()
    else:
        proc.send_signal(signal.SIGTERM)  # save, close the document (its lock), quit
    _out, err = proc.communicate(timeout=60)
    return err


GRACEFUL = os.name != "nt"


def test_built_window_opens_and_closes_a_document_given_as_argument(app: Path, home: Path,
                                                                    signed: dict[str, Path]) -> None:
    doc = signed["doc"]
    lock = locking.lock_path(doc)
    assert not lock.exists()
    proc = subprocess.Popen([str(app / f"khoi{EXE}"), str(doc)], cwd=home, env=_env(home), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for(proc, lock)
    err = _stop(proc)
    assert "Traceback" not in err
    if GRACEFUL:
        assert proc.returncode == 0, err
        assert not lock.exists()
    log = (home / "AppData" / "Roaming" / "Khoi" if os.name == "nt" else home / ".local" / "share" / "khoi") / "khoi.log"
    assert not log.exists() or "Traceback" not in log.read_text(encoding="utf-8")


def test_built_window_opens_a_dossier_for_checking(app: Path, home: Path, signed: dict[str, Path]) -> None:
    # The usual document (here the default one) is opened behind the check, so «Nhập hồ sơ này…»
    # has a target; the window does not ask for a new unit over the check.
    default = (home / "AppData" / "Roaming" / "Khoi" if os.name == "nt" else home / ".local" / "share" / "khoi") / "hoso.khoi"
    default.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(signed["doc"], default)
    env = _env(home, XDG_CONFIG_HOME=str(home / "cấu hình trống"))  # no recent files: the default opens
    lock = locking.lock_path(default)
    proc = subprocess.Popen([str(app / f"khoi{EXE}"), str(signed["pdf"])], cwd=home, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Windows keeps recent files in the registry (not in the test's folders): that one may open.
    _wait_for(proc, lock, 120, *([locking.lock_path(signed["doc"])] if os.name == "nt" else []))
    err = _stop(proc)
    assert "Traceback" not in err
    if GRACEFUL:
        assert proc.returncode == 0, err
        assert not lock.exists()


def test_built_app_bundles_its_resources_and_leaves_out_unused_qt(app: Path) -> None:
    from khoiapp.paths import REQUIRED_RESOURCES

    inside = app / "_internal" / "khoiapp"
    for rel in REQUIRED_RESOURCES:
        assert (inside / "resources" / rel).is_file(), rel
    assert (inside / "docs" / "user-guide.md").is_file()
    assert len(list((inside / "docs" / "screenshots").glob("*.png"))) >= 14
    assert (inside / "migrations" / "env.py").is_file()
    names = {p.name for p in (app / "_internal").rglob("*")}
    for unused in ("libQt6Qml.so.6", "libQt6Quick.so.6", "Qt6Qml.dll", "Qt6Quick.dll", "libqgtk3.so", "_avif"):
        assert not any(n.startswith(unused) for n in names), unused
    assert not any(n.startswith("libQt6WebEngine") or n.startswith("Qt6WebEngine") for n in names)
