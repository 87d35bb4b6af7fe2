"""Fuzz every reader of outside files under a memory cap: an exhaustion fails the test, not the machine.

Each target of :mod:`tests.fuzz_targets` runs in its own child process limited to 1.5 GB of
address space (``resource.setrlimit``) and 120 s of CPU; the four run side by side. Together they
feed more than 2,000 structurally mutated files per CI run; ``KHOI_FUZZ_EXAMPLES`` (``make fuzz``)
multiplies the cases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEMORY_MB = 1536
CASES = {"payload": 350, "dossier": 120, "khoi": 400, "framework": 1200}


def _scale() -> float:
    env = os.environ.get("KHOI_FUZZ_EXAMPLES")
    return max(1.0, int(env) / 1000) if env else 1.0


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="the memory cap needs setrlimit")
def test_every_reader_survives_structural_mutations_under_a_memory_cap(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "KHOI_DATA_DIR": str(tmp_path / "data"),
        "KHOI_CONFIG_DIR": str(tmp_path / "config"),
    }
    seed = int(os.environ.get("KHOI_FUZZ_SEED", "2026"))
    procs = {
        target: subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz_targets", target, str(int(n * _scale())), str(seed), str(MEMORY_MB)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for target, n in CASES.items()
    }
    results = {}
    for target, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{target}: exit {proc.returncode} (memory or CPU cap reached?)\n{err[-3000:]}"
        results[target] = json.loads(out.strip().splitlines()[-1])
    for target, r in results.items():
        assert r["failures"] == [], f"{target}: {r['failures']}"
        assert r["refused"] > 0 and r["accepted"] > 0, r  # the mutations reach both outcomes
    assert sum(r["cases"] for r in results.values()) >= 2000
