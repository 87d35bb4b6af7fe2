"""One unit, one key: tone-mark placement, case, invisible characters, spaces and trailing dots."""

from __future__ import annotations

import unicodedata

import pytest

from khoiapp.services import summary as svc
from khoiapp.unitname import merged_variants, unit_key

OLD_NEW = [
    ("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"),
    ("oè", "òe"), ("oé", "óe"), ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"),
    ("uỳ", "ùy"), ("uý", "úy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), OLD_NEW)
def test_tone_mark_placement_is_one_key(old: str, new: str) -> None:
    assert unit_key(f"Trường h{old}") == unit_key(f"trường h{new}")
    assert unit_key(f"H{old.upper()}") == unit_key(f"h{new}")


@pytest.mark.parametrize(
    "variant",
    [
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa",
        "SỞ VĂN HOÁ, THỂ THAO VÀ DU LỊCH TỈNH THANH HOÁ",
        "Sở Văn hoá, Thể thao và Du lịch tỉnh Thanh\u200b Hóa",
        "Sở  Văn hóa,\u00a0Thể thao và Du lịch tỉnh Thanh Hóa.",
        "  Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa\ufeff ",
        unicodedata.normalize("NFD", "Sở Văn hóa, Thể thao và Du lịch tỉnh Thanh Hóa"),
    ],
)
def test_same_unit_written_differently(variant: str) -> None:
    assert unit_key(variant) == unit_key("Sở Văn hoá, Thể thao và Du lịch tỉnh Thanh Hoá")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Trường THCS Hoà Bình", "Trường THCS Hoàng Bình"),
        ("Thanh Hóa", "Thanh Hoa"),
        ("Đội Thuế số 1", "Đội Thuế số 2"),
        ("Trung tâm Y tế Đông Sơn", "Trung tâm Y tế Dong Son"),
        ("Công ty Cổ phần Cấp nước", "Công ty Cổ phần Cấp nước Thanh Hóa"),
    ],
)
def test_different_units_stay_different(a: str, b: str) -> None:
    assert unit_key(a) != unit_key(b)


def test_merged_variants_lists_every_spelling_once() -> None:
    names = ["Thanh Hoá", "Thanh Hóa", "Thanh Hoá", "Thanh\u200b Hóa.", "Nghệ An"]
    assert merged_variants(names) == [("thanh hoá", ("Thanh Hoá", "Thanh Hóa", "Thanh\u200b Hóa."))]


def _row(file: str, unit: str, day: int) -> svc.SummaryRow:
    return svc.SummaryRow(
        file=file, path=file, status=svc.COUNTED, reason="", verdict="ok", unit_name=unit, year=2026,
        result=svc.RESULT_CULTURAL, signing_time=f"2026-11-{day:02d}T09:00:00+07:00",
    )  # fmt: skip


def test_summary_counts_the_three_spellings_once_and_lists_them() -> None:
    rows = [
        _row("a.pdf", "Trường Cao đẳng Y tế Thanh Hoá", 20),
        _row("b.pdf", "Trường Cao đẳng Y tế Thanh Hóa", 21),
        _row("c.pdf", "Trường Cao đẳng Y tế Thanh\u200b Hóa.", 22),
        _row("d.pdf", "Trung tâm Y tế Đông Sơn", 20),
    ]
    s = svc._finish(rows, None, None, False)
    assert s.totals.counted == 2
    assert [r.status for r in s.rows] == [svc.DUPLICATE, svc.DUPLICATE, svc.COUNTED, svc.COUNTED]
    assert s.merged_names == (
        ("Trường Cao đẳng Y tế Thanh Hoá", "Trường Cao đẳng Y tế Thanh Hóa", "Trường Cao đẳng Y tế Thanh\u200b Hóa."),
    )
    assert any("cùng một đơn vị" in w and "«Trường Cao đẳng Y tế Thanh Hóa»" in w for w in s.warnings)
    assert s.to_json()["merged_names"] == [list(s.merged_names[0])]
