"""The back office's forms on a permit file that belong to the appointments app (they sit on the office's
file page through `{% include "permits/appointments/_file_bookings.html" %}` and come back to it):

- an exception to the attendance rule, with its reason: front-desk staff ("permits.counter") or a
  verifier ("permits.verify");
- the date of the field visit: an inspector ("permits.inspect"), the assigned one when the file is assigned.

A file of another tenant, or a draft, is a 404. Refusals come back as a message on the file page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required
from balai.core.audit.services import audit_refusal_soon

from . import selectors_file, services_file
from .forms import AttendanceOverrideForm, InspectionVisitForm
from .services import AppointmentRefused

OFFICER_PERM = "dashboard.view"


def _back(request, application) -> HttpResponseRedirect:
    url = reverse("permits:office_detail", kwargs={"tenant": request.tenant.slug, "pk": application.pk})
    return HttpResponseRedirect(url, status=303)


def _form_errors(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@require_POST
@tenant_perm_required(OFFICER_PERM)
def file_attendance_override(request, pk):
    tenant = request.tenant
    if not services_file.may_override_attendance(tenant=tenant, user=request.user):
        audit_refusal_soon(
            tenant=tenant,
            actor=request.user,
            action="permits.appointments.attendance_override_refused",
            object_type="permits.application",
            object_id=pk,
            data={"reason": "forbidden"},
            request=request,
        )
        raise PermissionDenied
    application = selectors_file.file_office_get(tenant=tenant, pk=pk)
    form = AttendanceOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(request, application)
    try:
        services_file.attendance_override_record(
            tenant=tenant, application=application, reason=form.cleaned_data["reason"], actor=request.user
        )
    except AppointmentRefused as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Pengecualian kehadiran dicatat. Berkas dapat diverifikasi."))
    return _back(request, application)


@require_POST
@tenant_perm_required(services_file.INSPECT_PERM)
def file_inspection_schedule(request, pk):
    tenant = request.tenant
    application = selectors_file.file_office_get(tenant=tenant, pk=pk)
    form = InspectionVisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(request, application)
    data = form.cleaned_data
    try:
        visit = services_file.inspection_visit_schedule(
            tenant=tenant,
            application=application,
            day=data["day"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            actor=request.user,
        )
    except AppointmentRefused as exc:
        messages.error(request, exc.messages[0])
    else:
        note = selectors_file.inspection_note_text(selectors_file.inspection_public_fact(visit.application))
        messages.success(request, _("%(schedule)s. Pemohon sudah diberi tahu.") % {"schedule": note})
    return _back(request, application)
