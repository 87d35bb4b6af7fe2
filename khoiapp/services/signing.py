"""Signing dossier PDFs: signers from .p12 files and PKCS#11 tokens, unit certificates, PAdES signing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from khoiapp.errors import (
    BadInputError,
    CertificateFileError,
    CertificatePasswordError,
    CertificateRejectedError,
    DossierError,
    OutputPathError,
    SigningError,
    TimestampError,
    TokenError,
    TokenKeyNotFoundError,
    TokenLibraryError,
    TokenNotFoundError,
    TokenPinError,
)
from khoiapp.paths import resources_dir

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509 as pyca_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.signers import Signer

log = logging.getLogger(__name__)
# "fetching is not allowed" is the point: Khối works offline with the CRLs the user imported
logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)

FIELD_NAME = "KhoiSignature"
DEFAULT_REASON = "Ký hồ sơ tự đánh giá"
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256
VN_TZ = dt.timezone(dt.timedelta(hours=7))

_STAMP_FONT = "KhoiStampSerif"
_STAMP_FONT_BOLD = "KhoiStampSerif-Bold"
_STAMP_COLOR = (0.72, 0.0, 0.0)  # the red Vietnamese digital-signature stamps use


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# --------------------------------------------------------------------------- signer info


@dataclass(frozen=True)
class SignerInfo:
    """What the user sees about a signing certificate."""

    subject_name: str
    organisation: str | None
    issuer: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    fingerprint_sha256: str
    key_desc: str


@dataclass(frozen=True)
class SignerHandle:
    """An open signer: ``signer`` is a pyHanko ``Signer``, ``info`` describes its certificate."""

    signer: Signer
    info: SignerInfo


def _as_asn1(cert: Any) -> asn1_x509.Certificate:
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509 as pyca_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    if isinstance(cert, asn1_x509.Certificate):
        return cert
    if isinstance(cert, pyca_x509.Certificate):
        return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    if isinstance(cert, (bytes, bytearray)):
        return asn1_x509.Certificate.load(bytes(cert))
    raise TypeError(f"not a certificate: {type(cert)!r}")


def _name_attr(name: asn1_x509.Name, attr: str) -> str | None:
    value = name.native.get(attr)
    if isinstance(value, list):
        value = value[0] if value else None
    return _nfc(str(value)) if value else None


def key_description(cert: Any) -> str:
    """``"RSA 3072 bit"``, ``"ECDSA P-256"`` and so on."""
    c = _as_asn1(cert)
    pub = c.public_key
    algo = pub.algorithm
    if algo == "rsa":
        return f"RSA {pub.bit_size} bit"
    if algo == "ec":
        curve = pub.curve[1] if pub.curve[0] == "named" else "?"
        names = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return f"ECDSA {names.get(str(curve), str(curve))}"
    return f"{algo.upper()} {pub.bit_size} bit"


def fingerprint_sha256(cert: Any) -> str:
    """Lower-case hex SHA-256 of the DER certificate."""
    return hashlib.sha256(_as_asn1(cert).dump()).hexdigest()


def signer_info(cert: Any) -> SignerInfo:
    """Describe a certificate (asn1crypto, pyca ``cryptography`` or DER bytes)."""
    c = _as_asn1(cert)
    subject = c.subject
    cn = _name_attr(subject, "common_name") or _nfc(subject.human_friendly)
    issuer = _name_attr(c.issuer, "common_name") or _nfc(c.issuer.human_friendly)
    validity = c["tbs_certificate"]["validity"]
    return SignerInfo(
        subject_name=cn,
        organisation=_name_attr(subject, "organization_name"),
        issuer=issuer,
        serial=format(c.serial_number, "x"),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        fingerprint_sha256=fingerprint_sha256(c),
        key_desc=key_description(c),
    )


def _fmt_date(d: dt.datetime) -> str:
    return d.astimezone(VN_TZ).strftime("%d/%m/%Y")


def check_certificate(cert: Any, now: dt.datetime | None = None) -> None:
    """Refuse a certificate that must not sign a dossier.

    Args:
        cert: the signer's certificate (asn1crypto, pyca ``cryptography`` or DER bytes).
        now: the signing time; defaults to the current time.

    Raises:
        CertificateRejectedError: expired, not yet valid, no digital-signature or non-repudiation
            key usage, RSA under 2048 bits, EC under 256 bits, or another key type.
    """
    c = _as_asn1(cert)
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    info = signer_info(c)
    who = f"Chứng thư số của «{info.subject_name}»"
    if now < info.not_before:
        raise CertificateRejectedError(
            f"{who} chưa có hiệu lực (có hiệu lực từ ngày {_fmt_date(info.not_before)}). "
            "Hãy kiểm tra ngày giờ của máy tính, hoặc chờ đến ngày chứng thư có hiệu lực rồi ký. "
            "Chưa có tệp nào được ghi."
        )
    if now > info.not_after:
        raise CertificateRejectedError(
            f"{who} đã hết hạn ngày {_fmt_date(info.not_after)}. Hãy gia hạn chứng thư số với nhà "
            "cung cấp, hoặc tạo chứng thư mới cho đơn vị, rồi ký lại. Chưa có tệp nào được ghi."
        )
    ku = c.key_usage_value
    if ku is not None:
        usages = set(ku.native)
        if not usages & {"digital_signature", "non_repudiation"}:
            raise CertificateRejectedError(
                f"{who} không được cấp cho mục đích ký số (thiếu quyền «digital signature» hoặc "
                "«non-repudiation»). Hãy dùng chứng thư số dành cho ký văn bản. "
                "Chưa có tệp nào được ghi."
            )
    pub = c.public_key
    algo = pub.algorithm
    if algo == "rsa":
        if pub.bit_size < MIN_RSA_BITS:
            raise CertificateRejectedError(
                f"{who} dùng khóa RSA {pub.bit_size} bit, yếu hơn mức tối thiểu {MIN_RSA_BITS} bit "
                "theo quy định hiện hành. Hãy xin cấp chứng thư số mới hoặc tạo chứng thư mới cho "
                "đơn vị. Chưa có tệp nào được ghi."
            )
    elif algo == "ec":
        if pub.bit_size < MIN_EC_BITS:
            raise CertificateRejectedError(
                f"{who} dùng khóa ECDSA {pub.bit_size} bit, yếu hơn mức tối thiểu {MIN_EC_BITS} bit "
                "theo quy định hiện hành. Hãy xin cấp chứng thư số mới hoặc tạo chứng thư mới cho "
                "đơn vị. Chưa có tệp nào được ghi."
            )
    else:
        raise CertificateRejectedError(
            f"{who} dùng loại khóa {algo.upper()}, Khối chỉ ký bằng khóa RSA hoặc ECDSA. "
            "Hãy dùng chứng thư số khác. Chưa có tệp nào được ghi."
        )


# --------------------------------------------------------------------------- .p12 files


def _load_p12(path: str | os.PathLike[str], password: str) -> tuple[Any, Any, list[Any]]:
    """(pyca key, pyca cert, pyca extra certs) from a PKCS#12 file."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise CertificateFileError(
            f"Không tìm thấy tệp chứng thư số «{p}». Hãy kiểm tra lại đường dẫn tới tệp .p12/.pfx. "
            "Chưa có tệp nào được ghi."
        ) from None
    except OSError as exc:
        raise CertificateFileError(
            f"Không đọc được tệp chứng thư số «{p}» ({exc.strerror}). Hãy kiểm tra quyền đọc tệp. "
            "Chưa có tệp nào được ghi."
        ) from None
    password = _nfc(password)
    candidates: list[bytes | None] = [password.encode("utf-8")]
    if password == "":
        candidates.append(None)
    last: Exception | None = None
    for pw in candidates:
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, pw)
            break
        except ValueError as exc:
            last = exc
    else:
        if last is not None and "deserialize" in str(last):
            raise CertificateFileError(
                f"Tệp «{p}» không phải tệp chứng thư số PKCS#12 (.p12/.pfx) hoặc đã bị hỏng. "
                "Hãy chọn đúng tệp chứng thư số có kèm khóa ký. Chưa có tệp nào được ghi."
            )
        raise CertificatePasswordError()
    if key is None or cert is None:
        raise CertificateFileError(
            f"Tệp «{p}» không chứa khóa ký kèm chứng thư số. Hãy chọn tệp .p12/.pfx có khóa bí mật. "
            "Chưa có tệp nào được ghi."
        )
    return key, cert, list(extra or [])


def _max_signature_len(cert: Any) -> int:
    pub = _as_asn1(cert).public_key
    nbytes = (pub.bit_size + 7) // 8
    if pub.algorithm == "rsa":
        return nbytes
    return 2 * (nbytes + 3) + 3  # DER SEQUENCE of two INTEGERs, each possibly with a leading zero


# RSA keys sign with RSASSA-PSS (PKCS#1 v2.1), as Vietnam's 2025 rules for signed PDFs ask;
# ECDSA keys are unaffected.
PREFER_PSS = True


@contextmanager
def open_p12_signer(path: str | os.PathLike[str], password: str) -> Iterator[SignerHandle]:
    """Open a signer from a password-protected PKCS#12 file (.p12/.pfx).

    Raises:
        CertificatePasswordError: wrong password.
        CertificateFileError: missing, unreadable, not PKCS#12, or without a private key.
    """
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class _P12Signer(SimpleSigner):
        async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
            # pyHanko signs once for real just to size the signature; a blank of the maximal
            # length does the same job without loading the key and signing twice
            if dry_run:
                return bytes(_max_signature_len(self.signing_cert))
            return self.sign_raw(data, digest_algorithm)

    key, cert, extra = _load_p12(path, password)
    asn1_cert = translate_pyca_cryptography_cert_to_asn1(cert)
    store = SimpleCertificateStore()
    store.register_multiple([translate_pyca_cryptography_cert_to_asn1(c) for c in extra])
    signer = _P12Signer(
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        signing_cert=asn1_cert,
        cert_registry=store,
        prefer_pss=PREFER_PSS,
    )
    yield SignerHandle(signer=signer, info=signer_info(asn1_cert))


# --------------------------------------------------------------------------- PKCS#11 tokens


def _token_labels(lib: Any) -> list[str]:
    labels = []
    try:
        for slot in lib.get_slots(token_present=True):
            try:
                labels.append(str(slot.get_token().label).strip())
            except Exception:  # noqa: BLE001 - a flaky slot must not hide the real message
                continue
    except Exception:  # noqa: BLE001
        return []
    return labels


def _object_labels(session: Any) -> list[str]:
    from pkcs11 import Attribute, ObjectClass

    labels: set[str] = set()
    try:
        for cls in (ObjectClass.PRIVATE_KEY, ObjectClass.CERTIFICATE):
            for obj in session.get_objects({Attribute.CLASS: cls}):
                try:
                    labels.add(str(obj[Attribute.LABEL]))
                except Exception:  # noqa: BLE001
                    continue
    except Exception:  # noqa: BLE001
        return []
    return sorted(labels)


def _complete_chain(signer: Any, cert: Any) -> None:
    """Add the issuers the token lacks from the trust list, so receivers can build the chain."""
    from khoiapp.services.tokens import chain_from_trust_list

    have = {c.dump() for c in signer.cert_registry}
    for issuer in chain_from_trust_list(cert):
        if issuer.dump() not in have:
            signer.cert_registry.register(issuer)


def _choose_padding(signer: Any) -> None:
    """RSA-PSS when the token does it; PKCS#1 v1.5 when it refuses the PSS mechanism."""
    import asyncio

    from pkcs11 import exceptions as p11e

    if not signer.prefer_pss or signer.signing_cert.public_key.algorithm != "rsa":
        return
    try:
        asyncio.run(signer.async_sign_raw(b"khoi: PSS probe", "sha256"))
    except (p11e.MechanismInvalid, p11e.MechanismParamInvalid, p11e.FunctionNotSupported) as exc:
        log.info("token refuses RSA-PSS (%s); signing with PKCS#1 v1.5", type(exc).__name__)
        signer.prefer_pss = False


def _pin_error_with_attempts(token: Any) -> TokenPinError | None:
    """After a wrong PIN: what the token says about the attempts left (PKCS#11 token flags)."""
    from pkcs11.constants import TokenFlag

    try:
        flags = token.slot.get_token().flags
    except Exception:  # noqa: BLE001 - a token that cannot say: the plain message
        return None
    if flags & TokenFlag.USER_PIN_LOCKED:
        return TokenPinError(locked=True)
    if flags & TokenFlag.USER_PIN_FINAL_TRY:
        return TokenPinError(final_try=True)
    if flags & TokenFlag.USER_PIN_COUNT_LOW:
        return TokenPinError(count_low=True)
    return None


def _pin_error(exc: BaseException) -> TokenPinError | None:
    from pkcs11 import exceptions as p11e

    if isinstance(exc, p11e.PinLocked):
        return TokenPinError(locked=True)
    if isinstance(exc, (p11e.PinIncorrect, p11e.PinInvalid, p11e.PinLenRange, p11e.PinExpired)):
        return TokenPinError()
    return None


@contextmanager
def open_pkcs11_signer(
    lib_path: str | os.PathLike[str], token_label: str, key_label: str, pin: str
) -> Iterator[SignerHandle]:
    """Open a signer on a PKCS#11 token (USB token); the session closes when the block ends.

    Args:
        lib_path: the token's PKCS#11 library (``.so``/``.dll``/``.dylib``).
        token_label: the token's label.
        key_label: the label shared by the private key and its certificate on the token.
        pin: the user PIN (never stored).

    Raises:
        TokenLibraryError, TokenNotFoundError, TokenPinError, TokenKeyNotFoundError, TokenError.
    """
    from pkcs11 import exceptions as p11e
    from pkcs11 import lib as p11_lib
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, find_token

    lib_file = Path(lib_path)
    token_label = _nfc(token_label)
    key_label = _nfc(key_label)
    if not lib_file.is_file():
        raise TokenLibraryError(lib_file, "không có tệp này")
    if not pin:
        raise TokenPinError()
    try:
        lib = p11_lib(str(lib_file))
    except (p11e.PKCS11Error, OSError) as exc:
        raise TokenLibraryError(lib_file, str(exc).split(":")[-1].strip()) from None
    try:
        token = find_token(lib.get_slots(), token_criteria=TokenCriteria(label=token_label))
    except p11e.PKCS11Error as exc:
        raise TokenError(
            f"Không đọc được danh sách USB token ({type(exc).__name__}). Hãy rút token ra, cắm lại "
            "rồi thử lại. Chưa có tệp nào được ghi."
        ) from None
    if token is None:
        raise TokenNotFoundError(token_label, _token_labels(lib))
    try:
        session = token.open(user_pin=pin)
    except p11e.PKCS11Error as exc:
        err = _pin_error(exc)
        if isinstance(exc, p11e.PinIncorrect):
            err = _pin_error_with_attempts(token) or err
        if err is not None:
            raise err from None
        raise TokenError(
            f"Không mở được phiên làm việc với USB token «{token_label}» ({type(exc).__name__}). "
            "Hãy rút token ra, cắm lại rồi thử lại. Chưa có tệp nào được ghi."
        ) from None
    try:
        # other_certs_to_pull=None: embed every certificate on the token (the CA chain ships there)
        signer = PKCS11Signer(
            session, key_label=key_label, cert_label=key_label, prefer_pss=PREFER_PSS, other_certs_to_pull=None
        )
        try:
            cert = signer.signing_cert  # loads key and certificate now, not half-way through signing
            _complete_chain(signer, cert)
            _choose_padding(signer)
        except p11e.PKCS11Error as exc:
            if "Could not find" in str(exc) or isinstance(exc, p11e.NoSuchKey):
                raise TokenKeyNotFoundError(key_label, token_label, _object_labels(session)) from None
            if "more than one" in str(exc).lower() or isinstance(exc, p11e.MultipleObjectsReturned):
                raise TokenError(
                    f"Trên token «{token_label}» có nhiều khóa cùng nhãn «{key_label}». "
                    "Hãy đặt nhãn riêng cho khóa cần dùng. Chưa có tệp nào được ghi."
                ) from None
            raise TokenError(
                f"Không đọc được khóa ký «{key_label}» trên token «{token_label}» "
                f"({type(exc).__name__}). Hãy thử lại. Chưa có tệp nào được ghi."
            ) from None
        yield SignerHandle(signer=signer, info=signer_info(cert))
    finally:
        try:
            session.close()
        except Exception:  # noqa: BLE001 - closing a removed token can fail; nothing to do
            log.debug("closing the PKCS#11 session failed", exc_info=True)


# --------------------------------------------------------------------------- unit certificates


X509_NAME_MAX_BYTES = 64  # ub-common-name / ub-organization-name, counted in UTF-8 bytes by cryptography


def fit_name_attribute(text: str, limit: int = X509_NAME_MAX_BYTES) -> str:
    """``text`` cut to ``limit`` UTF-8 bytes at a word boundary (a Vietnamese name of 55 letters is 68 bytes)."""
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text
    while len(cut.encode("utf-8")) > limit:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;-")


def create_unit_certificate(
    unit_name: str,
    out_path: str | os.PathLike[str],
    password: str,
    *,
    years: int = 5,
    now: dt.datetime | None = None,
    algorithm: str = "rsa",
) -> SignerInfo:
    """Make a new key pair and a self-signed certificate naming the unit, saved as a .p12 file.

    Args:
        unit_name: the unit's name (CN and O of the certificate; C=VN).
        out_path: the .p12 file to create; an existing file is never overwritten.
        password: protects the .p12 file; must not be empty. Never stored.
        years: validity in years (1-20).
        now: start of validity; defaults to the current time.
        algorithm: ``"rsa"`` (RSA 3072) or ``"ecdsa"`` (ECDSA P-256).

    Raises:
        BadInputError: empty unit name or password, bad ``years`` or ``algorithm``.
        OutputPathError: the file exists or cannot be written.
    """
    from cryptography import x509 as pyca_x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    name = " ".join(_nfc(unit_name).split())
    if not name:
        raise BadInputError("Tên đơn vị đang để trống. Hãy nhập tên đơn vị để ghi vào chứng thư số.")
    if not password:
        raise BadInputError(
            "Mật khẩu bảo vệ tệp chứng thư số không được để trống. Hãy đặt một mật khẩu và ghi nhớ nó; "
            "Khối không lưu mật khẩu."
        )
    if not 1 <= years <= 20:
        raise BadInputError(f"Thời hạn {years} năm không hợp lệ. Hãy chọn từ 1 đến 20 năm.")
    if algorithm not in ("rsa", "ecdsa"):
        raise BadInputError(f"Thuật toán «{algorithm}» không hỗ trợ. Hãy chọn «rsa» hoặc «ecdsa».")
    out = Path(out_path)
    if out.exists():
        raise OutputPathError(
            f"Tệp «{out}» đã tồn tại. Khối không ghi đè tệp chứng thư số có sẵn (mất tệp này là mất "
            "khóa ký). Hãy chọn tên tệp khác."
        )
    if not out.parent.is_dir():
        raise OutputPathError(f"Thư mục «{out.parent}» không tồn tại. Hãy chọn thư mục khác để lưu tệp.")

    start = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    start = start.replace(microsecond=0) - dt.timedelta(minutes=5)  # tolerate small clock skew
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    key: Any
    if algorithm == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    # CN holds at most 64 UTF-8 bytes (a 55-letter Vietnamese name is longer): CN is cut at a word,
    # O keeps the whole name, so the verification still finds the unit's name in the certificate.
    subject = pyca_x509.Name(
        [
            pyca_x509.NameAttribute(NameOID.COMMON_NAME, fit_name_attribute(name)),
            pyca_x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            pyca_x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    cert = (
        pyca_x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(pyca_x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(pyca_x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            pyca_x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(pyca_x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(200_000)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(_nfc(password).encode("utf-8"))
    )
    data = pkcs12.serialize_key_and_certificates(name.encode("utf-8"), key, cert, None, encryption)
    try:
        # "x": never replace a file that appeared meanwhile
        with open(out, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except FileExistsError:
        raise OutputPathError(
            f"Tệp «{out}» đã tồn tại. Khối không ghi đè tệp chứng thư số có sẵn. Hãy chọn tên tệp khác."
        ) from None
    except OSError as exc:
        raise OutputPathError(
            f"Không ghi được tệp «{out}» ({exc.strerror}). Hãy chọn thư mục có quyền ghi và còn chỗ trống."
        ) from None
    return signer_info(cert)


def load_certificate_from_p12(path: str | os.PathLike[str], password: str) -> pyca_x509.Certificate:
    """The signer's certificate inside a .p12 file (the private key is dropped)."""
    _key, cert, _extra = _load_p12(path, password)
    return cert


# --------------------------------------------------------------------------- visible stamp


@dataclass(frozen=True)
class VisibleSignature:
    """Where the visible signature goes: 0-based page, box (x1, y1, x2, y2) in PDF points."""

    page: int
    box: tuple[float, float, float, float]
    signer_label: str


def _register_stamp_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    fonts_dir = resources_dir() / "fonts"
    for name, file in ((_STAMP_FONT, "NotoSerif-Regular.ttf"), (_STAMP_FONT_BOLD, "NotoSerif-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(fonts_dir / file)))


def stamp_lines(signer_label: str, unit_name: str, when: dt.datetime) -> list[str]:
    """The text of the visible signature: who signed, for which unit, when (Vietnam time)."""
    local = when.astimezone(VN_TZ)
    lines = [f"Ký số bởi: {_nfc(signer_label).strip()}"]
    unit = _nfc(unit_name).strip()
    if unit:
        lines.append(f"Đơn vị: {unit}")
    lines.append(f"Thời gian ký: {local.strftime('%d/%m/%Y %H:%M:%S')} (GMT+7)")
    return lines


def render_stamp_pdf(width: float, height: float, lines: list[str]) -> bytes:
    """A one-page PDF of exactly ``width`` × ``height`` points with the stamp text, fitted to the box."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    _register_stamp_fonts()
    pad = min(4.0, width * 0.04, height * 0.08)
    inner_w = width - 2 * pad
    inner_h = height - 2 * pad
    size = 10.0
    wrapped: list[tuple[str, str]] = []
    while True:
        wrapped = []
        for i, line in enumerate(lines):
            font = _STAMP_FONT_BOLD if i == 0 else _STAMP_FONT
            wrapped.extend((font, part) for part in simpleSplit(line, font, size, inner_w))
        if len(wrapped) * size * 1.2 <= inner_h or size <= 4.0:
            break
        size -= 0.25
    buf = io.BytesIO()
    c = canvas.Canvas(
        buf, pagesize=(width, height), invariant=1, pageCompression=1, initialFontName=_STAMP_FONT, initialFontSize=10
    )
    c.setStrokeColorRGB(*_STAMP_COLOR)
    c.setFillColorRGB(*_STAMP_COLOR)
    c.setLineWidth(0.8)
    c.rect(0.4, 0.4, width - 0.8, height - 0.8)
    block_h = len(wrapped) * size * 1.2
    y = pad + (inner_h + block_h) / 2 - size  # centre the block vertically
    for font, text in wrapped:
        c.setFont(font, size)
        c.drawString(pad, y, text)
        y -= size * 1.2
    c.showPage()
    c.save()
    return buf.getvalue()


def _stamp_style(pdf: bytes) -> Any:
    """A pyHanko stamp style whose appearance is the first page of ``pdf``, unscaled."""
    import uuid

    from pyhanko.pdf_utils import content, layout
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.stamp import StaticStampStyle

    class _ImportedStamp(content.PdfContent):
        def render(self) -> bytes:
            writer = self._ensure_writer
            xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(pdf)), page_ix=0)
            name = "/KhoiStamp" + uuid.uuid4().hex[:8]
            self.resources.xobject[name] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = layout.BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
            return name.encode("ascii") + b" Do"

    return StaticStampStyle(
        background=_ImportedStamp(),
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins.uniform(0),
        ),
    )


# --------------------------------------------------------------------------- signing


def _check_box(visible: VisibleSignature, page_count: int) -> None:
    if not 0 <= visible.page < page_count:
        raise SigningError(
            f"Không có trang {visible.page + 1} để đặt chữ ký (tệp có {page_count} trang). "
            "Hãy xuất lại hồ sơ rồi ký."
        )
    x1, y1, x2, y2 = visible.box
    if x2 - x1 < 40 or y2 - y1 < 16:
        raise SigningError(
            "Ô chữ ký quá nhỏ để hiển thị thông tin người ký (cần ít nhất 40 × 16 điểm). "
            "Hãy chọn ô chữ ký lớn hơn hoặc ký không hiển thị."
        )


def sign_writer(
    writer: IncrementalPdfFileWriter,
    out: BinaryIO,
    handle: SignerHandle,
    *,
    visible: VisibleSignature | None,
    unit_name: str,
    reason: str = DEFAULT_REASON,
    location: str | None = None,
    timestamp_url: str | None = None,
    signing_time: dt.datetime | None = None,
) -> None:
    """Sign the writer's pending revision and write the whole signed file to ``out``.

    PAdES baseline B-B (B-T with ``timestamp_url``), SHA-256, SubFilter ETSI.CAdES.detached, field
    ``KhoiSignature``. Everything already added to ``writer`` (embedded files) lands in the same
    revision, so the signature covers it. On failure this raises; ``out`` may hold partial data
    and must be discarded by the caller.

    Raises:
        CertificateRejectedError: the certificate must not sign (see :func:`check_certificate`).
        SigningError: the document is already signed, bad stamp position, or pyHanko refused.
        TokenError: the token failed while signing.
        TimestampError: the timestamp server could not be reached or refused.
    """
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    when = signing_time or dt.datetime.now(dt.timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    when = when.replace(microsecond=0)
    check_certificate(handle.signer.signing_cert, when)

    prev = writer.prev
    if prev.embedded_signatures:
        raise SigningError(
            "Tệp này đã có chữ ký số; ký thêm sẽ làm người nhận khó kiểm tra. "
            "Hãy xuất lại hồ sơ từ tài liệu .khoi rồi ký bản mới."
        )
    page_count = int(prev.root["/Pages"]["/Count"])

    stamp_style = None
    if visible is not None:
        _check_box(visible, page_count)
        x1, y1, x2, y2 = (float(v) for v in visible.box)
        lines = stamp_lines(visible.signer_label or handle.info.subject_name, unit_name, when)
        stamp_style = _stamp_style(render_stamp_pdf(x2 - x1, y2 - y1, lines))
        field_spec = fields.SigFieldSpec(
            sig_field_name=FIELD_NAME, on_page=visible.page, box=(int(x1), int(y1), int(x2), int(y2))
        )
        # SigFieldSpec wants integer boxes; keep the stamp exactly as wide as the rounded box
        if (x2 - x1, y2 - y1) != (int(x2) - int(x1), int(y2) - int(y1)):
            stamp_style = _stamp_style(
                render_stamp_pdf(float(int(x2) - int(x1)), float(int(y2) - int(y1)), lines)
            )
    else:
        field_spec = fields.SigFieldSpec(sig_field_name=FIELD_NAME)

    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=_nfc(reason) if reason else None,
        location=_nfc(location) if location else None,
    )
    timestamper = HTTPTimeStamper(timestamp_url) if timestamp_url else None

    class _Signer(signers.PdfSigner):
        # pyHanko takes the signing time from the session; pin it so /M and the stamp agree
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = when
            return session

    pdf_signer = _Signer(
        meta, handle.signer, timestamper=timestamper, stamp_style=stamp_style, new_field_spec=field_spec
    )
    _run_signer(pdf_signer, writer, out, subject_name=handle.info.subject_name, timestamp_url=timestamp_url)


def _run_signer(
    pdf_signer: Any,
    writer: Any,
    out: BinaryIO,
    *,
    subject_name: str,
    timestamp_url: str | None,
    long_term: bool = False,
    **sign_kw: Any,
) -> None:
    """Run one pyHanko signing and turn its failures into the user's errors.

    The one place both signing runs (export signing, :func:`sign_writer`, and the countersigning of
    :func:`sign_role_writer`) translate pyHanko, PKCS#11 and network failures, so a wrong PIN, a
    pulled token, a timestamp server that cannot be reached or a refused signature read the same
    whichever signature is being made. Nothing is written to the user's file when they happen:
    the callers write ``out`` into place only after this returns.

    Raises:
        TokenPinError, TokenError: the token refused the PIN or failed while signing.
        TimestampError: the timestamp server could not be reached or refused.
        SigningError: pyHanko refused to sign (with ``long_term``: the chain to a trusted root).
    """
    from pkcs11 import exceptions as p11e
    from pyhanko.sign.general import SigningError as PyHankoSigningError
    from pyhanko.sign.timestamps import TimestampRequestError

    try:
        pdf_signer.sign_pdf(writer, output=out, chunk_size=1 << 20, **sign_kw)
    except TimestampRequestError as exc:
        raise TimestampError(timestamp_url or "", str(exc)) from None
    except p11e.PKCS11Error as exc:
        err = _pin_error(exc)
        if err is not None:
            raise err from None
        raise TokenError(
            f"USB token báo lỗi khi ký ({type(exc).__name__}). Hãy kiểm tra token vẫn đang cắm rồi "
            "thử lại. Chưa có tệp nào được ghi."
        ) from None
    except PyHankoSigningError as exc:
        if long_term and "could not be validated" in str(exc):
            raise SigningError(
                f"Chuỗi chứng thư của «{subject_name}» không dẫn tới chứng thư nào trong danh sách "
                "tin cậy, nên không kèm được dữ liệu kiểm tra lâu dài. Hãy thêm chứng thư gốc của nhà cung cấp "
                "(ví dụ chứng thư gốc của NEAC) vào danh sách tin cậy, hoặc ký không kèm dữ liệu kiểm tra lâu "
                "dài. Chưa có tệp nào được ghi.",
                detail=repr(exc),
            ) from None
        raise SigningError(
            "Không ký được hồ sơ (" + str(exc) + "). Hãy kiểm tra chứng thư số và danh sách tin cậy rồi "
            "thử lại; nếu vẫn lỗi, hãy gửi tệp nhật ký cho người hỗ trợ. Chưa có tệp nào được ghi.",
            detail=repr(exc),
        ) from None
    except OSError as exc:
        if timestamp_url and type(exc).__module__.startswith("aiohttp"):
            raise TimestampError(timestamp_url, str(exc)) from None
        raise
    except Exception as exc:
        if timestamp_url and _is_network_error(exc):
            raise TimestampError(timestamp_url, str(exc) or type(exc).__name__) from None
        raise


def _is_network_error(exc: BaseException) -> bool:
    import asyncio

    try:
        import aiohttp
    except ImportError:  # pragma: no cover - aiohttp comes with pyHanko
        return isinstance(exc, asyncio.TimeoutError)
    return isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError))


def sign_pdf_file(
    in_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    handle: SignerHandle,
    **kw: Any,
) -> None:
    """Sign ``in_path`` as one incremental update and write ``out_path`` atomically.

    Keyword arguments are those of :func:`sign_writer` (``visible`` defaults to ``None``,
    ``unit_name`` to the signer's organisation); with ``role=`` they are those of
    :func:`sign_role_writer`. The output appears only when signing succeeded;
    ``out_path`` may equal ``in_path``.

    Raises:
        DossierError: ``in_path`` is missing or not a readable PDF.
        OutputPathError: ``out_path`` cannot be written.
        SigningError: see :func:`sign_writer`.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError

    src = Path(in_path)
    dst = Path(out_path)
    role = kw.pop("role", None)
    if role is None:
        kw.setdefault("visible", None)
    else:
        check_role(role)
    kw.setdefault("unit_name", handle.info.organisation or "")
    # refuse a bad certificate before touching the file system
    check_certificate(handle.signer.signing_cert, kw.get("signing_time"))
    try:
        inf = open(src, "rb")
    except FileNotFoundError:
        raise DossierError(f"Không tìm thấy tệp «{src}». Hãy kiểm tra lại đường dẫn.") from None
    except OSError as exc:
        raise DossierError(f"Không đọc được tệp «{src}» ({exc.strerror}). Hãy kiểm tra quyền đọc tệp.") from None
    with inf:
        if not inf.read(1024).lstrip(b"\r\n\t \x00").startswith(b"%PDF-"):
            raise DossierError(f"Tệp «{src}» không phải tệp PDF. Hãy chọn đúng tệp hồ sơ PDF.")
        inf.seek(0)
        try:
            writer = IncrementalPdfFileWriter(inf, strict=False)
        except (PdfError, ValueError, KeyError, ArithmeticError) as exc:  # a bad number: decimal.InvalidOperation
            raise DossierError(
                f"Tệp PDF «{src}» bị hỏng nên không ký được ({exc}). Hãy xuất lại hồ sơ rồi ký."
            ) from None
        _producer_as_pyhanko_writes_it(writer)
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
        except FileNotFoundError:
            raise OutputPathError(f"Thư mục «{dst.parent}» không tồn tại. Hãy chọn thư mục khác.") from None
        except OSError as exc:
            raise OutputPathError(
                f"Không ghi được vào thư mục «{dst.parent}» ({exc.strerror}). Hãy chọn thư mục có quyền ghi."
            ) from None
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w+b") as out:
                if role is None:
                    sign_writer(writer, out, handle, **kw)
                else:
                    sign_role_writer(writer, out, handle, role, **kw)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, dst)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _producer_as_pyhanko_writes_it(writer: Any) -> None:
    """Keep the information dictionary and the XMP metadata agreeing (PDF/A) after signing.

    pyHanko sets the XMP ``pdf:Producer`` to its own name but appends that name to an existing
    ``/Producer``; naming pyHanko as the producer of the signed revision in both avoids the clash.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    info = writer._info.get_object() if getattr(writer, "_info", None) is not None else None
    if info is not None and "/Metadata" in writer.root:
        info["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(writer._info)


# --------------------------------------------------------------------------- several signers, in order

ROLE_CHAIR = "chu-tich"
ROLE_HEAD = "thu-truong"
ROLE_UNIT = "don-vi"
ROLES = (ROLE_CHAIR, ROLE_HEAD, ROLE_UNIT)
"""The signatures of a dossier in signing order: the chair, the head, then the unit's seal."""
ROLE_FIELDS = {ROLE_CHAIR: "KhoiChuTich", ROLE_HEAD: "KhoiThuTruong", ROLE_UNIT: "KhoiDonVi"}
ROLE_LABELS = {
    ROLE_CHAIR: "Chủ tịch công đoàn",
    ROLE_HEAD: "Thủ trưởng đơn vị",
    ROLE_UNIT: "Đơn vị (con dấu)",
}
LEGACY_ROLE = "don-vi-cu"
"""The one signature of dossiers made before several signers: the unit's certificate."""
FIELD_ROLES = {**{v: k for k, v in ROLE_FIELDS.items()}, FIELD_NAME: LEGACY_ROLE}
_IMAGE_KEY = "/KhoiImage"  # on a pre-made empty field: the PNG the later signer's box shows


def role_of_field(field_name: str) -> str | None:
    """The role (``chu-tich``, ``thu-truong``, ``don-vi``, legacy) of a signature field, if ours."""
    return FIELD_ROLES.get(field_name)


def check_role(role: str) -> str:
    """Raises:
    BadInputError: not one of ``chu-tich``, ``thu-truong``, ``don-vi``."""
    if role not in ROLES:
        raise BadInputError(
            f"Vai trò ký «{role}» không có. Hãy chọn «chu-tich» (chủ tịch công đoàn), "
            "«thu-truong» (thủ trưởng đơn vị) hoặc «don-vi» (con dấu của đơn vị)."
        )
    return role


@dataclass(frozen=True)
class SignatureLayout:
    """Where each role signs on the report page, and the images the document chose for them.

    ``boxes``: role → VisibleSignature. ``images``: role → PNG bytes (signature or seal image).
    """

    boxes: dict[str, VisibleSignature]
    images: dict[str, bytes]


def _role_fields(handler: Any) -> dict[str, tuple[Any, Any, bool]]:
    """Field name → (field dictionary, its reference, filled) for every signature field."""
    from pyhanko.sign.fields import enumerate_sig_fields

    out: dict[str, tuple[Any, Any, bool]] = {}
    for name, value, ref in enumerate_sig_fields(handler):
        out[str(name)] = (ref.get_object(), getattr(ref, "reference", None), value is not None)
    return out


def _field_box(reader: Any, field: Any, field_ref: Any) -> VisibleSignature | None:
    """The page and rectangle of an existing (pre-made) signature field, or None if it has none."""
    rect = field.get("/Rect")
    if rect is None:
        return None
    x1, y1, x2, y2 = (float(v) for v in rect)
    try:
        count = int(reader.root["/Pages"]["/Count"])
        for i in range(min(count, 10_000)):
            page_ref = reader.find_page_for_modification(i)[0]
            annots = page_ref.get_object().get("/Annots")
            if annots is None:
                continue
            for a in annots.get_object():
                if getattr(a, "reference", None) == field_ref:
                    return VisibleSignature(
                        page=i, box=(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)), signer_label=""
                    )
    except Exception:  # noqa: BLE001 - a damaged page tree: no box, the caller refuses
        log.info("cannot find the page of a signature field", exc_info=True)
    return None


def _field_image(field: Any) -> bytes | None:
    """The PNG stored on a pre-made field, checked like any file from outside."""
    from pyhanko.pdf_utils import generic

    from khoiapp.pdf.signature_stamps import MAX_IMAGE_BYTES, check_image

    if _IMAGE_KEY not in field:
        return None
    try:
        stream = field[_IMAGE_KEY]
        if not isinstance(stream, generic.StreamObject) or int(stream.get("/Length", 0)) > MAX_IMAGE_BYTES:
            return None
        data = stream.data
        check_image(data, "trong ô ký")
    except Exception:  # noqa: BLE001 - a bad image in someone else's file: sign without it
        log.info("ignoring the image stored on a signature field", exc_info=True)
        return None
    return data


def _new_fields(layout: SignatureLayout | None) -> set[str]:
    return {ROLE_FIELDS[r] for r in (layout.boxes if layout else {})}


def role_stamp_lines(role: str, info: SignerInfo, when: dt.datetime, unit_name: str) -> list[str]:
    """Signer's name, organisation and signing time (ISO 8601, Vietnam's zone) for a role's box."""
    from khoiapp.pdf.signature_stamps import signature_time_text

    org = _nfc(info.organisation or unit_name).strip()
    if role == ROLE_UNIT:
        return [org or info.subject_name, signature_time_text(when)]
    else:
        lines = [f"Ký số bởi: {info.subject_name}"]
        if org and org != info.subject_name:
            lines.append(f"Cơ quan: {org}")
    lines.append(f"Thời gian ký: {signature_time_text(when)}")
    return lines


def sign_role_writer(
    writer: IncrementalPdfFileWriter,
    out: BinaryIO,
    handle: SignerHandle,
    role: str,
    *,
    layout: SignatureLayout | None = None,
    unit_name: str = "",
    reason: str | None = None,
    location: str | None = None,
    timestamp_url: str | None = None,
    signing_time: dt.datetime | None = None,
    lt: bool = False,
    trust: list[Any] | None = None,
    crls: list[bytes] | None = None,
) -> None:
    """Sign the writer's pending revision in ``role``'s box and write the whole file to ``out``.

    The first signature of a dossier certifies it (DocMDP: only form filling and signing allowed
    later, so later signatures and validation data keep it valid and any other change breaks it),
    and pre-makes the empty fields of the other roles from ``layout`` with their images. A later
    signature fills its pre-made field.

    ``lt``: add the validation data available offline (the chain, ``crls``) in the same file
    (PAdES B-LT; B-LTA with a timestamp server).

    Raises:
        BadInputError: unknown role.
        SigningError: the role is signed already, the dossier has no field for it, or pyHanko refused.
        CertificateRejectedError, TokenError, TimestampError: see :func:`sign_writer`.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    from khoiapp.pdf.signature_stamps import render_signature_pdf

    check_role(role)
    when = (signing_time or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    check_certificate(handle.signer.signing_cert, when)

    prev = writer.prev
    existing = _role_fields(prev)
    field_name = ROLE_FIELDS[role]
    label = ROLE_LABELS[role]
    if field_name in existing and existing[field_name][2]:
        raise SigningError(
            f"Hồ sơ đã có chữ ký của {label.lower()}; mỗi vai trò chỉ ký một lần. Hãy kiểm tra lại vai "
            "trò cần ký (lệnh «verify» liệt kê các chữ ký đã có). Chưa có tệp nào được ghi."
        )
    first = not prev.embedded_signatures
    if not first and FIELD_NAME in existing:
        raise SigningError(
            "Hồ sơ này được xuất bằng phiên bản Khối cũ, chỉ có một chữ ký nên không ký tiếp được. "
            "Hãy xuất lại hồ sơ từ tài liệu .khoi rồi ký. Chưa có tệp nào được ghi."
        )
    image: bytes | None = None
    visible: VisibleSignature | None = None
    field_spec = None
    if field_name in existing:
        visible = _field_box(prev, existing[field_name][0], existing[field_name][1])
        image = _field_image(existing[field_name][0])
        if visible is None:
            raise SigningError(
                f"Ô ký của {label.lower()} trong hồ sơ bị hỏng. Hãy đề nghị đơn vị xuất lại hồ sơ. "
                "Chưa có tệp nào được ghi."
            )
    elif first:
        visible = layout.boxes.get(role) if layout else None
        if visible is not None:
            _check_box(visible, int(prev.root["/Pages"]["/Count"]))
            x1, y1, x2, y2 = visible.box
            field_spec = fields.SigFieldSpec(
                sig_field_name=field_name, on_page=visible.page,
                box=(int(x1), int(y1), int(round(x2)), int(round(y2))),
            )  # fmt: skip
        else:
            field_spec = fields.SigFieldSpec(sig_field_name=field_name)
    else:
        raise SigningError(
            f"Hồ sơ không có ô ký dành cho {label.lower()}. Hãy đề nghị đơn vị xuất lại hồ sơ bằng phiên "
            "bản Khối mới. Chưa có tệp nào được ghi."
        )
    if image is None and layout is not None:
        image = layout.images.get(role)

    if first and layout is not None:
        # the later signers' empty fields, made now so the certification can allow only them
        for other in ROLES:
            box = layout.boxes.get(other)
            if other == role or box is None or ROLE_FIELDS[other] in existing:
                continue
            x1, y1, x2, y2 = box.box
            fields.append_signature_field(
                writer,
                fields.SigFieldSpec(
                    sig_field_name=ROLE_FIELDS[other], on_page=box.page,
                    box=(int(x1), int(y1), int(round(x2)), int(round(y2))),
                ),
            )  # fmt: skip
            img = layout.images.get(other)
            if img:
                for ref in writer.root["/AcroForm"]["/Fields"]:
                    f = ref.get_object()
                    if f.get("/T") == ROLE_FIELDS[other]:
                        f[generic.pdf_name(_IMAGE_KEY)] = writer.add_object(
                            generic.StreamObject(stream_data=img)
                        )
                        writer.update_container(f)

    stamp_style = None
    if visible is not None:
        _register_stamp_fonts()
        x1, y1, x2, y2 = visible.box
        if field_spec is not None and field_spec.box is not None:
            x1, y1, x2, y2 = (float(v) for v in field_spec.box)
        lines = role_stamp_lines(role, handle.info, when, unit_name)
        pdf = render_signature_pdf(
            x2 - x1, y2 - y1, lines, image=image, seal=role == ROLE_UNIT, font=_STAMP_FONT, font_bold=_STAMP_FONT_BOLD,
            text_left=1 / 3 if role == ROLE_HEAD and ROLE_FIELDS[ROLE_UNIT] in (set(existing) | _new_fields(layout)) else 0.0,
        )
        stamp_style = _stamp_style(pdf)

    vc = None
    if lt:
        from pyhanko_certvalidator import ValidationContext

        vc = ValidationContext(
            trust_roots=list(trust or []), crls=list(crls or []), allow_fetching=False,
            revocation_mode="soft-fail", retroactive_revinfo=True,
        )  # fmt: skip
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=_nfc(reason) if reason else f"{ROLE_LABELS[role]} ký hồ sơ tự đánh giá",
        location=_nfc(location) if location else None,
        certify=first,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        embed_validation_info=lt,
        validation_context=vc,
        use_pades_lta=lt and bool(timestamp_url),
    )
    timestamper = HTTPTimeStamper(timestamp_url) if timestamp_url else None

    class _Signer(signers.PdfSigner):
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = when
            return session

    pdf_signer = _Signer(meta, handle.signer, timestamper=timestamper, stamp_style=stamp_style,
                         new_field_spec=field_spec)
    _run_signer(
        pdf_signer, writer, out, subject_name=handle.info.subject_name, timestamp_url=timestamp_url,
        long_term=lt, existing_fields_only=field_spec is None,
    )  # fmt: skip
