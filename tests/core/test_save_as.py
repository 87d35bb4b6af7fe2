"""«Lưu thành…»: the open document written to a new file, also after its own file was deleted or renamed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from khoiapp import locking
from khoiapp.db import open_document, save_as
from khoiapp.errors import BadInputError, DocumentLockedError, DocumentMovedError
from khoiapp.services import document as docsvc

UNIT = "Trung tâm Kiểm soát bệnh tật tỉnh Thanh Hóa - Phòng Truyền thông, Giáo dục sức khỏe và Dinh dưỡng"


def _new(path: Path) -> None:
    docsvc.new_document(path, unit_name=UNIT, unit_type="co-quan", year=2026).close()


@pytest.mark.parametrize("how", ["deleted", "renamed"])
def test_moved_document_is_saved_as_from_what_was_last_saved(tmp_path: Path, how: str) -> None:
    path = tmp_path / "don-vi.khoi"
    _new(path)
    doc = open_document(path)
    try:
        docsvc.update_unit(doc, phone="0237 3852 123")
        if how == "deleted":
            path.unlink()
        else:
            path.rename(tmp_path / "ai-do-doi-ten.khoi")
        assert doc.moved()
        with pytest.raises(DocumentMovedError):
            docsvc.update_unit(doc, email="ttytdp@thanhhoa.gov.vn")
        dest = tmp_path / "ban-luu" / "don-vi-moi.khoi"
        dest.parent.mkdir()
        assert save_as(doc, dest) == dest.absolute()
        # the document now names the new file and takes edits there
        assert doc.path == dest.absolute() and not doc.moved() and not doc.read_only
        docsvc.update_unit(doc, email="ttytdp@thanhhoa.gov.vn")
        assert locking.is_locked(dest)
    finally:
        doc.close()
    assert not locking.is_locked(dest)
    again = open_document(dest)
    try:
        unit = docsvc.get_unit(again)
        assert unit is not None
        assert (unit.name, unit.phone, unit.email) == (UNIT, "0237 3852 123", "ttytdp@thanhhoa.gov.vn")
    finally:
        again.close()
    assert sorted(p.name for p in dest.parent.iterdir()) == ["don-vi-moi.khoi"]  # no temporary file left
    if os.name == "posix":
        mode = stat.S_IMODE(dest.stat().st_mode)
        assert mode & stat.S_IRGRP, oct(mode)  # the user's normal permissions, as any file they save


def test_saved_again_at_its_own_place_after_deletion(tmp_path: Path) -> None:
    path = tmp_path / "don-vi.khoi"
    _new(path)
    doc = open_document(path)
    try:
        path.unlink()
        save_as(doc, path)
        docsvc.update_unit(doc, phone="0237 3852 123")
    finally:
        doc.close()
    again = open_document(path)
    try:
        unit = docsvc.get_unit(again)
        assert unit is not None and unit.name == UNIT and unit.phone == "0237 3852 123"
    finally:
        again.close()


def test_save_as_of_a_document_in_place_keeps_the_original(tmp_path: Path) -> None:
    path = tmp_path / "don-vi.khoi"
    _new(path)
    before = path.read_bytes()
    doc = open_document(path)
    try:
        dest = tmp_path / "ban-sao.khoi"
        save_as(doc, dest)
        docsvc.update_unit(doc, phone="0237 3852 123")
        assert not locking.is_locked(path)  # the old file is free again
    finally:
        doc.close()
    assert path.read_bytes() == before  # the edit went to the copy only


def test_read_only_document_saved_as_becomes_writable(tmp_path: Path) -> None:
    path = tmp_path / "don-vi.khoi"
    _new(path)
    doc = open_document(path, read_only=True)
    try:
        save_as(doc, tmp_path / "chep-de-sua.khoi")
        assert not doc.read_only
        docsvc.update_unit(doc, phone="0237 3852 123")
    finally:
        doc.close()


def test_save_as_refuses_the_open_file_itself_and_a_file_open_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "don-vi.khoi"
    other = tmp_path / "khac.khoi"
    _new(path)
    _new(other)
    doc = open_document(path)
    holder = open_document(other)
    try:
        other_bytes = other.read_bytes()
        with pytest.raises(BadInputError):
            save_as(doc, path)
        with pytest.raises(DocumentLockedError):
            save_as(doc, other)
        assert other.read_bytes() == other_bytes
        assert doc.path == path  # still working on its own file
        docsvc.update_unit(doc, phone="0237 3852 123")
    finally:
        holder.close()
        doc.close()


def test_a_failed_save_as_leaves_nothing_and_keeps_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "don-vi.khoi"
    _new(path)
    doc = open_document(path)
    dest_dir = tmp_path / "dich"
    dest_dir.mkdir()
    try:
        path.unlink()

        def broken_fsync(_fd: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", broken_fsync)
        from khoiapp.errors import DiskFullError

        with pytest.raises(DiskFullError):
            save_as(doc, dest_dir / "moi.khoi")
        monkeypatch.undo()
        assert list(dest_dir.iterdir()) == []  # no partial copy, no lock file
        assert doc.moved()
        save_as(doc, dest_dir / "moi.khoi")  # the kept data is still there to try again
    finally:
        doc.close()
