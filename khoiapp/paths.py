"""Where resources, user data and configuration live.

Resources (criteria sets, fonts, schema, icons, translations, licences, the user guide) are read
through :mod:`importlib.resources` from the installed package (``khoiapp/resources`` and
``khoiapp/docs`` in a wheel or the built app), or from the checkout's top-level ``resources/`` and
``docs/`` folders when running from source. User files never go next to the program, which may be
read-only: see :mod:`khoiapp.platform`.
"""

from __future__ import annotations

import functools
from importlib import resources as _ilr
from pathlib import Path

from khoiapp import platform
from khoiapp.errors import ResourcesMissingError

_ROOT = Path(__file__).resolve().parent.parent

# What the app cannot start without, relative to the resources folder; the build checks each one.
REQUIRED_RESOURCES = (
    "frameworks/tt08-co-quan-don-vi.toml",
    "frameworks/tt08-doanh-nghiep.toml",
    "frameworks/kieu-mau-thanh-hoa.toml",
    "schema/khoi-dossier-1.schema.json",
    "fonts/LiberationSerif-Regular.ttf",
    "fonts/LiberationSerif-Bold.ttf",
    "fonts/LiberationSerif-Italic.ttf",
    "fonts/LiberationSerif-BoldItalic.ttf",
    "fonts/LiberationSerif-LICENSE.txt",
    "fonts/NotoSerif-Regular.ttf",
    "fonts/NotoSerif-Bold.ttf",
    "fonts/NotoSerif-OFL.txt",
    "icons/khoi.svg",
    "licenses/LGPL-3.0.txt",
    "licenses/GPL-3.0.txt",
    "licenses/THIRD-PARTY.md",
    "translations/khoi_vi.qm",
    "translations/qtbase_vi.qm",
    "linux/vn.khoi.Khoi.desktop",
    "linux/vn.khoi.Khoi.mime.xml",
)
REQUIRED_DOCS = ("user-guide.md",)
REQUIRED_MIGRATIONS = ("env.py", "script.py.mako", "versions")


def _package_folder(name: str) -> Path | None:
    """``khoiapp/<name>`` as a real folder of the installed package, if it is one."""
    try:
        root = _ilr.files("khoiapp") / name
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - khoiapp is always importable here
        return None
    if isinstance(root, Path) and root.is_dir():
        return root
    return None


def _locate(name: str, source_name: str) -> Path:
    packaged = _package_folder(name)
    if packaged is not None:
        return packaged
    source = _ROOT / source_name
    if source.is_dir() and (_ROOT / "pyproject.toml").is_file():
        return source
    raise ResourcesMissingError(f"{name}/")


@functools.lru_cache(maxsize=1)
def resources_dir() -> Path:
    """The bundled resources folder (fonts, frameworks, schema, icons, translations, licences)."""
    return _locate("resources", "resources")


@functools.lru_cache(maxsize=1)
def docs_dir() -> Path:
    """The user guide (``user-guide.md``) and its screenshots."""
    return _locate("docs", "docs")


def migrations_dir() -> Path:
    """Alembic's script folder (``env.py``, ``versions/``), shipped inside the package."""
    folder = _ilr.files("khoiapp") / "migrations"
    if not isinstance(folder, Path) or not (folder / "env.py").is_file():
        raise ResourcesMissingError("migrations/env.py")
    return folder


def missing_resources(resources: Path | None = None, docs: Path | None = None) -> list[str]:
    """Required files that are not there (empty when the installation is whole)."""
    res = resources if resources is not None else resources_dir()
    doc = docs if docs is not None else docs_dir()
    missing = [f"resources/{r}" for r in REQUIRED_RESOURCES if not (res / r).is_file()]
    missing += [f"docs/{d}" for d in REQUIRED_DOCS if not (doc / d).is_file()]
    return missing


def config_dir() -> Path:
    """App configuration (trusted certificates, limits). ``KHOI_CONFIG_DIR`` overrides it."""
    return platform.config_dir()


def user_data_dir() -> Path:
    """Where the default document lives. ``KHOI_DATA_DIR`` overrides it."""
    return platform.data_dir()


def default_document_path() -> Path:
    return user_data_dir() / "hoso.khoi"


def log_path() -> Path:
    return user_data_dir() / "khoi.log"
