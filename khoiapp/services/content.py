"""The unit's other records: Quy ước, code of conduct, activities, awards, committee and plan.

The simple tables share one description (:data:`TABLES`) so the CLI, the window and the export
read and edit them the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoiapp.db import Document
from khoiapp.errors import BadInputError
from khoiapp.models import (
    Activity,
    Award,
    CommitteeMember,
    ConductRule,
    Convention,
    ConventionArticle,
    ConventionChapter,
    PlanItem,
    PlanStatus,
)
from khoiapp.services.document import Changes, get_period, nfc

CONDUCT_CATEGORIES = {
    "cap-tren": "Ứng xử với cấp trên",
    "dong-nghiep": "Ứng xử với đồng nghiệp",
    "cap-duoi": "Ứng xử với cấp dưới",
    "nhan-dan": "Ứng xử với nhân dân, khách hàng",
    "noi-lam-viec": "Ứng xử tại nơi làm việc",
    "noi-cong-cong": "Ứng xử nơi công cộng",
    "gia-dinh": "Ứng xử trong gia đình và nơi cư trú",
}

ACTIVITY_KINDS = {
    "hoi-nghi-tuyen-truyen": "Hội nghị tuyên truyền, phổ biến pháp luật",
    "noi-chuyen": "Giao lưu, nói chuyện chuyên đề",
    "tin-bai": "Tin, bài đăng tải",
    "ke-hoach-lam-theo-bac": "Kế hoạch học tập và làm theo Bác",
    "viec-lam-theo": "Việc làm theo gương Bác",
    "cam-ket-dang-vien": "Cam kết tu dưỡng, rèn luyện của đảng viên",
    "van-hoa-the-thao": "Hoạt động văn hóa, thể thao",
    "khac": "Hoạt động khác",
}

AWARD_KINDS = {
    "bang-khen": "Bằng khen",
    "giay-khen": "Giấy khen",
    "danh-hieu": "Danh hiệu thi đua",
    "bieu-duong": "Biểu dương",
}

# The issuer's level, as the bloc's report groups awards; dossiers without it read as "khac".
AWARD_LEVELS = {
    "ubnd-tinh": "UBND tỉnh",
    "btv-dang-uy-khoi": "Ban Thường vụ Đảng ủy Khối",
    "cap-uy-co-so": "Cấp ủy cơ sở",
    "khac": "Cấp khác",
}

# "khac" first: a new award row defaults to it, as older dossiers read
_AWARD_LEVEL_CHOICES = (("khac", AWARD_LEVELS["khac"]), *((k, v) for k, v in AWARD_LEVELS.items() if k != "khac"))

COMMITTEE_ROLES = ("Trưởng ban", "Phó Trưởng ban", "Thành viên", "Thư ký")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # "text" | "longtext" | "int" | "date" | "bool" | "choice"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TableSpec:
    key: str
    label: str
    model: type
    per_period: bool
    fields: tuple[FieldSpec, ...]
    ordered: bool  # has a position column the user can reorder


def _choices(d: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(d.items())


TABLES: dict[str, TableSpec] = {
    "conduct": TableSpec(
        "conduct",
        "Quy tắc ứng xử",
        ConductRule,
        False,
        (
            FieldSpec("category", "Nhóm", "choice", True, _choices(CONDUCT_CATEGORIES)),
            FieldSpec("text", "Nội dung quy tắc", "longtext", True),
            FieldSpec("source", "Căn cứ", "text"),
            FieldSpec("adopted_on", "Ngày ban hành", "date"),
            FieldSpec("posted", "Đã niêm yết", "bool"),
        ),
        True,
    ),
    "activity": TableSpec(
        "activity",
        "Hoạt động",
        Activity,
        True,
        (
            FieldSpec("kind", "Loại hoạt động", "choice", True, _choices(ACTIVITY_KINDS)),
            FieldSpec("title", "Nội dung", "text", True),
            FieldSpec("held_on", "Ngày", "date"),
            FieldSpec("participants", "Số lượt người tham gia", "int"),
            FieldSpec("quantity", "Số lượng (tin bài, việc làm…)", "int"),
            FieldSpec("note", "Ghi chú", "text"),
        ),
        False,
    ),
    "award": TableSpec(
        "award",
        "Khen thưởng",
        Award,
        True,
        (
            FieldSpec("kind", "Hình thức", "choice", True, _choices(AWARD_KINDS)),
            FieldSpec("content", "Nội dung khen thưởng", "text", True),
            FieldSpec("issuer", "Cấp khen", "text"),
            FieldSpec("number", "Số quyết định", "text"),
            FieldSpec("issued_on", "Ngày quyết định", "date"),
            FieldSpec("holder", "Tập thể / cá nhân được khen", "text"),
            FieldSpec("collective", "Khen tập thể", "bool"),
            FieldSpec("issuer_level", "Cấp quyết định", "choice", False, _AWARD_LEVEL_CHOICES),
        ),
        False,
    ),
    "committee": TableSpec(
        "committee",
        "Ban chỉ đạo",
        CommitteeMember,
        True,
        (
            FieldSpec("name", "Họ và tên", "text", True),
            FieldSpec("job_title", "Chức vụ", "text"),
            FieldSpec("role", "Nhiệm vụ trong Ban", "choice", True, tuple((r, r) for r in COMMITTEE_ROLES)),
            FieldSpec("tasks", "Phân công phụ trách", "longtext"),
        ),
        True,
    ),
    "plan": TableSpec(
        "plan",
        "Kế hoạch thực hiện",
        PlanItem,
        True,
        (
            FieldSpec("content", "Nội dung trọng tâm", "longtext", True),
            FieldSpec("owner", "Người phụ trách", "text"),
            FieldSpec("deadline", "Thời hạn", "date"),
            FieldSpec("measures", "Biện pháp", "longtext"),
            FieldSpec("status", "Tình trạng", "choice", True, tuple((s.value, s.label) for s in PlanStatus)),
        ),
        True,
    ),
}

MAX_FIELD = 20_000


@dataclass(frozen=True)
class Row:
    id: int
    values: dict[str, Any]
    late: bool = False  # plan items past their deadline and not done


def _spec(key: str) -> TableSpec:
    try:
        return TABLES[key]
    except KeyError:
        raise BadInputError(f"Không có bảng «{key}».") from None


def _coerce(f: FieldSpec, raw: Any) -> Any:
    if f.kind in ("text", "longtext"):
        v = nfc("" if raw is None else str(raw))
        if len(v) > MAX_FIELD:
            raise BadInputError(f"«{f.label}» quá dài ({len(v)} ký tự, tối đa {MAX_FIELD}).")
        if f.required and not v:
            raise BadInputError(f"Chưa nhập «{f.label}». Hãy nhập nội dung.")
        return v
    if f.kind == "int":
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        try:
            n = int(str(raw).strip().replace(".", ""))
        except ValueError:
            raise BadInputError(f"«{f.label}» phải là số nguyên, không phải «{raw}».") from None
        if n < 0 or n > 10_000_000:
            raise BadInputError(f"«{f.label}» phải là số không âm hợp lý.")
        return n
    if f.kind == "date":
        if raw is None or raw == "":
            return None
        if isinstance(raw, dt.date):
            return raw
        return parse_date(str(raw), f.label)
    if f.kind == "bool":
        if isinstance(raw, str):
            return raw.strip().lower() in ("1", "true", "co", "có", "x", "yes")
        return bool(raw)
    if f.kind == "choice":
        keys = [k for k, _ in f.choices]
        v = nfc("" if raw is None else str(raw))
        if v in keys:
            return PlanStatus(v) if f.name == "status" else v
        for k, label in f.choices:
            if v.lower() == label.lower():
                return PlanStatus(k) if f.name == "status" else k
        raise BadInputError(f"«{f.label}» không hợp lệ: «{raw}». Hãy chọn một trong: {', '.join(keys)}.")
    raise AssertionError(f.kind)


def parse_date(text: str, label: str = "Ngày") -> dt.date:
    """Accept dd/mm/yyyy (as officers write) or ISO yyyy-mm-dd."""
    t = text.strip()
    try:
        if "/" in t:
            d, m, y = (int(x) for x in t.split("/"))
            return dt.date(y, m, d)
        return dt.date.fromisoformat(t)
    except ValueError:
        raise BadInputError(f"«{label}» không hợp lệ: «{text}». Hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/02/2026.") from None


def _to_view(spec: TableSpec, obj: Any, today: dt.date) -> Row:
    values: dict[str, Any] = {}
    for f in spec.fields:
        v = getattr(obj, f.name)
        if f.name == "status" and isinstance(v, PlanStatus):
            v = v.value
        values[f.name] = v
    late = False
    if spec.key == "plan":
        late = bool(obj.deadline and obj.deadline < today and obj.status != PlanStatus.DONE)
    return Row(id=obj.id, values=values, late=late)


def _query(s: Session, spec: TableSpec, year: int | None) -> Any:
    q: Any = select(spec.model)
    if spec.per_period:
        if year is None:
            raise BadInputError("Cần chọn năm đánh giá.")
        q = q.where(spec.model.period_id == get_period(s, year).id)  # type: ignore[attr-defined]
    if spec.ordered:
        q = q.order_by(spec.model.position, spec.model.id)  # type: ignore[attr-defined]
    else:
        date_col = next((f.name for f in spec.fields if f.kind == "date"), None)
        q = q.order_by(getattr(spec.model, date_col), spec.model.id) if date_col else q.order_by(spec.model.id)  # type: ignore[attr-defined]
    return q


def list_rows(doc: Document, key: str, year: int | None = None, *, today: dt.date | None = None) -> list[Row]:
    spec = _spec(key)
    today = today or dt.date.today()
    with doc.read() as s:
        return [_to_view(spec, o, today) for o in s.scalars(_query(s, spec, year)).all()]


def rows_in_session(s: Session, key: str, year: int | None, today: dt.date | None = None) -> list[Row]:
    spec = _spec(key)
    return [_to_view(spec, o, today or dt.date.today()) for o in s.scalars(_query(s, spec, year)).all()]


def add_row(doc: Document, key: str, year: int | None = None, **values: Any) -> tuple[int, Changes]:
    doc.require_writable()
    spec = _spec(key)
    clean = {}
    for f in spec.fields:
        if f.name in values:
            clean[f.name] = _coerce(f, values.pop(f.name))
        elif f.required and f.kind != "choice":
            raise BadInputError(f"Chưa nhập «{f.label}». Hãy nhập nội dung.")
        elif f.kind == "choice":
            clean[f.name] = _coerce(f, f.choices[0][0] if f.name != "role" else "Thành viên")
    if values:
        raise BadInputError(f"Không có trường «{next(iter(values))}» trong bảng {spec.label}.")
    with doc.transaction() as s:
        if spec.per_period:
            clean["period_id"] = get_period(s, year if year is not None else -1).id
        if spec.ordered:
            q = select(func.coalesce(func.max(spec.model.position), 0))  # type: ignore[attr-defined]
            if spec.per_period:
                q = q.where(spec.model.period_id == clean["period_id"])  # type: ignore[attr-defined]
            clean["position"] = int(s.scalar(q) or 0) + 1
        obj = spec.model(**clean)
        s.add(obj)
        s.flush()
        return obj.id, Changes(tables=(key,))


def update_row(doc: Document, key: str, row_id: int, **values: Any) -> Changes:
    doc.require_writable()
    spec = _spec(key)
    by_name = {f.name: f for f in spec.fields}
    with doc.transaction() as s:
        obj = s.get(spec.model, row_id)
        if obj is None:
            raise BadInputError("Dòng này không còn trong tài liệu (có thể đã bị xóa).")
        for k, v in values.items():
            if k not in by_name:
                raise BadInputError(f"Không có trường «{k}» trong bảng {spec.label}.")
            setattr(obj, k, _coerce(by_name[k], v))
        return Changes(tables=(key,))


def delete_row(doc: Document, key: str, row_id: int) -> Changes:
    doc.require_writable()
    spec = _spec(key)
    with doc.transaction() as s:
        obj = s.get(spec.model, row_id)
        if obj is not None:
            s.delete(obj)
        return Changes(tables=(key,))


def move_row(doc: Document, key: str, row_id: int, delta: int) -> Changes:
    """Move a row up (delta < 0) or down among its siblings."""
    doc.require_writable()
    spec = _spec(key)
    if not spec.ordered:
        raise BadInputError(f"Bảng {spec.label} không sắp xếp thủ công được.")
    with doc.transaction() as s:
        obj = s.get(spec.model, row_id)
        if obj is None:
            return Changes()
        q = select(spec.model).order_by(spec.model.position, spec.model.id)  # type: ignore[attr-defined]
        if spec.per_period:
            q = q.where(spec.model.period_id == obj.period_id)  # type: ignore[attr-defined]
        siblings = list(s.scalars(q).all())
        _reorder(siblings, obj, delta)
        return Changes(tables=(key,))


def _reorder(siblings: list[Any], obj: Any, delta: int) -> None:
    i = siblings.index(obj)
    j = max(0, min(len(siblings) - 1, i + delta))
    siblings.insert(j, siblings.pop(i))
    for pos, o in enumerate(siblings, start=1):
        o.position = pos


def restore_row(doc: Document, key: str, year: int | None, row_id: int, values: dict[str, Any], position: int | None) -> Changes:
    """Put back a deleted row with its old id (undo)."""
    doc.require_writable()
    spec = _spec(key)
    by_name = {f.name: f for f in spec.fields}
    with doc.transaction() as s:
        clean = {k: _coerce(by_name[k], v) for k, v in values.items()}
        if spec.per_period:
            clean["period_id"] = get_period(s, year if year is not None else -1).id
        if spec.ordered:
            clean["position"] = position or 1
        s.add(spec.model(id=row_id, **clean))
        return Changes(tables=(key,))


# ---------------------------------------------------------------- Quy ước


@dataclass(frozen=True)
class ArticleView:
    id: int
    position: int
    title: str
    body: str


@dataclass(frozen=True)
class ChapterView:
    id: int
    position: int
    title: str
    articles: tuple[ArticleView, ...]


@dataclass(frozen=True)
class ConventionView:
    id: int
    version: int
    title: str
    adopted_on: dt.date | None
    adopted_at: str
    inherited: bool
    chapters: tuple[ChapterView, ...]


def _conv_view(c: Convention) -> ConventionView:
    return ConventionView(
        id=c.id,
        version=c.version,
        title=c.title,
        adopted_on=c.adopted_on,
        adopted_at=c.adopted_at,
        inherited=c.inherited,
        chapters=tuple(
            ChapterView(
                ch.id,
                ch.position,
                ch.title,
                tuple(ArticleView(a.id, a.position, a.title, a.body) for a in ch.articles),
            )
            for ch in c.chapters
        ),
    )


def current_convention_in(s: Session) -> Convention | None:
    return s.scalar(select(Convention).order_by(Convention.version.desc()))


def current_convention(doc: Document) -> ConventionView | None:
    with doc.read() as s:
        c = current_convention_in(s)
        return _conv_view(c) if c else None


def convention_versions(doc: Document) -> list[ConventionView]:
    with doc.read() as s:
        return [_conv_view(c) for c in s.scalars(select(Convention).order_by(Convention.version)).all()]


def new_convention_version(
    doc: Document, *, title: str, adopted_on: dt.date | None = None, adopted_at: str = "", copy_current: bool = True
) -> tuple[int, Changes]:
    """Start a new version of the Quy ước (by default a copy of the current one to revise)."""
    doc.require_writable()
    t = nfc(title)
    if not t:
        raise BadInputError("Chưa nhập tên Quy ước. Hãy nhập tên, ví dụ «Quy ước xây dựng cơ quan văn hóa».")
    with doc.transaction() as s:
        cur = current_convention_in(s)
        c = Convention(
            version=(cur.version + 1) if cur else 1, title=t, adopted_on=adopted_on, adopted_at=nfc(adopted_at)
        )
        if cur and copy_current:
            for ch in cur.chapters:
                nch = ConventionChapter(position=ch.position, title=ch.title)
                nch.articles = [ConventionArticle(position=a.position, title=a.title, body=a.body) for a in ch.articles]
                c.chapters.append(nch)
        s.add(c)
        s.flush()
        return c.id, Changes(convention=True)


def update_convention(doc: Document, convention_id: int, **values: Any) -> Changes:
    doc.require_writable()
    with doc.transaction() as s:
        c = s.get(Convention, convention_id)
        if c is None:
            raise BadInputError("Quy ước này không còn trong tài liệu.")
        for k, v in values.items():
            if k == "title":
                if not nfc(v):
                    raise BadInputError("Tên Quy ước không được để trống.")
                c.title = nfc(v)
            elif k == "adopted_at":
                c.adopted_at = nfc(v)
            elif k == "adopted_on":
                c.adopted_on = v if isinstance(v, dt.date) or v is None else parse_date(str(v), "Ngày thông qua")
            else:
                raise BadInputError(f"Không có trường «{k}» của Quy ước.")
        return Changes(convention=True)


def add_chapter(doc: Document, convention_id: int, title: str) -> tuple[int, Changes]:
    doc.require_writable()
    t = nfc(title)
    if not t:
        raise BadInputError("Chưa nhập tên chương.")
    with doc.transaction() as s:
        c = s.get(Convention, convention_id)
        if c is None:
            raise BadInputError("Quy ước này không còn trong tài liệu.")
        ch = ConventionChapter(position=len(c.chapters) + 1, title=t)
        c.chapters.append(ch)
        s.flush()
        return ch.id, Changes(convention=True)


def add_article(doc: Document, chapter_id: int, title: str, body: str = "") -> tuple[int, Changes]:
    doc.require_writable()
    t = nfc(title)
    if not t:
        raise BadInputError("Chưa nhập tên điều.")
    with doc.transaction() as s:
        ch = s.get(ConventionChapter, chapter_id)
        if ch is None:
            raise BadInputError("Chương này không còn trong Quy ước.")
        a = ConventionArticle(position=len(ch.articles) + 1, title=t, body=_long(body))
        ch.articles.append(a)
        s.flush()
        return a.id, Changes(convention=True)


def _long(v: Any) -> str:
    t = nfc(v)
    if len(t) > MAX_FIELD:
        raise BadInputError(f"Nội dung quá dài ({len(t)} ký tự, tối đa {MAX_FIELD}).")
    return t


def update_chapter(doc: Document, chapter_id: int, title: str) -> Changes:
    doc.require_writable()
    with doc.transaction() as s:
        ch = s.get(ConventionChapter, chapter_id)
        if ch is None:
            raise BadInputError("Chương này không còn trong Quy ước.")
        if not nfc(title):
            raise BadInputError("Tên chương không được để trống.")
        ch.title = nfc(title)
        return Changes(convention=True)


def update_article(doc: Document, article_id: int, *, title: str | None = None, body: str | None = None) -> Changes:
    doc.require_writable()
    with doc.transaction() as s:
        a = s.get(ConventionArticle, article_id)
        if a is None:
            raise BadInputError("Điều này không còn trong Quy ước.")
        if title is not None:
            if not nfc(title):
                raise BadInputError("Tên điều không được để trống.")
            a.title = nfc(title)
        if body is not None:
            a.body = _long(body)
        return Changes(convention=True)


def delete_chapter(doc: Document, chapter_id: int) -> Changes:
    doc.require_writable()
    with doc.transaction() as s:
        ch = s.get(ConventionChapter, chapter_id)
        if ch is not None:
            conv = ch.convention
            conv.chapters.remove(ch)
            for i, o in enumerate(conv.chapters, start=1):
                o.position = i
        return Changes(convention=True)


def delete_article(doc: Document, article_id: int) -> Changes:
    doc.require_writable()
    with doc.transaction() as s:
        a = s.get(ConventionArticle, article_id)
        if a is not None:
            ch = a.chapter
            ch.articles.remove(a)
            for i, o in enumerate(ch.articles, start=1):
                o.position = i
        return Changes(convention=True)


def move_chapter(doc: Document, chapter_id: int, delta: int) -> Changes:
    doc.require_writable()
    with doc.transaction() as s:
        ch = s.get(ConventionChapter, chapter_id)
        if ch is not None:
            _reorder(list(ch.convention.chapters), ch, delta)
        return Changes(convention=True)


def move_article(doc: Document, article_id: int, delta: int) -> Changes:
    doc.require_writable()
    with doc.transaction() as s:
        a = s.get(ConventionArticle, article_id)
        if a is not None:
            _reorder(list(a.chapter.articles), a, delta)
        return Changes(convention=True)


def activity_totals(rows: list[Row]) -> dict[str, dict[str, int]]:
    """Per activity kind: number of activities, participants and quantity (for the report)."""
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        t = out.setdefault(r.values["kind"], {"count": 0, "participants": 0, "quantity": 0})
        t["count"] += 1
        t["participants"] += r.values.get("participants") or 0
        t["quantity"] += r.values.get("quantity") or 0
    return out
