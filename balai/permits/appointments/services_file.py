"""Writes that tie the appointments app to one permit file: an officer's logged exception to the
attendance rule, and the field-inspection visit date the inspector sets (told to the applicant).

Both are audited; both run in one transaction with their audit entry and notification.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.core.accounts.selectors import user_has_perm
from balai.core.audit.services import audit_record
from balai.core.notifications.services import notify
from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for
from balai.permits.models import Application
from balai.permits.services import _locked
from balai.permits.services_tracking import on_workflow_change

from . import clock
from .models import AttendanceOverride, InspectionVisit
from .selectors_file import attendance_settled, file_is_open, inspection_note_text, inspection_public_fact
from .services import AppointmentRefused, _check_bookable_day, _keeps_refusals, _same_tenant

OVERRIDE_PERMS = ("permits.counter", "permits.verify")
INSPECT_PERM = "permits.inspect"
MIN_REASON_LENGTH = 15
MAX_VISIT_DAYS_AHEAD = 60
VISIT_TEMPLATE = "permits.inspection_scheduled"


def may_override_attendance(*, tenant: Tenant, user) -> bool:
    return any(user_has_perm(user=user, tenant=tenant, perm=perm) for perm in OVERRIDE_PERMS)


def _locked_file(tenant: Tenant, application: Application) -> Application:
    _same_tenant(tenant, application)
    locked = _locked(application)
    if locked.workflow_id is None:
        raise AppointmentRefused(_("Berkas ini belum diajukan."), "not_submitted")
    return locked


@_keeps_refusals
def attendance_override_record(
    *, tenant: Tenant, application: Application, reason: str, actor
) -> AttendanceOverride:
    """Let a file whose type needs an appointment be verified without an attended booking.

    Guarantees: only front-desk staff or a verifier of the tenant may; the type needs an appointment, the
    file is undecided and has no attended booking or earlier exception (one per file, also a unique
    constraint); the reason says how the originals were checked (at least MIN_REASON_LENGTH characters).
    The exception and its reason are audited and shown on the office's file page. A refused attempt by
    someone without the permission is audited too.
    """
    reason = (reason or "").strip()
    if not may_override_attendance(tenant=tenant, user=actor):
        raise AppointmentRefused(
            _("Hanya petugas loket atau verifikator yang dapat mencatat pengecualian kehadiran."),
            "forbidden",
            audit=dict(
                tenant=tenant,
                actor=actor,
                action="permits.appointments.attendance_override_refused",
                obj=application,
                data={"reason": "forbidden"},
            ),
        )
    locked = _locked_file(tenant, application)
    if not locked.permit_type.needs_appointment:
        raise AppointmentRefused(_("Jenis izin ini tidak memerlukan kedatangan di loket."), "no_appointments")
    if not file_is_open(locked):
        raise AppointmentRefused(_("Berkas ini sudah diputuskan; kehadiran tidak lagi diperlukan."), "closed")
    if attendance_settled(tenant=tenant, application=locked):
        raise AppointmentRefused(
            _(
                "Kehadiran untuk berkas ini sudah tercatat (janji temu yang dihadiri atau pengecualian sebelumnya)."
            ),
            "settled",
        )
    if len(reason) < MIN_REASON_LENGTH:
        raise AppointmentRefused(
            _(
                "Tulis alasan pengecualian (paling sedikit %(n)s huruf): bagaimana dokumen asli diperiksa, misalnya "
                "«pemohon datang langsung tanpa janji, STR asli diperiksa di loket»."
            )
            % {"n": MIN_REASON_LENGTH},
            "reason_required",
        )
    try:
        with transaction.atomic():
            override = AttendanceOverride.objects.create(
                tenant=tenant, application=locked, actor=actor, reason=reason[:2000], created_at=clock.now()
            )
    except IntegrityError:
        raise AppointmentRefused(
            _("Pengecualian kehadiran untuk berkas ini sudah dicatat."), "settled"
        ) from None
    audit_record(
        tenant=tenant,
        actor=actor,
        action="permits.appointments.attendance_override",
        obj=locked,
        data={
            "registration_number": locked.registration_number,
            "reason": reason[:500],
            "override": override.pk,
        },
    )
    return override


def may_schedule_inspection(*, tenant: Tenant, user, application: Application) -> bool:
    """An inspector of the tenant, for a file in inspection that is unassigned or assigned to him."""
    if not application.workflow_id or application.workflow.state != "inspection":
        return False
    if not user_has_perm(user=user, tenant=tenant, perm=INSPECT_PERM):
        return False
    assignee = application.workflow.assignee_id
    return assignee is None or assignee == user.pk


def _parse_window(
    starts_at: dt.time | None, ends_at: dt.time | None
) -> tuple[dt.time | None, dt.time | None]:
    if starts_at is None and ends_at is None:
        return None, None
    if starts_at is None or ends_at is None:
        raise AppointmentRefused(
            _("Isi jam mulai dan jam selesai kunjungan, atau kosongkan keduanya."), "window_incomplete"
        )
    starts_at, ends_at = starts_at.replace(second=0, microsecond=0), ends_at.replace(second=0, microsecond=0)
    if ends_at <= starts_at:
        raise AppointmentRefused(_("Jam selesai kunjungan harus setelah jam mulainya."), "window_order")
    return starts_at, ends_at


@_keeps_refusals
def inspection_visit_schedule(
    *,
    tenant: Tenant,
    application: Application,
    day: dt.date,
    starts_at: dt.time | None = None,
    ends_at: dt.time | None = None,
    actor,
) -> InspectionVisit:
    """Set (or move) the date of the field visit of a file in inspection, and tell the applicant.

    Guarantees: only an inspector of the tenant, and only the assigned one when the file is assigned;
    the file is in inspection; the day is a working day of the tenant, not past, at most
    MAX_VISIT_DAYS_AHEAD days ahead; the window is both times or none, ending after it starts; a move to
    the same date and window is refused. Each date is a new row (moves stay visible), audited, notified
    to the applicant (in-app, e-mail, SMS) without the officer's name, and the file's public tracking is
    republished with it.
    """
    locked = _locked_file(tenant, application)
    if locked.workflow.state != "inspection":
        raise AppointmentRefused(_("Berkas ini tidak sedang dalam tahap survei lapangan."), "not_inspection")
    if not may_schedule_inspection(tenant=tenant, user=actor, application=locked):
        raise AppointmentRefused(
            _(
                "Hanya petugas survei yang memegang berkas ini yang dapat menjadwalkan kunjungannya. Minta berkas "
                "ditugaskan kepada Anda lebih dulu."
            ),
            "forbidden",
            audit=dict(
                tenant=tenant,
                actor=actor,
                action="permits.appointments.inspection_schedule_refused",
                obj=locked,
                data={"reason": "forbidden"},
            ),
        )
    starts_at, ends_at = _parse_window(starts_at, ends_at)
    calendar = calendar_for(tenant)
    now = clock.now()
    today = calendar.local_date(now)
    _check_bookable_day(tenant, day, today=today)
    if day > today + dt.timedelta(days=MAX_VISIT_DAYS_AHEAD):
        raise AppointmentRefused(
            _("Jadwalkan survei paling lambat %(n)s hari dari sekarang.") % {"n": MAX_VISIT_DAYS_AHEAD},
            "too_far",
        )
    previous = (
        InspectionVisit.objects.filter(tenant=tenant, application=locked)
        .order_by("-created_at", "-pk")
        .first()
    )
    if previous is not None and (previous.scheduled_for, previous.starts_at, previous.ends_at) == (
        day,
        starts_at,
        ends_at,
    ):
        raise AppointmentRefused(
            _("Jadwal survei itu sudah tercatat. Pilih tanggal atau jam lain untuk mengubahnya."), "unchanged"
        )
    visit = InspectionVisit.objects.create(
        tenant=tenant,
        application=locked,
        scheduled_for=day,
        starts_at=starts_at,
        ends_at=ends_at,
        set_by=actor,
        created_at=now,
    )
    audit_record(
        tenant=tenant,
        actor=actor,
        action="permits.appointments.inspection_schedule",
        obj=locked,
        data={
            "registration_number": locked.registration_number,
            "day": day.isoformat(),
            "window": visit.window,
            "moved_from": previous.scheduled_for.isoformat() if previous else None,
            "visit": visit.pk,
        },
    )
    notify(
        tenant=tenant,
        recipients=[locked.applicant],
        template=VISIT_TEMPLATE,
        actor=actor,
        context=_visit_context(tenant, locked, visit, moved=previous is not None),
    )
    # A visit date is not a transition: publish the tracking facts again so they carry it.
    on_workflow_change(instance=locked.workflow)
    return visit


def _visit_context(tenant: Tenant, application: Application, visit: InspectionVisit, *, moved: bool) -> dict:
    fact = inspection_public_fact(application)
    lines = {}
    for language in ("id", "en"):
        with translation.override(language):
            lines[language] = inspection_note_text(fact)
    return {
        "registration_number": application.registration_number,
        "permit_type": application.permit_type.name,
        "schedule": lines["id"],
        "schedule_en": lines["en"],
        "moved": moved,
        "link": reverse("permits:applicant_detail", kwargs={"tenant": tenant.slug, "pk": application.pk}),
    }


# --- notification template ---------------------------------------------------------------------------


def register_templates() -> None:
    from balai.core.notifications.defaults import SIGNATURE_EN, SIGNATURE_ID, TemplateSpec, register

    register(
        TemplateSpec(
            code=VISIT_TEMPLATE,
            label=gettext_lazy("Survei lapangan dijadwalkan"),
            sample={
                "registration_number": "REG-3673-2026-000123",
                "permit_type": "Izin Reklame",
                "schedule": "Survei dijadwalkan 12 Maret 2026, pukul 09.00–12.00",
                "schedule_en": "Inspection scheduled for 12 March 2026, 09.00–12.00",
                "moved": False,
                "link": "/kota-serang/izin/saya/1/",
            },
            texts={
                ("", "id"): (
                    "{% if moved %}Jadwal survei diubah{% else %}Survei lapangan dijadwalkan{% endif %}: {{ registration_number }}",
                    "Yth. {{ recipient_name }},\n\n{% if moved %}Jadwal survei lapangan untuk{% else %}Petugas akan melakukan "
                    "survei lapangan untuk{% endif %} {{ permit_type }} nomor {{ registration_number }}:\n\n{{ schedule }}\n\n"
                    "Pastikan lokasi dapat dimasuki dan ada yang dapat menunjukkannya pada waktu itu. Petugas menunjukkan "
                    "tanda pengenal; survei tidak dipungut biaya apa pun.{% if url %}\n\nLihat berkas: {{ url }}{% endif %}"
                    + SIGNATURE_ID,
                ),
                ("", "en"): (
                    "{% if moved %}Inspection moved{% else %}Field inspection scheduled{% endif %}: {{ registration_number }}",
                    "Dear {{ recipient_name }},\n\n{% if moved %}The field inspection of{% else %}An officer will inspect "
                    "the site of{% endif %} {{ permit_type }} number {{ registration_number }}:\n\n{{ schedule_en }}\n\n"
                    "Make sure the site is accessible and someone can show it at that time. The officer shows an ID; "
                    "the inspection is free of charge.{% if url %}\n\nSee the file: {{ url }}{% endif %}"
                    + SIGNATURE_EN,
                ),
                ("sms", "id"): (
                    "",
                    "{{ tenant_name }}: {{ schedule }} untuk berkas {{ registration_number }}. Survei tanpa biaya.",
                ),
                ("sms", "en"): (
                    "",
                    "{{ tenant_name }}: {{ schedule_en }} for file {{ registration_number }}. No fee is charged.",
                ),
            },
        )
    )
