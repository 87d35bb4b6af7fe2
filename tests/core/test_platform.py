"""khoiapp.platform: the Linux branch for real, the Windows branches through a monkeypatched system()."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from khoiapp import paths, platform


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Pretend to be Windows with a profile whose name has Vietnamese letters and spaces."""
    profile = tmp_path / "Users" / "Nguyễn Thị Hoa"
    roaming = profile / "AppData" / "Roaming"
    local = profile / "AppData" / "Local"
    windir = tmp_path / "Windows"
    for d in (roaming, local, windir / "System32", windir / "SysWOW64"):
        d.mkdir(parents=True)
    monkeypatch.setattr(platform, "system", lambda: "windows")
    monkeypatch.delenv("KHOI_DATA_DIR", raising=False)
    monkeypatch.delenv("KHOI_CONFIG_DIR", raising=False)
    monkeypatch.setenv("APPDATA", str(roaming))
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    monkeypatch.setenv("SystemRoot", str(windir))
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    monkeypatch.setenv("ProgramFiles(x86)", str(tmp_path / "Program Files (x86)"))
    return profile


def test_linux_folders_follow_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KHOI_DATA_DIR", raising=False)
    monkeypatch.delenv("KHOI_CONFIG_DIR", raising=False)
    monkeypatch.setattr(platform, "system", lambda: "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cấu hình"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "dữ liệu"))
    assert platform.config_dir() == tmp_path / "cấu hình" / "khoi"
    assert platform.data_dir() == tmp_path / "dữ liệu" / "khoi"
    assert paths.default_document_path() == tmp_path / "dữ liệu" / "khoi" / "hoso.khoi"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert platform.data_dir() == tmp_path / "home" / ".local" / "share" / "khoi"


def test_windows_folders_are_in_the_roaming_profile(windows: Path) -> None:
    assert platform.config_dir() == windows / "AppData" / "Roaming" / "Khoi"
    assert platform.data_dir() == windows / "AppData" / "Roaming" / "Khoi"
    assert paths.log_path() == windows / "AppData" / "Roaming" / "Khoi" / "khoi.log"


def test_windows_without_appdata_uses_the_profile(windows: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APPDATA")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: windows))
    assert platform.data_dir() == windows / "AppData" / "Roaming" / "Khoi"


def test_overrides_win_on_every_system(windows: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KHOI_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("KHOI_CONFIG_DIR", str(tmp_path / "c"))
    assert platform.data_dir() == tmp_path / "d"
    assert platform.config_dir() == tmp_path / "c"


def test_user_folders_with_vietnamese_names_can_be_written(windows: Path) -> None:
    from khoiapp import appconfig

    appconfig.update(place_name="Thanh Hóa")
    assert appconfig.load().place_name == "Thanh Hóa"
    assert (windows / "AppData" / "Roaming" / "Khoi" / "caidat.json").is_file()


def test_windows_pkcs11_dirs_and_modules(windows: Path, tmp_path: Path) -> None:
    windir = tmp_path / "Windows"
    (windir / "System32" / "vnptca_p11_v8.dll").write_bytes(b"MZ")
    (windir / "System32" / "kernel32.dll").write_bytes(b"MZ")
    (windir / "SysWOW64" / "ShuttleCsp11_3003.dll").write_bytes(b"MZ")
    vendor = tmp_path / "Program Files" / "Viettel-CA" / "bin"
    vendor.mkdir(parents=True)
    (vendor / "viettel-ca_v6_pkcs11.dll").write_bytes(b"MZ")
    too_deep = tmp_path / "Program Files" / "A" / "B" / "C"
    too_deep.mkdir(parents=True)
    (too_deep / "deep_pkcs11.dll").write_bytes(b"MZ")
    per_user = windows / "AppData" / "Local" / "Programs" / "BkavCA"
    per_user.mkdir(parents=True)
    (per_user / "bkavcsp.dll").write_bytes(b"MZ")

    dirs = platform.pkcs11_search_dirs()
    assert dirs[:2] == (windir / "System32", windir / "SysWOW64")
    assert tmp_path / "Program Files" in dirs
    assert tmp_path / "Program Files (x86)" not in dirs  # not there: left out
    assert windows / "AppData" / "Local" / "Programs" in dirs

    found = platform.find_pkcs11_modules()
    names = [p.name for p in found]
    assert names[:2] == ["vnptca_p11_v8.dll", "ShuttleCsp11_3003.dll"]
    assert "viettel-ca_v6_pkcs11.dll" in names and "bkavcsp.dll" in names
    assert "kernel32.dll" not in names and "deep_pkcs11.dll" not in names


def test_linux_pkcs11_dirs_exist_and_softhsm_is_found() -> None:
    dirs = platform.pkcs11_search_dirs()
    assert all(d.is_dir() for d in dirs)
    assert Path("/usr/lib") in dirs
    if Path("/usr/lib/softhsm/libsofthsm2.so").exists():
        assert Path("/usr/lib/softhsm/libsofthsm2.so") in platform.find_pkcs11_modules()
    assert platform.pkcs11_module_suffixes() == (".so",)


def test_windows_opens_files_with_startfile(windows: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    opened: list[str] = []
    monkeypatch.setattr(os, "startfile", opened.append, raising=False)
    pdf = tmp_path / "Hồ sơ 2026.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    platform.open_with_system_viewer(pdf)
    assert opened == [str(pdf)]


def test_windows_startfile_failure_is_a_vietnamese_error(windows: Path, monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    def fail(_path: str) -> None:
        raise OSError(1155, "No application is associated with the specified file")

    monkeypatch.setattr(os, "startfile", fail, raising=False)
    photo = tmp_path / "ảnh.heic"
    photo.write_bytes(b"x")
    with pytest.raises(platform.OpenFileError) as exc:
        platform.open_with_system_viewer(photo)
    assert "Không mở được tệp" in exc.value.message and "ảnh.heic" in exc.value.message


def test_linux_opens_files_with_xdg_open_without_waiting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[tuple[list[str], dict[str, object]]] = []

    class FakePopen:
        def __init__(self, cmd: list[str], **kw: object) -> None:
            calls.append((cmd, kw))

    monkeypatch.setattr(platform, "system", lambda: "linux")
    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    pdf = tmp_path / "Hồ sơ có dấu cách.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    platform.open_with_system_viewer(pdf)
    (cmd, kw), = calls
    assert cmd[0].endswith("xdg-open") and cmd[1] == str(pdf)
    assert kw["start_new_session"] is True


def test_opening_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(platform.OpenFileError) as exc:
        platform.open_with_system_viewer(tmp_path / "không có.pdf")
    assert "không còn ở đó" in exc.value.message


def test_source_checkout_resources_are_found() -> None:
    assert (paths.resources_dir() / "frameworks").is_dir()
    assert (paths.docs_dir() / "user-guide.md").is_file()
    assert (paths.migrations_dir() / "env.py").is_file()
    assert paths.missing_resources() == []
