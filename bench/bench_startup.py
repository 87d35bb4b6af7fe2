"""Benchmark: cold start of the window on the demo document, until the main window is shown.

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


def run(repeat: int) -> list[dict[str, Any]]:
    from khoiapp.services import demo

    with tempfile.TemporaryDirectory(prefix="khoi-bench-") as tmp:
        home = Path(tmp)
        doc = home / "demo.khoi"
        demo.build_demo(doc)
        one_run(doc, home / "warm")  # the OS file cache, as after an earlier start of any program
        runs = [one_run(doc, home / f"r{i}") for i in range(repeat)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    return [
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
        lines.append(
            f"{r['case']:<38} {r['median_s']:.2f} s  {r['min_s']:.2f} s  {r['max_s']:.2f} s  "
            f"({r['imports_s']:.2f} s + {r['window_s']:.2f} s)"
        )
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
        print(f"Cold start to a shown main window (median of {args.repeat}): {rows[0]['median_s']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
