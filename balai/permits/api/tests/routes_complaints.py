"""Access rules of the complaints endpoints of the permits API (balai/permits/api/complaints.py).

The applicant's complaints hang on his application: the citizen gets in, other members find nothing
(404), writes need the right to apply (officers 403 before any lookup). The office's endpoints need a
permits role, which no harness persona holds: 403 before any lookup."""

from balai.testing.routes import Route

from .routes import APPLY, OWN, REFUSED_ALL


def build(tw):
    from balai.permits.tests.routes_complaints import make_complaint

    tw.objects["permits_api_complaint"] = make_complaint(tw)


def _application(tw):
    return {"pk": tw.objects["permits_api_complaint"].application_id}


def _complaint(tw):
    return {"pk": tw.objects["permits_api_complaint"].pk}


RULES = [
    Route(
        "permits_api:application_complaints",
        get=OWN,
        post={**APPLY, "citizen": 201},
        kwargs=_application,
        post_data=lambda tw: {"text": "Petugas belum menghubungi saya sejak pekan lalu."},
    ),
    Route("permits_api:complaint_list", get=REFUSED_ALL),
    Route("permits_api:complaint_detail", get=REFUSED_ALL, kwargs=_complaint),
    Route(
        "permits_api:complaint_answer",
        get=REFUSED_ALL,
        post=REFUSED_ALL,
        kwargs=_complaint,
        post_data=lambda tw: {"response": "Berkas Anda sedang diverifikasi."},
    ),
]
