"""Token API pages: officers manage their personal tokens; the tenant administrator manages the
integration clients' tokens. A new token's secret is shown once, on the page after its creation.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.core.accounts.access import officer_needs_second_factor
from balai.core.accounts.selectors import membership_for

from . import selectors, services
from .forms import ClientTokenForm, TokenForm
from .models import ApiToken

MANAGE = "tenants.manage"
_SECRET_KEY = "api_token_secret"


def officer_required(view):
    """Officers of this tenant only (any officer role), past their second factor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = membership_for(user=request.user, tenant=request.tenant)
        if membership is None or not membership.is_officer:
            raise PermissionDenied
        if officer_needs_second_factor(request, membership):
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}")
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapper


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _created(request, token: ApiToken, raw: str):
    # Kept in the session only until the next page shows it once.
    request.session[_SECRET_KEY] = {"id": token.pk, "raw": raw}
    return redirect("api_tokens:list", tenant=request.tenant.slug)


@officer_required
def token_list(request):
    tenant = request.tenant
    can_manage = MANAGE in request.membership.permissions
    new = request.session.pop(_SECRET_KEY, None)
    context = {
        "personal": selectors.token_list(tenant=tenant, user=request.user, kind=ApiToken.Kind.USER),
        "clients": selectors.token_list(tenant=tenant, kind=ApiToken.Kind.CLIENT) if can_manage else None,
        "can_manage": can_manage,
        "new_secret": new["raw"] if new else None,
        "new_id": new["id"] if new else None,
    }
    return render(request, "api/token_list.html", context)


@officer_required
def token_create(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                token, raw = services.token_create(
                    tenant=request.tenant, kind=ApiToken.Kind.USER, user=request.user, actor=request.user,
                    name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], expires_at=form.expires_at(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _created(request, token, raw)
        return render(request, "api/token_form.html", {"form": form, "client": False}, status=400)
    return render(request, "api/token_form.html", {"form": form, "client": False})


@officer_required
def client_token_create(request):
    if MANAGE not in request.membership.permissions:
        raise PermissionDenied
    form = ClientTokenForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                token, raw = services.token_create(
                    tenant=request.tenant, kind=ApiToken.Kind.CLIENT, client_name=form.cleaned_data["client_name"],
                    actor=request.user, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _created(request, token, raw)
        return render(request, "api/token_form.html", {"form": form, "client": True}, status=400)
    return render(request, "api/token_form.html", {"form": form, "client": True})


@require_POST
@officer_required
def token_revoke(request, pk: int):
    token = selectors.token_get(tenant=request.tenant, pk=pk)
    own = token.kind == ApiToken.Kind.USER and token.user_id == request.user.pk
    if not own and not (token.kind == ApiToken.Kind.CLIENT and MANAGE in request.membership.permissions):
        raise Http404  # another person's token: as if it did not exist
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token %(token)s dicabut; aplikasi yang memakainya tidak bisa masuk lagi.") % {"token": token.masked})
    return redirect("api_tokens:list", tenant=request.tenant.slug)
