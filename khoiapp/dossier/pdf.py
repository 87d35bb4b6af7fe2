"""PDF structure of a dossier: the embedded-files name tree and bounded stream decoding.

Everything here reads data from outside, so everything is bounded: the number of attachments
(``MAX_ATTACHMENTS``), the name tree's depth (``MAX_TREE_DEPTH``) and each stream's decoded size
(the caller's limit, enforced while decoding, 1 MB at a time).
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from khoiapp.dossier.limits import CHUNK, MAX_ATTACHMENTS, MAX_TREE_DEPTH
from khoiapp.errors import DossierError, DossierLimitError

__all__ = [
    "EmbeddedFile",
    "StreamTooLarge",
    "decode_pieces",
    "decoded_chunks",
    "embedded_files",
    "file_error",
    "file_sha256",
    "name_tree_leaves",
    "open_pdf_file",
    "resolve_stream",
    "split_chunks",
    "stream_filters",
    "streamable",
]


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


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
        raise file_error(p, exc) from None
    return h.hexdigest()


def file_error(p: Path, exc: OSError) -> DossierError:
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
        raise file_error(p, exc) from None
    try:
        head = fh.read(1024)
        fh.seek(0)
    except OSError as exc:
        fh.close()
        raise file_error(p, exc) from None
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


# --------------------------------------------------------------------------- signature contents


def der_length(data: bytes) -> int | None:
    """Length of the DER element at the start of ``data`` (tag, length and value), or None."""
    if len(data) < 2:
        return None
    first = data[1]
    if first < 0x80:
        return 2 + first
    n = first & 0x7F
    if n == 0 or n > 4 or len(data) < 2 + n:
        return None
    return 2 + n + int.from_bytes(data[2 : 2 + n], "big")


def contents_padding_ok(contents: Any) -> bool:
    """True if a signature's ``/Contents`` is the CMS blob followed by zero bytes only.

    The padding is outside the signed byte range; anything written there afterwards (hidden data,
    a second blob) does not change the digest, so it is checked here.
    """
    data = bytes(contents) if isinstance(contents, (bytes, bytearray)) else b""
    end = der_length(data)
    if end is None or end > len(data):
        return False
    return not data[end:].strip(b"\0")
