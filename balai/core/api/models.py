"""API tokens and idempotency records. Both belong to one tenant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned

TOKEN_PREFIX = "balai"


class ApiToken(TenantOwned):
    """A bearer token for one tenant: a person's own, or an integration client's (such as SIMDA Keuangan).

    Only the SHA-256 of the secret is kept; the whole token (`balai_<prefix>_<secret>`) is shown once,
    when it is created. The prefix is stored in clear so that people can tell their tokens apart.
    """

    class Kind(models.TextChoices):
        USER = "user", _("Token pribadi")
        CLIENT = "client", _("Klien integrasi")

    kind = models.CharField(_("jenis"), max_length=6, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemilik"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    client_name = models.CharField(_("nama klien integrasi"), max_length=120, blank=True)
    name = models.CharField(_("keterangan"), max_length=120, blank=True)
    scopes = models.JSONField(_("cakupan"), default=list)
    key_prefix = models.CharField(_("awalan"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        indexes = [models.Index(fields=["tenant", "kind", "user"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="user", user__isnull=False) | models.Q(kind="client", user__isnull=True)),
                name="api_token_kind_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{TOKEN_PREFIX}_{self.key_prefix}_… ({self.holder})"

    @property
    def holder(self) -> str:
        return self.client_name if self.kind == self.Kind.CLIENT else str(self.user)

    @property
    def masked(self) -> str:
        return f"{TOKEN_PREFIX}_{self.key_prefix}_…"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"


class IdempotencyRecord(TenantOwned):
    """The response to a creating POST, kept for 24 hours under the client's Idempotency-Key.

    `principal` names who sent it (`token:<id>` or `user:<id>`): two clients may use the same key.
    """

    principal = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "principal", "key"], name="api_idempotency_unique"),
        ]
        indexes = [models.Index(fields=["tenant", "created_at"])]
