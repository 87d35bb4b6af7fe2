"""Names that become paths: one checker for names read from outside, one builder for names written.

:func:`check_name` refuses a name from a dossier that is not a plain file name (extract and
import keep such names as they are, so they must be safe already). :func:`safe_component` builds
every path component the app writes from document or dossier text (evidence codes, file names,
temporary names): whatever the text holds, the result is one plain file name that stays inside
the folder it is joined to.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from khoiapp.dossier.limits import MAX_NAME_LENGTH
from khoiapp.errors import UnsafeNameError

__all__ = ["check_name", "safe_component", "safe_join"]

_DRIVE = re.compile(r"^[A-Za-z]:")
# Windows device names: a file called "CON.pdf" cannot be saved there.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
# Characters Windows refuses in a file name, and the path separators everywhere.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")


def check_name(name: Any, what: str = "tệp đính kèm", *, max_utf8_bytes: int | None = None) -> str:
    """Return ``name`` (NFC) if it is a plain file name; raise :class:`UnsafeNameError` otherwise.

    Refused: empty names, ``.``/``..``, any ``/`` or ``\\`` (so no ``../`` and no absolute path),
    a drive letter (``C:``), NUL and other control characters, Windows device names (``CON``,
    ``NUL.txt``), leading/trailing spaces or trailing dots, names over 255 characters and, when
    ``max_utf8_bytes`` is given, names longer than that in UTF-8 (a file system limit).
    """
    if not isinstance(name, str):
        raise UnsafeNameError(repr(name)[:200], what)
    n = unicodedata.normalize("NFC", name)
    if (
        not n
        or n in (".", "..")
        or "/" in n
        or "\\" in n
        or _DRIVE.match(n)
        or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in n)
        or len(n) > MAX_NAME_LENGTH
        or (max_utf8_bytes is not None and len(n.encode("utf-8")) > max_utf8_bytes)
        or n != n.strip()
        or n.endswith(".")
        or n.split(".")[0].upper() in _RESERVED
    ):
        raise UnsafeNameError(n[:MAX_NAME_LENGTH], what)
    return n


def _cut_utf8(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", errors="ignore")


def safe_component(text: Any, *, fallback: str = "tep", suffix: str = "", max_bytes: int = 200) -> str:
    """One file-name component built from untrusted ``text``; always safe to join to a folder.

    NFC; path separators, the characters Windows refuses (``<>:"/\\|?*``), control and invisible
    characters become ``_``; leading dots and spaces and trailing dots and spaces are removed;
    Windows device names get a leading ``_``; the result is cut to ``max_bytes`` of UTF-8 (the
    ``suffix``, e.g. ``".pdf"``, is kept whole and cleaned the same way). Empty text gives
    ``fallback``.
    """
    raw = unicodedata.normalize("NFC", text if isinstance(text, str) else "")
    clean = "".join("_" if _invisible(ch) else ch for ch in raw)
    clean = _FORBIDDEN.sub("_", clean)
    clean = re.sub(r"\s+", " ", clean).strip(" .")
    suf = ""
    if suffix:
        suf = _FORBIDDEN.sub("_", "".join("_" if _invisible(ch) else ch for ch in unicodedata.normalize("NFC", suffix)))
        suf = suf.strip(" ")
        suf = _cut_utf8(suf, 20)
        if suf and not suf.startswith("."):
            suf = "." + suf
        suf = suf.rstrip(" .")
    clean = _cut_utf8(clean, max(1, max_bytes - len(suf.encode("utf-8")))).rstrip(" .")
    if not clean or clean in (".", ".."):
        clean = fallback
    if clean.split(".")[0].upper() in _RESERVED:
        clean = "_" + clean
    return clean + suf


def safe_join(folder: Any, *texts: str, fallback: str = "tep") -> Any:
    """``folder / safe_component(t1) / ...`` (``folder`` a :class:`pathlib.Path`)."""
    out = folder
    for t in texts:
        out = out / safe_component(t, fallback=fallback)
    return out
