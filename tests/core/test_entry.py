"""Reading typed values: nothing clipped or guessed, one Vietnamese line when the text is not a value."""

from __future__ import annotations

import datetime as dt

import pytest

from khoiapp import entry


@pytest.mark.parametrize(("text", "value"), [("86,5", 86.5), ("100", 100.0), ("0", 0.0), (" 90 % ", 90.0), ("", None)])
def test_percent_read(text, value):
    assert entry.read_percent(text) == entry.Entry(value=value)


@pytest.mark.parametrize(("text", "words"), [("120", "vượt quá 100%"), ("12a", "không phải là tỷ lệ"), ("-5", "không phải")])
def test_percent_refused_with_reason(text, words):
    got = entry.read_percent(text)
    assert got.value is None and words in (got.problem or "")


@pytest.mark.parametrize(("text", "value"), [("45", 45), ("1.250", 1250), ("1 250", 1250), ("", None)])
def test_count_read(text, value):
    assert entry.read_count(text, "Số đảng viên").value == value


@pytest.mark.parametrize(
    ("text", "words"),
    [("12,5", "số nguyên"), ("4a5", "chỉ gồm chữ số"), ("-3", "không được âm"), ("12.5", "số nguyên"), ("99999999", "tối đa")],
)
def test_count_refused_with_reason(text, words):
    got = entry.read_count(text, "Số đảng viên")
    assert got.value is None and words in (got.problem or "") and "Số đảng viên" in (got.problem or "")


def test_points_within_the_maximum():
    assert entry.read_points("7,5", 10).value == 7.5
    assert "tối đa 10 điểm" in (entry.read_points("12", 10).problem or "")


@pytest.mark.parametrize("text", ["15/0", "15/01", "15/01/26", "2026"])
def test_partial_date_is_a_problem_not_a_guess(text):
    got = entry.read_date(text, "Ngày đăng ký")
    assert got.value is None and "Ngày đăng ký" in (got.problem or "")


def test_date_read_and_impossible_date_named():
    assert entry.read_date("5/2/2026").value == dt.date(2026, 2, 5)
    assert "Không có ngày 31/02/2026" in (entry.read_date("31/02/2026").problem or "")
