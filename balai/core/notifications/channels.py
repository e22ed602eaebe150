"""How a message leaves: one channel class per outbox channel, and adapters for SMS and WhatsApp.

A channel's `send(message)` either returns (delivered to the next hop: the SMTP server, the SMS
provider) or raises: `PermanentFailure` when retrying cannot help (no address), anything else when a
later attempt may succeed. Real SMS and WhatsApp providers are `MessagingAdapter` subclasses named by
dotted path in BALAI_SMS_ADAPTER / BALAI_WHATSAPP_ADAPTER; the default simulator only logs.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Channel, OutboxMessage

logger = logging.getLogger("balai.notifications")


class PermanentFailure(Exception):
    """Sending cannot succeed however often it is tried (no address, refused by the provider for good)."""


# --- SMS and WhatsApp adapters ------------------------------------------------------------------


class MessagingAdapter:
    """A provider of text messages. `send` raises on failure and returns the provider's message id."""

    code = "base"

    def send(self, *, channel: str, to: str, body: str, reference: str) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class SimulatedMessage:
    channel: str
    to: str
    body: str
    reference: str
    at: datetime


class LoggingSimulatorAdapter(MessagingAdapter):
    """Sends nothing: logs the message and keeps it in `LoggingSimulatorAdapter.sent` (for the demo and tests)."""

    code = "simulator"
    sent: list[SimulatedMessage] = []
    _lock = threading.Lock()

    def send(self, *, channel: str, to: str, body: str, reference: str) -> str:
        record = SimulatedMessage(channel=channel, to=to, body=body, reference=reference, at=timezone.now())
        with self._lock:
            self.sent.append(record)
        logger.info("simulated %s to %s (%s): %s", channel, to, reference, body)
        return f"sim-{reference}"

    @classmethod
    def clear(cls) -> None:
        with cls._lock:
            cls.sent.clear()


ADAPTERS: dict[str, type[MessagingAdapter]] = {"simulator": LoggingSimulatorAdapter}


def adapter_for(channel: str) -> MessagingAdapter:
    name = settings.BALAI_WHATSAPP_ADAPTER if channel == Channel.WHATSAPP else settings.BALAI_SMS_ADAPTER
    cls = ADAPTERS.get(name) or import_string(name)
    return cls()


# --- channels -----------------------------------------------------------------------------------


class BaseChannel:
    code: str

    def address_for(self, user) -> str | None:
        """Where this channel reaches `user`, or None when it cannot (the channel is then skipped)."""
        raise NotImplementedError

    def send(self, message: OutboxMessage) -> None:
        raise NotImplementedError


class InAppChannel(BaseChannel):
    """The outbox row is the notification: delivered when it commits, read in the inbox."""

    code = Channel.INAPP

    def address_for(self, user) -> str | None:
        return ""

    def send(self, message: OutboxMessage) -> None:
        return None


class EmailChannel(BaseChannel):
    """E-mail through Django's configured backend: SMTP in production (BALAI_EMAIL_*), console in the demo."""

    code = Channel.EMAIL

    def address_for(self, user) -> str | None:
        return user.email if user.email and user.email_verified_at else None

    def send(self, message: OutboxMessage) -> None:
        if not message.address:
            raise PermanentFailure("no e-mail address")
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.address],
            headers={"Auto-Submitted": "auto-generated", "X-Balai-Outbox": str(message.pk)},
        )
        email.send(fail_silently=False)


class TextMessageChannel(BaseChannel):
    def address_for(self, user) -> str | None:
        return user.phone or None

    def send(self, message: OutboxMessage) -> None:
        if not message.address:
            raise PermanentFailure("no phone number")
        adapter_for(self.code).send(channel=self.code, to=message.address, body=message.body, reference=f"outbox-{message.pk}")


class SmsChannel(TextMessageChannel):
    code = Channel.SMS


class WhatsAppChannel(TextMessageChannel):
    code = Channel.WHATSAPP


CHANNELS: dict[str, BaseChannel] = {c.code: c for c in (InAppChannel(), EmailChannel(), SmsChannel(), WhatsAppChannel())}


def channel(code: str) -> BaseChannel:
    return CHANNELS[code]
