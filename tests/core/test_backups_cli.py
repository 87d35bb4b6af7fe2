"""CLI backups/restore: listing, restoring by number/name/path, safety around restore."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sqlite3
import types
from pathlib import Path

import pytest

from khoiapp.cli import main
from khoiapp.cli.backup_cmds import reason_label, restore_document
from khoiapp.db import open_document
from khoiapp.errors import DocumentLockedError
from khoiapp.services import backups
from khoiapp.services import document as docsvc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "docs"


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups one minute apart: their names carry the time to the second, and order by it."""
    ticks = iter(range(10_000))

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Clock:  # type: ignore[override]
            return cls(2026, 11, 29, 8, 0) + dt.timedelta(minutes=next(ticks))

    monkeypatch.setattr(backups, "dt", types.SimpleNamespace(datetime=Clock))


def _unit_name(path: Path) -> str:
    with open_document(path, read_only=True) as doc:
        return docsvc.get_unit(doc).name  # type: ignore[union-attr]


def _rename(path: Path, name: str) -> None:
    with open_document(path) as doc:
        docsvc.update_unit(doc, name=name)


@pytest.fixture
def doc_with_backups(demo_copy: Path) -> tuple[Path, list[Path]]:
    made = []
    for i in range(3):
        _rename(demo_copy, f"Đơn vị {i}")
        made.append(backups.make_backup(demo_copy, reason="thu-cong"))
    _rename(demo_copy, "Đơn vị hiện tại")
    return demo_copy, made


def test_backups_lists_date_reason_size(doc_with_backups: tuple[Path, list[Path]], capsys: pytest.CaptureFixture[str]) -> None:
    path, made = doc_with_backups
    assert main(["backups", str(path)]) == 0
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if re.match(r"^\s+\d+\. ", ln)]
    assert len(lines) == 3
    assert re.match(r"^\s+1\. 29/11/2026 08:02  sao lưu thủ công  \(\d+ KB\)  ", lines[0])
    assert made[-1].name in lines[0]  # newest first


def test_backups_json(doc_with_backups: tuple[Path, list[Path]], capsys: pytest.CaptureFixture[str]) -> None:
    path, made = doc_with_backups
    assert main(["backups", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"] == str(path)
    assert [b["index"] for b in data["backups"]] == [1, 2, 3]
    first = data["backups"][0]
    assert first["name"] == made[-1].name and Path(first["path"]) == made[-1]
    assert first["reason"] == "thu-cong" and first["reason_label"] == "sao lưu thủ công"
    assert first["size"] == made[-1].stat().st_size
    assert first["created_at"] == "2026-11-29T08:02:00"


def test_backups_none_yet(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backups", str(demo_copy)]) == 0
    assert "chưa có bản sao lưu nào" in capsys.readouterr().out
    assert main(["backups", str(demo_copy), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["backups"] == []


@pytest.mark.parametrize("how", ["index", "name", "path"])
def test_restore_puts_the_backup_back_and_saves_the_current_state(
    doc_with_backups: tuple[Path, list[Path]], capsys: pytest.CaptureFixture[str], how: str
) -> None:
    path, made = doc_with_backups
    target = made[1]  # "Đơn vị 1", number 2 in the listing
    arg = {"index": "2", "name": target.name, "path": str(target)}[how]
    assert main(["restore", str(path), arg]) == 0
    out = capsys.readouterr().out
    assert f"từ bản sao lưu «{target.name}»" in out and "sao lưu thủ công" in out
    assert _unit_name(path) == "Đơn vị 1"
    pre = backups.list_backups(path)[0]
    assert pre.reason == "truoc-khoi-phuc" and pre.path.name in out
    assert _unit_name(pre.path) == "Đơn vị hiện tại"
    assert sorted(p.name for p in path.parent.iterdir() if p.is_file()) == [path.name]


def test_restore_the_oldest_of_a_full_rotation(demo_copy: Path) -> None:
    made = []
    for i in range(backups.KEEP):
        _rename(demo_copy, f"Bản {i}")
        made.append(backups.make_backup(demo_copy, reason=f"thu-{i}"))
    _rename(demo_copy, "Hiện tại")
    oldest = backups.list_backups(demo_copy)[-1].path
    assert oldest == made[0]
    # Making the pre-restore backup rotates the oldest away: the restore must still use it.
    out = restore_document(demo_copy, oldest)
    assert _unit_name(demo_copy) == "Bản 0"
    assert out.saved_current is not None and _unit_name(out.saved_current) == "Hiện tại"
    assert len(backups.list_backups(demo_copy)) == backups.KEEP
    assert not list(backups.backup_dir(demo_copy).glob(".dang-khoi-phuc-*"))


def test_restore_over_a_damaged_document_keeps_its_bytes(
    doc_with_backups: tuple[Path, list[Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, made = doc_with_backups
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    damaged = path.read_bytes()
    assert main(["restore", str(path), "1"]) == 0
    out = capsys.readouterr().out
    assert _unit_name(path) == "Đơn vị 2"
    kept = list(backups.backup_dir(path).glob("*.khoi.hong"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert "bị hỏng" in out and kept[0].name in out
    assert all(b.path.suffix == ".khoi" for b in backups.list_backups(path))  # not offered as a backup


def test_restore_refused_while_the_document_is_open(
    doc_with_backups: tuple[Path, list[Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = doc_with_backups
    with open_document(path) as doc:
        assert not doc.read_only
        code = main(["restore", str(path), "1"])
        err = capsys.readouterr().err
        assert code == 2 and "đang được mở ở cửa sổ khác" in err
        with pytest.raises(DocumentLockedError):
            restore_document(path, "1")
    assert _unit_name(path) == "Đơn vị hiện tại"
    assert [b.reason for b in backups.list_backups(path)] == ["thu-cong"] * 3


@pytest.mark.parametrize("arg", ["9", "0", "khong-co.khoi"])
def test_restore_unknown_backup(doc_with_backups: tuple[Path, list[Path]], capsys: pytest.CaptureFixture[str], arg: str) -> None:
    path, _ = doc_with_backups
    before = path.read_bytes()
    assert main(["restore", str(path), arg]) == 2
    err = capsys.readouterr().err
    assert f"Không tìm thấy bản sao lưu «{arg}»" in err and "đánh số 1 đến 3" in err
    assert path.read_bytes() == before


def test_restore_refuses_a_backup_that_is_not_a_document(
    doc_with_backups: tuple[Path, list[Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = doc_with_backups
    bogus = tmp_path / "khac.khoi"
    bogus.write_text("không phải tài liệu", encoding="utf-8")
    before = path.read_bytes()
    assert main(["restore", str(path), str(bogus)]) == 2
    assert "không phải tài liệu Khối" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_backup_before_migration_is_listed_with_its_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cu.khoi"
    shutil.copyfile(FIXTURES / "v0001.khoi", path)
    open_document(path).close()
    assert main(["backups", str(path)]) == 0
    assert "trước khi nâng cấp tài liệu lên định dạng mới (từ bản 0001)" in capsys.readouterr().out
    # and restoring it gives back the old file, which is upgraded again when opened
    assert main(["restore", str(path), "1"]) == 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"


def test_reason_labels() -> None:
    assert reason_label("truoc-nhap-ho-so") == "trước khi nhập hồ sơ"
    assert reason_label("truoc-khoi-phuc") == "trước khi khôi phục một bản sao lưu"
    assert reason_label("nang-cap-0001").startswith("trước khi nâng cấp")
    assert reason_label("la-ky") == "la ky"


def test_import_roll_forward_is_backed_up_and_can_be_undone(
    demo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from khoiapp.services.export import export_dossier
    from khoiapp.services.importer import import_dossier

    pdf = tmp_path / "ho-so-2026.pdf"
    with open_document(demo_copy) as doc:
        export_dossier(doc, 2026, pdf, draft=True, clock=dt.datetime(2026, 11, 29, 8, 0))
        import_dossier(doc, pdf, accept_unverified=True, use_trust_store=False)  # into 2027
        assert [p.year_end for p in docsvc.list_periods(doc)] == [2026, 2027]
    (pre,) = backups.list_backups(demo_copy)
    assert pre.reason == "truoc-nhap-ho-so"
    assert main(["backups", str(demo_copy)]) == 0
    assert "trước khi nhập hồ sơ" in capsys.readouterr().out
    assert main(["restore", str(demo_copy), "1"]) == 0
    with open_document(demo_copy, read_only=True) as doc:
        assert [p.year_end for p in docsvc.list_periods(doc)] == [2026]
