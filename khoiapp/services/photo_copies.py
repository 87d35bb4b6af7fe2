"""Reduced copies of camera photos for a dossier that must stay small enough to send.

A phone photo is 3–8 MB; a dossier of 40 of them cannot go by e-mail or chat. With reduced copies
the dossier embeds each large JPEG photo re-encoded at print size (1600 pixels on its long side,
upright) instead of the original. The payload keeps the original's SHA-256 and size
(``original_sha256``, ``original_size``) beside the copy's, so the unit can still prove which
original each copy comes from; the original stays in the unit's document.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PHOTO_COPY_MODES = ("auto", "original", "reduced")
"""``auto``: reduced copies only when the dossier with originals would exceed the size budget."""

REDUCED_LONG_SIDE = 1600
REDUCED_QUALITY = 80
REDUCE_MIN_BYTES = 400_000  # smaller photos are embedded as they are
ESTIMATED_COPY_BYTES = 240_000  # a reduced copy (measured: 240 KB on average), for the size estimate

OpenEvidence = Callable[[str], Iterator[bytes]]


@dataclass(frozen=True)
class ReducedCopy:
    """A reduced copy written to ``path`` for the duration of the export."""

    path: Path
    sha256: str
    size: int


def reducible(e: dict[str, Any]) -> bool:
    """A large embedded JPEG photo (other files are always embedded as they are)."""
    return bool(e.get("embedded") and e.get("attachment") and e.get("sha256")) and str(
        e.get("mime_type") or "").lower() == "image/jpeg" and int(e.get("size") or 0) > REDUCE_MIN_BYTES


def reduced_jpeg(data: bytes) -> bytes | None:
    """The photo upright, at most ``REDUCED_LONG_SIDE`` pixels on its long side, as a JPEG; ``None``
    when it cannot be read (the original is then embedded)."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as im:
            scale = min(1.0, REDUCED_LONG_SIDE / max(im.width, im.height))
            want = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
            im.draft("RGB", want)
            img = im.convert("RGB") if im.mode != "RGB" else im
            if img.size != want:
                img = img.resize(want, Image.Resampling.LANCZOS, reducing_gap=3.0)
            img.info["exif"] = im.info.get("exif", b"")
            img = ImageOps.exif_transpose(img) if im.getexif().get(0x0112, 1) != 1 else img
            out = io.BytesIO()
            img.save(out, format="JPEG", quality=REDUCED_QUALITY)
            return out.getvalue()
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        return None


def copy_plan(payload: dict[str, Any], choices: dict[str, str], mode: str, over_budget: Callable[[int], bool]
              ) -> frozenset[str]:
    """The codes of the evidence items to embed as reduced copies.

    Each item's own choice wins (``choices``: code → ``auto``/``original``/``reduced``; missing means
    ``auto``): a unit that marked a photo «bản gốc» wants that photo intact whatever the export option,
    and one it marked «bản thu nhỏ» never needs its original sent. Items left at ``auto`` follow
    ``mode``: ``reduced``, ``original``, or ``auto`` = reduced only when ``over_budget(saving)`` says
    the dossier would still exceed the budget after saving ``saving`` bytes on the items reduced
    anyway.
    """
    photos = [e for e in payload.get("evidence") or [] if reducible(e)]
    forced = {e["code"] for e in photos if choices.get(e["code"], "auto") == "reduced"}
    auto = {e["code"] for e in photos if choices.get(e["code"], "auto") == "auto"}
    if mode == "reduced":
        return frozenset(forced | auto)
    if mode == "original" or not auto:
        return frozenset(forced)
    saving = sum(item_saving(e) for e in photos if e["code"] in forced)
    return frozenset(forced | auto) if over_budget(saving) else frozenset(forced)


def item_saving(e: dict[str, Any]) -> int:
    """Bytes a reduced copy of ``e`` saves, for the size estimate (0 for a file that is not reducible)."""
    return max(0, int(e["size"]) - ESTIMATED_COPY_BYTES) if reducible(e) else 0


def make_copies(payload: dict[str, Any], open_evidence: OpenEvidence, folder: Path,
                codes: frozenset[str] | None = None) -> dict[str, ReducedCopy]:
    """Reduced copies of the reducible photos of ``payload`` (those of ``codes``; all when ``None``),
    by the original's SHA-256.

    One original is in memory at a time; a copy only when it is smaller than the original.
    """
    out: dict[str, ReducedCopy] = {}
    for i, e in enumerate(payload.get("evidence") or []):
        if not reducible(e) or e["sha256"] in out or (codes is not None and e["code"] not in codes):
            continue
        data = b"".join(open_evidence(e["sha256"]))
        small = reduced_jpeg(data)
        del data
        if small is None or len(small) >= int(e["size"]):
            continue
        path = folder / f"{i:05d}.jpg"
        path.write_bytes(small)
        out[e["sha256"]] = ReducedCopy(path, hashlib.sha256(small).hexdigest(), len(small))
    return out


def apply_copies(payload: dict[str, Any], copies: dict[str, ReducedCopy]) -> None:
    """Point the payload's evidence and manifest at the copies, keeping the originals' hash and size."""
    by_name: dict[str, ReducedCopy] = {}
    for e in payload.get("evidence") or []:
        copy = copies.get(e.get("sha256") or "")
        if copy is None or not e.get("attachment"):
            continue
        e["original_sha256"], e["original_size"] = e["sha256"], e["size"]
        e["sha256"], e["size"] = copy.sha256, copy.size
        by_name[e["attachment"]] = copy
    for m in payload.get("manifest") or []:
        copy = by_name.get(m["name"])
        if copy is not None:
            m["sha256"], m["size"] = copy.sha256, copy.size


def estimated_saving(payload: dict[str, Any], codes: frozenset[str] | None = None) -> int:
    """Bytes the reduced copies (of ``codes``; all when ``None``) would save, for the size estimate."""
    return sum(item_saving(e) for e in payload.get("evidence") or [] if codes is None or e["code"] in codes)
