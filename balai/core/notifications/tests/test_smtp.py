"""E-mail through a real SMTP server on loopback (aiosmtpd), as production sends it."""

import email
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from balai.core.notifications.models import OutboxMessage
from balai.core.notifications.services import dispatch, notify


class Collect:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = False, False
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "", ""
    settings.EMAIL_TIMEOUT = 10
    yield handler
    controller.stop()


def _received(envelope):
    parsed = email.message_from_bytes(envelope.content, policy=default_policy)
    return parsed, parsed.get_body(preferencelist=("plain",)).get_content()


PAID = {"billing_code": "3673260000123457", "amount": 1250000, "description": "Retribusi PBG", "link": "/kota-serang/"}


def test_it_delivers_the_indonesian_email_to_the_smtp_server(world, smtp_server):
    citizen = world.serang.people["citizen"]
    [message] = notify(tenant=world.serang.tenant, recipients=[citizen], template="payments.paid", context=PAID, channels=["email"])

    assert dispatch() == {"sent": 1, "failed": 0, "dead": 0}

    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == [citizen.email]
    parsed, body = _received(envelope)
    assert parsed["Subject"] == "Pembayaran 3673260000123457 diterima"
    assert parsed["X-Balai-Outbox"] == str(message.pk)
    assert "Yth. Citra Dewi," in body
    assert "Pembayaran sebesar Rp 1.250.000 untuk Retribusi PBG" in body
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at is not None and message.attempts == 1


def test_it_delivers_english_to_a_person_who_prefers_english(world, smtp_server):
    outsider = world.outsider
    outsider.preferred_language = "en"
    outsider.save(update_fields=["preferred_language"])
    notify(tenant=world.serang.tenant, recipients=[outsider], template="payments.paid", context=PAID, channels=["email"])

    dispatch()

    parsed, body = _received(smtp_server.messages[0])
    assert parsed["Subject"] == "Payment 3673260000123457 received"
    assert "We have received your payment of Rp 1.250.000 for Retribusi PBG" in body


def test_it_retries_later_when_the_smtp_server_is_down(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), False, 5
    [message] = notify(tenant=world.serang.tenant, recipients=[world.serang.people["citizen"]], template="payments.paid",
                       context=PAID, channels=["email"])

    assert dispatch() == {"sent": 0, "failed": 1, "dead": 0}
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "ConnectionRefusedError" in message.last_error
