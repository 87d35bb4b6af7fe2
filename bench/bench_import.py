"""Benchmark: importing a dossier (``import --new``), beside reading and hashing the same bytes.

Cases: the demo dossier, and a generated one (the demo plus 100 evidence files, 50 MB; built as in
``bench_export.py``), each exported and signed with a unit certificate that the import trusts.
Each import runs in a fresh Python process into a new document; time is measured around
``import_new`` only (with its phases: the one read that copies and hashes the file, signature
and manifest verification on that copy, reading the payload, writing), and peak RSS of the whole
process. The floor is ``cat DOSSIER.pdf | sha256sum``. ``BENCH_IMPORT_BIG_MB=500`` adds a case
with that many MB of evidence (slow to build: the export signs it in memory).

Run alone: ``python bench/bench_import.py [--json] [--repeat N]``; ``bench/run.py`` runs it with
``--json`` and prints the table.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_CHILD_BODY = r"""
from khoiapp.services import importer, verify
importer.open_dossier = timed("copy", importer.open_dossier)
verify.verify_reader = timed("verify", verify.verify_reader)
importer._read = timed("read", importer._read)
importer._apply = timed("write", importer._apply)
dossier, out, pem = sys.argv[2], sys.argv[3], sys.argv[4]
t0 = time.perf_counter()
res = importer.import_new(dossier, out, trust=[pem], use_trust_store=False)
t = time.perf_counter() - t0
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": t, "rss_mb": rss_kb / 1024, "verdict": res.verdict, "evidence_files": res.evidence_files,
                  "phases": phases}))
"""


@functools.lru_cache(maxsize=1)
def _bench_export() -> Any:
    """``bench_export.py`` as a module: it builds the generated 50 MB document, and holds the clock,
    the certificate password, the measured child's prelude and the floor both benchmarks use."""
    spec = importlib.util.spec_from_file_location("bench_export", Path(__file__).with_name("bench_export.py"))
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def export_signed(doc_path: Path, out: Path, p12: Path) -> None:
    from khoiapp.db import open_document
    from khoiapp.services.export import SignRequest, export_dossier

    with open_document(doc_path, read_only=True) as doc:
        export_dossier(
            doc, 2026, out, clock=dt.datetime.fromisoformat(_bench_export().CLOCK),
            sign=SignRequest(p12_path=p12, password=_bench_export().P12_PASS, visible=False),
        )  # fmt: skip


def run_import(dossier: Path, out: Path, pem: Path) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", _bench_export().CHILD_PRELUDE + _CHILD_BODY, str(ROOT), str(dossier), str(out), str(pem)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    for leftover in (out, out.with_name(out.name + "-journal")):
        leftover.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise RuntimeError(f"import failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run_floor(path: Path) -> tuple[float, float]:
    return _bench_export().run_floor([path])  # type: ignore[no-any-return]


def bench(repeat: int) -> list[dict[str, Any]]:
    from khoiapp.services.demo import build_demo
    from khoiapp.services.signing import create_unit_certificate
    from khoiapp.services.trust import export_certificate

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="khoi-bench-import-") as tmp_s:
        tmp = Path(tmp_s)
        os.environ.setdefault("KHOI_CONFIG_DIR", str(tmp / "config"))
        os.environ.setdefault("KHOI_DATA_DIR", str(tmp / "data"))
        demo = build_demo(tmp / "demo.khoi", year=2026)
        gen = tmp / "gen.khoi"
        _bench_export().build_generated(demo, gen, tmp / "gen-files")
        p12 = tmp / "unit.p12"
        create_unit_certificate("Đơn vị đo hiệu năng", p12, _bench_export().P12_PASS)
        pem = tmp / "unit.pem"
        export_certificate(p12, _bench_export().P12_PASS, pem)
        os.environ.setdefault("KHOI_EVIDENCE_LIMIT_MB", "200")
        cases = [("demo", demo), ("100 tệp / 50 MB", gen)]
        big_mb = int(os.environ.get("BENCH_IMPORT_BIG_MB", "0"))
        if big_mb:
            big = tmp / "big.khoi"
            _bench_export().build_generated(demo, big, tmp / "big-files", n=100, total_mb=big_mb)
            cases.append((f"100 tệp / {big_mb} MB", big))
        for label, doc_path in cases:
            dossier = tmp / f"{doc_path.stem}.pdf"
            export_signed(doc_path, dossier, p12)
            runs = [run_import(dossier, tmp / "moi.khoi", pem) for _ in range(repeat)]
            floors = [run_floor(dossier) for _ in range(repeat)]
            t_imp = statistics.median(r["seconds"] for r in runs)
            t_floor = statistics.median(f[0] for f in floors)
            row: dict[str, Any] = {
                "bench": "import",
                "case": label,
                "pdf_mb": round(dossier.stat().st_size / 2**20, 1),
                "evidence_files": runs[0]["evidence_files"],
                "verdict": runs[0]["verdict"],
                "import_s": round(t_imp, 3),
                "floor_s": round(t_floor, 3),
                "time_ratio": round(t_imp / t_floor, 1) if t_floor > 0 else None,
                "import_peak_rss_mb": round(max(r["rss_mb"] for r in runs), 1),
                "floor_peak_rss_mb": round(max(f[1] for f in floors), 1),
            }
            for phase in ("copy", "verify", "read", "write"):
                row[f"{phase}_s"] = round(statistics.median(r["phases"].get(phase, 0.0) for r in runs), 3)
            rows.append(row)
    return rows


COLUMNS = [
    ("case", "trường hợp"),
    ("pdf_mb", "hồ sơ MB"),
    ("evidence_files", "tệp"),
    ("verdict", "chữ ký"),
    ("import_s", "nhập s"),
    ("floor_s", "sàn s"),
    ("time_ratio", "nhập/sàn"),
    ("copy_s", "đọc+băm+chép s"),
    ("verify_s", "kiểm chữ ký s"),
    ("read_s", "đọc dữ liệu s"),
    ("write_s", "ghi s"),
    ("import_peak_rss_mb", "RSS nhập MB"),
    ("floor_peak_rss_mb", "RSS sàn MB"),
]


def table(rows: list[dict[str, Any]]) -> str:
    return _bench_export().table(rows, COLUMNS)  # type: ignore[no-any-return]


def main() -> int:
    return _bench_export().cli(bench, COLUMNS, __doc__ or "")  # type: ignore[no-any-return]


if __name__ == "__main__":
    raise SystemExit(main())
