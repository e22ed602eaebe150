"""The callback endpoint: signed callbacks are recorded once however often they come; forged ones
are refused, kept and audited."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from balai.core.audit.models import AuditEntry
from balai.core.payments import services
from balai.core.payments.gateways import SIGNATURE_HEADER, TIMESTAMP_HEADER, simulator
from balai.core.payments.models import Bill, CallbackLog, Payment

from .conftest import post_callback, signed_callback


def test_a_callback_replayed_ten_times_records_one_payment(world, make_bill, paid_calls, django_capture_on_commit_callbacks):
    bill = make_bill()
    body, headers = signed_callback(bill)
    client = Client()
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            response = post_callback(client, body, headers)
            answers.append((response.status_code, response.json()["status"]))
    assert answers[0] == (200, "paid")
    assert answers[1:] == [(200, "already_recorded")] * 9
    assert Payment.objects.filter(bill=bill).count() == 1
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID and bill.paid_at is not None
    assert paid_calls == [bill.code]
    assert AuditEntry.objects.filter(tenant=world.serang.tenant, action="payments.bill_paid").count() == 1
    assert CallbackLog.objects.filter(bill=bill).count() == 10


@pytest.mark.parametrize("forgery", ["wrong_key", "body_altered", "no_signature", "signature_of_other_time"])
def test_a_forged_callback_is_refused_kept_and_audited(world, make_bill, paid_calls, forgery, django_capture_on_commit_callbacks):
    bill = make_bill()
    body, headers = signed_callback(bill)
    if forgery == "wrong_key":
        import hashlib
        import hmac

        stamp = headers[TIMESTAMP_HEADER]
        headers[SIGNATURE_HEADER] = "sha256=" + hmac.new(b"guessed", stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    elif forgery == "body_altered":
        body = body.replace(b'"amount":1250000', b'"amount":1')
    elif forgery == "no_signature":
        headers = {}
    else:
        headers[TIMESTAMP_HEADER] = str(int(headers[TIMESTAMP_HEADER]) + 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_callback(Client(), body, headers, gateway="simulator")
    assert response.status_code == 403
    assert response.json() == {"status": "forged"}
    assert not Payment.objects.exists()
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID
    assert paid_calls == []
    logged = CallbackLog.objects.get()
    assert logged.outcome == "forged" and not logged.signature_ok and logged.bill == bill
    assert logged.body == body.decode()
    entry = AuditEntry.objects.get(action="payments.callback_forged")
    assert entry.tenant == world.serang.tenant
    assert entry.data["billing_code"] == bill.code


def test_a_forged_callback_for_no_known_bill_goes_to_the_platform_chain(world):
    body = b'{"billing_code":"367300000000000000","reference":"X","amount":5,"paid_at":"2026-01-01T00:00:00+07:00"}'
    response = post_callback(Client(), body, {SIGNATURE_HEADER: "sha256=00", TIMESTAMP_HEADER: "1"})
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action="payments.callback_forged")
    assert entry.tenant is None
    assert CallbackLog.objects.get().tenant is None


def test_a_signed_callback_with_an_old_timestamp_is_refused(world, make_bill):
    bill = make_bill()
    body, headers = signed_callback(bill, at=timezone.now() - timedelta(minutes=6))
    response = post_callback(Client(), body, headers)
    assert response.status_code == 403
    assert response.json()["status"] == "stale"
    assert not Payment.objects.exists()
    assert AuditEntry.objects.filter(tenant=world.serang.tenant, action="payments.callback_refused").count() == 1
    # Four minutes old is still fresh.
    body, headers = signed_callback(bill, at=timezone.now() - timedelta(minutes=4))
    assert post_callback(Client(), body, headers).json()["status"] == "paid"


def test_a_callback_with_the_wrong_amount_is_refused_and_audited(world, make_bill, paid_calls):
    bill = make_bill(amount=1_250_000)
    body, headers = signed_callback(bill, amount=125_000)
    response = post_callback(Client(), body, headers)
    assert response.status_code == 409
    assert response.json()["status"] == "amount_mismatch"
    assert not Payment.objects.exists()
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID
    entry = AuditEntry.objects.get(tenant=world.serang.tenant, action="payments.callback_refused")
    assert entry.data["amount"] == 125_000


def test_a_payment_for_a_cancelled_bill_is_refused_and_left_to_reconciliation(world, make_bill):
    bill = make_bill()
    services.bill_cancel(bill=bill, reason="Berkas ditarik", actor=world.serang.people["admin"])
    body, headers = signed_callback(bill)
    response = post_callback(Client(), body, headers)
    assert response.status_code == 409 and response.json()["status"] == "bill_closed"
    assert not Payment.objects.exists()


def test_a_second_different_payment_is_kept_as_a_duplicate_without_paying_twice(world, make_bill, paid_calls, django_capture_on_commit_callbacks):
    bill = make_bill()
    with django_capture_on_commit_callbacks(execute=True):
        for reference in ["BANK-1", "BANK-2"]:
            body, headers = signed_callback(bill, reference=reference)
            assert post_callback(Client(), body, headers).status_code == 200
    assert list(Payment.objects.order_by("pk").values_list("is_duplicate", flat=True)) == [False, True]
    assert paid_calls == [bill.code]
    assert AuditEntry.objects.filter(action="payments.payment_duplicate").count() == 1


def test_a_reference_reused_for_another_bill_is_refused(world, make_bill):
    first, second = make_bill(), make_bill()
    body, headers = signed_callback(first, reference="BANK-9")
    assert post_callback(Client(), body, headers).json()["status"] == "paid"
    body, headers = signed_callback(second, reference="BANK-9")
    response = post_callback(Client(), body, headers)
    assert response.status_code == 409 and response.json()["status"] == "conflict"
    second.refresh_from_db()
    assert second.status == Bill.Status.UNPAID


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"billing_code":"1","reference":"R","amount":1.5,"paid_at":"2026-01-01T00:00:00+07:00"}',
        b'{"billing_code":"1","reference":"R","amount":100,"paid_at":"2026-01-01T00:00:00"}',
        b'{"billing_code":"1","reference":"","amount":100,"paid_at":"2026-01-01T00:00:00+07:00"}',
    ],
)
def test_a_signed_but_unreadable_callback_is_a_bad_request(world, payload):
    response = post_callback(Client(), payload, simulator.signed_headers(payload))
    assert response.status_code == 400 and response.json()["status"] == "malformed"
    assert CallbackLog.objects.get().outcome == "malformed"


def test_a_signed_callback_for_an_unknown_bill_is_not_found(world):
    payload = json.dumps(
        {"billing_code": "367300000000000000", "reference": "R", "amount": 100, "paid_at": timezone.now().isoformat()}
    ).encode()
    response = post_callback(Client(), payload, simulator.signed_headers(payload))
    assert response.status_code == 404 and response.json()["status"] == "unknown_bill"


def test_an_unknown_gateway_and_a_get_are_refused(world):
    assert post_callback(Client(), b"{}", {}, gateway="bank-x").status_code == 404
    assert Client().get("/pay/callback/simulator/").status_code == 405


def test_without_a_simulator_secret_the_simulator_answers_nothing(world, make_bill, settings):
    bill = make_bill()
    body, headers = signed_callback(bill)
    settings.BALAI_PAYMENT_SIMULATOR_SECRET = ""
    response = post_callback(Client(), body, headers)
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_production_does_not_accept_the_demo_secret(world, make_bill, settings):
    bill = make_bill()
    body, headers = signed_callback(bill)
    settings.PRODUCTION = True
    assert post_callback(Client(), body, headers).status_code == 404
    settings.BALAI_PAYMENT_SIMULATOR_SECRET = "a-key-set-on-purpose-for-a-staging-server"
    body, headers = signed_callback(bill)
    assert post_callback(Client(), body, headers).status_code == 200


def test_a_failing_paid_handler_does_not_undo_the_payment_or_stop_the_others(world, make_bill, django_capture_on_commit_callbacks):
    called = []

    def broken(bill):
        raise RuntimeError("module bug")

    def fine(bill):
        called.append(bill.code)

    services.register_paid_handler("permits", broken)
    services.register_paid_handler("permits.retribution", fine)
    try:
        bill = make_bill()
        body, headers = signed_callback(bill)
        with django_capture_on_commit_callbacks(execute=True):
            assert post_callback(Client(), body, headers).status_code == 200
    finally:
        services.unregister_paid_handler("permits", broken)
        services.unregister_paid_handler("permits.retribution", fine)
    assert called == [bill.code]
    assert Bill.objects.get(pk=bill.pk).status == Bill.Status.PAID
