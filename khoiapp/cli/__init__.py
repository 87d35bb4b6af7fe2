"""Command-line interface: ``python main.py <command>`` and ``khoiapp <command>``.

Each command module exposes ``register(subparsers)``; a handler takes the parsed
arguments and returns the exit status: 0 ok, 1 a check failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from khoiapp.errors import Cancelled, KhoiError

# One line per command group; a new group adds its module here.
COMMAND_MODULES = (
    "khoiapp.cli.document_cmds",
    "khoiapp.cli.export_cmds",
    "khoiapp.cli.sign_cmds",
    "khoiapp.cli.import_cmds",
    "khoiapp.cli.backup_cmds",
    "khoiapp.cli.summary_cmds",
    "khoiapp.cli.batch_cmds",  # after document_cmds: it widens «set» and «attach»
)


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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="khoiapp",
        description="Khối — tự đánh giá xây dựng cơ quan, đơn vị, doanh nghiệp văn hóa, kiểu mẫu.",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
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
