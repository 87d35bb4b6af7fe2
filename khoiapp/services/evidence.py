"""Evidence (minh chứng): files stored inside the document, content-addressed and deduplicated."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import mimetypes
import os
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from khoiapp.db import Document, sqlite_connection
from khoiapp.errors import BadInputError, Cancelled, DiskFullError, EvidenceFileError, EvidenceTooLargeError
from khoiapp.models import Blob, CriterionResult, Evidence, Period, Rendition
from khoiapp.safename import safe_component
from khoiapp.services.criteria import _find
from khoiapp.services.document import Changes, get_period, nfc

CHUNK = 1024 * 1024

ATTACH_CHOICES = ("auto", "original", "reduced", "list")
"""How one evidence item goes into the dossier: ``auto`` follows the export's photo choice (by default
reduced copies of large photos only when the dossier would exceed its size budget); ``original`` always
embeds the file as it is; ``reduced`` always embeds a print-size copy of a photo (the original's
SHA-256 kept in the payload); ``list`` lists the item with its SHA-256 and attaches nothing."""
ATTACH_LABELS = {
    "auto": "Tự động",
    "original": "Đính kèm bản gốc",
    "reduced": "Đính kèm bản thu nhỏ",
    "list": "Chỉ liệt kê",
}
ATTACH_CLI = {"tu-dong": "auto", "auto": "auto", "original": "original", "ban-goc": "original",
              "reduced": "reduced", "thu-nho": "reduced", "list": "list", "liet-ke": "list"}


def is_reducible_type(mime_type: str) -> bool:
    """Reduced copies exist for JPEG photos only (other files are embedded as they are)."""
    return mime_type.lower() == "image/jpeg"


def copy_choice(copy_mode: object) -> str:
    """An embedded item's stored copy mode as ``auto``/``original``/``reduced`` (anything else: ``auto``)."""
    return copy_mode if copy_mode in ("auto", "original", "reduced") else "auto"  # type: ignore[return-value]


def attach_choice(e: Evidence) -> str:
    """The item's choice among :data:`ATTACH_CHOICES` (``list`` when it is not embedded)."""
    if not e.embed:
        return "list"
    return copy_choice(e.copy_mode)


def set_attach_choice(e: Evidence, choice: str) -> None:
    """Apply ``choice`` to ``e``; a reduced copy is refused for a file that is not a JPEG photo."""
    choice = ATTACH_CLI.get(str(choice).strip().lower(), str(choice))
    if choice not in ATTACH_CHOICES:
        raise BadInputError(
            f"Cách đính kèm «{choice}» không có. Hãy chọn: tự động, bản gốc, bản thu nhỏ hoặc chỉ liệt kê."
        )
    if choice == "reduced" and not is_reducible_type(e.mime_type):
        raise BadInputError(
            f"Minh chứng {e.code} không phải ảnh JPEG nên không có bản thu nhỏ. Hãy chọn đính kèm bản gốc "
            "hoặc chỉ liệt kê."
        )
    if choice == "list":
        e.embed = False
    else:
        e.embed, e.copy_mode = True, choice
DEFAULT_LIMIT = 100 * 1024 * 1024
Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

# What officers actually attach: scans, photos, office documents.
ALLOWED_SUFFIXES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".webp": "image/webp",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".mp4": "video/mp4",
    ".mp3": "audio/mpeg",
    ".zip": "application/zip",
}


@dataclass(frozen=True)
class EvidenceView:
    id: int
    code: str
    title: str
    doc_number: str
    issued_on: dt.date | None
    issuer: str
    file_name: str
    mime_type: str
    size: int
    sha256: str | None
    embed: bool
    inherited: bool
    note: str
    criteria: tuple[str, ...]
    attach: str = "auto"  # one of ATTACH_CHOICES: how the file goes into the dossier

    @property
    def reducible(self) -> bool:
        """A photo a reduced copy can be made of (JPEG): the choice «bản thu nhỏ» applies to it."""
        return is_reducible_type(self.mime_type)


@dataclass(frozen=True)
class AddResult:
    evidence: EvidenceView
    reused: bool  # the same file was already in this period: linked instead of stored twice
    changes: Changes


def evidence_limit() -> int:
    """The evidence size limit (``KHOI_EVIDENCE_LIMIT_MB`` or the app configuration)."""
    env = os.environ.get("KHOI_EVIDENCE_LIMIT_MB")
    if env:
        try:
            return int(float(env) * 1024 * 1024)
        except ValueError:
            pass
    try:
        from khoiapp import appconfig

        return appconfig.load().evidence_limit_mb * 1024 * 1024
    except (ImportError, AttributeError):
        return DEFAULT_LIMIT


def _view(e: Evidence) -> EvidenceView:
    return EvidenceView(
        id=e.id,
        code=e.code,
        title=e.title,
        doc_number=e.doc_number,
        issued_on=e.issued_on,
        issuer=e.issuer,
        file_name=e.file_name,
        mime_type=e.mime_type,
        size=e.size,
        sha256=e.sha256,
        embed=e.embed,
        inherited=e.inherited,
        note=e.note,
        criteria=tuple(sorted(r.code for r in e.results)),
        attach=attach_choice(e),
    )


def check_file(path: str | Path, limit: int | None = None) -> tuple[Path, int, str]:
    """Check a file can be attached; returns (path, size, MIME type)."""
    p = Path(path)
    if not p.exists():
        raise EvidenceFileError(f"Không tìm thấy tệp «{p}». Hãy kiểm tra lại đường dẫn rồi thử lại.")
    if not p.is_file():
        raise EvidenceFileError(f"«{p}» là thư mục, không phải tệp. Hãy chọn từng tệp minh chứng.")
    suffix = p.suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        allowed = ", ".join(sorted(s.lstrip(".") for s in ALLOWED_SUFFIXES))
        raise EvidenceFileError(
            f"Không nhận loại tệp «{p.name}». Hãy dùng tệp ảnh, PDF hoặc văn bản ({allowed})."
        )
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise EvidenceFileError(
            f"Không đọc được tệp «{p.name}» ({exc.strerror}). Hãy kiểm tra quyền đọc tệp hoặc chép tệp ra ổ đĩa máy."
        ) from exc
    lim = evidence_limit() if limit is None else limit
    if size > lim:
        raise EvidenceTooLargeError(p.name, size, lim)
    if size == 0:
        raise EvidenceFileError(f"Tệp «{p.name}» rỗng (0 byte). Hãy chọn đúng tệp minh chứng.")
    return p, size, ALLOWED_SUFFIXES[suffix]


def hash_file(path: Path, size: int, progress: Progress | None, is_cancelled: IsCancelled | None) -> str:
    h = hashlib.sha256()
    done = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            done += len(chunk)
            if is_cancelled and is_cancelled():
                raise Cancelled()
            if progress:
                progress(done, size * 2)
    return h.hexdigest()


def store_blob_stream(
    s: Session,
    sha256: str,
    size: int,
    chunks: Iterator[bytes],
    *,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
    progress_offset: int = 0,
    progress_total: int | None = None,
) -> bool:
    """Store bytes under their hash, streamed with SQLite's incremental blob I/O.

    Returns False if the blob was already stored (nothing written). The caller's transaction
    makes it all-or-nothing; the bytes are re-hashed as they are written and must match.
    """
    if s.get(Blob, sha256) is not None:
        return False
    conn = sqlite_connection(s)
    cur = conn.execute("INSERT INTO blob (sha256, size, data) VALUES (?, ?, zeroblob(?))", (sha256, size, size))
    rowid = cur.lastrowid
    h = hashlib.sha256()
    written = 0
    with conn.blobopen("blob", "data", rowid) as blob:  # type: ignore[arg-type]
        for chunk in chunks:
            if written + len(chunk) > size:
                raise EvidenceFileError("Tệp đã thay đổi trong khi đang thêm. Hãy thử lại.")
            blob.write(chunk)
            h.update(chunk)
            written += len(chunk)
            if is_cancelled and is_cancelled():
                raise Cancelled()
            if progress:
                progress(progress_offset + written, progress_total or size)
    if written != size or h.hexdigest() != sha256:
        raise EvidenceFileError("Tệp đã thay đổi trong khi đang thêm. Hãy thử lại.")
    return True


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def read_blob(s: Session, sha256: str) -> Generator[bytes, None, None]:
    """Stream stored bytes in chunks, never the whole file at once."""
    conn = sqlite_connection(s)
    row = conn.execute("SELECT rowid, size FROM blob WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        raise EvidenceFileError("Tài liệu thiếu nội dung của một minh chứng. Hãy thêm lại tệp minh chứng đó.")
    rowid, size = row
    with conn.blobopen("blob", "data", rowid, readonly=True) as blob:
        while chunk := blob.read(CHUNK):
            yield chunk


def copy_blob_to(doc: Document, sha256: str, out: BinaryIO) -> int:
    n = 0
    with doc.read() as s:
        for chunk in read_blob(s, sha256):
            out.write(chunk)
            n += len(chunk)
    return n


def next_code(s: Session, period_id: int, criterion_code: str | None) -> str:
    prefix = f"MC-{criterion_code}-" if criterion_code else "MC-"
    existing = s.scalars(
        select(Evidence.code).where(Evidence.period_id == period_id, Evidence.code.like(prefix + "%"))
    ).all()
    n = 0
    pat = re.compile(re.escape(prefix) + r"(\d+)$")
    for code in existing:
        m = pat.match(code)
        if m:
            n = max(n, int(m.group(1)))
    return f"{prefix}{n + 1:02d}"


def add_evidence(
    doc: Document,
    year: int,
    path: str | Path,
    *,
    criteria: tuple[str, ...] = (),
    title: str | None = None,
    doc_number: str = "",
    issued_on: dt.date | None = None,
    issuer: str = "",
    limit: int | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
    attach: str | None = None,
) -> AddResult:
    """Add a file as evidence of a period, linked to ``criteria``.

    The file is hashed first; if the same bytes are already evidence of this period, that
    evidence is linked instead of stored twice (``attach``, when given, is then applied to it).
    Large files are streamed, never held in memory.

    Args:
        attach: one of :data:`ATTACH_CHOICES` (default ``auto``); ``reduced`` only for a JPEG photo.
    """
    doc.require_writable()
    if attach is not None and ATTACH_CLI.get(attach.strip().lower(), attach) not in ATTACH_CHOICES:
        raise BadInputError(
            f"Cách đính kèm «{attach}» không có. Hãy chọn: tự động, bản gốc, bản thu nhỏ hoặc chỉ liệt kê."
        )
    p, size, mime = check_file(path, limit)
    if attach is not None and ATTACH_CLI.get(attach.strip().lower(), attach) == "reduced" \
            and not is_reducible_type(mime):
        raise BadInputError(
            f"Tệp «{p.name}» không phải ảnh JPEG nên không có bản thu nhỏ. Hãy chọn đính kèm bản gốc "
            "hoặc chỉ liệt kê."
        )
    sha = hash_file(p, size, progress, is_cancelled)
    with doc.transaction() as s:
        period = get_period(s, year)
        results = [_find(s, period, code)[0] for code in criteria]
        existing = s.scalar(select(Evidence).where(Evidence.period_id == period.id, Evidence.sha256 == sha))
        if existing is not None:
            for r in results:
                if r not in existing.results:
                    existing.results.append(r)
            if attach is not None:
                set_attach_choice(existing, attach)
            s.flush()
            return AddResult(
                _view(existing), True, Changes(evidence_ids=(existing.id,), criterion_codes=tuple(criteria))
            )
        store_blob_stream(
            s, sha, size, _file_chunks(p), progress=progress, is_cancelled=is_cancelled,
            progress_offset=size, progress_total=size * 2,
        )
        e = _new_evidence(
            s, period, results, title=title or _title_from_name(p.name), file_name=p.name, mime=mime,
            size=size, sha=sha, doc_number=doc_number, issued_on=issued_on, issuer=issuer,
        )
        if attach is not None:
            set_attach_choice(e, attach)
            s.flush()
        return AddResult(_view(e), False, Changes(evidence_ids=(e.id,), criterion_codes=tuple(criteria)))


def add_evidence_bytes(
    doc: Document,
    year: int,
    data: bytes,
    file_name: str,
    *,
    criteria: tuple[str, ...] = (),
    title: str | None = None,
    doc_number: str = "",
    issued_on: dt.date | None = None,
    issuer: str = "",
    code: str | None = None,
    embed: bool = True,
) -> AddResult:
    """Add evidence from bytes already in memory (generated files, imports)."""
    doc.require_writable()
    if len(data) > evidence_limit():
        raise EvidenceTooLargeError(file_name, len(data), evidence_limit())
    suffix = Path(file_name).suffix.lower()
    mime = ALLOWED_SUFFIXES.get(suffix) or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    sha = hashlib.sha256(data).hexdigest()
    with doc.transaction() as s:
        period = get_period(s, year)
        results = [_find(s, period, c)[0] for c in criteria]
        existing = s.scalar(select(Evidence).where(Evidence.period_id == period.id, Evidence.sha256 == sha))
        if existing is not None:
            for r in results:
                if r not in existing.results:
                    existing.results.append(r)
            return AddResult(_view(existing), True, Changes(evidence_ids=(existing.id,)))
        store_blob_stream(s, sha, len(data), iter([data]) if data else iter(()))
        e = _new_evidence(
            s, period, results, title=title or _title_from_name(file_name), file_name=file_name, mime=mime,
            size=len(data), sha=sha, doc_number=doc_number, issued_on=issued_on, issuer=issuer, code=code,
            embed=embed,
        )
        return AddResult(_view(e), False, Changes(evidence_ids=(e.id,)))


def _new_evidence(
    s: Session,
    period: Period,
    results: list[CriterionResult],
    *,
    title: str,
    file_name: str,
    mime: str,
    size: int,
    sha: str | None,
    doc_number: str,
    issued_on: dt.date | None,
    issuer: str,
    code: str | None = None,
    embed: bool = True,
) -> Evidence:
    code = nfc(code) if code else next_code(s, period.id, results[0].code if results else None)
    e = Evidence(
        period_id=period.id,
        code=code,
        title=nfc(title)[:500],
        doc_number=nfc(doc_number),
        issued_on=issued_on,
        issuer=nfc(issuer),
        file_name=nfc(Path(file_name).name)[:255],
        mime_type=mime,
        size=size,
        sha256=sha,
        embed=embed,
        added_at=dt.datetime.now().replace(microsecond=0),
    )
    e.results = list(results)
    s.add(e)
    s.flush()
    return e


def _title_from_name(name: str) -> str:
    stem = Path(name).stem.replace("_", " ").replace("-", " ").strip()
    return nfc(stem) or "Minh chứng"




def list_evidence(doc: Document, year: int) -> list[EvidenceView]:
    with doc.read() as s:
        p = get_period(s, year)
        rows = s.scalars(select(Evidence).where(Evidence.period_id == p.id).order_by(Evidence.code)).all()
        return [_view(e) for e in rows]


def find_evidence(doc: Document, year: int, code: str) -> EvidenceView:
    """The period's evidence item with ``code``."""
    with doc.read() as s:
        p = get_period(s, year)
        e = s.scalar(select(Evidence).where(Evidence.period_id == p.id, Evidence.code == nfc(code.strip())))
        if e is None:
            raise BadInputError(
                f"Kỳ {year} không có minh chứng mã «{code}». Xem danh sách mã bằng lệnh info hoặc trang Minh chứng."
            )
        return _view(e)


def get_evidence(doc: Document, evidence_id: int) -> EvidenceView:
    with doc.read() as s:
        return _view(_get(s, evidence_id))


def _get(s: Session, evidence_id: int) -> Evidence:
    e = s.get(Evidence, evidence_id)
    if e is None:
        raise BadInputError("Minh chứng này không còn trong tài liệu (có thể đã bị xóa).")
    return e


EDITABLE = {"code", "title", "doc_number", "issued_on", "issuer", "note", "embed", "attach"}


def update_evidence(doc: Document, evidence_id: int, **values: object) -> Changes:
    doc.require_writable()
    with doc.transaction() as s:
        e = _get(s, evidence_id)
        for k, v in values.items():
            if k not in EDITABLE:
                raise BadInputError(f"Không sửa được trường «{k}» của minh chứng.")
            if k == "code":
                code = nfc(str(v))
                if not code:
                    raise BadInputError("Mã minh chứng không được để trống.")
                if not re.fullmatch(r"[\w.\-\[\]]{1,50}", code):
                    raise BadInputError(
                        f"Mã minh chứng «{code}» chỉ được gồm chữ, số và các dấu . - [ ] (không dấu cách, tối đa 50 ký tự)."
                    )
                clash = s.scalar(
                    select(Evidence.id).where(
                        Evidence.period_id == e.period_id, Evidence.code == code, Evidence.id != e.id
                    )
                )
                if clash:
                    raise BadInputError(f"Mã minh chứng «{code}» đã được dùng. Hãy chọn mã khác.")
                e.code = code
            elif k == "issued_on":
                e.issued_on = v  # type: ignore[assignment]
            elif k == "embed":
                e.embed = bool(v)
            elif k == "attach":
                set_attach_choice(e, str(v))
            elif k == "title":
                t = nfc(str(v))
                if not t:
                    raise BadInputError("Tên minh chứng không được để trống.")
                e.title = t[:500]
            else:
                setattr(e, k, nfc(str(v)))
        return Changes(evidence_ids=(e.id,))


def link(doc: Document, evidence_id: int, code: str) -> Changes:
    doc.require_writable()
    with doc.transaction() as s:
        e = _get(s, evidence_id)
        period = s.get(Period, e.period_id)
        assert period is not None
        r, _c = _find(s, period, code)
        if r not in e.results:
            e.results.append(r)
        return Changes(evidence_ids=(e.id,), criterion_codes=(r.code,))


def unlink(doc: Document, evidence_id: int, code: str) -> Changes:
    doc.require_writable()
    with doc.transaction() as s:
        e = _get(s, evidence_id)
        e.results = [r for r in e.results if r.code != code]
        return Changes(evidence_ids=(e.id,), criterion_codes=(code,))


def remove_evidence(doc: Document, evidence_id: int) -> Changes:
    """Delete evidence; its bytes go too when nothing else uses them."""
    doc.require_writable()
    with doc.transaction() as s:
        e = _get(s, evidence_id)
        codes = tuple(r.code for r in e.results)
        sha = e.sha256
        s.delete(e)
        s.flush()
        if sha and not s.scalar(select(func.count()).select_from(Evidence).where(Evidence.sha256 == sha)):
            blob = s.get(Blob, sha)
            if blob is not None:
                s.delete(blob)
                # what exports made of the file goes with it (no trace of a removed photo stays)
                s.execute(delete(Rendition).where(Rendition.source_sha256 == sha))
        return Changes(evidence_ids=(evidence_id,), criterion_codes=codes)


def blob_count(doc: Document) -> int:
    with doc.read() as s:
        return int(s.scalar(select(func.count()).select_from(Blob)) or 0)


def evidence_file_name(code: str, file_name: str) -> str:
    """The name an evidence file is written under: ``<code>_<file name>``, made safe.

    Both parts come from the document (possibly from a hostile file), so both go through
    :func:`khoiapp.safename.safe_component`: no path part, no device name, at most 200 bytes.
    """
    suffix = Path(file_name).suffix if file_name and len(Path(file_name).suffix) <= 16 else ""
    stem = file_name[: len(file_name) - len(suffix)] if suffix else file_name
    code_part = safe_component(code, fallback="minh-chung", max_bytes=60)
    return safe_component(f"{code_part}_{stem}", fallback="minh-chung", suffix=suffix, max_bytes=200)


def save_evidence_file(doc: Document, evidence_id: int, out_dir: str | Path) -> Path:
    """Write the evidence file to ``out_dir`` under :func:`evidence_file_name`; returns its path.

    Raises:
        BadInputError: the evidence has no file.
        DiskFullError: the disk is full (the partial file is removed).
    """
    folder = Path(out_dir)
    with doc.read() as s:
        e = _get(s, evidence_id)
        if not e.sha256:
            raise BadInputError("Minh chứng này chỉ có thông tin, không có tệp đính kèm.")
        target = folder / evidence_file_name(e.code, e.file_name)
        if target.parent != folder:  # cannot happen with a safe component; never write elsewhere
            raise BadInputError("Tên tệp minh chứng không an toàn; Khối không ghi tệp này.")
        try:
            with open(target, "xb") as fh:
                for chunk in read_blob(s, e.sha256):
                    fh.write(chunk)
        except BaseException as exc:
            target.unlink(missing_ok=True)
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                raise DiskFullError() from None
            raise
    return target


def save_evidence_for_viewing(doc: Document, evidence_id: int, private_root: str | Path) -> Path:
    """Write the evidence file into a new private folder under ``private_root`` (to open it).

    The folder is made with :func:`tempfile.mkdtemp` (readable by this user only) inside the
    caller's private temporary folder, so opening a file never writes anywhere else.
    """
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="mo-", dir=private_root))
    return save_evidence_file(doc, evidence_id, folder)


def total_embedded_size(doc: Document, year: int) -> int:
    with doc.read() as s:
        p = get_period(s, year)
        return int(
            s.scalar(
                select(func.coalesce(func.sum(Evidence.size), 0)).where(
                    Evidence.period_id == p.id, Evidence.embed.is_(True), Evidence.sha256.is_not(None)
                )
            )
            or 0
        )


def evidence_ids_for(s: Session, period_id: int) -> list[int]:
    return list(s.scalars(select(Evidence.id).where(Evidence.period_id == period_id)).all())


__all__ = [
    "AddResult",
    "EvidenceView",
    "add_evidence",
    "add_evidence_bytes",
    "check_file",
    "evidence_file_name",
    "list_evidence",
    "save_evidence_file",
    "save_evidence_for_viewing",
    "update_evidence",
    "link",
    "unlink",
    "remove_evidence",
    "read_blob",
]

