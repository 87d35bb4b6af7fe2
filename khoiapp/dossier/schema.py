"""The payload's JSON Schema, checked within bounds: item counts first, then at most N problems.

:func:`bounds_problems` walks the schema and the payload together and checks every array's
``maxItems`` (and every string's ``maxLength``) before anything else: its cost is the number of
arrays and strings, and it stops at the first problem. Only a payload within those bounds goes to
the full validator, whose errors are taken lazily and cut at :data:`MAX_SCHEMA_ERRORS`.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import PurePath
from typing import Any

from khoiapp.dossier.limits import MAX_SCHEMA_ERRORS, PAYLOAD_NAME, SCHEMA
from khoiapp.errors import DossierError, DossierLimitError
from khoiapp.paths import resources_dir

SCHEMA_FILE = "khoi-dossier-1.schema.json"

__all__ = [
    "SCHEMA_FILE",
    "bounds_problems",
    "payload_problems",
    "schema",
    "schema_path",
    "validate_payload",
]


def schema_path() -> PurePath:
    """Where the JSON Schema of the payload is shipped."""
    return resources_dir() / "schema" / SCHEMA_FILE


@functools.lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of ``khoi-dossier/1``."""
    with open(schema_path(), encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=1)
def _validator() -> Callable[[Any], Iterator[Any]]:
    from jsonschema import Draft202012Validator

    sch = schema()
    Draft202012Validator.check_schema(sch)
    return Draft202012Validator(sch).iter_errors  # type: ignore[no-any-return]


def _where(path: list[Any]) -> str:
    return "/".join(str(x) for x in path) or "(gốc)"


def _bounds(node: Any, sch: Any, path: list[Any]) -> Iterator[str]:
    if not isinstance(sch, dict):
        return
    if isinstance(node, list):
        limit = sch.get("maxItems")
        if isinstance(limit, int) and len(node) > limit:
            yield f"{_where(path)}: có {len(node)} mục, nhiều hơn giới hạn {limit} mục"
            return
        items = sch.get("items")
        if isinstance(items, dict):
            for i, v in enumerate(node):
                yield from _bounds(v, items, [*path, i])
    elif isinstance(node, dict):
        props = sch.get("properties")
        if isinstance(props, dict):
            for k, v in node.items():
                sub = props.get(k)
                if sub is not None:
                    yield from _bounds(v, sub, [*path, k])
    elif isinstance(node, str):
        limit = sch.get("maxLength")
        if isinstance(limit, int) and len(node) > limit:
            yield f"{_where(path)}: dài {len(node)} ký tự, nhiều hơn giới hạn {limit} ký tự"
    # oneOf/anyOf branches: every candidate branch is walked (a value must fit each one it may be)
    for key in ("oneOf", "anyOf", "allOf"):
        branches = sch.get(key)
        if isinstance(branches, list):
            fitting = [b for b in branches if _type_fits(node, b)]
            if len(fitting) == 1 or key == "allOf":
                for b in fitting:
                    yield from _bounds(node, b, path)


def _type_fits(node: Any, sch: Any) -> bool:
    if not isinstance(sch, dict):
        return False
    t = sch.get("type")
    if t is None:
        return True
    types = t if isinstance(t, list) else [t]
    py = {
        "object": dict,
        "array": list,
        "string": str,
        "null": type(None),
        "boolean": bool,
        "integer": int,
        "number": (int, float),
    }
    return any(isinstance(node, py[x]) for x in types if x in py)  # type: ignore[arg-type]


def bounds_problems(obj: Any, limit: int = 1) -> list[str]:
    """The first ``limit`` item-count (``maxItems``) or length (``maxLength``) violations of ``obj``.

    Cost: one step per array, object member and string of ``obj``, never more; stops at ``limit``.
    """
    return list(itertools.islice(_bounds(obj, schema(), []), limit))


def payload_problems(obj: Any, limit: int = MAX_SCHEMA_ERRORS) -> list[str]:
    """Schema violations of ``obj`` as short lines ``path: message`` (at most ``limit``).

    Item counts are checked first (:func:`bounds_problems`); the full validator runs only on a
    payload within them and stops after ``limit`` problems.
    """
    first = bounds_problems(obj)
    if first:
        return first
    out: list[str] = []
    errors = sorted(
        itertools.islice(_validator()(obj), limit), key=lambda e: [str(x) for x in e.absolute_path]
    )
    for err in errors:
        where = _where(list(err.absolute_path))
        out.append(f"{where}: {err.message[:200]}")
    return out


def validate_payload(obj: Any) -> None:
    """Raise unless ``obj`` fits the schema (Vietnamese, listing the first problems).

    Raises:
        DossierLimitError: an array with more items (or a string longer) than the schema allows.
        DossierError: any other schema violation.
    """
    first = bounds_problems(obj)
    if first:
        raise DossierLimitError(
            f"Dữ liệu máy đọc ({PAYLOAD_NAME}) trong hồ sơ vượt giới hạn của định dạng {SCHEMA}: "
            + first[0]
            + ". Hồ sơ có thể được tạo bằng phần mềm khác hoặc đã bị làm giả; hãy xin lại bản hồ sơ gốc."
        )
    problems = payload_problems(obj)
    if problems:
        raise DossierError(
            f"Dữ liệu máy đọc ({PAYLOAD_NAME}) trong hồ sơ không đúng định dạng {SCHEMA}: "
            + "; ".join(problems[:10])
            + ". Hồ sơ có thể được tạo bằng phần mềm khác hoặc đã bị sửa; hãy xin lại bản hồ sơ gốc."
        )
