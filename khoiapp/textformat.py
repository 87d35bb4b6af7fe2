"""Sizes and times as Vietnamese officers write them: «14 KB», «1,5 MB», «09:00 ngày 05/12/2026»."""

from __future__ import annotations

import datetime as dt

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")

KB = 1024
MB = 1024 * 1024
GB = 1024 * MB


def _decimal(v: float, places: int) -> str:
    text = f"{v:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_size(n: int | float | None) -> str:
    """A file size in KB/MB/GB with a decimal comma (1 KB = 1024 bytes).

    ``14_336`` → «14 KB», ``1_572_864`` → «1,5 MB», ``5`` → «5 byte», ``0`` → «0 KB» (empty).
    """
    try:
        b = int(n or 0)
    except (TypeError, ValueError):
        return ""
    if b <= 0:
        return "0 KB"
    if b < KB:
        return f"{b} byte"
    if b < MB:
        kb = b / KB
        return f"{_decimal(kb, 1 if kb < 10 else 0)} KB"
    if b < GB:
        mb = b / MB
        return f"{_decimal(mb, 1 if mb < 100 else 0)} MB"
    return f"{_decimal(b / GB, 2)} GB"


def _as_datetime(value: dt.datetime | str | None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return value


def format_time(value: dt.datetime | str | None) -> str:
    """«09:00 ngày 05/12/2026», in Vietnam's time for a time with a zone; "" when unknown.

    Accepts a datetime or an ISO 8601 text (as stored in dossiers); a text that is not a time is
    returned unchanged rather than hidden.
    """
    t = _as_datetime(value)
    if t is None:
        return value if isinstance(value, str) else ""
    if t.tzinfo is not None:
        t = t.astimezone(VN_TZ)
    return f"{t:%H:%M} ngày {t:%d/%m/%Y}"


def format_date(value: dt.date | dt.datetime | str | None) -> str:
    """«05/12/2026» ("" when unknown)."""
    if isinstance(value, str):
        t = _as_datetime(value)
        if t is None:
            return value
        value = t
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(VN_TZ)
    return f"{value:%d/%m/%Y}"
