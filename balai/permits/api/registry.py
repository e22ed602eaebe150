"""What the permits API registers at startup: its token scopes.

Call `register()` from `PermitsConfig.ready()` (registering twice is harmless).

- ``permits:read``   read one's own applications and their timeline, download one's permit, and (for
  officers) read the inbox. Grants an integration client nothing beyond the public endpoints.
- ``permits:apply``  the applicant's actions: create and edit drafts, upload, submit, pay, withdraw.
- ``permits:office`` the officers' actions on files (verify, return, inspect, recommend, approve,
  sign, reject, revoke), their inbox, and answering complaints.

Applications and decisions belong to a person: a person's token acts with that person's roles,
narrowed to its scopes. An integration client's token is refused on the applicant and office
endpoints (``person_required``), whatever its scopes grant on paper.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from balai.core.api.scopes import Scope, register_scope

READ = "permits:read"
APPLY = "permits:apply"
OFFICE = "permits:office"

# Tenant permissions of the permits officers' roles (see PermitsConfig's manifest).
OFFICE_PERMS = frozenset(
    {"permits.counter", "permits.verify", "permits.inspect", "permits.approve", "permits.sign", "permits.revoke",
     "permits.complaint_answer"}
)
APPLY_PERM = "citizen.apply"

SCOPES = (
    Scope(READ, _("Membaca permohonan izin sendiri, linimasanya, izin terbit, dan kotak masuk petugas")),
    Scope(APPLY, _("Mengajukan izin: membuat draf, mengunggah dokumen, mengajukan, membayar, membatalkan"),
          grants=frozenset({APPLY_PERM})),
    Scope(OFFICE, _("Memproses berkas izin sebagai petugas: verifikasi, survei, persetujuan, tanda tangan"),
          grants=OFFICE_PERMS),
)


def register() -> None:
    for scope in SCOPES:
        register_scope(scope)
