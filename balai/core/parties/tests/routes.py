"""Access rules of the pages of one's businesses and organisations (platform pages under /accounts/badan/).

In each tenant world the citizen persona represents one business, together with a colleague; nobody else
represents it, so every other signed-in persona gets the 404 of an entity that does not exist.
"""

from balai.core.parties import services
from balai.core.parties.models import Representative
from balai.testing.personas import email_for, make_person
from balai.testing.routes import Route

NIB = {"serang": "9120001111111", "cilegon": "9120002222222"}
COLLEAGUE = {"serang": "Wulan Sari", "cilegon": "Yudi Pratama"}
CANDIDATE = {"serang": "Kiki Amelia", "cilegon": "Lutfi Hakim"}

SIGNED_IN = {"anonymous": 302}
# Only the citizen represents the entity; everyone else signed in meets a 404.
REPRESENTATIVE = {"anonymous": 302, "citizen": 200}
REPRESENTATIVE_POST = {"anonymous": 302, "citizen": 302}


def build(tw):
    citizen = tw.people["citizen"]
    entity = services.entity_register(
        kind="business", name=f"CV Uji {tw.key.title()}", nib=NIB[tw.key], npwp="", address="Jl. Uji No. 1",
        regency_code=tw.tenant.code, actor=citizen,
    )
    colleague = make_person(COLLEAGUE[tw.key])
    tw.objects["entity"] = entity
    tw.objects["colleague_representation"] = services.representative_add(
        entity=entity, contact=colleague.email, role=Representative.Role.KUASA, actor=citizen
    )
    tw.objects["candidate"] = make_person(CANDIDATE[tw.key])


def _entity(tw):
    return {"pk": tw.objects["entity"].pk}


def _entity_form(tw):
    entity = tw.objects["entity"]
    return {"name": entity.name, "nib": entity.nib, "npwp": "", "address": "Jl. Uji No. 2", "regency_code": entity.regency_code}


RULES = [
    Route("parties:entity_list", get=SIGNED_IN),
    # Anyone signed in may register an organisation (no NIB, so every persona's POST succeeds).
    Route(
        "parties:entity_register",
        get=SIGNED_IN,
        post={},
        post_default=302,
        kwargs=lambda tw: {"kind": "organisasi"},
        post_data=lambda tw: {
            "name": "Yayasan Uji", "npwp": "", "address": "Jl. Uji No. 3", "regency_code": tw.tenant.code, "role": "pengurus",
        },
    ),
    Route("parties:entity_detail", get=REPRESENTATIVE, default=404, kwargs=_entity),
    Route(
        "parties:entity_update",
        get=REPRESENTATIVE,
        default=404,
        post=REPRESENTATIVE_POST,
        post_default=404,
        kwargs=_entity,
        post_data=_entity_form,
    ),
    Route(
        "parties:representative_add",
        get=REPRESENTATIVE,
        default=404,
        post=REPRESENTATIVE_POST,
        post_default=404,
        kwargs=_entity,
        post_data=lambda tw: {"contact": email_for(CANDIDATE[tw.key]), "role": "kuasa"},
    ),
    # The confirmation page, then the POST that ends the colleague's representation.
    Route(
        "parties:representative_end",
        get=REPRESENTATIVE,
        default=404,
        post=REPRESENTATIVE_POST,
        post_default=404,
        kwargs=lambda tw: {"pk": tw.objects["entity"].pk, "representative_pk": tw.objects["colleague_representation"].pk},
    ),
]
