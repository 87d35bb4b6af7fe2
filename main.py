"""Khối: with no arguments opens the window; with a .khoi or dossier .pdf opens the window on it;
with a command runs the CLI (see ``--help``)."""

from __future__ import annotations


def main() -> int:
    # A frozen (PyInstaller) build starts worker processes from this same executable.
    import multiprocessing

    multiprocessing.freeze_support()
    from ui.launcher import main as launch

    return launch()


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the bloc summary's worker processes, in the frozen Windows build
    raise SystemExit(main())
