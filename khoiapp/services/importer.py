"""Rolling last year's dossier forward: verify it, read it safely, then create the new period.

Steps (see ``docs/import.md``): the dossier PDF is hashed; its payload is read within the limits
of :mod:`khoiapp.dossier`, upgraded to the current format version (a newer one is
refused), checked against the JSON Schema and for consistency (names, manifest, framework
hashes); the signature is verified (an unsigned, untrusted or tampered dossier is refused unless
the caller accepts an unverified one, which the new period then records); every attachment must
match the manifest. Only then is a backup written and the new period created, in one transaction:
unit profile, committee, Quy ước and code of conduct carried over, evidence copied (marked
inherited), and every criterion prefilled with last year's answer as "cần xác nhận".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoiapp import frameworks as fwlib
from khoiapp import scoring
from khoiapp.db import Document, create_document, sqlite_connection
from khoiapp.dossier.limits import MAX_ATTACHMENTS, PAYLOAD_NAME
from khoiapp.dossier.reader import DossierReader, open_dossier
from khoiapp.dossier.upgrade import PAYLOAD_UPGRADES, upgrade_payload
from khoiapp.errors import (
    AlreadyImportedError,
    BadInputError,
    Cancelled,
    DocumentExistsError,
    DossierError,
    DossierLimitError,
    DossierTooNewError,
    DossierUnverifiedError,
    KhoiError,
)
from khoiapp.models import (
    Blob,
    CommitteeMember,
    ConductRule,
    Convention,
    ConventionArticle,
    ConventionChapter,
    CriterionResult,
    DocMeta,
    Evidence,
    ImportRecord,
    Period,
    PeriodStatus,
    ResultStatusCol,
    Unit,
    UnitType,
)
from khoiapp.services.document import (
    Changes,
    _version_key,
    check_year,
    latest_stored_framework,
    nfc,
    store_framework,
)
from khoiapp.safename import check_name

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

REFERENCE_META_PREFIX = "import-reference-"
"""DocMeta key (plus the target year) holding the dossier's Quy ước and code of conduct as imported."""

NARRATIVE = ("current_state", "strengths", "weaknesses", "improvement_plan")
MAX_TEXT = 20_000

_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

__all__ = [
    "PAYLOAD_UPGRADES",
    "REFERENCE_META_PREFIX",
    "FrameworkPlan",
    "ImportPlan",
    "ImportResult",
    "import_dossier",
    "import_new",
    "inspect_dossier",
    "upgrade_payload",
]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FrameworkPlan:
    """How one framework of the dossier is matched in the new period."""

    key: str
    role: str  # "base" | "addon"
    title: str
    dossier_version: str
    version: str  # the version the new period uses
    source: str  # "dossier" (its own copy) | "bundled" (newer, shipped with Khối) | "document"
    unmatched: tuple[str, ...]  # dossier criteria with no criterion of that code in the version used
    added: tuple[str, ...]  # criteria of the version used that the dossier does not have
    reworded: tuple[str, ...]  # same code, different wording: never confirmed in bulk


@dataclass(frozen=True)
class ImportPlan:
    """What importing a dossier would do; nothing is written to make it."""

    path: str
    dossier_sha256: str
    payload_sha256: str
    verdict: str  # as verify: ok | untrusted | unsigned | invalid
    verified: bool  # verdict == "ok"
    problems: tuple[str, ...]  # verification findings, Vietnamese
    signer: str | None
    signer_org: str | None
    signing_time: str | None
    unit_name: str
    source_year: int
    target_year: int
    frameworks: tuple[FrameworkPlan, ...]
    criteria: int  # criteria arriving as "cần xác nhận"
    evidence: int
    evidence_files: int
    evidence_bytes: int
    convention_title: str | None
    conduct_rules: int
    committee_members: int
    notes: tuple[str, ...] = ()

    @property
    def unmatched(self) -> tuple[str, ...]:
        return tuple(c for f in self.frameworks for c in f.unmatched)


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    document: str
    year: int
    source_year: int
    verdict: str
    unverified: bool
    dossier_sha256: str
    payload_sha256: str
    frameworks: tuple[FrameworkPlan, ...]
    criteria_to_confirm: int
    evidence: int
    evidence_files: int
    backup: str | None
    notes: tuple[str, ...]
    changes: Changes = field(default_factory=Changes)

    @property
    def unmatched(self) -> tuple[str, ...]:
        return tuple(c for f in self.frameworks for c in f.unmatched)


# --------------------------------------------------------------------------- preparing (read only)


@dataclass
class _Prepared:
    path: Path
    dossier_sha256: str
    payload_sha256: str
    payload: dict[str, Any]
    report: Any  # VerificationReport
    source_year: int
    reader: DossierReader  # the private copy everything was checked on; evidence is copied from it

    def close(self) -> None:
        self.reader.close()


def _bad(msg: str) -> DossierError:
    return DossierError(
        msg + " Hồ sơ có thể được tạo bằng phần mềm khác hoặc đã bị sửa; hãy xin lại bản hồ sơ gốc từ đơn vị."
    )


def _check_consistency(payload: dict[str, Any], attachment_names: set[str], limit: int) -> None:
    """Checks beyond the JSON Schema: names, the manifest against the evidence, framework hashes."""
    fws = payload["frameworks"]
    ids = [f["id"] for f in fws]
    if len(set(ids)) != len(ids):
        raise _bad("Dữ liệu hồ sơ ghi một bộ tiêu chí hai lần.")
    if [f["role"] for f in fws].count("base") != 1:
        raise _bad("Dữ liệu hồ sơ phải có đúng một bộ tiêu chí chính.")
    for f in fws:
        if hashlib.sha256(f["source_toml"].encode("utf-8")).hexdigest() != f["sha256"].lower():
            raise _bad(f"Nội dung bộ tiêu chí «{f['id'][:80]}» trong hồ sơ không khớp mã băm ghi kèm.")
    seen: set[tuple[str, str]] = set()
    for r in payload["results"]:
        if r["framework"] not in ids:
            raise _bad(f"Tiêu chí «{r['code'][:40]}» thuộc bộ tiêu chí không có trong hồ sơ.")
        key = (r["framework"], r["code"])
        if key in seen:
            raise _bad(f"Tiêu chí «{r['code'][:40]}» được ghi hai lần.")
        seen.add(key)

    manifest: dict[str, dict[str, Any]] = {}
    if len(payload["manifest"]) > MAX_ATTACHMENTS:
        raise DossierLimitError(
            f"Hồ sơ có hơn {MAX_ATTACHMENTS} tệp minh chứng, vượt giới hạn của định dạng hồ sơ Khối."
        )
    for m in payload["manifest"]:
        name = check_name(m["name"])
        if name == PAYLOAD_NAME or name in manifest:
            raise _bad(f"Danh mục tệp đính kèm ghi tên «{name}» hai lần.")
        manifest[name] = m
        if name not in attachment_names:
            raise DossierError(
                f"Hồ sơ thiếu tệp đính kèm «{name}» có trong danh mục. "
                "Hãy xin lại bản hồ sơ đầy đủ từ đơn vị; tài liệu chưa bị thay đổi."
            )
    codes: set[str] = set()
    for e in payload["evidence"]:
        code = check_name(e["code"], "mã minh chứng")
        if code in codes:
            raise _bad(f"Mã minh chứng «{code}» được ghi hai lần.")
        codes.add(code)
        if e["file_name"]:
            check_name(e["file_name"], "tên tệp minh chứng")
        if e["embedded"]:
            att = e["attachment"]
            if not isinstance(att, str):
                raise _bad(f"Minh chứng «{code}» được ghi là có đính kèm nhưng không có tên tệp đính kèm.")
            att = check_name(att)
            m = manifest.get(att)
            if m is None:
                raise _bad(f"Tệp đính kèm «{att}» của minh chứng «{code}» không có trong danh mục hồ sơ.")
            if (e["sha256"] or "").lower() != m["sha256"].lower() or e["size"] != m["size"]:
                raise _bad(f"Minh chứng «{code}» ghi mã băm hoặc dung lượng khác danh mục tệp đính kèm.")
            if m["size"] > limit:
                raise DossierLimitError(
                    f"Tệp đính kèm «{att}» lớn {_mb(m['size'])}, vượt giới hạn {_mb(limit)} cho một minh chứng. "
                    "Hãy tăng giới hạn trong phần Cài đặt nếu tệp này là thật, hoặc xin đơn vị gửi bản nhỏ hơn. "
                    "Tài liệu chưa bị thay đổi."
                )
        elif e["attachment"] is not None:
            check_name(e["attachment"])


def _damaged(p: Path, exc: BaseException) -> DossierError:
    return DossierError(
        f"Tệp PDF «{p.name}» bị hỏng, không đọc được ({type(exc).__name__}). "
        "Hãy đề nghị đơn vị gửi lại hồ sơ; tài liệu chưa bị thay đổi."
    )


def _mb(n: int) -> str:
    from khoiapp.textformat import format_size

    return format_size(n)


def _read(rd: DossierReader, limit: int) -> tuple[dict[str, Any], str]:
    names = set(rd.names)
    payload = rd.payload()
    _check_consistency(payload, names, limit)
    return payload, rd.payload_sha256


def _prepare(
    path: str | os.PathLike[str],
    *,
    trust: Sequence[str | os.PathLike[str] | bytes],
    use_trust_store: bool,
    accept_unverified: bool | None,
    limit: int | None,
    progress: Progress | None = None,
) -> _Prepared:
    """Read and check a dossier. ``accept_unverified=None`` only reports (for a preview).

    The file is read once (hashed while copied); the signature, the payload and later the
    evidence all come from that copy. The caller closes the returned preparation.
    """
    from khoiapp.services.evidence import evidence_limit

    p = Path(path)
    lim = evidence_limit() if limit is None else limit
    rd = open_dossier(p, strict=False, progress=progress)
    try:
        return _check_prepared(rd, p, lim, trust, use_trust_store, accept_unverified)
    except BaseException:
        rd.close()
        raise


def _check_prepared(
    rd: DossierReader,
    p: Path,
    lim: int,
    trust: Sequence[str | os.PathLike[str] | bytes],
    use_trust_store: bool,
    accept_unverified: bool | None,
) -> _Prepared:
    from khoiapp.services.verify import verify_reader

    # Verify first: the manifest check parses the payload once, and the reading below reuses it.
    try:
        report = verify_reader(rd, trust, use_trust_store=use_trust_store)
    except KhoiError:
        raise
    except (RecursionError, MemoryError):
        raise DossierLimitError(
            "Hồ sơ có cấu trúc lồng nhau quá sâu hoặc quá lớn để kiểm tra. Hồ sơ có thể đã bị làm giả; "
            "hãy xin lại bản hồ sơ gốc."
        ) from None
    except Exception as exc:  # noqa: BLE001 - the verifier parses a hostile file
        log.info("dossier %s cannot be verified", p, exc_info=True)
        raise _damaged(p, exc) from None
    # Report the read after the signature: a tampered file is "tampered" before it is "odd".
    read_error: DossierError | None = None
    try:
        payload, payload_sha = _read(rd, lim)
    except DossierLimitError:
        raise  # never hand an oversized or over-nested payload to anything else
    except DossierError as exc:
        read_error = exc
    except Exception as exc:  # noqa: BLE001 - a hostile file may break the PDF parser in any way
        log.info("dossier %s cannot be read", p, exc_info=True)
        read_error = _damaged(p, exc)
    if read_error is not None and not report.payload_present:
        raise read_error  # not a dossier at all: nothing to verify
    sig_ok = bool(
        report.signed
        and report.intact
        and report.valid
        and report.entire_file
        and not report.modified_after_signing
    )
    content_bad = bool(report.missing or report.mismatched or report.unexpected or report.attachments_ok is False)
    signature_problem = (
        not (sig_ok and report.trusted)
        or (report.verdict == "invalid" and not content_bad)
        or report.verdict == "foreign"
    )
    if signature_problem and accept_unverified is False:
        raise DossierUnverifiedError(report.verdict, list(report.problems))
    if read_error is not None:
        raise read_error
    if content_bad:
        what = []
        if report.missing:
            what.append("thiếu tệp " + ", ".join(f"«{n}»" for n in report.missing[:5]))
        if report.mismatched:
            what.append(
                "tệp không khớp mã băm SHA-256 trong danh mục: " + ", ".join(f"«{n}»" for n in report.mismatched[:5])
            )
        if report.unexpected:
            what.append("tệp lạ không có trong danh mục: " + ", ".join(f"«{n}»" for n in report.unexpected[:5]))
        detail = "; ".join(what) or "; ".join(report.problems[:3])
        raise DossierError(
            f"Tệp đính kèm của hồ sơ không khớp danh mục ({detail}). Nội dung minh chứng đã bị thay hoặc "
            "hồ sơ không đầy đủ; Khối không nhập hồ sơ này và tài liệu chưa bị thay đổi. "
            "Hãy xin lại bản hồ sơ gốc từ đơn vị."
        )
    return _Prepared(
        path=p,
        dossier_sha256=rd.sha256,
        payload_sha256=payload_sha,
        payload=payload,
        report=report,
        source_year=int(payload["period"]["year_end"]),
        reader=rd,
    )


# --------------------------------------------------------------------------- frameworks


def _dossier_framework(f: dict[str, Any]) -> fwlib.Framework:
    try:
        fw = fwlib.parse_framework(f["source_toml"].encode("utf-8"), f"{f['id']} {f['version']}")
    except KhoiError as exc:
        raise _bad(f"Bộ tiêu chí «{f['id'][:80]}» trong hồ sơ không đọc được ({exc.message[:300]}).") from None
    if fw.key != f["id"] or fw.version != f["version"] or fw.role != f["role"]:
        raise _bad(f"Bộ tiêu chí «{f['id'][:80]}» trong hồ sơ không khớp mã, phiên bản hoặc vai trò ghi kèm.")
    return fw


def _plan_frameworks(
    payload: dict[str, Any], s: Session | None
) -> list[tuple[dict[str, Any], fwlib.Framework, FrameworkPlan]]:
    """For each framework of the dossier: the framework the new period uses, and the mapping."""
    out = []
    wanted_roles = ("base", "addon") if payload["period"]["targets"]["model"] else ("base",)
    for f in sorted(payload["frameworks"], key=lambda x: 0 if x["role"] == "base" else 1):
        if f["role"] not in wanted_roles:
            continue
        own = _dossier_framework(f)
        candidates: list[tuple[fwlib.Framework, str]] = []
        try:
            candidates.append((fwlib.bundled_framework(own.key), "bundled"))
        except KhoiError:
            pass
        if s is not None:
            row = latest_stored_framework(s, own.key)
            if row is not None:
                from khoiapp.services.document import framework_of

                candidates.append((framework_of(row), "document"))
        use, source = own, "dossier"
        for cand, src in candidates:
            if cand.role == own.role and _version_key(cand.version) > _version_key(use.version):
                use, source = cand, src
        codes = [r["code"] for r in payload["results"] if r["framework"] == own.key]
        titles = {r["code"]: r["title"] for r in payload["results"] if r["framework"] == own.key}
        used_codes = [c.code for c in use.criteria()]
        reworded = tuple(
            c.code for c in use.criteria() if c.code in titles and nfc(titles[c.code]) != nfc(c.title)
        )
        plan = FrameworkPlan(
            key=own.key,
            role=own.role,
            title=use.title,
            dossier_version=own.version,
            version=use.version,
            source=source,
            unmatched=tuple(c for c in codes if c not in set(used_codes)),
            added=tuple(c for c in used_codes if c not in titles),
            reworded=reworded,
        )
        out.append((f, use, plan))
    return out


# --------------------------------------------------------------------------- preview


def _plan(prep: _Prepared, frameworks: list[FrameworkPlan], target_year: int, notes: list[str]) -> ImportPlan:
    pl = prep.payload
    r = prep.report
    files = [e for e in pl["evidence"] if e["embedded"]]
    matched = sum(
        1
        for res in pl["results"]
        for f in frameworks
        if res["framework"] == f.key and res["code"] not in f.unmatched
    )
    return ImportPlan(
        path=str(prep.path),
        dossier_sha256=prep.dossier_sha256,
        payload_sha256=prep.payload_sha256,
        verdict=r.verdict,
        verified=r.verdict == "ok",
        problems=tuple(r.problems),
        signer=r.signer,
        signer_org=r.signer_org,
        signing_time=r.signing_time,
        unit_name=pl["unit"]["name"],
        source_year=prep.source_year,
        target_year=target_year,
        frameworks=tuple(frameworks),
        criteria=matched,
        evidence=len(pl["evidence"]),
        evidence_files=len(files),
        evidence_bytes=sum(int(e["size"]) for e in files),
        convention_title=pl["convention"]["title"] if pl["convention"] else None,
        conduct_rules=len(pl["conduct"]),
        committee_members=len(pl["committee"]),
        notes=tuple(notes),
    )


def _target_year(prep: _Prepared, year: int | None) -> int:
    if year is None:
        if prep.source_year + 1 > 2100:
            raise BadInputError("Năm của hồ sơ đã là năm cuối cùng Khối hỗ trợ; hãy chọn năm đích bằng --year.")
        return prep.source_year + 1
    return check_year(year)


def inspect_dossier(
    path: str | os.PathLike[str],
    *,
    doc: Document | None = None,
    year: int | None = None,
    trust: Sequence[str | os.PathLike[str] | bytes] = (),
    use_trust_store: bool = True,
    limit: int | None = None,
) -> ImportPlan:
    """What importing ``path`` (into ``doc``, or a new document) would do; writes nothing.

    The verification verdict is reported, not enforced; every other check of the import runs.

    Raises:
        DossierError: not a readable dossier, unsafe names, attachments not matching the manifest.
        DossierTooNewError: a payload of a newer format version.
    """
    prep = _prepare(path, trust=trust, use_trust_store=use_trust_store, accept_unverified=None, limit=limit)
    try:
        target = _target_year(prep, year)
        notes: list[str] = []
        if doc is not None:
            with doc.read() as s:
                plans = [p for _f, _fw, p in _plan_frameworks(prep.payload, s)]
                notes += _preflight_target(s, prep, target)
        else:
            plans = [p for _f, _fw, p in _plan_frameworks(prep.payload, None)]
        return _plan(prep, plans, target, notes + list(prep.report.warnings))
    finally:
        prep.close()


def _preflight_target(s: Session, prep: _Prepared, target: int) -> list[str]:
    """Refuse a second import of the same dossier into the same year, or an existing year."""
    rec = s.scalar(
        select(ImportRecord).where(
            ImportRecord.dossier_sha256 == prep.dossier_sha256, ImportRecord.target_year == target
        )
    )
    if rec is not None:
        raise AlreadyImportedError(target, rec.imported_at.strftime("%H:%M %d/%m/%Y"))
    if s.scalar(select(Period).where(Period.year_end == target)) is not None:
        raise BadInputError(
            f"Tài liệu đã có kỳ đánh giá năm {target}. Khối chỉ nhập hồ sơ vào một kỳ mới; hãy chọn năm khác "
            "(--year) hoặc nhập vào một tài liệu khác. Tài liệu chưa bị thay đổi."
        )
    notes = []
    unit = s.scalar(select(Unit).order_by(Unit.id))
    if unit is not None and nfc(unit.name) and nfc(unit.name) != nfc(prep.payload["unit"]["name"]):
        notes.append(
            f"Tên đơn vị trong tài liệu («{unit.name}») khác tên trong hồ sơ («{prep.payload['unit']['name']}»); "
            "thông tin đơn vị trong tài liệu được giữ nguyên."
        )
    return notes


# --------------------------------------------------------------------------- import


def import_dossier(
    doc: Document,
    path: str | os.PathLike[str],
    *,
    year: int | None = None,
    accept_unverified: bool = False,
    trust: Sequence[str | os.PathLike[str] | bytes] = (),
    use_trust_store: bool = True,
    limit: int | None = None,
    backup: bool = True,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ImportResult:
    """Import a dossier PDF into ``doc`` as a new period (default: the dossier's year + 1).

    Everything is checked before the document is touched; then a backup is written and the
    period is created in one transaction, so on any error the document is unchanged.

    Args:
        doc: the open, writable document.
        path: the dossier PDF.
        year: the new period's year.
        accept_unverified: import even if unsigned, untrusted or tampered (recorded on the period).
        trust: extra trusted certificates for the verification.
        use_trust_store: also trust the app's trust list.
        limit: the largest evidence file accepted (default: the app's evidence limit).
        backup: write a backup of the document first.
        progress: ``progress(done, total)`` over the evidence bytes copied.
        is_cancelled: polled between chunks; raises :class:`Cancelled`.

    Raises:
        DossierUnverifiedError: the signature is not verified and ``accept_unverified`` is False.
        DossierError: not a readable dossier, corrupt payload, unsafe names, a missing attachment or
            one not matching its hash, an attachment over the limit.
        DossierTooNewError: a payload of a newer format version.
        AlreadyImportedError: this dossier was imported into that year already.
        BadInputError: the year exists in the document already.
    """
    doc.require_writable()
    prep = _prepare(
        path, trust=trust, use_trust_store=use_trust_store, accept_unverified=accept_unverified, limit=limit
    )
    try:
        if is_cancelled and is_cancelled():
            raise Cancelled()
        target = _target_year(prep, year)
        with doc.transaction() as s:
            _preflight_target(s, prep, target)
            empty = s.scalar(select(Unit.id)) is None and s.scalar(select(Period.id)) is None
        backup_path = None
        if backup and not empty:
            from khoiapp.services.backups import make_backup

            backup_path = str(make_backup(doc.path, reason="truoc-nhap-ho-so"))
        return _apply(doc, prep, target, progress=progress, is_cancelled=is_cancelled, backup_path=backup_path)
    finally:
        prep.close()


def import_new(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    year: int | None = None,
    accept_unverified: bool = False,
    trust: Sequence[str | os.PathLike[str] | bytes] = (),
    use_trust_store: bool = True,
    limit: int | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ImportResult:
    """Create the document ``out`` from a dossier alone; on any failure no file is left.

    The new document takes over the dossier's document id (it continues the same document).
    Raises as :func:`import_dossier`, and :class:`DocumentExistsError` if ``out`` exists.
    """
    out_p = Path(out)
    if out_p.exists():
        raise DocumentExistsError(out_p)
    prep = _prepare(
        path, trust=trust, use_trust_store=use_trust_store, accept_unverified=accept_unverified, limit=limit
    )
    try:
        return _import_new_prepared(prep, out_p, year, progress, is_cancelled)
    finally:
        prep.close()


def _import_new_prepared(
    prep: _Prepared, out_p: Path, year: int | None, progress: Progress | None, is_cancelled: IsCancelled | None
) -> ImportResult:
    target = _target_year(prep, year)
    if not out_p.parent.is_dir():
        raise DossierError(f"Thư mục «{out_p.parent}» không tồn tại. Hãy chọn thư mục khác để lưu tài liệu mới.")
    tmp = out_p.with_name(f".{out_p.name}.nhap-tmp")
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        leftover.unlink(missing_ok=True)
    doc = None
    try:
        doc = create_document(tmp)
        result = _apply(
            doc, prep, target, progress=progress, is_cancelled=is_cancelled, backup_path=None, adopt_id=True
        )
        doc.close()
        doc = None
        if out_p.exists():
            raise DocumentExistsError(out_p)
        os.replace(tmp, out_p)
    except BaseException:
        if doc is not None:
            doc.close()
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)
        raise
    return ImportResult(**{**result.__dict__, "document": str(out_p)})


def _date(v: Any) -> dt.date | None:
    if v is None:
        return None
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise _bad(f"Ngày «{str(v)[:20]}» trong dữ liệu hồ sơ không hợp lệ.") from None


def _text(v: Any) -> str:
    return nfc(v if isinstance(v, str) else "")[:MAX_TEXT]


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _apply(
    doc: Document,
    prep: _Prepared,
    target: int,
    *,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
    backup_path: str | None,
    adopt_id: bool = False,
) -> ImportResult:
    pl = prep.payload
    notes: list[str] = []
    now = _now()
    try:
        with doc.transaction() as s:
            notes += _preflight_target(s, prep, target)
            fw_plans = _plan_frameworks(pl, s)
            base_fw = fw_plans[0][1]

            unit_notes, unit_changed = _carry_unit(s, pl["unit"], base_fw)
            notes += unit_notes
            if adopt_id and _UUID_RE.match(pl["document_id"] or ""):
                meta = s.get(DocMeta, "document_id")
                if meta is not None:
                    meta.value = pl["document_id"]

            rows = [(store_framework(s, fw), fw, plan, f) for f, fw, plan in fw_plans]
            period = Period(
                year_start=target,
                year_end=target,
                framework_id=rows[0][0].id,
                addon_framework_id=rows[1][0].id if len(rows) > 1 else None,
                target_cultural=bool(pl["period"]["targets"]["cultural"]),
                target_model=len(rows) > 1,
                status=PeriodStatus.DRAFT,
                report_number=1,
                report_symbol=_text(pl["period"]["report"]["symbol"]) or "BC-CĐ",
                situation=_text(pl["period"]["report"]["situation"]),
                proposals="",
                recipients="\n".join(_text(x) for x in pl["period"]["report"]["recipients"]),
                source_dossier_sha256=prep.dossier_sha256,
                source_unverified=prep.report.verdict != "ok",
                created_at=now,
            )
            s.add(period)
            s.flush()

            results_by_code: dict[str, list[CriterionResult]] = {}
            to_confirm = 0
            for fw_row, fw, _plan_, f in rows:
                answers = {r["code"]: r for r in pl["results"] if r["framework"] == f["id"]}
                for c in fw.criteria():
                    r = answers.get(c.code)
                    row = _result_row(period.id, fw_row.id, c, r, prep.source_year)
                    to_confirm += int(row.needs_confirmation)
                    s.add(row)
                    results_by_code.setdefault(c.code, []).append(row)
            s.flush()

            ev_ids, files = _carry_evidence(s, prep, period, results_by_code, progress, is_cancelled)

            conv_note = _carry_convention(s, pl["convention"])
            if conv_note:
                notes.append(conv_note)
            conduct_note = _carry_conduct(s, pl["conduct"])
            if conduct_note:
                notes.append(conduct_note)
            for i, m in enumerate(pl["committee"], start=1):
                s.add(
                    CommitteeMember(
                        period_id=period.id,
                        position=i,
                        name=_text(m["name"]),
                        job_title=_text(m["job_title"]),
                        role=_text(m["role"]) or "Thành viên",
                        tasks=_text(m["tasks"]),
                    )
                )
            ref_key = f"{REFERENCE_META_PREFIX}{target}"
            old = s.get(DocMeta, ref_key)
            if old is not None:
                s.delete(old)
                s.flush()
            s.add(
                DocMeta(
                    key=ref_key,
                    value=json.dumps(
                        {
                            "year": prep.source_year,
                            "dossier_sha256": prep.dossier_sha256,
                            "convention": pl["convention"],
                            "conduct": pl["conduct"],
                        },
                        ensure_ascii=False,
                    ),
                )
            )
            s.add(
                ImportRecord(
                    dossier_sha256=prep.dossier_sha256,
                    payload_sha256=prep.payload_sha256,
                    source_year=prep.source_year,
                    target_year=target,
                    verdict=prep.report.verdict,
                    imported_at=now,
                )
            )
            s.flush()
            changes = Changes(
                unit=unit_changed,
                period_ids=(period.id,),
                criterion_codes=tuple(sorted(results_by_code)),
                evidence_ids=tuple(ev_ids),
                tables=("committee", "conduct"),
                convention=True,
            )
    except sqlite3.IntegrityError as exc:  # a constraint the checks above did not foresee
        log.info("import refused by a constraint: %r", exc)
        raise _bad("Dữ liệu hồ sơ mâu thuẫn với nhau nên không nhập được.") from None
    except Exception as exc:
        orig = getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.IntegrityError):
            log.info("import refused by a constraint: %r", exc)
            raise _bad("Dữ liệu hồ sơ mâu thuẫn với nhau nên không nhập được.") from None
        raise
    plans = tuple(p for _f, _fw, p in fw_plans)
    for p in plans:
        if p.source != "dossier":
            notes.append(
                f"Bộ tiêu chí «{p.title}» có phiên bản mới hơn ({p.version}, hồ sơ dùng {p.dossier_version}): "
                "tiêu chí được ghép theo mã."
            )
        if p.unmatched:
            notes.append(
                "Tiêu chí trong hồ sơ không còn trong bộ tiêu chí mới (không chuyển sang): "
                + ", ".join(p.unmatched)
                + "."
            )
        if p.reworded:
            notes.append(
                "Tiêu chí đổi nội dung, cần xác nhận từng tiêu chí: " + ", ".join(p.reworded) + "."
            )
    if prep.report.verdict != "ok":
        notes.append("Hồ sơ chưa được xác minh chữ ký số; kỳ đánh giá mới ghi rõ điều này.")
    notes += list(prep.report.warnings)  # e.g. "hợp lệ tại thời điểm ký" for a since-expired certificate
    return ImportResult(
        document=str(doc.path),
        year=target,
        source_year=prep.source_year,
        verdict=prep.report.verdict,
        unverified=prep.report.verdict != "ok",
        dossier_sha256=prep.dossier_sha256,
        payload_sha256=prep.payload_sha256,
        frameworks=plans,
        criteria_to_confirm=to_confirm,
        evidence=len(ev_ids),
        evidence_files=files,
        backup=backup_path,
        notes=tuple(notes),
        changes=changes,
    )


_UNIT_TEXT = (
    "name",
    "short_name",
    "parent_org",
    "superior_union",
    "union_name",
    "address",
    "place_name",
    "head_name",
    "head_title",
    "party_secretary",
    "union_chair",
    "phone",
    "email",
)


def _carry_unit(s: Session, u: dict[str, Any], base: fwlib.Framework) -> tuple[list[str], bool]:
    """A new document takes the dossier's unit profile; an existing one only gets its empty fields filled."""
    unit = s.scalar(select(Unit).order_by(Unit.id))
    if unit is None:
        utype = u["unit_type"] or (base.applies_to[0] if base.applies_to else UnitType.CO_QUAN.value)
        unit = Unit(unit_type=UnitType(utype), updated_at=_now())
        for k in _UNIT_TEXT:
            setattr(unit, k, _text(u[k]))
        unit.staff_count = u["staff_count"]
        unit.party_member_count = u["party_member_count"]
        s.add(unit)
        return [], True
    changed = False
    for k in _UNIT_TEXT:
        if not getattr(unit, k) and _text(u[k]):
            setattr(unit, k, _text(u[k]))
            changed = True
    for k in ("staff_count", "party_member_count"):
        if getattr(unit, k) is None and u[k] is not None:
            setattr(unit, k, u[k])
            changed = True
    if changed:
        unit.updated_at = _now()
    return [], changed


def _result_row(
    period_id: int, fw_id: int, c: fwlib.Criterion, r: dict[str, Any] | None, source_year: int
) -> CriterionResult:
    row = CriterionResult(period_id=period_id, framework_id=fw_id, code=c.code)
    row.status = ResultStatusCol.UNANSWERED
    row.value = None
    row.score = 0.0
    for k in (*NARRATIVE, "note"):
        setattr(row, k, "")
    if r is None:
        row.needs_confirmation = False
        return row
    status = r["status"] if r["status"] in {st.value for st in scoring.ResultStatus} else "chua-danh-gia"
    if status == scoring.ResultStatus.NOT_APPLICABLE.value and c.mandatory:
        status = scoring.ResultStatus.UNANSWERED.value
    value = None
    if c.kind != fwlib.CriterionKind.YESNO:
        if r["kind"] == c.kind.value and r["value"] is not None and status != "khong-ap-dung":
            try:
                value = scoring.validate_value(c, r["value"])
            except KhoiError:
                value = None
            if value is not None and scoring.advances_each_year(c):
                value += 1  # «Số năm liên tục»: this period is one more year (to confirm)
        if status != "khong-ap-dung":
            status = "chua-danh-gia"  # derived from the value below
    elif r["kind"] != c.kind.value:
        status = "chua-danh-gia"
    row.value = value
    inp = scoring.CriterionInput(status=scoring.ResultStatus(status), value=value, evidence_count=0)
    out = scoring.evaluate_criterion(c, inp)
    row.status = ResultStatusCol(out.status.value)
    row.score = out.score
    for k in NARRATIVE:
        setattr(row, k, _text(r[k]))
    row.note = _text(r["note"])
    row.needs_confirmation = True
    row.reference_json = json.dumps(
        {
            "year": source_year,
            "title": nfc(r["title"]),
            "status": r["status"],
            "status_label": r["status_label"],
            "value": r["value"],
            "current_state": r["current_state"],
            "strengths": r["strengths"],
            "weaknesses": r["weaknesses"],
            "improvement_plan": r["improvement_plan"],
            "note": r["note"],
            "evidence": sorted(r["evidence"]),
        },
        ensure_ascii=False,
    )
    row.updated_at = _now()
    return row


def _carry_evidence(
    s: Session,
    prep: _Prepared,
    period: Period,
    results_by_code: dict[str, list[CriterionResult]],
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> tuple[list[int], int]:
    """Copy every evidence item; embedded files are streamed from the PDF into the document."""
    pl = prep.payload
    total = sum(int(e["size"]) for e in pl["evidence"] if e["embedded"])
    done = 0
    ids: list[int] = []
    files = 0
    if progress:
        progress(0, total)
    rd = prep.reader
    for e in pl["evidence"]:
        sha = (e["sha256"] or "").lower() or None
        embed = bool(e["embedded"])
        if embed:
            assert sha is not None
            if s.get(Blob, sha) is None:
                _store_blob(s, rd, e["attachment"], sha, int(e["size"]), is_cancelled)
            files += 1
            done += int(e["size"])
            if progress:
                progress(done, total)
        elif sha is not None and s.get(Blob, sha) is None:
            sha = None  # listed only, and its bytes are not in this document: keep the description
        if is_cancelled and is_cancelled():
            raise Cancelled()
        ev = Evidence(
            period_id=period.id,
            code=nfc(e["code"]),
            title=_text(e["title"])[:500] or nfc(e["code"]),
            doc_number=_text(e["doc_number"]),
            issued_on=_date(e["issued_on"]),
            issuer=_text(e["issuer"]),
            file_name=_text(e["file_name"])[:255],
            mime_type=_text(e["mime_type"])[:100],
            size=int(e["size"]),
            sha256=sha,
            embed=embed,
            inherited=True,
            note=_text(e["note"]),
            added_at=_now(),
        )
        ev.results = [r for code in sorted(set(e["criteria"])) for r in results_by_code.get(code, [])]
        s.add(ev)
        s.flush()
        ids.append(ev.id)
    return ids, files


def _store_blob(s: Session, rd: Any, name: str, sha: str, size: int, is_cancelled: IsCancelled | None) -> None:
    """Stream one attachment into the blob table (incremental blob I/O), checking size and hash."""
    conn = sqlite_connection(s)
    cur = conn.execute("INSERT INTO blob (sha256, size, data) VALUES (?, ?, zeroblob(?))", (sha, size, size))
    rowid = cur.lastrowid
    h = hashlib.sha256()
    written = 0
    mismatch = DossierError(
        f"Tệp đính kèm «{name}» không khớp mã băm SHA-256 hoặc dung lượng ghi trong danh mục hồ sơ "
        "(nội dung đã bị thay). Khối không nhập hồ sơ này; tài liệu chưa bị thay đổi. "
        "Hãy xin lại bản hồ sơ gốc từ đơn vị."
    )
    # The manifest check hashed this attachment from the same private copy: hash again only if not.
    checked = rd.verified(name, sha, size)
    try:
        with conn.blobopen("blob", "data", rowid) as blob:  # type: ignore[arg-type]
            # decoding stops one byte past the declared size: a longer attachment is a mismatch
            for chunk in rd.iter_attachment(name, limit=size):
                blob.write(chunk)
                if not checked:
                    h.update(chunk)
                written += len(chunk)
                if is_cancelled and is_cancelled():
                    raise Cancelled()
    except DossierLimitError:
        raise mismatch from None
    if written != size or (not checked and h.hexdigest() != sha):
        raise mismatch


def _conv_tuple(title: str, chapters: Any) -> tuple[Any, ...]:
    return (
        nfc(title),
        tuple((nfc(ch["title"]), tuple((nfc(a["title"]), nfc(a["body"])) for a in ch["articles"])) for ch in chapters),
    )


def _carry_convention(s: Session, conv: dict[str, Any] | None) -> str | None:
    if conv is None:
        return None
    from khoiapp.services.content import current_convention_in

    cur = current_convention_in(s)
    if cur is not None:
        mine = _conv_tuple(
            cur.title,
            [{"title": ch.title, "articles": [{"title": a.title, "body": a.body} for a in ch.articles]} for ch in cur.chapters],
        )
        if mine == _conv_tuple(conv["title"], conv["chapters"]):
            return "Quy ước trong tài liệu giống Quy ước trong hồ sơ nên được giữ nguyên, không tạo phiên bản mới."
    top = max((v for v in s.scalars(select(Convention.version)).all()), default=0)
    c = Convention(
        version=max(int(conv["version"]), top + 1),
        title=_text(conv["title"])[:500],
        adopted_on=_date(conv["adopted_on"]),
        adopted_at=_text(conv["adopted_at"])[:500],
        inherited=True,
    )
    for i, ch in enumerate(conv["chapters"], start=1):
        nch = ConventionChapter(position=i, title=_text(ch["title"])[:500])
        nch.articles = [
            ConventionArticle(position=j, title=_text(a["title"])[:500], body=_text(a["body"]))
            for j, a in enumerate(ch["articles"], start=1)
        ]
        c.chapters.append(nch)
    s.add(c)
    s.flush()
    return None


def _carry_conduct(s: Session, rules: list[dict[str, Any]]) -> str | None:
    existing = s.scalars(select(ConductRule).order_by(ConductRule.position, ConductRule.id)).all()
    if existing:
        mine = [(r.category, nfc(r.text)) for r in existing]
        theirs = [(r["category"], nfc(r["text"])) for r in rules]
        if mine == theirs:
            return None
        return (
            "Tài liệu đã có Bộ quy tắc ứng xử khác với hồ sơ nên được giữ nguyên; "
            "xem phần so sánh để biết khác nhau ở đâu."
        )
    from khoiapp.services.content import CONDUCT_CATEGORIES

    for i, r in enumerate(rules, start=1):
        cat = r["category"] if r["category"] in CONDUCT_CATEGORIES else next(iter(CONDUCT_CATEGORIES))
        s.add(
            ConductRule(
                category=cat,
                position=i,
                text=_text(r["text"]),
                source=_text(r["source"])[:300],
                adopted_on=_date(r["adopted_on"]),
                posted=bool(r["posted"]),
                inherited=True,
            )
        )
    return None


def reference_meta(doc: Document, year: int) -> dict[str, Any] | None:
    """The dossier's Quy ước and code of conduct as imported into ``year`` (None if not imported)."""
    with doc.read() as s:
        m = s.get(DocMeta, f"{REFERENCE_META_PREFIX}{year}")
        if m is None:
            return None
        try:
            v = json.loads(m.value)
        except ValueError:
            return None
        return v if isinstance(v, dict) else None
