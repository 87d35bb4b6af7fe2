"""The bloc's pinned unit certificates: a unit's dossier counts only if one of its signatures was
made with a certificate the bloc registered for that unit (SHA-256 fingerprint)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from khoiapp.errors import BadInputError
from khoiapp.services.signatures import fold_name
from khoiapp.services.trust import normalise_fingerprint

MAX_PINS_BYTES = 2 * 1024 * 1024

Pins = Mapping[str, frozenset[str]]
"""Folded unit name → allowed certificate fingerprints (lower-case hex SHA-256)."""


def read_pins(path: str | os.PathLike[str]) -> Pins:
    """Read a unit list: one line per certificate, ``unit name;SHA-256 fingerprint`` (or a comma;
    the fingerprint may use ``AB:CD`` or spaces). A header line and blank lines are ignored.

    Raises:
        BadInputError: unreadable, too large, or a line without a 64-digit fingerprint.
    """
    p = Path(path)
    try:
        if p.stat().st_size > MAX_PINS_BYTES:
            raise BadInputError(f"Tệp danh sách đơn vị «{p.name}» quá lớn (trên 2 MB). Hãy kiểm tra lại tệp.")
        text = p.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise BadInputError(f"Không đọc được tệp «{p}» ({exc.strerror}). Hãy kiểm tra lại đường dẫn.") from None
    except UnicodeDecodeError:
        raise BadInputError(f"Tệp «{p.name}» không phải văn bản UTF-8. Hãy lưu lại tệp dạng CSV UTF-8.") from None
    pins: dict[str, set[str]] = {}
    dialect = "excel" if text.count(",") > text.count(";") else "excel-semicolon"
    if dialect == "excel-semicolon":
        csv.register_dialect("excel-semicolon", delimiter=";")
    for n, row in enumerate(csv.reader(io.StringIO(text), dialect=dialect), 1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        fp = normalise_fingerprint(cells[-1]) if len(cells) >= 2 else ""
        if len(fp) != 64:
            if n == 1:
                continue  # a header line
            raise BadInputError(
                f"Dòng {n} của «{p.name}» không có dấu vân tay SHA-256 (64 chữ số hex) sau tên đơn vị. "
                "Mỗi dòng ghi: tên đơn vị; dấu vân tay chứng thư."
            )
        name = fold_name(cells[0])
        if not name:
            raise BadInputError(f"Dòng {n} của «{p.name}» thiếu tên đơn vị. Hãy bổ sung rồi thử lại.")
        pins.setdefault(name, set()).add(fp)
    return {k: frozenset(v) for k, v in pins.items()}


def apply_pins(rows: Iterable[Any], pins: Pins, foreign_status: str) -> list[Any]:
    """Rows of a pinned unit whose signatures use none of its certificates become ``foreign_status``."""
    out = []
    for r in rows:
        allowed = pins.get(fold_name(r.unit_name or ""))
        fps = set(getattr(r, "cert_fingerprints", ()) or ())
        if allowed is not None and r.status != "not-dossier" and fps and not fps & allowed:
            r = replace(
                r,
                status=foreign_status,
                verdict=foreign_status,
                reason=(
                    f"Chữ ký không thuộc đơn vị: hồ sơ của «{r.unit_name}» không được ký bằng chứng thư đã đăng ký "
                    "của đơn vị trong danh sách của Khối. Hãy đề nghị đơn vị ký bằng chứng thư đã đăng ký, hoặc "
                    "cập nhật danh sách nếu đơn vị đã đổi chứng thư."
                ),
            )
        out.append(r)
    return out
