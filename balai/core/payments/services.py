"""Writes on payments: bills, callbacks from gateways, refunds, reconciliation; and the paid hook.

Modules bill through `bill_create` and learn that a bill was paid in two ways: they ask
(`selectors.bill_is_paid`), or they register a handler once, in their AppConfig.ready():

    from balai.core.payments.services import register_paid_handler
    register_paid_handler("permits.", on_retribution_paid)   # called with the Bill, after commit

A handler runs once per bill, after the transaction that marked the bill paid has committed; a
handler that raises is logged and does not stop the others (robust on_commit).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.core.audit.services import audit_record
from balai.core.tenants.models import Tenant

from . import codes
from .gateways import (
    CallbackData,
    Gateway,
    InvalidSignature,
    MalformedCallback,
    StaleCallback,
    active_gateway,
    day_bounds,
    gateway_get,
    lower_headers,
    peek_billing_code,
)
from .models import Bill, CallbackLog, Discrepancy, Payment, Refund

log = logging.getLogger(__name__)

PURPOSE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
# A sanity bound, not a policy: a bill above a trillion rupiah is a typo.
MAX_AMOUNT = 10**12
# The headers of a callback worth keeping: enough to investigate, nothing that authenticates us.
KEPT_HEADERS = ("content-type", "user-agent", "x-balai-signature", "x-balai-timestamp", "x-request-id", "x-forwarded-for")
MAX_LOGGED_BODY = 16_000


# The paid hook ----------------------------------------------------------------------------------

_PAID_HANDLERS: list[tuple[str, Callable[[Bill], None]]] = []


def register_paid_handler(purpose_prefix: str, handler: Callable[[Bill], None]) -> None:
    """Call `handler(bill)` after commit whenever a bill whose purpose starts with the prefix becomes paid.

    "permits" matches "permits" and "permits.retribution" but not "permitsx"; "" matches every bill.
    Registering the same handler for the same prefix twice has no further effect.
    """
    entry = (purpose_prefix.rstrip("."), handler)
    if entry not in _PAID_HANDLERS:
        _PAID_HANDLERS.append(entry)


def unregister_paid_handler(purpose_prefix: str, handler: Callable[[Bill], None]) -> None:
    entry = (purpose_prefix.rstrip("."), handler)
    if entry in _PAID_HANDLERS:
        _PAID_HANDLERS.remove(entry)


def paid_handlers_for(purpose: str) -> list[Callable[[Bill], None]]:
    return [h for prefix, h in _PAID_HANDLERS if not prefix or purpose == prefix or purpose.startswith(prefix + ".")]


def _queue_paid_handlers(bill: Bill) -> None:
    for handler in paid_handlers_for(bill.purpose):
        transaction.on_commit(lambda handler=handler: handler(bill), robust=True)


# Checks -----------------------------------------------------------------------------------------


def amount_check(amount, *, field_name: str = "amount") -> int:
    """An amount of money as a positive int of rupiah; ValidationError naming the field otherwise."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError(
            {field_name: _("Jumlah harus bilangan bulat rupiah tanpa koma atau sen, misalnya 150000.")}, code="not_integer"
        )
    if amount <= 0:
        raise ValidationError({field_name: _("Jumlah harus lebih dari Rp 0. Isi jumlah dalam rupiah.")}, code="not_positive")
    if amount > MAX_AMOUNT:
        raise ValidationError(
            {field_name: _("Jumlah terlalu besar. Periksa kembali angkanya (paling banyak Rp 1.000.000.000.000).")},
            code="too_large",
        )
    return amount


def mask_identifier(value: str | None) -> str:
    """A NIK, NPWP or account number as shown on pages: only the first and last four digits kept."""
    raw = re.sub(r"\s", "", value or "")
    if not raw:
        return ""
    if len(raw) >= 12:
        return f"{raw[:4]}{'*' * (len(raw) - 8)}{raw[-4:]}"
    return "*" * max(len(raw) - 2, 1) + raw[-2:] if len(raw) > 2 else "*" * len(raw)


def _subject_ref(subject, tenant: Tenant) -> tuple[str, str]:
    if subject is None:
        return "", ""
    if isinstance(subject, tuple):
        subject_type, subject_id = subject
        return str(subject_type), str(subject_id)
    if isinstance(subject, models.Model):
        owner = getattr(subject, "tenant_id", None)
        if owner is not None and owner != tenant.pk:
            raise ValueError("The subject of a bill must belong to the bill's tenant.")
        return subject._meta.label_lower, str(subject.pk)
    raise TypeError("subject must be a model instance or a (type, id) tuple of strings.")


def _transition(bill: Bill, to: str) -> None:
    if to not in Bill.TRANSITIONS[Bill.Status(bill.status)]:
        raise ValidationError(
            _("Tagihan %(code)s berstatus %(status)s dan tidak dapat diubah menjadi %(to)s.")
            % {"code": bill.code, "status": bill.get_status_display(), "to": Bill.Status(to).label},
            code="bad_transition",
        )
    bill.status = to


def _locked(bill: Bill) -> Bill:
    return Bill.objects.select_for_update().get(pk=bill.pk, tenant_id=bill.tenant_id)


# Bills ------------------------------------------------------------------------------------------


@transaction.atomic
def bill_create(
    *,
    tenant: Tenant,
    purpose: str,
    amount: int,
    payer_name: str,
    payer_id: str | None = None,
    subject=None,
    description: str,
    due_at: datetime | None = None,
    actor,
    payer_user=None,
    gateway: str | None = None,
) -> Bill:
    """Issue a bill with a fresh billing code, unpaid, on the active gateway (or the one named).

    Guarantees: `amount` is a positive int of rupiah (ValidationError for floats, Decimals, zero or
    negative amounts); the billing code is unique, carries the tenant's digits and a Luhn check
    digit; `payer_id` (NIK/NPWP) is kept only masked; the bill is audited ("payments.bill_create").
    `subject` is the module's object (or a `(type, id)` pair of strings) the bill is for.
    """
    amount_check(amount)
    if not PURPOSE_RE.match(purpose or "") or len(purpose) > 60:
        raise ValueError(f"Purpose {purpose!r} must be a dotted code such as 'permits.retribution'.")
    errors = {}
    if not (payer_name or "").strip():
        errors["payer_name"] = _("Isi nama pembayar.")
    if not (description or "").strip():
        errors["description"] = _("Isi uraian tagihan, misalnya jenis retribusi dan nomor berkas.")
    if due_at is not None and (timezone.is_naive(due_at) or due_at <= timezone.now()):
        errors["due_at"] = _("Batas bayar harus waktu yang akan datang, lengkap dengan zona waktunya.")
    if errors:
        raise ValidationError(errors)
    gateway_code = gateway or active_gateway().code
    gateway_get(gateway_code)
    subject_type, subject_id = _subject_ref(subject, tenant)
    for _attempt in range(5):
        code = codes.billing_code_new(tenant.code)
        if not Bill.objects.filter(code=code).exists():
            break
    else:  # pragma: no cover - ten trillion codes per tenant
        raise RuntimeError("Could not find a free billing code.")
    bill = Bill.objects.create(
        tenant=tenant,
        code=code,
        purpose=purpose,
        subject_type=subject_type,
        subject_id=subject_id,
        payer_name=payer_name.strip()[:200],
        payer_masked_id=mask_identifier(payer_id)[:40],
        payer_user=payer_user,
        amount=amount,
        description=description.strip()[:255],
        gateway=gateway_code,
        due_at=due_at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        tenant=tenant, actor=actor, action="payments.bill_create", obj=bill,
        data={"purpose": purpose, "amount": amount, "subject": f"{subject_type}:{subject_id}" if subject_type else ""},
    )
    return bill


@transaction.atomic
def bill_cancel(*, bill: Bill, reason: str, actor) -> Bill:
    """Cancel an unpaid bill (ValidationError for a paid, expired or cancelled one). Audited."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tuliskan alasan pembatalan tagihan.")})
    bill = _locked(bill)
    _transition(bill, Bill.Status.CANCELLED)
    bill.closed_reason = reason.strip()[:255]
    bill.save(update_fields=["status", "closed_reason"])
    audit_record(tenant=bill.tenant, actor=actor, action="payments.bill_cancel", obj=bill, data={"reason": bill.closed_reason})
    return bill


def bills_expire(*, now: datetime | None = None) -> int:
    """Mark unpaid bills past their due time as expired (for the schedule); returns how many."""
    now = now or timezone.now()
    count = 0
    for pk in Bill.objects.filter(status=Bill.Status.UNPAID, due_at__lt=now).values_list("pk", flat=True):
        with transaction.atomic():
            bill = Bill.objects.select_for_update().select_related("tenant").get(pk=pk)
            if bill.status != Bill.Status.UNPAID:
                continue
            _transition(bill, Bill.Status.EXPIRED)
            bill.save(update_fields=["status"])
            audit_record(tenant=bill.tenant, actor=None, action="payments.bill_expire", obj=bill)
            count += 1
    return count


# Callbacks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallbackOutcome:
    """What the endpoint answers: `status` (a CallbackLog outcome) and the HTTP status for the gateway."""

    status: str
    http_status: int
    bill: Bill | None = None
    payment: Payment | None = None

    @property
    def ok(self) -> bool:
        return self.http_status == 200


def _log_callback(*, gateway_code, headers, body: bytes, signature_ok, outcome, ip, bill=None, reference="") -> CallbackLog:
    return CallbackLog.objects.create(
        tenant_id=bill.tenant_id if bill else None,
        bill=bill,
        gateway=gateway_code[:30],
        gateway_reference=reference[:100],
        headers={k: v[:500] for k, v in headers.items() if k in KEPT_HEADERS},
        body=body[:MAX_LOGGED_BODY].decode("utf-8", errors="replace"),
        signature_ok=signature_ok,
        outcome=outcome,
        ip=(ip or "")[:45],
    )


def _refuse(*, gateway_code, headers, body, ip, outcome, http_status, action, reason, signature_ok, bill=None, data=None):
    """Log and audit a refused callback; it commits with the caller's transaction, which does not roll back."""
    if bill is None:
        # The claimed bill, only to file the entry in its tenant's chain: nothing else trusts it.
        code = data.billing_code if data else peek_billing_code(body)
        bill = Bill.objects.select_related("tenant").filter(code=code).first() if code else None
    reference = data.reference if data else ""
    entry = _log_callback(
        gateway_code=gateway_code, headers=headers, body=body, signature_ok=signature_ok, outcome=outcome, ip=ip,
        bill=bill, reference=reference,
    )
    audit_record(
        tenant=bill.tenant if bill else None,
        actor=None,
        action=action,
        obj=entry,
        data={
            "reason": reason[:200], "gateway": gateway_code[:30], "ip": (ip or "")[:45],
            "billing_code": bill.code if bill else "", "reference": reference,
            **({"amount": data.amount} if data else {}),
        },
    )
    log.warning("payment callback refused: %s (%s) from %s", outcome, reason, ip)
    return CallbackOutcome(status=outcome, http_status=http_status, bill=bill)


def payment_callback_receive(*, gateway_code: str, body: bytes, headers: Mapping[str, str], ip: str | None) -> CallbackOutcome:
    """Verify and record one callback from a gateway. Safe to call any number of times with the same callback.

    Guarantees: a callback that is not validly signed records no payment, is kept in CallbackLog
    and audited as "payments.callback_forged" (in the claimed bill's tenant chain when that bill
    exists, else the platform chain), answered 403; a stale timestamp, an unreadable body, an
    unknown bill, a wrong amount or a closed bill are refused, logged and audited as
    "payments.callback_refused". A valid callback locks the bill row: the first one with a given
    gateway reference records the Payment, marks the bill paid and queues the paid handlers after
    commit; every later one with that reference answers "already_recorded" and records nothing
    (the unique (gateway, reference) constraint is the last guard). A new reference for a bill
    already paid is kept as a duplicate payment (money did arrive; it will need a refund).
    """
    found_headers = lower_headers(headers)
    common = {"gateway_code": gateway_code, "headers": found_headers, "body": body, "ip": ip}
    try:
        gateway = gateway_get(gateway_code)
        if not gateway.is_available():
            raise LookupError(gateway_code)
    except LookupError:
        with transaction.atomic():
            return _refuse(
                **common, outcome=CallbackLog.Outcome.UNKNOWN_GATEWAY, http_status=404, action="payments.callback_refused",
                reason="unknown gateway", signature_ok=False,
            )
    try:
        data = gateway.verify_callback(body, found_headers)
    except StaleCallback as exc:
        with transaction.atomic():
            return _refuse(
                **common, outcome=CallbackLog.Outcome.STALE, http_status=403, action="payments.callback_refused",
                reason=str(exc), signature_ok=True,
            )
    except InvalidSignature as exc:
        with transaction.atomic():
            return _refuse(
                **common, outcome=CallbackLog.Outcome.FORGED, http_status=403, action="payments.callback_forged",
                reason=str(exc), signature_ok=False,
            )
    except MalformedCallback as exc:
        with transaction.atomic():
            return _refuse(
                **common, outcome=CallbackLog.Outcome.MALFORMED, http_status=400, action="payments.callback_refused",
                reason=str(exc), signature_ok=True,
            )
    try:
        with transaction.atomic():
            return _record_payment(gateway=gateway, data=data, common=common)
    except IntegrityError:
        # Another transaction recorded this reference between our check and our insert (possible only
        # where the bill lock did not serialise us); once it has committed, this one is a replay.
        with transaction.atomic():
            return _record_payment(gateway=gateway, data=data, common=common)


def _record_payment(*, gateway: Gateway, data: CallbackData, common: dict) -> CallbackOutcome:
    bill = Bill.objects.select_for_update().filter(code=data.billing_code).first()
    if bill is None:
        return _refuse(
            **common, outcome=CallbackLog.Outcome.UNKNOWN_BILL, http_status=404, action="payments.callback_refused",
            reason="no bill has this billing code", signature_ok=True, data=data,
        )
    existing = Payment.objects.filter(gateway=gateway.code, gateway_reference=data.reference).first()
    if existing is not None:
        if existing.bill_id != bill.pk or existing.amount != data.amount:
            return _refuse(
                **common, outcome=CallbackLog.Outcome.CONFLICT, http_status=409, action="payments.callback_refused",
                reason="reference already recorded with another bill or amount", signature_ok=True, bill=bill, data=data,
            )
        _log_callback(
            **common, signature_ok=True, outcome=CallbackLog.Outcome.ALREADY_RECORDED, bill=bill, reference=data.reference
        )
        return CallbackOutcome(status=CallbackLog.Outcome.ALREADY_RECORDED, http_status=200, bill=bill, payment=existing)
    if data.amount != bill.amount:
        return _refuse(
            **common, outcome=CallbackLog.Outcome.AMOUNT_MISMATCH, http_status=409, action="payments.callback_refused",
            reason=f"amount {data.amount} differs from the bill's {bill.amount}", signature_ok=True, bill=bill, data=data,
        )
    if bill.status not in (Bill.Status.UNPAID, Bill.Status.PAID):
        return _refuse(
            **common, outcome=CallbackLog.Outcome.BILL_CLOSED, http_status=409, action="payments.callback_refused",
            reason=f"bill is {bill.status}", signature_ok=True, bill=bill, data=data,
        )
    duplicate = bill.status == Bill.Status.PAID
    payment = Payment.objects.create(
        tenant_id=bill.tenant_id, bill=bill, gateway=gateway.code, gateway_reference=data.reference,
        amount=data.amount, paid_at=data.paid_at, is_duplicate=duplicate, raw_callback=data.raw,
    )
    if duplicate:
        outcome = CallbackLog.Outcome.DUPLICATE_PAYMENT
        action = "payments.payment_duplicate"
    else:
        outcome = CallbackLog.Outcome.PAID
        action = "payments.bill_paid"
        _transition(bill, Bill.Status.PAID)
        bill.paid_at = data.paid_at
        bill.save(update_fields=["status", "paid_at"])
    _log_callback(**common, signature_ok=True, outcome=outcome, bill=bill, reference=data.reference)
    audit_record(
        tenant=bill.tenant, actor=None, action=action, obj=bill,
        data={"gateway": gateway.code, "reference": data.reference, "amount": data.amount},
    )
    if not duplicate:
        _queue_paid_handlers(bill)
    return CallbackOutcome(status=outcome, http_status=200, bill=bill, payment=payment)


# Refunds ----------------------------------------------------------------------------------------


def bill_money(bill: Bill) -> tuple[int, int]:
    """(paid, refunded) in rupiah for a bill."""
    paid = Payment.objects.filter(tenant_id=bill.tenant_id, bill=bill).aggregate(s=Sum("amount"))["s"] or 0
    refunded = Refund.objects.filter(tenant_id=bill.tenant_id, bill=bill).aggregate(s=Sum("amount"))["s"] or 0
    return paid, refunded


@transaction.atomic
def refund_record(*, bill: Bill, amount: int, reason: str, actor, gateway_reference: str = "") -> Refund:
    """Record money paid back on a bill. Audited ("payments.refund_record").

    Guarantees: the refunds of a bill never add up to more than its payments, even with two
    officers recording at once (the bill row is locked); amount is a positive int of rupiah.
    """
    amount_check(amount)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tuliskan alasan pengembalian, misalnya nomor surat keputusan.")})
    bill = _locked(bill)
    paid, refunded = bill_money(bill)
    if paid == 0:
        raise ValidationError({"amount": _("Tagihan ini belum dibayar, jadi belum ada uang yang dapat dikembalikan.")})
    left = paid - refunded
    if amount > left:
        from balai.core.templatetags.balai import rupiah

        raise ValidationError(
            {"amount": _("Pengembalian melebihi sisa pembayaran. Isi paling banyak %(left)s.") % {"left": rupiah(left)}},
            code="exceeds_paid",
        )
    refund = Refund.objects.create(
        tenant_id=bill.tenant_id, bill=bill, amount=amount, reason=reason.strip()[:255],
        gateway_reference=(gateway_reference or "").strip()[:100],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        tenant=bill.tenant, actor=actor, action="payments.refund_record", obj=bill,
        data={"refund_id": refund.pk, "amount": amount, "reason": refund.reason, "refunded_total": refunded + amount},
    )
    return refund


# Reconciliation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReconciliationLine:
    reference: str
    billing_code: str
    bill: Bill | None
    our_amount: int | None
    gateway_amount: int | None
    paid_at: datetime | None


@dataclass
class ReconciliationReport:
    tenant: Tenant
    day: date
    gateway: str
    matched: list[ReconciliationLine] = field(default_factory=list)
    missing_here: list[ReconciliationLine] = field(default_factory=list)
    missing_at_gateway: list[ReconciliationLine] = field(default_factory=list)
    amount_mismatches: list[ReconciliationLine] = field(default_factory=list)

    @property
    def discrepancy_count(self) -> int:
        return len(self.missing_here) + len(self.missing_at_gateway) + len(self.amount_mismatches)

    @property
    def is_clean(self) -> bool:
        return self.discrepancy_count == 0


def reconcile(*, tenant: Tenant, day: date, gateway: str | None = None, actor=None, record: bool = True) -> ReconciliationReport:
    """Compare the gateway's statement for `day` (tenant's time zone) with the payments we recorded.

    Guarantees: nothing is fixed silently. A payment the gateway reports and we lack, one we have
    and it does not report, and an amount that differs each become an open `Discrepancy` for a
    person to resolve (with `record`; running again adds no duplicate rows), and the run is audited
    ("payments.reconcile") with its counts. The statement is fetched before any transaction opens,
    since a real gateway answers over the network.
    """
    gw = gateway_get(gateway or active_gateway().code)
    lines = gw.fetch_statement(day=day, tenant=tenant)
    start, end = day_bounds(day, tenant)
    ours = {
        p.gateway_reference: p
        for p in Payment.objects.filter(tenant=tenant, gateway=gw.code, paid_at__gte=start, paid_at__lt=end).select_related("bill")
    }
    theirs = {line.reference: line for line in lines}
    # A payment the gateway reports today may carry another day's time on our side: still ours.
    elsewhere = {
        p.gateway_reference: p
        for p in Payment.objects.filter(
            tenant=tenant, gateway=gw.code, gateway_reference__in=[r for r in theirs if r not in ours]
        ).select_related("bill")
    }
    bills = {b.code: b for b in Bill.objects.filter(tenant=tenant, code__in=[line.billing_code for line in lines])}
    report = ReconciliationReport(tenant=tenant, day=day, gateway=gw.code)
    for reference, line in theirs.items():
        payment = ours.get(reference) or elsewhere.get(reference)
        if payment is None:
            report.missing_here.append(
                ReconciliationLine(reference, line.billing_code, bills.get(line.billing_code), None, line.amount, line.paid_at)
            )
            continue
        item = ReconciliationLine(reference, payment.bill.code, payment.bill, payment.amount, line.amount, line.paid_at)
        (report.matched if payment.amount == line.amount else report.amount_mismatches).append(item)
    for reference, payment in ours.items():
        if reference not in theirs:
            report.missing_at_gateway.append(
                ReconciliationLine(reference, payment.bill.code, payment.bill, payment.amount, None, payment.paid_at)
            )
    if record:
        with transaction.atomic():
            for kind, items in (
                (Discrepancy.Kind.MISSING_HERE, report.missing_here),
                (Discrepancy.Kind.MISSING_AT_GATEWAY, report.missing_at_gateway),
                (Discrepancy.Kind.AMOUNT_MISMATCH, report.amount_mismatches),
            ):
                for item in items:
                    Discrepancy.objects.get_or_create(
                        tenant=tenant, gateway=gw.code, kind=kind, gateway_reference=item.reference,
                        defaults={
                            "day": day, "bill": item.bill, "billing_code": item.billing_code,
                            "our_amount": item.our_amount, "gateway_amount": item.gateway_amount,
                        },
                    )
            audit_record(
                tenant=tenant, actor=actor, action="payments.reconcile", object_type="payments.reconciliation",
                object_id=f"{gw.code}:{day.isoformat()}",
                data={
                    "matched": len(report.matched), "missing_here": len(report.missing_here),
                    "missing_at_gateway": len(report.missing_at_gateway), "amount_mismatches": len(report.amount_mismatches),
                },
            )
    return report


@transaction.atomic
def discrepancy_resolve(*, discrepancy: Discrepancy, note: str, actor) -> Discrepancy:
    """Close a discrepancy once a person has dealt with it; the note is kept in the audit entry."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Tuliskan apa yang sudah dilakukan untuk menyelesaikan selisih ini.")})
    row = Discrepancy.objects.select_for_update().get(pk=discrepancy.pk, tenant_id=discrepancy.tenant_id)
    if row.status == Discrepancy.Status.RESOLVED:
        return row
    row.status = Discrepancy.Status.RESOLVED
    row.save(update_fields=["status"])
    audit_record(
        tenant=row.tenant, actor=actor, action="payments.discrepancy_resolve", obj=row, data={"note": note.strip()[:500]}
    )
    return row
