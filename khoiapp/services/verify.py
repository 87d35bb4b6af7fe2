"""Verifying a dossier PDF: the signature, what changed after signing, and the payload's manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoiapp.dossier.pdf import contents_padding_ok, embedded_files
from khoiapp.dossier.reader import DossierReader, open_dossier
from khoiapp.errors import DossierError, TrustListError

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

    from khoiapp.services.signatures import SignatureCheck

log = logging.getLogger(__name__)

# pyHanko logs full tracebacks at WARNING for findings this module reports itself: an untrusted
# signer (generic_cms) and a suspicious later revision (diff_analysis).
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)
logging.getLogger("pyhanko.sign.diff_analysis").setLevel(logging.ERROR)

VN_TZ = dt.timezone(dt.timedelta(hours=7))
_MAX_TREE_DEPTH = 32


@dataclass(frozen=True)
class VerificationReport:
    """Everything ``verify`` found out about one dossier PDF.

    ``verdict``: ``"ok"`` (signed, intact, valid, trusted, consistent), ``"untrusted"`` (the same
    but the certificate is not in the trust list), ``"foreign"`` (valid, but no signature is the
    unit's: «Chữ ký không thuộc đơn vị»), ``"unsigned"`` or ``"invalid"``. ``signatures`` lists
    every signature in signing order; ``warnings`` are findings that do not fail the dossier.
    """

    path: str
    signed: bool
    intact: bool | None
    valid: bool | None
    trusted: bool | None
    entire_file: bool | None
    modified_after_signing: bool | None
    signer: str | None
    signer_org: str | None
    signing_time: str | None
    cert_fingerprint: str | None
    timestamped: bool
    payload_present: bool
    payload_schema: str | None
    attachments_ok: bool | None
    missing: tuple[str, ...]
    mismatched: tuple[str, ...]
    unexpected: tuple[str, ...]
    problems: tuple[str, ...]
    verdict: str
    signature_count: int = 0
    cert_issuer: str | None = None
    cert_not_after: str | None = None
    changes: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    signatures: tuple[SignatureCheck, ...] = field(default=())
    unit_signed: bool | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.verdict == "ok" else 1

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for k, v in out.items():
            if isinstance(v, tuple):
                out[k] = list(v)
        out["exit_code"] = self.exit_code
        return out


# --------------------------------------------------------------------------- trust roots


def _load_trust(
    trust: Sequence[str | os.PathLike[str] | bytes], use_trust_store: bool
) -> list[asn1_x509.Certificate]:
    from khoiapp.services.trust import parse_certificates, trusted_certs

    roots: list[asn1_x509.Certificate] = list(trusted_certs()) if use_trust_store else []
    for item in trust:
        if isinstance(item, (bytes, bytearray)):
            roots.extend(parse_certificates(bytes(item)))
            continue
        p = Path(item)
        try:
            data = p.read_bytes()
        except OSError:
            raise TrustListError(
                f"Không đọc được tệp chứng thư tin cậy «{p}». Hãy kiểm tra lại đường dẫn."
            ) from None
        roots.extend(parse_certificates(data, str(p)))
    return roots




# --------------------------------------------------------------------------- signatures


def _check_signatures(reader: Any, roots: list[Any], crls: list[bytes], unit: dict[str, Any] | None) -> dict[str, Any]:
    """Every signature through :mod:`khoiapp.services.signatures`, summed up for the report."""
    from khoiapp.services.signatures import check_signatures

    found = check_signatures(reader, roots, crls, unit)
    checks, broken = found.checks, found.broken
    res: dict[str, Any] = {
        "signed": bool(checks) or broken > 0,
        "signature_count": len(checks) + broken,
        "intact": None,
        "valid": None,
        "trusted": None,
        "entire_file": None,
        "modified_after_signing": None,
        "signer": None,
        "signer_org": None,
        "signing_time": None,
        "cert_fingerprint": None,
        "cert_issuer": None,
        "cert_not_after": None,
        "timestamped": False,
        "problems": list(found.problems),
        "warnings": list(found.warnings),
        "changes": [],
        "docmdp_ok": True,
        "signatures": tuple(checks),
        "unit_signed": found.unit_signed,
    }
    padding = _padding_problems(reader)
    res["padding_ok"] = not padding
    res["problems"].extend(padding)
    if broken and not any("bị hỏng" in p for p in res["problems"]):
        res["problems"].insert(
            0,
            "Chữ ký số trong tệp bị hỏng, không đọc được (dữ liệu chữ ký đã bị sửa hoặc thay)."
            if broken == 1
            else f"{broken} chữ ký số trong tệp bị hỏng, không đọc được (dữ liệu chữ ký đã bị sửa hoặc thay).",
        )
    if not checks:
        if broken:
            for k in ("intact", "valid", "trusted", "entire_file"):
                res[k] = False
        else:
            res["problems"].append("Hồ sơ chưa được ký số: không có gì bảo đảm nội dung không bị sửa.")
        return res
    last = checks[-1]
    res.update(
        signer=last.signer, signer_org=last.signer_org, signing_time=last.signing_time,
        cert_fingerprint=last.fingerprint, cert_issuer=last.issuer, cert_not_after=last.not_after,
        timestamped=last.time_source == "timestamp",
    )  # fmt: skip
    res["intact"] = all(c.intact for c in checks) and not broken
    # a revoked certificate fails the dossier, it is not merely "not trusted yet"
    res["valid"] = all(c.valid and c.revocation != "revoked" for c in checks) and not broken
    res["trusted"] = all(c.trusted for c in checks) and not broken
    changed = [c for c in checks if c.later_changes == "other"]
    res["modified_after_signing"] = bool(changed)
    res["docmdp_ok"] = not changed
    res["entire_file"] = not broken and not changed and all(c.intact for c in checks)
    if changed:
        res["changes"] = list(changed[0].changes)
        res["problems"].append(
            "Tệp đã bị sửa sau khi ký (thêm/thay trang hoặc tệp đính kèm): " + "; ".join(res["changes"]) + "."
            if res["changes"]
            else "Tệp đã bị sửa sau khi ký (có phần được thêm vào sau chữ ký)."
        )
    return res


def _padding_problems(reader: Any) -> list[str]:
    """A line per signature whose /Contents holds more than its CMS blob and zero padding.

    The padding lies outside the signed byte range, so bytes written there later change no
    digest; they are still not the signer's.
    """
    try:
        sigs = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 - unreadable signatures are reported by the signature check
        return []
    out = []
    for i, sig in enumerate(sigs):
        try:
            contents = sig.sig_object.get("/Contents")
        except Exception:  # noqa: BLE001
            continue
        if not contents_padding_ok(contents):
            label = "Chữ ký" if len(sigs) == 1 else f"Chữ ký thứ {i + 1}"
            out.append(f"{label}: vùng chữ ký có dữ liệu lạ ghi thêm sau chữ ký số (tệp đã bị sửa sau khi ký).")
    return out


# --------------------------------------------------------------------------- entry point


def verify_dossier(
    path: str | os.PathLike[str],
    trust: Sequence[str | os.PathLike[str] | bytes] = (),
    *,
    use_trust_store: bool = True,
    crls: Sequence[str | os.PathLike[str] | bytes] = (),
) -> VerificationReport:
    """Check a dossier PDF: signature, coverage, later changes, trust, payload and manifest.

    Works offline: revocation is checked against the CRLs imported into the trust store (and
    ``crls``); when none speaks for a certificate the report warns (see docs/security.md).

    Args:
        path: the dossier PDF.
        trust: extra trusted certificates (paths to PEM/DER files, or their bytes).
        use_trust_store: also trust the app's trust list (``trust list``) and use its CRLs.
        crls: extra CRL files (DER or PEM, paths or bytes).

    Raises:
        DossierError: the file is missing, not a PDF, encrypted or too damaged to read.
        TrustListError: a ``trust`` file cannot be read.
    """
    roots = _load_trust(trust, use_trust_store)
    from khoiapp.services.trust import load_crls

    crl_list = load_crls(crls, use_trust_store)
    with open_dossier(path, strict=False) as rd:
        return _verify(rd, roots, crl_list)


def verify_reader(
    rd: DossierReader,
    trust: Sequence[str | os.PathLike[str] | bytes] = (),
    *,
    use_trust_store: bool = True,
    crls: Sequence[str | os.PathLike[str] | bytes] = (),
) -> VerificationReport:
    """:func:`verify_dossier` on an open dossier: the very bytes the caller reads next.

    The reader's manifest check (payload parsed once) is kept on ``rd`` for the caller.
    """
    from khoiapp.services.trust import load_crls

    return _verify(rd, _load_trust(trust, use_trust_store), load_crls(crls, use_trust_store))


def _verify(rd: DossierReader, roots: list[Any], crl_list: list[bytes]) -> VerificationReport:
    p = rd.path
    reader = rd.pdf
    att = rd.check_manifest()
    unit = att.payload.get("unit") if isinstance(att.payload, dict) else None
    try:
        sig = _check_signatures(reader, roots, crl_list, unit if isinstance(unit, dict) else None)
    except DossierError:
        raise
    except Exception as exc:  # noqa: BLE001 - a PDF too broken to even list its signatures
        log.info("cannot list signatures: %r", exc, exc_info=True)
        raise DossierError(
            f"Tệp PDF «{p}» bị hỏng, không đọc được phần chữ ký. Hãy đề nghị đơn vị gửi lại hồ sơ."
        ) from None

    problems = list(sig["problems"]) + att.problems
    consistent = att.payload_present and att.attachments_ok is True and not att.problems
    if not sig["signed"]:
        verdict = "unsigned"
    elif (
        sig["intact"]
        and sig["valid"]
        and sig["entire_file"]
        and not sig["modified_after_signing"]
        and sig["docmdp_ok"]
        and sig.get("padding_ok", True)
        and consistent
    ):
        verdict = "ok" if sig["trusted"] else "untrusted"
        if sig["unit_signed"] is False:
            verdict = "foreign"
    else:
        verdict = "invalid"
    return VerificationReport(
        path=str(p),
        signed=sig["signed"],
        intact=sig["intact"],
        valid=sig["valid"],
        trusted=sig["trusted"],
        entire_file=sig["entire_file"],
        modified_after_signing=sig["modified_after_signing"],
        signer=sig["signer"],
        signer_org=sig["signer_org"],
        signing_time=sig["signing_time"],
        cert_fingerprint=sig["cert_fingerprint"],
        timestamped=sig["timestamped"],
        payload_present=att.payload_present,
        payload_schema=att.payload_schema,
        attachments_ok=att.attachments_ok,
        missing=tuple(att.missing),
        mismatched=tuple(att.mismatched),
        unexpected=tuple(att.unexpected),
        problems=tuple(problems),
        verdict=verdict,
        signature_count=sig["signature_count"],
        cert_issuer=sig["cert_issuer"],
        cert_not_after=sig["cert_not_after"],
        changes=tuple(sig["changes"]),
        warnings=tuple(sig["warnings"]),
        signatures=sig["signatures"],
        unit_signed=sig["unit_signed"],
    )
