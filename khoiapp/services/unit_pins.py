"""``summary --pins``: the bloc's registered unit certificates, read as the bloc's unit list.

Which certificate is expected for which unit is the unit list's «Dấu vân tay chứng thư» column
(:mod:`khoiapp.bloc.units`); this module only reads the older two-column file into such a list and
applies :func:`khoiapp.bloc.units.registered_signer` to the per-file summary's rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from khoiapp.bloc import units


def read_pins(path: str | os.PathLike[str]) -> units.UnitList:
    """Read the registered certificates: a unit list (.xlsx/.csv with its header, see
    :func:`units.read_unit_list`), or the older file of one line per certificate,
    ``unit name;SHA-256 fingerprint`` (``;`` or ``,``; ``AB:CD`` or spaces allowed; an optional
    header line; a unit on several lines when it changed certificates).

    Raises:
        UnitListError: unreadable, too large, or a line without a valid fingerprint («Dòng N: …»).
    """
    table = units.read_table(path)
    first = next((n for n, r in enumerate(table) if any(units._clean(c) for c in r)), None)
    if first is None or units.is_header(table[first]):
        return units.parse_rows(table, str(path))
    merged: dict[str, tuple[str, list[str]]] = {}
    for n, raw in enumerate(table, 1):
        cells = [units._clean(c) for c in raw]
        filled = [c for c in cells if c]
        if not filled:
            continue
        if n == first + 1 and len(filled) >= 2 and not _looks_like_fingerprint(filled[-1]):
            continue  # the older file's own header («Đơn vị;Dấu vân tay»)
        if len(filled) < 2:
            raise units.UnitListError(
                f"Dòng {n}: thiếu tên đơn vị hoặc dấu vân tay. Mỗi dòng ghi: tên đơn vị; dấu vân tay chứng thư."
            )
        fprs = units._parse_fingerprints(filled[-1], n)
        name = filled[0]
        entry = merged.setdefault(units.unit_key(name), (name, []))
        entry[1].extend(f for f in fprs if f not in entry[1])
    rows: list[list[object]] = [[units.COL_NAME, units.COL_FPR]]
    rows.extend([name, "\n".join(fprs)] for name, fprs in merged.values())
    return units.parse_rows(rows, str(path))


def _looks_like_fingerprint(text: str) -> bool:
    return len("".join(ch for ch in text if ch not in ": ")) == 64


def apply_pins(rows: Iterable[Any], pins: units.UnitList, foreign_status: str) -> list[Any]:
    """Rows of a listed unit whose signatures use none of its registered certificates become
    ``foreign_status``, with the unit list's reason."""
    index = units.by_key(pins.units)
    out = []
    for r in rows:
        unit = index.get(units.unit_key(r.unit_name or ""))
        fps = tuple(getattr(r, "cert_fingerprints", ()) or ())
        if unit is not None and r.status != "not-dossier" and fps and not units.registered_signer(unit, fps):
            r = replace(r, status=foreign_status, verdict=foreign_status, reason=units.wrong_signer_reason(unit, r.signer))
        out.append(r)
    return out
