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

from khoiapp.dossier_format import MAX_PAYLOAD_BYTES, PAYLOAD_NAME, SCHEMA_ID
from khoiapp.errors import DossierError, TrustListError

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

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
    but the certificate is not in the trust list), ``"unsigned"`` or ``"invalid"``.
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


# --------------------------------------------------------------------------- attachments


def _embedded_files(root: Any) -> list[tuple[str, str, Any]]:
    """(file name, name-tree key, reference or object of the embedded file stream) per attachment."""
    from khoiapp.services.dossier_reader import embedded_files

    return [
        (unicodedata.normalize("NFC", str(f.raw_name)), f.key, f.stream_ref)
        for f in embedded_files(root)
        if f.spec is not None
    ]


@dataclass
class _AttachmentResult:
    payload_present: bool = False
    payload_schema: str | None = None
    attachments_ok: bool | None = None
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    payload: Any = None  # the parsed payload, for callers that read it next (the bloc summary)


def _check_attachments(reader: Any) -> _AttachmentResult:
    from khoiapp.services.dossier_reader import decoded_chunks, resolve_stream

    res = _AttachmentResult()
    try:
        files = _embedded_files(reader.root)
    except DossierError as exc:
        res.problems.append(exc.message)
        res.attachments_ok = False
        return res
    by_name: dict[str, Any] = {}
    duplicates = set()
    for name, _key, ref in files:
        if name in by_name:
            duplicates.add(name)
        by_name[name] = ref
    for name in sorted(duplicates):
        res.problems.append(f"Có nhiều tệp đính kèm cùng tên «{name}».")

    payload_ref = by_name.get(PAYLOAD_NAME)
    if payload_ref is None:
        res.problems.append(
            f"Không có tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» đính kèm: đây không phải hồ sơ do Khối xuất, "
            "hoặc tệp dữ liệu đã bị gỡ."
        )
        res.attachments_ok = False
        return res
    res.payload_present = True
    payload = res.payload = _read_payload(reader, payload_ref, res)
    if payload is None:
        res.attachments_ok = False
        return res

    manifest = payload.get("manifest")
    entries: list[tuple[str, str, int | None]] = []
    if not isinstance(manifest, list):
        res.problems.append("Tệp dữ liệu hồ sơ không có danh mục tệp đính kèm (manifest) hợp lệ.")
        res.attachments_ok = False
        return res
    for i, entry in enumerate(manifest):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("name"), str)
            or not isinstance(entry.get("sha256"), str)
        ):
            res.problems.append(f"Mục thứ {i + 1} trong danh mục tệp đính kèm bị sai định dạng.")
            continue
        size = entry.get("size")
        entries.append(
            (
                unicodedata.normalize("NFC", entry["name"]),
                entry["sha256"].lower(),
                size if isinstance(size, int) else None,
            )
        )

    bad_manifest = len(entries) != len(manifest)
    listed = {name for name, _, _ in entries}
    for name, want_hash, want_size in entries:
        ref = by_name.get(name)
        stream = resolve_stream(reader, ref) if ref is not None else None
        if stream is None:
            res.missing.append(name)
            res.problems.append(f"Thiếu tệp đính kèm «{name}» có trong danh mục hồ sơ.")
            continue
        h = hashlib.sha256()
        n = 0
        try:
            for chunk in decoded_chunks(stream):
                h.update(chunk)
                n += len(chunk)
        except Exception as exc:  # noqa: BLE001 - damaged stream data: report, do not crash
            log.info("cannot decode attachment %s: %r", name, exc)
            res.mismatched.append(name)
            res.problems.append(f"Không đọc được nội dung tệp đính kèm «{name}» (dữ liệu bị hỏng).")
            continue
        finally:
            del stream
        if h.hexdigest() != want_hash or (want_size is not None and n != want_size):
            res.mismatched.append(name)
            res.problems.append(
                f"Tệp đính kèm «{name}» không khớp mã băm SHA-256 ghi trong danh mục hồ sơ "
                "(nội dung đã bị thay)."
            )
    for name in sorted(set(by_name) - listed - {PAYLOAD_NAME}):
        res.unexpected.append(name)
        res.problems.append(f"Có tệp đính kèm «{name}» không nằm trong danh mục hồ sơ (bị thêm vào).")
    res.attachments_ok = not (res.missing or res.mismatched or res.unexpected or duplicates or bad_manifest)
    return res


def _read_payload(reader: Any, ref: Any, res: _AttachmentResult) -> dict[str, Any] | None:
    from khoiapp.errors import KhoiError
    from khoiapp.services.dossier_reader import StreamTooLarge, decoded_chunks, parse_json, resolve_stream

    stream = resolve_stream(reader, ref)
    if stream is None:
        res.problems.append(f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» không có nội dung.")
        return None
    parts: list[bytes] = []
    try:
        for chunk in decoded_chunks(stream, limit=MAX_PAYLOAD_BYTES):
            parts.append(chunk)
    except StreamTooLarge:
        res.problems.append(
            f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» lớn hơn {MAX_PAYLOAD_BYTES // (1024 * 1024)} MB, "
            "vượt giới hạn của định dạng hồ sơ Khối."
        )
        return None
    except Exception as exc:  # noqa: BLE001
        log.info("cannot decode payload: %r", exc)
        res.problems.append(f"Không đọc được tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» (dữ liệu bị hỏng).")
        return None
    try:
        # Size and nesting are checked before parsing: a hostile payload cannot exhaust the stack.
        payload = parse_json(b"".join(parts))
    except KhoiError as exc:
        res.problems.append(exc.message)
        return None
    if not isinstance(payload, dict):
        res.problems.append(f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» sai cấu trúc.")
        return None
    schema = payload.get("schema")
    res.payload_schema = schema if isinstance(schema, str) else None
    if not (isinstance(schema, str) and schema.startswith(SCHEMA_ID + "/")):
        res.problems.append(
            f"Tệp dữ liệu hồ sơ không đúng định dạng «{SCHEMA_ID}» (ghi: «{schema}»)."
        )
        return None
    return payload


# --------------------------------------------------------------------------- what changed after signing


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


def _attachment_refs(root: Any) -> dict[str, Any]:
    from pyhanko.pdf_utils import generic

    out: dict[str, Any] = {}
    for name, _key, ref in _embedded_files(root):
        if isinstance(ref, generic.IndirectObject):
            ref = ref.reference
        out[name] = ref
    return out


def _describe_changes(reader: Any, signed_revision: int) -> list[str]:
    """Plain-language list of what later revisions changed compared with the signed revision."""
    from pyhanko.pdf_utils import generic

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
                # same text, but something else on the page changed (annotations, resources, fields)
                out.append(f"trang {i + 1} có thay đổi khác (chú thích, ô ký hoặc tài nguyên)")
        old_att = _attachment_refs(old.root)
        new_att = _attachment_refs(reader.root)
        for name in sorted(set(new_att) - set(old_att)):
            out.append(f"thêm tệp đính kèm «{name}»")
        for name in sorted(set(old_att) - set(new_att)):
            out.append(f"gỡ tệp đính kèm «{name}»")
        for name in sorted(set(old_att) & set(new_att)):
            a, b = old_att[name], new_att[name]
            if a != b or (isinstance(b, generic.Reference) and b in changed):
                out.append(f"thay tệp đính kèm «{name}»")
    except Exception as exc:  # noqa: BLE001 - this is a best-effort explanation on top of the verdict
        log.info("cannot compare revisions: %r", exc)
    if not out:
        out.append("có phần khác của tệp bị thay đổi hoặc thêm vào")
    return out


# --------------------------------------------------------------------------- signatures


_TRUST_REASONS = {
    "NO_CERTIFICATE_CHAIN_FOUND": "chứng thư của người ký không thuộc danh sách tin cậy và không "
    "được cấp bởi tổ chức nào trong danh sách tin cậy",
    "OUT_OF_BOUNDS_NO_POE": "chứng thư của người ký đã hết hạn hoặc chưa có hiệu lực tại thời điểm kiểm tra",
    "OUT_OF_BOUNDS_NOT_REVOKED": "chứng thư của người ký đã hết hạn hoặc chưa có hiệu lực tại thời điểm kiểm tra",
    "EXPIRED": "chứng thư của người ký đã hết hạn",
    "NOT_YET_VALID": "chứng thư của người ký chưa có hiệu lực",
    "REVOKED_NO_POE": "chứng thư của người ký đã bị thu hồi",
    "REVOKED_CA_NO_POE": "chứng thư của tổ chức cấp đã bị thu hồi",
    "CHAIN_CONSTRAINTS_FAILURE": "chuỗi chứng thư không đáp ứng ràng buộc (ví dụ mục đích sử dụng khóa)",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "chứng thư dùng thuật toán không còn được chấp nhận",
    "CRYPTO_CONSTRAINTS_FAILURE": "chứng thư dùng thuật toán không còn được chấp nhận",
}


def _self_signed(cert: Any) -> bool:
    try:
        return bool(cert is not None and cert.self_signed in ("yes", "maybe") and cert.issuer == cert.subject)
    except Exception:  # noqa: BLE001 - an odd certificate: fall back to the generic reason
        return False


def _validate_one(sig: Any, roots: list[Any]) -> Any:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    vc = ValidationContext(trust_roots=roots, allow_fetching=False)
    ku = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    return validate_pdf_signature(sig, signer_validation_context=vc, key_usage_settings=ku)


def _cert_fields(cert: Any) -> dict[str, Any]:
    from khoiapp.services.signing import signer_info

    info = signer_info(cert)
    return {
        "signer": info.subject_name,
        "signer_org": info.organisation,
        "cert_fingerprint": info.fingerprint_sha256,
        "cert_issuer": info.issuer,
        "cert_not_after": info.not_after.isoformat(),
    }


def _iso(t: dt.datetime | None) -> str | None:
    if t is None:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(VN_TZ).isoformat()


def _collect_signatures(reader: Any) -> tuple[list[Any], int]:
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


def _check_signatures(reader: Any, roots: list[Any]) -> dict[str, Any]:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    sigs, broken = _collect_signatures(reader)
    res: dict[str, Any] = {
        "signed": bool(sigs) or broken > 0,
        "signature_count": len(sigs) + broken,
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
        "problems": [],
        "changes": [],
        "docmdp_ok": True,
    }
    problems: list[str] = res["problems"]
    if broken:
        problems.append(
            "Chữ ký số trong tệp bị hỏng, không đọc được (dữ liệu chữ ký đã bị sửa hoặc thay)."
            if broken == 1
            else f"{broken} chữ ký số trong tệp bị hỏng, không đọc được (dữ liệu chữ ký đã bị sửa hoặc thay)."
        )
        for k in ("intact", "valid", "trusted", "entire_file"):
            res[k] = False
    if not sigs:
        if not broken:
            problems.append("Hồ sơ chưa được ký số: không có gì bảo đảm nội dung không bị sửa.")
        return res
    intact_all = valid_all = trusted_all = True
    # the newest signature is the one that must cover the whole file
    primary = sigs[-1]
    for idx, sig in enumerate(sigs):
        label = "Chữ ký" if len(sigs) == 1 else f"Chữ ký thứ {idx + 1}"
        try:
            status = _validate_one(sig, roots)
        except Exception as exc:  # noqa: BLE001 - a malformed signature is a finding, not a crash
            log.info("signature %d cannot be validated: %r", idx, exc)
            problems.append(f"{label} bị hỏng, không đọc được (dữ liệu chữ ký đã bị sửa hoặc thay).")
            intact_all = valid_all = trusted_all = False
            if sig is primary:
                res["entire_file"] = False
            continue
        if sig is primary:
            try:
                res.update(_cert_fields(status.signing_cert))
            except Exception:  # noqa: BLE001
                log.info("cannot describe the signing certificate", exc_info=True)
            res["signing_time"] = _iso(getattr(status, "signer_reported_dt", None))
            ts = getattr(status, "timestamp_validity", None)
            res["timestamped"] = ts is not None
            if ts is not None:
                res["signing_time"] = _iso(ts.timestamp) or res["signing_time"]
            res["entire_file"] = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        if not status.intact:
            intact_all = False
            problems.append(
                f"{label} không khớp nội dung tệp: tệp đã bị sửa sau khi ký (nội dung trong phần được ký "
                "đã thay đổi)."
            )
        elif not status.valid:
            valid_all = False
            problems.append(f"{label} không hợp lệ về mật mã (chữ ký đã bị thay hoặc làm giả).")
        if not status.trusted:
            trusted_all = False
            if status.intact and status.valid:
                why = _TRUST_REASONS.get(
                    getattr(status.trust_problem_indic, "name", ""),
                    "không xác minh được chuỗi chứng thư tới một chứng thư trong danh sách tin cậy",
                )
                if _self_signed(getattr(status, "signing_cert", None)):
                    # pyHanko calls an untrusted self-signed certificate a "chain constraints"
                    # failure; for the user the point is that it is not on the trust list yet.
                    why = "đây là chứng thư tự cấp (chứng thư riêng của đơn vị) chưa có trong danh sách tin cậy"
                problems.append(
                    f"{label} chưa được tin cậy: {why}. Nếu đã xác nhận với đơn vị gửi rằng đây là chứng thư "
                    "của họ (so dấu vân tay), hãy thêm chứng thư vào danh sách tin cậy."
                )
        if status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
            problems.append(f"{label} không bao phủ toàn bộ tệp theo cách chuẩn (phạm vi ký bất thường).")
            if sig is primary:
                res["entire_file"] = False
        if status.modification_level is not None and not status.docmdp_ok:
            res["docmdp_ok"] = False
    res["intact"] = intact_all and not broken
    res["valid"] = valid_all and not broken
    res["trusted"] = trusted_all and not broken
    try:
        appended = primary.signed_revision < reader.xrefs.total_revisions - 1
    except Exception:  # noqa: BLE001 - broken byte range: already reported above
        appended = None
    res["modified_after_signing"] = appended
    if appended:
        res["entire_file"] = False
        if intact_all:
            try:
                changes = _describe_changes(reader, primary.signed_revision)
            except Exception:  # noqa: BLE001
                log.info("cannot describe changes", exc_info=True)
                changes = ["có phần khác của tệp bị thay đổi hoặc thêm vào"]
            res["changes"] = changes
        problems.append(
            "Tệp đã bị sửa sau khi ký (thêm/thay trang hoặc tệp đính kèm): " + "; ".join(res["changes"]) + "."
            if res["changes"]
            else "Tệp đã bị sửa sau khi ký (có phần được thêm vào sau chữ ký)."
        )
    return res


# --------------------------------------------------------------------------- entry point


def _open_reader(p: Path) -> tuple[Any, Any]:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    from khoiapp.services.dossier_reader import open_pdf_file

    f = open_pdf_file(p)
    try:
        reader = PdfFileReader(f, strict=False)
        if reader.encrypted:
            raise DossierError(
                f"Tệp «{p}» được mã hóa bằng mật khẩu; Khối không kiểm tra được hồ sơ mã hóa. "
                "Hãy đề nghị đơn vị gửi bản không mã hóa."
            )
        reader.root  # noqa: B018 - fail here on a broken trailer, not later
    except DossierError:
        f.close()
        raise
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        f.close()
        raise DossierError(
            f"Tệp PDF «{p}» bị hỏng, không đọc được ({exc}). Hãy đề nghị đơn vị gửi lại hồ sơ."
        ) from None
    except BaseException:
        f.close()
        raise
    return f, reader


def verify_dossier(
    path: str | os.PathLike[str],
    trust: Sequence[str | os.PathLike[str] | bytes] = (),
    *,
    use_trust_store: bool = True,
) -> VerificationReport:
    """Check a dossier PDF: signature, coverage, later changes, trust, payload and manifest.

    Works offline: no certificate revocation is checked (see docs/security.md).

    Args:
        path: the dossier PDF.
        trust: extra trusted certificates (paths to PEM/DER files, or their bytes).
        use_trust_store: also trust the app's trust list (``trust list``).

    Raises:
        DossierError: the file is missing, not a PDF, encrypted or too damaged to read.
        TrustListError: a ``trust`` file cannot be read.
    """
    p = Path(path)
    roots = _load_trust(trust, use_trust_store)
    f, reader = _open_reader(p)
    with f:
        try:
            sig = _check_signatures(reader, roots)
        except DossierError:
            raise
        except Exception as exc:  # noqa: BLE001 - a PDF too broken to even list its signatures
            log.info("cannot list signatures: %r", exc, exc_info=True)
            raise DossierError(
                f"Tệp PDF «{p}» bị hỏng, không đọc được phần chữ ký. Hãy đề nghị đơn vị gửi lại hồ sơ."
            ) from None
        att = _check_attachments(reader)

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
        and consistent
    ):
        verdict = "ok" if sig["trusted"] else "untrusted"
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
    )
