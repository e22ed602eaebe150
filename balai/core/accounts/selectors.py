"""Reads on accounts: who the viewer is in a tenant, and what they may do there."""

from __future__ import annotations

from balai.core import registry
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


def _holds_officer_role(membership: Membership) -> bool:
    known = registry.roles()
    return any(known[r].officer for r in membership.roles if r in known)


def officer_list(*, tenant: Tenant, include_inactive: bool = False) -> list[Membership]:
    """The tenant's officers by name; with `include_inactive`, also those whose membership was deactivated."""
    rows = Membership.objects.filter(tenant=tenant).select_related("user").order_by("-is_active", "user__full_name")
    if not include_inactive:
        rows = rows.filter(is_active=True)
    return [m for m in rows if _holds_officer_role(m)]


def officer_membership(*, tenant: Tenant, membership_id: int) -> Membership | None:
    """One officer membership of this tenant (active or not); None for another tenant's or a citizen-only one."""
    membership = Membership.objects.filter(tenant=tenant, pk=membership_id).select_related("user").first()
    return membership if membership is not None and _holds_officer_role(membership) else None



def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()
