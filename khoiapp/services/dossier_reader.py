"""Safe reading of a dossier PDF: its payload and evidence attachments, within fixed limits.

A dossier comes from outside (a USB stick, a chat message), so everything read here is bounded:
the number of attachments (``MAX_ATTACHMENTS``), the payload's size (``MAX_PAYLOAD_BYTES``) and
JSON nesting depth (:data:`MAX_JSON_DEPTH`, checked before the JSON is parsed), each attachment's
decoded size (the caller's limit, enforced while decoding), and every name (no path parts, drive
letters or control characters). Attachments are decoded one at a time, in chunks, straight from
the file, and are never cached by the PDF reader.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from khoiapp.dossier_format import MAX_ATTACHMENTS, MAX_PAYLOAD_BYTES, PAYLOAD_NAME
from khoiapp.errors import DossierError, DossierLimitError, UnsafeNameError

log = logging.getLogger(__name__)

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays/objects accepted in a payload (a real one nests about 7 deep)."""
MAX_NAME_LENGTH = 255
MAX_TREE_DEPTH = 32
CHUNK = 1 << 20

__all__ = [
    "CHUNK",
    "MAX_JSON_DEPTH",
    "DossierReader",
    "check_name",
    "file_sha256",
    "json_depth",
    "open_dossier",
    "parse_json",
]

_DRIVE = re.compile(r"^[A-Za-z]:")
# Windows device names: a file called "CON.pdf" cannot be saved there.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
# A JSON string (unrolled loop: linear, no backtracking blow-up) - removed before counting brackets.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_EMPTY_PAIR = re.compile(rb"\[\]|\{\}")
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


# --------------------------------------------------------------------------- names


def check_name(name: Any, what: str = "tệp đính kèm") -> str:
    """Return ``name`` (NFC) if it is a plain file name; raise :class:`UnsafeNameError` otherwise.

    Refused: empty names, ``.``/``..``, any ``/`` or ``\\`` (so no ``../`` and no absolute path),
    a drive letter (``C:``), NUL and other control characters, Windows device names (``CON``,
    ``NUL.txt``), leading/trailing spaces or trailing dots, and names over 255 characters.
    """
    if not isinstance(name, str):
        raise UnsafeNameError(repr(name), what)
    n = unicodedata.normalize("NFC", name)
    if (
        not n
        or n in (".", "..")
        or "/" in n
        or "\\" in n
        or _DRIVE.match(n)
        or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in n)
        or len(n) > MAX_NAME_LENGTH
        or n != n.strip()
        or n.endswith(".")
        or n.split(".")[0].upper() in _RESERVED
    ):
        raise UnsafeNameError(n, what)
    return n


# --------------------------------------------------------------------------- JSON


def json_depth(data: bytes, limit: int = MAX_JSON_DEPTH) -> int:
    """Nesting depth of the arrays/objects in JSON text, without parsing it.

    Strings are removed first (brackets inside them do not count), then innermost ``[]``/``{}``
    pairs are peeled off one level at a time; each pass runs at C speed. Stops and returns
    ``limit + 1`` once the depth exceeds ``limit``. Unbalanced text returns the depth reached;
    the parser reports it as invalid afterwards.
    """
    rest = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKET)
    depth = 0
    while rest:
        peeled = _EMPTY_PAIR.sub(b"", rest)
        if peeled == rest:
            break
        rest = peeled
        depth += 1
        if depth > limit:
            return limit + 1
    return depth


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def parse_json(data: bytes, *, max_depth: int = MAX_JSON_DEPTH, max_bytes: int = MAX_PAYLOAD_BYTES) -> Any:
    """Parse payload bytes: UTF-8, at most ``max_bytes``, nesting at most ``max_depth``.

    Duplicate keys, ``NaN``/``Infinity`` and absurdly long numbers are refused.

    Raises:
        DossierLimitError: too large or too deeply nested (checked before parsing).
        DossierError: not valid UTF-8 JSON.
    """
    if len(data) > max_bytes:
        raise DossierLimitError(
            f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» lớn {_mb(len(data))}, vượt giới hạn {_mb(max_bytes)} "
            "của định dạng hồ sơ Khối. Hồ sơ có thể đã bị làm giả; hãy xin lại bản hồ sơ gốc."
        )
    if json_depth(data, max_depth) > max_depth:
        raise DossierLimitError(
            f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» lồng nhau quá {max_depth} tầng, vượt giới hạn của định "
            "dạng hồ sơ Khối. Hồ sơ có thể đã bị làm giả; hãy xin lại bản hồ sơ gốc."
        )
    try:
        text = data.decode("utf-8")
        return json.loads(text, parse_constant=_no_constants, object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        log.info("payload is not valid JSON: %s", exc)
        raise DossierError(
            f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» bị hỏng (không phải JSON hợp lệ). "
            "Hãy xin lại bản hồ sơ gốc từ đơn vị."
        ) from None


# --------------------------------------------------------------------------- whole file


def file_sha256(
    path: str | os.PathLike[str],
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """SHA-256 of a file, read in 1 MB chunks."""
    h = hashlib.sha256()
    p = Path(path)
    try:
        total = p.stat().st_size
        with open(p, "rb") as fh:
            done = 0
            while chunk := fh.read(CHUNK):
                h.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except FileNotFoundError:
        raise DossierError(f"Không tìm thấy tệp «{p}». Hãy kiểm tra lại đường dẫn.") from None
    except IsADirectoryError:
        raise DossierError(f"«{p}» là một thư mục, không phải tệp hồ sơ PDF. Hãy chọn tệp .pdf.") from None
    except OSError as exc:
        raise DossierError(f"Không đọc được tệp «{p}» ({exc.strerror}). Hãy kiểm tra quyền đọc tệp.") from None
    return h.hexdigest()


# --------------------------------------------------------------------------- the reader


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class _Entry:
    name: str
    ref: Any  # reference (or direct object) of the embedded file stream, or None


class DossierReader:
    """An open dossier PDF. Use :func:`open_dossier` (a context manager)."""

    def __init__(self, path: Path, fh: BinaryIO, reader: Any) -> None:
        self.path = path
        self._fh = fh
        self._reader = reader
        self._entries = self._list_entries()

    # -- listing

    def _list_entries(self) -> dict[str, _Entry]:
        from pyhanko.pdf_utils import generic

        try:
            tree = self._reader.root["/Names"]["/EmbeddedFiles"]
        except (KeyError, TypeError):
            return {}
        out: dict[str, _Entry] = {}
        for key, spec_ref in self._leaves(tree, 0):
            spec = spec_ref.get_object() if isinstance(spec_ref, generic.IndirectObject) else spec_ref
            if not isinstance(spec, generic.DictionaryObject):
                continue
            raw_name: Any = key
            for k in ("/UF", "/F"):
                v = spec.get(k)
                if v is not None:
                    raw_name = v.get_object()
                    break
            if not isinstance(raw_name, str):
                raise UnsafeNameError(repr(raw_name))
            name = check_name(str(raw_name))
            ef = spec.get("/EF")
            ef = ef.get_object() if ef is not None else None
            ref = None
            if isinstance(ef, generic.DictionaryObject):
                ref = ef.raw_get("/UF") if "/UF" in ef else ef.raw_get("/F") if "/F" in ef else None
            if name in out:
                raise DossierError(
                    f"Hồ sơ có nhiều tệp đính kèm cùng tên «{name}», nên không biết tệp nào là thật. "
                    "Hồ sơ có thể đã bị sửa; hãy xin lại bản hồ sơ gốc."
                )
            out[name] = _Entry(name, ref)
            if len(out) > MAX_ATTACHMENTS + 1:
                raise DossierLimitError(
                    f"Hồ sơ có hơn {MAX_ATTACHMENTS} tệp đính kèm, vượt giới hạn của định dạng hồ sơ Khối. "
                    "Hồ sơ có thể đã bị làm giả; hãy xin lại bản hồ sơ gốc."
                )
        return out

    def _leaves(self, node: Any, depth: int) -> Iterator[tuple[str, Any]]:
        from pyhanko.pdf_utils import generic

        if depth > MAX_TREE_DEPTH:
            raise DossierLimitError("Cây tệp đính kèm trong PDF lồng quá sâu (tệp có thể bị làm giả).")
        node = node.get_object() if isinstance(node, generic.IndirectObject) else node
        if not isinstance(node, generic.DictionaryObject):
            return
        names = node.get("/Names")
        if names is not None:
            names = names.get_object()
            if isinstance(names, generic.ArrayObject):
                for i in range(0, len(names) - 1, 2):
                    yield str(names[i].get_object()), names[i + 1]
        kids = node.get("/Kids")
        if kids is not None:
            kids = kids.get_object()
            if isinstance(kids, generic.ArrayObject):
                for kid in kids:
                    yield from self._leaves(kid, depth + 1)

    @property
    def names(self) -> tuple[str, ...]:
        """Every attachment name (the payload included), sorted."""
        return tuple(sorted(self._entries))

    def has(self, name: str) -> bool:
        return unicodedata.normalize("NFC", name) in self._entries

    # -- reading

    def _stream(self, name: str) -> Any:
        from pyhanko.pdf_utils import generic

        entry = self._entries.get(unicodedata.normalize("NFC", name))
        if entry is None or entry.ref is None:
            return None
        ref = entry.ref
        if isinstance(ref, generic.IndirectObject):
            ref = ref.reference
        if isinstance(ref, generic.Reference):
            # a historical read bypasses the reader's cache, so the bytes are freed once consumed
            obj = self._reader.get_object(ref, revision=self._reader.xrefs.total_revisions - 1)
        else:
            obj = ref
        return obj if isinstance(obj, generic.StreamObject) else None

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
        try:
            yield from _decoded_chunks(stream, limit)
        except _TooLarge:
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
            DossierLimitError: too large or nested too deeply.
        """
        if not self.has(PAYLOAD_NAME):
            raise DossierError(
                f"Tệp PDF «{self.path.name}» không có dữ liệu hồ sơ «{PAYLOAD_NAME}» đính kèm: đây không phải "
                "hồ sơ do Khối xuất, hoặc dữ liệu đã bị gỡ. Hãy chọn đúng tệp hồ sơ PDF do Khối xuất."
            )
        try:
            data = self.read_attachment(PAYLOAD_NAME, limit=MAX_PAYLOAD_BYTES)
        except DossierLimitError:
            raise DossierLimitError(
                f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» lớn hơn {_mb(MAX_PAYLOAD_BYTES)}, vượt giới hạn của "
                "định dạng hồ sơ Khối. Hồ sơ có thể đã bị làm giả; hãy xin lại bản hồ sơ gốc."
            ) from None
        return parse_json(data), hashlib.sha256(data).hexdigest()

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> DossierReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _filters(stream: Any) -> list[str]:
    from pyhanko.pdf_utils import generic

    f = stream.get("/Filter")
    if f is None:
        return []
    f = f.get_object()
    if isinstance(f, generic.ArrayObject):
        return [str(x.get_object()) for x in f]
    return [str(f)]


def _decoded_chunks(stream: Any, limit: int) -> Iterator[bytes]:
    """Decode a stream piecewise (Flate is inflated 1 MB at a time), stopping past ``limit``."""
    filters = _filters(stream)
    produced = 0

    def bump(n: int) -> None:
        nonlocal produced
        produced += n
        if produced > limit:
            raise _TooLarge()

    if not filters:
        raw = memoryview(stream.encoded_data)
        for i in range(0, len(raw), CHUNK):
            piece = raw[i : i + CHUNK]
            bump(len(piece))
            yield bytes(piece)
        return
    if filters == ["/FlateDecode"] and "/DecodeParms" not in stream:
        raw = memoryview(stream.encoded_data)
        d = zlib.decompressobj()
        for i in range(0, len(raw), CHUNK):
            buf = raw[i : i + CHUNK].tobytes()
            while buf:
                out = d.decompress(buf, CHUNK)
                bump(len(out))
                if out:
                    yield out
                buf = d.unconsumed_tail
        tail = d.flush()
        bump(len(tail))
        if tail:
            yield tail
        return
    # Other filters are rare for attachments: pyHanko decodes them (with its own decode limits).
    data = stream.data
    bump(len(data))
    for i in range(0, len(data), CHUNK):
        yield data[i : i + CHUNK]


def open_dossier(path: str | os.PathLike[str]) -> DossierReader:
    """Open a dossier PDF for reading and list its attachments (names checked).

    Raises:
        DossierError: missing, not a PDF, encrypted, damaged, or duplicate attachment names.
        UnsafeNameError: an attachment name with a path part or control characters.
        DossierLimitError: too many attachments, or a name tree nested too deeply.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    p = Path(path)
    try:
        fh = open(p, "rb")
    except FileNotFoundError:
        raise DossierError(f"Không tìm thấy tệp «{p}». Hãy kiểm tra lại đường dẫn.") from None
    except IsADirectoryError:
        raise DossierError(f"«{p}» là một thư mục, không phải tệp hồ sơ PDF. Hãy chọn tệp .pdf.") from None
    except OSError as exc:
        raise DossierError(f"Không đọc được tệp «{p}» ({exc.strerror}). Hãy kiểm tra quyền đọc tệp.") from None
    try:
        if b"%PDF-" not in fh.read(1024):
            raise DossierError(f"Tệp «{p.name}» không phải tệp PDF. Hãy chọn đúng tệp hồ sơ PDF do đơn vị gửi.")
        fh.seek(0)
        try:
            reader = PdfFileReader(fh, strict=False)
            if reader.encrypted:
                raise DossierError(
                    f"Tệp «{p.name}» được mã hóa bằng mật khẩu; Khối không đọc được hồ sơ mã hóa. "
                    "Hãy đề nghị đơn vị gửi bản không mã hóa."
                )
            return DossierReader(p, fh, reader)
        except DossierError:
            raise
        except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
            log.info("cannot read PDF %s: %r", p, exc)
            raise DossierError(
                f"Tệp PDF «{p.name}» bị hỏng, không đọc được. Hãy đề nghị đơn vị gửi lại hồ sơ."
            ) from None
    except BaseException:
        fh.close()
        raise
