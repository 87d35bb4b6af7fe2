"""Sizes and times in the words officers use."""

from __future__ import annotations

import datetime as dt

import pytest

from khoiapp.textformat import format_size, format_time


@pytest.mark.parametrize(
    ("n", "text"),
    [(14_336, "14 KB"), (1_572_864, "1,5 MB"), (5, "5 byte"), (0, "0 KB"), (2048, "2 KB"), (10_240_000, "9,8 MB"),
     (52_428_800, "50 MB"), (3 * 1024**3, "3 GB"), (1536, "1,5 KB")],
)
def test_size_in_kb_and_mb_with_a_decimal_comma(n, text):
    assert format_size(n) == text


def test_time_as_officers_write_it_in_vietnam_time():
    assert format_time("2026-12-02T01:49:59+07:00") == "01:49 ngày 02/12/2026"
    assert format_time(dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.timezone.utc)) == "09:00 ngày 05/12/2026"
    assert format_time(dt.datetime(2026, 12, 5, 9, 0)) == "09:00 ngày 05/12/2026"
    assert format_time(None) == ""
