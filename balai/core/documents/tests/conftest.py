import os

import pytest

from balai.core.documents.pdf import pdf_engine_error


@pytest.fixture(autouse=True)
def _pdf_engine():
    # A bare machine may lack Pango: say so and skip, except in CI, where PDFs must be tested.
    error = pdf_engine_error()
    if error and not os.environ.get("CI"):
        pytest.skip(f"no PDF engine on this machine: {error}")


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(autouse=True)
def _documents_settings(settings, pki_dir):
    # One demo CA for the whole session, outside the checkout; the site URL the QR codes carry.
    settings.BALAI_PKI_DIR = pki_dir
    settings.BALAI_SITE_URL = "https://balai.example.id"
    settings.BALAI_SIGNING_P12 = ""
    settings.PRODUCTION = False


@pytest.fixture
def issue(world):
    """Issue a document in Kota Serang with sensible defaults; keyword arguments override them."""
    from balai.core.documents.services import document_issue

    def _issue(**overrides):
        kwargs = {
            "tenant": world.serang.tenant,
            "kind": "permits.permit",
            "title": "Izin Usaha Mikro",
            "template_context": {"fields": [["Nama usaha", "Warung Citra"], ["Alamat usaha", "Jl. Veteran 1"]]},
            "recipient_name": "Citra Dewi",
            "recipient_id": "3673014501900001",
            "actor": world.serang.people["officer"],
            "unit_code": "DPMPTSP",
        }
        kwargs.update(overrides)
        return document_issue(**kwargs)

    return _issue
