"""Many answers or many evidence files in one call, one transaction: all saved, or none.

For scripts (``set --from``, ``attach CODE FILE…``): a whole assessment costs one process instead
of one per answer. Every row and file is checked before anything is written; a bad row in the
middle is named (its line and code) and nothing is saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from khoiapp import scoring
from khoiapp.db import Document
from khoiapp.errors import BadInputError, KhoiError
from khoiapp.models import Evidence
from khoiapp.services import criteria as crit
from khoiapp.services import evidence as evsvc
from khoiapp.services.content import parse_date
from khoiapp.services.document import get_period, nfc

MAX_ANSWERS_FILE = 5 * 1024 * 1024  # bytes of a CSV/JSON answers file
MAX_ANSWERS = 5000  # rows
MAX_FILES = 500  # files in one attach
NARRATIVE_COLUMNS = {
    "current_state": "current_state",
    "strengths": "strengths",
    "weaknesses": "weaknesses",
    "improvement_plan": "improvement_plan",
    "plan": "improvement_plan",
}
COLUMNS = ("code", "value", "note", *NARRATIVE_COLUMNS)


class BatchRowError(BadInputError):
    """One row of a batch is wrong: nothing of the batch was saved."""


@dataclass(frozen=True)
class AnswerRow:
    """One answer to record: ``line`` is where it is in the file (for messages)."""

    line: int
    code: str
    value: str | None
    note: str | None = None
    narrative: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SetReport:
    year: int
    rows: int
    codes: tuple[str, ...]
    statuses: tuple[tuple[str, str], ...]  # (code, status label) after the batch


@dataclass(frozen=True)
class AttachItem:
    path: str
    code: str  # the evidence code
    title: str
    size: int
    reused: bool  # already evidence of the period: linked, not stored twice


@dataclass(frozen=True)
class AttachReport:
    year: int
    criterion: str
    items: tuple[AttachItem, ...]

    @property
    def stored(self) -> int:
        return sum(1 for i in self.items if not i.reused)


def _cell(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "dat" if v else "chua-dat"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return v
    raise BadInputError(f"Giá trị «{v!r}» không phải chữ hoặc số.")


def _row(line: int, raw: dict[str, Any], source: str) -> AnswerRow:
    unknown = [k for k in raw if k not in COLUMNS and k not in ("", None)]
    if unknown:
        raise BatchRowError(
            f"{source}, dòng {line}: không có cột «{unknown[0]}». Các cột dùng được: {', '.join(COLUMNS)}. "
            "Chưa ghi kết quả nào."
        )
    code = nfc(str(raw.get("code") or "")).strip()
    if not code:
        raise BatchRowError(f"{source}, dòng {line}: thiếu mã tiêu chí (cột «code»). Chưa ghi kết quả nào.")
    try:
        value = _cell(raw.get("value"))
        note = _cell(raw.get("note"))
        narrative = tuple(
            (NARRATIVE_COLUMNS[k], _cell(raw[k]) or "") for k in NARRATIVE_COLUMNS if raw.get(k) not in (None, "")
        )
    except BadInputError as exc:
        raise BatchRowError(f"{source}, dòng {line} (tiêu chí {code}): {exc.message} Chưa ghi kết quả nào.") from None
    return AnswerRow(line=line, code=code, value=(value or "").strip() or None, note=note, narrative=narrative)


def read_answers(path: str | Path) -> list[AnswerRow]:
    """Rows of a CSV (UTF-8, with or without Excel's BOM; ``;`` or ``,``) or JSON answers file.

    CSV: a header row with ``code,value`` and optionally ``note``, ``current_state``,
    ``strengths``, ``weaknesses``, ``improvement_plan`` (or ``plan``). JSON: a list of such
    objects, or ``{"answers": [...]}``.
    """
    p = Path(path)
    name = p.name
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise BadInputError(f"Không tìm thấy tệp «{p}». Hãy kiểm tra lại đường dẫn.") from None
    except OSError as exc:
        raise BadInputError(f"Không đọc được tệp «{p}» ({exc.strerror}).") from None
    if size > MAX_ANSWERS_FILE:
        raise BadInputError(
            f"Tệp «{name}» lớn {size // 1024} KB, vượt giới hạn {MAX_ANSWERS_FILE // 1024 // 1024} MB của tệp kết quả. "
            "Hãy chia thành nhiều tệp nhỏ hơn."
        )
    data = p.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInputError(
            f"Tệp «{name}» không phải văn bản UTF-8. Trong Excel hãy lưu dạng «CSV UTF-8 (Comma delimited)»."
        ) from None
    rows: list[AnswerRow] = []
    if p.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"Tệp «{name}» không phải JSON hợp lệ (dòng {exc.lineno}).") from None
        items = obj.get("answers") if isinstance(obj, dict) else obj
        if not isinstance(items, list):
            raise BadInputError(f"Tệp «{name}» cần một danh sách kết quả (hoặc {{\"answers\": [...]}}).")
        if len(items) > MAX_ANSWERS:
            raise BadInputError(f"Tệp «{name}» có {len(items)} kết quả, vượt giới hạn {MAX_ANSWERS}.")
        for i, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise BatchRowError(f"{name}, mục {i}: cần một đối tượng có «code» và «value». Chưa ghi kết quả nào.")
            rows.append(_row(i, item, name))
        return rows
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames or "code" not in [f.strip() for f in reader.fieldnames]:
        raise BadInputError(
            f"Tệp «{name}» cần dòng tiêu đề có cột «code» và «value» (ví dụ: code,value,note)."
        )
    for raw in reader:
        if reader.line_num > MAX_ANSWERS + 1:
            raise BadInputError(f"Tệp «{name}» có hơn {MAX_ANSWERS} dòng kết quả, vượt giới hạn.")
        clean = {(k or "").strip(): v for k, v in raw.items() if k is not None}
        if None in raw:
            raise BatchRowError(f"{name}, dòng {reader.line_num}: thừa cột so với dòng tiêu đề. Chưa ghi kết quả nào.")
        if not any((v or "").strip() for v in clean.values()):
            continue  # an empty line
        rows.append(_row(reader.line_num, clean, name))
    return rows


def set_answers(doc: Document, year: int, rows: Sequence[AnswerRow], source: str = "") -> SetReport:
    """Record every row in one transaction; the first bad row is named and nothing is saved."""
    doc.require_writable()
    if not rows:
        raise BadInputError("Tệp không có kết quả nào để ghi.")
    where = f"{source}, " if source else ""
    with doc.transaction() as s:
        p = get_period(s, year)
        codes = []
        for row in rows:
            try:
                status, value = crit.parse_value_text(row.value) if row.value is not None else (None, None)
                crit.apply_result(
                    s, p, row.code, status=status, value=value, note=row.note, narrative=dict(row.narrative)
                )
            except KhoiError as exc:
                raise BatchRowError(
                    f"{where}dòng {row.line} (tiêu chí {row.code}): {exc.message} Chưa ghi kết quả nào; "
                    "hãy sửa dòng này rồi chạy lại."
                ) from None
            codes.append(row.code)
        s.flush()
        statuses = tuple(
            (r.code, scoring.ResultStatus(r.status.value).label) for r in p.results if r.code in set(codes)
        )
    return SetReport(year=year, rows=len(rows), codes=tuple(codes), statuses=statuses)


def attach_files(
    doc: Document,
    year: int,
    code: str,
    paths: Sequence[str | Path],
    *,
    issued_on: dt.date | str | None = None,
) -> AttachReport:
    """Attach ``paths`` as evidence of criterion ``code`` in one transaction (all or none).

    Every file is checked (exists, type, size limit) and hashed before anything is written; the
    same file twice, or a file already evidence of the period, is linked rather than stored again.
    """
    doc.require_writable()
    if not paths:
        raise BadInputError("Chưa có tệp nào để thêm. Hãy ghi đường dẫn các tệp sau mã tiêu chí.")
    if len(paths) > MAX_FILES:
        raise BadInputError(f"Một lần chỉ thêm được tối đa {MAX_FILES} tệp; hãy chia thành nhiều lần.")
    when = parse_date(issued_on, "Ngày ban hành") if isinstance(issued_on, str) and issued_on.strip() else None
    if isinstance(issued_on, dt.date):
        when = issued_on
    checked: list[tuple[Path, int, str, str]] = []
    for n, raw in enumerate(paths, start=1):
        try:
            p, size, mime = evsvc.check_file(raw)
            sha = evsvc.hash_file(p, size, None, None)
        except KhoiError as exc:
            raise BatchRowError(f"Tệp thứ {n} «{raw}»: {exc.message} Chưa thêm tệp nào.") from None
        checked.append((p, size, mime, sha))
    items: list[AttachItem] = []
    with doc.transaction() as s:
        period = get_period(s, year)
        result, _c = crit._find(s, period, code)
        by_sha: dict[str, Evidence] = {}
        for p, size, mime, sha in checked:
            existing = by_sha.get(sha) or s.scalar(
                select(Evidence).where(Evidence.period_id == period.id, Evidence.sha256 == sha)
            )
            if existing is not None:
                if result not in existing.results:
                    existing.results.append(result)
                items.append(AttachItem(str(p), existing.code, existing.title, existing.size, True))
                continue
            evsvc.store_blob_stream(s, sha, size, evsvc._file_chunks(p))
            e = evsvc._new_evidence(
                s, period, [result], title=evsvc._title_from_name(p.name), file_name=p.name, mime=mime,
                size=size, sha=sha, doc_number="", issued_on=when, issuer="",
            )
            by_sha[sha] = e
            items.append(AttachItem(str(p), e.code, e.title, size, False))
    return AttachReport(year=year, criterion=nfc(code), items=tuple(items))
