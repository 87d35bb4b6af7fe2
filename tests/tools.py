"""External tools some tests need (pdftotext, pdfsig, softhsm2-util, …).

A missing tool skips the test on a developer's machine; with ``KHOI_REQUIRE_TOOLS=1`` (set by
``.ci/run``) it fails instead, so CI never passes by skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    msg = f"tool {name!r} is not installed"
    if os.environ.get("KHOI_REQUIRE_TOOLS") == "1":
        pytest.fail(msg + " (KHOI_REQUIRE_TOOLS=1)")
    pytest.skip(msg)


def require_file(path: str | Path) -> Path:
    p = Path(path)
    if p.exists():
        return p
    msg = f"file {p} is missing"
    if os.environ.get("KHOI_REQUIRE_TOOLS") == "1":
        pytest.fail(msg + " (KHOI_REQUIRE_TOOLS=1)")
    pytest.skip(msg)
