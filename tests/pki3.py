"""A three-level PKI like the Vietnamese one (root → intermediate → signers), a CRL, and a token.

Root "Khối Test Root CA" (like NEAC's root) issues an intermediate "Khối Test CA cấp 2" (like a
public CA: VNPT-CA, Viettel-CA), which issues the signers: the trade-union chair (a .p12 file), the
head (on a SoftHSM2 token, with the intermediate next to it), the unit's organisation certificate
(a .p12 with ``MST:`` in its UID), a revoked signer, a signer whose certificate has since expired
and an unrelated company. The intermediate publishes a CRL listing the revoked signer; the root
publishes an empty CRL for the intermediate.

    from tests.pki3 import pki3, pki3_token  # noqa: F401
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.softhsm import P12_PASSWORD, SOFTHSM_LIB, SoftHsmToken, make_key, softhsm_token, write_p12, write_pem  # noqa: F401
from tests.tools import require_file, require_tool

UTC = dt.timezone.utc
UNIT = "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa"  # the demo document's unit
UNIT_MST = "2901234567"
OTHER_ORG = "Công ty Không Liên Quan"
UID = x509.ObjectIdentifier("0.9.2342.19200300.100.1.1")


def _name(cn: str, org: str | None = None, uid: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if uid:
        attrs.append(x509.NameAttribute(UID, uid))
    attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"))
    return x509.Name(attrs)


def _ku(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def issue(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    *,
    ca: bool = False,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    serial: int | None = None,
) -> x509.Certificate:
    now = dt.datetime.now(UTC)
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer is not None else subject)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=30))
        .not_valid_after(not_after or now + dt.timedelta(days=365 * (10 if ca else 2)))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_ku(ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        # where the issuer publishes its CRL, as every public CA's certificate says
        slug = "root" if issuer.subject == issuer.issuer else "ca-cap-2"
        b = b.add_extension(
            x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(f"http://crl.khoi-test.invalid/{slug}.crl")],
                relative_name=None, reasons=None, crl_issuer=None,
            )]),
            critical=False,
        )  # fmt: skip
    issuer_pub = issuer.public_key() if issuer is not None else key.public_key()
    b = b.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_pub),  # type: ignore[arg-type]
        critical=False,
    )
    return b.sign(issuer_key, hashes.SHA256())


def make_crl(
    issuer: x509.Certificate, issuer_key: rsa.RSAPrivateKey, revoked: list[x509.Certificate], *, when: dt.datetime
) -> bytes:
    b = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(dt.datetime.now(UTC) - dt.timedelta(days=1))
        .next_update(dt.datetime.now(UTC) + dt.timedelta(days=30))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    for cert in revoked:
        b = b.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(cert.serial_number).revocation_date(when).build()
        )
    return b.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class Signer:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    p12: Path
    pem: Path


@dataclass(frozen=True)
class Pki3:
    dir: Path
    root: x509.Certificate
    root_key: rsa.RSAPrivateKey
    root_pem: Path
    inter: x509.Certificate
    inter_key: rsa.RSAPrivateKey
    inter_pem: Path
    chair: Signer
    head: Signer
    unit: Signer
    revoked: Signer
    expired: Signer
    other: Signer
    crl: Path  # the intermediate's CRL: lists ``revoked``
    root_crl: Path  # the root's CRL for the intermediate: empty
    foreign_crl: Path  # a CRL signed by a key that is not the intermediate's
    password: str = P12_PASSWORD


def _signer(base: Path, name: str, subject: x509.Name, inter: x509.Certificate, inter_key: rsa.RSAPrivateKey,
            **kw: dt.datetime) -> Signer:
    key = make_key()
    cert = issue(subject, key, inter, inter_key, **kw)  # type: ignore[arg-type]
    return Signer(key, cert, write_p12(base / f"{name}.p12", key, cert, [inter]), write_pem(base / f"{name}.pem", cert))


def build_pki3(base: Path) -> Pki3:
    base.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(UTC)
    root_key = make_key()
    root = issue(_name("Khối Test Root CA", "Khối Test"), root_key, None, root_key, ca=True,
                 not_before=now - dt.timedelta(days=3650))
    inter_key = make_key()
    inter = issue(_name("Khối Test CA cấp 2", "Khối Test"), inter_key, root, root_key, ca=True,
                  not_before=now - dt.timedelta(days=3000))
    chair = _signer(base, "chu-tich", _name("Nguyễn Thị Hồng Nhung", UNIT), inter, inter_key)
    head = _signer(base, "thu-truong", _name("Trần Quốc Bảo", UNIT), inter, inter_key)
    unit = _signer(base, "don-vi", _name(UNIT, UNIT, f"MST:{UNIT_MST}"), inter, inter_key)
    revoked = _signer(base, "thu-hoi", _name("Lê Văn Thu Hồi", UNIT), inter, inter_key)
    expired = _signer(base, "het-han", _name(UNIT, UNIT, f"MST:{UNIT_MST}"), inter, inter_key,
                      not_before=now - dt.timedelta(days=800), not_after=now - dt.timedelta(days=30))
    other = _signer(base, "cong-ty-khac", _name(OTHER_ORG, OTHER_ORG, "MST:0100000001"), inter, inter_key)
    crl = base / "ca-cap-2.crl"
    crl.write_bytes(make_crl(inter, inter_key, [revoked.cert], when=now - dt.timedelta(days=2)))
    root_crl = base / "root.crl"
    root_crl.write_bytes(make_crl(root, root_key, [], when=now))
    foreign_crl = base / "la.crl"
    foreign_crl.write_bytes(make_crl(inter, make_key(), [revoked.cert], when=now))
    return Pki3(
        dir=base, root=root, root_key=root_key, root_pem=write_pem(base / "root.pem", root),
        inter=inter, inter_key=inter_key, inter_pem=write_pem(base / "ca-cap-2.pem", inter),
        chair=chair, head=head, unit=unit, revoked=revoked, expired=expired, other=other,
        crl=crl, root_crl=root_crl, foreign_crl=foreign_crl,
    )  # fmt: skip


_PKI3: Pki3 | None = None


@pytest.fixture(scope="session")
def pki3(tmp_path_factory: pytest.TempPathFactory) -> Pki3:
    global _PKI3
    if _PKI3 is None:
        _PKI3 = build_pki3(tmp_path_factory.mktemp("pki3"))
    return _PKI3


HEAD_KEY_LABEL = "thu-truong"
INTER_LABEL = "Khoi Test CA cap 2"


def _run(*args: str) -> None:
    proc = subprocess.run(args, capture_output=True, text=True, env=os.environ.copy())
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr or proc.stdout}")


_HEAD_TOKEN: SoftHsmToken | None = None


@pytest.fixture(scope="session")
def pki3_token(softhsm_token: SoftHsmToken, pki3: Pki3, tmp_path_factory: pytest.TempPathFactory) -> SoftHsmToken:
    """The test token with the head's key and certificate added under ``thu-truong``, and the
    intermediate CA certificate next to them (the way Vietnamese CAs ship tokens).

    Added to the one SoftHSM2 token of the process (the library reads its configuration once).
    """
    global _HEAD_TOKEN
    require_tool("softhsm2-util")
    require_tool("pkcs11-tool")
    require_file(SOFTHSM_LIB)
    if _HEAD_TOKEN is None:
        d = tmp_path_factory.mktemp("head-token")
        key_pem = d / "key.pem"
        key_pem.write_bytes(pki3.head.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        tok = softhsm_token
        _run("softhsm2-util", "--import", str(key_pem), "--token", tok.token_label,
             "--label", HEAD_KEY_LABEL, "--id", "02", "--pin", tok.pin)
        key_pem.unlink()
        for obj_id, label, cert in (("02", HEAD_KEY_LABEL, pki3.head.cert), ("03", INTER_LABEL, pki3.inter)):
            der = d / f"{obj_id}.der"
            der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
            _run("pkcs11-tool", "--module", SOFTHSM_LIB, "--token-label", tok.token_label, "--login",
                 "--pin", tok.pin, "--write-object", str(der), "--type", "cert", "--id", obj_id, "--label", label)
        _HEAD_TOKEN = SoftHsmToken(tok.lib_path, tok.token_label, HEAD_KEY_LABEL, tok.pin, tok.so_pin, tok.conf)
    return _HEAD_TOKEN
