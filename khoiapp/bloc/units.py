"""The bloc's unit list: who should send a dossier, under which name and signed by which certificate."""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from khoiapp.errors import OutputPathError, UnitListError

MAX_LIST_BYTES = 5 * 1024 * 1024
MAX_UNITS = 5000
MAX_NAME = 300

UNIT_TYPES = {"co-quan": "Cơ quan", "don-vi": "Đơn vị", "doanh-nghiep": "Doanh nghiệp"}

# Column headers as the template writes them, and the spellings accepted when reading.
COL_NAME = "Tên đơn vị"
COL_SHORT = "Tên viết tắt"
COL_TYPE = "Loại hình"
COL_FPR = "Dấu vân tay chứng thư (SHA-256)"
HEADER = (COL_NAME, COL_SHORT, COL_TYPE, COL_FPR)
_ALIASES = {
    "stt": None,
    "tên đơn vị": COL_NAME,
    "tên cơ quan, đơn vị": COL_NAME,
    "tên viết tắt": COL_SHORT,
    "loại hình": COL_TYPE,
    "dấu vân tay chứng thư (sha-256)": COL_FPR,
    "dấu vân tay chứng thư": COL_FPR,
    "dấu vân tay": COL_FPR,
}
_FPR = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class BlocUnit:
    """One unit the bloc expects a dossier from."""

    name: str
    short_name: str = ""
    unit_type: str = ""  # co-quan | don-vi | doanh-nghiep | ""
    fingerprints: tuple[str, ...] = ()  # SHA-256 of the certificates allowed to sign for it (lower hex)

    @property
    def unit_type_label(self) -> str:
        return UNIT_TYPES.get(self.unit_type, self.unit_type)


@dataclass(frozen=True)
class UnitList:
    units: tuple[BlocUnit, ...]
    source: str = ""

    def __len__(self) -> int:
        return len(self.units)


def unit_key(name: str) -> str:
    """The key two names of one unit share: the one unit-name normaliser the summary uses too
    (tone-mark placement, case, invisible characters, spaces, trailing punctuation)."""
    from khoiapp import unitname

    return unitname.unit_key(name)


def _clean(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def _parse_type(raw: str, row: int) -> str:
    if not raw:
        return ""
    low = raw.casefold()
    for key, label in UNIT_TYPES.items():
        if low in (key, label.casefold()):
            return key
    raise UnitListError(
        f"Dòng {row}: loại hình «{raw}» không hợp lệ. Hãy ghi một trong: Cơ quan, Đơn vị, Doanh nghiệp "
        "(hoặc để trống)."
    )


def _parse_fingerprints(raw: str, row: int) -> tuple[str, ...]:
    out: list[str] = []
    parts: list[str] = []
    for chunk in re.split(r"[;,\n]+", raw):
        tokens = chunk.split()
        # "AB CD …" is one fingerprint written with spaces; whole fingerprints side by side are several
        several = len(tokens) > 1 and all(len(t.replace(":", "")) == 64 for t in tokens)
        parts.extend(tokens if several else [chunk.strip()])
    for part in parts:
        if not part:
            continue
        fpr = re.sub(r"[\s:]", "", part.lower())
        if not _FPR.match(fpr):
            raise UnitListError(
                f"Dòng {row}: dấu vân tay chứng thư «{part[:80]}» không đúng dạng SHA-256 (64 chữ số hệ 16, "
                "có thể viết cách nhau bằng dấu hai chấm). Hãy chép lại dấu vân tay từ lệnh «Tin cậy» hoặc "
                "để trống ô này."
            )
        if fpr not in out:
            out.append(fpr)
    return tuple(out)


def parse_rows(table: list[list[object]], source: str = "") -> UnitList:
    """Check a table (first row the header) and turn it into a :class:`UnitList`.

    Raises:
        UnitListError: a wrong or missing column, an empty or duplicate name, a bad type or fingerprint.
    """
    while table and not any(_clean(c) for c in table[0]):
        table = table[1:]
    if not table:
        raise UnitListError(
            "Danh sách đơn vị trống. Hãy ghi mỗi đơn vị một dòng, dòng đầu là tiêu đề: " + ", ".join(HEADER) + "."
        )
    cols: list[str | None] = []
    for cell in table[0]:
        head = _clean(cell)
        if not head:
            cols.append(None)
            continue
        if head.casefold() not in _ALIASES:
            raise UnitListError(
                f"Cột «{head}» không có trong mẫu danh sách đơn vị. Các cột dùng được: "
                + ", ".join(HEADER)
                + ". Hãy sửa tiêu đề cột hoặc xóa cột đó."
            )
        col = _ALIASES[head.casefold()]
        if col is not None and col in cols:
            raise UnitListError(f"Cột «{col}» xuất hiện hai lần. Hãy giữ một cột.")
        cols.append(col)
    if COL_NAME not in cols:
        raise UnitListError(f"Danh sách đơn vị thiếu cột «{COL_NAME}». Hãy thêm cột này ở dòng tiêu đề.")
    if len(table) - 1 > MAX_UNITS:
        raise UnitListError(f"Danh sách có {len(table) - 1} dòng, vượt giới hạn {MAX_UNITS} đơn vị. Hãy tách danh sách.")
    units: list[BlocUnit] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(table[1:], start=2):
        cells = {c: _clean(raw[i]) if i < len(raw) else "" for i, c in enumerate(cols) if c is not None}
        if not any(cells.values()):
            continue
        name = cells.get(COL_NAME, "")
        if not name:
            raise UnitListError(f"Dòng {n}: chưa có tên đơn vị. Hãy ghi tên đầy đủ của đơn vị hoặc xóa dòng này.")
        if len(name) > MAX_NAME:
            raise UnitListError(f"Dòng {n}: tên đơn vị dài quá {MAX_NAME} ký tự. Hãy rút gọn tên.")
        key = unit_key(name)
        if key in seen:
            raise UnitListError(
                f"Dòng {n}: đơn vị «{name}» trùng với dòng {seen[key]}. Mỗi đơn vị chỉ ghi một lần; "
                "hãy xóa một dòng."
            )
        seen[key] = n
        units.append(
            BlocUnit(
                name=name,
                short_name=cells.get(COL_SHORT, "")[:100],
                unit_type=_parse_type(cells.get(COL_TYPE, ""), n),
                fingerprints=_parse_fingerprints(cells.get(COL_FPR, ""), n),
            )
        )
    if not units:
        raise UnitListError("Danh sách đơn vị chưa có đơn vị nào. Hãy ghi mỗi đơn vị một dòng dưới dòng tiêu đề.")
    return UnitList(units=tuple(units), source=source)


def _read_csv(data: bytes) -> list[list[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            raise UnitListError(
                "Tệp CSV không đọc được (không phải UTF-8). Hãy lưu lại từ Excel bằng «CSV UTF-8»."
            ) from None
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") >= first.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delim)]


def _read_xlsx(data: bytes) -> list[list[object]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            # a zip bomb must not get as far as openpyxl
            if sum(i.file_size for i in z.infolist()) > 20 * MAX_LIST_BYTES:
                raise UnitListError("Tệp Excel quá lớn sau khi giải nén. Hãy chỉ giữ danh sách đơn vị trong tệp.")
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UnitListError:
        raise
    except Exception:  # noqa: BLE001 - any broken workbook is the same to the user
        raise UnitListError(
            "Tệp Excel bị hỏng hoặc không phải tệp .xlsx. Hãy mở bằng Excel, lưu lại dạng .xlsx rồi chọn lại."
        ) from None
    try:
        ws = wb.worksheets[0]
        rows: list[list[object]] = []
        for r in ws.iter_rows(values_only=True):
            rows.append(list(r))
            if len(rows) > MAX_UNITS + 2:
                break
        return rows
    finally:
        wb.close()


def by_key(items: Sequence[BlocUnit]) -> dict[str, BlocUnit]:
    """The units by :func:`unit_key` of their name, then of their short name (a name wins)."""
    out: dict[str, BlocUnit] = {}
    for u in items:
        out.setdefault(unit_key(u.name), u)
    for u in items:
        if u.short_name:
            out.setdefault(unit_key(u.short_name), u)
    return out


def registered_signer(unit: BlocUnit, fingerprints: Iterable[str | None]) -> bool:
    """Whether a dossier signed with certificates of these SHA-256 ``fingerprints`` may count for
    ``unit``: always when the list registers no certificate for it, else when one of them is registered.
    This is the one rule of «which certificate is expected for which unit»."""
    if not unit.fingerprints:
        return True
    return any((f or "").lower() in unit.fingerprints for f in fingerprints)


def wrong_signer_reason(unit: BlocUnit, signer: str | None) -> str:
    """The reason shown when :func:`registered_signer` is false."""
    return (
        f"Chữ ký không thuộc đơn vị: hồ sơ ký bằng chứng thư của «{signer or 'không rõ'}», không phải chứng thư "
        f"đã đăng ký cho «{unit.name}» trong danh sách đơn vị của Khối. Hãy đề nghị đơn vị ký bằng chứng thư đã "
        "đăng ký, hoặc cập nhật dấu vân tay trong danh sách nếu đơn vị đã đổi chứng thư."
    )


def is_header(row: Sequence[object]) -> bool:
    """Whether ``row`` is a unit list's header line (every filled cell a known column name)."""
    heads = [_clean(c).casefold() for c in row]
    return any(heads) and all(h in _ALIASES for h in heads if h)


def read_table(path: str | os.PathLike[str]) -> list[list[object]]:
    """The cells of a .csv or .xlsx list, size checked before reading, not yet checked as a list.

    Raises:
        UnitListError: the file is missing, too big, unreadable or neither CSV nor XLSX.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError:
        raise UnitListError(f"Không tìm thấy tệp danh sách đơn vị «{p}». Hãy kiểm tra lại đường dẫn.") from None
    if size > MAX_LIST_BYTES:
        raise UnitListError(
            f"Tệp danh sách đơn vị «{p.name}» lớn quá {MAX_LIST_BYTES // 1024 // 1024} MB. "
            "Hãy chỉ giữ danh sách đơn vị trong tệp."
        )
    try:
        data = p.read_bytes()
    except OSError:
        raise UnitListError(f"Không đọc được tệp «{p}». Hãy kiểm tra quyền truy cập.") from None
    if p.suffix.lower() == ".xlsx" or data[:4] == b"PK\x03\x04":
        table = _read_xlsx(data)
    elif p.suffix.lower() in (".csv", ".txt"):
        table = _read_csv(data)
    else:
        raise UnitListError(f"Tệp «{p.name}» không phải .csv hay .xlsx. Hãy chọn tệp danh sách đơn vị dạng Excel hoặc CSV.")
    return table


def read_unit_list(path: str | os.PathLike[str]) -> UnitList:
    """Read the bloc's unit list from a .csv or .xlsx file.

    Raises:
        UnitListError: the file is missing, too big, unreadable or its content is not a valid list.
    """
    return parse_rows(read_table(path), str(path))


def write_unit_list(units: UnitList | tuple[BlocUnit, ...], path: str | os.PathLike[str]) -> Path:
    """Write the list as .xlsx or .csv (by the suffix), in the layout :func:`read_unit_list` reads.

    Raises:
        OutputPathError: the file cannot be written.
    """
    items = units.units if isinstance(units, UnitList) else units
    out = Path(path)
    rows = [[u.name, u.short_name, u.unit_type_label, "\n".join(u.fingerprints)] for u in items]
    tmp = out.with_name(out.name + ".tmp")
    try:
        if out.suffix.lower() == ".xlsx":
            from openpyxl import Workbook
            from openpyxl.styles import Alignment, Font

            wb = Workbook()
            ws = wb.active
            assert ws is not None
            ws.title = "Danh sách đơn vị"
            ws.append(list(HEADER))
            for r in rows:
                ws.append(r)
            for c in ws[1]:
                c.font = Font(bold=True)
            for row in ws.iter_rows(min_row=2):
                row[3].alignment = Alignment(wrap_text=True)
            for col, width in zip("ABCD", (60, 18, 14, 70)):
                ws.column_dimensions[col].width = width
            ws.freeze_panes = "A2"
            wb.save(tmp)
        else:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
                w.writerow(HEADER)
                w.writerows([[*r[:3], " ".join(r[3].split())] for r in rows])
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputPathError(
            f"Không ghi được tệp danh sách đơn vị «{out}» ({exc.strerror or exc}). "
            "Hãy đóng tệp nếu đang mở trong Excel hoặc chọn thư mục khác."
        ) from None
    return out


__all__ = ["BlocUnit", "UnitList", "read_unit_list", "write_unit_list", "parse_rows", "unit_key", "UNIT_TYPES"]
