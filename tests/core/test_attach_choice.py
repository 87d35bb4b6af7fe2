"""Each evidence item's own attach choice: original, reduced copy, list only, or the export's choice."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from khoiapp.db import open_document
from khoiapp.errors import BadInputError
from khoiapp.services import evidence
from khoiapp.services.photo_copies import copy_plan

CLOCK = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def _photo(code: str, size: int = 3_000_000) -> dict[str, Any]:
    return {"code": code, "embedded": True, "attachment": f"{code}.jpg", "sha256": code * 8,
            "mime_type": "image/jpeg", "size": size}


@pytest.mark.parametrize(
    ("mode", "over", "want"),
    [
        ("original", True, {"R"}),  # only the item marked «bản thu nhỏ»
        ("reduced", False, {"R", "A"}),  # every photo left at «Tự động», never the one marked «bản gốc»
        ("auto", False, {"R"}),  # within the budget: the «Tự động» photo stays original
        ("auto", True, {"R", "A"}),  # over the budget: it is reduced too
    ],
)
def test_each_items_choice_wins_over_the_export_option(mode: str, over: bool, want: set[str]) -> None:
    payload = {"evidence": [_photo("O"), _photo("R"), _photo("A"), {**_photo("L"), "embedded": False}]}
    choices = {"O": "original", "R": "reduced", "A": "auto", "L": "auto"}
    seen: list[int] = []

    def over_budget(saving: int) -> bool:
        seen.append(saving)
        return over

    assert copy_plan(payload, choices, mode, over_budget) == want
    if mode == "auto":  # the budget is judged after the forced copy's saving
        assert seen and seen[0] > 2_000_000


def _copy(realistic_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "don-vi.khoi"
    shutil.copyfile(realistic_template, path)
    return path


def test_reduced_copy_is_refused_for_a_file_that_is_not_a_photo(realistic_template: Path, tmp_path: Path) -> None:
    with open_document(_copy(realistic_template, tmp_path)) as doc:
        scan = next(e for e in evidence.list_evidence(doc, 2026) if e.mime_type == "application/pdf")
        with pytest.raises(BadInputError, match="không phải ảnh JPEG"):
            evidence.update_evidence(doc, scan.id, attach="reduced")
        assert evidence.get_evidence(doc, scan.id).attach == "auto"
        evidence.update_evidence(doc, scan.id, attach="list")
        got = evidence.get_evidence(doc, scan.id)
    assert (got.attach, got.embed) == ("list", False)


def test_export_follows_each_items_choice_and_the_dossier_verifies_and_imports(
    realistic_template: Path, tmp_path: Path
) -> None:
    from khoiapp.cli import main
    from khoiapp.services.export import export_dossier
    from khoiapp.services.verify import verify_dossier

    path = _copy(realistic_template, tmp_path)
    with open_document(path) as doc:
        items = evidence.list_evidence(doc, 2026)
        photos = [e for e in items if e.mime_type == "image/jpeg" and e.size > 400_000]
        scan = next(e for e in items if e.mime_type == "application/pdf")
        kept, small, listed_photo = photos[0], photos[1], photos[2]
        evidence.update_evidence(doc, kept.id, attach="original")
        evidence.update_evidence(doc, small.id, attach="reduced")
        evidence.update_evidence(doc, listed_photo.id, attach="list")
        evidence.update_evidence(doc, scan.id, attach="list")
        # the export's own option is «reduced»: it applies to the items left at «Tự động» only
        res = export_dossier(doc, 2026, tmp_path / "ho-so.pdf", clock=CLOCK, photo_copies="reduced")
    attachments = PdfReader(str(res.path)).attachments
    payload = json.loads(attachments["khoi-dossier.json"][0])
    by_code = {e["code"]: e for e in payload["evidence"]}
    # «bản gốc»: the original bytes, though every other photo is reduced
    e = by_code[kept.code]
    assert "original_sha256" not in e and e["sha256"] == kept.sha256 and e["size"] == kept.size
    assert hashlib.sha256(attachments[e["attachment"]][0]).hexdigest() == kept.sha256
    # «bản thu nhỏ»: a copy, the original's hash kept
    e = by_code[small.code]
    assert e["original_sha256"] == small.sha256 and e["size"] < small.size
    assert hashlib.sha256(attachments[e["attachment"]][0]).hexdigest() == e["sha256"]
    # «Chỉ liệt kê»: listed with the original's SHA-256, nothing attached
    for item in (listed_photo, scan):
        e = by_code[item.code]
        assert (e["embedded"], e["attachment"], e["sha256"]) == (False, None, item.sha256)
        assert not any(n.startswith(item.code) for n in attachments)
    sizes = {e.code: e.size for e in items}
    others = [e for e in payload["evidence"] if e["mime_type"] == "image/jpeg" and e["embedded"]
              and e["code"] not in (kept.code, small.code) and sizes[e["code"]] > 400_000]
    assert others and all("original_sha256" in e for e in others)
    assert verify_dossier(res.path, use_trust_store=False).attachments_ok
    target = tmp_path / "nam-sau.khoi"
    assert main(["import", str(res.path), "--new", str(target), "--accept-unverified"]) == 0
    with open_document(target, read_only=True) as doc:
        got = {e.code: e for y in (2026, 2027) for e in _list(doc, y)}
    assert got[scan.code].attach == "list" and got[kept.code].embed


def _list(doc: Any, year: int) -> list[Any]:
    try:
        return list(evidence.list_evidence(doc, year))
    except Exception:  # noqa: BLE001 - the imported period is one of the two years
        return []


def test_size_warning_says_which_choice_brings_the_dossier_under_budget(realistic_template: Path) -> None:
    from khoiapp.services.export import size_check

    with open_document(realistic_template, read_only=True) as doc:
        photos = size_check(doc, 2026, budget_mb=20, photo_copies="original")
        listing = size_check(doc, 2026, budget_mb=8, photo_copies="original")
        items = {e.code: e for e in evidence.list_evidence(doc, 2026)}
    assert photos.over and photos.to_reduce and not photos.to_list and photos.after <= photos.budget
    assert all(items[c].mime_type == "image/jpeg" for c in photos.to_reduce)
    text = photos.warning()
    assert "“Đính kèm bản thu nhỏ” cho " + photos.to_reduce[0] in text and "dưới mức này" in text
    # reducing every photo is not enough for 8 MB: the biggest files are to be listed only
    assert listing.to_list and listing.after <= listing.budget
    assert listing.to_list[0] == listing.biggest[0][0] or listing.biggest[0][0] in listing.to_list
    assert "“Chỉ liệt kê” cho " + listing.to_list[0] in listing.warning()


def test_an_item_marked_reduced_is_counted_reduced_in_the_estimate(realistic_template: Path, tmp_path: Path) -> None:
    from khoiapp.services.export import size_check

    with open_document(_copy(realistic_template, tmp_path)) as doc:
        before = size_check(doc, 2026, budget_mb=500, photo_copies="original")
        photo = max((e for e in evidence.list_evidence(doc, 2026) if e.mime_type == "image/jpeg"),
                    key=lambda e: e.size)
        evidence.update_evidence(doc, photo.id, attach="reduced")
        reduced = size_check(doc, 2026, budget_mb=500, photo_copies="original")
        evidence.update_evidence(doc, photo.id, attach="list")
        listed = size_check(doc, 2026, budget_mb=500, photo_copies="original")
    assert before.expected - reduced.expected > photo.size // 2
    assert listed.expected < reduced.expected
    assert photo.code not in [c for c, _t, _s in listed.biggest]


def test_migrating_an_old_document_keeps_each_items_behaviour(tmp_path: Path) -> None:
    """Before 0005 an item was attached (the export's photo option decided) or listed only."""
    from sqlalchemy import create_engine

    from khoiapp.db import head_revision, upgrade

    path = tmp_path / "cu.khoi"
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "docs" / "v0002.khoi", path)
    with sqlite3.connect(path) as c:
        rows = c.execute("SELECT id, embed FROM evidence ORDER BY id").fetchall()
        assert rows
        c.execute("UPDATE evidence SET embed = 0 WHERE id = ?", (rows[0][0],))
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    with open_document(path, read_only=True) as doc:
        year = max(p.period.year_end for p in __import__("khoiapp.services.document", fromlist=["x"])
                   .document_info(doc).periods)
        got = {e.id: e.attach for e in evidence.list_evidence(doc, year)}
    assert got[rows[0][0]] == "list"
    assert all(got[i] == "auto" for i, _e in rows[1:])


def test_cancel_while_making_reduced_copies_stops_there_and_leaves_nothing(
    realistic_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 40 photos to reduce, a cancel is heard before the next photo, not after all of them."""
    from khoiapp.errors import Cancelled
    from khoiapp.services import photo_copies
    from khoiapp.services.export import export_dossier

    made: list[bytes] = []
    real = photo_copies.reduced_jpeg

    def counting(data: bytes) -> bytes | None:
        made.append(b"")
        return real(data)

    monkeypatch.setattr(photo_copies, "reduced_jpeg", counting)
    out = tmp_path / "ho-so.pdf"
    with open_document(realistic_template, read_only=True) as doc:
        with pytest.raises(Cancelled):
            export_dossier(doc, 2026, out, clock=CLOCK, photo_copies="reduced", is_cancelled=lambda: len(made) >= 3)
    assert 3 <= len(made) <= 3 + photo_copies.COPY_WORKERS + 1 < 40
    assert not out.exists() and list(tmp_path.iterdir()) == []
