"""What changed between two years: per criterion, in the Quy ước and in the code of conduct.

Two sources can be compared: two dossier payloads (``diff OLD.pdf NEW.pdf``), or a period of a
document with the references it was imported with (``diff FILE.khoi --year YYYY``: last year's
answers kept on each criterion, and the Quy ước and code of conduct of the imported dossier).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from khoiapp import scoring
from khoiapp.db import Document
from khoiapp.services.document import get_period, nfc

NARRATIVE = ("current_state", "strengths", "weaknesses", "improvement_plan")
NARRATIVE_LABELS = {
    "current_state": "mô tả hiện trạng",
    "strengths": "điểm mạnh",
    "weaknesses": "điểm yếu",
    "improvement_plan": "kế hoạch cải tiến",
}

__all__ = [
    "CriterionDiff",
    "DossierDiff",
    "TextChange",
    "diff_dossiers",
    "diff_for_export",
    "diff_payloads",
    "diff_period",
    "load_payload",
    "snapshot_from_payload",
]


@dataclass(frozen=True)
class CriterionDiff:
    """One criterion whose answer differs. ``change``: ``changed`` | ``added`` | ``removed``."""

    code: str
    title: str
    change: str
    old_status: str | None
    new_status: str | None
    old_status_label: str | None
    new_status_label: str | None
    old_value: float | None
    new_value: float | None
    evidence_added: tuple[str, ...]
    evidence_removed: tuple[str, ...]
    narrative_changed: tuple[str, ...]
    title_changed: bool
    old_title: str | None


@dataclass(frozen=True)
class TextChange:
    """A change in the Quy ước or the code of conduct. ``change``: ``added`` | ``removed`` | ``changed``."""

    where: str
    change: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class DossierDiff:
    old_year: int | None
    new_year: int | None
    criteria: tuple[CriterionDiff, ...]
    unchanged: int
    convention: tuple[TextChange, ...]
    convention_compared: bool
    conduct: tuple[TextChange, ...]
    conduct_compared: bool

    @property
    def empty(self) -> bool:
        return not (self.criteria or self.convention or self.conduct)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for k, v in list(out.items()):
            if isinstance(v, tuple):
                out[k] = [asdict(x) if hasattr(x, "__dataclass_fields__") else x for x in v]
        for c in out["criteria"]:
            for k in ("evidence_added", "evidence_removed", "narrative_changed"):
                c[k] = list(c[k])
        out["empty"] = self.empty
        return out

    def lines(self) -> list[str]:
        """The differences as plain Vietnamese lines (for the CLI and the wizard)."""
        old = str(self.old_year) if self.old_year else "trước"
        new = str(self.new_year) if self.new_year else "sau"
        out: list[str] = []
        if self.criteria:
            out.append(f"Tiêu chí thay đổi so với năm {old} ({len(self.criteria)}; không đổi: {self.unchanged}):")
            for c in self.criteria:
                out.append("  - " + _criterion_line(c, old, new))
        else:
            out.append(f"Kết quả các tiêu chí không thay đổi so với năm {old} ({self.unchanged} tiêu chí).")
        if self.convention_compared:
            if self.convention:
                out.append("Quy ước thay đổi:")
                out += ["  - " + _text_line(t) for t in self.convention]
            else:
                out.append("Quy ước không thay đổi.")
        if self.conduct_compared:
            if self.conduct:
                out.append("Bộ quy tắc ứng xử thay đổi:")
                out += ["  - " + _text_line(t) for t in self.conduct]
            else:
                out.append("Bộ quy tắc ứng xử không thay đổi.")
        return out


def _fmt_value(v: float | None) -> str:
    if v is None:
        return "—"
    from khoiapp.frameworks import format_number

    return format_number(float(v))


def _criterion_line(c: CriterionDiff, old: str, new: str) -> str:
    if c.change == "added":
        return f"{c.code} «{c.title}»: tiêu chí mới (năm {new}: {c.new_status_label})."
    if c.change == "removed":
        return f"{c.code} «{c.title}»: không còn trong năm {new} (năm {old}: {c.old_status_label})."
    parts = []
    if c.old_status != c.new_status:
        parts.append(f"kết quả {c.old_status_label} → {c.new_status_label}")
    if c.old_value != c.new_value:
        parts.append(f"số liệu {_fmt_value(c.old_value)} → {_fmt_value(c.new_value)}")
    if c.evidence_added:
        parts.append("thêm minh chứng " + ", ".join(c.evidence_added))
    if c.evidence_removed:
        parts.append("bỏ minh chứng " + ", ".join(c.evidence_removed))
    if c.narrative_changed:
        parts.append("sửa " + ", ".join(NARRATIVE_LABELS[k] for k in c.narrative_changed))
    if c.title_changed:
        parts.append(f"nội dung tiêu chí đổi (trước: «{c.old_title}»)")
    return f"{c.code} «{c.title}»: " + "; ".join(parts) + "."


def _text_line(t: TextChange) -> str:
    word = {"added": "thêm", "removed": "bỏ", "changed": "sửa"}[t.change]
    return f"{word} {t.where}"


# --------------------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class _Answer:
    code: str
    title: str
    status: str
    value: float | None
    evidence: frozenset[str]
    narrative: tuple[str, ...]


@dataclass(frozen=True)
class _Snapshot:
    year: int | None
    answers: dict[str, _Answer]
    convention: dict[str, Any] | None
    conduct: list[dict[str, Any]] | None  # None: not known (nothing to compare)
    convention_known: bool


def _key(answers: dict[str, _Answer], framework: str, code: str) -> str:
    return code if code not in answers else f"{framework}:{code}"


def _num(v: Any) -> float | None:
    return None if v is None or isinstance(v, bool) else float(v)


def snapshot_from_payload(payload: dict[str, Any]) -> _Snapshot:
    """The comparable parts of a (validated) payload."""
    answers: dict[str, _Answer] = {}
    for r in payload["results"]:
        k = _key(answers, r["framework"], r["code"])
        answers[k] = _Answer(
            code=r["code"],
            title=nfc(r["title"]),
            status=r["status"],
            value=_num(r["value"]),
            evidence=frozenset(r["evidence"]),
            narrative=tuple(nfc(r[n]) for n in NARRATIVE),
        )
    return _Snapshot(
        year=payload["period"]["year_end"],
        answers=answers,
        convention=payload["convention"],
        conduct=payload["conduct"],
        convention_known=True,
    )


def _snapshot_references(
    doc: Document, year: int, current_payload: dict[str, Any]
) -> tuple[_Snapshot, _Snapshot] | None:
    """(references, current) of a period, or None if it has no references."""
    with doc.read() as s:
        p = get_period(s, year)
        refs = {(r.framework_id, r.code): r.reference_json for r in p.results if r.reference_json}
        if not refs:
            return None
        fw_key = {p.framework_id: p.framework.key}
        if p.addon_framework is not None:
            fw_key[p.addon_framework.id] = p.addon_framework.key
        current = snapshot_from_payload(current_payload)
        from khoiapp.models import DocMeta
        from khoiapp.services.importer import REFERENCE_META_PREFIX

        meta = s.get(DocMeta, f"{REFERENCE_META_PREFIX}{p.year_end}")
        meta_v: dict[str, Any] | None = None
        if meta is not None:
            try:
                loaded = json.loads(meta.value)
                meta_v = loaded if isinstance(loaded, dict) else None
            except ValueError:
                meta_v = None
        answers: dict[str, _Answer] = {}
        ref_year = None
        for (fw_id, code), raw in sorted(refs.items(), key=lambda kv: kv[0][1]):
            try:
                ref = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(ref, dict):
                continue
            ref_year = ref_year or ref.get("year")
            k = _key(answers, fw_key.get(fw_id, ""), code)
            answers[k] = _Answer(
                code=code,
                title=nfc(str(ref.get("title", ""))),
                status=str(ref.get("status", "chua-danh-gia")),
                value=_num(ref.get("value")),
                evidence=frozenset(str(x) for x in ref.get("evidence", []) or []),
                narrative=tuple(nfc(str(ref.get(n, "") or "")) for n in NARRATIVE),
            )
        # criteria of the current period without a reference count as new, not as removed
        reference = _Snapshot(
            year=(meta_v or {}).get("year", ref_year),
            answers=answers,
            convention=(meta_v or {}).get("convention"),
            conduct=(meta_v or {}).get("conduct") if meta_v is not None else None,
            convention_known=meta_v is not None,
        )
        if meta_v is None:
            current = _Snapshot(current.year, current.answers, None, None, False)
        return reference, current


# --------------------------------------------------------------------------- comparing


def _label(status: str | None) -> str | None:
    if status is None:
        return None
    try:
        return scoring.ResultStatus(status).label
    except ValueError:
        return status


def _compare(old: _Snapshot, new: _Snapshot) -> DossierDiff:
    crit: list[CriterionDiff] = []
    unchanged = 0
    for k, n in new.answers.items():
        o = old.answers.get(k)
        if o is None:
            crit.append(
                CriterionDiff(
                    code=n.code, title=n.title, change="added", old_status=None, new_status=n.status,
                    old_status_label=None, new_status_label=_label(n.status), old_value=None,
                    new_value=n.value, evidence_added=tuple(sorted(n.evidence)), evidence_removed=(),
                    narrative_changed=(), title_changed=False, old_title=None,
                )
            )  # fmt: skip
            continue
        narrative = tuple(f for f, a, b in zip(NARRATIVE, o.narrative, n.narrative, strict=True) if a != b)
        if (o.status, o.value, o.evidence, o.title) == (n.status, n.value, n.evidence, n.title) and not narrative:
            unchanged += 1
            continue
        crit.append(
            CriterionDiff(
                code=n.code, title=n.title, change="changed", old_status=o.status, new_status=n.status,
                old_status_label=_label(o.status), new_status_label=_label(n.status), old_value=o.value,
                new_value=n.value, evidence_added=tuple(sorted(n.evidence - o.evidence)),
                evidence_removed=tuple(sorted(o.evidence - n.evidence)), narrative_changed=narrative,
                title_changed=o.title != n.title, old_title=o.title if o.title != n.title else None,
            )
        )  # fmt: skip
    for k, o in old.answers.items():
        if k not in new.answers:
            crit.append(
                CriterionDiff(
                    code=o.code, title=o.title, change="removed", old_status=o.status, new_status=None,
                    old_status_label=_label(o.status), new_status_label=None, old_value=o.value,
                    new_value=None, evidence_added=(), evidence_removed=tuple(sorted(o.evidence)),
                    narrative_changed=(), title_changed=False, old_title=None,
                )
            )  # fmt: skip
    compared = old.convention_known and new.convention_known
    conv = tuple(_convention_changes(old.convention, new.convention)) if compared else ()
    conduct_known = old.conduct is not None and new.conduct is not None
    conduct = tuple(_conduct_changes(old.conduct or [], new.conduct or [])) if conduct_known else ()
    return DossierDiff(
        old_year=old.year,
        new_year=new.year,
        criteria=tuple(crit),
        unchanged=unchanged,
        convention=conv,
        convention_compared=compared,
        conduct=conduct,
        conduct_compared=conduct_known,
    )


def _articles(conv: dict[str, Any] | None) -> dict[tuple[str, str, int], str]:
    """(chapter title, article title, occurrence) -> body."""
    out: dict[tuple[str, str, int], str] = {}
    if not conv:
        return out
    seen: Counter[tuple[str, str]] = Counter()
    for ch in conv.get("chapters", []):
        arts = ch.get("articles", [])
        if not arts:
            k0 = (nfc(ch.get("title", "")), "", 0)
            out[k0] = ""
        for a in arts:
            base = (nfc(ch.get("title", "")), nfc(a.get("title", "")))
            out[(*base, seen[base])] = nfc(a.get("body", ""))
            seen[base] += 1
    return out


def _where_article(k: tuple[str, str, int]) -> str:
    if not k[1]:
        return f"chương «{k[0]}»"
    return f"điều «{k[1]}» (chương «{k[0]}»)"


def _convention_changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[TextChange]:
    out: list[TextChange] = []
    if old is None and new is None:
        return out
    if old is None or new is None:
        return [
            TextChange(
                where=f"Quy ước «{nfc((new or old or {}).get('title', ''))}»",
                change="added" if old is None else "removed",
                old=None if old is None else nfc(old.get("title", "")),
                new=None if new is None else nfc(new.get("title", "")),
            )
        ]
    for field, label in (("title", "tên Quy ước"), ("adopted_on", "ngày thông qua"), ("adopted_at", "nơi thông qua")):
        a, b = old.get(field), new.get(field)
        if (nfc(a) if isinstance(a, str) else a) != (nfc(b) if isinstance(b, str) else b):
            out.append(TextChange(where=label, change="changed", old=a, new=b))
    oa, na = _articles(old), _articles(new)
    for k, body in na.items():
        if k not in oa:
            out.append(TextChange(where=_where_article(k), change="added", old=None, new=body))
        elif oa[k] != body:
            out.append(TextChange(where=_where_article(k), change="changed", old=oa[k], new=body))
    for k, body in oa.items():
        if k not in na:
            out.append(TextChange(where=_where_article(k), change="removed", old=body, new=None))
    return out


def _conduct_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[TextChange]:
    def key(r: dict[str, Any]) -> tuple[str, str]:
        return (str(r.get("category", "")), nfc(str(r.get("text", ""))))

    def label(r: dict[str, Any]) -> str:
        cat = r.get("category_label") or r.get("category", "")
        text = nfc(str(r.get("text", "")))
        return f"quy tắc «{text[:120]}» ({cat})"

    out: list[TextChange] = []
    old_c = Counter(key(r) for r in old)
    new_c = Counter(key(r) for r in new)
    old_by = {key(r): r for r in old}
    for r in new:
        k = key(r)
        if old_c[k] > 0:
            old_c[k] -= 1
            o = old_by[k]
            details = []
            if bool(o.get("posted")) != bool(r.get("posted")):
                details.append("đã niêm yết" if r.get("posted") else "chưa niêm yết")
            if nfc(str(o.get("source", ""))) != nfc(str(r.get("source", ""))):
                details.append(f"căn cứ «{r.get('source', '')}»")
            if o.get("adopted_on") != r.get("adopted_on"):
                details.append(f"ngày ban hành {r.get('adopted_on') or '—'}")
            if details:
                out.append(TextChange(where=label(r) + ": " + ", ".join(details), change="changed", old=None, new=None))
        else:
            out.append(TextChange(where=label(r), change="added", old=None, new=nfc(str(r.get("text", "")))))
    for r in old:
        k = key(r)
        if new_c[k] > 0:
            new_c[k] -= 1
        else:
            out.append(TextChange(where=label(r), change="removed", old=nfc(str(r.get("text", ""))), new=None))
    return out


# --------------------------------------------------------------------------- entry points


def diff_payloads(old: dict[str, Any], new: dict[str, Any]) -> DossierDiff:
    """Compare two validated payloads (old year first)."""
    return _compare(snapshot_from_payload(old), snapshot_from_payload(new))


def load_payload(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A dossier's payload, read within the reader's limits, upgraded and validated (no signature check)."""
    from khoiapp.dossier.reader import open_dossier

    with open_dossier(path) as rd:
        return rd.payload()


def diff_dossiers(old: str | os.PathLike[str], new: str | os.PathLike[str]) -> DossierDiff:
    """``diff OLD.pdf NEW.pdf``."""
    return diff_payloads(load_payload(old), load_payload(new))


def diff_period(doc: Document, year: int, current: dict[str, Any]) -> DossierDiff | None:
    """The period compared with the references it was imported with; None if it has none.

    ``current`` is the period's payload as it is now (:func:`khoiapp.services.payload.period_payload`,
    or the payload being exported): this module compares payloads and never builds one.
    """
    snaps = _snapshot_references(doc, year, current)
    if snaps is None:
        return None
    return _compare(*snaps)


def diff_for_export(doc: Document, year: int, current: dict[str, Any]) -> dict[str, Any] | None:
    """The "So sánh với năm trước" data for the export: :meth:`DossierDiff.to_json`, or None.

    Keys: ``old_year``, ``new_year``, ``criteria`` (list of dicts as :class:`CriterionDiff`),
    ``unchanged``, ``convention``/``conduct`` (lists of ``{where, change, old, new}``),
    ``convention_compared``, ``conduct_compared``, ``empty``, and ``lines`` (plain Vietnamese lines).
    """
    d = diff_period(doc, year, current)
    if d is None:
        return None
    out = d.to_json()
    out["lines"] = d.lines()
    return out
