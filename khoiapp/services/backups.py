"""Backup copies of a document, kept in a folder beside it and rotated."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from khoiapp.errors import BadInputError, DiskFullError, DocumentReadOnlyError, OutputPathError

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
    # Within one second, a counter keeps the order (it never goes back, even after rotation).
    seqs = [
        int(m.group("stamp")[16:] or 1)
        for p in folder.glob(f"{document.stem}-{stamp}*.khoi")
        if (m := _NAME.match(p.name)) and m.group("stamp")[:15] == stamp
    ]
    n = max(seqs, default=0) + 1
    name = f"{document.stem}-{stamp}-{reason}.khoi" if n == 1 else f"{document.stem}-{stamp}-{n}-{reason}.khoi"
    target = folder / name
    _copy_database(Path(document), target, target.with_name(target.name + ".tmp"))
    rotate(document, keep=keep)
    return target


def _copy_database(source: Path, target: Path, tmp: Path) -> None:
    """Copy the database ``source`` (opened read-only) to ``tmp`` with SQLite's online backup, as
    a one-file rollback-journal document, then put it in place of ``target`` in one rename.

    Raises:
        DiskFullError: the disk filled up; ``tmp`` is removed and ``target`` is untouched.
    """
    from khoiapp import docfaults
    from khoiapp.db import copy_with_backup_api

    try:
        copy_with_backup_api(source, tmp)
        os.replace(tmp, target)
    except (sqlite3.OperationalError, OSError) as exc:
        tmp.unlink(missing_ok=True)
        if docfaults.is_disk_full(exc):  # SQLITE_FULL, or ENOSPC from the final sync
            raise DiskFullError() from exc
        raise


def list_backups(document: str | Path) -> list[BackupInfo]:
    """Backups of ``document``, newest first."""
    document = Path(document)
    folder = backup_dir(document)
    out: list[BackupInfo] = []
    order: dict[Path, tuple[dt.datetime, int]] = {}
    if not folder.is_dir():
        return out
    for p in folder.glob("*.khoi"):
        m = _NAME.match(p.name)
        if not m or m.group("stem") != document.stem:
            continue
        stamp = m.group("stamp")
        created = dt.datetime.strptime(stamp[:15], "%Y%m%d-%H%M%S")
        seq = int(stamp[16:]) if len(stamp) > 15 else 1  # several backups within one second
        out.append(BackupInfo(path=p, created_at=created, reason=m.group("reason"), size=p.stat().st_size))
        order[p] = (created, seq)
    out.sort(key=lambda b: order[b.path], reverse=True)
    return out


def rotate(document: Path, *, keep: int = KEEP) -> None:
    for old in list_backups(document)[keep:]:
        old.path.unlink(missing_ok=True)


def restore_backup(document: str | Path, backup: str | Path) -> RestoreOutcome:
    """Put ``backup`` (a path, a file name or a number from :func:`list_backups`) in place of ``document``."""
    return restore_document(document, backup)


def _replace_with(document: str | Path, backup: str | Path) -> Path:
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
    _copy_database(backup, document, document.with_name(document.name + ".khoiphuc.tmp"))
    return document


_REASONS = {
    "thu-cong": "sao lưu thủ công",
    "truoc-khoi-phuc": "trước khi khôi phục một bản sao lưu",
    "truoc-nhap-ho-so": "trước khi nhập hồ sơ",
}
_UPGRADE = re.compile(r"^nang-cap-(?P<rev>.+)$")


def reason_label(reason: str) -> str:
    """Vietnamese label of a backup reason (the slug in the backup's file name)."""
    if reason in _REASONS:
        return _REASONS[reason]
    m = _UPGRADE.match(reason)
    if m:
        return f"trước khi nâng cấp tài liệu lên định dạng mới (từ bản {m.group('rev')})"
    return reason.replace("-", " ")


def pick_backup(document: Path, text: str) -> Path:
    """The backup meant by ``text``: a path, a backup's file name, or its number in the listing."""
    items = list_backups(document)
    p = Path(text)
    if p.is_file():
        return p
    for b in items:
        if b.path.name == p.name:
            return b.path
    if text.isdigit():
        i = int(text)
        if 1 <= i <= len(items):
            return items[i - 1].path
    have = f"hiện có {len(items)} bản, đánh số 1 đến {len(items)}" if items else "chưa có bản nào"
    raise BadInputError(
        f"Không tìm thấy bản sao lưu «{text}» của tài liệu {document.name} ({have}). "
        f"Xem danh sách bằng lệnh «backups {document}»."
    )


@dataclass(frozen=True)
class RestoreOutcome:
    document: Path
    restored_from: str  # the chosen backup's file name
    saved_current: Path | None  # the backup made of the document just before (None if none was made)
    damaged_copy: Path | None  # a damaged document that could not be backed up, kept aside


def restore_document(document: str | Path, backup: str | Path) -> RestoreOutcome:
    """Put ``backup`` in place of ``document`` safely.

    Refuses while another window has the document open
    (it would keep writing to the replaced file); works on a copy of the chosen backup, so making
    the pre-restore backup cannot rotate the chosen one away; and when the current document is
    too damaged to be backed up (the usual reason to restore), keeps its bytes aside as
    ``<name>-<time>-bi-hong.khoi.hong`` in the backup folder instead of failing.

    Raises:
        DocumentLockedError: the document is open in another window.
        DocumentReadOnlyError: the folder cannot be written.
        BadInputError / NotADocumentError: the backup is missing or unreadable.
    """
    from khoiapp import locking
    from khoiapp.db import READ_ONLY_MEDIA

    document = Path(document)
    chosen = pick_backup(document, str(backup))
    try:
        lock = locking.acquire(document)  # nobody may have the document open while it is replaced
    except OSError as exc:
        raise DocumentReadOnlyError(document, READ_ONLY_MEDIA) from exc
    with lock:
        folder = backup_dir(document)
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise DocumentReadOnlyError(document, READ_ONLY_MEDIA) from exc
        work = folder / f".dang-khoi-phuc-{uuid.uuid4().hex}.tmp"
        shutil.copyfile(chosen, work)
        damaged: Path | None = None
        had_document = document.exists()
        try:
            try:
                _replace_with(document, work)
            except sqlite3.DatabaseError:
                if not had_document or _readable(document):
                    raise
                # The current file cannot be read: keep its bytes, then restore over nothing.
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                damaged = folder / f"{document.stem}-{stamp}-bi-hong.khoi.hong"
                os.replace(document, damaged)
                _replace_with(document, work)
        finally:
            work.unlink(missing_ok=True)
    saved = None
    if had_document and damaged is None:
        saved = next((b.path for b in list_backups(document) if b.reason == "truoc-khoi-phuc"), None)
    return RestoreOutcome(document, chosen.name, saved, damaged)


def _readable(path: Path) -> bool:
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
