import pytest
from django.test import Client
from django.urls import reverse

from .conftest import bearer, make_token


def test_a_missing_object_is_a_json_404_in_indonesian_by_default(world, api, units):
    raw = make_token(world.serang)
    url = reverse("api:unit_detail", kwargs={"tenant": world.serang.tenant.slug, "pk": 999999})
    response = api.get(url, **bearer(raw))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["message"].startswith("Data yang diminta tidak ada")


def test_it_answers_in_english_when_asked(world, api, units):
    raw = make_token(world.serang)
    url = reverse("api:unit_detail", kwargs={"tenant": world.serang.tenant.slug, "pk": 999999})
    error = api.get(url, HTTP_ACCEPT_LANGUAGE="en", **bearer(raw)).json()["error"]
    assert error["code"] == "not_found"
    assert error["message"].startswith("The requested item does not exist")


def test_validation_errors_name_each_field(world, api):
    raw = make_token(world.serang, scopes=["orgs:write"])
    url = reverse("api:employee_list", kwargs={"tenant": world.serang.tenant.slug})
    response = api.post(url, {"nip": "123", "full_name": "", "employment_type": "pns"}, content_type="application/json", **bearer(raw))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) >= {"full_name"}
    # The service's own rules come back the same way (NIP checked by orgs.services).
    response = api.post(url, {"nip": "123", "full_name": "Budi", "employment_type": "pns"}, content_type="application/json", **bearer(raw))
    assert response.json()["error"]["code"] == "validation_failed" and "nip" in response.json()["error"]["fields"]


def test_bad_json_and_wrong_methods_have_codes(world, api):
    raw = make_token(world.serang, scopes=["orgs:read", "orgs:write"])
    url = reverse("api:employee_list", kwargs={"tenant": world.serang.tenant.slug})
    assert api.post(url, "{nope", content_type="application/json", **bearer(raw)).json()["error"]["code"] == "parse_error"
    response = api.delete(url, **bearer(raw))
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"


def test_unknown_addresses_under_the_api_are_json(world, api):
    response = api.get("/api/v1/tidak/ada/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_throttled_caller_gets_429_with_a_code(world, api, settings):
    rates = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min"}}
    settings.REST_FRAMEWORK = rates
    url = reverse("api:tenant_list")
    statuses = [api.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = api.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["error"]["code"] == "throttled"
    assert response.json()["error"]["message"].startswith("Too many requests")
    assert int(response["Retry-After"]) > 0
    # A token has its own allowance, counted per token.
    raw = make_token(world.serang)
    me = reverse("api:me", kwargs={"tenant": world.serang.tenant.slug})
    assert [api.get(me, **bearer(raw)).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_a_session_needs_csrf_for_writes(world):
    from balai.testing.clients import login

    client = Client(enforce_csrf_checks=True)
    login(client, world.serang.people["admin"])
    url = reverse("api:employee_list", kwargs={"tenant": world.serang.tenant.slug})
    response = client.post(url, {"nip": "198501012010121001", "full_name": "Budi", "employment_type": "pns"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_an_officer_session_without_second_factor_is_refused(world):
    from balai.testing.clients import login

    client = login(Client(), world.serang.people["officer"], verified=False)
    response = client.get(reverse("api:unit_list", kwargs={"tenant": world.serang.tenant.slug}))
    assert response.status_code == 403 and response.json()["error"]["code"] == "second_factor_required"


@pytest.mark.parametrize("size, expected", [(None, 20), ("5", 5), ("500", 100)])
def test_lists_paginate(world, api, size, expected):
    from balai.core.orgs import services
    from balai.core.orgs.models import Unit

    for i in range(105):
        services.unit_create(tenant=world.serang.tenant, code=f"U{i:03}", name=f"Unit {i}", kind=Unit.Kind.OPD)
    raw = make_token(world.serang)
    url = reverse("api:unit_list", kwargs={"tenant": world.serang.tenant.slug})
    body = api.get(url, {"page_size": size} if size else {}, **bearer(raw)).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 105 and len(body["results"]) == expected and body["previous"] is None
    second = api.get(body["next"], **bearer(raw)).json()
    assert second["results"][0]["code"] == f"U{expected:03}"


def test_employee_list_paginates_and_searches(world, api):
    from balai.core.orgs import services

    for i in range(3):
        services.employee_create(tenant=world.serang.tenant, nip=f"19850101201012100{i}", full_name=f"Pegawai {i}", employment_type="pns")
    raw = make_token(world.serang)
    url = reverse("api:employee_list", kwargs={"tenant": world.serang.tenant.slug})
    body = api.get(url, {"page_size": 2}, **bearer(raw)).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and "page=2" in body["next"]
    assert api.get(url, {"q": "Pegawai 1"}, **bearer(raw)).json()["count"] == 1
