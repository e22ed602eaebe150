"""Reads on payments. Every read takes the tenant; another tenant's bill is a 404 (or None).

For modules: `bill_is_paid(tenant=..., subject=application, purpose="permits.retribution")` answers
"has this been paid?"; `subject_bills` lists the bills of one object.
"""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet, Sum
from django.http import Http404

from balai.core.tenants.models import Tenant

from .models import Bill, CallbackLog, Discrepancy, Payment, Refund


def bill_get(*, tenant: Tenant, code: str) -> Bill:
    bill = Bill.objects.filter(tenant=tenant, code=code).select_related("tenant", "created_by", "payer_user").first()
    if bill is None:
        raise Http404
    return bill


def bill_of_payer(*, tenant: Tenant, user, code: str) -> Bill:
    """A bill addressed to this person's account; 404 for anyone else's (same answer as "no such bill")."""
    bill = Bill.objects.filter(tenant=tenant, code=code, payer_user=user).select_related("tenant").first() if user.is_authenticated else None
    if bill is None:
        raise Http404
    return bill


def bill_for_payment_page(*, code: str) -> Bill | None:
    """The bill behind a billing code, across tenants: the payment page is reached by the code alone,
    as at a bank teller; it shows only what a teller would (amount, Pemda, masked payer)."""
    return Bill.objects.filter(code=code).select_related("tenant").first()


def bill_list(*, tenant: Tenant, status: str | None = None, query: str = "") -> QuerySet[Bill]:
    rows = Bill.objects.filter(tenant=tenant)
    if status:
        rows = rows.filter(status=status)
    query = (query or "").strip()
    if query:
        digits = "".join(ch for ch in query if ch.isdigit())
        condition = models.Q(payer_name__icontains=query) | models.Q(description__icontains=query)
        if digits:
            condition |= models.Q(code__startswith=digits) | models.Q(code__endswith=digits)
        rows = rows.filter(condition)
    return rows.order_by("-created_at", "-pk")


def bills_of_payer(*, tenant: Tenant, user) -> QuerySet[Bill]:
    return Bill.objects.filter(tenant=tenant, payer_user=user).order_by("-created_at", "-pk")


def _subject_filter(subject) -> dict:
    if isinstance(subject, tuple):
        return {"subject_type": str(subject[0]), "subject_id": str(subject[1])}
    return {"subject_type": subject._meta.label_lower, "subject_id": str(subject.pk)}


def subject_bills(*, tenant: Tenant, subject, purpose: str | None = None) -> QuerySet[Bill]:
    """The bills issued for one module object (model instance or `(type, id)`), newest first."""
    rows = Bill.objects.filter(tenant=tenant, **_subject_filter(subject))
    if purpose:
        rows = rows.filter(purpose=purpose)
    return rows.order_by("-created_at", "-pk")


def bill_is_paid(*, tenant: Tenant, code: str | None = None, subject=None, purpose: str | None = None) -> bool:
    """Whether the bill with this code, or any bill of this subject (and purpose), is paid."""
    if code is not None:
        return Bill.objects.filter(tenant=tenant, code=code, status=Bill.Status.PAID).exists()
    if subject is None:
        raise ValueError("Name the bill by code or by subject.")
    return subject_bills(tenant=tenant, subject=subject, purpose=purpose).filter(status=Bill.Status.PAID).exists()


def bill_payments(*, bill: Bill) -> list[Payment]:
    return list(Payment.objects.filter(tenant_id=bill.tenant_id, bill=bill).order_by("paid_at", "pk"))


def bill_refunds(*, bill: Bill) -> list[Refund]:
    return list(Refund.objects.filter(tenant_id=bill.tenant_id, bill=bill).select_related("recorded_by").order_by("created_at", "pk"))


def bill_callbacks(*, bill: Bill, limit: int = 50) -> list[CallbackLog]:
    return list(CallbackLog.objects.filter(tenant_id=bill.tenant_id, bill=bill).order_by("-created_at", "-pk")[:limit])


def bill_refundable(*, bill: Bill) -> int:
    paid = Payment.objects.filter(tenant_id=bill.tenant_id, bill=bill).aggregate(s=Sum("amount"))["s"] or 0
    refunded = Refund.objects.filter(tenant_id=bill.tenant_id, bill=bill).aggregate(s=Sum("amount"))["s"] or 0
    return paid - refunded


def discrepancies(*, tenant: Tenant, status: str | None = Discrepancy.Status.OPEN) -> QuerySet[Discrepancy]:
    rows = Discrepancy.objects.filter(tenant=tenant).select_related("bill")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-day", "kind", "gateway_reference")


def discrepancy_get(*, tenant: Tenant, pk: int) -> Discrepancy:
    row = Discrepancy.objects.filter(tenant=tenant, pk=pk).select_related("bill").first()
    if row is None:
        raise Http404
    return row
