"""Who may see what in the appointments app (beyond the per-view permission decorators)."""

from __future__ import annotations

from balai.core.accounts.selectors import user_has_perm

FRONTDESK_PERM = "permits.counter"


def may_download_power_of_attorney(user, tenant, stored_file) -> bool:
    """A power-of-attorney letter: its applicant (the uploader, allowed by core before any rule), its agent,
    and front-desk staff who verify it."""
    from .models import PowerOfAttorney

    if user_has_perm(user=user, tenant=tenant, perm=FRONTDESK_PERM):
        return True
    return PowerOfAttorney.objects.filter(tenant=tenant, document=stored_file, agent=user).exists()
