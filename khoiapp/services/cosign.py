"""Adding a signature to a dossier someone else exported: the head countersigns, the unit seals."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khoiapp.errors import KhoiError, SigningError
from khoiapp.services.signing import ROLE_LABELS, SignatureLayout, SignerHandle, check_role, sign_pdf_file


@dataclass(frozen=True)
class CosignResult:
    """What ``sign`` did: the output, the role signed, the signer and any warning for the user."""

    path: Path
    role: str
    signer: str
    signer_org: str | None
    verdict: str
    signatures: int
    warnings: tuple[str, ...]


def _unit_of(path: Path) -> dict[str, Any]:
    from khoiapp.dossier.reader import open_dossier

    try:
        with open_dossier(path) as reader:
            payload, _sha = reader.read_payload()
    except KhoiError:
        return {}
    unit = payload.get("unit") if isinstance(payload, dict) else None
    return unit if isinstance(unit, dict) else {}


def cosign_dossier(
    in_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    handle: SignerHandle,
    role: str,
    *,
    image: bytes | None = None,
    lt: bool = False,
    timestamp_url: str | None = None,
) -> CosignResult:
    """Sign an exported dossier in ``role``'s pre-made box and check the result.

    The dossier must verify (no change after its signatures) before anyone adds a signature to it.

    Raises:
        SigningError: the dossier is damaged or changed after signing, the role is signed already,
            or signing failed; nothing is written.
        DossierError, OutputPathError, CertificateRejectedError, TokenError: see ``sign_pdf_file``.
    """
    from khoiapp.pdf.signature_stamps import check_image
    from khoiapp.services.export import signing_names_unit
    from khoiapp.services.trust import load_crls, trusted_certs
    from khoiapp.services.verify import verify_dossier

    check_role(role)
    src, dst = Path(in_path), Path(out_path)
    if image is not None:
        check_image(image, "chữ ký")
    before = verify_dossier(src)
    if before.verdict == "invalid":
        raise SigningError(
            "Hồ sơ không hợp lệ nên không ký tiếp: "
            + " ".join(before.problems[:3])
            + " Hãy đề nghị người gửi xuất và ký lại hồ sơ. Chưa có tệp nào được ghi."
        )
    unit = _unit_of(src)
    unit_name = unicodedata.normalize("NFC", str(unit.get("name") or ""))
    layout = SignatureLayout(boxes={}, images={role: image} if image else {})
    kw: dict[str, Any] = {"role": role, "layout": layout, "unit_name": unit_name, "lt": lt}
    if timestamp_url:
        kw["timestamp_url"] = timestamp_url
    if lt:
        kw["trust"] = trusted_certs()
        kw["crls"] = load_crls()
    sign_pdf_file(src, dst, handle, **kw)
    after = verify_dossier(dst)
    warnings = []
    if unit and not signing_names_unit(handle.info, unit):
        warnings.append(
            f"Chứng thư «{handle.info.subject_name}» không ghi tên đơn vị «{unit_name}»; bên nhận sẽ không "
            f"coi chữ ký {ROLE_LABELS[role].lower()} này là của đơn vị. Hãy kiểm tra lại chứng thư đã chọn."
        )
    warnings.extend(after.warnings)
    return CosignResult(
        path=dst,
        role=role,
        signer=handle.info.subject_name,
        signer_org=handle.info.organisation,
        verdict=after.verdict,
        signatures=after.signature_count,
        warnings=tuple(warnings),
    )
