"""Who may call an API view: authentication, the tenant's roles, and the token's scopes.

    permission_classes = [IsTenantPrincipal, HasScope("orgs:read"), HasTenantPerm("orgs.view")]

- A browser session acts with the person's roles in the tenant (officers must have passed 2FA);
  scopes do not narrow it.
- A personal token acts with the person's roles, narrowed to its scopes.
- An integration client's token acts with the permissions its scopes grant.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission

from balai.core.accounts.selectors import membership_for, user_permissions

from .authentication import ApiClient
from .errors import ScopeMissing, SecondFactorRequired
from .models import ApiToken
from .scopes import granted_permissions


def request_token(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def request_scopes(request) -> frozenset[str] | None:
    """The scopes the request is limited to; None for a browser session (not limited by scopes)."""
    token = request_token(request)
    return frozenset(token.scopes) if token is not None else None


def request_permissions(request) -> frozenset[str]:
    """The tenant permissions the request acts with (see the module docstring)."""
    tenant = request.tenant
    if isinstance(request.user, ApiClient):
        return granted_permissions(request.user.token.scopes)
    return user_permissions(user=request.user, tenant=tenant)


def principal_key(request) -> str:
    token = request_token(request)
    return f"token:{token.pk}" if token is not None else f"user:{request.user.pk}"


class IsTenantPrincipal(BasePermission):
    """Authenticated, on a tenant address, as a member of the tenant or as its integration client;
    an officer's browser session must have passed 2FA."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated()
        if getattr(request, "tenant", None) is None:
            return False
        if isinstance(request.user, ApiClient):
            return True
        # A person acts here only through an active membership (a citizen's too).
        membership = membership_for(user=request.user, tenant=request.tenant)
        if membership is None:
            return False
        if request_token(request) is None and membership.is_officer and not settings.WAIVE_OFFICER_2FA:
            if not getattr(request.user, "is_verified", lambda: False)():
                raise SecondFactorRequired()
        return True


def HasScope(scope: str) -> type[BasePermission]:  # noqa: N802 - reads as a class in permission_classes
    """The request's token carries `scope` (browser sessions are not limited by scopes)."""

    class _HasScope(BasePermission):
        required_scope = scope

        def has_permission(self, request, view):
            granted = request_scopes(request)
            if granted is not None and scope not in granted:
                raise ScopeMissing(_("Token ini tidak memiliki cakupan %(scope)s. Buat token dengan cakupan itu.") % {"scope": scope})
            return True

    _HasScope.__name__ = f"HasScope({scope})"
    return _HasScope


def HasTenantPerm(perm: str) -> type[BasePermission]:  # noqa: N802
    """The request acts with `perm` in the tenant (the person's roles, or a client's granted scopes)."""

    class _HasTenantPerm(BasePermission):
        required_perm = perm

        def has_permission(self, request, view):
            return perm in request_permissions(request)

    _HasTenantPerm.__name__ = f"HasTenantPerm({perm})"
    return _HasTenantPerm
