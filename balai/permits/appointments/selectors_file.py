"""Reads that tie the appointments app to one permit file: the file's bookings and attendance, a logged
exception to attendance, the field-inspection visit date, and the public line tracking may show for it.

Every read takes the tenant; a file of another tenant or of another person is a 404 (same as missing).
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from balai.core.tenants.models import Tenant
from balai.permits.models import Application, PermitType

from .models import AttendanceOverride, Booking, InspectionVisit


def file_is_open(application: Application) -> bool:
    """Submitted and not yet decided: the states in which a visit to the counter still matters. An issued
    permit's workflow may stay open (revocation), but the file takes no more appointments."""
    if not application.workflow_id:
        return False
    workflow = application.workflow
    return not (workflow.is_terminal or workflow.state == "issued")


def files_for_booking(*, tenant: Tenant, user, permit_type: PermitType) -> list[Application]:
    """The person's own submitted, undecided files of this service, oldest first (what a booking may be for)."""
    if user is None or not user.is_authenticated:
        return []
    rows = (
        Application.objects.filter(
            tenant=tenant,
            applicant=user,
            permit_type=permit_type,
            workflow__isnull=False,
            workflow__is_terminal=False,
        )
        .exclude(registration_number="")
        .exclude(workflow__state="issued")
        .select_related("workflow", "permit_type")
        .order_by("submitted_at", "pk")
    )
    return list(rows)


def file_for_booking(*, tenant: Tenant, user, permit_type: PermitType, ref: str) -> Application:
    """The file named by `?berkas=` (registration number or primary key) on the booking page: one of the
    person's own submitted files of this service in this tenant. Anything else is a 404."""
    ref = (ref or "").strip()
    if not ref or user is None or not user.is_authenticated:
        raise Http404
    rows = Application.objects.filter(
        tenant=tenant, applicant=user, permit_type=permit_type, workflow__isnull=False
    )
    found = rows.filter(registration_number=ref).select_related("workflow", "permit_type").first()
    if found is None and ref.isdigit():
        found = (
            rows.filter(pk=int(ref))
            .exclude(registration_number="")
            .select_related("workflow", "permit_type")
            .first()
        )
    if found is None:
        raise Http404
    return found


def file_office_get(*, tenant: Tenant, pk: int) -> Application:
    """A submitted file for the back office's forms in this app (a draft or a foreign file: 404)."""
    found = (
        Application.objects.filter(tenant=tenant, pk=pk, workflow__isnull=False)
        .select_related("workflow", "permit_type", "applicant")
        .first()
    )
    if found is None:
        raise Http404
    return found


def file_bookings(*, tenant: Tenant, application: Application) -> list[Booking]:
    """Every booking made for the file (cancelled ones too), the latest first, with who marked attendance."""
    return list(
        Booking.objects.filter(tenant=tenant, application=application)
        .select_related("slot", "marked_by")
        .order_by("-day", "-created_at")
    )


def attendance_override_of(*, tenant: Tenant, application: Application) -> AttendanceOverride | None:
    return (
        AttendanceOverride.objects.filter(tenant=tenant, application=application)
        .select_related("actor")
        .first()
    )


def attendance_settled(*, tenant: Tenant, application: Application) -> bool:
    """Whether the applicant came in for the file (an attended booking) or an officer logged an exception."""
    if Booking.objects.filter(
        tenant=tenant, application=application, status=Booking.Status.ATTENDED
    ).exists():
        return True
    return AttendanceOverride.objects.filter(tenant=tenant, application=application).exists()


def attendance_missing_message(*, tenant: Tenant, application: Application) -> str | None:
    """None when attendance is settled; else what is missing for the file and what to do, for the officer."""
    if attendance_settled(tenant=tenant, application=application):
        return None
    what_to_do = _(
        "Bila dokumen asli sudah diperiksa dengan cara lain, petugas loket atau verifikator dapat mencatat "
        "pengecualian beserta alasannya di bagian «Janji temu dan kehadiran» pada halaman berkas."
    )
    latest = (
        Booking.objects.filter(tenant=tenant, application=application)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("slot")
        .order_by("-day", "-created_at")
        .first()
    )
    if latest is not None and latest.status == Booking.Status.ACTIVE:
        found = _(
            "Pemohon belum dicatat hadir pada janji temu %(code)s (%(day)s, sesi %(window)s) untuk pemeriksaan "
            "dokumen asli di loket. Catat kehadirannya di halaman loket pada hari itu, lalu verifikasi berkas."
        ) % {
            "code": latest.code,
            "day": formats.date_format(latest.day, "j F Y"),
            "window": latest.slot.label,
        }
    elif latest is not None and latest.status == Booking.Status.NO_SHOW:
        found = _(
            "Pemohon tidak hadir pada janji temu %(code)s (%(day)s). Minta pemohon memesan jadwal baru dari "
            "halaman berkasnya («Pesan jadwal»), lalu catat kehadirannya di loket."
        ) % {"code": latest.code, "day": formats.date_format(latest.day, "j F Y")}
    else:
        found = _(
            "Jenis izin ini memerlukan kedatangan pemohon di loket (pemeriksaan dokumen asli), tetapi berkas ini "
            "belum memiliki janji temu yang tercatat hadir. Minta pemohon memesan jadwal dari halaman berkasnya "
            "(«Pesan jadwal»), lalu catat kehadirannya di loket."
        )
    return f"{found} {what_to_do}"


# --- field inspection visit --------------------------------------------------------------------------


def inspection_visits(*, tenant: Tenant, application: Application) -> list[InspectionVisit]:
    """Every date set for the file's field visit, the latest first (moves stay visible to the office)."""
    return list(
        InspectionVisit.objects.filter(tenant=tenant, application=application)
        .select_related("set_by")
        .order_by("-created_at", "-pk")
    )


def inspection_visit_latest(*, tenant_id: int, application: Application) -> InspectionVisit | None:
    return (
        InspectionVisit.objects.filter(tenant_id=tenant_id, application=application)
        .order_by("-created_at", "-pk")
        .first()
    )


def inspection_visit_current(*, tenant: Tenant, application: Application) -> InspectionVisit | None:
    """The visit date that still lies ahead of the applicant: the latest one while the file is in inspection."""
    if not application.workflow_id or application.workflow.state != "inspection":
        return None
    return inspection_visit_latest(tenant_id=tenant.pk, application=application)


def inspection_public_fact(application: Application) -> dict | None:
    """The file's inspection date as JSON-safe public facts (no officer, no address): for the tracking
    facts a transition writes. {"at": when it was set, "date": "2026-03-12", "from": "09:00" | "",
    "to": "12:00" | ""}; None when no date was set."""
    visit = inspection_visit_latest(tenant_id=application.tenant_id, application=application)
    if visit is None:
        return None
    return {
        "at": visit.created_at.isoformat(),
        "date": visit.scheduled_for.isoformat(),
        "from": visit.starts_at.strftime("%H:%M") if visit.starts_at else "",
        "to": visit.ends_at.strftime("%H:%M") if visit.ends_at else "",
    }


def inspection_note_text(fact: dict | None) -> str | None:
    """The public line for stored facts, in the active language: "Survei dijadwalkan 12 Maret 2026, pukul
    09.00–12.00". Never names the officer."""
    if not fact:
        return None
    day = formats.date_format(dt.date.fromisoformat(fact["date"]), "j F Y")
    if fact.get("from") and fact.get("to"):
        return _("Survei dijadwalkan %(day)s, pukul %(start)s–%(end)s") % {
            "day": day,
            "start": fact["from"].replace(":", "."),
            "end": fact["to"].replace(":", "."),
        }
    return _("Survei dijadwalkan %(day)s") % {"day": day}


def inspection_public_note(application: Application) -> str | None:
    """The public tracking line for the file's field visit, or None when no date was set."""
    return inspection_note_text(inspection_public_fact(application))
