"""Pages for anyone signed in, in a tenant: the person's own inbox, their own jobs.

Like `accounts.access.tenant_perm_required` without a permission: anonymous viewers go to the login
page, and an officer of this tenant who has not passed the second factor goes to the TOTP step.
What the person may see on the page is decided by the selectors (their own rows only).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from balai.core.accounts.access import officer_needs_second_factor
from balai.core.accounts.selectors import membership_for


def signed_in_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if officer_needs_second_factor(request, membership_for(user=request.user, tenant=request.tenant)):
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper
