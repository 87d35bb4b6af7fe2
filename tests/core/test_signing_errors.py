"""Both signing runs (export signing and countersigning by role) turn pyHanko, PKCS#11 and network
failures into the same user errors, with the same words, and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from khoiapp.errors import KhoiError, SigningError, TimestampError, TokenError, TokenPinError
from khoiapp.services.signing import ROLE_CHAIR, open_p12_signer, sign_pdf_file
from tests.pki3 import UNIT, Pki3, pki3  # noqa: F401 - fixtures
from tests.softhsm import build_dossier

TSA = "http://tsa.khong-toi-duoc.invalid/tsr"


def _failures() -> list[tuple[str, BaseException, type[KhoiError], str]]:
    import aiohttp
    from pkcs11 import exceptions as p11e
    from pyhanko.sign.general import SigningError as PyHankoSigningError

    return [
        ("pyhanko", PyHankoSigningError("chữ ký bị từ chối"), SigningError, "Không ký được hồ sơ (chữ ký bị từ chối)"),
        ("token-pulled", p11e.DeviceRemoved(), TokenError, "USB token báo lỗi khi ký (DeviceRemoved)"),
        ("wrong-pin", p11e.PinIncorrect(), TokenPinError, ""),
        ("network", aiohttp.ClientConnectionError("không kết nối được"), TimestampError, ""),
    ]


@pytest.mark.parametrize("case", range(4), ids=["pyhanko", "token-pulled", "wrong-pin", "network"])
def test_both_signing_runs_say_the_same(case: int, pki3: Pki3, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    from pyhanko.sign import signers

    _name, exc, kind, words = _failures()[case]

    def refuse(self, *args, **kwargs):
        raise exc

    monkeypatch.setattr(signers.PdfSigner, "sign_pdf", refuse)
    src = build_dossier(tmp_path / "ho-so.pdf", payload_extra={"unit": {"name": UNIT}})
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    messages = []
    for role_kw in ({}, {"role": ROLE_CHAIR}):  # export signing, then countersigning by role
        with open_p12_signer(pki3.chair.p12, pki3.password) as h, pytest.raises(kind) as err:
            sign_pdf_file(src, out_dir / "ky.pdf", h, unit_name=UNIT, timestamp_url=TSA, **role_kw)
        messages.append(err.value.message)
    assert messages[0] == messages[1]
    assert words in messages[0]
    if kind is not TokenPinError:
        assert "Hãy" in messages[0]  # says what to do next
    if kind in (SigningError, TokenError):
        assert "Chưa có tệp nào được ghi" in messages[0]
    assert list(out_dir.iterdir()) == []
