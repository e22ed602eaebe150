"""Access rules of the appointments pages. Booking pages need "citizen.apply" (the citizen persona);
the front desk needs "permits.counter" (no harness persona holds it: everyone is refused, anonymous
goes to the login page); capacity administration needs "tenants.manage" (the admin persona). The office's
forms on a file (exception to attendance: "permits.counter" or "permits.verify"; field-visit date:
"permits.inspect") are held by no harness persona either."""

import datetime as dt

from balai.core.files.tests.factories import pdf_bytes, upload
from balai.core.workdays.selectors import calendar_for
from balai.permits.appointments import clock, services
from balai.permits.services import permit_type_save
from balai.testing.routes import Route

NIK_SERIAL = {"serang": 9901, "cilegon": 9902}


def build(tw):
    tenant = tw.tenant
    admin, citizen = tw.people["admin"], tw.people["citizen"]
    if not citizen.nik:
        citizen.nik = f"367301010190{NIK_SERIAL[tw.key]:04d}"
        citizen.save(update_fields=["nik"])
    service = permit_type_save(
        tenant=tenant, actor=admin, code="janji_temu_uji", name="Pemeriksaan berkas di loket", sla_days=3,
        needs_appointment=True, is_published=True, form_fields=[], documents=[], note="uji akses",
    )
    now = clock.now()
    day = calendar_for(tenant).next_working_day(calendar_for(tenant).local_date(now))
    service_day = services.capacity_publish(
        tenant=tenant, permit_type=service, day=day,
        windows=[{"start": "08:00", "end": "09:00", "capacity": 5}, {"start": "09:00", "end": "10:00", "capacity": 5}],
        release_at=now - dt.timedelta(minutes=5), actor=admin,
    )
    booking = services.booking_create(
        tenant=tenant, permit_type=service, day=day, window="08:00", booker=citizen, applicant_nik=citizen.nik,
        actor=citizen,
    )
    poa = services.power_of_attorney_register(
        tenant=tenant, applicant=citizen, agent_email=tw.people["officer"].email, valid_until=day + dt.timedelta(days=30),
        upload=upload(pdf_bytes("kuasa"), "kuasa.pdf"), actor=citizen,
    )
    from balai.permits import services as permit_services

    application = permit_services.application_create_draft(
        tenant=tenant, permit_type=service, applicant=citizen, form_data={}, actor=citizen
    )
    permit_services.application_submit(application=application, actor=citizen)
    tw.objects.update(
        appt_service=service, appt_day=service_day, appt_booking=booking, appt_poa=poa, appt_application=application
    )


CITIZEN_ONLY = {"anonymous": 302, "outsider": 403, "officer": 403, "inspector": 403, "admin": 403}
CITIZEN_POSTS = {**CITIZEN_ONLY, "citizen": frozenset({302, 400})}
DESK_ONLY = {"anonymous": 302}
ADMIN_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403}
ADMIN_POSTS = {**ADMIN_ONLY, "admin": frozenset({302, 400})}


def _service(tw):
    return {"type_id": tw.objects["appt_service"].pk}


def _file(tw):
    return {"pk": tw.objects["appt_application"].pk}


def _booking(tw):
    return {"code": tw.objects["appt_booking"].code}


RULES = [
    Route("permits:appointments:public_index"),
    Route("permits:appointments:public_service", kwargs=_service),
    Route("permits:appointments:book", get=CITIZEN_ONLY, kwargs=_service, post=CITIZEN_POSTS),
    Route("permits:appointments:mine", get=CITIZEN_ONLY),
    Route("permits:appointments:reschedule", get=CITIZEN_ONLY, kwargs=_booking, post=CITIZEN_POSTS),
    Route("permits:appointments:cancel", get=CITIZEN_ONLY, kwargs=_booking, post=CITIZEN_POSTS),
    Route("permits:appointments:powers_of_attorney", get=CITIZEN_ONLY, post=CITIZEN_POSTS),
    Route(
        "permits:appointments:power_of_attorney_revoke", default=405, kwargs=lambda tw: {"pk": tw.objects["appt_poa"].pk},
        post=CITIZEN_POSTS,
    ),
    Route("permits:appointments:desk_day", get=DESK_ONLY, default=403),
    Route("permits:appointments:desk_mark", default=405, kwargs=_booking, post=DESK_ONLY, post_default=403),
    Route("permits:appointments:desk_powers_of_attorney", get=DESK_ONLY, default=403),
    Route(
        "permits:appointments:desk_power_of_attorney", get=DESK_ONLY, default=403,
        kwargs=lambda tw: {"pk": tw.objects["appt_poa"].pk}, post=DESK_ONLY, post_default=403,
    ),
    Route("permits:appointments:admin_index", get=ADMIN_ONLY, post=ADMIN_POSTS),
    Route(
        "permits:appointments:admin_day", get=ADMIN_ONLY, kwargs=lambda tw: {"day_id": tw.objects["appt_day"].pk},
        post=ADMIN_POSTS,
    ),
    Route(
        "permits:appointments:file_attendance_override", default=405, kwargs=_file, post=DESK_ONLY, post_default=403,
        post_data=lambda tw: {"kehadiran-reason": "Dokumen asli diperiksa di loket tanpa janji."},
    ),
    Route(
        "permits:appointments:file_inspection_schedule", default=405, kwargs=_file, post=DESK_ONLY, post_default=403,
        post_data=lambda tw: {"survei-day": "2030-01-07"},
    ),
]
