from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from balai.core.audit.models import AuditEntry
from balai.core.payments import services
from balai.core.payments.gateways import simulator
from balai.core.payments.models import Discrepancy, Payment, SimulatedTransaction
from balai.testing.clients import login

from .conftest import signed_callback

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def day():
    return timezone.localdate(timezone=WIB)


def _deliver(bill, at=None):
    body, headers = simulator.collect(bill, at=at)
    return services.payment_callback_receive(gateway_code="simulator", body=body, headers=headers, ip="")


def test_it_finds_each_kind_of_discrepancy_and_fixes_none(world, make_bill, day):
    tenant = world.serang.tenant
    matched = make_bill(amount=100_000)
    _deliver(matched)
    # The gateway collected, but its callback never reached us.
    lost = make_bill(amount=200_000)
    simulator.collect(lost)
    # We recorded a payment the gateway does not report (a forged callback that got through, say).
    phantom = make_bill(amount=300_000)
    body, headers = signed_callback(phantom, reference="NOT-AT-BANK")
    services.payment_callback_receive(gateway_code="simulator", body=body, headers=headers, ip="")
    # Both sides know the payment but disagree about the amount.
    differs = make_bill(amount=400_000)
    outcome = _deliver(differs)
    SimulatedTransaction.objects.filter(reference=outcome.payment.gateway_reference).update(amount=40_000)
    # Another tenant's traffic is not ours to reconcile.
    _deliver(make_bill(world.cilegon, amount=999))

    report = services.reconcile(tenant=tenant, day=day, actor=world.serang.people["admin"])
    assert [line.bill for line in report.matched] == [matched]
    assert [(line.bill, line.gateway_amount, line.our_amount) for line in report.missing_here] == [(lost, 200_000, None)]
    assert [(line.bill, line.reference) for line in report.missing_at_gateway] == [(phantom, "NOT-AT-BANK")]
    assert [(line.bill, line.our_amount, line.gateway_amount) for line in report.amount_mismatches] == [(differs, 400_000, 40_000)]
    # Nothing fixed silently: the lost payment is still not recorded, the bill still unpaid.
    lost.refresh_from_db()
    assert lost.status == "unpaid" and not Payment.objects.filter(bill=lost).exists()
    rows = Discrepancy.objects.filter(tenant=tenant, status="open")
    assert sorted(rows.values_list("kind", flat=True)) == ["amount_mismatch", "missing_at_gateway", "missing_here"]
    entry = AuditEntry.objects.get(tenant=tenant, action="payments.reconcile")
    assert entry.data == {"matched": 1, "missing_here": 1, "missing_at_gateway": 1, "amount_mismatches": 1}

    # Running again finds the same differences without recording them twice.
    services.reconcile(tenant=tenant, day=day)
    assert Discrepancy.objects.filter(tenant=tenant).count() == 3


def test_only_the_days_payments_are_compared_in_the_tenants_time_zone(world, make_bill, day):
    yesterday_late = datetime.combine(day - timedelta(days=1), datetime.min.time(), WIB) + timedelta(hours=23, minutes=59)
    old = make_bill(amount=100_000)
    # Paid yesterday at 23:59 WIB; the callback itself is signed (fresh) now.
    _deliver(old, at=yesterday_late)
    assert services.reconcile(tenant=world.serang.tenant, day=day, record=False).matched == []
    report = services.reconcile(tenant=world.serang.tenant, day=day - timedelta(days=1), record=False)
    assert [line.bill for line in report.matched] == [old]
    assert not Discrepancy.objects.exists()


def test_a_resolved_discrepancy_leaves_the_open_list_with_the_note_audited(world, make_bill, day):
    lost = make_bill(amount=200_000)
    simulator.collect(lost)
    services.reconcile(tenant=world.serang.tenant, day=day)
    row = Discrepancy.objects.get()
    client = login(Client(), world.serang.people["admin"])
    slug = world.serang.tenant.slug
    response = client.post(f"/{slug}/pembayaran/rekonsiliasi/selisih/{row.pk}/selesai/", {"note": "Bukti bayar diteruskan"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "resolved"
    assert AuditEntry.objects.get(action="payments.discrepancy_resolve").data["note"] == "Bukti bayar diteruskan"


def test_the_reconciliation_page_runs_a_day_and_shows_the_counts(world, make_bill, day):
    lost = make_bill(amount=200_000)
    simulator.collect(lost)
    client = login(Client(), world.serang.people["admin"])
    url = f"/{world.serang.tenant.slug}/pembayaran/rekonsiliasi/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"day": day.isoformat(), "gateway": "simulator"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 dibayar di kanal tetapi tidak tercatat di Balai" in html
    assert lost.code in html and "Rp 200.000" in html


def test_the_command_reconciles_one_tenant_or_all(world, make_bill, day):
    simulator.collect(make_bill(amount=200_000))
    out = StringIO()
    call_command("payments_reconcile", "--tenant", world.serang.tenant.slug, "--day", day.isoformat(), stdout=out)
    assert "missing here 1" in out.getvalue()
    out = StringIO()
    call_command("payments_reconcile", "--day", day.isoformat(), stdout=out)
    assert world.cilegon.tenant.slug in out.getvalue() and "1 discrepancies recorded." in out.getvalue()
