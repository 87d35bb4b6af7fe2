"""Fuzzing the framework parser with mutated bundled TOML files.

Property: ``parse_framework`` returns a Framework or raises FrameworkError with a Vietnamese
message naming the file, never any other exception. Examples per test: ``KHOI_FUZZ_EXAMPLES``
(``make fuzz`` sets 20,000); without it the defaults below (the fuzz tests together run more than
2,000 cases in CI).
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from khoiapp import frameworks as fwlib
from khoiapp.errors import FrameworkError

SOURCE = "bo-tieu-chi-thu.toml"
CORPUS = {p.name: p.read_bytes() for p in sorted(fwlib.frameworks_dir().glob("*.toml"))}
_KEY_AT_LINE_START = re.compile(rb"(?m)^([ \t]*)([A-Za-z_][A-Za-z0-9_-]*)([ \t]*=)")
_VALUE = re.compile(rb"(?m)(=[ \t]*)([^\n]*)$")


def examples(default: int) -> int:
    env = os.environ.get("KHOI_FUZZ_EXAMPLES")
    return int(env) if env else default


FUZZ = settings(
    max_examples=examples(1500),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Values that are valid TOML but the wrong kind, out of range or odd.
TOML_VALUES = [
    b"1", b"-1", b"0", b"1e400", b"nan", b"inf", b"-inf", b"true", b"false", b'""', b'" "', b"[]",
    b"[1, 2]", b'["x", 1]', b"{}", b'{a = 1}', b"1979-05-27", b"12:00:00", b'"\\u0000"',
    b'"\xe1\xbb\x87"', b"0.5", b"100.1", b"101", b"-0.0", b"3.14159", b'"co-quan"', b'"addon"',
    b'"yesno"', b'"points"', b"99999999999999999999", b'"' + b"a" * 300 + b'"',
]
KEY_NAMES = [
    b"id", b"code", b"title", b"kind", b"threshold", b"max_points", b"points", b"mandatory",
    b"min_evidence", b"role", b"requires", b"applies_to", b"legal_basis", b"version",
    b"all_mandatory", b"min_points", b"min_met_share", b"guidance", b"titel", b"Kind", b"x",
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(CORPUS[draw(st.sampled_from(sorted(CORPUS)))])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(
            st.sampled_from(
                ["flip", "byte", "truncate", "rename", "value", "drop_line", "dup_line", "swap_lines", "insert"]
            )
        )
        if not data:
            break
        if op == "flip":
            i = draw(st.integers(0, len(data) - 1))
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte":
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[draw(st.integers(0, len(data) - 1)) :]
        elif op == "rename":
            keys = list(_KEY_AT_LINE_START.finditer(data))
            if keys:
                m = draw(st.sampled_from(keys))
                new = draw(st.sampled_from(KEY_NAMES) | st.binary(min_size=1, max_size=8))
                data[m.start(2) : m.end(2)] = new
        elif op == "value":
            values = list(_VALUE.finditer(data))
            if values:
                m = draw(st.sampled_from(values))
                data[m.start(2) : m.end(2)] = draw(st.sampled_from(TOML_VALUES))
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            if op == "drop_line":
                del lines[i]
            elif op == "dup_line":
                lines.insert(i, lines[i])
            elif op == "swap_lines":
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(
                    i,
                    draw(
                        st.sampled_from([b"[[group]]", b"[[group.criterion]]", b"[framework]", b"[pass_rule]", b"[x]"])
                        | st.binary(max_size=40)
                    ),
                )
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def check(data: bytes) -> None:
    try:
        fw = fwlib.parse_framework(data, SOURCE)
    except FrameworkError as exc:
        event("refused: " + ("not UTF-8" if "UTF-8" in exc.problem else "TOML syntax" if "cú pháp" in exc.problem
                             else "checks"))
        assert f"«{SOURCE}»" in exc.message, exc.message
        assert exc.message.startswith("Tệp bộ tiêu chí"), exc.message
        assert "Hãy sửa tệp" in exc.message
        return
    event("parsed")
    assert fw.groups and all(g.criteria for g in fw.groups)
    assert fw.criteria()


@pytest.mark.slow
@FUZZ
@given(mutated())
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"a = " + b"[" * 5000 + b"]" * 5000)
@example(b"a = " + b"{b=" * 3000 + b"}" * 3000)
@example(CORPUS["tt08-co-quan-don-vi.toml"].replace(b"[pass_rule]", b"[pass_rule]\nmin_points = 1e400"))
def test_mutated_framework_parses_or_fails_with_a_message(data: bytes) -> None:
    check(data)


def test_unmutated_corpus_parses() -> None:
    for name, data in CORPUS.items():
        assert fwlib.parse_framework(data, name).key == name.removesuffix(".toml")
