import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from balai.core.api.models import IdempotencyRecord
from balai.core.api.services import idempotency_records_expire
from balai.core.orgs.models import Employee

from .conftest import bearer, make_token

BODY = {"nip": "198501012010121001", "full_name": "Budi Santoso", "employment_type": "pns"}


def _post(api, tw, raw, body, key=None):
    url = reverse("api:employee_list", kwargs={"tenant": tw.tenant.slug})
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(url, body, content_type="application/json", **bearer(raw), **headers)


def test_it_creates_an_employee_through_the_service(world, api):
    raw = make_token(world.serang, scopes=["orgs:write"])
    response = _post(api, world.serang, raw, BODY)
    assert response.status_code == 201
    assert response.json()["nip"] == BODY["nip"]
    assert Employee.objects.filter(tenant=world.serang.tenant, nip=BODY["nip"]).count() == 1


def test_a_repeated_key_replays_the_first_response_and_creates_once(world, api):
    raw = make_token(world.serang, scopes=["orgs:write"])
    first = _post(api, world.serang, raw, BODY, key="3f1c-0001")
    again = _post(api, world.serang, raw, BODY, key="3f1c-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Employee.objects.filter(tenant=world.serang.tenant, nip=BODY["nip"]).count() == 1


def test_a_key_reused_for_another_request_is_refused(world, api):
    raw = make_token(world.serang, scopes=["orgs:write"])
    _post(api, world.serang, raw, BODY, key="k-1")
    response = _post(api, world.serang, raw, {**BODY, "full_name": "Orang Lain"}, key="k-1")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Employee.objects.filter(tenant=world.serang.tenant).count() == 1


def test_without_a_key_a_repeat_is_a_new_request(world, api):
    raw = make_token(world.serang, scopes=["orgs:write"])
    _post(api, world.serang, raw, BODY)
    response = _post(api, world.serang, raw, BODY)
    assert response.status_code == 400
    assert "nip" in response.json()["error"]["fields"]


def test_a_failed_attempt_keeps_nothing_so_the_corrected_request_may_reuse_the_key(world, api):
    raw = make_token(world.serang, scopes=["orgs:write"])
    bad = _post(api, world.serang, raw, {**BODY, "nip": "123"}, key="k-2")
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["nip"]
    good = _post(api, world.serang, raw, BODY, key="k-2")
    assert good.status_code == 201 and "Idempotent-Replayed" not in good


def test_two_callers_may_use_the_same_key(world, api):
    one = make_token(world.serang, scopes=["orgs:write"])
    other = make_token(world.serang, scopes=["orgs:write"])
    assert _post(api, world.serang, one, BODY, key="same").status_code == 201
    response = _post(api, world.serang, other, {**BODY, "nip": "199002022015032002"}, key="same")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response


def test_keys_expire_after_a_day(world, api):
    raw = make_token(world.serang, scopes=["orgs:write"])
    _post(api, world.serang, raw, BODY, key="old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert idempotency_records_expire() == 1
    assert not IdempotencyRecord.objects.exists()


def test_an_unprintable_key_is_refused(world, api):
    raw = make_token(world.serang, scopes=["orgs:write"])
    response = _post(api, world.serang, raw, BODY, key="x" * 300)
    assert response.status_code == 400 and response.json()["error"]["code"] == "idempotency_key_invalid"


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_posts_create_one_employee(world):
    if connection.vendor != "postgresql":
        pytest.skip("Parallel transactions need PostgreSQL; SQLite serialises writers.")
    raw = make_token(world.serang, scopes=["orgs:write"])
    barrier, results = threading.Barrier(8), []

    def attempt():
        try:
            barrier.wait()
            results.append(_post(Client(), world.serang, raw, BODY, key="parallel-1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in results] == [201] * 8
    assert len({r.json()["id"] for r in results}) == 1
    assert sum(1 for r in results if r.get("Idempotent-Replayed") == "true") == 7
    assert Employee.objects.filter(tenant=world.serang.tenant, nip=BODY["nip"]).count() == 1


def test_the_daily_task_expires_old_keys(world, api):
    from balai.core.api.tasks import expire_idempotency_records

    raw = make_token(world.serang, scopes=["orgs:write"])
    _post(api, world.serang, raw, BODY, key="fresh")
    assert expire_idempotency_records() == 0
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert expire_idempotency_records() == 1
    assert not IdempotencyRecord.objects.exists()
