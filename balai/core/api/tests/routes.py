from balai.core.api import services
from balai.core.api.models import ApiToken
from balai.testing.routes import Route

# API: no credentials at all is 403 "not_authenticated" (see BaseAPIView.get_authenticate_header).
MEMBERS = {"anonymous": 403, "outsider": 403}
ORGS_READERS = {"anonymous": 403, "outsider": 403, "citizen": 403}
ORGS_WRITERS = {**ORGS_READERS, "officer": 403, "inspector": 403, "admin": 400}
# Token pages (HTML): officers; client tokens for the tenant administrator.
OFFICERS = {"anonymous": 302, "outsider": 403, "citizen": 403}
ADMIN_ONLY = {**OFFICERS, "officer": 403, "inspector": 403}


def build(tw):
    token, _raw = services.token_create(
        tenant=tw.tenant, kind=ApiToken.Kind.CLIENT, client_name=f"SIMDA Keuangan {tw.key}", scopes=["orgs:read"],
        actor=tw.people["admin"],
    )
    tw.objects["api_client_token"] = token


RULES = [
    Route("api:index"),
    Route("api:schema"),
    Route("api:docs"),
    Route("api:tenant_list"),
    Route("api:not_found", default=404, kwargs=lambda tw: {"path": "tidak-ada/"}),
    Route("api:tenant_detail"),
    Route("api:me", get=MEMBERS),
    Route("api:unit_list", get=ORGS_READERS),
    Route("api:unit_detail", get=ORGS_READERS, kwargs=lambda tw: {"pk": tw.objects["orgs_unit"].pk}),
    Route(
        "api:employee_list",
        get=ORGS_READERS,
        post=ORGS_WRITERS,
        post_data=lambda tw: {"nip": "bukan-nip", "full_name": "Tanpa NIP", "employment_type": "pns"},
    ),
    Route("api_tokens:list", get=OFFICERS),
    Route(
        "api_tokens:create",
        get=OFFICERS,
        post={**OFFICERS, "officer": 302, "inspector": 302, "admin": 302},
        post_data=lambda tw: {"name": "Skrip laporan", "scopes": ["orgs:read"], "validity": "30"},
    ),
    Route(
        "api_tokens:client_create",
        get=ADMIN_ONLY,
        post={**ADMIN_ONLY, "admin": 302},
        post_data=lambda tw: {"client_name": "SIMDA Keuangan", "scopes": ["orgs:read"], "validity": ""},
    ),
    # Another person's or a client's token is not there for an officer (404); the administrator revokes clients'.
    Route(
        "api_tokens:revoke",
        default=405,
        post={**OFFICERS, "officer": 404, "inspector": 404, "admin": 302},
        kwargs=lambda tw: {"pk": tw.objects["api_client_token"].pk},
    ),
]
