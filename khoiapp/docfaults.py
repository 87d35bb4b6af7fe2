"""Faults of the user's environment told as what they are: a full disk, a document moved away.

SQLite reports a document deleted or renamed while open as "attempt to write a readonly
database" (extended code ``SQLITE_READONLY_DBMOVED``), and a new connection to its old path as
"unable to open database file" (connections open with ``mode=rw``, so no empty file is made
there); :func:`moved_error` turns those, on a path that no longer holds the file, into
:class:`DocumentMovedError`
instead of a misleading "read-only media". :func:`is_disk_full` recognises ENOSPC and SQLite's
"database or disk is full".
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from khoiapp.errors import DocumentMovedError

__all__ = ["SQLITE_FULL", "SQLITE_READONLY_DBMOVED", "is_disk_full", "moved_error"]

SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_READONLY_DBMOVED = 1032  # SQLITE_READONLY | (4 << 8)


def moved_error(exc: BaseException, path: Path) -> DocumentMovedError | None:
    """A :class:`DocumentMovedError` when ``exc`` means the open file is gone from ``path``."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code == SQLITE_READONLY_DBMOVED:
        return DocumentMovedError(path)
    readonly = "readonly" in str(exc).lower()
    cantopen = code == SQLITE_CANTOPEN or "unable to open database" in str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError) and (readonly or cantopen):
        try:
            there = Path(path).is_file()
        except OSError:
            there = False
        if not there:
            return DocumentMovedError(path)
    return None


def is_disk_full(exc: BaseException) -> bool:
    """True for "no space left on device", whichever layer reports it."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlite_errorcode", None) == SQLITE_FULL:
        return True
    return isinstance(orig, sqlite3.OperationalError) and "disk is full" in str(orig).lower()
