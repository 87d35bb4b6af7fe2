"""A .khoi from outside runs nothing: triggers, views, virtual and unknown tables are refused untouched."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from khoiapp.cli import main as cli_main
from khoiapp.db import create_document, open_document
from khoiapp.errors import DocumentSchemaError
from khoiapp.locking import lock_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "docs"

HOSTILE = {
    "trigger": "CREATE TRIGGER xoa_minh_chung AFTER UPDATE ON doc_meta BEGIN DELETE FROM evidence; END",
    "view": (
        "CREATE VIEW vong_lap AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT n FROM r"
    ),
    "unknown table": "CREATE TABLE bang_la (x TEXT)",
}


def _with(path: Path, sql: str) -> Path:
    conn = sqlite3.connect(path)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()
    return path


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    path = tmp_path / "Trường THCS Nguyễn Du.khoi"
    create_document(path).close()
    return path


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_schema_refused_and_file_left_byte_identical(fresh: Path, kind: str) -> None:
    _with(fresh, HOSTILE[kind])
    before = fresh.read_bytes()
    with pytest.raises(DocumentSchemaError) as exc:
        open_document(fresh)
    assert "không phải do Khối" in exc.value.message and "không bị thay đổi" in exc.value.message
    assert fresh.read_bytes() == before
    assert not lock_path(fresh).exists()
    assert sorted(p.name for p in fresh.parent.iterdir()) == [fresh.name]


COLUMN_CHANGES = {
    "extra column": ("ALTER TABLE evidence ADD COLUMN lenh TEXT", "bảng «evidence» có cột lạ «lenh»"),
    "missing column": ("ALTER TABLE unit DROP COLUMN email", "bảng «unit» thiếu cột «email»"),
    "generated column": (
        "ALTER TABLE doc_meta ADD COLUMN tinh TEXT GENERATED ALWAYS AS (upper(value)) VIRTUAL",
        "cột tính toán «doc_meta.tinh»",
    ),
    "missing table": ("DROP TABLE import_record", "thiếu bảng «import_record»"),
}


@pytest.mark.parametrize("kind", sorted(COLUMN_CHANGES))
def test_tables_with_other_columns_are_refused_untouched(fresh: Path, kind: str) -> None:
    sql, said = COLUMN_CHANGES[kind]
    _with(fresh, sql)
    before = fresh.read_bytes()
    for read_only in (False, True):
        with pytest.raises(DocumentSchemaError) as exc:
            open_document(fresh, read_only=read_only)
        assert said in exc.value.message and "không bị thay đổi" in exc.value.message
    assert fresh.read_bytes() == before
    assert sorted(p.name for p in fresh.parent.iterdir()) == [fresh.name]  # no lock, no backup


def test_older_document_with_an_extra_column_says_where_the_original_is(tmp_path: Path) -> None:
    path = tmp_path / "cu.khoi"
    shutil.copyfile(FIXTURES / "v0001.khoi", path)
    _with(path, "ALTER TABLE evidence ADD COLUMN lenh TEXT")
    with pytest.raises(DocumentSchemaError) as exc:
        open_document(path)
    assert "cột lạ «lenh»" in exc.value.message and "trước khi nâng cấp" in exc.value.message
    with pytest.raises(DocumentSchemaError):
        open_document(path, read_only=True)  # read from an upgraded copy: refused the same


def test_virtual_table_refused(fresh: Path) -> None:
    try:
        _with(fresh, "CREATE VIRTUAL TABLE tim_kiem USING fts5(noi_dung)")
    except sqlite3.OperationalError:
        _with(fresh, "CREATE VIRTUAL TABLE tim_kiem USING rtree(id, x0, x1)")
    before = fresh.read_bytes()
    with pytest.raises(DocumentSchemaError, match="bảng ảo «tim_kiem»"):
        open_document(fresh, read_only=True)
    assert fresh.read_bytes() == before


def test_trigger_in_an_older_document_is_refused_before_the_upgrade(tmp_path: Path) -> None:
    old = tmp_path / "cu.khoi"
    shutil.copyfile(FIXTURES / "v0001.khoi", old)
    _with(old, "CREATE TRIGGER xoa_het BEFORE UPDATE ON alembic_version BEGIN DELETE FROM evidence; END")
    conn = sqlite3.connect(old)
    evidence_before = conn.execute("SELECT count(*) FROM evidence").fetchone()[0]
    conn.close()
    before = old.read_bytes()
    with pytest.raises(DocumentSchemaError, match="trigger «xoa_het»"):
        open_document(old)
    assert old.read_bytes() == before
    assert not list(tmp_path.glob("*.bak")) and sorted(p.name for p in tmp_path.iterdir()) == ["cu.khoi"]
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == evidence_before
    conn.close()


def test_info_on_a_recursive_view_answers_instead_of_hanging(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _with(fresh, HOSTILE["view"])
    assert cli_main(["info", str(fresh)]) == 2
    assert "view «vong_lap»" in capsys.readouterr().err


def test_every_connection_is_hardened(fresh: Path) -> None:
    with open_document(fresh) as doc, doc.engine.connect() as c:
        raw = c.connection.driver_connection
        assert raw is not None
        assert raw.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        raw.execute("PRAGMA writable_schema=ON")
        with pytest.raises(sqlite3.OperationalError, match="may not be modified"):  # defensive mode
            raw.execute("UPDATE sqlite_master SET sql = 'x' WHERE name = 'doc_meta'")


def test_own_documents_still_open(fresh: Path, tmp_path: Path) -> None:
    with open_document(fresh) as doc:
        assert not doc.read_only
    old = tmp_path / "v1.khoi"
    shutil.copyfile(FIXTURES / "v0001.khoi", old)
    with open_document(old) as doc:
        assert doc.backup_path is not None
