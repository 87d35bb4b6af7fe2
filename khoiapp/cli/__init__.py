"""Command-line interface: ``python main.py <command>`` and ``khoiapp <command>``.

Each command module exposes ``register(subparsers)``; a handler takes the parsed
arguments and returns the exit status: 0 ok, 1 a check failed, 2 bad input.

Only the module of the command being run is imported (:data:`COMMANDS` says which, and gives
every command's one-line help for ``--help``): the others pull in SQLAlchemy, pyHanko and the
like, which costs more than the command itself for ``--help`` or ``info``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from khoiapp.errors import Cancelled, KhoiError

# One line per command group; a new group adds its module here (and its commands below).
COMMAND_MODULES = (
    "khoiapp.cli.document_cmds",
    "khoiapp.cli.export_cmds",
    "khoiapp.cli.sign_cmds",
    "khoiapp.cli.cosign_cmds",
    "khoiapp.cli.import_cmds",
    "khoiapp.cli.backup_cmds",
    "khoiapp.cli.summary_cmds",
    "khoiapp.cli.batch_cmds",  # after document_cmds: it widens «set» and «attach»
)

_DOC, _BATCH = "khoiapp.cli.document_cmds", "khoiapp.cli.batch_cmds"
# command: (the modules that declare it, in order; its help line). A test checks it matches the modules.
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "new": ((_DOC,), "tạo tài liệu mới cho một đơn vị"),
    "info": ((_DOC,), "xem thông tin và kết quả tự đánh giá"),
    "forget-images": ((_DOC,), "xóa ảnh phụ lục giữ lại trong tài liệu từ các lần xuất trước (lần xuất sau làm lại)"),
    "frameworks": ((_DOC,), "liệt kê các bộ tiêu chí có sẵn"),
    "import-framework": ((_DOC,), "nhập bộ tiêu chí (tệp .toml) vào tài liệu"),
    "criteria": ((_BATCH,), "liệt kê các tiêu chí của kỳ đánh giá: mã, tên, loại, kết quả hiện có"),
    "set": ((_DOC, _BATCH), "ghi kết quả một tiêu chí"),
    "attach": ((_DOC, _BATCH), "thêm tệp minh chứng cho một tiêu chí"),
    "evidence": ((_DOC,), "xem hoặc sửa cách đưa một minh chứng vào hồ sơ (--embed)"),
    "unit": ((_DOC,), "sửa thông tin đơn vị: --set truong=gia-tri"),
    "period": ((_DOC,), "số văn bản của kỳ đánh giá: --set so-dang-ky=01/ĐK-CĐ"),
    "demo": ((_DOC,), "tạo tài liệu mẫu đầy đủ của một đơn vị"),
    "export": (("khoiapp.cli.export_cmds",), "xuất hồ sơ PDF (kèm dữ liệu và minh chứng), có thể ký số"),
    "extract": (("khoiapp.cli.export_cmds",), "giải nén dữ liệu và tệp minh chứng từ hồ sơ PDF (kiểm tra mã băm)"),
    "cert": (("khoiapp.cli.sign_cmds",), "chứng thư số của đơn vị: tạo mới, xuất chứng thư"),
    "trust": (("khoiapp.cli.sign_cmds",), "danh sách chứng thư tin cậy: list, add, remove"),
    "verify": (("khoiapp.cli.sign_cmds",), "kiểm tra chữ ký số và tính toàn vẹn của hồ sơ PDF"),
    "sign": (
        ("khoiapp.cli.cosign_cmds",),
        "ký tiếp hồ sơ PDF đã xuất: chủ tịch công đoàn, thủ trưởng hoặc con dấu của đơn vị",
    ),
    "sign-image": (
        ("khoiapp.cli.cosign_cmds",),
        "chọn ảnh chữ ký/con dấu (PNG nền trong suốt) lưu trong tài liệu",
    ),
    "import": (("khoiapp.cli.import_cmds",), "nhập hồ sơ PDF năm trước thành kỳ đánh giá mới"),
    "confirm": (("khoiapp.cli.import_cmds",), "xác nhận các tiêu chí chuyển từ năm trước"),
    "diff": (
        ("khoiapp.cli.import_cmds",),
        "so sánh hai hồ sơ PDF (OLD.pdf NEW.pdf), hoặc một kỳ với năm trước (FILE.khoi --year)",
    ),
    "backups": (("khoiapp.cli.backup_cmds",), "liệt kê các bản sao lưu tự động của tài liệu"),
    "restore": (("khoiapp.cli.backup_cmds",), "khôi phục tài liệu từ một bản sao lưu (tài liệu hiện tại được sao lưu trước)"),
    "summary": (
        ("khoiapp.cli.summary_cmds",),
        "tổng hợp hồ sơ của các đơn vị: bảng kiểm tra chữ ký, kết quả và số liệu toàn Khối",
    ),
}


# argparse's own words, in Vietnamese (it looks them up through gettext at run time).
_ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "positional arguments": "tham số",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
}


def _vi(text: str) -> str:
    return _ARGPARSE_VI.get(text, text)


argparse._ = _vi  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with Vietnamese errors and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"Lỗi: tham số không hợp lệ ({message}). Xem hướng dẫn: khoiapp --help", file=sys.stderr)
        raise SystemExit(2)


_ALL = "*"


def build_parser(command: str | None = _ALL) -> argparse.ArgumentParser:
    """The parser; only ``command``'s modules are imported (``None``: none, for ``--help``;
    the default: every module)."""
    parser = _Parser(
        prog="khoiapp",
        description="Khối — tự đánh giá xây dựng cơ quan, đơn vị, doanh nghiệp văn hóa, kiểu mẫu.",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    if command == _ALL:
        modules: tuple[str, ...] = COMMAND_MODULES
    else:
        modules = COMMANDS[command][0] if command in COMMANDS else ()
    for name in modules:
        importlib.import_module(name).register(sub)
    for name, (_mods, help_text) in COMMANDS.items():
        if name not in sub.choices:  # listed in --help; its module is imported when it runs
            sub.add_parser(name, help=help_text)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_in(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except Cancelled:
        print("Đã hủy.", file=sys.stderr)
        return 1
    except KhoiError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error of ours.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the CLI's boundary: a bug, not the user's input
        from khoiapp.crashlog import log_exception

        path = log_exception(exc)
        print(
            "Lỗi: Rất tiếc, Khối gặp một lỗi không lường trước nên chưa làm xong việc này; "
            "các thay đổi đã lưu trước đó vẫn còn nguyên. Hãy thử lại; nếu lỗi lặp lại, hãy gửi "
            f"tệp nhật ký cho người hỗ trợ: {path}",
            file=sys.stderr,
        )
        return 1


def main_entry() -> None:
    """Console-script entry point (``khoiapp``)."""
    raise SystemExit(main())
