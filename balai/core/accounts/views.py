"""Accounts pages: registration, e-mail verification, two-factor step, officers, the person's own page."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from balai.core import registry

from . import services
from .access import tenant_perm_required
from .forms import (
    BalaiPasswordResetForm,
    BalaiSetPasswordForm,
    JoinForm,
    OfficerCreateForm,
    OfficerRolesForm,
    RegistrationForm,
    TotpForm,
)
from .selectors import membership_for, officer_membership, user_memberships
from .selectors import officer_list as select_officers

BACKEND = "balai.core.accounts.backends.EmailOrPhoneBackend"
RESEND_INTERVAL_SECONDS = 60


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _add_errors(form, exc: ValidationError, *, rename: dict[str, str] | None = None) -> None:
    rename = rename or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        field = rename.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


# --- the person's own account ----------------------------------------------------------------------------


@login_required
def account_home(request):
    memberships = user_memberships(user=request.user)
    return render(
        request,
        "accounts/home.html",
        {
            "memberships": memberships,
            "not_citizen_in": [m for m in memberships if services.CITIZEN_ROLE not in m.roles],
            "has_totp": services.totp_device_confirmed(user=request.user) is not None,
            "is_officer": any(m.is_officer for m in memberships),
        },
    )


def verify_email(request, token):
    try:
        services.email_verify(token=token)
    except ValidationError as exc:
        return render(request, "accounts/verify_email_failed.html", {"expired": exc.code == "expired"}, status=400)
    messages.success(request, _("Terima kasih, alamat surel Anda sudah terkonfirmasi."))
    return redirect("accounts:home" if request.user.is_authenticated else "accounts:login")


@require_POST
@login_required
def verify_email_resend(request):
    if request.user.email_verified:
        messages.info(request, _("Alamat surel Anda sudah terkonfirmasi."))
    elif not cache.add(f"accounts:verify-resend:{request.user.pk}", 1, RESEND_INTERVAL_SECONDS):
        messages.error(request, _("Tautan baru baru saja dikirim. Tunggu satu menit sebelum meminta lagi, dan periksa folder spam."))
    else:
        services.email_verification_send(user=request.user, site_url=_site_url(request))
        messages.success(
            request, _("Tautan konfirmasi baru dikirim ke %(email)s. Berlaku 3 hari.") % {"email": request.user.email}
        )
    return redirect("accounts:home")


# --- two-factor authentication ---------------------------------------------------------------------------


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor(request):
    next_url = _safe_next(request, reverse("accounts:home"))
    if request.user.is_verified():
        return redirect(next_url)
    device = services.totp_device_confirmed(user=request.user)
    setup = device is None
    if setup:
        device = services.totp_device_for_setup(user=request.user)
    form = TotpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            allowed, info = device.verify_is_allowed()
            if not allowed:
                form.add_error(
                    "code",
                    _("Terlalu banyak kode yang salah. Tunggu sebentar (kurang dari satu menit), lalu tulis kode yang baru tampil."),
                )
                status = 429
            elif services.totp_verify(user=request.user, device=device, code=form.cleaned_data["code"]):
                otp_login(request, device)
                if setup:
                    messages.success(request, _("Verifikasi dua langkah aktif. Mulai sekarang, masuk memerlukan kode dari aplikasi."))
                return redirect(next_url)
            else:
                form.add_error(
                    "code",
                    _("Kode salah atau sudah kedaluwarsa. Tulis kode yang sedang tampil di aplikasi (berganti setiap 30 detik)."),
                )
    context = {"form": form, "setup": setup, "next": next_url}
    if setup:
        context["qr"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
        context["secret"] = _grouped(b32encode(device.bin_key).decode())
    return render(request, "accounts/two_factor.html", context, status=status)


# --- password reset: Django's views, our templates and rules ------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = BalaiPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = BalaiSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_reset_completed(user=form.user)
        return response


# --- citizens ----------------------------------------------------------------------------------------------


def register(request):
    tenant = request.tenant
    if request.user.is_authenticated:
        membership = membership_for(user=request.user, tenant=tenant)
        if membership is not None and services.CITIZEN_ROLE in membership.roles:
            messages.info(request, _("Anda sudah terdaftar sebagai warga di %(tenant)s.") % {"tenant": tenant.name})
            return redirect("tenant:home", tenant=tenant.slug)
        return render(request, "accounts/join.html", {"form": JoinForm()})
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.citizen_register(
                tenant=tenant,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                nik=data["nik"],
                birth_date=data["birth_date"],
                password=data["password1"],
                site_url=_site_url(request),
            )
        except ValidationError as exc:
            _add_errors(form, exc, rename={"password": "password1"})
        else:
            auth_login(request, user, backend=BACKEND)
            return redirect("tenant_accounts:register_done", tenant=tenant.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)


@login_required
def register_done(request):
    return render(request, "accounts/register_done.html")


@require_POST
@login_required
def join(request):
    form = JoinForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/join.html", {"form": form}, status=400)
    services.membership_join(user=request.user, tenant=request.tenant)
    messages.success(request, _("Anda sekarang terdaftar sebagai warga di %(tenant)s.") % {"tenant": request.tenant.name})
    return redirect("tenant:home", tenant=request.tenant.slug)


# --- officers ------------------------------------------------------------------------------------------------


def _officer_or_404(request, membership_id):
    membership = officer_membership(tenant=request.tenant, membership_id=membership_id)
    if membership is None:
        raise Http404
    return membership


@tenant_perm_required("accounts.manage_officers")
def officer_list(request):
    return render(request, "accounts/officer_list.html", {"officers": select_officers(tenant=request.tenant, include_inactive=True)})


@tenant_perm_required("accounts.manage_officers")
def officer_create(request):
    form = OfficerCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.officer_create(
                tenant=request.tenant,
                email=data["email"],
                full_name=data["full_name"],
                roles=data["roles"],
                phone=data["phone"],
                actor=request.user,
                site_url=_site_url(request),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s ditambahkan sebagai petugas. Surel berisi langkah berikutnya dikirim ke %(email)s.")
                % {"name": membership.user.full_name, "email": membership.user.email},
            )
            return redirect("tenant_accounts:officer_list", tenant=request.tenant.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/officer_form.html", {"form": form}, status=status)


@tenant_perm_required("accounts.manage_officers")
def officer_edit(request, membership_id):
    membership = _officer_or_404(request, membership_id)
    known = registry.roles()
    form = OfficerRolesForm(
        request.POST or None, initial={"roles": [r for r in membership.roles if r in known and known[r].officer]}
    )
    if request.method == "POST" and form.is_valid():
        kept = [r for r in membership.roles if r not in known or not known[r].officer]
        try:
            services.membership_set_roles(
                tenant=request.tenant, user=membership.user, roles=[*kept, *form.cleaned_data["roles"]], actor=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Peran %(name)s disimpan.") % {"name": membership.user.full_name})
            return redirect("tenant_accounts:officer_list", tenant=request.tenant.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/officer_edit.html", {"form": form, "membership": membership}, status=status)


@require_POST
@tenant_perm_required("accounts.manage_officers")
def officer_deactivate(request, membership_id):
    membership = _officer_or_404(request, membership_id)
    try:
        services.membership_deactivate(tenant=request.tenant, user=membership.user, actor=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("tenant_accounts:officer_edit", tenant=request.tenant.slug, membership_id=membership.pk)
    messages.success(
        request,
        _("%(name)s tidak lagi punya akses ke %(tenant)s.") % {"name": membership.user.full_name, "tenant": request.tenant.name},
    )
    return redirect("tenant_accounts:officer_list", tenant=request.tenant.slug)
