"""Bloc-level summary of many units' dossiers: who sent what, what counts, and the totals."""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoiapp.dossier.budget import Budget, BudgetedWorker, BudgetExceeded
from khoiapp.dossier.limits import SUMMARY_FILE_MEMORY, SUMMARY_FILE_SECONDS
from khoiapp.errors import BadInputError, Cancelled, KhoiError, OutputPathError, TrustListError
from khoiapp.unitname import merged_variants, unit_key

if TYPE_CHECKING:
    from khoiapp.bloc.units import UnitList

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

ISOLATED = True
"""Read each file in a worker process with its own budget (tests replacing functions here set False)."""

# Row statuses. Only COUNTED rows enter the result totals.
COUNTED = "counted"
DUPLICATE = "duplicate"
OTHER_YEAR = "other-year"
DRAFT = "draft"
UNSIGNED = "unsigned"
UNTRUSTED = "untrusted"
INVALID = "invalid"
FOREIGN = "foreign"
NOT_DOSSIER = "not-dossier"
NOT_ON_LIST = "not-on-list"  # the bloc's unit list is given and the unit is not on it
WRONG_SIGNER = "wrong-signer"  # the list pins certificates for the unit and the signer is not one of them

STATUS_LABELS = {
    COUNTED: "Được tính",
    DUPLICATE: "Bản trùng",
    OTHER_YEAR: "Năm khác",
    DRAFT: "Bản nháp",
    UNSIGNED: "Chưa ký số",
    UNTRUSTED: "Chữ ký chưa tin cậy",
    INVALID: "Chữ ký không hợp lệ",
    FOREIGN: "Chữ ký không thuộc đơn vị",
    NOT_DOSSIER: "Không phải hồ sơ",
    NOT_ON_LIST: "Không có trong danh sách",
    WRONG_SIGNER: "Chữ ký không thuộc đơn vị",
}

VERDICT_LABELS = {
    "ok": "Hợp lệ",
    "untrusted": "Chưa tin cậy",
    "unsigned": "Chưa ký",
    "invalid": "Không hợp lệ",
    FOREIGN: "Không thuộc đơn vị",
    NOT_DOSSIER: "Không phải hồ sơ",
}

RESULT_CULTURAL = "dat-chuan-van-hoa"
RESULT_MODEL = "kieu-mau"
RESULT_NOT_PASSED = "chua-dat"
RESULT_NO_DATA = "chua-du-du-lieu"

CSV_HEADER = (
    "STT",
    "Tệp",
    "Tên đơn vị",
    "Loại hình",
    "Năm",
    "Kết quả",
    "Điểm",
    "Chữ ký",
    "Người ký",
    "Thời điểm ký",
    "Bản nháp",
    "Tình trạng",
    "Lý do",
)
CSV_DELIMITER = ";"


@dataclass(frozen=True)
class SummaryRow:
    """One file given to :func:`summarise`, whatever it turned out to be."""

    file: str  # file name as shown
    path: str
    status: str  # one of COUNTED, DUPLICATE, OTHER_YEAR, DRAFT, UNSIGNED, UNTRUSTED, INVALID, NOT_DOSSIER
    reason: str  # Vietnamese; empty for a counted row
    verdict: str  # ok | untrusted | unsigned | invalid | not-dossier
    unit_name: str = ""
    unit_type: str = ""
    unit_type_label: str = ""
    year: int | None = None
    period_label: str = ""
    result: str = ""
    result_label: str = ""
    points: float | None = None
    points_max: float | None = None
    signer: str | None = None
    signing_time: str | None = None
    created_at: str | None = None
    draft: bool | None = None
    cert_fingerprints: tuple[str, ...] = ()  # SHA-256 of each signature's certificate

    @property
    def counted(self) -> bool:
        return self.status == COUNTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS.get(self.verdict, self.verdict)


@dataclass(frozen=True)
class SummaryTotals:
    """Counts over the counted rows; percentages of ``base`` (expected units, else counted)."""

    files: int
    valid: int  # dossiers of the year that pass the signature check and are not drafts (duplicates included)
    counted: int  # distinct units counted
    cultural: int  # đạt chuẩn văn hóa, kiểu mẫu included
    model: int  # kiểu mẫu
    not_passed: int  # chưa đạt
    no_data: int  # chưa đủ dữ liệu
    not_counted: int  # files listed but not counted, by any reason
    not_counted_by_status: tuple[tuple[str, int], ...]
    expected: int | None
    base: int
    cultural_percent: float | None
    model_percent: float | None
    not_passed_percent: float | None

    @property
    def cultural_percent_text(self) -> str:
        return format_percent(self.cultural_percent)

    @property
    def model_percent_text(self) -> str:
        return format_percent(self.model_percent)

    @property
    def not_passed_percent_text(self) -> str:
        return format_percent(self.not_passed_percent)


@dataclass(frozen=True)
class BlocSummary:
    """The result of :func:`summarise`."""

    rows: tuple[SummaryRow, ...]
    totals: SummaryTotals
    year: int | None
    expected_units: int | None
    accept_untrusted: bool
    warnings: tuple[str, ...] = ()
    merged_names: tuple[tuple[str, ...], ...] = ()  # spellings counted as one unit (see khoiapp.unitname)

    @property
    def sentence(self) -> str:
        return totals_sentence(self)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (stable keys; see docs/summary.md)."""
        t = self.totals
        return {
            "year": self.year,
            "expected_units": self.expected_units,
            "accept_untrusted": self.accept_untrusted,
            "sentence": self.sentence,
            "warnings": list(self.warnings),
            "merged_names": [list(v) for v in self.merged_names],
            "totals": {
                "files": t.files,
                "valid": t.valid,
                "counted": t.counted,
                "cultural": t.cultural,
                "model": t.model,
                "not_passed": t.not_passed,
                "no_data": t.no_data,
                "not_counted": t.not_counted,
                "not_counted_by_status": dict(t.not_counted_by_status),
                "expected": t.expected,
                "base": t.base,
                "cultural_percent": t.cultural_percent,
                "model_percent": t.model_percent,
                "not_passed_percent": t.not_passed_percent,
                "cultural_percent_text": t.cultural_percent_text,
                "model_percent_text": t.model_percent_text,
            },
            "rows": [{**asdict(r), "counted": r.counted} for r in self.rows],
        }


# --------------------------------------------------------------------------- formatting


def percent(part: int, whole: int) -> float | None:
    """``part / whole`` in percent, rounded half up to two decimals; None when ``whole`` is 0."""
    if whole <= 0:
        return None
    q = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(q)


def format_percent(value: float | None) -> str:
    """Vietnamese style: decimal comma, two decimals (``51,24%``); a dash when there is no base."""
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", ",") + "%"


def format_points(row: SummaryRow) -> str:
    if row.points is None or row.points_max == 0:
        return ""  # no points scale for this result (e.g. only the base criteria, which are yes/no)

    def num(v: float) -> str:
        return (f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))).replace(".", ",")

    return num(row.points) + (f"/{num(row.points_max)}" if row.points_max is not None else "")


def totals_sentence(summary: BlocSummary) -> str:
    """The one-line report, e.g. "Đã nhận 5 hồ sơ hợp lệ của 5/121 đơn vị; 3 đạt chuẩn văn hóa (2,48%), …"."""
    t = summary.totals
    units = f"{t.counted}/{t.expected}" if t.expected is not None else str(t.counted)
    text = (
        f"Đã nhận {t.valid} hồ sơ hợp lệ của {units} đơn vị; {t.cultural} đạt chuẩn văn hóa "
        f"({t.cultural_percent_text}), trong đó {t.model} kiểu mẫu ({t.model_percent_text})"
    )
    if summary.year is not None:
        text += f" — năm {summary.year}"
    extra = []
    if t.not_passed:
        extra.append(f"{t.not_passed} chưa đạt")
    if t.no_data:
        extra.append(f"{t.no_data} chưa đủ dữ liệu")
    if extra:
        text += "; " + ", ".join(extra)
    text += "."
    if t.not_counted:
        text += f" {t.not_counted} tệp không được tính (xem cột «Lý do»)."
    return text


# --------------------------------------------------------------------------- collecting files


def collect_pdfs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to summarise: each file as given, each folder's ``*.pdf`` (sorted, not recursive).

    Raises:
        BadInputError: a path does not exist or a folder cannot be read.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            try:
                found = sorted(
                    (c for c in p.iterdir() if c.suffix.lower() == ".pdf" and c.is_file()),
                    key=lambda c: c.name.casefold(),
                )
            except OSError:
                raise BadInputError(
                    f"Không đọc được thư mục «{p}». Hãy kiểm tra quyền truy cập hoặc chọn thư mục khác."
                ) from None
        elif p.exists():
            found = [p]
        else:
            raise BadInputError(f"Không tìm thấy «{p}». Hãy kiểm tra lại đường dẫn tệp hoặc thư mục.")
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def require_pdfs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """:func:`collect_pdfs`, refusing an empty result: what every reading of the bloc's inbox starts with.

    Raises:
        BadInputError: a path does not exist, a folder cannot be read, or no PDF was found.
    """
    files = collect_pdfs(paths)
    if not files:
        raise BadInputError(
            "Không tìm thấy tệp hồ sơ PDF nào trong các đường dẫn đã chọn. Hãy chọn thư mục chứa hồ sơ (*.pdf)."
        )
    return files


def _read_trust(trust: Sequence[str | os.PathLike[str] | bytes]) -> list[bytes]:
    """Read extra trusted certificates once, so a bad one stops the run before any file."""
    from khoiapp.services.trust import parse_certificates

    out: list[bytes] = []
    for item in trust:
        if isinstance(item, (bytes, bytearray)):
            data = bytes(item)
            parse_certificates(data)
        else:
            p = Path(item)
            try:
                data = p.read_bytes()
            except OSError:
                raise TrustListError(
                    f"Không đọc được tệp chứng thư tin cậy «{p}». Hãy kiểm tra lại đường dẫn."
                ) from None
            parse_certificates(data, str(p))
        out.append(data)
    return out


# --------------------------------------------------------------------------- one file


def _norm(text: Any) -> str:
    return unicodedata.normalize("NFC", text).strip() if isinstance(text, str) else ""


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _not_dossier(p: Path, reason: str, verdict: str = NOT_DOSSIER, **extra: Any) -> SummaryRow:
    return SummaryRow(file=p.name, path=str(p), status=NOT_DOSSIER, reason=reason, verdict=verdict, **extra)


def _problems_text(problems: Sequence[str]) -> str:
    return " ".join(problems[:3])


def read_row(
    path: Path, trust: Sequence[bytes], *, accept_untrusted: bool = False, use_trust_store: bool = True
) -> SummaryRow:
    """Verify one file, then read its payload; never raises for a bad file (the row says why)."""
    try:
        return _read_row(path, trust, accept_untrusted=accept_untrusted, use_trust_store=use_trust_store)
    except (TrustListError, Cancelled):
        raise
    except Exception as exc:  # noqa: BLE001 - one file from outside must not stop the other hundred
        from khoiapp.crashlog import log_exception

        where = log_exception(exc)
        return _not_dossier(
            path,
            f"Khối gặp lỗi không lường trước khi đọc tệp «{path.name}» nên bỏ qua tệp này (chi tiết đã ghi vào "
            f"nhật ký {where}). Hãy đề nghị đơn vị gửi lại hồ sơ; nếu lỗi lặp lại, hãy gửi tệp nhật ký cho người "
            "hỗ trợ.",
        )


@dataclass(frozen=True)
class DossierRead:
    """One dossier verified and read from one private copy: its row (not judged yet) and, when the
    file is a readable dossier, the verification report, the checked payload and the file's SHA-256."""

    row: SummaryRow
    report: Any = None
    payload: dict[str, Any] | None = None
    sha256: str | None = None


def _read_row(path: Path, trust: Sequence[bytes], *, accept_untrusted: bool, use_trust_store: bool) -> SummaryRow:
    got = read_dossier(path, trust, use_trust_store=use_trust_store)
    if got.report is None or got.payload is None:
        return got.row
    return _judge(got.row, got.report.problems, accept_untrusted)


def read_dossier(path: Path, trust: Sequence[bytes], *, use_trust_store: bool) -> DossierRead:
    """Verify ``path`` and read its payload from the same bytes (the summary's and the bloc report's way).

    Never raises for what the file holds: a file that is not a dossier gets its NOT_DOSSIER row.

    Raises:
        TrustListError: a ``trust`` file cannot be read.
    """
    from khoiapp.dossier.reader import open_dossier
    from khoiapp.services.verify import verify_reader

    try:
        rd = open_dossier(path, strict=False)
    except KhoiError as exc:
        return DossierRead(_not_dossier(path, exc.message))
    except (OSError, MemoryError, RecursionError, ValueError) as exc:  # outside data: report it, go on
        log.info("cannot open %s: %r", path, exc)
        return DossierRead(_not_dossier(path, f"Không đọc được tệp «{path.name}». Hãy đề nghị đơn vị gửi lại hồ sơ."))
    # The signature, the manifest and the payload are all read from this one private copy.
    with rd:
        try:
            report = verify_reader(rd, trust, use_trust_store=use_trust_store)
        except TrustListError:
            raise
        except KhoiError as exc:
            return DossierRead(_not_dossier(path, exc.message))
        except (OSError, MemoryError, RecursionError, ValueError) as exc:  # outside data: report it, go on
            log.info("cannot verify %s: %r", path, exc)
            return DossierRead(
                _not_dossier(path, f"Không đọc được tệp «{path.name}». Hãy đề nghị đơn vị gửi lại hồ sơ.")
            )

        sig = {"signer": report.signer, "signing_time": report.signing_time}
        sha256 = rd.sha256
        try:
            rd.names  # noqa: B018 - unsafe or duplicate attachment names: not a dossier to count
            payload = rd.payload()
        except KhoiError as exc:
            return DossierRead(_not_dossier(path, exc.message, verdict=report.verdict, **sig), report)
        except (OSError, MemoryError, RecursionError, ValueError) as exc:
            log.info("cannot read payload of %s: %r", path, exc)
            return DossierRead(
                _not_dossier(
                    path,
                    f"Không đọc được dữ liệu hồ sơ trong tệp «{path.name}». Hãy đề nghị đơn vị gửi lại hồ sơ.",
                    verdict=report.verdict,
                    **sig,
                ),
                report,
            )

    return DossierRead(row_from_payload(path, report, payload), report, payload, sha256)


def row_from_payload(path: Path, report: Any, payload: dict[str, Any]) -> SummaryRow:
    """The (not yet judged) row of a verified dossier whose payload passed the schema check."""
    unit = payload.get("unit") or {}
    period = payload.get("period") or {}
    outcome = payload.get("outcome") or {}
    points = outcome.get("points") or {}
    year = period.get("year_end")
    return SummaryRow(
        file=path.name,
        path=str(path),
        status=COUNTED,
        reason="",
        verdict=report.verdict,
        unit_name=_norm(unit.get("name")),
        unit_type=_norm(unit.get("unit_type")),
        unit_type_label=_norm(unit.get("unit_type_label")),
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        period_label=_norm(period.get("label")),
        result=_norm(outcome.get("result")),
        result_label=_norm(outcome.get("result_label")),
        points=_num(points.get("total")),
        points_max=_num(points.get("max")),
        signer=report.signer,
        signing_time=report.signing_time,
        cert_fingerprints=tuple(c.fingerprint for c in report.signatures if c.fingerprint),
        created_at=_norm(payload.get("created_at")) or None,
        draft=bool(payload.get("draft")),
    )


def _judge(row: SummaryRow, problems: Sequence[str], accept_untrusted: bool) -> SummaryRow:
    """Set status and reason from the signature verdict and the draft flag."""
    if row.verdict == "invalid":
        return replace(
            row,
            status=INVALID,
            reason="Chữ ký số không hợp lệ hoặc tệp đã bị sửa sau khi ký: "
            + (_problems_text(problems) or "không rõ lý do.")
            + " Hãy xin đơn vị gửi lại bản gốc đã ký.",
        )
    if row.verdict == FOREIGN:
        return replace(
            row,
            status=FOREIGN,
            reason=next(
                (p for p in problems if p.startswith("Chữ ký không thuộc đơn vị")),
                "Chữ ký không thuộc đơn vị: chứng thư ký hồ sơ không ghi tên hay mã số của đơn vị. "
                "Hãy đề nghị đơn vị ký bằng chứng thư của chính đơn vị rồi gửi lại.",
            ),
        )
    if row.verdict == "unsigned":
        return replace(
            row,
            status=UNSIGNED,
            reason="Hồ sơ chưa được ký số nên không tính vào tổng hợp. Hãy đề nghị đơn vị ký số rồi gửi lại.",
        )
    if row.verdict == "untrusted" and not accept_untrusted:
        return replace(
            row,
            status=UNTRUSTED,
            reason="Chữ ký số còn nguyên vẹn nhưng chứng thư của người ký chưa có trong danh sách tin cậy. "
            "Hãy thêm chứng thư của đơn vị vào danh sách tin cậy (hoặc chọn chấp nhận chữ ký chưa tin cậy) "
            "rồi tổng hợp lại.",
        )
    if row.draft:
        return replace(
            row,
            status=DRAFT,
            reason="Đây là bản nháp, không phải hồ sơ chính thức. Hãy đề nghị đơn vị xuất bản chính thức, ký số "
            "rồi gửi lại.",
        )
    if row.year is None or not row.unit_name:
        return replace(
            row,
            status=NOT_DOSSIER,
            reason="Hồ sơ thiếu tên đơn vị hoặc năm đánh giá. Hãy đề nghị đơn vị điền đủ thông tin rồi xuất lại.",
        )
    return row


# --------------------------------------------------------------------------- the whole set


def _time_key(row: SummaryRow) -> tuple[float, float, str]:
    def ts(text: str | None) -> float:
        if not text:
            return float("-inf")
        try:
            t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return float("-inf")
        if t.tzinfo is None:
            t = t.replace(tzinfo=dt.timezone.utc)
        return t.timestamp()

    return (ts(row.signing_time), ts(row.created_at), row.file)


def _choose_year(rows: Sequence[SummaryRow]) -> int | None:
    years = Counter(r.year for r in rows if r.status == COUNTED and r.year is not None)
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


def _finish(rows: list[SummaryRow], year: int | None, expected: int | None, accept_untrusted: bool) -> BlocSummary:
    chosen = year if year is not None else _choose_year(rows)
    for i, r in enumerate(rows):
        if r.status == COUNTED and r.year != chosen:
            rows[i] = replace(
                r,
                status=OTHER_YEAR,
                reason=f"Hồ sơ năm {r.year}, không phải năm đang tổng hợp ({chosen}). "
                "Hồ sơ được liệt kê nhưng không tính.",
            )
    # duplicates: the same unit twice in the year, the newest signature counts
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.status == COUNTED:
            groups.setdefault(unit_key(r.unit_name), []).append(i)
    for idxs in groups.values():
        if len(idxs) < 2:
            continue
        keep = max(idxs, key=lambda i: _time_key(rows[i]))
        for i in idxs:
            if i != keep:
                rows[i] = replace(
                    rows[i],
                    status=DUPLICATE,
                    reason=f"Đơn vị này đã gửi nhiều hồ sơ năm {rows[i].year}; chỉ tính bản ký muộn nhất "
                    f"(tệp «{rows[keep].file}»).",
                )

    counted = [r for r in rows if r.status == COUNTED]
    valid = sum(1 for r in rows if r.status in (COUNTED, DUPLICATE))
    cultural = sum(1 for r in counted if r.result in (RESULT_CULTURAL, RESULT_MODEL))
    model = sum(1 for r in counted if r.result == RESULT_MODEL)
    not_passed = sum(1 for r in counted if r.result == RESULT_NOT_PASSED)
    no_data = sum(1 for r in counted if r.result not in (RESULT_CULTURAL, RESULT_MODEL, RESULT_NOT_PASSED))
    by_status = Counter(r.status for r in rows if r.status != COUNTED)
    base = expected if expected is not None else len(counted)
    totals = SummaryTotals(
        files=len(rows),
        valid=valid,
        counted=len(counted),
        cultural=cultural,
        model=model,
        not_passed=not_passed,
        no_data=no_data,
        not_counted=len(rows) - len(counted),
        not_counted_by_status=tuple(sorted(by_status.items())),
        expected=expected,
        base=base,
        cultural_percent=percent(cultural, base),
        model_percent=percent(model, base),
        not_passed_percent=percent(not_passed, base),
    )
    warnings: list[str] = []
    merged = tuple(merged_variants(r.unit_name for r in rows if r.status in (COUNTED, DUPLICATE)))
    for _key, spellings in merged:
        warnings.append(
            "Các tên sau được coi là cùng một đơn vị (chỉ khác dấu thanh, chữ hoa, khoảng trắng, ký tự ẩn "
            "hoặc dấu câu cuối): " + ", ".join(f"«{n}»" for n in spellings) + "."
        )
    if expected is not None and len(counted) > expected:
        warnings.append(
            f"Số đơn vị được tính ({len(counted)}) nhiều hơn số đơn vị của Khối đã nhập ({expected}). "
            "Hãy kiểm tra lại số đơn vị hoặc các hồ sơ trùng tên khác nhau."
        )
    return BlocSummary(
        rows=tuple(rows),
        totals=totals,
        year=chosen,
        expected_units=expected,
        accept_untrusted=accept_untrusted,
        warnings=tuple(warnings),
        merged_names=tuple(spellings for _k, spellings in merged),
    )


def summarise(
    paths: Iterable[str | os.PathLike[str]],
    *,
    year: int | None = None,
    expected_units: int | None = None,
    trust: Sequence[str | os.PathLike[str] | bytes] = (),
    accept_untrusted: bool = False,
    use_trust_store: bool = True,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
    isolated: bool | None = None,
    pins: UnitList | None = None,
) -> BlocSummary:
    """Summarise the dossiers the bloc received.

    Each file is read once, verified, then its payload is read from the same bytes, one file at a
    time, in a worker process with its own memory and time budget (``SUMMARY_FILE_MEMORY``,
    ``SUMMARY_FILE_SECONDS``). A bad file never stops the run: it gets a row saying why it is not
    counted, including a file that exhausts its budget. Only dossiers whose signature verdict is
    ``ok`` (or ``untrusted`` with ``accept_untrusted``), not drafts, of the summarised year count;
    a unit sending several dossiers for the year counts once, with the newest signature.

    Args:
        paths: PDF files and/or folders (a folder gives its ``*.pdf`` files, sorted, not recursive).
        year: the year to summarise; default the year most counted dossiers carry (the latest on a tie).
        expected_units: the number of units in the bloc; percentages are of it when given, else of
            the units counted.
        trust: extra trusted certificates (paths or bytes), besides the app's trust list.
        accept_untrusted: count intact signatures whose certificate is not trusted.
        use_trust_store: also trust the app's trust list (``trust list``).
        progress: ``progress(done, total)`` after each file.
        is_cancelled: polled between files.
        isolated: read each file in the budgeted worker (``False``: in this process, for tests
            that replace functions of this process); default :data:`ISOLATED`.
        pins: the bloc's unit list with the certificates registered per unit (``unit_pins.read_pins``,
            ``bloc.units.read_unit_list``): a listed unit's dossier signed with none of its registered
            certificates is «Chữ ký không thuộc đơn vị».

    Raises:
        BadInputError: a path is missing, a folder unreadable, no PDF found, or a bad number.
        TrustListError: a ``trust`` file cannot be read.
        Cancelled: ``is_cancelled`` returned true.
    """
    if expected_units is not None and expected_units <= 0:
        raise BadInputError("Số đơn vị của Khối phải là số nguyên dương (ví dụ 121). Hãy nhập lại.")
    if year is not None and not 1900 <= year <= 9999:
        raise BadInputError(f"Năm «{year}» không hợp lệ. Hãy nhập năm có bốn chữ số, ví dụ 2026.")
    files = require_pdfs(paths)
    roots = _read_trust(trust)
    rows: list[SummaryRow] = []
    total = len(files)
    if progress:
        progress(0, total)
    if isolated is None:
        isolated = ISOLATED
    worker = BudgetedWorker(Budget(SUMMARY_FILE_MEMORY, SUMMARY_FILE_SECONDS)) if isolated else None
    try:
        for n, f in enumerate(files, 1):
            if is_cancelled and is_cancelled():
                raise Cancelled()
            rows.append(_row_of(worker, f, roots, accept_untrusted, use_trust_store))
            if progress:
                progress(n, total)
    finally:
        if worker is not None:
            worker.close()
    if pins:
        from khoiapp.services.unit_pins import apply_pins

        rows = apply_pins(rows, pins, FOREIGN)
    return _finish(rows, year, expected_units, accept_untrusted)


def _row_of(
    worker: BudgetedWorker | None, f: Path, roots: Sequence[bytes], accept_untrusted: bool, use_trust_store: bool
) -> SummaryRow:
    """One file's row: read in ``worker`` (its own memory and time budget), or here without one."""
    if worker is None:
        return read_row(f, roots, accept_untrusted=accept_untrusted, use_trust_store=use_trust_store)
    try:
        row = worker.call(read_row, f, list(roots), accept_untrusted=accept_untrusted, use_trust_store=use_trust_store)
    except BudgetExceeded as exc:
        if exc.kind == "time":
            why = f"đọc quá {SUMMARY_FILE_SECONDS / 60:.0f} phút mà chưa xong"
        else:
            why = f"cần quá {SUMMARY_FILE_MEMORY // 2**20} MB bộ nhớ"
        return _not_dossier(
            f,
            f"Tệp «{f.name}» {why} nên Khối dừng đọc tệp này (tệp có thể đã bị làm giả để làm treo máy). "
            "Các tệp khác vẫn được tổng hợp. Hãy đề nghị đơn vị gửi lại hồ sơ.",
        )
    assert isinstance(row, SummaryRow)
    return row


# --------------------------------------------------------------------------- export


def row_cells(index: int, r: SummaryRow) -> list[str]:
    """The row as the table and the CSV show it (same order as ``CSV_HEADER``)."""
    return [
        str(index),
        r.file,
        r.unit_name,
        r.unit_type_label or r.unit_type,
        "" if r.year is None else str(r.year),
        r.result_label,
        format_points(r),
        r.verdict_label,
        r.signer or "",
        format_time(r.signing_time),
        "" if r.draft is None else ("có" if r.draft else "không"),
        r.status_label,
        r.reason,
    ]


def format_time(text: str | None) -> str:
    """An ISO time as dd/mm/yyyy HH:MM (in its own offset, Vietnam time for verify's output)."""
    if not text:
        return ""
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return f"{t:%d/%m/%Y %H:%M}"


def to_csv(summary: BlocSummary, path: str | os.PathLike[str]) -> Path:
    """Write the table as CSV for Excel: UTF-8 with BOM, ``;`` between fields, CRLF line ends.

    The totals follow the rows after one empty line, so the file alone is the report.

    Raises:
        OutputPathError: the file cannot be written.
    """
    out = Path(path)
    tmp = out.with_name(out.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
            w.writerow(CSV_HEADER)
            for i, r in enumerate(summary.rows, 1):
                w.writerow(row_cells(i, r))
            w.writerow([])
            for label, value in totals_lines(summary):
                w.writerow([label, value])
        os.replace(tmp, out)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise OutputPathError(
            f"Không ghi được tệp bảng tính «{out}» ({exc.strerror or exc}). "
            "Hãy chọn thư mục khác hoặc đóng tệp nếu đang mở trong Excel rồi thử lại."
        ) from None
    return out


def totals_lines(summary: BlocSummary) -> list[tuple[str, str]]:
    """(label, value) pairs of the totals, for the CSV's foot and the CLI."""
    t = summary.totals
    lines = [
        ("Năm tổng hợp", "" if summary.year is None else str(summary.year)),
        ("Số tệp đã đọc", str(t.files)),
        ("Số đơn vị được tính", str(t.counted) + (f"/{t.expected}" if t.expected is not None else "")),
        ("Đạt chuẩn văn hóa (kể cả kiểu mẫu)", f"{t.cultural} ({t.cultural_percent_text})"),
        ("Trong đó kiểu mẫu", f"{t.model} ({t.model_percent_text})"),
        ("Chưa đạt", f"{t.not_passed} ({t.not_passed_percent_text})"),
        ("Chưa đủ dữ liệu", str(t.no_data)),
        ("Không được tính", str(t.not_counted)),
    ]
    for status, n in t.not_counted_by_status:
        lines.append((f"  – {STATUS_LABELS.get(status, status)}", str(n)))
    lines.append(("Tổng hợp", summary.sentence))
    return lines


def to_json_file(summary: BlocSummary, path: str | os.PathLike[str]) -> Path:
    """Write :meth:`BlocSummary.to_json` as UTF-8 JSON."""
    out = Path(path)
    try:
        out.write_text(json.dumps(summary.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise OutputPathError(
            f"Không ghi được tệp «{out}» ({exc.strerror or exc}). Hãy chọn thư mục khác rồi thử lại."
        ) from None
    return out


__all__ = [
    "BlocSummary",
    "SummaryRow",
    "SummaryTotals",
    "collect_pdfs",
    "format_percent",
    "percent",
    "summarise",
    "to_csv",
    "to_json_file",
    "totals_sentence",
]
