from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from balai.core.audit.models import AuditEntry
from balai.core.payments import codes, selectors, services
from balai.core.payments.models import Bill


def test_it_issues_an_unpaid_bill_with_a_valid_code_and_audits_it(world, make_bill):
    bill = make_bill(amount=1_250_000)
    assert bill.status == Bill.Status.UNPAID
    assert codes.billing_code_valid(bill.code) and bill.code.startswith("3673")
    assert bill.gateway == "simulator"
    entry = AuditEntry.objects.get(tenant=world.serang.tenant, action="payments.bill_create")
    assert entry.object_id == str(bill.pk) and entry.data["amount"] == 1_250_000


def test_it_keeps_the_payer_id_only_masked(make_bill):
    bill = make_bill()
    assert bill.payer_masked_id == "3673********0002"
    assert "3673015708900002" not in str(Bill.objects.filter(pk=bill.pk).values().first())


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1250000.0, "bilangan bulat"),
        (Decimal("1250000"), "bilangan bulat"),
        ("1250000", "bilangan bulat"),
        (True, "bilangan bulat"),
        (0, "lebih dari Rp 0"),
        (-5000, "lebih dari Rp 0"),
        (10**13, "terlalu besar"),
    ],
)
def test_amounts_must_be_positive_whole_rupiah(make_bill, amount, expected):
    with pytest.raises(ValidationError) as exc:
        make_bill(amount=amount)
    assert expected in " ".join(exc.value.message_dict["amount"])
    assert not Bill.objects.exists()


def test_the_database_refuses_a_non_positive_amount_too(world, make_bill):
    from django.db import IntegrityError, transaction

    bill = make_bill()
    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.filter(pk=bill.pk).update(amount=0)


def test_a_due_time_in_the_past_is_refused(make_bill):
    with pytest.raises(ValidationError) as exc:
        make_bill(due_at=timezone.now() - timedelta(minutes=1))
    assert "due_at" in exc.value.message_dict


def test_a_bill_names_its_subject_and_the_module_can_ask_whether_it_is_paid(world, make_bill):
    from balai.core.payments.tests.conftest import signed_callback

    bill = make_bill(subject=("permits.application", 42))
    tenant = world.serang.tenant
    assert not selectors.bill_is_paid(tenant=tenant, subject=("permits.application", 42), purpose="permits.retribution")
    body, headers = signed_callback(bill)
    services.payment_callback_receive(gateway_code="simulator", body=body, headers=headers, ip="10.0.0.1")
    assert selectors.bill_is_paid(tenant=tenant, subject=("permits.application", "42"))
    assert selectors.bill_is_paid(tenant=tenant, code=bill.code)
    # Another tenant asking about the same code learns nothing.
    assert not selectors.bill_is_paid(tenant=world.cilegon.tenant, code=bill.code)


def test_a_subject_from_another_tenant_is_refused(world, make_bill):
    from balai.core.accounts.models import Membership

    foreign = Membership.objects.filter(tenant=world.cilegon.tenant).first()
    with pytest.raises(ValueError):
        make_bill(subject=foreign)


def test_cancelling_needs_a_reason_and_only_an_unpaid_bill_can_be_cancelled(world, make_bill):
    bill = make_bill()
    admin = world.serang.people["admin"]
    with pytest.raises(ValidationError):
        services.bill_cancel(bill=bill, reason=" ", actor=admin)
    services.bill_cancel(bill=bill, reason="Tarif salah", actor=admin)
    bill.refresh_from_db()
    assert bill.status == Bill.Status.CANCELLED and bill.closed_reason == "Tarif salah"
    with pytest.raises(ValidationError) as exc:
        services.bill_cancel(bill=bill, reason="lagi", actor=admin)
    assert "tidak dapat diubah" in exc.value.messages[0]
    assert AuditEntry.objects.filter(tenant=world.serang.tenant, action="payments.bill_cancel").count() == 1


def test_unpaid_bills_past_their_due_time_expire(world, make_bill):
    bill = make_bill(due_at=timezone.now() + timedelta(minutes=5))
    assert services.bills_expire(now=timezone.now()) == 0
    assert services.bills_expire(now=timezone.now() + timedelta(minutes=6)) == 1
    bill.refresh_from_db()
    assert bill.status == Bill.Status.EXPIRED


def test_paid_handlers_match_on_dotted_prefixes():
    def handler(bill):
        return None

    services.register_paid_handler("permits", handler)
    try:
        assert handler in services.paid_handlers_for("permits.retribution")
        assert handler in services.paid_handlers_for("permits")
        assert handler not in services.paid_handlers_for("permitsx.retribution")
        assert handler not in services.paid_handlers_for("grants.refund")
    finally:
        services.unregister_paid_handler("permits", handler)
