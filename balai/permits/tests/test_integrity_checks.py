"""The module's red-flag checks: each finds its pattern, names the officers concerned, and leaves the
clean case alone. Patterns the workflow forbids are made the only way they can happen: by writing the
database behind the application's back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from balai.core.integrity.models import CheckRun, Finding
from balai.core.integrity.services import checks_run
from balai.core.payments.services import bill_cancel, bill_create
from balai.core.tenants.services import tenant_module_configure
from balai.core.workflow.models import Transition, WorkflowInstance
from balai.permits import services, stats_registry
from balai.permits.models import Application
from balai.permits.tests.conftest import WIB, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks(office):
    stats_registry.register()
    tenant_module_configure(tenant=office.tenant, module="permits", enabled=True)

    def run(code):
        result = checks_run(tenant=office.tenant, codes=[code], trigger=CheckRun.Trigger.ON_DEMAND)
        assert not result.errors, result.errors
        return list(Finding.objects.filter(tenant=office.tenant, check_code=code).order_by("pk"))

    return run


def submitted(office, draft, code="penelitian"):
    app = draft(code)
    services.application_submit(application=app, actor=office.citizen)
    return app


def to_approval(office, draft, moment, when):
    moment.set(*when)
    app = submitted(office, draft)
    services.application_verify(application=app, actor=office.verifier)
    app.refresh_from_db()
    assert app.workflow.state == "approval"
    return app


def test_the_checks_are_registered_under_the_module():
    from balai.core.integrity.registry import checks

    stats_registry.register()
    stats_registry.register()  # harmless twice
    assert {c.code for c in checks(module="permits")} >= {
        "permits.out_of_order_decision", "permits.sla_breaches", "permits.idle_beyond_sla", "permits.fee_changed",
        "permits.issued_unpaid", "permits.same_verifier_approver",
    }


def test_a_later_file_signed_before_an_earlier_one_is_found(office, draft, moment, checks, pdf_engine):
    earlier = to_approval(office, draft, moment, (2026, 3, 2, 9, 0))
    later = to_approval(office, draft, moment, (2026, 3, 2, 10, 0))
    moment.set(2026, 3, 3, 9, 0)
    services.application_approve(application=earlier, actor=office.approver)
    services.application_approve(application=later, actor=office.approver)
    assert checks("permits.out_of_order_decision") == []  # approved in turn

    services.application_sign(application=later, actor=office.signer)  # the earlier one still waits
    found = checks("permits.out_of_order_decision")
    assert len(found) == 1
    assert found[0].subject_id == str(later.pk) and earlier.registration_number in found[0].summary
    assert found[0].concerns == [office.signer.pk]
    assert any("/kota-serang/" in (e.get("url") or "") for e in found[0].evidence)


def test_a_later_file_approved_first_with_a_reason_is_not_a_finding(office, draft, moment, checks):
    to_approval(office, draft, moment, (2026, 3, 2, 9, 0))
    later = to_approval(office, draft, moment, (2026, 3, 2, 10, 0))
    moment.set(2026, 3, 3, 9, 0)
    services.application_approve(application=later, actor=office.approver, reason_code="keadaan_darurat_bencana")
    assert checks("permits.out_of_order_decision") == []
    # The same approval with its reason wiped outside the application is one.
    Transition.objects.filter(instance=later.workflow, action="approve").update(reason_code="")
    found = checks("permits.out_of_order_decision")
    assert [f.subject_id for f in found] == [str(later.pk)] and found[0].concerns == [office.approver.pk]


def test_a_later_file_deemed_approved_by_the_system_first_is_not_a_finding(office, draft, moment, checks):
    """Fiktif positif: the system approves a file whose own SLA ran out; nobody chose it over another."""
    to_approval(office, draft, moment, (2026, 3, 2, 9, 0))
    later = to_approval(office, draft, moment, (2026, 3, 2, 10, 0))
    moment.set(2026, 3, 3, 9, 0)
    services.application_approve(application=later, actor=office.approver, reason_code="keadaan_darurat_bencana")
    # Made the system's deemed approval, the only way it can happen on an ordinary type.
    Transition.objects.filter(instance=later.workflow, action="approve").update(
        action="deem_approved_final", actor=None, reason_code=""
    )
    assert checks("permits.out_of_order_decision") == []


def test_officers_and_units_late_in_a_month_are_found(office, draft, moment, checks):
    moment.set(2026, 3, 2, 9, 0)
    late = [submitted(office, draft) for _ in range(5)]
    moment.set(2026, 3, 9, 9, 0)  # 3, 4, 5, 6 and 9 March: five working days on a two-day step
    for app in late:
        services.application_reject(application=app, reason="Tidak sesuai ketentuan.", actor=office.verifier)
    found = checks("permits.sla_breaches")
    assert {f.fingerprint for f in found} == {f"officer:{office.verifier.pk}:0:2026-03", "unit:0:2026-03"}
    assert all(f.concerns == [office.verifier.pk] for f in found)


def test_officers_on_time_are_not_found(office, draft, moment, checks):
    moment.set(2026, 3, 2, 9, 0)
    apps = [submitted(office, draft) for _ in range(5)]
    moment.set(2026, 3, 3, 9, 0)
    for app in apps:
        services.application_reject(application=app, reason="Tidak sesuai ketentuan.", actor=office.verifier)
    assert checks("permits.sla_breaches") == []


def test_a_file_idle_past_its_due_date_is_found_and_a_fresh_one_is_not(office, draft, moment, checks):
    now = timezone.now().astimezone(WIB)
    moment.value = now - timedelta(days=30)
    old = submitted(office, draft)
    moment.value = now
    submitted(office, draft)
    found = checks("permits.idle_beyond_sla")
    assert [f.subject_id for f in found] == [str(old.pk)]
    assert found[0].concerns == [office.verifier.pk]  # who holds it


def test_a_fee_changed_or_waived_by_hand_is_found(office, draft, moment, checks, django_capture_on_commit_callbacks):
    moment.set(2026, 3, 2, 9, 0)
    clean, edited, rebilled = (submitted(office, draft, "reklame") for _ in range(3))
    for app in (clean, edited, rebilled):
        services.application_verify(application=app, actor=office.verifier)
        services.application_record_inspection(application=app, report="Papan sesuai desain.", photos=[], actor=office.inspector)
    assert checks("permits.fee_changed") == []

    Application.objects.filter(pk=edited.pk).update(fee_amount=1_000_000)  # "discounted" in the database
    rebilled.refresh_from_db()
    bill_cancel(bill=rebilled.bill, reason="Koreksi", actor=office.verifier)
    lower = bill_create(
        tenant=office.tenant, purpose="permits.retribution", amount=500_000, payer_name="Pemohon", subject=rebilled,
        actor=office.verifier, description="Retribusi",
    )
    Application.objects.filter(pk=rebilled.pk).update(bill=lower, fee_amount=500_000)
    found = {f.subject_id: f for f in checks("permits.fee_changed")}
    assert set(found) == {str(edited.pk), str(rebilled.pk)}
    assert "14.062.500" in found[str(edited.pk)].summary
    assert "dibatalkan" in found[str(rebilled.pk)].summary
    assert office.verifier.pk in found[str(rebilled.pk)].concerns


def test_an_issued_permit_without_a_settled_payment_is_found(office, draft, moment, checks, django_capture_on_commit_callbacks):
    moment.set(2026, 3, 2, 9, 0)
    paid, unpaid = submitted(office, draft, "reklame"), submitted(office, draft, "reklame")
    for app in (paid, unpaid):
        services.application_verify(application=app, actor=office.verifier)
        services.application_record_inspection(application=app, report="Papan sesuai desain.", photos=[], actor=office.inspector)
        app.refresh_from_db()
    pay(paid.bill, django_capture_on_commit_callbacks)
    # Both put into "issued" behind the workflow's back: only the unpaid one is a finding.
    WorkflowInstance.objects.filter(pk__in=[paid.workflow_id, unpaid.workflow_id]).update(state="issued")
    found = checks("permits.issued_unpaid")
    assert [f.subject_id for f in found] == [str(unpaid.pk)]
    assert "belum lunas" in found[0].summary


def test_the_same_officer_verifying_and_approving_is_found(office, draft, moment, checks):
    clean = to_approval(office, draft, moment, (2026, 3, 2, 9, 0))
    bent = to_approval(office, draft, moment, (2026, 3, 2, 10, 0))
    moment.set(2026, 3, 3, 9, 0)
    services.application_approve(application=clean, actor=office.approver)
    services.application_approve(application=bent, actor=office.approver)
    assert checks("permits.same_verifier_approver") == []
    Transition.objects.filter(instance=bent.workflow, action="approve").update(actor=office.verifier)
    found = checks("permits.same_verifier_approver")
    assert [f.subject_id for f in found] == [str(bent.pk)] and found[0].concerns == [office.verifier.pk]
