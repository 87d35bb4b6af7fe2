"""What an export derives from evidence files, kept in the document so the next export skips it.

An export makes reduced copies of large photos and print-size images for the appendix. Both are
pure functions of the evidence bytes and a few settings (the ``spec``), so a second export of the
same document — a draft, then the final one; an export after fixing a typo — can take them from
the document instead of reading and decoding every photo again.

The export itself only reads the document (in the window, through a connection of its own on a
worker thread): it collects what it made in :class:`ExportRenditions`, and the caller stores them
afterwards with :func:`store` (the window through the document's runner, the CLI directly). An
export that fails or is cancelled stores nothing.

A document is a file the unit received or copied: its rows are trusted only when their HMAC holds.
The key is 32 random bytes in this user's configuration folder (``rendition.key``, made on first
use), so renditions made by another user or on another computer, or edited, are ignored and made
again; the bytes checked are the bytes used (streamed to the export's folder while hashed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
import shutil
import sqlite3
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from khoiapp import paths
from khoiapp.db import Document, sqlite_connection
from khoiapp.dossier.pdf import file_sha256
from khoiapp.errors import KhoiError
from khoiapp.services.document import Changes

if TYPE_CHECKING:
    from khoiapp.pdf.images import PreparedImage

log = logging.getLogger(__name__)

KEY_NAME = "rendition.key"
KEY_BYTES = 32
# Only the appendix images are kept: reduced copies (3–4 times their size, the dossier's own
# attachments) would grow the document by a third of its photos for 2 s saved per export.
KINDS = ("print",)
# A printed page is well under 1 MB: a row over this is not ours.
MAX_ROW_BYTES = 8 * 1024 * 1024
# Rows read for one source file at most (a PDF prints at most images.MAX_PDF_PAGES pages).
MAX_PARTS = 200
CHUNK = 1024 * 1024


def key() -> bytes | None:
    """This user's rendition key, made on first use; ``None`` when it cannot be kept (no cache)."""
    folder = paths.config_dir()
    path = folder / KEY_NAME
    for _attempt in range(2):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.info("rendition key unreadable: %s", exc)
            return None
        else:
            if len(data) == KEY_BYTES:
                return data
            log.info("rendition key of %d bytes ignored", len(data))
            return None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue  # another window made it meanwhile: read that one
        except OSError as exc:
            log.info("cannot make a rendition key: %s", exc)
            return None
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(KEY_BYTES))
    return None


@dataclass(frozen=True)
class _Row:
    source: str
    kind: str
    spec: str
    part: int
    parts: int
    width: int
    height: int
    size: int
    sha256: str

    def mac(self, secret: bytes) -> str:
        fields = [self.source, self.kind, self.spec, self.part, self.parts, self.width, self.height, self.size,
                  self.sha256]
        return hmac.new(secret, json.dumps(fields).encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class _New:
    row: _Row
    path: Path


class ExportRenditions:
    """The renditions of one export: those the document keeps (when their HMAC holds) and those
    made now, which :func:`store` keeps afterwards. Files live in a folder of their own, removed by
    :meth:`discard` (or when the object is collected)."""

    def __init__(self, doc: Document | None, secret: bytes | None) -> None:
        self.doc = doc
        self.secret = secret
        self.folder = Path(tempfile.mkdtemp(prefix="khoi-anh-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(self.folder), True)
        self._made: dict[tuple[str, str, str], list[PreparedImage]] = {}
        self._aliases: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        self.new: list[_New] = []
        self.reused = 0  # sets taken from the document
        self.ignored = 0  # sets found but refused (HMAC, size or hash wrong)
        self._n = 0

    # -- what the export calls (images.Renditions) -------------------------------------------
    def alias(self, source: str, kind: str, spec: str, *, as_source: str, as_spec: str) -> None:
        """Renditions of ``source`` with ``spec`` are those of ``as_source`` with ``as_spec`` (a
        reduced copy's appendix image is kept under its original, of which the copy is a function)."""
        self._aliases[(source, kind, spec)] = (as_source, kind, as_spec)

    def get(self, source: str, kind: str, spec: str) -> list[PreparedImage] | None:
        source, kind, spec = self._aliases.get((source, kind, spec), (source, kind, spec))
        made = self._made.get((source, kind, spec))
        if made is not None:
            return made
        if self.doc is None or self.secret is None:
            return None
        try:
            with self.doc.read() as s:
                got = self._read(sqlite_connection(s), source, kind, spec)
            if got is not None:
                self._made[(source, kind, spec)] = got
            return got
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                log.info("renditions unreadable: %s", exc)
            return None
        except (KhoiError, OSError, sqlite3.Error, SQLAlchemyError) as exc:
            log.info("renditions unreadable: %s", exc)
            return None

    def put(self, source: str, kind: str, spec: str, images: list[PreparedImage]) -> None:
        source, kind, spec = self._aliases.get((source, kind, spec), (source, kind, spec))
        if not images or kind not in KINDS or (source, kind, spec) in self._made:
            return
        self._made[(source, kind, spec)] = images
        if self.secret is None:
            return
        for part, img in enumerate(images):
            dest = self._next_path()
            try:
                _link_or_copy(img.path, dest)
                digest = img.sha256 or file_sha256(dest)
                size = dest.stat().st_size
            except (OSError, KhoiError) as exc:
                log.info("rendition not kept: %s", exc)
                return
            row = _Row(source, kind, spec, img.page if img.page else part, img.pages, img.width_px, img.height_px,
                       size, digest)
            self.new.append(_New(row, dest))

    # -- afterwards ------------------------------------------------------------------------
    def discard(self) -> None:
        """Remove the files (what was not stored is made again next time)."""
        self._cleanup()

    def _next_path(self) -> Path:
        self._n += 1
        return self.folder / f"{self._n:05d}.jpg"

    def _read(self, conn: sqlite3.Connection, source: str, kind: str, spec: str) -> list[PreparedImage] | None:
        from khoiapp.pdf.images import PreparedImage

        secret = self.secret
        assert secret is not None
        rows = conn.execute(
            "SELECT rowid, part, parts, width, height, size, sha256, mac FROM rendition "
            "WHERE source_sha256 = ? AND kind = ? AND spec = ? ORDER BY part LIMIT ?",
            (source, kind, spec, MAX_PARTS + 1)).fetchall()
        if not rows:
            return None
        if len(rows) > MAX_PARTS:
            self.ignored += 1
            return None
        out: list[PreparedImage] = []
        for rowid, part, parts, width, height, size, digest, mac in rows:
            try:
                row = _Row(source, kind, spec, int(part), int(parts), int(width), int(height), int(size), str(digest))
            except (TypeError, ValueError):
                self.ignored += 1
                return None
            if not (isinstance(mac, str) and hmac.compare_digest(mac, row.mac(secret))) or not (
                    0 < row.size <= MAX_ROW_BYTES and 0 < row.width <= 20000 and 0 < row.height <= 20000):
                self.ignored += 1
                return None
            dest = self._next_path()
            h = hashlib.sha256()
            written = 0
            with conn.blobopen("rendition", "data", rowid, readonly=True) as blob, open(dest, "wb") as fh:
                if len(blob) != row.size:
                    self.ignored += 1
                    return None
                while chunk := blob.read(CHUNK):
                    h.update(chunk)
                    fh.write(chunk)
                    written += len(chunk)
            if written != row.size or h.hexdigest() != row.sha256:
                self.ignored += 1
                return None
            out.append(PreparedImage(dest, row.width, row.height, page=row.part, pages=row.parts, sha256=row.sha256))
        self.reused += 1
        return out


def store(doc: Document, made: ExportRenditions) -> Changes:
    """Keep in ``doc`` what the export made (replacing rows of the same key), drop rows whose
    evidence file the document no longer has, and remove the export's files.

    A cache: nothing here is undoable or shown; the document's contents are unchanged."""
    try:
        secret = made.secret
        if secret is None or not made.new:
            return Changes(tables=("rendition",))
        doc.require_writable()
        if doc.moved():  # deleted or renamed while open: nothing to keep (and no edit to keep for «Lưu thành…»)
            return Changes(tables=("rendition",))
        with doc.transaction() as s:
            conn = sqlite_connection(s)
            now = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
            replaced: set[tuple[str, str, str]] = set()
            for new in made.new:
                row = new.row
                if (row.source, row.kind, row.spec) not in replaced:  # a set is replaced whole
                    replaced.add((row.source, row.kind, row.spec))
                    conn.execute("DELETE FROM rendition WHERE source_sha256 = ? AND kind = ? AND spec = ?",
                                 (row.source, row.kind, row.spec))
                try:
                    data = _read_limited(new.path, MAX_ROW_BYTES)
                except OSError:
                    continue
                if data is None or len(data) != row.size or hashlib.sha256(data).hexdigest() != row.sha256:
                    continue
                conn.execute(
                    "INSERT INTO rendition (source_sha256, kind, spec, part, parts, width, height, size, "
                    "sha256, mac, data, made_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (row.source, row.kind, row.spec, row.part, row.parts, row.width, row.height, row.size,
                     row.sha256, row.mac(secret), data, now))
            _purge(conn)
        return Changes(tables=("rendition",))
    finally:
        made.discard()


def _purge(conn: sqlite3.Connection) -> None:
    """Drop renditions of files the document no longer has."""
    conn.execute("DELETE FROM rendition WHERE source_sha256 NOT IN (SELECT sha256 FROM blob)")


def clear(doc: Document) -> int:
    """Remove every kept rendition (they are made again by the next export); how many rows."""
    doc.require_writable()
    with doc.transaction() as s:
        return int(sqlite_connection(s).execute("DELETE FROM rendition").rowcount)


def stats(doc: Document) -> tuple[int, int]:
    """(rows, bytes) of the renditions this document keeps."""
    with doc.read() as s:
        n, size = sqlite_connection(s).execute("SELECT count(*), coalesce(sum(size), 0) FROM rendition").fetchone()
    return int(n), int(size)


def _read_limited(path: Path, limit: int) -> bytes | None:
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    return data if len(data) <= limit else None


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)
