"""Diacritics-insensitive text matching: "quy uoc" finds "Quy ước", "dang" finds "Đảng"."""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics and with đ → d, for searching."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def matches(query: str, *texts: str) -> bool:
    """True when every word of ``query`` occurs (folded) in one of ``texts`` together."""
    words = fold(query).split()
    if not words:
        return True
    hay = " ".join(fold(t) for t in texts if t)
    return all(w in hay for w in words)
