"""Writes on tenants: creation from a region code, host mapping, modules and their settings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from balai.core import registry
from balai.core.audit.services import audit_record, snapshot

from . import regions
from .models import RESERVED_SLUGS, Tenant, TenantDomain, TenantModule
from .selectors import clear_tenant_caches


@transaction.atomic
def tenant_create(*, code: str, slug: str | None = None, actor=None) -> Tenant:
    """Create the tenant of a province, regency or city from its official region code.

    Its name, kind, parent province and time zone come from the region list; a province created
    after its regencies becomes their parent. Refuses districts, unknown codes and taken slugs.
    """
    region = regions.get(code)
    if region is None:
        raise ValidationError({"code": _("Kode wilayah %(code)s tidak ada dalam daftar resmi Kemendagri.") % {"code": code}})
    if region.level not in (1, 2):
        raise ValidationError({"code": _("Pemda hanya untuk provinsi atau kabupaten/kota, bukan kecamatan.")})
    if Tenant.objects.filter(code=region.code).exists():
        raise ValidationError({"code": _("Pemda dengan kode %(code)s sudah terdaftar.") % {"code": region.code}})
    slug = slugify(slug or region.official_name)
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("Slug '%(slug)s' dipakai oleh platform; pilih yang lain.") % {"slug": slug}})
    if Tenant.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Slug '%(slug)s' sudah dipakai Pemda lain.") % {"slug": slug}})

    if region.level == 1:
        kind = Tenant.Kind.PROVINCE
    else:
        kind = Tenant.Kind.CITY if region.is_city else Tenant.Kind.REGENCY
    tenant = Tenant.objects.create(
        code=region.code,
        name=region.official_name,
        slug=slug,
        kind=kind,
        parent=Tenant.objects.filter(code=region.province_code).first() if region.level == 2 else None,
        timezone=regions.timezone_for(region.code),
    )
    if region.level == 1:
        Tenant.objects.filter(code__startswith=f"{region.code}.", parent__isnull=True).update(parent=tenant)
    # The first entry of the tenant's own chain, and a note on the platform chain that it exists.
    audit_record(tenant=tenant, actor=actor, action="tenants.tenant_create", obj=tenant, data={"code": tenant.code})
    audit_record(tenant=None, actor=actor, action="tenants.tenant_create", obj=tenant, data={"code": tenant.code})
    transaction.on_commit(clear_tenant_caches)
    return tenant


@transaction.atomic
def tenant_domain_add(*, tenant: Tenant, host: str, actor=None) -> TenantDomain:
    host = host.strip().lower().rstrip(".")
    if not host or "/" in host or ":" in host:
        raise ValidationError({"host": _("Tulis nama host saja, misalnya perizinan.serangkota.go.id.")})
    if TenantDomain.objects.filter(host=host).exists():
        raise ValidationError({"host": _("Nama host ini sudah dipetakan ke Pemda lain.")})
    domain = TenantDomain.objects.create(tenant=tenant, host=host)
    audit_record(tenant=tenant, actor=actor, action="tenants.domain_add", obj=domain, data={"host": host})
    transaction.on_commit(clear_tenant_caches)
    return domain


@transaction.atomic
def tenant_module_configure(
    *, tenant: Tenant, module: str, enabled: bool, settings: dict[str, Any] | None = None, actor=None
) -> TenantModule:
    """Switch a module on or off for a tenant and store its settings, validated against the manifest.

    Invalid settings raise ValidationError naming each field; nothing is saved then.
    """
    manifest = registry.module(module)
    if not manifest.switchable:
        raise ValidationError(_("Modul inti tidak dapat dimatikan."))
    row, _created = TenantModule.objects.select_for_update().get_or_create(tenant=tenant, module=module)
    cleaned = manifest.clean_settings({**row.settings, **(settings or {})})
    before = snapshot(row, ["enabled", "settings"])
    row.enabled = enabled
    row.settings = cleaned
    row.save(update_fields=["enabled", "settings", "updated_at"])
    after = snapshot(row, ["enabled", "settings"])
    if before != after:
        audit_record(
            tenant=tenant, actor=actor, action="tenants.module_configure", obj=row, before=before, after=after,
            data={"module": module, "enabled": enabled},
        )
    return row


@transaction.atomic
def tenant_profile_update(*, tenant: Tenant, actor=None, **fields: Any) -> Tenant:
    allowed = {"address", "phone", "email", "website", "logo"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Fields not editable: {sorted(unknown)}")
    before = snapshot(tenant, [f for f in fields if f != "logo"])
    for name, value in fields.items():
        setattr(tenant, name, value)
    tenant.full_clean(exclude=["parent", "slug", "code"])
    tenant.save(update_fields=[*fields])
    audit_record(
        tenant=tenant, actor=actor, action="tenants.profile_update", obj=tenant,
        before=before, after=snapshot(tenant, [f for f in fields if f != "logo"]), data={"logo_changed": "logo" in fields},
    )
    transaction.on_commit(clear_tenant_caches)
    return tenant
