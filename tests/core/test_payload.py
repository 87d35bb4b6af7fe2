"""The khoi-dossier/1 payload: content, order, canonical bytes and the JSON Schema."""

from __future__ import annotations

import copy
import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest

from khoiapp.db import open_document
from khoiapp.errors import DossierError
from khoiapp.services import content, criteria, document, evidence
from khoiapp.services.payload import (
    attachment_name,
    build_payload,
    payload_bytes,
    payload_problems,
    schema,
    validate_payload,
)

CLOCK = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def demo_payload(demo_copy: Path) -> dict:
    doc = open_document(demo_copy)
    try:
        return build_payload(doc, 2026, clock=CLOCK, draft=False)
    finally:
        doc.close()


def test_payload_demo_validates_against_schema(demo_payload: dict) -> None:
    assert payload_problems(demo_payload) == []
    validate_payload(demo_payload)


def test_payload_schema_is_strict_about_unknown_keys(demo_payload: dict) -> None:
    bad = copy.deepcopy(demo_payload)
    bad["unit"]["extra"] = "x"
    with pytest.raises(DossierError) as exc:
        validate_payload(bad)
    assert "unit" in exc.value.message


@pytest.mark.parametrize(
    "mutate",
    [
        lambda p: p.__setitem__("schema", "khoi-dossier/2"),
        lambda p: p["manifest"].append({"name": "../x", "sha256": "0" * 64, "size": 1}),
        lambda p: p["manifest"].append({"name": "a.pdf", "sha256": "XYZ", "size": 1}),
        lambda p: p["unit"].__setitem__("name", "x" * 301),
        lambda p: p.__delitem__("results"),
    ],
    ids=["schema-id", "path-name", "bad-hash", "too-long", "missing-key"],
)
def test_payload_schema_rejects_bad_payload(demo_payload: dict, mutate) -> None:  # type: ignore[no-untyped-def]
    bad = copy.deepcopy(demo_payload)
    mutate(bad)
    assert payload_problems(bad)


def test_payload_keys_in_spec_order(demo_payload: dict) -> None:
    assert list(demo_payload) == list(schema()["required"])
    assert list(demo_payload)[:3] == ["schema", "generator", "created_at"]
    assert demo_payload["schema"] == "khoi-dossier/1"
    assert demo_payload["created_at"] == "2026-12-05T09:00:00+07:00"


def test_payload_holds_the_document(demo_copy: Path, demo_payload: dict) -> None:
    doc = open_document(demo_copy)
    try:
        unit = document.get_unit(doc)
        cl = criteria.checklist(doc, 2026)
        evs = evidence.list_evidence(doc, 2026)
        conv = content.current_convention(doc)
    finally:
        doc.close()
    assert unit is not None
    assert demo_payload["unit"]["name"] == unit.name
    assert [r["code"] for r in demo_payload["results"]] == [c.code for c in cl.criteria]
    assert [r["title"] for r in demo_payload["results"]] == [c.title for c in cl.criteria]
    assert [e["code"] for e in demo_payload["evidence"]] == [e.code for e in evs]
    embedded = [e for e in evs if e.embed and e.sha256]
    assert len(demo_payload["manifest"]) == len(embedded) > 0
    assert {(m["sha256"], m["size"]) for m in demo_payload["manifest"]} == {(e.sha256, e.size) for e in embedded}
    assert conv is not None and demo_payload["convention"]["title"] == conv.title
    assert {f["role"] for f in demo_payload["frameworks"]} == {"base", "addon"}


def test_payload_manifest_sorted_and_matches_evidence(demo_payload: dict) -> None:
    names = [m["name"] for m in demo_payload["manifest"]]
    assert names == sorted(names)
    by_att = {e["attachment"]: e for e in demo_payload["evidence"] if e["embedded"]}
    assert set(by_att) == set(names)
    for m in demo_payload["manifest"]:
        assert by_att[m["name"]]["sha256"] == m["sha256"]


def test_payload_listed_only_evidence_not_in_manifest(demo_copy: Path) -> None:
    doc = open_document(demo_copy)
    try:
        ev = evidence.list_evidence(doc, 2026)[0]
        evidence.update_evidence(doc, ev.id, embed=False)
        p = build_payload(doc, 2026, clock=CLOCK, draft=True)
    finally:
        doc.close()
    entry = next(e for e in p["evidence"] if e["code"] == ev.code)
    assert entry["embedded"] is False and entry["attachment"] is None
    assert entry["sha256"] == ev.sha256
    assert all(m["sha256"] != ev.sha256 or m["name"] != attachment_name(ev.code, ev.file_name) for m in p["manifest"])
    assert p["draft"] is True
    validate_payload(p)


def test_payload_bytes_deterministic_and_round_trip(demo_copy: Path, demo_payload: dict) -> None:
    doc = open_document(demo_copy)
    try:
        again = build_payload(doc, 2026, clock=CLOCK, draft=False)
    finally:
        doc.close()
    raw = payload_bytes(demo_payload)
    assert raw == payload_bytes(again)
    assert json.loads(raw.decode("utf-8")) == demo_payload
    assert "Thanh Hóa".encode() in raw  # not \u-escaped
    assert raw.endswith(b"}\n")


def test_payload_strings_are_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Trường Tiểu học Hòa Bình")
    doc = document.new_document(tmp_path / "a.khoi", unit_name="X", unit_type="co-quan", year=2026)
    try:
        content.add_row(doc, "activity", 2026, kind="khac", title=nfd)
        p = build_payload(doc, 2026, clock=CLOCK, draft=True)
    finally:
        doc.close()
    assert p["activities"][0]["title"] == unicodedata.normalize("NFC", nfd)
    validate_payload(p)


@pytest.mark.parametrize(
    ("code", "file_name", "expected"),
    [
        ("MC-1.1-01", "Quyết định.PDF", "MC-1.1-01.pdf"),
        ("MC 2/01", "a.jpg", "MC_2_01.jpg"),
        ("..", "x", "minh-chung"),
        ("MC-Đ", "", "MC-_"),
    ],
)
def test_attachment_name_is_safe(code: str, file_name: str, expected: str) -> None:
    assert attachment_name(code, file_name) == expected
