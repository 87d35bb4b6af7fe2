"""A unit certificate for a long Vietnamese unit name: X.509 names hold 64 bytes, not 64 letters."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from khoiapp.services import signing

LONG_NAME = "Trung tâm Văn hóa, Thông tin và Thể thao huyện Yên Định"  # 55 letters, 68 bytes in UTF-8


def test_certificate_for_a_name_longer_than_64_bytes_is_made_with_the_name_cut_at_a_word(tmp_path: Path) -> None:
    p12 = tmp_path / "donvi.p12"
    signing.create_unit_certificate(LONG_NAME, p12, "mật khẩu", algorithm="ecdsa")
    _key, cert, _chain = pkcs12.load_key_and_certificates(p12.read_bytes(), "mật khẩu".encode())
    assert cert is not None
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert isinstance(cn, str)
    assert len(cn.encode("utf-8")) <= 64
    assert cn == "Trung tâm Văn hóa, Thông tin và Thể thao huyện Yên"


def test_fit_name_attribute_keeps_short_names_whole() -> None:
    assert signing.fit_name_attribute("Trường Tiểu học Đồng Xuân") == "Trường Tiểu học Đồng Xuân"
    assert len(signing.fit_name_attribute("Ủy ban nhân dân " * 8).encode("utf-8")) <= 64
