"""The bloc's figures over one year or a range: results, activities, criteria, awards, changes."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from khoiapp.bloc.read import Entry, dossier_json
from khoiapp.bloc import units as units_mod
from khoiapp.bloc.units import BlocUnit, UnitList, unit_key
from khoiapp.errors import BadInputError
from khoiapp.services import summary as base

ROUND = "round"  # half up: 62/121 → 51,24 %
TRUNCATE = "truncate"  # as the bloc's own report writes: 62/121 → 51,23 %
RULE_LABELS = {
    ROUND: "làm tròn đến hai chữ số thập phân (từ 5 trở lên làm tròn lên)",
    TRUNCATE: "lấy hai chữ số thập phân, bỏ phần còn lại (không làm tròn)",
}

# Unit standing over the range; the first four are dossier results.
MODEL = base.RESULT_MODEL
CULTURAL = base.RESULT_CULTURAL  # đạt chuẩn văn hóa, not kiểu mẫu
NOT_PASSED = base.RESULT_NOT_PASSED
NO_DATA = base.RESULT_NO_DATA
MISSING = "chua-nop"
NOT_COUNTED = "khong-duoc-tinh"
STANDING_LABELS = {
    MODEL: "Kiểu mẫu",
    CULTURAL: "Đạt chuẩn văn hóa (chưa kiểu mẫu)",
    NOT_PASSED: "Chưa đạt",
    NO_DATA: "Chưa đủ dữ liệu",
    MISSING: "Chưa nộp",
    NOT_COUNTED: "Đã gửi nhưng không được tính",
}
STANDINGS = tuple(STANDING_LABELS)


def percent(part: int, whole: int, rule: str = ROUND) -> float | None:
    """``part / whole`` in percent with two decimals by ``rule``; None when ``whole`` is 0."""
    if whole <= 0:
        return None
    mode = ROUND_DOWN if rule == TRUNCATE else ROUND_HALF_UP
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=mode))


def pct_text(value: float | None) -> str:
    return base.format_percent(value).replace("%", " %") if value is not None else "—"


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``"2023"`` or ``"2021-2023"`` (also with – or …) as (first, last); None for empty.

    Raises:
        BadInputError: not a year or a range of at most 10 years.
    """
    if text is None or not text.strip():
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–—]|\.\.)\s*(\d{4})\s*|\s*(\d{4})\s*", text)
    if not m:
        raise BadInputError(f"Năm «{text}» không hợp lệ. Hãy ghi một năm (2023) hoặc khoảng năm (2021-2023).")
    a, b = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(3)), int(m.group(3)))
    if a > b or b - a > 10 or a < 1900:
        raise BadInputError(
            f"Khoảng năm «{text}» không hợp lệ: năm đầu phải không sau năm cuối và cách nhau không quá 10 năm."
        )
    return a, b


def years_text(years: tuple[int, int]) -> str:
    return str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"


@dataclass(frozen=True)
class YearResult:
    year: int
    result: str
    result_label: str
    points: float | None


@dataclass(frozen=True)
class UnitFigures:
    """One unit of the bloc over the range."""

    name: str
    short_name: str
    unit_type: str
    unit_type_label: str
    standing: str  # STANDINGS
    standing_label: str
    result_label: str
    latest_year: int | None
    points: float | None
    points_max: float | None
    file: str
    signer: str | None
    sha256: str
    reason: str  # why not counted / what is missing
    years: tuple[YearResult, ...]
    change: str  # year-on-year, Vietnamese; "" with fewer than two years
    points_change: float | None
    activities: tuple[tuple[str, int, int, int], ...]  # (kind, count, participants, quantity) summed
    awards: int
    criteria_met: int
    criteria_total: int

    @property
    def counted(self) -> bool:
        return self.standing not in (MISSING, NOT_COUNTED)


@dataclass(frozen=True)
class TypeFigures:
    unit_type: str
    label: str
    units: int
    counts: tuple[tuple[str, int], ...]  # standing -> units
    cultural: int  # kiểu mẫu included
    cultural_percent: float | None  # of the type's units
    model_percent: float | None


@dataclass(frozen=True)
class ActivityTotal:
    kind: str
    label: str
    count: int
    participants: int
    quantity: int
    units: int  # units that reported this kind at least once


@dataclass(frozen=True)
class CriterionRate:
    framework: str
    code: str
    title: str
    met: int
    not_met: int
    not_applicable: int
    unanswered: int
    base: int  # units with the criterion applicable (met + not met + unanswered)
    percent: float | None


@dataclass(frozen=True)
class AwardCount:
    kind: str
    kind_label: str
    level: str
    level_label: str
    collective: int
    individual: int


@dataclass(frozen=True)
class BlocReport:
    """Everything the bloc's report states, computed once; every output is made from this."""

    years: tuple[int, int]
    rule: str
    units_listed: bool
    bloc_units: int  # base of the percentages: units on the list, else units counted
    units: tuple[UnitFigures, ...]
    standings: tuple[tuple[str, int, float | None], ...]  # (standing, units, % of the bloc)
    cultural: int
    cultural_percent: float | None
    model: int
    model_percent: float | None
    by_type: tuple[TypeFigures, ...]
    activities: tuple[ActivityTotal, ...]
    criteria: tuple[CriterionRate, ...]
    awards: tuple[AwardCount, ...]
    rows: tuple[base.SummaryRow, ...]  # every file, with why it does or does not count
    counted: tuple[Entry, ...]  # the dossiers counted (all years of the range)
    warnings: tuple[str, ...] = ()

    @property
    def years_label(self) -> str:
        return years_text(self.years)

    def pct(self, part: int, whole: int | None = None) -> float | None:
        return percent(part, self.bloc_units if whole is None else whole, self.rule)

    def standing(self, key: str) -> int:
        return next((n for k, n, _ in self.standings if k == key), 0)

    @property
    def missing(self) -> tuple[UnitFigures, ...]:
        return tuple(u for u in self.units if u.standing == MISSING)

    @property
    def not_counted_rows(self) -> tuple[base.SummaryRow, ...]:
        return tuple(r for r in self.rows if not r.counted)

    def least_met(self, n: int = 10) -> tuple[CriterionRate, ...]:
        rated = [c for c in self.criteria if c.percent is not None]
        return tuple(sorted(rated, key=lambda c: (c.percent or 0.0, c.framework, _code_key(c.code)))[:n])

    def award_total(self, *, kind: str | None = None, level: str | None = None, collective: bool | None = None) -> int:
        n = 0
        for a in self.awards:
            if (kind is None or a.kind == kind) and (level is None or a.level == level):
                n += (a.collective if collective in (None, True) else 0) + (a.individual if collective in (None, False) else 0)
        return n

    def activity(self, kind: str) -> ActivityTotal:
        return next(
            (a for a in self.activities if a.kind == kind),
            ActivityTotal(kind, kind, 0, 0, 0, 0),
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready figures (stable keys; docs/summary.md)."""
        return {
            "years": list(self.years),
            "percent_rule": self.rule,
            "units_listed": self.units_listed,
            "bloc_units": self.bloc_units,
            "cultural": self.cultural,
            "cultural_percent": self.cultural_percent,
            "model": self.model,
            "model_percent": self.model_percent,
            "standings": [{"standing": k, "label": STANDING_LABELS[k], "units": n, "percent": p} for k, n, p in self.standings],
            "by_type": [{**asdict(t), "counts": dict(t.counts)} for t in self.by_type],
            "activities": [asdict(a) for a in self.activities],
            "criteria": [asdict(c) for c in self.criteria],
            "awards": [asdict(a) for a in self.awards],
            "units": [
                {**asdict(u), "years": [asdict(y) for y in u.years], "activities": [list(a) for a in u.activities]}
                for u in self.units
            ],
            "rows": [{**asdict(r), "counted": r.counted, "status_label": r.status_label} for r in self.rows],
            "warnings": list(self.warnings),
        }

    def summary_json(self) -> dict[str, Any]:
        """What a summary PDF carries: the figures, the unit list and every counted dossier."""
        from khoiapp.bloc.read import SUMMARY_SCHEMA

        return {
            "schema": SUMMARY_SCHEMA,
            "figures": self.to_json(),
            "unit_list": [
                {"name": u.name, "short_name": u.short_name, "unit_type": u.unit_type} for u in self.units
            ],
            "dossiers": [dossier_json(e) for e in self.counted],
        }


def _code_key(code: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", code))


def _not(row: base.SummaryRow, status: str, reason: str) -> base.SummaryRow:
    return replace(row, status=status, reason=reason)


def compute(
    entries: Sequence[Entry],
    *,
    units: UnitList | None = None,
    years: tuple[int, int] | None = None,
    rule: str = ROUND,
) -> BlocReport:
    """Judge every entry against the list and the years, then add up the figures.

    Per unit the latest counted dossier of the range gives its standing and criteria; activities
    and awards are summed over every counted dossier of the range (one per year).

    Raises:
        BadInputError: an unknown rule, or no dossier at all of the range when there are dossiers.
    """
    if rule not in RULE_LABELS:
        raise BadInputError(f"Cách tính tỷ lệ «{rule}» không có. Hãy chọn «{ROUND}» hoặc «{TRUNCATE}».")
    rows = [e.row for e in entries]
    facts = [e.facts for e in entries]
    if years is None:
        import datetime as dt

        y = base._choose_year(rows) or dt.date.today().year
        years = (y, y)
    lo, hi = years
    listed = units is not None
    by_key = units_mod.by_key(units.units) if units is not None else {}

    # the same dossier through two summaries (or twice in the folder) counts once
    seen_sha: dict[str, int] = {}
    for i, r in enumerate(rows):
        f = facts[i]
        if f is None or r.status != base.COUNTED:
            continue
        if f.sha256 in seen_sha:
            first = rows[seen_sha[f.sha256]]
            rows[i] = _not(r, base.DUPLICATE, f"Cùng một hồ sơ đã được tính ở «{first.file}».")
        else:
            seen_sha[f.sha256] = i

    home: dict[int, BlocUnit | None] = {}
    for i, r in enumerate(rows):
        if r.status != base.COUNTED:
            continue
        if r.year is None or not lo <= r.year <= hi:
            rows[i] = _not(
                r, base.OTHER_YEAR,
                f"Hồ sơ năm {r.year}, ngoài khoảng năm đang tổng hợp ({years_text(years)}). Hồ sơ được liệt kê nhưng "
                "không tính.",
            )  # fmt: skip
            continue
        if listed:
            u = by_key.get(unit_key(r.unit_name))
            if u is None:
                rows[i] = _not(
                    r, base.NOT_ON_LIST,
                    f"Đơn vị «{r.unit_name}» không có trong danh sách đơn vị của Khối. Nếu đây là đơn vị của Khối, "
                    "hãy thêm vào danh sách (hoặc sửa tên cho khớp) rồi tổng hợp lại.",
                )  # fmt: skip
                continue
            f = facts[i]
            if not units_mod.registered_signer(u, [f.cert_fingerprint] if f is not None else []):
                rows[i] = _not(r, base.WRONG_SIGNER, units_mod.wrong_signer_reason(u, r.signer))
                continue
            home[i] = u
        else:
            home[i] = None

    def key_of(i: int) -> str:
        u = home.get(i)
        return unit_key(u.name) if u is not None else unit_key(rows[i].unit_name)

    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i in home:
        groups[(key_of(i), rows[i].year or 0)].append(i)
    for idxs in groups.values():
        if len(idxs) < 2:
            continue
        keep = max(idxs, key=lambda i: base._time_key(rows[i]))
        for i in idxs:
            if i != keep:
                rows[i] = _not(
                    rows[i], base.DUPLICATE,
                    f"Đơn vị này đã gửi nhiều hồ sơ năm {rows[i].year}; chỉ tính bản ký muộn nhất (tệp «{rows[keep].file}»).",
                )  # fmt: skip
                home.pop(i)

    counted_idx = sorted(home, key=lambda i: (key_of(i), rows[i].year or 0))
    per_unit: dict[str, list[int]] = defaultdict(list)
    for i in counted_idx:
        per_unit[key_of(i)].append(i)
    sent_keys = {unit_key(r.unit_name) for r in rows if r.unit_name}

    # the units of the bloc, in list order (or as found)
    if units is not None:
        members = list(units.units)
    else:
        members = []
        for i in counted_idx:
            if key_of(i) not in {unit_key(m.name) for m in members}:
                r = rows[i]
                members.append(BlocUnit(name=r.unit_name, unit_type=r.unit_type))
    figures: list[UnitFigures] = []
    for m in members:
        k = unit_key(m.name)
        idxs = per_unit.get(k, [])
        figures.append(_unit_figures(m, idxs, rows, facts, sent=k in sent_keys or (m.short_name and unit_key(m.short_name) in sent_keys), rule=rule, all_rows=rows))

    bloc_units = len(members)
    counts = Counter(u.standing for u in figures)
    standings = tuple((s, counts.get(s, 0), percent(counts.get(s, 0), bloc_units, rule)) for s in STANDINGS)
    cultural = counts.get(MODEL, 0) + counts.get(CULTURAL, 0)
    model = counts.get(MODEL, 0)

    by_type: list[TypeFigures] = []
    type_order = ["co-quan", "don-vi", "doanh-nghiep"]
    present = sorted({u.unit_type for u in figures}, key=lambda t: (type_order.index(t) if t in type_order else 9, t))
    for t in present:
        of = [u for u in figures if u.unit_type == t]
        c = Counter(u.standing for u in of)
        cult = c.get(MODEL, 0) + c.get(CULTURAL, 0)
        by_type.append(
            TypeFigures(
                unit_type=t,
                label=of[0].unit_type_label or "Chưa rõ loại hình",
                units=len(of),
                counts=tuple((s, c.get(s, 0)) for s in STANDINGS),
                cultural=cult,
                cultural_percent=percent(cult, len(of), rule),
                model_percent=percent(c.get(MODEL, 0), len(of), rule),
            )
        )

    from khoiapp.services.content import ACTIVITY_KINDS, AWARD_KINDS, AWARD_LEVELS

    act: dict[str, list[int]] = {}
    act_units: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = dict(ACTIVITY_KINDS)
    for i in counted_idx:
        fa = facts[i]
        for af in fa.activities if fa else ():
            tot = act.setdefault(af.kind, [0, 0, 0])
            tot[0] += af.count
            tot[1] += af.participants
            tot[2] += af.quantity
            labels.setdefault(af.kind, af.label)
            if af.count:
                act_units[af.kind].add(key_of(i))
    kinds = list(ACTIVITY_KINDS) + sorted(k for k in act if k not in ACTIVITY_KINDS)
    activities = tuple(
        ActivityTotal(
            kind=k,
            label=labels[k],
            count=act.get(k, [0, 0, 0])[0],
            participants=act.get(k, [0, 0, 0])[1],
            quantity=act.get(k, [0, 0, 0])[2],
            units=len(act_units.get(k, ())),
        )
        for k in kinds
    )

    # criteria in the order the dossiers list them (base framework first), counted on each unit's latest dossier
    crit: dict[tuple[str, str], list[int]] = {}
    titles: dict[tuple[str, str], str] = {}
    slots = {"dat": 0, "chua-dat": 1, "khong-ap-dung": 2}
    for idxs in per_unit.values():
        fc = facts[idxs[-1]]
        for cf in fc.criteria if fc else ():
            ck = (cf.framework, cf.code)
            crit.setdefault(ck, [0, 0, 0, 0])[slots.get(cf.status, 3)] += 1
            titles.setdefault(ck, cf.title)
    fw_order = {fw: n for n, fw in enumerate(dict.fromkeys(fw for fw, _ in crit))}
    criteria = []
    for (fw, code), (met, not_met, na, unans) in sorted(crit.items(), key=lambda kv: (fw_order[kv[0][0]], _code_key(kv[0][1]))):
        b = met + not_met + unans
        criteria.append(CriterionRate(fw, code, titles[(fw, code)], met, not_met, na, unans, b, percent(met, b, rule)))

    aw: Counter[tuple[str, str, bool]] = Counter()
    for i in counted_idx:
        fw_ = facts[i]
        for wf in fw_.awards if fw_ else ():
            aw[(wf.kind, wf.level, wf.collective)] += 1
    award_rows = []
    for kind in list(AWARD_KINDS) + sorted({k for k, _, _ in aw} - set(AWARD_KINDS)):
        for level in AWARD_LEVELS:
            coll, ind = aw.get((kind, level, True), 0), aw.get((kind, level, False), 0)
            if coll or ind:
                award_rows.append(AwardCount(kind, AWARD_KINDS.get(kind, kind), level, AWARD_LEVELS[level], coll, ind))

    warnings: list[str] = []
    if not counted_idx:
        warnings.append(
            f"Không có hồ sơ nào được tính trong khoảng năm {years_text(years)}. Hãy kiểm tra khoảng năm, danh sách "
            "đơn vị và cột «Lý do» của từng tệp."
        )
    return BlocReport(
        years=years,
        rule=rule,
        units_listed=listed,
        bloc_units=bloc_units,
        units=tuple(figures),
        standings=standings,
        cultural=cultural,
        cultural_percent=percent(cultural, bloc_units, rule),
        model=model,
        model_percent=percent(model, bloc_units, rule),
        by_type=tuple(by_type),
        activities=activities,
        criteria=tuple(criteria),
        awards=tuple(award_rows),
        rows=tuple(rows),
        counted=tuple(Entry(rows[i], facts[i]) for i in counted_idx),
        warnings=tuple(warnings),
    )


def _unit_figures(
    m: BlocUnit,
    idxs: list[int],
    rows: list[base.SummaryRow],
    facts: Sequence[Any],
    *,
    sent: bool | str,
    rule: str,
    all_rows: list[base.SummaryRow],
) -> UnitFigures:
    from khoiapp.bloc.units import UNIT_TYPES

    if not idxs:
        k = unit_key(m.name)
        why = [r for r in all_rows if r.unit_name and unit_key(r.unit_name) == k and not r.counted]
        reason = (
            "Chưa nộp hồ sơ."
            if not sent
            else "Đã gửi nhưng không có hồ sơ nào được tính: " + "; ".join(f"{r.file}: {r.status_label}" for r in why[:3]) + "."
        )
        return UnitFigures(
            name=m.name, short_name=m.short_name, unit_type=m.unit_type,
            unit_type_label=UNIT_TYPES.get(m.unit_type, m.unit_type), standing=NOT_COUNTED if sent else MISSING,
            standing_label=STANDING_LABELS[NOT_COUNTED if sent else MISSING], result_label="", latest_year=None,
            points=None, points_max=None, file="", signer=None, sha256="", reason=reason, years=(), change="",
            points_change=None, activities=(), awards=0, criteria_met=0, criteria_total=0,
        )  # fmt: skip
    last = rows[idxs[-1]]
    f = facts[idxs[-1]]
    standing = last.result if last.result in (MODEL, CULTURAL, NOT_PASSED) else NO_DATA
    yrs = tuple(YearResult(rows[i].year or 0, rows[i].result, rows[i].result_label, rows[i].points) for i in idxs)
    change, dpts = "", None
    if len(yrs) >= 2:
        a, b = yrs[-2], yrs[-1]
        order = {NOT_PASSED: 0, NO_DATA: 0, CULTURAL: 1, MODEL: 2}
        ra, rb = order.get(a.result, 0), order.get(b.result, 0)
        verb = "giữ nguyên" if ra == rb else ("tăng" if rb > ra else "giảm")
        change = f"{a.year}: {a.result_label or '—'} → {b.year}: {b.result_label or '—'} ({verb})"
        if a.points is not None and b.points is not None:
            dpts = round(b.points - a.points, 2)
    acts: dict[str, list[int]] = {}
    n_awards = 0
    for i in idxs:
        fi = facts[i]
        for a2 in fi.activities if fi else ():
            t = acts.setdefault(a2.kind, [0, 0, 0])
            t[0] += a2.count
            t[1] += a2.participants
            t[2] += a2.quantity
        n_awards += len(fi.awards) if fi else 0
    met = sum(1 for c in f.criteria if c.status == "dat") if f else 0
    total = sum(1 for c in f.criteria if c.status != "khong-ap-dung") if f else 0
    utype = m.unit_type or last.unit_type
    return UnitFigures(
        name=m.name,
        short_name=m.short_name,
        unit_type=utype,
        unit_type_label=UNIT_TYPES.get(utype, last.unit_type_label or utype),
        standing=standing,
        standing_label=STANDING_LABELS[standing],
        result_label=last.result_label,
        latest_year=last.year,
        points=last.points,
        points_max=last.points_max,
        file=last.file,
        signer=last.signer,
        sha256=f.sha256 if f else "",
        reason="",
        years=yrs,
        change=change,
        points_change=dpts,
        activities=tuple((k, *v) for k, v in acts.items()),  # type: ignore[misc]
        awards=n_awards,
        criteria_met=met,
        criteria_total=total,
    )
