"""The platform's registry of legal persons: businesses (for permits) and organisations (for grants).

Like an account, an entry belongs to no Pemda: one entry per business or organisation across the whole
platform, whichever Pemda it deals with. The people who may act for it are its representatives; a
representation that ends is kept (with `until`) as history. Entries are never shown on public pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.core.tenants import regions

from .identifiers import npwp_display


class LegalEntity(models.Model):
    class Kind(models.TextChoices):
        BUSINESS = "business", _("Badan usaha")
        ORGANISATION = "organisation", _("Organisasi")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=200)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    address = models.CharField(_("alamat"), max_length=300)
    # Kemendagri code of the regency or city of the address (`36.73`), from the region list in core.tenants.
    regency_code = models.CharField(_("kabupaten/kota"), max_length=5)
    created_at = models.DateTimeField(_("terdaftar"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("didaftarkan oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("badan usaha atau organisasi")
        verbose_name_plural = _("badan usaha dan organisasi")
        constraints = [
            # One entry per business: the registration refuses a second one with a message, this is the last guard.
            models.UniqueConstraint(
                fields=["nib"], condition=Q(kind="business") & ~Q(nib=""), name="legalentity_business_nib_unique"
            ),
            models.CheckConstraint(condition=Q(kind="business") | Q(nib=""), name="legalentity_nib_only_business"),
        ]
        indexes = [
            # The integrity checks look for recipients sharing an NPWP.
            models.Index(fields=["npwp"], name="legalentity_npwp"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_business(self) -> bool:
        return self.kind == self.Kind.BUSINESS

    @property
    def npwp_display(self) -> str:
        return npwp_display(self.npwp) if self.npwp else ""

    @property
    def regency_name(self) -> str:
        region = regions.get(self.regency_code) if self.regency_code else None
        return region.name if region else self.regency_code


class Representative(models.Model):
    """A person who acts for an entity, from `since` until `until` (None: still does)."""

    class Role(models.TextChoices):
        PENGURUS = "pengurus", _("Pengurus")
        KUASA = "kuasa", _("Kuasa")

    entity = models.ForeignKey(LegalEntity, on_delete=models.PROTECT, related_name="representatives")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("orang"), on_delete=models.PROTECT, related_name="representations"
    )
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices)
    since = models.DateTimeField(_("sejak"), default=timezone.now)
    until = models.DateTimeField(_("sampai"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ditambahkan oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diakhiri oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("wakil")
        verbose_name_plural = _("wakil")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "user"], condition=Q(until__isnull=True), name="representative_one_current"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "until"], name="representative_user_until"),
            models.Index(fields=["entity", "until"], name="representative_entity_until"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.entity}"

    @property
    def is_current(self) -> bool:
        return self.until is None
