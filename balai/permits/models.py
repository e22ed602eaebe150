"""Perizinan Online data: the catalogue (permit types and their versioned requirements), applications,
their documents, correction requests, inspections, complaints and satisfaction surveys.

Only `services.py` writes these tables; the status of an application lives in its workflow instance
(`Application.workflow.state`) and changes only through `balai.core.workflow.services.transition`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned

DEFAULT_WORKFLOW = "permits.application"
PERMIT_DOCUMENT_KIND = "permits.permit"
RECEIPT_DOCUMENT_KIND = "permits.receipt"

FIELD_TYPES = ("text", "integer", "decimal", "date", "choice", "boolean")
FILE_KINDS = ("pdf", "jpeg", "png")
FEE_MODELS = ("none", "fixed", "per_unit", "tiered", "formula")


def mask_nik(nik: str | None) -> str:
    """A NIK as public pages may show it: the region digits and the last four, the rest hidden."""
    raw = (nik or "").strip()
    if len(raw) < 8:
        return "*" * len(raw)
    return f"{raw[:4]}{'*' * (len(raw) - 8)}{raw[-4:]}"


class PermitType(TenantOwned):
    """A permit a tenant offers: who handles it, how long it takes, what it needs and how it runs.

    The requirements (form fields, documents) and the fee live in `PermitTypeVersion`; `current_version`
    is what new applications pin. Edit through `services.permit_type_save` only.
    """

    class Inspection(models.TextChoices):
        NEVER = "never", _("Tidak perlu survei lapangan")
        ALWAYS = "always", _("Selalu survei lapangan")
        BY_RULE = "by_rule", _("Survei lapangan bila memenuhi aturan")

    class SlaStart(models.TextChoices):
        SUBMISSION = "submission", _("Sejak permohonan diajukan")
        COMPLETE = "complete", _("Sejak verifikator menyatakan berkas lengkap")

    class Escalation(models.TextChoices):
        NOTIFY_HEAD = "notify_head", _("Beri tahu pimpinan")
        REASSIGN = "reassign", _("Alihkan ke petugas lain")
        AUTO_APPROVE = "auto_approve", _("Dianggap disetujui (fiktif positif)")

    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama izin"), max_length=200)
    description = models.TextField(_("uraian untuk publik"), blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit penanggung jawab"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    sla_days = models.PositiveSmallIntegerField(_("SLA (hari kerja)"))
    # When the file's SLA clock starts: at submission, or (PBG: "about 30 working days after documents
    # are complete") when the verifier declares the file complete (services._start_workflow).
    sla_starts = models.CharField(
        _("SLA dihitung"), max_length=12, choices=SlaStart.choices, default=SlaStart.SUBMISSION
    )
    validity_months = models.PositiveSmallIntegerField(
        _("masa berlaku (bulan)"), null=True, blank=True, help_text=_("Kosongkan bila izin berlaku tanpa batas waktu.")
    )
    renewable = models.BooleanField(_("dapat diperpanjang"), default=False)
    renewal_window_days = models.PositiveSmallIntegerField(
        _("perpanjangan dibuka (hari sebelum habis)"), default=30
    )
    needs_appointment = models.BooleanField(_("perlu janji temu"), default=False)
    inspection = models.CharField(
        _("survei lapangan"), max_length=10, choices=Inspection.choices, default=Inspection.NEVER
    )
    # {"field": "<form field code or computed 'luas'>", "op": ">", "value": 10}; see services.inspection_needed.
    inspection_rule = models.JSONField(_("aturan survei lapangan"), default=dict, blank=True)
    needs_recommendation = models.BooleanField(_("perlu rekomendasi teknis"), default=False)
    fiktif_positif = models.BooleanField(
        _("fiktif positif"), default=False,
        help_text=_("Permohonan dianggap disetujui bila tenggat terlewati, bila peraturan untuk izin ini mengizinkan."),
    )
    escalation = models.CharField(
        _("tindakan bila tenggat terlewati"), max_length=15, choices=Escalation.choices,
        default=Escalation.NOTIFY_HEAD,
    )
    workflow_code = models.CharField(_("alur kerja"), max_length=80, default=DEFAULT_WORKFLOW)
    document_kind = models.CharField(_("jenis dokumen izin"), max_length=60, default=PERMIT_DOCUMENT_KIND)
    is_published = models.BooleanField(_("tampil di katalog publik"), default=False)
    current_version = models.ForeignKey(
        "PermitTypeVersion", verbose_name=_("versi persyaratan berlaku"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jenis izin")
        verbose_name_plural = _("jenis izin")
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="permits_type_code_unique")]
        indexes = [models.Index(fields=["tenant", "is_published", "name"], name="permits_type_published")]

    def __str__(self) -> str:
        return self.name


class PermitTypeVersion(TenantOwned):
    """One version of a permit type's requirements and fee. Never edited; a change is a new version.

    `form_fields`: [{code, label, type (text|integer|decimal|date|choice|boolean), required, min, max,
    choices: [{value, label}], help}]. `documents`: [{code, label, kinds: ["pdf", "jpeg", "png"],
    mandatory, max_mb}]. `fee_model` is one of fees' models; `fee_config` was normalised by
    `fees.fee_config_validate`.
    """

    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    form_fields = models.JSONField(_("isian formulir"), default=list, blank=True)
    documents = models.JSONField(_("dokumen persyaratan"), default=list, blank=True)
    fee_model = models.CharField(_("model tarif"), max_length=10, default="none")
    fee_config = models.JSONField(_("pengaturan tarif"), default=dict, blank=True)
    note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["permit_type", "-number"]
        verbose_name = _("versi persyaratan izin")
        verbose_name_plural = _("versi persyaratan izin")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "permit_type", "number"], name="permits_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.permit_type_id} v{self.number}"

    def field(self, code: str) -> dict | None:
        return next((f for f in self.form_fields if f.get("code") == code), None)

    def requirement(self, code: str) -> dict | None:
        return next((d for d in self.documents if d.get("code") == code), None)


class Application(TenantOwned):
    """One application for a permit: the applicant, the pinned requirements, the form, the fee, the permit.

    Its status is `workflow.state` (see balai/permits/workflow.py). The registration number is given at
    submission, gap-free per tenant and year: `REG-<tenant digits>-<year>-<6-digit seq>`.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("Daring")
        COUNTER = "counter", _("Loket")

    permit_type = models.ForeignKey(PermitType, verbose_name=_("jenis izin"), on_delete=models.PROTECT, related_name="applications")
    type_version = models.ForeignKey(PermitTypeVersion, on_delete=models.PROTECT, related_name="applications")
    registration_number = models.CharField(_("nomor registrasi"), max_length=40, blank=True)
    registration_year = models.PositiveSmallIntegerField(null=True, blank=True)
    registration_seq = models.PositiveIntegerField(null=True, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemohon"), on_delete=models.PROTECT, related_name="+"
    )
    applicant_name = models.CharField(_("nama pemohon"), max_length=200)
    applicant_nik = models.CharField(_("NIK pemohon"), max_length=16, blank=True)
    business_name = models.CharField(_("nama usaha"), max_length=200, blank=True)
    business_nib = models.CharField(_("NIB"), max_length=13, blank=True)
    business_npwp = models.CharField(_("NPWP"), max_length=20, blank=True)
    # The registered business (core.parties) whose NIB the file names, if any; the three fields above stay as
    # the snapshot the file was submitted with. PROTECT: registry entries are never deleted (ended
    # representations stay as history), and a business with files must keep its entry.
    legal_entity = models.ForeignKey(
        "parties.LegalEntity", verbose_name=_("badan usaha terdaftar"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    form_data = models.JSONField(_("isian formulir"), default=dict, blank=True)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dientri oleh"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    workflow = models.OneToOneField(
        "workflow.WorkflowInstance", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The fee quoted when the file reached payment (None: not computed yet). Integer rupiah.
    fee_amount = models.BigIntegerField(_("retribusi (rupiah)"), null=True, blank=True)
    fee_lines = models.JSONField(default=list, blank=True)
    fee_explanation = models.TextField(blank=True)
    bill = models.ForeignKey(
        "payments.Bill", verbose_name=_("tagihan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    permit_document = models.ForeignKey(
        "documents.IssuedDocument", verbose_name=_("dokumen izin"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # The signed receipt of the paid retribution (services.application_receipt_issue), verifiable by its QR.
    receipt_document = models.ForeignKey(
        "documents.IssuedDocument", verbose_name=_("bukti pembayaran"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    valid_from = models.DateField(_("berlaku mulai"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    renewal_of = models.ForeignKey(
        "self", verbose_name=_("perpanjangan dari"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="renewals",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    # What public tracking shows, rewritten inside every transition (selectors.tracking_facts): a
    # look-up reads this one row instead of the workflow history. Empty until submission.
    tracking_facts = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permohonan izin")
        verbose_name_plural = _("permohonan izin")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "registration_number"], condition=~Q(registration_number=""),
                name="permits_application_regno_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "applicant", "created_at"], name="permits_app_applicant"),
            models.Index(fields=["tenant", "permit_type", "submitted_at"], name="permits_app_type_submitted"),
            models.Index(fields=["tenant", "registration_number"], name="permits_app_regno"),
            models.Index(fields=["tenant", "valid_until"], name="permits_app_valid_until"),
            # A business's files, for its representatives.
            models.Index(fields=["tenant", "legal_entity", "created_at"], name="permits_app_entity"),
        ]

    def __str__(self) -> str:
        return self.registration_number or _("Draf permohonan #%(pk)s") % {"pk": self.pk}

    @property
    def applicant_nik_masked(self) -> str:
        return mask_nik(self.applicant_nik)

    @property
    def state(self) -> str:
        return self.workflow.state if self.workflow_id else ""


class ApplicationDocument(TenantOwned):
    """A file uploaded for one documentary requirement. A re-upload supersedes it (history is kept)."""

    class Status(models.TextChoices):
        CURRENT = "current", _("Berlaku")
        SUPERSEDED = "superseded", _("Diganti")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    requirement_code = models.CharField(_("persyaratan"), max_length=60)
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CURRENT)

    class Meta:
        ordering = ["application", "requirement_code", "uploaded_at"]
        verbose_name = _("dokumen permohonan")
        verbose_name_plural = _("dokumen permohonan")
        indexes = [
            models.Index(fields=["tenant", "application", "requirement_code", "status"], name="permits_appdoc_req"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.requirement_code}"


class CorrectionRequest(TenantOwned):
    """What an officer asked the applicant to fix. Only these items may change while the file is returned.

    `items`: [{"kind": "field" | "document", "code": "...", "note": "..."}].
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="corrections")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    items = models.JSONField(default=list)
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "created_at"]
        verbose_name = _("permintaan perbaikan")
        verbose_name_plural = _("permintaan perbaikan")
        indexes = [models.Index(fields=["tenant", "application", "resolved_at"], name="permits_correction_open")]

    def allows(self, kind: str, code: str) -> bool:
        return any(i.get("kind") == kind and i.get("code") == code for i in self.items)


class Inspection(TenantOwned):
    """A field inspection's report (photos in `InspectionPhoto`)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report = models.TextField(_("laporan survei"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "recorded_at"]
        indexes = [models.Index(fields=["tenant", "application"], name="permits_inspection_app")]


class InspectionPhoto(TenantOwned):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="photos")
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["tenant", "inspection"], name="permits_inspection_photo")]


class Complaint(TenantOwned):
    """A complaint about one file, and the office's answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Diterima")
        ANSWERED = "answered", _("Dijawab")
        CLOSED = "closed", _("Selesai")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="complaints")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("isi pengaduan"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("tanggapan"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        indexes = [
            models.Index(fields=["tenant", "status", "created_at"], name="permits_complaint_status"),
            models.Index(fields=["tenant", "application"], name="permits_complaint_app"),
        ]


SKM_ELEMENTS = (
    ("u1", _("Persyaratan")),
    ("u2", _("Prosedur")),
    ("u3", _("Waktu penyelesaian")),
    ("u4", _("Biaya/tarif")),
    ("u5", _("Produk layanan")),
    ("u6", _("Kompetensi pelaksana")),
    ("u7", _("Perilaku pelaksana")),
    ("u8", _("Penanganan pengaduan")),
    ("u9", _("Sarana dan prasarana")),
)


def _skm_field(label):
    return models.PositiveSmallIntegerField(label)


class SurveyResponse(TenantOwned):
    """The satisfaction survey (SKM, PermenPANRB 14/2017) for one finished file: nine answers 1-4."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT, related_name="+")
    u1 = _skm_field(SKM_ELEMENTS[0][1])
    u2 = _skm_field(SKM_ELEMENTS[1][1])
    u3 = _skm_field(SKM_ELEMENTS[2][1])
    u4 = _skm_field(SKM_ELEMENTS[3][1])
    u5 = _skm_field(SKM_ELEMENTS[4][1])
    u6 = _skm_field(SKM_ELEMENTS[5][1])
    u7 = _skm_field(SKM_ELEMENTS[6][1])
    u8 = _skm_field(SKM_ELEMENTS[7][1])
    u9 = _skm_field(SKM_ELEMENTS[8][1])
    comment = models.TextField(_("saran"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survei kepuasan")
        verbose_name_plural = _("survei kepuasan")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "application"], name="permits_survey_one_per_application"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{code}__gte": 1, f"{code}__lte": 4}), name=f"permits_survey_{code}_range"
                )
                for code, _label in SKM_ELEMENTS
            ],
        ]
        indexes = [models.Index(fields=["tenant", "permit_type", "created_at"], name="permits_survey_type")]

    @property
    def answers(self) -> list[int]:
        return [getattr(self, code) for code, _label in SKM_ELEMENTS]


from .models_stats import PermitMonthlyStat  # noqa: F401,E402
