"""Every path the app writes is built from a safe name: evidence code, file name, temporary names."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from khoiapp.db import open_document
from khoiapp.safename import safe_component
from khoiapp.services import evidence as evsvc

HOSTILE = [
    "../../../../tmp/thoat-ra-ngoai",
    "..\\..\\Windows\\System32\\evil.dll",
    "C:\\Users\\Public\\x.pdf",
    "/etc/cron.d/khoi",
    "CON",
    "nul.txt",
    "LPT1.pdf",
    "",
    ".",
    "..",
    " . ",
    "a\x00b\x1fc",
    "tên\u200b\u202eexe.pdf",
    "Biên bản họp chi bộ tháng 11 năm 2026 về công tác xây dựng cơ quan văn hóa " * 10,
    "|<>:*?\"",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_component_stays_inside_its_folder(text: str, tmp_path: Path) -> None:
    name = safe_component(text, suffix=".pdf")
    assert name and len(name.encode("utf-8")) <= 200
    assert not any(ch in name for ch in '/\\:*?"<>|') and "\x00" not in name
    assert name.split(".")[0].upper() not in {"CON", "NUL", "LPT1", "PRN", "AUX"}
    assert name not in (".", "..") and not name.startswith(".") and not name.endswith((" ", "."))
    target = tmp_path / name
    assert target.resolve().parent == tmp_path.resolve()
    target.write_bytes(b"x")  # a real file system accepts it


def test_safe_component_keeps_vietnamese_names_readable() -> None:
    assert safe_component("Biên bản họp chi bộ", suffix=".pdf") == "Biên bản họp chi bộ.pdf"


def _hostile_evidence(demo_copy: Path, code: str, file_name: str) -> int:
    """An evidence row whose code and file name were written into the file by another tool."""
    with open_document(demo_copy) as doc:
        views = evsvc.list_evidence(doc, 2026)
        eid = next(v.id for v in views if v.sha256)
    conn = sqlite3.connect(demo_copy)
    conn.execute("UPDATE evidence SET code = ?, file_name = ? WHERE id = ?", (code, file_name, eid))
    conn.commit()
    conn.close()
    return eid


def test_saving_evidence_with_a_path_in_its_code_writes_inside_the_folder(demo_copy: Path, tmp_path: Path) -> None:
    eid = _hostile_evidence(demo_copy, "../../../thoat", "../../.bashrc")
    out = tmp_path / "ra" / "minh-chung"
    out.mkdir(parents=True)
    before = {p for p in tmp_path.parent.rglob("*")}
    with open_document(demo_copy) as doc:
        path = evsvc.save_evidence_file(doc, eid, out)
    created = {p for p in tmp_path.parent.rglob("*")} - before
    assert path.parent == out and path.exists()
    assert created == {path}


def test_opening_evidence_writes_into_a_new_private_folder(demo_copy: Path, tmp_path: Path) -> None:
    eid = _hostile_evidence(demo_copy, "..\\..\\MC-01", "CON.pdf")
    root = tmp_path / "rieng"
    root.mkdir(mode=0o700)
    with open_document(demo_copy) as doc:
        first = evsvc.save_evidence_for_viewing(doc, eid, root)
        second = evsvc.save_evidence_for_viewing(doc, eid, root)
    assert first.parent.parent == root and second.parent.parent == root and first.parent != second.parent
    assert first.name == second.name and "/" not in first.name and "\\" not in first.name
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(first.parent).st_mode) == 0o700
