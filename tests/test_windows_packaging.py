"""What can be checked here of the Windows packaging: the icon, the installer script, the CI workflow.

The installer itself is built and tried by the Windows workflow (.github/workflows/windows.yml).
"""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
WIN = ROOT / "packaging" / "windows"


def test_icon_is_a_valid_ico_with_every_size_windows_asks_for() -> None:
    with Image.open(WIN / "khoi.ico") as im:
        assert im.format == "ICO"
        sizes = set(im.info["sizes"])
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes
        for size in ((16, 16), (256, 256)):
            im.size = size
            im.load()
            rgba = im.convert("RGBA")
            assert rgba.size == size
            r, g, b, a = rgba.getpixel((size[0] // 5, size[1] // 2))  # the red tile, not transparent
            assert a == 255 and r > 150 and g < 80


def _iss() -> str:
    return (WIN / "khoi.iss").read_text(encoding="utf-8")


def test_installer_is_per_user_without_admin_rights() -> None:
    text = _iss()
    assert re.search(r"^PrivilegesRequired=lowest$", text, re.M)
    assert re.search(r"^DefaultDirName=\{autopf\}\\Khoi$", text, re.M)  # %LOCALAPPDATA%\Programs when per user
    assert "{autoprograms}\\{#AppName}" in text  # Start-menu entry


def test_installer_associates_khoi_documents_for_this_user() -> None:
    text = _iss()
    assert "ChangesAssociations=yes" in text
    assert 'Root: HKA; Subkey: "Software\\Classes\\.khoi"; ValueType: string; ValueName: ""; ValueData: "Khoi.Document"' in text
    assert 'Subkey: "Software\\Classes\\Khoi.Document\\shell\\open\\command"' in text
    assert '"""{app}\\khoi.exe"" ""%1"""' in text
    assert "HKLM" not in text and "HKCR" not in text  # nothing machine-wide


def test_uninstall_keeps_the_users_documents() -> None:
    text = _iss()
    section = text.split("[UninstallDelete]", 1)[1]
    assert "{userappdata}" not in section and "{userdocs}" not in section and "{localappdata}" not in section
    assert "{userappdata}" not in text.split("[Files]", 1)[1].split("[Icons]", 1)[0]


def test_installer_packs_the_folder_the_spec_builds() -> None:
    spec = (ROOT / "packaging" / "khoi.spec").read_text(encoding="utf-8")
    assert 'name="Khoi")' in spec and 'name="khoi"' in spec and 'name="khoiapp"' in spec
    assert '#define SourceDir "..\\..\\dist\\Khoi"' in _iss()
    assert "SetupIconFile=khoi.ico" in _iss()


def test_windows_workflow_builds_installs_and_smoke_tests() -> None:
    wf = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")
    assert "runs-on: windows-latest" in wf
    assert "packaging/khoi.spec" in wf and "python -m pytest -q tests/dist" in wf
    assert "ISCC.exe" in wf and "packaging\\windows\\khoi.iss" in wf
    assert "/CURRENTUSER" in wf
