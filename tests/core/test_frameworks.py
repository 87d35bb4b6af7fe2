"""Tests for the criteria-framework parser and the bundled framework files."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest

from khoiapp.errors import BadInputError, FrameworkError, UnknownFrameworkError
from khoiapp.frameworks import (
    Criterion,
    CriterionKind,
    addon_keys,
    bundled_framework,
    bundled_frameworks,
    compatible_addons,
    default_framework_key,
    format_number,
    frameworks_dir,
    load_framework_file,
    parse_framework,
)

MINIMAL = """\
[framework]
id = "thu-nghiem"
version = "1"
title = "Bộ thử nghiệm"
legal_basis = ["Thông tư 08/2014/TT-BVHTTDL"]
applies_to = ["co-quan"]
role = "base"
title_awarded = "đạt chuẩn văn hóa"

[pass_rule]
all_mandatory = true

[[group]]
code = "I"
title = "Hoàn thành tốt nhiệm vụ"

[[group.criterion]]
code = "1.1"
title = "Tỷ lệ Lao động tiên tiến"
kind = "percent"
threshold = 100
mandatory = true

[[group.criterion]]
code = "1.2"
title = "Kế hoạch năm"
kind = "yesno"
"""


def _error(text: str) -> FrameworkError:
    with pytest.raises(FrameworkError) as info:
        parse_framework(text, "thu.toml")
    return info.value


# ------------------------------------------------------------------ bundled files

BUNDLED_KEYS = ["tt08-co-quan-don-vi", "tt08-doanh-nghiep", "kieu-mau-thanh-hoa"]


@pytest.mark.parametrize("key", BUNDLED_KEYS)
def test_bundled_framework_parses_with_criteria(key: str) -> None:
    fw = bundled_framework(key)
    assert fw.key == key
    assert len(fw.criteria()) >= 11
    assert fw.legal_basis and all(fw.legal_basis)
    codes = [c.code for c in fw.criteria()]
    assert len(set(codes)) == len(codes)
    titles = [c.title for c in fw.criteria()]
    assert len(set(titles)) == len(titles)
    for c in fw.criteria():
        assert fw.criterion(c.code) is c
        assert c.title == unicodedata.normalize("NFC", c.title)


@pytest.mark.parametrize("key", BUNDLED_KEYS)
def test_bundled_file_hash_matches_bytes(key: str) -> None:
    fw = bundled_framework(key)
    data = (frameworks_dir() / f"{key}.toml").read_bytes()
    assert fw.content_hash == hashlib.sha256(data).hexdigest()
    assert fw.source_text == data.decode("utf-8")
    assert parse_framework(fw.source_text, "copy") == fw


def test_bundled_frameworks_are_the_three_files() -> None:
    assert sorted(fw.key for fw in bundled_frameworks()) == sorted(BUNDLED_KEYS)
    assert bundled_frameworks() is bundled_frameworks()


def test_co_quan_framework_has_confirmed_thresholds() -> None:
    fw = bundled_framework("tt08-co-quan-don-vi")
    assert fw.applies_to == ("co-quan", "don-vi")
    assert fw.role == "base" and fw.requires is None
    assert 15 <= len(fw.criteria()) <= 20
    kinds = {c.kind for c in fw.criteria()}
    assert {CriterionKind.YESNO, CriterionKind.PERCENT, CriterionKind.COUNT} <= kinds
    thresholds = {c.code: c.threshold for c in fw.criteria()}
    assert thresholds["1.2"] == 100  # Lao động tiên tiến
    assert thresholds["1.3"] == 80  # học tập, bồi dưỡng
    assert thresholds["2.1"] == 90  # không vi phạm nếp sống văn minh
    assert thresholds["4.2"] == 2  # 2 năm kể từ khi đăng ký
    assert "Lao động tiên tiến" in fw.criterion("1.2").title  # type: ignore[union-attr]


def test_doanh_nghiep_framework_has_four_groups() -> None:
    fw = bundled_framework("tt08-doanh-nghiep")
    assert fw.applies_to == ("doanh-nghiep",)
    assert [g.code for g in fw.groups] == ["I", "II", "III", "IV"]
    assert 14 <= len(fw.criteria()) <= 18


def test_kieu_mau_is_100_point_addon_for_all_unit_types() -> None:
    fw = bundled_framework("kieu-mau-thanh-hoa")
    assert fw.role == "addon"
    assert fw.title_awarded == "kiểu mẫu"
    assert set(fw.applies_to) == {"co-quan", "don-vi", "doanh-nghiep"}
    assert fw.max_points == 100
    assert fw.pass_rule.min_points == 90
    assert any(c.kind is CriterionKind.POINTS for c in fw.criteria())
    assert all(c.code.startswith("KM.") for c in fw.criteria())
    assert any("Tỉnh Thanh Hoá phải trở nên một tỉnh kiểu mẫu" in c.title for c in fw.criteria())


@pytest.mark.parametrize("key", BUNDLED_KEYS)
def test_bundled_file_states_confirmation_status(key: str) -> None:
    text = bundled_framework(key).source_text
    assert "CHƯA XÁC NHẬN" in text or "GIÁ TRỊ MẶC ĐỊNH CỦA ỨNG DỤNG" in text


@pytest.mark.parametrize(
    ("unit", "key"),
    [("co-quan", "tt08-co-quan-don-vi"), ("don-vi", "tt08-co-quan-don-vi"), ("doanh-nghiep", "tt08-doanh-nghiep")],
)
def test_default_framework_key_per_unit_type(unit: str, key: str) -> None:
    assert default_framework_key(unit) == key


def test_default_framework_key_unknown_unit_type() -> None:
    with pytest.raises(BadInputError, match="truong-hoc"):
        default_framework_key("truong-hoc")


def test_addon_keys_and_compatible_addons() -> None:
    assert addon_keys() == ("kieu-mau-thanh-hoa",)
    base = bundled_framework("tt08-doanh-nghiep")
    assert [fw.key for fw in compatible_addons(base, "doanh-nghiep")] == ["kieu-mau-thanh-hoa"]


def test_bundled_framework_unknown_key_lists_known() -> None:
    with pytest.raises(UnknownFrameworkError) as info:
        bundled_framework("khong-co")
    assert "khong-co" in info.value.message
    assert "tt08-doanh-nghiep" in info.value.message


def test_load_framework_file_uses_file_name(tmp_path: Path) -> None:
    path = tmp_path / "rieng.toml"
    path.write_text(MINIMAL.replace('kind = "yesno"', 'kind = "yesnoo"'), encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework_file(path)
    assert info.value.source == "rieng.toml"


def test_load_framework_file_missing(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match="không đọc được"):
        load_framework_file(tmp_path / "khong-co.toml")


# ------------------------------------------------------------------ parsing details


def test_minimal_parses_with_defaults() -> None:
    fw = parse_framework(MINIMAL, "thu.toml")
    c = fw.criterion("1.2")
    assert c == Criterion(
        code="1.2", title="Kế hoạch năm", guidance="", kind=CriterionKind.YESNO, threshold=None,
        max_points=None, points=0.0, mandatory=False, min_evidence=1, group_code="I",
    )
    assert fw.criterion("9.9") is None
    assert fw.requires is None
    assert fw.max_points == 0


def test_text_is_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Kế hoạch năm")
    fw = parse_framework(MINIMAL.replace('"Kế hoạch năm"', f'"{decomposed}"'), "thu.toml")
    assert fw.criterion("1.2").title == "Kế hoạch năm"  # type: ignore[union-attr]


def test_bytes_and_text_give_same_hash() -> None:
    a = parse_framework(MINIMAL, "a")
    b = parse_framework(MINIMAL.encode("utf-8"), "b")
    assert a.content_hash == b.content_hash == hashlib.sha256(MINIMAL.encode("utf-8")).hexdigest()


def test_points_threshold_defaults_to_max() -> None:
    text = MINIMAL.replace('kind = "yesno"', 'kind = "points"\nmax_points = 10')
    c = parse_framework(text, "thu.toml").criterion("1.2")
    assert c is not None and c.threshold == 10 and c.max_points == 10
    assert c.requirement == "tối đa 10 điểm"


@pytest.mark.parametrize(
    ("kind_lines", "expected"),
    [
        ('kind = "yesno"', "Có"),
        ('kind = "percent"\nthreshold = 90', "≥ 90%"),
        ('kind = "percent"\nthreshold = 87.5', "≥ 87,5%"),
        ('kind = "count"\nthreshold = 2', "≥ 2"),
        ('kind = "points"\nmax_points = 10', "tối đa 10 điểm"),
        ('kind = "points"\nmax_points = 12.5\nthreshold = 8', "tối đa 12,5 điểm, đạt từ 8 điểm"),
    ],
)
def test_requirement_text(kind_lines: str, expected: str) -> None:
    c = parse_framework(MINIMAL.replace('kind = "yesno"', kind_lines), "thu.toml").criterion("1.2")
    assert c is not None and c.requirement == expected


@pytest.mark.parametrize(("value", "text"), [(90, "90"), (90.0, "90"), (0.5, "0,5"), (99.96, "99,96")])
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


def test_addon_with_requires() -> None:
    text = MINIMAL.replace('role = "base"', 'role = "addon"\nrequires = "tt08-co-quan-don-vi"')
    assert parse_framework(text, "thu.toml").requires == "tt08-co-quan-don-vi"


# ------------------------------------------------------------------ validation errors


def test_error_toml_syntax_gives_line() -> None:
    err = _error(MINIMAL.replace('version = "1"', 'version = "1'))
    assert err.where.startswith("dòng 3")
    assert "cú pháp TOML" in err.problem
    assert "thu.toml" in err.message and "dòng 3" in err.message


def test_error_not_utf8() -> None:
    err = _error_bytes(MINIMAL.encode("utf-8").replace("Bộ".encode(), "B\xf4".encode("latin-1")))
    assert "UTF-8" in err.problem


def _error_bytes(data: bytes) -> FrameworkError:
    with pytest.raises(FrameworkError) as info:
        parse_framework(data, "thu.toml")
    return info.value


@pytest.mark.parametrize(
    ("old", "path"),
    [
        ('id = "thu-nghiem"\n', "framework.id"),
        ('version = "1"\n', "framework.version"),
        ('title_awarded = "đạt chuẩn văn hóa"\n', "framework.title_awarded"),
        ('all_mandatory = true\n', "pass_rule.all_mandatory"),
        ('code = "1.2"\n', "group[1].criterion[2].code"),
        ('kind = "yesno"\n', "group[1].criterion[2].kind"),
        ('title = "Hoàn thành tốt nhiệm vụ"\n', "group[1].title"),
    ],
)
def test_error_missing_required_key(old: str, path: str) -> None:
    err = _error(MINIMAL.replace(old, ""))
    assert err.where == f"khóa «{path}»"
    assert "thiếu khóa bắt buộc" in err.problem


def test_error_missing_pass_rule_table() -> None:
    err = _error(MINIMAL.replace("[pass_rule]\nall_mandatory = true\n", ""))
    assert err.where == "khóa «pass_rule»"


def test_error_unknown_key_suggests_spelling() -> None:
    err = _error(MINIMAL.replace("threshold = 100", "tresholds = 100"))
    assert err.where == "khóa «group[1].criterion[1].tresholds»"
    assert "tresholds" in err.problem and "«threshold»" in err.problem


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ('role = "base"', 'role = "base"\nauthor = "x"', "framework.author"),
        ("[pass_rule]", "[pass_rule]\nmin_point = 3", "pass_rule.min_point"),
        ('code = "I"', 'code = "I"\nnote = "x"', "group[1].note"),
        ("[pass_rule]", "extra = 1\n[pass_rule]", "framework.extra"),
    ],
)
def test_error_unknown_key_anywhere(old: str, new: str, path: str) -> None:
    err = _error(MINIMAL.replace(old, new, 1))
    assert err.where == f"khóa «{path}»"
    assert "không được hỗ trợ" in err.problem


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("threshold = 100", 'threshold = "100"', "group[1].criterion[1].threshold"),
        ("\nmandatory = true", '\nmandatory = "có"', "group[1].criterion[1].mandatory"),
        ('version = "1"', "version = 1", "framework.version"),
        ('applies_to = ["co-quan"]', 'applies_to = "co-quan"', "framework.applies_to"),
        ("threshold = 100", "threshold = true", "group[1].criterion[1].threshold"),
        ('kind = "yesno"', 'kind = "yesno"\nmin_evidence = 1.5', "group[1].criterion[2].min_evidence"),
        ("all_mandatory = true", "all_mandatory = 1", "pass_rule.all_mandatory"),
    ],
)
def test_error_wrong_type(old: str, new: str, path: str) -> None:
    err = _error(MINIMAL.replace(old, new, 1))
    assert err.where == f"khóa «{path}»"
    assert "sai kiểu dữ liệu" in err.problem


def test_error_unknown_kind() -> None:
    err = _error(MINIMAL.replace('kind = "yesno"', 'kind = "boolean"'))
    assert err.where == "khóa «group[1].criterion[2].kind»"
    assert "boolean" in err.problem and "yesno, percent, count, points" in err.problem


@pytest.mark.parametrize("threshold", ["120", "-1", "100.5"])
def test_error_percent_threshold_out_of_range(threshold: str) -> None:
    err = _error(MINIMAL.replace("threshold = 100", f"threshold = {threshold}"))
    assert err.where == "khóa «group[1].criterion[1].threshold»"
    assert "0..100" in err.problem


def test_error_percent_without_threshold() -> None:
    err = _error(MINIMAL.replace("threshold = 100\n", ""))
    assert err.where == "khóa «group[1].criterion[1].threshold»"


@pytest.mark.parametrize("threshold", ["-1", "1.5"])
def test_error_count_threshold_not_whole(threshold: str) -> None:
    err = _error(MINIMAL.replace('kind = "yesno"', f'kind = "count"\nthreshold = {threshold}'))
    assert err.where == "khóa «group[1].criterion[2].threshold»"
    assert "số nguyên" in err.problem


def test_error_points_without_max_points() -> None:
    err = _error(MINIMAL.replace('kind = "yesno"', 'kind = "points"'))
    assert err.where == "khóa «group[1].criterion[2].max_points»"
    assert "max_points" in err.problem


@pytest.mark.parametrize(
    ("lines", "key"),
    [
        ('kind = "points"\nmax_points = 10\nthreshold = 11', "threshold"),
        ('kind = "points"\nmax_points = 0', "max_points"),
        ('kind = "points"\nmax_points = 10\npoints = 5', "points"),
        ('kind = "yesno"\nmax_points = 10', "max_points"),
        ('kind = "yesno"\nthreshold = 1', "threshold"),
        ('kind = "yesno"\npoints = -1', "points"),
        ('kind = "yesno"\nmin_evidence = -1', "min_evidence"),
    ],
)
def test_error_inconsistent_criterion_values(lines: str, key: str) -> None:
    err = _error(MINIMAL.replace('kind = "yesno"', lines))
    assert err.where == f"khóa «group[1].criterion[2].{key}»"


def test_error_duplicate_criterion_code() -> None:
    err = _error(MINIMAL.replace('code = "1.2"', 'code = "1.1"'))
    assert err.where == "khóa «group[1].criterion[2].code»"
    assert "1.1" in err.problem and "trùng" in err.problem


def test_error_duplicate_criterion_code_across_groups() -> None:
    extra = '\n[[group]]\ncode = "II"\ntitle = "Nhóm hai"\n\n[[group.criterion]]\ncode = "1.1"\ntitle = "Khác"\nkind = "yesno"\n'
    err = _error(MINIMAL + extra)
    assert err.where == "khóa «group[2].criterion[1].code»"


def test_error_duplicate_group_code() -> None:
    extra = '\n[[group]]\ncode = "I"\ntitle = "Nhóm hai"\n\n[[group.criterion]]\ncode = "2.1"\ntitle = "Khác"\nkind = "yesno"\n'
    err = _error(MINIMAL + extra)
    assert err.where == "khóa «group[2].code»"
    assert "trùng" in err.problem


def test_error_duplicate_criterion_title() -> None:
    err = _error(MINIMAL.replace('title = "Kế hoạch năm"', 'title = "Tỷ lệ Lao động tiên tiến"'))
    assert err.where == "khóa «group[1].criterion[2].title»"


def test_error_group_without_criteria() -> None:
    extra = '\n[[group]]\ncode = "II"\ntitle = "Nhóm trống"\n'
    err = _error(MINIMAL + extra)
    assert err.where == "khóa «group[2].criterion»"
    assert "chưa có tiêu chí" in err.problem


def test_error_no_groups() -> None:
    err = _error(MINIMAL.split("[[group]]")[0])
    assert err.where == "khóa «group»"


def test_error_role_invalid() -> None:
    err = _error(MINIMAL.replace('role = "base"', 'role = "phu"'))
    assert err.where == "khóa «framework.role»"
    assert "base" in err.problem and "addon" in err.problem


def test_error_requires_on_base() -> None:
    err = _error(MINIMAL.replace('role = "base"', 'role = "base"\nrequires = "x"'))
    assert err.where == "khóa «framework.requires»"


def test_error_unit_type_invalid() -> None:
    err = _error(MINIMAL.replace('["co-quan"]', '["co-quan", "truong-hoc"]'))
    assert err.where == "khóa «framework.applies_to[2]»"
    assert "truong-hoc" in err.problem and "doanh-nghiep" in err.problem


def test_error_empty_string() -> None:
    err = _error(MINIMAL.replace('title = "Bộ thử nghiệm"', 'title = "  "'))
    assert err.where == "khóa «framework.title»"


def test_error_bad_framework_id() -> None:
    err = _error(MINIMAL.replace('id = "thu-nghiem"', 'id = "Thử nghiệm"'))
    assert err.where == "khóa «framework.id»"


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ("all_mandatory = true\nmin_met_share = 90", "pass_rule.min_met_share"),
        ("all_mandatory = true\nmin_points = 5", "pass_rule.min_points"),
        ("all_mandatory = false", "pass_rule"),
    ],
)
def test_error_pass_rule(rule: str, path: str) -> None:
    err = _error(MINIMAL.replace("all_mandatory = true", rule))
    assert err.where == f"khóa «{path}»"


def test_error_message_is_vietnamese_and_actionable() -> None:
    err = _error(MINIMAL.replace('kind = "yesno"', 'kind = "boolean"'))
    assert err.message.startswith("Tệp bộ tiêu chí «thu.toml», khóa «group[1].criterion[2].kind»:")
    assert "Hãy sửa tệp" in err.message
