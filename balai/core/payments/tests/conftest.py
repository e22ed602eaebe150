from datetime import timedelta

import pytest
from django.utils import timezone

from balai.core.payments import services
from balai.core.payments.gateways import simulator


@pytest.fixture
def make_bill(world):
    def make(tw=None, *, amount=1_250_000, purpose="permits.retribution", payer=None, **extra):
        tw = tw or world.serang
        payer = payer or tw.people["citizen"]
        return services.bill_create(
            tenant=tw.tenant,
            purpose=purpose,
            amount=amount,
            payer_name=payer.full_name,
            payer_id="3673015708900002",
            payer_user=payer,
            description=extra.pop("description", "Retribusi Persetujuan Bangunan Gedung"),
            due_at=extra.pop("due_at", timezone.now() + timedelta(days=7)),
            actor=tw.people["admin"],
            **extra,
        )

    return make


@pytest.fixture
def paid_calls():
    """Bills the paid hook was called with, for purposes under "permits"."""
    calls = []

    def handler(bill):
        calls.append(bill.code)

    services.register_paid_handler("permits", handler)
    yield calls
    services.unregister_paid_handler("permits", handler)


def signed_callback(bill, *, amount=None, reference="BANK-0001", at=None):
    """A callback as the simulator would send it, without touching its ledger."""
    body = simulator.callback_body(
        billing_code=bill.code, reference=reference, amount=bill.amount if amount is None else amount,
        paid_at=at or timezone.now(),
    )
    return body, simulator.signed_headers(body, at=at)


def post_callback(client, body, headers, gateway="simulator"):
    return client.post(f"/pay/callback/{gateway}/", data=body, content_type="application/json", headers=headers)
