"""Bills, the payments and refunds recorded against them, every callback received, and reconciliation.

Money is integer rupiah (`BigIntegerField`) everywhere. A bill's status changes only through
`services` (`bill_cancel`, `payment_callback_receive`, `bills_expire`), which lock the row and check
the transition. `Payment.gateway_reference` is unique per gateway: it is the idempotency key that makes
a replayed callback record nothing new.

Two unique keys deliberately do not lead with the tenant: `Bill.code` and (gateway, gateway_reference).
A callback arrives at a platform URL with no tenant in it, and these are what it is looked up by; the
billing code carries the tenant's digits, so a distributed table can still route by its prefix.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned


class Bill(TenantOwned):
    """Something a payer owes the Pemda (a retribution, a grant refund...), identified by its billing code."""

    class Status(models.TextChoices):
        UNPAID = "unpaid", _("Belum dibayar")
        PAID = "paid", _("Lunas")
        EXPIRED = "expired", _("Kedaluwarsa")
        CANCELLED = "cancelled", _("Dibatalkan")

    # Allowed status changes; anything else is refused by the services.
    TRANSITIONS = {
        Status.UNPAID: {Status.PAID, Status.EXPIRED, Status.CANCELLED},
        Status.PAID: set(),
        Status.EXPIRED: set(),
        Status.CANCELLED: set(),
    }

    code = models.CharField(_("kode bayar"), max_length=20, unique=True)
    purpose = models.CharField(_("keperluan"), max_length=60)
    # The thing billed, as strings so that core needs no foreign key into a module.
    subject_type = models.CharField(_("jenis objek"), max_length=100, blank=True)
    subject_id = models.CharField(_("id objek"), max_length=64, blank=True)
    payer_name = models.CharField(_("nama pembayar"), max_length=200)
    payer_masked_id = models.CharField(_("identitas pembayar (disamarkan)"), max_length=40, blank=True)
    payer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun pembayar"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    amount = models.BigIntegerField(_("jumlah (rupiah)"))
    description = models.CharField(_("uraian"), max_length=255)
    gateway = models.CharField(_("kanal pembayaran"), max_length=30)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UNPAID)
    due_at = models.DateTimeField(_("batas bayar"), null=True, blank=True)
    paid_at = models.DateTimeField(_("waktu lunas"), null=True, blank=True)
    closed_reason = models.CharField(_("alasan pembatalan"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("tagihan")
        verbose_name_plural = _("tagihan")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bill_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "created_at"], name="bill_tenant_status"),
            models.Index(fields=["tenant", "subject_type", "subject_id"], name="bill_tenant_subject"),
            models.Index(fields=["tenant", "payer_user", "created_at"], name="bill_tenant_payer"),
            models.Index(fields=["tenant", "purpose", "created_at"], name="bill_tenant_purpose"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID


class Payment(TenantOwned):
    """Money the gateway reports received for a bill, recorded once per gateway reference."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    gateway = models.CharField(_("kanal pembayaran"), max_length=30)
    gateway_reference = models.CharField(_("referensi kanal"), max_length=100)
    amount = models.BigIntegerField(_("jumlah (rupiah)"))
    paid_at = models.DateTimeField(_("waktu bayar"))
    # A second, different payment for a bill already paid: kept (the money did arrive) and flagged for refund.
    is_duplicate = models.BooleanField(_("pembayaran ganda"), default=False)
    raw_callback = models.JSONField(_("isi callback"), default=dict)
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)

    class Meta:
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")
        constraints = [
            models.UniqueConstraint(fields=["gateway", "gateway_reference"], name="payment_gateway_reference_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["tenant", "paid_at"], name="payment_tenant_paid"),
            models.Index(fields=["tenant", "bill"], name="payment_tenant_bill"),
        ]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.gateway_reference}"


class Refund(TenantOwned):
    """Money paid back on a bill. The services keep the sum of refunds within the sum of payments."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField(_("jumlah (rupiah)"))
    reason = models.CharField(_("alasan"), max_length=255)
    gateway_reference = models.CharField(_("referensi pengembalian"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pengembalian")
        verbose_name_plural = _("pengembalian")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]
        indexes = [models.Index(fields=["tenant", "bill"], name="refund_tenant_bill")]

    def __str__(self) -> str:
        return f"{self.bill.code} -{self.amount}"


class CallbackLog(models.Model):
    """Every callback that reached the endpoint, forged or not. The tenant is known only when the bill is."""

    class Outcome(models.TextChoices):
        PAID = "paid", _("Dicatat lunas")
        ALREADY_RECORDED = "already_recorded", _("Sudah tercatat")
        DUPLICATE_PAYMENT = "duplicate_payment", _("Pembayaran ganda")
        FORGED = "forged", _("Tanda tangan tidak sah")
        STALE = "stale", _("Kedaluwarsa")
        MALFORMED = "malformed", _("Isi tidak terbaca")
        UNKNOWN_BILL = "unknown_bill", _("Tagihan tidak dikenal")
        AMOUNT_MISMATCH = "amount_mismatch", _("Jumlah tidak cocok")
        BILL_CLOSED = "bill_closed", _("Tagihan sudah ditutup")
        UNKNOWN_GATEWAY = "unknown_gateway", _("Kanal tidak dikenal")
        CONFLICT = "conflict", _("Referensi sudah dipakai untuk tagihan atau jumlah lain")

    tenant = models.ForeignKey("tenants.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    gateway = models.CharField(_("kanal pembayaran"), max_length=30)
    bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="callbacks")
    gateway_reference = models.CharField(_("referensi kanal"), max_length=100, blank=True)
    headers = models.JSONField(_("header"), default=dict)
    body = models.TextField(_("isi"))
    signature_ok = models.BooleanField(_("tanda tangan sah"))
    outcome = models.CharField(_("hasil"), max_length=20, choices=Outcome.choices)
    ip = models.CharField(_("alamat IP"), max_length=45, blank=True)
    created_at = models.DateTimeField(_("diterima"), auto_now_add=True)

    class Meta:
        verbose_name = _("log callback")
        verbose_name_plural = _("log callback")
        indexes = [
            models.Index(fields=["tenant", "created_at"], name="callbacklog_tenant_created"),
            models.Index(fields=["tenant", "outcome", "created_at"], name="callbacklog_tenant_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.outcome}"


class Discrepancy(TenantOwned):
    """A difference reconciliation found between the gateway's statement and our records, left for a person."""

    class Kind(models.TextChoices):
        MISSING_HERE = "missing_here", _("Dibayar di kanal, tidak tercatat di Balai")
        MISSING_AT_GATEWAY = "missing_at_gateway", _("Tercatat di Balai, tidak ada di kanal")
        AMOUNT_MISMATCH = "amount_mismatch", _("Jumlah berbeda")

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        RESOLVED = "resolved", _("Selesai")

    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    gateway = models.CharField(_("kanal pembayaran"), max_length=30)
    gateway_reference = models.CharField(_("referensi kanal"), max_length=100)
    day = models.DateField(_("tanggal"))
    bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="discrepancies")
    billing_code = models.CharField(_("kode bayar"), max_length=20, blank=True)
    our_amount = models.BigIntegerField(_("jumlah di Balai"), null=True, blank=True)
    gateway_amount = models.BigIntegerField(_("jumlah di kanal"), null=True, blank=True)
    created_at = models.DateTimeField(_("ditemukan"), auto_now_add=True)

    class Meta:
        verbose_name = _("selisih rekonsiliasi")
        verbose_name_plural = _("selisih rekonsiliasi")
        constraints = [
            # Running reconciliation again finds the same difference, it does not add another row.
            models.UniqueConstraint(
                fields=["tenant", "gateway", "kind", "gateway_reference"], name="discrepancy_unique"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status", "day"], name="discrepancy_tenant_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.gateway_reference}"


class SimulatedTransaction(models.Model):
    """The simulator gateway's own ledger: what it says it collected, read back as its statement.

    This stands in for the bank's side; it is never written by our payment services, so that
    reconciliation compares two independent records.
    """

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("referensi"), max_length=100, unique=True)
    billing_code = models.CharField(_("kode bayar"), max_length=20)
    amount = models.BigIntegerField(_("jumlah (rupiah)"))
    paid_at = models.DateTimeField(_("waktu bayar"))

    class Meta:
        verbose_name = _("transaksi simulator")
        verbose_name_plural = _("transaksi simulator")
        indexes = [models.Index(fields=["tenant", "paid_at"], name="simtx_tenant_paid")]

    def __str__(self) -> str:
        return self.reference
