"""Benchmark: export of a realistic unit's dossier and of 100 camera photos, beside their floors.

Cases:
- "đơn vị thật": the realistic fixture (tests/fixtures/realistic.py): 96-character name, long
  narratives, 40 camera photos (2592×1944 to 3264×2448, some stored sideways), a 12-page scan;
- "100 ảnh": the same document with 100 camera photos of 3264×2448 instead of 40, with the
  default choices (reduced copies: the originals exceed the 20 MB budget) and with originals.

Each case is exported twice on a fresh copy of its document, each time in a fresh process: the
first export (nothing kept yet), then the second, which takes the appendix images the first kept
in the document (``services.renditions``).

Floors, measured on the same evidence bytes: read + SHA-256 (``cat | sha256sum``), and read +
SHA-256 + decoding every printed evidence at the scale it prints at (Pillow ``draft`` to the
photo sheet's cell; every printed page of a PDF rasterised by PDFium at the appendix's size; one
thread); for the default choices, which embed reduced copies, the same with each large photo's
reduced copy made and decoded instead of the original. The export (unsigned, not a draft) runs in
a fresh process; ``--root DIR`` runs another checkout of the code (e.g. the code before a change)
on the same documents.

Run alone: ``python bench/bench_realistic.py [--json] [--repeat N] [--root DIR]``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
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

_CHILD = r"""
import datetime as dt, json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from khoiapp.db import open_document
from khoiapp.services.export import export_dossier
doc = open_document(sys.argv[2])
t0 = time.perf_counter()
res = export_dossier(doc, 2026, sys.argv[3], clock=dt.datetime.fromisoformat(sys.argv[4]), photo_copies=sys.argv[5])
t = time.perf_counter() - t0
made = getattr(res, "renditions", None)
if made is not None:  # kept for the next export, as the window and the CLI do (not timed)
    from khoiapp.services import renditions
    renditions.store(doc, made)
doc.close()
print(json.dumps({"seconds": t, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "size": res.size, "pages": res.pages}))
"""


def run_export(root: Path, doc_path: Path, out: Path, copies: str = "auto") -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(root), str(doc_path), str(out), CLOCK, copies],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"export failed: {proc.stderr[-2000:]}")
    out.unlink(missing_ok=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def floor_hash(files: list[Path]) -> float:
    t0 = time.perf_counter()
    cat = subprocess.Popen(["cat", *map(str, files)], stdout=subprocess.PIPE)
    subprocess.run(["sha256sum"], stdin=cat.stdout, capture_output=True, check=True)
    assert cat.stdout is not None
    cat.stdout.close()
    cat.wait()
    return time.perf_counter() - t0


def floor_decode(files: list[Path], *, reduced: bool = False) -> float:
    """Read + hash + decode each printed evidence at its printed scale: a photo at a cell of a
    four-photo sheet, each page of a PDF rasterised at the appendix's page size (one thread).

    ``reduced``: each large photo's reduced copy is made and decoded instead of the photo — the
    image work an export with reduced copies cannot skip.
    """
    from PIL import Image

    from khoiapp.services.photo_copies import REDUCE_MIN_BYTES, reduced_jpeg

    box = _photo_box()
    t0 = time.perf_counter()
    for f in files:
        data = f.read_bytes()
        hashlib.sha256(data).hexdigest()
        if f.suffix.lower() in (".jpg", ".jpeg"):
            small = reduced_jpeg(data) if reduced and len(data) > REDUCE_MIN_BYTES else None
            with Image.open(io.BytesIO(small or data)) as im:
                scale = min(box[0] / im.width, box[1] / im.height, 1.0)
                im.draft("RGB", (round(im.width * scale), round(im.height * scale)))
                im.load()
        elif f.suffix.lower() == ".pdf":
            _raster_pages(data)
    return time.perf_counter() - t0


def _photo_box() -> tuple[int, int]:
    from khoiapp.pdf import styles as st
    from khoiapp.pdf.images import PRINT_DPI
    from khoiapp.pdf.parts import photo_cell_box

    w, h = photo_cell_box(st.make_styles(), 2, 2)
    return round(w / 72 * PRINT_DPI), round(h / 72 * PRINT_DPI)


def _raster_pages(data: bytes) -> None:
    import pypdfium2 as pdfium

    from khoiapp.pdf import styles as st
    from khoiapp.pdf.images import MAX_PDF_PAGES, PRINT_DPI
    from khoiapp.pdf.parts import scan_page_box

    w, h = scan_page_box(st.make_styles())
    box = (w / 72 * PRINT_DPI, h / 72 * PRINT_DPI)
    doc = pdfium.PdfDocument(data)
    try:
        for n in range(min(len(doc), MAX_PDF_PAGES)):
            page = doc[n]
            pw, ph = page.get_size()
            page.render(scale=min(box[0] / pw, box[1] / ph, PRINT_DPI / 72)).to_pil()
            page.close()
    finally:
        doc.close()


def build_cases(tmp: Path) -> list[tuple[str, Path, str]]:
    from tests.fixtures.realistic import build_realistic

    real = build_realistic(tmp / "don-vi-that.khoi")
    many = build_realistic(tmp / "100-anh.khoi", photos=100)
    return [("đơn vị thật (40 ảnh, bản quét 12 trang), mặc định", real, "auto"),
            ("100 ảnh 3264×2448, mặc định", many, "auto"),
            ("100 ảnh 3264×2448, ảnh gốc", many, "original")]


def bench(repeat: int, root: Path) -> list[dict[str, Any]]:
    from bench.bench_export import evidence_files_of

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="khoi-bench-real-") as tmp_s:
        tmp = Path(tmp_s)
        os.environ.setdefault("KHOI_CONFIG_DIR", str(tmp / "config"))
        os.environ.setdefault("KHOI_DATA_DIR", str(tmp / "data"))
        for label, doc_path, copies in build_cases(tmp):
            files = evidence_files_of(doc_path, tmp / f"floor-{doc_path.stem}")
            first: list[dict[str, Any]] = []
            second: list[dict[str, Any]] = []
            for _ in range(repeat):
                work = tmp / "work.khoi"
                shutil.copyfile(doc_path, work)
                first.append(run_export(root, work, tmp / "out.pdf", copies))
                second.append(run_export(root, work, tmp / "out.pdf", copies))
                kept = work.stat().st_size - doc_path.stat().st_size
                work.unlink()
            t_hash = statistics.median(floor_hash(files) for _ in range(repeat))
            t_dec = statistics.median(floor_decode(files) for _ in range(repeat))
            t_copies = statistics.median(floor_decode(files, reduced=True) for _ in range(repeat)) if copies == "auto" else None
            for when, exports in (("lần đầu", first), ("lần sau", second)):
                t_exp = statistics.median(e["seconds"] for e in exports)
                rows.append({
                    "bench": "realistic",
                    "case": f"{label}, {when}",
                    "code": "này" if root == ROOT else str(root),
                    "evidence_mb": round(sum(f.stat().st_size for f in files) / 2**20, 1),
                    "pdf_mb": round(exports[0]["size"] / 2**20, 1),
                    "pages": exports[0]["pages"],
                    "export_s": round(t_exp, 2),
                    "floor_hash_s": round(t_hash, 3),
                    "floor_decode_s": round(t_dec, 3),
                    "export_per_decode_floor": round(t_exp / t_dec, 1) if t_dec > 0 else None,
                    "floor_copies_s": round(t_copies, 3) if t_copies else None,
                    "export_per_copies_floor": round(t_exp / t_copies, 1) if t_copies else None,
                    "export_peak_rss_mb": round(max(e["rss_mb"] for e in exports), 1),
                    "document_growth_mb": round(kept / 2**20, 1),
                })
            shutil.rmtree(tmp / f"floor-{doc_path.stem}", ignore_errors=True)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    cols = [("case", "trường hợp"), ("code", "mã nguồn"), ("evidence_mb", "minh chứng MB"), ("pdf_mb", "PDF MB"),
            ("pages", "trang"), ("export_s", "xuất s"), ("floor_hash_s", "sàn đọc+băm s"),
            ("floor_decode_s", "sàn đọc+băm+giải mã s"), ("export_per_decode_floor", "xuất/sàn giải mã"),
            ("floor_copies_s", "sàn có bản thu nhỏ s"), ("export_per_copies_floor", "xuất/sàn thu nhỏ"),
            ("export_peak_rss_mb", "RSS MB"), ("document_growth_mb", "tài liệu tăng MB")]
    head = [h for _k, h in cols]
    body = [["–" if r.get(k) is None else str(r[k]) for k, _h in cols] for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    lines = ["  ".join(x.ljust(w) for x, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(x.ljust(w) for x, w in zip(r, widths)) for r in body]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "3")))
    ap.add_argument("--root", type=Path, default=ROOT, help="the code to export with (default: this checkout)")
    a = ap.parse_args()
    rows = bench(max(1, a.repeat), a.root.resolve())
    print(json.dumps(rows, ensure_ascii=False) if a.json else table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
