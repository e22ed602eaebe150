"""Documents the Pemda issues: templates (versioned), letterheads, number sequences, issued documents.

An issued document pins the template version it was rendered from and keeps the SHA-256 of its signed
PDF, so that the public verification page (/verify/<code>/) can say what was issued and whether a
file someone holds is that document. Revoking a document never alters its PDF; it changes the status
shown on the verification page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned

from .kinds import DEFAULT_PATTERN


class DocumentTemplate(TenantOwned):
    """One version of a tenant's template for a kind; editing makes a new version, never changes one."""

    kind = models.CharField(_("jenis dokumen"), max_length=60)
    version = models.PositiveIntegerField(_("versi"))
    name = models.CharField(_("nama templat"), max_length=200)
    body = models.TextField(_("isi templat (HTML)"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("templat dokumen")
        verbose_name_plural = _("templat dokumen")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "version"], name="documents_template_version_unique")
        ]
        indexes = [models.Index(fields=["tenant", "kind", "-version"])]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Letterhead(TenantOwned):
    """A tenant's letterhead (kop surat): an HTML block and its CSS, rendered above every document."""

    html = models.TextField(_("HTML kop surat"))
    css = models.TextField(_("CSS kop surat"), blank=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kop surat")
        verbose_name_plural = _("kop surat")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="documents_letterhead_unique")]


class NumberFormat(TenantOwned):
    """How a tenant writes the numbers of one kind: a pattern over prefix, seq, unit and year."""

    kind = models.CharField(_("jenis dokumen"), max_length=60)
    pattern = models.CharField(_("pola nomor"), max_length=120, default=DEFAULT_PATTERN)
    prefix = models.CharField(_("kode klasifikasi"), max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "kind"], name="documents_numberformat_unique")]


class NumberSequence(TenantOwned):
    """The last number given for a kind in a year. Locked while a document is issued, so no gaps."""

    kind = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "year"], name="documents_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class IssuedDocument(TenantOwned):
    class Status(models.TextChoices):
        VALID = "valid", _("Sah")
        REVOKED = "revoked", _("Dicabut")

    code = models.CharField(_("kode verifikasi"), max_length=16, unique=True)
    kind = models.CharField(_("jenis dokumen"), max_length=60)
    year = models.PositiveSmallIntegerField(_("tahun"))
    seq = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor"), max_length=120)
    title = models.CharField(_("judul"), max_length=255)
    template = models.ForeignKey(DocumentTemplate, on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField(_("nama penerima"), max_length=200)
    recipient_id_masked = models.CharField(_("identitas penerima (disamarkan)"), max_length=40, blank=True)
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by_name = models.CharField(_("penanda tangan"), max_length=200)
    issued_by_position = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    certificate_subject = models.CharField(_("sertifikat"), max_length=255)
    issued_at = models.DateTimeField(_("diterbitkan"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The signed PDF, kept by core.files (purpose "documents.<kind>", which files never deletes).
    pdf_file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(_("alasan pencabutan"), blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "year", "seq"], name="documents_issued_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "-issued_at"]),
            models.Index(fields=["tenant", "kind", "year"]),
            models.Index(fields=["tenant", "subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.title})"

    @property
    def code_display(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
