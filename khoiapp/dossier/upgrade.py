"""Older payload versions brought to the current one; a newer one is refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from khoiapp.dossier.limits import PAYLOAD_NAME, SCHEMA_ID, SCHEMA_VERSION
from khoiapp.errors import DossierError, DossierTooNewError

__all__ = ["PAYLOAD_UPGRADES", "upgrade_payload"]

PAYLOAD_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""Upgrade steps of older payloads: ``PAYLOAD_UPGRADES[n]`` turns a version-``n`` payload into
version ``n + 1`` (and sets its ``schema``). Version 1 is the first, so the table is empty; a
format change adds the step for the version it replaces."""

_SCHEMA_RE = re.compile(r"^" + re.escape(SCHEMA_ID) + r"/([0-9]{1,6})$")


def upgrade_payload(obj: Any) -> dict[str, Any]:
    """Bring a parsed payload to the current format version.

    Raises:
        DossierError: not a Khối payload, or a version too old to upgrade.
        DossierTooNewError: written by a newer Khối (the user must update the app).
    """
    schema = obj.get("schema") if isinstance(obj, dict) else None
    m = _SCHEMA_RE.match(schema) if isinstance(schema, str) else None
    if not isinstance(obj, dict) or m is None:
        shown = schema if isinstance(schema, str) else "không có"
        raise DossierError(
            f"Tệp dữ liệu «{PAYLOAD_NAME}» trong hồ sơ không theo định dạng «{SCHEMA_ID}» (ghi: «{shown[:60]}»). "
            "Đây không phải hồ sơ do Khối xuất, hoặc dữ liệu đã bị sửa; hãy xin lại bản hồ sơ gốc."
        )
    version = int(m.group(1))
    if version > SCHEMA_VERSION:
        raise DossierTooNewError(str(schema)[:60])
    while version < SCHEMA_VERSION:
        step = PAYLOAD_UPGRADES.get(version)
        if step is None:
            raise DossierError(
                f"Hồ sơ dùng định dạng dữ liệu cũ «{SCHEMA_ID}/{version}» mà phiên bản Khối này không còn đọc "
                "được. Hãy mở hồ sơ bằng phiên bản Khối đã tạo ra nó, xuất lại, rồi nhập bản mới."
            )
        obj = step(obj)
        version += 1
    return obj
