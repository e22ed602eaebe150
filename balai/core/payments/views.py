"""Tenant pages of payments: officers' bill list and detail, issuing and cancelling a bill, refunds,
reconciliation; and the payer's own bills.

There is no `payments.view` permission yet: viewing uses `dashboard.view` (every officer role holds
it) and every change uses `tenants.manage`, until a finance role declares its own permissions.
Bills are looked up through selectors with the request's tenant, so another tenant's bill is a 404.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required
from balai.core.accounts.selectors import user_by_email

from . import selectors, services
from .forms import BillCancelForm, BillCreateForm, BillFilterForm, ReconcileForm, RefundForm, ResolveForm
from .gateways import active_gateway, gateway_get

VIEW = "dashboard.view"  # stands in for a future "payments.view"
MANAGE = "tenants.manage"  # stands in for a future "payments.manage"


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _payment_link(request, bill, back: str) -> str | None:
    """Where the payer pays, with the page to come back to; None when the gateway is not available."""
    try:
        gateway = gateway_get(bill.gateway)
    except LookupError:
        return None
    if not gateway.is_available():
        return None
    url = gateway.create_payment(bill).payment_url
    return f"{url}?{urlencode({'kembali': back})}" if url.startswith("/") else url


@tenant_perm_required(VIEW)
def bill_list(request):
    form = BillFilterForm(request.GET or None)
    status, query = "", ""
    if form.is_valid():
        status, query = form.cleaned_data["status"], form.cleaned_data["q"]
    rows = selectors.bill_list(tenant=request.tenant, status=status or None, query=query)
    page = Paginator(rows, 50).get_page(request.GET.get("halaman"))
    return render(request, "payments/bill_list.html", {"form": form, "page": page, "status": status, "query": query})


@tenant_perm_required(VIEW)
def bill_detail(request, code):
    bill = selectors.bill_get(tenant=request.tenant, code=code)
    back = reverse("payments:bill_detail", kwargs={"tenant": request.tenant.slug, "code": bill.code})
    context = {
        "bill": bill,
        "payments": selectors.bill_payments(bill=bill),
        "refunds": selectors.bill_refunds(bill=bill),
        "callbacks": selectors.bill_callbacks(bill=bill),
        "refundable": selectors.bill_refundable(bill=bill),
        "payment_link": _payment_link(request, bill, back) if bill.status == bill.Status.UNPAID else None,
        "cancel_form": BillCancelForm(),
    }
    return render(request, "payments/bill_detail.html", context)


@tenant_perm_required(MANAGE)
def bill_create(request):
    form = BillCreateForm(request.POST or None)
    if request.method == "POST":
        valid = form.is_valid()
        email = form.cleaned_data.get("payer_email")
        payer_user = user_by_email(email=email) if email else None
        if email and payer_user is None:
            form.add_error("payer_email", _("Tidak ada akun dengan surel ini. Kosongkan isian ini atau periksa ejaannya."))
            valid = False
        if valid:
            data = form.cleaned_data
            try:
                bill = services.bill_create(
                    tenant=request.tenant, purpose="payments.manual", amount=data["amount"],
                    payer_name=data["payer_name"], payer_id=data["payer_id"] or None, payer_user=payer_user,
                    description=data["description"], due_at=timezone.now() + timedelta(days=data["due_days"]),
                    actor=request.user,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Tagihan %(code)s diterbitkan.") % {"code": bill.code})
                return redirect("payments:bill_detail", tenant=request.tenant.slug, code=bill.code)
        return render(request, "payments/bill_form.html", {"form": form}, status=400)
    return render(request, "payments/bill_form.html", {"form": form})


@require_POST
@tenant_perm_required(MANAGE)
def bill_cancel(request, code):
    bill = selectors.bill_get(tenant=request.tenant, code=code)
    form = BillCancelForm(request.POST)
    if form.is_valid():
        try:
            services.bill_cancel(bill=bill, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Tagihan %(code)s dibatalkan.") % {"code": bill.code})
    else:
        messages.error(request, _("Tagihan tidak dibatalkan: tuliskan alasan pembatalannya."))
    return redirect("payments:bill_detail", tenant=request.tenant.slug, code=bill.code)


@tenant_perm_required(MANAGE)
def refund_create(request, code):
    bill = selectors.bill_get(tenant=request.tenant, code=code)
    refundable = selectors.bill_refundable(bill=bill)
    form = RefundForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.refund_record(bill=bill, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Pengembalian dicatat."))
                return redirect("payments:bill_detail", tenant=request.tenant.slug, code=bill.code)
        return render(request, "payments/refund_form.html", {"form": form, "bill": bill, "refundable": refundable}, status=400)
    return render(request, "payments/refund_form.html", {"form": form, "bill": bill, "refundable": refundable})


def _yesterday(tenant):
    return timezone.localdate(timezone=ZoneInfo(tenant.timezone)) - timedelta(days=1)


@tenant_perm_required(MANAGE)
def reconciliation(request):
    tenant = request.tenant
    report = None
    if request.method == "POST":
        form = ReconcileForm(request.POST)
        if form.is_valid():
            report = services.reconcile(
                tenant=tenant, day=form.cleaned_data["day"], gateway=form.cleaned_data["gateway"], actor=request.user
            )
        status = 200 if report is not None else 400
    else:
        form = ReconcileForm(initial={"day": _yesterday(tenant), "gateway": active_gateway().code})
        status = 200
    context = {
        "form": form, "report": report, "open_discrepancies": selectors.discrepancies(tenant=tenant)[:200],
        "resolve_form": ResolveForm(),
    }
    return render(request, "payments/reconciliation.html", context, status=status)


@require_POST
@tenant_perm_required(MANAGE)
def discrepancy_resolve(request, pk):
    row = selectors.discrepancy_get(tenant=request.tenant, pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        services.discrepancy_resolve(discrepancy=row, note=form.cleaned_data["note"], actor=request.user)
        messages.success(request, _("Selisih %(ref)s ditandai selesai.") % {"ref": row.gateway_reference})
    else:
        messages.error(request, _("Selisih belum ditandai selesai: tuliskan tindakan yang sudah dilakukan."))
    return redirect("payments:reconciliation", tenant=request.tenant.slug)


# The payer's own bills ---------------------------------------------------------------------------


@login_required
def my_bills(request):
    rows = selectors.bills_of_payer(tenant=request.tenant, user=request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("halaman"))
    return render(request, "payments/my_bills.html", {"page": page})


@login_required
def my_bill_detail(request, code):
    bill = selectors.bill_of_payer(tenant=request.tenant, user=request.user, code=code)
    back = reverse("payments:my_bill_detail", kwargs={"tenant": request.tenant.slug, "code": bill.code})
    link = _payment_link(request, bill, back) if bill.status == bill.Status.UNPAID else None
    return render(request, "payments/my_bill_detail.html", {"bill": bill, "payment_link": link})
