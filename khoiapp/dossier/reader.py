"""The one reader of a dossier PDF: a private copy read once, parsed once, read within limits.

:func:`open_dossier` reads the file once, hashing it while it copies it (into memory up to
``IN_MEMORY_COPY_BYTES``, else into a private temporary file), then parses the copy once with
pyHanko. Signature validation (:mod:`khoiapp.services.verify`), the manifest check, the payload
and every attachment then come from that same copy: replacing the file on disk after it was
opened changes nothing that is checked, counted or imported.
"""

from __future__ import annotations

import errno
import hashlib
import io
import logging
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from khoiapp.dossier.jsontext import parse_json
from khoiapp.dossier.limits import (
    CHUNK,
    IN_MEMORY_COPY_BYTES,
    MAX_ATTACHMENTS,
    MAX_ATTACHMENT_BYTES,
    MAX_DOSSIER_BYTES,
    MAX_PAYLOAD_BYTES,
    PAYLOAD_NAME,
    SCHEMA_ID,
)
from khoiapp.dossier.pdf import (
    StreamTooLarge,
    decoded_chunks,
    embedded_files,
    file_error,
    open_pdf_file,
    resolve_stream,
)
from khoiapp.dossier.schema import validate_payload
from khoiapp.dossier.upgrade import upgrade_payload
from khoiapp.errors import Cancelled, DiskFullError, DossierError, DossierLimitError, KhoiError, UnsafeNameError
from khoiapp.safename import check_name

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

__all__ = ["DossierReader", "ManifestCheck", "open_dossier"]


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


# --------------------------------------------------------------------------- the private copy


def _private_copy(
    path: Path, progress: Progress | None, is_cancelled: IsCancelled | None
) -> tuple[BinaryIO, str, int, Path | None]:
    """(copy positioned at 0, SHA-256, size, temporary folder or None): one read of ``path``.

    Only the bytes present when the file was opened are copied (its size then); a file growing
    meanwhile is cut there, which the PDF parser then reports as damaged.
    """
    src = open_pdf_file(path, shown=path.name)
    tmpdir: Path | None = None
    dst: BinaryIO
    try:
        size = os.fstat(src.fileno()).st_size
        if size <= IN_MEMORY_COPY_BYTES:
            dst = io.BytesIO()
        else:
            tmpdir = Path(tempfile.mkdtemp(prefix="khoi-ho-so-"))
            dst = open(tmpdir / "ban-sao.pdf", "w+b")  # noqa: SIM115 - closed by the reader
        h = hashlib.sha256()
        done = 0
        try:
            while done < size:
                chunk = src.read(min(CHUNK, size - done))
                if not chunk:
                    break
                h.update(chunk)
                dst.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, size)
                if is_cancelled and is_cancelled():
                    raise Cancelled()
            dst.seek(0)
        except OSError as exc:
            dst.close()
            if exc.errno == errno.ENOSPC:
                raise DiskFullError() from None
            raise file_error(path, exc) from None
        except BaseException:
            dst.close()
            raise
    except BaseException:
        if tmpdir is not None:
            shutil.rmtree(tmpdir, ignore_errors=True)
        raise
    finally:
        src.close()
    return dst, h.hexdigest(), done, tmpdir


# --------------------------------------------------------------------------- manifest check


@dataclass
class ManifestCheck:
    """The payload and the attachments against the manifest, as ``verify`` reports them."""

    payload_present: bool = False
    payload_schema: str | None = None
    attachments_ok: bool | None = None
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    payload: dict[str, Any] | None = None  # parsed (not schema-checked); None when unreadable
    payload_sha256: str | None = None
    payload_error: KhoiError | None = None  # why the payload could not be read, when it could not
    verified: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (sha256, size) as checked


# --------------------------------------------------------------------------- the reader


@dataclass(frozen=True)
class _Entry:
    name: str
    ref: Any  # reference (or direct object) of the embedded file stream, or None


class DossierReader:
    """An open dossier: its private copy, parsed once. Use :func:`open_dossier` (a context manager).

    ``pdf`` is the pyHanko reader (for signature validation), ``sha256`` and ``size`` describe
    the bytes read, which are the only bytes anything here looks at.
    """

    def __init__(self, path: Path, fh: BinaryIO, sha256: str, size: int, tmpdir: Path | None) -> None:
        from pyhanko.pdf_utils.misc import PdfError
        from pyhanko.pdf_utils.reader import PdfFileReader

        self.path = path
        self.sha256 = sha256
        self.size = size
        self._fh = fh
        self._tmpdir = tmpdir
        self._entries: dict[str, _Entry] | None = None
        self.duplicates: set[str] = set()
        self._check: ManifestCheck | None = None
        try:
            self.pdf: Any = PdfFileReader(fh, strict=False)
            if self.pdf.encrypted:
                raise DossierError(
                    f"Tệp «{path.name}» được mã hóa bằng mật khẩu; Khối không đọc được hồ sơ mã hóa. "
                    "Hãy đề nghị đơn vị gửi bản không mã hóa."
                )
            self.pdf.root  # noqa: B018 - fail here on a broken trailer, not later
        except DossierError:
            self.close()
            raise
        except (
            PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError,
            AssertionError,  # pyHanko asserts that /Root is a dictionary
            ArithmeticError,  # a number token like «1.2.3» reaches decimal.Decimal: InvalidOperation
        ) as exc:  # fmt: skip
            self.close()
            log.info("cannot read PDF %s: %r", path, exc)
            raise DossierError(
                f"Tệp PDF «{path.name}» bị hỏng, không đọc được. Hãy đề nghị đơn vị gửi lại hồ sơ."
            ) from None
        except BaseException:
            self.close()
            raise

    # -- listing (names refused when unsafe)

    def _listed(self) -> dict[str, _Entry]:
        """Attachments by (checked) name; a repeated name keeps its first entry."""
        if self._entries is not None:
            return self._entries
        out: dict[str, _Entry] = {}
        for f in embedded_files(self.pdf.root):
            if f.spec is None:
                continue
            if not isinstance(f.raw_name, str):
                raise UnsafeNameError(repr(f.raw_name)[:200])
            name = check_name(str(f.raw_name))
            if name in out:
                self.duplicates.add(name)
                continue
            out[name] = _Entry(name, f.stream_ref)
        self._entries = out
        return out

    @property
    def names(self) -> tuple[str, ...]:
        """Every attachment name (the payload included), sorted.

        Raises:
            UnsafeNameError: a name with a path part or control characters.
            DossierError: two attachments with the same name.
        """
        listed = self._listed()
        if self.duplicates:
            name = sorted(self.duplicates)[0]
            raise DossierError(
                f"Hồ sơ có nhiều tệp đính kèm cùng tên «{name}», nên không biết tệp nào là thật. "
                "Hồ sơ có thể đã bị sửa; hãy xin lại bản hồ sơ gốc."
            )
        return tuple(sorted(listed))

    def has(self, name: str) -> bool:
        return unicodedata.normalize("NFC", name) in self._listed()

    # -- reading

    def _stream(self, name: str) -> Any:
        entry = self._listed().get(unicodedata.normalize("NFC", name))
        if entry is None or entry.ref is None:
            return None
        return resolve_stream(self.pdf, entry.ref)

    def iter_attachment(self, name: str, *, limit: int) -> Iterator[bytes]:
        """The decoded bytes of attachment ``name`` in chunks of at most 1 MB.

        Raises:
            DossierError: missing, or its data cannot be decoded.
            DossierLimitError: it decodes to more than ``limit`` bytes (stops decoding there).
        """
        stream = self._stream(name)
        if stream is None:
            raise DossierError(
                f"Hồ sơ thiếu tệp đính kèm «{name}» (có trong danh mục nhưng không có trong tệp PDF). "
                "Hãy xin lại bản hồ sơ đầy đủ từ đơn vị."
            )
        yield from _decode(stream, name, min(limit, MAX_ATTACHMENT_BYTES))

    def read_attachment(self, name: str, *, limit: int) -> bytes:
        """All bytes of a (small) attachment, at most ``limit``."""
        return b"".join(self.iter_attachment(name, limit=limit))

    def attachment_digest(self, name: str, *, limit: int) -> tuple[str, int]:
        """(SHA-256, size) of an attachment, streamed."""
        h = hashlib.sha256()
        n = 0
        for chunk in self.iter_attachment(name, limit=limit):
            h.update(chunk)
            n += len(chunk)
        return h.hexdigest(), n

    def read_payload(self) -> tuple[Any, str]:
        """The parsed payload (any JSON value) and the SHA-256 of its bytes.

        Raises:
            DossierError: no payload attachment, or it is not valid JSON.
            DossierLimitError: too large, too many values or nested too deeply.
        """
        if not self.has(PAYLOAD_NAME):
            raise DossierError(
                f"Tệp PDF «{self.path.name}» không có dữ liệu hồ sơ «{PAYLOAD_NAME}» đính kèm: đây không phải "
                "hồ sơ do Khối xuất, hoặc dữ liệu đã bị gỡ. Hãy chọn đúng tệp hồ sơ PDF do Khối xuất."
            )
        data = self._payload_bytes(self._stream(PAYLOAD_NAME))
        return parse_json(data), hashlib.sha256(data).hexdigest()

    def _payload_bytes(self, stream: Any) -> bytes:
        if stream is None:
            raise DossierError(f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» không có nội dung.")
        try:
            return b"".join(_decode(stream, PAYLOAD_NAME, MAX_PAYLOAD_BYTES))
        except DossierLimitError:
            raise DossierLimitError(
                f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» lớn hơn {_mb(MAX_PAYLOAD_BYTES)}, vượt giới hạn của "
                "định dạng hồ sơ Khối. Hồ sơ có thể đã bị làm giả; hãy xin lại bản hồ sơ gốc."
            ) from None

    def payload(self) -> dict[str, Any]:
        """The payload, upgraded to the current version and checked against the schema.

        Parsed once per reader: the manifest check (``verify``) and this share the same parse.

        Raises:
            DossierError, DossierLimitError, DossierTooNewError, UnsafeNameError.
        """
        if self._check is not None and self._check.payload is not None:
            raw: Any = self._check.payload
        elif self._check is not None and self._check.payload_error is not None:
            raise self._check.payload_error
        else:
            raw, _sha = self.read_payload()
        payload = upgrade_payload(raw)
        validate_payload(payload)
        return payload

    def verified(self, name: str, sha256: str, size: int) -> bool:
        """True if the manifest check already decoded ``name`` from this copy to that hash and size.

        The copy cannot change, so a caller streaming the attachment again may skip hashing it.
        """
        got = self._check.verified.get(unicodedata.normalize("NFC", name)) if self._check is not None else None
        return got == (sha256.lower(), size)

    @property
    def payload_sha256(self) -> str:
        if self._check is not None and self._check.payload_sha256 is not None:
            return self._check.payload_sha256
        return self.read_payload()[1]

    # -- the manifest check of verify

    def check_manifest(self) -> ManifestCheck:
        """The payload and every attachment against the manifest (computed once per reader).

        Never raises for what the file holds: every finding is a line of ``problems``. Each
        attachment is decoded at most to its declared size (capped by ``MAX_ATTACHMENT_BYTES``),
        and the declared sizes together may not pass ``MAX_DOSSIER_BYTES``; both are checked
        before anything is decoded.
        """
        if self._check is None:
            self._check = _check_manifest(self)
        return self._check

    # -- lifetime

    def close(self) -> None:
        self._fh.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> DossierReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _decode(stream: Any, name: str, limit: int) -> Iterator[bytes]:
    try:
        yield from decoded_chunks(stream, limit)
    except StreamTooLarge:
        raise DossierLimitError(
            f"Tệp đính kèm «{name}» lớn hơn giới hạn {_mb(limit)} cho một minh chứng. "
            "Hãy tăng giới hạn trong phần Cài đặt nếu tệp này là thật, hoặc xin đơn vị gửi bản nhỏ hơn."
        ) from None
    except DossierError:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged stream data from outside: report, never crash
        log.info("cannot decode attachment %s: %r", name, exc)
        raise DossierError(
            f"Không đọc được nội dung tệp đính kèm «{name}» (dữ liệu bị hỏng). "
            "Hãy xin lại bản hồ sơ gốc từ đơn vị."
        ) from None


def _check_manifest(rd: DossierReader) -> ManifestCheck:
    res = ManifestCheck()
    try:
        files = [
            (unicodedata.normalize("NFC", str(f.raw_name)), f.stream_ref)
            for f in embedded_files(rd.pdf.root)
            if f.spec is not None
        ]
    except DossierError as exc:
        res.problems.append(exc.message)
        res.attachments_ok = False
        return res
    by_name: dict[str, Any] = {}
    duplicates = set()
    for name, ref in files:
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
    try:
        data = rd._payload_bytes(resolve_stream(rd.pdf, payload_ref))
        obj = parse_json(data)
        res.payload_sha256 = hashlib.sha256(data).hexdigest()
        del data
    except KhoiError as exc:
        res.payload_error = exc
        res.problems.append(exc.message)
        res.attachments_ok = False
        return res
    if not isinstance(obj, dict):
        res.problems.append(f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» sai cấu trúc.")
        res.attachments_ok = False
        return res
    schema = obj.get("schema")
    res.payload_schema = schema[:60] if isinstance(schema, str) else None
    if not (isinstance(schema, str) and schema.startswith(SCHEMA_ID + "/")):
        res.problems.append(
            f"Tệp dữ liệu hồ sơ không đúng định dạng «{SCHEMA_ID}» (ghi: «{str(schema)[:60]}»)."
        )
        res.attachments_ok = False
        return res
    res.payload = obj

    manifest = obj.get("manifest")
    if not isinstance(manifest, list):
        res.problems.append("Tệp dữ liệu hồ sơ không có danh mục tệp đính kèm (manifest) hợp lệ.")
        res.attachments_ok = False
        return res
    if len(manifest) > MAX_ATTACHMENTS:
        res.problems.append(
            f"Danh mục hồ sơ có {len(manifest)} tệp, vượt giới hạn {MAX_ATTACHMENTS} tệp của định dạng hồ sơ Khối."
        )
        res.attachments_ok = False
        return res
    entries: list[tuple[str, str, int | None]] = []
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
                size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None,
            )
        )
    declared = sum(s for _n, _h, s in entries if s is not None)
    if declared > MAX_DOSSIER_BYTES:
        res.problems.append(
            f"Danh mục hồ sơ ghi tổng dung lượng tệp đính kèm {_mb(declared)}, vượt giới hạn "
            f"{_mb(MAX_DOSSIER_BYTES)} của một hồ sơ; Khối không giải nén các tệp này."
        )
        res.attachments_ok = False
        return res

    bad_manifest = len(entries) != len(manifest)
    listed = {name for name, _, _ in entries}
    budget = MAX_DOSSIER_BYTES
    for name, want_hash, want_size in entries:
        ref = by_name.get(name)
        stream = resolve_stream(rd.pdf, ref) if ref is not None else None
        if stream is None:
            res.missing.append(name)
            res.problems.append(f"Thiếu tệp đính kèm «{name}» có trong danh mục hồ sơ.")
            continue
        # decoding stops one byte past the declared size: a longer attachment is a mismatch
        limit = min(want_size if want_size is not None else budget, MAX_ATTACHMENT_BYTES, budget)
        h = hashlib.sha256()
        n = 0
        try:
            for chunk in decoded_chunks(stream, limit):
                h.update(chunk)
                n += len(chunk)
        except StreamTooLarge:
            res.mismatched.append(name)
            res.problems.append(
                f"Tệp đính kèm «{name}» giải nén ra nhiều hơn dung lượng ghi trong danh mục hồ sơ "
                "(nội dung đã bị thay hoặc là «bom nén»)."
            )
            continue
        except Exception as exc:  # noqa: BLE001 - damaged stream data: report, do not crash
            log.info("cannot decode attachment %s: %r", name, exc)
            res.mismatched.append(name)
            res.problems.append(f"Không đọc được nội dung tệp đính kèm «{name}» (dữ liệu bị hỏng).")
            continue
        finally:
            del stream
        budget -= n
        if h.hexdigest() == want_hash and (want_size is None or n == want_size):
            res.verified[name] = (want_hash, n)
        else:
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


def open_dossier(
    path: str | os.PathLike[str],
    *,
    strict: bool = True,
    private: bool = True,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> DossierReader:
    """Read a dossier PDF once into a private copy (hashed on the way) and parse the copy.

    Args:
        path: the dossier PDF.
        strict: list the attachments now, refusing unsafe names, a name tree too deep or too
            many attachments (``False``: leave that to :meth:`DossierReader.check_manifest`,
            which reports instead of raising, as ``verify`` needs).
        private: copy the file first (``False`` only for a file this process just wrote and
            nobody else can have changed, e.g. the export's self-check; then ``sha256`` is "").
        progress: ``progress(done, total)`` over the bytes read.
        is_cancelled: polled between chunks.

    Raises:
        DossierError: missing, not a PDF, encrypted or too damaged to read.
        UnsafeNameError, DossierLimitError: (``strict``) an unsafe name or too many attachments.
        DiskFullError: no room for the private copy of a large dossier.
        Cancelled: ``is_cancelled`` returned true.
    """
    p = Path(path)
    if private:
        fh, sha, size, tmpdir = _private_copy(p, progress, is_cancelled)
    else:
        fh, sha, tmpdir = open_pdf_file(p, shown=p.name), "", None
        size = os.fstat(fh.fileno()).st_size
    rd = DossierReader(p, fh, sha, size, tmpdir)
    if strict:
        try:
            rd._listed()
        except BaseException:
            rd.close()
            raise
    return rd
