"""Test fixtures for signing: a throwaway PKI, a SoftHSM2 token and a dossier-like PDF.

Tests import the fixtures they use, e.g.::

    from tests.softhsm import pki, softhsm_token  # noqa: F401

Keys are RSA 2048 and made once per test session. The SoftHSM2 token lives in a temporary
folder; ``SOFTHSM2_CONF`` is set once per process because the PKCS#11 library reads it only
when it is first loaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from khoiapp.dossier.limits import PAYLOAD_NAME, SCHEMA
from tests.tools import require_file, require_tool

SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"
P12_PASSWORD = "mật khẩu thử 123"
SIGNER_ORG = "Trung tâm Dịch vụ Văn hóa tỉnh Thanh Hóa"
UTC = dt.timezone.utc


# --------------------------------------------------------------------------- PKI


def make_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _name(cn: str, org: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"))
    return x509.Name(attrs)


def make_cert(
    cn: str,
    key: rsa.RSAPrivateKey,
    *,
    issuer_cert: x509.Certificate | None = None,
    issuer_key: rsa.RSAPrivateKey | None = None,
    org: str | None = None,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    digital_signature: bool = True,
    non_repudiation: bool = True,
    ca: bool = False,
) -> x509.Certificate:
    """A certificate for ``key``; self-signed unless an issuer is given."""
    now = dt.datetime.now(UTC)
    not_before = not_before or now - dt.timedelta(days=1)
    not_after = not_after or now + dt.timedelta(days=365)
    subject = _name(cn, org)
    issuer = issuer_cert.subject if issuer_cert is not None else subject
    signing_key = issuer_key or key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=digital_signature or ca,
                content_commitment=non_repudiation and not ca,
                key_encipherment=not (digital_signature or non_repudiation or ca),
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    return builder.sign(signing_key, hashes.SHA256())


def write_p12(
    path: Path,
    key: rsa.RSAPrivateKey,
    cert: x509.Certificate,
    chain: list[x509.Certificate] | None = None,
    password: str = P12_PASSWORD,
) -> Path:
    data = pkcs12.serialize_key_and_certificates(
        b"key",
        key,
        cert,
        chain or None,
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )
    path.write_bytes(data)
    return path


def write_pem(path: Path, cert: x509.Certificate) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


@dataclass(frozen=True)
class Pki:
    """A test CA, a signer it issued (as .p12) and a second, unrelated signer."""

    dir: Path
    ca_key: rsa.RSAPrivateKey
    ca_cert: x509.Certificate
    ca_pem: Path
    signer_key: rsa.RSAPrivateKey
    signer_cert: x509.Certificate
    signer_p12: Path
    other_key: rsa.RSAPrivateKey
    other_cert: x509.Certificate
    other_p12: Path
    other_pem: Path
    password: str = P12_PASSWORD


def build_pki(base: Path) -> Pki:
    base.mkdir(parents=True, exist_ok=True)
    ca_key = make_key()
    ca_cert = make_cert("Khối Test Root CA", ca_key, org="Khối Test", ca=True)
    signer_key = make_key()
    # the demo document's unit: dossiers exported from the demo are signed for their own unit
    signer_cert = make_cert(
        "Nguyễn Thị Ánh", signer_key, issuer_cert=ca_cert, issuer_key=ca_key, org=SIGNER_ORG
    )
    other_key = make_key()
    other_cert = make_cert("Người Lạ", other_key, org="Đơn vị khác")
    return Pki(
        dir=base,
        ca_key=ca_key,
        ca_cert=ca_cert,
        ca_pem=write_pem(base / "ca.pem", ca_cert),
        signer_key=signer_key,
        signer_cert=signer_cert,
        signer_p12=write_p12(base / "signer.p12", signer_key, signer_cert, [ca_cert]),
        other_key=other_key,
        other_cert=other_cert,
        other_p12=write_p12(base / "other.p12", other_key, other_cert),
        other_pem=write_pem(base / "other.pem", other_cert),
    )


_PKI: Pki | None = None


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    global _PKI
    if _PKI is None:
        _PKI = build_pki(tmp_path_factory.mktemp("pki"))
    return _PKI


# --------------------------------------------------------------------------- SoftHSM2


@dataclass(frozen=True)
class SoftHsmToken:
    lib_path: str
    token_label: str
    key_label: str
    pin: str
    so_pin: str
    conf: Path

    def __iter__(self):  # type: ignore[no-untyped-def]
        """Unpack as ``(lib_path, token_label, key_label, pin)``."""
        return iter((self.lib_path, self.token_label, self.key_label, self.pin))


def _run(*args: str) -> None:
    proc = subprocess.run(args, capture_output=True, text=True, env=os.environ.copy())
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr or proc.stdout}")


def build_softhsm_token(
    base: Path,
    key: rsa.RSAPrivateKey,
    cert: x509.Certificate,
    *,
    token_label: str = "Khoi Test Token",
    key_label: str = "khoi-signing-key",
    pin: str = "246810",
    so_pin: str = "13579135",
) -> SoftHsmToken:
    """Make a SoftHSM2 token in ``base`` holding ``key`` and ``cert`` under ``key_label``.

    Sets ``SOFTHSM2_CONF`` in ``os.environ``; call it before the PKCS#11 library is first loaded.
    """
    tokens = base / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = base / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n",
        encoding="utf-8",
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    key_pem = base / "key.pem"
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert_der = base / "cert.der"
    cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    _run("softhsm2-util", "--init-token", "--free", "--label", token_label, "--so-pin", so_pin, "--pin", pin)
    _run(
        "softhsm2-util", "--import", str(key_pem), "--token", token_label,
        "--label", key_label, "--id", "01", "--pin", pin,
    )  # fmt: skip
    _run(
        "pkcs11-tool", "--module", SOFTHSM_LIB, "--token-label", token_label, "--login", "--pin", pin,
        "--write-object", str(cert_der), "--type", "cert", "--id", "01", "--label", key_label,
    )  # fmt: skip
    key_pem.unlink()  # the key now lives only on the token
    return SoftHsmToken(SOFTHSM_LIB, token_label, key_label, pin, so_pin, conf)


_TOKEN: SoftHsmToken | None = None


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> SoftHsmToken:
    """A SoftHSM2 token with an RSA 2048 key and a certificate issued by the test CA.

    Unpacks as ``(lib_path, token_label, key_label, pin)``. Built once per process.
    """
    global _TOKEN
    require_tool("softhsm2-util")
    require_tool("pkcs11-tool")
    require_file(SOFTHSM_LIB)
    if _TOKEN is None:
        key = make_key()
        cert = make_cert(
            "Trần Văn Bình", key, issuer_cert=pki.ca_cert, issuer_key=pki.ca_key, org="UBND xã Yên Hòa"
        )
        _TOKEN = build_softhsm_token(tmp_path_factory.mktemp("softhsm"), key, cert)
    return _TOKEN


# --------------------------------------------------------------------------- dossier PDF


EVIDENCE = {
    "bien-ban-hop.txt": "Biên bản họp chi bộ tháng 3: đủ 15/15 đảng viên.\n".encode(),
    "quy-uoc.txt": "Quy ước văn hóa công sở, ban hành ngày 02/01/2025.\n".encode(),
}


def build_dossier(
    path: Path,
    evidence: dict[str, bytes] | None = None,
    **kw: Any,
) -> Path:
    """Write an unsigned dossier-like PDF: one reportlab page plus payload and evidence attachments.

    Keyword arguments are those of :func:`dossier_writer`.
    """
    writer = dossier_writer(evidence, **kw)
    with open(path, "wb") as out:
        writer.write(out)
    return path


def dossier_writer(  # type: ignore[no-untyped-def]
    evidence: dict[str, bytes] | None = None,
    *,
    payload_extra: dict | None = None,
    payload_bytes: bytes | None = None,
    with_payload: bool = True,
    compress: bool = False,
):
    """An ``IncrementalPdfFileWriter`` over a one-page PDF with the payload and evidence embedded.

    ``payload_bytes`` replaces the generated payload; ``with_payload=False`` leaves it out.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    evidence = EVIDENCE if evidence is None else evidence
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(72, 770, "Dossier test page")
    c.rect(330, 60, 220, 80)
    c.showPage()
    c.save()
    files = dict(evidence)
    if with_payload:
        files[PAYLOAD_NAME] = payload_bytes if payload_bytes is not None else make_payload(evidence, payload_extra)
    buf.seek(0)
    writer = IncrementalPdfFileWriter(buf)
    for name in sorted(files):
        embed_attachment(writer, name, files[name], compress=compress)
    return writer


def make_payload(evidence: dict[str, bytes], extra: dict | None = None) -> bytes:
    manifest = [
        {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in sorted(evidence.items())
    ]
    payload = {"schema": SCHEMA, "unit": "Trường Tiểu học Đồng Xuân", "manifest": manifest}
    payload.update(extra or {})
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def embed_attachment(writer, name: str, data: bytes, *, compress: bool = False) -> None:  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils import embed, generic

    ef = embed.EmbeddedFileObject.from_file_data(writer, data, compress=compress)
    embed.embed_file(
        writer,
        embed.FileSpec(
            file_spec_string=name,
            file_name=name,
            embedded_data=ef,
            af_relationship=generic.pdf_name("/Data"),
        ),
    )


# --------------------------------------------------------------------------- poppler pdfsig


@dataclass(frozen=True)
class PdfsigResult:
    """What poppler's ``pdfsig`` printed (it exits 0 whatever it finds)."""

    text: str
    no_signature: bool
    valid: bool
    total_signed: bool
    trusted: bool
    digest_mismatch: bool


def pdfsig(path: Path, nssdir: Path | None = None) -> PdfsigResult:
    exe = require_tool("pdfsig")
    args = [exe]
    if nssdir is not None:
        args += ["-nssdir", f"sql:{nssdir}"]
    proc = subprocess.run([*args, str(path)], capture_output=True, text=True)
    text = proc.stdout + proc.stderr
    return PdfsigResult(
        text=text,
        no_signature="does not contain any signatures" in text,
        valid="Signature is Valid." in text,
        total_signed="Total document signed" in text,
        trusted="Certificate is Trusted." in text,
        digest_mismatch="Digest Mismatch." in text,
    )


def nss_db(base: Path, *certs: Path) -> Path:
    """An NSS database trusting ``certs`` (PEM files), for ``pdfsig -nssdir``."""
    exe = require_tool("certutil")
    base.mkdir(parents=True, exist_ok=True)
    _run(exe, "-N", "-d", f"sql:{base}", "--empty-password")
    for i, cert in enumerate(certs):
        _run(exe, "-A", "-d", f"sql:{base}", "-n", f"trusted-{i}", "-t", "CT,C,C", "-i", str(cert))
    return base


# --------------------------------------------------------------------------- timestamp server


@pytest.fixture(scope="session")
def tsa_url(pki: Pki):  # type: ignore[no-untyped-def]
    """URL of an RFC 3161 timestamp server on localhost, signing with a TSA cert from the test CA."""
    import http.server
    import threading

    from asn1crypto import tsp
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.sign.timestamps import DummyTimeStamper

    key = make_key()
    now = dt.datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Khối Test TSA", "Khối Test"))
        .issuer_name(pki.ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
        .sign(pki.ca_key, hashes.SHA256())
    )
    stamper = DummyTimeStamper(
        tsa_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        tsa_key=translate_pyca_cryptography_key_to_asn1(key),
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            resp = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(resp)))
            self.end_headers()
            self.wfile.write(resp)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()
    server.server_close()
