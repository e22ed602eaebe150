"""Who may call the permits API's applicant and office endpoints (on top of core's IsTenantPrincipal).

    permission_classes = [IsTenantPrincipal, IsPerson, HasAnyScope(READ, APPLY)]
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.permissions import BasePermission

from balai.core.api.authentication import ApiClient
from balai.core.api.errors import ApiError, ScopeMissing
from balai.core.api.permissions import request_permissions, request_scopes

from .registry import APPLY_PERM, OFFICE_PERMS


class IsPerson(BasePermission):
    """A person (session or personal token), not an integration client: applications and decisions
    belong to someone accountable."""

    def has_permission(self, request, view):
        if isinstance(request.user, ApiClient):
            raise ApiError(
                code="person_required",
                message=_("Alamat ini hanya untuk orang (sesi atau token pribadi), bukan token klien integrasi. Buat token pribadi."),
                status_code=status.HTTP_403_FORBIDDEN,
            )
        return True


def HasAnyScope(*scopes: str) -> type[BasePermission]:  # noqa: N802 - reads as a class in permission_classes
    """The request's token carries one of `scopes` (browser sessions are not limited by scopes)."""

    class _HasAnyScope(BasePermission):
        required_scopes = scopes

        def has_permission(self, request, view):
            granted = request_scopes(request)
            if granted is not None and not granted & set(scopes):
                raise ScopeMissing(
                    _("Token ini tidak memiliki cakupan %(scope)s. Buat token dengan cakupan itu.")
                    % {"scope": " atau ".join(scopes)}
                )
            return True

    _HasAnyScope.__name__ = f"HasAnyScope({', '.join(scopes)})"
    return _HasAnyScope


class CanApply(BasePermission):
    """The person may apply for permits in this tenant (a citizen's role)."""

    def has_permission(self, request, view):
        return APPLY_PERM in request_permissions(request)


class IsPermitsOfficer(BasePermission):
    """The person holds one of the permit office's roles in this tenant."""

    def has_permission(self, request, view):
        return bool(request_permissions(request) & OFFICE_PERMS)
