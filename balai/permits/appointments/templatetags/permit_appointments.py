"""Panels of the appointments app that the permit file pages include without their views knowing about
appointments (they need only `application` and `request` in the context):

{% include "permits/appointments/_file_bookings.html" %}     office file page: bookings, attendance, the
                                                             exception form, the field-visit date and its form
{% include "permits/appointments/_file_appointment.html" %}  applicant's file page: this file's booking, or
                                                             "Pesan jadwal" (booking with the file preselected)
{% include "permits/appointments/_file_inspection.html" %}   applicant's file page: the field-visit date
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from .. import selectors_file, services_file
from ..forms import AttendanceOverrideForm, InspectionVisitForm

register = template.Library()


def _state(application) -> str:
    return application.workflow.state if application.workflow_id else ""


@register.inclusion_tag("permits/appointments/_file_bookings_panel.html", takes_context=True)
def file_bookings(context, application):
    request = context["request"]
    tenant = request.tenant
    needs = application.permit_type.needs_appointment
    is_open = selectors_file.file_is_open(application)
    bookings = selectors_file.file_bookings(tenant=tenant, application=application) if needs else []
    override = (
        selectors_file.attendance_override_of(tenant=tenant, application=application) if needs else None
    )
    attended = next((b for b in bookings if b.status == "attended"), None)
    may_override = (
        needs
        and is_open
        and attended is None
        and override is None
        and services_file.may_override_attendance(tenant=tenant, user=request.user)
    )
    visits = selectors_file.inspection_visits(tenant=tenant, application=application)
    may_schedule = services_file.may_schedule_inspection(
        tenant=tenant, user=request.user, application=application
    )
    return {
        "tenant": tenant,
        "application": application,
        "csrf_token": context.get("csrf_token"),
        "needs_appointment": needs,
        "bookings": bookings,
        "attended": attended,
        "override": override,
        "override_form": AttendanceOverrideForm() if may_override else None,
        "in_inspection": _state(application) == "inspection",
        "visit": visits[0] if visits else None,
        "earlier_visits": visits[1:],
        "visit_form": InspectionVisitForm() if may_schedule else None,
    }


@register.inclusion_tag("permits/appointments/_file_appointment_panel.html", takes_context=True)
def file_appointment(context, application):
    request = context["request"]
    tenant = request.tenant
    show = application.permit_type.needs_appointment and bool(application.registration_number)
    if not show:
        return {"show": False}
    bookings = selectors_file.file_bookings(tenant=tenant, application=application)
    is_applicant = request.user.is_authenticated and request.user.pk == application.applicant_id
    active = next((b for b in bookings if b.status == "active"), None)
    attended = next((b for b in bookings if b.status == "attended"), None)
    override = selectors_file.attendance_override_of(tenant=tenant, application=application)
    is_open = selectors_file.file_is_open(application)
    book_url = ""
    if is_applicant and is_open and active is None and attended is None and override is None:
        book_url = (
            reverse(
                "permits:appointments:book",
                kwargs={"tenant": tenant.slug, "type_id": application.permit_type_id},
            )
            + "?"
            + urlencode({"berkas": application.registration_number})
        )
    missed = (
        next((b for b in bookings if b.status == "no_show"), None)
        if active is None and attended is None
        else None
    )
    return {
        "show": is_open or attended is not None or active is not None,
        "tenant": tenant,
        "is_applicant": is_applicant,
        "active": active,
        "attended": attended,
        "override": override,
        "missed": missed,
        "book_url": book_url,
    }


@register.inclusion_tag("permits/appointments/_file_inspection_panel.html", takes_context=True)
def file_inspection(context, application):
    tenant = context["request"].tenant
    in_inspection = _state(application) == "inspection"
    visit = (
        selectors_file.inspection_visit_current(tenant=tenant, application=application)
        if in_inspection
        else None
    )
    return {"in_inspection": in_inspection, "visit": visit}
