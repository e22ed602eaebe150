"""Access rules of the back office (balai/permits/urls_office.py).

The harness personas hold no permits role: officers and the administrator see the inbox and a file
("dashboard.view") but every decision needs its own permits.* permission (403 before any lookup); a
rejection and an assignment reach the workflow engine, which refuses them (400 with the reason)."""

from balai.testing.routes import Route

OFFICERS = {"anonymous": 302, "outsider": 403, "citizen": 403}
PERMITS_STAFF_ONLY = {"anonymous": 302}


def build(tw):
    from balai.permits import services
    from balai.permits.demo import demo_permit_catalogue
    from balai.permits.tests.conftest import PENELITIAN_FORM, pdf
    from balai.testing.personas import make_person

    types = {t.code: t for t in demo_permit_catalogue(tenant=tw.tenant)}
    citizen = tw.people["citizen"]
    app = services.application_create_draft(
        tenant=tw.tenant, permit_type=types["penelitian"], applicant=citizen, form_data=dict(PENELITIAN_FORM),
        actor=citizen,
    )
    for code in ("ktp", "pengantar"):
        services.application_attach_document(application=app, requirement_code=code, upload=pdf(f"{code}.pdf"), actor=citizen)
    services.application_submit(application=app, actor=citizen)
    tw.objects["office_application"] = app
    frontdesk = make_person(f"Loket {tw.key.title()}", tenant=tw.tenant, roles=["permits.frontdesk", "core.officer"])
    tw.objects["office_counter_application"] = services.counter_application_create(
        tenant=tw.tenant, permit_type=types["penelitian"], entered_by=frontdesk, form_data={}, applicant=citizen,
    )


def _app(tw):
    return {"pk": tw.objects["office_application"].pk}


def _counter(tw):
    return {"pk": tw.objects["office_counter_application"].pk}


def _decision(name, data=None):
    """A decision needing a permits permission nobody in the harness holds: 403 before the lookup."""
    return Route(
        name, default=405, post=PERMITS_STAFF_ONLY, post_default=403, post_data=data, kwargs=_app,
    )


RULES = [
    Route("permits:office_inbox", get=OFFICERS),
    Route("permits:office_detail", get=OFFICERS, kwargs=_app),
    _decision("permits:office_nik"),
    _decision("permits:office_verify", lambda tw: {"decision": "verify", "note": "Lengkap"}),
    _decision("permits:office_inspect", lambda tw: {"report": "Lokasi sesuai permohonan."}),
    _decision("permits:office_recommend", lambda tw: {"recommendation": "Layak diberikan."}),
    _decision("permits:office_approve"),
    _decision("permits:office_sign"),
    _decision("permits:office_revoke", lambda tw: {"reason": "Dicabut karena melanggar."}),
    Route(
        "permits:office_reject",
        default=405,
        # Officers reach the engine, which refuses: only the step's own role may reject.
        post={**OFFICERS, "officer": 400, "inspector": 400, "admin": 400},
        post_data=lambda tw: {"reason": "Tidak memenuhi syarat."},
        kwargs=_app,
    ),
    Route(
        "permits:office_assign",
        default=405,
        # The administrator may hand a file out (back to the shared inbox: nothing changes); others may not.
        post={**OFFICERS, "officer": 400, "inspector": 400, "admin": 303},
        post_data=lambda tw: {"assignee": "", "reason": "Pembagian ulang beban kerja"},
        kwargs=_app,
    ),
    Route(
        "permits:office_counter_new", get=PERMITS_STAFF_ONLY, default=403, post=PERMITS_STAFF_ONLY, post_default=403,
        post_data=lambda tw: {"mode": "existing", "q": "x@contoh.id", "permit_type": ""},
    ),
    Route(
        "permits:office_counter_form", get=PERMITS_STAFF_ONLY, default=403, post=PERMITS_STAFF_ONLY, post_default=403,
        kwargs=_counter,
    ),
    Route("permits:office_counter_receipt", get=PERMITS_STAFF_ONLY, default=403, kwargs=_counter),
]
