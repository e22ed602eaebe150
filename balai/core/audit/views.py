"""Public digest pages (hashes and counts only, never who or what) and the inspectors' entry list."""

from django import forms
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.core.accounts.access import tenant_perm_required

from . import selectors


def _digest_json(digest) -> dict:
    return {
        "tenant": digest.tenant.slug if digest.tenant_id else None,
        "tenant_code": digest.tenant.code if digest.tenant_id else None,
        "day": digest.day.isoformat(),
        "seq": digest.seq,
        "entries": digest.entries,
        "head_hash": digest.head_hash,
        "published_at": digest.created_at.isoformat(),
    }


def digest(request):
    return render(request, "audit/digest.html", {"digests": selectors.latest_digests()})


def digest_json(request):
    digests = selectors.latest_digests()
    return JsonResponse({"generated_at": timezone.now().isoformat(), "digests": [_digest_json(d) for d in digests]})


def tenant_digest(request):
    return render(request, "audit/tenant_digest.html", {"digests": selectors.tenant_digests(tenant=request.tenant)})


def tenant_digest_json(request):
    digests = selectors.tenant_digests(tenant=request.tenant)
    return JsonResponse({"generated_at": timezone.now().isoformat(), "digests": [_digest_json(d) for d in digests]})


class EntryFilterForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Tindakan"), required=False)

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Semua tindakan"))] + [(a, a) for a in actions]
        self.fields["action"].error_messages["invalid_choice"] = _(
            "Tindakan itu tidak ada dalam jejak audit Pemda ini; pilih salah satu dari daftar."
        )


@tenant_perm_required("integrity.view")
def entries(request):
    tenant = request.tenant
    form = EntryFilterForm(request.GET or None, actions=selectors.entry_actions(tenant=tenant))
    action = form.cleaned_data["action"] if form.is_bound and form.is_valid() else None
    page = Paginator(selectors.entry_list(tenant=tenant, action=action), 50).get_page(request.GET.get("halaman"))
    return render(
        request,
        "audit/entries.html",
        {"form": form, "page": page, "action": action or ""},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
