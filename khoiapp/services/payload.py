"""The machine-readable payload ``khoi-dossier/1`` embedded in every dossier PDF.

``build_payload`` reads one period of a document and returns a plain ``dict`` whose key order
and list order are fixed (framework order for criteria, code order for evidence, the user's
order for ordered tables, name order for the manifest), so the same document and the same
clock always give the same bytes from :func:`payload_bytes`.

Canonical bytes: UTF-8 JSON, ``ensure_ascii=False``, keys in the order of the spec (not
sorted), ``indent=1`` with ``", "``/``": "`` separators, and one trailing newline. The
indentation keeps the attachment readable in any text editor; it costs a few percent of size.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import khoiapp
from khoiapp.db import Document
from khoiapp.dossier.limits import MAX_ATTACHMENTS, PAYLOAD_NAME, SCHEMA
from khoiapp.dossier.schema import SCHEMA_FILE, payload_problems, schema, schema_path, validate_payload
from khoiapp.errors import DossierError
from khoiapp.models import DocMeta, Evidence, Period
from khoiapp.services import content
from khoiapp.services.criteria import build_checklist
from khoiapp.services.diff import diff_for_export
from khoiapp.services.document import get_period, period_frameworks, summarise_period, unit_view

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")

__all__ = [
    "SCHEMA_FILE",
    "attachment_name",
    "build_comparison",
    "build_payload",
    "build_payload_in",
    "period_payload",
    "embedded_files",
    "payload_bytes",
    "payload_problems",
    "schema",
    "schema_path",
    "validate_payload",
]


def attachment_name(code: str, file_name: str) -> str:
    """The attachment name of an evidence file: its code plus the lower-case original suffix.

    Only ``[A-Za-z0-9._-]`` is kept (anything else becomes ``_``), so the name is safe on every
    file system and never contains a path part.
    """
    suffix = PurePath(file_name).suffix.lower() if file_name else ""
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", code) + suffix)
    name = name.lstrip(".") or "minh-chung"
    return name[:200]


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _clock_iso(clock: dt.datetime) -> str:
    """The export time in Vietnam's zone, whatever the machine's zone (a naive time is local time)."""
    from khoiapp.pdf.text import vn_time

    return vn_time(clock).replace(microsecond=0).isoformat()


def _nfc_all(obj: Any, skip: frozenset[str] = frozenset({"source_toml"})) -> Any:
    if isinstance(obj, str):
        return unicodedata.normalize("NFC", obj)
    if isinstance(obj, dict):
        return {k: (v if k in skip else _nfc_all(v, skip)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_nfc_all(v, skip) for v in obj]
    return obj


def _num(v: float | None) -> float | int | None:
    """Whole numbers as int so the JSON reads naturally; others as float."""
    if v is None:
        return None
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


def embedded_files(s: Session, period: Period) -> list[tuple[str, Evidence]]:
    """(attachment name, evidence) for every evidence file to embed, sorted by name.

    Names are unique: a clash after sanitising gets ``-2``, ``-3`` … before the suffix.
    """
    rows = s.scalars(
        select(Evidence).where(Evidence.period_id == period.id).order_by(Evidence.code, Evidence.id)
    ).all()
    return sorted(_names(rows).items(), key=lambda kv: kv[0])


def _names(rows: Any) -> dict[str, Evidence]:
    out: dict[str, Evidence] = {}
    taken = {PAYLOAD_NAME}
    for e in rows:
        if not (e.embed and e.sha256):
            continue
        base = attachment_name(e.code, e.file_name)
        name, n = base, 1
        while name in taken:
            n += 1
            stem, dot, suf = base.rpartition(".")
            name = f"{stem}-{n}.{suf}" if dot and stem else f"{base}-{n}"
        taken.add(name)
        out[name] = e
    return out


def build_payload(doc: Document, year: int, *, clock: dt.datetime, draft: bool) -> dict[str, Any]:
    """The payload of one period, as a dict in the key order of ``docs/dossier-format.md``.

    Args:
        doc: the open document.
        year: the period's (end) year.
        clock: the export time, written as ``created_at`` (a naive time is taken as local time);
            also decides which plan items are late.
        draft: whether the dossier is a draft.
    """
    with doc.read() as s:
        payload = build_payload_in(s, year, clock=clock, draft=draft)
    comparison = build_comparison(doc, year, payload)
    if comparison is None:
        return payload
    # ``comparison`` goes just before ``manifest``, the spec's order.
    manifest = payload.pop("manifest")
    payload["comparison"] = comparison
    payload["manifest"] = manifest
    return payload


def period_payload(doc: Document, year: int) -> dict[str, Any]:
    """The period's payload as it is now (a draft, without ``comparison``), e.g. to compare it."""
    with doc.read() as s:
        return build_payload_in(s, year, clock=dt.datetime.now().astimezone(), draft=True)


def build_payload_in(s: Session, year: int, *, clock: dt.datetime, draft: bool) -> dict[str, Any]:
    """:func:`build_payload` inside an open session, without ``comparison``.

    The comparison with last year is computed from this very payload (``khoiapp.services.diff``
    builds it to compare), so only :func:`build_payload` adds it.
    """
    from khoiapp.pdf.text import vn_time

    p = get_period(s, year)
    today = vn_time(clock).date()  # "late" as the calendar in Vietnam says
    meta = {m.key: m.value for m in s.scalars(select(DocMeta)).all()}
    from khoiapp.models import Unit

    u = s.scalar(select(Unit).order_by(Unit.id))
    uv = unit_view(u) if u is not None else None
    summary = summarise_period(s, p)
    checklist = build_checklist(s, p)

    unit: dict[str, Any] = {
        "name": uv.name if uv else "",
        "short_name": uv.short_name if uv else "",
        "unit_type": uv.unit_type if uv else "",
        "unit_type_label": uv.unit_type_label if uv else "",
        "parent_org": uv.parent_org if uv else "",
        "superior_union": uv.superior_union if uv else "",
        "union_name": uv.union_name if uv else "",
        "address": uv.address if uv else "",
        "place_name": uv.place_name if uv else "",
        "head_name": uv.head_name if uv else "",
        "head_title": uv.head_title if uv else "",
        "party_secretary": uv.party_secretary if uv else "",
        "union_chair": uv.union_chair if uv else "",
        "staff_count": uv.staff_count if uv else None,
        "party_member_count": uv.party_member_count if uv else None,
        "phone": uv.phone if uv else "",
        "email": uv.email if uv else "",
    }

    period = {
        "year_start": p.year_start,
        "year_end": p.year_end,
        "label": p.label,
        "targets": {"cultural": bool(p.target_cultural), "model": bool(p.target_model)},
        "registered_on": _iso(p.registered_on),
        "status": p.status.value,
        "report": {
            "number": int(p.report_number),
            "symbol": p.report_symbol,
            "situation": p.situation,
            "proposals": p.proposals,
            "recipients": [line.strip() for line in (p.recipients or "").splitlines() if line.strip()],
        },
        "source": {"dossier_sha256": p.source_dossier_sha256, "unverified": bool(p.source_unverified)},
    }
    numbers = {"registration": p.registration_number, "convention": p.convention_number,
               "conduct": p.conduct_number}
    if any(numbers.values()):  # optional: a dossier with no number entered is as before
        period = {**{k: v for k, v in period.items() if k != "source"}, "numbers": numbers,
                  "source": period["source"]}

    base, addon = period_frameworks(p)
    fw_rows = [(base, p.framework)]
    if addon is not None and p.target_model and p.addon_framework is not None:
        fw_rows.append((addon, p.addon_framework))
    frameworks = [
        {
            "id": fw.key,
            "version": fw.version,
            "title": fw.title,
            "title_awarded": fw.title_awarded,
            "role": fw.role,
            "sha256": row.content_hash,
            "source_toml": row.source_text,
        }
        for fw, row in fw_rows
    ]

    results = [
        {
            "framework": c.framework_key,
            "group": c.group_code,
            "code": c.code,
            "title": c.title,
            "requirement": c.requirement,
            "kind": c.kind,
            "mandatory": bool(c.mandatory),
            "status": c.status,
            "status_label": c.status_label,
            "value": _num(c.value),
            "score": _num(c.score),
            "current_state": c.current_state,
            "strengths": c.strengths,
            "weaknesses": c.weaknesses,
            "improvement_plan": c.improvement_plan,
            "note": c.note,
            "needs_confirmation": bool(c.needs_confirmation),
            "evidence": sorted(c.evidence_codes),
            "reference": c.reference,
        }
        for c in checklist.criteria
    ]

    r = summary.readiness
    outcome = {
        "result": summary.result,
        "result_label": summary.result_label,
        "base_passed": summary.base_passed,
        "addon_passed": summary.addon_passed,
        "points": {"total": _num(summary.total_points), "max": _num(summary.max_points)},
        "readiness": {"total": r.total, "answered": r.answered, "evidence_ok": r.evidence_ok},
        "groups": [
            {
                "framework": g.framework_key,
                "code": g.code,
                "title": g.title,
                "met": g.met,
                "total": g.total,
                "passed": g.passed,
                "score": _num(g.score),
                "max_score": _num(g.max_score),
            }
            for g in checklist.groups
        ],
    }

    ev_rows = s.scalars(
        select(Evidence).where(Evidence.period_id == p.id).order_by(Evidence.code, Evidence.id)
    ).all()
    names = {id(e): n for n, e in _names(ev_rows).items()}
    if len(names) > MAX_ATTACHMENTS:
        raise DossierError(
            f"Kỳ đánh giá có {len(names)} tệp minh chứng cần đính kèm, vượt giới hạn {MAX_ATTACHMENTS} tệp "
            "của một hồ sơ. Hãy chọn «chỉ liệt kê» cho bớt một số minh chứng rồi xuất lại."
        )
    evidence = [
        {
            "code": e.code,
            "title": e.title,
            "doc_number": e.doc_number,
            "issued_on": _iso(e.issued_on),
            "issuer": e.issuer,
            "file_name": e.file_name,
            "mime_type": e.mime_type,
            "size": int(e.size),
            "sha256": e.sha256,
            "embedded": id(e) in names,
            "attachment": names.get(id(e)),
            "inherited": bool(e.inherited),
            "note": e.note,
            "criteria": sorted({res.code for res in e.results}),
        }
        for e in ev_rows
    ]
    manifest = sorted(
        ({"name": n, "sha256": e.sha256, "size": int(e.size)} for e in ev_rows if (n := names.get(id(e)))),
        key=lambda m: str(m["name"]),
    )

    conv = content.current_convention_in(s)
    convention = (
        {
            "version": conv.version,
            "title": conv.title,
            "adopted_on": _iso(conv.adopted_on),
            "adopted_at": conv.adopted_at,
            "chapters": [
                {"title": ch.title, "articles": [{"title": a.title, "body": a.body} for a in ch.articles]}
                for ch in conv.chapters
            ],
        }
        if conv is not None
        else None
    )

    conduct = [
        {
            "category": v["category"],
            "category_label": content.CONDUCT_CATEGORIES.get(v["category"], v["category"]),
            "text": v["text"],
            "source": v["source"],
            "adopted_on": _iso(v["adopted_on"]),
            "posted": bool(v["posted"]),
        }
        for v in (row.values for row in content.rows_in_session(s, "conduct", None, today))
    ]
    act_rows = content.rows_in_session(s, "activity", year, today)
    activities = [
        {
            "kind": v["kind"],
            "kind_label": content.ACTIVITY_KINDS.get(v["kind"], v["kind"]),
            "title": v["title"],
            "held_on": _iso(v["held_on"]),
            "participants": v["participants"],
            "quantity": v["quantity"],
            "note": v["note"],
        }
        for v in (row.values for row in act_rows)
    ]
    totals = content.activity_totals(act_rows)
    order = list(content.ACTIVITY_KINDS) + sorted(k for k in totals if k not in content.ACTIVITY_KINDS)
    activity_totals = {
        k: {"count": totals[k]["count"], "participants": totals[k]["participants"], "quantity": totals[k]["quantity"]}
        for k in order
        if k in totals
    }
    awards = [
        {
            "kind": v["kind"],
            "kind_label": content.AWARD_KINDS.get(v["kind"], v["kind"]),
            "content": v["content"],
            "issuer": v["issuer"],
            "number": v["number"],
            "issued_on": _iso(v["issued_on"]),
            "holder": v["holder"],
            "collective": bool(v["collective"]),
            "issuer_level": v.get("issuer_level") or "khac",
        }
        for v in (row.values for row in content.rows_in_session(s, "award", year, today))
    ]
    committee = [
        {"name": v["name"], "job_title": v["job_title"], "role": v["role"], "tasks": v["tasks"]}
        for v in (row.values for row in content.rows_in_session(s, "committee", year, today))
    ]
    from khoiapp.models import PlanStatus

    plan = [
        {
            "content": row.values["content"],
            "owner": row.values["owner"],
            "deadline": _iso(row.values["deadline"]),
            "measures": row.values["measures"],
            "status": row.values["status"],
            "status_label": PlanStatus(row.values["status"]).label,
            "late": bool(row.late),
        }
        for row in content.rows_in_session(s, "plan", year, today)
    ]

    payload: dict[str, Any] = {
        "schema": SCHEMA,
        "generator": {"app": khoiapp.APP_NAME, "version": khoiapp.__version__},
        "created_at": _clock_iso(clock),
        "draft": bool(draft),
        "document_id": meta.get("document_id", ""),
        "unit": unit,
        "period": period,
        "frameworks": frameworks,
        "results": results,
        "outcome": outcome,
        "evidence": evidence,
        "convention": convention,
        "conduct": conduct,
        "activities": activities,
        "activity_totals": activity_totals,
        "awards": awards,
        "committee": committee,
        "plan": plan,
        "manifest": manifest,
    }
    return _nfc_all(payload)  # type: ignore[no-any-return]


_CRITERION_KEYS = (
    "code", "title", "kind", "change", "old_status", "new_status", "old_status_label", "new_status_label",
    "old_value", "new_value", "evidence_added", "evidence_removed", "narrative_changed", "title_changed",
    "old_title",
)  # fmt: skip


def _year(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) and 2000 <= v <= 2100 else None


def _change(t: dict[str, Any]) -> dict[str, Any]:
    return {"where": t["where"], "change": t["change"], "old": t["old"], "new": t["new"]}


def build_comparison(doc: Document, year: int, payload: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The payload's ``comparison``: what changed since the dossier the period was imported from.

    ``None`` when the period was not imported from last year's dossier, or when nothing changed
    (every answer, the Quy ước and the code of conduct as they were). The payload then has no
    ``comparison`` key, exactly as before the key existed: a period that was never imported
    exports byte-identically, and an unchanged year round-trips to the same payload.

    Args:
        doc: the open document.
        year: the period's (end) year.
        payload: the period's payload, when already built; only its results are read, to
            give each changed criterion's kind for readers that format values.

    Lists keep the order of :func:`khoiapp.services.diff.diff_for_export`: changed and new
    criteria in framework order, then criteria no longer in the framework; evidence codes
    sorted; Quy ước changes in article order; rules in the unit's order.
    """
    if payload is None:
        payload = period_payload(doc, year)
    data = diff_for_export(doc, year, payload)
    if data is None or data.get("empty"):
        return None
    kinds: dict[str, str] = {}
    for r in (payload or {}).get("results", []):
        kinds.setdefault(r["code"], r["kind"])
    criteria = []
    for c in data["criteria"]:
        row = {k: c.get(k) for k in _CRITERION_KEYS}
        row["kind"] = kinds.get(c["code"])
        row["old_value"], row["new_value"] = _num(row["old_value"]), _num(row["new_value"])
        for k in ("evidence_added", "evidence_removed", "narrative_changed"):
            row[k] = list(row[k])
        criteria.append(row)
    out = {
        "old_year": _year(data["old_year"]),
        "new_year": _year(data["new_year"]),
        "unchanged": int(data["unchanged"]),
        "criteria": criteria,
        "convention_compared": bool(data["convention_compared"]),
        "convention": [_change(t) for t in data["convention"]],
        "conduct_compared": bool(data["conduct_compared"]),
        "conduct": [_change(t) for t in data["conduct"]],
    }
    return _nfc_all(out)  # type: ignore[no-any-return]


def payload_bytes(payload: dict[str, Any]) -> bytes:
    """The canonical bytes of a payload (see the module docstring)."""
    text = json.dumps(payload, ensure_ascii=False, indent=1, separators=(",", ": "), allow_nan=False)
    return (text + "\n").encode("utf-8")
