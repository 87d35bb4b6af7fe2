"""Starting content in the window: Quy ước and code of conduct from the sample, one heading, empty dates."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from khoiapp.db import open_document
from khoiapp.services import content


def test_quy_uoc_from_the_sample_in_one_click(open_window, blank_doc_path, qtbot):
    w = open_window(blank_doc_path)
    page = w.show_page("quy-uoc")
    assert page.template_button.isVisible() and page.template_button.isEnabled()
    page.template_button.click()
    with open_document(blank_doc_path, read_only=True) as doc:
        c = content.current_convention(doc)
    assert c is not None and len(c.chapters) == 4 and c.adopted_on is None
    assert "Sở Tư pháp tỉnh Thanh Hóa" in c.chapters[0].articles[0].body
    assert page.tree.topLevelItemCount() == 4
    assert page.adopted_on_edit.is_empty()  # no date until the unit enters the conference's date


def test_code_of_conduct_sample_added_undone_and_heading_shown_once(open_window, blank_doc_path, qtbot):
    w = open_window(blank_doc_path)
    page = w.show_page("quy-tac-ung-xu")
    headings = [lab.text() for lab in page.findChildren(QLabel) if lab.text() == "Quy tắc ứng xử"]
    assert headings == ["Quy tắc ứng xử"]  # the page's heading, not repeated above the table
    button = page.conduct_template_button
    assert button.isVisible()
    button.click()
    rows = page.tables["conduct"].rows()
    assert len(rows) == len(content.CONDUCT_CATEGORIES)
    assert not button.isVisible()  # offered only while the table is empty
    assert w.act_undo.text() == "Hoàn tác thêm bộ quy tắc ứng xử mẫu"
    w.act_undo.trigger()
    with open_document(blank_doc_path, read_only=True) as doc:
        assert content.list_rows(doc, "conduct") == []
    assert button.isVisible()
