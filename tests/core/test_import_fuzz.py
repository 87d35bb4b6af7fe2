"""Property: whatever dossier comes in, the import either succeeds correctly or raises a clear
``KhoiError`` and leaves the document byte-for-byte unchanged; never another exception.

``KHOI_FUZZ_EXAMPLES`` sets the number of examples per property (default 200, kept small for CI).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from khoiapp.db import open_document
from khoiapp.errors import Cancelled, KhoiError
from khoiapp.models import CriterionResult, Evidence, ImportRecord, Period
from khoiapp.services import content, importer
from khoiapp.services.criteria import set_result
from khoiapp.services.document import new_document
from khoiapp.services.evidence import add_evidence_bytes
from khoiapp.services.payload import payload_bytes
from khoiapp.scoring import ResultStatus
from tests.core.test_import import demo_payload_and_files, write_dossier

EXAMPLES = int(os.environ.get("KHOI_FUZZ_EXAMPLES", "200"))
# ~40 ms per example: the default run takes seconds; a long fuzzing round (``make fuzz`` sets
# thousands of examples and selects ``-m slow``) marks these tests slow so it picks them up.
pytestmark = [pytest.mark.slow] if EXAMPLES > 500 else []
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A small real dossier's parts and an empty target document (template), built once."""
    d = tmp_path_factory.mktemp("fuzz")
    src = d / "nguon.khoi"
    doc = new_document(src, unit_name="Trường Mầm non Hoa Sen", unit_type="don-vi", year=2026)
    set_result(doc, 2026, "1.1", status=ResultStatus.MET, narrative={"current_state": "Đã hoàn thành kế hoạch."})
    add_evidence_bytes(doc, 2026, b"%PDF-1.4 bien ban", "Biên bản.pdf", criteria=("1.1",))
    add_evidence_bytes(doc, 2026, b"\x89PNG anh", "Ảnh.png", criteria=("1.1", "2.1"))
    conv, _ = content.new_convention_version(doc, title="Quy ước trường")
    ch, _ = content.add_chapter(doc, conv, "Quy định chung")
    content.add_article(doc, ch, "Phạm vi", "Áp dụng cho toàn trường.")
    content.add_row(doc, "conduct", None, category="dong-nghiep", text="Tôn trọng đồng nghiệp.")
    content.add_row(doc, "committee", 2026, name="Nguyễn Văn A", role="Trưởng ban")
    doc.close()
    payload, files = demo_payload_and_files(src, 2026)
    target = d / "dich.khoi"
    new_document(target, unit_name="Trường Mầm non Hoa Sen", unit_type="don-vi", year=2025).close()
    return {"payload": payload, "files": files, "target": target}


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def check_import(base: dict[str, Any], dossier_writer: Any, accept: bool) -> None:
    """Run one import into a fresh copy of the target and check the property."""
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        target = t / "dich.khoi"
        shutil.copyfile(base["target"], target)
        dossier = dossier_writer(t)
        before = sha(target)
        doc = open_document(target)
        try:
            result = importer.import_dossier(doc, dossier, accept_unverified=accept, backup=False)
        except Cancelled:  # pragma: no cover - nothing cancels here
            raise
        except KhoiError as exc:
            event(f"refused: {type(exc).__name__}")
            assert exc.message and exc.message[0].isupper(), exc.message
            assert "Traceback" not in exc.message
            doc.close()
            assert sha(target) == before, f"document changed although the import failed: {exc.message}"
            return
        except Exception:
            doc.close()
            raise
        event("imported")
        try:
            _check_success(doc, result)
        finally:
            doc.close()


def _check_success(doc: Any, result: importer.ImportResult) -> None:
    from sqlalchemy import func, select

    with doc.transaction() as s:
        p = s.scalar(select(Period).where(Period.year_end == result.year))
        assert p is not None and p.source_dossier_sha256 == result.dossier_sha256
        n_ev = s.scalar(select(func.count()).select_from(Evidence).where(Evidence.period_id == p.id))
        assert n_ev == result.evidence
        waiting = s.scalar(
            select(func.count()).select_from(CriterionResult).where(
                CriterionResult.period_id == p.id, CriterionResult.needs_confirmation.is_(True)
            )
        )
        assert waiting == result.criteria_to_confirm
        assert s.scalar(select(func.count()).select_from(ImportRecord)) == 1
        for e in s.scalars(select(Evidence).where(Evidence.period_id == p.id)).all():
            assert e.inherited
            if e.embed:
                from khoiapp.services.evidence import read_blob

                h = hashlib.sha256()
                for chunk in read_blob(s, e.sha256):
                    h.update(chunk)
                assert h.hexdigest() == e.sha256


# --------------------------------------------------------------------------- strategies

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["", "../x", "/etc/passwd", "C:\\x", "a\x00b", "khoi-dossier/2", "2026-02-30", "dat", "9.9"]),
)
json_value = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "source_toml":
                out.append((*prefix, k))
                continue
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:6]):
            out += _paths(v, (*prefix, i))
    return out


def _leaf_paths(obj: Any, kind: type, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(obj, dict):
        return [p for k, v in obj.items() if k != "source_toml" for p in _leaf_paths(v, kind, (*prefix, k))]
    if isinstance(obj, list):
        return [p for i, v in enumerate(obj[:6]) for p in _leaf_paths(v, kind, (*prefix, i))]
    return [prefix] if isinstance(obj, kind) and not isinstance(obj, bool) else []


@st.composite
def mutated_payload(draw: st.DrawFn, payload: dict[str, Any]) -> dict[str, Any]:
    """1-3 mutations; most keep the JSON shape (edited text and numbers) so the import goes deep."""
    p = copy.deepcopy(payload)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        action = draw(st.sampled_from(["string", "string", "string", "number", "replace", "delete", "add"]))
        if action in ("string", "number"):
            candidates = _leaf_paths(p, str if action == "string" else (int, float))  # type: ignore[arg-type]
        else:
            candidates = _paths(p)[1:]
        if not candidates:
            continue
        path = draw(st.sampled_from(candidates))
        parent: Any = p
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        if action == "string":
            s = parent[key]
            i = draw(st.integers(min_value=0, max_value=len(s)))
            parent[key] = s[:i] + draw(st.text(max_size=5)) + s[i + draw(st.integers(0, 3)) :]
        elif action == "number":
            parent[key] = draw(st.one_of(st.integers(-5, 3000), st.floats(-10, 1e6, allow_nan=False)))
        elif action == "delete":
            if isinstance(parent, dict):
                del parent[key]
            else:
                parent.pop(key)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(json_value)
        else:
            parent[key] = draw(json_value)
    return p


# --------------------------------------------------------------------------- properties


@FUZZ
@given(data=st.data())
def test_mutated_payload(base: dict[str, Any], data: st.DataObject) -> None:
    payload = data.draw(mutated_payload(base["payload"]))
    try:
        raw = payload_bytes(payload)
    except (TypeError, ValueError):
        raw = json.dumps(payload, default=str).encode()
    check_import(base, lambda t: write_dossier(t / "ho-so.pdf", None, base["files"], raw_payload=raw), True)


random_payload = st.one_of(
    json_value,
    st.dictionaries(
        st.sampled_from(["schema", "unit", "period", "frameworks", "results", "evidence", "manifest", "x"]),
        json_value,
    ).map(lambda d: {"schema": "khoi-dossier/1", **d}),
)


@FUZZ
@given(obj=random_payload)
def test_random_payload(base: dict[str, Any], obj: Any) -> None:
    raw = json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogatepass")
    check_import(base, lambda t: write_dossier(t / "ho-so.pdf", None, base["files"], raw_payload=raw), True)


@FUZZ
@given(data=st.data())
def test_mutated_payload_bytes(base: dict[str, Any], data: st.DataObject) -> None:
    raw = bytearray(payload_bytes(base["payload"]))
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        i = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
        op = data.draw(st.sampled_from(["flip", "delete", "insert"]))
        if op == "flip":
            raw[i] ^= data.draw(st.integers(min_value=1, max_value=255))
        elif op == "delete":
            del raw[i : i + data.draw(st.integers(min_value=1, max_value=50))]
        else:
            raw[i:i] = data.draw(st.binary(min_size=1, max_size=20))
    check_import(base, lambda t: write_dossier(t / "ho-so.pdf", None, base["files"], raw_payload=bytes(raw)), True)


@FUZZ
@given(data=st.data())
def test_mutated_attachments(base: dict[str, Any], data: st.DataObject) -> None:
    files = dict(base["files"])
    names = sorted(files)
    op = data.draw(st.sampled_from(["drop", "change", "rename", "add", "empty"]))
    name = data.draw(st.sampled_from(names))
    if op == "drop":
        del files[name]
    elif op == "change":
        files[name] = data.draw(st.binary(max_size=64))
    elif op == "rename":
        files[data.draw(st.text(min_size=1, max_size=12))] = files.pop(name)
    elif op == "add":
        files[data.draw(st.text(min_size=1, max_size=12))] = data.draw(st.binary(max_size=64))
    else:
        files = {}
    check_import(base, lambda t: write_dossier(t / "ho-so.pdf", base["payload"], files), True)


@FUZZ
@given(data=st.data())
def test_mutated_pdf_bytes(base: dict[str, Any], data: st.DataObject) -> None:
    def writer(t: Path) -> Path:
        f = write_dossier(t / "ho-so.pdf", base["payload"], base["files"])
        raw = bytearray(f.read_bytes())
        op = data.draw(st.sampled_from(["flip", "truncate", "zero", "splice"]))
        i = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
        if op == "flip":
            for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
                j = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
                raw[j] ^= data.draw(st.integers(min_value=1, max_value=255))
        elif op == "truncate":
            del raw[i:]
        elif op == "zero":
            raw[i : i + 64] = bytes(min(64, len(raw) - i))
        else:
            raw[i:i] = data.draw(st.binary(min_size=1, max_size=64))
        f.write_bytes(bytes(raw))
        return f

    check_import(base, writer, True)


def test_unmutated_base_imports(base: dict[str, Any]) -> None:
    """The property's success branch is reachable: the base dossier itself imports."""
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        target = t / "dich.khoi"
        shutil.copyfile(base["target"], target)
        f = write_dossier(t / "ho-so.pdf", base["payload"], base["files"])
        with open_document(target) as doc:
            res = importer.import_dossier(doc, f, accept_unverified=True)
            assert res.year == 2027 and res.evidence == 2 and res.evidence_files == 2
            _check_success(doc, res)
