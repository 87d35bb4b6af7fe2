"""The CLI: every command of the foundation, its --json output and each bad input."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from khoiapp.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def doc_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    p = tmp_path / "so.khoi"
    code, out, _ = run(capsys, "new", p, "--unit", "Sở Tư pháp tỉnh Thanh Hóa", "--type", "co-quan", "--year", 2026)
    assert code == 0 and "Đã tạo tài liệu" in out
    return p


def test_new_and_info_json(doc_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info", doc_path, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["unit"]["name"] == "Sở Tư pháp tỉnh Thanh Hóa"
    assert data["unit"]["unit_type"] == "co-quan"
    (period,) = data["periods"]
    assert period["year"] == 2026 and period["framework"]["id"] == "tt08-co-quan-don-vi"
    assert period["result"] == "chua-du-du-lieu"
    assert period["readiness"]["answered"] == 0
    assert set(period) >= {"label", "counts", "preflight", "points", "targets", "evidence_count"}


def test_set_and_attach_change_the_result(doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "set", doc_path, "--year", 2026, "2.1", "92")[0] == 0
    f = tmp_path / "bien-ban.pdf"
    f.write_bytes(b"%PDF-1.4 bien ban")
    code, out, _ = run(capsys, "attach", doc_path, "--year", 2026, "2.1", f, "--title", "Biên bản kiểm tra", "--json")
    assert code == 0
    assert json.loads(out)["evidence"]["code"] == "MC-2.1-01"
    data = json.loads(run(capsys, "info", doc_path, "--json")[1])
    assert data["periods"][0]["readiness"]["answered"] == 1
    assert data["periods"][0]["evidence_count"] == 1


def _jpeg(path: Path) -> Path:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (120, 160, 90)).save(buf, format="JPEG", quality=90)
    path.write_bytes(buf.getvalue())
    return path


def test_attach_and_evidence_set_each_items_embed_choice(doc_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    scan = tmp_path / "bien-ban.pdf"
    scan.write_bytes(b"%PDF-1.4 bien ban")
    code, out, _ = run(capsys, "attach", doc_path, "--year", 2026, "2.1", scan, "--embed", "list", "--json")
    assert code == 0 and json.loads(out)["evidence"]["attach"] == "list"
    assert json.loads(out)["evidence"]["embed"] is False
    photo = _jpeg(tmp_path / "IMG_0001.jpg")
    code, out, _ = run(capsys, "attach", doc_path, "--year", 2026, "2.1", photo, "--json")
    assert code == 0 and json.loads(out)["evidence"]["attach"] == "auto"
    code, out, _ = run(capsys, "evidence", doc_path, "--year", 2026, "MC-2.1-02", "--embed", "reduced")
    assert code == 0 and out.strip() == "Minh chứng MC-2.1-02 «IMG 0001»: đính kèm bản thu nhỏ (đã lưu)."
    code, out, _ = run(capsys, "evidence", doc_path, "--year", 2026, "MC-2.1-02", "--json")
    assert json.loads(out)["evidence"]["attach"] == "reduced"
    # a reduced copy exists for photos only: refused, nothing changed
    code, _out, err = run(capsys, "evidence", doc_path, "--year", 2026, "MC-2.1-01", "--embed", "reduced")
    assert code == 2 and "không phải ảnh JPEG" in err
    code, out, _ = run(capsys, "evidence", doc_path, "--year", 2026, "MC-2.1-01", "--json")
    assert json.loads(out)["evidence"]["attach"] == "list"
    code, _out, err = run(capsys, "evidence", doc_path, "--year", 2026, "MC-9.9-01")
    assert code == 2 and "không có minh chứng mã «MC-9.9-01»" in err


def test_attach_refuses_a_reduced_copy_of_a_pdf_before_storing(doc_path: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    scan = tmp_path / "bien-ban.pdf"
    scan.write_bytes(b"%PDF-1.4 bien ban")
    code, _out, err = run(capsys, "attach", doc_path, "--year", 2026, "2.1", scan, "--embed", "reduced")
    assert code == 2 and "không phải ảnh JPEG" in err
    assert json.loads(run(capsys, "info", doc_path, "--json")[1])["periods"][0]["evidence_count"] == 0


@pytest.mark.parametrize("date", ["05/02/2026", "2026-02-05"])
def test_attach_records_the_issue_date_and_issuer(doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  date: str) -> None:
    f = tmp_path / "bien-ban.pdf"
    f.write_bytes(b"%PDF-1.4 bien ban")
    code, out, _ = run(capsys, "attach", doc_path, "--year", 2026, "2.1", f, "--number", "12/BB-CĐ", "--date", date,
                       "--issued-by", "Công đoàn Sở Tư pháp", "--json")
    assert code == 0
    e = json.loads(out)["evidence"]
    assert (e["issued_on"], e["issuer"], e["doc_number"]) == ("2026-02-05", "Công đoàn Sở Tư pháp", "12/BB-CĐ")


def test_attach_refuses_a_bad_date_before_storing(doc_path: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bien-ban.pdf"
    f.write_bytes(b"%PDF-1.4 bien ban")
    code, _out, err = run(capsys, "attach", doc_path, "--year", 2026, "2.1", f, "--date", "31/02/2026")
    assert code == 2 and "Ngày ban hành" in err and "05/02/2026" in err
    data = json.loads(run(capsys, "info", doc_path, "--json")[1])
    assert data["periods"][0]["evidence_count"] == 0


def test_a_whole_assessment_from_a_script(doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from khoiapp.frameworks import bundled_framework

    fw = bundled_framework("tt08-co-quan-don-vi")
    f = tmp_path / "mc.pdf"
    for c in fw.criteria():
        value = {"yesno": "dat", "percent": "100", "count": str(int(c.threshold or 0) + 1)}.get(c.kind.value, str(c.max_points))
        assert run(capsys, "set", doc_path, "--year", 2026, c.code, value)[0] == 0
        for i in range(c.min_evidence):
            f.write_bytes(f"minh chứng {c.code} {i}".encode())
            assert run(capsys, "attach", doc_path, "--year", 2026, c.code, f)[0] == 0
    for pair in ("head_name=Nguyễn Văn An", "union_chair=Lê Thị Bình"):
        assert run(capsys, "unit", doc_path, "--set", pair)[0] == 0
    period = json.loads(run(capsys, "info", doc_path, "--json")[1])["periods"][0]
    assert period["result"] == "dat-chuan-van-hoa"
    assert period["preflight"] == []


def test_frameworks_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks", "--json")
    ids = {f["id"] for f in json.loads(out)}
    assert code == 0 and {"tt08-co-quan-don-vi", "tt08-doanh-nghiep", "kieu-mau-thanh-hoa"} <= ids


def test_import_framework(doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = (ROOT / "resources/frameworks/tt08-co-quan-don-vi.toml").read_text(encoding="utf-8")
    newer = tmp_path / "moi.toml"
    newer.write_text(src.replace('version = "', 'version = "9', 1), encoding="utf-8")
    code, out, _ = run(capsys, "import-framework", doc_path, newer)
    assert code == 0 and "Đã nhập bộ tiêu chí" in out


def test_demo_then_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "d.khoi"
    assert run(capsys, "demo", p)[0] == 0
    data = json.loads(run(capsys, "info", p, "--json")[1])
    period = data["periods"][-1]
    assert data["unit"]["head_name"] and period["result"] == "kieu-mau"
    assert period["readiness"]["answered"] == period["readiness"]["total"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("set", "{doc}", "--year", "2026", "2.1", "120"), "120"),
        (("set", "{doc}", "--year", "2026", "9.9", "dat"), "9.9"),
        (("set", "{doc}", "--year", "2026", "2.1", "nhieu"), "không hợp lệ"),
        (("set", "{doc}", "--year", "2031", "2.1", "dat"), "2031"),
        (("attach", "{doc}", "--year", "2026", "2.1", "{tmp}/khong-co.pdf"), "Không tìm thấy tệp"),
        (("attach", "{doc}", "--year", "2026", "2.1", "{tmp}/to.pdf"), "vượt giới hạn"),
        (("attach", "{doc}", "--year", "2026", "2.1", "{tmp}/virus.exe"), "Không nhận loại tệp"),
        (("import-framework", "{doc}", "{tmp}/hong.toml"), "hong.toml"),
        (("unit", "{doc}", "--set", "staff_count=nhiều"), "số nguyên"),
    ],
)
def test_bad_input_exits_2_and_leaves_document_unchanged(
    args: tuple[str, ...], needle: str, doc_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KHOI_EVIDENCE_LIMIT_MB", "0.001")
    (tmp_path / "to.pdf").write_bytes(b"x" * 5000)
    (tmp_path / "virus.exe").write_bytes(b"MZ")
    (tmp_path / "hong.toml").write_text("[framework]\nid = \"x\"\ntresholds = 3\n", encoding="utf-8")
    before = sha(doc_path)
    code, _out, err = run(capsys, *(a.format(doc=doc_path, tmp=tmp_path) for a in args))
    assert code == 2
    assert err.startswith("Lỗi: ") and needle in err
    assert "Traceback" not in err
    assert sha(doc_path) == before


def test_new_with_unknown_type_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "x.khoi"
    code, _, err = run(capsys, "new", p, "--unit", "A", "--type", "hop-tac-xa", "--year", 2026)
    assert code == 2 and "Loại hình" in err
    assert not p.exists()


@pytest.mark.parametrize("content", [b"", b"hello world", b"SQLite format 3\x00" + b"\x00" * 200])
def test_info_on_a_file_that_is_not_a_document(content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "x.khoi"
    p.write_bytes(content)
    code, _, err = run(capsys, "info", p)
    assert code == 2 and "không phải tài liệu Khối" in err
    assert p.read_bytes() == content


def test_info_on_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "info", tmp_path / "none.khoi")
    assert code == 2 and "Không tìm thấy" in err


def test_bad_arguments_exit_2_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["set"])
    assert exc.value.code == 2
    assert "tham số không hợp lệ" in capsys.readouterr().err


def test_main_py_and_console_script_run_the_cli(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "frameworks"], capture_output=True, text=True, check=True
    )
    assert "tt08-co-quan-don-vi" in out.stdout
    script = Path(sys.executable).with_name("khoiapp")
    if script.exists():
        out2 = subprocess.run([str(script), "frameworks", "--json"], capture_output=True, text=True, check=True)
        assert json.loads(out2.stdout)


@pytest.mark.parametrize("command", ["new", "info", "set", "attach", "export", "verify", "import", "restore"])
def test_help_is_vietnamese(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert out.startswith("cách dùng: khoiapp " + command)
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in out


def test_unexpected_error_is_an_apology_with_the_log_path(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from khoiapp import frameworks as fwlib
    from khoiapp.paths import log_path

    def broken() -> None:
        raise RuntimeError("lỗi lập trình giả định")

    monkeypatch.setattr(fwlib, "bundled_frameworks", broken)
    code, _out, err = run(capsys, "frameworks")
    assert code == 1
    assert err.startswith("Lỗi: Rất tiếc") and str(log_path()) in err
    assert "Traceback" not in err and "RuntimeError" not in err
    logged = log_path().read_text(encoding="utf-8")
    assert "Traceback" in logged and "lỗi lập trình giả định" in logged


def test_command_table_matches_what_the_modules_declare() -> None:
    import argparse
    import importlib

    from khoiapp.cli import COMMAND_MODULES, COMMANDS

    declared: dict[str, list[str]] = {}
    for name in COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        before: set[str] = set()
        if name == "khoiapp.cli.batch_cmds":  # it widens «set» and «attach» declared before it
            importlib.import_module("khoiapp.cli.document_cmds").register(sub)
            before = set(sub.choices)
        importlib.import_module(name).register(sub)
        for cmd in set(sub.choices) - before:
            declared.setdefault(cmd, []).append(name)
    assert set(declared) == set(COMMANDS)
    for cmd, mods in declared.items():
        assert mods[0] in COMMANDS[cmd][0], cmd


@pytest.mark.parametrize(
    ("args", "not_imported"),
    [(["--help"], ("sqlalchemy", "khoiapp.db", "pyhanko", "alembic")), (["info", "{doc}"], ("pyhanko", "alembic", "reportlab"))],
)
def test_a_command_imports_only_what_it_needs(doc_path: Path, args: list[str], not_imported: tuple[str, ...]) -> None:
    argv = [a.format(doc=doc_path) for a in args]
    code = (
        "import sys\n"
        "from khoiapp.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('LOADED', sorted({{m.split('.')[0] if m.split('.')[0] != 'khoiapp' else m for m in sys.modules}} & {set(not_imported)!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip().splitlines()[-1] == "LOADED []"
