"""Creating documents, the unit profile, periods, and the document summary (``info``)."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoiapp import frameworks as fwlib
from khoiapp import scoring
from khoiapp.db import Document, create_document, open_document
from khoiapp.db import save_as as _save_as
from khoiapp.errors import BadInputError, PeriodNotFoundError, UnknownFrameworkError
from khoiapp.models import (
    CriterionResult,
    DocMeta,
    Evidence,
    EvidenceLink,
    Framework,
    Period,
    PeriodStatus,
    ResultStatusCol,
    Unit,
    UnitType,
)

UNIT_TYPE_ALIASES = {
    "co-quan": UnitType.CO_QUAN,
    "coquan": UnitType.CO_QUAN,
    "cơ quan": UnitType.CO_QUAN,
    "don-vi": UnitType.DON_VI,
    "donvi": UnitType.DON_VI,
    "đơn vị": UnitType.DON_VI,
    "doanh-nghiep": UnitType.DOANH_NGHIEP,
    "doanhnghiep": UnitType.DOANH_NGHIEP,
    "doanh nghiệp": UnitType.DOANH_NGHIEP,
}

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Changes:
    """What a mutating call changed, so views refresh only what they show.

    ``period_ids``: the period record itself (its fields, the list of periods, the frameworks it
    uses). ``criterion_codes``: the answers, text or evidence links of these criteria (their rows,
    their groups and the period's result). An empty ``Changes()`` means "anything may have changed".
    """

    unit: bool = False
    period_ids: tuple[int, ...] = ()
    criterion_codes: tuple[str, ...] = ()
    evidence_ids: tuple[int, ...] = ()
    tables: tuple[str, ...] = ()
    convention: bool = False


@dataclass(frozen=True)
class UnitView:
    name: str
    short_name: str
    unit_type: str
    unit_type_label: str
    parent_org: str
    superior_union: str
    union_name: str
    address: str
    place_name: str
    head_name: str
    head_title: str
    party_secretary: str
    union_chair: str
    staff_count: int | None
    party_member_count: int | None
    phone: str
    email: str


UNIT_FIELDS: dict[str, tuple[str, type]] = {
    "name": ("Tên cơ quan, đơn vị", str),
    "short_name": ("Tên viết tắt", str),
    "unit_type": ("Loại hình", str),
    "parent_org": ("Cơ quan chủ quản / Đảng bộ cấp trên", str),
    "superior_union": ("Công đoàn cấp trên", str),
    "union_name": ("Tên công đoàn cơ sở", str),
    "address": ("Địa chỉ", str),
    "place_name": ("Địa danh ghi trên văn bản", str),
    "head_name": ("Thủ trưởng", str),
    "head_title": ("Chức vụ thủ trưởng", str),
    "party_secretary": ("Bí thư chi bộ / đảng ủy", str),
    "union_chair": ("Chủ tịch công đoàn", str),
    "staff_count": ("Số cán bộ, người lao động", int),
    "party_member_count": ("Số đảng viên", int),
    "phone": ("Điện thoại", str),
    "email": ("Thư điện tử", str),
}


@dataclass(frozen=True)
class PeriodView:
    id: int
    year_start: int
    year_end: int
    label: str
    framework_key: str
    framework_version: str
    framework_title: str
    framework_hash: str
    addon_key: str | None
    addon_version: str | None
    target_cultural: bool
    target_model: bool
    registered_on: dt.date | None
    status: str
    report_number: int
    report_symbol: str
    situation: str
    proposals: str
    recipients: str
    source_dossier_sha256: str | None
    source_unverified: bool
    registration_number: str = ""
    convention_number: str = ""
    conduct_number: str = ""


@dataclass(frozen=True)
class PeriodSummary:
    period: PeriodView
    result: str
    result_label: str
    base_passed: bool | None
    addon_passed: bool | None
    total_points: float
    max_points: float
    readiness: scoring.Readiness
    counts: dict[str, int]
    evidence_count: int
    preflight: tuple[scoring.PreflightItem, ...]
    # to look at, not blocking an official export: confirmed answers resting on last year's files only
    warnings: tuple[scoring.PreflightItem, ...] = ()


@dataclass(frozen=True)
class DocumentInfo:
    path: str
    document_id: str
    unit: UnitView | None
    periods: tuple[PeriodSummary, ...] = field(default_factory=tuple)


def nfc(text: str | None) -> str:
    """Normalise user text to NFC and strip it (input methods send both forms)."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text)).strip()


def parse_unit_type(text: str) -> UnitType:
    key = nfc(text).lower()
    if key in UNIT_TYPE_ALIASES:
        return UNIT_TYPE_ALIASES[key]
    raise BadInputError(
        f"Loại hình «{text}» không hợp lệ. Hãy dùng một trong: co-quan (cơ quan), "
        "don-vi (đơn vị), doanh-nghiep (doanh nghiệp)."
    )


def check_year(year: int) -> int:
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise BadInputError(f"Năm {year} không hợp lệ. Hãy nhập năm có bốn chữ số, ví dụ 2026.")
    return int(year)


# ---------------------------------------------------------------- frameworks in a document


@functools.lru_cache(maxsize=32)
def _parse_cached(content_hash: str, source_text: str, source: str) -> fwlib.Framework:
    return fwlib.parse_framework(source_text, source)


def framework_of(row: Framework) -> fwlib.Framework:
    """The parsed framework stored in the document (cached by content hash)."""
    return _parse_cached(row.content_hash, row.source_text, f"{row.key} {row.version}")


def store_framework(s: Session, fw: fwlib.Framework) -> Framework:
    """Copy a framework into the document unless the same key+version is there already."""
    row = s.scalar(select(Framework).where(Framework.key == fw.key, Framework.version == fw.version))
    if row is not None:
        if row.content_hash != fw.content_hash:
            raise BadInputError(
                f"Tài liệu đã có bộ tiêu chí «{fw.key}» phiên bản {fw.version} với nội dung khác. "
                "Hãy tăng số phiên bản trong tệp bộ tiêu chí rồi nhập lại."
            )
        return row
    row = Framework(
        key=fw.key,
        version=fw.version,
        title=fw.title,
        content_hash=fw.content_hash,
        source_text=fw.source_text,
        imported_at=dt.datetime.now().replace(microsecond=0),
    )
    s.add(row)
    s.flush()
    return row


def latest_stored_framework(s: Session, key: str) -> Framework | None:
    rows = s.scalars(select(Framework).where(Framework.key == key)).all()
    if not rows:
        return None
    return max(rows, key=lambda r: _version_key(r.version))


def _version_key(version: str) -> tuple[Any, ...]:
    parts: list[Any] = []
    for p in version.replace("-", ".").split("."):
        parts.append((0, int(p)) if p.isdigit() else (1, p))
    return tuple(parts)


def resolve_framework(s: Session, key: str) -> fwlib.Framework:
    """A framework by key: the newest of the bundled one and any imported into the document."""
    stored = latest_stored_framework(s, key)
    bundled: fwlib.Framework | None
    try:
        bundled = fwlib.bundled_framework(key)
    except UnknownFrameworkError:
        bundled = None
    if stored is None and bundled is None:
        known = sorted({f.key for f in fwlib.bundled_frameworks()} | set(s.scalars(select(Framework.key)).all()))
        raise UnknownFrameworkError(key, known)
    if stored is None:
        assert bundled is not None
        return bundled
    if bundled is None or _version_key(stored.version) >= _version_key(bundled.version):
        return framework_of(stored)
    return bundled


def import_framework_file(doc: Document, path: str | Path) -> fwlib.Framework:
    """Validate a framework TOML file and store it in the document."""
    doc.require_writable()
    fw = fwlib.load_framework_file(path)
    with doc.transaction() as s:
        store_framework(s, fw)
    return fw


# ---------------------------------------------------------------- create / open


def save_document_as(doc: Document, dest: str | Path) -> Path:
    """«Lưu thành…»: write the open document to ``dest`` and go on working there (see :func:`khoiapp.db.save_as`)."""
    return _save_as(doc, dest)


def new_document(
    path: str | Path,
    *,
    unit_name: str,
    unit_type: str,
    year: int,
    year_start: int | None = None,
    framework_key: str | None = None,
    target_model: bool = False,
    place_name: str = "",
) -> Document:
    """Create a document with its unit and a first period; returns it open."""
    name = nfc(unit_name)
    if not name:
        raise BadInputError("Chưa có tên cơ quan, đơn vị. Hãy nhập tên (ví dụ «Sở Tư pháp tỉnh Thanh Hóa»).")
    utype = parse_unit_type(unit_type)
    year = check_year(year)
    # Validate the framework before touching the disk.
    key = framework_key or fwlib.default_framework_key(utype.value)
    fw = fwlib.bundled_framework(key)
    _check_applies(fw, utype)
    doc = create_document(path)
    try:
        with doc.transaction() as s:
            s.add(Unit(name=name, unit_type=utype, place_name=nfc(place_name), updated_at=_now()))
            s.flush()
            _create_period(s, year=year, year_start=year_start, fw=fw, target_model=target_model, unit_type=utype)
    except BaseException:
        doc.close()
        Path(path).unlink(missing_ok=True)
        raise
    return doc


def _check_applies(fw: fwlib.Framework, utype: UnitType) -> None:
    if fw.applies_to and utype.value not in fw.applies_to:
        raise BadInputError(
            f"Bộ tiêu chí «{fw.key}» không áp dụng cho loại hình {utype.label.lower()}. "
            f"Hãy chọn bộ tiêu chí «{fwlib.default_framework_key(utype.value)}»."
        )
    if fw.role != "base":
        raise BadInputError(
            f"«{fw.key}» là bộ tiêu chí bổ sung (kiểu mẫu), không dùng làm bộ tiêu chí chính. "
            "Hãy chọn bộ tiêu chí chính và bật mục tiêu «kiểu mẫu»."
        )


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _create_period(
    s: Session,
    *,
    year: int,
    year_start: int | None,
    fw: fwlib.Framework,
    target_model: bool,
    unit_type: UnitType,
    addon: fwlib.Framework | None = None,
) -> Period:
    if year_start is not None:
        year_start = check_year(year_start)
        if year_start > year or year - year_start > 5:
            raise BadInputError(
                f"Khoảng năm {year_start}–{year} không hợp lệ. Năm bắt đầu phải trước năm kết thúc "
                "và cách nhau không quá 5 năm."
            )
    if s.scalar(select(Period).where(Period.year_end == year)) is not None:
        raise BadInputError(f"Tài liệu đã có kỳ đánh giá năm {year}. Hãy chọn năm khác.")
    fw_row = store_framework(s, fw)
    addon_row = None
    if target_model:
        if addon is None:
            keys = fwlib.addon_keys()
            if not keys:
                raise BadInputError("Chưa có bộ tiêu chí kiểu mẫu. Hãy nhập tệp bộ tiêu chí kiểu mẫu trước.")
            addon = resolve_framework(s, keys[0])
        addon_row = store_framework(s, addon)
    period = Period(
        year_start=year_start or year,
        year_end=year,
        framework_id=fw_row.id,
        addon_framework_id=addon_row.id if addon_row else None,
        target_cultural=True,
        target_model=target_model,
        status=PeriodStatus.DRAFT,
        report_number=1,
        report_symbol="BC-CĐ",
        recipients="Công đoàn cấp trên;\nThủ trưởng cơ quan;\nLưu: VT.",
        created_at=_now(),
    )
    s.add(period)
    s.flush()
    for frow, f in ((fw_row, fw), (addon_row, addon)):
        if frow is None or f is None:
            continue
        for c in f.criteria():
            s.add(CriterionResult(period_id=period.id, framework_id=frow.id, code=c.code))
    s.flush()
    return period


def add_period(
    doc: Document,
    *,
    year: int,
    year_start: int | None = None,
    framework_key: str | None = None,
    target_model: bool = False,
) -> Changes:
    doc.require_writable()
    year = check_year(year)
    with doc.transaction() as s:
        unit = _unit(s)
        key = framework_key or fwlib.default_framework_key(unit.unit_type.value)
        fw = resolve_framework(s, key)
        _check_applies(fw, unit.unit_type)
        p = _create_period(s, year=year, year_start=year_start, fw=fw, target_model=target_model, unit_type=unit.unit_type)
        return Changes(period_ids=(p.id,))


def set_target_model(doc: Document, year: int, on: bool) -> Changes:
    """Turn the 'kiểu mẫu' target on or off for a period (adds the add-on criteria)."""
    doc.require_writable()
    with doc.transaction() as s:
        p = get_period(s, year)
        if on and p.addon_framework_id is None:
            keys = fwlib.addon_keys()
            if not keys:
                raise BadInputError("Chưa có bộ tiêu chí kiểu mẫu.")
            addon = resolve_framework(s, keys[0])
            row = store_framework(s, addon)
            p.addon_framework_id = row.id
            for c in addon.criteria():
                s.add(CriterionResult(period_id=p.id, framework_id=row.id, code=c.code))
        p.target_model = on
        return Changes(period_ids=(p.id,))


def _unit(s: Session) -> Unit:
    unit = s.scalar(select(Unit).order_by(Unit.id))
    if unit is None:
        raise BadInputError("Tài liệu chưa có thông tin đơn vị. Hãy nhập tên và loại hình đơn vị trước.")
    return unit


def get_period(s: Session, year: int) -> Period:
    p = s.scalar(select(Period).where(Period.year_end == year))
    if p is None:
        p = s.scalar(select(Period).where(Period.year_start <= year, Period.year_end >= year))
    if p is None:
        labels = [q.label for q in s.scalars(select(Period).order_by(Period.year_end)).all()]
        raise PeriodNotFoundError(year, labels)
    return p


def latest_year(doc: Document) -> int | None:
    with doc.read() as s:
        return s.scalar(select(func.max(Period.year_end)))


def period_frameworks(p: Period) -> tuple[fwlib.Framework, fwlib.Framework | None]:
    base = framework_of(p.framework)
    addon = framework_of(p.addon_framework) if p.addon_framework is not None else None
    return base, addon


# ---------------------------------------------------------------- unit profile


def unit_view(u: Unit) -> UnitView:
    return UnitView(
        name=u.name,
        short_name=u.short_name,
        unit_type=u.unit_type.value,
        unit_type_label=u.unit_type.label,
        parent_org=u.parent_org,
        superior_union=u.superior_union,
        union_name=u.union_name,
        address=u.address,
        place_name=u.place_name,
        head_name=u.head_name,
        head_title=u.head_title,
        party_secretary=u.party_secretary,
        union_chair=u.union_chair,
        staff_count=u.staff_count,
        party_member_count=u.party_member_count,
        phone=u.phone,
        email=u.email,
    )


def get_unit(doc: Document) -> UnitView | None:
    with doc.read() as s:
        u = s.scalar(select(Unit).order_by(Unit.id))
        return unit_view(u) if u else None


def update_unit(doc: Document, **values: Any) -> Changes:
    """Change fields of the unit profile (names as in :data:`UNIT_FIELDS`)."""
    doc.require_writable()
    clean: dict[str, Any] = {}
    for key, raw in values.items():
        if key not in UNIT_FIELDS:
            raise BadInputError(f"Không có trường «{key}» trong thông tin đơn vị.")
        label, typ = UNIT_FIELDS[key]
        if key == "unit_type":
            clean[key] = parse_unit_type(str(raw))
        elif typ is int:
            clean[key] = _parse_count(raw, label)
        else:
            clean[key] = _capped(raw, label, _column_length(Unit, key))
    if "name" in clean and not clean["name"]:
        raise BadInputError("Tên cơ quan, đơn vị không được để trống.")
    with doc.transaction() as s:
        u = _unit(s)
        for k, v in clean.items():
            setattr(u, k, v)
        u.updated_at = _now()
    return Changes(unit=True)


def _parse_count(raw: Any, label: str) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        n = int(str(raw).strip().replace(".", ""))
    except ValueError:
        raise BadInputError(f"«{label}» phải là số nguyên không âm (ví dụ 45), không phải «{raw}».") from None
    if n < 0 or n > 10_000_000:
        raise BadInputError(f"«{label}» phải là số nguyên không âm hợp lý, không phải {n}.")
    return n


NUMBER_FIELDS = ("registration_number", "convention_number", "conduct_number")
"""The «Số:» of the registration, the Quy ước and the code of conduct, as the clerk
writes it ("01/ĐK-CĐ"; a plain number gets the document's usual symbol); "" prints a dotted blank."""
PERIOD_TEXT_FIELDS = ("situation", "proposals", "recipients", "report_symbol", *NUMBER_FIELDS)
PERIOD_LABELS = {
    "situation": "Đặc điểm tình hình",
    "proposals": "Đề xuất, kiến nghị",
    "recipients": "Nơi nhận",
    "report_symbol": "Ký hiệu văn bản",
    "registration_number": "Số bản đăng ký",
    "convention_number": "Số Quy ước",
    "conduct_number": "Số Bộ quy tắc ứng xử",
}
MAX_LONG_TEXT = 20_000


def _column_length(model: type, name: str) -> int | None:
    """The declared length of a String column (None for Text columns)."""
    col = model.__table__.columns[name]  # type: ignore[attr-defined]
    return getattr(col.type, "length", None)


def _capped(raw: Any, label: str, limit: int | None) -> str:
    text = nfc(raw)
    limit = limit or MAX_LONG_TEXT
    if len(text) > limit:
        raise BadInputError(f"«{label}» quá dài ({len(text)} ký tự, tối đa {limit}). Hãy rút gọn.")
    return text


def update_period(doc: Document, year: int, **values: Any) -> Changes:
    """Change the period's report fields, number, registration date or status."""
    doc.require_writable()
    with doc.transaction() as s:
        p = get_period(s, year)
        for k, v in values.items():
            if k in PERIOD_TEXT_FIELDS:
                limit = _column_length(Period, k) or MAX_LONG_TEXT
                text = _capped(v, PERIOD_LABELS[k], limit) if k != "recipients" else "\n".join(
                    nfc(x) for x in _capped(v, PERIOD_LABELS[k], limit).splitlines()
                )
                if k in NUMBER_FIELDS:
                    text = " ".join(text.split())
                    if "\n" in nfc(v) or any(ch in text for ch in "<>\\"):
                        raise BadInputError(
                            f"«{PERIOD_LABELS[k]}» chỉ gồm số và ký hiệu trên một dòng, ví dụ 01/ĐK-CĐ."
                        )
                setattr(p, k, text)
            elif k == "report_number":
                n = _parse_count(v, "Số văn bản")
                if not n:
                    raise BadInputError("Số văn bản phải từ 1 trở lên (số đánh lại từ 01 mỗi năm).")
                p.report_number = n
            elif k == "registered_on":
                p.registered_on = v
            elif k == "status":
                p.status = PeriodStatus(v)
            else:
                raise BadInputError(f"Không có trường «{k}» trong kỳ đánh giá.")
        return Changes(period_ids=(p.id,))


def period_view(p: Period) -> PeriodView:
    return PeriodView(
        id=p.id,
        year_start=p.year_start,
        year_end=p.year_end,
        label=p.label,
        framework_key=p.framework.key,
        framework_version=p.framework.version,
        framework_title=p.framework.title,
        framework_hash=p.framework.content_hash,
        addon_key=p.addon_framework.key if p.addon_framework else None,
        addon_version=p.addon_framework.version if p.addon_framework else None,
        target_cultural=p.target_cultural,
        target_model=p.target_model,
        registered_on=p.registered_on,
        status=p.status.value,
        report_number=p.report_number,
        report_symbol=p.report_symbol,
        situation=p.situation,
        proposals=p.proposals,
        recipients=p.recipients,
        source_dossier_sha256=p.source_dossier_sha256,
        source_unverified=p.source_unverified,
        registration_number=p.registration_number,
        convention_number=p.convention_number,
        conduct_number=p.conduct_number,
    )


def list_periods(doc: Document) -> list[PeriodView]:
    with doc.read() as s:
        return [period_view(p) for p in s.scalars(select(Period).order_by(Period.year_end)).all()]


# ---------------------------------------------------------------- summary


def evidence_counts(s: Session, period_id: int) -> dict[int, int]:
    """Linked evidence per criterion result id."""
    rows = s.execute(
        select(EvidenceLink.result_id, func.count())
        .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
        .where(Evidence.period_id == period_id)
        .group_by(EvidenceLink.result_id)
    ).all()
    return {rid: n for rid, n in rows}


def outcomes_for(
    s: Session, p: Period
) -> tuple[fwlib.Framework, fwlib.Framework | None, scoring.FrameworkOutcome, scoring.FrameworkOutcome | None]:
    base, addon = period_frameworks(p)
    counts = evidence_counts(s, p.id)
    by_fw: dict[int, dict[str, scoring.CriterionInput]] = {}
    for r in p.results:
        by_fw.setdefault(r.framework_id, {})[r.code] = scoring.CriterionInput(
            status=scoring.ResultStatus(r.status.value),
            value=r.value,
            evidence_count=counts.get(r.id, 0),
            needs_confirmation=r.needs_confirmation,
        )
    base_out = scoring.evaluate_framework(base, by_fw.get(p.framework_id, {}))
    addon_out = None
    if addon is not None and p.addon_framework_id is not None and p.target_model:
        addon_out = scoring.evaluate_framework(addon, by_fw.get(p.addon_framework_id, {}))
    return base, addon if p.target_model else None, base_out, addon_out


def profile_preflight(u: Unit | None) -> list[scoring.PreflightItem]:
    items: list[scoring.PreflightItem] = []
    if u is None or not u.name:
        items.append(scoring.PreflightItem("profile", "name", "Chưa có tên cơ quan, đơn vị."))
    if u is None or not u.head_name:
        items.append(scoring.PreflightItem("profile", "head_name", "Chưa có họ tên thủ trưởng (người xác nhận báo cáo)."))
    if u is None or not u.union_chair:
        items.append(scoring.PreflightItem("profile", "union_chair", "Chưa có họ tên chủ tịch công đoàn (người ký báo cáo)."))
    return items


def summarise_period(s: Session, p: Period) -> PeriodSummary:
    base, addon, base_out, addon_out = outcomes_for(s, p)
    result = scoring.overall_result(base_out, addon_out)
    outs = [base_out] + ([addon_out] if addon_out else [])
    fws = [base] + ([addon] if addon else [])
    counts: dict[str, int] = {st.value: 0 for st in scoring.ResultStatus}
    to_confirm = 0
    for o in outs:
        for c in o.criteria:
            counts[c.status.value] += 1
            to_confirm += int(c.needs_confirmation)
    counts["can-xac-nhan"] = to_confirm
    ev_count = s.scalar(select(func.count()).select_from(Evidence).where(Evidence.period_id == p.id)) or 0
    ev_by_result = evidence_counts(s, p.id)
    ev_by_code = {r.code: ev_by_result.get(r.id, 0) for r in p.results}
    pre = profile_preflight(s.scalar(select(Unit).order_by(Unit.id)))
    pre += scoring.preflight_criteria(fws, outs, ev_by_code)
    warnings = tuple(
        scoring.PreflightItem(
            "old-evidence",
            r.code,
            f"Tiêu chí {r.code} đã xác nhận nhưng chỉ có minh chứng của năm trước "
            f"({', '.join(e.code for e in r.evidence)}). Hãy đính kèm minh chứng của năm {p.label} "
            "hoặc kiểm tra lại minh chứng cũ còn giá trị.",
        )
        for r in p.results
        if r.reference_json
        and not r.needs_confirmation
        and (r.framework_id == p.framework_id or p.target_model)
        and r.evidence
        and all(e.inherited for e in r.evidence)
    )
    return PeriodSummary(
        period=period_view(p),
        result=result.value,
        result_label=result.label,
        base_passed=base_out.passed,
        addon_passed=addon_out.passed if addon_out else None,
        total_points=sum(o.total_points for o in outs),
        max_points=sum(o.max_points for o in outs),
        readiness=scoring.readiness(outs),
        counts=counts,
        evidence_count=int(ev_count),
        preflight=tuple(pre),
        warnings=warnings,
    )


def period_summary(doc: Document, year: int) -> PeriodSummary:
    with doc.read() as s:
        return summarise_period(s, get_period(s, year))


def document_info(doc: Document) -> DocumentInfo:
    with doc.read() as s:
        meta = {m.key: m.value for m in s.scalars(select(DocMeta)).all()}
        u = s.scalar(select(Unit).order_by(Unit.id))
        periods = s.scalars(select(Period).order_by(Period.year_end)).all()
        return DocumentInfo(
            path=str(doc.path),
            document_id=meta.get("document_id", ""),
            unit=unit_view(u) if u else None,
            periods=tuple(summarise_period(s, p) for p in periods),
        )


def open_existing(path: str | Path, *, read_only: bool = False) -> Document:
    return open_document(path, read_only=read_only)


def result_status_col(st: scoring.ResultStatus) -> ResultStatusCol:
    return ResultStatusCol(st.value)


def iter_codes(fws: Iterable[fwlib.Framework | None]) -> list[str]:
    return [c.code for f in fws if f is not None for c in f.criteria()]
