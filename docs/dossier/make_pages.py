"""Regenerate the page images in this folder from the demo dossier and the realistic one.

Run: ``python docs/dossier/make_pages.py`` (needs poppler's ``pdftoppm``). Exports the demo document
with a fixed clock, then renders the first page of each part (found through the PDF outline) at 60 dpi;
then exports the realistic unit of ``tests/fixtures/realistic.py`` (96-character name, 40 photos,
a 12-page scan) and renders one page of every kind it has (``r-*.png``).
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
    "Bìa hồ sơ": "01-bia",
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
        comparison(pdf, Path(tmp))
        realistic(Path(tmp), clock)
    return 0


def comparison(first_pdf: Path, tmp: Path) -> None:
    """The demo dossier imported for 2027, one value changed with one more evidence file, one Quy ước
    article edited and one rule added, exported again: the first page of "So sánh với năm trước"."""
    import io

    from PIL import Image
    from pypdf import PdfReader

    from khoiapp.db import open_document
    from khoiapp.errors import ExportRefusedError
    from khoiapp.services import content, criteria, evidence, importer
    from khoiapp.services.export import export_dossier

    second = tmp / "nam-2027.khoi"
    importer.import_new(first_pdf, second, accept_unverified=True)
    with open_document(second) as doc:
        criteria.confirm(doc, 2027, all_unchanged=True)
        crit = next(c for c in criteria.checklist(doc, 2027).criteria if c.kind == "percent")
        criteria.set_result(doc, 2027, crit.code, value=92)
        buf = io.BytesIO()
        Image.new("RGB", (640, 480), (40, 90, 120)).save(buf, "PNG")
        evidence.add_evidence_bytes(doc, 2027, buf.getvalue(), "anh-hoi-thao-2027.png", criteria=(crit.code,),
                                    title="Ảnh hội thảo năm 2027")
        conv = content.current_convention(doc)
        if conv is not None:
            article = conv.chapters[0].articles[0]
            content.update_article(doc, article.id, body=article.body + " Kể cả người làm việc theo hợp đồng.")
        content.add_row(doc, "conduct", None, category="noi-lam-viec", text="Tắt thiết bị điện khi rời phòng làm việc.",
                        source="Quy chế văn hóa công sở", posted=True)
        pdf = tmp / "ho-so-2027.pdf"
        when = dt.datetime(2027, 12, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        try:
            export_dossier(doc, 2027, pdf, clock=when)
        except ExportRefusedError:  # something still to do in the new year: a draft shows the part as well
            export_dossier(doc, 2027, pdf, clock=when, draft=True)
    reader = PdfReader(pdf)
    page = next(reader.get_destination_page_number(item) + 1 for item in reader.outline
                if not isinstance(item, list) and item.title.endswith("So sánh với năm trước"))
    _render(pdf, page, "05-so-sanh")


def _render(pdf: Path, page: int, name: str) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(HERE / name)], check=True)
    print(f"{name}.png ← trang {page}")


def realistic(tmp: Path, clock: dt.datetime) -> None:
    """One page of each kind of the realistic dossier (1-based page numbers found from the outline)."""
    from pypdf import PdfReader

    from khoiapp.db import open_document
    from khoiapp.services.export import export_dossier
    from tests.fixtures.realistic import build_realistic

    doc_path = build_realistic(tmp / "that-unit.khoi", year=2026)
    pdf = tmp / "that-unit.pdf"
    with open_document(doc_path) as doc:
        export_dossier(doc, 2026, pdf, clock=clock)
    reader = PdfReader(pdf)
    starts = {item.title.split(". ", 1)[-1]: reader.get_destination_page_number(item) + 1
              for item in reader.outline if not isinstance(item, list)}
    order = sorted(starts.values())

    def end(title: str) -> int:
        later = [p for p in order if p > starts[title]]
        return (later[0] if later else len(reader.pages) + 1) - 1

    text = [page.extract_text() or "" for page in reader.pages]
    photos = next(i + 1 for i in range(starts["Phụ lục minh chứng"] - 1, len(text))
                  if len((reader.pages[i].get("/Resources") or {}).get("/XObject") or {}) >= 4)
    pages = {
        "r-00-bia": 1,
        "r-01-muc-luc": 2,
        "r-02-dang-ky": starts["Bản đăng ký"],
        "r-02-dang-ky-ky": end("Bản đăng ký"),
        "r-03-bao-cao": starts["Báo cáo tự đánh giá"],
        "r-03-bao-cao-tieu-chi": starts["Báo cáo tự đánh giá"] + 3,
        "r-03-bao-cao-ky": end("Báo cáo tự đánh giá"),
        "r-04-phu-luc-i": starts["Bảng tự chấm tiêu chí"],
        "r-04-phu-luc-i-tiep": starts["Bảng tự chấm tiêu chí"] + 1,
        "r-05-quy-uoc": starts["Quy ước"],
        "r-05-quy-uoc-ky": end("Quy ước"),
        "r-06-quy-tac-ung-xu": starts["Bộ quy tắc ứng xử"],
        "r-07-phu-luc-ii": starts["Danh mục minh chứng"],
        "r-08-phu-luc-iii": starts["Phụ lục minh chứng"],
        "r-08-phu-luc-iii-ban-quet": starts["Phụ lục minh chứng"] + 1,
        "r-08-phu-luc-iii-anh": photos,
        "r-09-kiem-tra": starts["Trang kiểm tra hồ sơ"],
        "r-09-kiem-tra-ma-bam": starts["Trang kiểm tra hồ sơ"] + 1,
    }
    for name, page in pages.items():
        _render(pdf, page, name)


if __name__ == "__main__":
    raise SystemExit(main())
