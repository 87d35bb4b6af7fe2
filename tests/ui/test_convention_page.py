"""The Quy ước editor: create, chapters and articles, reorder, versions, undo and redo."""

from __future__ import annotations

import datetime as dt

import pytest

from khoiapp.services import content
from khoiapp.services.document import new_document
from ui.context import AppContext
from ui.pages import convention_page
from ui.pages.convention_page import ARTICLE, CHAPTER, ConventionPage, roman

YEAR = 2026


@pytest.fixture
def ctx(tmp_path, monkeypatch, qtbot):
    monkeypatch.setenv("KHOI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KHOI_CONFIG_DIR", str(tmp_path / "config"))
    doc = new_document(tmp_path / "don-vi.khoi", unit_name="Sở Tư pháp tỉnh Thanh Hóa", unit_type="co-quan", year=YEAR)
    c = AppContext()
    c.set_document(doc, YEAR)
    yield c
    c.set_document(None, None)


@pytest.fixture
def page(qtbot, ctx):
    p = ConventionPage(ctx)
    qtbot.addWidget(p)
    return p


@pytest.fixture
def errors(monkeypatch):
    shown: list[BaseException] = []
    monkeypatch.setattr(convention_page, "show_error", lambda parent, exc: shown.append(exc))
    return shown


def _outline(ctx):
    c = content.current_convention(ctx.doc)
    return [(ch.title, [(a.title, a.body) for a in ch.articles]) for ch in c.chapters]


def _filled(page):
    assert page.create_convention()
    ch1 = page.add_chapter("Những quy định chung")
    a1 = page.add_article(ch1, "Phạm vi áp dụng", "Áp dụng cho toàn thể công chức.")
    a2 = page.add_article(ch1, "Mục đích", "Xây dựng nếp sống văn minh.")
    ch2 = page.add_chapter("Tổ chức thực hiện")
    a3 = page.add_article(ch2, "Hiệu lực", "Có hiệu lực từ ngày ký.")
    return ch1, ch2, a1, a2, a3


def test_no_convention_offers_create_with_unit_title(qtbot, ctx, page):
    assert content.current_convention(ctx.doc) is None
    assert page.stack.currentIndex() == 0 and page.create_button.isEnabled()
    page.create_button.click()
    c = content.current_convention(ctx.doc)
    assert c is not None and c.version == 1
    assert c.title == "Quy ước xây dựng cơ quan văn hóa Sở Tư pháp tỉnh Thanh Hóa"
    assert page.stack.currentIndex() == 1


def test_add_chapters_and_articles_stored_and_numbered(qtbot, ctx, page):
    _filled(page)
    assert _outline(ctx) == [
        ("Những quy định chung", [("Phạm vi áp dụng", "Áp dụng cho toàn thể công chức."), ("Mục đích", "Xây dựng nếp sống văn minh.")]),
        ("Tổ chức thực hiện", [("Hiệu lực", "Có hiệu lực từ ngày ký.")]),
    ]
    assert page.tree.topLevelItem(1).text(0) == "Chương II. Tổ chức thực hiện"
    assert page.tree.topLevelItem(1).child(0).text(0) == "Điều 3. Hiệu lực"  # numbered across chapters


def test_edit_body_saved_after_idle_and_undo(qtbot, ctx, page):
    _ch1, _ch2, a1, _a2, _a3 = _filled(page)
    assert page.select_item(ARTICLE, a1)
    page.article_body_edit.setPlainText("Áp dụng cho công chức, viên chức và người lao động.")
    qtbot.waitUntil(lambda: _outline(ctx)[0][1][0][1] == "Áp dụng cho công chức, viên chức và người lao động.", timeout=5000)
    ctx.undo_stack.undo()
    assert _outline(ctx)[0][1][0][1] == "Áp dụng cho toàn thể công chức."
    assert page.article_body_edit.toPlainText() == "Áp dụng cho toàn thể công chức."
    ctx.undo_stack.redo()
    assert _outline(ctx)[0][1][0][1] == "Áp dụng cho công chức, viên chức và người lao động."


def test_switching_article_saves_pending_body(qtbot, ctx, page):
    _ch1, _ch2, a1, a2, _a3 = _filled(page)
    page.select_item(ARTICLE, a1)
    page.article_body_edit.setPlainText("Sửa dở rồi chuyển sang điều khác")
    page.select_item(ARTICLE, a2)
    assert _outline(ctx)[0][1][0][1] == "Sửa dở rồi chuyển sang điều khác"


def test_rename_article_and_chapter_from_editor(qtbot, ctx, page):
    ch1, _ch2, a1, _a2, _a3 = _filled(page)
    page.select_item(ARTICLE, a1)
    page.article_title_edit.setText("Phạm vi, đối tượng áp dụng")
    page.article_title_edit.editingFinished.emit()
    page.select_item(CHAPTER, ch1)
    page.chapter_title_edit.setText("Quy định chung")
    page.chapter_title_edit.editingFinished.emit()
    assert _outline(ctx)[0][0] == "Quy định chung"
    assert _outline(ctx)[0][1][0][0] == "Phạm vi, đối tượng áp dụng"


def test_empty_title_refused(qtbot, ctx, page, errors):
    ch1, *_ = _filled(page)
    page.select_item(CHAPTER, ch1)
    page.chapter_title_edit.setText("")
    page.chapter_title_edit.editingFinished.emit()
    assert len(errors) == 1
    assert _outline(ctx)[0][0] == "Những quy định chung"
    assert page.chapter_title_edit.text() == "Những quy định chung"


def test_move_article_and_chapter_with_undo(qtbot, ctx, page):
    ch1, ch2, a1, a2, _a3 = _filled(page)
    page.select_item(ARTICLE, a2)
    assert page.up_button.isEnabled() and not page.down_button.isEnabled()
    page.up_button.click()
    assert [t for t, _b in _outline(ctx)[0][1]] == ["Mục đích", "Phạm vi áp dụng"]
    page.select_item(CHAPTER, ch2)
    page.up_button.click()
    assert [t for t, _a in _outline(ctx)] == ["Tổ chức thực hiện", "Những quy định chung"]
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert [t for t, _a in _outline(ctx)] == ["Những quy định chung", "Tổ chức thực hiện"]
    assert [t for t, _b in _outline(ctx)[0][1]] == ["Phạm vi áp dụng", "Mục đích"]


def test_delete_chapter_undo_restores_articles_and_later_edits_still_apply(qtbot, ctx, page):
    ch1, _ch2, a1, _a2, _a3 = _filled(page)
    before = _outline(ctx)
    page.update_article(a1, body="Nội dung đã sửa")
    assert page.delete_chapter(ch1)
    assert [t for t, _a in _outline(ctx)] == ["Tổ chức thực hiện"]
    ctx.undo_stack.undo()  # chapter back, in first place, with its articles (new ids)
    assert _outline(ctx)[0] == ("Những quy định chung", [("Phạm vi áp dụng", "Nội dung đã sửa"), ("Mục đích", "Xây dựng nếp sống văn minh.")])
    ctx.undo_stack.undo()  # the body edit finds the re-created article
    assert _outline(ctx) == before
    ctx.undo_stack.redo()
    ctx.undo_stack.redo()
    assert [t for t, _a in _outline(ctx)] == ["Tổ chức thực hiện"]


def test_delete_article_undo_restores_place(qtbot, ctx, page):
    _ch1, _ch2, a1, _a2, _a3 = _filled(page)
    before = _outline(ctx)
    page.select_item(ARTICLE, a1)
    page.delete_button.click()
    assert [t for t, _b in _outline(ctx)[0][1]] == ["Mục đích"]
    ctx.undo_stack.undo()
    assert _outline(ctx) == before


def test_undo_all_then_redo_all(qtbot, ctx, page):
    _filled(page)
    full = _outline(ctx)
    while ctx.undo_stack.canUndo():
        ctx.undo_stack.undo()
    assert _outline(ctx) == []
    while ctx.undo_stack.canRedo():
        ctx.undo_stack.redo()
    assert _outline(ctx) == full


def test_header_fields_stored(qtbot, ctx, page):
    _filled(page)
    page.adopted_at_edit.setText("Hội nghị công chức năm 2026")
    page.adopted_at_edit.editingFinished.emit()
    page.update_header("adopted_on", dt.date(2026, 1, 20))
    c = content.current_convention(ctx.doc)
    assert (c.adopted_at, c.adopted_on) == ("Hội nghị công chức năm 2026", dt.date(2026, 1, 20))
    assert page.adopted_on_edit.date().toString("dd/MM/yyyy") == "20/01/2026"
    ctx.undo_stack.undo()
    assert content.current_convention(ctx.doc).adopted_on is None


def test_new_version_copies_and_old_is_read_only(qtbot, ctx, page):
    _ch1, _ch2, a1, _a2, _a3 = _filled(page)
    assert page.new_version()
    versions = content.convention_versions(ctx.doc)
    assert [v.version for v in versions] == [1, 2]
    assert [ch.title for ch in versions[1].chapters] == ["Những quy định chung", "Tổ chức thực hiện"]
    assert not ctx.undo_stack.canUndo()
    # Edit the new version; the old one stays as it was.
    new_a1 = versions[1].chapters[0].articles[0].id
    assert page.update_article(new_a1, body="Bản sửa đổi năm 2026")
    versions = content.convention_versions(ctx.doc)
    assert versions[0].chapters[0].articles[0].body == "Áp dụng cho toàn thể công chức."
    assert versions[1].chapters[0].articles[0].body == "Bản sửa đổi năm 2026"
    page.show_version(1)
    assert not page.editable
    assert not page.add_chapter_button.isEnabled()
    assert page.conv_title_edit.isReadOnly()
    assert page.add_chapter("Không được thêm") is None
    assert not page.old_banner.isHidden()
    page.show_version(None)
    assert page.editable


@pytest.mark.parametrize(("n", "text"), [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV")])
def test_roman(n, text):
    assert roman(n) == text


def test_read_only_document_shows_but_does_not_edit(qtbot, tmp_path):
    from khoiapp.db import open_document

    path = tmp_path / "chi-doc.khoi"
    doc = new_document(path, unit_name="Sở Tư pháp tỉnh Thanh Hóa", unit_type="co-quan", year=YEAR)
    cid, _ = content.new_convention_version(doc, title="Quy ước xây dựng cơ quan văn hóa")
    content.add_chapter(doc, cid, "Những quy định chung")
    doc.close()
    c = AppContext()
    c.set_document(open_document(path, read_only=True), YEAR)
    p = ConventionPage(c)
    qtbot.addWidget(p)
    assert p.tree.topLevelItemCount() == 1
    assert not p.editable and not p.add_chapter_button.isEnabled() and not p.new_version_button.isEnabled()
    c.set_document(None, None)
