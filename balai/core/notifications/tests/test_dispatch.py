"""dispatch(): retries with backoff, dead after the limit, never twice, SMS and WhatsApp through the adapter."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from balai.core.notifications import services
from balai.core.notifications.channels import MessagingAdapter
from balai.core.notifications.models import OutboxMessage
from balai.core.notifications.services import dispatch, notify

GENERIC = {"subject": "Jadwal survei", "message": "Survei lapangan Senin pukul 09.00."}


class BrokenAdapter(MessagingAdapter):
    calls = 0

    def send(self, *, channel, to, body, reference):
        BrokenAdapter.calls += 1
        raise ConnectionError("provider answered 503")


class ReentrantAdapter(MessagingAdapter):
    """While it sends, another dispatcher runs: it must not pick the message being sent."""

    inner = None

    def send(self, *, channel, to, body, reference):
        ReentrantAdapter.inner = dispatch()
        return "ok"


@pytest.fixture
def citizen(world):
    person = world.serang.people["citizen"]
    person.phone = "+6281234567890"
    person.save(update_fields=["phone"])
    return person


def _sms(world, person, channels=("sms",)):
    return notify(tenant=world.serang.tenant, recipients=[person], template="generic", context=GENERIC, channels=list(channels))


def test_the_simulator_records_the_sms_and_the_whatsapp_message(world, citizen, sms_sent):
    sms, whatsapp = _sms(world, citizen, channels=("sms", "whatsapp"))

    assert dispatch() == {"sent": 2, "failed": 0, "dead": 0}

    assert [(s.channel, s.to) for s in sms_sent] == [("sms", "+6281234567890"), ("whatsapp", "+6281234567890")]
    assert sms_sent[0].body == "Kota Serang: Survei lapangan Senin pukul 09.00."
    assert sms_sent[0].reference == f"outbox-{sms.pk}"


def test_a_failing_provider_is_retried_with_growing_waits_then_given_up(world, citizen, settings):
    settings.BALAI_SMS_ADAPTER = "balai.core.notifications.tests.test_dispatch.BrokenAdapter"
    settings.BALAI_NOTIFICATION_MAX_ATTEMPTS = 4
    BrokenAdapter.calls = 0
    [message] = _sms(world, citizen)
    t0 = timezone.now()

    waits = []
    now = t0
    for _attempt in range(3):
        assert dispatch(now=now) == {"sent": 0, "failed": 1, "dead": 0}
        message.refresh_from_db()
        assert message.status == "failed" and "provider answered 503" in message.last_error
        waits.append(message.next_attempt_at - now)
        # Not due yet: nothing happens a second before the retry time.
        assert dispatch(now=message.next_attempt_at - timedelta(seconds=1)) == {"sent": 0, "failed": 0, "dead": 0}
        now = message.next_attempt_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=25)]

    assert dispatch(now=now) == {"sent": 0, "failed": 0, "dead": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == ("dead", 4, None)
    assert dispatch(now=now + timedelta(days=30)) == {"sent": 0, "failed": 0, "dead": 0}
    assert BrokenAdapter.calls == 4


def test_a_message_without_an_address_is_given_up_at_once(world, citizen):
    [message] = _sms(world, citizen)
    OutboxMessage.objects.filter(pk=message.pk).update(address="")
    assert dispatch() == {"sent": 0, "failed": 0, "dead": 1}
    message.refresh_from_db()
    assert "no phone number" in message.last_error


def test_a_sent_message_is_never_sent_again(world):
    notify(tenant=world.serang.tenant, recipients=[world.serang.people["citizen"]], template="generic", context=GENERIC,
           channels=["email"])
    assert dispatch()["sent"] == 1
    assert dispatch()["sent"] == 0
    assert dispatch(now=timezone.now() + timedelta(days=2))["sent"] == 0
    assert len(mail.outbox) == 1


def test_a_dispatcher_running_while_another_sends_leaves_that_message_alone(world, citizen, settings, sms_sent):
    settings.BALAI_SMS_ADAPTER = "balai.core.notifications.tests.test_dispatch.ReentrantAdapter"
    _sms(world, citizen)
    assert dispatch() == {"sent": 1, "failed": 0, "dead": 0}
    assert ReentrantAdapter.inner == {"sent": 0, "failed": 0, "dead": 0}


def test_a_claim_left_by_a_dead_worker_is_taken_again_after_it_expires(world):
    [message] = notify(tenant=world.serang.tenant, recipients=[world.serang.people["citizen"]], template="generic",
                       context=GENERIC, channels=["email"])
    now = timezone.now()
    services._claim(message_ids=None, now=now, limit=10)  # claimed by a worker that then died
    assert dispatch(now=now + timedelta(seconds=10))["sent"] == 0
    assert dispatch(now=now + timedelta(seconds=services.CLAIM_SECONDS + 1))["sent"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real parallel dispatchers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_dispatchers_send_each_message_once(monkeypatch):
    from balai.testing.personas import build_world

    monkeypatch.setattr(services, "dispatch_soon", lambda ids: None)  # leave all the sending to the race
    world = build_world()
    people = [world.serang.people[k] for k in ("admin", "officer", "inspector", "citizen")]
    for _round in range(10):
        notify(tenant=world.serang.tenant, recipients=people, template="generic", context=GENERIC, channels=["email"])
    workers, barrier, errors = 6, threading.Barrier(6), []

    def work():
        try:
            barrier.wait()
            while dispatch(limit=3)["sent"]:
                pass
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    sent_ids = sorted(m.extra_headers["X-Balai-Outbox"] for m in mail.outbox)
    assert len(sent_ids) == 40 and len(set(sent_ids)) == 40
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1)}
