import io
import shutil
import stat
import subprocess

import pytest
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from balai.core.documents import signing
from balai.core.documents.selectors import document_pdf_bytes


def _pyhanko_status(data: bytes, trust_root):
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    [signature] = reader.embedded_signatures
    context = ValidationContext(trust_roots=[translate_pyca_cryptography_cert_to_asn1(trust_root)])
    return validate_pdf_signature(signature, context)


@pytest.mark.django_db
def test_an_issued_document_is_a_signed_pdf_whose_hash_is_recorded(issue):
    import hashlib

    doc = issue()
    data = document_pdf_bytes(doc)
    assert data.startswith(b"%PDF")
    assert b"/ETSI.CAdES.detached" in data and b"/ByteRange" in data
    assert hashlib.sha256(data).hexdigest() == doc.sha256
    assert doc.certificate_subject == "Kota Serang (DEMO)"


@pytest.mark.django_db
def test_pyhanko_finds_the_signature_intact_valid_and_trusted_by_the_demo_root(issue, pki_dir):
    data = document_pdf_bytes(issue())
    status = _pyhanko_status(data, signing.ensure_demo_ca(pki_dir).cert)
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.subject.native["common_name"] == "Kota Serang (DEMO)"
    assert "non_repudiation" in status.signing_cert.key_usage_value.native


@pytest.mark.django_db
def test_a_changed_byte_breaks_the_signature(issue, pki_dir):
    data = bytearray(document_pdf_bytes(issue()))
    at = data.index(b"Citra Dewi") if b"Citra Dewi" in data else 200
    data[at + 1] ^= 0x01
    status = _pyhanko_status(bytes(data), signing.ensure_demo_ca(pki_dir).cert)
    assert not status.intact


@pytest.mark.django_db
def test_poppler_pdfsig_independently_says_the_signature_is_valid(issue, tmp_path):
    if shutil.which("pdfsig") is None:
        pytest.skip("pdfsig (Debian package poppler-utils) is not installed: apt-get install poppler-utils")
    path = tmp_path / "signed.pdf"
    path.write_bytes(document_pdf_bytes(issue()))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout
    # The demo CA is not in NSS's trust store, so pdfsig reports the issuer as untrusted: the
    # signature over the bytes is what it checks independently here.
    assert "Signature Validation: Signature is Valid." in out, out
    assert "Total document signed" in out, out
    assert "Kota Serang (DEMO)" in out

    tampered = bytearray(path.read_bytes())
    tampered[300] ^= 0x01
    path.write_bytes(bytes(tampered))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60).stdout
    assert "Signature is Valid." not in out


def test_the_demo_keys_are_readable_by_the_owner_only(world, pki_dir):
    signing.ensure_demo_tenant_certificate(pki_dir, tenant=world.serang.tenant)
    keys = list(pki_dir.rglob("*.key.pem"))
    assert len(keys) >= 2
    for key in keys:
        assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_production_refuses_the_demo_ca(settings):
    settings.PRODUCTION = True
    settings.BALAI_SIGNING_P12 = ""
    with pytest.raises(ImproperlyConfigured, match="BALAI_SIGNING_P12"):
        signing.signer_provider()


@pytest.mark.django_db
def test_a_configured_pkcs12_certificate_signs_in_production(settings, issue, world, tmp_path, pki_dir):
    # A stand-in for the tenant's real certificate: a PKCS#12 made from a demo-issued pair.
    pair = signing.ensure_demo_tenant_certificate(tmp_path / "other-ca", tenant=world.serang.tenant)
    ca = signing.ensure_demo_ca(tmp_path / "other-ca")
    p12 = tmp_path / "kota-serang.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(b"serang", pair.key, pair.cert, [ca.cert], BestAvailableEncryption(b"rahasia"))
    )
    settings.PRODUCTION = True
    settings.BALAI_SIGNING_P12 = str(tmp_path / "{tenant}.p12")
    settings.BALAI_SIGNING_P12_PASSWORD = "rahasia"
    doc = issue()
    status = _pyhanko_status(document_pdf_bytes(doc), ca.cert)
    assert status.intact and status.valid and status.trusted
    with pytest.raises(ImproperlyConfigured, match="kota-cilegon"):
        issue(tenant=world.cilegon.tenant, actor=world.cilegon.people["officer"])
