"""Fuzzing what a received dossier feeds the app: the payload and the dossier PDF itself.

Corpus: the payload and the exported PDF of the demo document. Properties: the payload validator
and the import checks either accept a mutated payload or raise a KhoiError (a Vietnamese message),
and reading a mutated dossier for import (``inspect_dossier``: parse, limits, verification,
consistency, framework mapping; it writes nothing) does the same - never any other exception.
Examples per test: ``KHOI_FUZZ_EXAMPLES`` (``make fuzz``: 20,000), else the defaults below.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from khoiapp.db import open_document
from khoiapp.dossier.limits import PAYLOAD_NAME
from khoiapp.errors import KhoiError
from khoiapp.services import document as docsvc
from khoiapp import safename
from khoiapp.dossier import jsontext, limits, reader
from khoiapp.services import importer
from khoiapp.services import payload as pl

pytestmark = pytest.mark.slow

YEAR = 2026
CLOCK = dt.datetime(2026, 11, 29, 8, 0)


def examples(default: int) -> int:
    env = os.environ.get("KHOI_FUZZ_EXAMPLES")
    return int(env) if env else default


def fuzz(default: int) -> settings:
    return settings(
        max_examples=examples(default),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# --------------------------------------------------------------------------- corpus


class Corpus(dict):  # type: ignore[type-arg]
    def __repr__(self) -> str:  # keep Hypothesis' failure reports readable
        return "<corpus: demo payload and dossier>"


@pytest.fixture(scope="module")
def corpus(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from khoiapp.services.export import export_dossier

    pdf = tmp_path_factory.mktemp("fuzz-corpus") / "ho-so.pdf"
    with open_document(demo_template, read_only=True) as doc:
        payload = pl.build_payload(doc, YEAR, clock=CLOCK, draft=True)
        export_dossier(doc, YEAR, pdf, draft=True, clock=CLOCK)
    with reader.open_dossier(pdf) as rd:
        attachments = {n: rd.read_attachment(n, limit=1 << 30) for n in rd.names if n != PAYLOAD_NAME}
    importer.inspect_dossier(pdf, use_trust_store=False)  # the unmutated corpus is accepted
    return Corpus(
        payload_bytes=pl.payload_bytes(payload),
        names={m["name"] for m in payload["manifest"]} | {PAYLOAD_NAME},
        pdf=pdf.read_bytes(),
        attachments=attachments,
    )


# --------------------------------------------------------------------------- JSON mutations

ODD_STRINGS = [
    "", " ", "../../etc/passwd", "C:\\Windows\\x.pdf", "CON", "NUL.txt", "a" * 300, "\x00", "\u202e", "x\n",
    "2026-13-45", "2026-02-30", "0000-00-00", "khoi-dossier/2", "khoi-dossier/0", "khoi-dossier/x",
    "co-quan", "dat", "chua-dat", "khong-ap-dung", "MC-1.1-01", "0" * 64, "g" * 64, PAYLOAD_NAME, "ấ",
]
ODD_NUMBERS = [0, -1, 1, 2, 10**30, -(10**30), 0.5, 1e308, -0.0, 2026, 100, 101, 2**63]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(ODD_STRINGS)
    | st.sampled_from(ODD_NUMBERS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _walk(draw: st.DrawFn, obj: Any) -> tuple[Any, Any]:
    """A random (container, key) inside ``obj``: the place to mutate."""
    parent, key = None, None
    node = obj
    while isinstance(node, (dict, list)) and node:
        keys = sorted(node) if isinstance(node, dict) else range(len(node))
        k = draw(st.sampled_from(list(keys)))
        parent, key, node = node, k, node[k]
        if draw(st.integers(0, 9)) < 2:  # stop early now and then: mutate whole sub-trees too
            break
    return parent, key


@st.composite
def mutated_payload(draw: st.DrawFn, base: bytes) -> Any:
    obj = json.loads(base)
    for _ in range(draw(st.integers(1, 3))):
        parent, key = _walk(draw, obj)
        if parent is None:
            return draw(json_values)
        # "same_type" keeps the schema happy more often, so the import checks behind it get exercised
        op = draw(st.sampled_from(["replace", "delete", "retype", "duplicate", "add_key", "same_type", "same_type"]))
        if op == "replace":
            parent[key] = draw(json_values)
        elif op == "delete":
            del parent[key]
        elif op == "retype":
            v = parent[key]
            parent[key] = (
                str(v) if not isinstance(v, str) else ([v] if draw(st.booleans()) else len(v))
            )
        elif op == "duplicate":
            if isinstance(parent, list):
                parent.insert(key, json.loads(json.dumps(parent[key])))
            else:
                parent[key + "_"] = parent[key]
        elif op == "add_key":
            if isinstance(parent, dict):
                parent[draw(st.text(max_size=8))] = draw(json_values)
            else:
                parent.append(draw(json_values))
        else:
            v = parent[key]
            if isinstance(v, bool):
                parent[key] = not v
            elif isinstance(v, str):
                parent[key] = draw(st.sampled_from(ODD_STRINGS) | st.text(max_size=12) | st.just(v[::-1]))
            elif isinstance(v, (int, float)):
                parent[key] = draw(st.sampled_from(ODD_NUMBERS) | st.integers(-5, 200))
            elif isinstance(v, list) and v:
                i = draw(st.integers(0, len(v) - 1))
                if draw(st.booleans()):
                    del v[i]
                else:
                    v.insert(i, json.loads(json.dumps(v[i])))
            elif v is None:
                parent[key] = draw(st.sampled_from(ODD_STRINGS) | st.sampled_from(ODD_NUMBERS))
    return obj


def import_checks(obj: Any, names: set[str]) -> str:
    """What the importer does with a parsed payload before touching a document."""
    try:
        pl.validate_payload(obj)
    except KhoiError:
        return "refused by the schema"
    try:
        payload = importer.upgrade_payload(obj)
        importer._check_consistency(payload, names, 1 << 30)
        importer._plan_frameworks(payload, None)
    except KhoiError:
        return "refused by the import checks"
    return "accepted"


# --------------------------------------------------------------------------- tests


@given(data=st.data())
@fuzz(400)
def test_mutated_payload_is_accepted_or_refused_with_a_message(corpus: dict[str, Any], data: st.DataObject) -> None:
    obj = data.draw(mutated_payload(corpus["payload_bytes"]))
    event(import_checks(obj, corpus["names"]))


@given(data=st.data())
@fuzz(300)
def test_mutated_payload_bytes_are_parsed_or_refused(corpus: dict[str, Any], data: st.DataObject) -> None:
    raw = bytearray(corpus["payload_bytes"])
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        i = data.draw(st.integers(0, len(raw) - 1)) if raw else 0
        if op == "flip" and raw:
            raw[i] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "truncate":
            del raw[i:]
        elif op == "insert":
            raw[i:i] = data.draw(st.sampled_from([b"[", b"{", b'"', b"\\", b",", b"\x00", b"\xff", b"[" * 64]))
        else:
            del raw[i : i + data.draw(st.integers(1, 64))]
    try:
        obj = jsontext.parse_json(bytes(raw))
    except KhoiError:
        event("not JSON")
        return
    event(import_checks(obj, corpus["names"]))


@given(data=st.data())
@fuzz(150)
def test_mutated_dossier_pdf_is_read_or_refused(
    corpus: dict[str, Any], data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    raw = bytearray(corpus["pdf"])
    for _ in range(data.draw(st.integers(1, 8))):
        if not raw:
            break
        op = data.draw(st.sampled_from(["flip", "flip", "flip", "truncate", "zero_run", "duplicate"]))
        i = data.draw(st.integers(0, len(raw) - 1))
        if op == "flip":
            raw[i] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "truncate":
            del raw[i:]
        elif op == "zero_run":
            n = data.draw(st.integers(1, 512))
            raw[i : i + n] = bytes(len(raw[i : i + n]))
        else:
            n = data.draw(st.integers(1, 2048))
            raw[i:i] = raw[i : i + n]
    path = tmp_path_factory.mktemp("fuzz") / "ho-so.pdf"
    path.write_bytes(bytes(raw))
    try:
        importer.inspect_dossier(path, use_trust_store=False)
        event("read")
    except KhoiError:
        event("refused")


def _rebuild(path: Path, payload: bytes, attachments: dict[str, bytes], compress: bool) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    n = generic.NameObject
    w = PdfFileWriter()
    names = generic.ArrayObject()
    for name in sorted({**attachments, PAYLOAD_NAME: payload}):
        data = payload if name == PAYLOAD_NAME else attachments[name]
        d = generic.DictionaryObject({n("/Type"): n("/EmbeddedFile")})
        if compress:
            d[n("/Filter")] = n("/FlateDecode")
            data = zlib.compress(data)
        ref = w.add_object(generic.StreamObject(d, encoded_data=data))
        spec = generic.DictionaryObject(
            {
                n("/Type"): n("/Filespec"),
                n("/F"): generic.pdf_string(name),
                n("/UF"): generic.pdf_string(name),
                n("/EF"): generic.DictionaryObject({n("/F"): ref, n("/UF"): ref}),
            }
        )
        names.append(generic.pdf_string(name))
        names.append(w.add_object(spec))
    w.root[n("/Names")] = generic.DictionaryObject({n("/EmbeddedFiles"): generic.DictionaryObject({n("/Names"): names})})
    with open(path, "wb") as fh:
        w.write(fh)


@given(data=st.data())
@fuzz(150)
def test_dossier_with_mutated_payload_is_read_or_refused(
    corpus: dict[str, Any], data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    obj = data.draw(mutated_payload(corpus["payload_bytes"]))
    text = json.dumps(obj, ensure_ascii=data.draw(st.booleans()))
    attachments = dict(corpus["attachments"])
    if attachments and data.draw(st.booleans()):
        victim = data.draw(st.sampled_from(sorted(attachments)))
        action = data.draw(st.sampled_from(["drop", "change", "rename"]))
        if action == "drop":
            del attachments[victim]
        elif action == "change":
            attachments[victim] = attachments[victim][:-1] + b"!"
        else:
            attachments[data.draw(st.sampled_from(["../x.pdf", "a/b.pdf", "CON.pdf", " x.pdf", "y.pdf"]))] = (
                attachments.pop(victim)
            )
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "ho-so.pdf"
    _rebuild(path, text.encode("utf-8"), attachments, compress=data.draw(st.booleans()))
    try:
        importer.inspect_dossier(path, use_trust_store=False)
    except KhoiError:
        event("refused")
        return
    # Accepted by every check: the import itself must then work or fail cleanly, leaving nothing.
    out = folder / "nhap.khoi"
    try:
        importer.import_new(path, out, accept_unverified=True, use_trust_store=False)
    except KhoiError:
        event("read, import refused")
        assert not out.exists()
        return
    event("imported")
    with open_document(out, read_only=True) as doc:
        assert docsvc.list_periods(doc)
