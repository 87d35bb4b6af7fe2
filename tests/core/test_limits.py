"""Every limit on input that comes from a file, tested just under and just over it.

The table of limits is in docs/storage.md.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from pathlib import Path

import pytest

from khoiapp import frameworks as fwlib
from khoiapp.db import open_document
from khoiapp.dossier.limits import MAX_ATTACHMENTS, MAX_PAYLOAD_BYTES, PAYLOAD_NAME
from khoiapp.errors import (
    BadInputError,
    DossierError,
    DossierLimitError,
    EvidenceTooLargeError,
    FrameworkError,
    UnsafeNameError,
)
from khoiapp.services import content, criteria, evidence
from khoiapp import safename
from khoiapp.dossier import jsontext, limits, reader

YEAR = 2026
MB = 1024 * 1024


# --------------------------------------------------------------------------- a PDF with attachments


def _flate(data_chunks: Iterable[bytes]) -> bytes:
    c = zlib.compressobj(9)
    return b"".join(c.compress(chunk) for chunk in data_chunks) + c.flush()


def make_pdf(path: Path, files: list[tuple[str, bytes, bool]], *, kids_depth: int = 0) -> Path:
    """A PDF whose ``/EmbeddedFiles`` name tree holds ``files`` (name, stream bytes, Flate-encoded?).

    ``kids_depth`` > 0 puts the leaves that many ``/Kids`` levels below the root of the name tree.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter

    n = generic.NameObject
    w = PdfFileWriter()
    names = generic.ArrayObject()
    for name, encoded, flate in files:
        d = generic.DictionaryObject({n("/Type"): n("/EmbeddedFile")})
        if flate:
            d[n("/Filter")] = n("/FlateDecode")
        stream_ref = w.add_object(generic.StreamObject(d, encoded_data=encoded))
        spec = generic.DictionaryObject(
            {
                n("/Type"): n("/Filespec"),
                n("/F"): generic.pdf_string(name),
                n("/UF"): generic.pdf_string(name),
                n("/EF"): generic.DictionaryObject({n("/F"): stream_ref, n("/UF"): stream_ref}),
            }
        )
        names.append(generic.pdf_string(name))
        names.append(w.add_object(spec))
    node = generic.DictionaryObject({n("/Names"): names})
    for _ in range(kids_depth):
        node = generic.DictionaryObject({n("/Kids"): generic.ArrayObject([w.add_object(node)])})
    w.root[n("/Names")] = generic.DictionaryObject({n("/EmbeddedFiles"): node})
    with open(path, "wb") as fh:
        w.write(fh)
    return path


# --------------------------------------------------------------------------- evidence size


@pytest.mark.parametrize(("size", "ok"), [(4096, True), (4097, False)])
def test_evidence_size_limit_in_check_file(tmp_path: Path, size: int, ok: bool) -> None:
    f = tmp_path / "bien-ban.pdf"
    f.write_bytes(b"%" * size)
    if ok:
        assert evidence.check_file(f, limit=4096)[1] == size
    else:
        with pytest.raises(EvidenceTooLargeError) as exc:
            evidence.check_file(f, limit=4096)
        assert exc.value.size == size and exc.value.limit == 4096
        assert "vượt giới hạn" in exc.value.message and "Cài đặt" in exc.value.message


@pytest.mark.parametrize(("extra", "ok"), [(0, True), (1, False)])
def test_evidence_size_limit_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_copy: Path, extra: int, ok: bool
) -> None:
    monkeypatch.setenv("KHOI_EVIDENCE_LIMIT_MB", "1")
    f = tmp_path / "anh.jpg"
    f.write_bytes(b"\xff" * (MB + extra))
    with open_document(demo_copy) as doc:
        if ok:
            assert evidence.add_evidence(doc, YEAR, f, criteria=()).evidence.size == MB
        else:
            with pytest.raises(EvidenceTooLargeError):
                evidence.add_evidence(doc, YEAR, f, criteria=())
            assert not any(e.file_name == "anh.jpg" for e in evidence.list_evidence(doc, YEAR))


def test_evidence_limit_follows_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from khoiapp import appconfig

    appconfig.update(evidence_limit_mb=7)
    assert evidence.evidence_limit() == 7 * MB
    monkeypatch.setenv("KHOI_EVIDENCE_LIMIT_MB", "2")
    assert evidence.evidence_limit() == 2 * MB


# --------------------------------------------------------------------------- framework file size


def _padded_framework(size: int) -> bytes:
    src = (fwlib.frameworks_dir() / "tt08-co-quan-don-vi.toml").read_bytes()
    pad = size - len(src) - 3
    assert pad > 0
    return src + b"\n#" + b"x" * pad + b"\n"


def test_framework_import_into_a_document_is_capped(tmp_path: Path, demo_copy: Path) -> None:
    from khoiapp.services import document as docsvc

    f = tmp_path / "lon.toml"
    f.write_bytes(_padded_framework(fwlib.MAX_FRAMEWORK_BYTES + 1))
    with open_document(demo_copy) as doc, pytest.raises(FrameworkError):
        docsvc.import_framework_file(doc, f)


@pytest.mark.parametrize(("extra", "ok"), [(0, True), (1, False)])
def test_framework_file_size_limit(tmp_path: Path, extra: int, ok: bool) -> None:
    data = _padded_framework(fwlib.MAX_FRAMEWORK_BYTES + extra)
    assert len(data) == fwlib.MAX_FRAMEWORK_BYTES + extra
    f = tmp_path / "bo-tieu-chi.toml"
    f.write_bytes(data)
    for parse in (lambda: fwlib.load_framework_file(f), lambda: fwlib.parse_framework(data, f.name)):
        if ok:
            assert parse().key == "tt08-co-quan-don-vi"
        else:
            with pytest.raises(FrameworkError) as exc:
                parse()
            assert "«bo-tieu-chi.toml»" in exc.value.message and "vượt giới hạn 1.048.576 byte" in exc.value.message


# --------------------------------------------------------------------------- text lengths


LONG = 20_000


@pytest.fixture
def demo_doc(demo_copy: Path):  # type: ignore[no-untyped-def]
    with open_document(demo_copy) as doc:
        yield doc


def _code(doc) -> str:  # type: ignore[no-untyped-def]
    return criteria.checklist(doc, YEAR).criteria[0].code


@pytest.mark.parametrize(("n", "ok"), [(LONG, True), (LONG + 1, False)])
def test_criterion_text_length(demo_doc, n: int, ok: bool) -> None:  # type: ignore[no-untyped-def]
    code = _code(demo_doc)
    text = "ạ" * n
    for kwargs in ({"note": text}, {"narrative": {"improvement_plan": text}}):
        if ok:
            criteria.set_result(demo_doc, YEAR, code, **kwargs)
        else:
            with pytest.raises(BadInputError) as exc:
                criteria.set_result(demo_doc, YEAR, code, **kwargs)
            assert f"tối đa {LONG}" in exc.value.message
    view = next(c for c in criteria.checklist(demo_doc, YEAR).criteria if c.code == code)
    assert (view.note == text) is ok and (view.improvement_plan == text) is ok


@pytest.mark.parametrize(("n", "ok"), [(LONG, True), (LONG + 1, False)])
def test_table_text_length(demo_doc, n: int, ok: bool) -> None:  # type: ignore[no-untyped-def]
    before = len(content.list_rows(demo_doc, "activity", YEAR))
    text = "ư" * n
    if ok:
        content.add_row(demo_doc, "activity", YEAR, title=text)
    else:
        with pytest.raises(BadInputError) as exc:
            content.add_row(demo_doc, "activity", YEAR, title=text)
        assert "quá dài" in exc.value.message
    assert len(content.list_rows(demo_doc, "activity", YEAR)) == before + ok


@pytest.mark.parametrize(("n", "ok"), [(LONG, True), (LONG + 1, False)])
def test_convention_article_length(demo_doc, n: int, ok: bool) -> None:  # type: ignore[no-untyped-def]
    conv = content.current_convention(demo_doc)
    assert conv is not None
    article = conv.chapters[0].articles[0]
    text = "ộ" * n
    if ok:
        content.update_article(demo_doc, article.id, body=text)
    else:
        with pytest.raises(BadInputError):
            content.update_article(demo_doc, article.id, body=text)
    after = content.current_convention(demo_doc)
    assert after is not None and (after.chapters[0].articles[0].body == text) is ok


def test_text_length_counts_characters_after_nfc(demo_doc) -> None:  # type: ignore[no-untyped-def]
    # "ạ" typed decomposed is two code points; NFC makes it one, so 20,000 of them fit.
    decomposed = "a\u0323" * LONG
    criteria.set_result(demo_doc, YEAR, _code(demo_doc), note=decomposed)


# --------------------------------------------------------------------------- payload: size and depth


def test_payload_size_limit_just_under_parses() -> None:
    data = b"{}" + b" " * (MAX_PAYLOAD_BYTES - 2)
    assert len(data) == MAX_PAYLOAD_BYTES
    assert jsontext.parse_json(data) == {}


def test_payload_size_limit_just_over_is_refused_before_parsing() -> None:
    data = b"{}" + b" " * (MAX_PAYLOAD_BYTES - 1)
    with pytest.raises(DossierLimitError) as exc:
        jsontext.parse_json(data)
    assert "vượt giới hạn 50,0 MB" in exc.value.message


def _nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize(("depth", "ok"), [(limits.MAX_JSON_DEPTH, True), (limits.MAX_JSON_DEPTH + 1, False)])
def test_payload_nesting_limit(depth: int, ok: bool) -> None:
    data = _nested(depth)
    assert jsontext.json_depth(data) == min(depth, limits.MAX_JSON_DEPTH + 1)
    if ok:
        assert isinstance(jsontext.parse_json(data), dict)
    else:
        with pytest.raises(DossierLimitError) as exc:
            jsontext.parse_json(data)
        assert f"quá {limits.MAX_JSON_DEPTH} tầng" in exc.value.message


@pytest.mark.parametrize("data", [b"[" * 200_000, _nested(100_000), b'["' + b"[" * 1000 + b'"]'])
def test_deep_or_tricky_json_never_overflows_the_stack(data: bytes) -> None:
    try:
        jsontext.parse_json(data)
    except DossierError:
        pass  # refused with a message: fine; a RecursionError would not be


def test_brackets_inside_strings_do_not_count() -> None:
    assert jsontext.parse_json(b'{"a": "' + b"[{" * 5000 + b'"}') == {"a": "[{" * 5000}


# --------------------------------------------------------------------------- dossier PDFs


def test_payload_decompressing_past_the_limit_is_refused(tmp_path: Path) -> None:
    # 51 MB of spaces after "{}" deflate to ~50 KB: a bomb for a reader that inflates blindly.
    bomb = _flate([b"{}"] + [b" " * MB] * 51)
    pdf = make_pdf(tmp_path / "bom.pdf", [(PAYLOAD_NAME, bomb, True)])
    assert pdf.stat().st_size < 200_000
    with reader.open_dossier(pdf) as rd, pytest.raises(DossierLimitError) as exc:
        rd.read_payload()
    assert "lớn hơn 50,0 MB" in exc.value.message


def test_payload_decompressing_to_exactly_the_limit_is_read(tmp_path: Path) -> None:
    body = [b"{}", b" " * (MAX_PAYLOAD_BYTES - 2)]
    pdf = make_pdf(tmp_path / "vua.pdf", [(PAYLOAD_NAME, _flate(body), True)])
    with reader.open_dossier(pdf) as rd:
        payload, _sha = rd.read_payload()
    assert payload == {}


@pytest.mark.parametrize(("size", "flate"), [(4096, False), (4096, True)])
def test_attachment_size_limit(tmp_path: Path, size: int, flate: bool) -> None:
    data = b"%PDF" + b"\x00" * (size - 4)
    enc = _flate([data]) if flate else data
    over = data + b"\x00"
    enc_over = _flate([over]) if flate else over
    pdf = make_pdf(tmp_path / "a.pdf", [("vua.pdf", enc, flate), ("qua.pdf", enc_over, flate)])
    with reader.open_dossier(pdf) as rd:
        assert rd.attachment_digest("vua.pdf", limit=size)[1] == size
        with pytest.raises(DossierLimitError) as exc:
            rd.attachment_digest("qua.pdf", limit=size)
        assert "«qua.pdf» lớn hơn giới hạn" in exc.value.message


@pytest.fixture(scope="module")
def zero_bomb_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bomb = _flate([bytes(MB)] * 256)  # 256 MB of zeros in about 250 KB
    return make_pdf(tmp_path_factory.mktemp("bomb") / "bom.pdf", [("anh.jpg", bomb, True)])


def test_attachment_bomb_stops_at_the_limit_without_inflating_it_all(zero_bomb_pdf: Path) -> None:
    seen = 0
    with reader.open_dossier(zero_bomb_pdf) as rd, pytest.raises(DossierLimitError):
        for chunk in rd.iter_attachment("anh.jpg", limit=8 * MB):
            assert len(chunk) <= limits.CHUNK
            seen += len(chunk)
    assert seen <= 8 * MB  # stopped at the limit, one chunk at a time


def test_pypdf_refuses_a_decompression_bomb_on_its_own(zero_bomb_pdf: Path) -> None:
    """pypdf (used for the structure in extract.py) caps Flate output at 75 MB by itself."""
    import pypdf
    from pypdf.errors import LimitReachedError

    with pytest.raises(LimitReachedError):
        dict(pypdf.PdfReader(zero_bomb_pdf).attachments)


def test_verify_reports_a_payload_bomb_as_a_problem(tmp_path: Path) -> None:
    from khoiapp.services.verify import verify_dossier

    bomb = _flate([b"{}"] + [b" " * MB] * 51)
    pdf = make_pdf(tmp_path / "bom.pdf", [(PAYLOAD_NAME, bomb, True)])
    report = verify_dossier(pdf, use_trust_store=False)
    assert report.verdict == "unsigned" and report.attachments_ok is False
    assert any("lớn hơn 50,0 MB" in p for p in report.problems)


@pytest.mark.parametrize(("count", "ok"), [(MAX_ATTACHMENTS, True), (MAX_ATTACHMENTS + 1, False)])
def test_attachment_count_limit(tmp_path: Path, count: int, ok: bool) -> None:
    files = [(PAYLOAD_NAME, b"{}", False)] + [(f"mc-{i:05d}.pdf", b"x", False) for i in range(count)]
    pdf = make_pdf(tmp_path / "nhieu.pdf", files)
    if ok:
        with reader.open_dossier(pdf) as rd:
            assert len(rd.names) == count + 1
    else:
        with pytest.raises(DossierLimitError) as exc:
            reader.open_dossier(pdf)
        assert f"hơn {MAX_ATTACHMENTS} tệp đính kèm" in exc.value.message


@pytest.mark.parametrize(("depth", "ok"), [(limits.MAX_TREE_DEPTH, True), (limits.MAX_TREE_DEPTH + 1, False)])
def test_name_tree_depth_limit(tmp_path: Path, depth: int, ok: bool) -> None:
    pdf = make_pdf(tmp_path / "sau.pdf", [(PAYLOAD_NAME, b"{}", False)], kids_depth=depth)
    if ok:
        with reader.open_dossier(pdf) as rd:
            assert rd.names == (PAYLOAD_NAME,)
    else:
        with pytest.raises(DossierLimitError):
            reader.open_dossier(pdf)


@pytest.mark.parametrize(("length", "ok"), [(limits.MAX_NAME_LENGTH, True), (limits.MAX_NAME_LENGTH + 1, False)])
def test_attachment_name_length_limit(length: int, ok: bool) -> None:
    name = "ả" * (length - 4) + ".pdf"
    assert len(name) == length
    if ok:
        assert safename.check_name(name) == name
    else:
        with pytest.raises(UnsafeNameError):
            safename.check_name(name)
