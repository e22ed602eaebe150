"""Reads on tenants. The tenant lookups on every request are cached per process and cleared on change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from balai.core import registry

from .models import Tenant, TenantDomain, TenantModule

_CACHE_VERSION_KEY = "tenants:version"


def _version() -> int:
    return cache.get_or_set(_CACHE_VERSION_KEY, 1)


def clear_tenant_caches() -> None:
    try:
        cache.incr(_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(_CACHE_VERSION_KEY, 2)


def tenant_by_slug(slug: str) -> Tenant | None:
    key = f"tenants:v{_version()}:slug:{slug}"
    found = cache.get(key)
    if found is None:
        found = Tenant.objects.filter(slug=slug, is_active=True).select_related("parent").first() or False
        cache.set(key, found, 300)
    return found or None


def tenant_by_host(host: str) -> Tenant | None:
    key = f"tenants:v{_version()}:host:{host}"
    found = cache.get(key)
    if found is None:
        domain = TenantDomain.objects.filter(host=host, tenant__is_active=True).select_related("tenant").first()
        found = domain.tenant if domain else False
        cache.set(key, found, 300)
    return found or None


def tenant_list(*, parent: Tenant | None = None) -> list[Tenant]:
    qs = Tenant.objects.filter(is_active=True).select_related("parent").order_by("code")
    if parent is not None:
        qs = qs.filter(parent=parent)
    return list(qs)


@dataclass(frozen=True)
class EnabledModule:
    manifest: registry.ModuleManifest
    settings: dict[str, Any]


def tenant_modules(*, tenant: Tenant) -> list[EnabledModule]:
    """The service modules switched on for a tenant, with settings merged over the defaults."""
    rows = {row.module: row for row in TenantModule.objects.filter(tenant=tenant, enabled=True)}
    found = []
    for manifest in registry.modules(switchable=True):
        row = rows.get(manifest.code)
        if row is not None:
            found.append(EnabledModule(manifest, {**manifest.default_settings(), **row.settings}))
    return found


def tenant_module_states(*, tenant: Tenant) -> list[tuple[registry.ModuleManifest, TenantModule | None]]:
    rows = {row.module: row for row in TenantModule.objects.filter(tenant=tenant)}
    return [(m, rows.get(m.code)) for m in registry.modules(switchable=True)]


def tenant_module_settings(*, tenant: Tenant, module: str) -> dict[str, Any]:
    manifest = registry.module(module)
    row = TenantModule.objects.filter(tenant=tenant, module=module).first()
    return {**manifest.default_settings(), **(row.settings if row else {})}


def tenant_module_enabled(*, tenant: Tenant, module: str) -> bool:
    return TenantModule.objects.filter(tenant=tenant, module=module, enabled=True).exists()
