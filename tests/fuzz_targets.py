"""Fuzz targets, one per reader of outside files, run in a child process under a memory cap.

``python -m tests.fuzz_targets TARGET CASES SEED MEMORY_MB`` caps its own address space with
``resource.setrlimit(RLIMIT_AS)`` (and CPU time), then feeds ``CASES`` structurally mutated valid
files to one reader: ``payload`` (payload JSON: parse, upgrade, schema, import checks),
``dossier`` (a dossier PDF: private copy, manifest check, payload), ``khoi`` (a ``.khoi``
document: schema check, marker, migrations, a first read) or ``framework`` (framework TOML).
Mutations are structural: items duplicated thousands of times, deep nesting, huge strings,
wrong types, JSON-Schema-like objects, unsafe names, SQL triggers and views. A reader may accept
a case or refuse it with a ``KhoiError``; anything else, ``MemoryError`` included, is a failure.
Prints one JSON line: ``{"target", "cases", "accepted", "refused", "failures": [...]}``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

SCHEMA_OBJECTS: list[Any] = [
    {"$ref": "#"},
    {"type": "array", "items": {"$ref": "#"}},
    {"$schema": "https://json-schema.org/draft/2020-12/schema", "oneOf": [{}, {}]},
    {"__proto__": {"admin": True}},
    {"constructor": {"prototype": {}}},
]
WRONG_TYPES: list[Any] = [None, True, 0, -1, 2**63, 1e308, "", "x" * 300, [], {}, [[]], {"": None}]
UNSAFE_NAMES = ["../../thoat.pdf", "C:\\Windows\\a.dll", "CON", "a\x00b.pdf", "", ".", "x" * 300, "tên\u202eexe.pdf"]


# --------------------------------------------------------------------------- JSON structure


def _paths(obj: Any, path: tuple[Any, ...] = (), out: list[tuple[Any, ...]] | None = None) -> list[tuple[Any, ...]]:
    out = [] if out is None else out
    out.append(path)
    if len(out) > 5000:
        return out
    if isinstance(obj, dict):
        for k, v in obj.items():
            _paths(v, (*path, k), out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:50]):
            _paths(v, (*path, i), out)
    return out


def _get(obj: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        obj = obj[p]
    return obj


def _set(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = _get(obj, path[:-1])
    parent[path[-1]] = value
    return obj


def mutate_json(rng: random.Random, base: Any) -> Any:
    obj = copy.deepcopy(base)
    for _ in range(rng.randint(1, 3)):
        paths = _paths(obj)
        path = rng.choice(paths)
        node = _get(obj, path)
        op = rng.choice(["dup", "deep", "huge", "type", "schema", "drop", "add", "many"])
        if op == "dup" and isinstance(node, list) and node:
            value: Any = node * rng.choice([2, 100, 2500])
        elif op == "many":
            value = [rng.choice([{}, [], 0, ""])] * rng.choice([2001, 5001, 40000])
        elif op == "deep":
            value = node
            for _ in range(rng.choice([20, 33, 200])):
                value = [value] if rng.random() < 0.5 else {"a": value}
        elif op == "huge":
            value = rng.choice(["ư", "a", "\u200b", "\\"]) * rng.choice([501, 20001, 300_000])
        elif op == "type":
            value = rng.choice(WRONG_TYPES)
        elif op == "schema":
            value = copy.deepcopy(rng.choice(SCHEMA_OBJECTS))
        elif op == "drop" and path and isinstance(_get(obj, path[:-1]), dict):
            del _get(obj, path[:-1])[path[-1]]
            continue
        elif op == "add" and isinstance(node, dict):
            node[rng.choice(["extra", "manifest", "schema", "$ref", "x" * 100])] = rng.choice(WRONG_TYPES)
            continue
        else:
            value = rng.choice(UNSAFE_NAMES) if isinstance(node, str) else rng.choice(WRONG_TYPES)
        obj = _set(obj, path, value)
    return obj


def to_bytes(rng: random.Random, obj: Any) -> bytes:
    data = json.dumps(obj, ensure_ascii=rng.random() < 0.3).encode("utf-8")
    r = rng.random()
    if r < 0.1 and data.startswith(b"{"):
        data = b'{"schema": "khoi-dossier/1", ' + data[1:]  # a duplicate key
    elif r < 0.15:
        data = data.replace(b"0", b"NaN", 1)
    return data


# --------------------------------------------------------------------------- corpus


def demo_payload(tmp: Path) -> dict[str, Any]:
    import datetime as dt

    from khoiapp.db import open_document
    from khoiapp.services.demo import build_demo
    from khoiapp.services.payload import build_payload

    path = build_demo(tmp / "demo.khoi", year=2026)
    with open_document(path) as doc:
        return build_payload(doc, 2026, clock=dt.datetime(2026, 11, 29, 8, 0), draft=False)


# --------------------------------------------------------------------------- readers


def read_payload(data: bytes) -> None:
    from khoiapp.dossier.jsontext import parse_json
    from khoiapp.dossier.schema import validate_payload
    from khoiapp.dossier.upgrade import upgrade_payload
    from khoiapp.services import importer

    payload = upgrade_payload(parse_json(data))
    validate_payload(payload)
    names = {m["name"] for m in payload["manifest"]}
    importer._check_consistency(payload, names, 100 * 1024 * 1024)


def make_dossier(path: Path, payload: bytes, files: list[tuple[str, bytes, bool]], kids: int = 0) -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.core.test_limits import make_pdf
    from khoiapp.dossier.limits import PAYLOAD_NAME

    return make_pdf(path, [(PAYLOAD_NAME, payload, False), *files], kids_depth=kids)


def read_dossier(path: Path) -> None:
    from khoiapp.dossier.reader import open_dossier
    from khoiapp.services.verify import verify_reader

    with open_dossier(path, strict=False) as rd:
        verify_reader(rd, use_trust_store=False)
        rd.names  # noqa: B018
        rd.payload()


def read_khoi(path: Path) -> None:
    from khoiapp.db import open_document
    from khoiapp.services import document as docsvc

    with open_document(path) as doc:
        docsvc.get_unit(doc)


KHOI_MUTATIONS = [
    "CREATE TRIGGER t AFTER INSERT ON doc_meta BEGIN DELETE FROM evidence; END",
    "CREATE VIEW v AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r",
    "CREATE TABLE la (x)",
    "CREATE INDEX ix ON doc_meta(value)",
    "DROP TABLE doc_meta",
    "DROP TABLE alembic_version",
    "UPDATE doc_meta SET value = 'khac' WHERE key = 'app'",
    "UPDATE doc_meta SET value = NULL WHERE key = 'app'",
    "UPDATE alembic_version SET version_num = 'ffff-khong-co'",
    "UPDATE alembic_version SET version_num = 0001",
    "DELETE FROM alembic_version",
    "INSERT INTO alembic_version VALUES ('0001')",
    "UPDATE unit SET name = zeroblob(1000000)",
    "UPDATE unit SET name = 12345",
    "PRAGMA user_version = 99",
    "PRAGMA journal_mode = WAL",
]


# --------------------------------------------------------------------------- the loop


def run(target: str, cases: int, seed: int) -> dict[str, Any]:
    from khoiapp.errors import KhoiError

    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="khoi-fuzz-"))
    accepted = refused = 0
    failures: list[str] = []
    try:
        make_case: Callable[[int], Callable[[], None]]
        if target == "payload":
            base = demo_payload(tmp)

            def make_case(_i: int) -> Callable[[], None]:
                data = to_bytes(rng, mutate_json(rng, base))
                return lambda: read_payload(data)

        elif target == "dossier":
            base = demo_payload(tmp)
            base["manifest"] = []
            for e in base["evidence"]:
                e["embedded"], e["attachment"] = False, None

            def make_case(i: int) -> Callable[[], None]:
                obj = mutate_json(rng, base) if rng.random() < 0.5 else copy.deepcopy(base)
                files: list[tuple[str, bytes, bool]] = []
                for _ in range(rng.randint(0, 3)):
                    name = rng.choice(["mc-01.pdf", "mc-02.jpg", *UNSAFE_NAMES])
                    body = os.urandom(rng.choice([0, 10, 5000]))
                    if rng.random() < 0.3:  # a bomb declared small
                        enc, flate = zlib.compress(bytes(rng.choice([1, 64]) * 1024 * 1024), 9), True
                    else:
                        enc, flate = body, False
                    files.append((name, enc, flate))
                    if isinstance(obj, dict) and isinstance(obj.get("manifest"), list):
                        obj["manifest"].append({"name": name, "sha256": hashlib.sha256(body).hexdigest(), "size": len(body)})
                if rng.random() < 0.2 and files:
                    files.append(files[0])  # a duplicate name
                payload = to_bytes(rng, obj)
                if rng.random() < 0.2:
                    payload = zlib.compress(payload)  # stored unfiltered: not JSON
                path = make_dossier(tmp / f"d{i}.pdf", payload, files, kids=rng.choice([0, 0, 0, 2, 33]))
                return lambda: read_dossier(path)

        elif target == "khoi":
            from khoiapp.db import create_document

            base_path = tmp / "base.khoi"
            create_document(base_path).close()

            def make_case(i: int) -> Callable[[], None]:
                path = tmp / f"k{i}.khoi"
                shutil.copyfile(base_path, path)
                conn = sqlite3.connect(path)
                for sql in rng.sample(KHOI_MUTATIONS, rng.randint(1, 3)):
                    try:
                        conn.execute(sql)
                    except sqlite3.Error:
                        pass
                conn.commit()
                conn.close()
                return lambda: read_khoi(path)

        elif target == "framework":
            corpus = [p.read_bytes() for p in sorted((ROOT / "resources" / "frameworks").glob("*.toml"))]
            from khoiapp import frameworks as fwlib

            def make_case(_i: int) -> Callable[[], None]:
                text = rng.choice(corpus)
                lines = text.split(b"\n")
                for _ in range(rng.randint(1, 3)):
                    j = rng.randrange(len(lines))
                    op = rng.choice(["dup", "deep", "huge", "type", "table"])
                    if op == "dup":
                        lines[j:j] = [lines[j]] * rng.choice([2, 50, 3000])
                    elif op == "deep":
                        n = rng.choice([20, 200, 3000])
                        lines.insert(j, b"x = " + b"[" * n + b"]" * n)
                    elif op == "huge":
                        lines.insert(j, b'title = "' + "ư".encode() * rng.choice([600, 300000]) + b'"')
                    elif op == "type" and b"=" in lines[j]:
                        k = lines[j].split(b"=", 1)[0]
                        lines[j] = k + b"= " + rng.choice([b"1", b"true", b"[]", b"{}", b'"x"', b"1e400", b"-0"])
                    else:
                        lines[j:j] = [b"[[group]]", b'code = "Z"', b"[[group.criterion]]"] * rng.choice([1, 500])
                data = b"\n".join(lines)
                return lambda: fwlib.parse_framework(data, "dot-bien.toml")

        else:
            raise SystemExit(f"unknown target {target}")

        for i in range(cases):
            case = make_case(i)
            try:
                case()
                accepted += 1
            except KhoiError:
                refused += 1
            except MemoryError:
                failures.append(f"case {i}: MemoryError (the memory cap was reached)")
            except Exception as exc:  # noqa: BLE001 - any other exception is a finding
                failures.append(f"case {i}: {type(exc).__name__}: {str(exc)[:200]}")
            if len(failures) >= 10:
                break
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"target": target, "cases": accepted + refused + len(failures), "accepted": accepted,
            "refused": refused, "failures": failures}  # fmt: skip


def main() -> None:
    target, cases, seed, memory_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    if sys.platform != "win32":
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
        resource.setrlimit(resource.RLIMIT_CPU, (120, 120))
    print(json.dumps(run(target, cases, seed), ensure_ascii=False))


if __name__ == "__main__":
    main()
