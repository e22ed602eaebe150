"""The same callback posted by ten threads at once, on PostgreSQL: the bill lock lets one record it."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from balai.core.payments.models import Bill, CallbackLog, Payment
from balai.core.payments.tests.conftest import post_callback, signed_callback
from balai.testing.personas import build_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real parallel transactions need PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_identical_callbacks_record_one_payment():
    from balai.core.payments import services

    world = build_world()
    tw = world.serang
    bill = services.bill_create(
        tenant=tw.tenant, purpose="permits.retribution", amount=1_250_000, payer_name="Citra Dewi",
        description="Retribusi PBG", actor=tw.people["admin"],
    )
    calls = []
    services.register_paid_handler("permits", calls.append)
    body, headers = signed_callback(bill)
    barrier, answers, errors = threading.Barrier(10), [], []

    def post():
        try:
            barrier.wait()
            response = post_callback(Client(), body, headers)
            answers.append((response.status_code, response.json()["status"]))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(10)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        services.unregister_paid_handler("permits", calls.append)
    assert errors == []
    assert sorted(answers) == [(200, "already_recorded")] * 9 + [(200, "paid")]
    assert Payment.objects.filter(bill=bill).count() == 1
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.PAID
    assert CallbackLog.objects.filter(bill=bill).count() == 10
    assert [b.code for b in calls] == [bill.code]
