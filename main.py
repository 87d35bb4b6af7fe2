"""Khối: with no arguments opens the window; with a command runs the CLI (see ``--help``)."""

from __future__ import annotations

import sys


def main() -> int:
    if len(sys.argv) > 1:
        from khoiapp.cli import main as cli_main

        return cli_main(sys.argv[1:])
    from ui.app import run

    return run(sys.argv)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the bloc summary's worker processes, in the frozen Windows build
    raise SystemExit(main())
