"""Extracting a dossier's payload and attachments into a folder, hash-checked, all or nothing.

Everything is read from one private copy of the dossier (:func:`khoiapp.dossier.reader.open_dossier`)
and checked before the first byte is written: names, payload limits, manifest. Each file is written
to a temporary name and renamed only when its SHA-256 and size match the manifest.
"""

from __future__ import annotations

import errno
import hashlib
import os
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khoiapp.dossier.jsontext import parse_json
from khoiapp.dossier.limits import (
    MAX_ATTACHMENTS,
    MAX_DOSSIER_BYTES,
    MAX_NAME_LENGTH,
    MAX_PAYLOAD_BYTES,
    PAYLOAD_NAME,
    SCHEMA_ID,
)
from khoiapp.dossier.reader import open_dossier
from khoiapp.dossier.schema import payload_problems
from khoiapp.errors import Cancelled, DiskFullError, DossierError, DossierLimitError, OutputPathError, UnsafeNameError
from khoiapp.safename import check_name


Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

__all__ = ["ExtractResult", "check_safe_name", "extract_dossier", "manifest_entries"]


@dataclass(frozen=True)
class ExtractResult:
    payload_path: Path
    files: list[Path]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_safe_name(name: str) -> str:
    """Return ``name`` if it is a plain file name; raise :class:`DossierError` otherwise.

    The rules are :func:`khoiapp.safename.check_name`'s, and a name must also fit
    in 255 bytes of UTF-8 (the file system limit), since it becomes a file on disk here.
    """
    try:
        check_name(name, max_utf8_bytes=MAX_NAME_LENGTH)
    except UnsafeNameError:
        shown = str(name).encode("unicode_escape").decode("ascii")[:120]
        raise DossierError(
            f"Hồ sơ có tệp đính kèm mang tên không an toàn «{shown}» (chứa đường dẫn, ký tự điều khiển "
            "hoặc tên thiết bị). Khối không giải nén hồ sơ này để tránh ghi ra ngoài thư mục đã chọn. "
            "Hãy đề nghị đơn vị gửi lại hồ sơ xuất bằng Khối."
        ) from None
    return name


def manifest_entries(payload: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(name, sha256, size) of every manifest entry; raises DossierError on a malformed manifest."""
    man = payload.get("manifest")
    if not isinstance(man, list):
        raise DossierError("Dữ liệu hồ sơ không có danh mục tệp đính kèm (manifest) hợp lệ; hồ sơ có thể bị hỏng.")
    out = []
    for i, m in enumerate(man):
        if not (
            isinstance(m, dict)
            and isinstance(m.get("name"), str)
            and isinstance(m.get("sha256"), str)
            and isinstance(m.get("size"), int)
            and m["size"] >= 0
        ):
            raise DossierError(f"Mục thứ {i + 1} trong danh mục tệp đính kèm bị sai định dạng; hồ sơ có thể bị hỏng.")
        out.append((unicodedata.normalize("NFC", m["name"]), m["sha256"].lower(), m["size"]))
    if len(out) > MAX_ATTACHMENTS:
        raise DossierError(f"Danh mục hồ sơ có hơn {MAX_ATTACHMENTS} tệp, vượt giới hạn của định dạng hồ sơ Khối.")
    return out


def extract_dossier(
    pdf_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ExtractResult:
    """Write the payload and every attachment of a dossier into ``out_dir``, checking hashes.

    Names come from the dossier; every one is checked first (:func:`check_safe_name`), so nothing
    is written outside ``out_dir``. Everything is read from one private copy of the dossier and
    checked before anything is written (names, payload size, nesting and value count, manifest,
    declared sizes). Files are written into a hidden temporary folder inside ``out_dir`` and moved
    into place at the end; on any error nothing is left. A file not matching its SHA-256 and size
    is not kept and is listed in ``problems``, as are attachments the manifest does not list (not
    extracted) and a payload that does not fit the JSON Schema. Existing files with the same
    names are replaced.

    Raises:
        DossierError: not a readable dossier, unsafe names, malformed manifest, size limits.
        OutputPathError, DiskFullError: ``out_dir`` cannot be written.
        Cancelled: ``is_cancelled`` returned true (nothing is left).
    """
    out = Path(out_dir)
    problems: list[str] = []
    with open_dossier(pdf_path) as rd:
        atts = _attachment_names(rd)
        for a in atts:
            check_safe_name(a)
        if PAYLOAD_NAME not in atts:
            raise DossierError(
                f"Tệp «{Path(pdf_path).name}» không có dữ liệu hồ sơ «{PAYLOAD_NAME}» đính kèm: đây không phải "
                "hồ sơ do Khối xuất, hoặc dữ liệu đã bị gỡ. Hãy đề nghị đơn vị gửi lại hồ sơ gốc."
            )
        if atts.count(PAYLOAD_NAME) > 1:
            raise DossierError(f"Hồ sơ có nhiều tệp «{PAYLOAD_NAME}»; hồ sơ có thể đã bị sửa.")
        raw = rd.read_attachment(PAYLOAD_NAME, limit=MAX_PAYLOAD_BYTES)
        payload = parse_json(raw)
        if not isinstance(payload, dict) or not str(payload.get("schema", "")).startswith(SCHEMA_ID + "/"):
            raise DossierError(
                f"Dữ liệu hồ sơ «{PAYLOAD_NAME}» không đúng định dạng {SCHEMA_ID}. "
                "Hồ sơ được tạo bằng phần mềm khác hoặc phiên bản Khối mới hơn; hãy cập nhật Khối."
            )
        entries = manifest_entries(payload)
        for name, _h, _n in entries:
            check_safe_name(name)
        total = sum(size for _n, _h, size in entries)
        if total > MAX_DOSSIER_BYTES:
            raise DossierLimitError(
                f"Danh mục hồ sơ ghi tổng dung lượng tệp đính kèm vượt giới hạn {MAX_DOSSIER_BYTES // 2**20} MB "
                "của một hồ sơ. Hồ sơ có thể đã bị làm giả; hãy xin lại bản hồ sơ gốc."
            )
        seen: set[str] = set()
        for a in atts:
            if a in seen:
                problems.append(f"Có nhiều tệp đính kèm cùng tên «{a}»; chỉ giải nén tệp đầu tiên.")
            seen.add(a)
        listed = {n for n, _h, _s in entries}
        if len(listed) != len(entries):
            problems.append("Danh mục tệp đính kèm có tên trùng nhau.")
        for name in sorted(seen - listed - {PAYLOAD_NAME}):
            problems.append(f"Tệp đính kèm «{name}» không có trong danh mục hồ sơ nên không được giải nén.")
        for p in payload_problems(payload, limit=5):
            problems.append(f"Dữ liệu hồ sơ không đúng lược đồ JSON: {p}")

        _make_dir(out)
        staging = _staging_dir(out)
        try:
            kept: list[str] = [PAYLOAD_NAME]
            _write_checked(staging / PAYLOAD_NAME, iter([raw]))
            done = 0
            if progress:
                progress(0, total)
            for name, want_hash, want_size in entries:
                if name not in seen:
                    problems.append(f"Thiếu tệp đính kèm «{name}» có trong danh mục hồ sơ.")
                    continue
                h = hashlib.sha256()
                counted = [0]

                def hashed(name: str = name, h: Any = h, counted: list[int] = counted, size: int = want_size) -> Iterator[bytes]:
                    nonlocal done
                    for chunk in rd.iter_attachment(name, limit=size):
                        if is_cancelled and is_cancelled():
                            raise Cancelled()
                        h.update(chunk)
                        counted[0] += len(chunk)
                        done += len(chunk)
                        if progress:
                            progress(min(done, total), total)
                        yield chunk

                def matches(h: Any = h, counted: list[int] = counted, want: str = want_hash, n: int = want_size) -> bool:
                    return bool(h.hexdigest() == want and counted[0] == n)

                try:
                    ok = _write_checked(staging / name, hashed(), check=matches)
                except DossierLimitError:
                    ok = False
                except DossierError as exc:
                    problems.append(exc.message)
                    continue
                if ok:
                    kept.append(name)
                else:
                    problems.append(
                        f"Tệp đính kèm «{name}» không khớp mã băm SHA-256 hoặc kích thước ghi trong danh mục hồ sơ "
                        "(nội dung đã bị thay) nên không được giữ lại."
                    )
            files = _move_into_place(staging, out, kept)
        finally:
            _remove_tree(staging)
    return ExtractResult(payload_path=out / PAYLOAD_NAME, files=files, problems=tuple(problems))


def _attachment_names(rd: Any) -> list[str]:
    """Every attachment name as stored (NFC), duplicates included, in stored order."""
    from khoiapp.dossier.pdf import embedded_files

    out = []
    for f in embedded_files(rd.pdf.root):
        if f.spec is None:
            continue
        if not isinstance(f.raw_name, str):
            raise UnsafeNameError(repr(f.raw_name)[:200])
        out.append(unicodedata.normalize("NFC", f.raw_name))
    return out


def _make_dir(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputPathError(f"«{out}» là một tệp, không phải thư mục. Hãy chọn thư mục khác để giải nén.") from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFullError() from None
        raise OutputPathError(
            f"Không tạo được thư mục «{out}» ({exc.strerror}). Hãy chọn thư mục có quyền ghi."
        ) from None


def _staging_dir(out: Path) -> Path:
    import tempfile

    try:
        return Path(tempfile.mkdtemp(prefix=".khoi-giai-nen-", dir=out))
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DiskFullError() from None
        raise OutputPathError(
            f"Không ghi được vào thư mục «{out}» ({exc.strerror}). Hãy chọn thư mục có quyền ghi."
        ) from None


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _move_into_place(staging: Path, out: Path, names: list[str]) -> list[Path]:
    moved = []
    for name in names:
        target = out / name
        try:
            os.replace(staging / name, target)
        except OSError as exc:
            raise OutputPathError(
                f"Không ghi được tệp «{target}» ({exc.strerror}). Hãy chọn thư mục có quyền ghi."
            ) from None
        moved.append(target)
    return moved


def _write_checked(target: Path, chunks: Iterator[bytes], check: Callable[[], bool] | None = None) -> bool:
    """Write chunks to ``target`` (inside the staging folder); remove it and return False when
    ``check`` fails."""
    try:
        with open(target, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        if check is not None and not check():
            target.unlink(missing_ok=True)
            return False
        return True
    except OSError as exc:
        target.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFullError() from None
        raise OutputPathError(
            f"Không ghi được tệp «{target.name}» ({exc.strerror}). Hãy chọn thư mục có quyền ghi."
        ) from None
    except BaseException:
        target.unlink(missing_ok=True)
        raise
