"""Criteria frameworks: the data model, the TOML parser and the bundled sets."""

from __future__ import annotations

import difflib
import functools
import hashlib
import math
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from khoiapp.errors import BadInputError, FrameworkError, UnknownFrameworkError

UNIT_TYPES: tuple[str, ...] = ("co-quan", "don-vi", "doanh-nghiep")
"""Unit types a framework can apply to: agency, public-service unit, enterprise."""

UNIT_TYPE_LABELS: Mapping[str, str] = {
    "co-quan": "Cơ quan",
    "don-vi": "Đơn vị",
    "doanh-nghiep": "Doanh nghiệp",
}

ROLES: tuple[str, ...] = ("base", "addon")

MAX_FRAMEWORK_BYTES = 1024 * 1024
"""Largest framework file accepted (the bundled ones are 8–13 KB)."""

_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE_RE = re.compile(r"^[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*$")
_TOML_POS_RE = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_EOF_RE = re.compile(r"\(at end of document\)")


class CriterionKind(str, Enum):
    """How a criterion is answered."""

    YESNO = "yesno"
    PERCENT = "percent"
    COUNT = "count"
    POINTS = "points"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    CriterionKind.YESNO: "Có/Không",
    CriterionKind.PERCENT: "Tỷ lệ %",
    CriterionKind.COUNT: "Số lượng",
    CriterionKind.POINTS: "Chấm điểm",
}


def format_number(value: float) -> str:
    """Format a number the Vietnamese way: no trailing zeros, decimal comma (``87,5``)."""
    if value == int(value):
        return str(int(value))
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True)
class Criterion:
    """One criterion (tiêu chí) of a framework."""

    code: str
    title: str
    guidance: str
    kind: CriterionKind
    threshold: float | None
    max_points: float | None
    points: float
    mandatory: bool
    min_evidence: int
    group_code: str

    @property
    def requirement(self) -> str:
        """What the criterion asks for, in Vietnamese: "Có", "≥ 90%", "≥ 2", "tối đa 10 điểm"."""
        if self.kind is CriterionKind.YESNO:
            return "Có"
        if self.kind is CriterionKind.PERCENT:
            return f"≥ {format_number(self.threshold or 0)}%"
        if self.kind is CriterionKind.COUNT:
            return f"≥ {format_number(self.threshold or 0)}"
        top = self.max_points or 0
        text = f"tối đa {format_number(top)} điểm"
        if self.threshold is not None and self.threshold != top:
            text += f", đạt từ {format_number(self.threshold)} điểm"
        return text

    @property
    def max_score(self) -> float:
        """The most this criterion can add to the total."""
        if self.kind is CriterionKind.POINTS:
            return self.max_points or 0.0
        return self.points


@dataclass(frozen=True)
class Group:
    """A group of criteria (tiêu chuẩn / nhóm tiêu chí)."""

    code: str
    title: str
    criteria: tuple[Criterion, ...]

    @property
    def max_points(self) -> float:
        return sum(c.max_score for c in self.criteria)


@dataclass(frozen=True)
class PassRule:
    """When a framework counts as passed; every condition given must hold."""

    all_mandatory: bool
    min_points: float | None
    min_met_share: float | None


@dataclass(frozen=True)
class Framework:
    """A complete criteria set as read from one TOML file."""

    key: str
    version: str
    title: str
    legal_basis: tuple[str, ...]
    applies_to: tuple[str, ...]
    role: str
    title_awarded: str
    requires: str | None
    groups: tuple[Group, ...]
    pass_rule: PassRule
    content_hash: str
    source_text: str

    def criteria(self) -> tuple[Criterion, ...]:
        """All criteria in file order."""
        return tuple(c for g in self.groups for c in g.criteria)

    def criterion(self, code: str) -> Criterion | None:
        """The criterion with this code, or None."""
        for c in self.criteria():
            if c.code == code:
                return c
        return None

    def group(self, code: str) -> Group | None:
        for g in self.groups:
            if g.code == code:
                return g
        return None

    @property
    def max_points(self) -> float:
        return sum(g.max_points for g in self.groups)

    @property
    def is_addon(self) -> bool:
        return self.role == "addon"


# --------------------------------------------------------------------------- parsing

_FRAMEWORK_KEYS = {
    "id": True,
    "version": True,
    "title": True,
    "legal_basis": True,
    "applies_to": True,
    "role": True,
    "title_awarded": True,
    "requires": False,
}
_PASS_RULE_KEYS = {"all_mandatory": True, "min_points": False, "min_met_share": False}
_GROUP_KEYS = {"code": True, "title": True, "criterion": False}
_CRITERION_KEYS = {
    "code": True,
    "title": True,
    "guidance": False,
    "kind": True,
    "threshold": False,
    "max_points": False,
    "points": False,
    "mandatory": False,
    "min_evidence": False,
}
_TOP_KEYS = {"framework": True, "pass_rule": True, "group": True}

_TYPE_NAMES = {
    str: "chuỗi văn bản (đặt trong dấu ngoặc kép)",
    bool: "true hoặc false",
    int: "số nguyên",
    float: "số",
    list: "danh sách [ ... ]",
    dict: "bảng [ ... ]",
}


class _Reader:
    """Walks the decoded TOML, reporting the first problem with its key path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, problem: str) -> FrameworkError:
        where = f"khóa «{path}»" if path else ""
        return FrameworkError(self.source, where, problem)

    def check_keys(self, table: Mapping[str, Any], spec: Mapping[str, bool], path: str) -> None:
        for key in table:
            if key not in spec:
                hint = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
                extra = f"; có phải ý bạn là «{hint[0]}»?" if hint else (
                    f"; các khóa được dùng ở đây: {', '.join(spec)}"
                )
                raise self.fail(_join(path, key), f"khóa «{key}» không được hỗ trợ{extra}")
        for key, required in spec.items():
            if required and key not in table:
                raise self.fail(_join(path, key), f"thiếu khóa bắt buộc «{key}»")

    def table(self, parent: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = parent[key]
        if not isinstance(value, dict):
            raise self._type(_join(path, key), dict, value)
        return value

    def text(self, parent: Mapping[str, Any], key: str, path: str, default: str | None = None,
             allow_empty: bool = False) -> str:
        p = _join(path, key)
        if key not in parent:
            if default is None:
                raise self.fail(p, f"thiếu khóa bắt buộc «{key}»")
            return default
        value = parent[key]
        if not isinstance(value, str):
            raise self._type(p, str, value)
        value = unicodedata.normalize("NFC", value).strip()
        if not value and not allow_empty:
            raise self.fail(p, "giá trị không được để trống")
        return value

    def text_list(self, parent: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        p = _join(path, key)
        value = parent[key]
        if not isinstance(value, list):
            raise self._type(p, list, value)
        if not value:
            raise self.fail(p, "danh sách không được để trống")
        out = []
        for i, item in enumerate(value, 1):
            if not isinstance(item, str):
                raise self._type(f"{p}[{i}]", str, item)
            item = unicodedata.normalize("NFC", item).strip()
            if not item:
                raise self.fail(f"{p}[{i}]", "giá trị không được để trống")
            out.append(item)
        return tuple(out)

    def boolean(self, parent: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        if key not in parent:
            return default
        value = parent[key]
        if not isinstance(value, bool):
            raise self._type(_join(path, key), bool, value)
        return value

    def number(self, parent: Mapping[str, Any], key: str, path: str) -> float | None:
        if key not in parent:
            return None
        value = parent[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._type(_join(path, key), float, value)
        if not math.isfinite(value):
            raise self.fail(_join(path, key), "giá trị phải là một số hữu hạn")
        return float(value)

    def integer(self, parent: Mapping[str, Any], key: str, path: str, default: int) -> int:
        if key not in parent:
            return default
        value = parent[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._type(_join(path, key), int, value)
        return value

    def _type(self, path: str, expected: type, value: object) -> FrameworkError:
        got = _TYPE_NAMES.get(type(value), type(value).__name__)
        return self.fail(path, f"sai kiểu dữ liệu: cần {_TYPE_NAMES[expected]}, nhưng đang là {got}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_framework(data: str | bytes, source: str) -> Framework:
    """Parse and check one framework file.

    Args:
        data: the TOML text, as read from disk (bytes are hashed exactly as given).
        source: a name for messages, usually the file name.

    Returns:
        The framework, with ``content_hash`` (sha256 of the bytes) and ``source_text``.

    Raises:
        FrameworkError: syntax error, missing/unknown key, wrong type or a value out of range;
            the message names the file, the key path or line, and the problem in Vietnamese.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_FRAMEWORK_BYTES:
        raise _too_large(source, len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FrameworkError(
            source, f"byte thứ {exc.start + 1}", "tệp không phải văn bản UTF-8; hãy lưu lại tệp với mã hóa UTF-8"
        ) from None
    content_hash = hashlib.sha256(raw).hexdigest()
    try:
        doc = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS_RE.search(msg)
        if m:
            where = f"dòng {m.group(1)}, cột {m.group(2)}"
        elif _TOML_EOF_RE.search(msg):
            where = "cuối tệp"
        else:
            where = ""
        detail = _TOML_POS_RE.sub("", _TOML_EOF_RE.sub("", msg)).strip()
        raise FrameworkError(source, where, f"sai cú pháp TOML ({detail})") from None
    except RecursionError:  # tomllib recurses once per nested array/inline table
        raise FrameworkError(source, "", "mảng hoặc bảng lồng nhau quá sâu, không phải một bộ tiêu chí") from None

    r = _Reader(source)
    r.check_keys(doc, _TOP_KEYS, "")

    fw_t = r.table(doc, "framework", "")
    r.check_keys(fw_t, _FRAMEWORK_KEYS, "framework")
    key = r.text(fw_t, "id", "framework")
    if not _KEY_RE.match(key):
        raise r.fail("framework.id", f"mã «{key}» chỉ được gồm chữ thường không dấu, số và dấu gạch ngang")
    version = r.text(fw_t, "version", "framework")
    title = r.text(fw_t, "title", "framework")
    legal_basis = r.text_list(fw_t, "legal_basis", "framework")
    applies_to = r.text_list(fw_t, "applies_to", "framework")
    for i, unit in enumerate(applies_to, 1):
        if unit not in UNIT_TYPES:
            raise r.fail(
                f"framework.applies_to[{i}]",
                f"loại đơn vị «{unit}» không hợp lệ; chỉ dùng: {', '.join(UNIT_TYPES)}",
            )
    if len(set(applies_to)) != len(applies_to):
        raise r.fail("framework.applies_to", "một loại đơn vị được ghi hai lần")
    role = r.text(fw_t, "role", "framework")
    if role not in ROLES:
        raise r.fail("framework.role", f"vai trò «{role}» không hợp lệ; chỉ dùng «base» hoặc «addon»")
    title_awarded = r.text(fw_t, "title_awarded", "framework")
    requires: str | None = None
    if "requires" in fw_t:
        requires = r.text(fw_t, "requires", "framework")
        if role != "addon":
            raise r.fail("framework.requires", "chỉ bộ tiêu chí bổ sung (role = \"addon\") mới dùng «requires»")
        if not _KEY_RE.match(requires):
            raise r.fail("framework.requires", f"mã «{requires}» không phải mã bộ tiêu chí hợp lệ")

    pr_t = r.table(doc, "pass_rule", "")
    r.check_keys(pr_t, _PASS_RULE_KEYS, "pass_rule")
    all_mandatory = r.boolean(pr_t, "all_mandatory", "pass_rule", True)
    min_points = r.number(pr_t, "min_points", "pass_rule")
    min_met_share = r.number(pr_t, "min_met_share", "pass_rule")
    if min_points is not None and min_points < 0:
        raise r.fail("pass_rule.min_points", "số điểm tối thiểu không được âm")
    if min_met_share is not None and not 0 <= min_met_share <= 1:
        raise r.fail(
            "pass_rule.min_met_share",
            f"tỷ lệ {format_number(min_met_share)} nằm ngoài khoảng 0..1 (ví dụ 0.9 nghĩa là 90%)",
        )
    if not all_mandatory and min_points is None and min_met_share is None:
        raise r.fail("pass_rule", "cần ít nhất một điều kiện đạt (all_mandatory, min_points hoặc min_met_share)")
    pass_rule = PassRule(all_mandatory, min_points, min_met_share)

    groups_raw = doc["group"]
    if not isinstance(groups_raw, list):
        raise r._type("group", list, groups_raw)
    if not groups_raw:
        raise r.fail("group", "bộ tiêu chí chưa có nhóm nào")
    groups: list[Group] = []
    group_codes: set[str] = set()
    crit_codes: set[str] = set()
    crit_titles: set[str] = set()
    for gi, g_t in enumerate(groups_raw, 1):
        gpath = f"group[{gi}]"
        if not isinstance(g_t, dict):
            raise r._type(gpath, dict, g_t)
        r.check_keys(g_t, _GROUP_KEYS, gpath)
        gcode = r.text(g_t, "code", gpath)
        if not _CODE_RE.match(gcode):
            raise r.fail(f"{gpath}.code", f"mã nhóm «{gcode}» chỉ được gồm chữ, số, dấu chấm và gạch ngang")
        if gcode in group_codes:
            raise r.fail(f"{gpath}.code", f"mã nhóm «{gcode}» bị trùng")
        group_codes.add(gcode)
        gtitle = r.text(g_t, "title", gpath)
        crits_raw = g_t.get("criterion", [])
        if not isinstance(crits_raw, list):
            raise r._type(f"{gpath}.criterion", list, crits_raw)
        if not crits_raw:
            raise r.fail(f"{gpath}.criterion", f"nhóm «{gcode}» chưa có tiêu chí nào")
        crits: list[Criterion] = []
        for ci, c_t in enumerate(crits_raw, 1):
            cpath = f"{gpath}.criterion[{ci}]"
            if not isinstance(c_t, dict):
                raise r._type(cpath, dict, c_t)
            c = _parse_criterion(r, c_t, cpath, gcode)
            if c.code in crit_codes:
                raise r.fail(f"{cpath}.code", f"mã tiêu chí «{c.code}» bị trùng")
            if c.title in crit_titles:
                raise r.fail(f"{cpath}.title", f"tên tiêu chí «{c.title}» bị trùng với một tiêu chí khác")
            crit_codes.add(c.code)
            crit_titles.add(c.title)
            crits.append(c)
        groups.append(Group(gcode, gtitle, tuple(crits)))

    fw = Framework(
        key=key,
        version=version,
        title=title,
        legal_basis=legal_basis,
        applies_to=applies_to,
        role=role,
        title_awarded=title_awarded,
        requires=requires,
        groups=tuple(groups),
        pass_rule=pass_rule,
        content_hash=content_hash,
        source_text=text,
    )
    if min_points is not None and min_points > fw.max_points:
        raise r.fail(
            "pass_rule.min_points",
            f"cần {format_number(min_points)} điểm nhưng tổng điểm tối đa chỉ là {format_number(fw.max_points)}",
        )
    return fw


def _parse_criterion(r: _Reader, c_t: Mapping[str, Any], path: str, group_code: str) -> Criterion:
    r.check_keys(c_t, _CRITERION_KEYS, path)
    code = r.text(c_t, "code", path)
    if not _CODE_RE.match(code):
        raise r.fail(f"{path}.code", f"mã tiêu chí «{code}» chỉ được gồm chữ, số, dấu chấm và gạch ngang")
    title = r.text(c_t, "title", path)
    guidance = r.text(c_t, "guidance", path, default="", allow_empty=True)
    kind_text = r.text(c_t, "kind", path)
    try:
        kind = CriterionKind(kind_text)
    except ValueError:
        raise r.fail(
            f"{path}.kind",
            f"loại tiêu chí «{kind_text}» không hợp lệ; chỉ dùng: {', '.join(k.value for k in CriterionKind)}",
        ) from None
    threshold = r.number(c_t, "threshold", path)
    max_points = r.number(c_t, "max_points", path)
    points = r.number(c_t, "points", path)
    mandatory = r.boolean(c_t, "mandatory", path, False)
    min_evidence = r.integer(c_t, "min_evidence", path, 1)
    if min_evidence < 0:
        raise r.fail(f"{path}.min_evidence", "số minh chứng tối thiểu không được âm")
    if points is not None and points < 0:
        raise r.fail(f"{path}.points", "số điểm không được âm")

    if kind is CriterionKind.YESNO:
        if threshold is not None:
            raise r.fail(f"{path}.threshold", "tiêu chí loại yesno không dùng ngưỡng «threshold»")
    elif kind is CriterionKind.PERCENT:
        if threshold is None:
            raise r.fail(f"{path}.threshold", "tiêu chí loại percent cần ngưỡng «threshold» (ví dụ 90 nghĩa là ≥ 90%)")
        if not 0 <= threshold <= 100:
            raise r.fail(f"{path}.threshold", f"ngưỡng {format_number(threshold)}% nằm ngoài khoảng 0..100")
    elif kind is CriterionKind.COUNT:
        if threshold is None:
            raise r.fail(f"{path}.threshold", "tiêu chí loại count cần số lượng tối thiểu «threshold»")
        if threshold < 0 or threshold != int(threshold):
            raise r.fail(f"{path}.threshold", f"số lượng tối thiểu {format_number(threshold)} phải là số nguyên không âm")
    if kind is CriterionKind.POINTS:
        if max_points is None:
            raise r.fail(f"{path}.max_points", "tiêu chí loại points cần điểm tối đa «max_points»")
        if max_points <= 0:
            raise r.fail(f"{path}.max_points", "điểm tối đa phải lớn hơn 0")
        if points is not None:
            raise r.fail(
                f"{path}.points",
                "tiêu chí loại points lấy điểm từ giá trị chấm; dùng «max_points» thay cho «points»",
            )
        if threshold is None:
            threshold = max_points
        elif not 0 <= threshold <= max_points:
            raise r.fail(
                f"{path}.threshold",
                f"ngưỡng {format_number(threshold)} điểm nằm ngoài khoảng 0..{format_number(max_points)}",
            )
    elif max_points is not None:
        raise r.fail(f"{path}.max_points", "chỉ tiêu chí loại points mới dùng «max_points»; hãy dùng «points»")

    return Criterion(
        code=code,
        title=title,
        guidance=guidance,
        kind=kind,
        threshold=threshold,
        max_points=max_points,
        points=points or 0.0,
        mandatory=mandatory,
        min_evidence=min_evidence,
        group_code=group_code,
    )


def _too_large(source: str, size: int) -> FrameworkError:
    return FrameworkError(
        source,
        "",
        f"tệp lớn {size:,} byte, vượt giới hạn {MAX_FRAMEWORK_BYTES:,} byte của một bộ tiêu chí "
        "(có thể chọn nhầm tệp)".replace(",", "."),
    )


def load_framework_file(path: str | Path) -> Framework:
    """Read and parse one framework file; the file name is used in messages."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FRAMEWORK_BYTES:  # do not read a huge file just to refuse it
            raise _too_large(p.name, p.stat().st_size)
        data = p.read_bytes()
    except OSError as exc:
        raise FrameworkError(p.name, "", f"không đọc được tệp ({exc.strerror or exc})") from None
    return parse_framework(data, p.name)


# --------------------------------------------------------------------------- bundled sets


def frameworks_dir() -> Path:
    """The folder with the bundled framework files."""
    from khoiapp.paths import resources_dir

    return resources_dir() / "frameworks"


@functools.lru_cache(maxsize=1)
def bundled_frameworks() -> tuple[Framework, ...]:
    """All bundled frameworks (``resources/frameworks/*.toml``), sorted by file name; cached."""
    out: list[Framework] = []
    seen: dict[str, str] = {}
    for path in sorted(frameworks_dir().glob("*.toml")):
        fw = load_framework_file(path)
        if fw.key in seen:
            raise FrameworkError(path.name, "khóa «framework.id»", f"mã «{fw.key}» trùng với tệp «{seen[fw.key]}»")
        seen[fw.key] = path.name
        out.append(fw)
    return tuple(out)


def bundled_framework(key: str) -> Framework:
    """The bundled framework with this key; raises UnknownFrameworkError."""
    for fw in bundled_frameworks():
        if fw.key == key:
            return fw
    raise UnknownFrameworkError(key, [fw.key for fw in bundled_frameworks()])


def default_framework_key(unit_type: str) -> str:
    """Key of the bundled base framework for a unit type ("co-quan", "don-vi", "doanh-nghiep")."""
    for fw in bundled_frameworks():
        if fw.role == "base" and unit_type in fw.applies_to:
            return fw.key
    raise BadInputError(
        f"Loại đơn vị «{unit_type}» không hợp lệ hoặc chưa có bộ tiêu chí. "
        f"Hãy chọn một trong: {', '.join(UNIT_TYPES)}."
    )


def addon_keys() -> tuple[str, ...]:
    """Keys of the bundled add-on frameworks (e.g. "kiểu mẫu")."""
    return tuple(fw.key for fw in bundled_frameworks() if fw.role == "addon")


def compatible_addons(base: Framework, unit_type: str) -> tuple[Framework, ...]:
    """Bundled add-ons usable on top of ``base`` for a unit of ``unit_type``."""
    return tuple(
        fw
        for fw in bundled_frameworks()
        if fw.role == "addon" and unit_type in fw.applies_to and fw.requires in (None, base.key)
    )
