"""Reminders before a permit expires: once per threshold, the nearest threshold only when a run is late,
none once a renewal is under way, in the holder's language."""

import datetime

import pytest
from django.core.management import call_command

from balai.core.notifications.models import OutboxMessage
from balai.permits import applicant_registry, services
from balai.permits.reminders import permits_expiry_reminders, tenant_expiry_reminders
from balai.permits.tests.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _registered():
    applicant_registry.register()


@pytest.fixture
def permit(office, draft, moment, pdf_engine):
    moment.set(2026, 3, 16, 9, 0)
    app = draft("penelitian")
    services.application_submit(application=app, actor=office.citizen)
    services.application_verify(application=app, actor=office.verifier)
    services.application_approve(application=app, actor=office.approver)
    services.application_sign(application=app, actor=office.signer)
    app.refresh_from_db()
    assert app.valid_until == datetime.date(2026, 9, 15)  # six months
    return app


def reminders(app):
    return list(
        OutboxMessage.objects.filter(tenant=app.tenant, recipient=app.applicant, template_code="permits.expiry_reminder")
        .order_by("pk")
    )


def test_it_reminds_the_holder_once_per_threshold(office, permit):
    end = permit.valid_until
    assert tenant_expiry_reminders(tenant=office.tenant, today=end - datetime.timedelta(days=31)) == 0
    assert tenant_expiry_reminders(tenant=office.tenant, today=end - datetime.timedelta(days=30)) == 1
    assert tenant_expiry_reminders(tenant=office.tenant, today=end - datetime.timedelta(days=29)) == 0  # same threshold
    first = reminders(permit)
    assert first and "Izin Penelitian Anda berakhir 30 hari lagi" in first[0].subject
    assert "15-09-2026" in first[0].body and permit.registration_number in first[0].body
    assert tenant_expiry_reminders(tenant=office.tenant, today=end - datetime.timedelta(days=7)) == 1
    assert tenant_expiry_reminders(tenant=office.tenant, today=end) == 1  # the 1-day threshold, late
    assert tenant_expiry_reminders(tenant=office.tenant, today=end) == 0
    assert tenant_expiry_reminders(tenant=office.tenant, today=end + datetime.timedelta(days=1)) == 0  # expired


def test_a_late_first_run_sends_only_the_nearest_threshold(office, permit):
    end = permit.valid_until
    assert permits_expiry_reminders(today=end - datetime.timedelta(days=5)) == 1
    assert "5 hari lagi" in reminders(permit)[-1].subject
    assert permits_expiry_reminders(today=end - datetime.timedelta(days=4)) == 0


def test_no_reminder_once_a_renewal_is_submitted(office, permit):
    # Izin Penelitian is not renewable by the service; a renewal filed at the counter links the same way.
    renewal = services.application_create_draft(
        tenant=office.tenant, permit_type=permit.permit_type, applicant=office.citizen,
        form_data=dict(permit.form_data), actor=office.citizen, renewal_of=permit,
    )
    for spec in permit.type_version.documents:
        if spec["mandatory"]:
            services.application_attach_document(
                application=renewal, requirement_code=spec["code"], upload=pdf(f"{spec['code']}.pdf"), actor=office.citizen
            )
    assert tenant_expiry_reminders(tenant=office.tenant, today=permit.valid_until - datetime.timedelta(days=30)) == 1
    services.application_submit(application=renewal, actor=office.citizen)
    assert tenant_expiry_reminders(tenant=office.tenant, today=permit.valid_until - datetime.timedelta(days=7)) == 0


def test_the_command_runs_the_reminders(office, permit, capsys):
    call_command("permits_expiry_reminders", "--days", "400")
    assert "1 reminder(s) queued." in capsys.readouterr().out
