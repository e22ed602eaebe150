"""Payment gateways: one interface, adapters behind it, and the built-in simulator.

A gateway creates the payment request for a bill (a page, a virtual account, a QRIS code), verifies
the callbacks it sends us, and reports its statement for a day so that we can reconcile. Real
gateways (a bank's virtual accounts, QRIS) are adapters registered with `register_gateway`; the
active one for new bills is named by the setting `BALAI_PAYMENT_GATEWAY` (default "simulator").

The simulator signs its callbacks like a real gateway would:

    X-Balai-Timestamp: <unix seconds>
    X-Balai-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + raw body, keyed by the secret>

The timestamp is inside the signed bytes, so that an old callback cannot be made fresh again by
changing the header; one older than five minutes is refused (a replay of the same reference would be
harmless anyway, since recording is idempotent on the gateway's reference).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

SIGNATURE_HEADER = "X-Balai-Signature"
TIMESTAMP_HEADER = "X-Balai-Timestamp"
FRESHNESS = timedelta(minutes=5)


class InvalidSignature(Exception):
    """The callback is not signed by the gateway (missing, wrong, or over other bytes)."""


class StaleCallback(InvalidSignature):
    """Signed, but with a timestamp outside the freshness window."""


class MalformedCallback(Exception):
    """Signed, but the body does not say what a payment callback must say."""


@dataclass(frozen=True)
class PaymentRequest:
    payment_url: str
    expires_at: datetime | None
    instructions: str


@dataclass(frozen=True)
class CallbackData:
    billing_code: str
    reference: str
    amount: int
    paid_at: datetime
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StatementLine:
    reference: str
    billing_code: str
    amount: int
    paid_at: datetime


class Gateway(ABC):
    code: str = ""
    name: str = ""

    def is_available(self) -> bool:
        """Whether this gateway is configured to work here; an unavailable one answers no callback."""
        return True

    @abstractmethod
    def create_payment(self, bill) -> PaymentRequest:
        """How the payer pays this bill (URL, expiry, instructions). May call the gateway's API."""

    @abstractmethod
    def verify_callback(self, request_body: bytes, headers: Mapping[str, str]) -> CallbackData:
        """The payment a callback reports; raises InvalidSignature (or StaleCallback) or MalformedCallback."""

    @abstractmethod
    def fetch_statement(self, *, day: date, tenant=None) -> list[StatementLine]:
        """Payments the gateway received on `day` (in the tenant's time zone), for reconciliation."""


_GATEWAYS: dict[str, Gateway] = {}


def register_gateway(gateway: Gateway) -> Gateway:
    if not gateway.code:
        raise ValueError("A gateway needs a code.")
    _GATEWAYS[gateway.code] = gateway
    return gateway


def gateway_get(code: str) -> Gateway:
    """The registered gateway with this code; LookupError when there is none."""
    try:
        return _GATEWAYS[code]
    except KeyError:
        raise LookupError(f"No payment gateway {code!r} is registered.") from None


def gateway_codes() -> list[str]:
    return sorted(_GATEWAYS)


def active_gateway() -> Gateway:
    """The gateway new bills are issued on (setting BALAI_PAYMENT_GATEWAY)."""
    return gateway_get(getattr(settings, "BALAI_PAYMENT_GATEWAY", "simulator"))


def lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(k).lower().replace("_", "-"): str(v) for k, v in headers.items()}


def day_bounds(day: date, tenant=None) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tenant.timezone if tenant is not None and tenant.timezone else settings.TIME_ZONE)
    return datetime.combine(day, dtime.min, zone), datetime.combine(day + timedelta(days=1), dtime.min, zone)


def _parse_payload(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedCallback(f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MalformedCallback("body is not a JSON object")
    return data


def peek_billing_code(body: bytes) -> str:
    """The billing code a body claims, without trusting it (to file a forged callback under its tenant)."""
    try:
        value = _parse_payload(body).get("billing_code")
    except MalformedCallback:
        return ""
    return value if isinstance(value, str) and value.isdigit() and len(value) <= 20 else ""


class SimulatorGateway(Gateway):
    """The demo's and the tests' gateway: a payment page on our own site and HMAC-signed callbacks."""

    code = "simulator"
    name = "Simulator"

    @staticmethod
    def _secret_value() -> str:
        value = getattr(settings, "BALAI_PAYMENT_SIMULATOR_SECRET", "")
        if getattr(settings, "PRODUCTION", False) and value == getattr(settings, "DEMO_PAYMENT_SIMULATOR_SECRET", None):
            return ""
        return value

    def secret(self) -> bytes:
        value = self._secret_value()
        if not value:
            # Production leaves the demo secret unset: a simulator there would take forged payments.
            raise ImproperlyConfigured(
                "The payment simulator has no secret (BALAI_PAYMENT_SIMULATOR_SECRET); in production use a real gateway."
            )
        return value.encode()

    def is_available(self) -> bool:
        return bool(self._secret_value())

    # Our side ------------------------------------------------------------------------------------

    def create_payment(self, bill) -> PaymentRequest:
        return PaymentRequest(
            payment_url=reverse("pay:simulator", kwargs={"code": bill.code}),
            expires_at=bill.due_at,
            instructions=_(
                "Ini simulasi pembayaran untuk demo: buka halaman pembayaran dan tekan “Bayar (simulasi)”. "
                "Tidak ada uang yang berpindah."
            ),
        )

    def verify_callback(self, request_body: bytes, headers: Mapping[str, str]) -> CallbackData:
        found = lower_headers(headers)
        stamp = found.get(TIMESTAMP_HEADER.lower(), "")
        given = found.get(SIGNATURE_HEADER.lower(), "")
        if not stamp.isdigit() or not given.startswith("sha256="):
            raise InvalidSignature("signature or timestamp header missing")
        expected = self.signature(request_body, stamp)
        if not hmac.compare_digest(given.removeprefix("sha256=").encode(), expected.encode()):
            raise InvalidSignature("signature does not match")
        sent = datetime.fromtimestamp(int(stamp), tz=timezone.get_fixed_timezone(0))
        if abs(timezone.now() - sent) > FRESHNESS:
            raise StaleCallback(f"timestamp {stamp} is outside the {FRESHNESS} window")
        return self._parse(request_body)

    def fetch_statement(self, *, day: date, tenant=None) -> list[StatementLine]:
        from .models import SimulatedTransaction

        start, end = day_bounds(day, tenant)
        rows = SimulatedTransaction.objects.filter(paid_at__gte=start, paid_at__lt=end)
        if tenant is not None:
            rows = rows.filter(tenant=tenant)
        return [
            StatementLine(reference=r.reference, billing_code=r.billing_code, amount=r.amount, paid_at=r.paid_at)
            for r in rows.order_by("paid_at", "reference")
        ]

    # The simulated bank's side -------------------------------------------------------------------

    def signature(self, body: bytes, stamp: str) -> str:
        return hmac.new(self.secret(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()

    def signed_headers(self, body: bytes, *, at: datetime | None = None) -> dict[str, str]:
        stamp = str(int((at or timezone.now()).timestamp()))
        return {TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: f"sha256={self.signature(body, stamp)}"}

    def callback_body(self, *, billing_code: str, reference: str, amount: int, paid_at: datetime) -> bytes:
        payload = {
            "billing_code": billing_code,
            "reference": reference,
            "amount": amount,
            "paid_at": paid_at.isoformat(),
            "status": "paid",
        }
        return json.dumps(payload, separators=(",", ":")).encode()

    def collect(self, bill, *, amount: int | None = None, at: datetime | None = None) -> tuple[bytes, dict[str, str]]:
        """Take the payer's money (in the simulator's ledger) and return the signed callback to send us."""
        from .models import SimulatedTransaction

        paid_at = at or timezone.now()
        tx = SimulatedTransaction.objects.create(
            tenant_id=bill.tenant_id,
            reference=f"SIM-{secrets.token_hex(8).upper()}",
            billing_code=bill.code,
            amount=bill.amount if amount is None else amount,
            paid_at=paid_at,
        )
        body = self.callback_body(billing_code=tx.billing_code, reference=tx.reference, amount=tx.amount, paid_at=paid_at)
        return body, self.signed_headers(body)

    @staticmethod
    def _parse(body: bytes) -> CallbackData:
        data = _parse_payload(body)
        code, reference, amount = data.get("billing_code"), data.get("reference"), data.get("amount")
        if not isinstance(code, str) or not code.isdigit() or len(code) > 20:
            raise MalformedCallback("billing_code must be a string of digits")
        if not isinstance(reference, str) or not reference or len(reference) > 100:
            raise MalformedCallback("reference must be a non-empty string of at most 100 characters")
        # bool is an int in Python, and a float is never money here.
        if type(amount) is not int or amount <= 0:
            raise MalformedCallback("amount must be a positive integer number of rupiah")
        if data.get("status", "paid") != "paid":
            raise MalformedCallback("only 'paid' callbacks are supported")
        paid_at = parse_datetime(data.get("paid_at") or "") if isinstance(data.get("paid_at"), str) else None
        if paid_at is None or timezone.is_naive(paid_at):
            raise MalformedCallback("paid_at must be an ISO 8601 time with its offset")
        return CallbackData(billing_code=code, reference=reference, amount=amount, paid_at=paid_at, raw=data)


simulator = register_gateway(SimulatorGateway())
