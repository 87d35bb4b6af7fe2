"""Text helpers for the dossier: NFC, markup escaping, Vietnamese dates and numbers."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any
from xml.sax.saxutils import escape


def nfc(value: Any) -> str:
    """``value`` as an NFC string (``None`` → empty)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value))


VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")
"""Vietnam's zone: UTC+7 all year since 1975 (no daylight saving), so no time zone database is needed."""


def vn_time(when: dt.datetime) -> dt.datetime:
    """``when`` in Vietnam's zone; a naive time is taken as the machine's local time."""
    if when.tzinfo is None:
        when = when.astimezone()
    return when.astimezone(VIETNAM_TZ)


def quotes(text: str) -> str:
    """Vietnamese administrative texts quote with “…”: guillemets become curly double quotes."""
    return text.replace("«", "“").replace("»", "”")


def esc(value: Any) -> str:
    """NFC text made safe for reportlab paragraph markup, quotes as “…”; line breaks kept."""
    return escape(quotes(nfc(value))).replace("\r\n", "\n").replace("\n", "<br/>")


def upper(value: Any) -> str:
    """Vietnamese upper case (Python's str.upper handles đ → Đ and the tone marks)."""
    return nfc(nfc(value).upper())


def parse_date(value: Any) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def fmt_date(value: Any) -> str:
    """ISO date → ``dd/mm/yyyy``; empty when missing."""
    d = parse_date(value)
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else ""


def date_line(place: str, day: dt.date | None) -> str:
    """``"Thanh Hóa, ngày 05 tháng 12 năm 2026"``; dots to fill by hand when the date is unknown."""
    prefix = f"{nfc(place)}, " if nfc(place) else ""
    if day is None:
        return f"{prefix}ngày … tháng … năm …"
    return f"{prefix}ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def fmt_number(value: Any) -> str:
    """Vietnamese number: decimal comma, dot as thousands separator, no trailing zeros."""
    if value is None or value == "":
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return nfc(value)
    if x == int(x):
        return f"{int(x):,}".replace(",", ".")
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_size(size: Any) -> str:
    """File size in Vietnamese units: ``"25,5 KB"``."""
    try:
        n = int(size)
    except (TypeError, ValueError):
        return ""
    from khoiapp.textformat import format_size

    return format_size(n)


def unit_kind(unit: dict[str, Any]) -> str:
    """Lower-case kind of unit for running text: cơ quan / đơn vị / doanh nghiệp."""
    label = nfc(unit.get("unit_type_label")) or {
        "co-quan": "Cơ quan", "don-vi": "Đơn vị", "doanh-nghiep": "Doanh nghiệp"
    }.get(nfc(unit.get("unit_type")), "Đơn vị")
    return label.lower()
