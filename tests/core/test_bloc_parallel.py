"""The fast reader of a bloc's inbox: same rows and figures as the plain one, workers, hostile files."""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from khoiapp.bloc import parallel, read
from khoiapp.errors import Cancelled, DossierError
from khoiapp.services import summary as base
from khoiapp.services.payload import validate_payload
from tests import bloc_data as bd


@pytest.fixture(scope="module")
def plain(bloc30: bd.Bloc) -> list[read.Entry]:
    return read.collect([bloc30.folder], trust=[bloc30.cert_pem, bloc30.impostor_pem], use_trust_store=False)


@pytest.mark.parametrize("workers", [1, 2])
def test_fast_path_gives_the_plain_entries(bloc30: bd.Bloc, plain: list[read.Entry], workers: int) -> None:
    seen: list[tuple[int, int]] = []
    fast = parallel.collect_parallel(
        [bloc30.folder], trust=[bloc30.cert_pem, bloc30.impostor_pem], use_trust_store=False, workers=workers,
        progress=lambda d, t: seen.append((d, t)),
    )  # fmt: skip
    assert fast == plain
    assert seen[0] == (0, len(plain)) and seen[-1] == (len(plain), len(plain)) and len(seen) == len(plain) + 1


def test_a_worker_that_dies_costs_only_its_file(bloc30: bd.Bloc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for k in ("2023-05", "2023-06", "2023-07"):
        shutil.copy(bloc30.files[k], tmp_path / f"{k}.pdf")
    (tmp_path / "2023-06.pdf").rename(tmp_path / "bom-2023-06.pdf")
    real = parallel.read_entry_fast

    def dying(path: Path, roots: list[Any], *, accept_untrusted: bool) -> read.Entry:
        if path.name.startswith("bom"):
            os._exit(3)  # as a file that kills the interpreter would
        return real(path, roots, accept_untrusted=accept_untrusted)

    monkeypatch.setattr(parallel, "read_entry_fast", dying)
    got = parallel.collect_parallel([tmp_path], trust=[bloc30.cert_pem], use_trust_store=False, workers=2, start_method="fork")
    by = {e.row.file: e.row for e in got}
    assert by["2023-05.pdf"].status == by["2023-07.pdf"].status == base.COUNTED
    assert by["bom-2023-06.pdf"].status == base.NOT_DOSSIER and "dừng đột ngột" in by["bom-2023-06.pdf"].reason


def test_memory_cap_turns_a_huge_file_into_its_row(bloc30: bd.Bloc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("resource")
    shutil.copy(bloc30.files["2023-05"], tmp_path / "a.pdf")
    shutil.copy(bloc30.files["2023-07"], tmp_path / "b.pdf")
    real = parallel.verify_and_read

    def greedy(path: Path, roots: list[Any]) -> tuple[Any, Any, str]:
        if path.name == "b.pdf":
            bytearray(3 * parallel.WORKER_MEMORY_BYTES)  # more than the worker may have
        return real(path, roots)

    monkeypatch.setattr(parallel, "verify_and_read", greedy)
    got = parallel.collect_parallel([tmp_path], trust=[bloc30.cert_pem], use_trust_store=False, workers=2, start_method="fork")
    assert [e.row.status for e in got] == [base.COUNTED, base.NOT_DOSSIER]
    assert "Không đọc được tệp «b.pdf»" in got[1].row.reason


def test_cancel_between_files(bloc30: bd.Bloc) -> None:
    with pytest.raises(Cancelled):
        parallel.collect_parallel([bloc30.folder], trust=[bloc30.cert_pem], workers=1, is_cancelled=lambda: True)


def test_summary_pdf_read_in_process(bloc30: bd.Bloc, tmp_path: Path) -> None:
    from khoiapp.bloc import figures, pdf_report

    src = tmp_path / "in"
    src.mkdir()
    for k in ("2023-05", "2023-07"):
        shutil.copy(bloc30.files[k], src / f"{k}.pdf")
    rep = figures.compute(read.collect([src], trust=[bloc30.cert_pem], use_trust_store=False))
    out = tmp_path / "mix"
    out.mkdir()
    from khoiapp.services.export import SignRequest

    req = SignRequest(p12_path=bloc30.folder.parent / "work" / "khoi.p12", password=bd.PASSWORD, visible=False)
    pdf_report.write_summary_pdf(rep, out / "khoi.pdf", sign=req)
    pdf_report.write_summary_pdf(rep, out / "khong-ky.pdf")
    shutil.copy(bloc30.files["2023-08"], out / "x.pdf")
    got = parallel.collect_parallel([out], trust=[bloc30.cert_pem], use_trust_store=False, workers=2)
    assert sorted((e.row.file, e.row.status) for e in got) == [
        ("khoi.pdf › 2023-05.pdf", base.COUNTED), ("khoi.pdf › 2023-07.pdf", base.COUNTED),
        ("khong-ky.pdf", base.UNSIGNED), ("x.pdf", base.COUNTED),
    ]  # fmt: skip
    assert "Bản tổng hợp chưa được ký số" in got[2].row.reason


def _mutations(p: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, value in [
        (("unit", "name"), 5), (("period", "year_end"), "2023"), (("awards", 0, "issuer_level"), "tinh"),
        (("awards", 0, "collective"), "có"), (("outcome", "points"), []), (("draft",), None),
        (("results", 0, "status"), 7), (("activity_totals", "tin-bai", "count"), -1), (("schema",), "khac"),
        (("unit", "email"), "x" * 10_000), (("manifest",), {}), (("generator", "extra"), 1),
    ]:  # fmt: skip
        q = copy.deepcopy(p)
        node: Any = q
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
        out.append(q)
    q = copy.deepcopy(p)
    del q["unit"]
    out.append(q)
    q = copy.deepcopy(p)
    q["awards"][0].pop("issuer_level")  # older payloads: still valid
    out.append(q)
    return out


def test_compiled_schema_check_agrees_with_the_interpreted_one(bloc30: bd.Bloc) -> None:
    from khoiapp.dossier.reader import open_dossier

    with open_dossier(bloc30.files["2023-05"]) as rd:
        payload, _ = rd.read_payload()
    payload = json.loads(json.dumps(payload))
    for case in [payload, *_mutations(payload)]:
        want: str | None = None
        try:
            validate_payload(case)
        except DossierError as exc:
            want = exc.message
        got: str | None = None
        try:
            parallel.validate_fast(case)
        except DossierError as exc:
            got = exc.message
        assert got == want
