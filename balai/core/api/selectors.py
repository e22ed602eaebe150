"""Reads on API tokens. Every read takes the tenant, except the lookup of a presented bearer token."""

from __future__ import annotations

import hmac

from django.http import Http404

from balai.core.tenants.models import Tenant

from .models import TOKEN_PREFIX, ApiToken
from .services import secret_hash


def token_from_header(raw: str) -> ApiToken | None:
    """The token a presented `balai_<prefix>_<secret>` string is, usable or not; None if it is no token of ours."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 8 or not parts[2]:
        return None
    token = ApiToken.objects.filter(key_prefix=parts[1]).select_related("tenant", "user").first()
    if token is None or not hmac.compare_digest(token.key_hash, secret_hash(parts[2])):
        return None
    return token


def token_list(*, tenant: Tenant, user=None, kind: str | None = None) -> list[ApiToken]:
    qs = ApiToken.objects.filter(tenant=tenant).select_related("user", "created_by")
    if user is not None:
        qs = qs.filter(user=user)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return list(qs)


def token_get(*, tenant: Tenant, pk: int) -> ApiToken:
    token = ApiToken.objects.filter(tenant=tenant, pk=pk).select_related("user").first()
    if token is None:
        raise Http404
    return token
