"""Who signs a document, and the PAdES signature itself.

`signer_provider()` picks one of two providers from settings:

- `PKCS12Provider` (production): `BALAI_SIGNING_P12` names a PKCS#12 file, one for the platform or,
  with `{tenant}` in the path, one per tenant; `BALAI_SIGNING_P12_PASSWORD` opens it.
- `DemoProvider` (demo and tests): a local root CA "Balai Demo Root CA" and, per tenant, a signing
  certificate "<Tenant name> (DEMO)", generated once under `BALAI_PKI_DIR` (private keys mode 0600).
  It is refused when `BALAI_PRODUCTION` is set.

Demo keys are ECDSA P-256: loading an RSA key costs ~100 ms per signature in `cryptography`.
"""

from __future__ import annotations

import datetime
import fcntl
import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore

from balai.core.tenants.models import Tenant

DEMO_CA_NAME = "Balai Demo Root CA"
SIGNATURE_FIELD = "TandaTanganElektronik"
_CA_YEARS, _LEAF_YEARS, _RENEW_BEFORE = 20, 3, datetime.timedelta(days=30)


@dataclass(frozen=True)
class SigningIdentity:
    signer: signers.Signer
    subject: str  # the certificate's common name, shown on the verification page


class SignerProvider(Protocol):
    def identity_for(self, *, tenant: Tenant, officer=None) -> SigningIdentity: ...


def sign_pdf(pdf: bytes, *, identity: SigningIdentity, reason: str, location: str) -> bytes:
    """`pdf` with a PAdES (ETSI.CAdES.detached) signature over the whole file."""
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=identity.subject,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.PdfSigner(meta, signer=identity.signer).sign_pdf(writer).getvalue()


# --- production: PKCS#12 ---


class PKCS12Provider:
    def __init__(self, path_pattern: str, password: str):
        self.path_pattern, self.password = path_pattern, password

    def identity_for(self, *, tenant: Tenant, officer=None) -> SigningIdentity:
        path = Path(self.path_pattern.replace("{tenant}", tenant.slug))
        if not path.is_file():
            raise ImproperlyConfigured(f"BALAI_SIGNING_P12: no PKCS#12 file at {path} for tenant {tenant.slug}.")
        signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=self.password.encode() or None)
        if signer is None:
            raise ImproperlyConfigured(f"BALAI_SIGNING_P12: {path} cannot be opened with BALAI_SIGNING_P12_PASSWORD.")
        return SigningIdentity(signer=signer, subject=_common_name(signer.signing_cert))


def _common_name(cert: asn1_x509.Certificate) -> str:
    return cert.subject.native.get("common_name") or cert.subject.human_friendly


# --- demo: a local CA ---


@dataclass(frozen=True)
class _KeyPair:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate


_cache: dict[tuple[str, str], _KeyPair] = {}
_cache_lock = threading.Lock()


class DemoProvider:
    def __init__(self, pki_dir: Path):
        self.pki_dir = Path(pki_dir)

    def root(self) -> x509.Certificate:
        return ensure_demo_ca(self.pki_dir).cert

    def identity_for(self, *, tenant: Tenant, officer=None) -> SigningIdentity:
        ca = ensure_demo_ca(self.pki_dir)
        leaf = ensure_demo_tenant_certificate(self.pki_dir, tenant=tenant)
        ca_asn1 = translate_pyca_cryptography_cert_to_asn1(ca.cert)
        signer = signers.SimpleSigner(
            signing_cert=translate_pyca_cryptography_cert_to_asn1(leaf.cert),
            signing_key=translate_pyca_cryptography_key_to_asn1(leaf.key),
            cert_registry=SimpleCertificateStore.from_certs([ca_asn1]),
        )
        return SigningIdentity(signer=signer, subject=_demo_subject(tenant))


def signer_provider() -> SignerProvider:
    if settings.BALAI_SIGNING_P12:
        return PKCS12Provider(settings.BALAI_SIGNING_P12, settings.BALAI_SIGNING_P12_PASSWORD)
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "BALAI_PRODUCTION is set but BALAI_SIGNING_P12 is not: documents cannot be signed with the demo CA."
        )
    return DemoProvider(settings.BALAI_PKI_DIR)


def _demo_subject(tenant: Tenant) -> str:
    return f"{tenant.name} (DEMO)"[:64]


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class _DirLock:
    """An exclusive lock on the PKI directory, across threads and processes (tests run in parallel)."""

    def __init__(self, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / ".lock"

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _load(stem: Path) -> _KeyPair | None:
    key_path, cert_path = stem.with_suffix(".key.pem"), stem.with_suffix(".cert.pem")
    if not (key_path.is_file() and cert_path.is_file()):
        return None
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    return _KeyPair(key=key, cert=x509.load_pem_x509_certificate(cert_path.read_bytes()))


def _store(stem: Path, pair: _KeyPair) -> None:
    key_pem = pair.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write(stem.with_suffix(".key.pem"), key_pem, 0o600)
    _write(stem.with_suffix(".cert.pem"), pair.cert.public_bytes(serialization.Encoding.PEM), 0o644)


def _usable(pair: _KeyPair | None, *, common_name: str, issuer: x509.Certificate | None) -> bool:
    if pair is None or pair.cert.not_valid_after_utc - _RENEW_BEFORE < _now():
        return False
    names = pair.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not names or names[0].value != common_name:
        return False
    return issuer is None or pair.cert.issuer == issuer.subject


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def ensure_demo_ca(pki_dir: Path | None = None) -> _KeyPair:
    """The demo root CA, generated on first use and kept under `pki_dir` (default BALAI_PKI_DIR)."""
    pki_dir = Path(pki_dir or settings.BALAI_PKI_DIR)
    cache_key = (str(pki_dir), "ca")
    with _cache_lock:
        pair = _cache.get(cache_key)
        if _usable(pair, common_name=DEMO_CA_NAME, issuer=None):
            return pair
        with _DirLock(pki_dir):
            stem = pki_dir / "demo-root-ca"
            pair = _load(stem)
            if not _usable(pair, common_name=DEMO_CA_NAME, issuer=None):
                key = ec.generate_private_key(ec.SECP256R1())
                name = x509.Name(
                    [
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Balai (demo)"),
                        x509.NameAttribute(NameOID.COMMON_NAME, DEMO_CA_NAME),
                    ]
                )
                now = _now()
                cert = (
                    x509.CertificateBuilder()
                    .subject_name(name)
                    .issuer_name(name)
                    .public_key(key.public_key())
                    .serial_number(x509.random_serial_number())
                    .not_valid_before(now - datetime.timedelta(days=1))
                    .not_valid_after(now + datetime.timedelta(days=365 * _CA_YEARS))
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                    .add_extension(_key_usage(ca=True), critical=True)
                    .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                    .sign(key, hashes.SHA256())
                )
                pair = _KeyPair(key=key, cert=cert)
                _store(stem, pair)
        _cache[cache_key] = pair
        return pair


def ensure_demo_tenant_certificate(pki_dir: Path | None = None, *, tenant: Tenant) -> _KeyPair:
    """The tenant's demo signing certificate "<name> (DEMO)", issued by the demo root CA once."""
    pki_dir = Path(pki_dir or settings.BALAI_PKI_DIR)
    ca = ensure_demo_ca(pki_dir)
    subject = _demo_subject(tenant)
    cache_key = (str(pki_dir), f"tenant:{tenant.code}")
    with _cache_lock:
        pair = _cache.get(cache_key)
        if _usable(pair, common_name=subject, issuer=ca.cert):
            return pair
        with _DirLock(pki_dir):
            stem = pki_dir / "tenants" / tenant.code.replace(".", "-")
            stem.parent.mkdir(parents=True, exist_ok=True)
            pair = _load(stem)
            if not _usable(pair, common_name=subject, issuer=ca.cert):
                key = ec.generate_private_key(ec.SECP256R1())
                now = _now()
                cert = (
                    x509.CertificateBuilder()
                    .subject_name(
                        x509.Name(
                            [
                                x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                                x509.NameAttribute(NameOID.ORGANIZATION_NAME, tenant.name[:64]),
                                x509.NameAttribute(NameOID.COMMON_NAME, subject),
                            ]
                        )
                    )
                    .issuer_name(ca.cert.subject)
                    .public_key(key.public_key())
                    .serial_number(x509.random_serial_number())
                    .not_valid_before(now - datetime.timedelta(days=1))
                    .not_valid_after(now + datetime.timedelta(days=365 * _LEAF_YEARS))
                    .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                    .add_extension(_key_usage(ca=False), critical=True)
                    .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                    .add_extension(
                        x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
                    )
                    .sign(ca.key, hashes.SHA256())
                )
                pair = _KeyPair(key=key, cert=cert)
                _store(stem, pair)
        _cache[cache_key] = pair
        return pair
