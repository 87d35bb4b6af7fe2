"""Regenerate ``03-bao-cao-ky.png``: the report's last page signed by the chair, the head and the unit.

Run: ``python docs/dossier/make_signed_page.py`` (needs poppler's ``pdftoppm``). Builds a throwaway
three-level PKI (root → intermediate → signers, as tests/pki3.py), stores drawn signature and seal
images in the demo document, exports signed by the chair, then the head and the unit countersign
the PDF the way they would on their own computers. Renders the signed page at 110 dpi.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


def main() -> int:
    from khoiapp.db import open_document
    from khoiapp.services import signing_settings
    from khoiapp.services.cosign import cosign_dossier
    from khoiapp.services.demo import build_demo
    from khoiapp.services.export import SignRequest, export_dossier
    from khoiapp.services.signing import open_p12_signer
    from tests.core.test_cosign_dossier import seal_png, signature_png
    from tests.pki3 import UNIT, _name, _signer, build_pki3

    clock = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        pki = build_pki3(t / "pki")
        # the people the demo document names
        chair = _signer(t / "pki", "chair-demo", _name("Trịnh Văn Quyết", UNIT), pki.inter, pki.inter_key)
        head = _signer(t / "pki", "head-demo", _name("Lê Thị Thu Hương", UNIT), pki.inter, pki.inter_key)
        doc_path = t / "demo.khoi"
        build_demo(doc_path, year=2026)
        pngs = {"chu-tich": signature_png((25, 45, 170)), "thu-truong": signature_png((15, 35, 150), (640, 240)),
                "don-vi": seal_png()}
        pdf = t / "1.pdf"
        with open_document(doc_path) as doc:
            for role, data in pngs.items():
                (t / f"{role}.png").write_bytes(data)
                signing_settings.set_image(doc, role, t / f"{role}.png")
            export_dossier(doc, 2026, pdf, clock=clock,
                           sign=SignRequest(p12_path=chair.p12, password=pki.password))
        with open_p12_signer(head.p12, pki.password) as h:
            cosign_dossier(pdf, t / "2.pdf", h, "thu-truong")
        with open_p12_signer(pki.unit.p12, pki.password) as h:
            cosign_dossier(t / "2.pdf", t / "3.pdf", h, "don-vi")
        from pypdf import PdfReader

        reader = PdfReader(t / "3.pdf")
        page = next(
            i + 1 for i, p in enumerate(reader.pages)
            if any(a.get_object().get("/T") == "KhoiThuTruong" for a in (p.get("/Annots") or []))
        )
        out = HERE / "03-bao-cao-ky"
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", str(page), "-l", str(page), "-singlefile",
                        str(t / "3.pdf"), str(out)], check=True)
        print(f"03-bao-cao-ky.png ← trang {page}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
