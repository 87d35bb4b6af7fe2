"""One unit, one key: unit names from different dossiers compared as the same unit or not.

Two dossiers of one unit may spell its name differently without meaning to: composed or
decomposed letters, the old or the new place of the tone mark ("Thanh Hoá" / "Thanh Hóa",
"thuỷ" / "thủy"), upper and lower case, an invisible zero-width space pasted from a web page,
double spaces, a trailing full stop. :func:`unit_key` removes exactly those differences and no
others (a different word is a different unit).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["merged_variants", "unit_key"]

# Tone marks (combining, after NFD): grave, acute, hook above, tilde, dot below.
_TONES = "\u0300\u0301\u0309\u0303\u0323"
# Old style puts the tone on the second vowel of oa/oe/uy ("hoà", "thuỷ"), new style on the first
# ("hòa", "thủy"). The key always uses the old style: tone after the second vowel.
_TONE_FIRST = re.compile(f"([ou])([{_TONES}])([aey])")
# Marks that never change a letter: combining grapheme joiner, variation selectors.
_IGNORABLE_MARKS = {"\u034f", *(chr(c) for c in range(0xFE00, 0xFE10))}
_INVISIBLE = ("Cc", "Cf", "Co", "Cn", "Zl", "Zp")


def _clusters_fit(first: str, second: str) -> bool:
    return (first, second) in (("o", "a"), ("o", "e"), ("u", "y"))


def unit_key(name: str) -> str:
    """The comparison key of a unit name.

    NFC; tone marks of ``oa``/``oe``/``uy`` at one place (``hóa`` ≡ ``hoá``, ``thủy`` ≡ ``thuỷ``,
    ``òa`` ≡ ``oà`` … ``ụy`` ≡ ``uỵ``); case folded; zero-width and other invisible characters
    removed; every run of whitespace one space; leading/trailing spaces and trailing punctuation
    removed.
    """
    text = unicodedata.normalize("NFD", name if isinstance(name, str) else "")
    kept = []
    for ch in text:
        if ch in _IGNORABLE_MARKS:
            continue
        cat = unicodedata.category(ch)
        if cat in _INVISIBLE:
            continue
        kept.append(" " if cat == "Zs" or ch.isspace() else ch)
    text = "".join(kept).casefold()
    text = unicodedata.normalize("NFD", text)  # casefold may compose differently

    def move(m: re.Match[str]) -> str:
        first, tone, second = m.group(1), m.group(2), m.group(3)
        return first + second + tone if _clusters_fit(first, second) else m.group(0)

    text = _TONE_FIRST.sub(move, text)
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    while text and (unicodedata.category(text[-1]).startswith("P") or text[-1].isspace()):
        text = text[:-1]
    return text


def merged_variants(names: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Names that :func:`unit_key` makes one unit although they are written differently.

    Returns (key, the distinct spellings as given, in first-seen order) for every key with more
    than one spelling, in first-seen order of the keys.
    """
    seen: dict[str, list[str]] = {}
    for n in names:
        spellings = seen.setdefault(unit_key(n), [])
        if n not in spellings:
            spellings.append(n)
    return [(k, tuple(v)) for k, v in seen.items() if len(v) > 1]
