"""What a document keeps about signing: the signature and seal images, and the last signing choice.

Both live in the document, never in app preferences: another unit's document opened on the same
computer never inherits them.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from khoiapp.db import Document
from khoiapp.errors import BadInputError, EvidenceFileError
from khoiapp.models import SignatureImage, SigningChoice
from khoiapp.services.document import Changes
from khoiapp.services.signing import ROLE_LABELS, check_role


@dataclass(frozen=True)
class SignatureImageView:
    role: str
    role_label: str
    file_name: str
    size: tuple[int, int]
    png: bytes


@dataclass(frozen=True)
class SigningChoiceView:
    """The last way this document's dossier was signed (secrets are never kept)."""

    method: str  # "p12" | "pkcs11"
    p12_path: str
    pkcs11_lib: str
    token_label: str
    key_label: str
    cert_fingerprint: str
    cert_subject: str
    role: str


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def set_image(doc: Document, role: str, path: str | os.PathLike[str]) -> Changes:
    """Store a transparent PNG as ``role``'s signature image (the seal for ``don-vi``).

    Raises:
        BadInputError: unknown role.
        EvidenceFileError: the file cannot be read.
        SigningError: not a PNG, too large or damaged (see ``check_image``).
    """
    from khoiapp.pdf.signature_stamps import MAX_IMAGE_BYTES, check_image

    check_role(role)
    doc.require_writable()
    p = Path(path)
    try:
        if p.stat().st_size > MAX_IMAGE_BYTES:
            data = b"x" * (MAX_IMAGE_BYTES + 1)  # let check_image word the refusal
        else:
            data = p.read_bytes()
    except OSError as exc:
        raise EvidenceFileError(
            f"Không đọc được tệp ảnh «{p}» ({exc.strerror}). Hãy kiểm tra lại đường dẫn và quyền đọc tệp."
        ) from None
    check_image(data, f"chữ ký của {ROLE_LABELS[role].lower()}" if role != "don-vi" else "con dấu")
    name = unicodedata.normalize("NFC", p.name)[:300]
    with doc.transaction() as s:
        row = s.get(SignatureImage, role)
        if row is None:
            s.add(SignatureImage(role=role, png=data, file_name=name, updated_at=_now()))
        else:
            row.png, row.file_name, row.updated_at = data, name, _now()
    return Changes(tables=("signature_image",))


def clear_image(doc: Document, role: str) -> Changes:
    check_role(role)
    doc.require_writable()
    with doc.transaction() as s:
        row = s.get(SignatureImage, role)
        if row is not None:
            s.delete(row)
    return Changes(tables=("signature_image",))


def images(doc: Document) -> dict[str, SignatureImageView]:
    """role → stored image."""
    from khoiapp.pdf.signature_stamps import check_image
    from khoiapp.services.signing import ROLE_LABELS

    out: dict[str, SignatureImageView] = {}
    with doc.transaction() as s:
        for row in s.scalars(select(SignatureImage)):
            if row.role not in ROLE_LABELS:
                continue
            try:
                size = check_image(row.png, "đã lưu")
            except Exception:  # noqa: BLE001 - a damaged stored image is skipped, not fatal
                continue
            out[row.role] = SignatureImageView(row.role, ROLE_LABELS[row.role], row.file_name, size, row.png)
    return out


def remember_choice(doc: Document, choice: SigningChoiceView) -> Changes:
    """Keep how the dossier was signed, for this document only (no password, no PIN)."""
    if choice.method not in ("p12", "pkcs11"):
        raise BadInputError("Cách ký phải là tệp chứng thư (.p12) hoặc USB token.")
    check_role(choice.role)
    doc.require_writable()
    with doc.transaction() as s:
        row = s.get(SigningChoice, 1)
        if row is None:
            row = SigningChoice(id=1, updated_at=_now())
            s.add(row)
        row.method = choice.method
        row.p12_path = choice.p12_path[:1000]
        row.pkcs11_lib = choice.pkcs11_lib[:1000]
        row.token_label = choice.token_label[:200]
        row.key_label = choice.key_label[:200]
        row.cert_fingerprint = choice.cert_fingerprint[:64]
        row.cert_subject = choice.cert_subject[:500]
        row.role = choice.role
        row.updated_at = _now()
    return Changes(tables=("signing_choice",))


def signing_choice(doc: Document) -> SigningChoiceView | None:
    """The choice this document remembers, or None (a new document remembers nothing)."""
    with doc.transaction() as s:
        row = s.get(SigningChoice, 1)
        if row is None:
            return None
        return SigningChoiceView(
            method=row.method, p12_path=row.p12_path, pkcs11_lib=row.pkcs11_lib, token_label=row.token_label,
            key_label=row.key_label, cert_fingerprint=row.cert_fingerprint, cert_subject=row.cert_subject,
            role=row.role,
        )  # fmt: skip
