"""Access rules of the office's complaint pages (balai/permits/urls_office.py, "pengaduan/").

Like permit files: the permits staff and the inspectorate read complaints; the harness personas hold no
permits role, so only the inspectorate ("inspector") gets in, and nobody may answer (403 before any
lookup). Who may answer is tested in test_complaints.py."""

from balai.testing.routes import Route

READERS = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "admin": 403}
ANSWER_REFUSED = {"anonymous": 302}


def make_complaint(tw):
    """A submitted application of the tenant's citizen and a complaint about it."""
    from balai.permits import services, services_complaints
    from balai.permits.demo import demo_permit_catalogue
    from balai.permits.tests.conftest import PENELITIAN_FORM, pdf

    types = {t.code: t for t in demo_permit_catalogue(tenant=tw.tenant)}
    citizen = tw.people["citizen"]
    app = services.application_create_draft(
        tenant=tw.tenant,
        permit_type=types["penelitian"],
        applicant=citizen,
        form_data=dict(PENELITIAN_FORM),
        actor=citizen,
    )
    for code in ("ktp", "pengantar"):
        services.application_attach_document(
            application=app, requirement_code=code, upload=pdf(f"{code}.pdf"), actor=citizen
        )
    services.application_submit(application=app, actor=citizen)
    return services_complaints.complaint_create(
        application=app, text="Belum ada kabar tentang berkas saya.", actor=citizen
    )


def build(tw):
    tw.objects["office_complaint"] = make_complaint(tw)


def _complaint(tw):
    return {"pk": tw.objects["office_complaint"].pk}


RULES = [
    Route("permits:office_complaint_list", get=READERS),
    Route("permits:office_complaint_detail", get=READERS, kwargs=_complaint),
    Route(
        "permits:office_complaint_answer",
        default=405,
        post=ANSWER_REFUSED,
        post_default=403,
        kwargs=_complaint,
        post_data=lambda tw: {"response": "Berkas Anda sedang diverifikasi."},
    ),
]
