"""The hash-chained audit log: one chain per tenant, and one platform chain for events of no tenant.

Each `AuditEntry` holds who did what to which object, when, digests of the object before and after,
and the hash of the previous entry of its chain; its own `hash` is SHA-256 over a canonical JSON of
all of that (see `AuditEntry.hash_payload`). Changing, removing or re-ordering any entry therefore
breaks the chain at that point, which `verify.verify_chain` reports.

Chains: `tenant` set means the tenant's chain; `tenant` NULL means the platform chain (accounts,
tenant creation and other events that belong to no Pemda). `seq` numbers each chain 1, 2, 3, ...

The table is append-only at three levels: the model refuses `save()` of an existing row and
`delete()`, its queryset refuses `update()` and `delete()`, and database triggers (migration 0002,
on PostgreSQL and SQLite alike) refuse UPDATE, DELETE and TRUNCATE. There is deliberately no foreign
key to the user: a cascade or SET_NULL would have to rewrite rows, so the actor is kept as a plain
id and a label.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The `prev_hash` of the first entry of every chain.
GENESIS_HASH = "0" * 64
# Bumped only with a migration that knows how to verify both formats.
HASH_VERSION = 1


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


def canonical_json(value: Any) -> bytes:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def sha256_hex(value: Any) -> str:
    return hashlib.sha256(canonical_json(value)).hexdigest()


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only: update() refused.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only: delete() refused.")

    update.queryset_only = True
    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only: an existing row cannot be saved again.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} is append-only: delete() refused.")


class AuditEntry(AppendOnlyModel):
    """One event in a chain. Create only through `services.audit_record`."""

    tenant = models.ForeignKey(
        "tenants.Tenant", verbose_name=_("Pemda"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveBigIntegerField(_("nomor urut"))
    created_at = models.DateTimeField(_("waktu"))
    actor_id = models.BigIntegerField(_("id pelaku"), null=True, blank=True)
    actor_label = models.CharField(_("pelaku"), max_length=200, blank=True)
    action = models.CharField(_("tindakan"), max_length=80)
    object_type = models.CharField(_("jenis objek"), max_length=100, blank=True)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    data = models.JSONField(_("rincian"), default=dict, blank=True)
    before_digest = models.CharField(_("ringkasan sebelum"), max_length=64, blank=True)
    after_digest = models.CharField(_("ringkasan sesudah"), max_length=64, blank=True)
    ip = models.CharField(_("alamat IP"), max_length=45, blank=True)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("entri audit")
        verbose_name_plural = _("entri audit")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "seq"], name="auditentry_tenant_seq_unique"),
            # NULLs are distinct in a unique index, so the platform chain needs its own guard.
            models.UniqueConstraint(fields=["seq"], condition=Q(tenant__isnull=True), name="auditentry_platform_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "action", "seq"], name="auditentry_tenant_action"),
            models.Index(fields=["tenant", "created_at"], name="auditentry_tenant_created"),
            models.Index(fields=["tenant", "object_type", "object_id"], name="auditentry_tenant_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def hash_payload(self) -> dict[str, Any]:
        """Every field that the hash covers, in the form that survives a round trip through the database."""
        return {
            "v": HASH_VERSION,
            "tenant": self.tenant_id,
            "seq": self.seq,
            "created_at": self.created_at.astimezone(UTC).isoformat(timespec="microseconds") if self.created_at else None,
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "data": self.data,
            "before_digest": self.before_digest,
            "after_digest": self.after_digest,
            "ip": self.ip,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return sha256_hex(self.hash_payload())


class AuditChainHead(models.Model):
    """The last entry of each chain: the row that writers lock to append one at a time.

    `chain` is the tenant's id, or 0 for the platform chain. It is not evidence (the entries are);
    verification compares it with the chain to notice entries removed from the end.
    """

    chain = models.BigIntegerField(primary_key=True)
    tenant = models.OneToOneField(
        "tenants.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kepala rantai audit")
        verbose_name_plural = _("kepala rantai audit")

    def __str__(self) -> str:
        return f"chain {self.chain} @ {self.seq}"


class AuditDigest(AppendOnlyModel):
    """The head of a chain at the end of one day (in the tenant's time zone), published for the public.

    Once published it never changes: a chain rewritten afterwards, even with every hash recomputed,
    no longer matches it.
    """

    tenant = models.ForeignKey(
        "tenants.Tenant", verbose_name=_("Pemda"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("tanggal"))
    seq = models.PositiveBigIntegerField(_("nomor urut kepala"))
    head_hash = models.CharField(_("hash kepala"), max_length=64)
    entries = models.PositiveIntegerField(_("entri hari itu"))
    created_at = models.DateTimeField(_("diterbitkan"))

    class Meta:
        verbose_name = _("ringkasan harian audit")
        verbose_name_plural = _("ringkasan harian audit")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "day"], name="auditdigest_tenant_day_unique"),
            models.UniqueConstraint(fields=["day"], condition=Q(tenant__isnull=True), name="auditdigest_platform_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.day} #{self.seq} {self.head_hash[:12]}"
