"""One place that decides whether a viewer may reach a tenant page.

Anonymous viewers go to the login page; people without the permission in this tenant get 403;
officers who have not passed two-factor authentication in this session go to the TOTP step
(unless the demo visibly waives it). Object lookups of a foreign tenant are 404 in the selectors.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .selectors import membership_for


def officer_needs_second_factor(request, membership) -> bool:
    if settings.WAIVE_OFFICER_2FA or membership is None or not membership.is_officer:
        return False
    return not request.user.is_verified()


def tenant_perm_required(perm: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(user=request.user, tenant=request.tenant)
            if membership is None or perm not in membership.permissions:
                raise PermissionDenied
            if officer_needs_second_factor(request, membership):
                return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}")
            return view(request, *args, **kwargs)

        wrapper.required_perm = perm
        return wrapper

    return decorator
