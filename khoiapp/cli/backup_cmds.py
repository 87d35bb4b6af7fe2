"""CLI: backups (list a document's backup copies), restore (put one back)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

from khoiapp import locking
from khoiapp.cli.output import emit_json, say
from khoiapp.db import READ_ONLY_MEDIA
from khoiapp.errors import BadInputError, DocumentReadOnlyError
from khoiapp.services import backups

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


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backups", help="liệt kê các bản sao lưu tự động của tài liệu")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser("restore", help="khôi phục tài liệu từ một bản sao lưu (tài liệu hiện tại được sao lưu trước)")
    p.add_argument("file", type=Path, metavar="FILE.khoi")
    p.add_argument(
        "backup",
        metavar="BACKUP",
        help="số thứ tự trong lệnh backups (1 là bản mới nhất), tên tệp sao lưu hoặc đường dẫn tới nó",
    )
    p.set_defaults(func=cmd_restore)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(n / 1024))} KB"


def cmd_backups(a: argparse.Namespace) -> int:
    items = backups.list_backups(a.file)
    if a.json:
        emit_json(
            {
                "document": str(a.file),
                "folder": str(backups.backup_dir(a.file)),
                "backups": [
                    {
                        "index": i,
                        "name": b.path.name,
                        "path": str(b.path),
                        "created_at": b.created_at.isoformat(),
                        "reason": b.reason,
                        "reason_label": reason_label(b.reason),
                        "size": b.size,
                    }
                    for i, b in enumerate(items, 1)
                ],
            }
        )
        return 0
    if not items:
        say(
            f"Tài liệu {a.file} chưa có bản sao lưu nào. Khối tự sao lưu trước khi nâng cấp, nhập hồ sơ "
            f"hoặc khôi phục; các bản được giữ trong thư mục «{backups.backup_dir(a.file).name}» bên cạnh tài liệu."
        )
        return 0
    say(f"Các bản sao lưu của {a.file} (mới nhất trước; giữ {backups.KEEP} bản gần nhất):")
    for i, b in enumerate(items, 1):
        say(f"{i:>3}. {b.created_at:%d/%m/%Y %H:%M}  {reason_label(b.reason)}  ({_size(b.size)})  {b.path.name}")
    say(f"Khôi phục: khoiapp restore {a.file} <số thứ tự>")
    return 0


def _pick(document: Path, text: str) -> Path:
    """The backup meant by ``text``: a path, a backup's file name, or its number in the listing."""
    items = backups.list_backups(document)
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

    Around :func:`backups.restore_backup`: refuses while another window has the document open
    (it would keep writing to the replaced file); works on a copy of the chosen backup, so making
    the pre-restore backup cannot rotate the chosen one away; and when the current document is
    too damaged to be backed up (the usual reason to restore), keeps its bytes aside as
    ``<name>-<time>-bi-hong.khoi.hong`` in the backup folder instead of failing.

    Raises:
        DocumentLockedError: the document is open in another window.
        DocumentReadOnlyError: the folder cannot be written.
        BadInputError / NotADocumentError: the backup is missing or unreadable.
    """
    document = Path(document)
    chosen = _pick(document, str(backup))
    try:
        lock = locking.acquire(document)  # nobody may have the document open while it is replaced
    except OSError as exc:
        raise DocumentReadOnlyError(document, READ_ONLY_MEDIA) from exc
    with lock:
        folder = backups.backup_dir(document)
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
                backups.restore_backup(document, work)
            except sqlite3.DatabaseError:
                if not had_document or _readable(document):
                    raise
                # The current file cannot be read: keep its bytes, then restore over nothing.
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                damaged = folder / f"{document.stem}-{stamp}-bi-hong.khoi.hong"
                os.replace(document, damaged)
                backups.restore_backup(document, work)
        finally:
            work.unlink(missing_ok=True)
    saved = None
    if had_document and damaged is None:
        saved = next((b.path for b in backups.list_backups(document) if b.reason == "truoc-khoi-phuc"), None)
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


def cmd_restore(a: argparse.Namespace) -> int:
    document: Path = a.file
    chosen = _pick(document, a.backup)
    info = next((b for b in backups.list_backups(document) if b.path.name == chosen.name), None)
    out = restore_document(document, chosen)
    when = f" ({info.created_at:%d/%m/%Y %H:%M}, {reason_label(info.reason)})" if info else ""
    say(f"Đã khôi phục tài liệu {document} từ bản sao lưu «{out.restored_from}»{when}.")
    if out.saved_current is not None:
        say(
            f"Tài liệu trước khi khôi phục đã được sao lưu thành «{out.saved_current.name}»; "
            "có thể khôi phục lại nếu cần."
        )
    if out.damaged_copy is not None:
        say(f"Tài liệu cũ bị hỏng, không sao lưu được; bản gốc của nó được giữ ở «{out.damaged_copy}».")
    return 0
