"""Faults said as what they are: a full disk is "ổ đĩa đầy" (no empty file left), a moved document is moved."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from khoiapp import locking
from khoiapp.cli import main as cli_main
from khoiapp.db import create_document, open_document
from khoiapp.errors import DiskFullError, DocumentMovedError
from khoiapp.models import DocMeta
from khoiapp.services import document as docsvc

UNIT = "Trường Trung học phổ thông chuyên Lam Sơn, tỉnh Thanh Hóa"


def _fill(folder: Path) -> None:
    """Use up every free byte of the file system holding ``folder``."""
    with open(folder / "day.bin", "ab", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs (needs root and mount); skipped where that is not possible."""
    mnt = tmp_path / "usb"
    mnt.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "day.bin")


def test_new_on_a_full_disk_says_so_and_leaves_no_file(small_disk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(small_disk)
    code = cli_main(["new", str(small_disk / "don-vi.khoi"), "--unit", UNIT, "--type", "don-vi", "--year", "2026"])
    assert code == 2
    assert "Ổ đĩa đã đầy" in capsys.readouterr().err
    assert _leftovers(small_disk) == []


def test_set_on_a_full_disk_says_so_and_leaves_no_lock(
    small_disk: Path, demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = small_disk / "demo.khoi"
    (small_disk / "day.bin").write_bytes(b"")
    try:
        shutil.copyfile(demo_copy, doc)
    except OSError:
        pytest.skip("the demo document does not fit on the small disk")
    _fill(small_disk)
    code = cli_main(["set", str(doc), "--year", "2026", "1.1", "dat"])
    err = capsys.readouterr().err
    assert code == 2 and "Ổ đĩa đã đầy" in err and "chỉ cho phép đọc" not in err
    assert _leftovers(small_disk) == ["demo.khoi"]


def test_lock_that_cannot_be_written_leaves_no_empty_file(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(locking, "_write_owner", no_space)
    with open_document(demo_copy) as doc:
        assert doc.read_only and not doc.locked_by
        with pytest.raises(DiskFullError):
            doc.require_writable()
    assert not locking.lock_path(demo_copy).exists()
    assert sorted(p.name for p in demo_copy.parent.iterdir()) == [demo_copy.name]


def test_create_document_failing_on_a_full_disk_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from khoiapp import db

    def full(_engine: object, target: str = "head") -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(db, "upgrade", full)
    with pytest.raises(DiskFullError):
        create_document(tmp_path / "moi.khoi")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("how", ["renamed", "deleted"])
def test_document_moved_while_open_is_reported_as_moved(tmp_path: Path, how: str) -> None:
    path = tmp_path / "don-vi.khoi"
    doc = create_document(path)
    try:
        if how == "renamed":
            path.rename(tmp_path / "ten-moi.khoi")
        else:
            path.unlink()
        with pytest.raises(DocumentMovedError) as exc:
            with doc.transaction() as s:
                s.add(DocMeta(key="ghi-chu", value=UNIT))
        assert "đã bị xóa, đổi tên hoặc chuyển đi" in exc.value.message
        assert "chỉ cho phép đọc" not in exc.value.message
        assert not path.exists()  # no empty database made where the document was
    finally:
        doc.close()


def test_unit_edit_after_rename_is_reported_as_moved(demo_copy: Path) -> None:
    doc = open_document(demo_copy)
    try:
        demo_copy.rename(demo_copy.with_name("da-doi-ten.khoi"))
        with pytest.raises(DocumentMovedError):
            docsvc.update_unit(doc, name=UNIT)
    finally:
        doc.close()
