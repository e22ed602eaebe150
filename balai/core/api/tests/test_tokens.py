import datetime
import hashlib

from django.urls import reverse
from django.utils import timezone

from balai.core.accounts.models import Membership
from balai.core.api import services
from balai.core.api.models import ApiToken
from balai.core.audit.models import AuditEntry

from .conftest import bearer, make_token


def _units_url(tw):
    return reverse("api:unit_list", kwargs={"tenant": tw.tenant.slug})


def test_it_lets_a_token_in_on_its_own_tenant(world, api, units):
    raw = make_token(world.serang)
    response = api.get(_units_url(world.serang), **bearer(raw))
    assert response.status_code == 200
    assert [u["code"] for u in response.json()["results"]] == ["DPMPTSP", "DPMPTSP.1"]


def test_it_refuses_a_token_on_another_tenants_address(world, api, units):
    raw = make_token(world.serang)
    response = api.get(_units_url(world.cilegon), **bearer(raw))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "token_wrong_tenant"
    root = api.get(reverse("api:tenant_detail", kwargs={"tenant": world.cilegon.tenant.slug}), **bearer(raw))
    assert root.status_code == 403


def test_another_tenants_object_is_not_found_under_the_own_address(world, api, units):
    raw = make_token(world.serang)
    foreign = units["cilegon"][0]
    url = reverse("api:unit_detail", kwargs={"tenant": world.serang.tenant.slug, "pk": foreign.pk})
    response = api.get(url, **bearer(raw))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_stores_only_a_hash_of_the_secret(world):
    token, raw = services.token_create(
        tenant=world.serang.tenant, kind="client", client_name="SIMDA", scopes=["orgs:read"], actor=world.serang.people["admin"]
    )
    prefix, secret = raw.split("_", 2)[1:]
    assert raw.startswith("balai_") and token.key_prefix == prefix
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values_list(*[f.attname for f in ApiToken._meta.concrete_fields])[0]
    assert not any(secret in str(value) for value in stored)
    assert AuditEntry.objects.filter(tenant=world.serang.tenant, action="api.token_create").exists()


def test_it_refuses_revoked_expired_and_forged_tokens(world, api, units):
    url = _units_url(world.serang)
    raw = make_token(world.serang)
    token = ApiToken.objects.get(key_prefix=raw.split("_")[1])
    services.token_revoke(token=token, actor=world.serang.people["admin"])
    response = api.get(url, **bearer(raw))
    assert response.status_code == 401 and response.json()["error"]["code"] == "token_expired"
    assert response["WWW-Authenticate"].startswith("Bearer")

    expiring = make_token(world.serang, expires_at=timezone.now() + datetime.timedelta(days=1))
    ApiToken.objects.filter(key_prefix=expiring.split("_")[1]).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api.get(url, **bearer(expiring)).json()["error"]["code"] == "token_expired"

    good = make_token(world.serang)
    forged = good[:-4] + ("aaaa" if not good.endswith("aaaa") else "bbbb")
    response = api.get(url, **bearer(forged))
    assert response.status_code == 401 and response.json()["error"]["code"] == "token_invalid"


def test_it_refuses_without_credentials(world, api, units):
    response = api.get(_units_url(world.serang))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"


def test_it_notes_when_a_token_was_last_used_at_most_once_a_minute(world, api, units):
    raw = make_token(world.serang)
    api.get(_units_url(world.serang), **bearer(raw))
    first = ApiToken.objects.get(key_prefix=raw.split("_")[1]).last_used_at
    assert first is not None
    api.get(_units_url(world.serang), **bearer(raw))
    assert ApiToken.objects.get(key_prefix=raw.split("_")[1]).last_used_at == first


def test_scopes_limit_a_client_token(world, api, units):
    raw = make_token(world.serang, scopes=["orgs:write"])
    response = api.get(_units_url(world.serang), **bearer(raw))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing"
    assert "orgs:read" in response.json()["error"]["message"]


def test_a_user_token_never_exceeds_the_persons_roles(world, api, units):
    # The officer may read the organisation but not manage it, whatever the token's scopes say.
    raw = make_token(world.serang, kind="user", person="officer", scopes=["orgs:read", "orgs:write"])
    assert api.get(_units_url(world.serang), **bearer(raw)).status_code == 200
    url = reverse("api:employee_list", kwargs={"tenant": world.serang.tenant.slug})
    body = {"nip": "198501012010121001", "full_name": "Budi", "employment_type": "pns"}
    response = api.post(url, body, content_type="application/json", **bearer(raw))
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    # A citizen's token reaches nothing of the organisation.
    citizen = make_token(world.serang, kind="user", person="citizen", scopes=["orgs:read"])
    assert api.get(_units_url(world.serang), **bearer(citizen)).status_code == 403


def test_a_user_token_stops_working_when_the_membership_ends(world, api, units):
    raw = make_token(world.serang, kind="user", person="officer")
    Membership.objects.filter(user=world.serang.people["officer"], tenant=world.serang.tenant).update(is_active=False)
    assert api.get(_units_url(world.serang), **bearer(raw)).status_code == 403


def test_me_tells_who_the_caller_is(world, api):
    raw = make_token(world.serang, kind="user", person="officer", scopes=["orgs:read"])
    me = api.get(reverse("api:me", kwargs={"tenant": world.serang.tenant.slug}), **bearer(raw)).json()
    assert me["kind"] == "user" and me["roles"] == ["core.officer"] and me["scopes"] == ["orgs:read"]
    assert me["user"]["email"] == world.serang.people["officer"].email
    client = api.get(reverse("api:me", kwargs={"tenant": world.serang.tenant.slug}), **bearer(make_token(world.serang))).json()
    assert client["kind"] == "client" and client["user"] is None and client["permissions"] == ["orgs.view"]
