"""Exporting a dossier PDF: preflight, pages, embedded payload and evidence, signing, self-check.

The file is written beside the destination under a hidden name (``.<name>.dang-xuat``) and
renamed over the destination only after the self-check passed, so a failed, cancelled or
interrupted export never leaves a half-written dossier where the user expects one.

The attachments are one incremental update appended to the rendered pages, written here rather
than with pyHanko or pypdf so that evidence files are copied from the document in chunks and
never held in memory whole (see ``docs/dossier-format.md`` for the structure).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import tempfile
import hashlib
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import select

from khoiapp.fileperm import give_normal_permissions
from khoiapp.db import Document
from khoiapp.dossier.limits import PAYLOAD_NAME, SCHEMA
from khoiapp.errors import (
    BadInputError,
    Cancelled,
    DiskFullError,
    DossierError,
    ExportCheckError,
    ExportRefusedError,
    KhoiError,
    OutputPathError,
)
from khoiapp.services import document as docsvc
from khoiapp.services import evidence as evsvc
from khoiapp.services.payload import build_payload, payload_bytes
from khoiapp.services.renditions import ExportRenditions
from khoiapp.services.renditions import key as rendition_key
from khoiapp.services.photo_copies import (
    ESTIMATED_COPY_BYTES,
    PHOTO_COPY_MODES,
    ReducedCopy,
    apply_copies,
    copy_plan,
    estimated_saving,
    item_saving,
    make_copies,
    print_spec_of_copy,
    reducible,
)

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from khoiapp.pdf.render import RenderInfo

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

CHUNK = 1024 * 1024
TEMP_SUFFIX = ".dang-xuat"
PAYLOAD_DESC = "Dữ liệu hồ sơ máy đọc được (khoi-dossier/1)"
_MD5_PLACEHOLDER = b"0" * 32
_RENDER_SHARE = 0.05  # share of the progress bar given to the page rendering

__all__ = [
    "ExportResult",
    "SignRequest",
    "SizeCheck",
    "expected_size",
    "size_check",
    "export_dossier",
    "preflight_messages",
    "temp_path_for",
]


@dataclass(frozen=True)
class SignRequest:
    """How to sign the dossier: a .p12/.pfx file with its password, or a PKCS#11 token.

    Secrets are held only for the call and never printed (``repr`` hides them).
    """

    p12_path: Path | None = None
    password: str | None = field(default=None, repr=False)
    pkcs11_lib: str | None = None
    token_label: str | None = None
    key_label: str | None = None
    pin: str | None = field(default=None, repr=False)
    visible: bool = True
    signer_label: str = ""
    timestamp_url: str | None = None
    role: str = "chu-tich"  # which box this signature fills: chu-tich, thu-truong, don-vi
    lt: bool = False  # add the validation data available offline (PAdES B-LT)

    def __post_init__(self) -> None:
        if (self.p12_path is None) == (self.pkcs11_lib is None):
            raise BadInputError(
                "Hãy chọn đúng một cách ký: tệp chứng thư số (.p12/.pfx) hoặc USB token (PKCS#11)."
            )
        if self.pkcs11_lib is not None and not (self.token_label and self.key_label):
            raise BadInputError("Ký bằng USB token cần nhãn token và nhãn khóa ký (--token, --key).")


@dataclass(frozen=True)
class ExportResult:
    """What was written: ``attachments`` counts the evidence files embedded (not the payload)."""

    path: Path
    size: int
    pages: int
    payload_sha256: str
    attachments: int
    signed: bool
    warnings: tuple[str, ...] = ()
    signing_choice: Any = None  # SigningChoiceView of a signed export, for the window to remember
    # what the export made from the evidence, for the caller to keep with renditions.store(doc, …)
    renditions: ExportRenditions | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class _FileToEmbed:
    name: str
    mime: str
    desc: str
    size: int
    sha256: str
    relationship: str
    path: Path | None = None  # a reduced copy on disk; None: the evidence blob in the document


# ---------------------------------------------------------------- preflight and size


def preflight_messages(doc: Document, year: int) -> list[str]:
    """The preflight items of the period as Vietnamese lines (empty: ready to export)."""
    summary = docsvc.period_summary(doc, year)
    out = []
    for item in summary.preflight:
        code = f"[{item.code}] " if item.code and item.kind != "profile" else ""
        out.append(f"{code}{item.message}")
    return out


PRINTED_IMAGE_BYTES = 80_000  # a photo on a sheet of four at 150 dpi (khoiapp.pdf.images)
PRINTED_PAGE_BYTES = 200_000  # one page of a PDF evidence rasterised at 150 dpi
SIZE_WARNING_ITEMS = 5


def _expected_size(payload: dict[str, Any]) -> int:
    raw = payload_bytes(payload)
    embedded = sum(m["size"] for m in payload["manifest"])
    shown = [e for e in payload["evidence"] if e["sha256"] and e.get("embedded")]
    # The appendix prints each photo as a print-size JPEG, whatever the original's size, and every
    # page of a PDF evidence (a scanned page is roughly 300 KB of the file, at most 60 pages).
    images = sum(min(e["size"], PRINTED_IMAGE_BYTES) for e in shown if str(e["mime_type"]).startswith("image/"))
    pdf_pages = sum(min(60, max(1, e["size"] // 300_000)) for e in shown if e["mime_type"] == "application/pdf")
    text_pages = 14 + len(payload["results"]) // 2 + len(payload["evidence"]) // 20
    rendered = 250_000 + 4_000 * text_pages + images + PRINTED_PAGE_BYTES * pdf_pages
    per_file = 600
    return int(rendered + embedded + len(raw) // 4 + per_file * (len(payload["manifest"]) + 1))


def expected_size(doc: Document, year: int) -> int:
    """An estimate of the dossier's size in bytes, to show before exporting (default choices:
    photos reduced when the originals would exceed the size budget).

    Rendered pages (fonts, text, images shown in the appendix) plus the embedded evidence and the
    compressed payload; accurate to within a few tens of percent.
    """
    return size_check(doc, year).expected


@dataclass(frozen=True)
class SizeCheck:
    """The dossier's expected size against the size budget of the settings.

    ``biggest``: the largest embedded evidence files, (code, title, size), largest first.
    ``to_reduce`` / ``to_list``: the codes whose choice, changed to «Đính kèm bản thu nhỏ» /
    «Chỉ liệt kê», would bring the dossier to about ``after`` bytes, within the budget when possible
    (empty when within the budget already).
    """

    expected: int
    budget: int
    biggest: tuple[tuple[str, str, int], ...]
    reduced: bool = False  # the photos left at «Tự động» are reduced in this estimate
    to_reduce: tuple[str, ...] = ()
    to_list: tuple[str, ...] = ()
    after: int = 0

    @property
    def over(self) -> bool:
        return self.expected > self.budget

    def warning(self) -> str:
        """The Vietnamese warning shown before exporting a dossier over its budget ("" when within it)."""
        if not self.over:
            return ""
        from khoiapp.pdf.text import fmt_size

        items = "; ".join(f"{code} “{title}” ({fmt_size(size)})" for code, title, size in self.biggest)
        how = ", kể cả khi ảnh được đính kèm bản thu nhỏ" if self.reduced else ""
        advice = []
        if self.to_reduce:
            advice.append(f"chọn “Đính kèm bản thu nhỏ” cho {_codes(self.to_reduce)}")
        if self.to_list:
            advice.append(f"chọn “Chỉ liệt kê” cho {_codes(self.to_list)} (bản gốc lưu tại đơn vị)")
        if advice and self.after <= self.budget:
            fix = (f"Để hồ sơ còn khoảng {fmt_size(self.after)}, dưới mức này: {', rồi '.join(advice)} "
                   "trong trang Minh chứng; hoặc vẫn xuất và gửi bằng USB.")
        else:
            fix = ("Hãy chọn “Chỉ liệt kê” cho minh chứng không cần gửi kèm (bản gốc lưu tại đơn vị), "
                   "hoặc vẫn xuất và gửi bằng USB.")
        return (
            f"Hồ sơ dự kiến khoảng {fmt_size(self.expected)}{how}, lớn hơn mức {fmt_size(self.budget)} đặt trong "
            f"Cài đặt (cỡ tệp gửi được qua thư điện tử hoặc ứng dụng nhắn tin). Các minh chứng lớn nhất: {items}. "
            + fix
        )


def _codes(codes: tuple[str, ...], shown: int = 6) -> str:
    if len(codes) <= shown:
        return ", ".join(codes)
    return ", ".join(codes[:shown]) + f" và {len(codes) - shown} minh chứng khác"


def size_check(doc: Document, year: int, budget_mb: int | None = None, photo_copies: str = "auto") -> SizeCheck:
    """The expected size of the period's dossier and its biggest files, against ``budget_mb``
    (default: the settings' ``dossier_budget_mb``), with the photo choice of ``export_dossier``."""
    return size_checks(doc, year, budget_mb)[photo_copies]


def attach_choices(doc: Document, year: int) -> dict[str, str]:
    """Each embedded evidence item's own choice (code → ``auto``/``original``/``reduced``)."""
    from khoiapp.models import Evidence

    with doc.read() as s:
        p = docsvc.get_period(s, year)
        rows = s.execute(select(Evidence.code, Evidence.copy_mode).where(Evidence.period_id == p.id)).all()
    from khoiapp.services.evidence import copy_choice

    return {code: copy_choice(mode) for code, mode in rows}


def _printed(e: dict[str, Any]) -> int:
    """Bytes the appendix adds for ``e`` (its print-size image or pages), as in :func:`_expected_size`."""
    if str(e["mime_type"]).startswith("image/"):
        return min(int(e["size"]), PRINTED_IMAGE_BYTES)
    if e["mime_type"] == "application/pdf":
        return PRINTED_PAGE_BYTES * min(60, max(1, int(e["size"]) // 300_000))
    return 0


def size_checks(doc: Document, year: int, budget_mb: int | None = None) -> dict[str, SizeCheck]:
    """:func:`size_check` for each photo choice (``auto``, ``original``, ``reduced``), one payload read."""
    if budget_mb is None:
        from khoiapp import appconfig

        budget_mb = int(appconfig.load().dossier_budget_mb)
    payload = build_payload(doc, year, clock=dt.datetime.now(dt.timezone.utc), draft=False)
    choices = attach_choices(doc, year)
    budget = int(budget_mb) * 1024 * 1024
    with_originals = _expected_size(payload)
    attached_items = [e for e in payload["evidence"] if e.get("embedded") and e.get("attachment")]
    out = {}
    for mode in PHOTO_COPY_MODES:
        plan = copy_plan(payload, choices, mode, lambda saving: with_originals - saving > budget)
        reduced = any(reducible(e) and choices.get(e["code"], "auto") == "auto" and e["code"] in plan
                      for e in attached_items)
        expected = with_originals - estimated_saving(payload, plan)

        def attached(e: dict[str, Any], plan: frozenset[str] = plan) -> int:  # what the file will weigh
            return min(int(e["size"]), ESTIMATED_COPY_BYTES) if e["code"] in plan and reducible(e) else int(e["size"])

        embedded = sorted(attached_items, key=lambda e: (-attached(e), e["code"]))
        biggest = tuple((e["code"], e["title"], attached(e)) for e in embedded[:SIZE_WARNING_ITEMS])
        to_reduce: list[str] = []
        to_list: list[str] = []
        after = expected
        if expected > budget:
            # first the photos not yet reduced, largest saving first; then list the biggest files
            for e in sorted((e for e in attached_items if reducible(e) and e["code"] not in plan),
                            key=lambda e: (-item_saving(e), e["code"])):
                if after <= budget:
                    break
                to_reduce.append(e["code"])
                after -= item_saving(e)
            reduced_now = plan | set(to_reduce)
            for e in sorted(attached_items, key=lambda e: (-attached(e, frozenset(reduced_now)), e["code"])):
                if after <= budget:
                    break
                to_list.append(e["code"])
                after -= attached(e, frozenset(reduced_now)) + _printed(e)
                if e["code"] in to_reduce:
                    to_reduce.remove(e["code"])
        out[mode] = SizeCheck(expected=expected, budget=budget, biggest=biggest, reduced=reduced,
                              to_reduce=tuple(to_reduce), to_list=tuple(to_list), after=after)
    return out


def temp_path_for(out_path: Path) -> Path:
    """The hidden file the export writes before renaming it to ``out_path``."""
    return out_path.with_name(f".{out_path.name}{TEMP_SUFFIX}")


# ---------------------------------------------------------------- export


def _render_dossier(
    payload: dict[str, Any],
    out: BinaryIO,
    *,
    draft: bool,
    open_evidence: Callable[[str], Iterator[bytes]] | None,
    clock: dt.datetime,
    photos_per_page: int = 4,
    renditions: ExportRenditions | None = None,
) -> RenderInfo:
    from reportlab.platypus.doctemplate import LayoutError

    from khoiapp.errors import DossierLayoutError
    from khoiapp.pdf.render import render_dossier

    try:
        return render_dossier(payload, out, draft=draft, open_evidence=open_evidence, clock=clock,
                              photos_per_page=photos_per_page, renditions=renditions)
    except LayoutError as exc:
        log.warning("layout failed: %s", exc)
        raise DossierLayoutError(str(exc)[:300]) from exc


def _check_destination(out: Path) -> None:
    parent = out.parent
    if out.is_dir():
        raise OutputPathError(f"«{out}» là một thư mục. Hãy chọn tên tệp PDF, ví dụ «ho-so-2026.pdf».")
    if parent.exists() and not parent.is_dir():
        raise OutputPathError(f"«{parent}» là một tệp, không phải thư mục. Hãy chọn một thư mục để lưu hồ sơ.")
    if not parent.is_dir():
        raise OutputPathError(
            f"Thư mục «{parent}» không tồn tại. Hãy chọn một thư mục có sẵn để lưu hồ sơ."
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputPathError(
            f"Không có quyền ghi vào thư mục «{parent}». Hãy chọn thư mục khác (ví dụ thư mục Tài liệu)."
        )
    if out.exists() and not os.access(out, os.W_OK):
        raise OutputPathError(f"Tệp «{out}» chỉ cho phép đọc nên không ghi đè được. Hãy chọn tên khác.")


def export_dossier(
    doc: Document,
    year: int,
    out_path: str | os.PathLike[str],
    *,
    draft: bool = False,
    clock: dt.datetime | None = None,
    sign: SignRequest | None = None,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
    photos_per_page: int = 4,
    photo_copies: str = "auto",
    reuse_renditions: bool = True,
) -> ExportResult:
    """Export the period's dossier PDF to ``out_path``.

    Args:
        doc: the open document.
        year: the period's year.
        out_path: the PDF to write; replaced if it exists, only once the new file passed its check.
        draft: export even if the preflight lists problems; every page carries "BẢN NHÁP".
        clock: the export time (payload ``created_at``, dates on the pages); default now. The
            same document and clock give a byte-identical unsigned PDF.
        sign: sign with a certificate file or token (PAdES, one more incremental revision).
        progress: ``progress(done, total)`` during the export.
        is_cancelled: polled between chunks; when it returns true the export stops.
        photos_per_page: photos on each sheet of the evidence appendix: 2, 4 (default) or 6.
        photo_copies: for the items left at «Tự động» (each item's own choice wins, see
            ``evidence.ATTACH_CHOICES``): ``original`` embeds them as they are; ``reduced`` embeds
            large JPEG photos as print-size copies (the originals' SHA-256 kept in the payload);
            ``auto`` (default) reduces them only when the dossier would exceed the size budget of
            the settings.
        reuse_renditions: take the reduced copies and appendix images an earlier export kept in
            the document (``services.renditions``; the PDF is the same either way). What this
            export made is in the result's ``renditions``: ``renditions.store(doc, result.renditions)``
            keeps it for the next export (the export itself only reads the document).

    Raises:
        ExportRefusedError: the preflight is not empty and ``draft`` is false (exit 1).
        ExportCheckError: the written file failed its self-check (exit 1); nothing is kept.
        OutputPathError, DiskFullError: the destination cannot be written; nothing is kept.
        SigningError (and subclasses): signing failed; nothing is kept.
        Cancelled: the user cancelled; nothing is kept.
    """
    from khoiapp.pdf.text import vn_time

    if photos_per_page not in (2, 4, 6):
        raise BadInputError("Mỗi trang phụ lục in 2, 4 hoặc 6 ảnh. Hãy chọn một trong ba số đó.")
    if photo_copies not in PHOTO_COPY_MODES:
        raise BadInputError("Cách đính kèm ảnh phải là: tự động, bản gốc hoặc bản thu nhỏ.")
    out = Path(out_path)
    # Every date and time in the dossier is Vietnam's, whatever zone the machine is set to.
    clock = vn_time(clock or dt.datetime.now(dt.timezone.utc))
    _check_destination(out)
    if not draft:
        items = preflight_messages(doc, year)
        if items:
            raise ExportRefusedError(items)

    def cancelled() -> None:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()

    payload = build_payload(doc, year, clock=clock, draft=draft)
    copies_dir = tempfile.TemporaryDirectory(prefix="khoi-ban-thu-nho-")
    made = ExportRenditions(doc if reuse_renditions else None, rendition_key())
    try:
        result = _export(doc, year, out, payload, Path(copies_dir.name), draft=draft, clock=clock, sign=sign,
                         progress=progress, cancelled=cancelled, photos_per_page=photos_per_page,
                         photo_copies=photo_copies, renditions=made)
    except BaseException:
        made.discard()
        raise
    finally:
        copies_dir.cleanup()
    return dataclasses.replace(result, renditions=made)


def _reduce_photos(doc: Document, year: int, payload: dict[str, Any], mode: str, folder: Path,
                   cancelled: Callable[[], None], renditions: ExportRenditions,
                   photos_per_page: int) -> dict[str, ReducedCopy]:
    def over_budget(saving: int) -> bool:
        from khoiapp import appconfig

        return _expected_size(payload) - saving > int(appconfig.load().dossier_budget_mb) * 1024 * 1024

    plan = copy_plan(payload, attach_choices(doc, year), mode, over_budget)
    if not plan:
        return {}
    from khoiapp.pdf.images import PRINT, print_spec
    from khoiapp.pdf.render import photo_print_box

    box = photo_print_box(photos_per_page)
    copies = make_copies(payload, _evidence_opener(doc), folder, plan, check=cancelled, renditions=renditions,
                         print_box=box)
    for original, copy in copies.items():  # the appendix asks for the copy's image: it is kept under the original
        renditions.alias(copy.sha256, PRINT, print_spec(box), as_source=original, as_spec=print_spec_of_copy(box))
    apply_copies(payload, copies)
    return copies


def _export(
    doc: Document,
    year: int,
    out: Path,
    payload: dict[str, Any],
    copies_dir: Path,
    *,
    draft: bool,
    clock: dt.datetime,
    sign: SignRequest | None,
    progress: Progress | None,
    cancelled: Callable[[], None],
    photos_per_page: int,
    photo_copies: str,
    renditions: ExportRenditions,
) -> ExportResult:
    copies = _reduce_photos(doc, year, payload, photo_copies, copies_dir, cancelled, renditions, photos_per_page)
    cancelled()
    raw = payload_bytes(payload)
    payload_sha = hashlib.sha256(raw).hexdigest()
    files = _files_to_embed(doc, year, payload, copies)
    evidence_total = sum(f.size for f in files)
    render_units = max(1, int(evidence_total * _RENDER_SHARE)) + 1
    total = render_units + 2 * evidence_total + (evidence_total if sign else 0) + 1
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done = min(total, done + n)
        if progress is not None:
            progress(done, total)

    step(0)
    tmp = temp_path_for(out)
    try:
        cancelled()
        try:
            fh = open(tmp, "w+b")
        except OSError as exc:
            raise _os_error(exc, out) from None
        with fh:
            try:
                info = _render_dossier(
                    payload, fh, draft=draft, open_evidence=_evidence_opener(doc, copies), clock=clock,
                    photos_per_page=photos_per_page, renditions=renditions,
                )
                step(render_units)
                cancelled()
                fh.flush()
                _append_attachments(fh, doc, raw, files, payload, step=step, cancelled=cancelled)
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise _os_error(exc, out) from None
        signed = False
        signer = None
        if sign is not None:
            cancelled()
            signer = _sign(tmp, sign, info, payload, _signature_images(doc))
            signed = True
            step(evidence_total)
        cancelled()
        _self_check(tmp, payload, signed=signed, step=step, cancelled=cancelled)
        step(total)
        try:
            give_normal_permissions(tmp)  # signing wrote it through mkstemp (0600): colleagues must read it
            os.replace(tmp, out)
        except OSError as exc:
            raise _os_error(exc, out) from None
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise
    warnings, choice = _after_signing(doc, sign, signer, payload) if sign is not None else ((), None)
    return ExportResult(
        path=out,
        size=out.stat().st_size,
        pages=int(info.pages),
        payload_sha256=payload_sha,
        attachments=len(files),
        signed=signed,
        warnings=warnings,
        signing_choice=choice,
    )


def _os_error(exc: OSError, out: Path) -> KhoiError:
    if exc.errno == errno.ENOSPC:
        return DiskFullError()
    return OutputPathError(
        f"Không ghi được hồ sơ vào «{out}» ({exc.strerror or exc}). Hãy chọn thư mục khác có quyền ghi "
        "và còn chỗ trống; chưa có tệp nào được ghi."
    )


def _evidence_opener(doc: Document, copies: dict[str, ReducedCopy] | None = None) -> Callable[[str], Iterator[bytes]]:
    by_copy = {c.sha256: c for c in (copies or {}).values()}

    def open_evidence(sha256: str) -> Iterator[bytes]:
        copy = by_copy.get(sha256)
        if copy is not None:  # the payload names the reduced copy: print from it
            with open(copy.path, "rb") as fh:
                yield from iter(lambda: fh.read(CHUNK), b"")
            return
        # one short read transaction per file: never hold the document locked for the whole export
        with doc.read() as s:
            yield from evsvc.read_blob(s, sha256)

    return open_evidence


def _files_to_embed(doc: Document, year: int, payload: dict[str, Any],
                    copies: dict[str, ReducedCopy] | None = None) -> list[_FileToEmbed]:
    from khoiapp.models import Evidence

    by_sha_name = {(m["sha256"], m["name"]) for m in payload["manifest"]}
    out: list[_FileToEmbed] = []
    ev_by_att = {e["attachment"]: e for e in payload["evidence"] if e["attachment"]}
    with doc.read() as s:
        p = docsvc.get_period(s, year)
        mimes = {
            (e.code, e.sha256): e.mime_type
            for e in s.scalars(select(Evidence).where(Evidence.period_id == p.id)).all()
        }
    for m in payload["manifest"]:
        e = ev_by_att[m["name"]]
        assert (e["sha256"], m["name"]) in by_sha_name
        original = e.get("original_sha256") or e["sha256"]
        copy = (copies or {}).get(original) if e.get("original_sha256") else None
        out.append(
            _FileToEmbed(
                name=m["name"],
                mime=mimes.get((e["code"], original)) or "application/octet-stream",
                desc=f"{e['code']} – {e['title']}" + (" (bản thu nhỏ)" if copy is not None else ""),
                size=int(m["size"]),
                sha256=m["sha256"],
                relationship="/Supplement",
                path=copy.path if copy is not None else None,
            )
        )
    return out


# ---------------------------------------------------------------- the incremental update


def _pdf_name(text: str) -> bytes:
    out = bytearray(b"/")
    for b in text.encode("utf-8"):
        if 0x21 <= b <= 0x7E and chr(b) not in "()<>[]{}/%#":
            out.append(b)
        else:
            out += f"#{b:02X}".encode()
    return bytes(out)


def _pdf_text(text: str) -> bytes:
    """A PDF text string: literal for printable ASCII, otherwise UTF-16BE with a byte-order mark."""
    if all(32 <= ord(c) < 127 for c in text):
        esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({esc})".encode("ascii")
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _serialise(obj: Any) -> bytes:
    import io

    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


def _last_startxref(fh: BinaryIO) -> int:
    fh.seek(0, os.SEEK_END)
    end = fh.tell()
    fh.seek(max(0, end - 2048))
    tail = fh.read()
    m = list(re.finditer(rb"startxref\s+(\d+)", tail))
    if not m:
        raise ExportCheckError(
            "Phần trang của hồ sơ được tạo không đúng cấu trúc PDF (thiếu startxref). "
            "Hãy thử xuất lại; nếu vẫn lỗi, hãy gửi tệp nhật ký cho người hỗ trợ."
        )
    return int(m[-1].group(1))


class _Raw:
    """Bytes written as they are where pypdf serialises an object (a direct dictionary we built)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def write_to_stream(self, stream: Any, encryption_key: Any = None) -> None:
        stream.write(self.data)


class _Writer:
    """Appends numbered objects to the file and remembers their offsets for the xref section."""

    def __init__(self, fh: BinaryIO, first_free: int) -> None:
        self.fh = fh
        self.next_num = first_free
        self.offsets: dict[int, tuple[int, int]] = {}  # num -> (offset, generation)

    def new_num(self) -> int:
        n = self.next_num
        self.next_num += 1
        return n

    def begin(self, num: int, gen: int = 0) -> None:
        self.offsets[num] = (self.fh.tell(), gen)
        self.fh.write(f"{num} {gen} obj\n".encode())

    def obj(self, num: int, body: bytes, gen: int = 0) -> None:
        self.begin(num, gen)
        self.fh.write(body + b"\nendobj\n")


def _append_attachments(
    fh: BinaryIO,
    doc: Document,
    raw_payload: bytes,
    files: list[_FileToEmbed],
    payload: dict[str, Any],
    *,
    step: Callable[[int], None],
    cancelled: Callable[[], None],
) -> None:
    import pypdf
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, TextStringObject

    fh.seek(0)
    reader = pypdf.PdfReader(fh, strict=False)
    trailer = reader.trailer
    root_ref = trailer.raw_get("/Root")
    if not isinstance(root_ref, IndirectObject):
        raise ExportCheckError("Phần trang của hồ sơ không có mục lục gốc (catalog) hợp lệ. Hãy thử xuất lại.")
    root_obj: Any = root_ref.get_object()
    catalog = DictionaryObject(root_obj)
    info_ref = trailer.raw_get("/Info") if "/Info" in trailer else None
    info_obj: Any = info_ref.get_object() if isinstance(info_ref, IndirectObject) else None
    info = DictionaryObject(info_obj) if isinstance(info_obj, DictionaryObject) else DictionaryObject()
    id_array = trailer.get("/ID")
    prev = _last_startxref(fh)
    size_obj: Any = trailer["/Size"]
    size = int(size_obj)
    fh.seek(0)
    header = fh.read(16)
    fh.seek(0, os.SEEK_END)
    if fh.tell():
        fh.seek(-1, os.SEEK_END)
        if fh.read(1) not in (b"\n", b"\r"):
            fh.write(b"\n")

    from khoiapp.pdf import pdfa

    w = _Writer(fh, size)
    entries: list[tuple[str, int, str]] = []  # (name, filespec number, relationship)
    created = dt.datetime.fromisoformat(str(payload["created_at"]))
    mod_date = _pdf_text(pdfa.pdf_date(created))

    payload_file = _FileToEmbed(
        name=PAYLOAD_NAME,
        mime="application/json",
        desc=PAYLOAD_DESC,
        size=len(raw_payload),
        sha256=hashlib.sha256(raw_payload).hexdigest(),
        relationship="/Data",
    )
    ordered = sorted([payload_file, *files], key=lambda f: f.name.encode("utf-8"))
    for f in ordered:
        stream_num = w.new_num()
        spec_num = w.new_num()
        if f is payload_file:
            data = zlib.compress(raw_payload, 9)
            md5 = hashlib.md5(raw_payload).hexdigest().encode()
            w.begin(stream_num)
            fh.write(
                b"<< /Type /EmbeddedFile /Subtype " + _pdf_name(f.mime)
                + b" /Filter /FlateDecode /Length %d /Params << /Size %d /CheckSum <%s> /ModDate " % (len(data), f.size, md5)
                + mod_date + b" >> >>\nstream\n"
            )
            fh.write(data)
            fh.write(b"\nendstream\nendobj\n")
        else:
            _write_evidence_stream(fh, w, stream_num, doc, f, mod_date, step=step, cancelled=cancelled)
        name_str = _pdf_text(f.name)
        w.obj(
            spec_num,
            b"<< /Type /Filespec /F " + name_str + b" /UF " + name_str
            + b" /EF << /F %d 0 R /UF %d 0 R >> /Desc " % (stream_num, stream_num)
            + _pdf_text(f.desc)
            + b" /AFRelationship " + f.relationship.encode("ascii") + b" >>",
        )
        entries.append((f.name, spec_num, f.relationship))

    tree_num = w.new_num()
    names = b" ".join(_pdf_text(n) + b" %d 0 R" % num for n, num, _ in entries)
    w.obj(tree_num, b"<< /Names [ " + names + b" ] >>")

    # the catalog, rewritten under its own number with /Names, /AF, /Lang (and /Version)
    names_dict = DictionaryObject()
    if "/Names" in catalog:
        old = catalog["/Names"].get_object()
        if isinstance(old, DictionaryObject):
            names_dict.update({k: old.raw_get(k) for k in old})
    names_dict[NameObject("/EmbeddedFiles")] = IndirectObject(tree_num, 0, reader)
    catalog[NameObject("/Names")] = names_dict
    af = ArrayObject()
    old_af: Any = catalog["/AF"].get_object() if "/AF" in catalog else None
    if isinstance(old_af, ArrayObject):
        af.extend(old_af)
    data_first = [e for e in entries if e[2] == "/Data"] + [e for e in entries if e[2] != "/Data"]
    af.extend(IndirectObject(num, 0, reader) for _n, num, _r in data_first)
    catalog[NameObject("/AF")] = af
    if not str(catalog.get("/Lang", "") or ""):
        catalog[NameObject("/Lang")] = TextStringObject("vi-VN")
    m = re.match(rb"%PDF-(\d+)\.(\d+)", header)
    version = (int(m.group(1)), int(m.group(2))) if m else (1, 4)
    if version < (1, 7) and "/Version" not in catalog:
        catalog[NameObject("/Version")] = NameObject("/1.7")

    # document information: keep what the pages set, fill what is missing
    unit_name = payload["unit"]["name"]
    wanted = {
        "/Title": f"Hồ sơ tự đánh giá {unit_name} năm {payload['period']['label']}",
        "/Author": unit_name,
        "/Subject": "Hồ sơ tự đánh giá xây dựng cơ quan, đơn vị, doanh nghiệp văn hóa (" + SCHEMA + ")",
        "/Creator": "Khối",
        "/Producer": "Khối",
        "/CreationDate": pdfa.pdf_date(created),
        "/ModDate": pdfa.pdf_date(created),
    }
    missing = {k: v for k, v in wanted.items() if not str(info.get(k, "") or "").strip()}
    if missing:
        for k, v in missing.items():
            info[NameObject(k)] = TextStringObject(v)
        if isinstance(info_ref, IndirectObject):
            w.obj(info_ref.idnum, _serialise(info), info_ref.generation)
        else:
            num = w.new_num()
            w.obj(num, _serialise(info))
            info_ref = IndirectObject(num, 0, reader)

    # PDF/A-3b: the sRGB output intent and XMP metadata that say what the information dictionary says
    icc = pdfa.srgb_profile()
    icc_num = w.new_num()
    w.begin(icc_num)
    fh.write(b"<< /N 3 /Length %d >>\nstream\n" % len(icc) + icc + b"\nendstream\nendobj\n")
    intent = (b"<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier " + _pdf_text(pdfa.OUTPUT_CONDITION)
              + b" /Info " + _pdf_text(pdfa.OUTPUT_CONDITION) + b" /DestOutputProfile %d 0 R >>" % icc_num)
    xmp = pdfa.xmp_metadata(
        title=str(info.get("/Title", "")), author=str(info.get("/Author", "")),
        subject=str(info.get("/Subject", "")), keywords=str(info.get("/Keywords", "")),
        creator=str(info.get("/Creator", "")), producer=str(info.get("/Producer", "")),
        created=created, modified=created,
    )
    meta_num = w.new_num()
    w.begin(meta_num)
    fh.write(b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp + b"\nendstream\nendobj\n")
    catalog[NameObject("/Metadata")] = IndirectObject(meta_num, 0, reader)
    catalog[NameObject("/OutputIntents")] = ArrayObject([_Raw(intent)])
    w.obj(root_ref.idnum, _serialise(catalog), root_ref.generation)

    # classic xref section for the changed and new objects, then the trailer
    xref_at = fh.tell()
    nums = sorted(w.offsets)
    fh.write(b"xref\n")
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        fh.write(b"%d %d\n" % (nums[i], j - i + 1))
        for n in nums[i : j + 1]:
            off, gen = w.offsets[n]
            fh.write(b"%010d %05d n \n" % (off, gen))
        i = j + 1
    tr = b"<< /Size %d /Root %d %d R" % (w.next_num, root_ref.idnum, root_ref.generation)
    if isinstance(info_ref, IndirectObject):
        tr += b" /Info %d %d R" % (info_ref.idnum, info_ref.generation)
    if id_array is not None:
        tr += b" /ID " + _serialise(id_array)
    tr += b" /Prev %d >>" % prev
    fh.write(b"trailer\n" + tr + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at)


def _write_evidence_stream(
    fh: BinaryIO,
    w: _Writer,
    num: int,
    doc: Document,
    f: _FileToEmbed,
    mod_date: bytes,
    *,
    step: Callable[[int], None],
    cancelled: Callable[[], None],
) -> None:
    w.begin(num)
    fh.write(
        b"<< /Type /EmbeddedFile /Subtype " + _pdf_name(f.mime)
        + b" /Length %d /Params << /Size %d /ModDate " % (f.size, f.size) + mod_date + b" /CheckSum <"
    )
    md5_at = fh.tell()
    fh.write(_MD5_PLACEHOLDER + b"> >> >>\nstream\n")
    sha = hashlib.sha256()
    md5 = hashlib.md5()
    n = 0
    with contextlib.ExitStack() as stack:
        if f.path is not None:
            src = stack.enter_context(open(f.path, "rb"))
            chunks: Iterator[bytes] = iter(lambda: src.read(CHUNK), b"")
        else:
            s = stack.enter_context(doc.read())
            # closed before its transaction ends (ExitStack unwinds in reverse), even when the export
            # is cancelled mid-file: a blob left open would be closed later on a closed connection
            chunks = stack.enter_context(contextlib.closing(evsvc.read_blob(s, f.sha256)))
        for chunk in chunks:
            cancelled()
            fh.write(chunk)
            sha.update(chunk)
            md5.update(chunk)
            n += len(chunk)
            step(len(chunk))
    if n != f.size or sha.hexdigest() != f.sha256:
        raise ExportCheckError(
            f"Nội dung minh chứng «{f.name}» lưu trong tài liệu không khớp mã băm đã ghi (tài liệu có thể "
            "bị hỏng). Hãy thêm lại tệp minh chứng đó rồi xuất lại; chưa có tệp nào được ghi."
        )
    fh.write(b"\nendstream\nendobj\n")
    end = fh.tell()
    fh.seek(md5_at)
    fh.write(md5.hexdigest().encode())
    fh.seek(end)


# ---------------------------------------------------------------- signing and self-check


def _signature_images(doc: Document) -> dict[str, bytes]:
    from khoiapp.services.signing_settings import images

    return {role: v.png for role, v in images(doc).items()}


def _sign(
    tmp: Path, req: SignRequest, info: RenderInfo, payload: dict[str, Any], images: dict[str, bytes]
) -> Any:
    """Sign in ``req.role``'s box; the first signature pre-makes the other roles' boxes.

    Returns the signer's certificate description.
    """
    from khoiapp.pdf.signature_stamps import seal_box
    from khoiapp.services import signing

    boxes: dict[str, Any] = {}
    if req.visible and info.signature_box is not None:
        page, box = info.signature_box
        boxes[signing.ROLE_CHAIR] = signing.VisibleSignature(int(page), tuple(float(v) for v in box), "")  # type: ignore[arg-type]
    head = getattr(info, "head_signature_box", None)
    if req.visible and head is not None:
        page, box = head
        hb = tuple(float(v) for v in box)
        boxes[signing.ROLE_HEAD] = signing.VisibleSignature(int(page), hb, "")  # type: ignore[arg-type]
        boxes[signing.ROLE_UNIT] = signing.VisibleSignature(int(page), seal_box(hb), "")  # type: ignore[arg-type]
    layout = signing.SignatureLayout(boxes=boxes, images=dict(images))
    kw: dict[str, Any] = {"role": req.role, "layout": layout, "unit_name": payload["unit"]["name"], "lt": req.lt}
    if req.timestamp_url:
        kw["timestamp_url"] = req.timestamp_url
    if req.lt:
        from khoiapp.services.trust import load_crls, trusted_certs

        kw["trust"] = trusted_certs()
        kw["crls"] = load_crls()
    if req.p12_path is not None:
        with signing.open_p12_signer(req.p12_path, req.password or "") as handle:
            signing.sign_pdf_file(tmp, tmp, handle, **kw)
            return handle.info
    assert req.pkcs11_lib is not None
    with signing.open_pkcs11_signer(
        req.pkcs11_lib, req.token_label or "", req.key_label or "", req.pin or ""
    ) as handle:
        signing.sign_pdf_file(tmp, tmp, handle, **kw)
        return handle.info


def _after_signing(
    doc: Document, req: SignRequest, info: Any, payload: dict[str, Any]
) -> tuple[tuple[str, ...], Any]:
    """Remember the signing choice in this document; warn when the certificate does not name the unit.

    Returns the warnings and the choice. A document read through a long job's own read-only
    handle (the window's export) is not written here: the window remembers the returned choice
    through its document thread.
    """
    from khoiapp.services.signing_settings import SigningChoiceView, remember_choice
    warnings: list[str] = []
    unit = payload.get("unit") or {}
    if info is not None and not signing_names_unit(info, unit):
        warnings.append(
            f"Chứng thư ký hồ sơ («{info.subject_name}»"
            + (f", {info.organisation}" if info.organisation and info.organisation != info.subject_name else "")
            + f") không ghi tên đơn vị «{unit.get('name', '')}». Bên nhận sẽ coi đây là «Chữ ký không thuộc đơn "
            "vị» và không tính hồ sơ. Hãy kiểm tra lại chứng thư đã chọn."
        )
    choice = None
    if info is not None:
        choice = SigningChoiceView(
            method="p12" if req.p12_path is not None else "pkcs11",
            p12_path=str(req.p12_path or ""), pkcs11_lib=req.pkcs11_lib or "", token_label=req.token_label or "",
            key_label=req.key_label or "", cert_fingerprint=info.fingerprint_sha256,
            cert_subject=info.subject_name, role=req.role,
        )  # fmt: skip
    if not doc.read_only and choice is not None:
        try:
            remember_choice(doc, choice)
        except KhoiError:
            log.info("cannot remember the signing choice", exc_info=True)
    return tuple(warnings), choice


def signing_names_unit(info: Any, unit: dict[str, Any]) -> bool:
    """Whether a signer (``SignerInfo``) names the unit by its O or CN."""
    from khoiapp.services.signatures import fold_name

    names = {fold_name(str(unit.get(k))) for k in ("name", "short_name") if unit.get(k)}
    return any(fold_name(v) in names for v in (info.organisation or "", info.subject_name) if v)


def _check_failed(reason: str) -> ExportCheckError:
    return ExportCheckError(
        f"Hồ sơ vừa ghi không qua bước tự kiểm tra: {reason}. Tệp lỗi đã được xóa, không có tệp nào "
        "ở nơi lưu. Hãy thử xuất lại; nếu vẫn lỗi, hãy kiểm tra ổ đĩa hoặc gửi tệp nhật ký cho người hỗ trợ."
    )


def _self_check(
    path: Path,
    payload: dict[str, Any],
    *,
    signed: bool,
    step: Callable[[int], None],
    cancelled: Callable[[], None],
) -> None:
    from khoiapp.dossier.reader import open_dossier

    try:
        with open_dossier(path, private=False) as rd:
            names = sorted(rd.names)
            expected = sorted([PAYLOAD_NAME] + [m["name"] for m in payload["manifest"]])
            if names != expected:
                raise _check_failed("danh sách tệp đính kèm khác với danh mục hồ sơ")
            got, _sha = rd.read_payload()
            if got != payload:
                raise _check_failed("dữ liệu hồ sơ đính kèm khác với dữ liệu của tài liệu")
            for m in payload["manifest"]:
                h = hashlib.sha256()
                n = 0
                for chunk in rd.iter_attachment(m["name"], limit=m["size"]):
                    cancelled()
                    h.update(chunk)
                    n += len(chunk)
                    step(len(chunk))
                if n != m["size"] or h.hexdigest() != m["sha256"]:
                    raise _check_failed(f"tệp đính kèm «{m['name']}» không khớp mã băm SHA-256")
            pages = rd.pdf.root["/Pages"].get("/Count")
            if not isinstance(pages, int) or pages < 1:
                raise _check_failed("tệp không có trang nào")
            if signed:
                from khoiapp.services.verify import verify_reader

                rep = verify_reader(rd, use_trust_store=False)
                if not (rep.signed and rep.intact and rep.valid and rep.entire_file and rep.attachments_ok):
                    raise _check_failed("chữ ký số vừa tạo không hợp lệ hoặc không bao trùm toàn bộ tệp")
    except DossierError as exc:
        raise _check_failed(exc.message.rstrip(".")) from None
