from django.db import models
from django.utils.translation import gettext_lazy as _

from . import regions

# First path segments that belong to the platform and can never be a tenant's slug.
RESERVED_SLUGS = frozenset(
    {"accounts", "admin", "api", "healthz", "i18n", "static", "media", "verify", "audit", "pay", "open-data", "about"}
)


class Tenant(models.Model):
    """A regional government (Pemda): a province, regency or city, named by its Kemendagri code."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten")
        CITY = "city", _("Kota")

    code = models.CharField(_("kode wilayah"), max_length=5, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("provinsi induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    timezone = models.CharField(
        _("zona waktu"), max_length=32, choices=[(tz, label) for tz, label in regions.TIMEZONES.items()]
    )
    address = models.CharField(_("alamat kantor"), max_length=255, blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    logo = models.FileField(_("logo"), upload_to="tenants/logos/", blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("Pemda")
        verbose_name_plural = _("Pemda")

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def timezone_label(self) -> str:
        return regions.TIMEZONES.get(self.timezone, self.timezone)

    @property
    def head_title(self) -> str:
        return {self.Kind.PROVINCE: _("Gubernur"), self.Kind.REGENCY: _("Bupati"), self.Kind.CITY: _("Wali Kota")}[
            self.kind
        ]

    @property
    def initials(self) -> str:
        words = [w for w in self.name.split() if w.lower() not in {"kota", "kabupaten", "provinsi"}]
        return "".join(w[0] for w in words[:2]).upper() or self.name[:2].upper()


class TenantDomain(models.Model):
    """A host name mapped to one tenant (for example `perizinan.serangkota.go.id`)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="domains")
    host = models.CharField(_("nama host"), max_length=253, unique=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "host"])]

    def __str__(self) -> str:
        return self.host


class TenantModule(models.Model):
    """Whether a service module is switched on for a tenant, with its validated settings."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="modules")
    module = models.CharField(_("modul"), max_length=40)
    enabled = models.BooleanField(_("aktif"), default=False)
    settings = models.JSONField(_("pengaturan"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "module"], name="tenantmodule_unique")]

    def __str__(self) -> str:
        return f"{self.tenant.slug}:{self.module}"


class TenantOwned(models.Model):
    """Base for every tenant-owned table: `tenant_id` on every row, and indexes that lead with it."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
