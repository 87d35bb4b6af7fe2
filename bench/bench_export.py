"""Benchmark: dossier export time and peak memory, beside reading and hashing the same bytes.

Cases: the demo dossier, and a generated one (the demo plus 100 evidence files, 50 MB: JPEG
photos and PDF-named random data). Each export runs in a fresh Python process (time measured
around ``export_dossier`` only, peak RSS of the whole process); the floor is
``cat <the same evidence files> | sha256sum``. With a .p12 the signed export is timed too.
``BENCH_LARGE=1`` adds a case of 100 files / 500 MB (random data named .pdf; needs ~2 GB of disk).

Run alone: ``python bench/bench_export.py [--json] [--repeat N]``; ``bench/run.py`` runs it with
``--json`` and prints the table.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLOCK = "2026-12-05T09:00:00+07:00"
P12_PASS = "bench-pass"

# The start of every measured child (here and in bench_import.py): the project on the path and
# ``timed(name, f)``, which adds f's time to ``phases[name]``.
CHILD_PRELUDE = r"""
import datetime as dt, json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
phases = {}
def timed(name, f):
    def run(*a, **k):
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - t
    return run
"""

_CHILD = CHILD_PRELUDE + r"""
from khoiapp.db import open_document
from khoiapp.services import export as ex
from khoiapp.services.export import SignRequest, export_dossier
for name, attr in (("render", "_render_dossier"), ("embed", "_append_attachments"), ("sign", "_sign"), ("check", "_self_check")):
    setattr(ex, attr, timed(name, getattr(ex, attr)))
doc_path, out_path, p12 = sys.argv[2], sys.argv[3], sys.argv[4]
sign = SignRequest(p12_path=p12, password=os.environ["BENCH_P12_PASS"], visible=True) if p12 else None
doc = open_document(doc_path, read_only=True)
t0 = time.perf_counter()
res = export_dossier(doc, 2026, out_path, clock=dt.datetime.fromisoformat(sys.argv[5]), sign=sign)
t = time.perf_counter() - t0
doc.close()
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": t, "rss_mb": rss_kb / 1024, "size": res.size, "pages": res.pages,
                  "attachments": res.attachments, "phases": phases}))
"""

# The floor (here and in bench_import.py): reading and hashing the same bytes, ``cat FILES | sha256sum``.
_FLOOR = r"""
import resource, subprocess, sys, time
files = sys.argv[1:]
t0 = time.perf_counter()
cat = subprocess.Popen(["cat", *files], stdout=subprocess.PIPE)
out = subprocess.run(["sha256sum"], stdin=cat.stdout, capture_output=True, check=True)
cat.stdout.close(); cat.wait()
t = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(t, rss)
"""


def _jpeg(rng: random.Random, target: int) -> bytes:
    """A photo-like JPEG of roughly ``target`` bytes (noise compresses badly, like real photos)."""
    from PIL import Image

    side = 400
    while True:
        img = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=90)
        if buf.tell() >= target or side > 2000:
            return buf.getvalue()
        side = int(side * 1.25)


def build_generated(base: Path, target: Path, files_dir: Path, n: int = 100, total_mb: int = 50) -> list[Path]:
    """The demo plus ``n`` evidence files of ``total_mb`` MB in all; returns the files written."""
    from khoiapp.db import open_document
    from khoiapp.services import criteria, evidence

    shutil.copyfile(base, target)
    rng = random.Random(2026)
    each = total_mb * 1024 * 1024 // n
    files_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    doc = open_document(target)
    try:
        codes = [c.code for c in criteria.checklist(doc, 2026).criteria]
        for i in range(n):
            if i % 2:
                data = rng.randbytes(each)
                name = f"van-ban-{i:03d}.pdf"
            else:
                data = _jpeg(rng, each)
                data += rng.randbytes(max(0, each - len(data)))  # trailing bytes after EOI are ignored
                name = f"anh-{i:03d}.jpg"
            f = files_dir / name
            f.write_bytes(data)
            written.append(f)
            evidence.add_evidence(doc, 2026, f, criteria=(codes[i % len(codes)],), limit=200 * 1024 * 1024)
    finally:
        doc.close()
    return written


def build_large(base: Path, target: Path, tmp: Path, n: int = 100, each_mb: int = 5) -> None:
    """The demo plus ``n`` PDF-named files of ``each_mb`` MB (500 MB by default; no images)."""
    from khoiapp.db import open_document
    from khoiapp.services import criteria, evidence

    shutil.copyfile(base, target)
    doc = open_document(target)
    try:
        codes = [c.code for c in criteria.checklist(doc, 2026).criteria]
        for i in range(n):
            f = tmp / f"lon-{i:03d}.pdf"
            f.write_bytes(os.urandom(each_mb * 1024 * 1024))
            evidence.add_evidence(doc, 2026, f, criteria=(codes[i % len(codes)],), limit=200 * 1024 * 1024)
            f.unlink()
    finally:
        doc.close()


def evidence_files_of(doc_path: Path, out_dir: Path) -> list[Path]:
    """The embedded evidence of a document written as files (the floor's input)."""
    from khoiapp.db import open_document
    from khoiapp.services import evidence

    out_dir.mkdir(parents=True, exist_ok=True)
    doc = open_document(doc_path, read_only=True)
    try:
        paths = []
        for e in evidence.list_evidence(doc, 2026):
            if e.embed and e.sha256:
                p = out_dir / f"{e.code}{Path(e.file_name).suffix}"
                with open(p, "wb") as fh:
                    evidence.copy_blob_to(doc, e.sha256, fh)
                paths.append(p)
        return paths
    finally:
        doc.close()


def run_export(doc_path: Path, out: Path, p12: Path | None) -> dict[str, Any]:
    env = dict(os.environ, BENCH_P12_PASS=P12_PASS, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), str(doc_path), str(out), str(p12 or ""), CLOCK],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"export failed: {proc.stderr[-2000:]}")
    out.unlink(missing_ok=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run_floor(files: list[Path]) -> tuple[float, float]:
    proc = subprocess.run([sys.executable, "-c", _FLOOR, *map(str, files)], capture_output=True, text=True, check=True)
    t, rss = proc.stdout.split()
    return float(t), float(rss)


def bench(repeat: int) -> list[dict[str, Any]]:
    from khoiapp.services.demo import build_demo
    from khoiapp.services.signing import create_unit_certificate

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="khoi-bench-") as tmp_s:
        tmp = Path(tmp_s)
        os.environ.setdefault("KHOI_CONFIG_DIR", str(tmp / "config"))
        os.environ.setdefault("KHOI_DATA_DIR", str(tmp / "data"))
        demo = build_demo(tmp / "demo.khoi", year=2026)
        gen = tmp / "gen.khoi"
        build_generated(demo, gen, tmp / "gen-files")
        p12: Path | None = tmp / "unit.p12"
        try:
            create_unit_certificate("Đơn vị đo hiệu năng", p12, P12_PASS)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - report, go on without signing
            print(f"signing unavailable: {exc}", file=sys.stderr)
            p12 = None
        cases = [("demo", demo), ("100 tệp / 50 MB", gen)]
        if os.environ.get("BENCH_LARGE") == "1":
            large = tmp / "large.khoi"
            build_large(demo, large, tmp)
            cases.append(("100 tệp / 500 MB", large))
        for label, doc_path in cases:
            files = evidence_files_of(doc_path, tmp / f"floor-{doc_path.stem}")
            ev_bytes = sum(f.stat().st_size for f in files)
            exports = [run_export(doc_path, tmp / "out.pdf", None) for _ in range(repeat)]
            floors = [run_floor(files) for _ in range(repeat)]
            t_exp = statistics.median(e["seconds"] for e in exports)
            rss_exp = max(e["rss_mb"] for e in exports)
            t_floor = statistics.median(f[0] for f in floors)
            rss_floor = max(f[1] for f in floors)
            row: dict[str, Any] = {
                "bench": "export",
                "case": label,
                "evidence_files": len(files),
                "evidence_mb": round(ev_bytes / 2**20, 1),
                "pdf_mb": round(exports[0]["size"] / 2**20, 1),
                "pages": exports[0]["pages"],
                "export_s": round(t_exp, 3),
                "export_peak_rss_mb": round(rss_exp, 1),
                "floor_s": round(t_floor, 3),
                "floor_peak_rss_mb": round(rss_floor, 1),
                "time_ratio": round(t_exp / t_floor, 1) if t_floor > 0 else None,
            }
            if p12 is not None:
                signed = [run_export(doc_path, tmp / "out.pdf", p12) for _ in range(repeat)]
                t_sig = statistics.median(e["seconds"] for e in signed)
                row["signed_s"] = round(t_sig, 3)
                row["signed_peak_rss_mb"] = round(max(e["rss_mb"] for e in signed), 1)
                row["signed_ratio"] = round(t_sig / t_exp, 2)
            for phase in ("render", "embed", "check"):
                row[f"{phase}_s"] = round(statistics.median(e["phases"].get(phase, 0.0) for e in exports), 3)
            row["embed_check_ratio"] = round((row["embed_s"] + row["check_s"]) / t_floor, 1) if t_floor > 0 else None
            if p12 is not None:
                row["sign_phase_s"] = round(statistics.median(e["phases"].get("sign", 0.0) for e in signed), 3)
            rows.append(row)
    return rows


COLUMNS = [
    ("case", "trường hợp"),
    ("evidence_mb", "minh chứng MB"),
    ("pdf_mb", "PDF MB"),
    ("export_s", "xuất s"),
    ("floor_s", "sàn s"),
    ("time_ratio", "xuất/sàn"),
    ("render_s", "dựng trang s"),
    ("embed_s", "đính kèm s"),
    ("check_s", "tự kiểm s"),
    ("embed_check_ratio", "(đính kèm+kiểm)/sàn"),
    ("export_peak_rss_mb", "RSS xuất MB"),
    ("floor_peak_rss_mb", "RSS sàn MB"),
    ("signed_s", "ký s"),
    ("signed_ratio", "ký/xuất"),
    ("sign_phase_s", "bước ký s"),
    ("signed_peak_rss_mb", "RSS ký MB"),
]


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str]] = COLUMNS) -> str:
    """The rows as a plain text table with the ``columns`` (key, heading) (bench_import.py too)."""
    head = [h for _k, h in columns]
    body = [[str(r.get(k, "–")) for k, _h in columns] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    lines = ["  ".join(x.ljust(w) for x, w in zip(head, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(x.ljust(w) for x, w in zip(r, widths)) for r in body]
    return "\n".join(lines)


def cli(bench_fn: Any, columns: list[tuple[str, str]], doc: str) -> int:
    """``--json`` / ``--repeat N`` around ``bench_fn(repeat)`` (bench_import.py too)."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the rows as JSON (for bench/run.py)")
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "3")))
    a = ap.parse_args()
    rows = bench_fn(max(1, a.repeat))
    if a.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        print(table(rows, columns))
    return 0


def main() -> int:
    return cli(bench, COLUMNS, __doc__ or "")


if __name__ == "__main__":
    raise SystemExit(main())
