"""Reading what the bloc received: each dossier's row and figures, and the entries of lower summaries."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from khoiapp.errors import Cancelled, KhoiError, TrustListError
from khoiapp.services import summary as base

log = logging.getLogger(__name__)

SUMMARY_ATTACHMENT = "khoi-tong-hop.json"
SUMMARY_SCHEMA = "khoi-tong-hop/1"
MAX_SUMMARY_JSON = 64 * 1024 * 1024


@dataclass(frozen=True)
class CriterionFact:
    framework: str
    code: str
    title: str
    status: str  # scoring.ResultStatus value


@dataclass(frozen=True)
class ActivityFact:
    kind: str
    label: str
    count: int
    participants: int
    quantity: int


@dataclass(frozen=True)
class AwardFact:
    kind: str
    level: str  # content.AWARD_LEVELS key; "khac" for older dossiers
    collective: bool


@dataclass(frozen=True)
class DossierFacts:
    """The figures of one dossier that the bloc's report adds up."""

    sha256: str  # of the whole PDF file as received
    cert_fingerprint: str | None
    criteria: tuple[CriterionFact, ...] = ()
    activities: tuple[ActivityFact, ...] = ()
    awards: tuple[AwardFact, ...] = ()
    via: str = ""  # the summary PDF this entry came from, for a roll-up


@dataclass(frozen=True)
class Entry:
    """One dossier (or one file that is not one): its summary row and, when readable, its figures."""

    row: base.SummaryRow
    facts: DossierFacts | None = None


def _int(v: Any) -> int:
    return int(v) if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0


def facts_of(payload: dict[str, Any], sha256: str, fingerprint: str | None) -> DossierFacts:
    """The figures of a payload that passed the schema check."""
    from khoiapp.services.content import ACTIVITY_KINDS, AWARD_LEVELS

    criteria = tuple(
        CriterionFact(
            framework=base._norm(r.get("framework")),
            code=base._norm(r.get("code")),
            title=base._norm(r.get("title")),
            status=base._norm(r.get("status")),
        )
        for r in payload.get("results") or ()
        if isinstance(r, dict)
    )
    acts: list[ActivityFact] = []
    totals = payload.get("activity_totals") or {}
    for kind, t in totals.items() if isinstance(totals, dict) else ():
        if not isinstance(t, dict):
            continue
        kind = base._norm(kind)
        acts.append(
            ActivityFact(
                kind=kind,
                label=ACTIVITY_KINDS.get(kind, kind),
                count=_int(t.get("count")),
                participants=_int(t.get("participants")),
                quantity=_int(t.get("quantity")),
            )
        )
    awards = []
    for a in payload.get("awards") or ():
        if not isinstance(a, dict):
            continue
        level = base._norm(a.get("issuer_level"))
        awards.append(
            AwardFact(
                kind=base._norm(a.get("kind")),
                level=level if level in AWARD_LEVELS else "khac",
                collective=bool(a.get("collective")),
            )
        )
    return DossierFacts(
        sha256=sha256,
        cert_fingerprint=fingerprint,
        criteria=criteria,
        activities=tuple(acts),
        awards=tuple(awards),
    )


def read_entry(
    path: Path, roots: Sequence[bytes], *, accept_untrusted: bool = False, use_trust_store: bool = True
) -> Entry:
    """Verify one dossier and read its row and figures; never raises for a bad file (the row says why)."""
    try:
        return _read_entry(path, roots, accept_untrusted=accept_untrusted, use_trust_store=use_trust_store)
    except (TrustListError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - one file from outside must not stop the others
        return unexpected_failure(path, exc)


def unexpected_failure(path: Path, exc: BaseException) -> Entry:
    """The entry of a file whose reading failed in a way nobody foresaw: logged, listed, not counted."""
    from khoiapp.crashlog import log_exception

    where = log_exception(exc)
    return Entry(
        base._not_dossier(
            path,
            f"Khối gặp lỗi không lường trước khi đọc tệp «{path.name}» nên bỏ qua tệp này (chi tiết đã ghi "
            f"vào nhật ký {where}). Hãy đề nghị đơn vị gửi lại hồ sơ.",
        )
    )


def _read_entry(path: Path, roots: Sequence[bytes], *, accept_untrusted: bool, use_trust_store: bool) -> Entry:
    got = base.read_dossier(path, roots, use_trust_store=use_trust_store)  # the summary's one reader
    if got.report is None or got.payload is None or got.sha256 is None:
        return Entry(got.row)
    row = base._judge(got.row, got.report.problems, accept_untrusted)
    return Entry(row, facts_of(got.payload, got.sha256, got.report.cert_fingerprint))


# --------------------------------------------------------------------------- summary PDFs (roll-up)


def is_summary_pdf(path: Path) -> bool:
    """Whether ``path`` carries a bloc summary's data attachment (a bad file is not one)."""
    from khoiapp.dossier.reader import open_dossier

    try:
        with open_dossier(path) as rd:
            return rd.has(SUMMARY_ATTACHMENT) and not rd.has("khoi-dossier.json")
    except (KhoiError, OSError, ValueError, MemoryError, RecursionError):
        return False


def read_summary_pdf(
    path: Path, roots: Sequence[bytes], *, accept_untrusted: bool = False, use_trust_store: bool = True
) -> list[Entry]:
    """The counted dossiers a lower bloc's summary PDF lists, as entries; one NOT_DOSSIER row if it fails.

    The summary's own signature stands for the dossiers it counted: it must be intact, cover the
    whole file and be trusted (or ``accept_untrusted``).
    """
    from khoiapp.bloc.pdf_report import check_summary_pdf

    try:
        data, verdict, signer, signing_time, problems = check_summary_pdf(path, roots, use_trust_store)
    except KhoiError as exc:
        return [Entry(base._not_dossier(path, exc.message))]
    if verdict not in ("ok", "untrusted") or (verdict == "untrusted" and not accept_untrusted):
        row = base._not_dossier(path, "", verdict=verdict, signer=signer, signing_time=signing_time)
        judged = base._judge(replace(row, draft=False, year=0, unit_name="x"), problems, accept_untrusted)
        reason = judged.reason.replace("Hồ sơ", "Bản tổng hợp") if judged.reason else "Bản tổng hợp không hợp lệ."
        return [Entry(replace(row, status=judged.status, reason=reason))]
    out: list[Entry] = []
    for d in data.get("dossiers") or ():
        if not isinstance(d, dict):
            continue
        try:
            out.append(_entry_from_summary(d, path, verdict, signer))
        except (KeyError, TypeError, ValueError):
            out.append(
                Entry(base._not_dossier(path, f"Một dòng hồ sơ trong bản tổng hợp «{path.name}» không đọc được."))
            )
    if not out:
        out.append(Entry(base._not_dossier(path, f"Bản tổng hợp «{path.name}» không có hồ sơ nào được tính.")))
    return out


def _entry_from_summary(d: dict[str, Any], path: Path, verdict: str, signer: str | None) -> Entry:
    def s(key: str) -> str:
        return base._norm(d.get(key))

    year = d.get("year")
    row = base.SummaryRow(
        file=f"{path.name} › {s('file')}",
        path=str(path),
        status=base.COUNTED,
        reason="",
        verdict=verdict,
        unit_name=s("unit_name"),
        unit_type=s("unit_type"),
        unit_type_label=s("unit_type_label"),
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        result=s("result"),
        result_label=s("result_label"),
        points=base._num(d.get("points")),
        points_max=base._num(d.get("points_max")),
        signer=s("signer") or None,
        signing_time=s("signing_time") or None,
        draft=False,
    )
    if row.year is None or not row.unit_name:
        row = replace(row, status=base.NOT_DOSSIER, reason="Dòng hồ sơ trong bản tổng hợp thiếu tên đơn vị hoặc năm.")
    sha = s("sha256").lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise ValueError("sha256")
    facts = DossierFacts(
        sha256=sha,
        cert_fingerprint=s("cert_fingerprint") or None,
        criteria=tuple(
            CriterionFact(str(c[0]), str(c[1]), str(c[2]), str(c[3])) for c in d.get("criteria") or () if len(c) == 4
        ),
        activities=tuple(
            ActivityFact(str(a[0]), str(a[1]), _int(a[2]), _int(a[3]), _int(a[4]))
            for a in d.get("activities") or ()
            if len(a) == 5
        ),
        awards=tuple(AwardFact(str(a[0]), str(a[1]), bool(a[2])) for a in d.get("awards") or () if len(a) == 3),
        via=path.name,
    )
    return Entry(row, facts)


def dossier_json(e: Entry) -> dict[str, Any]:
    """One counted dossier as a summary PDF carries it (what a roll-up needs, compact)."""
    r, f = e.row, e.facts
    assert f is not None
    return {
        "file": r.file,
        "sha256": f.sha256,
        "signer": r.signer,
        "cert_fingerprint": f.cert_fingerprint,
        "signing_time": r.signing_time,
        "unit_name": r.unit_name,
        "unit_type": r.unit_type,
        "unit_type_label": r.unit_type_label,
        "year": r.year,
        "result": r.result,
        "result_label": r.result_label,
        "points": r.points,
        "points_max": r.points_max,
        "criteria": [[c.framework, c.code, c.title, c.status] for c in f.criteria],
        "activities": [[a.kind, a.label, a.count, a.participants, a.quantity] for a in f.activities],
        "awards": [[a.kind, a.level, a.collective] for a in f.awards],
    }


# --------------------------------------------------------------------------- the whole inbox


def collect(
    paths: Iterable[str | os.PathLike[str]],
    *,
    trust: Sequence[str | os.PathLike[str] | bytes] = (),
    accept_untrusted: bool = False,
    use_trust_store: bool = True,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> list[Entry]:
    """Read every file (dossiers and lower blocs' summary PDFs), one entry per dossier found.

    Raises:
        BadInputError: a path is missing, a folder unreadable or no PDF found.
        TrustListError: a ``trust`` file cannot be read.
        Cancelled: ``is_cancelled`` returned true.
    """
    files = base.require_pdfs(paths)
    roots = base._read_trust(trust)
    out: list[Entry] = []
    if progress:
        progress(0, len(files))
    for n, f in enumerate(files, 1):
        if is_cancelled and is_cancelled():
            raise Cancelled()
        if is_summary_pdf(f):
            out.extend(read_summary_pdf(f, roots, accept_untrusted=accept_untrusted, use_trust_store=use_trust_store))
        else:
            out.append(read_entry(f, roots, accept_untrusted=accept_untrusted, use_trust_store=use_trust_store))
        if progress:
            progress(n, len(files))
    return out


def load_json_bytes(data: bytes) -> dict[str, Any]:
    """A summary's JSON, checked for its schema tag.

    Raises:
        DossierError: not JSON or not a bloc summary.
    """
    from khoiapp.errors import DossierError

    if len(data) > MAX_SUMMARY_JSON:
        raise DossierError("Dữ liệu của bản tổng hợp quá lớn. Hãy xin lại bản tổng hợp gốc.")
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise DossierError("Dữ liệu của bản tổng hợp không phải JSON hợp lệ. Hãy xin lại bản tổng hợp gốc.") from None
    if not isinstance(obj, dict) or obj.get("schema") != SUMMARY_SCHEMA:
        raise DossierError(
            f"Tệp đính kèm «{SUMMARY_ATTACHMENT}» không theo định dạng «{SUMMARY_SCHEMA}». Hãy xin lại bản tổng hợp gốc."
        )
    return obj


def unit_list_of_summaries(entries: Sequence[Entry]) -> Any:
    """The union of the unit lists carried by the summary PDFs the entries came from (a roll-up
    without its own list still knows every unit of every bloc, so units that sent nothing show);
    None when no entry came from a summary.
    """
    from khoiapp.bloc.units import BlocUnit, UnitList, unit_key

    paths = list(dict.fromkeys(e.row.path for e in entries if e.facts is not None and e.facts.via))
    if not paths:
        return None
    out: list[BlocUnit] = []
    seen: set[str] = set()
    for p in paths:
        try:
            from khoiapp.dossier.reader import open_dossier

            with open_dossier(p, strict=False) as rd:
                data = load_json_bytes(rd.read_attachment(SUMMARY_ATTACHMENT, limit=MAX_SUMMARY_JSON))
        except KhoiError:
            continue
        for u in data.get("unit_list") or ():
            if not isinstance(u, dict):
                continue
            name = base._norm(u.get("name"))
            if not name or unit_key(name) in seen:
                continue
            seen.add(unit_key(name))
            utype = base._norm(u.get("unit_type"))
            out.append(
                BlocUnit(
                    name=name[:300],
                    short_name=base._norm(u.get("short_name"))[:100],
                    unit_type=utype if utype in ("co-quan", "don-vi", "doanh-nghiep") else "",
                )
            )
    return UnitList(units=tuple(out), source=", ".join(Path(p).name for p in paths)) if out else None
