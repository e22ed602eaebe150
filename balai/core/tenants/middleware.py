"""Resolves the one tenant of each request: by mapped host name, else by the first path segment."""

from __future__ import annotations

import difflib

from django.shortcuts import render
from django.utils import timezone

from .models import RESERVED_SLUGS
from .selectors import tenant_by_host, tenant_by_slug, tenant_list


class TenantMiddleware:
    """Sets `request.tenant`.

    Tenant pages are routed as `/<tenant>/...`. On a host mapped to a tenant the slug may be left
    out: the path is prefixed with it internally, so the same routes serve both forms. A view routed
    with a `tenant` argument receives no such argument: it reads `request.tenant`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        host = request.get_host().rsplit(":", 1)[0].lower() if request.META.get("HTTP_HOST") else ""
        mapped = tenant_by_host(host) if host else None
        if mapped is not None:
            request.tenant = mapped
            first = request.path_info.lstrip("/").split("/", 1)[0]
            if first != mapped.slug and first not in RESERVED_SLUGS:
                request.path_info = f"/{mapped.slug}{request.path_info}"
        if request.tenant is not None:
            timezone.activate(request.tenant.timezone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "tenant" not in view_kwargs:
            return None
        slug = view_kwargs.pop("tenant")
        tenant = tenant_by_slug(slug)
        if tenant is None or (request.tenant is not None and request.tenant != tenant):
            return unknown_tenant(request, slug)
        request.tenant = tenant
        timezone.activate(tenant.timezone)
        return None


def unknown_tenant(request, slug: str):
    if request.path_info.startswith("/api/"):
        from balai.core.api.errors import unknown_tenant_response

        return unknown_tenant_response(request, slug)
    tenants = tenant_list()
    names = {t.slug: t for t in tenants}
    close = difflib.get_close_matches(slug.lower(), list(names), n=3, cutoff=0.5)
    return render(
        request,
        "tenants/unknown.html",
        {"slug": slug, "suggestions": [names[s] for s in close], "tenants": tenants},
        status=404,
    )
