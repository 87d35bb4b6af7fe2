"""The export choices a document keeps for its next export: photos per appendix page.

Kept in the document (like the signing choice), never in app preferences: another unit's document
opened on the same computer starts from its own last choice.
"""

from __future__ import annotations

import datetime as dt

from khoiapp.db import Document
from khoiapp.errors import BadInputError
from khoiapp.models import ExportChoice
from khoiapp.services.document import Changes

PHOTOS_PER_PAGE = (2, 4, 6)
DEFAULT_PHOTOS_PER_PAGE = 4


def photos_per_page(doc: Document) -> int:
    """The photos per appendix page of this document's last export (4 for a document never exported)."""
    with doc.read() as s:
        row = s.get(ExportChoice, 1)
        n = row.photos_per_page if row is not None else DEFAULT_PHOTOS_PER_PAGE
    return n if n in PHOTOS_PER_PAGE else DEFAULT_PHOTOS_PER_PAGE


def remember_photos_per_page(doc: Document, n: int) -> Changes:
    """Keep ``n`` (2, 4 or 6) as this document's photos per appendix page."""
    if n not in PHOTOS_PER_PAGE:
        raise BadInputError("Mỗi trang phụ lục in 2, 4 hoặc 6 ảnh. Hãy chọn một trong ba số đó.")
    doc.require_writable()
    with doc.transaction() as s:
        row = s.get(ExportChoice, 1)
        if row is None:
            row = ExportChoice(id=1)
            s.add(row)
        row.photos_per_page = int(n)
        row.updated_at = dt.datetime.now().replace(microsecond=0)
    return Changes(tables=("export_choice",))
