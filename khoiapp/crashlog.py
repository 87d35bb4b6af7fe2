"""The log file where unexpected errors (bugs) are written, for the window and the CLI alike."""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from pathlib import Path

from khoiapp.paths import log_path

log = logging.getLogger(__name__)


def log_exception(exc: BaseException) -> Path:
    """Append the traceback of ``exc`` to the log file; returns the log path (best effort)."""
    path = log_path()
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n{text}\n")
    except OSError:
        log.error("could not write the log file %s:\n%s", path, text)
    return path
