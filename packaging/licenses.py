"""Write resources/licenses/: the licence texts of everything the built app bundles.

    python packaging/licenses.py

Run it after changing constraints.txt (a test compares THIRD-PARTY.md with the installed
versions). Texts come from each package's metadata; PySide6/Qt (LGPL-3.0, which refers to the
GPL-3.0) and Apache-2.0 come from the system's common licence folder when the package ships none.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "licenses"
COMMON = Path("/usr/share/common-licenses")

# Licence names where a package's metadata does not say it in a usable way.
KNOWN = {
    "pyside6": "LGPL-3.0-only (Qt for Python; Qt libraries under LGPL-3.0)",
    "pyside6-essentials": "LGPL-3.0-only",
    "pyside6-addons": "LGPL-3.0-only",
    "shiboken6": "LGPL-3.0-only",
    "python-pkcs11": "MIT",
    "oscrypto": "MIT",
    "asn1crypto": "MIT",
    "sortedcontainers": "Apache-2.0",
}
SHARED_TEXTS = {"LGPL-3.0.txt": "LGPL-3", "GPL-3.0.txt": "GPL-3", "Apache-2.0.txt": "Apache-2.0"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions(root: str = "khoiapp") -> list[metadata.Distribution]:
    """khoiapp's dependencies, recursively, without extras (what the built app bundles)."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for req in dist.requires or []:
            if "extra ==" in req and not ("pkcs11" in req and name.lower() == "pyhanko"):
                continue
            dep = re.split(r"[\s;<>=!~\[(]", req, maxsplit=1)[0]
            if _norm(dep) not in seen and _norm(dep) != _norm(root):
                todo.append(dep)
        if _norm(name) != _norm(root):
            seen[_norm(name)] = dist
    return [seen[k] for k in sorted(seen)]


def _license_name(dist: metadata.Distribution) -> str:
    key = _norm(dist.metadata["Name"])
    if key in KNOWN:
        return KNOWN[key]
    expr = dist.metadata.get("License-Expression")
    if expr:
        return expr
    classifiers = [c.split("::")[-1].strip() for c in dist.metadata.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return "; ".join(classifiers)
    lic = (dist.metadata.get("License") or "").strip()
    return lic.splitlines()[0] if lic else "xem tệp giấy phép kèm theo"


def _license_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    out = []
    for f in dist.files or []:
        name = f.name.upper()
        if ".DIST-INFO" in str(f).upper() and any(k in name for k in ("LICEN", "COPYING", "NOTICE")):
            try:
                out.append((f.name, Path(str(f.locate())).read_text(encoding="utf-8", errors="replace")))
            except OSError:
                continue
    return out


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for target, source in SHARED_TEXTS.items():
        src = COMMON / source
        if src.exists():
            (OUT / target).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        elif not (OUT / target).exists():
            print(f"thiếu {src}", file=sys.stderr)
            return 1
    lines = [
        "# Giấy phép của các thành phần đi kèm Khối",
        "",
        "Khối dùng giấy phép MIT (tệp LICENSE). Bản cài đặt của Khối có kèm các thành phần dưới đây,",
        "mỗi thành phần theo giấy phép của nó; toàn văn giấy phép nằm ngay trong tệp này hoặc trong các",
        "tệp cùng thư mục (LGPL-3.0.txt, GPL-3.0.txt, Apache-2.0.txt). Qt và PySide6 được dùng theo",
        "LGPL-3.0 dưới dạng thư viện liên kết động: có thể thay bằng bản Qt/PySide6 khác cùng phiên bản",
        "chính trong thư mục chương trình. Phông chữ Liberation Serif và Noto Serif theo SIL Open Font",
        "License 1.1 (toàn văn trong thư mục fonts).",
        "",
        "| Thành phần | Phiên bản | Giấy phép |",
        "| --- | --- | --- |",
        f"| Python | {sys.version.split()[0]} | PSF-2.0 |",
    ]
    dists = runtime_distributions()
    for d in dists:
        lines.append(f"| {d.metadata['Name']} | {d.version} | {_license_name(d)} |")
    lines += ["| Liberation Serif (phông chữ) | 2.x | OFL-1.1 |", "| Noto Serif (phông chữ) | 2.x | OFL-1.1 |", ""]
    for d in dists:
        texts = _license_files(d)
        if not texts:
            continue
        lines += [f"## {d.metadata['Name']} {d.version}", ""]
        for fname, text in texts:
            lines += [f"### {fname}", "", "```", text.rstrip(), "```", ""]
    (OUT / "THIRD-PARTY.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(dists)} thành phần")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
