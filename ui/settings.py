"""The window's own preferences (recent files, last folder, geometry), declared once.

Document data never goes here. Settings shared with the CLI (evidence size limit, place name,
interface scale) live in :mod:`khoiapp.appconfig`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from khoiapp.paths import config_dir

T = TypeVar("T")

MAX_RECENT = 8


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    type: type
    default: T


RECENT_FILES: Option[list[str]] = Option("tep/gan_day", list, [])
LAST_FOLDER: Option[str] = Option("tep/thu_muc_gan_nhat", str, "")
WINDOW_GEOMETRY: Option[QByteArray] = Option("cua_so/kich_thuoc", QByteArray, QByteArray())
WINDOW_STATE: Option[QByteArray] = Option("cua_so/trang_thai", QByteArray, QByteArray())
CHECKLIST_SPLITTER: Option[QByteArray] = Option("tieu_chi/chia_khung", QByteArray, QByteArray())
LAST_PAGE: Option[int] = Option("cua_so/trang", int, 0)
EVIDENCE_FOLDER: Option[str] = Option("minh_chung/thu_muc_gan_nhat", str, "")  # where evidence was last picked
DOSSIER_FOLDER: Option[str] = Option("ho_so/thu_muc_gan_nhat", str, "")  # where a dossier PDF was last picked
# «Tổng hợp khối»: "round" (half up, 62/121 → 51,24 %) or "truncate" (as the bloc's report: 51,23 %)
BLOC_PERCENT_RULE: Option[str] = Option("tong_hop_khoi/cach_tinh_ty_le", str, "round")


def settings_path() -> Path:
    return config_dir() / "cuaso.ini"


def qsettings() -> QSettings:
    """An INI file next to the app config, so ``KHOI_CONFIG_DIR`` moves both (tests, portable use)."""
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def get(opt: Option[T]) -> T:
    s = qsettings()
    raw: Any = s.value(opt.key, None)
    if raw is None:
        return opt.default
    if opt.type is list:
        if isinstance(raw, str):
            return [raw] if raw else []  # type: ignore[return-value]
        return [str(x) for x in raw]  # type: ignore[return-value]
    if opt.type is int:
        try:
            return int(raw)  # type: ignore[return-value]
        except (TypeError, ValueError):
            return opt.default
    if opt.type is QByteArray:
        return raw if isinstance(raw, QByteArray) else opt.default  # type: ignore[return-value]
    return opt.type(raw)  # type: ignore[no-any-return]


def put(opt: Option[T], value: T) -> None:
    s = qsettings()
    s.setValue(opt.key, value)
    s.sync()


def recent_files() -> list[str]:
    return [p for p in get(RECENT_FILES) if p]


def add_recent_file(path: str | Path) -> list[str]:
    p = str(Path(path).resolve())
    files = [p] + [f for f in recent_files() if f != p]
    files = files[:MAX_RECENT]
    put(RECENT_FILES, files)
    return files


def remove_recent_file(path: str | Path) -> None:
    p = str(Path(path).resolve())
    put(RECENT_FILES, [f for f in recent_files() if f != p])


def clear_recent_files() -> None:
    put(RECENT_FILES, [])


def documents_folder() -> Path:
    """The user's Documents folder (home when there is none)."""
    loc = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    p = Path(loc) if loc else Path.home()
    return p if p.is_dir() else Path.home()


def start_folder(opt: Option[str]) -> str:
    """Where a file dialog opens: the folder last used for this kind of file, else Documents —
    never the program's own folder."""
    last = get(opt)
    if last and Path(last).is_dir():
        return last
    return str(documents_folder())


def remember_folder(opt: Option[str], chosen: str | Path) -> None:
    """Remember the folder of ``chosen`` (a file or a folder) for the next dialog of its kind."""
    p = Path(chosen)
    put(opt, str(p if p.is_dir() else p.parent))
