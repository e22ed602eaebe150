"""Platform-level payment routes, outside any tenant: the gateways' callback endpoint and the
simulator's payment page (the stand-in for a bank's page in the demo and the tests)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from balai.core.ratelimit import client_ip

from . import selectors, services
from .gateways import simulator
from .models import Bill


# Machine-to-machine: the gateway's server posts here, with no session and no CSRF token. The request
# is authenticated by the HMAC signature over its raw body instead, which the service verifies
# before anything is read from it; forged ones are logged, audited and refused.
@csrf_exempt
@require_POST
def callback(request, gateway_code):
    outcome = services.payment_callback_receive(
        gateway_code=gateway_code, body=request.body, headers=dict(request.headers), ip=client_ip(request)
    )
    return JsonResponse({"status": outcome.status}, status=outcome.http_status)


def _safe_back(request) -> str:
    """The page on our own site to return to; anything else (another host, `javascript:`) is dropped."""
    back = request.POST.get("kembali") or request.GET.get("kembali") or ""
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return back
    return ""


def simulator_page(request, code):
    """The simulated bank page: shows the bill; "Bayar" collects and sends us a signed callback."""
    if not simulator.is_available():
        raise Http404
    bill = selectors.bill_for_payment_page(code=code)
    if bill is None or bill.gateway != simulator.code:
        raise Http404
    overdue = bill.due_at is not None and bill.due_at <= timezone.now()
    if request.method == "POST":
        back = _safe_back(request) or request.path
        if request.POST.get("action") != "pay":
            messages.info(request, _("Pembayaran dibatalkan. Tagihan belum dibayar."))
            return redirect(back)
        if bill.status == Bill.Status.PAID:
            messages.info(request, _("Tagihan ini sudah lunas; tidak perlu dibayar lagi."))
            return redirect(back)
        if bill.status != Bill.Status.UNPAID or overdue:
            messages.error(request, _("Tagihan ini sudah ditutup atau lewat batas bayar. Minta petugas menerbitkan tagihan baru."))
            return redirect(back)
        body, headers = simulator.collect(bill)
        # In-process, through the same service as the HTTP endpoint: no request to ourselves.
        outcome = services.payment_callback_receive(
            gateway_code=simulator.code, body=body, headers=headers, ip=client_ip(request)
        )
        if outcome.ok:
            messages.success(request, _("Pembayaran diterima. Tagihan %(code)s lunas.") % {"code": bill.code})
        else:
            messages.error(request, _("Pembayaran tidak dapat dicatat (%(status)s). Hubungi petugas.") % {"status": outcome.status})
        return redirect(back)
    back = _safe_back(request)
    return render(request, "payments/simulator.html", {"bill": bill, "overdue": overdue, "back": back})

