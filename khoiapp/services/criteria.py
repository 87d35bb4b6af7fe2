"""Answering criteria: status, value, narrative; the checklist as the window and export see it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoiapp import frameworks as fwlib
from khoiapp import scoring
from khoiapp.db import Document
from khoiapp.errors import BadInputError, UnknownCriterionError
from khoiapp.models import CriterionResult, Period, ResultStatusCol
from khoiapp.services.document import Changes, get_period, nfc, outcomes_for, period_frameworks

NARRATIVE_FIELDS = ("current_state", "strengths", "weaknesses", "improvement_plan")
NARRATIVE_LABELS = {
    "current_state": "Mô tả hiện trạng",
    "strengths": "Điểm mạnh",
    "weaknesses": "Điểm yếu",
    "improvement_plan": "Kế hoạch cải tiến",
}
MAX_TEXT = 20_000

STATUS_WORDS = {
    "dat": scoring.ResultStatus.MET,
    "đạt": scoring.ResultStatus.MET,
    "co": scoring.ResultStatus.MET,
    "có": scoring.ResultStatus.MET,
    "chua-dat": scoring.ResultStatus.NOT_MET,
    "chưa-đạt": scoring.ResultStatus.NOT_MET,
    "chưa đạt": scoring.ResultStatus.NOT_MET,
    "khong-ap-dung": scoring.ResultStatus.NOT_APPLICABLE,
    "không áp dụng": scoring.ResultStatus.NOT_APPLICABLE,
    "chua-danh-gia": scoring.ResultStatus.UNANSWERED,
}


@dataclass(frozen=True)
class CriterionView:
    framework_key: str
    group_code: str
    group_title: str
    code: str
    title: str
    guidance: str
    kind: str
    requirement: str
    mandatory: bool
    min_evidence: int
    max_points: float | None
    status: str
    status_label: str
    value: float | None
    score: float
    current_state: str
    strengths: str
    weaknesses: str
    improvement_plan: str
    note: str
    evidence_codes: tuple[str, ...]
    evidence_ok: bool
    needs_confirmation: bool
    reference: dict[str, Any] | None


@dataclass(frozen=True)
class GroupView:
    framework_key: str
    code: str
    title: str
    met: int
    total: int
    passed: bool | None
    score: float
    max_score: float


@dataclass(frozen=True)
class Checklist:
    year: int
    criteria: tuple[CriterionView, ...]
    groups: tuple[GroupView, ...]


def parse_value_text(text: str) -> tuple[scoring.ResultStatus | None, float | None]:
    """CLI VALUE: dat | chua-dat | khong-ap-dung | a number (decimal comma or point, optional %)."""
    t = nfc(text).lower()
    if t in STATUS_WORDS:
        return STATUS_WORDS[t], None
    num = t.rstrip("%").strip().replace(",", ".")
    try:
        value = float(num)
    except ValueError:
        raise BadInputError(
            f"Giá trị «{text}» không hợp lệ. Hãy nhập dat, chua-dat, khong-ap-dung hoặc một số (ví dụ 92)."
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise BadInputError(f"Giá trị «{text}» không phải là số hợp lệ.")
    return None, value


def _find(s: Session, p: Period, code: str) -> tuple[CriterionResult, fwlib.Criterion]:
    code = nfc(code)
    base, addon = period_frameworks(p)
    for fw, fw_id in ((base, p.framework_id), (addon, p.addon_framework_id)):
        if fw is None:
            continue
        c = fw.criterion(code)
        if c is not None:
            r = s.scalar(
                select(CriterionResult).where(
                    CriterionResult.period_id == p.id,
                    CriterionResult.framework_id == fw_id,
                    CriterionResult.code == code,
                )
            )
            if r is None:  # framework row exists but result missing (older data): create it
                r = CriterionResult(period_id=p.id, framework_id=fw_id, code=code)
                s.add(r)
                s.flush()
            return r, c
    raise UnknownCriterionError(code)


def set_result(
    doc: Document,
    year: int,
    code: str,
    *,
    status: scoring.ResultStatus | None = None,
    value: float | None = None,
    clear_value: bool = False,
    note: str | None = None,
    narrative: dict[str, str] | None = None,
    confirm: bool = True,
) -> Changes:
    """Record the answer to one criterion; its status and score are computed from the framework.

    A yes/no criterion takes ``status``; a percent, count or points criterion takes ``value``
    (or ``status=NOT_APPLICABLE``). Answering confirms a carried-over criterion.
    """
    doc.require_writable()
    with doc.transaction() as s:
        p = get_period(s, year)
        r = apply_result(
            s, p, code, status=status, value=value, clear_value=clear_value, note=note, narrative=narrative,
            confirm=confirm,
        )
        return Changes(criterion_codes=(r.code,))


def apply_result(
    s: Session,
    p: Period,
    code: str,
    *,
    status: scoring.ResultStatus | None = None,
    value: float | None = None,
    clear_value: bool = False,
    note: str | None = None,
    narrative: dict[str, str] | None = None,
    confirm: bool = True,
) -> CriterionResult:
    """:func:`set_result` inside the caller's transaction (batches answer many in one)."""
    r, c = _find(s, p, code)
    answered = status is not None or value is not None
    if c.kind == fwlib.CriterionKind.YESNO:
        if value is not None:
            if value not in (0, 1):
                raise BadInputError(
                    f"Tiêu chí {c.code} là câu hỏi có/không: hãy nhập «dat» hoặc «chua-dat», không phải một số."
                )
            status = scoring.ResultStatus.MET if value == 1 else scoring.ResultStatus.NOT_MET
        if status is not None:
            _check_na(c, status)
            r.status = ResultStatusCol(status.value)
    else:
        if value is not None:
            r.value = scoring.validate_value(c, value)
            r.status = ResultStatusCol.UNANSWERED  # derived from the value below
        elif clear_value:
            r.value = None
        if status is not None:
            _check_na(c, status)
            if status == scoring.ResultStatus.NOT_APPLICABLE:
                r.status = ResultStatusCol.NOT_APPLICABLE
            elif status == scoring.ResultStatus.UNANSWERED:
                r.value = None
                r.status = ResultStatusCol.UNANSWERED
            elif value is None:
                raise BadInputError(
                    f"Tiêu chí {c.code} cần một số liệu ({c.requirement}). "
                    "Hãy nhập số liệu; kết quả đạt hay chưa đạt được tính từ số liệu."
                )
    if note is not None:
        r.note = _text(note)
    for k, v in (narrative or {}).items():
        if k not in NARRATIVE_FIELDS:
            raise BadInputError(f"Không có phần «{k}» trong phần mô tả tiêu chí.")
        setattr(r, k, _text(v))
    if confirm and answered:
        r.needs_confirmation = False
    _recompute(r, c)
    r.updated_at = dt.datetime.now().replace(microsecond=0)
    return r


def _check_na(c: fwlib.Criterion, status: scoring.ResultStatus) -> None:
    if status == scoring.ResultStatus.NOT_APPLICABLE and c.mandatory:
        raise BadInputError(
            f"Tiêu chí {c.code} là tiêu chí bắt buộc nên không thể chọn «không áp dụng». "
            "Hãy chọn «đạt» hoặc «chưa đạt»."
        )


def _text(v: str) -> str:
    t = nfc(v)
    if len(t) > MAX_TEXT:
        raise BadInputError(f"Đoạn văn quá dài ({len(t)} ký tự, tối đa {MAX_TEXT}). Hãy rút gọn.")
    return t


def _recompute(r: CriterionResult, c: fwlib.Criterion) -> None:
    inp = scoring.CriterionInput(
        status=scoring.ResultStatus(r.status.value), value=r.value, evidence_count=0, needs_confirmation=False
    )
    out = scoring.evaluate_criterion(c, inp)
    r.status = ResultStatusCol(out.status.value)
    r.score = out.score


@dataclass(frozen=True)
class ConfirmItem:
    """One carried-over criterion «Xác nhận tất cả» would confirm, with the evidence behind it."""

    code: str
    title: str
    kind: str
    status_label: str
    value: float | None
    last_year_value: float | None
    advanced: bool  # a «Số năm liên tục» count: last year's number plus one
    this_year_evidence: tuple[str, ...]
    last_year_evidence: tuple[str, ...]  # copied from last year's dossier

    @property
    def only_last_year_evidence(self) -> bool:
        """Nothing attached this year: the answer rests on last year's files alone."""
        return not self.this_year_evidence


def _bulk_rows(p: Period) -> list[tuple[CriterionResult, fwlib.Criterion, dict[str, Any]]]:
    """Carried-over results still to confirm whose wording did not change (never the others)."""
    base, addon = period_frameworks(p)
    out = []
    for r in p.results:
        if not r.needs_confirmation:
            continue
        fw = base if r.framework_id == p.framework_id else addon
        c = fw.criterion(r.code) if fw else None
        ref = json.loads(r.reference_json) if r.reference_json else None
        if c is None or not isinstance(ref, dict) or nfc(str(ref.get("title", ""))) != nfc(c.title):
            continue  # wording changed (or unknown): never confirmed in bulk
        out.append((r, c, ref))
    return out


def bulk_confirm_preview(doc: Document, year: int) -> tuple[ConfirmItem, ...]:
    """What ``confirm(all_unchanged=True)`` would confirm now, in framework order, with evidence."""
    with doc.read() as s:
        p = get_period(s, year)
        items = []
        for r, c, ref in _bulk_rows(p):
            last = ref.get("value")
            items.append(
                ConfirmItem(
                    code=r.code,
                    title=c.title,
                    kind=c.kind.value,
                    status_label=scoring.ResultStatus(r.status.value).label,
                    value=r.value,
                    last_year_value=float(last) if isinstance(last, (int, float)) and not isinstance(last, bool) else None,
                    advanced=scoring.advances_each_year(c),
                    this_year_evidence=tuple(e.code for e in r.evidence if not e.inherited),
                    last_year_evidence=tuple(e.code for e in r.evidence if e.inherited),
                )
            )
        return tuple(items)


def confirm(doc: Document, year: int, codes: list[str] | None = None, *, all_unchanged: bool = False) -> list[str]:
    """Confirm carried-over criteria (by code, or all whose wording did not change)."""
    doc.require_writable()
    done: list[str] = []
    with doc.transaction() as s:
        p = get_period(s, year)
        if codes:
            for code in codes:
                r, _c = _find(s, p, code)
                r.needs_confirmation = False
                done.append(r.code)
        elif all_unchanged:
            for r, _c, _ref in _bulk_rows(p):
                r.needs_confirmation = False
                done.append(r.code)
    return done


def checklist(doc: Document, year: int) -> Checklist:
    """Every criterion of the period with its answer, in framework order."""
    with doc.read() as s:
        p = get_period(s, year)
        return build_checklist(s, p)


def checklist_with_summary(doc: Document, year: int) -> tuple[Checklist, Any]:
    """The checklist and the period's summary (result, readiness) read in one transaction."""
    from khoiapp.services.document import summarise_period

    with doc.read() as s:
        p = get_period(s, year)
        return build_checklist(s, p), summarise_period(s, p)


def build_checklist(s: Session, p: Period) -> Checklist:
    base, addon, base_out, addon_out = outcomes_for(s, p)
    _b, stored_addon = period_frameworks(p)
    rows: dict[tuple[int | None, str], CriterionResult] = {(r.framework_id, r.code): r for r in p.results}
    views: list[CriterionView] = []
    groups: list[GroupView] = []
    pairs: list[tuple[fwlib.Framework, int | None, scoring.FrameworkOutcome]] = [(base, p.framework_id, base_out)]
    if stored_addon is not None and p.target_model and addon_out is not None:
        pairs.append((stored_addon, p.addon_framework_id, addon_out))
    for fw, fw_id, out in pairs:
        outcome_by_code = {o.code: o for o in out.criteria}
        for g, gout in zip(fw.groups, out.groups):
            groups.append(
                GroupView(
                    framework_key=fw.key,
                    code=g.code,
                    title=g.title,
                    met=gout.met,
                    total=len(g.criteria),
                    passed=gout.passed,
                    score=gout.score,
                    max_score=gout.max_score,
                )
            )
            for c in g.criteria:
                r = rows.get((fw_id, c.code))
                o = outcome_by_code[c.code]
                views.append(
                    CriterionView(
                        framework_key=fw.key,
                        group_code=g.code,
                        group_title=g.title,
                        code=c.code,
                        title=c.title,
                        guidance=c.guidance,
                        kind=c.kind.value,
                        requirement=c.requirement,
                        mandatory=c.mandatory,
                        min_evidence=c.min_evidence,
                        max_points=c.max_points,
                        status=o.status.value,
                        status_label=o.status.label,
                        value=r.value if r else None,
                        score=o.score,
                        current_state=r.current_state if r else "",
                        strengths=r.strengths if r else "",
                        weaknesses=r.weaknesses if r else "",
                        improvement_plan=r.improvement_plan if r else "",
                        note=r.note if r else "",
                        evidence_codes=tuple(e.code for e in r.evidence) if r else (),
                        evidence_ok=o.evidence_ok,
                        needs_confirmation=bool(r and r.needs_confirmation),
                        reference=json.loads(r.reference_json) if r and r.reference_json else None,
                    )
                )
    return Checklist(year=p.year_end, criteria=tuple(views), groups=tuple(groups))
