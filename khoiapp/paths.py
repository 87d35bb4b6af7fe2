"""Where resources, user data and configuration live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The bundled ``resources/`` folder (fonts, frameworks, schema, icons)."""
    return _ROOT / "resources"


def _home_subdir(env: str, windows_env: str, posix_default: str) -> Path:
    if sys.platform.startswith("win"):
        base = os.environ.get(windows_env) or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "Khoi"
    base = os.environ.get(env) or str(Path.home() / posix_default)
    return Path(base) / "khoi"


def config_dir() -> Path:
    """App configuration (trusted certificates, limits). ``KHOI_CONFIG_DIR`` overrides it."""
    override = os.environ.get("KHOI_CONFIG_DIR")
    if override:
        return Path(override)
    return _home_subdir("XDG_CONFIG_HOME", "APPDATA", ".config")


def user_data_dir() -> Path:
    """Where the default document lives. ``KHOI_DATA_DIR`` overrides it."""
    override = os.environ.get("KHOI_DATA_DIR")
    if override:
        return Path(override)
    return _home_subdir("XDG_DATA_HOME", "APPDATA", ".local/share")


def default_document_path() -> Path:
    return user_data_dir() / "hoso.khoi"


def log_path() -> Path:
    return user_data_dir() / "khoi.log"
