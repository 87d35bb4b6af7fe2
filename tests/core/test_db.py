"""Document files: create, open, migrations, refusal of newer and foreign files, single-file."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select

from khoiapp.db import create_document, current_revision, head_revision, open_document, upgrade
from khoiapp.errors import (
    DocumentExistsError,
    DocumentNotFoundError,
    DocumentTooNewError,
    NotADocumentError,
)
from khoiapp.models import Blob, DocMeta, Evidence, Period, Unit
from khoiapp.services import backups, document, evidence

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "docs"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_document_writes_one_file_at_head(tmp_path: Path) -> None:
    path = tmp_path / "a.khoi"
    doc = create_document(path)
    assert current_revision(doc.engine) == head_revision()
    doc.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.khoi"]


def test_closed_document_leaves_no_side_files(tmp_path: Path) -> None:
    path = tmp_path / "a.khoi"
    doc = document.new_document(path, unit_name="Sở Tư pháp", unit_type="co-quan", year=2026)
    document.update_unit(doc, head_name="Nguyễn Văn A")
    doc.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.khoi"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_orm_round_trip_unit_period_evidence(tmp_path: Path) -> None:
    path = tmp_path / "rt.khoi"
    doc = document.new_document(path, unit_name="Trường THPT Hàm Rồng", unit_type="don-vi", year=2026)
    document.update_unit(doc, head_title="Hiệu trưởng", staff_count="85", address="Phường Hàm Rồng")
    evidence.add_evidence_bytes(doc, 2026, b"%PDF-1.4 test", "quyet-dinh.pdf", criteria=("1.1",), title="Quyết định")
    doc.close()
    with open_document(path) as doc2, doc2.transaction() as s:
        u = s.scalars(select(Unit)).one()
        assert (u.name, u.head_title, u.staff_count, u.address) == (
            "Trường THPT Hàm Rồng", "Hiệu trưởng", 85, "Phường Hàm Rồng",
        )
        p = s.scalars(select(Period)).one()
        assert (p.year_start, p.year_end, p.framework.key) == (2026, 2026, "tt08-co-quan-don-vi")
        e = s.scalars(select(Evidence)).one()
        assert e.code == "MC-1.1-01" and [r.code for r in e.results] == ["1.1"]
        blob = s.get(Blob, e.sha256)
        assert blob is not None and blob.data == b"%PDF-1.4 test"


def test_migrations_create_at_base_and_upgrade_to_head(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "import_record" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert "import_record" in inspect(engine).get_table_names()


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.khoi")))
def test_older_document_is_upgraded_after_a_backup(fixture: str, tmp_path: Path) -> None:
    path = tmp_path / fixture
    shutil.copyfile(FIXTURES / fixture, path)
    before = sha(path)
    with open_document(path) as doc:
        assert doc.backup_path is not None and doc.backup_path.exists()
        assert sha(doc.backup_path) == before or _same_content(doc.backup_path, FIXTURES / fixture)
        assert current_revision(doc.engine) == head_revision()
        info = document.document_info(doc)
    assert info.unit is not None and info.unit.name
    assert info.periods and info.periods[0].evidence_count >= 1
    assert backups.list_backups(path)[0].reason.startswith("nang-cap")


def _same_content(a: Path, b: Path) -> bool:
    with sqlite3.connect(a) as ca, sqlite3.connect(b) as cb:
        return list(ca.iterdump()) == list(cb.iterdump())


def test_read_only_older_document_is_read_without_changing_it(tmp_path: Path) -> None:
    path = tmp_path / "old.khoi"
    shutil.copyfile(FIXTURES / "v0001.khoi", path)
    before = sha(path)
    with open_document(path, read_only=True) as doc:
        assert doc.read_only
        assert document.document_info(doc).unit is not None
    assert sha(path) == before
    assert not backups.backup_dir(path).exists()


def test_newer_document_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "new.khoi"
    create_document(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = sha(path)
    with pytest.raises(DocumentTooNewError) as exc:
        open_document(path)
    assert "phiên bản Khối mới hơn" in exc.value.message
    assert sha(path) == before


def test_not_a_document(tmp_path: Path) -> None:
    path = tmp_path / "note.khoi"
    path.write_text("không phải tài liệu", encoding="utf-8")
    with pytest.raises(NotADocumentError):
        open_document(path)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(NotADocumentError):
        open_document(other)


def test_corrupt_document(tmp_path: Path) -> None:
    path = tmp_path / "bad.khoi"
    create_document(path).close()
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\xff" * 3900
    path.write_bytes(bytes(data))
    before = sha(path)
    with pytest.raises(NotADocumentError):
        open_document(path)
    assert sha(path) == before


def test_missing_document(tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFoundError):
        open_document(tmp_path / "none.khoi")


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "x.khoi"
    path.write_bytes(b"data")
    with pytest.raises(DocumentExistsError):
        create_document(path)
    assert path.read_bytes() == b"data"


def test_document_marker_and_id(tmp_path: Path) -> None:
    with create_document(tmp_path / "x.khoi") as doc, doc.transaction() as s:
        meta = {m.key: m.value for m in s.scalars(select(DocMeta))}
    assert meta["app"] == "khoi-document"
    assert len(meta["document_id"]) == 36


def test_backups_rotate_and_restore(tmp_path: Path) -> None:
    path = tmp_path / "b.khoi"
    doc = document.new_document(path, unit_name="Đơn vị A", unit_type="don-vi", year=2026)
    doc.close()
    made = [backups.make_backup(path, reason=f"thu-{i}") for i in range(7)]
    listed = backups.list_backups(path)
    assert len(listed) == 5
    assert {b.path for b in listed} == set(made[-5:])
    with open_document(path) as doc:
        document.update_unit(doc, name="Đơn vị B")
    backups.restore_backup(path, made[-1])
    with open_document(path) as doc:
        assert document.get_unit(doc).name == "Đơn vị A"  # type: ignore[union-attr]


def test_revisions_read_without_alembic_agree_with_alembic(tmp_path):
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from khoiapp import db

    script = ScriptDirectory.from_config(db._alembic_config())
    assert db.head_revision() == script.get_current_head()
    assert db.known_revisions() == {r.revision for r in script.walk_revisions()}
    engine = db._make_engine(tmp_path / "x.khoi", read_only=False, create=True)
    try:
        assert db.current_revision(engine) is None  # an empty file: no schema yet
        db.upgrade(engine, "0001")
        with engine.connect() as conn:
            assert db.current_revision(engine) == MigrationContext.configure(conn).get_current_revision() == "0001"
    finally:
        engine.dispose()


def test_prebuilt_schema_is_what_the_migrations_build(tmp_path):
    from khoiapp import db

    engine = db._make_engine(tmp_path / "migrated.khoi", read_only=False, create=True)
    try:
        db.upgrade(engine)
        built = db.schema_script(engine)
    finally:
        engine.dispose()
    assert db.PREBUILT_SCHEMA.read_text("utf-8") == built, "run «make schema» after adding a migration"


def test_new_document_from_the_prebuilt_schema_opens_without_importing_alembic(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from khoiapp import db\n"
        f"doc = db.create_document({str(tmp_path / 'moi.khoi')!r})\n"
        "doc.close()\n"
        f"doc = db.open_document({str(tmp_path / 'moi.khoi')!r})\n"
        "doc.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    import sqlite3

    con = sqlite3.connect(tmp_path / "moi.khoi")
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == db_head()
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


def db_head():
    from khoiapp import db

    return db.head_revision()
