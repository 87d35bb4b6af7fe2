"""Tests for scoring: criterion boundaries, groups, pass rules, overall result, readiness, preflight."""

from __future__ import annotations

import pytest

from khoiapp.errors import KhoiError, ValueOutOfRangeError
from khoiapp.frameworks import Framework, bundled_framework, parse_framework
from khoiapp.scoring import (
    CriterionInput,
    CriterionOutcome,
    FrameworkOutcome,
    OverallResult,
    PreflightItem,
    ResultStatus,
    evaluate_criterion,
    evaluate_framework,
    overall_result,
    preflight_criteria,
    readiness,
    validate_value,
)

MET, NOT_MET, NA, UNANSWERED = (
    ResultStatus.MET, ResultStatus.NOT_MET, ResultStatus.NOT_APPLICABLE, ResultStatus.UNANSWERED,
)

SHEET = """\
[framework]
id = "bang-diem"
version = "1"
title = "Bảng điểm thử"
legal_basis = ["Thử nghiệm"]
applies_to = ["co-quan", "don-vi", "doanh-nghiep"]
role = "addon"
title_awarded = "kiểu mẫu"

[pass_rule]
all_mandatory = true
min_points = 27

[[group]]
code = "A"
title = "Nhóm A"

[[group.criterion]]
code = "A.1"
title = "Có kế hoạch"
kind = "yesno"
points = 10
mandatory = true

[[group.criterion]]
code = "A.2"
title = "Tỷ lệ"
kind = "percent"
threshold = 90
points = 5

[[group]]
code = "B"
title = "Nhóm B"

[[group.criterion]]
code = "B.1"
title = "Số hoạt động"
kind = "count"
threshold = 2
points = 5
min_evidence = 2

[[group.criterion]]
code = "B.2"
title = "Tự chấm"
kind = "points"
max_points = 10
threshold = 8
"""


@pytest.fixture(scope="module")
def sheet() -> Framework:
    return parse_framework(SHEET, "bang-diem.toml")


def _crit(fw: Framework, code: str):  # noqa: ANN202 - test helper
    c = fw.criterion(code)
    assert c is not None
    return c


def _inp(status: ResultStatus = UNANSWERED, value: float | None = None, ev: int = 1,
         confirm: bool = False) -> CriterionInput:
    return CriterionInput(status, value, ev, confirm)


def _all_met(fw: Framework) -> dict[str, CriterionInput]:
    return {
        "A.1": _inp(MET, ev=1), "A.2": _inp(value=95, ev=1),
        "B.1": _inp(value=3, ev=2), "B.2": _inp(value=10, ev=1),
    }


# ------------------------------------------------------------------ labels


def test_status_labels() -> None:
    assert [s.label for s in ResultStatus] == ["Chưa đánh giá", "Đạt", "Chưa đạt", "Không áp dụng"]
    assert ResultStatus("dat") is MET


def test_overall_labels() -> None:
    assert OverallResult.MODEL.label == "Kiểu mẫu"
    assert OverallResult.CULTURAL.label == "Đạt chuẩn văn hóa"
    assert OverallResult.NOT_MET.label == "Chưa đạt"
    assert OverallResult.INCOMPLETE.label == "Chưa đủ dữ liệu"


# ------------------------------------------------------------------ validate_value


@pytest.mark.parametrize(("code", "value"), [("A.2", 0), ("A.2", 100), ("A.2", 89.99), ("B.1", 0), ("B.1", 7),
                                             ("B.2", 0), ("B.2", 10), ("B.2", 7.5)])
def test_validate_value_accepts_in_range(sheet: Framework, code: str, value: float) -> None:
    assert validate_value(_crit(sheet, code), value) == value


@pytest.mark.parametrize(
    ("code", "value", "fragment"),
    [
        ("A.2", 120, "120%"),
        ("A.2", -0.5, "0–100%"),
        ("B.1", -1, "không được âm"),
        ("B.1", 2.5, "số nguyên"),
        ("B.2", 10.5, "0–10"),
        ("B.2", -1, "0–10"),
        ("A.1", 1, "Đạt hoặc Chưa đạt"),
        ("A.2", float("nan"), "không phải là một số"),
    ],
)
def test_validate_value_rejects(sheet: Framework, code: str, value: float, fragment: str) -> None:
    with pytest.raises(ValueOutOfRangeError) as info:
        validate_value(_crit(sheet, code), value)
    assert isinstance(info.value, KhoiError)
    assert fragment in info.value.message
    assert code in info.value.message
    assert "Hãy" in info.value.message


# ------------------------------------------------------------------ evaluate_criterion


@pytest.mark.parametrize(
    ("value", "status", "score"),
    [(89.99, NOT_MET, 0), (90, MET, 5), (92, MET, 5), (100, MET, 5), (120, MET, 5), (0, NOT_MET, 0)],
)
def test_percent_boundaries(sheet: Framework, value: float, status: ResultStatus, score: float) -> None:
    o = evaluate_criterion(_crit(sheet, "A.2"), _inp(value=value))
    assert (o.status, o.score, o.answered) == (status, score, True)


def test_percent_value_overrides_given_status(sheet: Framework) -> None:
    o = evaluate_criterion(_crit(sheet, "A.2"), _inp(MET, value=50))
    assert o.status is NOT_MET


def test_percent_without_value_is_unanswered(sheet: Framework) -> None:
    o = evaluate_criterion(_crit(sheet, "A.2"), _inp(MET, value=None))
    assert (o.status, o.answered, o.score) == (UNANSWERED, False, 0)


@pytest.mark.parametrize(("value", "status", "score"), [(1, NOT_MET, 0), (2, MET, 5), (3, MET, 5), (0, NOT_MET, 0)])
def test_count_boundaries(sheet: Framework, value: float, status: ResultStatus, score: float) -> None:
    o = evaluate_criterion(_crit(sheet, "B.1"), _inp(value=value, ev=2))
    assert (o.status, o.score) == (status, score)


@pytest.mark.parametrize(
    ("value", "status", "score"),
    [(0, NOT_MET, 0), (7.5, NOT_MET, 7.5), (8, MET, 8), (10, MET, 10), (12, MET, 10)],
)
def test_points_boundaries(sheet: Framework, value: float, status: ResultStatus, score: float) -> None:
    o = evaluate_criterion(_crit(sheet, "B.2"), _inp(value=value))
    assert (o.status, o.score) == (status, score)


@pytest.mark.parametrize(("given", "score"), [(MET, 10), (NOT_MET, 0), (UNANSWERED, 0)])
def test_yesno_keeps_given_status(sheet: Framework, given: ResultStatus, score: float) -> None:
    o = evaluate_criterion(_crit(sheet, "A.1"), _inp(given, value=5))
    assert (o.status, o.score, o.answered) == (given, score, given is not UNANSWERED)


@pytest.mark.parametrize("code", ["A.1", "A.2", "B.1", "B.2"])
def test_not_applicable_wins_and_needs_no_evidence(sheet: Framework, code: str) -> None:
    o = evaluate_criterion(_crit(sheet, code), _inp(NA, value=100, ev=0))
    assert (o.status, o.score, o.answered, o.evidence_ok) == (NA, 0, True, True)


def test_needs_confirmation_counts_as_unanswered(sheet: Framework) -> None:
    o = evaluate_criterion(_crit(sheet, "A.2"), _inp(value=95, confirm=True))
    assert o == CriterionOutcome("A.2", MET, 0.0, False, True, True)


def test_missing_input_is_unanswered(sheet: Framework) -> None:
    o = evaluate_criterion(_crit(sheet, "B.1"), None)
    assert o == CriterionOutcome("B.1", UNANSWERED, 0.0, False, False, False)


@pytest.mark.parametrize(("ev", "ok"), [(0, False), (1, False), (2, True), (5, True)])
def test_evidence_minimum(sheet: Framework, ev: int, ok: bool) -> None:
    assert evaluate_criterion(_crit(sheet, "B.1"), _inp(value=2, ev=ev)).evidence_ok is ok


# ------------------------------------------------------------------ framework and groups


def test_all_met_passes_with_full_points(sheet: Framework) -> None:
    out = evaluate_framework(sheet, _all_met(sheet))
    assert out.passed is True
    assert (out.total_points, out.max_points) == (30, 30)
    assert [g.passed for g in out.groups] == [True, True]
    assert out.groups[0] == out.groups[0].__class__("A", "Nhóm A", 2, 0, 0, 0, 15, 15, True)
    assert out.key == "bang-diem" and out.title_awarded == "kiểu mẫu"


def test_empty_inputs_incomplete(sheet: Framework) -> None:
    out = evaluate_framework(sheet, {})
    assert out.passed is None
    assert all(g.passed is None for g in out.groups)
    assert out.groups[1].unanswered == 2
    assert out.max_points == 30 and out.total_points == 0


def test_mandatory_not_met_fails_even_if_incomplete(sheet: Framework) -> None:
    out = evaluate_framework(sheet, {"A.1": _inp(NOT_MET)})
    assert out.passed is False
    assert out.groups[0].passed is False
    assert out.groups[1].passed is None


def test_points_below_pass_mark_fails(sheet: Framework) -> None:
    inputs = _all_met(sheet) | {"B.2": _inp(value=6)}  # 26 < 27
    out = evaluate_framework(sheet, inputs)
    assert out.total_points == 26
    assert out.passed is False


def test_points_at_pass_mark_passes(sheet: Framework) -> None:
    inputs = _all_met(sheet) | {"B.2": _inp(value=7)}  # 27, B.2 itself below its threshold 8
    out = evaluate_framework(sheet, inputs)
    assert out.total_points == 27
    assert out.criteria[3].status is NOT_MET
    assert out.passed is True


def test_points_already_out_of_reach_fails_while_incomplete(sheet: Framework) -> None:
    # A.2 and B.1 not met (-10): the best still reachable is 20 < 27.
    out = evaluate_framework(sheet, {"A.2": _inp(value=10), "B.1": _inp(value=0)})
    assert out.passed is False


def test_not_applicable_excluded_from_max_and_pass_mark_scaled(sheet: Framework) -> None:
    # B.1 (5 points) not applicable: max 25, pass mark 27 * 25/30 = 22.5.
    inputs = _all_met(sheet) | {"B.1": _inp(NA, ev=0), "B.2": _inp(value=8)}
    out = evaluate_framework(sheet, inputs)
    assert (out.total_points, out.max_points) == (23, 25)
    assert out.passed is True
    assert out.groups[1].not_applicable == 1
    assert out.groups[1].max_score == 10


def test_needs_confirmation_keeps_framework_incomplete(sheet: Framework) -> None:
    inputs = _all_met(sheet) | {"A.2": _inp(value=95, confirm=True)}
    out = evaluate_framework(sheet, inputs)
    assert out.passed is None
    assert out.groups[0].unanswered == 1 and out.groups[0].met == 1


def test_base_pass_only_needs_mandatory() -> None:
    fw = bundled_framework("tt08-co-quan-don-vi")
    inputs = {}
    for c in fw.criteria():
        if c.kind.value == "yesno":
            inputs[c.code] = _inp(MET if c.mandatory else NOT_MET, ev=c.min_evidence)
        else:
            value = c.threshold if c.mandatory else 0
            inputs[c.code] = _inp(value=value, ev=c.min_evidence)
    out = evaluate_framework(fw, inputs)
    assert out.passed is True
    # Group II has non-mandatory criteria not met but still passes under all_mandatory.
    assert out.groups[1].not_met > 0 and out.groups[1].passed is True
    inputs["2.1"] = _inp(value=89.99, ev=1)  # ≥ 90% không vi phạm
    assert evaluate_framework(fw, inputs).passed is False


def test_min_met_share_rule() -> None:
    text = SHEET.replace("all_mandatory = true\nmin_points = 27", "all_mandatory = false\nmin_met_share = 0.75")
    fw = parse_framework(text, "share.toml")
    three = _all_met(fw) | {"B.2": _inp(value=5)}
    assert evaluate_framework(fw, three).passed is True  # 3/4 = 0.75
    two = three | {"B.1": _inp(value=1, ev=2)}
    assert evaluate_framework(fw, two).passed is False
    assert evaluate_framework(fw, {"A.1": _inp(NOT_MET)}).passed is None  # 3/4 still possible
    assert evaluate_framework(fw, {"A.1": _inp(NOT_MET), "A.2": _inp(value=1)}).passed is False


def test_inputs_for_unknown_codes_are_ignored(sheet: Framework) -> None:
    out = evaluate_framework(sheet, _all_met(sheet) | {"Z.9": _inp(MET)})
    assert [o.code for o in out.criteria] == ["A.1", "A.2", "B.1", "B.2"]


# ------------------------------------------------------------------ overall result


def _fo(passed: bool | None) -> FrameworkOutcome:
    return FrameworkOutcome("x", "t", (), (), 0.0, 0.0, passed)


@pytest.mark.parametrize(
    ("base", "addon", "expected"),
    [
        (True, None, OverallResult.CULTURAL),
        (True, True, OverallResult.MODEL),
        (True, False, OverallResult.CULTURAL),
        (True, "incomplete", OverallResult.INCOMPLETE),
        (False, True, OverallResult.NOT_MET),  # add-on without base pass
        (False, None, OverallResult.NOT_MET),
        (False, "incomplete", OverallResult.NOT_MET),
        (None, True, OverallResult.INCOMPLETE),
        (None, None, OverallResult.INCOMPLETE),
        (None, False, OverallResult.INCOMPLETE),
    ],
)
def test_overall_result(base: bool | None, addon: object, expected: OverallResult) -> None:
    if addon is None:
        add = None
    elif addon == "incomplete":
        add = _fo(None)
    else:
        add = _fo(bool(addon))
    assert overall_result(_fo(base), add) is expected


def test_overall_with_bundled_addon_full_sheet() -> None:
    base = bundled_framework("tt08-doanh-nghiep")
    addon = bundled_framework("kieu-mau-thanh-hoa")
    base_in = {
        c.code: (_inp(MET, ev=c.min_evidence) if c.kind.value == "yesno" else _inp(value=c.threshold, ev=c.min_evidence))
        for c in base.criteria()
    }
    add_in = {}
    for c in addon.criteria():
        if c.kind.value == "yesno":
            add_in[c.code] = _inp(MET)
        elif c.kind.value == "points":
            add_in[c.code] = _inp(value=c.max_points)
        else:
            add_in[c.code] = _inp(value=c.threshold)
    b = evaluate_framework(base, base_in)
    a = evaluate_framework(addon, add_in)
    assert (a.total_points, a.max_points) == (100, 100)
    assert overall_result(b, a) is OverallResult.MODEL
    a89 = evaluate_framework(addon, add_in | {"KM.10": _inp(value=0), "KM.11": _inp(value=0)})
    assert a89.total_points == 85 and a89.passed is False
    assert overall_result(b, a89) is OverallResult.CULTURAL


# ------------------------------------------------------------------ readiness


def test_readiness_shares(sheet: Framework) -> None:
    out = evaluate_framework(sheet, {
        "A.1": _inp(MET, ev=1),
        "A.2": _inp(NA, ev=0),
        "B.1": _inp(value=3, ev=1),
        "B.2": _inp(value=9, ev=0, confirm=True),
    })
    r = readiness([out])
    assert (r.total, r.answered, r.evidence_ok) == (4, 3, 2)
    assert r.share_answered == 0.75 and r.share_evidence == 0.5


def test_readiness_over_two_frameworks(sheet: Framework) -> None:
    base = bundled_framework("tt08-co-quan-don-vi")
    r = readiness([evaluate_framework(sheet, _all_met(sheet)), evaluate_framework(base, {})])
    assert r.total == 4 + len(base.criteria())
    assert r.answered == 4
    assert r.share_answered == pytest.approx(4 / r.total)


def test_readiness_empty() -> None:
    assert readiness([]).share_answered == 0.0


# ------------------------------------------------------------------ preflight


def test_preflight_items_in_order(sheet: Framework) -> None:
    inputs = {
        "A.1": _inp(MET, ev=1),
        "A.2": _inp(value=95, ev=1, confirm=True),
        "B.1": _inp(value=3, ev=1),
    }
    items = preflight_criteria([sheet], [evaluate_framework(sheet, inputs)], {"A.1": 1, "A.2": 1, "B.1": 1})
    assert [(i.kind, i.code) for i in items] == [
        ("to-confirm", "A.2"), ("evidence", "B.1"), ("unanswered", "B.2"), ("evidence", "B.2"),
    ]
    assert items[2].message.startswith("Tiêu chí B.2 chưa đánh giá.")
    assert "cần ít nhất 2 minh chứng, hiện có 1" in items[1].message
    assert "hiện có 0" in items[3].message
    assert all(isinstance(i, PreflightItem) and "Hãy" in i.message for i in items)


def test_preflight_nothing_when_complete(sheet: Framework) -> None:
    assert preflight_criteria([sheet], [evaluate_framework(sheet, _all_met(sheet))], {}) == []


def test_preflight_not_applicable_needs_nothing(sheet: Framework) -> None:
    inputs = _all_met(sheet) | {"B.1": _inp(NA, ev=0)}
    assert preflight_criteria([sheet], [evaluate_framework(sheet, inputs)], {}) == []


def test_preflight_base_and_addon() -> None:
    base = bundled_framework("tt08-co-quan-don-vi")
    addon = bundled_framework("kieu-mau-thanh-hoa")
    items = preflight_criteria([base, addon], [evaluate_framework(base, {}), evaluate_framework(addon, {})], {})
    unanswered = [i.code for i in items if i.kind == "unanswered"]
    assert unanswered == [c.code for c in base.criteria()] + [c.code for c in addon.criteria()]


def test_years_in_a_row_counter_advances_each_year() -> None:
    from khoiapp import scoring

    for key, code in (("tt08-co-quan-don-vi", "4.2"), ("tt08-doanh-nghiep", "4.4")):
        fw = bundled_framework(key)
        assert [c.code for c in fw.criteria() if scoring.advances_each_year(c)] == [code]
    assert not any(scoring.advances_each_year(c) for c in bundled_framework("kieu-mau-thanh-hoa").criteria())
