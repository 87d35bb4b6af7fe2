"""``make bench``: run every ``bench/bench_*.py`` and print its results as a table.

Each benchmark script takes ``--json`` and prints a JSON list of rows (dicts) as its last line.
It runs in its own process so one benchmark's memory never counts against another's. Results
also go to ``bench/out/`` (ignored by git): ``results.json`` and ``results.txt``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def generic_table(rows: list[dict[str, Any]]) -> str:
    keys: list[str] = []
    for r in rows:
        keys += [k for k in r if k not in keys]
    body = [[str(r.get(k, "–")) for k in keys] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(keys, *body)]
    lines = ["  ".join(k.ljust(w) for k, w in zip(keys, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(x.ljust(w) for x, w in zip(r, widths)) for r in body]
    return "\n".join(lines)


def render(script: Path, rows: list[dict[str, Any]]) -> str:
    spec = importlib.util.spec_from_file_location(script.stem, script)
    if spec and spec.loader:
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
            if hasattr(mod, "table"):
                return str(mod.table(rows))
        except Exception:  # noqa: BLE001 - fall back to the plain table
            pass
    return generic_table(rows)


def main(argv: list[str]) -> int:
    only = set(argv)
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not only or p.stem in only or p.name in only)
    OUT.mkdir(exist_ok=True)
    results: dict[str, Any] = {
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
        "benchmarks": {},
    }
    text: list[str] = [f"Khối benchmarks — {results['when']} — Python {results['python']}, {results['machine']}"]
    failed = 0
    for script in scripts:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(script), "--json"], capture_output=True, text=True)
        took = time.perf_counter() - t0
        title = f"\n== {script.stem} ({took:.0f} s)"
        if proc.returncode != 0:
            failed += 1
            text += [title, "FAILED:", proc.stderr[-3000:]]
            results["benchmarks"][script.stem] = {"error": proc.stderr[-3000:]}
            print("\n".join(text[-3:]), flush=True)
            continue
        rows = json.loads(proc.stdout.strip().splitlines()[-1])
        results["benchmarks"][script.stem] = rows
        block = [title, render(script, rows)]
        if proc.stderr.strip():
            block.append("(stderr) " + proc.stderr.strip()[-500:])
        text += block
        print("\n".join(block), flush=True)
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (OUT / "results.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    print(f"\nKết quả đã ghi vào {OUT}/results.txt và results.json")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
