"""Reading a dossier PDF's attachments (streamed) and extracting them into a folder, hash-checked."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from khoiapp.dossier_format import MAX_ATTACHMENTS, MAX_PAYLOAD_BYTES, PAYLOAD_NAME, SCHEMA_ID
from khoiapp.errors import Cancelled, DiskFullError, DossierError, OutputPathError, UnsafeNameError
from khoiapp.services.dossier_reader import (
    CHUNK,
    MAX_NAME_LENGTH,
    EmbeddedFile,
    StreamTooLarge,
    check_name,
    decode_pieces,
    embedded_files,
    open_pdf_file,
    split_chunks,
    stream_filters,
    streamable,
)

_HEADER_MAX = 64 * 1024
_OBJ_RE = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\s*")
_STREAM_RE = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

__all__ = ["AttachmentRef", "DossierReader", "ExtractResult", "check_safe_name", "extract_dossier"]


@dataclass(frozen=True)
class AttachmentRef:
    """One embedded file as listed in the PDF's ``/EmbeddedFiles`` name tree."""

    name: str  # /UF, else /F, else the name-tree key (NFC)
    key: str
    idnum: int | None  # the embedded file stream (None when missing or direct)
    generation: int
    desc: str
    af_relationship: str | None


@dataclass(frozen=True)
class ExtractResult:
    payload_path: Path
    files: list[Path]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_safe_name(name: str) -> str:
    """Return ``name`` if it is a plain file name; raise :class:`DossierError` otherwise.

    The rules are :func:`khoiapp.services.dossier_reader.check_name`'s, and a name must also fit
    in 255 bytes of UTF-8 (the file system limit), since it becomes a file on disk here.
    """
    try:
        check_name(name, max_utf8_bytes=MAX_NAME_LENGTH)
    except UnsafeNameError:
        shown = str(name).encode("unicode_escape").decode("ascii")[:120]
        raise DossierError(
            f"Hồ sơ có tệp đính kèm mang tên không an toàn «{shown}» (chứa đường dẫn, ký tự điều khiển "
            "hoặc tên thiết bị). Khối không giải nén hồ sơ này để tránh ghi ra ngoài thư mục đã chọn. "
            "Hãy đề nghị đơn vị gửi lại hồ sơ xuất bằng Khối."
        ) from None
    return name


class DossierReader:
    """Open a dossier PDF for reading its attachments without loading them whole.

    Structure (trailer, catalog, name tree, file specs) is read with pypdf; the bytes of an
    unfiltered embedded file are then read straight from the file in chunks, and Flate data is
    inflated piecewise. Use as a context manager.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import pypdf
        from pypdf.errors import PdfReadError

        self.path = Path(path)
        self._fh: BinaryIO = open_pdf_file(self.path)
        try:
            self.reader = pypdf.PdfReader(self._fh, strict=False)
            if self.reader.is_encrypted:
                raise DossierError(
                    f"Tệp «{self.path}» được mã hóa bằng mật khẩu; Khối không đọc được hồ sơ mã hóa. "
                    "Hãy đề nghị đơn vị gửi bản không mã hóa."
                )
            self.root: Any = self.reader.trailer["/Root"].get_object()
        except DossierError:
            self._fh.close()
            raise
        except (PdfReadError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            self._fh.close()
            raise DossierError(
                f"Tệp PDF «{self.path}» bị hỏng, không đọc được ({exc}). Hãy đề nghị đơn vị gửi lại hồ sơ."
            ) from None

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> DossierReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ structure

    def attachments(self) -> list[AttachmentRef]:
        """Every entry of the embedded-files name tree, in stored order."""
        return [self._ref(f) for f in embedded_files(self.root)]

    @staticmethod
    def _ref(f: EmbeddedFile) -> AttachmentRef:
        from pypdf.generic import IndirectObject

        desc, rel, idnum, gen = "", None, None, 0
        if f.spec is not None:
            d = f.spec.get("/Desc")
            desc = str(d.get_object()) if d is not None else ""
            r = f.spec.get("/AFRelationship")
            rel = str(r) if r is not None else None
            if isinstance(f.stream_ref, IndirectObject):
                idnum, gen = f.stream_ref.idnum, f.stream_ref.generation
        return AttachmentRef(
            name=unicodedata.normalize("NFC", str(f.raw_name)),
            key=unicodedata.normalize("NFC", f.key),
            idnum=idnum,
            generation=gen,
            desc=desc,
            af_relationship=rel,
        )

    # ------------------------------------------------------------ contents

    def _stream_header(self, att: AttachmentRef) -> tuple[Any, int] | None:
        """(stream dictionary, offset of the data) read without touching the data, or None."""
        from pypdf.generic import DictionaryObject

        if att.idnum is None:
            return None
        offset = self.reader.xref.get(att.generation, {}).get(att.idnum)
        if offset is None:
            return None
        self._fh.seek(offset)
        head = self._fh.read(_HEADER_MAX)
        m = _OBJ_RE.match(head)
        if m is None or int(m.group(1)) != att.idnum or int(m.group(2)) != att.generation:
            return None
        s = _STREAM_RE.search(head, m.end())
        if s is None:
            return None
        d = DictionaryObject.read_from_stream(io.BytesIO(head[m.end() : s.start() + 2]), self.reader)
        return d, offset + s.end()

    def chunks(self, att: AttachmentRef, limit: int | None = None) -> Iterator[bytes]:
        """The decoded bytes of an attachment in chunks.

        Raises:
            DossierError: missing stream, damaged data, or more than ``limit`` bytes.
        """
        try:
            yield from self._decoded(att, limit)
        except StreamTooLarge:
            raise DossierError(
                f"Tệp đính kèm «{att.name}» lớn hơn giới hạn cho phép ({limit} byte). "
                "Hồ sơ có thể đã bị sửa; hãy đề nghị đơn vị gửi lại hồ sơ."
            ) from None
        except zlib.error:
            raise DossierError(f"Không giải nén được tệp đính kèm «{att.name}» (dữ liệu bị hỏng).") from None

    def _decoded(self, att: AttachmentRef, limit: int | None) -> Iterator[bytes]:
        from pypdf.generic import IndirectObject

        found = self._stream_header(att)
        if found is not None:
            d, data_at = found
            length = d.get("/Length")
            if isinstance(length, IndirectObject):
                length = length.get_object()
            if isinstance(length, int) and length >= 0 and streamable(d):
                pieces = self._raw_pieces(att, data_at, int(length))
                yield from decode_pieces(pieces, flate=bool(stream_filters(d)), limit=limit)
                return
        yield from split_chunks(self._data_via_pypdf(att), limit)

    def _raw_pieces(self, att: AttachmentRef, data_at: int, length: int) -> Iterator[bytes]:
        """The stored (encoded) bytes of a stream, read from the file in chunks; ``endstream`` checked."""
        self._fh.seek(data_at)
        left = length
        while left > 0:
            piece = self._fh.read(min(CHUNK, left))
            if not piece:
                raise DossierError(f"Tệp đính kèm «{att.name}» bị cắt cụt (dữ liệu không đủ).")
            left -= len(piece)
            yield piece
        self._fh.seek(data_at + length)
        if not re.match(rb"\s*endstream", self._fh.read(64)):
            raise DossierError(f"Tệp đính kèm «{att.name}» có độ dài ghi sai (dữ liệu bị hỏng).")

    def _data_via_pypdf(self, att: AttachmentRef) -> bytes:
        """The decoded bytes of a stream with filters this module does not stream (pypdf's limits apply)."""
        from pypdf.generic import StreamObject

        if att.idnum is None:
            raise DossierError(f"Tệp đính kèm «{att.name}» không có nội dung.")
        try:
            obj = self.reader.get_object(att.idnum)
            if not isinstance(obj, StreamObject):
                raise DossierError(f"Tệp đính kèm «{att.name}» không có nội dung.")
            return obj.get_data()
        except DossierError:
            raise
        except Exception:  # noqa: BLE001 - any decoding failure means damaged data
            raise DossierError(f"Không đọc được tệp đính kèm «{att.name}» (dữ liệu bị hỏng).") from None

    def payload_raw(self) -> bytes:
        """The bytes of the embedded ``khoi-dossier.json``."""
        atts = [a for a in self.attachments() if a.name == PAYLOAD_NAME]
        if not atts:
            raise DossierError(
                f"Tệp «{self.path}» không có dữ liệu hồ sơ «{PAYLOAD_NAME}» đính kèm: đây không phải hồ sơ "
                "do Khối xuất, hoặc dữ liệu đã bị gỡ. Hãy đề nghị đơn vị gửi lại hồ sơ gốc."
            )
        if len(atts) > 1:
            raise DossierError(f"Hồ sơ có nhiều tệp «{PAYLOAD_NAME}»; hồ sơ có thể đã bị sửa.")
        return b"".join(self.chunks(atts[0], MAX_PAYLOAD_BYTES))

    def payload(self) -> dict[str, Any]:
        """The parsed payload (schema id checked, not the full schema)."""
        raw = self.payload_raw()
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise DossierError(f"Dữ liệu hồ sơ «{PAYLOAD_NAME}» không phải JSON hợp lệ; hồ sơ có thể bị hỏng.") from None
        if not isinstance(obj, dict) or not str(obj.get("schema", "")).startswith(SCHEMA_ID + "/"):
            raise DossierError(
                f"Dữ liệu hồ sơ «{PAYLOAD_NAME}» không đúng định dạng {SCHEMA_ID}. "
                "Hồ sơ được tạo bằng phần mềm khác hoặc phiên bản Khối mới hơn; hãy cập nhật Khối."
            )
        return obj


def manifest_entries(payload: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(name, sha256, size) of every manifest entry; raises DossierError on a malformed manifest."""
    man = payload.get("manifest")
    if not isinstance(man, list):
        raise DossierError("Dữ liệu hồ sơ không có danh mục tệp đính kèm (manifest) hợp lệ; hồ sơ có thể bị hỏng.")
    out = []
    for i, m in enumerate(man):
        if not (
            isinstance(m, dict)
            and isinstance(m.get("name"), str)
            and isinstance(m.get("sha256"), str)
            and isinstance(m.get("size"), int)
            and m["size"] >= 0
        ):
            raise DossierError(f"Mục thứ {i + 1} trong danh mục tệp đính kèm bị sai định dạng; hồ sơ có thể bị hỏng.")
        out.append((unicodedata.normalize("NFC", m["name"]), m["sha256"].lower(), m["size"]))
    if len(out) > MAX_ATTACHMENTS:
        raise DossierError(f"Danh mục hồ sơ có hơn {MAX_ATTACHMENTS} tệp, vượt giới hạn của định dạng hồ sơ Khối.")
    return out


def extract_dossier(
    pdf_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ExtractResult:
    """Write the payload and every attachment of a dossier into ``out_dir``, checking hashes.

    Names come from the dossier; every one is checked first (:func:`check_safe_name`), so nothing
    is written outside ``out_dir``. Each file is written to a temporary name and renamed only when
    its SHA-256 and size match the manifest; a mismatching file is not kept and is listed in
    ``problems``, as are attachments the manifest does not list (not extracted) and a payload that
    does not fit the JSON Schema. Existing files with the same names are replaced.

    Raises:
        DossierError: not a readable dossier, unsafe names, malformed manifest, size limits.
        OutputPathError, DiskFullError: ``out_dir`` cannot be written.
        Cancelled: ``is_cancelled`` returned true (files finished so far stay).
    """
    from khoiapp.services.payload import payload_problems

    out = Path(out_dir)
    problems: list[str] = []
    files: list[Path] = []
    with DossierReader(pdf_path) as rd:
        atts = rd.attachments()
        for a in atts:
            check_safe_name(a.name)
        raw = rd.payload_raw()
        payload = rd.payload()
        entries = manifest_entries(payload)
        for name, _h, _n in entries:
            check_safe_name(name)
        by_name: dict[str, AttachmentRef] = {}
        for a in atts:
            if a.name in by_name:
                problems.append(f"Có nhiều tệp đính kèm cùng tên «{a.name}»; chỉ giải nén tệp đầu tiên.")
                continue
            by_name[a.name] = a
        listed = {n for n, _h, _s in entries}
        if len(listed) != len(entries):
            problems.append("Danh mục tệp đính kèm có tên trùng nhau.")
        for name in sorted(set(by_name) - listed - {PAYLOAD_NAME}):
            problems.append(f"Tệp đính kèm «{name}» không có trong danh mục hồ sơ nên không được giải nén.")
        for p in payload_problems(payload, limit=5):
            problems.append(f"Dữ liệu hồ sơ không đúng lược đồ JSON: {p}")

        _make_dir(out)
        payload_path = out / PAYLOAD_NAME
        _write_atomic(payload_path, iter([raw]))
        files.append(payload_path)

        total = sum(size for _n, _h, size in entries)
        done = 0
        if progress:
            progress(0, total)
        mismatched: list[str] = []
        for name, want_hash, want_size in entries:
            att = by_name.get(name)
            if att is None:
                problems.append(f"Thiếu tệp đính kèm «{name}» có trong danh mục hồ sơ.")
                continue
            h = hashlib.sha256()
            counted = [0]

            def hashed(att: AttachmentRef = att, h: Any = h, counted: list[int] = counted) -> Iterator[bytes]:
                nonlocal done
                for chunk in rd.chunks(att, limit=want_size):
                    if is_cancelled and is_cancelled():
                        raise Cancelled()
                    h.update(chunk)
                    counted[0] += len(chunk)
                    done += len(chunk)
                    if progress:
                        progress(min(done, total), total)
                    yield chunk

            target = out / name
            try:
                kept = _write_atomic(target, hashed(), check=lambda: h.hexdigest() == want_hash and counted[0] == want_size)
            except DossierError as exc:
                mismatched.append(name)
                problems.append(exc.message)
                continue
            if kept:
                files.append(target)
            else:
                mismatched.append(name)
                problems.append(
                    f"Tệp đính kèm «{name}» không khớp mã băm SHA-256 hoặc kích thước ghi trong danh mục hồ sơ "
                    "(nội dung đã bị thay) nên không được giữ lại."
                )
    return ExtractResult(payload_path=payload_path, files=files, problems=tuple(problems))


def _make_dir(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputPathError(f"«{out}» là một tệp, không phải thư mục. Hãy chọn thư mục khác để giải nén.") from None
    except OSError as exc:
        raise OutputPathError(
            f"Không tạo được thư mục «{out}» ({exc.strerror}). Hãy chọn thư mục có quyền ghi."
        ) from None


def _write_atomic(target: Path, chunks: Iterator[bytes], check: Callable[[], bool] | None = None) -> bool:
    """Write chunks to a hidden temporary file beside ``target``; rename when ``check`` passes."""
    import errno

    tmp = target.with_name(f".{target.name}.dang-giai-nen")
    try:
        with open(tmp, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        if check is not None and not check():
            tmp.unlink(missing_ok=True)
            return False
        os.replace(tmp, target)
        return True
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFullError() from None
        raise OutputPathError(
            f"Không ghi được tệp «{target}» ({exc.strerror}). Hãy chọn thư mục có quyền ghi."
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
