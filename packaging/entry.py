"""Entry script of the built app (``khoi`` and ``khoiapp``): window or command, as ui.launcher decides."""

from ui.launcher import main

if __name__ == "__main__":
    raise SystemExit(main())
