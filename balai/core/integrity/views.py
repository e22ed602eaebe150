"""The inspectorate's pages: findings with filters and triage, running checks now, and run history.

Every page needs `integrity.view` (the role core.inspector); triage needs nothing more, so every
inspector may triage. A finding that concerns the viewer is left out of every list and its pages are
a 404, exactly like another tenant's finding (see selectors).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required

from . import registry, selectors, services
from .forms import FindingFilterForm, RunForm, TriageForm
from .models import CheckRun, Finding

VIEW = services.VIEW_PERM


def _check_titles() -> dict[str, str]:
    return {c.code: c.title for c in registry.checks()}


@tenant_perm_required(VIEW)
def finding_list(request):
    tenant = request.tenant
    form = FindingFilterForm(request.GET or None)
    filters = form.filters()
    run = None
    if request.GET.get("run", "").isdigit():
        run = selectors.run_get(tenant=tenant, viewer=request.user, pk=int(request.GET["run"]))
        filters["run"] = run
    rows = selectors.finding_list(tenant=tenant, viewer=request.user, **filters)
    page = Paginator(rows, 50).get_page(request.GET.get("halaman"))
    counts = selectors.finding_status_counts(tenant=tenant, viewer=request.user, **filters)
    # The query string without the status and the page, for the status tabs and the pager.
    kept = {k: v for k, v in request.GET.items() if k not in {"halaman", "status"} and v}
    context = {
        "form": form,
        "page": page,
        "run": run,
        "status_tabs": [(value, label, counts[value]) for value, label in Finding.Status.choices],
        "total": sum(counts.values()),
        "current_status": filters.get("status", ""),
        "base_query": urlencode(kept),
        "check_titles": _check_titles(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "integrity/finding_list.html", context, status=status)


def _detail(request, finding, *, form=None, status=200):
    context = {
        "finding": finding,
        "check": _check_or_none(finding.check_code),
        "notes": selectors.finding_notes(finding=finding),
        "form": form or TriageForm(finding=finding),
    }
    return render(request, "integrity/finding_detail.html", context, status=status)


def _check_or_none(code):
    try:
        return registry.check(code)
    except LookupError:
        return None


@tenant_perm_required(VIEW)
def finding_detail(request, pk):
    finding = selectors.finding_get(tenant=request.tenant, viewer=request.user, pk=pk)
    return _detail(request, finding)


@require_POST
@tenant_perm_required(VIEW)
def finding_triage(request, pk):
    finding = selectors.finding_get(tenant=request.tenant, viewer=request.user, pk=pk)
    form = TriageForm(request.POST, finding=finding)
    if form.is_valid():
        try:
            services.finding_triage(
                finding=finding, status=form.cleaned_data["status"], note=form.cleaned_data["note"], actor=request.user
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Hasil telaah disimpan."))
            return redirect("integrity:finding_detail", tenant=request.tenant.slug, pk=finding.pk)
    return _detail(request, finding, form=form, status=400)


@tenant_perm_required(VIEW)
def run_list(request):
    page = Paginator(selectors.run_list(tenant=request.tenant, viewer=request.user), 50).get_page(request.GET.get("halaman"))
    return render(request, "integrity/run_list.html", {"page": page, "form": RunForm(), "check_titles": _check_titles()})


@require_POST
@tenant_perm_required(VIEW)
def run_create(request):
    form = RunForm(request.POST)
    if not form.is_valid():
        page = Paginator(selectors.run_list(tenant=request.tenant, viewer=request.user), 50).get_page(None)
        return render(
            request, "integrity/run_list.html", {"page": page, "form": form, "check_titles": _check_titles()}, status=400
        )
    code = form.cleaned_data["check"]
    run = services.checks_run(
        tenant=request.tenant, codes=[code] if code else None, trigger=CheckRun.Trigger.ON_DEMAND, actor=request.user
    )
    if run.errors:
        messages.warning(request, _("Pemeriksaan selesai, tetapi sebagian gagal. Lihat galatnya di bawah."))
    else:
        messages.success(request, _("Pemeriksaan selesai."))
    return redirect("integrity:run_detail", tenant=request.tenant.slug, pk=run.pk)


@tenant_perm_required(VIEW)
def run_detail(request, pk):
    run = selectors.run_get(tenant=request.tenant, viewer=request.user, pk=pk)
    titles = _check_titles()
    context = {
        "run": run,
        "ran": [(code, titles.get(code, code), run.errors.get(code)) for code in run.checks],
        "skipped": [(code, titles.get(code, code)) for code in run.skipped],
    }
    return render(request, "integrity/run_detail.html", context)
