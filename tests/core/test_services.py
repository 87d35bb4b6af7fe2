"""Core services: answering criteria, evidence storage, content tables, demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from khoiapp import scoring
from khoiapp.db import Document
from khoiapp.errors import (
    BadInputError,
    EvidenceFileError,
    EvidenceTooLargeError,
    PeriodNotFoundError,
    UnknownCriterionError,
    ValueOutOfRangeError,
)
from khoiapp.services import content, criteria, document, evidence


@pytest.fixture
def doc(tmp_path: Path) -> Document:
    d = document.new_document(tmp_path / "u.khoi", unit_name="Sở Tư pháp tỉnh Thanh Hóa", unit_type="co-quan", year=2026)
    yield d
    d.close()


def _view(doc: Document, code: str) -> criteria.CriterionView:
    return next(c for c in criteria.checklist(doc, 2026).criteria if c.code == code)


def test_percent_value_is_scored_against_threshold(doc: Document) -> None:
    code = next(c.code for c in criteria.checklist(doc, 2026).criteria if c.kind == "percent" and c.requirement == "≥ 90%")
    criteria.set_result(doc, 2026, code, value=92)
    assert _view(doc, code).status == "dat"
    criteria.set_result(doc, 2026, code, value=89.5)
    assert _view(doc, code).status == "chua-dat"
    assert _view(doc, code).value == 89.5


def test_percent_out_of_range_is_refused_and_nothing_changes(doc: Document) -> None:
    code = next(c.code for c in criteria.checklist(doc, 2026).criteria if c.kind == "percent")
    with pytest.raises(ValueOutOfRangeError):
        criteria.set_result(doc, 2026, code, value=120)
    assert _view(doc, code).status == "chua-danh-gia" and _view(doc, code).value is None


def test_yes_no_criterion_takes_a_status(doc: Document) -> None:
    code = next(c.code for c in criteria.checklist(doc, 2026).criteria if c.kind == "yesno")
    criteria.set_result(doc, 2026, code, status=scoring.ResultStatus.MET, narrative={"strengths": "Tốt"})
    v = _view(doc, code)
    assert v.status == "dat" and v.strengths == "Tốt"
    with pytest.raises(BadInputError):
        criteria.set_result(doc, 2026, code, value=5)


def test_mandatory_criterion_cannot_be_not_applicable(doc: Document) -> None:
    c = next(c for c in criteria.checklist(doc, 2026).criteria if c.mandatory)
    with pytest.raises(BadInputError):
        criteria.set_result(doc, 2026, c.code, status=scoring.ResultStatus.NOT_APPLICABLE)


def test_unknown_criterion_and_period(doc: Document) -> None:
    with pytest.raises(UnknownCriterionError):
        criteria.set_result(doc, 2026, "9.9", status=scoring.ResultStatus.MET)
    with pytest.raises(PeriodNotFoundError):
        criteria.set_result(doc, 2019, "1.1", status=scoring.ResultStatus.MET)


def test_text_is_normalised_to_nfc(doc: Document) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    document.update_unit(doc, head_name=nfd)
    assert nfd != "Nguyễn Thị Hường"
    assert document.get_unit(doc).head_name == "Nguyễn Thị Hường"  # type: ignore[union-attr]


def test_parse_value_text() -> None:
    assert criteria.parse_value_text("dat") == (scoring.ResultStatus.MET, None)
    assert criteria.parse_value_text("92,5%") == (None, 92.5)
    with pytest.raises(BadInputError):
        criteria.parse_value_text("nhiều")


def test_evidence_is_deduplicated_by_hash(doc: Document, tmp_path: Path) -> None:
    f = tmp_path / "anh.png"
    f.write_bytes(b"\x89PNG fake image bytes" * 100)
    first = evidence.add_evidence(doc, 2026, f, criteria=("1.1",))
    again = evidence.add_evidence(doc, 2026, f, criteria=("1.2",))
    assert not first.reused and again.reused
    assert again.evidence.id == first.evidence.id
    assert evidence.blob_count(doc) == 1
    assert evidence.get_evidence(doc, first.evidence.id).criteria == ("1.1", "1.2")


def test_evidence_streams_in_chunks_and_reads_back(doc: Document, tmp_path: Path) -> None:
    f = tmp_path / "bien-ban.pdf"
    data = bytes(range(256)) * (5 * 4096 + 7)  # ~5 MB, not a multiple of the chunk size
    f.write_bytes(data)
    seen: list[tuple[int, int]] = []
    res = evidence.add_evidence(doc, 2026, f, criteria=("1.1",), progress=lambda a, b: seen.append((a, b)))
    assert seen[-1][0] == seen[-1][1]
    import io

    out = io.BytesIO()
    assert evidence.copy_blob_to(doc, res.evidence.sha256, out) == len(data)  # type: ignore[arg-type]
    assert out.getvalue() == data


def test_evidence_over_limit_missing_and_unsupported(doc: Document, tmp_path: Path) -> None:
    big = tmp_path / "to.pdf"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(EvidenceTooLargeError):
        evidence.add_evidence(doc, 2026, big, limit=1024)
    with pytest.raises(EvidenceFileError):
        evidence.add_evidence(doc, 2026, tmp_path / "khong-co.pdf")
    exe = tmp_path / "chuong-trinh.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(EvidenceFileError):
        evidence.add_evidence(doc, 2026, exe)
    assert evidence.list_evidence(doc, 2026) == []


def test_evidence_codes_metadata_and_removal(doc: Document) -> None:
    a = evidence.add_evidence_bytes(doc, 2026, b"a", "a.pdf", criteria=("1.1",)).evidence
    b = evidence.add_evidence_bytes(doc, 2026, b"b", "b.pdf", criteria=("1.1",)).evidence
    c = evidence.add_evidence_bytes(doc, 2026, b"c", "c.pdf").evidence
    assert (a.code, b.code, c.code) == ("MC-1.1-01", "MC-1.1-02", "MC-01")
    evidence.update_evidence(doc, a.id, doc_number="12/QĐ-STP", issuer="Sở Tư pháp", issued_on=dt.date(2026, 2, 5))
    got = evidence.get_evidence(doc, a.id)
    assert (got.doc_number, got.issuer, got.issued_on) == ("12/QĐ-STP", "Sở Tư pháp", dt.date(2026, 2, 5))
    with pytest.raises(BadInputError):
        evidence.update_evidence(doc, b.id, code="MC-1.1-01")
    evidence.remove_evidence(doc, c.id)
    assert evidence.blob_count(doc) == 2


def test_plan_items_past_deadline_are_late(doc: Document) -> None:
    content.add_row(doc, "plan", 2026, content="Niêm yết quy tắc", deadline=dt.date(2026, 3, 1), status="dang-thuc-hien")
    content.add_row(doc, "plan", 2026, content="Đăng ký", deadline=dt.date(2026, 1, 1), status="hoan-thanh")
    rows = content.list_rows(doc, "plan", 2026, today=dt.date(2026, 6, 1))
    assert [r.late for r in rows] == [True, False]


def test_content_tables_round_trip_and_reorder(doc: Document) -> None:
    a, _ = content.add_row(doc, "committee", 2026, name="Nguyễn Văn A", role="Trưởng ban")
    b, _ = content.add_row(doc, "committee", 2026, name="Trần Thị B")
    content.move_row(doc, "committee", b, -1)
    assert [r.values["name"] for r in content.list_rows(doc, "committee", 2026)] == ["Trần Thị B", "Nguyễn Văn A"]
    content.update_row(doc, "committee", a, tasks="Chỉ đạo chung")
    with pytest.raises(BadInputError):
        content.add_row(doc, "activity", 2026, kind="khong-co", title="x")
    with pytest.raises(BadInputError):
        content.add_row(doc, "award", 2026, kind="bang-khen", content="x", issued_on="31/02/2026")


def test_convention_versions_copy_chapters(doc: Document) -> None:
    cid, _ = content.new_convention_version(doc, title="Quy ước cơ quan văn hóa")
    ch, _ = content.add_chapter(doc, cid, "Những quy định chung")
    content.add_article(doc, ch, "Phạm vi", "Áp dụng cho toàn thể cán bộ.")
    cid2, _ = content.new_convention_version(doc, title="Quy ước cơ quan văn hóa (sửa đổi)")
    cur = content.current_convention(doc)
    assert cur is not None and cur.version == 2 and cur.id == cid2
    assert cur.chapters[0].articles[0].body == "Áp dụng cho toàn thể cán bộ."
    assert [v.version for v in content.convention_versions(doc)] == [1, 2]


def test_summary_preflight_lists_missing_profile_and_criteria(doc: Document) -> None:
    s = document.period_summary(doc, 2026)
    kinds = {i.kind for i in s.preflight}
    assert {"profile", "unanswered"} <= kinds
    assert s.result == scoring.OverallResult.INCOMPLETE.value


def test_demo_document_is_filled(demo_copy: Path) -> None:
    from khoiapp.db import open_document

    with open_document(demo_copy) as d:
        info = document.document_info(d)
        ps = info.periods[-1]
        assert ps.readiness.answered == ps.readiness.total > 20
        assert ps.readiness.evidence_ok == ps.readiness.total
        assert ps.preflight == ()
        assert ps.result == scoring.OverallResult.MODEL.value
        kinds = {e.mime_type for e in evidence.list_evidence(d, ps.period.year_end)}
        assert {"application/pdf", "image/png"} <= kinds
        assert content.current_convention(d) is not None
        assert len(content.list_rows(d, "conduct")) >= 5
        assert content.list_rows(d, "activity", ps.period.year_end)


@pytest.mark.parametrize(("field", "limit"), [("name", 300), ("head_name", 200), ("address", 500)])
def test_unit_text_fields_have_a_length_limit(doc: Document, field: str, limit: int) -> None:
    document.update_unit(doc, **{field: "a" * limit})
    with pytest.raises(BadInputError):
        document.update_unit(doc, **{field: "a" * (limit + 1)})
    assert getattr(document.get_unit(doc), field) == "a" * limit


def test_period_text_fields_have_a_length_limit(doc: Document) -> None:
    document.update_period(doc, 2026, situation="x" * 20_000, report_symbol="BC-CĐ")
    with pytest.raises(BadInputError):
        document.update_period(doc, 2026, situation="x" * 20_001)
    with pytest.raises(BadInputError):
        document.update_period(doc, 2026, report_symbol="B" * 51)


def test_evidence_from_bytes_respects_the_size_limit(doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHOI_EVIDENCE_LIMIT_MB", "0.001")  # 1048 bytes
    evidence.add_evidence_bytes(doc, 2026, b"x" * 1048, "a.pdf")
    with pytest.raises(EvidenceTooLargeError):
        evidence.add_evidence_bytes(doc, 2026, b"y" * 1049, "b.pdf")
    assert [e.file_name for e in evidence.list_evidence(doc, 2026)] == ["a.pdf"]
