"""Pages of the appointments app, under `/<tenant>/izin/janji-temu/` (namespace "permits:appointments").

Permissions: the public page needs none; booking, "my bookings" and powers of attorney need
"citizen.apply"; the front desk needs "permits.counter" (role permits.frontdesk); capacity
administration needs "tenants.manage" (the tenant administrator).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import tenant_perm_required
from balai.core.workdays.selectors import calendar_for

from . import clock, selectors, selectors_file, services
from .forms import (
    AttendanceForm,
    BookingForm,
    ChangeForm,
    DeskDayForm,
    PowerOfAttorneyDecisionForm,
    PowerOfAttorneyForm,
    PublishForm,
    SlotChoiceForm,
    windows_as_text,
)
from .services import AppointmentRefused

APPLY_PERM = "citizen.apply"
DESK_PERM = services.FRONTDESK_PERM
ADMIN_PERM = services.ADMIN_PERM
PUBLIC_DAYS = 31


def _refusal_to_form(form, exc: AppointmentRefused, field=None) -> None:
    for message in exc.messages:
        form.add_error(field, message)


# --- public ------------------------------------------------------------------------------------------


def public_index(request):
    tenant = request.tenant
    return render(request, "permit_appointments/public_index.html", {"services": selectors.appointment_services(tenant=tenant)})


def public_service(request, type_id):
    tenant = request.tenant
    service = selectors.appointment_service_get(tenant=tenant, pk=type_id)
    now = clock.now()
    today = calendar_for(tenant).local_date(now)
    days = selectors.service_days(tenant=tenant, permit_type=service, first=today, last=today + dt.timedelta(days=PUBLIC_DAYS), now=now)
    return render(
        request,
        "permit_appointments/public_service.html",
        {"service": service, "days": days, "changes": selectors.capacity_changes_public(tenant=tenant, permit_type=service)},
    )


# --- applicants --------------------------------------------------------------------------------------


@tenant_perm_required(APPLY_PERM)
def book(request, type_id):
    """Book a window of a service. `?berkas=<registration number or id>` (the link on the applicant's file
    page) preselects one of the person's own files of this service; a file that is not theirs is a 404."""
    tenant = request.tenant
    service = selectors.appointment_service_get(tenant=tenant, pk=type_id)
    slots = selectors.bookable_slots(tenant=tenant, permit_type=service, now=clock.now())
    files = selectors_file.files_for_booking(tenant=tenant, user=request.user, permit_type=service)
    chosen = None
    if request.GET.get("berkas"):
        chosen = selectors_file.file_for_booking(
            tenant=tenant, user=request.user, permit_type=service, ref=request.GET["berkas"]
        )
        if chosen.pk not in {f.pk for f in files}:
            files.append(chosen)  # closed or otherwise unbookable: the service says why on submit
    elif len(files) == 1:
        chosen = files[0]
    initial = {"applicant_nik": request.user.nik or "", "application": chosen.pk if chosen else None}
    form = BookingForm(request.POST or None, slots=slots, files=files, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            slot = next(s for s in slots if s.pk == form.cleaned_data["slot"])
            file_pk = form.cleaned_data.get("application")
            application = next((f for f in files if f.pk == file_pk), None)
            try:
                booking = services.booking_create(
                    tenant=tenant, permit_type=service, day=slot.day, window=slot, booker=request.user,
                    applicant_nik=form.cleaned_data["applicant_nik"], contact_phone=form.cleaned_data["contact_phone"],
                    application=application, actor=request.user, request=request,
                )
            except AppointmentRefused as exc:
                field = {"nik": "applicant_nik", "no_power_of_attorney": "applicant_nik", "application": "application",
                         "application_closed": "application", "file_duplicate": "application"}.get(exc.code)
                _refusal_to_form(form, exc, field if field in form.fields else None)
            else:
                messages.success(
                    request,
                    _("Janji temu Anda tercatat dengan kode %(code)s. Tunjukkan kode ini di loket.") % {"code": booking.code},
                )
                if application is not None:
                    return redirect("permits:applicant_detail", tenant=tenant.slug, pk=application.pk)
                return redirect("permits:appointments:mine", tenant=tenant.slug)
    return render(
        request, "permit_appointments/book.html",
        {"service": service, "form": form, "slots": slots, "chosen": chosen}, status=status,
    )


@tenant_perm_required(APPLY_PERM)
def mine(request):
    tenant = request.tenant
    bookings = selectors.bookings_of_person(tenant=tenant, user=request.user)[:100]
    return render(
        request, "permit_appointments/mine.html",
        {"bookings": bookings, "reschedules_allowed": services._settings(tenant)["reschedules_allowed"]},
    )


@tenant_perm_required(APPLY_PERM)
def reschedule(request, code):
    tenant = request.tenant
    booking = selectors.booking_for_person(tenant=tenant, user=request.user, code=code)
    slots = [s for s in selectors.bookable_slots(tenant=tenant, permit_type=booking.permit_type, now=clock.now()) if s.pk != booking.slot_id]
    form = SlotChoiceForm(request.POST or None, slots=slots)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            slot = next(s for s in slots if s.pk == form.cleaned_data["slot"])
            try:
                services.booking_reschedule(tenant=tenant, booking=booking, window=slot, actor=request.user, request=request)
            except AppointmentRefused as exc:
                _refusal_to_form(form, exc)
            else:
                messages.success(request, _("Janji temu %(code)s dipindahkan.") % {"code": booking.code})
                return redirect("permits:appointments:mine", tenant=tenant.slug)
    return render(request, "permit_appointments/reschedule.html", {"booking": booking, "form": form}, status=status)


@tenant_perm_required(APPLY_PERM)
def cancel(request, code):
    tenant = request.tenant
    booking = selectors.booking_for_person(tenant=tenant, user=request.user, code=code)
    error = None
    if request.method == "POST":
        try:
            services.booking_cancel(tenant=tenant, booking=booking, actor=request.user)
        except AppointmentRefused as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Janji temu %(code)s dibatalkan; tempatnya kembali tersedia untuk umum.") % {"code": booking.code})
            return redirect("permits:appointments:mine", tenant=tenant.slug)
    return render(
        request, "permit_appointments/cancel.html", {"booking": booking, "error": error}, status=400 if error else 200
    )


@tenant_perm_required(APPLY_PERM)
def powers_of_attorney(request):
    tenant = request.tenant
    service_list = selectors.appointment_services(tenant=tenant)
    form = PowerOfAttorneyForm(request.POST or None, request.FILES or None, services=service_list)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            permit_type = selectors.appointment_service_get(tenant=tenant, pk=data["permit_type"]) if data["permit_type"] else None
            try:
                services.power_of_attorney_register(
                    tenant=tenant, applicant=request.user, agent_email=data["agent_email"], valid_until=data["valid_until"],
                    upload=data["document"], permit_type=permit_type, actor=request.user,
                )
            except AppointmentRefused as exc:
                field = {"agent_unknown": "agent_email", "agent_self": "agent_email", "valid_until": "valid_until"}.get(exc.code)
                _refusal_to_form(form, exc, field)
            except ValidationError as exc:  # the upload was refused by its content
                _refusal_to_form(form, AppointmentRefused(exc.messages[0], "upload"), "document")
            else:
                messages.success(request, _("Surat kuasa terkirim. Petugas loket akan memverifikasinya."))
                return redirect("permits:appointments:powers_of_attorney", tenant=tenant.slug)
    letters = selectors.powers_of_attorney_of(tenant=tenant, user=request.user)
    return render(request, "permit_appointments/powers_of_attorney.html", {"form": form, "letters": letters}, status=status)


@require_POST
@tenant_perm_required(APPLY_PERM)
def power_of_attorney_revoke(request, pk):
    tenant = request.tenant
    poa = selectors.power_of_attorney_for_applicant(tenant=tenant, user=request.user, pk=pk)
    try:
        services.power_of_attorney_revoke(tenant=tenant, poa=poa, actor=request.user)
    except AppointmentRefused as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Surat kuasa dicabut."))
    return redirect("permits:appointments:powers_of_attorney", tenant=tenant.slug)


# --- front desk --------------------------------------------------------------------------------------


@tenant_perm_required(DESK_PERM)
def desk_day(request):
    tenant = request.tenant
    form = DeskDayForm(request.GET or None)
    day = form.cleaned_data["day"] if form.is_valid() and form.cleaned_data["day"] else calendar_for(tenant).local_date(clock.now())
    bookings = selectors.desk_day_bookings(tenant=tenant, day=day)
    return render(
        request, "permit_appointments/desk_day.html",
        {"form": form, "day": day, "bookings": bookings, "attendance_form": AttendanceForm(),
         "pending_letters": len(selectors.powers_of_attorney_pending(tenant=tenant))},
    )


@require_POST
@tenant_perm_required(DESK_PERM)
def desk_mark(request, code):
    tenant = request.tenant
    booking = selectors.booking_for_desk(tenant=tenant, code=code)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih hadir atau tidak hadir."))
    else:
        try:
            services.booking_mark_attendance(tenant=tenant, booking=booking, outcome=form.cleaned_data["outcome"], actor=request.user)
        except AppointmentRefused as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Kehadiran %(code)s dicatat.") % {"code": booking.code})
    return redirect(f"{_desk_url(tenant)}?day={booking.day.isoformat()}")


def _desk_url(tenant) -> str:
    from django.urls import reverse

    return reverse("permits:appointments:desk_day", kwargs={"tenant": tenant.slug})


@tenant_perm_required(DESK_PERM)
def desk_powers_of_attorney(request):
    letters = selectors.powers_of_attorney_pending(tenant=request.tenant)
    return render(request, "permit_appointments/desk_poa_list.html", {"letters": letters})


@tenant_perm_required(DESK_PERM)
def desk_power_of_attorney(request, pk):
    tenant = request.tenant
    poa = selectors.power_of_attorney_get(tenant=tenant, pk=pk)
    form = PowerOfAttorneyDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.power_of_attorney_verify(
                    tenant=tenant, poa=poa, approve=form.cleaned_data["decision"] == "verify",
                    note=form.cleaned_data["note"], actor=request.user,
                )
            except AppointmentRefused as exc:
                _refusal_to_form(form, exc, "note" if exc.code == "note_required" else None)
            else:
                messages.success(request, _("Keputusan atas surat kuasa dicatat."))
                return redirect("permits:appointments:desk_powers_of_attorney", tenant=tenant.slug)
    return render(request, "permit_appointments/desk_poa.html", {"poa": poa, "form": form}, status=status)


# --- capacity administration -------------------------------------------------------------------------


@tenant_perm_required(ADMIN_PERM)
def admin_index(request):
    tenant = request.tenant
    service_list = list(selectors.appointment_services(tenant=tenant, public=False))
    form = PublishForm(request.POST or None, services=service_list)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            service = selectors.appointment_service_get(tenant=tenant, pk=data["permit_type"], public=False)
            try:
                published = services.capacity_publish_days(
                    tenant=tenant, permit_type=service, first=data["first"], last=data["last"], windows=data["windows"],
                    release_days_before=data["release_days_before"], release_time=data["release_time"], actor=request.user,
                )
            except AppointmentRefused as exc:
                _refusal_to_form(form, exc)
            else:
                messages.success(request, _("Kuota diterbitkan untuk %(n)s hari kerja.") % {"n": len(published)})
                return redirect("permits:appointments:admin_index", tenant=tenant.slug)
    now = clock.now()
    today = calendar_for(tenant).local_date(now)
    overview = [
        (s, selectors.service_days(tenant=tenant, permit_type=s, first=today, last=today + dt.timedelta(days=PUBLIC_DAYS), now=now))
        for s in service_list
    ]
    return render(request, "permit_appointments/admin_index.html", {"form": form, "overview": overview}, status=status)


@tenant_perm_required(ADMIN_PERM)
def admin_day(request, day_id):
    tenant = request.tenant
    service_day = selectors.service_day_get(tenant=tenant, pk=day_id)
    slots = selectors.service_day_slots(tenant=tenant, service_day=service_day)
    form = ChangeForm(request.POST or None, initial={"windows": windows_as_text(slots)})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.capacity_change(
                    tenant=tenant, service_day=service_day, windows=form.cleaned_data["windows"],
                    reason=form.cleaned_data["reason"], actor=request.user,
                )
            except AppointmentRefused as exc:
                _refusal_to_form(form, exc, "reason" if exc.code == "reason_required" else "windows")
            else:
                messages.success(request, _("Perubahan kuota disimpan dan ditampilkan di halaman publik."))
                return redirect("permits:appointments:admin_index", tenant=tenant.slug)
    return render(
        request, "permit_appointments/admin_day.html",
        {"service_day": service_day, "slots": slots, "form": form, "released": service_day.is_released(clock.now())},
        status=status,
    )
