"""A person's in-app notifications (inbox, unread badge), and the administrator's notification templates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required

from . import defaults, selectors, services
from .access import signed_in_required
from .forms import TemplateForm
from .models import Language

PERM = "tenants.manage"
PAGE_SIZE = 30


@signed_in_required
def inbox(request):
    rows = selectors.inbox(tenant=request.tenant, user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("halaman"))
    unread = selectors.unread_count(tenant=request.tenant, user=request.user)
    return render(request, "notifications/inbox.html", {"page": page, "unread": unread})


@require_POST
@signed_in_required
def mark_read(request, pk):
    message = services.inapp_mark_read(tenant=request.tenant, user=request.user, message_id=pk)
    if request.POST.get("buka") and message.link.startswith("/"):
        return redirect(message.link)
    return redirect("notifications:inbox", tenant=request.tenant.slug)


@require_POST
@signed_in_required
def mark_all_read(request):
    count = services.inapp_mark_all_read(tenant=request.tenant, user=request.user)
    if count:
        messages.success(request, _("%(n)s notifikasi ditandai sudah dibaca.") % {"n": count})
    return redirect("notifications:inbox", tenant=request.tenant.slug)


@signed_in_required
def badge(request):
    """The navigation's link to the inbox with the unread count, as an htmx fragment."""
    count = selectors.unread_count(tenant=request.tenant, user=request.user)
    return render(request, "notifications/_badge.html", {"unread": count})


def _spec_or_404(code: str, language: str):
    spec = defaults.spec(code)
    if spec is None or language not in Language.values:
        raise Http404
    return spec


@tenant_perm_required(PERM)
def template_list(request):
    overrides = selectors.template_overrides(tenant=request.tenant)
    rows = [
        (spec, language, label, overrides.get((spec.code, language)))
        for spec in defaults.specs()
        for language, label in Language.choices
    ]
    context = {"rows": rows, "counts": selectors.outbox_counts(tenant=request.tenant)}
    return render(request, "notifications/template_list.html", context)


@tenant_perm_required(PERM)
def template_edit(request, code, language):
    spec = _spec_or_404(code, language)
    resolved = selectors.template_resolve(tenant=request.tenant, code=code, channel="", language=language)
    preview = None
    status = 200
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
            try:
                if request.POST.get("action") == "preview":
                    preview = services.template_preview(
                        tenant=request.tenant, code=code, language=language, subject=subject, body=body
                    )
                else:
                    services.template_save(
                        tenant=request.tenant, code=code, language=language, subject=subject, body=body, actor=request.user
                    )
                    messages.success(request, _("Templat %(name)s disimpan. Notifikasi berikutnya memakai teks ini.") % {"name": spec.label})
                    return redirect("notifications:template_edit", tenant=request.tenant.slug, code=code, language=language)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        if not form.is_valid():
            status = 400
    else:
        form = TemplateForm(initial={"subject": resolved.subject, "body": resolved.body})
    context = {
        "form": form,
        "spec": spec,
        "language": language,
        "language_label": dict(Language.choices)[language],
        "resolved": resolved,
        "preview": preview,
        "variables": sorted(spec.sample_context()),
    }
    return render(request, "notifications/template_form.html", context, status=status)


@require_POST
@tenant_perm_required(PERM)
def template_reset(request, code, language):
    spec = _spec_or_404(code, language)
    if services.template_reset(tenant=request.tenant, code=code, language=language, actor=request.user):
        messages.success(request, _("Templat %(name)s kembali memakai teks bawaan.") % {"name": spec.label})
    return redirect("notifications:template_edit", tenant=request.tenant.slug, code=code, language=language)
