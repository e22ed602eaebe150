import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned

from .kinds import KIND_CHOICES, KINDS


class StoredFile(TenantOwned):
    """One uploaded or generated file: its checked kind, hash, and where its bytes live in storage.

    The bytes sit in the "balai_files" storage under `storage_key` (`<tenant>/<yyyy>/<mm>/<uuid>.<ext>`),
    never under the name a person gave the file; that name is kept, cleaned, only for downloads.
    """

    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    purpose = models.CharField(_("kegunaan"), max_length=64)
    original_name = models.CharField(_("nama berkas"), max_length=160)
    kind = models.CharField(_("jenis"), max_length=10, choices=KIND_CHOICES)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    storage_key = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengunggah"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        verbose_name = _("berkas")
        verbose_name_plural = _("berkas")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "public_id"], name="storedfile_public_id_unique"),
            models.UniqueConstraint(fields=["tenant", "storage_key"], name="storedfile_storage_key_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "sha256"], name="storedfile_tenant_sha256"),
            models.Index(fields=["tenant", "purpose", "created_at"], name="storedfile_tenant_purpose"),
            models.Index(fields=["tenant", "uploaded_by"], name="storedfile_tenant_uploader"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return KINDS[self.kind].extension

    @property
    def download_name(self) -> str:
        """The person's name for the file, with the extension of what it really is."""
        stem = self.original_name.rsplit(".", 1)[0] if "." in self.original_name else self.original_name
        return f"{stem or 'berkas'}.{self.extension}"
