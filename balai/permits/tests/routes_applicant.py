"""Access rules of the applicant's pages: each file is its applicant's alone. Anyone else (officers
included: they work on files in the back office) gets the same 404 as for a missing file."""

from balai.core.files.tests.factories import image_bytes, pdf_bytes, upload
from balai.testing.personas import make_person
from balai.testing.routes import Route

# Not logged in: to the login page. Logged in but not the applicant: 404, as if the file did not exist.
OWNER_ONLY = {"anonymous": 302, "outsider": 404, "officer": 404, "inspector": 404, "admin": 404, "citizen": 200}
OWNER_POST = {**OWNER_ONLY, "citizen": 302}
# Starting a draft needs the citizen role in the tenant.
CITIZENS = {"anonymous": 302, "outsider": 403, "officer": 403, "inspector": 403, "admin": 403, "citizen": 302}

SMALL_BOARD = {
    "judul": "Toko Sumber Rejeki", "alamat": "Jl. Ahmad Yani No. 10", "lebar": "2", "tinggi": "4",
    "lama_hari": "30", "tarif_lokasi": "B",
}
RESEARCH = {
    "judul": "Kebiasaan membaca anak", "lembaga": "Universitas Banten", "lokasi": "Kecamatan Kasemen",
    "mulai": "2026-04-01", "selesai": "2026-06-30",
}
# The build moves files on out of their queue's order: the harness's other builders may hold earlier files.
REASON = "permintaan_pimpinan_tertulis"


def _pdf(name):
    return upload(pdf_bytes(name), name)


def _draft(tw, types, code, form):
    from balai.permits import services

    citizen = tw.people["citizen"]
    app = services.application_create_draft(
        tenant=tw.tenant, permit_type=types[code], applicant=citizen, form_data=form, actor=citizen
    )
    for spec in types[code].current_version.documents:
        if spec["mandatory"]:
            if "pdf" in spec["kinds"]:
                file = _pdf(f"{spec['code']}.pdf")
            else:
                file = upload(image_bytes("PNG"), f"{spec['code']}.png", "image/png")
            services.application_attach_document(application=app, requirement_code=spec["code"], upload=file, actor=citizen)
    return app


def _submitted(tw, types, code, form):
    from balai.permits import services

    app = _draft(tw, types, code, form)
    services.application_submit(application=app, actor=tw.people["citizen"])
    return app


def _holder(app):
    app.workflow.refresh_from_db()
    return app.workflow.assignee


def build(tw):
    from balai.permits import services
    from balai.permits.demo import demo_permit_catalogue

    types = {t.code: t for t in demo_permit_catalogue(tenant=tw.tenant)}
    for role in ("verifier", "approver", "signer"):
        make_person(f"Pemohon Uji {role.title()} {tw.key.title()}", tenant=tw.tenant, roles=[f"permits.{role}", "core.officer"])

    draft = _draft(tw, types, "reklame", SMALL_BOARD)
    submitted = _submitted(tw, types, "penelitian", RESEARCH)

    returned = _submitted(tw, types, "reklame", SMALL_BOARD)
    services.application_return_for_correction(
        application=returned, items=[{"kind": "field", "code": "tinggi", "note": "Tinggi menurut desain."}],
        note="Periksa tinggi papan.", actor=_holder(returned),
    )

    unpaid = _submitted(tw, types, "reklame", SMALL_BOARD)
    services.application_verify(application=unpaid, actor=_holder(unpaid), reason_code=REASON)

    issued = _submitted(tw, types, "penelitian", RESEARCH)
    services.application_verify(application=issued, actor=_holder(issued), reason_code=REASON)
    services.application_approve(application=issued, actor=_holder(issued), reason_code=REASON)
    services.application_sign(application=issued, actor=_holder(issued))

    tw.objects.update(
        applicant_draft=draft, applicant_submitted=submitted, applicant_returned=returned,
        applicant_unpaid=unpaid, applicant_issued=issued,
    )


def _pk(key):
    return lambda tw: {"pk": tw.objects[key].pk}


RULES = [
    Route("permits:applicant_list", get={"anonymous": 302}),
    Route(
        "permits:applicant_start", default=405, post=CITIZENS, kwargs=lambda tw: {"code": "penelitian"},
    ),
    Route("permits:applicant_detail", get=OWNER_ONLY, kwargs=_pk("applicant_submitted")),
    Route(
        "permits:applicant_edit", get=OWNER_ONLY, post=OWNER_POST, kwargs=_pk("applicant_draft"),
        post_data=lambda tw: {**SMALL_BOARD, "aksi": "lanjut"},
    ),
    # The billboard's form has three pages: its second asks tinggi, lama_hari and tarif_lokasi.
    Route(
        "permits:applicant_edit_page", get=OWNER_ONLY, post=OWNER_POST,
        kwargs=lambda tw: {"pk": tw.objects["applicant_draft"].pk, "page": 2},
        post_data=lambda tw: {**SMALL_BOARD, "aksi": "lanjut"},
    ),
    Route(
        "permits:applicant_documents", get=OWNER_ONLY, post=OWNER_POST, kwargs=_pk("applicant_draft"),
        post_data=lambda tw: {"persyaratan": "izin_pemilik", "izin_pemilik-berkas": _pdf("izin.pdf")},
    ),
    Route("permits:applicant_review", get=OWNER_ONLY, post=OWNER_POST, kwargs=_pk("applicant_draft")),
    Route("permits:applicant_receipt", get=OWNER_ONLY, kwargs=_pk("applicant_submitted")),
    Route(
        "permits:applicant_correction", get=OWNER_ONLY, post=OWNER_POST, kwargs=_pk("applicant_returned"),
        post_data=lambda tw: {"tinggi": "3", "aksi": "simpan"},
    ),
    Route("permits:applicant_pay", get=OWNER_ONLY, kwargs=_pk("applicant_unpaid")),
    Route(
        "permits:applicant_complaint", get=OWNER_ONLY, post=OWNER_POST, kwargs=_pk("applicant_submitted"),
        post_data=lambda tw: {"text": "Sudah seminggu berkas saya belum diperiksa petugas."},
    ),
    Route(
        "permits:applicant_survey", get=OWNER_ONLY, post=OWNER_POST, kwargs=_pk("applicant_issued"),
        post_data=lambda tw: {**{f"u{i}": "4" for i in range(1, 10)}, "comment": "Cepat."},
    ),
    Route(
        "permits:applicant_withdraw", get=OWNER_ONLY, post=OWNER_POST, kwargs=_pk("applicant_submitted"),
        post_data=lambda tw: {"reason": "Tidak jadi meneliti."},
    ),
    Route("permits:applicant_renew", default=405, post=OWNER_POST, kwargs=_pk("applicant_issued")),
]
