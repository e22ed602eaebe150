"""The tenant administrator's settings: services switched on, their settings, letterhead and logo."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core import registry
from balai.core.accounts.access import tenant_perm_required

from . import services
from .forms import TenantProfileForm, module_settings_form
from .selectors import tenant_module_states


def _module_forms(tenant, *, bound=None):
    found = []
    for manifest, row in tenant_module_states(tenant=tenant):
        values = {**manifest.default_settings(), **(row.settings if row else {})}
        enabled = bool(row and row.enabled)
        form = bound if bound is not None and bound.prefix == manifest.code else None
        found.append((manifest, form or module_settings_form(manifest, enabled=enabled, values=values)))
    return found


def _render(request, *, bound=None, profile_form=None, status=200):
    tenant = request.tenant
    profile_form = profile_form or TenantProfileForm(
        initial={"address": tenant.address, "phone": tenant.phone, "email": tenant.email, "website": tenant.website}
    )
    context = {"module_forms": _module_forms(tenant, bound=bound), "profile_form": profile_form}
    return render(request, "tenants/settings.html", context, status=status)


@tenant_perm_required("tenants.manage")
def settings_page(request):
    return _render(request)


@require_POST
@tenant_perm_required("tenants.manage")
def module_update(request, module):
    try:
        manifest = registry.module(module)
    except LookupError:
        raise Http404 from None
    if not manifest.switchable:
        raise Http404
    form = module_settings_form(manifest, data=request.POST, enabled=False, values={})
    if form.is_valid():
        data = dict(form.cleaned_data)
        enabled = data.pop("enabled")
        try:
            services.tenant_module_configure(
                tenant=request.tenant, module=module, enabled=enabled, settings=data, actor=request.user
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(request, _("Pengaturan %(name)s disimpan.") % {"name": manifest.name})
            return redirect("tenant_admin:settings", tenant=request.tenant.slug)
    return _render(request, bound=form, status=400)


@require_POST
@tenant_perm_required("tenants.manage")
def profile_update(request):
    form = TenantProfileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, profile_form=form, status=400)
    fields = {k: v for k, v in form.cleaned_data.items() if k != "logo"}
    if form.cleaned_data["logo"]:
        fields["logo"] = form.cleaned_data["logo"]
    services.tenant_profile_update(tenant=request.tenant, actor=request.user, **fields)
    messages.success(request, _("Profil dan kop surat disimpan."))
    return redirect("tenant_admin:settings", tenant=request.tenant.slug)
