"""Notifications: templates per tenant and language, and the outbox every message goes through.

An `OutboxMessage` is written in the same transaction as the event it reports, already rendered, so
that a rolled-back event leaves no message and a later template edit does not change a queued one.
In-app notifications are outbox rows of channel "inapp": delivered the moment they commit, read in
the recipient's inbox.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import Tenant, TenantOwned


class Channel(models.TextChoices):
    INAPP = "inapp", _("Di aplikasi")
    EMAIL = "email", _("Surel")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Language(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


class NotificationTemplate(models.Model):
    """A template that replaces the shipped default of one code and language.

    `tenant` None is a platform-wide replacement; a tenant's own row wins over it for that tenant.
    `channel` "" serves every channel that has no row of its own. Subject and body are sandboxed
    Django templates (see sandbox.py), checked when saved.
    """

    tenant = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("kode"), max_length=80)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices, blank=True)
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("judul"), max_length=300)
    body = models.TextField(_("isi"))
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("templat notifikasi")
        verbose_name_plural = _("templat notifikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code", "channel", "language"],
                condition=Q(tenant__isnull=False),
                name="notificationtemplate_unique_tenant",
            ),
            models.UniqueConstraint(
                fields=["code", "channel", "language"],
                condition=Q(tenant__isnull=True),
                name="notificationtemplate_unique_platform",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "code"])]

    def __str__(self) -> str:
        return f"{self.tenant.slug if self.tenant_id else '*'}:{self.code}:{self.channel or '*'}:{self.language}"


class OutboxMessage(TenantOwned):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal, dicoba lagi")
        DEAD = "dead", _("Gagal, tidak dicoba lagi")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    # The address at the time of writing: the message goes where the event said, even if the person
    # changes their e-mail before it is sent.
    address = models.CharField(_("alamat"), max_length=254, blank=True)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    template_code = models.CharField(_("kode templat"), max_length=80)
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("judul"), max_length=300)
    body = models.TextField(_("isi"))
    link = models.CharField(_("tautan"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    # When a pending or failed message is due; while "sending", when the claim expires (a worker that
    # died mid-send leaves the message to be claimed again then).
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        indexes = [
            models.Index(fields=["tenant", "recipient", "channel", "-created_at"], name="outbox_inbox_idx"),
            # Only unsent messages: small however large the table grows, so the dispatcher's scan is cheap.
            models.Index(
                fields=["tenant", "next_attempt_at"],
                condition=Q(status__in=["pending", "sending", "failed"]),
                name="outbox_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address or self.recipient_id}: {self.subject}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
