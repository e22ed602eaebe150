"""The core's own red-flag checks, registered from IntegrityConfig.ready()."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from balai.core import registry as core_registry
from balai.core.accounts.models import Membership
from balai.core.audit.models import AuditEntry
from balai.core.audit.verify import verify_chain
from balai.core.tenants.models import Tenant

from .registry import FindingDraft, IntegrityCheck


def officer_without_2fa(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    """Active officer memberships whose person has no confirmed TOTP device: a stolen password is enough."""
    officer_roles = {code for code, role in core_registry.roles().items() if role.officer}
    memberships = (
        Membership.objects.filter(tenant=tenant, is_active=True, user__is_active=True)
        .exclude(user__in=TOTPDevice.objects.filter(confirmed=True).values("user"))
        .select_related("user")
        .order_by("pk")
    )
    for membership in memberships:
        held = [r for r in membership.roles if r in officer_roles]
        if not held:
            continue
        user = membership.user
        yield FindingDraft(
            subject=membership,
            summary=_("%(name)s memegang peran petugas tetapi belum mengaktifkan verifikasi dua langkah (TOTP).")
            % {"name": user.full_name or user.email},
            evidence=[
                (
                    _("Akun petugas: %(name)s") % {"name": user.full_name or user.email},
                    reverse("tenant_accounts:officer_edit", kwargs={"tenant": tenant.slug, "membership_id": membership.pk}),
                ),
                (_("Peran: %(roles)s") % {"roles": ", ".join(sorted(held))}, None),
            ],
            concerns=[user.pk],
            fingerprint=f"membership:{membership.pk}",
        )


def audit_chain_broken(tenant: Tenant, since: datetime | None) -> Iterator[FindingDraft]:
    """The tenant's audit chain does not verify: a row was edited, removed or the chain rewritten."""
    result = verify_chain(tenant)
    if result.ok:
        return
    broken = result.first_broken
    entry = AuditEntry.objects.filter(tenant=tenant, pk=broken.id).first() if broken.id else None
    entries_url = reverse("audit_tenant:entries", kwargs={"tenant": tenant.slug})
    yield FindingDraft(
        subject=entry if entry is not None else tenant,
        summary=_(
            "Rantai audit Pemda ini terputus pada catatan nomor %(seq)s: catatan itu atau catatan sebelumnya "
            "diubah atau dihapus di luar aplikasi."
        )
        % {"seq": broken.seq},
        evidence=[
            (_("Catatan audit nomor %(seq)s (%(action)s)") % {"seq": broken.seq, "action": broken.action or "-"}, entries_url),
            (_("Hasil pemeriksaan rantai: %(reason)s") % {"reason": broken.reason}, None),
            (
                _("Periksa ulang di server: python manage.py audit_verify --tenant %(slug)s") % {"slug": tenant.slug},
                None,
            ),
        ],
        concerns=[],
        fingerprint=f"seq:{broken.seq}",
    )


CORE_CHECKS = (
    IntegrityCheck(
        code="core.officer_without_2fa",
        module="core",
        title=gettext_lazy("Petugas tanpa verifikasi dua langkah"),
        description=gettext_lazy(
            "Petugas aktif yang belum memasang TOTP: akunnya dapat dipakai orang lain cukup dengan kata sandi."
        ),
        severity="medium",
        run=officer_without_2fa,
    ),
    IntegrityCheck(
        code="core.audit_chain_broken",
        module="core",
        title=gettext_lazy("Rantai audit terputus"),
        description=gettext_lazy(
            "Jejak audit Pemda tidak lolos verifikasi hash: ada catatan yang diubah, dihapus atau ditulis ulang."
        ),
        severity="high",
        run=audit_chain_broken,
    ),
)
