"""App configuration shared by the window and the CLI (a small JSON file, never document data)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from khoiapp.errors import BadInputError
from khoiapp.paths import config_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppConfig:
    evidence_limit_mb: int = 100
    place_name: str = ""  # the place in "…, ngày … tháng … năm …" when the unit has none
    ui_scale: float = 1.0
    timestamp_url: str = ""  # a timestamp server for PAdES B-T (empty: B-B)
    dossier_budget_mb: int = 20  # what a reviewer receives by e-mail or chat; a larger export is warned about


def config_path() -> Path:
    return config_dir() / "caidat.json"


def load() -> AppConfig:
    path = config_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return AppConfig()
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable config %s: %s", path, exc)
        return AppConfig()
    known = {f.name for f in fields(AppConfig)}
    cfg = AppConfig()
    try:
        return replace(cfg, **{k: v for k, v in raw.items() if k in known})
    except TypeError:
        return cfg


def save(cfg: AppConfig) -> None:
    validate(cfg)
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(asdict(cfg), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def validate(cfg: AppConfig) -> None:
    if not 1 <= int(cfg.evidence_limit_mb) <= 2048:
        raise BadInputError("Giới hạn dung lượng minh chứng phải từ 1 đến 2048 MB.")
    if not 1 <= int(cfg.dossier_budget_mb) <= 2048:
        raise BadInputError("Dung lượng hồ sơ mong muốn phải từ 1 đến 2048 MB.")
    if not 0.75 <= float(cfg.ui_scale) <= 2.0:
        raise BadInputError("Tỷ lệ giao diện phải từ 75% đến 200%.")


def update(**values: Any) -> AppConfig:
    cfg = replace(load(), **values)
    save(cfg)
    return cfg
