"""Appointments of Perizinan Online: published capacity per service and day, bookings, powers of attorney.

A *service* is a permit type whose `needs_appointment` is set. Its capacity for a day is a `ServiceDay`
(when booking opens: `release_at`) with one `SlotCounter` per time window (capacity and how many are
booked). A booking takes one place of one window by a conditional UPDATE of its counter
(`booked = booked + 1 WHERE booked < capacity`), so concurrent requests can never overbook; the
database also refuses `booked > capacity` by a check constraint. One active booking per NIK per service
is a partial unique constraint. Every capacity change is a public `CapacityChange` row.

Only `services.py` writes these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned


class ServiceDay(TenantOwned):
    """The published capacity of one service (permit type) on one day, and when booking opens for it."""

    permit_type = models.ForeignKey(
        "permits.PermitType", verbose_name=_("layanan"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("tanggal layanan"))
    release_at = models.DateTimeField(_("pemesanan dibuka"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["permit_type", "day"]
        verbose_name = _("kuota harian layanan")
        verbose_name_plural = _("kuota harian layanan")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "permit_type", "day"], name="appt_service_day_unique"),
        ]
        indexes = [models.Index(fields=["tenant", "permit_type", "day"], name="appt_service_day_type")]

    def __str__(self) -> str:
        return f"{self.permit_type_id}@{self.day:%Y-%m-%d}"

    def is_released(self, now=None) -> bool:
        return (now or timezone.now()) >= self.release_at


class SlotCounter(TenantOwned):
    """One time window of a service day: its capacity and how many places are booked (active bookings)."""

    service_day = models.ForeignKey(ServiceDay, on_delete=models.PROTECT, related_name="slots")
    permit_type = models.ForeignKey("permits.PermitType", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    starts_at = models.TimeField(_("mulai"))
    ends_at = models.TimeField(_("selesai"))
    capacity = models.PositiveIntegerField(_("kapasitas"))
    booked = models.PositiveIntegerField(_("terpesan"), default=0)

    class Meta:
        ordering = ["service_day", "starts_at"]
        verbose_name = _("sesi layanan")
        verbose_name_plural = _("sesi layanan")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "service_day", "starts_at"], name="appt_slot_unique"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="appt_slot_not_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appt_slot_ends_after_start"),
        ]
        indexes = [models.Index(fields=["tenant", "permit_type", "day"], name="appt_slot_type_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.label}"

    @property
    def label(self) -> str:
        return f"{self.starts_at:%H.%M}–{self.ends_at:%H.%M}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


class CapacityChange(TenantOwned):
    """A publication or change of a service day's capacity: who, when, before → after, why. Public.

    `before`/`after`: {"release_at": iso, "windows": [{"start": "08:00", "end": "09:00", "capacity": 10}]}.
    """

    class Kind(models.TextChoices):
        PUBLISH = "publish", _("Kuota diterbitkan")
        CHANGE = "change", _("Kuota diubah")

    service_day = models.ForeignKey(ServiceDay, on_delete=models.PROTECT, related_name="changes")
    permit_type = models.ForeignKey("permits.PermitType", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict)
    total_before = models.PositiveIntegerField(default=0)
    total_after = models.PositiveIntegerField(default=0)
    reason = models.TextField(_("alasan"), blank=True)
    after_release = models.BooleanField(default=False)
    # Some window lost capacity (or disappeared).
    reduced = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("perubahan kuota")
        verbose_name_plural = _("perubahan kuota")
        indexes = [
            models.Index(fields=["tenant", "permit_type", "created_at"], name="appt_change_type"),
            models.Index(fields=["tenant", "after_release", "reduced"], name="appt_change_reduced"),
        ]


class PowerOfAttorney(TenantOwned):
    """An applicant's signed letter letting an agent (biro jasa) book appointments for them.

    Registered by the applicant (whose NIK it is), verified by front-desk staff; only a verified letter
    that is still valid lets the agent book, for its service (or every service when `permit_type` is empty).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu verifikasi")
        VERIFIED = "verified", _("Terverifikasi")
        REJECTED = "rejected", _("Ditolak")
        REVOKED = "revoked", _("Dicabut")

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("penerima kuasa"), on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemberi kuasa"), on_delete=models.PROTECT, related_name="+"
    )
    applicant_nik_hash = models.CharField(max_length=64)
    applicant_nik_masked = models.CharField(max_length=16)
    permit_type = models.ForeignKey(
        "permits.PermitType", verbose_name=_("layanan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateField(_("berlaku sampai"))
    document = models.ForeignKey("files.StoredFile", verbose_name=_("surat kuasa"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    note = models.TextField(_("catatan petugas"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("surat kuasa")
        verbose_name_plural = _("surat kuasa")
        indexes = [
            models.Index(fields=["tenant", "agent", "applicant_nik_hash", "status"], name="appt_poa_agent"),
            models.Index(fields=["tenant", "status", "created_at"], name="appt_poa_status"),
            models.Index(fields=["tenant", "applicant", "created_at"], name="appt_poa_applicant"),
        ]

    def covers(self, *, permit_type_id: int, on) -> bool:
        return (
            self.status == self.Status.VERIFIED
            and self.valid_until >= on
            and (self.permit_type_id is None or self.permit_type_id == permit_type_id)
        )


class Booking(TenantOwned):
    """One person's place in one window of a service day. Personal: it names the applicant's NIK.

    `booker` made it: the applicant themselves, or an `agent` holding a verified power of attorney.
    The NIK is kept as a keyed hash (for the uniqueness rule) and masked (for display), never in clear.
    `network` is the booker's /24 (IPv4) or /48 (IPv6) network and `device_hash` a hash of the browser's
    signature: evidence for the integrity checks, not identity.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        CANCELLED = "cancelled", _("Dibatalkan")
        ATTENDED = "attended", _("Hadir")
        NO_SHOW = "no_show", _("Tidak hadir")

    code = models.CharField(_("kode pemesanan"), max_length=16)
    permit_type = models.ForeignKey("permits.PermitType", verbose_name=_("layanan"), on_delete=models.PROTECT, related_name="+")
    slot = models.ForeignKey(SlotCounter, on_delete=models.PROTECT, related_name="bookings")
    day = models.DateField(_("tanggal"))
    booker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant_nik_hash = models.CharField(max_length=64)
    applicant_nik_masked = models.CharField(_("NIK pemohon"), max_length=16)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    power_of_attorney = models.ForeignKey(
        PowerOfAttorney, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    application = models.ForeignKey(
        "permits.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact_phone = models.CharField(_("nomor ponsel yang dapat dihubungi"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    network = models.CharField(max_length=50, blank=True)
    device_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["day", "slot__starts_at", "created_at"]
        verbose_name = _("janji temu")
        verbose_name_plural = _("janji temu")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="appt_booking_code_unique"),
            models.UniqueConstraint(
                fields=["tenant", "permit_type", "applicant_nik_hash"],
                condition=Q(status="active"),
                name="appt_one_active_per_nik_service",
            ),
            # A file (whose permit type is the service) has one active booking at a time.
            models.UniqueConstraint(
                fields=["tenant", "application"],
                condition=Q(status="active", application__isnull=False),
                name="appt_one_active_per_file",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "permit_type", "day", "status"], name="appt_booking_type_day"),
            models.Index(fields=["tenant", "booker", "created_at"], name="appt_booking_booker"),
            models.Index(fields=["tenant", "applicant_user", "created_at"], name="appt_booking_applicant"),
            models.Index(fields=["tenant", "agent", "day", "status"], name="appt_booking_agent_day"),
            models.Index(fields=["tenant", "slot", "status"], name="appt_booking_slot"),
            models.Index(fields=["tenant", "cancelled_at"], name="appt_booking_cancelled"),
            models.Index(fields=["tenant", "network", "created_at"], name="appt_booking_network"),
            models.Index(fields=["tenant", "device_hash", "created_at"], name="appt_booking_device"),
            models.Index(fields=["tenant", "application", "status"], name="appt_booking_file"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class AttendanceOverride(TenantOwned):
    """An officer's record that a file whose type needs an appointment may be verified without an attended
    booking (the originals were checked another way), with the reason. Front desk or verifier; audited."""

    application = models.ForeignKey("permits.Application", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("alasan"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "created_at"]
        verbose_name = _("pengecualian kehadiran")
        verbose_name_plural = _("pengecualian kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "application"], name="appt_one_override_per_file"),
        ]


class InspectionVisit(TenantOwned):
    """The date (and optional time window) an inspector set for the field visit of a file in inspection.

    A new row per change, so that moving a visit stays visible; the current one is the latest row set
    since the file last entered inspection. The applicant and the public see the date, never the officer.
    """

    application = models.ForeignKey("permits.Application", on_delete=models.PROTECT, related_name="+")
    scheduled_for = models.DateField(_("tanggal survei"))
    starts_at = models.TimeField(_("mulai"), null=True, blank=True)
    ends_at = models.TimeField(_("selesai"), null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "created_at", "pk"]
        verbose_name = _("jadwal survei lapangan")
        verbose_name_plural = _("jadwal survei lapangan")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__isnull=False, ends_at__gt=F("starts_at")),
                name="appt_visit_window_valid",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "application", "created_at"], name="appt_visit_file")]

    @property
    def window(self) -> str:
        if self.starts_at is None:
            return ""
        return f"{self.starts_at:%H.%M}–{self.ends_at:%H.%M}"
