"""The app's trust list: certificates whose signatures the user accepts, kept as PEM files."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from khoiapp.errors import OutputPathError, TrustListError
from khoiapp.paths import config_dir

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

log = logging.getLogger(__name__)

_PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.S)


@dataclass(frozen=True)
class TrustedCert:
    """One certificate in the trust list."""

    fingerprint_sha256: str
    subject: str
    not_after: dt.datetime
    path: Path


def trust_dir() -> Path:
    """``<config dir>/trust``; one ``<sha256>.pem`` per trusted certificate."""
    return config_dir() / "trust"


def normalise_fingerprint(text: str) -> str:
    """Lower-case hex without separators (accepts ``AB:CD:…``, spaces, upper case)."""
    return re.sub(r"[^0-9a-f]", "", text.lower())


def parse_certificates(data: bytes, source: str = "") -> list[asn1_x509.Certificate]:
    """Certificates in PEM (one or more) or DER ``data``.

    Raises:
        TrustListError: no certificate could be read.
    """
    import base64

    from asn1crypto import x509 as asn1_x509

    found: list[asn1_x509.Certificate] = []
    try:
        blocks = _PEM_RE.findall(data)
        if blocks:
            for block in blocks:
                der = base64.b64decode(b"".join(block.split()), validate=True)
                cert = asn1_x509.Certificate.load(der)
                cert.native  # parse fully now, so damage shows here and not later  # noqa: B018
                found.append(cert)
        else:
            cert = asn1_x509.Certificate.load(data)
            cert.native  # noqa: B018
            found.append(cert)
    except Exception as exc:  # noqa: BLE001 - asn1crypto raises many types for bad input
        log.debug("cannot parse certificate %s: %r", source, exc)
        found = []
    if not found:
        where = f"«{source}» " if source else ""
        raise TrustListError(
            f"Tệp {where}không phải chứng thư số dạng PEM hoặc DER (.pem, .cer, .crt, .der). "
            "Hãy chọn tệp chứng thư số (không phải tệp .p12 có khóa ký); đơn vị gửi hồ sơ có thể "
            "xuất tệp này bằng lệnh «cert export»."
        )
    return found


def subject_text(name: asn1_x509.Name) -> str:
    """``"CN — O"`` (or just CN) for display; the full name when there is no CN."""
    native = name.native
    cn, org = native.get("common_name"), native.get("organization_name")
    cn = cn[0] if isinstance(cn, list) else cn
    org = org[0] if isinstance(org, list) else org
    if cn:
        text = f"{cn} — {org}" if org and org != cn else str(cn)
    else:
        text = name.human_friendly
    return unicodedata.normalize("NFC", text)


def _describe(cert: asn1_x509.Certificate, path: Path) -> TrustedCert:
    subject = subject_text(cert.subject)
    return TrustedCert(
        fingerprint_sha256=hashlib.sha256(cert.dump()).hexdigest(),
        subject=subject,
        not_after=cert["tbs_certificate"]["validity"]["not_after"].native,
        path=path,
    )


def _load_dir() -> list[tuple[TrustedCert, asn1_x509.Certificate]]:
    d = trust_dir()
    if not d.is_dir():
        return []
    out = []
    for p in sorted(d.glob("*.pem")):
        try:
            certs = parse_certificates(p.read_bytes(), str(p))
        except (OSError, TrustListError):
            log.warning("skipping unreadable trusted certificate %s", p)
            continue
        out.append((_describe(certs[0], p), certs[0]))
    return out


def list_trusted() -> list[TrustedCert]:
    """The trusted certificates, sorted by subject."""
    return sorted((t for t, _ in _load_dir()), key=lambda t: (t.subject.casefold(), t.fingerprint_sha256))


def trusted_certs() -> list[asn1_x509.Certificate]:
    """The trusted certificates as asn1crypto objects (trust roots for verification)."""
    return [c for _, c in _load_dir()]


def _pem(cert: asn1_x509.Certificate) -> bytes:
    from asn1crypto import pem

    return pem.armor("CERTIFICATE", cert.dump())


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_trusted(cert_path: str | os.PathLike[str]) -> TrustedCert:
    """Add the (first) certificate in a PEM/DER/.cer file to the trust list; adding twice is harmless.

    Raises:
        TrustListError: the file is missing or holds no certificate.
        OutputPathError: the trust folder cannot be written.
    """
    src = Path(cert_path)
    try:
        data = src.read_bytes()
    except FileNotFoundError:
        raise TrustListError(f"Không tìm thấy tệp chứng thư số «{src}». Hãy kiểm tra lại đường dẫn.") from None
    except OSError as exc:
        raise TrustListError(f"Không đọc được tệp «{src}» ({exc.strerror}). Hãy kiểm tra quyền đọc tệp.") from None
    cert = parse_certificates(data, str(src))[0]
    fp = hashlib.sha256(cert.dump()).hexdigest()
    d = trust_dir()
    dest = d / f"{fp}.pem"
    try:
        d.mkdir(parents=True, exist_ok=True)
        if not dest.exists():
            _atomic_write(dest, _pem(cert))
    except OSError as exc:
        raise OutputPathError(
            f"Không ghi được danh sách tin cậy vào «{d}» ({exc.strerror}). "
            "Hãy kiểm tra quyền ghi thư mục cấu hình."
        ) from None
    return _describe(cert, dest)


def remove_trusted(fingerprint: str) -> None:
    """Remove a certificate by its SHA-256 fingerprint (or a unique prefix of at least 8 hex digits).

    Raises:
        TrustListError: no certificate, or more than one, matches.
    """
    want = normalise_fingerprint(fingerprint)
    if len(want) < 8:
        raise TrustListError(
            f"Dấu vân tay «{fingerprint}» quá ngắn. Hãy nhập ít nhất 8 ký tự đầu của dấu vân tay "
            "SHA-256 (xem bằng lệnh «trust list»)."
        )
    matches = [t for t in list_trusted() if t.fingerprint_sha256.startswith(want)]
    if not matches:
        raise TrustListError(
            f"Không có chứng thư nào có dấu vân tay «{fingerprint}» trong danh sách tin cậy. "
            "Xem danh sách bằng lệnh «trust list»."
        )
    if len(matches) > 1:
        raise TrustListError(
            f"Có {len(matches)} chứng thư bắt đầu bằng «{fingerprint}». Hãy nhập dấu vân tay dài hơn."
        )
    try:
        matches[0].path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise OutputPathError(
            f"Không xóa được «{matches[0].path}» ({exc.strerror}). Hãy kiểm tra quyền ghi thư mục cấu hình."
        ) from None


def export_certificate(
    p12_path: str | os.PathLike[str], password: str, out_pem: str | os.PathLike[str]
) -> TrustedCert:
    """Write the certificate (never the key) inside a .p12 file as PEM, for the receiver to trust.

    Returns a description of the written certificate (``path`` is ``out_pem``).

    Raises:
        CertificatePasswordError, CertificateFileError: see ``open_p12_signer``.
        OutputPathError: ``out_pem`` cannot be written, or is the .p12 file itself.
    """
    from cryptography.hazmat.primitives.serialization import Encoding

    from khoiapp.services.signing import load_certificate_from_p12

    src = Path(p12_path)
    out = Path(out_pem)
    if out.exists() and src.exists() and out.resolve() == src.resolve():
        raise OutputPathError("Tệp xuất trùng với tệp .p12. Hãy chọn tên khác, ví dụ «chung-thu.pem».")
    cert = load_certificate_from_p12(src, password)
    data = cert.public_bytes(Encoding.PEM)
    try:
        _atomic_write(out, data)
    except FileNotFoundError:
        raise OutputPathError(f"Thư mục «{out.parent}» không tồn tại. Hãy chọn thư mục khác.") from None
    except OSError as exc:
        raise OutputPathError(
            f"Không ghi được tệp «{out}» ({exc.strerror}). Hãy chọn thư mục có quyền ghi."
        ) from None
    return _describe(parse_certificates(data)[0], out)


# --------------------------------------------------------------------------- revocation lists (CRL)

MAX_CRL_BYTES = 20 * 1024 * 1024
_PEM_CRL_RE = re.compile(rb"-----BEGIN X509 CRL-----(.+?)-----END X509 CRL-----", re.S)


@dataclass(frozen=True)
class ImportedCrl:
    """One certificate revocation list in the trust store."""

    issuer: str
    this_update: dt.datetime
    next_update: dt.datetime | None
    revoked_count: int
    path: Path


def crl_dir() -> Path:
    """``<config dir>/trust/crl``; one ``<sha256>.crl`` (DER) per imported list."""
    return trust_dir() / "crl"


def _crl_der(data: bytes, source: str) -> bytes:
    import base64

    m = _PEM_CRL_RE.search(data)
    if m:
        try:
            return base64.b64decode(b"".join(m.group(1).split()), validate=True)
        except ValueError:
            pass
    elif data[:1] == b"\x30":
        return data
    raise TrustListError(
        f"Tệp «{source}» không phải danh sách chứng thư bị thu hồi (CRL, .crl). Hãy tải tệp CRL từ trang "
        "của nhà cung cấp chứng thư số rồi nhập lại."
    )


def _describe_crl(crl: object, path: Path) -> ImportedCrl:
    from cryptography import x509 as pyca_x509

    assert isinstance(crl, pyca_x509.CertificateRevocationList)
    cn = crl.issuer.get_attributes_for_oid(pyca_x509.NameOID.COMMON_NAME)
    return ImportedCrl(
        issuer=unicodedata.normalize("NFC", str(cn[0].value) if cn else crl.issuer.rfc4514_string()),
        this_update=crl.last_update_utc,
        next_update=crl.next_update_utc,
        revoked_count=len(crl),
        path=path,
    )


def add_crl(crl_path: str | os.PathLike[str], issuer_path: str | os.PathLike[str] | None = None) -> ImportedCrl:
    """Import a CRL into the trust store after checking it is signed by its issuer.

    The issuer is a certificate of the trust list, or ``issuer_path`` (the CA certificate the
    provider publishes next to the CRL; it is used only to check the CRL, never trusted).

    Raises:
        TrustListError: unreadable, too large, not a CRL, issuer unknown, or not signed by the issuer.
        OutputPathError: the trust folder cannot be written.
    """
    from cryptography import x509 as pyca_x509

    src = Path(crl_path)
    try:
        size = src.stat().st_size
        if size > MAX_CRL_BYTES:
            raise TrustListError(
                f"Tệp CRL «{src}» lớn {size // (1024 * 1024)} MB, vượt giới hạn {MAX_CRL_BYTES // (1024 * 1024)} MB. "
                "Hãy kiểm tra lại tệp đã tải."
            )
        data = src.read_bytes()
    except FileNotFoundError:
        raise TrustListError(f"Không tìm thấy tệp CRL «{src}». Hãy kiểm tra lại đường dẫn.") from None
    except OSError as exc:
        raise TrustListError(f"Không đọc được tệp «{src}» ({exc.strerror}). Hãy kiểm tra quyền đọc tệp.") from None
    der = _crl_der(data, str(src))
    try:
        crl = pyca_x509.load_der_x509_crl(der)
    except ValueError:
        raise TrustListError(
            f"Tệp «{src}» không phải danh sách chứng thư bị thu hồi (CRL) hợp lệ hoặc đã bị hỏng. "
            "Hãy tải lại tệp CRL từ nhà cung cấp chứng thư số."
        ) from None
    candidates = [pyca_x509.load_der_x509_certificate(c.dump()) for c in trusted_certs()]
    if issuer_path is not None:
        ip = Path(issuer_path)
        try:
            issuer_data = ip.read_bytes()
        except OSError:
            raise TrustListError(f"Không đọc được tệp chứng thư của tổ chức cấp «{ip}». Hãy kiểm tra lại đường dẫn.") from None
        candidates += [pyca_x509.load_der_x509_certificate(c.dump()) for c in parse_certificates(issuer_data, str(ip))]
    same_name = [c for c in candidates if c.subject == crl.issuer]
    if not same_name:
        raise TrustListError(
            f"Không có chứng thư của tổ chức đã phát hành CRL «{crl.issuer.rfc4514_string()}» trong danh sách "
            "tin cậy. Hãy chọn kèm tệp chứng thư của tổ chức cấp (tùy chọn --issuer) rồi nhập lại."
        )
    if not any(_crl_signed_by(crl, c) for c in same_name):
        raise TrustListError(
            f"CRL «{src.name}» không do tổ chức cấp «{crl.issuer.rfc4514_string()}» ký (chữ ký trên CRL không "
            "khớp chứng thư của tổ chức cấp). Không nhập tệp này; hãy tải lại CRL từ trang chính thức của nhà "
            "cung cấp."
        )
    d = crl_dir()
    dest = d / f"{hashlib.sha256(der).hexdigest()}.crl"
    try:
        d.mkdir(parents=True, exist_ok=True)
        if not dest.exists():
            _atomic_write(dest, der)
    except OSError as exc:
        raise OutputPathError(
            f"Không ghi được CRL vào «{d}» ({exc.strerror}). Hãy kiểm tra quyền ghi thư mục cấu hình."
        ) from None
    return _describe_crl(crl, dest)


def _crl_signed_by(crl: object, cert: object) -> bool:
    try:
        return bool(crl.is_signature_valid(cert.public_key()))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a key type that cannot have signed it
        return False


def list_crls() -> list[ImportedCrl]:
    """The imported CRLs, by issuer."""
    from cryptography import x509 as pyca_x509

    out = []
    d = crl_dir()
    for p in sorted(d.glob("*.crl")) if d.is_dir() else []:
        try:
            out.append(_describe_crl(pyca_x509.load_der_x509_crl(p.read_bytes()), p))
        except (OSError, ValueError):
            log.warning("skipping unreadable CRL %s", p)
    return sorted(out, key=lambda c: (c.issuer.casefold(), c.this_update))


def load_crls(extra: object = (), use_trust_store: bool = True) -> list[bytes]:
    """DER CRLs: the trust store's (if ``use_trust_store``) and ``extra`` (paths or bytes).

    Raises:
        TrustListError: an ``extra`` file cannot be read or is not a CRL.
    """
    out: list[bytes] = []
    d = crl_dir()
    if use_trust_store and d.is_dir():
        for p in sorted(d.glob("*.crl")):
            try:
                if p.stat().st_size <= MAX_CRL_BYTES:
                    out.append(p.read_bytes())
            except OSError:
                log.warning("skipping unreadable CRL %s", p)
    for item in extra or ():  # type: ignore[attr-defined]
        if isinstance(item, (bytes, bytearray)):
            out.append(_crl_der(bytes(item), "CRL"))
            continue
        p = Path(item)
        try:
            if p.stat().st_size > MAX_CRL_BYTES:
                raise TrustListError(f"Tệp CRL «{p}» quá lớn. Hãy kiểm tra lại tệp đã tải.")
            out.append(_crl_der(p.read_bytes(), str(p)))
        except OSError:
            raise TrustListError(f"Không đọc được tệp CRL «{p}». Hãy kiểm tra lại đường dẫn.") from None
    return out
