"""Regenerate the window screenshots in this folder from the demo document, at 1366×768.

Run: ``python docs/screenshots/make_screenshots.py`` (offscreen; no display needed). Pages that are
not available in this build are skipped. ``KHOI_SHOTS_DIR=/tmp/x QT_SCALE_FACTOR=1.25 python …`` writes
the same pictures at 125 % elsewhere, to check nothing is cut off (they are not kept in docs/).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parent
ROOT = SOURCE.parent.parent
HERE = Path(os.environ.get("KHOI_SHOTS_DIR") or SOURCE)
sys.path.insert(0, str(ROOT))

# A 1366×768 screen: at 125 % (QT_SCALE_FACTOR=1.25) the window has 1366/1.25 × 768/1.25 logical pixels.
_SCALE = float(os.environ.get("QT_SCALE_FACTOR") or 1)
SIZE = (round(1366 / _SCALE), round(768 / _SCALE))
PAGES = {
    "don-vi": "01-don-vi.png",
    "tieu-chi": "02-tieu-chi.png",
    "minh-chung": "03-minh-chung.png",
    "quy-uoc": "04-quy-uoc.png",
    "quy-tac-ung-xu": "05-quy-tac-ung-xu.png",
    "hoat-dong": "06-hoat-dong.png",
    "ban-chi-dao": "07-ban-chi-dao.png",
}


def settle(app: object, page: object = None) -> None:
    """Let Qt lay out and paint, and background thumbnails finish."""
    for _ in range(5):
        app.processEvents()  # type: ignore[attr-defined]
    thumbs = getattr(page, "thumbs", None)
    wait = getattr(thumbs, "wait", None)
    if callable(wait):
        wait(10000)
        for _ in range(5):
            app.processEvents()  # type: ignore[attr-defined]


def select_example(name: str, page: object, w: object) -> None:
    """Show a filled detail pane rather than an empty one (best effort on other parts' pages)."""
    try:
        if name == "tieu-chi":
            page.select_code("2.2")  # type: ignore[attr-defined]
        elif name == "minh-chung":
            from khoiapp.services import evidence as evsvc

            items = evsvc.list_evidence(w.ctx.doc, w.ctx.year)  # type: ignore[attr-defined]
            if items:
                page.select_id(items[0].id)  # type: ignore[attr-defined]
        elif name == "quy-uoc":
            from khoiapp.services import content
            from ui.pages.convention_page import ARTICLE

            conv = content.current_convention(w.ctx.doc)  # type: ignore[attr-defined]
            if conv and conv.chapters and conv.chapters[1:] and conv.chapters[1].articles:
                page.select_item(ARTICLE, conv.chapters[1].articles[0].id)  # type: ignore[attr-defined]
    except (AttributeError, TypeError, ImportError) as exc:
        print(f"không chọn được mục mẫu ở trang {name}: {exc}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="khoi-anh-"))
    os.environ["KHOI_DATA_DIR"] = str(tmp / "data")
    os.environ["KHOI_CONFIG_DIR"] = str(tmp / "config")

    from khoiapp.services import demo
    from ui.app import create_application
    from ui.main_window import MainWindow, PlaceholderPage
    from ui import tasks

    doc_path = tmp / "demo.khoi"
    demo.build_demo(doc_path)
    app = create_application(["khoi"])
    tasks.set_pool_override(tasks.SyncPool())

    w = MainWindow()
    w.resize(*SIZE)
    w.show()
    w.start(doc_path)
    settle(app)
    written = []
    for name, file in PAGES.items():
        if name not in w.page_names:
            continue
        page = w.show_page(name)
        if isinstance(page, PlaceholderPage):
            print(f"bỏ qua {file}: trang chưa có")
            continue
        select_example(name, page, w)
        settle(app, page)
        w.grab().save(str(HERE / file))
        written.append(file)

    # a number that is not valid, shown calmly under the field (Tiêu chí, «Số liệu»)
    page = w.show_page("tieu-chi")
    page.select_code("1.3")  # type: ignore[attr-defined]
    edit = page.detail.value_edit  # type: ignore[attr-defined]
    edit.setFocus()
    edit.setText("120")
    page.detail.value_saver.flush()  # type: ignore[attr-defined]
    settle(app, page)
    w.grab().save(str(HERE / "13-so-lieu-chua-hop-le.png"))
    written.append("13-so-lieu-chua-hop-le.png")
    page.detail.value_saver.load(page.detail.value_saver._saved)  # type: ignore[attr-defined]

    from khoiapp.services.criteria import ConfirmItem
    from ui.dialogs.confirm_all_dialog import ConfirmAllDialog

    items = [
        ConfirmItem(c.code, c.title, c.kind, c.status_label, c.value, c.value, False, (), c.evidence_codes)
        for c in page.criteria[:8]  # type: ignore[attr-defined]
    ]
    dlg = ConfirmAllDialog(items, "2027", w)
    dlg.show()
    settle(app)
    dlg.grab().save(str(HERE / "14-xac-nhan-tat-ca.png"))
    dlg.close()
    written.append("14-xac-nhan-tat-ca.png")

    from ui.dialogs.settings_dialog import SettingsDialog
    from ui.dialogs.welcome_dialog import WelcomeDialog

    for file, dlg in (("00-chao-mung.png", WelcomeDialog(w)), ("11-cai-dat.png", SettingsDialog(w))):
        dlg.show()
        settle(app)
        dlg.grab().save(str(HERE / file))
        dlg.close()
        written.append(file)
    from ui.dialogs.about_dialog import AboutDialog

    w.show_page("tieu-chi")
    guide = w.show_help("tieu-chi")  # the toolbar's «?» on the Tiêu chí page
    guide.resize(1180, 700)
    settle(app)
    guide.show_page_help("tieu-chi")
    settle(app)
    guide.grab().save(str(HERE / "13-huong-dan.png"))
    written.append("13-huong-dan.png")
    guide.close()
    about = AboutDialog(w.ctx.doc.path if w.ctx.doc else None, w)
    about.tabs.setCurrentIndex(1)
    about.show()
    settle(app)
    about.grab().save(str(HERE / "14-gioi-thieu.png"))
    written.append("14-gioi-thieu.png")
    about.close()

    # «Xuất hồ sơ» (not modal: the window is locked for edits while it is open)
    dlg = w.export_dossier()
    if dlg is not None:
        settle(app)
        dlg.grab().save(str(HERE / "08-xuat-ho-so.png"))
        written.append("08-xuat-ho-so.png")
        dlg.close()
        settle(app)

    # the open file deleted from outside (e.g. in Explorer) while the officer types: a banner, no box
    page = w.show_page("don-vi")
    doc_path.unlink()
    saver = page.unit_edits["phone"]  # type: ignore[attr-defined]
    saver.edit.setText("0237 3852 123")
    saver.flush()
    w.ctx.runner.wait_idle()
    settle(app, page)
    w.grab().save(str(HERE / "15-tep-bi-chuyen.png"))
    written.append("15-tep-bi-chuyen.png")
    w.save_as(tmp / "demo-luu-lai.khoi")
    w.ctx.runner.wait_idle()
    settle(app)
    w.close()
    print("đã ghi: " + ", ".join(written))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
