"""The default workflow of a permit application (DIGIT's trade-licence shape, adapted), as data.

    draft → submitted → verification ⇄ returned
          verification → inspection (optional) → technical_recommendation (optional)
          → awaiting_payment → approval → signing → issued → revoked
    rejected from verification, inspection or approval (with a reason: reject, reject_inspection,
    reject_approval, one per step so that each step's role alone holds its files);
    withdrawn by the applicant before the decision.

Routing after verification and inspection is done by alternative actions whose guards read the
permit type, so that the engine still validates the whole graph:

- from verification: ``verify_inspect`` (→ inspection; the type may be inspected), ``verify_recommend``
  (→ technical_recommendation; no inspection required, a recommendation is) and ``verify``
  (→ awaiting_payment; neither required). `services.application_verify` picks the one that applies.
- from inspection: ``inspect_recommend`` (→ technical_recommendation) or ``inspect_done`` (→ awaiting_payment).

Payment: entering awaiting_payment runs the effect ``permits.bill_create`` (computes the fee from the
pinned version and the form, creates the bill). A zero fee creates no bill and the system moves the file
on by ``no_fee`` (guarded by ``permits.no_fee``); a paid bill moves it by ``paid`` (guarded by
``permits.bill_paid``), from the payments paid handler. ``approve`` and ``sign`` are guarded by
``permits.bill_paid`` too: no route issues a permit whose bill is unpaid.

Segregation of duties: ``approve`` is forbidden to whoever verified or returned the file.

These two rules are the module's `INVARIANTS`: registered with every variant, no tenant override may drop
them (the engine refuses it at save), and the permit effect checks the payment again itself.

First in, first out (``fifo``): verifying, approving and signing a later file of the same type while an
earlier one waits in the same step needs a logged reason code; the integrity check reports approvals and
signatures out of turn. Not the other steps: the inspection's order is the order of its booked slots,
a recommendation is given by a technical team on the file's merits, and a rejection (which needs its
written reason) favours nobody.

The SLA clock runs from submission (or, for a type whose SLA counts from complete documents, from the
verifier's declaration: `COMPLETE_ACTIONS`, held by the engine's `clock_starts_on`), pauses while the
file is with the applicant (returned, awaiting payment) and stops once the permit is issued or the file
is closed. ``issued`` is not terminal (it can be
revoked), so its only way out, ``revoke``, is a "system" action: `services.application_revoke` checks the
officer's permission ``permits.revoke`` itself and records him in the audit chain. This keeps issued
permits out of every officer's inbox.

Escalation on SLA breach follows the permit type's rule; since a definition carries its escalations,
there is one variant per rule (`ESCALATION_WORKFLOWS`), all with the same states and actions. A late
step tells the head of the file's unit (the type's responsible unit, from the organisation structure;
the engine falls back to the head above it, then to the tenant's administrators); the reassign variant
also hands the file to another officer. Fiktif positif deems the file approved only once the FILE's SLA
(the type's service standard, on its clock) has passed, not when one step is late: a deadline set by
regulation for the decision (escalation basis "file").
"""

from __future__ import annotations

import copy

from django.utils.translation import gettext_lazy

from balai.core.workflow.invariants import RequiredGuard, RequiredSeparation

DEFAULT_CODE = "permits.application"

# The escalation rule of a permit type → the workflow variant that implements it.
ESCALATION_WORKFLOWS = {
    "notify_head": "permits.application",
    "reassign": "permits.application_reassign",
    "auto_approve": "permits.application_fiktif",
}

# The actions that declare a file complete and move it on from verification (including fiktif
# positif): the SLA clock of a type counted "from complete documents" starts with one of them.
COMPLETE_ACTIONS = ("verify", "verify_inspect", "verify_recommend", "deem_approved")

OFFICER_STEPS = ("verification", "inspection", "technical_recommendation", "approval", "signing")
VERIFY_ACTIONS = ("verify", "verify_inspect", "verify_recommend", "return")
# The rejection action of each step (services.application_reject picks it by the file's state).
REJECT_ACTIONS = {"verification": "reject", "inspection": "reject_inspection", "approval": "reject_approval"}
# States from which the applicant may still withdraw (before a decision).
WITHDRAWABLE = ("draft", "submitted", "verification", "returned", "inspection", "technical_recommendation", "awaiting_payment")

FRONTDESK = "permits.frontdesk"
VERIFIER = "permits.verifier"
INSPECTOR = "permits.inspector"
APPROVER = "permits.approver"
SIGNER = "permits.signer"
# The escalation recipient "head of the file's unit" (balai.core.workflow.definitions.UNIT_HEAD).
UNIT_HEAD = "unit_head"
# A type that needs an appointment is verified only after the applicant came in (or an officer's logged
# exception); registered by balai.permits.appointments.guards. Other types pass.
ATTENDED = "permits.appointment_attended"


def _l(id_text: str, en: str) -> dict[str, str]:
    return {"id": id_text, "en": en}


BASE: dict = {
    "code": DEFAULT_CODE,
    "label": _l("Permohonan izin", "Permit application"),
    "description": _l(
        "Alur bawaan permohonan izin: verifikasi, survei lapangan dan rekomendasi teknis bila perlu, "
        "pembayaran retribusi, persetujuan, penandatanganan, terbit.",
        "Default permit application flow: verification, field inspection and technical recommendation when "
        "needed, payment, approval, signing, issuance.",
    ),
    "states": [
        {"code": "draft", "label": _l("Draf", "Draft"), "start": True, "clock": "stopped"},
        {"code": "submitted", "label": _l("Diterima", "Received"), "sla_days": 1},
        {"code": "verification", "label": _l("Verifikasi", "Verification"), "sla_days": 2, "assign": "previous"},
        {"code": "returned", "label": _l("Dikembalikan untuk diperbaiki", "Returned for correction"),
         "clock": "paused", "sla_days": 10},
        {"code": "inspection", "label": _l("Survei lapangan", "Field inspection"), "sla_days": 3, "assign": "balanced"},
        {"code": "technical_recommendation", "label": _l("Rekomendasi teknis", "Technical recommendation"),
         "sla_days": 5, "assign": "balanced"},
        {"code": "awaiting_payment", "label": _l("Menunggu pembayaran", "Awaiting payment"), "clock": "paused"},
        {"code": "approval", "label": _l("Persetujuan", "Approval"), "sla_days": 1, "assign": "balanced"},
        {"code": "signing", "label": _l("Penandatanganan", "Signing"), "sla_days": 1, "assign": "balanced"},
        {"code": "issued", "label": _l("Terbit", "Issued"), "clock": "stopped"},
        {"code": "rejected", "label": _l("Ditolak", "Rejected"), "terminal": True},
        {"code": "withdrawn", "label": _l("Dicabut pemohon", "Withdrawn"), "terminal": True},
        {"code": "revoked", "label": _l("Izin dicabut", "Revoked"), "terminal": True},
    ],
    "actions": [
        {"code": "submit", "label": _l("Ajukan permohonan", "Submit application"), "from": ["draft"],
         "to": "submitted", "roles": ["owner", FRONTDESK], "guards": ["permits.complete"], "notify": ["owner"]},
        {"code": "receive", "label": _l("Terima berkas", "Receive the file"), "from": ["submitted"],
         "to": "verification", "roles": ["system", VERIFIER], "notify": []},
        {"code": "verify", "label": _l("Nyatakan lengkap dan benar", "Verify"), "from": ["verification"],
         "to": "awaiting_payment", "roles": [VERIFIER], "fifo": True,
         "guards": ["permits.no_inspection_needed", "permits.no_recommendation_needed", ATTENDED],
         "effects": ["permits.bill_create"]},
        {"code": "verify_inspect", "label": _l("Nyatakan lengkap, lanjut survei lapangan", "Verify, send to inspection"),
         "from": ["verification"], "to": "inspection", "roles": [VERIFIER], "fifo": True,
         "guards": ["permits.inspection_allowed", ATTENDED], "style": "secondary"},
        {"code": "verify_recommend", "label": _l("Nyatakan lengkap, minta rekomendasi teknis", "Verify, ask for technical recommendation"),
         "from": ["verification"], "to": "technical_recommendation", "roles": [VERIFIER], "fifo": True,
         "guards": ["permits.no_inspection_needed", "permits.needs_recommendation", ATTENDED]},
        {"code": "return", "label": _l("Kembalikan untuk diperbaiki", "Return for correction"),
         "from": ["verification"], "to": "returned", "roles": [VERIFIER], "requires": ["comment"],
         "style": "secondary"},
        {"code": "resubmit", "label": _l("Kirim perbaikan", "Send the corrections"), "from": ["returned"],
         "to": "verification", "roles": ["owner", FRONTDESK], "guards": ["permits.complete"],
         "notify": ["owner", "assignee"]},
        {"code": "inspect_done", "label": _l("Simpan laporan survei, lanjut pembayaran", "Record inspection, go to payment"),
         "from": ["inspection"], "to": "awaiting_payment", "roles": [INSPECTOR],
         "guards": ["permits.inspection_recorded", "permits.no_recommendation_needed"],
         "effects": ["permits.bill_create"]},
        {"code": "inspect_recommend", "label": _l("Simpan laporan survei, lanjut rekomendasi teknis", "Record inspection, go to recommendation"),
         "from": ["inspection"], "to": "technical_recommendation", "roles": [INSPECTOR],
         "guards": ["permits.inspection_recorded", "permits.needs_recommendation"]},
        {"code": "recommend", "label": _l("Berikan rekomendasi teknis", "Give the technical recommendation"),
         "from": ["technical_recommendation"], "to": "awaiting_payment", "roles": [INSPECTOR],
         "requires": ["comment"], "effects": ["permits.bill_create"]},
        {"code": "paid", "label": _l("Retribusi lunas", "Fee paid"), "from": ["awaiting_payment"], "to": "approval",
         "roles": ["system"], "guards": ["permits.bill_paid"], "notify": ["owner"]},
        {"code": "no_fee", "label": _l("Tanpa retribusi", "No fee"), "from": ["awaiting_payment"], "to": "approval",
         "roles": ["system"], "guards": ["permits.no_fee"], "notify": []},
        {"code": "approve", "label": _l("Setujui", "Approve"), "from": ["approval"], "to": "signing",
         "roles": [APPROVER], "fifo": True, "forbid_same_actor_as": list(VERIFY_ACTIONS),
         "guards": ["permits.bill_paid"]},
        {"code": "sign", "label": _l("Tandatangani dan terbitkan", "Sign and issue"), "from": ["signing"],
         "to": "issued", "roles": [SIGNER], "fifo": True, "guards": ["permits.bill_paid"],
         "effects": ["permits.issue_permit"]},
        # One rejection per step, each with the step's own role: an action's roles decide who may be
        # assigned a file in its source state, and whose inbox shows it.
        {"code": "reject", "label": _l("Tolak permohonan", "Reject"), "from": ["verification"], "to": "rejected",
         "roles": [VERIFIER], "requires": ["comment"], "style": "danger", "effects": ["permits.cancel_bill"]},
        {"code": "reject_inspection", "label": _l("Tolak permohonan", "Reject"), "from": ["inspection"],
         "to": "rejected", "roles": [INSPECTOR], "requires": ["comment"], "style": "danger",
         "effects": ["permits.cancel_bill"]},
        {"code": "reject_approval", "label": _l("Tolak permohonan", "Reject"), "from": ["approval"],
         "to": "rejected", "roles": [APPROVER], "requires": ["comment"], "style": "danger",
         "effects": ["permits.cancel_bill"]},
        {"code": "withdraw", "label": _l("Batalkan permohonan", "Withdraw the application"),
         "from": list(WITHDRAWABLE), "to": "withdrawn", "roles": ["owner"], "style": "danger",
         "effects": ["permits.cancel_bill"], "notify": ["owner", "assignee"]},
        {"code": "revoke", "label": _l("Cabut izin", "Revoke the permit"), "from": ["issued"], "to": "revoked",
         "roles": ["system"], "requires": ["comment"], "style": "danger", "effects": ["permits.revoke_permit"],
         "notify": ["owner"]},
    ],
    "escalations": [
        {"state": state, "after_days": 0, "do": "notify", "notify_roles": [UNIT_HEAD]} for state in OFFICER_STEPS
    ],
}

# The fiktif-positif variant needs a system action that treats the file as approved; it exists (guarded,
# so never usable for a type that does not allow it) in every variant, so that the graphs are the same.
BASE["actions"] += [
    {"code": "deem_approved", "label": _l("Dianggap disetujui (fiktif positif)", "Deemed approved"),
     "from": ["verification", "inspection", "technical_recommendation"], "to": "awaiting_payment",
     "roles": ["system"], "guards": ["permits.fiktif_positif"], "effects": ["permits.bill_create"]},
    {"code": "deem_approved_final", "label": _l("Dianggap disetujui (fiktif positif)", "Deemed approved"),
     "from": ["approval"], "to": "signing", "roles": ["system"],
     "guards": ["permits.fiktif_positif", "permits.bill_paid"]},
]


def definition_for(rule: str) -> dict:
    """The definition data of the variant that implements escalation `rule` (a PermitType.Escalation)."""
    data = copy.deepcopy(BASE)
    data["code"] = ESCALATION_WORKFLOWS[rule]
    if rule == "reassign":
        data["label"] = _l("Permohonan izin (alih petugas bila terlambat)", "Permit application (reassign when late)")
        data["escalations"] += [
            {"state": state, "after_days": 0, "do": "reassign"} for state in OFFICER_STEPS
        ]
    elif rule == "auto_approve":
        data["label"] = _l("Permohonan izin (fiktif positif)", "Permit application (deemed approval)")
        data["escalations"] += [
            {"state": state, "after_days": 0, "basis": "file", "do": "auto_action", "action": "deem_approved"}
            for state in ("verification", "inspection", "technical_recommendation")
        ] + [
            {"state": "approval", "after_days": 0, "basis": "file", "do": "auto_action", "action": "deem_approved_final"}
        ]
    return data


DEFINITIONS = [definition_for(rule) for rule in ESCALATION_WORKFLOWS]

PAYMENT_GUARD = "permits.bill_paid"
# What no tenant's override of these workflows may undo (balai.core.workflow.invariants).
INVARIANTS = (
    RequiredGuard(
        PAYMENT_GUARD, into=("signing", "issued"), effects=("permits.issue_permit",),
        why=gettext_lazy("izin tidak boleh ditandatangani atau terbit sebelum retribusinya lunas"),
    ),
    RequiredSeparation(
        into=("signing",), forbid=VERIFY_ACTIONS,
        why=gettext_lazy("yang memverifikasi atau mengembalikan berkas tidak boleh menyetujuinya"),
    ),
)
