"""Collect the window's strings into resources/translations/khoi_vi.ts (pyside6-lupdate) and compile khoi_vi.qm.

    python packaging/translations.py          # update the .ts and compile both catalogues
    python packaging/translations.py --check  # exit 1 when the .ts lacks a string of the code
    python packaging/translations.py --compile  # only .ts → .qm (make dist)

The sources are written in Vietnamese, so a new string's translation starts as its own text; a
wording changed in the .ts (by someone who does not touch the code) is kept on the next update.
lupdate finds ``self.tr()`` and ``QCoreApplication.translate()``; the modules' ``_tr()`` helpers
(``def _tr(text): return QCoreApplication.translate("Context", text)``) are handed to it as
``QT_TRANSLATE_NOOP`` lines, so every string gets the context it is looked up with at run time.
Qt's own strings (qtbase_vi.ts, the project's catalogue for stock dialogs) are compiled too.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
APP_TS = TS_DIR / "khoi_vi.ts"
QT_TS = TS_DIR / "qtbase_vi.ts"


def _tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease next to this Python, else on PATH."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} không có: hãy cài PySide6 (pip install -c constraints.txt PySide6)")
    return found


def ui_sources() -> list[Path]:
    return sorted(p for p in (ROOT / "ui").rglob("*.py") if "__pycache__" not in p.parts)


def _helper_context(tree: ast.Module) -> str | None:
    """The context of a module-level ``_tr`` helper, if the module has one."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "_tr":
            for sub in ast.walk(node):
                if (
                    isinstance(sub, ast.Call)
                    and isinstance(sub.func, ast.Attribute)
                    and sub.func.attr == "translate"
                    and sub.args
                    and isinstance(sub.args[0], ast.Constant)
                    and isinstance(sub.args[0].value, str)
                ):
                    return sub.args[0].value
    return None


def helper_strings(sources: list[Path]) -> list[tuple[str, str]]:
    """(context, text) of every ``_tr("literal")`` call in modules with a ``_tr`` helper."""
    out: list[tuple[str, str]] = []
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        ctx = _helper_context(tree)
        if ctx is None:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                out.append((ctx, node.args[0].value))
    return out


def _noop_module(strings: list[tuple[str, str]]) -> str:
    lines = ["# Generated for pyside6-lupdate: the _tr() strings with their contexts.", "from PySide6.QtCore import QT_TRANSLATE_NOOP", ""]
    lines += [f"QT_TRANSLATE_NOOP({ctx!r}, {text!r})" for ctx, text in strings]
    return "\n".join(lines) + "\n"


def _existing(ts: Path) -> dict[tuple[str, str], str]:
    if not ts.exists():
        return {}
    kept: dict[tuple[str, str], str] = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.text and tr.get("type") not in ("unfinished", "obsolete", "vanished"):
                kept[(name, msg.findtext("source") or "")] = tr.text
    return kept


def collect(target: Path) -> None:
    """Run lupdate into ``target`` and fill every translation (kept wording, else the source)."""
    kept = _existing(target)
    sources = ui_sources()
    with tempfile.TemporaryDirectory() as tmp:
        noop = Path(tmp) / "tr_helpers.py"
        noop.write_text(_noop_module(helper_strings(sources)), encoding="utf-8")
        work = Path(tmp) / "khoi_vi.ts"
        subprocess.run(
            [_tool("pyside6-lupdate"), *map(str, sources), str(noop), "-source-language", "vi_VN",
             "-target-language", "vi_VN", "-no-obsolete", "-locations", "none", "-ts", str(work)],
            check=True, stdout=subprocess.DEVNULL,
        )
        tree = ET.parse(work)
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source = msg.findtext("source") or ""
            tr = msg.find("translation")
            if tr is None:
                tr = ET.SubElement(msg, "translation")
            tr.text = kept.get((name, source), source)
            tr.attrib.pop("type", None)
    ET.indent(tree, space="    ")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as fh:
        fh.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(fh, encoding="utf-8", xml_declaration=False)
        fh.write(b"\n")


def messages(ts: Path) -> set[tuple[str, str]]:
    return {
        (ctx.findtext("name") or "", msg.findtext("source") or "")
        for ctx in ET.parse(ts).getroot().iter("context")
        for msg in ctx.iter("message")
    }


def compile_catalogues(out_dir: Path = TS_DIR) -> list[Path]:
    """lrelease every .ts in resources/translations into ``out_dir``; returns the .qm files."""
    out: list[Path] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for ts in sorted(TS_DIR.glob("*.ts")):
        qm = out_dir / (ts.stem + ".qm")
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        out.append(qm)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare the .ts with the code")
    ap.add_argument("--compile", action="store_true", help="only compile the .ts files into .qm (make dist)")
    args = ap.parse_args(argv)
    if args.compile:
        for qm in compile_catalogues():
            print(qm.relative_to(ROOT))
        return 0
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "khoi_vi.ts"
            collect(fresh)
            missing = messages(fresh) - messages(APP_TS)
        for ctx, text in sorted(missing):
            print(f"chưa có trong {APP_TS.name}: [{ctx}] {text}")
        return 1 if missing else 0
    collect(APP_TS)
    for qm in compile_catalogues():
        print(qm.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
