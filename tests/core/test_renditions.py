"""The appendix images an export made, kept in the document so the next export skips them."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from khoiapp.db import open_document
from khoiapp.errors import DocumentReadOnlyError
from khoiapp.pdf import images
from khoiapp.services import evidence, photo_copies, renditions
from khoiapp.services.export import export_dossier

CLOCK = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
PHOTOS = 6


@pytest.fixture(scope="module")
def small_unit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A realistic unit with 6 camera photos (2592–3264 px, one stored sideways) and a 3-page scan."""
    from tests.fixtures.realistic import build_realistic

    return build_realistic(tmp_path_factory.mktemp("renditions") / "don-vi.khoi", photos=PHOTOS, scan_pages=3)


@pytest.fixture
def unit(small_unit: Path, tmp_path: Path) -> Path:
    path = tmp_path / "don-vi.khoi"
    shutil.copyfile(small_unit, path)
    return path


class Counter:
    """Counts the appendix images made (photos and PDF pages) and the reduced copies."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.photos = self.pdfs = self.copies = 0
        real_photo, real_pdf, real_copy = images.print_photo, images._pdf_pages, photo_copies.reduced_jpeg

        def photo(*a: object, **k: object) -> object:
            self.photos += 1
            return real_photo(*a, **k)  # type: ignore[arg-type]

        def pdf(*a: object, **k: object) -> object:
            self.pdfs += 1
            return real_pdf(*a, **k)  # type: ignore[arg-type]

        def copy(data: bytes) -> bytes | None:
            self.copies += 1
            return real_copy(data)

        monkeypatch.setattr(images, "print_photo", photo)
        monkeypatch.setattr(images, "_pdf_pages", pdf)
        monkeypatch.setattr(photo_copies, "reduced_jpeg", copy)

    def reset(self) -> None:
        self.photos = self.pdfs = self.copies = 0


def _export(path: Path, out: Path, *, read_only: bool = False, keep: bool = True, **kw: object) -> bytes:
    with open_document(path, read_only=read_only) as doc:
        res = export_dossier(doc, 2026, out, clock=CLOCK, **kw)  # type: ignore[arg-type]
        assert res.renditions is not None
        if keep:
            renditions.store(doc, res.renditions)
        else:
            res.renditions.discard()
    return out.read_bytes()


def _rows(path: Path) -> list[tuple[str, str, int]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT source_sha256, spec, part FROM rendition ORDER BY 1, 2, 3").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("copies", ["original", "reduced"])
def test_second_export_takes_the_appendix_images_from_the_document_and_writes_the_same_pdf(
    unit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copies: str
) -> None:
    count = Counter(monkeypatch)
    first = _export(unit, tmp_path / "1.pdf", photo_copies=copies)
    assert count.photos == PHOTOS and count.pdfs >= 1
    with open_document(unit, read_only=True) as doc:
        items = evidence.list_evidence(doc, 2026)
    pdf_pages = sum(3 if e.file_name.startswith("Bien-ban") else 1 for e in items if e.mime_type == "application/pdf")
    rows = _rows(unit)
    assert len(rows) == PHOTOS + pdf_pages  # one per photo, one per printed page of each PDF
    stored = {sha for sha, _spec, _part in rows}
    assert stored <= {e.sha256 for e in items}  # kept under the evidence's own hash (a copy's under its original)
    count.reset()
    second = _export(unit, tmp_path / "2.pdf", photo_copies=copies)
    assert (count.photos, count.pdfs) == (0, 0)  # nothing decoded for the appendix
    assert count.copies == (PHOTOS if copies == "reduced" else 0)  # reduced copies are made again, not kept
    assert second == first
    assert _rows(unit) == rows


def test_another_photos_per_page_makes_its_own_images_and_keeps_both(
    unit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = Counter(monkeypatch)
    _export(unit, tmp_path / "4.pdf", photo_copies="original")
    n = len(_rows(unit))
    count.reset()
    _export(unit, tmp_path / "2.pdf", photo_copies="original", photos_per_page=2)
    assert count.photos == PHOTOS and count.pdfs == 0  # bigger photo cells; the scan pages are the same size
    assert len(_rows(unit)) == n + PHOTOS


def test_images_kept_by_another_user_or_edited_are_made_again(
    unit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = Counter(monkeypatch)
    first = _export(unit, tmp_path / "1.pdf", photo_copies="original")
    # an edited image: the data changed and its hash column with it; the HMAC no longer holds
    con = sqlite3.connect(unit)
    sha, spec, part = con.execute("SELECT source_sha256, spec, part FROM rendition WHERE part = 0 LIMIT 1").fetchone()
    other = con.execute("SELECT data, sha256, size FROM rendition WHERE source_sha256 <> ? AND part = 0 LIMIT 1",
                        (sha,)).fetchone()
    con.execute("UPDATE rendition SET data = ?, sha256 = ?, size = ? WHERE source_sha256 = ? AND spec = ? AND part = ?",
                (*other, sha, spec, part))
    con.commit()
    con.close()
    count.reset()
    with open_document(unit) as doc:
        res = export_dossier(doc, 2026, tmp_path / "2.pdf", clock=CLOCK, photo_copies="original")
        assert res.renditions is not None and res.renditions.ignored == 1
        renditions.store(doc, res.renditions)  # the image made again replaces the edited row
    assert count.photos == 1
    assert (tmp_path / "2.pdf").read_bytes() == first
    # another user (another key): every kept image is refused and made again, the PDF is the same
    monkeypatch.setenv("KHOI_CONFIG_DIR", str(tmp_path / "another-user"))
    count.reset()
    assert _export(unit, tmp_path / "3.pdf", photo_copies="original", keep=False) == first
    assert count.photos == PHOTOS


def test_a_removed_evidence_takes_its_images_with_it(unit: Path, tmp_path: Path) -> None:
    _export(unit, tmp_path / "1.pdf", photo_copies="original")
    with open_document(unit) as doc:
        photo = next(e for e in evidence.list_evidence(doc, 2026) if e.mime_type == "image/jpeg")
        assert photo.sha256 in {sha for sha, _s, _p in _rows(unit)}
        evidence.remove_evidence(doc, photo.id)
    assert photo.sha256 not in {sha for sha, _s, _p in _rows(unit)}


def test_store_drops_images_of_files_the_document_no_longer_has(unit: Path, tmp_path: Path) -> None:
    _export(unit, tmp_path / "1.pdf", photo_copies="original")
    con = sqlite3.connect(unit)
    con.execute("INSERT INTO rendition SELECT ?, kind, spec, part, parts, width, height, size, sha256, mac, data, "
                "made_at FROM rendition LIMIT 1", ("f" * 64,))
    con.commit()
    con.close()
    assert "f" * 64 in {sha for sha, _s, _p in _rows(unit)}
    with open_document(unit) as doc:
        res = export_dossier(doc, 2026, tmp_path / "2.pdf", clock=CLOCK, photos_per_page=6)
        assert res.renditions is not None and res.renditions.new
        renditions.store(doc, res.renditions)
    assert "f" * 64 not in {sha for sha, _s, _p in _rows(unit)}


def test_read_only_document_exports_and_keeps_nothing(unit: Path, tmp_path: Path) -> None:
    with open_document(unit, read_only=True) as doc:
        res = export_dossier(doc, 2026, tmp_path / "1.pdf", clock=CLOCK, photo_copies="original")
        assert res.renditions is not None and res.renditions.new
        folder = res.renditions.folder
        assert folder.is_dir()
        with pytest.raises(DocumentReadOnlyError):
            renditions.store(doc, res.renditions)
    assert not folder.exists()  # the export's files are removed either way
    assert _rows(unit) == []


@pytest.fixture
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def test_cancelled_export_keeps_nothing_and_leaves_no_files(unit: Path, tmp_path: Path, own_tmp: Path) -> None:
    from khoiapp.errors import Cancelled

    calls = [0]

    def cancel_after_some_work() -> bool:
        calls[0] += 1
        return calls[0] > 12

    with open_document(unit) as doc, pytest.raises(Cancelled):
        export_dossier(doc, 2026, tmp_path / "1.pdf", clock=CLOCK, photo_copies="reduced",
                       is_cancelled=cancel_after_some_work)
    assert list(own_tmp.iterdir()) == []
    assert _rows(unit) == []


def test_the_key_is_made_once_private_and_a_broken_one_turns_the_cache_off(
    unit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Path(os.environ["KHOI_CONFIG_DIR"])
    k = renditions.key()
    assert k is not None and len(k) == renditions.KEY_BYTES and renditions.key() == k
    if sys.platform != "win32":
        assert (config / renditions.KEY_NAME).stat().st_mode & 0o077 == 0
    (config / renditions.KEY_NAME).write_bytes(b"short")
    assert renditions.key() is None
    count = Counter(monkeypatch)
    _export(unit, tmp_path / "1.pdf", photo_copies="original")
    assert _rows(unit) == [] and count.photos == PHOTOS


def test_cli_export_keeps_the_images_for_the_next_export(unit: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from khoiapp.cli import main

    count = Counter(monkeypatch)
    args = ["export", str(unit), "--year", "2026", "--clock", CLOCK.isoformat(), "--photo-copies", "ban-goc"]
    assert main([*args, "--out", str(tmp_path / "1.pdf")]) == 0
    assert len(_rows(unit)) >= PHOTOS
    count.reset()
    assert main([*args, "--out", str(tmp_path / "2.pdf")]) == 0
    assert count.photos == 0
    assert (tmp_path / "1.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()


def test_a_document_renamed_while_open_keeps_nothing_and_stays_unchanged(unit: Path, tmp_path: Path) -> None:
    with open_document(unit) as doc:
        res = export_dossier(doc, 2026, tmp_path / "1.pdf", clock=CLOCK, photo_copies="original")
        assert res.renditions is not None and res.renditions.new
        moved = unit.with_name("doi-ten.khoi")
        unit.rename(moved)
        renditions.store(doc, res.renditions)  # no DocumentMovedError: a cache is not an edit to keep
        assert not res.renditions.folder.exists()
    assert _rows(moved) == []


def test_a_set_with_a_page_too_many_is_made_again_and_replaced_whole(unit: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    count = Counter(monkeypatch)
    first = _export(unit, tmp_path / "1.pdf", photo_copies="original")
    con = sqlite3.connect(unit)
    # the scan's set gets a fourth page (copied from its third, HMAC and all): no longer a whole set
    con.execute("INSERT INTO rendition SELECT source_sha256, kind, spec, part + 1, parts, width, height, size, "
                "sha256, mac, data, made_at FROM rendition WHERE parts = 3 AND part = 3")
    con.commit()
    con.close()
    count.reset()
    assert _export(unit, tmp_path / "2.pdf", photo_copies="original") == first
    assert (count.photos, count.pdfs) == (0, 1)  # only the scan was made again
    assert max(part for _s, _spec, part in _rows(unit)) == 3  # and its extra row is gone


def test_info_shows_the_kept_images_and_forget_images_removes_them(unit: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from khoiapp.cli import main

    assert main(["info", str(unit), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["kept_images"] == {"count": 0, "bytes": 0}
    _export(unit, tmp_path / "1.pdf", photo_copies="original")
    n = len(_rows(unit))
    assert main(["info", str(unit)]) == 0
    assert f"Ảnh phụ lục giữ lại cho lần xuất sau: {n} ảnh" in capsys.readouterr().out
    assert main(["info", str(unit), "--json"]) == 0
    kept = json.loads(capsys.readouterr().out)["kept_images"]
    assert kept["count"] == n and kept["bytes"] > 100_000
    assert main(["forget-images", str(unit), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"removed": n, "bytes": kept["bytes"]}
    assert _rows(unit) == []
    assert main(["forget-images", str(unit)]) == 0
    assert "không giữ ảnh phụ lục nào" in capsys.readouterr().out
