"""Scoring of self-assessment answers against a criteria framework (pure functions, no I/O)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from khoiapp.errors import ValueOutOfRangeError
from khoiapp.frameworks import Criterion, CriterionKind, Framework, PassRule, format_number

# Comparisons tolerate float noise from scaled pass marks (e.g. 90 * 0.9).
_EPS = 1e-9


class ResultStatus(str, Enum):
    """The self-assessment status of one criterion."""

    UNANSWERED = "chua-danh-gia"
    MET = "dat"
    NOT_MET = "chua-dat"
    NOT_APPLICABLE = "khong-ap-dung"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ResultStatus.UNANSWERED: "Chưa đánh giá",
    ResultStatus.MET: "Đạt",
    ResultStatus.NOT_MET: "Chưa đạt",
    ResultStatus.NOT_APPLICABLE: "Không áp dụng",
}


class OverallResult(str, Enum):
    """The overall self-assessed result of a unit."""

    MODEL = "kieu-mau"
    CULTURAL = "dat-chuan-van-hoa"
    NOT_MET = "chua-dat"
    INCOMPLETE = "chua-du-du-lieu"

    @property
    def label(self) -> str:
        return _OVERALL_LABELS[self]


_OVERALL_LABELS = {
    OverallResult.MODEL: "Kiểu mẫu",
    OverallResult.CULTURAL: "Đạt chuẩn văn hóa",
    OverallResult.NOT_MET: "Chưa đạt",
    OverallResult.INCOMPLETE: "Chưa đủ dữ liệu",
}


@dataclass(frozen=True)
class CriterionInput:
    """What the unit entered for one criterion."""

    status: ResultStatus
    value: float | None
    evidence_count: int
    needs_confirmation: bool = False


@dataclass(frozen=True)
class CriterionOutcome:
    """One criterion after scoring."""

    code: str
    status: ResultStatus
    score: float
    answered: bool
    evidence_ok: bool
    needs_confirmation: bool

    @property
    def counts_as(self) -> ResultStatus:
        """The status used for counting: unconfirmed answers count as unanswered."""
        return self.status if self.answered else ResultStatus.UNANSWERED


@dataclass(frozen=True)
class GroupOutcome:
    code: str
    title: str
    met: int
    not_met: int
    unanswered: int
    not_applicable: int
    score: float
    max_score: float
    passed: bool | None


@dataclass(frozen=True)
class FrameworkOutcome:
    key: str
    title_awarded: str
    criteria: tuple[CriterionOutcome, ...]
    groups: tuple[GroupOutcome, ...]
    total_points: float
    max_points: float
    passed: bool | None

    def outcome(self, code: str) -> CriterionOutcome | None:
        for o in self.criteria:
            if o.code == code:
                return o
        return None


@dataclass(frozen=True)
class Readiness:
    total: int
    answered: int
    evidence_ok: int
    share_answered: float
    share_evidence: float


@dataclass(frozen=True)
class PreflightItem:
    """One thing to fix before the dossier is exported.

    ``kind`` is "unanswered", "to-confirm", "evidence" or "profile" (the last is produced by the
    services that check the unit profile, not here).
    """

    kind: str
    code: str | None
    message: str


# --------------------------------------------------------------------------- one criterion


def _folded(text: str) -> str:
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(ch for ch in t if not unicodedata.combining(ch)).lower().split())


def advances_each_year(c: Criterion) -> bool:
    """A count of years in a row («Số năm liên tục …»): one more with each new period.

    Rolling a dossier forward prefills such a criterion with last year's number plus one (to
    confirm), instead of carrying last year's number unchanged.
    """
    return c.kind is CriterionKind.COUNT and _folded(c.title).startswith("so nam lien tuc")


def validate_value(c: Criterion, value: float) -> float:
    """Check a value the user typed for a criterion; returns it as float.

    Raises:
        ValueOutOfRangeError: percent outside 0..100, a negative or fractional count, points
            outside 0..max_points, a number for a yes/no criterion, or a non-finite number.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueOutOfRangeError(
            f"Giá trị «{value}» của tiêu chí {c.code} không phải là một số. Hãy nhập một số, ví dụ 90."
        )
    v = float(value)
    if c.kind is CriterionKind.YESNO:
        raise ValueOutOfRangeError(
            f"Tiêu chí {c.code} chỉ đánh giá Đạt hoặc Chưa đạt, không nhập số. "
            "Hãy chọn kết quả thay vì nhập giá trị."
        )
    if c.kind is CriterionKind.PERCENT and not 0 <= v <= 100:
        raise ValueOutOfRangeError(
            f"Tỷ lệ {format_number(v)}% của tiêu chí {c.code} nằm ngoài khoảng 0–100%. "
            "Hãy nhập một tỷ lệ từ 0 đến 100."
        )
    if c.kind is CriterionKind.COUNT:
        if v < 0:
            raise ValueOutOfRangeError(
                f"Số lượng {format_number(v)} của tiêu chí {c.code} không được âm. "
                "Hãy nhập một số nguyên từ 0 trở lên."
            )
        if v != int(v):
            raise ValueOutOfRangeError(
                f"Số lượng của tiêu chí {c.code} phải là số nguyên, không phải {format_number(v)}. "
                "Hãy nhập một số nguyên, ví dụ 2."
            )
    if c.kind is CriterionKind.POINTS:
        top = c.max_points or 0.0
        if not 0 <= v <= top:
            raise ValueOutOfRangeError(
                f"Điểm {format_number(v)} của tiêu chí {c.code} nằm ngoài khoảng 0–{format_number(top)}. "
                f"Hãy nhập số điểm từ 0 đến {format_number(top)}."
            )
    return v


def _clamp(c: Criterion, value: float) -> float:
    """Bring a stored value into range so that bad data cannot inflate a score."""
    if c.kind is CriterionKind.PERCENT:
        return min(max(value, 0.0), 100.0)
    if c.kind is CriterionKind.POINTS:
        return min(max(value, 0.0), c.max_points or 0.0)
    return max(value, 0.0)


def derive_status(c: Criterion, value: float) -> ResultStatus:
    """MET if ``value`` reaches the criterion's threshold, else NOT_MET (not for yes/no)."""
    v = _clamp(c, value)
    return ResultStatus.MET if v >= (c.threshold or 0.0) else ResultStatus.NOT_MET


def evaluate_criterion(c: Criterion, inp: CriterionInput | None) -> CriterionOutcome:
    """Score one criterion.

    Yes/no criteria keep the status given. Percent, count and points criteria derive MET or
    NOT_MET from the value compared with the threshold (``>=``); without a value they are
    unanswered. NOT_APPLICABLE given explicitly always wins. An answer that needs confirmation
    keeps its status but counts as unanswered (``answered`` False, score 0).
    Scores: a met yes/no, percent or count criterion gives its ``points``; a points criterion
    gives its value (clamped to 0..max_points); anything else gives 0.
    """
    if inp is None:
        return CriterionOutcome(c.code, ResultStatus.UNANSWERED, 0.0, False, c.min_evidence == 0, False)

    value = inp.value
    if inp.status is ResultStatus.NOT_APPLICABLE:
        status = ResultStatus.NOT_APPLICABLE
    elif c.kind is CriterionKind.YESNO:
        status = inp.status
    elif value is None or not math.isfinite(value):
        status = ResultStatus.UNANSWERED
    else:
        status = derive_status(c, value)

    answered = status is not ResultStatus.UNANSWERED and not inp.needs_confirmation
    score = 0.0
    if answered:
        if c.kind is CriterionKind.POINTS and status is not ResultStatus.NOT_APPLICABLE:
            score = _clamp(c, value or 0.0)
        elif status is ResultStatus.MET:
            score = c.points
    evidence_ok = status is ResultStatus.NOT_APPLICABLE or inp.evidence_count >= c.min_evidence
    return CriterionOutcome(c.code, status, score, answered, evidence_ok, inp.needs_confirmation)


# --------------------------------------------------------------------------- groups, framework


def _judge(
    rule: PassRule,
    framework_max: float,
    pairs: Sequence[tuple[Criterion, CriterionOutcome]],
) -> bool | None:
    """Apply a pass rule to a set of criteria: True, False (already decided) or None.

    ``min_points`` is scaled to the set's applicable maximum (criteria not applicable and, for a
    group, the other groups are left out), so that "90 of 100" means "90%" of what can be scored.
    """
    applicable = [(c, o) for c, o in pairs if o.counts_as is not ResultStatus.NOT_APPLICABLE]
    open_ = [(c, o) for c, o in applicable if o.counts_as is ResultStatus.UNANSWERED]
    met = sum(1 for _, o in applicable if o.counts_as is ResultStatus.MET)
    failed = False

    if rule.all_mandatory and any(
        c.mandatory and o.counts_as is ResultStatus.NOT_MET for c, o in applicable
    ):
        failed = True

    if rule.min_points is not None:
        applicable_max = sum(c.max_score for c, _ in applicable)
        need = rule.min_points * (applicable_max / framework_max) if framework_max > 0 else rule.min_points
        got = sum(o.score for _, o in applicable)
        best = got + sum(c.max_score for c, _ in open_)
        if best < need - _EPS:
            failed = True

    if rule.min_met_share is not None and applicable:
        best_share = (met + len(open_)) / len(applicable)
        if best_share < rule.min_met_share - _EPS:
            failed = True

    if failed:
        return False
    return None if open_ else True


def _group_outcome(
    rule: PassRule, framework_max: float, code: str, title: str,
    pairs: Sequence[tuple[Criterion, CriterionOutcome]],
) -> GroupOutcome:
    counts = {s: 0 for s in ResultStatus}
    for _, o in pairs:
        counts[o.counts_as] += 1
    return GroupOutcome(
        code=code,
        title=title,
        met=counts[ResultStatus.MET],
        not_met=counts[ResultStatus.NOT_MET],
        unanswered=counts[ResultStatus.UNANSWERED],
        not_applicable=counts[ResultStatus.NOT_APPLICABLE],
        score=sum(o.score for _, o in pairs),
        max_score=sum(c.max_score for c, o in pairs if o.status is not ResultStatus.NOT_APPLICABLE),
        passed=_judge(rule, framework_max, pairs),
    )


def evaluate_framework(fw: Framework, inputs: Mapping[str, CriterionInput]) -> FrameworkOutcome:
    """Score every criterion of ``fw`` from ``inputs`` (keyed by criterion code; missing = unanswered).

    A group passes when the framework's pass rule holds on that group alone; the framework passes
    when it holds on all criteria. ``passed`` is None while answers are missing, unless a definite
    failure (a mandatory criterion not met, too few points even if the rest were perfect) already
    decides it.
    """
    all_pairs: list[tuple[Criterion, CriterionOutcome]] = []
    groups: list[GroupOutcome] = []
    fw_max = fw.max_points
    for g in fw.groups:
        pairs = [(c, evaluate_criterion(c, inputs.get(c.code))) for c in g.criteria]
        all_pairs.extend(pairs)
        groups.append(_group_outcome(fw.pass_rule, fw_max, g.code, g.title, pairs))
    return FrameworkOutcome(
        key=fw.key,
        title_awarded=fw.title_awarded,
        criteria=tuple(o for _, o in all_pairs),
        groups=tuple(groups),
        total_points=sum(o.score for _, o in all_pairs),
        max_points=sum(c.max_score for c, o in all_pairs if o.status is not ResultStatus.NOT_APPLICABLE),
        passed=_judge(fw.pass_rule, fw_max, all_pairs),
    )


def overall_result(base: FrameworkOutcome, addon: FrameworkOutcome | None) -> OverallResult:
    """Combine the base result and an optional "kiểu mẫu" add-on.

    The add-on only counts when the base passes: base failed → NOT_MET whatever the add-on says;
    base incomplete → INCOMPLETE; base passed → MODEL if the add-on passes, CULTURAL if it fails or
    there is none, INCOMPLETE while the add-on is undecided.
    """
    if base.passed is False:
        return OverallResult.NOT_MET
    if base.passed is None:
        return OverallResult.INCOMPLETE
    if addon is None or addon.passed is False:
        return OverallResult.CULTURAL
    if addon.passed is None:
        return OverallResult.INCOMPLETE
    return OverallResult.MODEL


# --------------------------------------------------------------------------- readiness, preflight


def readiness(outcomes: Sequence[FrameworkOutcome]) -> Readiness:
    """How far the self-assessment is: answered criteria and criteria with enough evidence.

    Not-applicable criteria count as answered and as having enough evidence. Shares are 0..1
    (0 when there are no criteria).
    """
    items = [o for fo in outcomes for o in fo.criteria]
    total = len(items)
    answered = sum(1 for o in items if o.answered)
    evidence_ok = sum(1 for o in items if o.evidence_ok)
    return Readiness(
        total=total,
        answered=answered,
        evidence_ok=evidence_ok,
        share_answered=answered / total if total else 0.0,
        share_evidence=evidence_ok / total if total else 0.0,
    )


def preflight_criteria(
    frameworks: Sequence[Framework],
    outcomes: Sequence[FrameworkOutcome],
    evidence_counts: Mapping[str, int] | None = None,
) -> list[PreflightItem]:
    """List what is missing before export, in framework and criterion order.

    Args:
        frameworks: the frameworks of the period (base first, then add-ons).
        outcomes: their outcomes (matched by key).
        evidence_counts: evidence files per criterion code, for the messages; missing codes = 0.

    Returns:
        Items of kind "to-confirm" (answer needs confirmation), "unanswered" and "evidence"
        (fewer files than ``min_evidence``), with Vietnamese messages.
    """
    counts = evidence_counts or {}
    by_key = {fo.key: fo for fo in outcomes}
    items: list[PreflightItem] = []
    for fw in frameworks:
        fo = by_key.get(fw.key)
        if fo is None:
            continue
        for c, o in zip(fw.criteria(), _in_order(fw, fo), strict=True):
            if o.needs_confirmation:
                items.append(PreflightItem(
                    "to-confirm", c.code,
                    f"Tiêu chí {c.code} có kết quả cần xác nhận lại. "
                    "Hãy kiểm tra kết quả rồi bấm xác nhận.",
                ))
            elif not o.answered:
                items.append(PreflightItem(
                    "unanswered", c.code,
                    f"Tiêu chí {c.code} chưa đánh giá. Hãy nhập kết quả tự đánh giá "
                    "hoặc đánh dấu «Không áp dụng».",
                ))
            if not o.evidence_ok:
                have = counts.get(c.code, 0)
                items.append(PreflightItem(
                    "evidence", c.code,
                    f"Tiêu chí {c.code} cần ít nhất {c.min_evidence} minh chứng, hiện có {have}. "
                    "Hãy đính kèm thêm minh chứng.",
                ))
    return items


def _in_order(fw: Framework, fo: FrameworkOutcome) -> Iterable[CriterionOutcome]:
    by_code = {o.code: o for o in fo.criteria}
    for c in fw.criteria():
        yield by_code.get(c.code) or evaluate_criterion(c, None)
