"""What the built app needs from the source tree; the spec stops the build when any of it is missing."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def missing_files(root: Path = ROOT) -> list[str]:
    """Required resources, guide pictures and migrations absent from ``root`` (relative paths)."""
    sys.path.insert(0, str(root))
    try:
        from khoiapp.paths import REQUIRED_DOCS, REQUIRED_MIGRATIONS, REQUIRED_RESOURCES
    finally:
        sys.path.pop(0)
    resources, docs, migrations = root / "resources", root / "docs", root / "khoiapp" / "migrations"
    missing = [f"resources/{r}" for r in REQUIRED_RESOURCES if not (resources / r).is_file()]
    missing += [f"docs/{d}" for d in REQUIRED_DOCS if not (docs / d).is_file()]
    missing += [f"khoiapp/migrations/{m}" for m in REQUIRED_MIGRATIONS if not (migrations / m).exists()]
    guide = docs / "user-guide.md"
    if guide.is_file():
        pictures = re.findall(r"\]\((screenshots/[^)\s]+\.png)\)", guide.read_text(encoding="utf-8"))
        missing += [f"docs/{p}" for p in pictures if not (docs / p).is_file()]
    if not list((resources / "frameworks").glob("*.toml")):
        missing.append("resources/frameworks/*.toml")
    if not list((migrations / "versions").glob("*.py")):
        missing.append("khoiapp/migrations/versions/*.py")
    return missing


if __name__ == "__main__":
    gone = missing_files()
    for m in gone:
        print(f"thiếu: {m}")
    raise SystemExit(1 if gone else 0)
