"""Access rules of the catalogue administration: the tenant administrator only ("tenants.manage")."""

from balai.testing.routes import Route

ADMIN_ONLY = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403}
ADMIN_POST = {**ADMIN_ONLY, "admin": frozenset({302, 400})}
# POST-only routes: any GET is refused before login is even looked at.
POST_ONLY_GET = 405


def build(tw):
    from balai.permits.services import permit_type_save

    permit_type = permit_type_save(
        tenant=tw.tenant, actor=None, code=f"kelola_{tw.key}", name=f"Izin Kelola {tw.key}", sla_days=3,
        form_fields=[{"code": "luas", "label": "Luas (m²)", "type": "decimal", "required": True}],
        documents=[{"code": "ktp", "label": "KTP", "kinds": ["pdf"], "mandatory": True, "max_mb": 2}],
        fee_model="per_unit", fee_config={"field": "luas", "unit_price": 10000},
    )
    tw.objects["catalogue_type"] = permit_type


def _pk(tw):
    return {"pk": tw.objects["catalogue_type"].pk}


def _type_post(tw):
    t = tw.objects["catalogue_type"]
    return {
        "code": t.code, "name": t.name, "sla_days": "4", "renewal_window_days": "30", "inspection": "never",
        "escalation": "notify_head",
    }


RULES = [
    Route("permits:catalogue_type_list", get=ADMIN_ONLY),
    Route(
        "permits:catalogue_type_create", get=ADMIN_ONLY, post=ADMIN_POST,
        post_data=lambda tw: {
            "code": f"baru_{tw.key}", "name": "Izin Baru", "sla_days": "3", "renewal_window_days": "30",
            "inspection": "never", "escalation": "notify_head",
        },
    ),
    Route("permits:catalogue_type_detail", get=ADMIN_ONLY, kwargs=_pk),
    Route("permits:catalogue_type_edit", get=ADMIN_ONLY, post=ADMIN_POST, kwargs=_pk, post_data=_type_post),
    Route(
        "permits:catalogue_requirements_edit", get=ADMIN_ONLY, post=ADMIN_POST, kwargs=_pk,
        post_data=lambda tw: {
            "action": "save",
            "fields-TOTAL_FORMS": "1", "fields-INITIAL_FORMS": "0",
            "fields-0-position": "1", "fields-0-code": "luas", "fields-0-label": "Luas (m²)", "fields-0-type": "decimal",
            "fields-0-required": "on",
            "documents-TOTAL_FORMS": "1", "documents-INITIAL_FORMS": "0",
            "documents-0-position": "1", "documents-0-code": "ktp", "documents-0-label": "KTP", "documents-0-kinds": "pdf",
            "documents-0-mandatory": "on", "documents-0-max_mb": "2",
        },
    ),
    Route(
        "permits:catalogue_fee_edit", get=ADMIN_ONLY, post=ADMIN_POST, kwargs=_pk,
        post_data=lambda tw: {
            "action": "save", "fee_model": "fixed", "amount": "50000", "rounding": "nearest",
            "tiers-TOTAL_FORMS": "0", "tiers-INITIAL_FORMS": "0",
        },
    ),
    Route(
        "permits:catalogue_fee_preview", default=POST_ONLY_GET, kwargs=_pk,
        post={**ADMIN_ONLY, "admin": frozenset({200})},
        post_data=lambda tw: {
            "fee_model": "per_unit", "unit_field": "luas", "unit_price": "10000", "rounding": "nearest",
            "tiers-TOTAL_FORMS": "0", "tiers-INITIAL_FORMS": "0", "contoh-luas": "12",
        },
    ),
    Route(
        "permits:catalogue_type_publish", default=POST_ONLY_GET, kwargs=_pk, post=ADMIN_POST,
        post_data=lambda tw: {"published": "1"},
    ),
    Route(
        "permits:catalogue_version_detail", get=ADMIN_ONLY, kwargs=lambda tw: {**_pk(tw), "number": 1},
    ),
]
