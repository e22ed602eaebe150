"""A renewed permit continues the old one: issued while the old permit is still in force, it is valid from
the day after the old one ends (no day lost, no overlap); issued after the old one expired (or was
revoked), it is valid from the day it is issued. The permit and the applicant's page show both dates."""

from datetime import date

import pytest
from django.urls import reverse

from balai.core.documents import pdf as pdf_module
from balai.permits import services
from balai.permits.tests.conftest import pdf, png
from balai.testing.clients import login

pytestmark = pytest.mark.django_db

SIP_FORM = {"profesi": "bidan", "nomor_str": "STR-123-456", "tempat_praktik": "Praktik Mandiri Bidan Citra"}


@pytest.fixture
def permit_pages(monkeypatch):
    """The HTML of every permit rendered to PDF, in order."""
    pages = []
    real = pdf_module.html_to_pdf

    def keep(html, *args, **kwargs):
        pages.append(html)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(pdf_module, "html_to_pdf", keep)
    return pages


def issue(office, app):
    from balai.permits.appointments.services_file import attendance_override_record

    services.application_submit(application=app, actor=office.citizen)
    # SIP needs the applicant at the counter; here the front desk records that the originals were seen.
    attendance_override_record(
        tenant=office.tenant, application=app, reason="STR asli diperiksa di loket.", actor=office.frontdesk
    )
    services.application_verify(application=app, actor=office.verifier)
    services.application_approve(application=app, actor=office.approver)
    services.application_sign(application=app, actor=office.signer)
    app.refresh_from_db()
    return app


def renewal_of(office, app):
    renewal = services.application_renew(application=app, actor=office.citizen)
    for spec in renewal.type_version.documents:
        if spec["mandatory"]:
            file = pdf(f"{spec['code']}.pdf") if "pdf" in spec["kinds"] else png(f"{spec['code']}.png")
            services.application_attach_document(
                application=renewal, requirement_code=spec["code"], upload=file, actor=office.citizen
            )
    return renewal


def test_a_renewal_issued_before_the_old_permit_ends_starts_the_day_after_it(
    office, draft, moment, pdf_engine, permit_pages, client
):
    moment.set(2026, 4, 13, 9, 0)
    old = issue(office, draft(code="sip", form=SIP_FORM))
    assert (old.valid_from, old.valid_until) == (date(2026, 4, 13), date(2031, 4, 12))

    # Monday 10 February 2031, two months before the old permit ends: the renewal is issued at once.
    moment.set(2031, 2, 10, 9, 0)
    renewal = issue(office, renewal_of(office, old))
    assert renewal.valid_from == date(2031, 4, 13)  # the day after 12 April 2031
    assert renewal.valid_until == date(2036, 4, 12)  # five years from then
    assert renewal.permit_document.valid_until == date(2036, 4, 12)
    assert "Izin ini berlaku sejak 13 April 2031 sampai dengan 12 April 2036" in permit_pages[-1]
    old.refresh_from_db()
    assert old.valid_until == date(2031, 4, 12)  # the old permit keeps its own dates

    login(client, office.citizen)
    page = client.get(
        reverse("permits:applicant_detail", kwargs={"tenant": office.tenant.slug, "pk": renewal.pk})
    ).content.decode()
    assert "Berlaku 13 April 2031 sampai 12 April 2036" in page


def test_a_renewal_issued_on_the_old_permits_last_day_starts_the_next_day(office, draft, moment, pdf_engine):
    moment.set(2026, 4, 13, 9, 0)
    old = issue(office, draft(code="sip", form=SIP_FORM))
    moment.set(2031, 4, 12, 9, 0)
    renewal = renewal_of(office, old)
    moment.set(2031, 4, 12, 10, 0)
    renewal = issue(office, renewal)
    assert renewal.valid_from == date(2031, 4, 13)


def test_a_renewal_issued_after_the_old_permit_expired_starts_on_issue(office, draft, moment, pdf_engine, permit_pages):
    moment.set(2026, 4, 13, 9, 0)
    old = issue(office, draft(code="sip", form=SIP_FORM))

    # Monday 5 May 2031: the old permit ended on 12 April; the holder renews late.
    moment.set(2031, 5, 5, 9, 0)
    renewal = issue(office, renewal_of(office, old))
    assert (renewal.valid_from, renewal.valid_until) == (date(2031, 5, 5), date(2036, 5, 4))
    assert "Izin ini berlaku sejak 5 Mei 2031 sampai dengan 4 Mei 2036" in permit_pages[-1]


def test_a_renewal_of_a_revoked_permit_starts_on_issue(office, draft, moment, pdf_engine):
    moment.set(2026, 4, 13, 9, 0)
    old = issue(office, draft(code="sip", form=SIP_FORM))
    moment.set(2031, 2, 10, 9, 0)
    renewal = renewal_of(office, old)
    services.application_revoke(application=old, reason="Praktik dipindahkan tanpa izin.", actor=office.approver)
    renewal = issue(office, renewal)
    assert renewal.valid_from == date(2031, 2, 10)
