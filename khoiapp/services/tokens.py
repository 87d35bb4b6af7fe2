"""USB tokens: finding the PKCS#11 driver of Vietnamese CAs, and listing a token's certificates."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khoiapp.errors import TokenError, TokenLibraryError

log = logging.getLogger(__name__)

# Driver files of the tokens Vietnamese CAs hand out (file name → who ships it). Names are
# compared case-insensitively.
KNOWN_MODULES: dict[str, str] = {
    "vnpt-ca_v34.dll": "VNPT-CA",
    "vnptca_p11_v8.dll": "VNPT-CA",
    "vnpt-ca_csp11.dll": "VNPT-CA",
    "viettel-ca_v6.dll": "Viettel-CA",
    "viettel-ca.dll": "Viettel-CA",
    "viettelca_p11.dll": "Viettel-CA",
    "fpt-ca.dll": "FPT-CA",
    "fptca_p11.dll": "FPT-CA",
    "bkavca.dll": "BKAV-CA",
    "bkav_ca.dll": "BKAV-CA",
    "vina-ca.dll": "Vina-CA",
    "vinaca.dll": "Vina-CA",
    "newca.dll": "NewCA",
    "newca_csp11.dll": "NewCA",
    "shuttle_p11.dll": "Feitian (VNPT/Viettel)",
    "ngp11v211.dll": "Feitian ePass",
    "eps2003csp11.dll": "Feitian ePass2003",
    "eps2003csp11v2.dll": "Feitian ePass2003",
    "ft2kp11.dll": "Feitian ePass2000",
    "eTPKCS11.dll".lower(): "SafeNet eToken (VGCA)",
    "bit4xpki.dll": "Bit4ID (VGCA)",
    "libeps2003csp11.so": "Feitian ePass2003",
    "libshuttle_p11v220.so": "Feitian (VNPT/Viettel)",
    "libetpkcs11.so": "SafeNet eToken",
    "libbit4xpki.so": "Bit4ID",
    "opensc-pkcs11.so": "OpenSC",
    "opensc-pkcs11.dll": "OpenSC",
}


def search_dirs() -> list[Path]:
    """Where token drivers install themselves (System32, SysWOW64, Program Files, AppData; the
    usual library folders elsewhere)."""
    env = os.environ
    if sys.platform == "win32":
        windir = Path(env.get("SystemRoot", r"C:\Windows"))
        dirs = [windir / "System32", windir / "SysWOW64"]
        for var in ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA", "APPDATA"):
            if env.get(var):
                base = Path(env[var])
                dirs.append(base)
                for vendor in ("VNPT-CA", "Viettel-CA", "FPT-CA", "BkavCA", "Vina-CA", "NewCA", "Feitian",
                               "EnterSafe", "ePass2003", "SafeNet", "Bit4id"):
                    dirs.append(base / vendor)
        return dirs
    return [Path(p) for p in ("/usr/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu/pkcs11",
                              "/usr/local/lib", "/usr/lib/pkcs11", "/usr/lib/softhsm", "/Library/OpenSC/lib")]


@dataclass(frozen=True)
class Pkcs11Module:
    path: Path
    vendor: str


def find_modules(dirs: list[Path] | None = None) -> list[Pkcs11Module]:
    """The known token drivers present on this computer (one level below each search folder too)."""
    found: dict[str, Pkcs11Module] = {}
    for d in dirs if dirs is not None else search_dirs():
        try:
            if not d.is_dir():
                continue
            top = list(d.iterdir())
            candidates = list(top)
            for sub in top:  # one level down only: vendors install into their own folder
                if sub.is_dir() and sub.name.lower() not in ("system32", "syswow64"):
                    try:
                        candidates.extend(sub.iterdir())
                    except OSError:
                        continue
        except OSError:
            continue
        for f in candidates:
            vendor = KNOWN_MODULES.get(f.name.lower())
            if vendor is None and f.name == "libsofthsm2.so":
                vendor = "SoftHSM (thử nghiệm)"
            if vendor is not None and f.is_file():
                found.setdefault(str(f.resolve()), Pkcs11Module(f, vendor))
    return sorted(found.values(), key=lambda m: (m.vendor, str(m.path)))


@dataclass(frozen=True)
class TokenCertificate:
    """A certificate on a token, as the signer picks it: who, issued by whom, valid when."""

    token_label: str
    key_label: str
    subject: str
    organisation: str | None
    issuer: str
    not_before: dt.datetime
    not_after: dt.datetime
    fingerprint_sha256: str
    is_ca: bool


def list_certificates(lib_path: str | os.PathLike[str]) -> list[TokenCertificate]:
    """Every certificate on every token the driver sees (read without the PIN).

    Raises:
        TokenLibraryError: the driver cannot be loaded.
        TokenError: the token cannot be read.
    """
    from asn1crypto import x509 as asn1_x509
    from pkcs11 import Attribute, ObjectClass
    from pkcs11 import exceptions as p11e
    from pkcs11 import lib as p11_lib

    from khoiapp.services.signing import signer_info

    lib_file = Path(lib_path)
    if not lib_file.is_file():
        raise TokenLibraryError(lib_file, "không có tệp này")
    try:
        lib = p11_lib(str(lib_file))
    except (p11e.PKCS11Error, OSError) as exc:
        raise TokenLibraryError(lib_file, str(exc).split(":")[-1].strip()) from None
    out: list[TokenCertificate] = []
    try:
        for slot in lib.get_slots(token_present=True):
            try:
                token = slot.get_token()
                label = str(token.label).strip()
                session = token.open()
            except p11e.PKCS11Error:  # an empty or uninitialised slot
                continue
            with session:
                for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                    try:
                        cert = asn1_x509.Certificate.load(bytes(obj[Attribute.VALUE]))
                        info = signer_info(cert)
                        out.append(TokenCertificate(
                            token_label=label, key_label=str(obj[Attribute.LABEL]), subject=info.subject_name,
                            organisation=info.organisation, issuer=info.issuer, not_before=info.not_before,
                            not_after=info.not_after, fingerprint_sha256=info.fingerprint_sha256, is_ca=bool(cert.ca),
                        ))  # fmt: skip
                    except Exception:  # noqa: BLE001 - one odd object must not hide the others
                        log.info("skipping an unreadable certificate on token %s", label, exc_info=True)
    except p11e.PKCS11Error as exc:
        raise TokenError(
            f"Không đọc được danh sách chứng thư trên USB token ({type(exc).__name__}). Hãy rút token ra, cắm "
            "lại rồi thử lại."
        ) from None
    return sorted(out, key=lambda c: (c.is_ca, c.token_label, c.subject.casefold()))


def chain_from_trust_list(cert: Any) -> list[Any]:
    """Issuers of ``cert`` found in the trust list, up to the root (asn1crypto certificates)."""
    from khoiapp.services.trust import trusted_certs

    pool = trusted_certs()
    chain: list[Any] = []
    current = cert
    for _ in range(8):
        issuer = next((c for c in pool if c.subject == current.issuer and c not in chain), None)
        if issuer is None or issuer == current:
            break
        chain.append(issuer)
        current = issuer
    return chain
