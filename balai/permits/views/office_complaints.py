"""The office's complaint pages (pengaduan), under `/<tenant>/izin/kantor/pengaduan/`.

The list and a complaint are read by the permits staff and the inspectorate (like permit files); the
answer needs `ANSWER_PERM` (front desk, verifiers, approvers), checked here before any lookup and again
in the service. Complaints are looked up through a selector scoped to `request.tenant` (another
tenant's: 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required

from .. import selectors_complaints as selectors
from .. import services_complaints as services
from ..forms_complaints import ComplaintAnswerForm, ComplaintFilterForm
from .office import permits_office_required

PAGE_SIZE = 25


@permits_office_required(read_only=True, object_type="permits.complaint")
def office_complaint_list(request):
    tenant = request.tenant
    form = ComplaintFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    page = Paginator(selectors.office_complaints(tenant=tenant, status=status or None), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    return render(
        request,
        "permits/office/complaints.html",
        {
            "page": page,
            "rows": selectors.complaint_rows(tenant=tenant, complaints=page.object_list),
            "filter_form": form,
            "status": status,
            "open_count": selectors.open_complaint_count(tenant=tenant),
        },
    )


def _render_detail(request, complaint, *, form=None, status=200):
    tenant = request.tenant
    may_answer = services.may_answer(tenant=tenant, user=request.user)
    row = selectors.complaint_rows(tenant=tenant, complaints=[complaint])[0]
    if form is None and may_answer and row.is_open:
        form = ComplaintAnswerForm()
    others = [
        c
        for c in selectors.complaints_of_application(tenant=tenant, application=complaint.application)
        if c.pk != complaint.pk
    ]
    return render(
        request,
        "permits/office/complaint_detail.html",
        {
            "complaint": complaint,
            "row": row,
            "form": form if may_answer and row.is_open else None,
            "others": others,
        },
        status=status,
    )


@permits_office_required(read_only=True, object_type="permits.complaint")
def office_complaint_detail(request, pk):
    return _render_detail(request, selectors.complaint_get(tenant=request.tenant, pk=pk))


@require_POST
@tenant_perm_required(services.ANSWER_PERM)
def office_complaint_answer(request, pk):
    complaint = selectors.complaint_get(tenant=request.tenant, pk=pk)
    form = ComplaintAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_respond(
                complaint=complaint, response=form.cleaned_data["response"], actor=request.user
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages_ in errors.items():
                form.add_error(field if field in form.fields else None, messages_)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Anda tidak berwenang menjawab pengaduan."))
        else:
            messages.success(
                request, _("Jawaban terkirim. Pemohon diberi tahu dan membacanya di halaman permohonannya.")
            )
            url = reverse(
                "permits:office_complaint_detail", kwargs={"tenant": request.tenant.slug, "pk": complaint.pk}
            )
            return HttpResponseRedirect(url, status=303)
        complaint = selectors.complaint_get(tenant=request.tenant, pk=pk)
        if complaint.status != complaint.Status.OPEN:
            # Answered meanwhile by someone else: show that answer, and say why this one was not sent.
            for error in form.non_field_errors():
                messages.error(request, error)
            return _render_detail(request, complaint, status=409)
    return _render_detail(request, complaint, form=form, status=400)
