"""The public face: choose your region, a tenant's services, the officer dashboard shell."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from balai.core.accounts.access import tenant_perm_required
from balai.core.accounts.selectors import membership_for
from balai.core.tenants.selectors import tenant_list, tenant_modules


def landing(request):
    tenants = tenant_list()
    provinces = [t for t in tenants if t.kind == t.Kind.PROVINCE]
    groups = [(p, [t for t in tenants if t.parent_id == p.pk]) for p in provinces]
    orphans = [t for t in tenants if t.kind != t.Kind.PROVINCE and t.parent_id is None]
    return render(request, "portal/landing.html", {"groups": groups, "orphans": orphans, "tenant_count": len(tenants)})


def tenant_home(request):
    return render(request, "portal/tenant_home.html", {"services": tenant_modules(tenant=request.tenant)})


@tenant_perm_required("dashboard.view")
def dashboard(request):
    membership = membership_for(user=request.user, tenant=request.tenant)
    return render(
        request,
        "portal/dashboard.html",
        {"roles": membership.role_labels(), "services": tenant_modules(tenant=request.tenant)},
    )


@cache_control(public=True, max_age=3600)
def tenant_logo(request):
    if not request.tenant.logo:
        raise Http404
    return FileResponse(request.tenant.logo.open("rb"))
