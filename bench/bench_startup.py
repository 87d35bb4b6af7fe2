"""Benchmark: start-up of the window and the CLI, beside a bare interpreter and a hello-world window.

Rows: ``python -c pass`` (the floor of any Python program), a hello-world Qt window (the floor of
any window), ``khoiapp --help``, ``khoiapp info demo.khoi``, and the main window on the demo
document until it is shown.

Each run is a fresh ``python -c`` process (offscreen Qt, throwaway data and config folders):
import ``ui.app``, create the application, build ``MainWindow``, open the demo document, show it
and let Qt paint once. The time is from spawning the process to the child's "shown" line
(interpreter start and imports included); the child also reports its own phases.

Run alone: ``python bench/bench_startup.py [--json] [--repeat N]``; ``bench/run.py`` runs it with
``--json`` and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import os, sys, time, json
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from ui.app import create_application
from ui.main_window import MainWindow
t_import = time.perf_counter()
app = create_application(["khoi"])
from ui import tasks
tasks.set_pool_override(tasks.SyncPool())  # open synchronously: "shown" means the document is in
w = MainWindow()
w.resize(1366, 768)
w.show()
w.start({doc!r})
app.processEvents()
w.repaint()
assert w.ctx.doc is not None
t_shown = time.perf_counter()
print("SHOWN " + json.dumps({{"imports": t_import - t0, "window": t_shown - t_import}}), flush=True)
os._exit(0)
"""


def one_run(doc: Path, home: Path) -> dict[str, float]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        KHOI_DATA_DIR=str(home / "data"),
        KHOI_CONFIG_DIR=str(home / "config"),
    )
    code = CHILD.format(root=str(ROOT), doc=str(doc))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    phases: dict[str, float] = {}
    total = None
    for line in proc.stdout:
        if line.startswith("SHOWN "):
            total = time.perf_counter() - start
            phases = json.loads(line[6:])
            break
    proc.wait()
    if total is None:
        err = proc.stderr.read() if proc.stderr else ""
        raise SystemExit(f"the window did not start:\n{err}")
    return {"total": total, **phases}


HELLO = r"""
import os, sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(["hello"])
w = QLabel("Xin chào")
w.show()
app.processEvents()
print("SHOWN", flush=True)
os._exit(0)
"""


def timed(args: list[str], env: dict[str, str], until: str | None = None) -> float:
    """Wall time of a child process (until it prints ``until``, or exits)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True, cwd=ROOT)
    assert proc.stdout is not None
    if until is not None:
        for line in proc.stdout:
            if line.startswith(until):
                break
        elapsed = time.perf_counter() - start
        proc.wait()
        return elapsed
    proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode})")
    return time.perf_counter() - start


def _row(case: str, times: list[float]) -> dict[str, Any]:
    med = statistics.median(times)
    return {
        "case": case, "runs": len(times), "median_s": round(med, 3), "min_s": round(min(times), 3),
        "max_s": round(max(times), 3), "imports_s": None, "window_s": None,
    }


def floors(doc: Path, home: Path, repeat: int) -> list[dict[str, Any]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KHOI_DATA_DIR=str(home / "data"),
               KHOI_CONFIG_DIR=str(home / "config"), PYTHONPATH=str(ROOT))
    py = sys.executable
    cases = [
        ("trình thông dịch trống (python -c pass)", [py, "-c", "pass"], None),
        ("cửa sổ «Xin chào» (sàn của cửa sổ Qt)", [py, "-c", HELLO], "SHOWN"),
        ("khoiapp --help", [py, str(ROOT / "main.py"), "--help"], None),
        ("khoiapp info demo.khoi", [py, str(ROOT / "main.py"), "info", str(doc)], None),
    ]
    rows = []
    for case, args, until in cases:
        timed(args, env, until)  # warm the file cache
        rows.append(_row(case, [timed(args, env, until) for _ in range(repeat)]))
    return rows


def run(repeat: int) -> list[dict[str, Any]]:
    from khoiapp.services import demo

    with tempfile.TemporaryDirectory(prefix="khoi-bench-") as tmp:
        home = Path(tmp)
        doc = home / "demo.khoi"
        demo.build_demo(doc)
        one_run(doc, home / "warm")  # the OS file cache, as after an earlier start of any program
        runs = [one_run(doc, home / f"r{i}") for i in range(repeat)]
        base = floors(doc, home, repeat)
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    return base + [
        {
            "case": "khởi động cửa sổ với tài liệu mẫu",
            "runs": repeat,
            "median_s": round(med["total"], 3),
            "min_s": round(min(r["total"] for r in runs), 3),
            "max_s": round(max(r["total"] for r in runs), 3),
            "imports_s": round(med["imports"], 3),
            "window_s": round(med["window"], 3),
        }
    ]


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["case                                   median  min     max     (imports + window)"]
    for r in rows:
        phases = f"({r['imports_s']:.2f} s + {r['window_s']:.2f} s)" if r.get("imports_s") is not None else ""
        lines.append(f"{r['case']:<38} {r['median_s']:.2f} s  {r['min_s']:.2f} s  {r['max_s']:.2f} s  {phases}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    rows = run(args.repeat)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        print(table(rows))
        print(f"Cold start to a shown main window (median of {args.repeat}): {rows[-1]['median_s']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
