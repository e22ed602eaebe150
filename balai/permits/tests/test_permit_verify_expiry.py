"""The permit's QR page (/verify/) says when a permit has expired: a six-month Izin Penelitian issued on
16 March 2026 is valid through 15 September 2026 and shown expired from the 16th, with its end date."""

import datetime

import pytest

from balai.core.documents import selectors as document_selectors
from balai.permits import services

pytestmark = pytest.mark.django_db


def test_the_verification_page_shows_a_permit_valid_then_expired(office, draft, moment, pdf_engine, client, monkeypatch):
    moment.set(2026, 3, 16, 9, 0)
    app = draft("penelitian")
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    services.application_approve(application=app, actor=office.approver)
    services.application_sign(application=app, actor=office.signer)
    app.refresh_from_db()
    document = app.permit_document
    assert app.valid_until == document.valid_until == datetime.date(2026, 9, 15)

    def page_on(day):
        monkeypatch.setattr(document_selectors, "tenant_today", lambda tenant: day)
        response = client.get(f"/verify/{document.code}/")
        assert response.status_code == 200
        return response.content.decode()

    last_day = page_on(datetime.date(2026, 9, 15))
    assert "Sah" in last_day and "Kedaluwarsa" not in last_day

    expired = page_on(datetime.date(2026, 9, 16))
    assert "Kedaluwarsa" in expired and "15 September 2026" in expired
    assert "Dicabut" not in expired
