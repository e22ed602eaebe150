"""The organisation structure of a tenant: units in a tree, positions, employees and who held what when.

History is kept by dates, never by deleting: a unit is closed (`valid_to`), a renamed unit keeps its
earlier names in `UnitName`, and an employee's moves are a chain of `Assignment` rows. The supervisor
of anybody is derived from the tree (see selectors.supervisor_of), never typed by hand.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned

JOB_CLASS_MIN = 1
JOB_CLASS_MAX = 17

# Ranks (golongan ruang) of PNS, and the grades of PPPK, as written on decrees.
PNS_RANKS = tuple(f"{group}/{room}" for group, rooms in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde")) for room in rooms)
PPPK_RANKS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII")


class Unit(TenantOwned):
    """A unit of the regional government: an OPD at the top, its bidang, seksi, UPTD and so on below."""

    class Kind(models.TextChoices):
        OPD = "opd", _("OPD")
        BIDANG = "bidang", _("Bidang")
        BAGIAN = "bagian", _("Bagian")
        SEKSI = "seksi", _("Seksi")
        SUBBAGIAN = "subbagian", _("Subbagian")
        UPTD = "uptd", _("UPTD")
        LAINNYA = "lainnya", _("Lainnya")

    parent = models.ForeignKey(
        "self", verbose_name=_("unit induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("jenis unit"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("kode unit"), max_length=40)
    # The current name; earlier names live in UnitName.
    name = models.CharField(_("nama unit"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    # Empty: the unit existed before it was recorded here (an imported or hand-entered existing structure).
    valid_from = models.DateField(_("berlaku mulai"), null=True, blank=True)
    valid_to = models.DateField(_("ditutup pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("unit")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code"], name="orgs_unit_code_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name="orgs_unit_dates"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "parent"]), models.Index(fields=["tenant", "valid_to"])]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    @property
    def is_closed(self) -> bool:
        return self.valid_to is not None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class UnitName(TenantOwned):
    """A name a unit carried over a period; the row with `valid_to` empty is the current name."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("nama unit"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    valid_from = models.DateField(_("berlaku mulai"), null=True, blank=True)  # empty: since before records began
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "unit"], condition=Q(valid_to__isnull=True), name="orgs_unitname_one_current")
        ]
        indexes = [models.Index(fields=["tenant", "unit", "valid_from"])]

    def __str__(self) -> str:
        return self.name


class Position(TenantOwned):
    """A position (jabatan) in a unit, with its job class; the head position leads its unit."""

    class Type(models.TextChoices):
        STRUKTURAL = "struktural", _("Struktural")
        FUNGSIONAL = "fungsional", _("Fungsional")
        PELAKSANA = "pelaksana", _("Pelaksana")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions")
    name = models.CharField(_("nama jabatan"), max_length=200)
    job_class = models.PositiveSmallIntegerField(
        _("kelas jabatan"), validators=[MinValueValidator(JOB_CLASS_MIN), MaxValueValidator(JOB_CLASS_MAX)]
    )
    is_head = models.BooleanField(_("kepala unit"), default=False)
    type = models.CharField(_("jenis jabatan"), max_length=12, choices=Type.choices, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_head", "-job_class", "name"]
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        constraints = [
            models.CheckConstraint(
                condition=Q(job_class__gte=JOB_CLASS_MIN) & Q(job_class__lte=JOB_CLASS_MAX), name="orgs_position_job_class"
            ),
            models.UniqueConstraint(
                fields=["tenant", "unit"], condition=Q(is_head=True, is_active=True), name="orgs_position_one_active_head"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "unit"])]

    def __str__(self) -> str:
        return self.name


class Employee(TenantOwned):
    """A civil servant (ASN) of the tenant: PNS or PPPK, identified by an 18-digit NIP."""

    class EmploymentType(models.TextChoices):
        PNS = "pns", _("PNS")
        PPPK = "pppk", _("PPPK")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        ON_LEAVE = "on_leave", _("Cuti")
        SUSPENDED = "suspended", _("Diberhentikan sementara")
        RETIRED = "retired", _("Pensiun")

    nip = models.CharField(_("NIP"), max_length=18)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    employment_type = models.CharField(_("jenis pegawai"), max_length=4, choices=EmploymentType.choices)
    rank = models.CharField(_("golongan"), max_length=8, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "nip"], name="orgs_employee_nip_unique"),
            models.UniqueConstraint(
                fields=["tenant", "user"], condition=Q(user__isnull=False), name="orgs_employee_user_unique"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "full_name"]), models.Index(fields=["tenant", "user"])]

    def __str__(self) -> str:
        return self.full_name


class Assignment(TenantOwned):
    """An employee holding a position from `start` to `end` (inclusive; empty end = still holds it).

    A primary assignment is the employee's own post; a non-primary one is an acting post (Plt.).
    """

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="assignments")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="assignments")
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"), null=True, blank=True)
    is_primary = models.BooleanField(_("penugasan utama"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="orgs_assignment_dates"),
            models.UniqueConstraint(
                fields=["tenant", "employee"], condition=Q(end__isnull=True, is_primary=True), name="orgs_assignment_one_current_primary"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "employee", "start"]),
            models.Index(fields=["tenant", "position", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.position} ({self.start}–{self.end or ''})"

    def is_current_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)
