"""Access rules of the permits API (balai/permits/api_urls.py, namespace "permits_api").

API refusals before any lookup are 403 (no credentials: "not_authenticated"; no role or no membership:
"permission_denied"); someone else's application is a 404 like a missing one. The public catalogue,
the quote and tracking are open to everyone.
"""

from balai.core.files.tests.factories import pdf_bytes, upload
from balai.testing.routes import Route

# Anyone may read the public endpoints; the harness's personas hold no permits role.
REFUSED_ALL = {"anonymous": 403, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403, "admin": 403}
MEMBERS = {"anonymous": 403, "outsider": 403}
# The applicant's own application: the citizen gets in; other members find nothing there.
OWN = {**MEMBERS, "citizen": 200, "officer": 404, "inspector": 404, "admin": 404}
# Writes need the citizen's permission to apply: officers are refused before the lookup.
APPLY = {**MEMBERS, "officer": 403, "inspector": 403, "admin": 403}
# GET on a POST-only applicant address: refused to strangers, else "method not allowed".
POST_ONLY = {**MEMBERS, "citizen": 405, "officer": 405, "inspector": 405, "admin": 405}


def build(tw):
    from balai.permits import services
    from balai.permits.demo import demo_permit_catalogue

    types = {t.code: t for t in demo_permit_catalogue(tenant=tw.tenant)}
    citizen = tw.people["citizen"]
    form = {"judul": "Papan Toko", "alamat": "Jl. Merdeka 1", "lebar": "2", "tinggi": "2", "lama_hari": "10", "tarif_lokasi": "B"}
    draft = services.application_create_draft(
        tenant=tw.tenant, permit_type=types["reklame"], applicant=citizen, form_data=form, actor=citizen
    )
    submitted = services.application_create_draft(
        tenant=tw.tenant, permit_type=types["reklame"], applicant=citizen, form_data=form, actor=citizen
    )
    for code in ("ktp", "desain", "izin_pemilik"):
        services.application_attach_document(
            application=submitted, requirement_code=code, upload=upload(pdf_bytes(code), f"{code}.pdf"), actor=citizen
        )
    services.application_submit(application=submitted, actor=citizen)
    tw.objects["permits_api_draft"] = draft
    tw.objects["permits_api_submitted"] = submitted


def _draft(tw):
    return {"pk": tw.objects["permits_api_draft"].pk}


def _submitted(tw):
    return {"pk": tw.objects["permits_api_submitted"].pk}


RULES = [
    Route("permits_api:type_list"),
    Route("permits_api:type_detail", kwargs=lambda tw: {"code": "reklame"}),
    Route(
        "permits_api:type_quote",
        default=405,
        post={},
        post_default=200,
        kwargs=lambda tw: {"code": "reklame"},
        post_data=lambda tw: {"form_data.lebar": "2", "form_data.tinggi": "3", "form_data.lama_hari": "10",
                              "form_data.tarif_lokasi": "A"},
    ),
    Route(
        "permits_api:track",
        kwargs=lambda tw: {"registration_number": tw.objects["permits_api_submitted"].registration_number},
    ),
    Route(
        "permits_api:application_list",
        get=MEMBERS,
        post={**APPLY, "citizen": 201},
        post_data=lambda tw: {"permit_type": "reklame", "business_name": "Toko Citra"},
    ),
    Route("permits_api:application_detail", get=OWN, kwargs=_draft),
    Route(
        "permits_api:application_documents",
        get=POST_ONLY,
        post={**APPLY, "citizen": 201},
        kwargs=_draft,
        post_data=lambda tw: {"requirement_code": "ktp", "file": upload(pdf_bytes("KTP"), "ktp.pdf")},
    ),
    # The draft has no documents yet: submitting is refused with what is missing.
    Route("permits_api:application_submit", get=POST_ONLY, post={**APPLY, "citizen": 400}, kwargs=_draft),
    Route("permits_api:application_timeline", get=OWN, kwargs=_submitted),
    # Submitted, not yet verified: nothing is billed yet.
    Route("permits_api:application_pay", get=POST_ONLY, post={**APPLY, "citizen": 409}, kwargs=_submitted),
    Route("permits_api:application_permit", get={**OWN, "citizen": 409}, kwargs=_submitted),
    Route("permits_api:application_receipt", get={**OWN, "citizen": 409}, kwargs=_submitted),
    Route("permits_api:application_withdraw", get=POST_ONLY, post={**APPLY, "citizen": 200}, kwargs=_draft),
    # The office: none of the harness's personas holds a permits role.
    Route("permits_api:inbox", get=REFUSED_ALL),
    Route(
        "permits_api:application_action",
        get=REFUSED_ALL,
        post=REFUSED_ALL,
        kwargs=lambda tw: {**_submitted(tw), "action": "verify"},
    ),
]
