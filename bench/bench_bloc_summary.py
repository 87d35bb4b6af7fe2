"""Benchmark: reading a bloc's inbox of 121 and 1,000 signed dossiers, beside one ``verify``.

The dossiers are the 30-unit test bloc (tests/bloc_data.py: signed one-page dossiers with a real
payload), copied round-robin to N files. Rows: the plain path (``summary`` before this change:
verify, reopen the PDF, interpreted schema check; one core), the fast path in this process
(``workers=1``: one parse, compiled schema check) and over 2 worker processes. Each row gives
seconds and dossiers per second; the floor is one ``verify_dossier`` of one file, as dossiers per
second. Worker start-up (a fresh interpreter importing pyHanko) is included.

Run alone: ``python bench/bench_bloc_summary.py [--json] [--sizes 121,1000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = [("case", "case"), ("files", "files"), ("seconds", "s"), ("per_s", "dossiers/s"), ("ms_each", "ms/dossier")]


def table(rows: list[dict[str, Any]]) -> str:
    head = [h for _k, h in COLUMNS]
    body = [[str(r.get(k, "–")) for k, _h in COLUMNS] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    lines = ["  ".join(x.ljust(w) for x, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(x.ljust(w) for x, w in zip(r, widths)) for r in body]
    return "\n".join(lines)


def _row(case: str, files: int, seconds: float) -> dict[str, Any]:
    return {
        "case": case,
        "files": files,
        "seconds": round(seconds, 2),
        "per_s": round(files / seconds, 1),
        "ms_each": round(1000 * seconds / files, 1),
    }


def bench(sizes: list[int]) -> list[dict[str, Any]]:
    from tests import bloc_data as bd

    base = Path(tempfile.mkdtemp(prefix="khoi-bench-bloc-"))
    os.environ["KHOI_DATA_DIR"] = str(base / "data")
    os.environ["KHOI_CONFIG_DIR"] = str(base / "config")
    try:
        from khoiapp.bloc import parallel, read
        from khoiapp.services import summary, verify

        (base / "bloc").mkdir()
        bloc = bd.build_bloc(base / "bloc")
        sources = sorted(bloc.folder.glob("*.pdf"))
        trust = [bloc.cert_pem, bloc.impostor_pem]
        rows: list[dict[str, Any]] = []
        verify.verify_dossier(sources[0], trust, use_trust_store=False)  # imports
        t = time.perf_counter()
        for f in sources[:20]:
            verify.verify_dossier(f, trust, use_trust_store=False)
        one = (time.perf_counter() - t) / 20
        rows.append({"case": "verify (floor)", "files": 1, "seconds": round(one, 4), "per_s": round(1 / one, 1), "ms_each": round(one * 1000, 1)})
        for n in sizes:
            inbox = base / f"inbox-{n}"
            inbox.mkdir()
            for i in range(n):
                shutil.copyfile(sources[i % len(sources)], inbox / f"{i:05d}.pdf")
            t = time.perf_counter()
            summary.summarise([inbox], trust=trust, use_trust_store=False)
            rows.append(_row("summary before (1 core)", n, time.perf_counter() - t))
            t = time.perf_counter()
            read.collect([inbox], trust=trust, use_trust_store=False)
            rows.append(_row("bloc plain (1 core)", n, time.perf_counter() - t))
            for w in (1, 2):
                t = time.perf_counter()
                parallel.collect_parallel([inbox], trust=trust, use_trust_store=False, workers=w)
                rows.append(_row(f"bloc fast, {w} worker{'s' if w > 1 else ''}", n, time.perf_counter() - t))
        return rows
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the rows as JSON (for bench/run.py)")
    ap.add_argument("--sizes", default=os.environ.get("BENCH_BLOC_SIZES", "121,1000"))
    a = ap.parse_args()
    rows = bench([int(x) for x in a.sizes.split(",") if x.strip()])
    print(json.dumps(rows, ensure_ascii=False) if a.json else table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
