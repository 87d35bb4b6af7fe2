"""Parsing payload bytes within the format's limits: size, nesting and value count checked first.

The checks run on the bytes at C speed (regular expressions, ``bytes.count``) before
:func:`json.loads` builds anything, so a small file holding millions of tiny items (``[{},{},…]``)
is refused in time and memory proportional to its bytes, not to the objects it would become.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from khoiapp.dossier.limits import MAX_JSON_DEPTH, MAX_JSON_VALUES, MAX_PAYLOAD_BYTES, PAYLOAD_NAME
from khoiapp.errors import DossierError, DossierLimitError

log = logging.getLogger(__name__)

__all__ = ["json_depth", "json_shape", "parse_json"]

# A JSON string (unrolled loop: linear, no backtracking blow-up) - removed before counting brackets.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_EMPTY_PAIR = re.compile(rb"\[\]|\{\}")
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b"[]{},")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


def _count(n: int) -> str:
    """Vietnamese thousands separator: 1.000.000."""
    return f"{n:,}".replace(",", ".")


def _structure(data: bytes) -> bytes:
    """The brackets and commas of JSON text outside its strings."""
    return _JSON_STRING.sub(b"", data).translate(None, _NOT_STRUCTURE)


def _depth_of(brackets: bytes, limit: int) -> int:
    depth = 0
    rest = brackets
    while rest:
        peeled = _EMPTY_PAIR.sub(b"", rest)
        if peeled == rest:
            break
        rest = peeled
        depth += 1
        if depth > limit:
            return limit + 1
    return depth


def json_shape(data: bytes, depth_limit: int = MAX_JSON_DEPTH) -> tuple[int, int]:
    """(nesting depth, number of array items and object members) of JSON text, without parsing it.

    Strings are removed first (brackets and commas inside them do not count). The value count is
    commas plus containers plus one: every array item and object member but the first of its
    container follows a comma, so items are commas plus non-empty containers. Depth stops at
    ``depth_limit + 1``.
    """
    structure = _structure(data)
    containers = structure.count(b"[") + structure.count(b"{")
    empty = structure.count(b"[]") + structure.count(b"{}")
    values = structure.count(b",") + containers - empty
    if values > MAX_JSON_VALUES:
        return 0, values  # refused anyway; do not spend time peeling millions of pairs
    return _depth_of(structure.translate(None, b","), depth_limit), values


def json_depth(data: bytes, limit: int = MAX_JSON_DEPTH) -> int:
    """Nesting depth of the arrays/objects in JSON text (``limit + 1`` once past ``limit``)."""
    return _depth_of(_JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKET), limit)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def _too_long_number(text: str) -> Any:
    if len(text) > 40:
        raise ValueError("number too long")
    return int(text)


def _too_long_float(text: str) -> Any:
    if len(text) > 40:
        raise ValueError("number too long")
    return float(text)


def parse_json(
    data: bytes,
    *,
    max_depth: int = MAX_JSON_DEPTH,
    max_bytes: int = MAX_PAYLOAD_BYTES,
    max_values: int = MAX_JSON_VALUES,
) -> Any:
    """Parse payload bytes: UTF-8, at most ``max_bytes``, nesting at most ``max_depth``, at most
    ``max_values`` values, all checked before parsing.

    Duplicate keys, ``NaN``/``Infinity`` and absurdly long numbers are refused.

    Raises:
        DossierLimitError: too large, too deeply nested or too many values.
        DossierError: not valid UTF-8 JSON.
    """
    if len(data) > max_bytes:
        raise DossierLimitError(
            f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» lớn {_mb(len(data))}, vượt giới hạn {_mb(max_bytes)} "
            "của định dạng hồ sơ Khối. Hồ sơ có thể đã bị làm giả; hãy xin lại bản hồ sơ gốc."
        )
    depth, values = json_shape(data, max_depth)
    if values > max_values:
        raise DossierLimitError(
            f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» có khoảng {_count(values)} mục dữ liệu, vượt giới hạn "
            f"{_count(max_values)} mục của định dạng hồ sơ Khối. Hồ sơ có thể đã bị làm giả; "
            "hãy xin lại bản hồ sơ gốc."
        )
    if depth > max_depth:
        raise DossierLimitError(
            f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» lồng nhau quá {max_depth} tầng, vượt giới hạn của định "
            "dạng hồ sơ Khối. Hồ sơ có thể đã bị làm giả; hãy xin lại bản hồ sơ gốc."
        )
    try:
        text = data.decode("utf-8")
        return json.loads(
            text,
            parse_constant=_no_constants,
            object_pairs_hook=_no_duplicates,
            parse_int=_too_long_number,
            parse_float=_too_long_float,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        log.info("payload is not valid JSON: %s", exc)
        raise DossierError(
            f"Tệp dữ liệu hồ sơ «{PAYLOAD_NAME}» bị hỏng (không phải JSON hợp lệ). "
            "Hãy xin lại bản hồ sơ gốc từ đơn vị."
        ) from None
