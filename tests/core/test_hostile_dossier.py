"""Hostile dossiers: every limit holds before the work it limits, and a swap on disk changes nothing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from khoiapp.dossier import budget, reader, schema
from khoiapp.dossier.limits import MAX_DOSSIER_BYTES, MAX_PAYLOAD_BYTES, PAYLOAD_NAME
from khoiapp.errors import DossierError, DossierLimitError
from khoiapp.services import summary as svc
from khoiapp.services.extract import extract_dossier
from khoiapp.services.verify import verify_dossier
from tests.core.test_limits import make_pdf

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


def _payload(**extra: Any) -> bytes:
    return json.dumps({"schema": "khoi-dossier/1", "manifest": [], **extra}).encode()


def many_items_pdf(path: Path, n: int = 12_000_000) -> Path:
    """A ~40 KB PDF whose 36 MB payload is a flat list of ``n`` empty objects (under 50 MiB)."""
    body = b'{"schema": "khoi-dossier/1", "manifest": [], "results": [' + b",".join([b"{}"] * n) + b"]}"
    return make_pdf(path, [(PAYLOAD_NAME, zlib.compress(body, 9), True)])


@pytest.fixture(scope="module")
def many_items(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return many_items_pdf(tmp_path_factory.mktemp("nhieu-muc") / "nhieu-muc.pdf")


# --------------------------------------------------------------------------- counts before parsing


_CHILD = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (30, 30))
    from khoiapp.errors import KhoiError
    from khoiapp.services.extract import extract_dossier
    from khoiapp.services.summary import read_row
    out = {}
    try:
        extract_dossier(sys.argv[1], sys.argv[2])
        out["extract"] = "ok"
    except KhoiError as exc:
        out["extract"] = exc.message
    out["row"] = read_row(Path(sys.argv[1]), []).reason
    print(json.dumps(out, ensure_ascii=False))
    """
)


def test_many_items_payload_refused_under_a_1gb_address_space(many_items: Path, tmp_path: Path) -> None:
    assert many_items.stat().st_size < 1 * MB
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(many_items), str(tmp_path / "ra")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    for text in (out["extract"], out["row"]):
        assert "vượt giới hạn 1.000.000 mục" in text and "xin lại bản hồ sơ gốc" in text
    assert not (tmp_path / "ra").exists() or not any((tmp_path / "ra").iterdir())


def test_item_count_over_max_items_refused_before_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_validator() -> Any:
        raise AssertionError("the full validator must not run on an over-long array")

    monkeypatch.setattr(schema, "_validator", no_validator)
    obj = {"schema": "khoi-dossier/1", "manifest": [], "results": [{}] * 200_000}
    with pytest.raises(DossierLimitError, match="results: có 200000 mục, nhiều hơn giới hạn 2000 mục"):
        schema.validate_payload(obj)


def test_schema_errors_stop_at_the_first_twenty(monkeypatch: pytest.MonkeyPatch) -> None:
    real = schema._validator()
    pulled = 0

    def counting(obj: Any) -> Iterator[Any]:
        nonlocal pulled
        for err in real(obj):
            pulled += 1
            yield err

    monkeypatch.setattr(schema, "_validator", lambda: counting)
    obj = {"schema": "khoi-dossier/1", "manifest": [{"name": 1}] * 1500}
    problems = schema.payload_problems(obj)
    assert len(problems) == 20 and pulled == 20


# --------------------------------------------------------------------------- decoded bytes


def _zero_bomb(size: int) -> bytes:
    c = zlib.compressobj(9)
    chunk = bytes(MB)
    return b"".join(c.compress(chunk) for _ in range(size // MB)) + c.flush()


def test_verify_decodes_an_attachment_only_to_its_declared_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = reader.decoded_chunks
    seen = 0

    def counting(stream: Any, limit: int | None = None) -> Iterator[bytes]:
        nonlocal seen
        for chunk in real(stream, limit):
            seen += len(chunk)
            yield chunk

    monkeypatch.setattr(reader, "decoded_chunks", counting)
    small = b"bien ban hop chi bo thang 11"
    manifest = [{"name": "bom.bin", "sha256": hashlib.sha256(small).hexdigest(), "size": len(small)}]
    pdf = make_pdf(
        tmp_path / "bom.pdf",
        [(PAYLOAD_NAME, _payload(manifest=manifest), False), ("bom.bin", _zero_bomb(256 * MB), True)],
    )
    report = verify_dossier(pdf, use_trust_store=False)
    assert report.mismatched == ("bom.bin",)
    assert any("bom nén" in p for p in report.problems)
    assert seen <= 2 * MB  # the payload plus one chunk of the bomb, not 256 MB


def test_verify_refuses_declared_sizes_over_the_dossier_cap_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = reader.decoded_chunks

    def never(stream: Any, limit: int | None = None) -> Iterator[bytes]:
        if limit == MAX_PAYLOAD_BYTES:  # the payload itself is read, of course
            yield from real(stream, limit)
            return
        raise AssertionError("no attachment may be decoded")

    manifest = [{"name": f"mc-{i}.bin", "sha256": "0" * 64, "size": MAX_DOSSIER_BYTES // 2} for i in range(3)]
    files = [(PAYLOAD_NAME, _payload(manifest=manifest), False)] + [(m["name"], b"x", False) for m in manifest]
    pdf = make_pdf(tmp_path / "lon.pdf", files)
    monkeypatch.setattr(reader, "decoded_chunks", never)
    report = verify_dossier(pdf, use_trust_store=False)
    assert report.attachments_ok is False
    assert any("vượt giới hạn 4096,0 MB của một hồ sơ" in p for p in report.problems)


# --------------------------------------------------------------------------- extract errors


def test_extract_deep_json_is_a_limit_error_and_writes_nothing(tmp_path: Path) -> None:
    deep = b'{"schema": "khoi-dossier/1", "manifest": [], "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    pdf = make_pdf(tmp_path / "sau.pdf", [(PAYLOAD_NAME, deep, False)])
    out = tmp_path / "ra"
    with pytest.raises(DossierLimitError, match="lồng nhau quá 32 tầng"):
        extract_dossier(pdf, out)
    assert not out.exists()


def test_extract_keeps_a_244_byte_name(tmp_path: Path) -> None:
    name = "Biên bản " + "ư" * 114 + ".pdf"  # a long Vietnamese name: 244 bytes of UTF-8
    while len(name.encode()) < 244:
        name = "a" + name
    assert len(name.encode()) == 244
    data = b"%PDF-1.4 bien ban\n" * 1000
    manifest = [{"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}]
    pdf = make_pdf(tmp_path / "dai.pdf", [(PAYLOAD_NAME, _payload(manifest=manifest), False), (name, data, False)])
    out = tmp_path / "ra"
    res = extract_dossier(pdf, out)
    assert (out / name).read_bytes() == data
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging left
    assert all("không khớp" not in p for p in res.problems)


def test_extract_mismatch_in_a_later_file_leaves_no_temporary_files(tmp_path: Path) -> None:
    good, bad = b"tot" * 1000, b"xau" * 1000
    manifest = [
        {"name": "a.pdf", "sha256": hashlib.sha256(good).hexdigest(), "size": len(good)},
        {"name": "b.pdf", "sha256": hashlib.sha256(b"khac").hexdigest(), "size": len(bad)},
    ]
    pdf = make_pdf(
        tmp_path / "x.pdf",
        [(PAYLOAD_NAME, _payload(manifest=manifest), False), ("a.pdf", good, False), ("b.pdf", bad, False)],
    )
    out = tmp_path / "ra"
    res = extract_dossier(pdf, out)
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", PAYLOAD_NAME]
    assert any("b.pdf" in p for p in res.problems)


# --------------------------------------------------------------------------- the budgeted worker


def eat_memory(mb: int) -> int:
    """Allocate ``mb`` MB (runs in the worker)."""
    blocks = [bytearray(MB) for _ in range(mb)]
    return len(blocks)


def spin_forever() -> None:
    """Never return (runs in the worker)."""
    while True:
        pass


def add(a: int, b: int) -> int:
    return a + b


def fail_with_dossier_error() -> None:
    raise DossierError("Hồ sơ hỏng thử.")


@pytest.mark.skipif(sys.platform == "win32", reason="no setrlimit on Windows")
def test_worker_out_of_memory_costs_only_that_call() -> None:
    with budget.BudgetedWorker(budget.Budget(memory=1536 * MB, seconds=60)) as w:
        with pytest.raises(budget.BudgetExceeded) as exc:
            w.call(eat_memory, 4096)
        assert exc.value.kind == "memory"
        assert w.call(add, 2, 3) == 5  # a fresh worker answers the next call


def test_worker_out_of_time_is_stopped_and_replaced() -> None:
    with budget.BudgetedWorker(budget.Budget(memory=1536 * MB, seconds=3)) as w:
        with pytest.raises(budget.BudgetExceeded) as exc:
            w.call(spin_forever)
        assert exc.value.kind == "time"
        assert w.call(add, 40, 2) == 42


def test_worker_passes_errors_back() -> None:
    with budget.BudgetedWorker(budget.Budget(memory=1536 * MB, seconds=60)) as w:
        with pytest.raises(DossierError, match="Hồ sơ hỏng thử"):
            w.call(fail_with_dossier_error)


# --------------------------------------------------------------------------- summary and swaps


@pytest.fixture(scope="module")
def bloc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, Path]:
    """(folder with 3 good signed dossiers, trusted certificate, folder of spare dossiers)."""
    from cryptography.hazmat.primitives.serialization import Encoding

    from khoiapp.services import signing
    from khoiapp.services.demo import build_demo
    from khoiapp.services.export import SignRequest
    from tests.core.test_summary import PASSWORD, UNIT_A, UNIT_B, UNIT_C, UNIT_D, YEAR, _export

    base = tmp_path_factory.mktemp("khoi-tong-hop")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHOI_DATA_DIR", str(base / "data"))
        mp.setenv("KHOI_CONFIG_DIR", str(base / "config"))
        work, folder, spare = base / "work", base / "inbox", base / "spare"
        for d in (work, folder, spare):
            d.mkdir()
        template = build_demo(work / "demo.khoi", year=YEAR)
        pems = []
        reqs = {}
        for i, unit in enumerate((UNIT_A, UNIT_B, UNIT_C)):  # each unit signs with its own certificate
            p12 = work / f"don-vi-{i}.p12"
            signing.create_unit_certificate(unit, p12, PASSWORD, algorithm="ecdsa")
            pems.append(signing.load_certificate_from_p12(p12, PASSWORD).public_bytes(Encoding.PEM))
            reqs[unit] = SignRequest(p12_path=p12, password=PASSWORD, visible=False, role="don-vi")
        _export(template, work, folder / "01-a.pdf", UNIT_A, sign=reqs[UNIT_A])
        _export(template, work, folder / "02-b.pdf", UNIT_B, sign=reqs[UNIT_B])
        _export(template, work, folder / "03-c.pdf", UNIT_C, sign=reqs[UNIT_C])
        _export(template, work, spare / "d-chua-ky.pdf", UNIT_D, sign=None)
    return folder, b"".join(pems), spare


def test_summary_counts_the_good_dossiers_beside_a_many_items_file(
    bloc: tuple[Path, bytes, Path], many_items: Path, tmp_path: Path
) -> None:
    folder, cert, _spare = bloc
    inbox = tmp_path / "inbox"
    shutil.copytree(folder, inbox)
    shutil.copyfile(many_items, inbox / "04-nhieu-muc.pdf")
    s = svc.summarise([inbox], trust=[cert])
    rows = {r.file: r for r in s.rows}
    assert s.totals.counted == 3
    assert rows["04-nhieu-muc.pdf"].status == svc.NOT_DOSSIER
    assert "vượt giới hạn 1.000.000 mục" in rows["04-nhieu-muc.pdf"].reason


def test_summary_reads_the_bytes_it_verified_even_if_the_file_is_swapped(
    bloc: tuple[Path, bytes, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from khoiapp.services import verify
    from tests.core.test_summary import UNIT_A

    folder, cert, spare = bloc
    target = tmp_path / "01-a.pdf"
    shutil.copyfile(folder / "01-a.pdf", target)
    real = verify.verify_reader

    def swap_after_verify(rd: Any, *a: Any, **k: Any) -> Any:
        report = real(rd, *a, **k)
        tmp = tmp_path / "swap.tmp"
        shutil.copyfile(spare / "d-chua-ky.pdf", tmp)
        os.replace(tmp, target)  # replaced on disk between the check and the read
        return report

    monkeypatch.setattr(verify, "verify_reader", swap_after_verify)
    s = svc.summarise([target], trust=[cert], isolated=False)
    (row,) = s.rows
    assert row.status == svc.COUNTED and row.verdict == "ok" and row.unit_name == UNIT_A


def test_reader_keeps_the_bytes_read_when_the_file_is_overwritten_in_place(
    bloc: tuple[Path, bytes, Path], tmp_path: Path
) -> None:
    from tests.core.test_summary import UNIT_A

    folder, cert, spare = bloc
    target = tmp_path / "01-a.pdf"
    shutil.copyfile(folder / "01-a.pdf", target)
    sha = hashlib.sha256(target.read_bytes()).hexdigest()
    with reader.open_dossier(target) as rd:
        with open(target, "r+b") as fh:  # same inode, other content
            fh.write((spare / "d-chua-ky.pdf").read_bytes())
            fh.truncate()
        from khoiapp.services.verify import verify_reader

        report = verify_reader(rd, [cert], use_trust_store=False)
        assert report.verdict == "ok"
        assert rd.payload()["unit"]["name"] == UNIT_A
        assert rd.sha256 == sha


def test_import_uses_the_bytes_it_verified_even_if_the_file_is_swapped(
    bloc: tuple[Path, bytes, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from khoiapp.db import open_document
    from khoiapp.services import importer, verify
    from tests.core.test_summary import UNIT_A

    folder, cert, spare = bloc
    target = tmp_path / "01-a.pdf"
    shutil.copyfile(folder / "01-a.pdf", target)
    real = verify.verify_reader

    def swap_after_verify(rd: Any, *a: Any, **k: Any) -> Any:
        report = real(rd, *a, **k)
        shutil.copyfile(spare / "d-chua-ky.pdf", target)
        return report

    monkeypatch.setattr(verify, "verify_reader", swap_after_verify)
    res = importer.import_new(target, tmp_path / "moi.khoi", trust=[cert])
    assert res.verdict == "ok" and not res.unverified
    with open_document(res.document) as doc:
        from khoiapp.services import document

        unit = document.get_unit(doc)
        assert unit is not None and unit.name == UNIT_A
