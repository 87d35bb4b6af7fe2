"""Regenerate the page images in this folder from the demo dossier.

Run: ``python docs/dossier/make_pages.py`` (needs poppler's ``pdftoppm``). Exports the demo document
with a fixed clock, then renders the first page of each part (found through the PDF outline) at 60 dpi.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

NAMES = {
    "Bìa": "01-bia",
    "Bản đăng ký": "02-dang-ky",
    "Báo cáo tự đánh giá": "03-bao-cao",
    "Bảng tự chấm tiêu chí": "04-bang-tu-cham",
    "Quy ước": "05-quy-uoc",
    "Bộ quy tắc ứng xử": "06-quy-tac-ung-xu",
    "Danh mục minh chứng": "07-danh-muc-minh-chung",
    "Phụ lục minh chứng": "08-phu-luc",
    "Trang kiểm tra hồ sơ": "09-kiem-tra",
}


def main() -> int:
    from pypdf import PdfReader

    from khoiapp.db import open_document
    from khoiapp.services.demo import build_demo
    from khoiapp.services.export import export_dossier

    clock = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    with tempfile.TemporaryDirectory() as tmp:
        doc_path = Path(tmp) / "demo.khoi"
        build_demo(doc_path, year=2026)
        pdf = Path(tmp) / "demo.pdf"
        with open_document(doc_path) as doc:
            export_dossier(doc, 2026, pdf, clock=clock)
        reader = PdfReader(pdf)
        for item in reader.outline:
            if isinstance(item, list):
                continue
            title = item.title.split(". ", 1)[-1]
            name = NAMES.get(title)
            if name is None:
                continue
            page = reader.get_destination_page_number(item) + 1
            out = HERE / name
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(out)],
                check=True,
            )
            print(f"{name}.png ← trang {page}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
