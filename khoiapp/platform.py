"""Everything that differs between Windows and Linux (and macOS): folders, the system viewer, token drivers.

Each function asks :func:`system` which branch to take, so tests run the Windows branches on Linux by
monkeypatching it (and the environment) instead of needing a Windows machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Literal

from khoiapp.errors import KhoiError

System = Literal["windows", "linux", "macos"]

APP_FOLDER_WINDOWS = "Khoi"  # folder names stay ASCII: some token drivers and old tools choke on "Khối"
APP_FOLDER_POSIX = "khoi"


class OpenFileError(KhoiError):
    """The system has no program to show a file, or it refused to start."""

    def __init__(self, path: object, reason: str = "") -> None:
        why = f" ({reason})" if reason else ""
        super().__init__(
            f"Không mở được tệp «{path}» bằng chương trình mặc định của máy{why}. "
            "Hãy mở thư mục chứa tệp rồi mở tệp bằng chương trình xem PDF hoặc ảnh đã cài trên máy."
        )


def system() -> System:
    """The running operating system, as one of three words."""
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def is_frozen() -> bool:
    """True inside the built app (PyInstaller), False from a source checkout or an installed wheel."""
    return bool(getattr(sys, "frozen", False))


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else None


def _roaming() -> Path:
    """``%APPDATA%`` (per-user, roams with the profile), or its usual place under the profile."""
    return _env_path("APPDATA") or Path.home() / "AppData" / "Roaming"


def _local() -> Path:
    """``%LOCALAPPDATA%`` (per-user, this machine only)."""
    return _env_path("LOCALAPPDATA") or Path.home() / "AppData" / "Local"


def config_dir() -> Path:
    """App configuration (trusted certificates, settings). ``KHOI_CONFIG_DIR`` overrides it.

    Windows: ``%APPDATA%\\Khoi``; macOS: ``~/Library/Application Support/Khoi``; Linux:
    ``$XDG_CONFIG_HOME/khoi`` (``~/.config/khoi``). Never the program's own folder, which may be
    read-only (``Program Files``, a USB stick).
    """
    override = _env_path("KHOI_CONFIG_DIR")
    if override is not None:
        return override
    sysname = system()
    if sysname == "windows":
        return _roaming() / APP_FOLDER_WINDOWS
    if sysname == "macos":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER_WINDOWS
    return (_env_path("XDG_CONFIG_HOME") or Path.home() / ".config") / APP_FOLDER_POSIX


def data_dir() -> Path:
    """Where the default document, backups of settings and the log live. ``KHOI_DATA_DIR`` overrides it.

    Windows: ``%APPDATA%\\Khoi`` (the uninstaller leaves it alone, so documents survive a reinstall);
    macOS: ``~/Library/Application Support/Khoi``; Linux: ``$XDG_DATA_HOME/khoi``.
    """
    override = _env_path("KHOI_DATA_DIR")
    if override is not None:
        return override
    sysname = system()
    if sysname == "windows":
        return _roaming() / APP_FOLDER_WINDOWS
    if sysname == "macos":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER_WINDOWS
    return (_env_path("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP_FOLDER_POSIX


def documents_dir() -> Path:
    """The user's own documents folder (where «Lưu thành» starts when nothing else is known)."""
    if system() == "linux":
        xdg = _env_path("XDG_DOCUMENTS_DIR")
        if xdg is not None:
            return xdg
    docs = Path.home() / "Documents"
    return docs if docs.is_dir() else Path.home()


def open_command(path: str | Path) -> list[str] | None:
    """The command that shows ``path`` in the system's default program (None on Windows: ``os.startfile``)."""
    sysname = system()
    if sysname == "windows":
        return None
    if sysname == "macos":
        return ["open", str(path)]
    return [shutil.which("xdg-open") or "xdg-open", str(path)]


def open_with_system_viewer(path: str | Path) -> None:
    """Show a file (a PDF, a photo) in the program the user chose for it; raises :class:`OpenFileError`.

    Returns at once: the viewer is a separate process that the app does not wait for.
    """
    target = Path(path)
    if not target.exists():
        raise OpenFileError(target, "tệp không còn ở đó")
    cmd = open_command(target)
    try:
        if cmd is None:
            startfile = getattr(os, "startfile")  # Windows only
            startfile(str(target))
            return
        subprocess.Popen(  # noqa: S603 - a fixed program and one path argument, no shell
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except (OSError, AttributeError) as exc:
        raise OpenFileError(target, getattr(exc, "strerror", None) or str(exc)) from None


def _pkcs11_candidates() -> list[tuple[Path, int]]:
    """(folder, how many levels below it to look) for this system, most likely first."""
    sysname = system()
    if sysname == "windows":
        windir = _env_path("SystemRoot") or _env_path("WINDIR") or Path("C:/Windows")
        out = [(windir / "System32", 0), (windir / "SysWOW64", 0)]
        for var, fallback in (("ProgramFiles", "C:/Program Files"), ("ProgramFiles(x86)", "C:/Program Files (x86)")):
            out.append((_env_path(var) or Path(fallback), 2))  # Program Files\Vendor\bin\x.dll
        out += [(_local() / "Programs", 2), (_local(), 1), (_roaming(), 1)]
        return out
    if sysname == "macos":
        return [(Path(p), 1) for p in ("/Library/OpenSC/lib", "/usr/local/lib", "/opt/homebrew/lib", "/usr/lib")]
    out = []
    for base in ("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"):
        out += [(Path(base), 0), (Path(base) / "pkcs11", 0)]
    out += [(Path("/usr/lib/softhsm"), 0), (Path("/opt"), 2)]
    return out


def pkcs11_search_dirs() -> tuple[Path, ...]:
    """Folders where token vendors install their PKCS#11 module (``.dll``/``.so``), most likely first.

    Windows: ``System32`` (64-bit drivers; the app is 64-bit), ``SysWOW64`` (drivers some vendors
    install only there), ``Program Files`` and ``Program Files (x86)`` (searched two levels deep by
    :func:`find_pkcs11_modules`), and the user's ``AppData`` for per-user installs. Linux: the
    distribution's library folders and their ``pkcs11`` subfolders, SoftHSM's and ``/opt``.
    Folders that do not exist are left out.
    """
    found: list[Path] = []
    for folder, _depth in _pkcs11_candidates():
        if folder not in found and folder.is_dir():
            found.append(folder)
    return tuple(found)


def pkcs11_module_suffixes() -> tuple[str, ...]:
    """File endings of a PKCS#11 module on this system."""
    sysname = system()
    if sysname == "windows":
        return (".dll",)
    if sysname == "macos":
        return (".dylib", ".so")
    return (".so",)


PKCS11_NAME_HINTS = ("pkcs11", "p11", "csp11", "softhsm", "etoken", "etpkcs", "bkavcsp")


def find_pkcs11_modules() -> tuple[Path, ...]:
    """Candidate token modules in :func:`pkcs11_search_dirs`, by name only (nothing is loaded).

    A name counts when it has the system's suffix and one of :data:`PKCS11_NAME_HINTS`; system
    folders are looked at one level only, vendor folders a little deeper.
    """
    suffixes = pkcs11_module_suffixes()
    out: list[Path] = []
    seen: set[Path] = set()
    for root, max_depth in _pkcs11_candidates():
        if root in seen or not root.is_dir():
            continue
        seen.add(root)
        stack: list[tuple[Path, int]] = [(root, 0)]
        while stack:
            folder, depth = stack.pop()
            try:
                entries = sorted(folder.iterdir())
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.is_dir():
                        if depth < max_depth and not entry.is_symlink():
                            stack.append((entry, depth + 1))
                        continue
                except OSError:
                    continue
                name = entry.name.lower()
                if name.endswith(suffixes) and any(h in name for h in PKCS11_NAME_HINTS) and entry not in out:
                    out.append(entry)
    return tuple(out)


def desktop_file_name() -> str:
    """The Linux launcher's file name (``share/applications``); also the app id for window managers."""
    return "vn.khoi.Khoi.desktop"
