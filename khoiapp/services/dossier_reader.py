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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

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
    "EmbeddedFile",
    "StreamTooLarge",
    "check_name",
    "decode_pieces",
    "decoded_chunks",
    "embedded_files",
    "file_sha256",
    "json_depth",
    "name_tree_leaves",
    "open_dossier",
    "open_pdf_file",
    "parse_json",
    "resolve_stream",
    "split_chunks",
    "stream_filters",
    "streamable",
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


def check_name(name: Any, what: str = "tệp đính kèm", *, max_utf8_bytes: int | None = None) -> str:
    """Return ``name`` (NFC) if it is a plain file name; raise :class:`UnsafeNameError` otherwise.

    Refused: empty names, ``.``/``..``, any ``/`` or ``\\`` (so no ``../`` and no absolute path),
    a drive letter (``C:``), NUL and other control characters, Windows device names (``CON``,
    ``NUL.txt``), leading/trailing spaces or trailing dots, names over 255 characters and, when
    ``max_utf8_bytes`` is given, names longer than that in UTF-8 (a file system limit).
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
        or (max_utf8_bytes is not None and len(n.encode("utf-8")) > max_utf8_bytes)
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
    except OSError as exc:
        raise _file_error(p, exc) from None
    return h.hexdigest()


def _file_error(p: Path, exc: OSError) -> DossierError:
    if isinstance(exc, FileNotFoundError):
        return DossierError(f"Không tìm thấy tệp «{p}». Hãy kiểm tra lại đường dẫn.")
    if isinstance(exc, IsADirectoryError):
        return DossierError(f"«{p}» là một thư mục, không phải tệp hồ sơ PDF. Hãy chọn tệp .pdf.")
    return DossierError(f"Không đọc được tệp «{p}» ({exc.strerror}). Hãy kiểm tra quyền đọc tệp.")


def open_pdf_file(path: str | os.PathLike[str], shown: str | None = None) -> BinaryIO:
    """Open a file for reading, positioned at its start, after checking it holds a PDF header.

    ``shown`` names the file in the not-a-PDF message (default: the whole path).

    Raises:
        DossierError: missing, a folder, unreadable, or not a PDF.
    """
    p = Path(path)
    try:
        fh = open(p, "rb")
    except OSError as exc:
        raise _file_error(p, exc) from None
    try:
        head = fh.read(1024)
        fh.seek(0)
    except OSError as exc:
        fh.close()
        raise _file_error(p, exc) from None
    if b"%PDF-" not in head:
        fh.close()
        raise DossierError(
            f"Tệp «{shown or p}» không phải tệp PDF. Hãy chọn đúng tệp hồ sơ PDF do đơn vị gửi."
        )
    return fh


# --------------------------------------------------------------------------- embedded files
#
# These helpers work on the objects of either PDF library used here (pyHanko and pypdf): both
# model dictionaries and arrays as ``dict``/``list`` subclasses and indirect references as
# objects with ``idnum``, ``generation`` and ``get_object()``.


def _resolved(obj: Any) -> Any:
    return obj.get_object() if hasattr(obj, "get_object") else obj


def name_tree_leaves(
    node: Any, depth: int = 0, seen: set[tuple[int, int]] | None = None
) -> Iterator[tuple[str, Any]]:
    """(key, value) pairs of a PDF name tree, depth-first, in stored order; each node visited once.

    Values are returned as stored (possibly indirect). A node listed again (a loop in a crafted
    file) is skipped.

    Raises:
        DossierLimitError: the tree is nested more than ``MAX_TREE_DEPTH`` levels deep.
    """
    seen = set() if seen is None else seen
    if depth > MAX_TREE_DEPTH:
        raise DossierLimitError("Cây tệp đính kèm trong PDF lồng quá sâu (tệp có thể bị làm giả).")
    if not isinstance(node, (dict, list)) and hasattr(node, "idnum"):
        ident = (node.idnum, node.generation)
        if ident in seen:
            return
        seen.add(ident)
    node = _resolved(node)
    if not isinstance(node, dict):
        return
    names = node.get("/Names")
    if names is not None:
        names = _resolved(names)
        if isinstance(names, list):
            for i in range(0, len(names) - 1, 2):
                yield str(_resolved(names[i])), names[i + 1]
    kids = node.get("/Kids")
    if kids is not None:
        kids = _resolved(kids)
        if isinstance(kids, list):
            for kid in kids:
                yield from name_tree_leaves(kid, depth + 1, seen)


@dataclass(frozen=True)
class EmbeddedFile:
    """One entry of the ``/EmbeddedFiles`` name tree."""

    key: str  # the name-tree key
    spec: Any  # the file specification dictionary, or None when the entry is not a dictionary
    raw_name: Any  # /UF, else /F (resolved), else the key; not checked
    stream_ref: Any  # /EF's /UF, else /F, as stored (reference or stream); None when missing


def embedded_files(root: Any) -> Iterator[EmbeddedFile]:
    """The entries of the catalog's ``/EmbeddedFiles`` name tree, in stored order.

    Raises:
        DossierLimitError: more than ``MAX_ATTACHMENTS + 1`` entries (the payload and the most
            evidence files a dossier may hold), or a tree nested too deeply.
    """
    try:
        tree = root["/Names"]["/EmbeddedFiles"]
    except (KeyError, TypeError, AttributeError):
        return
    count = 0
    for key, spec_ref in name_tree_leaves(tree):
        count += 1
        if count > MAX_ATTACHMENTS + 1:
            raise DossierLimitError(
                f"Hồ sơ có hơn {MAX_ATTACHMENTS} tệp đính kèm, vượt giới hạn của định dạng hồ sơ Khối. "
                "Hồ sơ có thể đã bị làm giả; hãy xin lại bản hồ sơ gốc."
            )
        spec = _resolved(spec_ref)
        if not isinstance(spec, dict):
            yield EmbeddedFile(key, None, key, None)
            continue
        raw_name: Any = key
        for k in ("/UF", "/F"):
            v = spec.get(k)
            if v is not None:
                raw_name = _resolved(v)
                break
        ef = spec.get("/EF")
        ef = _resolved(ef) if ef is not None else None
        ref = None
        if isinstance(ef, dict):
            raw_get = cast(Any, ef).raw_get  # not resolved: the stream is read later, on its own
            ref = raw_get("/UF") if "/UF" in ef else raw_get("/F") if "/F" in ef else None
        yield EmbeddedFile(key, spec, raw_name, ref)


def resolve_stream(reader: Any, ref: Any) -> Any:
    """The pyHanko stream behind ``ref`` (None if it is not a stream), kept out of the reader's cache."""
    from pyhanko.pdf_utils import generic

    if isinstance(ref, generic.IndirectObject):
        ref = ref.reference
    if isinstance(ref, generic.Reference):
        # a historical read bypasses the reader's cache, so the bytes are freed once consumed
        obj = reader.get_object(ref, revision=reader.xrefs.total_revisions - 1)
    else:
        obj = ref
    return obj if isinstance(obj, generic.StreamObject) else None


# --------------------------------------------------------------------------- stream decoding


class StreamTooLarge(Exception):
    """A stream decoded to more bytes than allowed (decoding stopped there)."""


def stream_filters(stream: Any) -> list[str]:
    """The ``/Filter`` names of a stream (dictionary), in order; empty when unfiltered."""
    f = stream.get("/Filter")
    if f is None:
        return []
    f = _resolved(f)
    if isinstance(f, list):
        return [str(_resolved(x)) for x in f]
    return [str(f)]


def streamable(stream: Any) -> bool:
    """True if the stream's data can be decoded piecewise here: unfiltered, or plain Flate."""
    filters = stream_filters(stream)
    return not filters or (filters == ["/FlateDecode"] and "/DecodeParms" not in stream)


def decode_pieces(
    pieces: Iterable[bytes | memoryview], *, flate: bool, limit: int | None = None
) -> Iterator[bytes]:
    """Decode the encoded data given in ``pieces`` (each at most ``CHUNK``): as is, or inflated.

    Yields non-empty chunks of at most ``CHUNK`` bytes. Raises :class:`StreamTooLarge` once more
    than ``limit`` bytes were produced, before yielding them; ``zlib.error`` on bad Flate data.
    """
    produced = 0

    def bump(n: int) -> None:
        nonlocal produced
        produced += n
        if limit is not None and produced > limit:
            raise StreamTooLarge()

    if not flate:
        for piece in pieces:
            bump(len(piece))
            if piece:
                yield bytes(piece)
        return
    d = zlib.decompressobj()
    for piece in pieces:
        buf: bytes | memoryview = piece
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


def split_chunks(data: bytes, limit: int | None = None) -> Iterator[bytes]:
    """Already decoded ``data`` in chunks of at most ``CHUNK``; :class:`StreamTooLarge` past ``limit``."""
    if limit is not None and len(data) > limit:
        raise StreamTooLarge()
    for i in range(0, len(data), CHUNK):
        yield data[i : i + CHUNK]


def decoded_chunks(stream: Any, limit: int | None = None) -> Iterator[bytes]:
    """Decode a pyHanko stream piecewise (Flate is inflated 1 MB at a time), stopping past ``limit``."""
    if streamable(stream):
        raw = memoryview(stream.encoded_data)
        pieces = (raw[i : i + CHUNK] for i in range(0, len(raw), CHUNK))
        yield from decode_pieces(pieces, flate=bool(stream_filters(stream)), limit=limit)
        return
    # Other filters are rare for attachments: pyHanko decodes them (with its own decode limits).
    yield from split_chunks(stream.data, limit)


# --------------------------------------------------------------------------- the reader


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
        out: dict[str, _Entry] = {}
        for f in embedded_files(self._reader.root):
            if f.spec is None:
                continue
            if not isinstance(f.raw_name, str):
                raise UnsafeNameError(repr(f.raw_name))
            name = check_name(str(f.raw_name))
            if name in out:
                raise DossierError(
                    f"Hồ sơ có nhiều tệp đính kèm cùng tên «{name}», nên không biết tệp nào là thật. "
                    "Hồ sơ có thể đã bị sửa; hãy xin lại bản hồ sơ gốc."
                )
            out[name] = _Entry(name, f.stream_ref)
        return out

    @property
    def names(self) -> tuple[str, ...]:
        """Every attachment name (the payload included), sorted."""
        return tuple(sorted(self._entries))

    def has(self, name: str) -> bool:
        return unicodedata.normalize("NFC", name) in self._entries

    # -- reading

    def _stream(self, name: str) -> Any:
        entry = self._entries.get(unicodedata.normalize("NFC", name))
        if entry is None or entry.ref is None:
            return None
        return resolve_stream(self._reader, entry.ref)

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
    fh = open_pdf_file(p, shown=p.name)
    try:
        reader = PdfFileReader(fh, strict=False)
        if reader.encrypted:
            raise DossierError(
                f"Tệp «{p.name}» được mã hóa bằng mật khẩu; Khối không đọc được hồ sơ mã hóa. "
                "Hãy đề nghị đơn vị gửi bản không mã hóa."
            )
        return DossierReader(p, fh, reader)
    except DossierError:
        fh.close()
        raise
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
        fh.close()
        log.info("cannot read PDF %s: %r", p, exc)
        raise DossierError(
            f"Tệp PDF «{p.name}» bị hỏng, không đọc được. Hãy đề nghị đơn vị gửi lại hồ sơ."
        ) from None
    except BaseException:
        fh.close()
        raise
