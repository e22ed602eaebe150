import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from balai.core.audit.models import AuditEntry
from balai.core.payments import services
from balai.core.payments.models import Refund
from balai.testing.clients import login

from .conftest import signed_callback


@pytest.fixture
def paid_bill(world, make_bill):
    bill = make_bill(amount=500_000, purpose="grants.refund")
    body, headers = signed_callback(bill)
    services.payment_callback_receive(gateway_code="simulator", body=body, headers=headers, ip="")
    bill.refresh_from_db()
    return bill


def test_refunds_add_up_to_at_most_what_was_paid(world, paid_bill):
    admin = world.serang.people["admin"]
    services.refund_record(bill=paid_bill, amount=300_000, reason="Sisa dana hibah", actor=admin)
    with pytest.raises(ValidationError) as exc:
        services.refund_record(bill=paid_bill, amount=200_001, reason="Lagi", actor=admin)
    assert "Rp 200.000" in exc.value.message_dict["amount"][0]
    services.refund_record(bill=paid_bill, amount=200_000, reason="Sisa", actor=admin, gateway_reference="TRF-1")
    assert sum(Refund.objects.values_list("amount", flat=True)) == 500_000
    assert AuditEntry.objects.filter(tenant=world.serang.tenant, action="payments.refund_record").count() == 2


def test_an_unpaid_bill_has_nothing_to_refund(world, make_bill):
    bill = make_bill()
    with pytest.raises(ValidationError) as exc:
        services.refund_record(bill=bill, amount=1, reason="x", actor=world.serang.people["admin"])
    assert "belum dibayar" in exc.value.message_dict["amount"][0]


@pytest.mark.parametrize("amount", [0, -1, 1.5])
def test_refund_amounts_must_be_positive_whole_rupiah(world, paid_bill, amount):
    with pytest.raises(ValidationError):
        services.refund_record(bill=paid_bill, amount=amount, reason="x", actor=world.serang.people["admin"])
    assert not Refund.objects.exists()


def test_the_refund_form_reads_rupiah_as_people_write_it_and_explains_refusals(world, paid_bill):
    client = login(Client(), world.serang.people["admin"])
    url = f"/{world.serang.tenant.slug}/pembayaran/tagihan/{paid_bill.code}/pengembalian/"
    response = client.post(url, {"amount": "1.000,50", "reason": "Kelebihan"})
    assert response.status_code == 400
    assert "tanpa sen" in response.content.decode()
    response = client.post(url, {"amount": "Rp 600.000", "reason": "Kelebihan"})
    assert response.status_code == 400
    assert "Rp 500.000" in response.content.decode()
    response = client.post(url, {"amount": "Rp 125.000", "reason": "Kelebihan bayar"})
    assert response.status_code == 302
    assert Refund.objects.get().amount == 125_000
