"""Workflow pages: the tenant administrator's definitions, the officers' shared inbox and a file's timeline.

Modules keep their own pages for their cases (where the actions are taken); these pages are generic.
A module may narrow who opens its files here (`register_workflow(..., may_view=)`): the inbox then leaves
them out, and a file's page shows them whole only to those the module lets in.
"""

import json
from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core import registry
from balai.core.accounts.access import tenant_perm_required
from balai.core.audit.services import audit_refusal_soon
from balai.core.workdays.selectors import calendar_for

from . import selectors, services
from .definitions import OWNER, SYSTEM, DefinitionInvalid, parse, registered_workflows
from .forms import AssignForm, DefinitionOverrideForm
from .models import WorkflowInstance

MANAGE_PERM = "tenants.manage"
OFFICER_PERM = "dashboard.view"
PAGE_SIZE = 50


def _role_label(code: str) -> str:
    if code == OWNER:
        return _("Pemohon")
    if code == SYSTEM:
        return _("Sistem")
    found = registry.roles().get(code)
    return str(found.label) if found else code


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


@tenant_perm_required(MANAGE_PERM)
def definition_list(request):
    return render(request, "workflow/definition_list.html", {"summaries": selectors.definition_list(tenant=request.tenant)})


def _definition_context(summary, version: int | None):
    shown = None
    if version is not None:
        shown = next((v for v in summary.versions if v.version == version), None)
        if shown is None:
            raise Http404
    shown = shown or summary.current
    data = shown.definition if shown is not None else summary.registered.data
    parsed = parse(data)
    states = []
    for state in parsed.states.values():
        outgoing = [
            {
                "action": action,
                "target": parsed.states[action.target],
                "roles": [_role_label(r) for r in action.roles],
            }
            for action in parsed.actions_from(state.code)
        ]
        states.append({"state": state, "outgoing": outgoing, "escalations": parsed.escalations_for(state.code)})
    return {
        "summary": summary,
        "shown": shown,
        "parsed": parsed,
        "states": states,
        "data_json": json.dumps(data, indent=2, ensure_ascii=False),
        "is_module_default": shown is None or summary.registered is not None and shown.digest == summary.registered.digest,
    }


def _render_definition(request, summary, *, version=None, form=None, status=200):
    context = _definition_context(summary, version)
    context["form"] = form or DefinitionOverrideForm(initial={"definition": context["data_json"]})
    context["can_override"] = summary.registered is not None
    return render(request, "workflow/definition_detail.html", context, status=status)


@tenant_perm_required(MANAGE_PERM)
def definition_detail(request, code):
    summary = selectors.definition_summary(tenant=request.tenant, code=code)
    try:
        version = int(request.GET["versi"]) if request.GET.get("versi") else None
    except ValueError:
        version = None
    return _render_definition(request, summary, version=version)


@require_POST
@tenant_perm_required(MANAGE_PERM)
def definition_override(request, code):
    summary = selectors.definition_summary(tenant=request.tenant, code=code)
    if summary.registered is None:
        raise Http404
    form = DefinitionOverrideForm(request.POST)
    if form.is_valid():
        try:
            row = services.definition_override(
                tenant=request.tenant, code=code, data=form.cleaned_data["definition"], actor=request.user,
                note=form.cleaned_data["note"],
            )
        except DefinitionInvalid as exc:
            for error in exc.errors:
                form.add_error("definition", error)
        else:
            messages.success(
                request,
                _("Versi %(version)s disimpan dan berlaku untuk berkas baru; berkas yang sedang berjalan tetap memakai versinya.")
                % {"version": row.version},
            )
            return _see_other(reverse("workflow:definition_detail", kwargs={"tenant": request.tenant.slug, "code": code}))
    summary = selectors.definition_summary(tenant=request.tenant, code=code)
    return _render_definition(request, summary, form=form, status=400)


def _row_link(instance, urls) -> str:
    entry = urls.get(instance.code)
    if entry is not None and entry.subject_url is not None:
        return entry.subject_url(instance)
    return reverse("workflow:instance_detail", kwargs={"tenant": instance.tenant.slug, "pk": instance.pk})


@tenant_perm_required(OFFICER_PERM)
def inbox_page(request):
    tenant = request.tenant
    rows = selectors.inbox(tenant=tenant, user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("halaman"))
    calendar = calendar_for(tenant)
    today = calendar.today()
    urls = registered_workflows()
    items = []
    for instance in page.object_list:
        instance.tenant = tenant
        definition = instance.definition.parsed
        items.append(
            {
                "instance": instance,
                "workflow": definition.name,
                "state": definition.states[instance.state].name,
                "sla": selectors.sla_status(instance, calendar=calendar, today=today),
                "url": _row_link(instance, urls),
                "mine": instance.assignee_id == request.user.pk,
            }
        )
    return render(request, "workflow/inbox.html", {"page": page, "items": items, "today": today})


def _assign_choices(instance):
    roles = instance.definition.parsed.state_roles(instance.state)
    return [(u.pk, u.full_name or u.email) for u in services.holders_of(tenant=instance.tenant, roles=roles)]


def _instance_for(request, pk) -> tuple[WorkflowInstance, bool]:
    """The file and whether the viewer sees all of it, or 403 (audited).

    Those the module lets open its files see everything; whoever may only hand the open file out (the
    tenant's administrator, say) sees what assigning needs, not the history with its notes; anyone else
    is refused. Another tenant's file is a 404 (the selector)."""
    instance = selectors.instance_get(tenant=request.tenant, pk=pk)
    if selectors.may_view(tenant=request.tenant, user=request.user, code=instance.code):
        return instance, True
    if selectors.may_assign_instance(instance=instance, user=request.user):
        return instance, False
    audit_refusal_soon(
        tenant=request.tenant, actor=request.user, action="workflow.instance_view_refused", obj=instance,
        object_repr=f"{instance.code} #{instance.pk}", data={"code": instance.code, "reason": "module_rule"},
        request=request,
    )
    raise PermissionDenied


def _render_instance(request, instance, *, full: bool, form=None, status=200):
    line = selectors.timeline(instance=instance)
    if not full:
        # What reassigning needs (where the file stands, who held it): no title, history, notes or reasons.
        line = replace(line, steps=[])
    context = {
        "instance": instance,
        "full": full,
        "timeline": line,
        "workflow": instance.definition.parsed.name,
        "actions": selectors.available_actions(instance=instance, user=request.user) if full else [],
        "assign_form": None,
    }
    if not instance.is_terminal:
        context["assign_form"] = form or AssignForm(
            choices=_assign_choices(instance), initial={"assignee": instance.assignee_id}
        )
    return render(request, "workflow/instance_detail.html", context, status=status)


@tenant_perm_required(OFFICER_PERM)
def instance_detail(request, pk):
    instance, full = _instance_for(request, pk)
    return _render_instance(request, instance, full=full)


@require_POST
@tenant_perm_required(OFFICER_PERM)
def instance_assign(request, pk):
    instance, full = _instance_for(request, pk)
    form = AssignForm(request.POST, choices=_assign_choices(instance))
    if form.is_valid():
        chosen = form.cleaned_data["assignee"]
        assignee = next((u for u in services.holders_of(tenant=request.tenant, roles=instance.definition.parsed.state_roles(instance.state)) if u.pk == chosen), None)
        try:
            services.instance_assign(
                instance=instance, assignee=assignee, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AssignmentRefused as exc:
            form.add_error("reason" if exc.code == "reason" else None, exc.message)
        else:
            messages.success(request, _("Penugasan berkas disimpan."))
            return _see_other(reverse("workflow:instance_detail", kwargs={"tenant": request.tenant.slug, "pk": pk}))
    return _render_instance(request, instance, full=full, form=form, status=400)
