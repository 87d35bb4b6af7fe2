"""Checking every signature of a dossier: who signed in which role, when, valid and trusted as of
the signing time, revocation status, what changed after each one, and whether the unit signed.

Rules (REGULATIONS.md §4, NĐ 23/2025): the chain must reach a trusted root; status from the latest
CRL the user imported (offline), a warning when no status can be checked; a certificate that was
valid when it signed stays "hợp lệ tại thời điểm ký" after it expires. Later revisions that add
only signatures in the pre-made fields or validation data (PAdES B-LT/B-LTA) keep earlier
signatures valid; anything else is a change after signing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

VN_TZ = dt.timezone(dt.timedelta(hours=7))
_MAX_TREE_DEPTH = 32

FOREIGN = "foreign"
"""The verdict of a dossier the unit did not sign: «Chữ ký không thuộc đơn vị»."""

_TIME_PROBLEMS = {"OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED", "EXPIRED", "NOT_YET_VALID"}
_REVOKED = {"REVOKED_NO_POE", "REVOKED_CA_NO_POE", "REVOKED"}

_TRUST_REASONS = {
    "NO_CERTIFICATE_CHAIN_FOUND": "chứng thư của người ký không thuộc danh sách tin cậy và không "
    "được cấp bởi tổ chức nào trong danh sách tin cậy",
    "OUT_OF_BOUNDS_NO_POE": "chứng thư của người ký đã hết hạn hoặc chưa có hiệu lực tại thời điểm ký",
    "OUT_OF_BOUNDS_NOT_REVOKED": "chứng thư của người ký đã hết hạn hoặc chưa có hiệu lực tại thời điểm ký",
    "EXPIRED": "chứng thư của người ký đã hết hạn tại thời điểm ký",
    "NOT_YET_VALID": "chứng thư của người ký chưa có hiệu lực tại thời điểm ký",
    "REVOKED_NO_POE": "chứng thư của người ký đã bị thu hồi",
    "REVOKED_CA_NO_POE": "chứng thư của tổ chức cấp đã bị thu hồi",
    "CHAIN_CONSTRAINTS_FAILURE": "chuỗi chứng thư không đáp ứng ràng buộc (ví dụ mục đích sử dụng khóa)",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "chứng thư dùng thuật toán không còn được chấp nhận",
    "CRYPTO_CONSTRAINTS_FAILURE": "chứng thư dùng thuật toán không còn được chấp nhận",
}


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of the dossier, in signing order.

    ``role``: ``chu-tich``, ``thu-truong``, ``don-vi``, ``don-vi-cu`` (a dossier of the earlier
    format, one signature) or ``""`` (a field Khối did not make). ``time_source``: ``"timestamp"``
    (a timestamp server vouches for the time) or ``"claimed"`` (the signer's computer clock).
    ``revocation``: ``"good"`` (a CRL was checked), ``"revoked"``, ``"unknown"`` or ``"direct"``
    (the certificate itself is on the trust list).
    ``for_unit``: the certificate names the dossier's unit (O, CN, MST/MNS); None when unknown.
    """

    index: int
    field_name: str
    role: str
    role_label: str
    signer: str | None
    signer_org: str | None
    issuer: str | None
    fingerprint: str | None
    not_after: str | None
    signing_time: str | None
    time_source: str
    intact: bool
    valid: bool
    trusted: bool
    valid_at_signing_only: bool
    revocation: str
    certifies: bool
    later_changes: str  # "none" | "signatures" | "validation-data" | "other"
    changes: tuple[str, ...]
    for_unit: bool | None
    problems: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.later_changes != "other"


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def fold_name(s: str) -> str:
    """Compare unit names the way CAs write them: case, spacing, punctuation and diacritics aside."""
    s = _nfc(s).replace("Đ", "D").replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", s.casefold()).split())


def _iso(t: dt.datetime | None) -> str | None:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(VN_TZ).replace(microsecond=0).isoformat()


_ID_RE = re.compile(r"\b(MST|MNS|MSDN)\s*[:=]\s*([0-9][0-9-]{5,})", re.I)


def subject_identifiers(cert: Any) -> dict[str, str]:
    """The Vietnamese identifiers in a certificate's subject (``MST``, ``MNS``, ``MSDN``).

    CAs write them in the UID or another attribute as ``MST:0101234567``.
    """
    out: dict[str, str] = {}
    try:
        for rdn in cert.subject.chosen:
            for atv in rdn:
                value = atv["value"].native
                if isinstance(value, str):
                    for kind, num in _ID_RE.findall(value):
                        out.setdefault(kind.upper(), num.replace("-", ""))
    except Exception:  # noqa: BLE001 - an odd subject has no identifiers we can use
        log.debug("cannot read subject identifiers", exc_info=True)
    return out


def names_unit(cert: Any, unit: dict[str, Any] | None) -> bool | None:
    """Whether a certificate's subject names the unit: its O or CN is the unit's name (or short
    name), or its MST/MNS is the unit's tax/budget code. None when the unit is unknown."""
    if not isinstance(unit, dict):
        return None
    names = {fold_name(str(unit.get(k))) for k in ("name", "short_name") if isinstance(unit.get(k), str) and unit.get(k)}
    names.discard("")
    codes = {
        "MST": str(unit.get("tax_code") or "").replace("-", ""),
        "MNS": str(unit.get("budget_code") or "").replace("-", ""),
    }
    if not names and not any(codes.values()):
        return None
    native = cert.subject.native
    for key in ("organization_name", "common_name"):
        vals = native.get(key)
        vals = vals if isinstance(vals, list) else [vals]
        if any(isinstance(v, str) and fold_name(v) in names for v in vals):
            return True
    ids = subject_identifiers(cert)
    return any(code and ids.get(kind) == code for kind, code in codes.items())


# --------------------------------------------------------------------------- reading signatures


def collect_signatures(reader: Any) -> tuple[list[Any], int]:
    """(readable /Sig signatures in signing order, number of filled signature fields that are broken).

    pyHanko's own listing fails as a whole on one damaged signature and silently skips unknown
    SubFilters; a damaged signature must be reported as such, not make the file look unsigned.
    """
    from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    known = {sf.value for sf in SigSeedSubFilter}
    good: list[Any] = []
    broken = 0
    for fq_name, sig_obj, sig_field in enumerate_sig_fields(reader, filled_status=True):
        try:
            obj = sig_obj.get_object()
            if obj.get("/Type") == "/DocTimeStamp":
                continue
            if str(obj.get("/SubFilter")) not in known:
                raise ValueError(f"unknown SubFilter {obj.get('/SubFilter')}")
            emb = EmbeddedPdfSignature(reader, sig_field, fq_name)
            emb.signed_revision  # noqa: B018 - needs a sane /ByteRange
            good.append(emb)
        except Exception as exc:  # noqa: BLE001 - any damage means "broken signature"
            log.info("unreadable signature %s: %r", fq_name, exc)
            broken += 1
    good.sort(key=lambda e: e.signed_revision)
    return good, broken


def _validate(sig: Any, roots: list[Any], crls: list[bytes], moment: dt.datetime | None) -> Any:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    kw: dict[str, Any] = {}
    if moment is not None:
        kw = {"moment": moment, "retroactive_revinfo": True}
    vc = ValidationContext(trust_roots=roots, crls=crls, allow_fetching=False, revocation_mode="soft-fail", **kw)
    ku = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    return validate_pdf_signature(sig, signer_validation_context=vc, key_usage_settings=ku)


def _self_signed(cert: Any) -> bool:
    try:
        return bool(cert is not None and cert.self_signed in ("yes", "maybe") and cert.issuer == cert.subject)
    except Exception:  # noqa: BLE001
        return False


def _crl_checked(cert: Any, issuer: Any, crls: list[Any]) -> bool:
    """A CRL from ``crls`` signed by ``issuer`` speaks for ``cert`` (offline status check)."""
    from cryptography import x509 as pyca_x509

    try:
        issuer_key = pyca_x509.load_der_x509_certificate(issuer.dump()).public_key()
    except Exception:  # noqa: BLE001
        return False
    for crl in crls:
        try:
            if crl.issuer.public_bytes() == cert.issuer.dump() and crl.is_signature_valid(issuer_key):  # type: ignore[arg-type]
                return True
        except Exception:  # noqa: BLE001 - a CRL of another shape: not this issuer's
            continue
    return False


def _revocation_status(status: Any, crls_der: list[bytes]) -> str:
    """``good`` when every certificate under the root had a CRL from its issuer, else ``unknown``."""
    from cryptography import x509 as pyca_x509

    crls = []
    for der in crls_der:
        try:
            crls.append(pyca_x509.load_der_x509_crl(der))
        except Exception:  # noqa: BLE001
            continue
    path = getattr(status, "validation_path", None)
    if path is None:
        return "unknown"
    try:
        certs = list(path.iter_certs(include_root=True))
    except Exception:  # noqa: BLE001
        return "unknown"
    if len(certs) == 1:
        return "direct"  # the signer's own certificate is on the trust list: nobody above can revoke it
    if len(certs) < 2:
        return "unknown"
    # certs run root → … → signer; each non-root needs its issuer's CRL
    for issuer, cert in zip(certs, certs[1:], strict=False):
        if not _crl_checked(cert, issuer, crls):
            return "unknown"
    return "good"


def _page_content_digest(page: Any) -> str:
    from pyhanko.pdf_utils import generic

    h = hashlib.sha256()
    contents = page.get("/Contents")
    if contents is None:
        return h.hexdigest()
    contents = contents.get_object()
    streams = contents if isinstance(contents, generic.ArrayObject) else [contents]
    for s in streams:
        s = s.get_object()
        if isinstance(s, generic.StreamObject):
            h.update(s.data)
    return h.hexdigest()


def _pages(root: Any) -> list[Any]:
    from pyhanko.pdf_utils import generic

    out: list[Any] = []
    seen: set[Any] = set()

    def walk(node_ref: Any, depth: int) -> None:
        if depth > _MAX_TREE_DEPTH or len(out) > 100_000:
            return
        if isinstance(node_ref, generic.IndirectObject):
            if node_ref.reference in seen:
                return
            seen.add(node_ref.reference)
        node = node_ref.get_object()
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            for kid in node.get("/Kids", generic.ArrayObject()).get_object():
                walk(kid, depth + 1)
        else:
            out.append(node)

    walk(root.raw_get("/Pages"), 0)
    return out


def describe_changes(reader: Any, signed_revision: int) -> list[str]:
    """Plain-language list of what later revisions changed compared with the signed revision."""
    from pyhanko.pdf_utils import generic

    from khoiapp.dossier.pdf import embedded_files

    def attachments(root: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in embedded_files(root):
            if f.spec is None:
                continue
            ref = f.stream_ref
            if isinstance(ref, generic.IndirectObject):
                ref = ref.reference
            out[_nfc(str(f.raw_name))] = ref
        return out

    total = reader.xrefs.total_revisions
    changed: set[Any] = set()
    for rev in range(signed_revision + 1, total):
        changed |= set(reader.xrefs.explicit_refs_in_revision(rev))
    old = reader.get_historical_resolver(signed_revision)
    out: list[str] = []
    try:
        old_pages = _pages(old.root)
        new_pages = _pages(reader.root)
        if len(old_pages) != len(new_pages):
            out.append(f"số trang đổi từ {len(old_pages)} thành {len(new_pages)}")
        for i, (a, b) in enumerate(zip(old_pages, new_pages, strict=False)):
            if _page_content_digest(a) != _page_content_digest(b):
                out.append(f"nội dung trang {i + 1} bị thay đổi")
            elif a.container_ref is not None and a.container_ref in changed:
                out.append(f"trang {i + 1} có thay đổi khác (chú thích, ô ký hoặc tài nguyên)")
        old_att = attachments(old.root)
        new_att = attachments(reader.root)
        for name in sorted(set(new_att) - set(old_att)):
            out.append(f"thêm tệp đính kèm «{name}»")
        for name in sorted(set(old_att) - set(new_att)):
            out.append(f"gỡ tệp đính kèm «{name}»")
        for name in sorted(set(old_att) & set(new_att)):
            a, b = old_att[name], new_att[name]
            if a != b or (isinstance(b, generic.Reference) and b in changed):
                out.append(f"thay tệp đính kèm «{name}»")
    except Exception as exc:  # noqa: BLE001 - a best-effort explanation on top of the verdict
        log.info("cannot compare revisions: %r", exc)
    if not out:
        out.append("có phần khác của tệp bị thay đổi hoặc thêm vào")
    return out


MAX_DSS_CRLS = 64
MAX_DSS_CRL_BYTES = 20 * 1024 * 1024


def dss_crls(reader: Any) -> list[bytes]:
    """The CRLs a PAdES B-LT file carries in its ``/DSS`` (checked before use like any CRL)."""
    from pyhanko.pdf_utils import generic

    out: list[bytes] = []
    try:
        dss = reader.root.get("/DSS")
        if dss is None:
            return out
        refs = dss.get_object().get("/CRLs") or generic.ArrayObject()
        for ref in list(refs)[:MAX_DSS_CRLS]:
            stream = ref.get_object()
            if not isinstance(stream, generic.StreamObject):
                continue
            length = stream.get("/Length", 0)
            if isinstance(length, int) and length > MAX_DSS_CRL_BYTES:
                continue
            data = stream.data
            if len(data) <= MAX_DSS_CRL_BYTES:
                out.append(bytes(data))
    except Exception:  # noqa: BLE001 - a damaged /DSS only means no embedded status
        log.info("cannot read the CRLs in /DSS", exc_info=True)
    return out


# --------------------------------------------------------------------------- one signature


def _later_changes(status: Any, is_last: bool) -> str:
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = getattr(status, "modification_level", None)
    if level is None or level == ModificationLevel.NONE:
        return "none"
    if not status.docmdp_ok:
        return "other"
    if level == ModificationLevel.LTA_UPDATES:
        return "validation-data"
    if level == ModificationLevel.FORM_FILLING and not is_last:
        # the only form fields of a dossier are the pre-made signature fields
        return "signatures"
    return "other"


def check_one(
    reader: Any,
    sig: Any,
    index: int,
    *,
    is_last: bool,
    roots: list[Any],
    crls: list[bytes],
    unit: dict[str, Any] | None,
    label: str,
) -> SignatureCheck:
    """Validate one signature as of its signing time and describe it."""
    from khoiapp.services.signing import ROLE_LABELS, LEGACY_ROLE, role_of_field, signer_info

    field_name = str(sig.field_name)
    role = role_of_field(field_name) or ""
    role_label = ROLE_LABELS.get(role, "Đơn vị" if role == LEGACY_ROLE else f"Ô ký «{field_name}»")
    problems: list[str] = []
    warnings: list[str] = []
    status = _validate(sig, roots, crls, None)
    claimed = getattr(status, "signer_reported_dt", None)
    ts = getattr(status, "timestamp_validity", None)
    time_source = "claimed"
    when = claimed
    if ts is not None and getattr(ts, "intact", False) and getattr(ts, "valid", False):
        when = ts.timestamp
        time_source = "timestamp"
    trusted = bool(status.trusted)
    valid_then = False
    indic = getattr(status.trust_problem_indic, "name", "")
    if not trusted and status.intact and status.valid and indic in _TIME_PROBLEMS and when is not None:
        # the certificate is out of its validity now: judge it as of the signing time
        then = _validate(sig, roots, crls, when)
        if then.trusted:
            status, trusted, valid_then = then, True, True
        indic = getattr(then.trust_problem_indic, "name", "")
    cert = getattr(status, "signing_cert", None)
    info = None
    try:
        info = signer_info(cert) if cert is not None else None
    except Exception:  # noqa: BLE001
        log.info("cannot describe the signing certificate", exc_info=True)
    revoked = indic in _REVOKED
    if not status.intact:
        problems.append(
            f"{label} không khớp nội dung tệp: tệp đã bị sửa sau khi ký (nội dung trong phần được ký đã thay đổi)."
        )
    elif not status.valid:
        problems.append(f"{label} không hợp lệ về mật mã (chữ ký đã bị thay hoặc làm giả).")
    elif not trusted:
        why = _TRUST_REASONS.get(
            indic, "không xác minh được chuỗi chứng thư tới một chứng thư trong danh sách tin cậy"
        )
        if _self_signed(cert):
            why = "đây là chứng thư tự cấp (chứng thư riêng của đơn vị) chưa có trong danh sách tin cậy"
        if revoked:
            problems.append(
                f"{label} không hợp lệ: {why} (theo danh sách thu hồi đã nhập). Hãy đề nghị người ký ký lại "
                "bằng chứng thư còn hiệu lực."
            )
        else:
            problems.append(
                f"{label} chưa được tin cậy: {why}. Nếu đã xác nhận với đơn vị gửi rằng đây là chứng thư "
                "của họ (so dấu vân tay), hãy thêm chứng thư vào danh sách tin cậy."
            )
    revocation = "revoked" if revoked else ("unknown" if not trusted else _revocation_status(status, crls))
    when_text = _iso(when)
    if trusted and revocation == "unknown":
        warnings.append(
            f"{label}: chưa kiểm tra được tình trạng thu hồi của chứng thư (không có danh sách thu hồi CRL "
            "của tổ chức cấp). Hãy tải CRL mới nhất của nhà cung cấp chứng thư và nhập ở Cài đặt → Chứng thư tin cậy (hoặc lệnh «trust add-crl»)."
        )
    if valid_then and info is not None:
        source = (
            "theo dấu thời gian của máy chủ cấp dấu thời gian"
            if time_source == "timestamp"
            else "theo giờ trên máy người ký tự ghi, không có dấu thời gian bảo đảm"
        )
        warnings.append(
            f"{label} hợp lệ tại thời điểm ký ({when_text}, {source}); chứng thư đã hết hiệu lực ngày "
            f"{info.not_after.astimezone(VN_TZ):%d/%m/%Y}."
        )
    later = _later_changes(status, is_last)
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
        problems.append(f"{label} không bao phủ toàn bộ tệp theo cách chuẩn (phạm vi ký bất thường).")
        later = "other"
    changes: list[str] = []
    if later == "other" and status.intact:
        try:
            changes = describe_changes(reader, sig.signed_revision)
        except Exception:  # noqa: BLE001
            log.info("cannot describe changes", exc_info=True)
            changes = ["có phần khác của tệp bị thay đổi hoặc thêm vào"]
    for_unit = names_unit(cert, unit) if cert is not None else None
    certifies = False
    try:
        refs = sig.sig_object.get("/Reference") or []
        certifies = any(r.get_object().get("/TransformMethod") == "/DocMDP" for r in refs)
    except Exception:  # noqa: BLE001 - a damaged /Reference: not a certification we can use
        pass
    return SignatureCheck(
        index=index,
        field_name=field_name,
        role=role,
        role_label=role_label,
        signer=info.subject_name if info else None,
        signer_org=info.organisation if info else None,
        issuer=info.issuer if info else None,
        fingerprint=info.fingerprint_sha256 if info else None,
        not_after=info.not_after.isoformat() if info else None,
        signing_time=when_text,
        time_source=time_source,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=trusted,
        valid_at_signing_only=valid_then,
        revocation=revocation,
        certifies=certifies,
        later_changes=later,
        changes=tuple(changes),
        for_unit=for_unit,
        problems=tuple(problems),
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- the whole dossier


@dataclass
class SignaturesResult:
    """The dossier-level findings, in the shape ``verify`` reports them."""

    checks: list[SignatureCheck] = field(default_factory=list)
    broken: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unit_signed: bool | None = None


def check_signatures(
    reader: Any, roots: list[Any], crls: list[bytes], unit: dict[str, Any] | None
) -> SignaturesResult:
    """Check every signature; say whether the unit itself signed (see :func:`names_unit`).

    The unit signed when its seal signature (or the one signature of an earlier dossier) names the
    unit; a dossier with only personal signatures counts as the unit's when one of them names it.
    """
    from khoiapp.services.signing import LEGACY_ROLE, ROLE_CHAIR, ROLE_HEAD, ROLE_UNIT

    res = SignaturesResult()
    sigs, res.broken = collect_signatures(reader)
    crls = list(crls) + dss_crls(reader)
    for i, sig in enumerate(sigs):
        label = "Chữ ký" if len(sigs) == 1 else f"Chữ ký thứ {i + 1}"
        try:
            check = check_one(reader, sig, i, is_last=i == len(sigs) - 1, roots=roots, crls=crls, unit=unit,
                              label=label)
        except Exception as exc:  # noqa: BLE001 - a malformed signature is a finding, not a crash
            log.info("signature %d cannot be validated: %r", i, exc)
            res.broken += 1
            res.problems.append(f"{label} bị hỏng, không đọc được (dữ liệu chữ ký đã bị sửa hoặc thay).")
            continue
        res.checks.append(check)
        res.problems.extend(check.problems)
        res.warnings.extend(check.warnings)
    printed = {ROLE_CHAIR: "union_chair", ROLE_HEAD: "head_name"}
    for c in res.checks:
        name = unit.get(printed.get(c.role, "")) if isinstance(unit, dict) else None
        if isinstance(name, str) and name.strip() and c.signer and fold_name(name) != fold_name(c.signer):
            res.warnings.append(
                f"Chữ ký thứ {c.index + 1} ({c.role_label.lower()}) là của «{c.signer}», khác tên in dưới ô ký "
                f"«{name.strip()}». Hãy kiểm tra người ký có đúng là người có thẩm quyền."
            )
    unit_sigs = [c for c in res.checks if c.role in (ROLE_UNIT, LEGACY_ROLE)]
    considered = unit_sigs or res.checks
    if considered and unit is not None:
        matches = [c.for_unit for c in considered if c.for_unit is not None]
        if matches:
            res.unit_signed = all(matches) if unit_sigs else any(matches)
    if res.unit_signed is False:
        names = ", ".join(f"«{c.signer_org or c.signer}»" for c in considered)
        res.problems.append(
            f"Chữ ký không thuộc đơn vị: hồ sơ của «{unit.get('name') if unit else ''}» được ký bởi chứng thư của "
            f"{names}, không ghi tên hay mã số của đơn vị. Hãy đề nghị đơn vị ký bằng chứng thư của chính đơn vị."
        )
    return res
