"""Writes of the back office that the permits core does not already offer: assignment of a permit file
(by hand with a reason, or balanced automatically) and the audited reveal of an applicant's NIK.

The decisions on a file (verify, return, inspect, recommend, approve, sign, reject, revoke) are the
core's services in balai/permits/services.py; escalation on SLA breach is the workflow variant the
permit type's rule selects (workflow.ESCALATION_WORKFLOWS), run by the engine's `escalate_due`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.core.accounts.models import User
from balai.core.accounts.selectors import membership_for
from balai.core.audit.services import audit_personal_data_read, audit_refusal
from balai.core.workflow.services import AssignmentRefused, assign_balanced, holders_of, instance_assign

from .models import Application

# Why an officer takes a later file before an earlier one of the same type (first in, first out). The
# engine logs the code on the transition; the integrity check reads it.
FIFO_REASONS = [
    ("berkas_lengkap_lebih_dulu", gettext_lazy("Berkas ini lengkap lebih dulu; berkas sebelumnya menunggu data")),
    ("permintaan_pimpinan_tertulis", gettext_lazy("Permintaan tertulis pimpinan")),
    ("antrian_khusus_disabilitas", gettext_lazy("Antrean khusus penyandang disabilitas/lansia")),
    ("keadaan_darurat_bencana", gettext_lazy("Keadaan darurat atau bencana")),
    ("berkas_sebelumnya_menunggu_survei", gettext_lazy("Berkas sebelumnya menunggu jadwal survei")),
    ("perintah_pengadilan", gettext_lazy("Putusan atau perintah pengadilan")),
]
FIFO_REASON_CODES = frozenset(code for code, _label in FIFO_REASONS)

PERMIT_PERMS = frozenset({"permits.counter", "permits.verify", "permits.inspect", "permits.approve", "permits.sign", "permits.revoke"})
TENANT_ADMIN_ROLE = "core.tenant_admin"
NIK_PURPOSE = "Pemeriksaan berkas permohonan izin"


def is_permits_officer(*, user, tenant) -> bool:
    """Whether `user` holds any permits permission in the tenant (who may see an applicant's full NIK)."""
    membership = membership_for(user=user, tenant=tenant)
    return membership is not None and bool(membership.permissions & PERMIT_PERMS)


def application_nik_reveal(*, application: Application, actor, request=None) -> str:
    """The applicant's full NIK for a permits officer of the tenant, recorded on the audit chain as a
    personal-data read (fields and purpose, never the value). Others: PermissionDenied, audited."""
    if not is_permits_officer(user=actor, tenant=application.tenant):
        audit_refusal(
            tenant=application.tenant, actor=actor, action="permits.nik_reveal_refused", obj=application,
            data={"reason": "not_permits_officer"}, request=request,
        )
        raise PermissionDenied(_("Hanya petugas perizinan yang dapat melihat NIK lengkap pemohon."))
    with transaction.atomic():
        audit_personal_data_read(
            tenant=application.tenant, actor=actor, subject=application, fields=["applicant_nik"], purpose=NIK_PURPOSE,
            request=request,
        )
    return application.applicant_nik


def assignable_people(*, application: Application) -> list[User]:
    """Who may hold the file in its current step: the holders of the roles that act in it."""
    instance = application.workflow
    if instance is None or instance.is_terminal:
        return []
    roles = instance.definition.parsed.state_roles(instance.state)
    return holders_of(tenant=application.tenant, roles=roles)


def _may_assign(application: Application, actor) -> bool:
    instance = application.workflow
    membership = membership_for(user=actor, tenant=application.tenant)
    held = set(membership.roles) if membership is not None else set()
    return bool(held & (instance.definition.parsed.state_roles(instance.state) | {TENANT_ADMIN_ROLE}))


def application_assign(*, application: Application, assignee: User | None, actor, reason: str = "") -> Application:
    """Give the file to `assignee` (None: back to the shared inbox) through the engine's
    `instance_assign`: the assignee must be able to act in the step; taking a file from someone needs a
    reason; logged and audited. Raises AssignmentRefused (with the reason to show)."""
    if application.workflow_id is None:
        raise AssignmentRefused(_("Permohonan ini masih draf; belum ada yang perlu ditugaskan."))
    instance_assign(instance=application.workflow, assignee=assignee, actor=actor, reason=reason)
    return application


def application_assign_balanced(*, application: Application, actor) -> User:
    """Hand the file to whoever holds the fewest open files among those who can act in its step (within
    the file's unit when it has staff there). Only a holder of such a role or the tenant administrator
    may ask. Raises AssignmentRefused when not allowed or when nobody qualifies."""
    if application.workflow_id is None:
        raise AssignmentRefused(_("Permohonan ini masih draf; belum ada yang perlu ditugaskan."))
    instance = application.workflow
    if instance.is_terminal:
        raise AssignmentRefused(_("Berkas sudah selesai; tidak dapat ditugaskan lagi."))
    if not _may_assign(application, actor):
        raise AssignmentRefused(_("Anda tidak berwenang menugaskan berkas ini."), code="forbidden")
    chosen = assign_balanced(
        instance=instance, unit=instance.unit, actor=actor, reason=_("Penugasan otomatis berimbang beban kerja")
    )
    if chosen is None and instance.unit_id is not None:
        chosen = assign_balanced(
            instance=instance, actor=actor, reason=_("Penugasan otomatis berimbang beban kerja")
        )
    if chosen is None:
        raise AssignmentRefused(
            _("Belum ada petugas yang memegang peran untuk tahap ini. Minta administrator menambahkan petugas."),
            code="nobody",
        )
    return chosen
