"""Access rules of the back office (balai/permits/urls_office.py).

The harness personas hold no permits role. Permit files (the inbox, a file, its documents) are for holders
of a permits role and for the inspectorate, who reads them: an officer of another service or the
administrator holds "dashboard.view" but is refused before any lookup (403), and so is everyone on
anything that decides or assigns (the inspectorate only reads)."""

from balai.testing.routes import Route

# Default 200: the inspectorate ("inspector") reads permit files; other officers and the administrator may not.
READERS = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "admin": 403}
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
    Route("permits:office_inbox", get=READERS),
    Route("permits:office_detail", get=READERS, kwargs=_app),
    _decision("permits:office_nik"),
    _decision("permits:office_verify", lambda tw: {"decision": "verify", "note": "Lengkap"}),
    _decision("permits:office_inspect", lambda tw: {"report": "Lokasi sesuai permohonan."}),
    _decision("permits:office_recommend", lambda tw: {"recommendation": "Layak diberikan."}),
    _decision("permits:office_approve"),
    _decision("permits:office_sign"),
    _decision("permits:office_revoke", lambda tw: {"reason": "Dicabut karena melanggar."}),
    # Permits staff reach the engine, which checks the step's role; nobody else gets that far.
    _decision("permits:office_reject", lambda tw: {"reason": "Tidak memenuhi syarat."}),
    # The administrator hands files out on the workflow's own page (workflow:instance_assign), which shows
    # no personal documents.
    _decision("permits:office_assign", lambda tw: {"assignee": "", "reason": "Pembagian ulang beban kerja"}),
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
