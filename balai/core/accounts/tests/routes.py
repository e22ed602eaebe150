from balai.core.accounts.models import Membership
from balai.core.accounts.services import email_verify_token
from balai.testing.personas import make_person
from balai.testing.routes import Route

SIGNED_IN = {"anonymous": 302}
MANAGERS = {"anonymous": 302, "outsider": 403, "citizen": 403, "officer": 403, "inspector": 403}
# 400 is in the admin's set only so that the harness treats 302 as "let in" (a foreign object must then be 404);
# the admin's own POSTs succeed (302) in test_officers.py.
MANAGERS_POST = {**MANAGERS, "admin": frozenset({302, 400})}


def build(tw):
    # An officer the administrator manages (not a persona, so that deactivating it spoils nothing).
    name = {"serang": "Hadi Kurniawan", "cilegon": "Indah Permata"}[tw.key]
    person = make_person(name, tenant=tw.tenant, roles=["core.officer"])
    tw.objects["officer_membership"] = Membership.objects.get(tenant=tw.tenant, user=person)
    tw.objects["verify_token"] = email_verify_token(user=tw.people["citizen"])


def _membership(tw):
    return {"membership_id": tw.objects["officer_membership"].pk}


RULES = [
    Route("accounts:login", default=302, get={"anonymous": 200}),
    Route("accounts:logout", default=405, post={}, post_default=302),
    Route("accounts:home", get=SIGNED_IN),
    # Everyone the harness logs in has passed the second factor already, so the step sends them on.
    Route("accounts:two_factor", default=302),
    # The link itself is the proof: it verifies for whoever opens it, then sends them on.
    Route("accounts:verify_email", default=302, kwargs=lambda tw: {"token": tw.objects["verify_token"]}),
    Route("accounts:verify_email_resend", default=405, post={}, post_default=302),
    Route("accounts:password_reset", post={}, post_default=302, post_data=lambda tw: {"email": "siapa@contoh.id"}),
    Route("accounts:password_reset_done"),
    # An invalid link renders the "link no longer valid" page.
    Route("accounts:password_reset_confirm", kwargs=lambda tw: {"uidb64": "MQ", "token": "bukan-token"}),
    Route("accounts:password_reset_complete"),
    # Logged-in people who are not yet citizens here see the "join" page; citizens go to the tenant's home.
    Route("tenant_accounts:register", get={"citizen": 302}),
    Route("tenant_accounts:register_done", get=SIGNED_IN),
    Route(
        "tenant_accounts:join",
        default=405,
        post={},
        post_default=302,
        post_data=lambda tw: {"consent": "on"},
    ),
    Route("tenant_accounts:officer_list", get=MANAGERS),
    Route(
        "tenant_accounts:officer_create",
        get=MANAGERS,
        post=MANAGERS_POST,
        post_data=lambda tw: {"full_name": "Joko Susilo", "email": "joko.susilo@contoh.id", "roles": ["core.officer"]},
    ),
    Route(
        "tenant_accounts:officer_edit",
        get=MANAGERS,
        post=MANAGERS_POST,
        kwargs=_membership,
        post_data=lambda tw: {"roles": ["core.officer", "core.inspector"]},
    ),
    Route(
        "tenant_accounts:officer_deactivate",
        default=405,
        post=MANAGERS_POST,
        post_default=302,
        kwargs=_membership,
    ),
]
