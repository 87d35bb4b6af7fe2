"""Files the app writes for people get the user's normal permissions, not a temporary file's 0600.

``tempfile.mkstemp`` creates files readable by their owner only; a dossier renamed from such a
file could not be opened by colleagues on a shared folder. :func:`give_normal_permissions` sets
what a plain ``open(path, "w")`` would have given: 0666 less the process's umask.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_lock = threading.Lock()


def current_umask() -> int:
    """The process's umask (from /proc on Linux; elsewhere set and put back, under a lock)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def give_normal_permissions(path: str | Path) -> None:
    """``chmod`` ``path`` to 0666 & ~umask (no-op where the system has no such modes)."""
    if os.name != "posix":
        return  # Windows: files inherit the folder's access list; there is nothing to widen
    os.chmod(path, 0o666 & ~current_umask())
