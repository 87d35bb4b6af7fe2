"""Shared test setup: no test touches the real home folder; Qt runs offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path_factory.mktemp("khoi-home")
    monkeypatch.setenv("KHOI_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("KHOI_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("KHOI_EVIDENCE_LIMIT_MB", raising=False)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo document built once per test session; copy it with ``demo_copy``."""
    from khoiapp.services.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.khoi"
    build_demo(path, year=2026)
    return path


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "demo.khoi"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture(scope="session")
def realistic_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A realistic unit's document (tests/fixtures/realistic.py), built once per test session."""
    from tests.fixtures.realistic import build_realistic

    return build_realistic(tmp_path_factory.mktemp("realistic") / "that-unit.khoi", year=2026)


@pytest.fixture(scope="session")
def bloc30(tmp_path_factory: pytest.TempPathFactory) -> object:
    """30 units' signed dossiers over 2021–2023 and the bloc's unit list (tests/bloc_data.py), built once."""
    from tests import bloc_data

    root = tmp_path_factory.mktemp("khoi-30")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHOI_DATA_DIR", str(root / "data"))
        mp.setenv("KHOI_CONFIG_DIR", str(root / "config"))
        return bloc_data.build_bloc(root)
