"""Backup copies of a document, kept in a folder beside it and rotated."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from khoiapp.errors import BadInputError, DiskFullError, OutputPathError

KEEP = 5
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d+)?)-(?P<reason>[a-z0-9-]+)\.khoi$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: dt.datetime
    reason: str
    size: int


def backup_dir(document: Path) -> Path:
    return document.with_name(document.stem + "-saoluu")


def make_backup(document: str | Path, reason: str = "thu-cong", *, keep: int = KEEP) -> Path:
    """Write a consistent copy of ``document`` (SQLite backup API) and keep the newest ``keep``."""
    document = Path(document)
    folder = backup_dir(document)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputPathError(
            f"Không tạo được thư mục sao lưu «{folder}» ({exc.strerror}). "
            "Hãy chép tài liệu vào thư mục có quyền ghi rồi thử lại."
        ) from exc
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "thu-cong"
    target = folder / f"{document.stem}-{stamp}-{reason}.khoi"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{document.stem}-{stamp}-{n}-{reason}.khoi"
    tmp = target.with_name(target.name + ".tmp")
    try:
        src = sqlite3.connect(Path(document).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(tmp))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(tmp, target)
    except sqlite3.OperationalError as exc:
        tmp.unlink(missing_ok=True)
        if "full" in str(exc).lower():
            raise DiskFullError() from exc
        raise
    rotate(document, keep=keep)
    return target


def list_backups(document: str | Path) -> list[BackupInfo]:
    """Backups of ``document``, newest first."""
    document = Path(document)
    folder = backup_dir(document)
    out: list[BackupInfo] = []
    if not folder.is_dir():
        return out
    for p in folder.glob("*.khoi"):
        m = _NAME.match(p.name)
        if not m or m.group("stem") != document.stem:
            continue
        stamp = m.group("stamp")[:15]
        created = dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S")
        out.append(BackupInfo(path=p, created_at=created, reason=m.group("reason"), size=p.stat().st_size))
    out.sort(key=lambda b: (b.created_at, b.path.name), reverse=True)
    return out


def rotate(document: Path, *, keep: int = KEEP) -> None:
    for old in list_backups(document)[keep:]:
        old.path.unlink(missing_ok=True)


def restore_backup(document: str | Path, backup: str | Path) -> Path:
    """Replace ``document`` by ``backup``; the current document is backed up first."""
    from khoiapp.db import open_document

    document = Path(document)
    backup = Path(backup)
    if not backup.exists():
        candidates = [b.path for b in list_backups(document) if b.path.name == backup.name]
        if not candidates:
            raise BadInputError(
                f"Không tìm thấy bản sao lưu «{backup}». Xem danh sách bằng lệnh «backups {document.name}»."
            )
        backup = candidates[0]
    # The backup must itself be a readable document before we touch anything.
    open_document(backup, read_only=True).close()
    if document.exists():
        make_backup(document, reason="truoc-khoi-phuc")
    tmp = document.with_name(document.name + ".khoiphuc.tmp")
    src = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(tmp, document)
    return document
