"""CLI: backups (list a document's backup copies), restore (put one back)."""

from __future__ import annotations

import argparse
from pathlib import Path

from khoiapp.cli.output import emit_json, say
from khoiapp.services import backups
from khoiapp.services.backups import RestoreOutcome, pick_backup, reason_label, restore_document

__all__ = ["RestoreOutcome", "reason_label", "register", "restore_document"]


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


def cmd_restore(a: argparse.Namespace) -> int:
    document: Path = a.file
    chosen = pick_backup(document, a.backup)
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
