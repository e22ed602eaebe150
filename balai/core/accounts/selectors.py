"""Reads on accounts: who the viewer is in a tenant, and what they may do there."""

from __future__ import annotations

from balai.core.tenants.models import Tenant

from .models import Membership, User


def membership_for(*, user, tenant: Tenant) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_balai_memberships", {})
    if tenant.pk not in cache:
        cache[tenant.pk] = Membership.objects.filter(user=user, tenant=tenant, is_active=True).first()
    return cache[tenant.pk]


def user_permissions(*, user, tenant: Tenant) -> frozenset[str]:
    membership = membership_for(user=user, tenant=tenant)
    return membership.permissions if membership else frozenset()


def user_has_perm(*, user, tenant: Tenant, perm: str) -> bool:
    return perm in user_permissions(user=user, tenant=tenant)


def user_memberships(*, user) -> list[Membership]:
    return list(Membership.objects.filter(user=user, is_active=True, tenant__is_active=True).select_related("tenant"))


def viewer_context(*, request, tenant: Tenant) -> dict:
    membership = membership_for(user=request.user, tenant=tenant)
    return {
        "membership": membership,
        "viewer_perms": membership.permissions if membership else frozenset(),
        "viewer_is_officer": bool(membership and membership.is_officer),
    }


def officer_list(*, tenant: Tenant) -> list[Membership]:
    return [m for m in Membership.objects.filter(tenant=tenant).select_related("user").order_by("user__full_name") if m.is_officer]


def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
