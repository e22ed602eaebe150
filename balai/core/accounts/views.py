from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from .access import tenant_perm_required
from .selectors import officer_list as select_officers
from .selectors import user_memberships


@login_required
def account_home(request):
    return render(request, "accounts/home.html", {"memberships": user_memberships(user=request.user)})


def two_factor(request):  # placeholder until the TOTP step lands
    return HttpResponse("TODO", status=501)


def register(request):  # placeholder until citizen registration lands
    return HttpResponse("TODO", status=501)


@tenant_perm_required("accounts.manage_officers")
def officer_list(request):
    return render(request, "accounts/officer_list.html", {"officers": select_officers(tenant=request.tenant)})
