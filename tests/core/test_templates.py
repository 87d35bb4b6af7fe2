"""Starting content: the Quy ước and the Bộ quy tắc ứng xử a unit starts from and edits."""

from __future__ import annotations

import pytest

from khoiapp.errors import BadInputError
from khoiapp.services import content, templates
from khoiapp.services.document import new_document

UNIT = "Trung tâm Văn hóa, Thông tin và Thể thao huyện Quảng Xương"


@pytest.fixture
def doc(tmp_path):
    d = new_document(tmp_path / "don-vi.khoi", unit_name=UNIT, unit_type="co-quan", year=2026)
    yield d
    d.close()


def test_convention_template_has_the_usual_four_chapters_and_no_date(doc):
    templates.convention_from_template(doc, UNIT)
    c = content.current_convention(doc)
    assert c is not None and c.version == 1 and UNIT in c.title
    assert [ch.title for ch in c.chapters] == [
        "Những quy định chung",
        "Nội dung Quy ước",
        "Khen thưởng và xử lý vi phạm",
        "Tổ chức thực hiện",
    ]
    articles = [a for ch in c.chapters for a in ch.articles]
    assert len(articles) >= 12 and all(a.title and a.body for a in articles)
    assert UNIT in articles[0].body
    assert any("Hội nghị cán bộ, công chức, viên chức" in a.body for a in c.chapters[-1].articles)
    assert c.adopted_on is None and c.adopted_at == ""


def test_conduct_template_covers_every_group_once_and_refuses_to_mix(doc):
    templates.conduct_from_template(doc)
    rows = content.list_rows(doc, "conduct")
    assert sorted(r.values["category"] for r in rows) == sorted(content.CONDUCT_CATEGORIES)
    assert all(r.values["adopted_on"] is None and "129/2007/QĐ-TTg" in r.values["source"] for r in rows)
    with pytest.raises(BadInputError, match="đã có quy tắc"):
        templates.conduct_from_template(doc)
    assert len(content.list_rows(doc, "conduct")) == len(rows)
