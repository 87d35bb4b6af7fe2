"""Entry points: ``khoi`` (window), ``khoiapp`` (commands) and ``main.py``; which one a command line means.

``khoi``, ``khoiapp`` and ``main.py`` with no arguments open the window; with a ``.khoi`` document or a
dossier ``.pdf`` (a double-click in the file manager passes the path) they open the window on that
file; anything else is a command for :mod:`khoiapp.cli`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

OPENABLE_SUFFIXES = (".khoi", ".pdf")


def file_argument(args: Sequence[str]) -> Path | None:
    """The document or dossier to open when the command line is just one (None when it is a command)."""
    if len(args) != 1:
        return None
    arg = args[0]
    if arg.startswith("-"):
        return None
    if arg.lower().startswith("file://"):  # some file managers pass a URL
        from urllib.parse import unquote, urlparse

        arg = unquote(urlparse(arg).path)
        if len(arg) > 2 and arg[0] == "/" and arg[2] == ":":  # /C:/Users/... on Windows
            arg = arg[1:]
    if Path(arg).suffix.lower() in OPENABLE_SUFFIXES:
        return Path(arg)
    return None


def wants_window(args: Sequence[str]) -> bool:
    """No arguments, or a single file to open."""
    return not args or file_argument(args) is not None


def open_initial(window: Any, path: Path | None) -> Any:
    """What the window shows first: ``path`` (a document, or a dossier to verify and import), else as usual."""
    if path is None or path.suffix.lower() != ".pdf":
        return window.start(path)
    from khoiapp import paths
    from ui import settings

    # A dossier: open the usual document behind it (the import goes into it), never the welcome
    # dialog over the check; with no document the import wizard makes a new one.
    for candidate in (*settings.recent_files(), str(paths.default_document_path())):
        if Path(candidate).exists():
            window.open_path(candidate)
            break
    return window.open_dossier_pdf(path)


def main(argv: Sequence[str] | None = None) -> int:
    """Window or command, from the command line (``argv`` without the program name)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_window(args):
        from ui.app import run

        return run([sys.argv[0] if sys.argv else "khoi", *args])
    from khoiapp.cli import main as cli_main

    return cli_main(args)


def gui_entry() -> None:
    """``khoi`` (gui-scripts: no console window on Windows)."""
    raise SystemExit(main())


def console_entry() -> None:
    """``khoiapp`` (console-scripts)."""
    raise SystemExit(main())
