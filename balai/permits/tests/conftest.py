"""Fixtures of the permits tests: the demo catalogue in Kota Serang, its permit office staff, real files
for uploads, the engine's clock held by hand, and a PDF engine for issuing permits."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from balai.core.files.tests.factories import image_bytes, pdf_bytes, upload
from balai.core.workflow import clock
from balai.testing.personas import make_person

WIB = ZoneInfo("Asia/Jakarta")

REKLAME_FORM = {
    "judul": "Warung Citra, buka setiap hari",
    "alamat": "Jl. Jenderal Sudirman No. 5, Serang",
    "lebar": "3",
    "tinggi": "5",
    "lama_hari": "30",
    "tarif_lokasi": "A",
}
PENELITIAN_FORM = {
    "judul": "Pola belanja warung di Kota Serang",
    "lembaga": "Universitas Sultan Ageng Tirtayasa",
    "lokasi": "Kecamatan Serang",
    "mulai": "2026-04-01",
    "selesai": "2026-06-30",
}


def pdf(name="berkas.pdf"):
    return upload(pdf_bytes(name), name)


def png(name="foto.png"):
    return upload(image_bytes("PNG"), name, "image/png")


class Moment:
    """The workflow engine's clock, held still and moved by hand (WIB wall time)."""

    def __init__(self):
        self.value = datetime(2026, 3, 16, 9, 0, tzinfo=WIB)

    def set(self, *args):
        self.value = datetime(*args, tzinfo=WIB)
        return self.value


@pytest.fixture
def moment(monkeypatch):
    m = Moment()
    monkeypatch.setattr(clock, "now", lambda: m.value)
    return m


@dataclass
class Office:
    tenant: object
    types: dict
    citizen: object
    verifier: object
    inspector: object
    approver: object
    signer: object
    frontdesk: object


@pytest.fixture
def office(world):
    from balai.permits.demo import demo_permit_catalogue

    tenant = world.serang.tenant
    types = {t.code: t for t in demo_permit_catalogue(tenant=tenant)}

    def staff(name, role):
        return make_person(name, tenant=tenant, roles=[role, "core.officer"])

    return Office(
        tenant=tenant,
        types=types,
        citizen=world.serang.people["citizen"],
        verifier=staff("Vina Verifikator", "permits.verifier"),
        inspector=staff("Indra Surveyor", "permits.inspector"),
        approver=staff("Agus Kepala", "permits.approver"),
        signer=staff("Sinta Penandatangan", "permits.signer"),
        frontdesk=staff("Fani Loket", "permits.frontdesk"),
    )


@pytest.fixture
def draft(office):
    """Make a complete draft of a demo type for the citizen (documents attached); overrides by keyword."""
    from balai.permits import services

    def _draft(code="reklame", form=None, applicant=None, documents=True, **kwargs):
        applicant = applicant or office.citizen
        permit_type = office.types[code]
        data = dict(form if form is not None else (REKLAME_FORM if code == "reklame" else PENELITIAN_FORM))
        application = services.application_create_draft(
            tenant=office.tenant, permit_type=permit_type, applicant=applicant, form_data=data, actor=applicant, **kwargs
        )
        if documents:
            for spec in permit_type.current_version.documents:
                if spec["mandatory"]:
                    file = pdf(f"{spec['code']}.pdf") if "pdf" in spec["kinds"] else png(f"{spec['code']}.png")
                    services.application_attach_document(
                        application=application, requirement_code=spec["code"], upload=file, actor=applicant
                    )
        return application

    return _draft


@pytest.fixture
def pdf_engine(settings, tmp_path_factory):
    """Signed PDFs: a demo CA outside the checkout, and the site URL the QR codes carry."""
    from balai.core.documents.pdf import pdf_engine_error

    error = pdf_engine_error()
    if error and not os.environ.get("CI"):
        pytest.skip(f"no PDF engine on this machine: {error}")
    settings.BALAI_PKI_DIR = tmp_path_factory.mktemp("pki")
    settings.BALAI_SITE_URL = "https://balai.example.id"
    settings.BALAI_SIGNING_P12 = ""
    settings.PRODUCTION = False


def pay(bill, capture):
    """Pay a bill in the payment simulator and deliver its signed callback, running the paid handlers."""
    from balai.core.payments.gateways import simulator
    from balai.core.payments.services import payment_callback_receive

    body, headers = simulator.collect(bill)
    with capture(execute=True):
        outcome = payment_callback_receive(gateway_code="simulator", body=body, headers=headers, ip="127.0.0.1")
    assert outcome.ok
    return outcome
