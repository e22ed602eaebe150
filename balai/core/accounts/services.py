"""Writes on accounts: registering citizens, adding officers, roles per tenant, e-mail verification, 2FA.

Every service runs in one transaction, writes its audit entry in it, and sends its e-mail only after commit, so that nobody gets a link
to an account that was rolled back. Refusals are `ValidationError`s keyed by form field, in Indonesian,
saying what is wrong and what to do.

E-mail links need the site's address: views pass `site_url` (the request's own scheme and host, so a
tenant mapped to its own host name gets links on that host); without it, `settings.BALAI_SITE_URL`.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.core import registry
from balai.core.audit.services import audit_record
from balai.core.tenants.models import Tenant

from .models import Membership, User
from .nik import birth_date_check, nik_validate
from .phone import normalize_phone

log = logging.getLogger(__name__)

CITIZEN_ROLE = "core.citizen"
ADMIN_ROLE = "core.tenant_admin"
MANAGE_OFFICERS = "accounts.manage_officers"
EMAIL_VERIFY_SALT = "balai.accounts.email_verify"
EMAIL_VERIFY_MAX_AGE = datetime.timedelta(days=3)
TOTP_DEVICE_NAME = "Aplikasi autentikator"


# --- helpers -----------------------------------------------------------------------------------------


def _site_url(site_url: str | None) -> str:
    return (site_url or getattr(settings, "BALAI_SITE_URL", "") or "http://localhost:8000").rstrip("/")


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, context)
    send_mail(subject, body, None, [to])


def _phone_or_error(phone: str | None, *, user: User | None = None) -> str | None:
    if not phone or not phone.strip():
        return None
    normalized = normalize_phone(phone)
    if normalized is None:
        raise ValidationError(
            {"phone": _("Tulis nomor ponsel Indonesia, misalnya 0812 3456 7890 atau +62 812 3456 7890.")}
        )
    others = User.objects.filter(phone=normalized)
    taken = (others.exclude(pk=user.pk) if user else others).exists()
    if taken:
        raise ValidationError(
            {"phone": _("Nomor ponsel ini sudah dipakai akun lain. Pakai nomor lain, atau kosongkan kolom ini.")}
        )
    return normalized


def _require_manager(*, actor: User | None, tenant: Tenant) -> None:
    """`actor=None` is the platform itself (demo loader, management commands)."""
    if actor is None:
        return
    membership = Membership.objects.filter(user=actor, tenant=tenant, is_active=True).first()
    if membership is None or MANAGE_OFFICERS not in membership.permissions:
        raise PermissionDenied


def _clean_roles(roles, *, officer_only: bool = False) -> list[str]:
    known = registry.roles()
    cleaned = list(dict.fromkeys(roles))
    unknown = [r for r in cleaned if r not in known]
    if unknown:
        raise ValidationError({"roles": _("Peran tidak dikenal: %(roles)s. Pilih dari daftar peran.") % {"roles": ", ".join(unknown)}})
    if officer_only and not any(known[r].officer for r in cleaned):
        raise ValidationError({"roles": _("Pilih paling sedikit satu peran petugas.")})
    if officer_only and any(not known[r].officer for r in cleaned):
        raise ValidationError({"roles": _("Hanya peran petugas yang dapat diberikan di sini.")})
    return cleaned


def _guard_last_admin(*, tenant: Tenant, membership: Membership, keeps_admin: bool) -> None:
    """A tenant must keep at least one active administrator; the tenant row lock serialises role changes."""
    if keeps_admin or not (membership.is_active and ADMIN_ROLE in membership.roles):
        return
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
    others = Membership.objects.filter(tenant=tenant, is_active=True).exclude(pk=membership.pk)
    if not any(ADMIN_ROLE in m.roles for m in others):
        raise ValidationError(
            {
                "roles": _(
                    "%(name)s adalah satu-satunya Administrator Pemda. Jadikan orang lain administrator dahulu, "
                    "lalu ubah peran ini."
                )
                % {"name": membership.user.full_name}
            }
        )


# --- e-mail verification -------------------------------------------------------------------------------


def email_verify_token(*, user: User) -> str:
    """A signed, timestamped token naming the user and the address; a changed address voids it."""
    return signing.TimestampSigner(salt=EMAIL_VERIFY_SALT).sign_object({"u": user.pk, "e": user.email})


def email_verification_send(*, user: User, site_url: str | None = None) -> None:
    """Send (after commit) a link that proves the person reads this address; valid for three days."""
    if user.email_verified:
        return

    def send():
        url = _site_url(site_url) + reverse("accounts:verify_email", kwargs={"token": email_verify_token(user=user)})
        _send(
            to=user.email,
            subject=_("Konfirmasi alamat surel Anda di Balai"),
            template="accounts/email/verify_email.txt",
            context={"user": user, "url": url, "days": EMAIL_VERIFY_MAX_AGE.days},
        )

    transaction.on_commit(send)


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address in the token verified. Raises ValidationError code "expired" or "invalid"."""
    signer = signing.TimestampSigner(salt=EMAIL_VERIFY_SALT)
    try:
        data = signer.unsign_object(token, max_age=EMAIL_VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("Tautan konfirmasi ini sudah kedaluwarsa."), code="expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError(_("Tautan konfirmasi ini tidak sah."), code="invalid") from None
    user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise ValidationError(_("Tautan konfirmasi ini tidak sah."), code="invalid")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def user_password_reset_completed(*, user: User) -> None:
    """After a reset through the e-mailed link: the address is proven, and old lockouts are lifted."""
    from axes.utils import reset as axes_reset

    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    for name in {user.email, user.phone, *(_phone_spellings(user.phone) if user.phone else ())} - {None}:
        axes_reset(username=name)


def _phone_spellings(phone: str) -> set[str]:
    local = phone[3:]
    return {phone, "0" + local, "62" + local}


# --- citizens ------------------------------------------------------------------------------------------


@transaction.atomic
def citizen_register(
    *,
    tenant: Tenant,
    full_name: str,
    email: str,
    phone: str | None,
    nik: str,
    birth_date: datetime.date,
    password: str,
    site_url: str | None = None,
) -> User:
    """Create one platform account with a citizen membership in `tenant` and send the verification link.

    Guarantees: the NIK is valid (format, district, birth date matching `birth_date`) and unique on the
    platform; the e-mail address is new (an existing person logs in and joins instead); the password passes
    the validators; the consent to data processing is recorded on the membership. Nothing is saved on refusal.
    """
    errors: dict[str, list[str]] = {}
    email = User.objects.normalize_email(email.strip()).lower()
    full_name = " ".join(full_name.split())
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [
            _(
                "Surel ini sudah punya akun Balai. Masuk dengan surel itu, lalu pilih “Bergabung sebagai warga” "
                "untuk terdaftar di %(tenant)s. Lupa kata sandi? Buat yang baru lewat “Lupa kata sandi”."
            )
            % {"tenant": tenant.name}
        ]
    try:
        birth_date_check(birth_date)
    except ValidationError as exc:
        errors["birth_date"] = exc.messages
    try:
        nik = nik_validate(nik, birth_date=None if "birth_date" in errors else birth_date)
    except ValidationError as exc:
        errors["nik"] = exc.messages
    else:
        if User.objects.filter(nik=nik).exists():
            errors["nik"] = [
                _(
                    "NIK ini sudah terdaftar pada akun lain. Jika itu akun Anda, masuk lalu bergabung dengan Pemda ini; "
                    "jika bukan, hubungi kantor Pemda dengan membawa KTP."
                )
            ]
    try:
        phone = _phone_or_error(phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    user = User(email=email, full_name=full_name, phone=phone, nik=nik, birth_date=birth_date)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    membership = Membership.objects.create(tenant=tenant, user=user, roles=[CITIZEN_ROLE], data_consent_at=timezone.now())
    email_verification_send(user=user, site_url=site_url)
    audit_record(tenant=tenant, actor=user, action="accounts.citizen_register", obj=membership, data={"roles": membership.roles})
    log.info("citizen registered", extra={"tenant": tenant.slug, "user_id": user.pk})
    return user


@transaction.atomic
def membership_join(*, user: User, tenant: Tenant) -> Membership:
    """Make a logged-in person a citizen of another tenant, with their consent recorded now.

    An existing membership gains the citizen role; a deactivated one comes back as citizen only (the
    officer roles an administrator took away stay away).
    """
    membership = Membership.objects.select_for_update().filter(tenant=tenant, user=user).first()
    now = timezone.now()
    if membership is None:
        membership = Membership.objects.create(tenant=tenant, user=user, roles=[CITIZEN_ROLE], data_consent_at=now)
    else:
        if not membership.is_active:
            membership.roles, membership.is_active = [CITIZEN_ROLE], True
        elif CITIZEN_ROLE not in membership.roles:
            membership.roles = [*membership.roles, CITIZEN_ROLE]
        membership.data_consent_at = now
        membership.save(update_fields=["roles", "is_active", "data_consent_at"])
    audit_record(tenant=tenant, actor=user, action="accounts.membership_join", obj=membership, data={"roles": membership.roles})
    return membership


# --- officers ------------------------------------------------------------------------------------------


@transaction.atomic
def officer_create(
    *,
    tenant: Tenant,
    email: str,
    full_name: str,
    roles: list[str],
    phone: str | None = None,
    actor: User | None,
    site_url: str | None = None,
) -> Membership:
    """Give a person officer roles in `tenant`, creating their account if they have none.

    A new account has no usable password: the e-mail carries a link to set one (Django's password-reset
    token, valid for settings.PASSWORD_RESET_TIMEOUT). An existing account is reused as it is (its owner's
    name and password are theirs); its membership here gets exactly these officer roles, keeps any
    non-officer role (citizen) and is reactivated.
    """
    _require_manager(actor=actor, tenant=tenant)
    roles = _clean_roles(roles, officer_only=True)
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        phone = _phone_or_error(phone)
        user = User(email=email, full_name=" ".join(full_name.split()), phone=phone)
        user.set_unusable_password()
        user.save()
    known = registry.roles()
    membership = Membership.objects.select_for_update().filter(tenant=tenant, user=user).first()
    before = {"roles": membership.roles, "is_active": membership.is_active} if membership else None
    if membership is None:
        membership = Membership.objects.create(tenant=tenant, user=user, roles=roles, created_by=actor)
    else:
        kept = [r for r in membership.roles if r in known and not known[r].officer] if membership.is_active else []
        membership.roles, membership.is_active = [*kept, *roles], True
        membership.save(update_fields=["roles", "is_active"])

    def send():
        context = {"user": user, "tenant": tenant, "roles": membership.role_labels(), "actor": actor}
        base = _site_url(site_url)
        if user.has_usable_password():
            context["url"] = base + reverse("accounts:login")
            template = "accounts/email/officer_added.txt"
        else:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            context["url"] = base + reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
            template = "accounts/email/officer_invite.txt"
        _send(
            to=user.email,
            subject=_("Anda ditambahkan sebagai petugas %(tenant)s di Balai") % {"tenant": tenant.name},
            template=template,
            context=context,
        )

    transaction.on_commit(send)
    audit_record(
        tenant=tenant, actor=actor, action="accounts.officer_create", obj=membership, data={"roles": membership.roles},
        before=before, after={"roles": membership.roles, "is_active": membership.is_active},
    )
    log.info("officer added", extra={"tenant": tenant.slug, "user_id": user.pk, "actor_id": getattr(actor, "pk", None)})
    return membership


@transaction.atomic
def membership_set_roles(*, tenant: Tenant, user: User, roles: list[str], actor: User | None) -> Membership:
    """Set exactly these roles on the person's membership in `tenant`.

    Guarantees: every role is registered; the tenant keeps at least one active administrator (so an
    administrator cannot remove their own administrator role when they are the last one).
    """
    _require_manager(actor=actor, tenant=tenant)
    roles = _clean_roles(roles)
    membership = Membership.objects.select_for_update().select_related("user").filter(tenant=tenant, user=user).first()
    if membership is None:
        raise Membership.DoesNotExist
    _guard_last_admin(tenant=tenant, membership=membership, keeps_admin=ADMIN_ROLE in roles)
    before = {"roles": membership.roles}
    membership.roles = roles
    membership.save(update_fields=["roles"])
    audit_record(
        tenant=tenant, actor=actor, action="accounts.membership_set_roles", obj=membership,
        data={"from": before["roles"], "to": roles}, before=before, after={"roles": roles},
    )
    log.info("roles set", extra={"tenant": tenant.slug, "user_id": user.pk, "actor_id": getattr(actor, "pk", None)})
    return membership


@transaction.atomic
def membership_deactivate(*, tenant: Tenant, user: User, actor: User | None) -> Membership:
    """Take away every role the person holds in `tenant` at once (their account and other Pemda stay).

    Refused for the tenant's last active administrator.
    """
    _require_manager(actor=actor, tenant=tenant)
    membership = Membership.objects.select_for_update().select_related("user").filter(tenant=tenant, user=user).first()
    if membership is None:
        raise Membership.DoesNotExist
    _guard_last_admin(tenant=tenant, membership=membership, keeps_admin=False)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(
        tenant=tenant, actor=actor, action="accounts.membership_deactivate", obj=membership,
        data={"roles": membership.roles}, before={"is_active": True}, after={"is_active": False},
    )
    log.info("membership deactivated", extra={"tenant": tenant.slug, "user_id": user.pk, "actor_id": getattr(actor, "pk", None)})
    return membership


# --- two-factor authentication ------------------------------------------------------------------------


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The person's one unconfirmed TOTP device, created on first use, so that the QR code stays the same."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_verify(*, user: User, device: TOTPDevice, code: str) -> bool:
    """Check a code against the person's device (throttled by django-otp); a first good code confirms it."""
    if device.user_id != user.pk:
        raise PermissionDenied
    if not device.verify_token(code):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    return True
