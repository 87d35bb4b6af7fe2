"""Regenerate 13-ky-tiep.png («Ký tiếp hồ sơ…») and 14-anh-chu-ky.png («Ảnh chữ ký và con dấu…»).

Run: ``python docs/screenshots/make_signing_screenshots.py``. Uses the demo document, a throwaway
PKI (tests/pki3.py) and drawn signature and seal images; the chair has already signed the dossier.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="khoi-anh-ky-"))
    os.environ["KHOI_DATA_DIR"] = str(tmp / "data")
    os.environ["KHOI_CONFIG_DIR"] = str(tmp / "config")

    from khoiapp.db import open_document
    from khoiapp.services import demo, signing_settings
    from khoiapp.services.export import SignRequest, export_dossier
    from tests.core.test_cosign_dossier import seal_png, signature_png
    from tests.pki3 import UNIT, _name, _signer, build_pki3
    from ui import tasks
    from ui.app import create_application
    from ui.context import AppContext
    from ui.dialogs.cosign_dialog import CosignDialog
    from ui.dialogs.signature_images import SignatureImagesDialog

    pki = build_pki3(tmp / "pki")
    from khoiapp.services import trust

    trust.add_trusted(pki.root_pem)  # stands for the NEAC root the receiver trusts
    chair = _signer(tmp / "pki", "chair-demo", _name("Trịnh Văn Quyết", UNIT), pki.inter, pki.inter_key)
    head = _signer(tmp / "pki", "thu-truong-demo", _name("Lê Thị Thu Hương", UNIT), pki.inter, pki.inter_key)
    doc_path = tmp / "demo.khoi"
    demo.build_demo(doc_path, year=2026)
    pdf = tmp / "Ho-so-2026-chu-tich.pdf"
    with open_document(doc_path) as doc:
        for role, data in (("chu-tich", signature_png((25, 45, 170))), ("thu-truong", signature_png((15, 35, 150))),
                           ("don-vi", seal_png())):
            (tmp / f"{role}.png").write_bytes(data)
            signing_settings.set_image(doc, role, tmp / f"{role}.png")
        export_dossier(doc, 2026, pdf, clock=dt.datetime(2026, 12, 5, 9, 0).astimezone(),
                       sign=SignRequest(p12_path=chair.p12, password=pki.password))

    app = create_application(["khoi"])
    tasks.set_pool_override(tasks.SyncPool())
    dlg = CosignDialog(pdf)
    dlg.sign_options.set_p12(head.p12)
    dlg.show()
    for _ in range(5):
        app.processEvents()
    dlg.grab().save(str(HERE / "13-ky-tiep.png"), "PNG")
    print(f"13-ky-tiep.png {dlg.width()}×{dlg.height()}")
    dlg.close()

    ctx = AppContext()
    ctx.set_document(open_document(doc_path), 2026)
    img = SignatureImagesDialog(ctx)
    img.show()
    for _ in range(5):
        app.processEvents()
    img.grab().save(str(HERE / "14-anh-chu-ky.png"), "PNG")
    print(f"14-anh-chu-ky.png {img.width()}×{img.height()}")
    img.close()
    ctx.set_document(None, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
