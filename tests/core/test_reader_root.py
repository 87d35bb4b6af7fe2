"""A PDF whose /Root is not a dictionary, or holds a malformed number, is a broken file for the user,
not a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from khoiapp.dossier.reader import open_dossier
from khoiapp.errors import DossierError


def _pdf_with_root(root_object: bytes) -> bytes:
    head = b"%PDF-1.7\n"
    obj = b"1 0 obj\n" + root_object + b"\nendobj\n"
    xref_at = len(head) + len(obj)
    xref = b"xref\n0 2\n0000000000 65535 f \n" + f"{len(head):010d} 00000 n \n".encode()
    trailer = b"trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n" + str(xref_at).encode() + b"\n%%EOF\n"
    return head + obj + xref + trailer


@pytest.mark.parametrize("root", [b"0", b"(Danh muc)", b"[1 2 3]"])
def test_root_that_is_not_a_dictionary_is_a_broken_pdf(root: bytes, tmp_path: Path) -> None:
    p = tmp_path / "ho-so-hong.pdf"
    p.write_bytes(_pdf_with_root(root))
    with pytest.raises(DossierError) as err:
        open_dossier(p, strict=False)
    assert "bị hỏng" in err.value.message and "gửi lại" in err.value.message


@pytest.mark.parametrize("root", [b"<< /Type /Catalog /Pages 1..2 >>", b"<< /Type /Catalog /N -.-5 >>"])
def test_a_malformed_number_is_a_broken_pdf(root: bytes, tmp_path: Path) -> None:
    """Found by the import fuzz test: a number token pyHanko hands to decimal.Decimal."""
    p = tmp_path / "ho-so-hong.pdf"
    p.write_bytes(_pdf_with_root(root))
    with pytest.raises(DossierError) as err:
        open_dossier(p, strict=False)
    assert "bị hỏng" in err.value.message
