from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from balai.core.payments import services
from balai.core.payments.gateways import simulator
from balai.core.payments.models import Discrepancy
from balai.testing.routes import Route

VIEWERS = {"anonymous": 302, "outsider": 403, "citizen": 403}
ADMIN_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403}
ADMIN_POST = {**ADMIN_ONLY, "admin": 302}
PAYER_ONLY = {"anonymous": 302, "citizen": 200}


def build(tw):
    admin, citizen = tw.people["admin"], tw.people["citizen"]
    due = timezone.now() + timedelta(days=7)
    unpaid = services.bill_create(
        tenant=tw.tenant, purpose="permits.retribution", amount=1_250_000, payer_name=citizen.full_name,
        payer_id="3673010101900001", payer_user=citizen, description=f"Retribusi PBG {tw.key}", due_at=due, actor=admin,
    )
    paid = services.bill_create(
        tenant=tw.tenant, purpose="grants.refund", amount=500_000, payer_name=f"Yayasan {tw.key}",
        description="Pengembalian sisa hibah", due_at=due, actor=admin,
    )
    body, headers = simulator.collect(paid)
    services.payment_callback_receive(gateway_code=simulator.code, body=body, headers=headers, ip="127.0.0.1")
    # Collected by the gateway, never reported to us: reconciliation flags it.
    lost = services.bill_create(
        tenant=tw.tenant, purpose="payments.manual", amount=75_000, payer_name="Tanpa callback",
        description="Retribusi lain-lain", due_at=due, actor=admin,
    )
    simulator.collect(lost)
    services.reconcile(tenant=tw.tenant, day=timezone.localdate(timezone=ZoneInfo(tw.tenant.timezone)), actor=admin)
    tw.objects.update(
        payments_bill=unpaid, payments_paid_bill=paid, payments_discrepancy=Discrepancy.objects.get(tenant=tw.tenant, bill=lost)
    )


def _code(key):
    return lambda tw: {"code": tw.objects[key].code}


RULES = [
    Route("payments:bill_list", get=VIEWERS),
    Route(
        "payments:bill_create",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        post_data=lambda tw: {"payer_name": "Warga Baru", "amount": "Rp 150.000", "description": "Retribusi", "due_days": "7"},
    ),
    Route("payments:bill_detail", get=VIEWERS, kwargs=_code("payments_bill")),
    Route(
        "payments:bill_cancel", default=405, post=ADMIN_POST, kwargs=_code("payments_bill"),
        post_data=lambda tw: {"reason": "Salah tarif"},
    ),
    Route(
        "payments:refund_create",
        get=ADMIN_ONLY,
        post=ADMIN_POST,
        kwargs=_code("payments_paid_bill"),
        post_data=lambda tw: {"amount": "1.000", "reason": "Kelebihan bayar"},
    ),
    Route(
        "payments:reconciliation",
        get=ADMIN_ONLY,
        post={**ADMIN_ONLY, "admin": 200},
        post_data=lambda tw: {"day": timezone.localdate().isoformat(), "gateway": "simulator"},
    ),
    Route(
        "payments:discrepancy_resolve", default=405, post=ADMIN_POST,
        kwargs=lambda tw: {"pk": tw.objects["payments_discrepancy"].pk}, post_data=lambda tw: {"note": "Dicatat manual"},
    ),
    Route("payments:my_bills", get={"anonymous": 302}),
    Route("payments:my_bill_detail", get=PAYER_ONLY, default=404, kwargs=_code("payments_bill")),
    # Machine-to-machine, authenticated by the HMAC signature only: an unsigned POST is refused by anyone.
    Route("pay:callback", default=405, post_default=403, kwargs=lambda tw: {"gateway_code": "simulator"}),
    # The simulated bank page is reached by the billing code alone, as at a bank's teller.
    Route("pay:simulator", post_default=302, kwargs=_code("payments_bill"), post_data=lambda tw: {"action": "pay"}),
]
