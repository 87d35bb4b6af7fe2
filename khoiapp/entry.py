"""Reading what an officer types into one field: percentages, counts, points and dd/mm/yyyy dates.

Each ``read_*`` function returns an :class:`Entry`: the value when the text is complete and in
range, otherwise ``problem``, one Vietnamese line saying what is wrong and how to write it. The
window shows that line under the field and saves nothing until the text is valid; the value is
never clipped or rounded to make it fit.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from khoiapp.frameworks import format_number

MAX_COUNT = 10_000_000

_DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:[. ]\d{3})+$")  # 1.250 or 1 250: thousands, as Vietnamese write them
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Entry:
    """What a field's text means: ``value`` (``None`` for an empty field) or a ``problem``."""

    value: Any = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _number(text: str) -> float | None:
    t = text.strip().replace("\u00a0", " ")
    if not _DECIMAL.match(t):
        return None
    v = float(t.replace(",", "."))
    return v if math.isfinite(v) else None


def read_percent(text: str) -> Entry:
    """A percentage from 0 to 100, decimal comma (``86,5``), an optional ``%``."""
    t = text.strip().rstrip("%").strip()
    if not t:
        return Entry()
    v = _number(t)
    if v is None:
        return Entry(problem=f"«{text.strip()}» không phải là tỷ lệ. Hãy nhập một số từ 0 đến 100, ví dụ 86,5.")
    if v > 100:
        return Entry(problem=f"Tỷ lệ {format_number(v)}% vượt quá 100%. Hãy nhập một số từ 0 đến 100; chưa lưu.")
    return Entry(value=v)


def read_count(text: str, label: str = "Số lượng", maximum: int = MAX_COUNT) -> Entry:
    """A whole number from 0 (``1.250`` or ``1 250`` are read as one thousand two hundred fifty)."""
    t = text.strip().replace("\u00a0", " ")
    if not t:
        return Entry()
    if t.isdigit():
        n = int(t)
    elif _GROUPED.match(t):
        n = int(t.replace(".", "").replace(" ", ""))
    elif _number(t) is not None:
        return Entry(problem=f"«{label}» phải là số nguyên, không phải «{t}». Hãy nhập ví dụ 45; chưa lưu.")
    elif t.startswith("-") and t[1:].strip().isdigit():
        return Entry(problem=f"«{label}» không được âm. Hãy nhập một số nguyên từ 0 trở lên; chưa lưu.")
    else:
        return Entry(problem=f"«{label}» chỉ gồm chữ số, không phải «{t}». Hãy nhập ví dụ 45; chưa lưu.")
    if n > maximum:
        return Entry(
            problem=f"«{label}» {format_number(n)} lớn quá mức hợp lý (tối đa {format_number(maximum)}). "
            "Hãy kiểm tra lại số; chưa lưu."
        )
    return Entry(value=n)


def read_points(text: str, maximum: float) -> Entry:
    """Points from 0 to ``maximum``, decimal comma."""
    t = text.strip()
    if t.lower().endswith("điểm"):
        t = t[: -len("điểm")].strip()
    if not t:
        return Entry()
    v = _number(t)
    if v is None:
        return Entry(
            problem=f"«{text.strip()}» không phải là số điểm. Hãy nhập một số từ 0 đến {format_number(maximum)}."
        )
    if v > maximum:
        return Entry(
            problem=f"{format_number(v)} điểm vượt quá mức tối đa {format_number(maximum)} điểm. "
            f"Hãy nhập từ 0 đến {format_number(maximum)}; chưa lưu."
        )
    return Entry(value=v)


def read_value(kind: str, text: str, max_points: float | None = None) -> Entry:
    """The answer of a criterion of ``kind`` (``percent``, ``count`` or ``points``)."""
    if kind == "percent":
        return read_percent(text)
    if kind == "points":
        return read_points(text, float(max_points or 100))
    if kind == "count":
        return read_count(text, "Số lượng")
    return Entry(problem="Tiêu chí này chỉ chọn Đạt hoặc Chưa đạt, không nhập số.")


def read_date(text: str, label: str = "Ngày") -> Entry:
    """A date written ngày/tháng/năm (``05/02/2026``); a partial date is a problem, not a guess."""
    t = text.strip()
    if not t:
        return Entry()
    m = _DATE.match(t)
    if m is None:
        return Entry(
            problem=f"«{label}» chưa đủ ngày/tháng/năm: «{t}». Hãy nhập đủ, ví dụ 15/01/2026; chưa lưu."
        )
    d, mo, y = (int(x) for x in m.groups())
    try:
        return Entry(value=dt.date(y, mo, d))
    except ValueError:
        return Entry(problem=f"Không có ngày {t} trong lịch. Hãy kiểm tra ngày và tháng; chưa lưu.")
