from django.test import Client
from django.urls import reverse

from balai.core.api.models import ApiToken
from balai.testing.clients import login

from .conftest import bearer


def _url(tw, name, **kwargs):
    return reverse(f"api_tokens:{name}", kwargs={"tenant": tw.tenant.slug, **kwargs})


def test_an_officer_creates_a_personal_token_and_sees_it_once(world):
    tw = world.serang
    client = login(Client(), tw.people["officer"])
    response = client.post(_url(tw, "create"), {"name": "Skrip laporan", "scopes": ["orgs:read"], "validity": "30"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    token = ApiToken.objects.get(tenant=tw.tenant, user=tw.people["officer"])
    raw = next(word for word in page.replace('"', " ").split() if word.startswith(f"balai_{token.key_prefix}_"))
    assert token.scopes == ["orgs:read"] and token.expires_at is not None
    # Shown once: the next visit no longer has it.
    assert raw not in client.get(_url(tw, "list")).content.decode()
    # And it works on the API.
    me = Client().get(reverse("api:me", kwargs={"tenant": tw.tenant.slug}), **bearer(raw))
    assert me.json()["user"]["email"] == tw.people["officer"].email


def test_a_token_needs_a_scope(world):
    tw = world.serang
    client = login(Client(), tw.people["officer"])
    response = client.post(_url(tw, "create"), {"name": "Tanpa cakupan", "validity": "30"})
    assert response.status_code == 400
    assert "Pilih" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_administrator_creates_and_revokes_an_integration_client_token(world):
    tw = world.serang
    client = login(Client(), tw.people["admin"])
    response = client.post(_url(tw, "client_create"), {"client_name": "SIMDA Keuangan", "scopes": ["orgs:read", "orgs:write"]})
    assert response.status_code == 302
    token = ApiToken.objects.get(tenant=tw.tenant, kind="client")
    assert token.client_name == "SIMDA Keuangan" and token.user is None and token.expires_at is None
    assert "SIMDA Keuangan" in client.get(_url(tw, "list")).content.decode()
    assert client.post(_url(tw, "revoke", pk=token.pk)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == tw.people["admin"]


def test_an_officer_cannot_make_or_revoke_client_tokens_nor_see_them(world):
    tw = world.serang
    admin = login(Client(), tw.people["admin"])
    admin.post(_url(tw, "client_create"), {"client_name": "SIMDA Keuangan", "scopes": ["orgs:read"]})
    token = ApiToken.objects.get(kind="client")
    officer = login(Client(), tw.people["officer"])
    assert officer.get(_url(tw, "client_create")).status_code == 403
    assert "SIMDA Keuangan" not in officer.get(_url(tw, "list")).content.decode()
    assert officer.post(_url(tw, "revoke", pk=token.pk)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_citizen_has_no_token_page(world):
    client = login(Client(), world.serang.people["citizen"])
    assert client.get(_url(world.serang, "list")).status_code == 403
